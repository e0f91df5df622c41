import assert from "node:assert/strict";
import type { chat_v1 } from "@googleapis/chat";
import { googleError, useEmulator } from "../helpers/emulator";

const ADMIN = "users/110000000000000000001";
const ALICE = "users/110000000000000000002";
const BOB = "users/110000000000000000003";

describe("emulator: spaces.members.list", () => {
  const t = useEmulator();
  const admin = () => t.asDelegatedUser("admin@example.com", ["chat.spaces", "chat.memberships"]);
  let space: chat_v1.Schema$Space;
  const names = async (params: chat_v1.Params$Resource$Spaces$Members$List, client = admin()) =>
    (await client.spaces.members.list({ parent: space.name!, ...params })).data.memberships?.map((m) => m.member?.name ?? m.groupMember?.name);

  beforeEach(async () => {
    ({ data: space } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "List" } }));
    for (const name of ["users/alice@example.com", "users/bob@example.com", "users/app"]) {
      await admin().spaces.members.create({ parent: space.name!, requestBody: { member: { name, type: name === "users/app" ? "BOT" : "HUMAN" } } });
    }
    await admin().spaces.members.create({ parent: space.name!, requestBody: { groupMember: { name: "groups/eng" } } });
    await admin().spaces.members.patch({
      name: `${space.name}/members/alice@example.com`,
      updateMask: "role",
      requestBody: { role: "ROLE_ASSISTANT_MANAGER" },
    });
  });

  it("filters by role and member.type with AND, OR and !=, as Google's examples do", async () => {
    const app = `users/${t.serviceAccount.client_id}`;
    assert.deepEqual(await names({ filter: 'role = "ROLE_MANAGER" OR role = "ROLE_MEMBER"' }), [ADMIN, BOB, app]);
    assert.deepEqual(await names({ filter: 'member.type = "HUMAN" AND role = "ROLE_MANAGER"' }), [ADMIN]);
    assert.deepEqual(await names({ filter: 'member.type != "BOT"' }), [ADMIN, ALICE, BOB]);
    assert.deepEqual(await names({ filter: 'role = "ROLE_ASSISTANT_MANAGER"' }), [ALICE]);
    assert.deepEqual(await names({ filter: 'member.type = "BOT" OR role = "ROLE_MANAGER"' }), [ADMIN, app]);
    assert.deepEqual(await names({ filter: 'member.type != "BOT" AND (role = "ROLE_MANAGER" OR role = "ROLE_MEMBER")', showGroups: true }), [ADMIN, BOB]);
    assert.deepEqual(await names({ filter: 'member.type != "BOT"', showGroups: true }), [ADMIN, ALICE, BOB, "groups/eng"]);
  });

  it("refuses Google's invalid examples and anything outside the grammar with INVALID_ARGUMENT", async () => {
    const refused = async (filter: string, why: string) =>
      assert.rejects(names({ filter }), googleError(400, "INVALID_ARGUMENT", `Invalid filter "${filter}": ${why}`));
    await refused('member.type = "HUMAN" AND member.type = "BOT"', "member.type can't be tested in two clauses joined by AND.");
    await refused('role = "ROLE_MANAGER" AND role = "ROLE_MEMBER"', "role can't be tested in two clauses joined by AND.");
    await refused('role != "ROLE_MANAGER"', "only member.type can be tested with !=.");
    await refused('member.type = "GROUP"', "member.type must be one of HUMAN, BOT.");
    await refused('state = "JOINED"', 'use role = "..." or member.type = "..." terms joined by AND or OR.');
  });

  it("pages with pageSize and pageToken, and refuses a negative pageSize", async () => {
    const first = await admin().spaces.members.list({ parent: space.name!, pageSize: 2 });
    assert.deepEqual(
      first.data.memberships?.map((m) => m.member?.name),
      [ADMIN, ALICE],
    );
    const second = await admin().spaces.members.list({ parent: space.name!, pageSize: 2, pageToken: first.data.nextPageToken! });
    assert.deepEqual(
      second.data.memberships?.map((m) => m.member?.name),
      [BOB, `users/${t.serviceAccount.client_id}`],
    );
    assert.equal(second.data.nextPageToken, undefined);
    await assert.rejects(
      admin().spaces.members.list({ parent: space.name!, pageSize: -1 }),
      googleError(400, "INVALID_ARGUMENT", "page_size must be a non-negative integer."),
    );
  });

  it("lists no app memberships and no invitations with app auth: showInvited needs user authentication", async () => {
    await t.control.setSettings({ autoAcceptOff: ["erin@partner.example"] });
    const { data: open } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Open", externalUserAllowed: true } });
    await admin().spaces.members.create({ parent: open.name!, requestBody: { member: { name: "users/app", type: "BOT" } } });
    await admin().spaces.members.create({ parent: open.name!, requestBody: { member: { name: "users/erin@partner.example", type: "HUMAN" } } });
    const app = t.asApp(["chat.bot"]);
    const listed = await app.spaces.members.list({ parent: open.name!, showInvited: true });
    assert.deepEqual(
      listed.data.memberships?.map((m) => m.member?.name),
      [ADMIN],
    );
    const byUser = await admin().spaces.members.list({ parent: open.name!, showInvited: true });
    assert.deepEqual(
      byUser.data.memberships?.map((m) => [m.member?.name, m.state]),
      [
        [ADMIN, "JOINED"],
        [`users/${t.serviceAccount.client_id}`, "JOINED"],
        ["users/110000000000000000009", "INVITED"],
      ],
    );
  });
});
