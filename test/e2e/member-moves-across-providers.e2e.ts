/**
 * Members moved between resources served by different provider processes of one deployment,
 * under the real Pulumi engine: it starts one plugin process per provider instance (the default
 * provider and each explicit one), and the dynamic-provider host for the TypeScript classes (a
 * stack moving to the plugin has both). Their claims are shared (provider/core/deployment-share.ts):
 * a member moved from a resource of one process to one of another stays, the plan summary that
 * says so is right, and one member declared under two provider instances fails the preview.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { RESOURCES } from "../../provider/tokens";
import { ChatMembership, ChatSpace } from "../../sdk";
import { runCli } from "../helpers/cli";
import { apiCalls, logMark } from "../helpers/provider";
import { inlineStack, useEngineAndEmulator } from "./harness";
import { pluginFolder } from "./plugin-folder";
import { PLUGIN, pluginResource } from "./servings";

const ADMIN = "users/110000000000000000001";
const ALICE = "users/110000000000000000002";

describe("e2e: members moved between resources of two provider processes, under the real Pulumi engine", function () {
  this.timeout(600_000);
  const t = useEngineAndEmulator();
  const members = async (space: string) =>
    (await t.emulator.control.state()).memberships[space.slice("spaces/".length)].map((m) => `${m.memberName} ${m.role}`).sort();
  const deletes = async (mark: number) => (await apiCalls(t.emulator, mark)).filter((c) => c.startsWith("DELETE "));

  describe("a YAML program of the plugin, with an explicit provider beside the default one", () => {
    /** The explicit provider `team` acts as the same user as the default one: only the process differs. */
    const head = () => `
config:
  teamCredentials:
    type: string
    secret: true
resources:
  team:
    type: pulumi:providers:googlechat
    properties:
      credentials: \${teamCredentials}
      impersonateUser: admin@example.com
      apiEndpoint: ${t.emulator.url}
      tokenEndpoint: ${t.emulator.tokenUrl}
  eng:
    type: googlechat:Space
    properties:
      displayName: Engineering`;
    const tail = `
outputs:
  space: \${eng.name}
`;
    const aliceMembership = (name: string, options = "") => `
  ${name}:
    type: googlechat:Membership
    properties:
      space: \${eng.name}
      user: alice@example.com${options}`;
    const underTeam = `
    options:
      provider: \${team}`;

    /** A stack of the folder's program whose first up declares `first` after the head. */
    const stackWith = async (first: string) => {
      const home = mkdtempSync(join(tmpdir(), "member-moves-providers-"));
      const folder = pluginFolder(home, "yaml", "member-moves");
      folder.writeProgram(`${head()}${first}${tail}`);
      await folder.pulumi("stack", "init", "dev");
      await folder.setConfig("googlechat:credentials", JSON.stringify(t.key), true);
      await folder.setConfig("teamCredentials", JSON.stringify(t.key), true);
      await folder.setConfig("googlechat:apiEndpoint", t.emulator.url);
      await folder.setConfig("googlechat:tokenEndpoint", t.emulator.tokenUrl);
      await folder.setConfig("googlechat:impersonateUser", "admin@example.com");
      await folder.pulumi("up", "--yes", "--skip-preview");
      const { space } = await folder.json("stack", "output", "--json");
      return { home, folder, space: space as string };
    };

    it("alice moved from a Membership of the explicit provider to a SpaceMembers of the default provider, in one up: she stays, as the plan summary said", async () => {
      const { home, folder, space } = await stackWith(aliceMembership("alice", underTeam));
      assert.deepEqual(await members(space), [`${ADMIN} ROLE_MANAGER`, `${ALICE} ROLE_MEMBER`]);
      folder.writeProgram(`${head()}
  eng-members:
    type: googlechat:SpaceMembers
    properties:
      space: \${eng.name}
      mode: addOnly
      members:
        - user: alice@example.com${tail}`);
      // The pull request's gate: the plan summary of the preview, without --allow-destroy.
      const preview = await folder.attempt(["preview", "--json", "--show-sames"]);
      const previewFile = join(home, "preview.json");
      writeFileSync(previewFile, preview.stdout);
      const plan = await runCli(["plan", previewFile]);
      assert.equal(plan.code, 0, plan.out + plan.err);
      assert.ok(plan.out.includes(`alice@example.com stays in "Engineering" (${space}): ChatSpaceMembers eng-members declares it`), plan.out);
      const mark = await logMark(t.emulator);
      const up = await folder.pulumi("up", "--yes", "--skip-preview");
      assert.deepEqual(await deletes(mark), [], up);
      assert.ok(up.includes(`ChatMembership ${ALICE} in ${space}: ${ALICE} stays in ${space}: the program declares it in ChatSpaceMembers eng-members.`), up);
      assert.deepEqual(await members(space), [`${ADMIN} ROLE_MANAGER`, `${ALICE} ROLE_MEMBER`]);
    });

    it("alice declared by a Membership of each provider fails the preview, naming both resources, and the up changes nothing", async () => {
      const { folder, space } = await stackWith(aliceMembership("alice"));
      folder.writeProgram(`${head()}${aliceMembership("alice")}${aliceMembership("alice-again", underTeam)}${tail}`);
      const mark = await logMark(t.emulator);
      for (const command of [["preview"], ["up", "--yes", "--skip-preview"]]) {
        const run = await folder.attempt(command);
        const output = run.stdout + run.stderr;
        assert.notEqual(run.code, 0, output);
        // The engine registers the two in either order: the one checked second fails, naming the first.
        const failure =
          /googlechat:index:Membership \((alice(?:-again)?)\):\s+error:[^\n]*users\/alice@example\.com is also declared by ChatMembership (alice(?:-again)?) in (spaces\/[\w-]+)/.exec(
            output,
          );
        assert.ok(failure, output);
        assert.deepEqual([failure[1], failure[2]].sort(), ["alice", "alice-again"]);
        assert.equal(failure[3], space);
      }
      // Under --skip-preview the new one, if the engine registers it first, is created before the
      // other is checked in this deployment: its add meets alice already a member (409) and takes
      // her over. Nothing in Chat changes either way.
      assert.deepEqual(
        (await apiCalls(t.emulator, mark)).filter((c) => !c.startsWith("GET ") && c !== `POST /v1/${space}/members 409`),
        [],
      );
      assert.deepEqual(await members(space), [`${ADMIN} ROLE_MANAGER`, `${ALICE} ROLE_MEMBER`]);
    });
  });

  /** A YAML program's head: config for bob's credentials, and `bobs`, an explicit provider acting as bob. */
  const bobsProvider = () => `
config:
  bobCredentials:
    type: string
    secret: true
resources:
  bobs:
    type: pulumi:providers:googlechat
    properties:
      credentials: \${bobCredentials}
      impersonateUser: bob@example.com
      apiEndpoint: ${t.emulator.url}
      tokenEndpoint: ${t.emulator.tokenUrl}
`;
  /** The stack `dev` of `folder`: the default provider acting as admin, `bobs` as bob, both against the emulator. */
  const initWithBob = async (folder: ReturnType<typeof pluginFolder>) => {
    await folder.pulumi("stack", "init", "dev");
    await folder.setConfig("googlechat:credentials", JSON.stringify(t.key), true);
    await folder.setConfig("bobCredentials", JSON.stringify(t.key), true);
    await folder.setConfig("googlechat:apiEndpoint", t.emulator.url);
    await folder.setConfig("googlechat:tokenEndpoint", t.emulator.tokenUrl);
    await folder.setConfig("googlechat:impersonateUser", "admin@example.com");
  };

  it("pulumi destroy of a roster under admin's provider declaring bob, the caller of the explicit provider whose Membership of alice is deleted after it: bob stays until alice is gone, and the destroy succeeds", async () => {
    // A space of the organisation, not the program's: so the destroy deletes each membership (no deletedWith).
    const [space] = await t.emulator.control.seed([{ displayName: "Engineering", members: [{ member: "users/bob@example.com", role: "ROLE_MANAGER" }] }]);
    const home = mkdtempSync(join(tmpdir(), "destroy-other-caller-"));
    const folder = pluginFolder(home, "yaml", "destroy-other-caller");
    // The roster depends on alice's Membership: created after it, so the destroy deletes it first.
    folder.writeProgram(`${bobsProvider()}  alice:
    type: googlechat:Membership
    properties:
      space: ${space}
      user: alice@example.com
    options:
      provider: \${bobs}
  eng-members:
    type: googlechat:SpaceMembers
    properties:
      space: ${space}
      mode: addOnly
      members:
        - user: bob@example.com
          role: ROLE_MANAGER
    options:
      dependsOn:
        - \${alice}
`);
    await initWithBob(folder);
    await folder.pulumi("up", "--yes");
    const BOB = "users/110000000000000000003";
    assert.deepEqual(await members(space), [`${ADMIN} ROLE_MANAGER`, `${ALICE} ROLE_MEMBER`, `${BOB} ROLE_MANAGER`]);
    const mark = await logMark(t.emulator);
    const destroy = await folder.pulumi("destroy", "--yes");
    assert.ok(destroy.includes(`${BOB} stays in ${space}: it is the calling user of another provider instance of this deployment`), destroy);
    assert.deepEqual(await deletes(mark), [`DELETE /v1/${space}/members/${ALICE.slice("users/".length)} 200`], destroy);
    assert.deepEqual(await members(space), [`${ADMIN} ROLE_MANAGER`, `${BOB} ROLE_MANAGER`]);
  });

  it("a roster moved from the default provider (admin) to one acting as bob, made authoritative declaring bob alone, while alice's Membership of the default provider is dropped: admin stays for that up, alice's delete succeeds, and the next up removes admin, as its preview says", async () => {
    const [space] = await t.emulator.control.seed([{ displayName: "Engineering", members: [{ member: "users/bob@example.com", role: "ROLE_MANAGER" }] }]);
    const home = mkdtempSync(join(tmpdir(), "roster-moved-old-deletes-"));
    const folder = pluginFolder(home, "yaml", "roster-moved-old-deletes");
    const program = (roster: string, rest: string) => `${bobsProvider()}  eng-members:
    type: googlechat:SpaceMembers
    properties:
      space: ${space}
${roster}      members:
        - user: bob@example.com
          role: ROLE_MANAGER
${rest}`;
    folder.writeProgram(
      program(
        "      mode: addOnly\n",
        `  alice:
    type: googlechat:Membership
    properties:
      space: ${space}
      user: alice@example.com
    options:
      dependsOn:
        - \${eng-members}
`,
      ),
    );
    await initWithBob(folder);
    await folder.pulumi("up", "--yes");
    const BOB = "users/110000000000000000003";
    assert.deepEqual(await members(space), [`${ADMIN} ROLE_MANAGER`, `${ALICE} ROLE_MEMBER`, `${BOB} ROLE_MANAGER`]);
    // The roster moves to bob's provider and the program drops alice: the default provider is left with her delete alone.
    // (Alice was added after the roster's create listed the space: its state does not list her, so her delete is the default provider's.)
    folder.writeProgram(program("", "    options:\n      provider: ${bobs}\n"));
    const mark = await logMark(t.emulator);
    const up = await folder.pulumi("up", "--yes");
    assert.ok(up.includes(`${ADMIN}: not declared, kept: it is admin@example.com, the calling user this roster was last applied as`), up);
    assert.deepEqual(await deletes(mark), [`DELETE /v1/${space}/members/${ALICE.slice("users/".length)} 200`], up);
    assert.deepEqual(await members(space), [`${ADMIN} ROLE_MANAGER`, `${BOB} ROLE_MANAGER`]);
    const next = await folder.pulumi("up", "--yes");
    assert.ok(next.includes(`- ${ADMIN} (ROLE_MANAGER): not declared, removed`), next);
    assert.deepEqual(await members(space), [`${BOB} ROLE_MANAGER`]);
  });

  it("a TypeScript stack moving to the plugin: alice moved from a ChatMembership of the dynamic provider to a SpaceMembers of the plugin, in one up: she stays", async () => {
    const first: PulumiFn = async () => {
      const eng = new ChatSpace("eng", { displayName: "Engineering" });
      new ChatMembership("alice", { space: eng, user: "alice@example.com" });
      return { space: eng.id };
    };
    const second: PulumiFn = async () => {
      const eng = new ChatSpace("eng", { displayName: "Engineering" });
      pluginResource(RESOURCES.roster.plugin, "eng-members", { space: eng.id, members: [{ user: "alice@example.com" }], mode: "addOnly" });
      return { space: eng.id };
    };
    const stack = await inlineStack("chat-e2e", "migrating", first, {
      emulator: t.emulator,
      key: t.key,
      impersonateUser: "admin@example.com",
      serving: PLUGIN,
    });
    const space = (await stack.up({})).outputs.space.value as string;
    stack.workspace.program = second;
    const mark = await logMark(t.emulator);
    const up = await stack.up({});
    assert.deepEqual(up.summary.resourceChanges, { same: 2, create: 1, delete: 1 });
    assert.deepEqual(await deletes(mark), [], up.stdout);
    assert.ok(
      up.stdout.includes(`ChatMembership ${ALICE} in ${space}: ${ALICE} stays in ${space}: the program declares it in ChatSpaceMembers eng-members.`),
      up.stdout,
    );
    assert.deepEqual(await members(space), [`${ADMIN} ROLE_MANAGER`, `${ALICE} ROLE_MEMBER`]);
  });
});
