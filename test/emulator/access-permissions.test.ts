import assert from "node:assert/strict";
import type { chat_v1 } from "@googleapis/chat";
import { googleError, useEmulator } from "../helpers/emulator";

const DISCOVER = "accessSettings.accessPermissionSettings.discoverSpaceSetting";
const JOIN = "accessSettings.accessPermissionSettings.joinSpaceSetting";
const audiences = (...names: string[]) => ({ principals: names.map((name) => ({ audience: { name } })) });

describe("emulator: access_settings.access_permission_settings", () => {
  const t = useEmulator();
  const manager = () => t.asDelegatedUser("admin@example.com", ["chat.spaces", "chat.memberships"]);
  let space: chat_v1.Schema$Space;
  const patch = (updateMask: string, accessPermissionSettings: chat_v1.Schema$AccessPermissionSettings, client = manager()) =>
    client.spaces.patch({ name: space.name!, updateMask, requestBody: { accessSettings: { accessPermissionSettings } } });

  beforeEach(async () => {
    ({ data: space } = await manager().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Open" } }));
  });

  it("sets who may discover and join, makes the space discoverable, and clears a named setting sent empty", async () => {
    const { data } = await patch(`${DISCOVER},${JOIN}`, {
      discoverSpaceSetting: audiences("audiences/default", "audiences/eng"),
      joinSpaceSetting: audiences("audiences/eng"),
    });
    assert.deepEqual(data.accessSettings, {
      accessState: "DISCOVERABLE",
      accessPermissionSettings: {
        discoverSpaceSetting: audiences("audiences/default", "audiences/eng"),
        joinSpaceSetting: audiences("audiences/eng"),
      },
    });
    const { data: joinCleared } = await patch("access_settings.access_permission_settings.join_space_setting", {});
    assert.deepEqual(joinCleared.accessSettings, {
      accessState: "DISCOVERABLE",
      accessPermissionSettings: { discoverSpaceSetting: audiences("audiences/default", "audiences/eng") },
    });
    const { data: closed } = await patch(DISCOVER, {});
    assert.deepEqual(closed.accessSettings, { accessState: "PRIVATE" });
  });

  it("lets an assistant manager change them", async () => {
    await manager().spaces.members.create({ parent: space.name!, requestBody: { member: { name: "users/bob@example.com", type: "HUMAN" } } });
    await manager().spaces.members.patch({
      name: `${space.name}/members/bob@example.com`,
      updateMask: "role",
      requestBody: { role: "ROLE_ASSISTANT_MANAGER" },
    });
    const bob = t.asDelegatedUser("bob@example.com", ["chat.spaces"]);
    const { data } = await patch(DISCOVER, { discoverSpaceSetting: audiences("audiences/default") }, bob);
    assert.equal(data.accessSettings?.accessState, "DISCOVERABLE");
  });

  const refusals: [string, string, chat_v1.Schema$Space, string][] = [
    [
      "with another path",
      `${DISCOVER},display_name`,
      { displayName: "X", accessSettings: { accessPermissionSettings: { discoverSpaceSetting: audiences("audiences/default") } } },
      "access_settings.access_permission_settings paths can only be combined with other access_settings.access_permission_settings paths.",
    ],
    [
      "the whole message as one path",
      "accessSettings.accessPermissionSettings",
      {},
      'Invalid update_mask path "access_settings.access_permission_settings": name the setting, access_settings.access_permission_settings.discoverSpaceSetting or access_settings.access_permission_settings.joinSpaceSetting.',
    ],
    [
      "a join principal that may not discover",
      JOIN,
      { accessSettings: { accessPermissionSettings: { joinSpaceSetting: audiences("audiences/eng") } } },
      "Principals allowed to join the space must also be allowed to discover it: audiences/eng is in join_space_setting but not in discover_space_setting.",
    ],
    [
      "a malformed audience",
      DISCOVER,
      { accessSettings: { accessPermissionSettings: { discoverSpaceSetting: audiences("eng") } } },
      'Invalid space.access_settings.access_permission_settings.discover_space_setting.principals.audience.name "eng": use the format audiences/{audience}.',
    ],
    [
      "a principal without an audience",
      DISCOVER,
      { accessSettings: { accessPermissionSettings: { discoverSpaceSetting: { principals: [{}] } } } },
      'Each principal of space.access_settings.access_permission_settings.discover_space_setting.principals must name an audience: {"audience": {"name": "audiences/{audience}"}}.',
    ],
  ];
  for (const [what, updateMask, requestBody, message] of refusals) {
    it(`refuses ${what} with 400, changing nothing`, async () => {
      await assert.rejects(manager().spaces.patch({ name: space.name!, updateMask, requestBody }), googleError(400, "INVALID_ARGUMENT", message));
      const stored = (await t.control.state()).spaces[space.name!.slice("spaces/".length)];
      assert.equal(stored.accessPermissions, undefined);
      assert.equal(stored.displayName, "Open");
    });
  }

  it("refuses admin access", async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.admin.spaces"]);
    await assert.rejects(
      admin.spaces.patch({
        name: space.name!,
        updateMask: JOIN,
        useAdminAccess: true,
        requestBody: { accessSettings: { accessPermissionSettings: {} } },
      }),
      googleError(400, "INVALID_ARGUMENT", "access_settings.access_permission_settings.join_space_setting is not supported with useAdminAccess."),
    );
  });

  it("refuses app authentication, a plain member, and import mode", async () => {
    const app = t.asApp(["chat.app.spaces"]);
    const { data: own } = await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "App's", customer: "customers/my_customer" } });
    await assert.rejects(
      app.spaces.patch({ name: own.name!, updateMask: DISCOVER, requestBody: { accessSettings: { accessPermissionSettings: {} } } }),
      googleError(403, "PERMISSION_DENIED", "Updating access_settings.access_permission_settings requires user authentication."),
    );
    await manager().spaces.members.create({ parent: space.name!, requestBody: { member: { name: "users/bob@example.com", type: "HUMAN" } } });
    await assert.rejects(
      patch(DISCOVER, {}, t.asDelegatedUser("bob@example.com", ["chat.spaces"])),
      googleError(403, "PERMISSION_DENIED", "Only a space manager or assistant manager can update access_settings.access_permission_settings."),
    );
    const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
    const { data: imported } = await importer.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Imp", importMode: true } });
    await assert.rejects(
      importer.spaces.patch({ name: imported.name!, updateMask: DISCOVER, requestBody: { accessSettings: { accessPermissionSettings: {} } } }),
      googleError(400, "INVALID_ARGUMENT", "access_settings.access_permission_settings can't be updated in import mode."),
    );
  });

  it("refuses them at create: the target audience is set there, these by a patch", async () => {
    await assert.rejects(
      manager().spaces.create({
        requestBody: {
          spaceType: "SPACE",
          displayName: "Too soon",
          accessSettings: { accessPermissionSettings: { discoverSpaceSetting: audiences("audiences/default") } },
        },
      }),
      googleError(
        400,
        "INVALID_ARGUMENT",
        "space.access_settings.access_permission_settings can't be set when creating a space; set access_settings.audience, then update access_settings.access_permission_settings with spaces.patch.",
      ),
    );
  });

  it("shows them to an app reading with chat.app.spaces, not with chat.bot", async () => {
    await manager().spaces.members.create({ parent: space.name!, requestBody: { member: { name: "users/app", type: "BOT" } } });
    await patch(DISCOVER, { discoverSpaceSetting: audiences("audiences/default") });
    const full = (await t.asApp(["chat.app.spaces"]).spaces.get({ name: space.name! })).data;
    assert.deepEqual(full.accessSettings?.accessPermissionSettings, { discoverSpaceSetting: audiences("audiences/default") });
    const bot = (await t.asApp(["chat.bot"]).spaces.get({ name: space.name! })).data;
    assert.equal("accessSettings" in bot, false);
  });
});
