import assert from "node:assert/strict";
import { googleError, useEmulator } from "../helpers/emulator";

describe("emulator: spaces.get, list, delete and completeImport", () => {
  const t = useEmulator();
  const admin = () => t.asDelegatedUser("admin@example.com", ["chat.spaces", "chat.delete"]);

  it("gets a space; a missing one and one the caller is not in are both 404", async () => {
    const { data } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "G" } });
    assert.deepEqual((await admin().spaces.get({ name: data.name! })).data, data);
    await assert.rejects(admin().spaces.get({ name: "spaces/AAAAnothere" }), googleError(404, "NOT_FOUND", "Requested entity was not found."));
    const bob = t.asDelegatedUser("bob@example.com", ["chat.spaces.readonly"]);
    await assert.rejects(bob.spaces.get({ name: data.name! }), googleError(404, "NOT_FOUND", "Requested entity was not found."));
  });

  it("hides access and permission settings from an app reading with chat.bot", async () => {
    const creator = t.asApp(["chat.app.spaces.create"]);
    const { data } = await creator.spaces.create({
      requestBody: { spaceType: "SPACE", displayName: "Bot view", customer: "customers/my_customer" },
    });
    assert.equal("permissionSettings" in data, false);
    const botView = (await t.asApp(["chat.bot"]).spaces.get({ name: data.name! })).data;
    assert.equal("accessSettings" in botView, false);
    assert.equal("permissionSettings" in botView, false);
    const fullView = (await t.asApp(["chat.app.spaces"]).spaces.get({ name: data.name! })).data;
    assert.deepEqual(fullView.accessSettings, { accessState: "PRIVATE" });
    assert.ok(fullView.permissionSettings?.manageApps);
  });

  it("lists the caller's spaces without permission settings, paginated, and hides import-mode spaces", async () => {
    for (const n of [1, 2, 3]) await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: `L${n}` } });
    await t.asDelegatedUser("admin@example.com", ["chat.import"]).spaces.create({
      requestBody: { spaceType: "SPACE", displayName: "Hidden", importMode: true },
    });
    const first = await admin().spaces.list({ pageSize: 2 });
    assert.deepEqual(
      first.data.spaces?.map((s) => s.displayName),
      ["L1", "L2"],
    );
    assert.equal(
      first.data.spaces?.some((s) => "permissionSettings" in s),
      false,
    );
    const second = await admin().spaces.list({ pageSize: 2, pageToken: first.data.nextPageToken! });
    assert.deepEqual(
      second.data.spaces?.map((s) => s.displayName),
      ["L3"],
    );
    assert.equal(second.data.nextPageToken, undefined);
    const filtered = await admin().spaces.list({ filter: 'spaceType = "SPACE" OR space_type = "GROUP_CHAT"' });
    assert.equal(filtered.data.spaces?.length, 3);
    await assert.rejects(admin().spaces.list({ filter: 'displayName = "L1"' }), googleError(400, "INVALID_ARGUMENT"));
    await assert.rejects(admin().spaces.list({ pageSize: -1 }), googleError(400, "INVALID_ARGUMENT", "page_size must be a non-negative integer."));
  });

  it("deletes a space and its memberships; a second delete is 404", async () => {
    const { data } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "D" } });
    assert.deepEqual((await admin().spaces.delete({ name: data.name! })).data, {});
    const state = await t.control.state();
    assert.deepEqual(state.spaces, {});
    assert.deepEqual(state.memberships, {});
    await assert.rejects(admin().spaces.delete({ name: data.name! }), googleError(404, "NOT_FOUND"));
  });

  it("lets only a manager delete a space", async () => {
    const { data } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Mine" } });
    await t.asDelegatedUser("admin@example.com", ["chat.memberships"]).spaces.members.create({
      parent: data.name!,
      requestBody: { member: { name: "users/alice@example.com", type: "HUMAN" } },
    });
    await assert.rejects(
      t.asDelegatedUser("alice@example.com", ["chat.delete"]).spaces.delete({ name: data.name! }),
      googleError(403, "PERMISSION_DENIED", "Only a space manager can delete the space."),
    );
  });

  it("completes an import: importMode and its expiry are cleared; a second completion is FAILED_PRECONDITION", async () => {
    const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
    const { data } = await importer.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Imp", importMode: true } });
    const { data: done } = await importer.spaces.completeImport({ name: data.name! });
    assert.equal(done.space?.name, data.name);
    assert.equal("importMode" in done.space!, false);
    assert.equal("importModeExpireTime" in done.space!, false);
    await assert.rejects(
      importer.spaces.completeImport({ name: data.name! }),
      googleError(400, "FAILED_PRECONDITION", `Space ${data.name} is not in import mode.`),
    );
    const { data: other } = await importer.spaces.create({ requestBody: { spaceType: "GROUP_CHAT", importMode: true } });
    await importer.spaces.completeImport({ name: other.name! });
  });

  it("refuses completeImport without domain-wide delegation, and for a space not in import mode", async () => {
    const { data } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Not imported" } });
    const viaRefresh = await t.asUser("admin@example.com", ["chat.import"]);
    await assert.rejects(
      viaRefresh.spaces.completeImport({ name: data.name! }),
      googleError(403, "PERMISSION_DENIED", "spaces.completeImport requires user authentication with domain-wide delegation."),
    );
    const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
    await assert.rejects(
      importer.spaces.completeImport({ name: data.name! }),
      googleError(400, "FAILED_PRECONDITION", `Space ${data.name} is not in import mode.`),
    );
  });

  it("answers an unknown route with a JSON 404", async () => {
    const res = await fetch(`${t.emulator.url}/v1/rooms`);
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as any).error.status, "NOT_FOUND");
  });
});
