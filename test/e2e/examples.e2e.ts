import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { escapeMarkdown } from "../../commands/plan/markdown";
import { apiCalls, logMark } from "../helpers/provider";
import { REPO, useEngineAndEmulator } from "./harness";
import { type LanguageHost, startLanguageHost } from "./language-host";
import { docPage, docProgram, docRecipe, type ExampleFolder, exampleFolder, installedExample } from "./workspace";

const EXAMPLES = ["basic", "app-auth", "import-mode", "team-space", "gitops"];

/** The `pulumi stack init` and `pulumi config set` lines of docs/getting-started.md; app auth leaves out the user. */
const stackLines = (options: { appAuth?: boolean } = {}) =>
  docRecipe().filter(
    (line) =>
      (line.startsWith("pulumi stack init") || line.startsWith("pulumi config set")) && !(options.appAuth && line.includes("googlechat:impersonateUser")),
  );

describe("e2e: the examples, each from its own folder with the CLI recipe of docs/getting-started.md", () => {
  // Each example's destroy test runs on what the test before it deployed: the emulator is reset
  // by each test that deploys, not before every test.
  const t = useEngineAndEmulator({ resetEachTest: false });
  let installed: { dir: string; npmOutput: string };
  let host: LanguageHost;
  before(async function () {
    this.timeout(600_000);
    // The examples declare the same dependencies, so one installation serves each of them.
    installed = installedExample("basic");
    host = await startLanguageHost();
  });
  after(() => host?.stop());
  /** The examples deployed so far, by name. */
  const deployed = new Map<string, ExampleFolder>();
  /** A fresh copy of an example against a reset emulator. */
  const folder = async (name: string): Promise<ExampleFolder> => {
    await t.emulator.control.reset();
    const example = exampleFolder(name, { emulator: t.emulator, key: t.key, nodeModules: join(installed.dir, "node_modules"), host });
    deployed.set(name, example);
    return example;
  };

  /**
   * `pulumi destroy` of the example the test before deployed, from its folder: one DELETE per
   * space and no other call (Google deletes a space's memberships with it, and each membership or
   * roster is deletedWith its space), nothing left in Chat or in the stack.
   */
  async function destroysEachSpaceOnly(name: string) {
    const example = deployed.get(name);
    assert.ok(example, `the test before deployed ${name}`);
    const spaces = Object.keys((await t.emulator.control.state()).spaces);
    assert.ok(spaces.length > 0, "a space to destroy");
    const mark = await logMark(t.emulator);
    await example.pulumi(["destroy", "--yes", "--skip-preview"]);
    assert.deepEqual((await apiCalls(t.emulator, mark)).sort(), spaces.map((id) => `DELETE /v1/spaces/${id} 200`).sort());
    assert.deepEqual((await t.emulator.control.state()).spaces, {});
    assert.deepEqual(JSON.parse(example.run("pulumi stack export")).deployment.resources ?? [], []);
  }

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
    const basic = await folder("basic");
    for (const line of stackLines()) basic.run(line);
    const outputs = await basic.up();
    assert.match(String(outputs.url), /^https:\/\/chat\.google\.com\/room\/AAAA/);
    assert.deepEqual(await apiCalls(t.emulator), ["POST /v1/spaces 200", `PATCH /v1/${outputs.name} permission_settings.manageApps 200`]);
    const config = JSON.parse(basic.run("pulumi config --json"));
    assert.deepEqual(Object.fromEntries(Object.entries(config).map(([key, entry]) => [key, (entry as { secret: boolean }).secret])), {
      "googlechat:apiEndpoint": false,
      "googlechat:credentials": true,
      "googlechat:impersonateUser": false,
      "googlechat:tokenEndpoint": false,
    });
  });

  it("basic: `pulumi destroy` deletes the space with one DELETE", () => destroysEachSpaceOnly("basic"));

  it("app-auth: the app creates a collaboration space it may post in as a plain member, and keeps everything else for managers", async () => {
    const appAuth = await folder("app-auth");
    for (const line of stackLines({ appAuth: true })) appAuth.run(line);
    const outputs = await appAuth.up();
    const state = await t.emulator.control.state();
    const [space] = Object.values(state.spaces);
    assert.equal(`spaces/${space.id}`, outputs.name);
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

  it("app-auth: `pulumi destroy` deletes the space with one DELETE", () => destroysEachSpaceOnly("app-auth"));

  it("import-mode: created in import mode with its historical members, then completed in place after `pulumi config set importDone true`, an owner kept", async () => {
    assert.ok(docPage().includes("`pulumi config set importDone true`"), "docs/getting-started.md tells how");
    const importMode = await folder("import-mode");
    for (const line of stackLines()) importMode.run(line);
    const first = await importMode.up();
    assert.ok(first.importModeExpireTime);
    const space = first.name as string;
    const alice = `${space}/members/110000000000000000002`;
    const bob = `${space}/members/110000000000000000003`;
    assert.deepEqual([first.owner, first.formerMember], [alice, `${bob} (NOT_A_MEMBER)`]);
    // ChatSpace reads an import-mode space again after its create (its createTime is historical,
    // so the answer can't tell a replay from a new space). Then two members.create (the times in
    // the body) and alice's role, which Google takes only on update.
    const [create, read, ...memberCalls] = await apiCalls(t.emulator);
    assert.deepEqual([create, read], ["POST /v1/spaces 200", `GET /v1/${space} 200`]);
    assert.deepEqual(memberCalls.sort(), [`PATCH /v1/${alice} role 200`, `POST /v1/${space}/members 200`, `POST /v1/${space}/members 200`]);
    const members = async () =>
      (await t.emulator.control.state()).memberships[space.slice("spaces/".length)]
        .map((m) => [m.memberName, m.type, m.role, m.state, m.createTime, m.deleteTime].join(" ").trim())
        .sort();
    assert.deepEqual(await members(), [
      "users/110000000000000000002 HUMAN ROLE_MANAGER JOINED 2019-05-01T10:05:00.000Z",
      "users/110000000000000000003 HUMAN ROLE_MEMBER NOT_A_MEMBER 2019-05-02T09:00:00.000Z 2020-05-01T17:00:00.000Z",
    ]);

    importMode.run("pulumi config set importDone true");
    const done = await importMode.up();
    assert.equal(done.importModeExpireTime, "none: the import is complete");
    const [latest] = JSON.parse(importMode.run("pulumi stack history --json"));
    assert.deepEqual(latest.resourceChanges, { same: 3, update: 1 });
    const [stored] = Object.values((await t.emulator.control.state()).spaces);
    assert.deepEqual([stored.importMode, stored.createTime], [false, "2019-05-01T10:00:00.000Z"]);
    // Visible after completion: alice is an owner, the importer joined as the emulator's setting
    // importCreatorJoinsOnComplete has it, bob is still a former member.
    const [, importerJoined] = (await members()).filter((m) => m.startsWith("users/110000000000000000001 "))[0].split(" JOINED ");
    assert.deepEqual(await members(), [
      `users/110000000000000000001 HUMAN ROLE_MANAGER JOINED ${importerJoined}`,
      "users/110000000000000000002 HUMAN ROLE_MANAGER JOINED 2019-05-01T10:05:00.000Z",
      "users/110000000000000000003 HUMAN ROLE_MEMBER NOT_A_MEMBER 2019-05-02T09:00:00.000Z 2020-05-01T17:00:00.000Z",
    ]);
  });

  it("import-mode, its import complete: `pulumi destroy` deletes the space with one DELETE, and with it the memberships: none is removed first (each removal was refused, asking for the chat.import scope a historical membership is written with, and the space was left behind)", () =>
    destroysEachSpaceOnly("import-mode"));

  it("import-mode, still in import mode: `pulumi destroy` deletes the space with one DELETE, and with it the memberships: none is removed first (alice, its only owner, was refused as the last owner, and the space was left behind)", async () => {
    const importMode = await folder("import-mode");
    for (const line of stackLines()) importMode.run(line);
    assert.ok((await importMode.up()).importModeExpireTime);
    await destroysEachSpaceOnly("import-mode");
  });

  it("team-space: a space and its roster (an owner, a manager, a guest, a group, the team's Chat app) in one up; a second preview changes nothing and calls nothing", async () => {
    const teamSpace = await folder("team-space");
    for (const line of stackLines()) teamSpace.run(line);
    const outputs = await teamSpace.up();
    const space = outputs.name as string;
    const app = `users/${t.key.client_id}`;
    const expected = [
      // The caller (googlechat:impersonateUser) created the space: an owner the roster keeps.
      "users/110000000000000000001 HUMAN ROLE_MANAGER JOINED",
      "users/110000000000000000002 HUMAN ROLE_MANAGER JOINED",
      "users/110000000000000000003 HUMAN ROLE_ASSISTANT_MANAGER JOINED",
      "users/110000000000000000009 HUMAN ROLE_MEMBER JOINED",
      "groups/platform-team GROUP MEMBERSHIP_ROLE_UNSPECIFIED JOINED",
      `${app} BOT ROLE_MEMBER JOINED`,
    ].sort();
    const state = await t.emulator.control.state();
    assert.deepEqual(state.memberships[space.slice("spaces/".length)].map((m) => `${m.memberName} ${m.type} ${m.role} ${m.state}`).sort(), expected);
    // Five adds, and the two roles Google takes only on update.
    const writes = (await apiCalls(t.emulator)).filter((call) => !call.startsWith("GET "));
    assert.deepEqual(writes.slice(0, 1), ["POST /v1/spaces 200"]);
    assert.deepEqual(
      writes.slice(1).sort(),
      [
        ...Array(5).fill(`POST /v1/${space}/members 200`),
        `PATCH /v1/${space}/members/110000000000000000002 role 200`,
        `PATCH /v1/${space}/members/110000000000000000003 role 200`,
      ].sort(),
    );
    assert.deepEqual(
      (outputs.members as string[]).sort(),
      // The whole roster, the caller included; a group has no role.
      expected.map((m) => m.replace(" MEMBERSHIP_ROLE_UNSPECIFIED ", "  ")),
    );

    const mark = await logMark(t.emulator);
    const preview = await teamSpace.preview();
    assert.deepEqual(preview.changeSummary, { same: 3 });
    assert.deepEqual(await t.emulator.control.requests(mark), [], "no call, not even a token request");
  });

  it("team-space: `pulumi destroy` deletes the space with one DELETE, and with it the roster's members: none is removed first", () =>
    destroysEachSpaceOnly("team-space"));

  it("gitops: the team's two spaces and its people in each, deployed with the CLI recipe (gitops.e2e.ts runs its workflow's own steps)", async () => {
    const gitops = await folder("gitops");
    for (const line of stackLines()) gitops.run(line);
    const outputs = await gitops.up();
    assert.deepEqual(Object.keys(outputs.spaceNames as object).sort(), ["incidents", "platform"]);
    const state = await t.emulator.control.state();
    assert.deepEqual(
      Object.values(state.spaces)
        .flatMap((space) => state.memberships[space.id].map((m) => `${space.displayName}: ${m.memberName} ${m.role}`))
        .sort(),
      ["Platform incidents", "Platform team"].flatMap((space) => [
        // The caller (googlechat:impersonateUser) created each space; alice is an owner, bob a member.
        `${space}: users/110000000000000000001 ROLE_MANAGER`,
        `${space}: users/110000000000000000002 ROLE_MANAGER`,
        `${space}: users/110000000000000000003 ROLE_MEMBER`,
      ]),
    );
  });

  it("gitops: `pulumi destroy` deletes each space with one DELETE, and with it its memberships: none is removed first", () => destroysEachSpaceOnly("gitops"));

  it("the roster reference's example: an in-place change of its space plans no roster replacement, the plan summary is that one update, and `pulumi up --plan` runs the saved plan", async () => {
    // The roster gives `space` the ChatSpace itself, whose id a preview knows while the space is
    // kept; `eng.name` is unknown in the preview of any change to the space.
    const roster = await folder("team-space");
    const program = join(roster.dir, "index.ts");
    writeFileSync(program, docProgram("docs/reference/space-members.md", "## Example"));
    for (const line of stackLines()) roster.run(line);
    await roster.up();
    const [created] = Object.values((await t.emulator.control.state()).spaces);
    const space = `spaces/${created.id}`;

    const declared = readFileSync(program, "utf8");
    assert.ok(declared.includes('displayName: "Engineering"'), declared);
    writeFileSync(program, declared.replace('displayName: "Engineering"', 'displayName: "Engineering and platform"'));
    const mark = await logMark(t.emulator);
    const preview = await roster.pulumi(["preview", "--json", "--show-sames"]);
    const steps = (JSON.parse(preview).steps as { op: string; urn: string }[]).map((step) => `${step.op} ${step.urn.split("::").slice(-2).join(" ")}`);
    assert.deepEqual(
      steps.filter((step) => !step.startsWith("same ")),
      ["update pulumi-nodejs:dynamic/googlechat:ChatSpace engineering"],
      preview,
    );
    assert.ok(steps.includes("same pulumi-nodejs:dynamic/googlechat:ChatSpaceMembers engineering-members"), preview);

    writeFileSync(join(roster.dir, "preview.json"), preview);
    const summary = roster.run("npx pulumi-googlechat plan preview.json");
    assert.equal(summary.split("\n")[2], "1 to change", summary);
    assert.deepEqual(
      summary.split("\n").filter((line) => /^\| [A-Z]/.test(line) || line.startsWith("- **")),
      // A space id may hold a `_`, which the summary escapes as Markdown punctuation.
      [`| Change | \`engineering\` | ${escapeMarkdown(`"Engineering" (${space})`)} | displayName: "Engineering" → "Engineering and platform" |`],
      summary,
    );

    const experimental = { PULUMI_EXPERIMENTAL: "true" };
    await roster.pulumi(["preview", "--save-plan", "plan.json"], experimental);
    await roster.pulumi(["up", "--yes", "--skip-preview", "--plan", "plan.json"], experimental);
    assert.deepEqual(await apiCalls(t.emulator, mark), [`PATCH /v1/${space} display_name 200`], "the space's PATCH alone: the roster is unchanged");
    assert.equal((await t.emulator.control.state()).spaces[created.id].displayName, "Engineering and platform");
  });

  it("an example installs with npm from its folder: the package from the repository, TypeScript 6; the examples' one tsconfig compiles them under TypeScript 6 and 5", () => {
    // The examples on the provider plugin run in suites of their own.
    const onThePlugin: Record<string, string> = {
      yaml: "yaml-plugin.e2e.ts",
      "typescript-plugin": "typescript-plugin.e2e.ts",
      "go-plugin": "go-plugin.e2e.ts",
    };
    for (const suite of Object.values(onThePlugin)) assert.ok(existsSync(join(__dirname, suite)), suite);
    assert.deepEqual(
      readdirSync(join(REPO, "examples"))
        .filter((example) => !(example in onThePlugin))
        .sort(),
      [...EXAMPLES].sort(),
      "every example is run here",
    );
    const declared = EXAMPLES.map((example) => {
      const { dependencies, devDependencies } = JSON.parse(readFileSync(join(REPO, "examples", example, "package.json"), "utf8"));
      return JSON.stringify({ dependencies, devDependencies });
    });
    assert.equal(new Set(declared).size, 1, "the examples declare the same dependencies");
    const manifest = JSON.parse(readFileSync(join(REPO, "examples/basic/package.json"), "utf8"));
    assert.equal(resolve(REPO, "examples/basic", manifest.dependencies["pulumi-googlechat"].replace(/^file:/, "")), REPO);
    const { dir } = installed;
    assert.equal(realpathSync(join(dir, "node_modules/pulumi-googlechat")), REPO);
    assert.equal(require.resolve("pulumi-googlechat", { paths: [dir] }), join(REPO, "dist/sdk/index.js"));

    const typescript6 = join(dir, "node_modules/.bin/tsc");
    const typescript5 = join(REPO, "node_modules/.bin/tsc");
    assert.match(execFileSync(typescript6, ["--version"], { encoding: "utf8" }), /^Version 6\./);
    assert.match(execFileSync(typescript5, ["--version"], { encoding: "utf8" }), /^Version 5\./);
    // One tsconfig for every example, so one compile per TypeScript version covers them all: the
    // installed basic, and the others as they stand in the repository.
    const tsconfigs = EXAMPLES.map((example) => readFileSync(join(REPO, "examples", example, "tsconfig.json"), "utf8"));
    assert.equal(new Set(tsconfigs).size, 1, "the examples share one tsconfig.json");
    const project = join(dir, "tsconfig.examples.json");
    const programs = EXAMPLES.map((example) => (example === "basic" ? join(dir, "index.ts") : join(REPO, "examples", example, "index.ts")));
    // rootDir "/": the programs lie in two trees (TypeScript 6 takes the tsconfig's folder as rootDir).
    writeFileSync(project, JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { rootDir: "/" }, files: programs }));
    // tsc prints its errors on stdout: none is nothing.
    for (const tsc of [typescript6, typescript5]) {
      assert.equal(spawnSync(tsc, ["--noEmit", "-p", project], { encoding: "utf8" }).stdout, "", tsc);
    }
  });
});
