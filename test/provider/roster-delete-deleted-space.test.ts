/**
 * A roster's delete in a space deleted in Chat. With googlechat:useAdminAccess in the
 * administrator's own organisation, Google's answer is unambiguous (admin access reaches every
 * space of the organisation, and the space read as the user answers 404 too: members/member-provider.ts
 * `meaningOf404` counts that as gone). A ChatMembership's delete confirms it this way and succeeds
 * (admin-access-404-other-organisation.test.ts); a roster's delete of the same space must too, or
 * `pulumi destroy` of a stack whose space was deleted in Chat stops at the roster. Without admin
 * access the same 404 may be a space the caller no longer sees (removed from it): the delete
 * removes nobody and fails, saying so.
 */
import assert from "node:assert/strict";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCallsWithAccess, logMark } from "../helpers/provider";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

describe("provider: a roster's delete in a space deleted in Chat", () => {
  const t = useEmulator();

  /** A roster of admin's space with alice, made, and the space then deleted in Chat. */
  const deletedRoster = async (): Promise<{ s: string; outs: ChatSpaceMembersOutputs }> => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Ours" } })).data.name!;
    const decl = rosterInputs("ours", { space: s, mode: "addOnly", members: [{ user: "alice@example.com" }] });
    const { outs } = await (await spaceMembersProvider(t)).provider.create(decl);
    await t.control.deleteSpace(s);
    return { s, outs: outs as ChatSpaceMembersOutputs };
  };

  it("with admin access succeeds, as a ChatMembership's delete does: the owners listing's 404 is confirmed by the space read as the user, 404 too", async () => {
    const { s, outs } = await deletedRoster();
    const { provider, logs } = await spaceMembersProvider(t, { useAdminAccess: true });
    const mark = await logMark(t);
    let failure: unknown;
    await provider.delete(s, outs).catch((e: unknown) => (failure = e));
    const calls = await apiCallsWithAccess(t, mark);
    assert.equal(failure, undefined, `the delete failed: ${(failure as Error | undefined)?.message}\ncalls: ${calls.join("; ")}`);
    // The owners listing's 404 with admin access, then the space read as the user, 404 too: gone, nothing to remove.
    assert.deepEqual(calls, [`GET /v1/${s}/members/admin%40example.com admin 404`, `GET /v1/spaces 200`, `GET /v1/${s}/members admin 404`, `GET /v1/${s} 404`]);
    assert.deepEqual(logs, []);
  });

  it("without admin access removes nobody and fails: the listing's 404 may be a space the caller no longer sees", async () => {
    const { s, outs } = await deletedRoster();
    const { provider } = await spaceMembersProvider(t);
    const mark = await logMark(t);
    await assert.rejects(provider.delete(s, outs), {
      message:
        `ChatSpaceMembers ${s}: reading the joined owners of ${s} failed, so this delete removed nobody: ` +
        "the state can't tell who is an owner now (one may have been made in Chat since the last refresh), and the space must keep one. " +
        "Run it again (pulumi up, or pulumi destroy) once the read succeeds; if these credentials lost access to the space, restore it first. " +
        `spaces.members.list of ${s} failed (404 NOT_FOUND: Requested entity was not found.). ` +
        "The space or the member does not exist, or these credentials can't see the space.",
    });
    // No read of the space: without admin access a listing's 404 is "unseen" whatever the space answers (meaningOf404).
    assert.deepEqual(await apiCallsWithAccess(t, mark), [`GET /v1/${s}/members/admin%40example.com 404`, `GET /v1/spaces 200`, `GET /v1/${s}/members 404`]);
  });
});
