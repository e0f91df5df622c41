import assert from "node:assert/strict";
import type { chat_v1 } from "@googleapis/chat";
import { googleError, useEmulator } from "../helpers/emulator";

describe("emulator: spaces.patch update masks", () => {
  const t = useEmulator();
  const admin = () => t.asDelegatedUser("admin@example.com", ["chat.spaces", "chat.memberships"]);
  let space: chat_v1.Schema$Space;
  const patch = (updateMask: string, requestBody: chat_v1.Schema$Space, client = admin()) =>
    client.spaces.patch({ name: space.name!, updateMask, requestBody });

  beforeEach(async () => {
    ({ data: space } = await admin().spaces.create({
      requestBody: { spaceType: "SPACE", displayName: "Team", spaceDetails: { description: "d", guidelines: "g" } },
    }));
  });

  it("accepts camelCase and snake_case paths, and returns the full space", async () => {
    const a = await patch("displayName", { displayName: "Team A" });
    assert.equal(a.data.displayName, "Team A");
    assert.equal(a.data.spaceUri, space.spaceUri);
    const b = await patch("display_name", { displayName: "Team B" });
    assert.equal(b.data.displayName, "Team B");
  });

  it("replaces description and guidelines together: an omitted one is cleared", async () => {
    const { data } = await patch("space_details", { spaceDetails: { description: "new" } });
    assert.deepEqual(data.spaceDetails, { description: "new" });
  });

  it("changes history, audience and permission settings each in a mask of their own kind", async () => {
    assert.equal((await patch("space_history_state", { spaceHistoryState: "HISTORY_OFF" })).data.spaceHistoryState, "HISTORY_OFF");
    const open = await patch("access_settings.audience", { accessSettings: { audience: "audiences/default" } });
    assert.deepEqual(open.data.accessSettings, { accessState: "DISCOVERABLE", audience: "audiences/default" });
    const closed = await patch("accessSettings.audience", { accessSettings: {} });
    assert.deepEqual(closed.data.accessSettings, { accessState: "PRIVATE" });
    const perms = await patch("permission_settings.manageApps,permissionSettings.useAtMentionAll", {
      permissionSettings: { manageApps: { managersAllowed: true }, useAtMentionAll: { managersAllowed: true, assistantManagersAllowed: true } },
    });
    assert.deepEqual(perms.data.permissionSettings?.manageApps, { managersAllowed: true });
    assert.deepEqual(perms.data.permissionSettings?.useAtMentionAll, { managersAllowed: true, assistantManagersAllowed: true });
    assert.deepEqual(perms.data.permissionSettings?.toggleHistory, { managersAllowed: true, membersAllowed: true });
  });

  const conflicts: [string, string, chat_v1.Schema$Space, string][] = [
    ["no mask", "", {}, "update_mask is required."],
    ["an unknown path", "colour", {}, 'Invalid update_mask path "colour": it is not an updatable field of Space.'],
    ["import_mode", "importMode", { importMode: false }, "import_mode can't be updated; complete the import with spaces.completeImport."],
    [
      "history with another path",
      "space_history_state,display_name",
      { spaceHistoryState: "HISTORY_OFF", displayName: "X" },
      "space_history_state must be the only path in update_mask.",
    ],
    [
      "audience with another path",
      "display_name,access_settings.audience",
      { displayName: "X", accessSettings: { audience: "audiences/default" } },
      "access_settings.audience must be the only path in update_mask.",
    ],
    [
      "permission settings with display_name",
      "permission_settings.manageApps,display_name",
      { displayName: "X", permissionSettings: { manageApps: { managersAllowed: true } } },
      "permission_settings paths can only be combined with other permission_settings paths.",
    ],
    ["a changed customer", "customer", { customer: "customers/C0other" }, "customer is immutable and can't be changed after the space is created."],
    [
      "a changed externalUserAllowed",
      "external_user_allowed",
      { externalUserAllowed: true },
      "external_user_allowed is immutable and can't be changed after the space is created.",
    ],
    [
      "space_type SPACE to GROUP_CHAT",
      "space_type,display_name",
      { spaceType: "GROUP_CHAT", displayName: "X" },
      "space_type can only be changed from GROUP_CHAT to SPACE.",
    ],
    ["an empty displayName", "display_name", { displayName: "" }, "space.display_name must not be empty for a space of type SPACE."],
    [
      "a permission path without its setting",
      "permission_settings.manageWebhooks",
      {},
      "permission_settings.manage_webhooks is in update_mask but space.permission_settings.manageWebhooks is not set.",
    ],
    [
      "a 151-character description",
      "space_details",
      { spaceDetails: { description: "d".repeat(151) } },
      "space.space_details.description is 151 characters long; it supports up to 150 characters.",
    ],
  ];
  for (const [what, mask, body, message] of conflicts) {
    it(`refuses ${what} with 400`, async () => {
      await assert.rejects(patch(mask, body), googleError(400, "INVALID_ARGUMENT", message));
      const state = await t.control.state();
      assert.equal(state.spaces[space.name!.slice(7)].displayName, "Team", "nothing changed");
    });
  }

  it("accepts an immutable path whose value is unchanged, and ignores output-only paths", async () => {
    const { data } = await patch("customer,space_uri,display_name", {
      customer: "customers/my_customer",
      spaceUri: "https://elsewhere",
      displayName: "Same customer",
    });
    assert.equal(data.displayName, "Same customer");
    assert.equal(data.spaceUri, space.spaceUri);
  });

  it("refuses display_name on a GROUP_CHAT unless space_type GROUP_CHAT to SPACE is in the same mask", async () => {
    const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
    const { data: group } = await importer.spaces.create({ requestBody: { spaceType: "GROUP_CHAT", importMode: true } });
    await assert.rejects(
      importer.spaces.patch({ name: group.name!, updateMask: "display_name", requestBody: { displayName: "Now a space" } }),
      googleError(400, "INVALID_ARGUMENT", "display_name can only be updated for a space of type SPACE."),
    );
    await assert.rejects(
      importer.spaces.patch({ name: group.name!, updateMask: "space_type", requestBody: { spaceType: "SPACE", displayName: "N" } }),
      googleError(400, "INVALID_ARGUMENT", "Include display_name with space_type in update_mask when changing a GROUP_CHAT to a SPACE."),
    );
    const { data } = await importer.spaces.patch({
      name: group.name!,
      updateMask: "space_type,display_name",
      requestBody: { spaceType: "SPACE", displayName: "Now a space" },
    });
    assert.equal(data.spaceType, "SPACE");
    assert.equal(data.displayName, "Now a space");
  });

  it("refuses audience changes in import mode", async () => {
    const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
    const { data: imported } = await importer.spaces.create({
      requestBody: { spaceType: "SPACE", displayName: "Imported", importMode: true },
    });
    await assert.rejects(
      importer.spaces.patch({
        name: imported.name!,
        updateMask: "access_settings.audience",
        requestBody: { accessSettings: { audience: "audiences/default" } },
      }),
      googleError(400, "INVALID_ARGUMENT", "access_settings.audience can't be updated in import mode."),
    );
  });

  it("answers ALREADY_EXISTS when the new displayName is taken", async () => {
    await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Taken" } });
    await assert.rejects(patch("display_name", { displayName: "Taken" }), googleError(409, "ALREADY_EXISTS"));
  });

  it("refuses history changes when the organisation does not allow them (FAILED_PRECONDITION)", async () => {
    await t.control.setSettings({ historyToggleAllowed: false });
    await assert.rejects(
      patch("space_history_state", { spaceHistoryState: "HISTORY_OFF" }),
      googleError(400, "FAILED_PRECONDITION", "History settings are not enabled for this Google Workspace organization."),
    );
  });

  it("refuses history, audience and permission paths with useAdminAccess", async () => {
    const adminAccess = t.asDelegatedUser("admin@example.com", ["chat.admin.spaces"]);
    await assert.rejects(
      adminAccess.spaces.patch({
        name: space.name!,
        updateMask: "space_history_state",
        useAdminAccess: true,
        requestBody: { spaceHistoryState: "HISTORY_OFF" },
      }),
      googleError(400, "INVALID_ARGUMENT", "space_history_state is not supported with useAdminAccess."),
    );
    const { data } = await adminAccess.spaces.patch({
      name: space.name!,
      updateMask: "display_name",
      useAdminAccess: true,
      requestBody: { displayName: "Renamed by admin" },
    });
    assert.equal(data.displayName, "Renamed by admin");
  });

  it("lets only managers change the audience, and never an app", async () => {
    await admin().spaces.members.create({ parent: space.name!, requestBody: { member: { name: "users/bob@example.com", type: "HUMAN" } } });
    const bob = t.asDelegatedUser("bob@example.com", ["chat.spaces"]);
    await assert.rejects(
      patch("access_settings.audience", { accessSettings: { audience: "audiences/default" } }, bob),
      googleError(403, "PERMISSION_DENIED", "Only a space manager can update access_settings.audience."),
    );
  });

  it("lets an app change permission settings only of the spaces it created, and not see the others", async () => {
    const app = t.asApp(["chat.app.spaces"]);
    const { data: own } = await app.spaces.create({
      requestBody: { spaceType: "SPACE", displayName: "App space", customer: "customers/my_customer" },
    });
    const { data } = await app.spaces.patch({
      name: own.name!,
      updateMask: "permission_settings.manage_apps",
      requestBody: { permissionSettings: { manageApps: { managersAllowed: true } } },
    });
    assert.deepEqual(data.permissionSettings?.manageApps, { managersAllowed: true });
    await assert.rejects(
      app.spaces.patch({ name: space.name!, updateMask: "display_name", requestBody: { displayName: "Hijack" } }),
      googleError(404, "NOT_FOUND", "Requested entity was not found."),
    );
  });
});
