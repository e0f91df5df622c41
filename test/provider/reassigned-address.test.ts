/**
 * What the members fuzzer (test/fuzz/members-generate.ts `addressReassignedOf`) found where
 * admin@example.com's address is given to a new administrator between two ups, and the state still
 * names a person by that email: a roster's record of its caller (`__caller`), a ChatMembership's
 * declared email (`__declared`). An email names a person only for a while; none of these takes
 * the record's person for the one the email names now. (A roster's declared demotion of the former
 * holder: roster-caller-email-reused.test.ts.)
 */
import assert from "node:assert/strict";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import { useEmulator } from "../helpers/emulator";
import { addressGivenToNewOwnerOf, adminsSpaceWithAlice, membershipInputs, membershipProvider, oneProcess } from "./membership-helpers";

const FORMER = "users/110000000000000000001";

describe("the state's email of a person whose address was given to a new administrator", () => {
  const t = useEmulator();

  const rolesIn = async (s: string) => Object.fromEntries((await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => [m.memberName, m.role]));

  it("members-delete-keeps-former-declared-by-email: the delete of the former holder's ChatMembership, declared by the address, removes her", async () => {
    const s = await adminsSpaceWithAlice(t, "ROLE_MEMBER");
    const { provider: first } = await membershipProvider(t);
    const { id, outs } = await first.create(membershipInputs("a-admin", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" }));
    await addressGivenToNewOwnerOf(t, s);
    const { provider, logs } = await membershipProvider(t);
    await provider.delete(id, outs as ChatMembershipOutputs);
    assert.equal((await rolesIn(s))[FORMER], undefined, `the former holder stays, kept as the calling user: ${logs.join(" | ")}`);
  });

  it("members-reassigned-email-learnt-conflict: the former holder by users/{id} beside a new ChatMembership of the address is no member declared twice", async () => {
    const s = await adminsSpaceWithAlice(t, "ROLE_MEMBER");
    const { provider: first } = await membershipProvider(t);
    const { id, outs } = await first.create(membershipInputs("a-admin", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" }));
    await addressGivenToNewOwnerOf(t, s);
    const { memberships } = await oneProcess(t);
    const former = membershipInputs("a-admin", { space: s, user: FORMER, role: "ROLE_MANAGER" });
    const newHolder = membershipInputs("a-admin-new", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" });
    assert.deepEqual((await memberships.check(former, former)).failures ?? [], []);
    assert.deepEqual((await memberships.check(newHolder, newHolder)).failures ?? [], []);
    const diff = await memberships.diff(id, outs as ChatMembershipOutputs, former);
    assert.equal(diff.changes, false);
  });
});
