/**
 * A roster moved to a provider instance acting as another user: its state records the old
 * instance's caller, and a refresh can't change that (the engine refreshes a resource with the
 * provider its state names, the old one). The new instance's diff and update read their own
 * caller's membership where the plan removes or demotes people (space-members/provider.ts
 * `withCallerNow`), and never remove or demote that caller.
 */
import assert from "node:assert/strict";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, useDeployments } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

const [ADMIN, ALICE, BOB] = ["users/110000000000000000001", "users/110000000000000000002", "users/110000000000000000003"];

describe("provider: a roster moved to a provider instance with another calling user", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);
  const members = [
    { user: "admin@example.com", role: "ROLE_MANAGER" as const },
    { user: "bob@example.com", role: "ROLE_MANAGER" as const },
    { user: "alice@example.com" },
  ];
  const membersOf = async (s: string) => (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => `${m.memberName} ${m.role}`).sort();
  /** A space admin made, bob an owner of it, and an authoritative roster of admin, bob and alice created by the default provider (admin). */
  const created = async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
    await t.control.addMember(s, "bob@example.com", "ROLE_MANAGER");
    const roster = rosterInputs("eng-members", { space: s, members });
    const first = await deployment("127.0.0.1:40001").process();
    assert.deepEqual(await first.rosters.check({}, roster), { inputs: roster });
    const { outs } = await first.rosters.create(roster);
    assert.deepEqual((outs as ChatSpaceMembersOutputs).__caller, { user: "admin@example.com", member: ADMIN });
    return { s, roster, outs: outs as ChatSpaceMembersOutputs };
  };
  /** One run of `pulumi up` of `moved` under bob's provider: its preview's check and diff, then the update's check, diff and update. */
  const upAsBob = async (roster: ReturnType<typeof rosterInputs>, outs: ChatSpaceMembersOutputs, moved: ReturnType<typeof rosterInputs>) => {
    const preview = await deployment("127.0.0.1:40002").process({ user: "bob@example.com" });
    assert.deepEqual(await preview.rosters.check(roster, moved), { inputs: moved });
    const planned = await preview.rosters.diff(outs.space, outs, moved);
    const update = await deployment("127.0.0.1:40003").process({ user: "bob@example.com" });
    assert.deepEqual(await update.rosters.check(roster, moved), { inputs: moved });
    assert.deepEqual(await update.rosters.diff(outs.space, outs, moved), planned);
    const { outs: after } = await update.rosters.update(outs.space, outs, moved);
    return { planned, previewLogs: preview.logs, updateLogs: update.logs, after: after as ChatSpaceMembersOutputs };
  };

  it("dropping alice: the preview reads bob's membership once and plans her removal, with no refresh; the update removes her and records bob", async () => {
    const { s, roster, outs } = await created();
    const moved = rosterInputs("eng-members", { space: s, members: members.slice(0, 2) });
    const mark = await logMark(t);
    const { planned, previewLogs, after } = await upAsBob(roster, outs, moved);
    assert.deepEqual(planned, { changes: true, replaces: [], deleteBeforeReplace: false, detailedDiff: { [`members["${ALICE}"]`]: "delete" } });
    assert.deepEqual(previewLogs, [`ChatSpaceMembers eng-members: - ${ALICE} (ROLE_MEMBER): not declared, removed`]);
    assert.deepEqual(await apiCalls(t, mark), [
      // The preview's diff, then the update's (another process): one read of bob's own membership each.
      `GET /v1/${s}/members/bob%40example.com 200`,
      `GET /v1/${s}/members/bob%40example.com 200`,
      `GET /v1/${s}/members 200`,
      `DELETE /v1/${s}/members/110000000000000000002 200`,
    ]);
    assert.deepEqual(after.__caller, { user: "bob@example.com", member: BOB });
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER`, `${BOB} ROLE_MANAGER`]);
  });

  it("dropping bob, the new caller, and alice: bob is kept, as the preview says, and only alice is removed", async () => {
    const { s, roster, outs } = await created();
    const moved = rosterInputs("eng-members", { space: s, members: members.slice(0, 1) });
    const { planned, previewLogs, updateLogs } = await upAsBob(roster, outs, moved);
    assert.deepEqual(planned.detailedDiff, { [`members["${ALICE}"]`]: "delete", members: "update" });
    const lines = [
      `ChatSpaceMembers eng-members: - ${ALICE} (ROLE_MEMBER): not declared, removed`,
      `ChatSpaceMembers eng-members: = ${BOB}: not declared, kept: it is the calling user, which an authoritative roster never removes`,
    ];
    assert.deepEqual(previewLogs, lines);
    assert.deepEqual(updateLogs, lines);
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER`, `${BOB} ROLE_MANAGER`]);
  });

  it("declaring bob, the new caller, below owner: his role is kept, as the preview says", async () => {
    const { s, roster, outs } = await created();
    const moved = rosterInputs("eng-members", { space: s, members: [members[0], { user: "bob@example.com" }, members[2]] });
    const { planned, previewLogs } = await upAsBob(roster, outs, moved);
    assert.deepEqual(planned, { changes: false, replaces: [], deleteBeforeReplace: false, detailedDiff: {} });
    assert.deepEqual(previewLogs, [
      `ChatSpaceMembers eng-members: = members[1] ${BOB}: role ROLE_MANAGER kept, not ROLE_MEMBER: it is the calling user, which a roster never demotes without googlechat:useAdminAccess (it could no longer manage the members)`,
    ]);
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER`, `${ALICE} ROLE_MEMBER`, `${BOB} ROLE_MANAGER`]);
  });
});

describe("provider: a roster moved to another calling user keeps the caller its state was written as for that up", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);
  const membersOf = async (s: string) => (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => `${m.memberName} ${m.role}`).sort();
  const mayNeed =
    "it is admin@example.com, the calling user this roster was last applied as, " +
    "and the provider instance acting as it may still need the space in this deployment (a resource of it deleted after this update)";
  /** A space admin made, bob an owner of it, with an addOnly roster of bob and a ChatMembership of alice, both of the default provider (admin). */
  const deployed = async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
    await t.control.addMember(s, "bob@example.com", "ROLE_MANAGER");
    const first = await deployment("127.0.0.1:40001").process();
    const roster = rosterInputs("eng-members", { space: s, members: [{ user: "bob@example.com", role: "ROLE_MANAGER" }], mode: "addOnly" });
    assert.deepEqual(await first.rosters.check({}, roster), { inputs: roster });
    const { outs } = await first.rosters.create(roster);
    const alice = membershipInputs("alice", { space: s, user: "alice@example.com" });
    assert.deepEqual(await first.memberships.check({}, alice), { inputs: alice });
    const { id: aliceId, outs: aliceOuts } = await first.memberships.create(alice);
    return { s, roster, outs: outs as ChatSpaceMembersOutputs, aliceId, aliceOuts: aliceOuts as ChatMembershipOutputs };
  };

  it("made authoritative under bob's provider, declaring bob alone, alice's ChatMembership of the default provider dropped in the same up: admin stays, as the preview says, the default provider's delete of alice (configured after the roster's update) succeeds, and the next up removes admin, announced", async () => {
    const { s, roster, outs, aliceId, aliceOuts } = await deployed();
    const moved = rosterInputs("eng-members", { space: s, members: [{ user: "bob@example.com", role: "ROLE_MANAGER" }] });
    const kept = `ChatSpaceMembers eng-members: = ${ADMIN}: not declared, kept: ${mayNeed}: it stays for this up, and the next preview announces its removal`;
    const preview = await deployment("127.0.0.1:40002").process({ user: "bob@example.com" });
    assert.deepEqual(await preview.rosters.check(roster, moved), { inputs: moved });
    const planned = await preview.rosters.diff(s, outs, moved);
    // An update of admin's entry: the state then records bob as the caller, so the next preview announces admin's removal.
    assert.deepEqual(planned, { changes: true, replaces: [], deleteBeforeReplace: false, detailedDiff: { mode: "update", [`members["${ADMIN}"]`]: "update" } });
    assert.deepEqual(preview.logs, [kept]);
    // The up: the engine configures the default provider only for alice's delete, after the roster's update.
    const up = deployment("127.0.0.1:40003");
    const asBob = await up.process({ user: "bob@example.com" });
    assert.deepEqual(await asBob.rosters.check(roster, moved), { inputs: moved });
    assert.deepEqual(await asBob.rosters.diff(s, outs, moved), planned);
    const { outs: after } = await asBob.rosters.update(s, outs, moved);
    assert.deepEqual(asBob.logs, [kept]);
    assert.deepEqual((after as ChatSpaceMembersOutputs).__caller, { user: "bob@example.com", member: BOB });
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER`, `${ALICE} ROLE_MEMBER`, `${BOB} ROLE_MANAGER`]);
    const asAdmin = await up.process();
    await asAdmin.memberships.delete(aliceId, aliceOuts);
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER`, `${BOB} ROLE_MANAGER`]);

    const next = deployment("127.0.0.1:40004");
    const again = await next.process({ user: "bob@example.com" });
    assert.deepEqual(await again.rosters.check(moved, moved), { inputs: moved });
    const announced = await again.rosters.diff(s, after as ChatSpaceMembersOutputs, moved);
    assert.deepEqual(announced.detailedDiff, { [`members["${ADMIN}"]`]: "delete" });
    assert.deepEqual(again.logs, [`ChatSpaceMembers eng-members: - ${ADMIN} (ROLE_MANAGER): not declared, removed`]);
    await again.rosters.update(s, after as ChatSpaceMembersOutputs, moved);
    assert.deepEqual(await membersOf(s), [`${BOB} ROLE_MANAGER`]);
  });

  it("declaring admin below owner under bob's provider, nothing else changed: admin keeps her owner role for that up, as the preview says, and the next preview announces her demotion", async () => {
    const { s, roster, outs } = await deployed();
    const moved = rosterInputs("eng-members", { space: s, members: [{ user: "bob@example.com", role: "ROLE_MANAGER" }, { user: ADMIN }], mode: "addOnly" });
    const keptRole =
      `ChatSpaceMembers eng-members: = members[1] ${ADMIN}: role ROLE_MANAGER kept, not ROLE_MEMBER: ${mayNeed}: ` +
      "it keeps its role for this up, and the next preview announces the change";
    const asBob = await deployment("127.0.0.1:40002").process({ user: "bob@example.com" });
    assert.deepEqual(await asBob.rosters.check(roster, moved), { inputs: moved });
    const planned = await asBob.rosters.diff(s, outs, moved);
    assert.deepEqual(planned, { changes: true, replaces: [], deleteBeforeReplace: false, detailedDiff: { [`members["${ADMIN}"]`]: "update" } });
    const { outs: after } = await asBob.rosters.update(s, outs, moved);
    assert.deepEqual(asBob.logs, [keptRole]);
    assert.deepEqual((after as ChatSpaceMembersOutputs).__caller, { user: "bob@example.com", member: BOB });
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER`, `${ALICE} ROLE_MEMBER`, `${BOB} ROLE_MANAGER`]);
    const again = await deployment("127.0.0.1:40003").process({ user: "bob@example.com" });
    assert.deepEqual(await again.rosters.check(moved, moved), { inputs: moved });
    assert.deepEqual((await again.rosters.diff(s, after as ChatSpaceMembersOutputs, moved)).detailedDiff, { "members[1]": "update" });
    assert.deepEqual(again.logs, [`ChatSpaceMembers eng-members: ~ members[1] ${ADMIN}: role ROLE_MANAGER => ROLE_MEMBER`]);
  });
});

describe("provider: a roster moved between app authentication and a user's provider", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);
  const membersOf = async (s: string) =>
    (await t.control.state()).memberships[s.slice("spaces/".length)].filter((m) => m.memberName.startsWith("users/11")).map((m) => `${m.memberName} ${m.role}`);
  /** A space the Chat app made (app authentication manages only those), admin and bob owners of it. */
  const appSpace = async () => {
    const s = (
      await t.asApp(["chat.app.spaces.create"]).spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng", customer: "customers/my_customer" } })
    ).data.name!;
    await t.control.addMember(s, "admin@example.com", "ROLE_MANAGER");
    await t.control.addMember(s, "bob@example.com", "ROLE_MANAGER");
    return s;
  };
  const bobOnly = (s: string, mode?: "addOnly") =>
    rosterInputs("eng-members", { space: s, members: [{ user: "bob@example.com", role: "ROLE_MANAGER" }], ...(mode ? { mode } : {}) });

  it("moved to a provider under app authentication while alice's ChatMembership of the default provider (admin) is dropped: admin stays for that up, as the preview says, alice's delete succeeds, the state records no calling user, and the next preview announces admin's removal", async () => {
    const s = await appSpace();
    const first = await deployment("127.0.0.1:40001").process();
    const roster = bobOnly(s, "addOnly");
    assert.deepEqual(await first.rosters.check({}, roster), { inputs: roster });
    const { outs } = await first.rosters.create(roster);
    const alice = membershipInputs("alice", { space: s, user: "alice@example.com" });
    assert.deepEqual(await first.memberships.check({}, alice), { inputs: alice });
    const { id: aliceId, outs: aliceOuts } = await first.memberships.create(alice);
    const moved = bobOnly(s);
    const up = deployment("127.0.0.1:40002");
    const asApp = await up.process({ app: true });
    assert.deepEqual(await asApp.rosters.check(roster, moved), { inputs: moved });
    const planned = await asApp.rosters.diff(s, outs as ChatSpaceMembersOutputs, moved);
    assert.equal(planned.detailedDiff[`members["${ADMIN}"]`], "update");
    assert.ok(
      asApp.logs.includes(
        `ChatSpaceMembers eng-members: = ${ADMIN}: not declared, kept: it is admin@example.com, the calling user this roster was last applied as, ` +
          "and the provider instance acting as it may still need the space in this deployment (a resource of it deleted after this update): " +
          "it stays for this up, and the next preview announces its removal",
      ),
      asApp.logs.join("\n"),
    );
    const { outs: after } = await asApp.rosters.update(s, outs as ChatSpaceMembersOutputs, moved);
    assert.equal((after as ChatSpaceMembersOutputs).__caller, undefined);
    assert.ok((await membersOf(s)).includes(`${ADMIN} ROLE_MANAGER`));
    const asAdmin = await up.process();
    await asAdmin.memberships.delete(aliceId, aliceOuts as ChatMembershipOutputs);
    assert.deepEqual((await membersOf(s)).sort(), [`${ADMIN} ROLE_MANAGER`, `${BOB} ROLE_MANAGER`]);
    const again = await deployment("127.0.0.1:40003").process({ app: true });
    assert.deepEqual(await again.rosters.check(moved, moved), { inputs: moved });
    assert.equal((await again.rosters.diff(s, after as ChatSpaceMembersOutputs, moved)).detailedDiff[`members["${ADMIN}"]`], "delete");
  });

  it("written under app authentication (no calling user recorded), moved to bob's provider, which drops admin: the preview reads bob's membership and plans, with no refresh asked, keeping bob", async () => {
    const s = await appSpace();
    const asApp = await deployment("127.0.0.1:40001").process({ app: true });
    const roster = bobOnly(s, "addOnly");
    assert.deepEqual(await asApp.rosters.check({}, roster), { inputs: roster });
    const { outs } = await asApp.rosters.create(roster);
    assert.equal((outs as ChatSpaceMembersOutputs).__caller, undefined);
    const moved = rosterInputs("eng-members", { space: s, members: [{ user: BOB, role: "ROLE_MANAGER" }] });
    const asBob = await deployment("127.0.0.1:40002").process({ user: "bob@example.com" });
    assert.deepEqual(await asBob.rosters.check(roster, moved), { inputs: moved });
    const mark = await logMark(t);
    const planned = await asBob.rosters.diff(s, outs as ChatSpaceMembersOutputs, moved);
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/bob%40example.com 200`]);
    assert.equal(planned.detailedDiff[`members["${ADMIN}"]`], "delete");
    const { outs: after } = await asBob.rosters.update(s, outs as ChatSpaceMembersOutputs, moved);
    assert.deepEqual((after as ChatSpaceMembersOutputs).__caller, { user: "bob@example.com", member: BOB });
    assert.deepEqual(await membersOf(s), [`${BOB} ROLE_MANAGER`]);
  });
});
