import assert from "node:assert/strict";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, configuredProvider, logMark, sdkInputs } from "../helpers/provider";

describe("provider: Google errors and retries", () => {
  const t = useEmulator();

  it("retries a create answered 503 with the same requestId, and creates one space", async () => {
    const { provider, waits, logs } = await configuredProvider(t);
    await t.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "error", status: 503 }, count: 2 });
    const { outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    const creates = (await t.control.requests()).filter((r) => r.rpc === "spaces.create");
    assert.deepEqual(creates.map((r) => r.status), [503, 503, 200]);
    assert.equal(new Set(creates.map((r) => r.query.requestId)).size, 1);
    assert.equal(outs!.displayName, "Eng");
    assert.deepEqual(waits, [375, 750], "full-jitter backoff from 500 ms, doubling (random fixed at 0.5)");
    assert.match(logs[0], /^ChatSpace eng: spaces.create: 503 UNAVAILABLE; waiting 0.4 s before retry 1$/);
  });

  it("honours Retry-After on 429", async () => {
    const { provider, waits } = await configuredProvider(t);
    await t.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "error", status: 429, retryAfterSeconds: 7 }, count: 1 });
    await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    assert.deepEqual(waits, [7000]);
  });

  it("gets the space a lost answer created by retrying with the same requestId", async () => {
    const { provider } = await configuredProvider(t);
    await t.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "dropAfterCommit" }, count: 1 });
    const { id } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    const state = await t.control.state();
    assert.deepEqual(Object.keys(state.spaces), [id.slice(7)]);
    assert.deepEqual((await t.control.requests()).filter((r) => r.rpc === "spaces.create").map((r) => r.status), [0, 200]);
  });

  it("retries PATCH and DELETE too (the Google client never retries PATCH), saying which space waits", async () => {
    const { provider, logs } = await configuredProvider(t);
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    await t.control.addFault({ match: { methods: ["spaces.patch"] }, action: { kind: "error", status: 500 }, count: 1 });
    await t.control.addFault({ match: { methods: ["spaces.delete"] }, action: { kind: "error", status: 500 }, count: 1 });
    const mark = await logMark(t);
    const { outs: after } = await provider.update(id, outs!, sdkInputs("eng", { displayName: "Eng 2" }));
    await provider.delete(id, after!);
    assert.deepEqual(await apiCalls(t, mark), [
      `PATCH /v1/${id} display_name 500`,
      `PATCH /v1/${id} display_name 200`,
      `DELETE /v1/${id} 500`,
      `DELETE /v1/${id} 200`,
    ]);
    assert.deepEqual(logs, [
      `ChatSpace eng: spaces.patch ${id}: 500 INTERNAL; waiting 0.4 s before retry 1`,
      `ChatSpace "Eng 2" (${id}): spaces.delete ${id}: 500 INTERNAL; waiting 0.4 s before retry 1`,
    ]);
  });

  it("gives up at the deadline with a message that says what to do", async () => {
    const { provider } = await configuredProvider(t, { config: { "googlechat:retryDeadlineSeconds": "1" } });
    await t.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "error", status: 429 } });
    await assert.rejects(provider.create(sdkInputs("busy", { displayName: "Busy" })), (error: Error) => {
      assert.match(error.message, /^ChatSpace busy: spaces.create failed \(429 RESOURCE_EXHAUSTED: Resource has been exhausted \(e\.g\. check quota\)\. \(gave up after 2 tries over 0\.4 s\)\)\. The Chat API quota is exhausted even after waiting: lower the parallelism \(pulumi up --parallel N\)/);
      return true;
    });
  });

  it("explains ALREADY_EXISTS: choose another displayName or adopt the space", async () => {
    const { provider } = await configuredProvider(t);
    await provider.create(sdkInputs("a", { displayName: "Taken" }));
    await assert.rejects(provider.create(sdkInputs("b", { displayName: "Taken" })), {
      message:
        'ChatSpace b: spaces.create failed (409 ALREADY_EXISTS: A space named "Taken" already exists in this Google Workspace organization. Try a different displayName.). A space with this displayName already exists in your Google Workspace organization: choose another displayName, or take the existing space over with adoptSpace.',
    });
  });

  it("explains PERMISSION_DENIED for app auth: admin approval, customer, own spaces", async () => {
    await t.control.setSettings({ appAuthApproved: false });
    const { provider } = await configuredProvider(t, { app: true });
    await assert.rejects(provider.create(sdkInputs("bot", { displayName: "Bot", customer: "customers/my_customer" })), (error: Error) => {
      assert.match(error.message, /^ChatSpace bot: spaces.create failed \(403 PERMISSION_DENIED: This Chat app is not approved for app authentication/);
      assert.match(error.message, /With app authentication the service account needs the chat\.app\.\* scopes approved by a Workspace administrator \(admin approval\), `customer` set on create/);
      return true;
    });
  });

  it("explains a requestId used by other credentials", async () => {
    const inputs = sdkInputs("eng", { displayName: "Eng", requestId: "fixed-id" });
    await (await configuredProvider(t)).provider.create(inputs);
    const otherUser = await configuredProvider(t, { config: { "googlechat:impersonateUser": "alice@example.com" } });
    await assert.rejects(otherUser.provider.create(inputs), (error: Error) => {
      assert.match(error.message, /was already used by a different authenticated user\.\)\. This requestId was already used with other credentials: run with the credentials that first created the space, or set a new requestId on the resource\.$/);
      return true;
    });
  });

  it("uses the least scope each call needs", async () => {
    const { provider } = await configuredProvider(t, { app: true });
    const { id, outs } = await provider.create(sdkInputs("bot", { displayName: "Bot", customer: "customers/my_customer", permissionSettings: { manageApps: { managersAllowed: true } } }));
    await provider.read(id, outs!);
    await provider.delete(id, outs!);
    const tokens = (await t.control.requests()).filter((r) => r.rpc === "oauth2.token").length;
    assert.equal(tokens, 3, "one token each for chat.app.spaces.create, chat.app.spaces and chat.app.delete");
  });

  it("acts with administrator privileges when useAdminAccess is set", async () => {
    const alice = t.asDelegatedUser("alice@example.com", ["chat.spaces"]);
    const { data } = await alice.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Alice's" } });
    const { provider } = await configuredProvider(t, { useAdminAccess: true });
    const read = await provider.read(data.name!, { declared: {} } as never);
    assert.equal((read.props as any).displayName, "Alice's");
    const [get] = (await t.control.requests()).filter((r) => r.rpc === "spaces.get");
    assert.deepEqual(get.query, { useAdminAccess: "true" });
  });
});

describe("provider: quotas", () => {
  const t = useEmulator();

  it("spaces the PATCHes of a split update a second apart, as Google allows one write a second per space", async () => {
    const { provider, waits } = await configuredProvider(t, { config: { "googlechat:perSpaceWritesPerSecond": "1" } });
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    waits.length = 0;
    await provider.update(id, outs!, sdkInputs("eng", { displayName: "Eng 2", spaceHistoryState: "HISTORY_OFF", permissionSettings: { manageApps: { managersAllowed: true } } }));
    assert.equal(waits.length, 2);
    for (const wait of waits) assert.ok(wait > 900 && wait <= 1000, `waited ${wait} ms`);
  });
});
