/**
 * Memberships across resources served by different provider processes of one deployment: the
 * engine starts one plugin process per provider instance (the default provider and each
 * explicit one), and a stack moving to the plugin has the dynamic-provider host too. Their
 * claims are shared (core/deployment-share.ts), so a member moved between resources of two
 * processes stays, and one member declared under two fails the second check, naming the first.
 * Processes of another deployment (another engine) share nothing.
 */
import assert from "node:assert/strict";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, useDeployments } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

const ADMIN = "users/110000000000000000001";
const ALICE = "users/110000000000000000002";
const BOB = "users/110000000000000000003";

describe("provider: member claims shared by the provider processes of one deployment", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);
  /** A space made by admin@example.com (the caller of these providers), its one owner. */
  const space = async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    return (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
  };
  const membersOf = async (name: string) =>
    (await t.control.state()).memberships[name.slice("spaces/".length)].map((m) => `${m.memberName} ${m.role} ${m.state}`);

  it("a member moved from a ChatMembership of one provider instance to a roster of another (an explicit provider's, the default provider's) stays in the space", async () => {
    const s = await space();
    // The earlier up: alice's membership under the explicit provider.
    const earlier = await deployment("127.0.0.1:40001").process();
    const alice = membershipInputs("alice", { space: s, user: "alice@example.com" });
    await earlier.memberships.check({}, alice);
    const { id, outs } = await earlier.memberships.create(alice);
    // This up, another engine: the program moves her to a roster under the default provider and drops the membership.
    const up = deployment("127.0.0.1:40002");
    const [byDefault, byExplicit] = [await up.process(), await up.process()];
    const roster = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }], mode: "addOnly" });
    assert.deepEqual(await byDefault.rosters.check({}, roster), { inputs: roster });
    await byDefault.rosters.create(roster);
    const mark = await logMark(t);
    await byExplicit.memberships.delete(id, outs as ChatMembershipOutputs);
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/admin%40example.com 200`], "one read of the caller's id, no DELETE");
    assert.deepEqual(byExplicit.logs, [`ChatMembership ${ALICE} in ${s}: ${ALICE} stays in ${s}: the program declares it in ChatSpaceMembers eng-members.`]);
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
  });

  it("the members of a roster of one provider instance, moved to ChatMemberships of another: the roster's delete leaves them", async () => {
    const s = await space();
    const earlier = await deployment("127.0.0.1:40001").process();
    const members = [{ user: "admin@example.com", role: "ROLE_MANAGER" as const }, { user: "alice@example.com" }, { user: "bob@example.com" }];
    const { outs: roster } = await earlier.rosters.create(rosterInputs("eng-members", { space: s, members }));
    const up = deployment("127.0.0.1:40002");
    const [byRosterProvider, byOther] = [await up.process(), await up.process()];
    for (const [name, user] of [
      ["alice", "alice@example.com"],
      ["bob", "bob@example.com"],
    ]) {
      const inputs = membershipInputs(name, { space: s, user });
      assert.deepEqual(await byOther.memberships.check({}, inputs), { inputs });
      await byOther.memberships.create(inputs);
    }
    const mark = await logMark(t);
    await byRosterProvider.rosters.delete(s, roster as ChatSpaceMembersOutputs);
    assert.deepEqual(
      (await apiCalls(t, mark)).filter((c) => c.startsWith("DELETE")),
      [],
    );
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`, `${BOB} ROLE_MEMBER JOINED`]);
  });

  it("one member declared by resources of two provider instances fails the second check, naming the first, with no call", async () => {
    const s = await space();
    const up = deployment();
    const [byDefault, byExplicit] = [await up.process(), await up.process()];
    const alice = membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_MANAGER" });
    const again = membershipInputs("alice-again", { space: s, user: "alice@example.com" });
    const mark = await logMark(t);
    assert.deepEqual(await byDefault.memberships.check({}, alice), { inputs: alice });
    assert.deepEqual((await byExplicit.memberships.check({}, again)).failures, [
      {
        property: "user",
        reason: `users/alice@example.com is also declared by ChatMembership alice in ${s}: a member is declared once, or the two would undo each other. Remove one of the two declarations: the member stays in the space, held by the other.`,
      },
    ]);
    assert.deepEqual(await apiCalls(t, mark), []);
  });

  it("an authoritative roster of one provider instance beside a ChatMembership of another of a member it does not declare fails the check, naming both", async () => {
    const s = await space();
    const up = deployment();
    const [byDefault, byExplicit] = [await up.process(), await up.process()];
    const bob = membershipInputs("bob", { space: s, user: "bob@example.com" });
    assert.deepEqual(await byExplicit.memberships.check({}, bob), { inputs: bob });
    const roster = rosterInputs("eng-members", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] });
    assert.deepEqual((await byDefault.rosters.check({}, roster)).failures, [
      {
        property: "mode",
        reason: `authoritative (the default) would remove users/bob@example.com, which ChatMembership bob declares in ${s}. Move the member into the roster (and remove the ChatMembership: the member stays), or set mode: "addOnly" on the roster.`,
      },
    ]);
  });

  it("a ChatMembership of another provider instance, checked while an authoritative roster's update runs (pulumi up --skip-preview): the roster's removal of her stops, no DELETE", async () => {
    const s = await space();
    const up = deployment();
    const [byDefault, byExplicit] = [await up.process(), await up.process()];
    const declared = [{ user: "admin@example.com", role: "ROLE_MANAGER" as const }, { user: "alice@example.com" }];
    const old = rosterInputs("eng-members", { space: s, members: declared });
    assert.deepEqual(await byDefault.rosters.check({}, old), { inputs: old });
    const { outs } = await byDefault.rosters.create(old);
    const news = rosterInputs("eng-members", { space: s, members: declared.slice(0, 1) });
    assert.deepEqual(await byDefault.rosters.check(old, news), { inputs: news });
    await byDefault.rosters.diff(s, outs as ChatSpaceMembersOutputs, news);
    // The owners read before the removal waits, as the engine goes on with the program.
    await t.control.addFault({ match: { methods: ["spaces.members.list"] }, action: { kind: "holdAfterCommit" }, count: 1 });
    const mark = await logMark(t);
    const update = byDefault.rosters.update(s, outs as ChatSpaceMembersOutputs, news).catch((e: unknown) => e);
    const faults = async () => ((await (await fetch(`${t.emulator.url}/emulator/v1/faults`)).json()) as { faults: unknown[] }).faults;
    while ((await faults()).length > 0) await new Promise((done) => setTimeout(done, 5));
    const alice = membershipInputs("alice", { space: s, user: "alice@example.com" });
    assert.equal((await byExplicit.memberships.check({}, alice)).failures?.length, 1);
    await t.control.clearFaults();
    const failed: any = await update;
    assert.equal(
      failed.message,
      `ChatSpaceMembers eng-members: stopped before removing ${ALICE} from ${s}: another resource of this deployment declares it, so it stays, and the roster's state keeps it. ` +
        `mode authoritative (the default) would remove users/alice@example.com, which ChatMembership alice declares in ${s}. ` +
        'Move the member into the roster (and remove the ChatMembership: the member stays), or set mode: "addOnly" on the roster.',
    );
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`], "the owners read, no DELETE");
    assert.deepEqual(
      (failed.properties as ChatSpaceMembersOutputs).members.map((m) => m.member),
      [ADMIN, ALICE],
    );
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
  });

  it("processes of another deployment (another engine: a concurrent up of another stack) share nothing: its roster keeps no member of this one", async () => {
    const s = await space();
    const earlier = await deployment("127.0.0.1:40001").process();
    const alice = membershipInputs("alice", { space: s, user: "alice@example.com" });
    const { id, outs } = await earlier.memberships.create(alice);
    const another = deployment("127.0.0.1:40003");
    const [other, ours] = [await another.process(), await deployment("127.0.0.1:40004", another.root).process()];
    const roster = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }], mode: "addOnly" });
    assert.deepEqual(await other.rosters.check({}, roster), { inputs: roster });
    await ours.memberships.delete(id, outs as ChatMembershipOutputs);
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`]);
  });
});
