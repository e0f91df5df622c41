/**
 * examples/go-plugin under the real engine: a Go program on the provider plugin
 * pulumi-resource-googlechat through its generated Go SDK, the same stack as
 * examples/typescript-plugin (plugin-program.ts). The SDK is generated into the folder's
 * sdks/googlechat, which its go.mod replaces the SDK's module with (as `pulumi package add` links
 * it); the stack is made and configured with the CLI. The program runs through the Go
 * Automation API's inline mode (fixtures/go-plugin-inline/inline_test.go, copied beside its
 * main.go), since pulumi-language-go cannot be had here (README, "The engine"). Go modules come
 * from the module cache only (GOPROXY=off): scripts/ensure-gen-sdk fetched them.
 */
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { generateSdk, generator } from "../../scripts/gen-sdk";
import { REPO, useEngineAndEmulator } from "./harness";
import { runSpaceRosterAndLookup } from "./plugin-program";
import { cliEnvironment, copyProgramFolder } from "./workspace";

describe("e2e: examples/go-plugin, a Go program on the plugin's generated SDK", function () {
  this.timeout(600_000);
  const t = useEngineAndEmulator({ resetEachTest: false });
  let dir: string;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let programOutput = "";

  /** Runs `go` in the folder, offline; fails with its output. */
  const go = (...args: string[]) => {
    const result = spawnSync("go", args, { cwd: dir, env: { ...process.env, GOPROXY: "off" }, encoding: "utf8" });
    assert.equal(result.status, 0, `go ${args.join(" ")}:\n${result.stdout}${result.stderr}`);
  };
  /** One operation of the inline driver; returns its result line, parsed. */
  const inline = async (operation: string): Promise<{ changeSummary: Record<string, number> }> => {
    const { stdout } = await promisify(execFile)(join(dir, "inline.test"), ["-test.run", "^TestInline$", "-test.v"], {
      cwd: dir,
      env: { ...env, GOOGLECHAT_INLINE_OPERATION: operation, PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true" },
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error) => {
      throw new Error(`${operation} failed:\n${error.stdout}${error.stderr}`);
    });
    programOutput = stdout;
    assert.match(stdout, /^--- PASS: TestInline /m, stdout);
    return JSON.parse(/^RESULT (.*)$/m.exec(stdout)![1]);
  };
  const cli = (args: string[], input?: string) => {
    const result = spawnSync("pulumi", [...args, "--non-interactive"], { cwd: dir, env, input, encoding: "utf8" });
    assert.equal(result.status, 0, `pulumi ${args.join(" ")}: ${result.stdout}${result.stderr}`);
    return result.stdout;
  };

  before(() => {
    generator();
    home = mkdtempSync(join(tmpdir(), "chatspace-go-plugin-"));
    dir = join(home, "go-plugin");
    copyProgramFolder(join(REPO, "examples/go-plugin"), dir);
    generateSdk("go", join(dir, "sdks/googlechat"));
    copyFileSync(join(REPO, "test/e2e/fixtures/go-plugin-inline/inline_test.go"), join(dir, "inline_test.go"));
    // The plugin folder as the repository's path from where the copy is.
    const project = readFileSync(join(dir, "Pulumi.yaml"), "utf8");
    writeFileSync(join(dir, "Pulumi.yaml"), project.replace("\n  googlechat: ../../bin\n", `\n  googlechat: ${join(REPO, "bin")}\n`));
    go("mod", "tidy");
    go("test", "-c", "-o", "inline.test", ".");
    env = cliEnvironment(home);
  });

  it("the program vets against the generated SDK", () => go("vet", "./..."));

  it("previews with only the lookup's read, creates a space and its roster through an explicit provider, previews no change, and destroys the space alone; the looked-up space untouched; no credential in the state or the output", () =>
    runSpaceRosterAndLookup(t, home, {
      cli,
      preview: async ({ noChange } = {}) => (await inline(noChange ? "preview-no-change" : "preview")).changeSummary,
      up: async () => {
        await inline("up");
        return programOutput;
      },
      destroy: async () => {
        await inline("destroy");
        return programOutput;
      },
      programOutput: () => programOutput,
    }));
});
