/**
 * The provider plugin's resources and function over gRPC, against the emulator: Check, Diff,
 * Create, Read, Update, Delete of Space, Membership and SpaceMembers, and Invoke of getSpace,
 * each pinned by the exact Chat API calls it makes and the exact values it answers.
 */
import assert from "node:assert/strict";
import { UNKNOWN } from "../../provider/core/engine-values";
import { FUNCTIONS, RESOURCES } from "../../provider/tokens";
import { useEmulator } from "../helpers/emulator";
import { pluginArgs, startTestPlugin, type TestPlugin } from "../helpers/plugin";
import { apiCalls, emulatorConfig, logMark } from "../helpers/provider";

const SPACE = RESOURCES.space.plugin;
const MEMBERSHIP = RESOURCES.membership.plugin;
const ROSTER = RESOURCES.roster.plugin;

describe("plugin: resources and getSpace against the emulator", () => {
  const t = useEmulator();
  let plugin: TestPlugin;
  beforeEach(async () => {
    plugin = await startTestPlugin();
    await plugin.handshake();
    await plugin.configure(pluginArgs(emulatorConfig(t)));
  });
  afterEach(() => plugin.stop());

  /**
   * Another plugin process, configured alike: what a later run (a destroy) talks to. What one
   * process made it never deletes (a replacement may have got the same space or member back).
   */
  async function laterRun(): Promise<TestPlugin> {
    const later = await startTestPlugin();
    await later.handshake();
    await later.configure(pluginArgs(emulatorConfig(t)));
    return later;
  }

  async function deleteInLaterRun(type: string, name: string, id: string, properties: Record<string, unknown>, oldInputs: Record<string, unknown>) {
    const later = await laterRun();
    try {
      await later.delete(type, name, id, properties, oldInputs);
    } finally {
      await later.stop();
    }
  }

  /** A space made through the plugin, as an up does: Check, then Create. */
  async function createSpace(name: string, declared: Record<string, unknown>) {
    const checked = await plugin.check(SPACE, name, {}, declared);
    assert.deepEqual(checked.failures, []);
    return plugin.create(SPACE, name, checked.inputs!);
  }

  describe("Space", () => {
    it("previews a create from the inputs alone, with no call to Google: what Google assigns is unknown", async () => {
      const declared = { displayName: "Engineering", spaceDetails: { description: "Platform" } };
      const checked = await plugin.check(SPACE, "eng", {}, declared);
      assert.deepEqual(checked, { inputs: declared, failures: [] });
      const preview = await plugin.create(SPACE, "eng", checked.inputs!, true);
      assert.equal(preview.id, "");
      assert.equal(preview.properties.displayName, "Engineering");
      assert.equal(preview.properties.name, UNKNOWN);
      assert.equal(preview.properties.spaceUri, UNKNOWN);
      assert.deepEqual(await apiCalls(t), []);
    });

    it("fails Check with zero calls on bad input, naming the property", async () => {
      const checked = await plugin.check(SPACE, "eng", {}, { displayName: "Eng", spaceType: "ROOM" });
      assert.equal(checked.inputs, undefined);
      assert.deepEqual(
        checked.failures.map((f) => f.property),
        ["spaceType"],
      );
      assert.deepEqual(await apiCalls(t), []);
    });

    it("creates with one POST, answers the id and every output, then diffs as none, updates in place with a per-field diff, refreshes and deletes", async () => {
      const declared = { displayName: "Engineering", spaceDetails: { description: "Platform" } };
      const created = await createSpace("eng", declared);
      assert.match(created.id, /^spaces\/AAAA/);
      assert.deepEqual(await apiCalls(t), ["POST /v1/spaces 200"]);
      assert.equal(created.properties.name, created.id);
      assert.equal(created.properties.displayName, "Engineering");
      assert.deepEqual(created.properties.spaceDetails, { description: "Platform", guidelines: "" });
      assert.equal(created.properties.spaceType, "SPACE");

      let mark = await logMark(t);
      const same = await plugin.diff(SPACE, "eng", created.id, created.properties, declared, declared);
      assert.deepEqual([same.changes, same.replaces, same.detailedDiff], ["DIFF_NONE", [], {}]);

      const edited = { displayName: "Eng 2", spaceDetails: { description: "Platform" } };
      const diff = await plugin.diff(SPACE, "eng", created.id, created.properties, declared, edited);
      assert.deepEqual(diff, {
        changes: "DIFF_SOME",
        replaces: [],
        deleteBeforeReplace: false,
        diffs: ["displayName"],
        hasDetailedDiff: true,
        detailedDiff: { displayName: { kind: "UPDATE", inputDiff: false } },
      });
      const preview = await plugin.update(SPACE, "eng", created.id, created.properties, declared, edited, true);
      assert.equal(preview.displayName, "Eng 2");
      assert.deepEqual(await apiCalls(t, mark), [], "a preview's diff and update make no call");

      const updated = await plugin.update(SPACE, "eng", created.id, created.properties, declared, edited);
      assert.equal(updated.displayName, "Eng 2");
      assert.deepEqual(await apiCalls(t, mark), [`PATCH /v1/${created.id} display_name 200`]);
      assert.equal((await t.control.state()).spaces[created.id.slice(7)].displayName, "Eng 2");

      mark = await logMark(t);
      const refreshed = await plugin.read(SPACE, "eng", created.id, updated, edited);
      assert.equal(refreshed.id, created.id);
      assert.equal(refreshed.properties.displayName, "Eng 2");
      assert.deepEqual(refreshed.inputs, edited, "a refresh keeps the declaration");
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${created.id} 200`]);

      mark = await logMark(t);
      await deleteInLaterRun(SPACE, "eng", created.id, updated, edited);
      assert.deepEqual(await apiCalls(t, mark), [`DELETE /v1/${created.id} 200`]);
      assert.deepEqual(Object.keys((await t.control.state()).spaces), []);
    });

    it("replaces when a replace-only input changes, saying which", async () => {
      const declared = { displayName: "Eng" };
      const created = await createSpace("eng", declared);
      const diff = await plugin.diff(SPACE, "eng", created.id, created.properties, declared, { displayName: "Eng", externalUserAllowed: true });
      assert.equal(diff.changes, "DIFF_SOME");
      assert.deepEqual(diff.replaces, ["externalUserAllowed"]);
      assert.equal(diff.detailedDiff.externalUserAllowed.kind, "ADD_REPLACE");
    });

    it("imports a space (Read with no state): one GET, its outputs and the declaration of what was found, which then diffs as none", async () => {
      const created = await createSpace("made-by-hand", { displayName: "Made by hand" });
      const mark = await logMark(t);
      const imported = await plugin.read(SPACE, "adopted", created.id);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${created.id} 200`]);
      assert.equal(imported.id, created.id);
      assert.equal(imported.properties.displayName, "Made by hand");
      assert.ok(imported.inputs);
      assert.equal(imported.inputs!.displayName, "Made by hand");
      const checked = await plugin.check(SPACE, "adopted", imported.inputs!, imported.inputs!);
      assert.deepEqual(checked.failures, []);
      const diff = await plugin.diff(SPACE, "adopted", imported.id, imported.properties, imported.inputs!, checked.inputs!);
      assert.equal(diff.changes, "DIFF_NONE");
    });

    it("answers a partial failure as ErrorResourceInitFailed with the space as it now is", async () => {
      await t.control.addFault({ match: { methods: ["spaces.patch"] }, action: { kind: "error", status: 400, message: "bad" } as never });
      const error = await plugin.failure(createSpace("eng", { displayName: "Eng", permissionSettings: { manageApps: { managersAllowed: true } } }));
      assert.match(error.message, /^ChatSpace eng: spaces.patch of spaces\/\S+ failed \(400 INVALID_ARGUMENT: bad\)/);
      assert.ok(error.initFailed, "the engine keeps the created space in the state");
      assert.match(error.initFailed!.id, /^spaces\//);
      assert.equal(error.initFailed!.properties.name, error.initFailed!.id);
      assert.deepEqual(error.initFailed!.reasons, [error.message]);
    });

    it("refuses a resource type it does not serve, naming the ones it does", async () => {
      const error = await plugin.failure(plugin.check("googlechat:index:Room", "r", {}, {}));
      assert.match(
        error.message,
        /^The googlechat provider has no resource type googlechat:index:Room: it serves googlechat:index:Space, googlechat:index:Membership, googlechat:index:SpaceMembers\.$/,
      );
    });
  });

  describe("Membership", () => {
    it("previews, creates one member, updates the role in place, and deletes, with the exact calls", async () => {
      const space = await createSpace("eng", { displayName: "Eng" });
      let mark = await logMark(t);
      const declared = { space: space.id, user: "bob@example.com" };
      const checked = await plugin.check(MEMBERSHIP, "bob", {}, declared);
      assert.deepEqual(checked.failures, []);
      const preview = await plugin.create(MEMBERSHIP, "bob", checked.inputs!, true);
      assert.equal(preview.properties.space, space.id);
      assert.equal(preview.properties.name, UNKNOWN);
      assert.deepEqual(await apiCalls(t, mark), []);

      const created = await plugin.create(MEMBERSHIP, "bob", checked.inputs!);
      assert.match(created.id, new RegExp(`^${space.id}/members/`));
      assert.equal(created.properties.role, "ROLE_MEMBER");
      const calls = await apiCalls(t, mark);
      assert.ok(calls.includes(`POST /v1/${space.id}/members 200`), calls.join("\n"));
      assert.ok(
        calls.every((c) => !c.startsWith("POST") || c === `POST /v1/${space.id}/members 200`),
        calls.join("\n"),
      );

      mark = await logMark(t);
      const promoted = { ...declared, role: "ROLE_MANAGER" };
      const diff = await plugin.diff(MEMBERSHIP, "bob", created.id, created.properties, declared, promoted);
      assert.deepEqual([diff.changes, diff.replaces, diff.detailedDiff], ["DIFF_SOME", [], { role: { kind: "ADD", inputDiff: false } }]);
      const updated = await plugin.update(MEMBERSHIP, "bob", created.id, created.properties, declared, promoted);
      assert.equal(updated.role, "ROLE_MANAGER");
      assert.deepEqual(await apiCalls(t, mark), [`PATCH /v1/${created.id} role 200`]);

      mark = await logMark(t);
      await deleteInLaterRun(MEMBERSHIP, "bob", created.id, updated, promoted);
      // Before a removal, a later run reads the caller's own membership and the space's members (whether another declaration holds it).
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${space.id}/members/admin%40example.com 200`,
        `GET /v1/${space.id}/members 200`,
        `DELETE /v1/${created.id} 200`,
      ]);
    });
  });

  describe("SpaceMembers", () => {
    it("creates a roster, diffs by member, adds one in place, and deletes what it added", async () => {
      const space = await createSpace("eng", { displayName: "Eng" });
      let mark = await logMark(t);
      const declared = { space: space.id, members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }] };
      const checked = await plugin.check(ROSTER, "eng-members", {}, declared);
      assert.deepEqual(checked.failures, []);
      const preview = await plugin.create(ROSTER, "eng-members", checked.inputs!, true);
      assert.deepEqual([preview.properties.space, preview.properties.members], [space.id, UNKNOWN]);
      assert.deepEqual(await apiCalls(t, mark), []);

      const created = await plugin.create(ROSTER, "eng-members", checked.inputs!);
      assert.equal(created.id, space.id);
      // Google adds a member as ROLE_MEMBER: a manager is the add, then the role.
      const writes = (await apiCalls(t, mark)).filter((c) => !c.startsWith("GET"));
      assert.equal(writes.length, 2, writes.join("\n"));
      assert.equal(writes[0], `POST /v1/${space.id}/members 200`);
      assert.match(writes[1], new RegExp(`^PATCH /v1/${space.id}/members/\\d+ role 200$`));

      mark = await logMark(t);
      const same = await plugin.diff(ROSTER, "eng-members", created.id, created.properties, declared, declared);
      assert.equal(same.changes, "DIFF_NONE");
      const grown = { ...declared, members: [...declared.members, { user: "bob@example.com" }] };
      const diff = await plugin.diff(ROSTER, "eng-members", created.id, created.properties, declared, grown);
      assert.deepEqual([diff.changes, diff.replaces], ["DIFF_SOME", []]);
      assert.deepEqual(
        Object.values(diff.detailedDiff).map((d) => d.inputDiff),
        Object.values(diff.detailedDiff).map(() => true),
        "a roster diffs against its declaration",
      );
      assert.deepEqual(await apiCalls(t, mark), []);

      const updated = await plugin.update(ROSTER, "eng-members", created.id, created.properties, declared, grown);
      assert.deepEqual(
        (await apiCalls(t, mark)).filter((c) => !c.startsWith("GET")),
        [`POST /v1/${space.id}/members 200`],
      );

      mark = await logMark(t);
      await deleteInLaterRun(ROSTER, "eng-members", created.id, updated, grown);
      const deletes = (await apiCalls(t, mark)).filter((c) => c.startsWith("DELETE"));
      assert.equal(deletes.length, 2, deletes.join("\n"));
    });
  });

  describe("getSpace", () => {
    it("finds a space by its display name", async () => {
      const space = await createSpace("eng", { displayName: "Engineering" });
      const found = await plugin.invoke(FUNCTIONS.getSpace, { displayName: "Engineering" });
      assert.equal(found.name, space.id);
      assert.equal(found.displayName, "Engineering");
      assert.equal(found.spaceType, "SPACE");
    });

    it("refuses a function it does not serve", async () => {
      const error = await plugin.failure(plugin.invoke("googlechat:index:getRoom", {}));
      assert.equal(error.message, "The googlechat provider has no function googlechat:index:getRoom: it serves googlechat:index:getSpace.");
    });
  });

  it("refuses an import id not of the resource's form before any call, naming the resource and the form it takes", async () => {
    const mark = await logMark(t);
    const cases: [string, string, string][] = [
      [
        RESOURCES.space.plugin,
        "AAAAPhMsFf0",
        'ChatSpace adopted: can\'t import "AAAAPhMsFf0": a space is imported by its name, spaces/{space} (as spaces/AAAAPhMsFf0).',
      ],
      [
        RESOURCES.roster.plugin,
        "spaces/AAAAPhMsFf0/members",
        "ChatSpaceMembers adopted: can't import \"spaces/AAAAPhMsFf0/members\": a roster is imported by its space's name, spaces/{space} (as spaces/AAAAPhMsFf0).",
      ],
      [
        RESOURCES.membership.plugin,
        "spaces/AAAAPhMsFf0/members/users/110000000000000000002",
        "ChatMembership adopted: can't import \"spaces/AAAAPhMsFf0/members/users/110000000000000000002\": a membership is imported by its name, spaces/{space}/members/{member}, {member} being the member's id (users/{id} or groups/{id} without the prefix) or a person's email (as spaces/AAAAPhMsFf0/members/alice@example.com).",
      ],
    ];
    for (const [type, id, message] of cases) assert.equal((await plugin.failure(plugin.read(type, "adopted", id))).message, message);
    // An email alone is not a membership's name either: the form says where it goes.
    const email = await plugin.failure(plugin.read(RESOURCES.membership.plugin, "adopted", "alice@example.com"));
    assert.ok(
      email.message.startsWith(
        'ChatMembership adopted: can\'t import "alice@example.com": a membership is imported by its name, spaces/{space}/members/{member}',
      ),
      email.message,
    );
    assert.deepEqual(await apiCalls(t, mark), []);
  });

  it("never answers or logs the credentials it was configured with", async () => {
    const key = t.serviceAccount as unknown as { private_key: string; private_key_id: string };
    const space = await createSpace("eng", { displayName: "Eng" });
    // The same process never deletes what it made: it says so in the engine's log, under the resource.
    await plugin.delete(SPACE, "eng", space.id, space.properties, { displayName: "Eng" });
    const log = await plugin.engineLog();
    assert.equal(log.length, 1);
    assert.match(log[0].message, /^ChatSpace .*: the replacement kept the same space/);
    const everything = [...plugin.answers, ...(await plugin.engineLog()).map((l) => l.message)].join("\n");
    assert.ok(!everything.includes(key.private_key_id));
    assert.doesNotMatch(everything, /PRIVATE KEY/);
  });
});
