/**
 * The delete of a ChatMembership declared by the caller's email, after the address was given to
 * another person, whom a new ChatMembership of the address now declares: the old resource's
 * member (the former holder) is not the caller, and no declaration holds her; but the plan, which
 * reads the states alone, said the new declaration of the address holds her, so she stays, held by
 * no resource, and the delete says so (members/claims.ts `byFormerAddress`); the new holder stays.
 */
import assert from "node:assert/strict";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import {
  addressGivenToNewOwnerOf,
  adminsSpaceWithAlice,
  keptByFormerAddressLine,
  membershipInputs,
  membershipProvider,
  NEW_ADMIN,
  oneProcess,
} from "./membership-helpers";

const FORMER = "users/110000000000000000001";

describe("the delete of a ChatMembership of the caller's email, the address declared again by another resource", () => {
  const t = useEmulator();

  it("keeps the former holder, as the plan said, and the new holder, whom the new declaration of the address names", async () => {
    const s = await adminsSpaceWithAlice(t, "ROLE_MANAGER");
    const { provider: first } = await membershipProvider(t);
    const { id, outs } = await first.create(membershipInputs("a-admin", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" }));
    assert.equal((outs as ChatMembershipOutputs).member, FORMER);
    await addressGivenToNewOwnerOf(t, s);

    // pulumi up of a program that drops a-admin and declares a-admin-new by the same address: the create first, then the delete.
    const { memberships, logs } = await oneProcess(t);
    const newHolder = membershipInputs("a-admin-new", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" });
    assert.deepEqual((await memberships.check(newHolder, newHolder)).failures ?? [], []);
    await memberships.create(newHolder);
    const mark = await logMark(t);
    await memberships.delete(id, outs as ChatMembershipOutputs);
    const roles = Object.fromEntries((await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => [m.memberName, m.role]));
    assert.equal(roles[FORMER], "ROLE_MANAGER");
    assert.equal(roles[NEW_ADMIN], "ROLE_MANAGER");
    assert.deepEqual(
      (await apiCalls(t, mark)).filter((call) => !call.startsWith("GET ")),
      [],
    );
    assert.deepEqual(logs.slice(-1), [
      keptByFormerAddressLine(`ChatMembership ${FORMER} in ${s}`, s, "ChatMembership a-admin-new", { former: FORMER, address: "admin@example.com" }),
    ]);
  });
});
