import assert from "node:assert/strict";
import { inlineStack, killProcessTree, until, useEngineAndEmulator } from "./harness";
import { spaces } from "./programs";

describe("e2e: crash recovery", () => {
  const t = useEngineAndEmulator({ resetEachTest: false });

  it("kill -9 of pulumi up after the API created a space, before the engine saved it: refresh and up leave exactly one space per resource", async () => {
    const program = spaces({ a: { displayName: "Alpha" }, b: { displayName: "Beta" }, c: { displayName: "Gamma" } });
    const stack = await inlineStack("chat-crash", "crash", program, { emulator: t.emulator, key: t.key, impersonateUser: "admin@example.com" });
    // The first create is committed, and its answer never leaves the t.emulator.
    await t.emulator.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "holdAfterCommit" }, count: 1 });
    const up = stack.up({}).then(
      () => "finished",
      (error: Error) => error.message,
    );
    // Three spaces committed, two answered: the third answer is held (the log records answers only).
    await until("three committed creates, one of them unanswered", async () => {
      const committed = Object.keys((await t.emulator.control.state()).spaces).length;
      const answered = (await t.emulator.control.requests()).filter((r) => r.rpc === "spaces.create").length;
      return committed === 3 && answered === 2 ? true : undefined;
    });
    assert.ok(killProcessTree("--stack crash") >= 1, "found the pulumi up process");
    assert.match(await up, /exit code|killed|signal/i);
    await t.emulator.control.clearFaults();

    const crashed = (await stack.exportStack()).deployment;
    const pending = (crashed.pending_operations ?? []).map((op: any) => [op.type, op.resource.inputs.displayName]);
    assert.equal(pending.length, 1, "the engine never saved the held create");
    assert.equal(pending[0][0], "creating");

    // The killed update left its lock (a file in this backend): `pulumi cancel` removes it.
    await stack.cancel();
    const refresh = await stack.refresh({ clearPendingCreates: true });
    assert.equal(refresh.summary.result, "succeeded");
    const createsBefore = (await t.emulator.control.requests()).filter((r) => r.rpc === "spaces.create").length;
    const after = await stack.up({});
    assert.equal(after.summary.result, "succeeded");
    const recreates = (await t.emulator.control.requests()).filter((r) => r.rpc === "spaces.create").slice(createsBefore);
    assert.equal(recreates.length, 1, `one create, for ${pending[0][1]}, whose requestId returns the space the killed run made`);

    const live = Object.values((await t.emulator.control.state()).spaces);
    assert.deepEqual(live.map((s) => s.displayName).sort(), ["Alpha", "Beta", "Gamma"], "exactly one space per resource");
    const deployment = (await stack.exportStack()).deployment;
    const owned = deployment.resources
      .filter((r: any) => r.type === "pulumi-nodejs:dynamic/googlechat:ChatSpace")
      .map((r: any) => r.id)
      .sort();
    assert.deepEqual(owned, live.map((s) => `spaces/${s.id}`).sort(), "the stack owns every space");
    assert.deepEqual(deployment.pending_operations ?? [], []);
  });
});
