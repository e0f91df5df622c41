/**
 * Another provider instance's calling user keeps her owner role unless EVERY instance acting as
 * her uses admin access (members/caller.ts `OtherCaller.adminAccess`): two instances acting as
 * one user, with and without admin access, are two (claims.ts `actingAs`), and a declaration in
 * the space naming her does not hide another instance that declares nothing there (`callerHolders`).
 */
import assert from "node:assert/strict";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, useDeployments } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

const BOB = "users/110000000000000000003";

describe("provider: another instance's caller keeps her owner role unless every instance acting as her uses admin access", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);
  const membersOf = async (name: string) =>
    (await t.control.state()).memberships[name.slice("spaces/".length)].map((m) => `${m.memberName} ${m.role} ${m.state}`);
  /** A space made by admin@example.com, with bob@example.com as a second owner. */
  let spaces = 0;
  const spaceWithBob = async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create", "chat.memberships"]);
    const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: `Eng ${++spaces}` } })).data.name!;
    const { data: bobs } = await admin.spaces.members.create({ parent: s, requestBody: { member: { name: "users/bob@example.com", type: "HUMAN" } } });
    await admin.spaces.members.patch({ name: bobs.name!, updateMask: "role", requestBody: { role: "ROLE_MANAGER" } });
    return s;
  };

  // Which of the two `acts` records survives depends on the order the share's files are read (their names hold a random
  // nonce): the scenario runs in 8 deployments, so on the faulty code at least one demotes bob with probability 255/256.
  it("two instances act as bob, one without admin access, neither declaring a resource in the space: a roster declaring bob a member keeps his owner role (8 deployments)", async () => {
    for (let run = 0; run < 8; run++) {
      const s = await spaceWithBob();
      const owner = rosterInputs("eng-members", { space: s, members: [{ user: "bob@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] });
      const earlier = deployment(`127.0.0.1:${41000 + run}`);
      const asAdmin0 = await earlier.process();
      await asAdmin0.rosters.check({}, owner);
      const { outs } = await asAdmin0.rosters.create(owner);

      const roster = rosterInputs("eng-members", { space: s, members: [{ user: "bob@example.com", role: "ROLE_MEMBER" }, { user: "alice@example.com" }] });
      const up = deployment(`127.0.0.1:${42000 + run}`);
      const asAdmin = await up.process();
      // Bob's two instances (e.g. each serving a ChatSpace alone), configured: each publishes whom it acts as.
      await up.process({ user: "bob@example.com" });
      await up.process({ user: "bob@example.com", useAdminAccess: true });
      assert.deepEqual(await asAdmin.rosters.check(owner, roster), { inputs: roster });
      const diff = await asAdmin.rosters.diff(s, outs as ChatSpaceMembersOutputs, roster);
      const mark = await logMark(t);
      await asAdmin.rosters.update(s, outs as ChatSpaceMembersOutputs, roster);
      assert.deepEqual(diff.detailedDiff, {}, `run ${run}: the preview keeps bob's owner role: ${JSON.stringify(asAdmin.logs)}`);
      assert.ok(
        !(await apiCalls(t, mark)).some((c) => c.startsWith("PATCH")),
        `run ${run}: no PATCH (bob's instance without admin access would lose management)`,
      );
      assert.ok((await membersOf(s)).includes(`${BOB} ROLE_MANAGER JOINED`));
    }
  });

  it("bob's admin-access instance declares a ChatMembership in the space, his instance without admin access declares nothing there: a ChatMembership demoting bob keeps his owner role, as a roster's plan would", async () => {
    const s = await spaceWithBob();
    const bobOwner = membershipInputs("bob", { space: s, user: "bob@example.com", role: "ROLE_MANAGER" });
    const seat = membershipInputs("admin-seat", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" });
    const earlier = deployment("127.0.0.1:40001");
    const asAdmin0 = await earlier.process();
    await asAdmin0.memberships.check({}, bobOwner);
    const { id, outs: made } = await asAdmin0.memberships.create(bobOwner);
    const outs = made as ChatMembershipOutputs;

    const bobMember = membershipInputs("bob", { space: s, user: "bob@example.com", role: "ROLE_MEMBER" });
    const up = deployment("127.0.0.1:40002");
    const asAdmin = await up.process();
    await up.process({ user: "bob@example.com" }); // no admin access, declares nothing in this space
    const asBobAdmin = await up.process({ user: "bob@example.com", useAdminAccess: true });
    // Bob's admin-access instance declares the seat (its check publishes the declaration; the emulator's bob is no Workspace admin, so no create here).
    assert.deepEqual(await asBobAdmin.memberships.check({}, seat), { inputs: seat });
    assert.deepEqual(await asAdmin.memberships.check(bobOwner, bobMember), { inputs: bobMember });
    const diff = await asAdmin.memberships.diff(id, outs, bobMember);
    if (diff.changes) await asAdmin.memberships.update(id, outs, bobMember);
    assert.ok((await membersOf(s)).includes(`${BOB} ROLE_MANAGER JOINED`), `bob demoted: ${JSON.stringify(await membersOf(s))}`);
  });
});
