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
import { apiCalls, logMark } from "../helpers/provider";
import { filesUnder, useEngineAndEmulator } from "./harness";
import { type LanguageHost, startLanguageHost } from "./language-host";
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
    assert.ok(existsSync(join(dir, "node_modules/pulumi-googlechat/bin/pulumi-resource-googlechat")), "npm install puts the plugin where Pulumi.yaml's packages entry says");
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

  it("previews with only the lookup's read, creates a space and its roster through an explicit provider, previews no change, and destroys the space alone; the looked-up space untouched; no credential in the state or the output", async () => {
    cli(["stack", "init", "dev"]);
    // Secrets on standard input, as a user pastes a key: never on a command line.
    cli(["config", "set", "--secret", "credentials"], JSON.stringify(t.key));
    cli(["config", "set", "impersonateUser", "admin@example.com"]);
    cli(["config", "set", "apiEndpoint", t.emulator.url]);
    cli(["config", "set", "--plaintext", "tokenEndpoint", t.emulator.tokenUrl]);
    cli(["config", "set", "existingSpace", "Announcements"]);
    const [announcements] = await t.emulator.control.seed([{ displayName: "Announcements" }]);
    const outputs: string[] = [];

    let mark = await logMark(t.emulator);
    const preview = JSON.parse((await run(["preview", "--json"])).stdout);
    assert.deepEqual(preview.changeSummary, { create: 4 }, "the stack, the explicit provider, the space and its roster");
    // getSpace runs at preview too (its argument is known): spaces.list, the caller's spaces.
    assert.deepEqual(await apiCalls(t.emulator, mark), ["GET /v1/spaces 200"]);

    mark = await logMark(t.emulator);
    outputs.push((await run(["up", "--yes", "--skip-preview"])).stdout);
    const calls = await apiCalls(t.emulator, mark);
    const stack = JSON.parse(cli(["stack", "output", "--json"]));
    const space = stack.engineeringSpace as string;
    assert.match(space, /^spaces\/AAAA/);
    // The lookup runs beside the creates, so only the roster's calls come in a fixed order after the space's create.
    assert.deepEqual(
      [...calls].sort(),
      [
        "GET /v1/spaces 200", // getSpace
        "POST /v1/spaces 200",
        `GET /v1/${space}/members 200`, // the roster reads the space's members
        `GET /v1/${space}/members/admin%40example.com 200`, // the caller's own membership (the creator's)
        `POST /v1/${space}/members 200`, // alice
        `PATCH /v1/${space}/members/110000000000000000002 role 200`, // alice made ROLE_MANAGER: a membership is created as ROLE_MEMBER
        `POST /v1/${space}/members 200`, // bob
      ].sort(),
    );
    assert.ok(calls.indexOf("POST /v1/spaces 200") < calls.findIndex((c) => c.includes("/members")), calls.join("\n"));
    assert.equal(stack.engineeringUrl, `https://chat.google.com/room/${space.slice(7)}?cls=11`);
    assert.equal(stack.existingSpaceUrl, `https://chat.google.com/room/${announcements.slice(7)}?cls=11`);
    // The roster as listed, by users/{id} (emulator/model.ts): the creator (admin@example.com) and the two declared.
    assert.deepEqual(
      (stack.members as { member: string; role: string }[]).map((m) => [m.member, m.role]),
      [
        ["users/110000000000000000001", "ROLE_MANAGER"],
        ["users/110000000000000000002", "ROLE_MANAGER"],
        ["users/110000000000000000003", "ROLE_MEMBER"],
      ],
    );
    const spaces = (await t.emulator.control.state()).spaces as Record<string, { displayName: string }>;
    assert.deepEqual(Object.values(spaces).map((s) => s.displayName).sort(), ["Announcements", "Engineering"]);

    // The state: the resources under the explicit provider, its credentials encrypted.
    const exported = cli(["stack", "export"]);
    const resources = JSON.parse(exported).deployment.resources as { type: string; urn: string; id?: string; provider?: string; deletedWith?: string; inputs: Record<string, unknown> }[];
    assert.deepEqual(
      resources.map((r) => r.type),
      ["pulumi:pulumi:Stack", "pulumi:providers:googlechat", "googlechat:index:Space", "googlechat:index:SpaceMembers"],
    );
    const [, provider, spaceResource, roster] = resources;
    for (const resource of [spaceResource, roster]) assert.equal(resource.provider, `${provider.urn}::${provider.id}`);
    assert.equal(spaceResource.id, space);
    assert.equal(roster.deletedWith, spaceResource.urn);
    assert.deepEqual(
      { ...provider.inputs, credentials: Object.keys(provider.inputs.credentials as object) },
      {
        __internal: {},
        apiEndpoint: t.emulator.url,
        tokenEndpoint: t.emulator.tokenUrl,
        impersonateUser: "admin@example.com",
        credentials: ["4dabf18193072939515e22adb298388d", "ciphertext"],
        version: "0.1.0",
      },
    );

    mark = await logMark(t.emulator);
    const same = JSON.parse((await run(["preview", "--json", "--expect-no-changes"])).stdout);
    assert.deepEqual(same.changeSummary, { same: 4 });
    assert.deepEqual(await apiCalls(t.emulator, mark), ["GET /v1/spaces 200"], "the lookup's read, nothing else");

    mark = await logMark(t.emulator);
    outputs.push((await run(["destroy", "--yes", "--skip-preview"])).stdout);
    assert.deepEqual(await apiCalls(t.emulator, mark), [`DELETE /v1/${space} 200`], "the roster is deleted with its space");
    assert.deepEqual(Object.keys((await t.emulator.control.state()).spaces), [announcements.slice(7)], "the looked-up space is not managed here");
    assert.deepEqual(JSON.parse(cli(["stack", "export"])).deployment.resources ?? [], []);

    for (const text of [exported, filesUnder(join(home, "state")), ...outputs, host.output()]) {
      assert.ok(!text.includes(t.key.private_key_id), "the key's id");
      assert.doesNotMatch(text, /PRIVATE KEY/);
    }
  });
});
