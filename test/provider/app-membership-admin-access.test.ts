/**
 * The calling Chat app's membership once googlechat:useAdminAccess is on. Admin access doesn't
 * reach apps' memberships (v1.d.ts members.get, members.delete `useAdminAccess`: "isn't supported
 * using admin access"), so the provider reads and removes it as the user, without admin access:
 * a 404 of such a call is not confirmed by admin access, only by the space still being visible
 * to the user. The scenario: the app was added without admin access, the caller (admin) later
 * left the space (alice owns it), then admin access was turned on.
 */
import assert from "node:assert/strict";
import { isChatApiCall } from "../../emulator";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { type TestEmulator, useEmulator } from "../helpers/emulator";
import { logMark } from "../helpers/provider";
import { membershipInputs, membershipProvider } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

/** The Chat API calls since `mark`, each marked `admin` where it was sent with useAdminAccess. */
async function callsSince(t: TestEmulator, mark: number): Promise<string[]> {
  return (await t.control.requests(mark))
    .filter(isChatApiCall)
    .map((r) => [r.method, r.path, r.query.useAdminAccess === "true" ? "admin" : undefined, r.status].filter((x) => x !== undefined).join(" "));
}

describe("provider: the calling Chat app's membership with googlechat:useAdminAccess", () => {
  const t = useEmulator();
  const newSpace = async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    return (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
  };
  const botsOf = async (space: string) =>
    (await t.control.state()).memberships[space.slice("spaces/".length)].filter((m) => m.type === "BOT").map((m) => `${m.memberName} ${m.state}`);
  /** The app added without admin access; alice made a second owner; admin leaves the space in Chat. */
  const appAddedThenCallerLeft = async () => {
    const space = await newSpace();
    const { id, outs } = await (await membershipProvider(t)).provider.create(membershipInputs("bot", { space, chatApp: true }));
    await t.control.addMember(space, "alice@example.com", "ROLE_MANAGER");
    await t.control.removeMember(space, "admin@example.com");
    return { space, id, outs: outs as ChatMembershipOutputs };
  };

  it("a ChatMembership's delete: the 404 of the DELETE sent as the user is confirmed as the user; the space out of sight, it fails and stays", async () => {
    const { space, id, outs } = await appAddedThenCallerLeft();
    const { provider } = await membershipProvider(t, { useAdminAccess: true });
    const mark = await logMark(t);
    await assert.rejects(provider.delete(id, outs), {
      message:
        `ChatMembership ${outs.member} in ${space}: Google answers 404 Not Found: the membership was removed, or these credentials can no longer see the space ` +
        "(the caller was removed from it, or googlechat:impersonateUser names another user). It was not deleted and stays in the stack. " +
        "If it still exists, restore the access. If it was removed, remove it from the stack deliberately: " +
        "`pulumi state delete <urn>` (`pulumi stack --show-urns` lists them); the next up then adds the member again. " +
        "googlechat:useAdminAccess can't tell: admin access doesn't reach Chat apps' memberships, which Google reads and removes only as the user.",
    });
    assert.deepEqual(await callsSince(t, mark), [
      `GET /v1/spaces/${space.slice(7)}/members/admin%40example.com admin 404`,
      "GET /v1/spaces 200",
      `DELETE /v1/${id} 404`,
      `GET /v1/${space} 404`,
    ]);
    assert.deepEqual(await botsOf(space), [`${outs.member} JOINED`]);
  });

  it("a ChatMembership's delete: the app removed in Chat, the space in the user's sight: the 404 confirmed, the delete done", async () => {
    const space = await newSpace();
    const { id, outs } = await (await membershipProvider(t)).provider.create(membershipInputs("bot", { space, chatApp: true }));
    await t.control.removeMember(space, (outs as ChatMembershipOutputs).member);
    const { provider } = await membershipProvider(t, { useAdminAccess: true });
    const mark = await logMark(t);
    await provider.delete(id, outs as ChatMembershipOutputs);
    assert.deepEqual((await callsSince(t, mark)).slice(-2), [`DELETE /v1/${id} 404`, `GET /v1/${space} 200`]);
  });

  it("a roster's delete: the app it declared is not counted as removed on the 404 of a DELETE sent as the user", async () => {
    const space = await newSpace();
    const { outs } = await (await spaceMembersProvider(t)).provider.create(
      rosterInputs("eng-members", { space, members: [{ chatApp: true }], mode: "addOnly" }),
    );
    await t.control.addMember(space, "alice@example.com", "ROLE_MANAGER");
    await t.control.removeMember(space, "admin@example.com");
    const app = (outs as ChatSpaceMembersOutputs).members.find((m) => m.memberType === "BOT")!;
    const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
    const mark = await logMark(t);
    await assert.rejects(provider.delete(space, outs as ChatSpaceMembersOutputs), {
      message:
        `ChatSpaceMembers ${space}: Google answers 404 Not Found for ${app.member}'s membership of ${space}, ` +
        "and these credentials no longer see the space (the caller was removed from it, or googlechat:impersonateUser names another user): " +
        "the removal can't be confirmed, so it is not counted as done. Restore the caller's access to the space, then pulumi up again.",
    });
    assert.deepEqual(await callsSince(t, mark), [`DELETE /v1/${app.name} 404`, `GET /v1/${space} 404`]);
    assert.deepEqual(await botsOf(space), [`${app.member} JOINED`]);
  });

  it("a refresh of the app's ChatMembership reads it without admin access, as Google allows", async () => {
    const space = await newSpace();
    const { id, outs } = await (await membershipProvider(t)).provider.create(membershipInputs("bot", { space, chatApp: true }));
    const { provider } = await membershipProvider(t, { useAdminAccess: true });
    const mark = await logMark(t);
    const read = await provider.read(id, outs as ChatMembershipOutputs);
    assert.equal(read.id, id);
    assert.deepEqual(read.props, outs);
    assert.deepEqual(await callsSince(t, mark), [`GET /v1/${id} 200`]);
  });

  it("ChatMembership.get of an app's membership with admin access: Google's refusal says what admin access can't do", async () => {
    const space = await newSpace();
    const { id } = await (await membershipProvider(t)).provider.create(membershipInputs("bot", { space, chatApp: true }));
    const { provider } = await membershipProvider(t, { useAdminAccess: true });
    await assert.rejects(provider.read(id), {
      message:
        `ChatMembership ${id}: spaces.members.get of ${space} failed (400 INVALID_ARGUMENT: Getting app memberships isn't supported with useAdminAccess.). ` +
        "With googlechat:useAdminAccess Google refuses Chat apps' memberships and users outside the organisation: " +
        "manage those with a provider instance without googlechat:useAdminAccess. Otherwise fix the member, role or times this message names and run again.",
    });
  });
});
