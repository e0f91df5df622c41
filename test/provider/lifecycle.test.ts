import assert from "node:assert/strict";
import { isChatApiCall } from "../../emulator";
import { deriveRequestId } from "../../provider/space/request-id";
import type { ChatSpaceOutputs } from "../../provider/space/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, apiCallsWithAccess, baseOf, configuredProvider, logMark, sdkInputs } from "../helpers/provider";

describe("provider: ChatSpace lifecycle against the emulator", () => {
  const t = useEmulator();

  it("creates a space with one POST carrying the derived requestId, and returns every output", async () => {
    const { provider } = await configuredProvider(t);
    const inputs = sdkInputs("eng", { displayName: "Engineering", spaceDetails: { description: "Platform team", guidelines: "Be kind" } });
    const { id, outs } = await provider.create(inputs);
    const requestId = deriveRequestId(baseOf(inputs), { displayName: "Engineering" }, 0);
    const log = (await t.control.requests()).filter(isChatApiCall);
    assert.deepEqual(
      log.map((r) => [r.method, r.path, r.query]),
      [["POST", "/v1/spaces", { requestId }]],
    );
    assert.equal(id, outs!.name);
    assert.match(id, /^spaces\/AAAA/);
    const { name, spaceUri, createTime, ...rest } = outs!;
    assert.equal(spaceUri, `https://chat.google.com/room/${id.slice(7)}?cls=11`);
    assert.ok(createTime);
    assert.deepEqual(rest, {
      displayName: "Engineering",
      spaceType: "SPACE",
      spaceDetails: { description: "Platform team", guidelines: "Be kind" },
      spaceHistoryState: "HISTORY_ON",
      spaceThreadingState: "THREADED_MESSAGES",
      externalUserAllowed: false,
      importMode: false,
      customer: "customers/C03emu1at",
      membershipCount: { joinedDirectHumanUserCount: 1, joinedGroupCount: 0 },
      accessSettings: { accessState: "PRIVATE" },
      permissionSettings: Object.fromEntries(
        [
          "manageMembersAndGroups",
          "modifySpaceDetails",
          "toggleHistory",
          "useAtMentionAll",
          "manageApps",
          "manageWebhooks",
          "replyMessages",
          "postMessages",
        ].map((k) => [k, { managersAllowed: true, assistantManagersAllowed: false, membersAllowed: true }]),
      ),
      requestId,
      __declared: { displayName: "Engineering", spaceDetails: { description: "Platform team", guidelines: "Be kind" } },
    });
  });

  it("applies declared permission settings right after the create, with one PATCH of their mask", async () => {
    const { provider } = await configuredProvider(t);
    const { outs } = await provider.create(sdkInputs("eng", { displayName: "Eng", permissionSettings: { manageApps: { managersAllowed: true } } }));
    assert.deepEqual(await apiCalls(t), ["POST /v1/spaces 200", `PATCH /v1/${outs!.name} permission_settings.manageApps 200`]);
    assert.deepEqual(outs!.permissionSettings!.manageApps, { managersAllowed: true, assistantManagersAllowed: false, membersAllowed: false });
  });

  it("gets the same space back when a create is run again after a crash, and creates nothing", async () => {
    const { provider } = await configuredProvider(t);
    const inputs = sdkInputs("eng", { displayName: "Eng" });
    const first = await provider.create(inputs);
    const again = await provider.create(inputs);
    assert.equal(again.id, first.id);
    assert.equal(Object.keys((await t.control.state()).spaces).length, 1);
    assert.deepEqual(await apiCalls(t), ["POST /v1/spaces 200", "POST /v1/spaces 200"]);
  });

  it("never gets back the space it replaces: changed replace-only inputs derive another requestId", async () => {
    const { provider } = await configuredProvider(t);
    const old = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    // The replacement keeps the name, so (as the engine does, in a later run) the old space is deleted first.
    await (await configuredProvider(t)).provider.delete(old.id, old.outs!);
    const inputs = sdkInputs("eng", { displayName: "Eng", externalUserAllowed: true });
    const replacement = await provider.create(inputs);
    assert.notEqual(replacement.outs!.requestId, old.outs!.requestId);
    assert.equal(replacement.outs!.requestId, deriveRequestId(baseOf(inputs), { displayName: "Eng", externalUserAllowed: true }, 0));
    assert.notEqual(replacement.id, old.id);
  });

  it("refuses, naming the space, when a reused id returns a space with other replace-only values, and leaves nothing behind", async () => {
    const { provider } = await configuredProvider(t);
    const inputs = sdkInputs("eng", { displayName: "Eng" });
    // Someone used attempt 0's id for a space with other replace-only values.
    const taken = deriveRequestId(baseOf(inputs), { displayName: "Eng" }, 0);
    const { data: other } = await t.asDelegatedUser("admin@example.com", ["chat.spaces"]).spaces.create({
      requestId: taken,
      requestBody: { spaceType: "SPACE", displayName: "Other", externalUserAllowed: true },
    });
    const mark = await logMark(t);
    await assert.rejects(provider.create(inputs), {
      message: `ChatSpace eng: requestId ${taken} belongs to ${other.name}, made by an earlier request with other values (externalUserAllowed is true, declared false). Take it over with adoptSpace: "${other.name}", delete it, or set a new requestId on the resource.`,
    });
    assert.deepEqual(await apiCalls(t, mark), ["POST /v1/spaces 200"]);
    assert.equal(Object.keys((await t.control.state()).spaces).length, 1, "no second space");
  });

  it("reconciles a replayed space that drifted: PATCHes it back to the declaration", async () => {
    const { provider } = await configuredProvider(t);
    const inputs = sdkInputs("eng", { displayName: "Eng", spaceHistoryState: "HISTORY_ON" });
    const { id } = await provider.create(inputs);
    await t
      .asDelegatedUser("admin@example.com", ["chat.spaces"])
      .spaces.patch({ name: id, updateMask: "space_history_state", requestBody: { spaceHistoryState: "HISTORY_OFF" } });
    const mark = await logMark(t);
    const { outs } = await provider.create(inputs);
    assert.equal(outs!.spaceHistoryState, "HISTORY_ON");
    assert.deepEqual(await apiCalls(t, mark), ["POST /v1/spaces 200", `PATCH /v1/${id} space_history_state 200`]);
  });

  it("reads the space again when Google answers a create with a partly filled body", async () => {
    const { provider } = await configuredProvider(t);
    await t.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "nameOnlyAfterCommit" }, count: 1 });
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    assert.deepEqual(await apiCalls(t), ["POST /v1/spaces 200", `GET /v1/${id} 200`]);
    assert.equal(outs!.spaceUri, `https://chat.google.com/room/${id.slice(7)}?cls=11`);
    assert.equal(outs!.spaceType, "SPACE");
    assert.ok(outs!.createTime);
  });

  it("updates in place with the fewest grouped masks, only for what changed", async () => {
    const { provider } = await configuredProvider(t);
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng", spaceDetails: { description: "a", guidelines: "g" } }));
    const mark = await logMark(t);
    const news = sdkInputs("eng", {
      displayName: "Engineering",
      spaceDetails: { description: "b", guidelines: "g" },
      spaceHistoryState: "HISTORY_OFF",
      permissionSettings: { manageWebhooks: { managersAllowed: true }, useAtMentionAll: { managersAllowed: true } },
    });
    const { outs: after } = await provider.update(id, outs!, news);
    assert.deepEqual(await apiCalls(t, mark), [
      `PATCH /v1/${id} display_name,space_details 200`,
      `PATCH /v1/${id} space_history_state 200`,
      `PATCH /v1/${id} permission_settings.useAtMentionAll,permission_settings.manageWebhooks 200`,
    ]);
    assert.equal(after!.displayName, "Engineering");
    assert.deepEqual(after!.spaceDetails, { description: "b", guidelines: "g" });
    assert.equal(after!.spaceHistoryState, "HISTORY_OFF");
    assert.deepEqual(after!.__declared.permissionSettings, news.permissionSettings);
    const mark2 = await logMark(t);
    await provider.update(id, after!, news);
    assert.deepEqual(await apiCalls(t, mark2), [], "nothing left to change");
  });

  it("a PATCH of the declared guidelines keeps the description the declaration leaves out, as it is in Chat", async () => {
    const { provider } = await configuredProvider(t);
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng", spaceDetails: { description: "Platform team", guidelines: "g" } }));
    const mark = await logMark(t);
    const { outs: after } = await provider.update(id, outs!, sdkInputs("eng", { displayName: "Eng", spaceDetails: { guidelines: "Be kind" } }));
    // The PATCH carries the undeclared half, so it is read fresh first: a description edited in Chat since the refresh is kept too.
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${id} 200`, `PATCH /v1/${id} space_details 200`]);
    const stored = (await t.control.state()).spaces[id.slice("spaces/".length)];
    assert.deepEqual([stored.description, stored.guidelines], ["Platform team", "Be kind"]);
    assert.deepEqual(after!.spaceDetails, { description: "Platform team", guidelines: "Be kind" });
  });

  it("changes the audience alone, and turns a space private again", async () => {
    const { provider } = await configuredProvider(t);
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    const mark = await logMark(t);
    const open = await provider.update(id, outs!, sdkInputs("eng", { displayName: "Eng", accessSettings: { audience: "audiences/default" } }));
    assert.deepEqual(open.outs!.accessSettings, { accessState: "DISCOVERABLE", audience: "audiences/default" });
    const closed = await provider.update(id, open.outs!, sdkInputs("eng", { displayName: "Eng", accessSettings: {} }));
    assert.deepEqual(closed.outs!.accessSettings, { accessState: "PRIVATE" });
    assert.deepEqual(await apiCalls(t, mark), [`PATCH /v1/${id} access_settings.audience 200`, `PATCH /v1/${id} access_settings.audience 200`]);
  });

  it("completes an import in place when importMode goes from true to false", async () => {
    const { provider } = await configuredProvider(t);
    const { id, outs } = await provider.create(sdkInputs("imp", { displayName: "Imported", importMode: true }));
    assert.equal(outs!.importMode, true);
    assert.ok(outs!.importModeExpireTime);
    const mark = await logMark(t);
    const { outs: after } = await provider.update(id, outs!, sdkInputs("imp", { displayName: "Imported", importMode: false }));
    assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${id}:completeImport 200`]);
    assert.equal(after!.importMode, false);
    assert.equal(after!.importModeExpireTime, undefined);
  });

  it("reads with one GET, drift included", async () => {
    const { provider } = await configuredProvider(t);
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    await t
      .asDelegatedUser("admin@example.com", ["chat.spaces"])
      .spaces.patch({ name: id, updateMask: "display_name", requestBody: { displayName: "Renamed outside" } });
    const mark = await logMark(t);
    const read = await provider.read(id, outs!);
    assert.equal(read.id, id);
    assert.equal((read.props as ChatSpaceOutputs).displayName, "Renamed outside");
    assert.deepEqual((read.props as ChatSpaceOutputs).__declared, { displayName: "Eng" });
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${id} 200`]);
  });

  it("keeps a space that answers 404 in the stack, and says how to remove it, where 404 may mean 'not visible'", async () => {
    const { provider, logs } = await configuredProvider(t);
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    await t.asDelegatedUser("admin@example.com", ["chat.delete"]).spaces.delete({ name: id });
    const fresh = await configuredProvider(t);
    assert.deepEqual(await fresh.provider.read(id, outs!), { id, props: outs });
    assert.match(
      fresh.logs.join("\n"),
      /ChatSpace "Eng" \(spaces\/\S+\): Google answers 404 Not Found: the space was deleted, or these credentials can no longer see it .* It stays in the stack\. .*`pulumi state delete <urn>`/,
    );
    await assert.rejects(fresh.provider.delete(id, outs!), /It was not deleted and stays in the stack\./);
    assert.equal(logs.length, 0);
  });

  it("with admin access, a 404 the calling user's read confirms means gone: refresh drops the space and a delete succeeds", async () => {
    const { provider } = await configuredProvider(t, { useAdminAccess: true });
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    await t.asDelegatedUser("admin@example.com", ["chat.delete"]).spaces.delete({ name: id });
    const fresh = await configuredProvider(t, { useAdminAccess: true });
    const mark = await logMark(t);
    assert.deepEqual(await fresh.provider.read(id, outs!), { id: "" });
    await fresh.provider.delete(id, outs!);
    // Admin access reaches only the administrator's own organisation's spaces: each 404 of it is confirmed by one read as the user.
    assert.deepEqual(await apiCallsWithAccess(t, mark), [`GET /v1/${id} admin 404`, `GET /v1/${id} 404`, `DELETE /v1/${id} admin 404`, `GET /v1/${id} 404`]);
  });

  it("deletes with one DELETE; deleting again in the same run counts as deleted", async () => {
    const { provider } = await configuredProvider(t);
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    const other = await configuredProvider(t);
    const mark = await logMark(t);
    await other.provider.delete(id, outs!);
    await other.provider.delete(id, outs!);
    assert.deepEqual(await apiCalls(t, mark), [`DELETE /v1/${id} 200`, `DELETE /v1/${id} 404`]);
  });

  it("adopts an existing space: one GET, then PATCHes to the declared state, and no create", async () => {
    const { data: existing } = await t.asDelegatedUser("admin@example.com", ["chat.spaces"]).spaces.create({
      requestBody: { spaceType: "SPACE", displayName: "Legacy" },
    });
    const { provider } = await configuredProvider(t);
    const mark = await logMark(t);
    const { id, outs } = await provider.create(
      sdkInputs("legacy", { adoptSpace: existing.name!, displayName: "Legacy", spaceDetails: { description: "Now managed" } }),
    );
    assert.equal(id, existing.name);
    assert.equal(outs!.requestId, "");
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${id} 200`, `PATCH /v1/${id} space_details 200`]);
    assert.equal(Object.keys((await t.control.state()).spaces).length, 1);
  });

  it("refuses to adopt a space whose declared replace-only fields differ from it", async () => {
    const { data: existing } = await t.asDelegatedUser("admin@example.com", ["chat.spaces"]).spaces.create({
      requestBody: { spaceType: "SPACE", displayName: "Open", externalUserAllowed: true },
    });
    const { provider } = await configuredProvider(t);
    await assert.rejects(provider.create(sdkInputs("open", { adoptSpace: existing.name!, displayName: "Open", externalUserAllowed: false })), {
      message: `ChatSpace open: adoptSpace ${existing.name} can't be taken over as declared: externalUserAllowed is true, declared false. These can only be set when a space is created: declare the space's values, or leave them out.`,
    });
  });

  it("adopts a space as it is where replace-only fields are left undeclared", async () => {
    const { data: existing } = await t.asDelegatedUser("admin@example.com", ["chat.spaces"]).spaces.create({
      requestBody: { spaceType: "SPACE", displayName: "Open", externalUserAllowed: true },
    });
    const { provider } = await configuredProvider(t);
    const { id } = await provider.create(sdkInputs("open", { adoptSpace: existing.name!, displayName: "Open" }));
    assert.equal(id, existing.name);
  });

  it("refuses to adopt a space that does not exist", async () => {
    const { provider } = await configuredProvider(t);
    await assert.rejects(provider.create(sdkInputs("ghost", { adoptSpace: "spaces/AAAAmissing", displayName: "Ghost" })), {
      message:
        "ChatSpace ghost: adoptSpace spaces/AAAAmissing does not exist, or these credentials can't see it. If a replacement deleted it in an interrupted run, remove adoptSpace from the declaration so that the next up creates a new space.",
    });
  });

  it("keeps a created space in the stack when finishing it fails (partial failure with its id)", async () => {
    const { provider } = await configuredProvider(t);
    await t.control.addFault({ match: { methods: ["spaces.patch"] }, action: { kind: "error", status: 400, message: "bad" } as never });
    const error: any = await provider
      .create({ ...sdkInputs("eng", { displayName: "Eng", permissionSettings: { manageApps: { managersAllowed: true } } }), __provider: "stub" })
      .catch((e) => e);
    assert.match(error.id, /^spaces\//);
    assert.equal(error.properties.name, error.id);
    assert.equal(error.properties.__provider, "stub");
    assert.match(error.message, /^ChatSpace eng: spaces.patch of spaces\/\S+ failed \(400 INVALID_ARGUMENT: bad\)/);
  });
});

describe("provider: requestIds whose space was deleted, for each way Google may answer", () => {
  const t = useEmulator();
  const recreate = async (mode: "new" | "stale" | "notFound") => {
    await t.control.setSettings({ requestIdAfterDelete: mode });
    const { provider } = await configuredProvider(t);
    const inputs = sdkInputs("eng", { displayName: "Eng" });
    // The first space was made a minute before, by Google's clock, as for any re-run after a crash.
    t.advanceClock(-60_000);
    const first = await provider.create(inputs);
    t.advanceClock(60_000);
    await t.asDelegatedUser("admin@example.com", ["chat.delete"]).spaces.delete({ name: first.id });
    const mark = await logMark(t);
    const second = await provider.create(inputs);
    assert.notEqual(second.id, first.id);
    assert.deepEqual(Object.keys((await t.control.state()).spaces), [second.id.slice(7)]);
    return { calls: await apiCalls(t, mark), first, second, inputs };
  };

  it("new: the freed id creates a new space", async () => {
    const { calls, second, inputs } = await recreate("new");
    assert.deepEqual(calls, ["POST /v1/spaces 200"]);
    assert.equal(second.outs!.requestId, deriveRequestId(baseOf(inputs), { displayName: "Eng" }, 0));
  });

  it("stale: the deleted space comes back, a GET finds it gone, and the next derived id creates a new one", async () => {
    const { calls, first, second, inputs } = await recreate("stale");
    assert.deepEqual(calls, ["POST /v1/spaces 200", `GET /v1/${first.id} 404`, "POST /v1/spaces 200"]);
    assert.equal(second.outs!.requestId, deriveRequestId(baseOf(inputs), { displayName: "Eng" }, 1));
  });

  it("notFound: the spent id answers 404, and the next derived id creates a new one", async () => {
    const { calls, second, inputs } = await recreate("notFound");
    assert.deepEqual(calls, ["POST /v1/spaces 404", "POST /v1/spaces 200"]);
    assert.equal(second.outs!.requestId, deriveRequestId(baseOf(inputs), { displayName: "Eng" }, 1));
  });
});
