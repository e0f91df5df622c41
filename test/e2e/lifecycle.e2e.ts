import assert from "node:assert/strict";
import { apiCalls, logMark } from "../helpers/provider";
import { inlineStack, useEngineAndEmulator } from "./harness";
import { spaces } from "./programs";

const quiet = {};

describe("e2e: ChatSpace lifecycle under the real Pulumi engine", () => {
  const t = useEngineAndEmulator();

  const userStack = (program: ReturnType<typeof spaces>, name = "dev") =>
    inlineStack("chat-e2e", name, program, { emulator: t.emulator, key: t.key, impersonateUser: "admin@example.com" });
  const liveSpaces = async () => Object.values((await t.emulator.control.state()).spaces);

  it("creates several spaces exactly once; a second up and a preview send no Chat API call", async () => {
    const stack = await userStack(spaces({ eng: { displayName: "Engineering" }, ops: { displayName: "Operations" }, news: { displayName: "News", predefinedPermissionSettings: "ANNOUNCEMENT_SPACE" } }));
    const up = await stack.up(quiet);
    assert.deepEqual(up.summary.resourceChanges, { create: 4 });
    assert.deepEqual(await apiCalls(t.emulator), ["POST /v1/spaces 200", "POST /v1/spaces 200", "POST /v1/spaces 200"]);
    assert.deepEqual((await liveSpaces()).map((s) => s.displayName).sort(), ["Engineering", "News", "Operations"]);
    assert.equal(up.outputs.engName.value, (await liveSpaces()).find((s) => s.displayName === "Engineering") && up.outputs.engName.value);

    const mark = await logMark(t.emulator);
    const again = await stack.up(quiet);
    assert.deepEqual(again.summary.resourceChanges, { same: 4 });
    const preview = await stack.preview(quiet);
    assert.deepEqual(preview.changeSummary, { same: 4 });
    // diff works from the stored outputs: no read, no token, no write.
    assert.deepEqual(await t.emulator.control.requests(mark), []);
  });

  it("attaches the provider's log lines to the space they concern, and shows no bookkeeping in the diff", async () => {
    const stack = await userStack(spaces({ eng: { displayName: "Eng" } }));
    await t.emulator.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "error", status: 503 }, count: 1 });
    const diagnostics: { urn?: string; message: string }[] = [];
    await stack.up({ onEvent: (e) => void (e.diagnosticEvent && diagnostics.push(e.diagnosticEvent)) });
    const retry = diagnostics.find((d) => /spaces\.create: 503 UNAVAILABLE/.test(d.message));
    assert.ok(retry, `a retry line among ${JSON.stringify(diagnostics)}`);
    assert.match(retry.urn ?? "", /::pulumi-nodejs:dynamic\/googlechat:ChatSpace::eng$/);
    assert.match(retry.message, /^ChatSpace eng: spaces\.create: 503 UNAVAILABLE/);
    stack.workspace.program = spaces({ eng: { displayName: "Eng 2" } });
    const preview = await stack.preview({ diff: true });
    assert.match(preview.stdout, /displayName\s*: "Eng" => "Eng 2"/);
    assert.doesNotMatch(preview.stdout, /__declared|__urn|__organization|requestIdBase|resourceName/);
  });

  it("updates in place with the grouped masks, and the preview says update, not replace", async () => {
    const stack = await userStack(spaces({ eng: { displayName: "Eng", spaceDetails: { description: "a", guidelines: "g" } } }));
    const { outputs } = await stack.up(quiet);
    const id = outputs.engName.value;
    stack.workspace.program = spaces({
      eng: {
        displayName: "Engineering",
        spaceDetails: { description: "Platform team", guidelines: "g" },
        spaceHistoryState: "HISTORY_OFF",
        permissionSettings: { manageApps: { managersAllowed: true } },
      },
    });
    const preview = await stack.preview(quiet);
    assert.deepEqual(preview.changeSummary, { same: 1, update: 1 });
    const mark = await logMark(t.emulator);
    const up = await stack.up(quiet);
    assert.deepEqual(up.summary.resourceChanges, { same: 1, update: 1 });
    assert.deepEqual(await apiCalls(t.emulator, mark), [
      `PATCH /v1/${id} display_name,space_details 200`,
      `PATCH /v1/${id} space_history_state 200`,
      `PATCH /v1/${id} permission_settings.manageApps 200`,
    ]);
    const [space] = await liveSpaces();
    assert.deepEqual([space.displayName, space.description, space.spaceHistoryState], ["Engineering", "Platform team", "HISTORY_OFF"]);
    assert.deepEqual(space.permissionSettings.manageApps, { managersAllowed: true, assistantManagersAllowed: false, membersAllowed: false });
  });

  it("replaces on entering import mode: deletes the old space first, and never gets it back", async () => {
    const stack = await userStack(spaces({ eng: { displayName: "Eng" } }));
    const old = (await stack.up(quiet)).outputs.engName.value;
    stack.workspace.program = spaces({ eng: { displayName: "Eng", importMode: true } });
    assert.deepEqual((await stack.preview(quiet)).changeSummary, { replace: 1, same: 1 });
    const mark = await logMark(t.emulator);
    const up = await stack.up(quiet);
    assert.deepEqual(up.summary.resourceChanges, { replace: 1, same: 1 });
    const fresh = up.outputs.engName.value;
    assert.notEqual(fresh, old);
    assert.deepEqual(await apiCalls(t.emulator, mark), [`DELETE /v1/${old} 200`, "POST /v1/spaces 200"]);
    assert.deepEqual((await liveSpaces()).map((s) => [s.id, s.importMode]), [[fresh.slice(7), true]]);
  });

  it("replaces on a customer change: deletes the old space, then creates the new one", async () => {
    const appStack = await inlineStack("chat-e2e", "app", spaces({ eng: { displayName: "Eng", customer: "customers/my_customer" } }), { emulator: t.emulator, key: t.key });
    const old = (await appStack.up(quiet)).outputs.engName.value;
    // One t.emulator serves one organisation: moving it to another id stands in for a second one.
    await t.emulator.control.setSettings({ customer: "customers/C0second" });
    appStack.workspace.program = spaces({ eng: { displayName: "Eng (moved)", customer: "customers/C0second" } });
    assert.deepEqual((await appStack.preview(quiet)).changeSummary, { replace: 1, same: 1 });
    const mark = await logMark(t.emulator);
    const up = await appStack.up(quiet);
    const fresh = up.outputs.engName.value;
    assert.notEqual(fresh, old);
    // ChatSpace deletes before replacing (sdk/chat-space.ts): a forced replacement must never get the old space back.
    assert.deepEqual(await apiCalls(t.emulator, mark), [`DELETE /v1/${old} 200`, "POST /v1/spaces 200"]);
    assert.deepEqual((await liveSpaces()).map((s) => [s.displayName, s.customer]), [["Eng (moved)", "customers/C0second"]]);
  });

  it("completes an import in place when importMode goes back to false", async () => {
    const stack = await userStack(spaces({ imp: { displayName: "Imported", importMode: true } }));
    const id = (await stack.up(quiet)).outputs.impName.value;
    stack.workspace.program = spaces({ imp: { displayName: "Imported", importMode: false } });
    assert.deepEqual((await stack.preview(quiet)).changeSummary, { same: 1, update: 1 });
    const mark = await logMark(t.emulator);
    await stack.up(quiet);
    assert.deepEqual(await apiCalls(t.emulator, mark), [`POST /v1/${id}:completeImport 200`]);
    assert.equal((await liveSpaces())[0].importMode, false);
  });

  it("destroys every space; a second destroy changes nothing and calls nothing", async () => {
    const stack = await userStack(spaces({ a: { displayName: "A" }, b: { displayName: "B" } }));
    const { outputs } = await stack.up(quiet);
    const mark = await logMark(t.emulator);
    await stack.destroy(quiet);
    assert.deepEqual((await apiCalls(t.emulator, mark)).sort(), [`DELETE /v1/${outputs.aName.value} 200`, `DELETE /v1/${outputs.bName.value} 200`].sort());
    assert.deepEqual(await liveSpaces(), []);
    const mark2 = await logMark(t.emulator);
    const again = await stack.destroy(quiet);
    assert.deepEqual(again.summary.resourceChanges ?? {}, {});
    assert.deepEqual(await t.emulator.control.requests(mark2), []);
  });

  it("fails the preview on invalid input with the property-naming message, sending nothing", async () => {
    const stack = await userStack(spaces({ bad: { displayName: "x".repeat(129), spaceDetails: { description: "d".repeat(151) } } }), "invalid");
    await assert.rejects(stack.preview(quiet), (error: Error) => {
      assert.match(error.message, /property displayName value \{x+\} has a problem: is 129 characters long; Google Chat allows at most 128\. Shorten it\./);
      assert.match(error.message, /property spaceDetails value \{map\[description:\{d+\}\]\} has a problem: spaceDetails\.description is 151 characters long; Google Chat allows at most 150\. Shorten it\./);
      return true;
    });
    assert.deepEqual(await t.emulator.control.requests(), []);
  });
});
