import assert from "node:assert/strict";
import type { chat_v1 } from "@googleapis/chat";
import { googleError, useEmulator } from "../helpers/emulator";

describe("emulator: membership roles and removals", () => {
  const t = useEmulator();
  const admin = () => t.asDelegatedUser("admin@example.com", ["chat.spaces", "chat.memberships"]);
  const as = (email: string) => t.asDelegatedUser(email, ["chat.spaces", "chat.memberships"]);
  let space: chat_v1.Schema$Space;
  const member = (who: string) => `${space.name}/members/${who}`;
  const setRole = (who: string, role: string, client = admin()) =>
    client.spaces.members.patch({ name: member(who), updateMask: "role", requestBody: { role } });
  const lastManager = () =>
    googleError(
      400,
      "FAILED_PRECONDITION",
      `users/110000000000000000001 is the last space manager (ROLE_MANAGER) of ${space.name}: make another member a manager first.`,
    );

  beforeEach(async () => {
    ({ data: space } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Roles" } }));
    for (const email of ["alice@example.com", "bob@example.com"]) {
      await admin().spaces.members.create({ parent: space.name!, requestBody: { member: { name: `users/${email}`, type: "HUMAN" } } });
    }
  });

  it("keeps a manager: the last ROLE_MANAGER can't be demoted or removed or leave until another member is one", async () => {
    await assert.rejects(setRole("admin@example.com", "ROLE_ASSISTANT_MANAGER"), lastManager());
    await assert.rejects(admin().spaces.members.delete({ name: member("admin@example.com") }), lastManager());
    await setRole("alice@example.com", "ROLE_MANAGER");
    assert.equal((await setRole("admin@example.com", "ROLE_MEMBER", as("alice@example.com"))).data.role, "ROLE_MEMBER");
  });

  it("lets the last manager leave when keepLastManager is off", async () => {
    await t.control.setSettings({ keepLastManager: false });
    assert.equal((await admin().spaces.members.delete({ name: member("admin@example.com") })).data.role, "ROLE_MANAGER");
  });

  it("sets ROLE_ASSISTANT_MANAGER, who removes members but not managers, while a member removes nobody else", async () => {
    assert.equal((await setRole("alice@example.com", "ROLE_ASSISTANT_MANAGER")).data.role, "ROLE_ASSISTANT_MANAGER");
    await assert.rejects(
      as("bob@example.com").spaces.members.delete({ name: member("alice@example.com") }),
      googleError(403, "PERMISSION_DENIED", "Only a space manager can remove other members."),
    );
    await assert.rejects(
      as("alice@example.com").spaces.members.delete({ name: member("admin@example.com") }),
      googleError(403, "PERMISSION_DENIED", "Only a space manager can remove a space manager."),
    );
    await assert.rejects(
      setRole("bob@example.com", "ROLE_MANAGER", as("alice@example.com")),
      googleError(403, "PERMISSION_DENIED", "Only a space manager can change memberships."),
    );
    assert.equal((await as("alice@example.com").spaces.members.delete({ name: member("bob@example.com") })).data.state, "JOINED");
  });

  it("lets an app remove a space manager of a space it created, which it is never one of (v1.d.ts members.delete), and of no other", async () => {
    await t.control.setSettings({ keepLastManager: false });
    const [apps] = await t.control.seed([
      {
        displayName: "The app's",
        creator: t.serviceAccount.client_email,
        members: [
          { member: "users/admin@example.com", role: "ROLE_MANAGER" },
          { member: "users/alice@example.com", role: "ROLE_MANAGER" },
        ],
      },
    ]);
    await t.control.addMember(space.name!, t.serviceAccount.client_email);
    await setRole("alice@example.com", "ROLE_MANAGER");
    const app = t.asApp(["chat.app.memberships"]);
    assert.equal((await app.spaces.members.delete({ name: `${apps}/members/alice@example.com` })).data.role, "ROLE_MANAGER");
    await assert.rejects(
      app.spaces.members.delete({ name: member("alice@example.com") }),
      googleError(403, "PERMISSION_DENIED", "A Chat app can only manage memberships of spaces it created."),
    );
  });

  it("gives groups no role and Chat apps only ROLE_MEMBER", async () => {
    await admin().spaces.members.create({ parent: space.name!, requestBody: { groupMember: { name: "groups/eng" } } });
    await assert.rejects(setRole("eng", "ROLE_MEMBER"), googleError(400, "INVALID_ARGUMENT", "A Google Group's membership has no role."));
    await admin().spaces.members.create({ parent: space.name!, requestBody: { member: { name: "users/app", type: "BOT" } } });
    await assert.rejects(
      setRole(t.serviceAccount.client_id, "ROLE_MANAGER"),
      googleError(400, "INVALID_ARGUMENT", "A Chat app's membership can only have ROLE_MEMBER."),
    );
    await assert.rejects(setRole("bob@example.com", "ROLE_OWNER"), googleError(400, "INVALID_ARGUMENT", 'Invalid membership role "ROLE_OWNER".'));
  });

  it("lets admin access change roles in a space the administrator is not in, and an app only in the spaces it created", async () => {
    const { data: alices } = await as("alice@example.com").spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Alice's" } });
    await as("alice@example.com").spaces.members.create({ parent: alices.name!, requestBody: { member: { name: "users/app", type: "BOT" } } });
    await as("alice@example.com").spaces.members.create({ parent: alices.name!, requestBody: { member: { name: "users/bob@example.com", type: "HUMAN" } } });
    const adminAccess = t.asDelegatedUser("admin@example.com", ["chat.admin.memberships"]);
    const { data } = await adminAccess.spaces.members.patch({
      name: `${alices.name}/members/bob@example.com`,
      updateMask: "*",
      useAdminAccess: true,
      requestBody: { role: "ROLE_MANAGER" },
    });
    assert.equal(data.role, "ROLE_MANAGER");
    const app = t.asApp(["chat.app.memberships"]);
    await assert.rejects(
      app.spaces.members.patch({ name: `${alices.name}/members/110000000000000000003`, updateMask: "role", requestBody: { role: "ROLE_MEMBER" } }),
      googleError(403, "PERMISSION_DENIED", "A Chat app can only manage memberships of spaces it created."),
    );
    await assert.rejects(
      app.spaces.members.delete({ name: `${alices.name}/members/110000000000000000003` }),
      googleError(403, "PERMISSION_DENIED", "A Chat app can only manage memberships of spaces it created."),
    );
  });

  it("answers 404 to a non-member for every membership method, and for a membership that does not exist", async () => {
    const erin = t.asDelegatedUser("erin@partner.example", ["chat.memberships"]);
    const hidden = googleError(404, "NOT_FOUND", "Requested entity was not found.");
    await assert.rejects(erin.spaces.members.list({ parent: space.name! }), hidden);
    await assert.rejects(erin.spaces.members.get({ name: member("alice@example.com") }), hidden);
    await assert.rejects(erin.spaces.members.delete({ name: member("alice@example.com") }), hidden);
    await assert.rejects(setRole("alice@example.com", "ROLE_MEMBER", erin), hidden);
    await assert.rejects(admin().spaces.members.get({ name: member("erin@partner.example") }), hidden);
    await assert.rejects(admin().spaces.members.delete({ name: member("erin@partner.example") }), hidden);
  });
});
