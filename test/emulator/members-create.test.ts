import assert from "node:assert/strict";
import type { chat_v1 } from "@googleapis/chat";
import { googleError, useEmulator } from "../helpers/emulator";

const ALICE = "users/110000000000000000002";
const BOB = "users/110000000000000000003";
const ERIN = "users/110000000000000000009";

describe("emulator: spaces.members.create", () => {
  const t = useEmulator();
  const admin = () => t.asDelegatedUser("admin@example.com", ["chat.spaces", "chat.memberships"]);
  const as = (email: string) => t.asDelegatedUser(email, ["chat.spaces", "chat.memberships"]);
  let space: chat_v1.Schema$Space;
  const add = (name: string, client = admin(), parent = space.name!) =>
    client.spaces.members.create({ parent, requestBody: { member: { name, type: "HUMAN" } } });

  beforeEach(async () => {
    ({ data: space } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Create" } }));
  });

  it("invites a user whose auto-accept is off: hidden from the list without showInvited and from the space until they accept", async () => {
    await t.control.setSettings({ autoAcceptOff: ["bob@example.com"] });
    const { data } = await add("users/bob@example.com");
    assert.deepEqual([data.name, data.state, data.role], [`${space.name}/members/110000000000000000003`, "INVITED", "ROLE_MEMBER"]);
    const listed = async (showInvited?: boolean) =>
      (await admin().spaces.members.list({ parent: space.name!, showInvited })).data.memberships?.map((m) => [m.member?.name, m.state]);
    assert.deepEqual(await listed(), [["users/110000000000000000001", "JOINED"]]);
    assert.deepEqual(await listed(true), [
      ["users/110000000000000000001", "JOINED"],
      [BOB, "INVITED"],
    ]);
    await assert.rejects(as("bob@example.com").spaces.get({ name: space.name! }), googleError(404, "NOT_FOUND"));
    assert.deepEqual((await admin().spaces.get({ name: space.name! })).data.membershipCount, { joinedDirectHumanUserCount: 1 });

    const accepted = await t.control.acceptInvitation(space.name!, "users/bob@example.com");
    assert.equal(accepted.state, "JOINED");
    assert.equal((await as("bob@example.com").spaces.get({ name: space.name! })).data.name, space.name);
    await assert.rejects(t.control.acceptInvitation(space.name!, BOB), /users\/110000000000000000003 has no pending invitation to spaces\//);
  });

  it("an invitation made in Chat (outside change inviteMember) is INVITED with its role, listed only with showInvited, until the person accepts", async () => {
    const invited = await t.control.inviteMember(space.name!, "users/Bob@example.com", "ROLE_ASSISTANT_MANAGER");
    assert.deepEqual([invited.member?.name, invited.state, invited.role], [BOB, "INVITED", "ROLE_ASSISTANT_MANAGER"]);
    const listed = async (showInvited?: boolean) =>
      (await admin().spaces.members.list({ parent: space.name!, showInvited })).data.memberships?.map((m) => [m.member?.name, m.state]);
    assert.deepEqual(await listed(), [["users/110000000000000000001", "JOINED"]]);
    assert.deepEqual(await listed(true), [
      ["users/110000000000000000001", "JOINED"],
      [BOB, "INVITED"],
    ]);
    await assert.rejects(add("users/bob@example.com"), googleError(409, "ALREADY_EXISTS"));
    assert.equal((await t.control.acceptInvitation(space.name!, BOB)).state, "JOINED");
    await assert.rejects(t.control.inviteMember(space.name!, "groups/devs"), /Only a person is invited: groups\/devs is not a user of the organisation\./);
  });

  it("takes a user's email in any capitals, as Google compares emails: create, get, delete, and ALREADY_EXISTS", async () => {
    await t.control.setSettings({ autoAcceptOff: ["Bob@Example.com"] });
    const { data } = await add("users/Alice@Example.com");
    assert.equal(data.member?.name, ALICE);
    assert.equal((await add("users/BOB@example.COM")).data.state, "INVITED");
    await assert.rejects(add("users/alice@EXAMPLE.com"), googleError(409, "ALREADY_EXISTS", `${ALICE} is already a member of ${space.name}.`));
    assert.equal((await admin().spaces.members.get({ name: `${space.name}/members/ALICE@example.com` })).data.name, data.name);
    await admin().spaces.members.delete({ name: `${space.name}/members/Alice@Example.COM` });
    await assert.rejects(admin().spaces.members.get({ name: data.name! }), googleError(404, "NOT_FOUND"));
    assert.equal((await t.control.addMember(space.name!, "users/Alice@example.com")).member?.name, ALICE);
  });

  it("ignores a role on create: the new member is ROLE_MEMBER", async () => {
    const { data } = await admin().spaces.members.create({
      parent: space.name!,
      requestBody: { member: { name: "users/alice@example.com", type: "HUMAN" }, role: "ROLE_MANAGER" },
    });
    assert.equal(data.role, "ROLE_MEMBER");
  });

  it("answers ALREADY_EXISTS naming the canonical member, by email or id, for users, groups and the app", async () => {
    await add("users/alice@example.com");
    const exists = (member: string) => googleError(409, "ALREADY_EXISTS", `${member} is already a member of ${space.name}.`);
    await assert.rejects(add("users/alice@example.com"), exists(ALICE));
    await assert.rejects(add(ALICE), exists(ALICE));
    const group = () => admin().spaces.members.create({ parent: space.name!, requestBody: { groupMember: { name: "groups/eng" } } });
    await group();
    await assert.rejects(group(), exists("groups/eng"));
    const app = () => admin().spaces.members.create({ parent: space.name!, requestBody: { member: { name: "users/app", type: "BOT" } } });
    await app();
    await assert.rejects(app(), exists(`users/${t.serviceAccount.client_id}`));
  });

  it("adds a user outside the organisation only where the space allows it, and never with admin access or app auth", async () => {
    await assert.rejects(
      add("users/erin@partner.example"),
      googleError(400, "FAILED_PRECONDITION", `${space.name} doesn't allow users outside its Google Workspace organization (externalUserAllowed is false).`),
    );
    const { data: open } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Open", externalUserAllowed: true } });
    assert.equal((await add("users/erin@partner.example", admin(), open.name!)).data.member?.name, ERIN);
    await admin().spaces.members.delete({ name: `${open.name}/members/erin@partner.example` });
    const adminAccess = t.asDelegatedUser("admin@example.com", ["chat.admin.memberships"]);
    await assert.rejects(
      adminAccess.spaces.members.create({ parent: open.name!, useAdminAccess: true, requestBody: { member: { name: ERIN, type: "HUMAN" } } }),
      googleError(
        400,
        "INVALID_ARGUMENT",
        "Creating memberships for users outside the administrator's Google Workspace organization isn't supported with useAdminAccess.",
      ),
    );
    const app = t.asApp(["chat.app.spaces.create", "chat.app.memberships"]);
    const { data: own } = await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "App's", customer: "customers/my_customer" } });
    await assert.rejects(
      add(ERIN, app, own.name!),
      googleError(403, "PERMISSION_DENIED", "A Chat app can't invite users outside the Google Workspace organization that owns the space."),
    );
  });

  it("lets an app add people only to spaces it created, unless appMembersOnlyInOwnSpaces is off", async () => {
    await admin().spaces.members.create({ parent: space.name!, requestBody: { member: { name: "users/app", type: "BOT" } } });
    const app = t.asApp(["chat.app.memberships"]);
    await assert.rejects(add(BOB, app), googleError(403, "PERMISSION_DENIED", "A Chat app can only add members to spaces it created."));
    await t.control.setSettings({ appMembersOnlyInOwnSpaces: false });
    assert.equal((await add(BOB, app)).data.state, "JOINED");
  });

  it("lets a member add people while manageMembersAndGroups allows members, and only managers once it doesn't", async () => {
    await add("users/alice@example.com");
    await add("users/bob@example.com", as("alice@example.com"));
    await admin().spaces.patch({
      name: space.name!,
      updateMask: "permission_settings.manage_members_and_groups",
      requestBody: { permissionSettings: { manageMembersAndGroups: { managersAllowed: true } } },
    });
    await admin().spaces.members.delete({ name: `${space.name}/members/bob@example.com` });
    await assert.rejects(
      add("users/bob@example.com", as("alice@example.com")),
      googleError(403, "PERMISSION_DENIED", "The space's manageMembersAndGroups permission setting doesn't let the caller add members."),
    );
  });

  it("refuses createTime outside import mode, and a person with only the chat.memberships.app scope", async () => {
    await assert.rejects(
      admin().spaces.members.create({ parent: space.name!, requestBody: { member: { name: ALICE, type: "HUMAN" }, createTime: "2024-01-01T00:00:00Z" } }),
      googleError(400, "INVALID_ARGUMENT", "membership.create_time and membership.delete_time can only be set in an import mode space."),
    );
    const appScope = t.asDelegatedUser("admin@example.com", ["chat.memberships.app"]);
    await assert.rejects(add(ALICE, appScope), googleError(403, "PERMISSION_DENIED", "The chat.memberships.app scope can only add the calling app."));
  });
});
