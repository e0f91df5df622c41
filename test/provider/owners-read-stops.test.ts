/**
 * Before a write that may remove or demote an owner, a ChatMembership and a ChatSpaceMembers roster
 * read Google's joined owners of the space (members/member-provider.ts `ownersBefore`). Where that
 * read fails, or its 404 can't be confirmed, the step stops before any write, saying what it did
 * not do: each step in its own words, the Chat API calls the same.
 */
import assert from "node:assert/strict";
import type { FaultTarget } from "../../emulator/control/faults";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCallsWithAccess, logMark } from "../helpers/provider";
import { adminsSpace, faultOnce, membershipInputs, membershipProvider } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

describe("provider: a step stopped by its read of the space's joined owners", () => {
  const t = useEmulator();
  const space = () => adminsSpace(t);
  const fault = (method: FaultTarget, status: number, message: string) => faultOnce(t, method, status, message);
  /** What `step` fails with, up to the advice for user authentication. */
  const failureOf = async (step: () => Promise<unknown>): Promise<string> => {
    const error: Error = await step().then(
      () => assert.fail("the step succeeded"),
      (e: Error) => e,
    );
    return error.message.split(" With user authentication")[0];
  };
  /**
   * `step` of a resource labelled `label` in `s` meets the owners listing's 404 with admin access,
   * and the space read as the user that would confirm it is refused: it fails saying what it did
   * not do (`consequence`), after those two calls alone.
   */
  const stopsUnconfirmed = async (s: string, step: () => Promise<unknown>, label: string, consequence: string) => {
    await fault("spaces.members.list", 404, "Requested entity was not found.");
    await fault("spaces.get", 403, "The caller does not have permission");
    const mark = await logMark(t);
    assert.equal(
      await failureOf(step),
      `${label}: Google answered 404 Not Found for the members of ${s}, and reading ${s} to confirm it is gone failed, so ${consequence}. ` +
        `spaces.get of ${s} failed (403 PERMISSION_DENIED: The caller does not have permission).`,
    );
    assert.deepEqual(await apiCallsWithAccess(t, mark), [`GET /v1/${s}/members admin 404`, `GET /v1/${s} 403`]);
  };
  /** alice's ChatMembership as an owner of `s`, and its provider. */
  const aliceOwner = async (s: string) => {
    const { provider } = await membershipProvider(t);
    const { id, outs } = (await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_MANAGER" }))) as {
      id: string;
      outs: ChatMembershipOutputs;
    };
    return { provider, id, outs };
  };
  const demoted = (s: string) => membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_MEMBER" });
  /** A roster of `s` with alice as an owner, and its provider. */
  const rosterWithAliceOwner = async (s: string) => {
    const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
    const decl = rosterInputs("eng", { space: s, mode: "addOnly", members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }] });
    const { outs } = await provider.create(decl);
    return { provider, outs: outs as ChatSpaceMembersOutputs };
  };

  it("a ChatMembership's role change below owner whose owners read is refused fails with that read's own error, and sends no PATCH", async () => {
    const s = await space();
    const { provider, id, outs } = await aliceOwner(s);
    await fault("spaces.members.list", 403, "The caller does not have permission");
    const mark = await logMark(t);
    assert.equal(
      await failureOf(() => provider.update(id, outs, demoted(s))),
      `ChatMembership alice: spaces.members.list of ${s} failed (403 PERMISSION_DENIED: The caller does not have permission).`,
    );
    assert.deepEqual(await apiCallsWithAccess(t, mark), [`GET /v1/${s}/members 403`]);
  });

  it("a ChatMembership's role change below owner whose owners listing answers 404 without admin access fails with that 404, reading nothing more", async () => {
    const s = await space();
    const { provider, id, outs } = await aliceOwner(s);
    await fault("spaces.members.list", 404, "Requested entity was not found.");
    const mark = await logMark(t);
    assert.equal(
      await failureOf(() => provider.update(id, outs, demoted(s))),
      `ChatMembership alice: spaces.members.list of ${s} failed (404 NOT_FOUND: Requested entity was not found.). ` +
        "The space or the member does not exist, or these credentials can't see the space.",
    );
    assert.deepEqual(await apiCallsWithAccess(t, mark), [`GET /v1/${s}/members 404`]);
  });

  it("a ChatMembership's role change below owner whose owners listing's 404 can't be confirmed says its role was not changed", async () => {
    const s = await space();
    const { id, outs } = await aliceOwner(s);
    const { provider } = await membershipProvider(t, { useAdminAccess: true });
    await stopsUnconfirmed(s, () => provider.update(id, outs, demoted(s)), "ChatMembership alice", "its role was not changed: it stays in the stack as it was");
  });

  it("a roster's demotion of an owner whose owners listing's 404 can't be confirmed says the update stopped before it", async () => {
    const s = await space();
    const { provider, outs } = await rosterWithAliceOwner(s);
    const news = rosterInputs("eng", { space: s, mode: "addOnly", members: [{ user: "alice@example.com", role: "ROLE_MEMBER" }] });
    await stopsUnconfirmed(
      s,
      () => provider.update(s, outs, news),
      "ChatSpaceMembers eng",
      "this update stopped before its role changes below owner and its removals",
    );
  });

  it("a roster's delete whose owners listing's 404 can't be confirmed says it removed nobody", async () => {
    const s = await space();
    const { provider, outs } = await rosterWithAliceOwner(s);
    // The caller's id is known to this process since the create: no read of her membership first.
    await stopsUnconfirmed(s, () => provider.delete(s, outs), `ChatSpaceMembers ${s}`, "this delete removed nobody");
  });

  it("a roster's update that demotes an owner, whose owners listing answers 404 without admin access, says the owners could not be read", async () => {
    const s = await space();
    const { provider: asUser } = await spaceMembersProvider(t);
    const decl = rosterInputs("eng", { space: s, mode: "addOnly", members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }] });
    const { outs } = await asUser.create(decl);
    await fault("spaces.members.list", 404, "Requested entity was not found.");
    const mark = await logMark(t);
    const news = rosterInputs("eng", { space: s, mode: "addOnly", members: [{ user: "alice@example.com", role: "ROLE_MEMBER" }] });
    assert.equal(
      await failureOf(() => asUser.update(s, outs as ChatSpaceMembersOutputs, news)),
      `ChatSpaceMembers eng: reading the joined owners of ${s} failed, so this update stopped before its role changes below owner and its removals: ` +
        "the state can't tell who is an owner now (one may have been made in Chat since the last refresh), and the space must keep one. " +
        "Run it again (pulumi up, or pulumi destroy) once the read succeeds; if these credentials lost access to the space, restore it first. " +
        `spaces.members.list of ${s} failed (404 NOT_FOUND: Requested entity was not found.). ` +
        "The space or the member does not exist, or these credentials can't see the space.",
    );
    assert.deepEqual(await apiCallsWithAccess(t, mark), [`GET /v1/${s}/members 404`]);
  });
});
