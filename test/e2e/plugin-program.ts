/**
 * The program of examples/typescript-plugin and examples/go-plugin (the same stack in two
 * languages, on the plugin's generated SDKs) under the real engine against the emulator: the
 * stack made and configured with the CLI as the examples' READMEs say, then preview, up, a
 * preview with no change and destroy, with the exact API calls of each, the outputs, the
 * emulator's spaces and the state.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { apiCalls, logMark } from "../helpers/provider";
import { type E2EContext, filesUnder } from "./harness";

/** How a test runs the example's program in its folder. */
export interface ProgramRunner {
  /** A `pulumi` command that runs no program (stack, config), in the folder; `input` on its standard input; returns its standard output. */
  cli(args: string[], input?: string): string;
  /** A preview (with `--expect-no-changes` when `noChange`); returns its change summary. */
  preview(options?: { noChange?: boolean }): Promise<Record<string, number>>;
  /** `pulumi up` without its preview; returns what it printed. */
  up(): Promise<string>;
  /** `pulumi destroy` without its preview; returns what it printed. */
  destroy(): Promise<string>;
  /** What the program itself printed last. */
  programOutput(): string;
}

/**
 * Previews with only the lookup's read, creates a space and its roster through an explicit
 * provider, previews no change, and destroys the space alone; the looked-up space untouched; no
 * credential in the state or the output. `home` holds the folder's file:// backend.
 */
export async function runSpaceRosterAndLookup(t: E2EContext, home: string, runner: ProgramRunner): Promise<void> {
  const { cli } = runner;
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
  assert.deepEqual(await runner.preview(), { create: 4 }, "the stack, the explicit provider, the space and its roster");
  // getSpace runs at preview too (its argument is known): spaces.list, the caller's spaces.
  assert.deepEqual(await apiCalls(t.emulator, mark), ["GET /v1/spaces 200"]);

  mark = await logMark(t.emulator);
  outputs.push(await runner.up());
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
  assert.deepEqual(
    Object.values(spaces)
      .map((s) => s.displayName)
      .sort(),
    ["Announcements", "Engineering"],
  );

  // The state: the resources under the explicit provider, its credentials encrypted.
  const exported = cli(["stack", "export"]);
  const resources = JSON.parse(exported).deployment.resources as {
    type: string;
    urn: string;
    id?: string;
    provider?: string;
    deletedWith?: string;
    inputs: Record<string, unknown>;
  }[];
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
  assert.deepEqual(await runner.preview({ noChange: true }), { same: 4 });
  assert.deepEqual(await apiCalls(t.emulator, mark), ["GET /v1/spaces 200"], "the lookup's read, nothing else");

  mark = await logMark(t.emulator);
  outputs.push(await runner.destroy());
  assert.deepEqual(await apiCalls(t.emulator, mark), [`DELETE /v1/${space} 200`], "the roster is deleted with its space");
  assert.deepEqual(Object.keys((await t.emulator.control.state()).spaces), [announcements.slice(7)], "the looked-up space is not managed here");
  assert.deepEqual(JSON.parse(cli(["stack", "export"])).deployment.resources ?? [], []);

  for (const text of [exported, filesUnder(join(home, "state")), ...outputs, runner.programOutput()]) {
    assert.ok(!text.includes(t.key.private_key_id), "the key's id");
    assert.doesNotMatch(text, /PRIVATE KEY/);
  }
}
