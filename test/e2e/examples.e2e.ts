import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { apiCalls } from "../helpers/provider";
import { REPO, useEngineAndEmulator } from "./harness";
import { exampleFolder, readme, readmeRecipe } from "./workspace";

const EXAMPLES = ["basic", "app-auth", "import-mode"];

/** The README's `pulumi stack init` and `pulumi config set` lines; `pulumi up` is the Automation API's (workspace.ts). */
const stackLines = (options: { appAuth?: boolean } = {}) =>
  readmeRecipe().filter(
    (line) => (line.startsWith("pulumi stack init") || line.startsWith("pulumi config set")) && !(options.appAuth && line.includes("googlechat:impersonateUser")),
  );

describe("e2e: the examples, each from its own folder with the README's CLI recipe", () => {
  const t = useEngineAndEmulator();

  it("the recipe makes a stack and sets the endpoint, the token endpoint in plain text, the credentials as a secret and the user", () => {
    assert.deepEqual(stackLines(), [
      "pulumi stack init dev",
      "pulumi config set googlechat:apiEndpoint http://127.0.0.1:8085",
      "pulumi config set --plaintext googlechat:tokenEndpoint http://127.0.0.1:8085/token",
      'pulumi config set --secret googlechat:credentials "$(cat ../../.emulator/credentials/service-account.json)"',
      "pulumi config set googlechat:impersonateUser admin@example.com",
    ]);
  });

  it("basic: one space with user auth, its permission setting applied after the create", async () => {
    const folder = exampleFolder("basic", t.emulator, t.key);
    for (const line of stackLines()) folder.run(line);
    const { outputs } = await (await folder.stack("dev")).up({});
    assert.match(outputs.url.value, /^https:\/\/chat\.google\.com\/room\/AAAA/);
    assert.deepEqual(await apiCalls(t.emulator), ["POST /v1/spaces 200", `PATCH /v1/${outputs.name.value} permission_settings.manageApps 200`]);
    const config = JSON.parse(folder.run("pulumi config --json"));
    assert.deepEqual(
      Object.fromEntries(Object.entries(config).map(([key, entry]) => [key, (entry as { secret: boolean }).secret])),
      { "googlechat:apiEndpoint": false, "googlechat:credentials": true, "googlechat:impersonateUser": false, "googlechat:tokenEndpoint": false },
    );
  });

  it("app-auth: the app creates a collaboration space it may post in as a plain member, and keeps everything else for managers", async () => {
    const folder = exampleFolder("app-auth", t.emulator, t.key);
    for (const line of stackLines({ appAuth: true })) folder.run(line);
    const { outputs } = await (await folder.stack("dev")).up({});
    const state = await t.emulator.control.state();
    const [space] = Object.values(state.spaces);
    assert.equal(`spaces/${space.id}`, outputs.name.value);
    assert.equal(space.creator, `app:${t.key.client_email}`);
    assert.deepEqual(
      state.memberships[space.id].map((m) => [m.type, m.role]),
      [["BOT", "ROLE_MEMBER"]],
    );
    const managers = { managersAllowed: true, assistantManagersAllowed: false, membersAllowed: false };
    assert.deepEqual(space.permissionSettings, {
      manageMembersAndGroups: managers,
      modifySpaceDetails: managers,
      toggleHistory: managers,
      useAtMentionAll: managers,
      manageApps: managers,
      manageWebhooks: managers,
      replyMessages: { managersAllowed: true, assistantManagersAllowed: false, membersAllowed: true },
      postMessages: { managersAllowed: true, assistantManagersAllowed: false, membersAllowed: true },
    });
  });

  it("import-mode: created in import mode, then completed in place after `pulumi config set importDone true`", async () => {
    assert.ok(readme().includes("`pulumi config set importDone true`"), "the README tells how");
    const folder = exampleFolder("import-mode", t.emulator, t.key);
    for (const line of stackLines()) folder.run(line);
    const stack = await folder.stack("dev");
    const first = await stack.up({});
    assert.ok(first.outputs.importModeExpireTime.value);
    folder.run("pulumi config set importDone true");
    const done = await stack.up({});
    assert.deepEqual(done.summary.resourceChanges, { same: 1, update: 1 });
    const [space] = Object.values((await t.emulator.control.state()).spaces);
    assert.deepEqual([space.importMode, space.createTime], [false, "2019-05-01T10:00:00.000Z"]);
  });

  it("basic installs with npm from its folder (the package from the repository, TypeScript 6), and the examples' one tsconfig compiles them under TypeScript 6 and 5", function () {
    this.timeout(600_000);
    // The folder's copy, its dependency on the repository (file:../..) spelled from where the copy is.
    const dir = join(mkdtempSync(join(tmpdir(), "chatspace-install-")), "basic");
    cpSync(join(REPO, "examples/basic"), dir, { recursive: true, filter: (source) => !/\/(node_modules|package-lock\.json)$/.test(source) });
    assert.deepEqual(readdirSync(join(REPO, "examples")).sort(), [...EXAMPLES].sort(), "every example is run here");
    // The examples declare the same dependencies, so installing one shows that each installs.
    const declared = EXAMPLES.map((example) => {
      const { dependencies, devDependencies } = JSON.parse(readFileSync(join(REPO, "examples", example, "package.json"), "utf8"));
      return JSON.stringify({ dependencies, devDependencies });
    });
    assert.equal(new Set(declared).size, 1, "the examples declare the same dependencies");
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    assert.equal(resolve(REPO, "examples/basic", manifest.dependencies["pulumi-googlechat"].replace(/^file:/, "")), REPO);
    manifest.dependencies["pulumi-googlechat"] = `file:${REPO}`;
    writeFileSync(join(dir, "package.json"), JSON.stringify(manifest));
    // --ignore-scripts: the repository's `prepare` (a build) would rewrite dist/ under the other suites; `npm test` has built it.
    const install = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], { cwd: dir, encoding: "utf8" });
    assert.equal(install.status, 0, install.stderr);
    assert.equal(realpathSync(join(dir, "node_modules/pulumi-googlechat")), REPO, readlinkSync(join(dir, "node_modules/pulumi-googlechat")));
    assert.equal(require.resolve("pulumi-googlechat", { paths: [dir] }), join(REPO, "dist/sdk/index.js"));

    const typescript6 = join(dir, "node_modules/.bin/tsc");
    const typescript5 = join(REPO, "node_modules/.bin/tsc");
    assert.match(execFileSync(typescript6, ["--version"], { encoding: "utf8" }), /^Version 6\./);
    assert.match(execFileSync(typescript5, ["--version"], { encoding: "utf8" }), /^Version 5\./);
    // One tsconfig for every example, so one compile per TypeScript version covers them all: the
    // installed basic, and the other two as they stand in the repository.
    const tsconfigs = EXAMPLES.map((example) => readFileSync(join(REPO, "examples", example, "tsconfig.json"), "utf8"));
    assert.equal(new Set(tsconfigs).size, 1, "the examples share one tsconfig.json");
    const project = join(dir, "tsconfig.examples.json");
    const programs = [join(dir, "index.ts"), join(REPO, "examples/app-auth/index.ts"), join(REPO, "examples/import-mode/index.ts")];
    // rootDir "/": the programs lie in two trees (TypeScript 6 takes the tsconfig's folder as rootDir).
    writeFileSync(project, JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { rootDir: "/" }, files: programs }));
    // tsc prints its errors on stdout: none is nothing.
    for (const tsc of [typescript6, typescript5]) {
      assert.equal(spawnSync(tsc, ["--noEmit", "-p", project], { encoding: "utf8" }).stdout, "", tsc);
    }
  });
});
