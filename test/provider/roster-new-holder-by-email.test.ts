/**
 * A roster whose state maps admin@example.com to the person who held that address (its recorded
 * caller, or its own earlier entry of the address), after the address was given to a new
 * administrator: an entry of the address names the new holder, whom Google tells, never the
 * former holder the state records by it.
 */
import assert from "node:assert/strict";
import type { ChatSpaceMembersOutputs, RosterMemberArgs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { addressGivenToNewAdmin, NEW_ADMIN } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const FORMER = "users/110000000000000000001";

describe("a roster's entry of an address given to another person since its state was written", () => {
  const t = useEmulator();

  /** admin's space with alice an owner; then the address given to the new administrator, whom alice makes an owner in Chat. */
  const spaceWithAlice = async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Admin's" } })).data.name!;
    await t.control.addMember(s, "alice@example.com", "ROLE_MANAGER");
    return s;
  };
  const reassigned = async (s: string) => {
    await addressGivenToNewAdmin(t);
    await t.control.addMember(s, NEW_ADMIN, "ROLE_MANAGER");
  };
  const rolesIn = async (s: string) => Object.fromEntries((await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => [m.memberName, m.role]));
  const alice: RosterMemberArgs = { user: "alice@example.com", role: "ROLE_MANAGER" };
  const formerById: RosterMemberArgs = { user: FORMER, role: "ROLE_MANAGER" };
  const newHolderAsMember: RosterMemberArgs = { user: "admin@example.com", role: "ROLE_MEMBER" };

  /** Preview then up of `members` over `outs`, in a new process each (admin access); the roles after, the lines, the preview's diff and the state. */
  const upOf = async (s: string, outs: ChatSpaceMembersOutputs, members: RosterMemberArgs[]) => {
    const declared = rosterInputs("r", { space: s, members });
    const { provider: previewing, logs: previewLines } = await spaceMembersProvider(t, { useAdminAccess: true });
    const diff = await previewing.diff(s, outs, declared);
    const { provider, logs } = await spaceMembersProvider(t, { useAdminAccess: true });
    await provider.diff(s, outs, declared);
    const after = (await provider.update(s, outs, declared)).outs as ChatSpaceMembersOutputs;
    return { diff, previewLines, logs, after, roles: await rolesIn(s) };
  };

  for (const [name, start] of [
    ["its recorded caller", [formerById, alice]],
    ["its own earlier entry of the address", [{ user: "admin@example.com", role: "ROLE_MANAGER" }, alice]],
  ] as const) {
    it(`the state maps the address to the former holder by ${name}: the up keeps the former holder an owner, and the new holder's demotion waits for a preview that shows it`, async () => {
      const s = await spaceWithAlice();
      const { provider: first } = await spaceMembersProvider(t, { useAdminAccess: true });
      const created = (await first.create(rosterInputs("r", { space: s, members: [...start] }))).outs as ChatSpaceMembersOutputs;
      await reassigned(s);
      const members = [formerById, alice, newHolderAsMember];

      const one = await upOf(s, created, members);
      assert.deepEqual(one.diff.detailedDiff, { "members[2]": "add" }, one.previewLines.join(" | "));
      assert.deepEqual([one.roles[FORMER], one.roles[NEW_ADMIN]], ["ROLE_MANAGER", "ROLE_MANAGER"], one.logs.join(" | "));
      assert.equal(one.after.__declared["users/admin@example.com"], NEW_ADMIN);
      assert.deepEqual(one.after.__caller, { user: "admin@example.com", member: NEW_ADMIN });

      const two = await upOf(s, one.after, members);
      assert.deepEqual(two.diff.detailedDiff, { "members[2]": "update" }, two.previewLines.join(" | "));
      assert.deepEqual([two.roles[FORMER], two.roles[NEW_ADMIN]], ["ROLE_MANAGER", "ROLE_MEMBER"], two.logs.join(" | "));
    });
  }

  it("the new holder listed at the last refresh: the up demotes her as its preview announced, keeps the former holder an owner, and the next preview plans nothing", async () => {
    const s = await spaceWithAlice();
    const { provider: first } = await spaceMembersProvider(t, { useAdminAccess: true });
    const created = (await first.create(rosterInputs("r", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, alice] }))).outs;
    await reassigned(s);
    const refreshed = (await (await spaceMembersProvider(t, { useAdminAccess: true })).provider.read(s, created as ChatSpaceMembersOutputs)).props!;
    const members = [formerById, alice, newHolderAsMember];

    const one = await upOf(s, refreshed, members);
    assert.deepEqual(one.diff.detailedDiff, { "members[2]": "update" });
    assert.deepEqual(one.previewLines, [`ChatSpaceMembers r: ~ members[2] ${NEW_ADMIN}: role ROLE_MANAGER => ROLE_MEMBER`]);
    assert.deepEqual([one.roles[FORMER], one.roles[NEW_ADMIN]], ["ROLE_MANAGER", "ROLE_MEMBER"], one.logs.join(" | "));
    assert.deepEqual(one.after.__declared, {
      [FORMER]: FORMER,
      "users/alice@example.com": "users/110000000000000000002",
      "users/admin@example.com": NEW_ADMIN,
    });

    const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
    const again = await provider.diff(s, one.after, rosterInputs("r", { space: s, members }));
    assert.equal(again.changes, false);
  });

  it("the address beside the former holder by users/{id}, whom the state maps it to: an add, which Google answers with the new holder (in no space yet)", async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Admin's" } })).data.name!;
    const { provider: first } = await spaceMembersProvider(t, { useAdminAccess: true });
    const start = [{ user: "admin@example.com", role: "ROLE_MANAGER" as const }];
    const created = (await first.create(rosterInputs("r", { space: s, members: start }))).outs as ChatSpaceMembersOutputs;
    assert.equal(created.__declared["users/admin@example.com"], FORMER);
    await addressGivenToNewAdmin(t);
    const members: RosterMemberArgs[] = [formerById, { user: "Admin@Example.Com", role: "ROLE_MANAGER" }];

    const one = await upOf(s, created, members);
    assert.deepEqual(one.diff.detailedDiff, { "members[1]": "add" }, one.previewLines.join(" | "));
    assert.deepEqual([one.roles[FORMER], one.roles[NEW_ADMIN]], ["ROLE_MANAGER", "ROLE_MANAGER"], one.logs.join(" | "));
    assert.equal(one.after.__declared["users/admin@example.com"], NEW_ADMIN);
    const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
    assert.equal((await provider.diff(s, one.after, rosterInputs("r", { space: s, members }))).changes, false);
  });
});
