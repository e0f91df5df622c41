/**
 * docs/migrating-to-plugin.md under the real engine: a stack made by a TypeScript program of
 * ChatSpace, ChatMembership and ChatSpaceMembers (the dynamic provider) moves to the provider
 * plugin's types, run by a Pulumi YAML program of the same project on the same stack:
 * `pulumi-googlechat import --from-stack`, `pulumi import --file`, `pulumi-googlechat
 * forget-migrated`. Chat sees no call from the first step to the last, no old resource's Delete
 * runs, the stack then holds plugin resources only, and the YAML program's preview is a no-op
 * (a read, ChatSpace.get in TypeScript, is a `get` resource in YAML: its one GET per run).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChatMembership, ChatSpace, ChatSpaceMembers } from "../../sdk";
import { runCli } from "../helpers/cli";
import { apiCalls, logMark } from "../helpers/provider";
import { inlineStack, useEngineAndEmulator } from "./harness";
import { pluginFolder } from "./plugin-folder";

/** The YAML program that declares what the TypeScript program below declares, with the plugin's types; `existing` the space it reads. */
const yamlProgram = (existing: string) => `resources:
  engineering:
    type: googlechat:Space
    properties:
      displayName: Engineering
      spaceDetails:
        description: The platform team
  ops:
    type: googlechat:Space
    properties:
      displayName: Ops
      spaceHistoryState: HISTORY_OFF
  alice:
    type: googlechat:Membership
    properties:
      space: \${engineering.name}
      user: alice@example.com
      role: ROLE_MANAGER
  devs:
    type: googlechat:Membership
    properties:
      space: \${engineering.name}
      group: groups/devs
  ops-members:
    type: googlechat:SpaceMembers
    properties:
      space: \${ops.name}
      members:
        - user: bob@example.com
          role: ROLE_MANAGER
        - user: alice@example.com
  existing:
    type: googlechat:Space
    get:
      id: ${existing}
outputs:
  engineering: \${engineering.name}
  ops: \${ops.name}
`;

interface Resource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

describe("e2e: a stack of the TypeScript classes moved to the provider plugin", function () {
  this.timeout(900_000);
  const t = useEngineAndEmulator();

  it("imports each resource's state into the plugin's types and forgets the dynamic entries, with no call to Chat and no Delete; the YAML program then previews no change (its one call the read it declares), and updates in place", async () => {
    const home = mkdtempSync(join(tmpdir(), "chatspace-migrate-"));
    // The TypeScript program, deployed as the dynamic provider serves it.
    const [existing] = await t.emulator.control.seed([{ displayName: "Made in Chat" }]);
    const stack = await inlineStack(
      "chat",
      "dev",
      async () => {
        const eng = new ChatSpace("engineering", { displayName: "Engineering", spaceDetails: { description: "The platform team" } });
        const ops = new ChatSpace("ops", { displayName: "Ops", spaceHistoryState: "HISTORY_OFF" });
        new ChatMembership("alice", { space: eng, user: "alice@example.com", role: "ROLE_MANAGER" });
        new ChatMembership("devs", { space: eng, group: "groups/devs" });
        new ChatSpaceMembers("ops-members", { space: ops, members: [{ user: "bob@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] });
        // A space read, not managed: it has nothing to import.
        ChatSpace.get("existing", existing);
        return { engineering: eng.name, ops: ops.name };
      },
      { emulator: t.emulator, key: t.key, impersonateUser: "admin@example.com", home },
    );
    const up = await stack.up();
    assert.deepEqual(up.summary.resourceChanges, { create: 6 });
    const made = { engineering: up.outputs.engineering.value as string, ops: up.outputs.ops.value as string };
    const before = (await stack.exportStack()).deployment.resources as Resource[];
    assert.deepEqual(before.map((r) => r.type).sort(), [
      "pulumi-nodejs:dynamic/googlechat:ChatMembership",
      "pulumi-nodejs:dynamic/googlechat:ChatMembership",
      "pulumi-nodejs:dynamic/googlechat:ChatSpace",
      "pulumi-nodejs:dynamic/googlechat:ChatSpace",
      "pulumi-nodejs:dynamic/googlechat:ChatSpace",
      "pulumi-nodejs:dynamic/googlechat:ChatSpaceMembers",
      "pulumi:providers:pulumi-nodejs",
      "pulumi:pulumi:Stack",
    ]);

    // The program's folder turned into the YAML program's: the same project, the stack's config file
    // as it is, and node_modules, where the engine still starts the dynamic provider (pulumi import
    // configures the providers of the resources already in the stack) and finds the plugin.
    const yaml = pluginFolder(home, "work", "chat");
    yaml.writeProgram(yamlProgram(existing));
    await yaml.pulumi("stack", "select", "dev");
    const chatBefore = await t.emulator.control.state();
    const mark = await logMark(t.emulator);

    // 1. The import file, from the state.
    const file = join(yaml.dir, "migrate.json");
    const written = await runCli(["import", "--from-stack", "--cwd", yaml.dir, "--out", file], yaml.env);
    assert.equal(written.code, 0, written.err);
    const { resources } = JSON.parse(readFileSync(file, "utf8")) as {
      resources: { type: string; name: string; id: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }[];
    };
    const old = (name: string) => before.find((r) => r.urn.endsWith(`::${name}`) && r.type.startsWith("pulumi-nodejs:dynamic/"))!;
    // In the state's order, which puts each space before what refers to it.
    assert.deepEqual(
      resources.map((r) => [r.type, r.name, r.id]).sort((a, b) => (a[1] < b[1] ? -1 : 1)),
      [
        ["googlechat:index:Membership", "alice", old("alice").id],
        ["googlechat:index:Membership", "devs", old("devs").id],
        ["googlechat:index:Space", "engineering", made.engineering],
        ["googlechat:index:Space", "ops", made.ops],
        ["googlechat:index:SpaceMembers", "ops-members", made.ops],
      ],
    );
    assert.deepEqual(
      resources.map((r) => r.name),
      before.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/") && !r.urn.endsWith("::existing")).map((r) => r.urn.split("::").pop()),
    );
    // The declarations as the program made them, without the dynamic provider's bookkeeping; the outputs as recorded.
    const alice = resources.find((r) => r.name === "alice")!;
    assert.deepEqual(alice.inputs, { space: made.engineering, user: "alice@example.com", role: "ROLE_MANAGER" });
    const { __provider: _provider, ...aliceOutputs } = old("alice").outputs!;
    assert.deepEqual(alice.outputs, aliceOutputs);
    assert.match(
      written.err,
      /^5 resources to move \(2 googlechat:index:Space, 2 googlechat:index:Membership, 1 googlechat:index:SpaceMembers\) in .*migrate\.json\.\nRead only \(ChatSpace\.get\), not imported: existing: /,
    );

    // Before the import, forgetting removes nothing: no dynamic entry has its plugin resource yet.
    const early = await runCli(["forget-migrated", "--cwd", yaml.dir], yaml.env);
    assert.equal(early.code, 1);
    assert.match(early.err, /^Removed 1 entries from the state:\n {2}urn:pulumi:dev::chat::pulumi-nodejs:dynamic\/googlechat:ChatSpace::existing\nKept:\n/);
    assert.equal(early.err.match(/has no googlechat:index:\w+ in the stack yet: import it first/g)?.length, 5);

    // 2. pulumi import: each resource from the file's state, no Read.
    const imported = await yaml.pulumi("import", "--file", file, "--yes", "--generate-code=false");
    assert.match(imported, /= 5 imported/);

    // 3. The dynamic entries out of the state.
    const forgot = await runCli(["forget-migrated", "--cwd", yaml.dir], yaml.env);
    assert.equal(forgot.code, 0, forgot.err);
    assert.match(forgot.err, /^Removed 6 entries from the state:\n/);
    assert.match(forgot.err, /pulumi:providers:pulumi-nodejs::default/);

    // No call to Chat from the first step to the last: no read, no write, no Delete.
    assert.deepEqual(await apiCalls(t.emulator, mark), []);
    const chatAfter = await t.emulator.control.state();
    assert.deepEqual([chatAfter.spaces, chatAfter.memberships], [chatBefore.spaces, chatBefore.memberships]);

    // Plugin resources only; each one the state the dynamic one had.
    const after = (await yaml.json("stack", "export")).deployment.resources as Resource[];
    assert.deepEqual(after.map((r) => r.type).sort(), [
      "googlechat:index:Membership",
      "googlechat:index:Membership",
      "googlechat:index:Space",
      "googlechat:index:Space",
      "googlechat:index:SpaceMembers",
      "pulumi:providers:googlechat",
      "pulumi:pulumi:Stack",
    ]);
    for (const name of ["engineering", "ops", "alice", "devs", "ops-members"]) {
      const moved = after.find((r) => r.urn.endsWith(`::${name}`))!;
      const { __provider: _, ...outputs } = old(name).outputs!;
      assert.deepEqual([moved.id, moved.outputs], [old(name).id, outputs], name);
    }

    // The YAML program: nothing to do; the one call is the read of the space it reads.
    let next = await logMark(t.emulator);
    const preview = await yaml.json("preview", "--json", "--expect-no-changes");
    assert.deepEqual(preview.changeSummary, { same: 6 });
    assert.deepEqual(await apiCalls(t.emulator, next), [`GET /v1/${existing} 200`]);

    // And it manages them: a new display name is one PATCH of that space, in place (beside the read).
    yaml.writeProgram(yamlProgram(existing).replace("displayName: Ops\n", "displayName: Operations\n"));
    next = await logMark(t.emulator);
    await yaml.pulumi("up", "--yes", "--skip-preview");
    assert.deepEqual((await apiCalls(t.emulator, next)).sort(), [`GET /v1/${existing} 200`, `PATCH /v1/${made.ops} display_name 200`]);
    assert.equal((await yaml.json("stack", "output", "--json")).ops, made.ops);
  });
});
