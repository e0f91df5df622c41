import assert from "node:assert/strict";
import type { chat_v1 } from "@googleapis/chat";
import { googleError, useEmulator } from "../helpers/emulator";

describe("emulator: spaces.members", () => {
  const t = useEmulator();
  const admin = () => t.asDelegatedUser("admin@example.com", ["chat.spaces", "chat.memberships"]);
  let space: chat_v1.Schema$Space;
  const add = (name: string, client = admin()) => client.spaces.members.create({ parent: space.name!, requestBody: { member: { name, type: "HUMAN" } } });

  beforeEach(async () => {
    ({ data: space } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Members" } }));
  });

  it("adds a user by email as a joined member with the canonical users/{id} name", async () => {
    const { data } = await add("users/alice@example.com");
    assert.deepEqual(
      { ...data, createTime: undefined },
      {
        name: `${space.name}/members/110000000000000000002`,
        state: "JOINED",
        role: "ROLE_MEMBER",
        member: { name: "users/110000000000000000002", type: "HUMAN" },
        createTime: undefined,
      },
    );
    const count = (await admin().spaces.get({ name: space.name! })).data.membershipCount;
    assert.deepEqual(count, { joinedDirectHumanUserCount: 2 });
  });

  it("refuses a malformed member with Google's text, and a second add with 409", async () => {
    await assert.rejects(
      add("alice@example.com"),
      googleError(
        400,
        "INVALID_ARGUMENT",
        "Missing or malformed user resource name in the request. Human user resource name must follow this format: users/{user}. App user resource name must be set as users/app.",
      ),
    );
    await add("users/alice@example.com");
    await assert.rejects(add("users/110000000000000000002"), googleError(409, "ALREADY_EXISTS"));
  });

  it("gets by email or id, lists with a role filter, and shows groups only when asked", async () => {
    await add("users/alice@example.com");
    await admin().spaces.members.create({ parent: space.name!, requestBody: { groupMember: { name: "groups/eng" } } });
    const byEmail = await admin().spaces.members.get({ name: `${space.name}/members/alice@example.com` });
    assert.equal(byEmail.data.member?.name, "users/110000000000000000002");
    const managers = await admin().spaces.members.list({ parent: space.name!, filter: 'role = "ROLE_MANAGER"' });
    assert.deepEqual(
      managers.data.memberships?.map((m) => m.member?.name),
      ["users/110000000000000000001"],
    );
    const all = await admin().spaces.members.list({ parent: space.name! });
    assert.equal(all.data.memberships?.length, 2);
    const withGroups = await admin().spaces.members.list({ parent: space.name!, showGroups: true });
    assert.deepEqual(withGroups.data.memberships?.[2], {
      name: `${space.name}/members/eng`,
      state: "JOINED",
      groupMember: { name: "groups/eng" },
      createTime: withGroups.data.memberships?.[2].createTime,
    });
  });

  it("changes a role with the role mask only, and only managers may", async () => {
    await add("users/alice@example.com");
    const name = `${space.name}/members/alice@example.com`;
    await assert.rejects(
      admin().spaces.members.patch({ name, updateMask: "state", requestBody: { role: "ROLE_MANAGER" } }),
      googleError(400, "INVALID_ARGUMENT", 'Invalid update_mask "state": only role (or *) can be updated.'),
    );
    const { data } = await admin().spaces.members.patch({ name, updateMask: "role", requestBody: { role: "ROLE_MANAGER" } });
    assert.equal(data.role, "ROLE_MANAGER");
    await add("users/bob@example.com");
    const bob = t.asDelegatedUser("bob@example.com", ["chat.memberships"]);
    await assert.rejects(
      bob.spaces.members.patch({ name: `${space.name}/members/bob@example.com`, updateMask: "role", requestBody: { role: "ROLE_MANAGER" } }),
      googleError(403, "PERMISSION_DENIED", "Only a space manager can change memberships."),
    );
  });

  it("removes a member and returns the removed membership", async () => {
    await add("users/alice@example.com");
    const { data } = await admin().spaces.members.delete({ name: `${space.name}/members/alice@example.com` });
    assert.equal(data.member?.name, "users/110000000000000000002");
    await assert.rejects(admin().spaces.members.get({ name: `${space.name}/members/alice@example.com` }), googleError(404, "NOT_FOUND"));
  });

  it("lets an app add people to its own spaces but not groups", async () => {
    const app = t.asApp(["chat.app.spaces.create", "chat.app.memberships"]);
    const { data: own } = await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "App members", customer: "customers/my_customer" } });
    await app.spaces.members.create({ parent: own.name!, requestBody: { member: { name: "users/bob@example.com", type: "HUMAN" } } });
    await assert.rejects(
      app.spaces.members.create({ parent: own.name!, requestBody: { groupMember: { name: "groups/eng" } } }),
      googleError(403, "PERMISSION_DENIED", "A Chat app can't add Google Groups to a space."),
    );
  });

  it("lets any member remove the Chat app with members/app while manageApps allows members, and only managers once it doesn't", async () => {
    await add("users/alice@example.com");
    const addApp = () => admin().spaces.members.create({ parent: space.name!, requestBody: { member: { name: "users/app", type: "BOT" } } });
    await addApp();
    // chat.memberships.app is the scope Google names for removing the calling app.
    const alice = t.asDelegatedUser("alice@example.com", ["chat.memberships.app"]);
    const { data } = await alice.spaces.members.delete({ name: `${space.name}/members/app` });
    assert.deepEqual(data.member, { name: `users/${t.serviceAccount.client_id}`, type: "BOT" });
    await addApp();
    await t.asDelegatedUser("admin@example.com", ["chat.spaces"]).spaces.patch({
      name: space.name!,
      updateMask: "permission_settings.manage_apps",
      requestBody: { permissionSettings: { manageApps: { managersAllowed: true } } },
    });
    await assert.rejects(
      alice.spaces.members.delete({ name: `${space.name}/members/app` }),
      googleError(403, "PERMISSION_DENIED", "The space's manageApps permission setting doesn't let the caller remove a Chat app from this space."),
    );
    await assert.rejects(
      alice.spaces.members.delete({ name: `${space.name}/members/admin@example.com` }),
      googleError(403, "PERMISSION_DENIED", "The chat.memberships.app scope can only remove the calling app."),
    );
  });

  it("lets a member leave a space it does not manage", async () => {
    await add("users/bob@example.com");
    const bob = t.asDelegatedUser("bob@example.com", ["chat.memberships"]);
    await bob.spaces.members.delete({ name: `${space.name}/members/bob@example.com` });
    await assert.rejects(bob.spaces.members.list({ parent: space.name! }), googleError(404, "NOT_FOUND"));
  });

  it("keeps app memberships out of admin access: not listed, and not added, read or removed with it", async () => {
    await admin().spaces.members.create({ parent: space.name!, requestBody: { member: { name: "users/app", type: "BOT" } } });
    const adminAccess = t.asDelegatedUser("admin@example.com", ["chat.admin.memberships"]);
    const listed = await adminAccess.spaces.members.list({ parent: space.name!, useAdminAccess: true, filter: 'member.type != "BOT"' });
    assert.deepEqual(
      listed.data.memberships?.map((m) => m.member?.type),
      ["HUMAN"],
    );
    await assert.rejects(
      adminAccess.spaces.members.list({ parent: space.name!, useAdminAccess: true }),
      googleError(400, "INVALID_ARGUMENT", 'With useAdminAccess the filter must include member.type = "HUMAN" or member.type != "BOT".'),
    );
    const appMember = `${space.name}/members/${t.serviceAccount.client_id}`;
    await assert.rejects(
      adminAccess.spaces.members.get({ name: appMember, useAdminAccess: true }),
      googleError(400, "INVALID_ARGUMENT", "Getting app memberships isn't supported with useAdminAccess."),
    );
    await assert.rejects(
      adminAccess.spaces.members.delete({ name: appMember, useAdminAccess: true }),
      googleError(400, "INVALID_ARGUMENT", "Deleting app memberships isn't supported with useAdminAccess."),
    );
    await assert.rejects(
      adminAccess.spaces.members.create({ parent: space.name!, useAdminAccess: true, requestBody: { member: { name: "users/app", type: "BOT" } } }),
      googleError(400, "INVALID_ARGUMENT", "Creating app memberships isn't supported with useAdminAccess."),
    );
  });
});
