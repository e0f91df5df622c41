import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmulatorProcess, REPO, startEmulatorProcess, useEngine } from "./harness";

/**
 * The package as users get it: the tarball `npm run package` makes (scripts/pack.js), installed
 * into a program of its own with nothing of this repository's tooling, run by the engine. The
 * program and its driver are plain JavaScript, and the driver uses the program's own
 * @pulumi/pulumi.
 */
describe("e2e: the published package", () => {
  let emulator: EmulatorProcess;
  before(async () => {
    useEngine();
    emulator = await startEmulatorProcess();
  });
  after(() => emulator?.stop());

  it("packs compiled JavaScript with type declarations and no scripts; a program installs the tarball without a lifecycle-script warning and deploys a space", async function () {
    this.timeout(600_000);
    const dir = mkdtempSync(join(tmpdir(), "chatspace-package-"));
    const tarball = execFileSync(process.execPath, [join(REPO, "scripts/pack.js"), dir], { encoding: "utf8" })
      .trim()
      .split("\n")
      .pop()!;
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n");
    for (const file of [
      "package/dist/sdk/index.js",
      "package/dist/sdk/index.d.ts",
      "package/dist/sdk/chat-space.d.ts",
      "package/dist/provider/index.js",
      "package/dist/emulator/index.js",
    ]) {
      assert.ok(files.includes(file), `${file} is packed`);
    }
    assert.equal(
      files.some((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")),
      false,
      "no TypeScript sources",
    );
    assert.equal(
      files.some((f) => f.startsWith("package/test/")),
      false,
      "no tests",
    );
    const manifest = JSON.parse(execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }));
    assert.deepEqual([manifest.scripts, manifest.devDependencies], [undefined, undefined], "no scripts (prepare, install, ...) and no devDependencies");

    const program = join(dir, "program");
    execFileSync("mkdir", ["-p", program]);
    writeFileSync(join(program, "package.json"), JSON.stringify({ name: "packaged-program", private: true }));
    const install = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, "@pulumi/pulumi@^3.276.0"], {
      cwd: program,
      encoding: "utf8",
    });
    assert.equal(install.status, 0, install.stderr);
    // npm 11 names each installed package whose lifecycle scripts the user has not approved.
    const unapproved = [...`${install.stdout}${install.stderr}`.matchAll(/^npm warn install-scripts {3}(\S+)@/gm)].map((m) => m[1]);
    assert.equal(unapproved.includes("pulumi-googlechat"), false, `npm warned about pulumi-googlechat's scripts: ${unapproved.join(", ")}`);
    writeFileSync(
      join(program, "index.js"),
      `const { ChatSpace } = require("pulumi-googlechat");
const space = new ChatSpace("packaged", { displayName: "From the tarball" });
module.exports = { name: space.name, url: space.spaceUri };
`,
    );
    writeFileSync(
      join(program, "driver.js"),
      `const { LocalWorkspace } = require("@pulumi/pulumi/automation");
const path = require("path");
(async () => {
  const stack = await LocalWorkspace.createOrSelectStack(
    { projectName: "packaged", stackName: "dev", program: async () => require(path.join(__dirname, "index.js")) },
    { workDir: __dirname, envVars: process.env },
  );
  const up = await stack.up({});
  console.log(JSON.stringify({ name: up.outputs.name.value, url: up.outputs.url.value }));
})().catch((e) => { console.error(e.message); process.exit(1); });
`,
    );
    const key = await emulator.control.serviceAccount();
    writeFileSync(join(program, "key.json"), JSON.stringify(key), { mode: 0o600 });
    execFileSync("mkdir", ["-p", join(dir, "state")]);
    const output = execFileSync(process.execPath, ["driver.js"], {
      cwd: program,
      encoding: "utf8",
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        PULUMI_HOME: join(dir, "pulumi-home"),
        PULUMI_BACKEND_URL: `file://${join(dir, "state")}`,
        PULUMI_CONFIG_PASSPHRASE: "packaged",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        GOOGLE_APPLICATION_CREDENTIALS: join(program, "key.json"),
        GOOGLECHAT_IMPERSONATE_USER: "admin@example.com",
        GOOGLECHAT_API_ENDPOINT: emulator.url,
        GOOGLECHAT_TOKEN_ENDPOINT: emulator.tokenUrl,
      },
    });
    const { name, url } = JSON.parse(output.trim().split("\n").pop()!);
    assert.match(name, /^spaces\/AAAA/);
    assert.equal(url, `https://chat.google.com/room/${name.slice(7)}?cls=11`);
    assert.deepEqual(
      Object.values((await emulator.control.state()).spaces).map((s) => s.displayName),
      ["From the tarball"],
    );
  });
});
