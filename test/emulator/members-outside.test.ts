import assert from "node:assert/strict";
import type { chat_v1 } from "@googleapis/chat";
import { isChatApiCall } from "../../emulator";
import { useEmulator } from "../helpers/emulator";

describe("emulator: membership changes made in Chat (control surface)", () => {
  const t = useEmulator();
  const alice = () => t.asDelegatedUser("alice@example.com", ["chat.spaces", "chat.memberships"]);
  let space: chat_v1.Schema$Space;
  const apiCalls = async () => (await t.control.requests()).filter(isChatApiCall).map((r) => r.rpc);
  const roster = async () =>
    (await alice().spaces.members.list({ parent: space.name!, showGroups: true })).data.memberships?.map((m) => [
      m.member?.name ?? m.groupMember?.name,
      m.role,
    ]);

  beforeEach(async () => {
    ({ data: space } = await alice().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "In Chat" } }));
  });

  it("adds people, groups and the app, and changes a role, as a manager in Chat does: the API then reads them, and nothing is logged for them", async () => {
    await t.control.addMember(space.name!, "users/bob@example.com", "ROLE_ASSISTANT_MANAGER");
    await t.control.addMember(space.name!, "groups/eng");
    const app = await t.control.addMember(space.name!, t.serviceAccount.client_email);
    assert.deepEqual(app.member, { name: `users/${t.serviceAccount.client_id}`, type: "BOT" });
    await t.control.setRole(space.name!, "users/bob@example.com", "ROLE_MANAGER");
    assert.deepEqual(await roster(), [
      ["users/110000000000000000002", "ROLE_MANAGER"],
      ["users/110000000000000000003", "ROLE_MANAGER"],
      ["groups/eng", undefined],
      [`users/${t.serviceAccount.client_id}`, "ROLE_MEMBER"],
    ]);
    assert.deepEqual(await apiCalls(), ["spaces.create", "spaces.members.list"]);
  });

  it("refuses what Chat refuses: a member twice, a role for a group, an unknown role or member", async () => {
    await assert.rejects(t.control.addMember(space.name!, "users/alice@example.com"), /"status":"ALREADY_EXISTS"/);
    await assert.rejects(t.control.addMember(space.name!, "groups/eng", "ROLE_MANAGER"), /A Google Group can't have ROLE_MANAGER./);
    await assert.rejects(t.control.setRole(space.name!, "users/alice@example.com", "ROLE_OWNER" as never), /Invalid membership role \\"ROLE_OWNER\\"./);
    await assert.rejects(
      t.control.addMember(space.name!, "users/nobody@example.com"),
      /users\/nobody@example.com is neither a user of the organisation nor a Chat app's service account./,
    );
  });
});
