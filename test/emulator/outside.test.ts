import assert from "node:assert/strict";
import type { chat_v1 } from "@googleapis/chat";
import { isChatApiCall } from "../../emulator";
import { googleError, useEmulator } from "../helpers/emulator";

describe("emulator: changes made outside the API (control surface)", () => {
  const t = useEmulator();
  const alice = () => t.asDelegatedUser("alice@example.com", ["chat.spaces", "chat.delete", "chat.memberships"]);
  const app = () => t.asApp(["chat.app.spaces", "chat.app.spaces.create", "chat.app.memberships"]);
  let space: chat_v1.Schema$Space;
  const apiCalls = async () => (await t.control.requests()).filter(isChatApiCall).map((r) => r.rpc);

  it("removes the Chat app as a person in Chat does: the app no longer sees the space, and nothing is logged", async () => {
    ({ data: space } = await app().spaces.create({
      requestBody: { spaceType: "SPACE", displayName: "Alerts", customer: "customers/my_customer" },
    }));
    const removed = await t.control.removeMember(space.name!, t.serviceAccount.client_email);
    assert.deepEqual(removed.member, { name: `users/${t.serviceAccount.client_id}`, type: "BOT" });
    assert.deepEqual((await t.control.state()).memberships[space.name!.slice("spaces/".length)], []);
    await assert.rejects(app().spaces.get({ name: space.name! }), googleError(404, "NOT_FOUND", "Requested entity was not found."));
    assert.deepEqual(await apiCalls(), ["spaces.create", "spaces.get"]);
  });

  it("lets the creator leave, by email, and answers 404 for someone who is not a member", async () => {
    ({ data: space } = await alice().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Left" } }));
    await t.control.removeMember(space.name!, "users/alice@example.com");
    await assert.rejects(alice().spaces.get({ name: space.name! }), googleError(404, "NOT_FOUND"));
    await assert.rejects(t.control.removeMember(space.name!, "users/bob@example.com"), /users\/bob@example.com is not a member of spaces\//);
  });

  it("edits a space as a manager does in Chat: each field as its patch path, a description without clearing the guidelines", async () => {
    ({ data: space } = await alice().spaces.create({
      requestBody: { spaceType: "SPACE", displayName: "Before", spaceDetails: { description: "d", guidelines: "g" } },
    }));
    const stored = await t.control.editSpace(space.name!, {
      displayName: "After",
      spaceDetails: { description: "edited" },
      spaceHistoryState: "HISTORY_OFF",
      audience: "audiences/default",
      permissionSettings: { manageApps: { managersAllowed: true } },
    });
    assert.deepEqual(
      [stored.displayName, stored.description, stored.guidelines, stored.spaceHistoryState, stored.audience, stored.permissionSettings.manageApps],
      ["After", "edited", "g", "HISTORY_OFF", "audiences/default", { managersAllowed: true, assistantManagersAllowed: false, membersAllowed: false }],
    );
    const { data } = await alice().spaces.get({ name: space.name! });
    assert.deepEqual(data.spaceDetails, { description: "edited", guidelines: "g" });
    assert.deepEqual(await apiCalls(), ["spaces.create", "spaces.get"]);
    const reopened = await t.control.editSpace(space.name!, { audience: null });
    assert.equal(reopened.audience, undefined);
  });

  it("refuses an edit Google would refuse, changing nothing", async () => {
    await alice().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Taken" } });
    ({ data: space } = await alice().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Mine" } }));
    await assert.rejects(t.control.editSpace(space.name!, { spaceDetails: { description: "fine" }, displayName: "Taken" }), /"status":"ALREADY_EXISTS"/);
    await assert.rejects(
      t.control.editSpace(space.name!, { spaceDetails: { description: "d".repeat(151) } }),
      /space.space_details.description is 151 characters long; it supports up to 150 characters./,
    );
    const stored = (await t.control.state()).spaces[space.name!.slice("spaces/".length)];
    assert.deepEqual([stored.displayName, stored.description], ["Mine", ""]);
  });

  it("completes an import outside Pulumi: the importer's own completion then answers FAILED_PRECONDITION", async () => {
    const importer = t.asDelegatedUser("alice@example.com", ["chat.import"]);
    ({ data: space } = await importer.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Migrated", importMode: true } }));
    const stored = await t.control.completeImport(space.name!);
    assert.deepEqual([stored.importMode, stored.importModeExpireTime], [false, undefined]);
    await assert.rejects(
      importer.spaces.completeImport({ name: space.name! }),
      googleError(400, "FAILED_PRECONDITION", `Space ${space.name} is not in import mode.`),
    );
    assert.equal((await alice().spaces.get({ name: space.name! })).data.displayName, "Migrated", "the importer joined as manager");
    await assert.rejects(t.control.completeImport(space.name!), /is not in import mode/);
  });

  it("deletes a space outside Pulumi: gone for everyone, and its requestId is freed", async () => {
    ({ data: space } = await alice().spaces.create({ requestId: "rid-1", requestBody: { spaceType: "SPACE", displayName: "Gone" } }));
    await t.control.deleteSpace(space.name!.slice("spaces/".length));
    await assert.rejects(alice().spaces.get({ name: space.name! }), googleError(404, "NOT_FOUND"));
    const { data: again } = await alice().spaces.create({ requestId: "rid-1", requestBody: { spaceType: "SPACE", displayName: "Gone" } });
    assert.notEqual(again.name, space.name);
    await assert.rejects(t.control.deleteSpace(space.name!), /"status":"NOT_FOUND"/);
  });
});
