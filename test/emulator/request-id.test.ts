import assert from "node:assert/strict";
import { googleError, useEmulator } from "../helpers/emulator";

describe("emulator: spaces.create requestId", () => {
  const t = useEmulator();
  const admin = () => t.asDelegatedUser("admin@example.com", ["chat.spaces", "chat.delete"]);
  const body = { spaceType: "SPACE", displayName: "Idempotent" };
  const requestId = "5f0c7e9a-4b0e-5d2f-9a51-0d7c1f6e2b11";

  it("returns the original space for the same id and principal, in its current state, without a name check", async () => {
    const first = await admin().spaces.create({ requestId, requestBody: body });
    await admin().spaces.patch({ name: first.data.name!, updateMask: "display_name", requestBody: { displayName: "Renamed" } });
    // A body that would fail every check: a replay runs none of them.
    const again = await admin().spaces.create({ requestId, requestBody: { spaceType: "SPACE", displayName: "Renamed" } });
    assert.equal(again.data.name, first.data.name);
    assert.equal(again.data.displayName, "Renamed");
    assert.equal(Object.keys((await t.control.state()).spaces).length, 1);
  });

  it("refuses the same id from another principal of the same app (400 INVALID_ARGUMENT)", async () => {
    await admin().spaces.create({ requestId, requestBody: body });
    const alice = t.asDelegatedUser("alice@example.com", ["chat.spaces"]);
    await assert.rejects(
      alice.spaces.create({ requestId, requestBody: { spaceType: "SPACE", displayName: "Other" } }),
      googleError(400, "INVALID_ARGUMENT", `Request ID ${requestId} was already used by a different authenticated user.`),
    );
  });

  it("answers another principal's reuse with the configured status", async () => {
    await t.control.setSettings({ requestIdOtherPrincipalStatus: "ALREADY_EXISTS" });
    await admin().spaces.create({ requestId, requestBody: body });
    const app = t.asApp(["chat.app.spaces.create"]);
    await assert.rejects(app.spaces.create({ requestId, requestBody: { ...body, customer: "customers/my_customer" } }), googleError(409, "ALREADY_EXISTS"));
  });

  it("frees the id when the space is deleted: the same id then creates a new space", async () => {
    const first = await admin().spaces.create({ requestId, requestBody: body });
    await admin().spaces.delete({ name: first.data.name! });
    const second = await admin().spaces.create({ requestId, requestBody: body });
    assert.notEqual(second.data.name, first.data.name);
  });

  it("serialises concurrent requests with one id: twenty at once create one space", async () => {
    const client = admin();
    const answers = await Promise.all(Array.from({ length: 20 }, () => client.spaces.create({ requestId, requestBody: body })));
    assert.equal(new Set(answers.map((a) => a.data.name)).size, 1);
    assert.equal(Object.keys((await t.control.state()).spaces).length, 1);
  });

  it("creates a new space for every request without an id", async () => {
    const client = admin();
    await client.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "A" } });
    await client.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "B" } });
    assert.equal(Object.keys((await t.control.state()).spaces).length, 2);
  });
});

describe("emulator: a requestId whose space was deleted", () => {
  const t = useEmulator();
  const admin = () => t.asDelegatedUser("admin@example.com", ["chat.spaces", "chat.delete"]);
  const body = { spaceType: "SPACE", displayName: "Gone" };

  it("answers with the deleted space as it last was in stale mode", async () => {
    await t.control.setSettings({ requestIdAfterDelete: "stale" });
    const first = await admin().spaces.create({ requestId: "r-1", requestBody: body });
    await admin().spaces.delete({ name: first.data.name! });
    const again = await admin().spaces.create({ requestId: "r-1", requestBody: body });
    assert.equal(again.data.name, first.data.name);
    assert.deepEqual((await t.control.state()).spaces, {});
  });

  it("answers 404 in notFound mode", async () => {
    await t.control.setSettings({ requestIdAfterDelete: "notFound" });
    const first = await admin().spaces.create({ requestId: "r-2", requestBody: body });
    await admin().spaces.delete({ name: first.data.name! });
    await assert.rejects(admin().spaces.create({ requestId: "r-2", requestBody: body }), googleError(404, "NOT_FOUND"));
  });
});
