/**
 * examples/typescript-plugin under the real engine: a TypeScript program on the provider plugin
 * pulumi-resource-googlechat through its generated Node.js SDK, run as a user runs it from its
 * own folder: the SDK generated into sdks/googlechat (`npm run gen-sdk -- nodejs ...`), `npm
 * install` (which compiles the SDK: its postinstall), `pulumi stack init`, `pulumi config set`,
 * `pulumi up`. The engine finds the plugin through the folder's `packages:` entry; the program
 * runs through the stand-in Node.js language host (language-host.ts).
 */
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { generateSdk, generator } from "../../scripts/gen-sdk";
import { useEngineAndEmulator } from "./harness";
import { type LanguageHost, startLanguageHost } from "./language-host";
import { runSpaceRosterAndLookup } from "./plugin-program";
import { cliEnvironment, installedExample } from "./workspace";

describe("e2e: examples/typescript-plugin, a TypeScript program on the plugin's generated SDK", function () {
  this.timeout(600_000);
  const t = useEngineAndEmulator({ resetEachTest: false });
  let dir: string;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let host: LanguageHost;
  // Asynchronous, as the emulator's control connection and the language host must stay served while the engine runs.
  const run = (args: string[]) =>
    promisify(execFile)("pulumi", [...args, "--non-interactive", `--client=${host.address}`], { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 }).catch((error) => {
      throw new Error(`pulumi ${args.join(" ")} failed:\n${error.stdout}${error.stderr}\nthe program: ${host.output()}`);
    });
  /** A command that needs no program (config, stack): without --client. */
  const cli = (args: string[], input?: string) => {
    const result = spawnSync("pulumi", [...args, "--non-interactive"], { cwd: dir, env, input, encoding: "utf8" });
    assert.equal(result.status, 0, `pulumi ${args.join(" ")}: ${result.stdout}${result.stderr}`);
    return result.stdout;
  };

  before(async () => {
    generator();
    dir = installedExample("typescript-plugin", { beforeInstall: (copy) => generateSdk("nodejs", join(copy, "sdks/googlechat")) }).dir;
    // installedExample installs without scripts (the repository's own `prepare`): the SDK's postinstall compiles it, as `npm install` would.
    const rebuild = spawnSync("npm", ["rebuild", "@pulumi-googlechat/googlechat", "--foreground-scripts"], { cwd: dir, encoding: "utf8" });
    assert.equal(rebuild.status, 0, rebuild.stdout + rebuild.stderr);
    assert.ok(existsSync(join(dir, "node_modules/@pulumi-googlechat/googlechat/bin/index.js")), "the SDK compiled");
    assert.ok(
      existsSync(join(dir, "node_modules/pulumi-googlechat/bin/pulumi-resource-googlechat")),
      "npm install puts the plugin where Pulumi.yaml's packages entry says",
    );
    home = join(dir, "..");
    env = cliEnvironment(home);
    host = await startLanguageHost();
  });
  after(() => host?.stop());

  it("the program type-checks against the generated SDK with the folder's own TypeScript", () => {
    const tsc = spawnSync(join(dir, "node_modules/.bin/tsc"), ["--noEmit", "-p", dir], { encoding: "utf8" });
    assert.equal(tsc.stdout + tsc.stderr, "");
    assert.equal(tsc.status, 0);
  });

  it("previews with only the lookup's read, creates a space and its roster through an explicit provider, previews no change, and destroys the space alone; the looked-up space untouched; no credential in the state or the output", () =>
    runSpaceRosterAndLookup(t, home, {
      cli,
      preview: async ({ noChange } = {}) => JSON.parse((await run(["preview", "--json", ...(noChange ? ["--expect-no-changes"] : [])])).stdout).changeSummary,
      up: async () => (await run(["up", "--yes", "--skip-preview"])).stdout,
      destroy: async () => (await run(["destroy", "--yes", "--skip-preview"])).stdout,
      programOutput: () => host.output(),
    }));
});
