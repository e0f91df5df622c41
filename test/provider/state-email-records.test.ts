/**
 * An email names a person only for a while: bob@example.com's account is renamed and the address
 * given to dana, who is in the space already. A state still records the address as bob's
 * (`__declared`, a ChatMembership's `member`); the program now declares the address in a new
 * ChatMembership, which Google answers is dana's. Whom the address names, Google's answer in this
 * deployment tells: a state's record never replaces it, and two states telling it apart leave it
 * to Google. So a delete never removes dana, whom the program declares, nor keeps bob as declared
 * by the address.
 */
import assert from "node:assert/strict";
import { DEFAULT_SETTINGS } from "../../emulator/model";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import {
  adminsSpace,
  bobsAddressGivenToDana,
  NEW_ADMIN as DANA,
  membershipInputs,
  membershipProvider,
  NEW_ADMIN_BEFORE,
  oneProcess,
} from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const ADMIN = "users/110000000000000000001";
const BOB = "users/110000000000000000003";

describe("a state's record of an email given to another person since, beside Google's answer for it", () => {
  const t = useEmulator();
  const membersOf = async (s: string) => (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => m.memberName).sort();

  /** admin's space, and dana a user of the directory (dana@example.com). */
  const spaceAndDana = async () => {
    await t.control.setSettings({ users: [...DEFAULT_SETTINGS.users, NEW_ADMIN_BEFORE] });
    return adminsSpace(t);
  };
  /** The up's new ChatMembership of bob@example.com: checked, then created, taking over dana's membership. */
  const newOfAddress = async (memberships: Awaited<ReturnType<typeof oneProcess>>["memberships"], s: string) => {
    const declared = membershipInputs("b-new", { space: s, user: "bob@example.com" });
    assert.deepEqual((await memberships.check(declared, declared)).failures ?? [], []);
    const made = await memberships.create(declared);
    assert.equal((made.outs as ChatMembershipOutputs).member, DANA, "Google answers the address is dana's");
    return made;
  };

  it("state-email-record-roster-delete: a dropped roster that listed bob by the address and dana by id removes bob, and keeps dana, whom the new ChatMembership of the address holds", async () => {
    const s = await spaceAndDana();
    const { provider: first } = await spaceMembersProvider(t);
    const r = await first.create(rosterInputs("r", { space: s, mode: "addOnly", members: [{ user: "bob@example.com" }, { user: DANA }] }));
    assert.equal((r.outs as ChatSpaceMembersOutputs).__declared["users/bob@example.com"], BOB);
    await bobsAddressGivenToDana(t);
    const { memberships, rosters, logs } = await oneProcess(t);
    await newOfAddress(memberships, s);
    await rosters.delete(r.id, r.outs as ChatSpaceMembersOutputs);
    assert.deepEqual(await membersOf(s), [ADMIN, DANA]);
    assert.deepEqual(logs.slice(-1), [`ChatSpaceMembers ${s}: ${DANA} stays in ${s}: the program declares it in ChatMembership b-new.`]);
  });

  for (const order of ["bob's first", "dana's first"] as const) {
    it(`state-email-record-membership-deletes (${order}): the deletes of bob's ChatMembership of the address and dana's by id, dropped, remove bob and keep dana, whom the new ChatMembership of the address holds`, async () => {
      const s = await spaceAndDana();
      const { provider: first } = await membershipProvider(t);
      const bobs = await first.create(membershipInputs("b-old", { space: s, user: "bob@example.com" }));
      const danas = await first.create(membershipInputs("d", { space: s, user: DANA }));
      await bobsAddressGivenToDana(t);
      const { memberships, logs } = await oneProcess(t);
      await newOfAddress(memberships, s);
      const deletes = [
        () => memberships.delete(bobs.id, bobs.outs as ChatMembershipOutputs),
        () => memberships.delete(danas.id, danas.outs as ChatMembershipOutputs),
      ];
      for (const remove of order === "bob's first" ? deletes : deletes.reverse()) await remove();
      assert.deepEqual(await membersOf(s), [ADMIN, DANA]);
      assert.deepEqual(
        logs.filter((line) => line.includes(" stays in ")),
        [`ChatMembership ${DANA} in ${s}: ${DANA} stays in ${s}: the program declares it in ChatMembership b-new.`],
      );
    });
  }

  it("state-email-records-disputed-spelling: after a crash, the next up's delete of bob's old ChatMembership of the address, beside the new one's state recording it as dana's, asks Google whom it names and removes bob", async () => {
    const s = await spaceAndDana();
    const { provider: first } = await membershipProvider(t);
    const bobs = await first.create(membershipInputs("b-old", { space: s, user: "bob@example.com" }));
    await bobsAddressGivenToDana(t);
    const crashed = await oneProcess(t);
    const made = await newOfAddress(crashed.memberships, s);
    // The engine died before deleting b-old: the next up, another process, diffs b-new (its state: the address is dana's), then deletes b-old (its state: bob's).
    const { memberships, logs } = await oneProcess(t);
    const declared = membershipInputs("b-new", { space: s, user: "bob@example.com" });
    await memberships.check(declared, declared);
    await memberships.diff(made.id, made.outs as ChatMembershipOutputs, declared);
    const mark = await logMark(t);
    await memberships.delete(bobs.id, bobs.outs as ChatMembershipOutputs);
    const calls = await apiCalls(t, mark);
    assert.ok(calls.includes(`GET /v1/${s}/members/bob%40example.com 200`), `Google asked whom the address names: ${calls.join(" | ")}`);
    assert.equal(calls.at(-1), `DELETE /v1/${bobs.id} 200`);
    assert.deepEqual(await membersOf(s), [ADMIN, DANA]);
    assert.deepEqual(logs, []);
  });

  it("state-email-records-disputed: two states recording the address for two people leave it to Google: the dropped roster keeps dana, whom an earlier up's ChatMembership of the address holds", async () => {
    const s = await spaceAndDana();
    const { provider: first } = await spaceMembersProvider(t);
    const r = await first.create(rosterInputs("r", { space: s, mode: "addOnly", members: [{ user: "bob@example.com" }, { user: DANA }] }));
    await bobsAddressGivenToDana(t);
    const earlier = await oneProcess(t);
    const made = await newOfAddress(earlier.memberships, s);
    // The next up: b-new unchanged (its diff reads its state's record of the address: dana), the roster dropped (its state's: bob).
    const { memberships, rosters, logs } = await oneProcess(t);
    const declared = membershipInputs("b-new", { space: s, user: "bob@example.com" });
    await memberships.check(declared, declared);
    assert.equal((await memberships.diff(made.id, made.outs as ChatMembershipOutputs, declared)).changes, false);
    await rosters.delete(r.id, r.outs as ChatSpaceMembersOutputs);
    assert.ok((await membersOf(s)).includes(DANA), `dana, whom b-new holds, stays: ${logs.join(" | ")}`);
  });
});
