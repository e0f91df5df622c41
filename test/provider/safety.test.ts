/**
 * Named regressions of "never destroy, never duplicate", each against the emulator over HTTP,
 * asserting the exact calls made.
 */
import assert from "node:assert/strict";
import { deriveRequestId, legacyRequestIdBase } from "../../provider/space/request-id";
import type { ChatSpaceOutputs } from "../../provider/space/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, configuredProvider, logMark, sdkInputs } from "../helpers/provider";

describe("provider: never destroy, never duplicate", () => {
  const t = useEmulator();
  const admin = () => t.asDelegatedUser("admin@example.com", ["chat.spaces", "chat.delete"]);
  const liveIds = async () => Object.keys((await t.control.state()).spaces);

  describe("replacing an adopted space", () => {
    it("refuses at diff, before anything is deleted, while adoptSpace is declared", async () => {
      const { data: existing } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Legacy" } });
      const { provider } = await configuredProvider(t);
      const inputs = sdkInputs("legacy", { adoptSpace: existing.name!, displayName: "Legacy" });
      const { id, outs } = await provider.create(inputs);
      const mark = await logMark(t);
      await assert.rejects(provider.diff(id, outs!, sdkInputs("legacy", { adoptSpace: existing.name!, displayName: "Legacy", externalUserAllowed: true })), {
        message: `ChatSpace legacy: changing externalUserAllowed would replace ${id}, which this resource adopted (adoptSpace), deleting the space and its messages. Keep the current value, or remove adoptSpace from the declaration to let the replacement delete it and create a new space.`,
      });
      assert.deepEqual(await apiCalls(t, mark), []);
    });

    it("a forced replacement (pulumi up --replace: delete, then create) makes a new space instead of failing on the deleted one", async () => {
      const { data: existing } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Legacy" } });
      const { provider } = await configuredProvider(t);
      const inputs = sdkInputs("legacy", { adoptSpace: existing.name!, displayName: "Legacy" });
      const { id, outs } = await provider.create(inputs);
      // The engine's --replace of this resource, in a new process: delete, then create with the same inputs.
      const run = await configuredProvider(t);
      const mark = await logMark(t);
      await run.provider.delete(id, outs!);
      const replacement = await run.provider.create(inputs);
      assert.notEqual(replacement.id, id);
      assert.deepEqual(await apiCalls(t, mark), [`DELETE /v1/${id} 200`, "POST /v1/spaces 200"]);
      assert.deepEqual(await liveIds(), [replacement.id.slice(7)]);
    });

    it("a second forced replacement, of the space the first one made, makes a new space too: the adopted space its declaration names is gone", async () => {
      const { data: existing } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Legacy" } });
      const { provider } = await configuredProvider(t);
      const inputs = sdkInputs("legacy", { adoptSpace: existing.name!, displayName: "Legacy" });
      const adopted = await provider.create(inputs);
      const first = await configuredProvider(t);
      await first.provider.delete(adopted.id, adopted.outs!);
      const made = await first.provider.create(inputs);
      const second = await configuredProvider(t);
      const mark = await logMark(t);
      await second.provider.delete(made.id, made.outs!);
      const again = await second.provider.create(inputs);
      assert.notEqual(again.id, made.id);
      assert.deepEqual(await apiCalls(t, mark), [`DELETE /v1/${made.id} 200`, "POST /v1/spaces 200"]);
      assert.deepEqual(await liveIds(), [again.id.slice(7)]);
      assert.match(second.logs.join("\n"), new RegExp(`${existing.name} was deleted by an earlier replacement of this resource; creating a new space`));
    });

    it("a forced replacement interrupted after its create (no state written): the next up, another process, takes the space it made and makes no other", async () => {
      const { data: existing } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Legacy" } });
      const { provider } = await configuredProvider(t);
      const inputs = sdkInputs("legacy", { adoptSpace: existing.name!, displayName: "Legacy" });
      const { id, outs } = await provider.create(inputs);
      const replacing = await configuredProvider(t);
      await replacing.provider.delete(id, outs!);
      const made = await replacing.provider.create(inputs);
      // The engine died before writing the replacement: the next up creates the resource again.
      const next = await configuredProvider(t);
      const mark = await logMark(t);
      const again = await next.provider.create(inputs);
      assert.equal(again.id, made.id);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${id} 404`, "GET /v1/spaces 200", "POST /v1/spaces 200"]);
      assert.deepEqual(await liveIds(), [made.id.slice(7)]);
      assert.match(
        next.logs.join("\n"),
        new RegExp(`${id} \\(adoptSpace\\) is gone; ${made.id}, which a replacement of this resource created in an interrupted run, is taken as its space`),
      );
    });

    it("an adoptSpace that answers 404 while another space has the declared name: the create that would find a replacement's space makes nothing", async () => {
      const { data: other } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Legacy" } });
      const { provider } = await configuredProvider(t);
      const mark = await logMark(t);
      await assert.rejects(provider.create(sdkInputs("legacy", { adoptSpace: "spaces/AAAAmissing", displayName: "Legacy" })), {
        message: /^ChatSpace legacy: adoptSpace spaces\/AAAAmissing does not exist, or these credentials can't see it\./,
      });
      const calls = await apiCalls(t, mark);
      assert.deepEqual(calls.slice(0, 2), ["GET /v1/spaces/AAAAmissing 404", "GET /v1/spaces 200"]);
      assert.ok(
        calls.slice(2).every((c) => c === "POST /v1/spaces 409"),
        calls.join("; "),
      );
      assert.deepEqual(await liveIds(), [other.name!.slice(7)]);
    });

    it("an adopted space these credentials lost sight of, renamed since: nothing is created in its place", async () => {
      const { data: existing } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Renamed" } });
      const alice = await configuredProvider(t, { config: { "googlechat:impersonateUser": "alice@example.com" } });
      const mark = await logMark(t);
      await assert.rejects(alice.provider.create(sdkInputs("legacy", { adoptSpace: existing.name!, displayName: "Legacy" })), {
        message: /^ChatSpace legacy: adoptSpace \S+ does not exist, or these credentials can't see it\./,
      });
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${existing.name} 404`, "GET /v1/spaces 200"]);
      assert.deepEqual(await liveIds(), [existing.name!.slice(7)]);
    });
  });

  describe("completing an import", () => {
    const importing = async () => {
      const { provider } = await configuredProvider(t);
      const inputs = sdkInputs("imp", { displayName: "Imported", importMode: true, createTime: "2019-01-01T00:00:00Z" });
      return { provider, ...(await provider.create(inputs)) };
    };
    const completed = sdkInputs("imp", { displayName: "Imported", importMode: false, createTime: "2019-01-01T00:00:00Z" });

    it("is idempotent: a lost answer retried meets FAILED_PRECONDITION, a GET finds the import complete, and the update succeeds", async () => {
      const { provider, id, outs } = await importing();
      await t.control.addFault({ match: { methods: ["spaces.completeImport"] }, action: { kind: "dropAfterCommit" }, count: 1 });
      const mark = await logMark(t);
      const { outs: after } = await provider.update(id, outs!, completed);
      assert.equal(after!.importMode, false);
      const calls = await apiCalls(t, mark);
      assert.deepEqual(calls.slice(-2), [`POST /v1/${id}:completeImport 400`, `GET /v1/${id} 200`]);
    });

    it("succeeds when the import was completed outside Pulumi", async () => {
      const { provider, id, outs } = await importing();
      await t.control.completeImport(id);
      const mark = await logMark(t);
      const { outs: after } = await provider.update(id, outs!, completed);
      assert.equal(after!.importMode, false);
      assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${id}:completeImport 400`, `GET /v1/${id} 200`]);
    });

    it("keeps a completed import in the state when a later PATCH of the same update fails (partial failure)", async () => {
      const { provider, id, outs } = await importing();
      await t.control.addFault({ match: { methods: ["spaces.patch"] }, action: { kind: "error", status: 400, message: "bad" } });
      const error: any = await provider
        .update(id, outs!, { ...sdkInputs("imp", { displayName: "Renamed", importMode: false, createTime: "2019-01-01T00:00:00Z" }), __provider: "stub" })
        .catch((e) => e);
      assert.equal(error.id, id);
      assert.equal(error.properties.importMode, false, "the state learns the import is complete");
      assert.equal(error.properties.__provider, "stub");
      assert.deepEqual(error.properties.__declared, { importMode: false, createTime: "2019-01-01T00:00:00Z" }, "the rename is planned again");
      assert.match(error.message, /^ChatSpace imp: spaces.patch of spaces\/\S+ failed \(400 INVALID_ARGUMENT: bad\)/);
    });
  });

  describe("creation rules", () => {
    for (const [what, declared, reason] of [
      [
        "a GROUP_CHAT without import mode",
        { spaceType: "GROUP_CHAT" },
        "spaceType GROUP_CHAT can only be created in import mode: set importMode to true, or use SPACE.",
      ],
      [
        "a customer with user authentication",
        { displayName: "X", customer: "customers/my_customer" },
        "customer must not be set with user authentication: Google creates the space in the user's own organisation. Remove it (or use app authentication).",
      ],
    ] as const) {
      it(`are checked by create itself, with zero API calls: ${what}`, async () => {
        const { provider } = await configuredProvider(t);
        await assert.rejects(provider.create(sdkInputs("x", declared)), { message: `ChatSpace x: ${reason}` });
        assert.deepEqual(await apiCalls(t), []);
      });
    }

    it("apply to the create that follows a replacement: the engine checks it without the old inputs", async () => {
      const { provider } = await configuredProvider(t, { app: true });
      const check = await provider.check({}, sdkInputs("eng", { displayName: "Eng" }));
      assert.deepEqual(check.failures, [
        { property: "customer", reason: "is required with app authentication: set it to customers/my_customer, or to your organisation's customers/{id}." },
      ]);
    });
  });

  it("a private space declared under app auth, which can't read the audience, plans no audience PATCH", async () => {
    const { provider } = await configuredProvider(t, { app: true });
    const inputs = sdkInputs("eng", { displayName: "Eng", customer: "customers/my_customer", accessSettings: {} });
    const { id, outs } = await provider.create(inputs);
    assert.deepEqual(await apiCalls(t), ["POST /v1/spaces 200"]);
    assert.deepEqual(await provider.diff(id, outs!, inputs), { changes: false, replaces: [], deleteBeforeReplace: false, detailedDiff: {} });
  });

  describe("requestIds", () => {
    it("a create that crashed under 0.1.0 and is repeated now gets its space back (the name is taken, the 0.1.0 id replays it)", async () => {
      const inputs = sdkInputs("eng", { displayName: "Eng" });
      const legacyId = deriveRequestId(legacyRequestIdBase(inputs)!, { displayName: "Eng" }, 0);
      const { data: crashed } = await t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]).spaces.create({
        requestId: legacyId,
        requestBody: { spaceType: "SPACE", displayName: "Eng" },
      });
      const { provider } = await configuredProvider(t);
      const mark = await logMark(t);
      const { id, outs } = await provider.create(inputs);
      assert.equal(id, crashed.name);
      assert.equal(outs!.requestId, legacyId);
      assert.deepEqual(await apiCalls(t, mark), ["POST /v1/spaces 409", "POST /v1/spaces 200"]);
      assert.deepEqual(await liveIds(), [id.slice(7)]);
    });

    it("a resource replaced back and forth more than five times keeps finding a free id", async () => {
      await t.control.setSettings({ requestIdAfterDelete: "notFound" });
      const { provider } = await configuredProvider(t);
      const inputs = sdkInputs("eng", { displayName: "Eng" });
      for (let round = 0; round < 7; round++) {
        const { id, outs } = await provider.create(inputs);
        await configuredProvider(t).then(({ provider: next }) => next.delete(id, outs!));
      }
      const { id } = await provider.create(inputs);
      assert.deepEqual(await liveIds(), [id.slice(7)]);
    });
  });

  it("a half-declared spaceDetails PATCH carries the part edited in Chat since the last read, not the stale one", async () => {
    const { provider } = await configuredProvider(t);
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng", spaceDetails: { description: "a" } }));
    await t.control.editSpace(id, { spaceDetails: { guidelines: "Edited in Chat" } });
    const mark = await logMark(t);
    const { outs: after } = await provider.update(id, outs!, sdkInputs("eng", { displayName: "Eng", spaceDetails: { description: "b" } }));
    assert.deepEqual(after!.spaceDetails, { description: "b", guidelines: "Edited in Chat" });
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${id} 200`, `PATCH /v1/${id} space_details 200`]);
  });

  it("a create-before-delete replacement that gets its own space back (--replace with deleteBeforeReplace: false) does not delete it", async () => {
    const { provider } = await configuredProvider(t);
    const inputs = sdkInputs("eng", { displayName: "Eng" });
    const { id, outs } = await provider.create(inputs);
    const run = await configuredProvider(t);
    const mark = await logMark(t);
    const replacement = await run.provider.create(inputs);
    await run.provider.delete(id, outs as ChatSpaceOutputs);
    assert.equal(replacement.id, id);
    assert.deepEqual(await apiCalls(t, mark), ["POST /v1/spaces 200"]);
    assert.deepEqual(await liveIds(), [id.slice(7)]);
    assert.match(run.logs.join("\n"), /the replacement kept the same space \(its requestId or adoptSpace returned it\), so it is not deleted/);
  });
});

describe("provider: a name-only answer, and a replacement within the replay age", () => {
  const t = useEmulator();

  it("a PATCH answered with the name alone is read again, so the state gets the space, not empty values", async () => {
    const { provider } = await configuredProvider(t);
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    await t.control.addFault({ match: { methods: ["spaces.patch"] }, action: { kind: "nameOnlyAfterCommit" }, count: 1 });
    const mark = await logMark(t);
    const { outs: after } = await provider.update(id, outs!, sdkInputs("eng", { displayName: "Eng 2" }));
    assert.equal(after!.displayName, "Eng 2");
    assert.equal(after!.spaceType, "SPACE");
    assert.deepEqual(await apiCalls(t, mark), [`PATCH /v1/${id} display_name 200`, `GET /v1/${id} 200`]);
  });

  it("a --replace within the replay age (requestIdAfterDelete: stale) does not take the space it just deleted for a new one", async () => {
    await t.control.setSettings({ requestIdAfterDelete: "stale" });
    const { provider } = await configuredProvider(t);
    const inputs = sdkInputs("eng", { displayName: "Eng" });
    const { id, outs } = await provider.create(inputs);
    const run = await configuredProvider(t);
    await run.provider.delete(id, outs!);
    const mark = await logMark(t);
    const replacement = await run.provider.create(inputs);
    assert.notEqual(replacement.id, id);
    assert.deepEqual(await apiCalls(t, mark), ["POST /v1/spaces 200", `GET /v1/${id} 404`, "POST /v1/spaces 200"]);
    assert.deepEqual(Object.keys((await t.control.state()).spaces), [replacement.id.slice(7)]);
  });
});

describe("provider: a lost DELETE answer, and admin access's masks, at the Chat API's edge", () => {
  const t = useEmulator();

  it("a DELETE whose answer was lost is retried, meets 404, and counts as deleted", async () => {
    const { provider } = await configuredProvider(t);
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    const run = await configuredProvider(t);
    await t.control.addFault({ match: { methods: ["spaces.delete"] }, action: { kind: "dropAfterCommit" }, count: 1 });
    const mark = await logMark(t);
    await run.provider.delete(id, outs!);
    const calls = await apiCalls(t, mark);
    assert.equal(calls.at(-1), `DELETE /v1/${id} 404`);
    assert.equal(calls.length, 2);
    assert.deepEqual(Object.keys((await t.control.state()).spaces), []);
  });

  it("with useAdminAccess, masks Google refuses under admin access go as the user; the rest as the admin", async () => {
    const { provider } = await configuredProvider(t, { useAdminAccess: true });
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    const mark = await logMark(t);
    await provider.update(
      id,
      outs!,
      sdkInputs("eng", { displayName: "Eng 2", spaceHistoryState: "HISTORY_OFF", permissionSettings: { manageApps: { managersAllowed: true } } }),
    );
    const patches = (await t.control.requests(mark))
      .filter((r) => r.method === "PATCH")
      .map((r) => [r.query.updateMask, r.query.useAdminAccess ?? "-", r.status]);
    assert.deepEqual(patches, [
      ["display_name", "true", 200],
      ["space_history_state", "-", 200],
      ["permission_settings.manageApps", "-", 200],
    ]);
  });
});

describe("provider: an import completed in Chat, with a state that still says import mode", () => {
  const t = useEmulator();

  it("destroy reads the space when the import-scoped DELETE is refused, and deletes it as a regular space", async () => {
    const { provider } = await configuredProvider(t);
    const { id, outs } = await provider.create(sdkInputs("imp", { displayName: "Imported", importMode: true, createTime: "2019-01-01T00:00:00Z" }));
    await t.control.completeImport(id);
    const run = await configuredProvider(t);
    const mark = await logMark(t);
    await run.provider.delete(id, outs!);
    const calls = await apiCalls(t, mark);
    assert.deepEqual(calls.slice(1), [`GET /v1/${id} 200`, `DELETE /v1/${id} 200`]);
    assert.match(calls[0], new RegExp(`^DELETE /v1/${id} (403|400)$`));
    assert.deepEqual(Object.keys((await t.control.state()).spaces), []);
  });
});

describe("provider: access permission settings", () => {
  const t = useEmulator();

  it("patches who may discover and join, alone in their mask, and changes nothing when declared as it is", async () => {
    const { provider } = await configuredProvider(t);
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    const news = sdkInputs("eng", {
      displayName: "Eng",
      accessSettings: { accessPermissionSettings: { discoverSpaceSetting: ["audiences/default"], joinSpaceSetting: ["audiences/default"] } },
    });
    const mark = await logMark(t);
    const { outs: after } = await provider.update(id, outs!, news);
    assert.deepEqual(await apiCalls(t, mark), [
      `PATCH /v1/${id} access_settings.access_permission_settings.discoverSpaceSetting,access_settings.access_permission_settings.joinSpaceSetting 200`,
    ]);
    assert.deepEqual(after!.accessSettings!.accessPermissionSettings, { discoverSpaceSetting: ["audiences/default"], joinSpaceSetting: ["audiences/default"] });
    assert.deepEqual(await provider.diff(id, after!, news), { changes: false, replaces: [], deleteBeforeReplace: false, detailedDiff: {} });
  });

  it("refuses at check a join audience that may not discover the space, and app authentication", async () => {
    const { provider } = await configuredProvider(t, { app: true });
    const { failures } = await provider.check(
      {},
      sdkInputs("eng", {
        displayName: "Eng",
        customer: "customers/my_customer",
        accessSettings: { accessPermissionSettings: { discoverSpaceSetting: [], joinSpaceSetting: ["audiences/default"] } },
      }),
    );
    assert.deepEqual(failures, [
      {
        property: "accessSettings",
        reason:
          "accessSettings.accessPermissionSettings.joinSpaceSetting lists audiences/default, not in discoverSpaceSetting: whoever may join must be allowed to discover the space. Add them there.",
      },
      {
        property: "accessSettings",
        reason: "accessSettings.accessPermissionSettings needs user authentication: set googlechat:auth to user (or impersonate a user), or remove it.",
      },
    ]);
    assert.deepEqual(await apiCalls(t), []);
  });
});

describe("provider: the declaration kept in the outputs", () => {
  const t = useEmulator();

  it("is __declared, which Pulumi leaves out of the diffs it shows; state written by 0.1.0 (declared) is read and rewritten", async () => {
    const { provider } = await configuredProvider(t);
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    assert.deepEqual(outs!.__declared, { displayName: "Eng" });
    const { __declared, ...rest } = outs!;
    const written010 = { ...rest, declared: __declared } as unknown as ChatSpaceOutputs;
    assert.deepEqual(await provider.diff(id, written010, sdkInputs("eng", { displayName: "Eng" })), {
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
      detailedDiff: {},
    });
    const read = (await provider.read(id, written010)).props as ChatSpaceOutputs;
    assert.deepEqual(read.__declared, { displayName: "Eng" });
    assert.equal("declared" in read, false);
  });
});

describe("provider: a retried DELETE's 404, and an update after an import completed in Chat", () => {
  const t = useEmulator();

  it("a DELETE Google answered 503 (nothing done), then 404, is not taken for 'deleted' by credentials that can't see the space", async () => {
    const { provider } = await configuredProvider(t);
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    const alice = await configuredProvider(t, { config: { "googlechat:impersonateUser": "alice@example.com" } });
    await t.control.addFault({ match: { methods: ["spaces.delete"] }, action: { kind: "error", status: 503 }, count: 1 });
    await assert.rejects(alice.provider.delete(id, outs!), /It was not deleted and stays in the stack\./);
    assert.deepEqual(Object.keys((await t.control.state()).spaces), [id.slice(7)]);
  });

  it("an in-place update of a space whose import was completed in Chat goes as for a regular space", async () => {
    const { provider } = await configuredProvider(t);
    const imported = sdkInputs("imp", { displayName: "Imported", importMode: true, createTime: "2019-01-01T00:00:00Z" });
    const { id, outs } = await provider.create(imported);
    await t.control.completeImport(id);
    const mark = await logMark(t);
    const { outs: after } = await provider.update(
      id,
      outs!,
      sdkInputs("imp", { displayName: "Renamed", importMode: true, createTime: "2019-01-01T00:00:00Z" }),
    );
    assert.equal(after!.displayName, "Renamed");
    const calls = await apiCalls(t, mark);
    assert.deepEqual(calls.slice(1), [`GET /v1/${id} 200`, `PATCH /v1/${id} display_name 200`]);
    assert.match(calls[0], new RegExp(`^PATCH /v1/${id} display_name (403|400)$`));
  });
});

describe("provider: a replacement after an import completed in Chat, a name-only re-read, an update of a deleted space", () => {
  const t = useEmulator();

  it("a create-before-delete --replace of a group chat whose import completed in Chat makes a new one in import mode, and the old one is deleted", async () => {
    const { provider } = await configuredProvider(t);
    const inputs = sdkInputs("chat", { spaceType: "GROUP_CHAT", importMode: true, createTime: "2019-01-01T00:00:00Z" });
    const { id, outs } = await provider.create(inputs);
    await t.control.completeImport(id);
    const run = await configuredProvider(t);
    const mark = await logMark(t);
    const replacement = await run.provider.create(inputs);
    await run.provider.delete(id, outs!);
    assert.notEqual(replacement.id, id);
    assert.equal(replacement.outs!.importMode, true);
    assert.deepEqual(await apiCalls(t, mark), [
      "POST /v1/spaces 200",
      `GET /v1/${id} 200`,
      "POST /v1/spaces 200",
      `GET /v1/${replacement.id} 200`,
      `DELETE /v1/${id} 403`,
      `GET /v1/${id} 200`,
      `DELETE /v1/${id} 200`,
    ]);
    assert.deepEqual(Object.keys((await t.control.state()).spaces), [replacement.id.slice(7)]);
    assert.match(
      run.logs.join("\n"),
      new RegExp(`returns ${id}, changed since it was created \\(importMode is false, declared true\\), which Google can't undo`),
    );
  });

  it("a create-before-delete --replace of a named space whose import completed in Chat: the new space can't take the name the old one holds, and nothing is deleted", async () => {
    const { provider } = await configuredProvider(t);
    const inputs = sdkInputs("imp", { displayName: "Imported", importMode: true, createTime: "2019-01-01T00:00:00Z" });
    const { id } = await provider.create(inputs);
    await t.control.completeImport(id);
    const run = await configuredProvider(t);
    const mark = await logMark(t);
    await assert.rejects(run.provider.create(inputs), { message: /^ChatSpace imp: spaces.create failed \(409 ALREADY_EXISTS: / });
    assert.deepEqual(await apiCalls(t, mark), ["POST /v1/spaces 200", `GET /v1/${id} 200`, "POST /v1/spaces 409"]);
    assert.deepEqual(Object.keys((await t.control.state()).spaces), [id.slice(7)]);
  });

  it("a create whose re-read is answered with the name alone keeps the space as unfinished (partial failure), never 'not ours'", async () => {
    const { provider } = await configuredProvider(t);
    await t.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "nameOnlyAfterCommit" }, count: 1 });
    await t.control.addFault({ match: { methods: ["spaces.get"] }, action: { kind: "nameOnlyAfterCommit" }, count: 1 });
    const error: any = await provider.create({ ...sdkInputs("eng", { displayName: "Eng" }), __provider: "stub" }).catch((e) => e);
    assert.match(error.id, /^spaces\//);
    assert.equal(error.message, `ChatSpace eng: ${error.id} was created but could not be read; the next up reads it again.`);
    assert.deepEqual(error.properties.__declared, {});
    assert.deepEqual(Object.keys((await t.control.state()).spaces), [error.id.slice(7)]);
  });

  it("the next up after a create that could not be read reads the space and records it, for a declaration of its identity alone", async () => {
    const { provider } = await configuredProvider(t);
    const chat = sdkInputs("chat", { spaceType: "GROUP_CHAT", importMode: true, createTime: "2019-01-01T00:00:00Z" });
    await t.control.addFault({ match: { methods: ["spaces.get"] }, action: { kind: "nameOnlyAfterCommit" }, count: 1 });
    const error: any = await provider.create({ ...chat, __provider: "stub" }).catch((e) => e);
    assert.equal(error.message, `ChatSpace chat: ${error.id} was created but could not be read; the next up reads it again.`);
    const { __provider: _p, ...unfinished } = error.properties;
    const run = await configuredProvider(t);
    const diff = await run.provider.diff(error.id, unfinished, chat);
    assert.deepEqual([diff.changes, diff.replaces], [true, []]);
    const mark = await logMark(t);
    const { outs } = await run.provider.update(error.id, unfinished, chat);
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${error.id} 200`]);
    assert.deepEqual([outs!.spaceType, outs!.importMode, Date.parse(outs!.createTime!)], ["GROUP_CHAT", true, Date.parse("2019-01-01T00:00:00Z")]);
    assert.deepEqual(await run.provider.diff(error.id, outs!, chat), { changes: false, replaces: [], deleteBeforeReplace: false, detailedDiff: {} });
  });

  it("an update of a space deleted in Chat says so and names the recovery (admin access tells it is gone)", async () => {
    const { provider } = await configuredProvider(t, { useAdminAccess: true });
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    await t.control.deleteSpace(id);
    const error: any = await provider.update(id, outs!, sdkInputs("eng", { displayName: "Eng 2" })).catch((e) => e);
    assert.equal(
      error.message,
      `ChatSpace eng: ${id} was deleted outside Pulumi. Run \`pulumi refresh\` (it takes the space out of the stack), then \`pulumi up\` creates it again.`,
    );
  });
});

describe("provider: a group chat made a space, the PATCH's answer lost", () => {
  const t = useEmulator();
  const group = sdkInputs("chat", { spaceType: "GROUP_CHAT", importMode: true, createTime: "2019-01-01T00:00:00Z" });
  const space = sdkInputs("chat", { spaceType: "SPACE", displayName: "Chat", importMode: false, createTime: "2019-01-01T00:00:00Z" });

  it("reads the space when the PATCH's retry is refused (it is a SPACE already), and the update succeeds", async () => {
    const { provider } = await configuredProvider(t);
    const { id, outs } = await provider.create(group);
    await t.control.addFault({ match: { methods: ["spaces.patch"] }, action: { kind: "dropAfterCommit" }, count: 1 });
    const mark = await logMark(t);
    const { outs: after } = await provider.update(id, outs!, space);
    assert.equal(after!.spaceType, "SPACE");
    assert.equal(after!.displayName, "Chat");
    assert.equal(after!.importMode, false);
    const calls = await apiCalls(t, mark);
    assert.equal(calls[0], `POST /v1/${id}:completeImport 200`);
    assert.deepEqual(calls.slice(-2), [`PATCH /v1/${id} space_type,display_name 400`, `GET /v1/${id} 200`]);
  });

  it("an up whose state still says GROUP_CHAT (an update that failed after its completeImport and lost PATCH) succeeds, and renames the SPACE it is", async () => {
    const { provider } = await configuredProvider(t);
    const { id, outs } = await provider.create(group);
    await provider.update(id, outs!, space);
    // What that failed update recorded: the import complete, the type as it was.
    const recorded = { ...outs!, importMode: false };
    const mark = await logMark(t);
    const { outs: after } = await provider.update(id, recorded, { ...space, displayName: "Chat 2" });
    assert.equal(after!.displayName, "Chat 2");
    assert.deepEqual(await apiCalls(t, mark), [`PATCH /v1/${id} space_type,display_name 400`, `GET /v1/${id} 200`, `PATCH /v1/${id} display_name 200`]);
  });
});
