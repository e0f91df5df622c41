/**
 * membership-role-changed-in-chat-announced: alice, declared ROLE_MEMBER by a ChatMembership, made an owner in
 * Chat; a `pulumi refresh` records ROLE_MANAGER. The next preview plans the update that gives her
 * the declared role back, a demotion: it must say so, whatever else the declaration changed (the
 * user respelled, the role raised to one still below owner), or the up demotes her unannounced.
 * A dynamic provider passes no detailed diff to the engine, and the declarations the plan summary
 * compares don't tell her role as last read: the diff's log line does (membership/role-lines.ts).
 */
import assert from "node:assert/strict";
import type { ResourceState } from "../../commands/plan/preview-json";
import { summarizePlan } from "../../commands/plan/summary";
import { UNKNOWN } from "../../provider/core/engine-values";
import type { MembershipSdkInputs } from "../../provider/membership/inputs";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import { CHAT_MEMBERSHIP_TYPE } from "../../sdk";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { adminsSpace, membershipInputs, membershipProvider, membershipUrn } from "./membership-helpers";

const ADMIN = "users/110000000000000000001";
const ALICE = "users/110000000000000000002";
const URN = membershipUrn("alice");

/**
 * The step `pulumi preview --json` gives of the update (or replacement): the state's inputs and
 * outputs (as refreshed), and the inputs declared now. A replacement's new state has its inputs as
 * outputs: a dynamic provider previews no outputs (it does not support preview), so the engine
 * shows the inputs.
 */
function updateStep(id: string, olds: MembershipSdkInputs, refreshed: ChatMembershipOutputs, news: MembershipSdkInputs, op: "update" | "replace" = "update") {
  const declared = ({ __urn: _urn, ...inputs }: MembershipSdkInputs): Record<string, unknown> => inputs;
  const oldState: ResourceState = {
    urn: URN,
    type: CHAT_MEMBERSHIP_TYPE,
    id,
    inputs: declared(olds),
    outputs: refreshed as unknown as Record<string, unknown>,
  };
  const newState: ResourceState =
    op === "update" ? { ...oldState, inputs: declared(news) } : { urn: URN, type: CHAT_MEMBERSHIP_TYPE, inputs: declared(news), outputs: declared(news) };
  return { op, urn: URN, oldState, newState };
}

describe("provider: ChatMembership, a role changed in Chat and refreshed, the declaration changed too", () => {
  const t = useEmulator();
  /** alice declared ROLE_MEMBER by `users/alice@example.com`, made an owner in Chat, then a refresh (the state: ROLE_MANAGER). */
  async function ownerRefreshed() {
    const s = await adminsSpace(t);
    const first = membershipInputs("alice", { space: s, user: "users/alice@example.com", role: "ROLE_MEMBER" });
    const { provider: earlier } = await membershipProvider(t);
    await earlier.check({}, first);
    const { id, outs } = await earlier.create(first);
    await t.control.setRole(s, ALICE, "ROLE_MANAGER");
    const refreshed = (await earlier.read(id, outs as ChatMembershipOutputs)).props as ChatMembershipOutputs;
    assert.equal(refreshed.role, "ROLE_MANAGER");
    return { s, first, id, refreshed };
  }
  const membersOf = async (s: string) =>
    (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => `${m.memberName} ${m.role} ${m.state}`).sort();

  for (const [what, declared, fields] of [
    ["nothing else", { user: "users/alice@example.com", role: "ROLE_MEMBER" }, [{ field: "role", from: "ROLE_MANAGER", to: "ROLE_MEMBER" }]],
    [
      "the user respelled without users/",
      { user: "alice@example.com", role: "ROLE_MEMBER" },
      [
        { field: "role", from: "ROLE_MANAGER", to: "ROLE_MEMBER" },
        { field: "user", from: "users/alice@example.com", to: "alice@example.com" },
      ],
    ],
    [
      "the user's address in capitals",
      { user: "users/Alice@Example.com", role: "ROLE_MEMBER" },
      [
        { field: "role", from: "ROLE_MANAGER", to: "ROLE_MEMBER" },
        { field: "user", from: "users/alice@example.com", to: "users/Alice@Example.com" },
      ],
    ],
    [
      "the user by id",
      { user: ALICE, role: "ROLE_MEMBER" },
      [
        { field: "role", from: "ROLE_MANAGER", to: "ROLE_MEMBER" },
        { field: "user", from: "users/alice@example.com", to: ALICE },
      ],
    ],
    [
      "the role raised, still below owner",
      { user: "users/alice@example.com", role: "ROLE_ASSISTANT_MANAGER" },
      [{ field: "role", from: "ROLE_MANAGER", to: "ROLE_ASSISTANT_MANAGER" }],
    ],
  ] as const) {
    it(`${what}: the preview logs her demotion from ROLE_MANAGER, the plan summary says it, and the up makes it`, async () => {
      const { s, first, id, refreshed } = await ownerRefreshed();

      const news = membershipInputs("alice", { space: s, ...declared });
      const { provider: preview, logs } = await membershipProvider(t);
      const checked = (await preview.check(first, news)).inputs as MembershipSdkInputs;
      const diff = await preview.diff(id, refreshed, checked);
      assert.deepEqual({ changes: diff.changes, replaces: diff.replaces }, { changes: true, replaces: [] });
      assert.deepEqual(logs, [`ChatMembership alice: ~ ${ALICE}: role ROLE_MANAGER => ${declared.role}`]);
      const summary = summarizePlan({
        steps: [updateStep(id, first, refreshed, checked)],
        diagnostics: logs.map((message) => ({ urn: URN, message, severity: "info" })),
      });
      assert.deepEqual(
        summary.changes.map((c) => ({ action: c.action, fields: c.fields })),
        [{ action: "update", fields }],
      );

      const { provider: up } = await membershipProvider(t);
      await up.check(first, news);
      await up.diff(id, refreshed, checked);
      const mark = await logMark(t);
      await up.update(id, refreshed, checked);
      assert.deepEqual(
        await apiCalls(t, mark),
        [`GET /v1/${s}/members 200`, `GET /v1/${s}/members/admin%40example.com 200`, `PATCH /v1/${id} role 200`],
        "the owners read, whether alice is the caller, then her role given back",
      );
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ${declared.role} JOINED`]);
    });
  }

  it("the role another resource's output, unknown at preview: the preview logs a change from ROLE_MANAGER to a role known only at up, and the plan summary says it", async () => {
    const { s, first, id, refreshed } = await ownerRefreshed();

    const news = membershipInputs("alice", { space: s, user: "users/alice@example.com", role: UNKNOWN as "ROLE_MEMBER" });
    const { provider: preview, logs } = await membershipProvider(t);
    const checked = (await preview.check(first, news)).inputs as MembershipSdkInputs;
    assert.deepEqual((await preview.diff(id, refreshed, checked)).detailedDiff, { role: "update" });
    assert.deepEqual(logs, [`ChatMembership alice: ~ ${ALICE}: role ROLE_MANAGER => known only at up`]);
    const summary = summarizePlan({
      steps: [updateStep(id, first, refreshed, checked)],
      diagnostics: logs.map((message) => ({ urn: URN, message, severity: "info" })),
    });
    assert.deepEqual(
      summary.changes.map((c) => c.fields),
      [[{ field: "role", from: "ROLE_MANAGER", to: UNKNOWN }]],
    );
  });

  it("membership-member-unknown-role-announced: the user another resource's output, unknown at preview: the preview plans a replacement and logs the demotion the up makes if she is still the member, which the plan summary says with the replacement's removal", async () => {
    const { s, first, id, refreshed } = await ownerRefreshed();

    const atPreview = membershipInputs("alice", { space: s, user: UNKNOWN, role: "ROLE_MEMBER" });
    const { provider: preview, logs } = await membershipProvider(t);
    const checked = (await preview.check(first, atPreview)).inputs as MembershipSdkInputs;
    assert.deepEqual((await preview.diff(id, refreshed, checked)).replaces, ["user"]);
    assert.deepEqual(logs, [
      `ChatMembership alice: ~ ${ALICE}: role ROLE_MANAGER => ROLE_MEMBER unless the member is another than ${ALICE} at up (known only then)`,
    ]);
    const summary = summarizePlan({
      steps: [updateStep(id, first, refreshed, checked, "replace")],
      diagnostics: logs.map((message) => ({ urn: URN, message, severity: "info" })),
    });
    const ifSame = "or, if users/alice@example.com is still its member at up, updates it: users/alice@example.com: ROLE_MANAGER → ROLE_MEMBER";
    // The replacement names a member known only at up: it holds nobody the preview can name, so alice's removal is said, then the update instead.
    const removal = `removes users/alice@example.com from ${s}, then adds a member known only after the update to ${s}`;
    assert.deepEqual(
      summary.changes.map((c) => ({ action: c.action, notes: c.notes, loss: c.loss, ifSameAtUp: c.ifSameAtUp })),
      [{ action: "replace", notes: [], loss: `${removal}; ${ifSame}`, ifSameAtUp: ifSame }],
    );

    // The up: the user known, alice again; an update, which demotes her as announced.
    const { provider: up } = await membershipProvider(t);
    const atUp = (await up.check(first, membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_MEMBER" }))).inputs as MembershipSdkInputs;
    assert.deepEqual((await up.diff(id, refreshed, atUp)).replaces, []);
    await up.update(id, refreshed, atUp);
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
  });

  it("a group's role another resource's output: no role line (a group has no role; check refuses one at up)", async () => {
    const s = await adminsSpace(t);
    const first = membershipInputs("devs", { space: s, group: "groups/devs" });
    const { provider: earlier } = await membershipProvider(t);
    await earlier.check({}, first);
    const { id, outs } = await earlier.create(first);
    const { provider: preview, logs } = await membershipProvider(t);
    const checked = (await preview.check(first, membershipInputs("devs", { space: s, group: "groups/devs", role: UNKNOWN as "ROLE_MEMBER" }))).inputs;
    assert.deepEqual((await preview.diff(id, outs as ChatMembershipOutputs, checked as MembershipSdkInputs)).detailedDiff, { role: "add" });
    assert.deepEqual(logs, []);
  });

  for (const spaceUnknown of [false, true])
    it(`membership-times-unknown-role-announced: a migration's createTime${spaceUnknown ? " and space" : ""} another resource's output, unknown at preview: the preview logs the demotion the up makes if they are the same`, async () => {
      const T1 = "2019-02-01T00:00:00Z";
      const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
      const { data } = await importer.spaces.create({
        requestBody: { spaceType: "SPACE", displayName: "Old", importMode: true, createTime: "2019-01-01T00:00:00Z" },
      });
      const s = data.name!;
      const first = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T1, role: "ROLE_MEMBER" });
      const { provider: earlier } = await membershipProvider(t);
      await earlier.check({}, first);
      const { id, outs } = await earlier.create(first);
      await earlier.create(membershipInputs("bob", { space: s, user: "bob@example.com", createTime: T1, role: "ROLE_MANAGER" }));
      await importer.spaces.members.patch({ name: id, updateMask: "role", requestBody: { role: "ROLE_MANAGER" } });
      const refreshed = (await earlier.read(id, outs as ChatMembershipOutputs)).props as ChatMembershipOutputs;

      const atPreview = membershipInputs("alice", { space: spaceUnknown ? UNKNOWN : s, user: "alice@example.com", createTime: UNKNOWN, role: "ROLE_MEMBER" });
      const { provider: preview, logs } = await membershipProvider(t);
      const checked = (await preview.check(first, atPreview)).inputs as MembershipSdkInputs;
      assert.deepEqual((await preview.diff(id, refreshed, checked)).replaces, spaceUnknown ? ["space", "createTime"] : ["createTime"]);
      const condition = `${spaceUnknown ? `the space is another than ${s} or ` : ""}createTime is another than ${T1} at up (known only then)`;
      assert.deepEqual(logs, [`ChatMembership alice: ~ ${ALICE}: role ROLE_MANAGER => ROLE_MEMBER unless ${condition}`]);
      const summary = summarizePlan({
        steps: [updateStep(id, first, refreshed, checked, "replace")],
        diagnostics: logs.map((message) => ({ urn: URN, message, severity: "info" })),
      });
      const still = `${spaceUnknown ? `${s} is still its space and ` : ""}its createTime is still ${T1}`;
      assert.deepEqual(
        summary.changes.map((c) => c.ifSameAtUp),
        [`or, if ${still} at up, updates it: alice@example.com: ROLE_MANAGER → ROLE_MEMBER`],
      );
    });
});
