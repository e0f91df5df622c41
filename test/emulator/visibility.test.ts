import assert from "node:assert/strict";
import type { chat_v1 } from "@googleapis/chat";
import { googleError, useEmulator } from "../helpers/emulator";

const HIDDEN_404 = googleError(404, "NOT_FOUND", "Requested entity was not found.");
const HIDDEN_403 = googleError(403, "PERMISSION_DENIED", "The caller does not have permission");

describe("emulator: who can see a space", () => {
  const t = useEmulator();
  const alice = () => t.asDelegatedUser("alice@example.com", ["chat.spaces", "chat.delete", "chat.memberships"]);
  const bob = () => t.asDelegatedUser("bob@example.com", ["chat.spaces", "chat.delete", "chat.memberships"]);
  const app = () => t.asApp(["chat.app.spaces", "chat.app.spaces.create", "chat.app.memberships", "chat.app.delete"]);
  const adminAccess = () => t.asDelegatedUser("admin@example.com", ["chat.admin.spaces.readonly"]);
  let space: chat_v1.Schema$Space;

  /** Alice's space, with Bob as a second manager. */
  async function sharedSpace(): Promise<chat_v1.Schema$Space> {
    const { data } = await alice().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Shared" } });
    await alice().spaces.members.create({ parent: data.name!, requestBody: { member: { name: "users/bob@example.com", type: "HUMAN" } } });
    await alice().spaces.members.patch({ name: `${data.name}/members/bob@example.com`, updateMask: "role", requestBody: { role: "ROLE_MANAGER" } });
    return data;
  }

  it("hides a space from its creator once it has left: every method answers as for a missing space", async () => {
    space = await sharedSpace();
    await alice().spaces.members.delete({ name: `${space.name}/members/alice@example.com` });
    const name = space.name!;
    await assert.rejects(alice().spaces.get({ name }), HIDDEN_404);
    await assert.rejects(alice().spaces.patch({ name, updateMask: "display_name", requestBody: { displayName: "X" } }), HIDDEN_404);
    await assert.rejects(alice().spaces.delete({ name }), HIDDEN_404);
    await assert.rejects(alice().spaces.members.list({ parent: name }), HIDDEN_404);
    assert.equal((await bob().spaces.get({ name })).data.displayName, "Shared", "the remaining manager still sees it");
  });

  it("answers 403 PERMISSION_DENIED for a hidden space when invisibleSpaceStatus is 403, and 404 for a missing one", async () => {
    await t.control.setSettings({ invisibleSpaceStatus: 403 });
    space = await sharedSpace();
    await alice().spaces.members.delete({ name: `${space.name}/members/alice@example.com` });
    await assert.rejects(alice().spaces.get({ name: space.name! }), HIDDEN_403);
    await assert.rejects(alice().spaces.delete({ name: space.name! }), HIDDEN_403);
    await assert.rejects(alice().spaces.get({ name: "spaces/AAAAmissing" }), HIDDEN_404);
  });

  it("hides a space from the Chat app a member removed, while admin access still sees it", async () => {
    ({ data: space } = await app().spaces.create({
      requestBody: { spaceType: "SPACE", displayName: "App space", customer: "customers/my_customer" },
    }));
    await app().spaces.members.create({ parent: space.name!, requestBody: { member: { name: "users/alice@example.com", type: "HUMAN" } } });
    // Alice's client is of the app's own project, so members/app names this app.
    await alice().spaces.members.delete({ name: `${space.name}/members/app` });
    await assert.rejects(app().spaces.get({ name: space.name! }), HIDDEN_404);
    await assert.rejects(app().spaces.delete({ name: space.name! }), HIDDEN_404);
    const seen = await adminAccess().spaces.get({ name: space.name!, useAdminAccess: true });
    assert.equal(seen.data.displayName, "App space");
  });

  it("lets admin access see every space of the organisation, and only an administrator use it", async () => {
    ({ data: space } = await alice().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Alice's" } }));
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.readonly", "chat.admin.spaces.readonly"]);
    await assert.rejects(admin.spaces.get({ name: space.name! }), HIDDEN_404);
    assert.equal((await admin.spaces.get({ name: space.name!, useAdminAccess: true })).data.displayName, "Alice's");
    const notAdmin = t.asDelegatedUser("bob@example.com", ["chat.admin.spaces.readonly"]);
    await assert.rejects(
      notAdmin.spaces.get({ name: space.name!, useAdminAccess: true }),
      googleError(403, "PERMISSION_DENIED", "useAdminAccess requires a Google Workspace administrator."),
    );
  });

  it("shows an import-mode space to its importer only, who becomes its manager when the import completes", async () => {
    const importer = t.asDelegatedUser("alice@example.com", ["chat.import"]);
    ({ data: space } = await importer.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Imported", importMode: true } }));
    assert.equal((await alice().spaces.get({ name: space.name! })).data.importMode, true);
    await assert.rejects(bob().spaces.get({ name: space.name! }), HIDDEN_404);
    await importer.spaces.completeImport({ name: space.name! });
    const members = await alice().spaces.members.list({ parent: space.name! });
    assert.deepEqual(
      members.data.memberships?.map((m) => [m.member?.name, m.role]),
      [["users/110000000000000000002", "ROLE_MANAGER"]],
    );
  });

  it("hides a completed import from its importer when importCreatorJoinsOnComplete is off", async () => {
    await t.control.setSettings({ importCreatorJoinsOnComplete: false });
    const importer = t.asDelegatedUser("alice@example.com", ["chat.import"]);
    ({ data: space } = await importer.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Orphan", importMode: true } }));
    const { data: done } = await importer.spaces.completeImport({ name: space.name! });
    assert.deepEqual(done.space?.membershipCount, {});
    await assert.rejects(alice().spaces.get({ name: space.name! }), HIDDEN_404);
  });

  it("lets a Chat app that is a member but not the creator read the space but not its permission settings", async () => {
    ({ data: space } = await alice().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "With app" } }));
    await alice().spaces.members.create({ parent: space.name!, requestBody: { member: { name: "users/app", type: "BOT" } } });
    const { data } = await app().spaces.get({ name: space.name! });
    assert.equal(data.displayName, "With app");
    assert.equal("permissionSettings" in data, false);
    await assert.rejects(
      app().spaces.patch({
        name: space.name!,
        updateMask: "permission_settings.manage_apps",
        requestBody: { permissionSettings: { manageApps: { managersAllowed: true } } },
      }),
      googleError(403, "PERMISSION_DENIED", "A Chat app can only update permission settings of spaces it created."),
    );
  });
});
