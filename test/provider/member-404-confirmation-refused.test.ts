/**
 * A membership's (or a roster's) 404 is counted as gone only once the space is read to confirm it
 * (members/member-provider.ts `meaningOf404`). Where that read fails otherwise (a refusal, an
 * outage), every step says the same: what met the 404, that its confirmation failed, what that
 * means for the step, then the failed read's own message.
 */
import assert from "node:assert/strict";
import type { FaultTarget } from "../../emulator/control/faults";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { adminsSpace, faultOnce, membershipInputs, membershipProvider } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const ALICE = "users/110000000000000000002";

describe("provider: a membership's 404 whose confirming read of the space is refused", () => {
  const t = useEmulator();
  const space = () => adminsSpace(t);
  const fault = (method: FaultTarget, status: number, message: string) => faultOnce(t, method, status, message);
  /**
   * The next `listing` call answers 404 and the space read that confirms it 403; what the failure
   * of `refresh` says before the advice of that read.
   */
  const refusedConfirmation = async (listing: FaultTarget, refresh: () => Promise<unknown>): Promise<string> => {
    await fault(listing, 404, "Requested entity was not found.");
    await fault("spaces.get", 403, "The caller does not have permission");
    const error: Error = await refresh().then(
      () => assert.fail("the refresh succeeded"),
      (e: Error) => e,
    );
    return error.message.split(" With user authentication")[0];
  };

  it("a ChatMembership's refresh fails, saying the stack keeps the membership as it was", async () => {
    const s = await space();
    const { provider } = await membershipProvider(t);
    const { id, outs } = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com" }));
    const mark = await logMark(t);
    assert.equal(
      await refusedConfirmation("spaces.members.get", () => provider.read(id, outs as ChatMembershipOutputs)),
      `ChatMembership ${ALICE} in ${s}: Google answered 404 Not Found for the membership of ${ALICE}, and reading ${s} to confirm it is gone failed, ` +
        "so this refresh stopped: the stack keeps the membership as it was. " +
        `spaces.get of ${s} failed (403 PERMISSION_DENIED: The caller does not have permission).`,
    );
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${id} 404`, `GET /v1/${s} 403`]);
  });

  it("a roster's refresh fails, saying the stack keeps the roster as it was", async () => {
    const s = await space();
    const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
    const { outs } = await provider.create(rosterInputs("eng", { space: s, mode: "addOnly", members: [{ user: "alice@example.com" }] }));
    const mark = await logMark(t);
    assert.equal(
      await refusedConfirmation("spaces.members.list", () => provider.read(s, outs as ChatSpaceMembersOutputs)),
      `ChatSpaceMembers ${s}: Google answered 404 Not Found for the members of ${s}, and reading ${s} to confirm it is gone failed, ` +
        "so this refresh stopped: the stack keeps the roster as it was. " +
        `spaces.get of ${s} failed (403 PERMISSION_DENIED: The caller does not have permission).`,
    );
    // The listing with admin access, then the space as the user: admin access's 404 is confirmed by the user's read.
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 404`, `GET /v1/${s} 403`]);
  });
});
