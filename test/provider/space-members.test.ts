/**
 * ChatSpaceMembers against the emulator over HTTP: the exact calls of create, a
 * no-op, role changes, adds and removals; the preview (diff) as the contract, with zero calls;
 * the caller and the last owner kept; partial failure converging; paging; delete.
 */
import assert from "node:assert/strict";
import type { ServiceAccountKey } from "../../emulator";
import { UNKNOWN } from "../../provider/core/engine-values";
import type { ChatSpaceMembersOutputs, RosterMemberArgs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, emulatorConfig, logMark } from "../helpers/provider";
import { appSpaceBobInvitable } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const ADMIN = "users/110000000000000000001";
const ALICE = "users/110000000000000000002";
const BOB = "users/110000000000000000003";

describe("provider: ChatSpaceMembers", () => {
  const t = useEmulator();
  /** A space made by admin@example.com (the caller of these providers), its one owner. */
  const space = async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const { data } = await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } });
    return data.name!;
  };
  const membersOf = async (name: string) =>
    (await t.control.state()).memberships[name.slice("spaces/".length)].map((m) => `${m.memberName} ${m.role} ${m.state}`);
  const entry = (s: string, member: string, role: string, memberType = "HUMAN", state = "JOINED") => ({
    name: `${s}/members/${member.split("/")[1]}`,
    member,
    memberType,
    role,
    state,
  });
  /** A roster of `s` created with `members` declared (the owner admin kept by being declared). */
  const created = async (s: string, members: RosterMemberArgs[], mode?: "authoritative" | "addOnly") => {
    const { provider, logs } = await spaceMembersProvider(t);
    const inputs = rosterInputs("eng-members", { space: s, members, ...(mode ? { mode } : {}) });
    const { outs } = await provider.create(inputs);
    return { provider, logs, inputs, outs: outs as ChatSpaceMembersOutputs };
  };
  /** A provider of a later run (another process): a delete there knows nothing of this run's creates (a member moved by the earlier run is not known there). */
  const laterRun = () => spaceMembersProvider(t);

  describe("create", () => {
    it("lists the space, reads the caller, adds each missing member and sets a non-default role with one PATCH", async () => {
      const s = await space();
      const { provider, logs } = await spaceMembersProvider(t);
      const mark = await logMark(t);
      const { id, outs } = await provider.create(
        rosterInputs("eng-members", {
          space: s,
          members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com", role: "ROLE_ASSISTANT_MANAGER" }, { user: BOB }],
        }),
      );
      assert.equal(id, s);
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${s}/members 200`,
        `GET /v1/${s}/members/admin%40example.com 200`,
        `POST /v1/${s}/members 200`,
        `PATCH /v1/${s}/members/110000000000000000002 role 200`,
        `POST /v1/${s}/members 200`,
      ]);
      assert.deepEqual(outs, {
        space: s,
        mode: "authoritative",
        members: [entry(s, ADMIN, "ROLE_MANAGER"), entry(s, ALICE, "ROLE_ASSISTANT_MANAGER"), entry(s, BOB, "ROLE_MEMBER")],
        __declared: { "users/admin@example.com": ADMIN, "users/alice@example.com": ALICE, [BOB]: BOB },
        __caller: { user: "admin@example.com", member: ADMIN },
      });
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_ASSISTANT_MANAGER JOINED`, `${BOB} ROLE_MEMBER JOINED`]);
      assert.deepEqual(logs, [
        `ChatSpaceMembers eng-members: + members[1] users/alice@example.com (ROLE_ASSISTANT_MANAGER): added`,
        `ChatSpaceMembers eng-members: + members[2] ${BOB} (ROLE_MEMBER): added`,
      ]);
    });

    it("takes over a member already there by email (ALREADY_EXISTS, then read): not added twice, not removed as undeclared", async () => {
      const s = await space();
      await t.control.addMember(s, ALICE);
      const { provider, logs } = await spaceMembersProvider(t);
      const mark = await logMark(t);
      const { outs } = await provider.create(
        rosterInputs("eng-members", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] }),
      );
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${s}/members 200`,
        `GET /v1/${s}/members/admin%40example.com 200`,
        `POST /v1/${s}/members 409`,
        `GET /v1/${s}/members/alice%40example.com 200`,
      ]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
      assert.deepEqual((outs as ChatSpaceMembersOutputs).__declared, { "users/admin@example.com": ADMIN, "users/alice@example.com": ALICE });
      // Matched by its add: not named among the members a create keeps undeclared.
      assert.deepEqual(logs, [
        "ChatSpaceMembers eng-members: + members[1] users/alice@example.com (ROLE_MEMBER): added",
        `ChatSpaceMembers eng-members: users/alice@example.com is already a member of ${s}; the roster takes it over`,
      ]);
    });

    it("demotes nobody it finds listed: a member declared by users/{id} below the role she has keeps it, said in its log; the next preview announces the change", async () => {
      const s = await space();
      await t.control.addMember(s, ALICE, "ROLE_MANAGER");
      const { provider, logs } = await spaceMembersProvider(t);
      const news = rosterInputs("eng-members", {
        space: s,
        members: [
          { user: "admin@example.com", role: "ROLE_MANAGER" },
          { user: ALICE, role: "ROLE_ASSISTANT_MANAGER" },
        ],
      });
      const mark = await logMark(t);
      const { outs } = await provider.create(news);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`, `GET /v1/${s}/members/admin%40example.com 200`]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MANAGER JOINED`]);
      assert.deepEqual(logs, [
        `ChatSpaceMembers eng-members: = members[1] ${ALICE}: role ROLE_MANAGER kept, not ROLE_ASSISTANT_MANAGER: it was already a member at that role, which the preview could not show; the next preview announces the change`,
      ]);
      assert.deepEqual((await provider.diff(s, outs as ChatSpaceMembersOutputs, news)).detailedDiff, { "members[1]": "update" });
    });

    it("follows nextPageToken: a space of 1001 groups and its owner is listed in two pages of 1000", async () => {
      const groups = Array.from({ length: 1001 }, (_, i) => ({ member: `groups/g${String(i).padStart(4, "0")}` }));
      const [s] = await t.control.seed([{ displayName: "Big", members: groups }]);
      const { provider } = await spaceMembersProvider(t);
      const mark = await logMark(t);
      const { outs } = await provider.create(rosterInputs("big", { space: s, members: [], mode: "addOnly" }));
      const calls = (await t.control.requests(mark)).filter((r) => r.rpc === "spaces.members.list");
      assert.deepEqual(
        calls.map((r) => [r.query.pageSize, r.query.showGroups, r.query.showInvited, r.query.pageToken !== undefined]),
        [
          ["1000", "true", "true", false],
          ["1000", "true", "true", true],
        ],
      );
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`, `GET /v1/${s}/members 200`, `GET /v1/${s}/members/admin%40example.com 200`]);
      assert.equal((outs as ChatSpaceMembersOutputs).members.length, 1002);
      // A state entry costs at most a few hundred bytes.
      const perMember = JSON.stringify((outs as ChatSpaceMembersOutputs).members).length / 1002;
      assert.ok(perMember < 200, `${perMember} bytes a member`);
    });

    it("in authoritative mode removes nobody, keeps the undeclared in the state and says so; the next preview announces the removals and the up does them", async () => {
      const s = await space();
      await t.control.addMember(s, BOB);
      await t.control.addMember(s, "groups/devs");
      const mark = await logMark(t);
      const { provider, outs, logs, inputs } = await created(s, [{ user: "alice@example.com", role: "ROLE_MANAGER" }]);
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${s}/members 200`,
        `GET /v1/${s}/members/admin%40example.com 200`,
        `POST /v1/${s}/members 200`,
        `PATCH /v1/${s}/members/110000000000000000002 role 200`,
      ]);
      assert.deepEqual(await membersOf(s), [
        `${ADMIN} ROLE_MANAGER JOINED`,
        `${BOB} ROLE_MEMBER JOINED`,
        `groups/devs MEMBERSHIP_ROLE_UNSPECIFIED JOINED`,
        `${ALICE} ROLE_MANAGER JOINED`,
      ]);
      assert.deepEqual(
        outs.members.map((m) => m.member),
        [ADMIN, BOB, "groups/devs", ALICE],
      );
      assert.deepEqual(logs.slice(1), [
        `ChatSpaceMembers eng-members: ! ${BOB} (ROLE_MEMBER): not declared, kept by this create (a create removes nobody: its preview could not list the space); the next preview announces its removal`,
        "ChatSpaceMembers eng-members: ! groups/devs: not declared, kept by this create (a create removes nobody: its preview could not list the space); the next preview announces its removal",
      ]);
      logs.length = 0;
      const diff = await provider.diff(s, outs, inputs);
      assert.deepEqual(diff.detailedDiff, { [`members[${JSON.stringify(BOB)}]`]: "delete", 'members["groups/devs"]': "delete" });
      assert.deepEqual(logs, [
        `ChatSpaceMembers eng-members: - ${BOB} (ROLE_MEMBER): not declared, removed`,
        "ChatSpaceMembers eng-members: - groups/devs: not declared, removed",
        `ChatSpaceMembers eng-members: = ${ADMIN}: not declared, kept: it is the calling user, which an authoritative roster never removes`,
      ]);
      await provider.update(s, outs, inputs);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MANAGER JOINED`]);
    });

    it("in addOnly mode removes nobody", async () => {
      const s = await space();
      await t.control.addMember(s, BOB);
      const mark = await logMark(t);
      await created(s, [{ user: "alice@example.com" }], "addOnly");
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`, `GET /v1/${s}/members/admin%40example.com 200`, `POST /v1/${s}/members 200`]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MEMBER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });
  });

  describe("diff (the preview) and update", () => {
    const declared: RosterMemberArgs[] = [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }];

    it("a declaration unchanged: no change, zero calls, and a no-change update would have nothing to do", async () => {
      const s = await space();
      const { provider, inputs, outs } = await created(s, declared);
      const mark = await logMark(t);
      assert.deepEqual(await provider.diff(s, outs, inputs), { changes: false, replaces: [], deleteBeforeReplace: false, detailedDiff: {} });
      // Users by id and in other letter cases are the same members.
      const same = rosterInputs("eng-members", { space: s, members: [{ user: ADMIN, role: "ROLE_MANAGER" }, { user: "Alice@Example.com" }] });
      assert.equal((await provider.diff(s, outs, same)).changes, false);
      assert.deepEqual(await apiCalls(t, mark), []);
    });

    it("a role change: one update in the preview, one PATCH in the update", async () => {
      const s = await space();
      const { provider, outs, logs } = await created(s, declared);
      logs.length = 0;
      const news = rosterInputs("eng-members", { space: s, members: [declared[0], { user: "alice@example.com", role: "ROLE_MANAGER" }] });
      const mark = await logMark(t);
      assert.deepEqual(await provider.diff(s, outs, news), {
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
        detailedDiff: { "members[1]": "update" },
      });
      assert.deepEqual(logs, [`ChatSpaceMembers eng-members: ~ members[1] ${ALICE}: role ROLE_MEMBER => ROLE_MANAGER`]);
      assert.deepEqual(await apiCalls(t, mark), []);
      const { outs: after } = await provider.update(s, outs, news);
      assert.deepEqual(await apiCalls(t, mark), [`PATCH /v1/${s}/members/110000000000000000002 role 200`]);
      assert.deepEqual(after!.members, [entry(s, ADMIN, "ROLE_MANAGER"), entry(s, ALICE, "ROLE_MANAGER")]);
      // The diff said it; the update does not say it again.
      assert.equal(logs.length, 1);
      assert.deepEqual(await provider.diff(s, after!, news), { changes: false, replaces: [], deleteBeforeReplace: false, detailedDiff: {} });
    });

    it("adds N members: N creates and a PATCH for each non-default role", async () => {
      const s = await space();
      const { provider, outs } = await created(s, [declared[0]]);
      const news = rosterInputs("eng-members", {
        space: s,
        members: [declared[0], { user: "alice@example.com", role: "ROLE_ASSISTANT_MANAGER" }, { user: "bob@example.com" }, { group: "groups/devs" }],
      });
      const mark = await logMark(t);
      assert.deepEqual((await provider.diff(s, outs, news)).detailedDiff, { "members[1]": "add", "members[2]": "add", "members[3]": "add" });
      const { outs: after } = await provider.update(s, outs, news);
      assert.deepEqual(await apiCalls(t, mark), [
        `POST /v1/${s}/members 200`,
        `PATCH /v1/${s}/members/110000000000000000002 role 200`,
        `POST /v1/${s}/members 200`,
        `POST /v1/${s}/members 200`,
      ]);
      assert.deepEqual(
        after!.members.map((m) => `${m.member} ${m.memberType} ${m.role}`),
        [`${ADMIN} HUMAN ROLE_MANAGER`, `${ALICE} HUMAN ROLE_ASSISTANT_MANAGER`, `${BOB} HUMAN ROLE_MEMBER`, "groups/devs GROUP "],
      );
    });

    it("authoritative: a member removed from the declaration is announced in the preview and removed; the caller never is", async () => {
      const s = await space();
      const { provider, outs, logs } = await created(s, [...declared, { user: "bob@example.com" }]);
      logs.length = 0;
      const news = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }] });
      const mark = await logMark(t);
      const diff = await provider.diff(s, outs, news);
      // The caller, declared before and kept, is no longer declared in the state either (`members`).
      assert.deepEqual(diff.detailedDiff, { "members[0]": "update", [`members["${BOB}"]`]: "delete", members: "update" });
      assert.deepEqual(logs, [
        `ChatSpaceMembers eng-members: ~ members[0] ${ALICE}: role ROLE_MEMBER => ROLE_MANAGER`,
        `ChatSpaceMembers eng-members: - ${BOB} (ROLE_MEMBER): not declared, removed`,
        `ChatSpaceMembers eng-members: = ${ADMIN}: not declared, kept: it is the calling user, which an authoritative roster never removes`,
      ]);
      await provider.update(s, outs, news);
      // Before the removal of a person, the owners (she may have been made one since the last refresh).
      assert.deepEqual(await apiCalls(t, mark), [
        `PATCH /v1/${s}/members/110000000000000000002 role 200`,
        `GET /v1/${s}/members 200`,
        `DELETE /v1/${s}/members/110000000000000000003 200`,
      ]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MANAGER JOINED`]);
    });

    it("unknown at preview (members, an entry, the mode): plans from the known entries, announces every possible removal, and the up removes no other", async () => {
      const s = await space();
      const { provider, outs, logs } = await created(s, [...declared, { user: "bob@example.com" }], "addOnly");
      logs.length = 0;
      const mark = await logMark(t);
      // An entry unknown, the mode unknown: bob and alice may be removed; admin is the caller.
      const unknownEntry = rosterInputs("eng-members", {
        space: s,
        members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, UNKNOWN as unknown as RosterMemberArgs],
        mode: UNKNOWN as "addOnly",
      });
      const diff = await provider.diff(s, outs, unknownEntry);
      assert.equal(diff.changes, true);
      assert.deepEqual(diff.detailedDiff, { [`members["${ALICE}"]`]: "delete", [`members["${BOB}"]`]: "delete", mode: "update" });
      assert.deepEqual(logs, [
        `ChatSpaceMembers eng-members: - ${ALICE} (ROLE_MEMBER): not declared, removed unless it is a member known only at up`,
        `ChatSpaceMembers eng-members: - ${BOB} (ROLE_MEMBER): not declared, removed unless it is a member known only at up`,
      ]);
      // The whole list unknown: everyone but the caller announced.
      const unknownList = await provider.diff(
        s,
        outs,
        rosterInputs("eng-members", { space: s, members: UNKNOWN as unknown as RosterMemberArgs[], mode: UNKNOWN as "addOnly" }),
      );
      assert.deepEqual(unknownList.detailedDiff, { [`members["${ALICE}"]`]: "delete", [`members["${BOB}"]`]: "delete", mode: "update" });
      assert.deepEqual(await apiCalls(t, mark), []);
      // At up the entry is alice and the mode authoritative: bob goes, announced; alice stays.
      await provider.update(s, outs, rosterInputs("eng-members", { space: s, members: declared, mode: "authoritative" }));
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`, `DELETE /v1/${s}/members/110000000000000000003 200`]);
    });

    it("unknown at preview, an owner's entry or its role: the preview announces her possible demotion, which the up then makes as declared", async () => {
      const s = await space();
      const owners: RosterMemberArgs[] = [
        { user: "admin@example.com", role: "ROLE_MANAGER" },
        { user: "alice@example.com", role: "ROLE_MANAGER" },
      ];
      const { provider, outs, logs } = await created(s, owners, "addOnly");
      logs.length = 0;
      const mark = await logMark(t);
      // addOnly, alice's role unknown: her demotion is possible; admin, the caller, keeps her owner role whatever is declared.
      const roleUnknown = rosterInputs("eng-members", {
        space: s,
        members: [owners[0], { user: "alice@example.com", role: UNKNOWN as "ROLE_MEMBER" }],
        mode: "addOnly",
      });
      const diff = await provider.diff(s, outs, roleUnknown);
      assert.equal(diff.changes, true);
      assert.deepEqual(diff.detailedDiff, { [`members["${ALICE}"]`]: "update" });
      assert.deepEqual(logs, [
        `ChatSpaceMembers eng-members: ~ ${ALICE}: role ROLE_MANAGER => known only at up: an entry known only at up may declare it at another role`,
      ]);
      // Authoritative, the whole list unknown: her possible removal says her role may change too.
      logs.length = 0;
      const listUnknown = rosterInputs("eng-members", { space: s, members: UNKNOWN as unknown as RosterMemberArgs[], mode: "authoritative" });
      assert.deepEqual((await provider.diff(s, outs, listUnknown)).detailedDiff, { [`members["${ALICE}"]`]: "delete", mode: "update" });
      assert.deepEqual(logs, [
        `ChatSpaceMembers eng-members: - ${ALICE} (ROLE_MANAGER): not declared, removed unless it is a member known only at up, at the role declared there`,
        `ChatSpaceMembers eng-members: = ${ADMIN}: not declared, kept: it is the calling user, which an authoritative roster never removes`,
      ]);
      assert.deepEqual(await apiCalls(t, mark), []);
      // At up alice is declared ROLE_MEMBER: the demotion the preview announced is made.
      await provider.update(s, outs, rosterInputs("eng-members", { space: s, members: [owners[0], { user: "alice@example.com" }], mode: "addOnly" }));
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });

    it("unknown at preview, only what the unknown can reach is announced: a role unknown declares its member still; a person unknown at a known role demotes none above it", async () => {
      const s = await space();
      const owners: RosterMemberArgs[] = [
        { user: "admin@example.com", role: "ROLE_MANAGER" },
        { user: "alice@example.com", role: "ROLE_MANAGER" },
        { user: "bob@example.com" },
      ];
      const { provider, outs, logs } = await created(s, owners, "authoritative");
      logs.length = 0;
      const mark = await logMark(t);
      // Authoritative, alice's role unknown: she is declared (no removal); bob, declared, stays; only alice's role may change.
      const aliceRoleUnknown = rosterInputs("eng-members", {
        space: s,
        members: [owners[0], { user: "alice@example.com", role: UNKNOWN as "ROLE_MEMBER" }, owners[2]],
      });
      assert.deepEqual((await provider.diff(s, outs, aliceRoleUnknown)).detailedDiff, { [`members["${ALICE}"]`]: "update" });
      assert.deepEqual(logs, [
        `ChatSpaceMembers eng-members: ~ ${ALICE}: role ROLE_MANAGER => known only at up: an entry known only at up may declare it at another role`,
      ]);
      // A person unknown at ROLE_MANAGER can lower nobody: alice, an owner undeclared by the known entries, is a possible removal only.
      logs.length = 0;
      const ownerUnknown = rosterInputs("eng-members", {
        space: s,
        members: [owners[0], { user: UNKNOWN as string, role: "ROLE_MANAGER" }, owners[2]],
      });
      assert.deepEqual((await provider.diff(s, outs, ownerUnknown)).detailedDiff, { [`members["${ALICE}"]`]: "delete" });
      assert.deepEqual(logs, [`ChatSpaceMembers eng-members: - ${ALICE} (ROLE_MANAGER): not declared, removed unless it is a member known only at up`]);
      assert.deepEqual(await apiCalls(t, mark), []);
    });

    it("authoritative: a member added in Chat, then declared by email, is taken over by her add and not removed as undeclared", async () => {
      const s = await space();
      const { provider, outs } = await created(s, [{ user: "admin@example.com", role: "ROLE_MANAGER" }]);
      const admin = t.asDelegatedUser("admin@example.com", ["chat.memberships"]);
      await admin.spaces.members.create({ parent: s, requestBody: { member: { name: "users/alice@example.com", type: "HUMAN" } } });
      // pulumi refresh: its own deployment and provider process.
      const { props } = await (await laterRun()).provider.read(s, outs);
      const news = rosterInputs("eng-members", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] });
      // The preview can't tell her email is the member listed: it plans her add and announces the undeclared member's removal.
      assert.deepEqual((await provider.diff(s, props!, news)).detailedDiff, { "members[1]": "add", [`members["${ALICE}"]`]: "delete" });
      const mark = await logMark(t);
      const { outs: after } = await provider.update(s, props!, news);
      assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 409`, `GET /v1/${s}/members/alice%40example.com 200`]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
      assert.equal((await provider.diff(s, after as ChatSpaceMembersOutputs, news)).changes, false);
    });

    it("an add met by ALREADY_EXISTS whose member was made an owner in Chat since the last refresh takes her over at that role: the preview said only 'added', so nothing is demoted until the next preview announces it", async () => {
      const s = await space();
      const { provider, logs, outs } = await created(s, [{ user: "admin@example.com", role: "ROLE_MANAGER" }]);
      // Since the last refresh, in Chat: alice added as an owner.
      await t.control.addMember(s, ALICE, "ROLE_MANAGER");
      const news = rosterInputs("eng-members", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] });
      assert.deepEqual((await provider.diff(s, outs, news)).detailedDiff, { "members[1]": "add" });
      assert.ok(logs.includes("ChatSpaceMembers eng-members: + members[1] users/alice@example.com (ROLE_MEMBER): added"));
      const mark = await logMark(t);
      const { outs: after } = await provider.update(s, outs, news);
      assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 409`, `GET /v1/${s}/members/alice%40example.com 200`]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MANAGER JOINED`]);
      assert.ok(
        logs.includes(
          `ChatSpaceMembers eng-members: = members[1] ${ALICE}: role ROLE_MANAGER kept, not ROLE_MEMBER: it was already a member at that role, which the preview could not show; the next preview announces the change`,
        ),
      );
      // The next preview announces the demotion; its up makes it.
      const next = after as ChatSpaceMembersOutputs;
      assert.deepEqual((await provider.diff(s, next, news)).detailedDiff, { "members[1]": "update" });
      assert.ok(logs.includes(`ChatSpaceMembers eng-members: ~ members[1] ${ALICE}: role ROLE_MANAGER => ROLE_MEMBER`));
      await provider.update(s, next, news);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });

    it("addOnly: a member left out of the declaration is not removed (an update stops declaring it in the state, with no call)", async () => {
      const s = await space();
      const { provider, outs } = await created(s, [...declared, { user: "bob@example.com" }], "addOnly");
      const news = rosterInputs("eng-members", { space: s, members: declared, mode: "addOnly" });
      const mark = await logMark(t);
      assert.deepEqual((await provider.diff(s, outs, news)).detailedDiff, { members: "update" });
      await provider.update(s, outs, news);
      assert.deepEqual(await apiCalls(t, mark), []);
      assert.equal((await membersOf(s)).length, 3);
    });

    it("a member who joined in Chat after the last refresh is not removed by the update: it was not in the preview", async () => {
      const s = await space();
      const { provider, outs } = await created(s, declared);
      await t.control.addMember(s, BOB);
      const mark = await logMark(t);
      assert.equal((await provider.diff(s, outs, rosterInputs("eng-members", { space: s, members: declared }))).changes, false);
      const news = rosterInputs("eng-members", { space: s, members: [declared[0], { user: "alice@example.com", role: "ROLE_ASSISTANT_MANAGER" }] });
      const { outs: after } = await provider.update(s, outs, news);
      // The owners listed before the role change (alice may have been made one since), then the PATCH.
      const update = [`GET /v1/${s}/members 200`, `PATCH /v1/${s}/members/110000000000000000002 role 200`];
      assert.deepEqual(await apiCalls(t, mark), update);
      assert.ok((await membersOf(s)).includes(`${BOB} ROLE_MEMBER JOINED`));
      // A refresh (its own deployment and provider process) reads it, and who the caller is; the next preview announces its removal.
      const { props } = await (await laterRun()).provider.read(s, after!);
      assert.deepEqual(await apiCalls(t, mark), [...update, `GET /v1/${s}/members 200`, `GET /v1/${s}/members/admin%40example.com 200`]);
      assert.deepEqual((await provider.diff(s, props!, news)).detailedDiff, { [`members["${BOB}"]`]: "delete" });
    });

    it("refuses to remove or demote the last owner in the preview and in the update, with zero calls", async () => {
      const s = await space();
      const { provider, outs: createdOuts } = await created(s, [{ user: "alice@example.com", role: "ROLE_MANAGER" }, { user: "admin@example.com" }]);
      // admin, demoted in Chat (a roster keeps the caller an owner without admin access), and refreshed: alice is the one owner.
      await t.control.setRole(s, ADMIN, "ROLE_MEMBER");
      const outs = (await provider.read(s, createdOuts)).props as ChatSpaceMembersOutputs;
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MEMBER JOINED`, `${ALICE} ROLE_MANAGER JOINED`]);
      const news = rosterInputs("eng-members", { space: s, members: [{ user: "admin@example.com" }] });
      const message =
        `ChatSpaceMembers eng-members: this change would leave the space without an owner (ROLE_MANAGER, shown as Owner in Chat): ${ALICE} is its last owner and would be removed or demoted. ` +
        'Declare at least one member with role: "ROLE_MANAGER" (or keep the owner\'s entry), then run pulumi up again. If another owner was added in Chat, run pulumi refresh first.';
      const mark = await logMark(t);
      await assert.rejects(provider.diff(s, outs, news), { message });
      const demoted = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }, { user: "admin@example.com" }] });
      await assert.rejects(provider.diff(s, outs, demoted), { message: message.replace(" removed or demoted", " removed or demoted") });
      const failed: any = await provider.update(s, outs, news).catch((e) => e);
      assert.equal(failed.message, message);
      assert.deepEqual(failed.properties.members, outs.members);
      assert.deepEqual(await apiCalls(t, mark), []);
    });
  });

  describe("the calling user", () => {
    const roster = [{ user: "admin@example.com", role: "ROLE_MANAGER" as const }, { user: "alice@example.com" }];

    it("declared below owner, it keeps ROLE_MANAGER without admin access, and the preview says so", async () => {
      const s = await space();
      const { provider, inputs, outs, logs } = await created(s, [{ user: "alice@example.com", role: "ROLE_MANAGER" }, { user: "admin@example.com" }]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MANAGER JOINED`]);
      const kept = `ChatSpaceMembers eng-members: = members[1] ${ADMIN}: role ROLE_MANAGER kept, not ROLE_MEMBER: it is the calling user, which a roster never demotes without googlechat:useAdminAccess (it could no longer manage the members)`;
      assert.deepEqual(logs, ["ChatSpaceMembers eng-members: + members[0] users/alice@example.com (ROLE_MANAGER): added", kept]);
      logs.length = 0;
      const mark = await logMark(t);
      const diff = await provider.diff(s, outs, inputs);
      assert.deepEqual([diff.changes, diff.detailedDiff, logs], [false, {}, [kept]]);
      // The roster's delete (a later run) still can: the caller stays an owner.
      await (await laterRun()).provider.delete(s, outs);
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${s}/members/admin%40example.com 200`,
        `GET /v1/${s}/members 200`,
        `DELETE /v1/${s}/members/110000000000000000002 200`,
      ]);
    });

    it("googlechat:impersonateUser changed since the state was written: a plan that removes a person reads the new caller's membership at preview instead of asking for a refresh", async () => {
      const s = await space();
      const { outs } = await created(s, roster);
      const { provider: asBob, logs } = await spaceMembersProvider(t, { user: "bob@example.com" });
      const news = rosterInputs("eng-members", { space: s, members: [roster[0]] });
      const mark = await logMark(t);
      const diff = await asBob.diff(s, outs, news);
      assert.deepEqual(diff.detailedDiff, { [`members["${ALICE}"]`]: "delete" });
      assert.deepEqual(logs, [`ChatSpaceMembers eng-members: - ${ALICE} (ROLE_MEMBER): not declared, removed`]);
      // bob is no member of the space: the read answers 404, and where he is a member (spaces.list, one page of one) tells none either.
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/bob%40example.com 404`, "GET /v1/spaces 200"]);
    });

    describe("with a user's own credentials (gcloud auth application-default login)", () => {
      /** admin@example.com's own credentials, with the Chat scopes a roster uses (and what gcloud grants by default). */
      const own = async () => {
        const key = await t.control.authorizedUser("admin@example.com", ["https://www.googleapis.com/auth/chat.memberships"]);
        return spaceMembersProvider(t, { app: true, key: key as unknown as ServiceAccountKey });
      };
      const tokeninfo = async (since: number) => (await t.control.requests(since)).filter((r) => r.rpc === "oauth2.tokeninfo").length;

      it("learns the caller from Google (tokeninfo, once per process): an authoritative roster removes the others and keeps her", async () => {
        const s = await space();
        const { outs } = await created(s, roster);
        const mark = await logMark(t);
        const { provider, logs } = await own();
        const news = rosterInputs("eng-members", { space: s, members: [] });
        const { detailedDiff } = await provider.diff(s, outs, news);
        assert.deepEqual(detailedDiff, { [`members["${ALICE}"]`]: "delete", members: "update" });
        assert.ok(
          logs.includes(`ChatSpaceMembers eng-members: = ${ADMIN}: not declared, kept: it is the calling user, which an authoritative roster never removes`),
        );
        await provider.update(s, outs, news);
        assert.deepEqual(await apiCalls(t, mark), [
          `GET /v1/${s}/members/admin%40example.com 200`,
          `GET /v1/${s}/members 200`,
          `DELETE /v1/${s}/members/110000000000000000002 200`,
        ]);
        assert.equal(await tokeninfo(mark), 1);
        assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`]);
      });

      it("declared as ROLE_MEMBER, the caller keeps her owner role: never demoted without admin access", async () => {
        const s = await space();
        const { provider, logs } = await own();
        const mark = await logMark(t);
        const { outs } = await provider.create(
          rosterInputs("eng-members", { space: s, members: [{ user: "admin@example.com" }, { user: "alice@example.com", role: "ROLE_MANAGER" }] }),
        );
        assert.deepEqual(await apiCalls(t, mark), [
          `GET /v1/${s}/members 200`,
          `GET /v1/${s}/members/admin%40example.com 200`,
          `POST /v1/${s}/members 200`,
          `PATCH /v1/${s}/members/110000000000000000002 role 200`,
        ]);
        assert.ok(logs.some((l) => l.includes(`= members[0] ${ADMIN}: role ROLE_MANAGER kept, not ROLE_MEMBER`)));
        assert.deepEqual((outs as ChatSpaceMembersOutputs).__caller, { user: "admin@example.com", member: ADMIN });
        assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MANAGER JOINED`]);
      });

      it("credentials without the email scope: the preview of a removal says which scope to add", async () => {
        const s = await space();
        const { outs } = await created(s, roster);
        await t.control.setSettings({ usersWithoutEmailScope: ["admin@example.com"] });
        const { provider } = await own();
        const error = await provider.diff(s, outs, rosterInputs("eng-members", { space: s, members: [] })).catch((e) => e);
        assert.match(error.message, /^ChatSpaceMembers eng-members: .*https:\/\/www\.googleapis\.com\/auth\/userinfo\.email/);
        assert.match(error.message, /gcloud auth application-default login/);
        // A change that removes and demotes no one needs no caller.
        assert.equal(
          (await provider.diff(s, outs, rosterInputs("eng-members", { space: s, members: [...roster, { user: "bob@example.com" }] }))).changes,
          true,
        );
      });

      it("credentials without the email scope: a roster that only adds is created, refreshed and updated; an update that removes stops before any write, naming the scope", async () => {
        const s = await space();
        await t.control.setSettings({ usersWithoutEmailScope: ["admin@example.com"] });
        const { provider } = await own();
        let mark = await logMark(t);
        const { outs } = await provider.create(rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }], mode: "addOnly" }));
        assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`, `POST /v1/${s}/members 200`]);
        assert.equal((outs as ChatSpaceMembersOutputs).__caller, undefined, "no caller recorded: none could be learnt");
        mark = await logMark(t);
        const { props } = await provider.read(s, outs as ChatSpaceMembersOutputs);
        assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`]);
        assert.deepEqual(
          props!.members.map((m) => m.member),
          [ADMIN, ALICE],
        );
        const more = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }, { user: "bob@example.com" }], mode: "addOnly" });
        const { outs: grown } = await provider.update(s, props!, more);
        assert.deepEqual(
          (grown as ChatSpaceMembersOutputs).members.map((m) => m.member),
          [ADMIN, ALICE, BOB],
        );
        mark = await logMark(t);
        const removing = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }] });
        const error = await provider.update(s, grown as ChatSpaceMembersOutputs, { ...removing, mode: "authoritative" }).catch((e) => e);
        assert.match(error.message, /^ChatSpaceMembers eng-members: .*https:\/\/www\.googleapis\.com\/auth\/userinfo\.email/);
        assert.deepEqual(await apiCalls(t, mark), [], "the state's roster planned the removal: nothing read, nothing written");
        assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`, `${BOB} ROLE_MEMBER JOINED`]);
      });
    });
  });

  describe("Chat apps", () => {
    const APP_STAYS =
      "it is a Chat app, and the provider acts as the calling Chat app (app authentication), which never removes its own membership (it would lose sight of the space) and can't remove another app's";

    it("with app authentication, an authoritative roster whose state was read with user authentication (the calling app listed) keeps every Chat app: the preview says so, and the up removes none", async () => {
      const s = await space();
      // The Chat app of the provider's service account is in the space (added in Chat).
      await t.control.addMember(s, t.serviceAccount.client_email);
      const app = (await t.control.state()).memberships[s.slice("spaces/".length)].find((m) => m.type === "BOT")!.memberName;
      const declared = rosterInputs("eng-members", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }] });
      const { outs } = await (await spaceMembersProvider(t)).provider.create(declared);
      assert.ok(
        (outs as ChatSpaceMembersOutputs).members.some((m) => m.member === app),
        "the listing of user authentication shows the app",
      );
      // The stack now acts as the Chat app (googlechat:impersonateUser removed), with no refresh.
      const { provider: asApp, logs } = await spaceMembersProvider(t, { app: true });
      const mark = await logMark(t);
      assert.deepEqual(await asApp.diff(s, outs as ChatSpaceMembersOutputs, declared), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
        detailedDiff: {},
      });
      assert.deepEqual(logs, [`ChatSpaceMembers eng-members: = ${app}: not declared, kept: ${APP_STAYS}`]);
      await asApp.update(s, outs as ChatSpaceMembersOutputs, declared);
      assert.deepEqual(await apiCalls(t, mark), []);
      assert.ok((await membersOf(s)).includes(`${app} ROLE_MEMBER JOINED`));
    });

    it("with app authentication, a roster's delete keeps the Chat app it declared (chatApp: true, added with user authentication): it is the calling app", async () => {
      const s = await space();
      const { outs } = await created(s, [{ chatApp: true }], "addOnly");
      const app = outs.__declared["users/app"];
      const { provider: asApp, logs } = await spaceMembersProvider(t, { app: true });
      const mark = await logMark(t);
      await asApp.delete(s, outs);
      assert.deepEqual(await apiCalls(t, mark), []);
      assert.deepEqual(logs, [`ChatSpaceMembers ${s}: ${app} stays in ${s}: ${APP_STAYS}.`]);
      assert.ok((await membersOf(s)).includes(`${app} ROLE_MEMBER JOINED`));
    });

    it("adds the calling app with chat.memberships.app and removes it with that scope; another app, added in Chat, is removed with chat.memberships", async () => {
      const s = await space();
      const other = await t.control.serviceAccount({ name: "other-app", project: "other-project" });
      await t.control.addMember(s, other.client_email);
      const { provider, outs } = await created(s, [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { chatApp: true }], "addOnly");
      const app = outs.__declared["users/app"];
      assert.deepEqual(
        outs.members.map((m) => `${m.member} ${m.memberType}`),
        [`${ADMIN} HUMAN`, `users/${other.client_id} BOT`, `${app} BOT`],
      );
      const news = rosterInputs("eng-members", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }] });
      const appId = app.slice("users/".length);
      // Each removal refused once, to read the scope it asked for.
      const refuseRemovalOf = (id: string) =>
        t.control.addFault({
          match: { methods: ["spaces.members.delete"], pathPrefix: `/v1/${s}/members/${id}` },
          action: { kind: "error", status: 403, message: "no" },
          count: 1,
        });
      const scopeIn = (e: Error) => /The call asked for the scope https:\/\/www\.googleapis\.com\/auth\/(\S+)\.$/.exec(e.message)?.[1];
      await refuseRemovalOf(other.client_id);
      const first: any = await provider.update(s, outs, news).catch((e) => e);
      assert.equal(scopeIn(first), "chat.memberships");
      await refuseRemovalOf(appId);
      const second: any = await provider.update(s, first.properties, news).catch((e) => e);
      assert.equal(scopeIn(second), "chat.memberships.app");
      const mark = await logMark(t);
      await provider.update(s, second.properties, news);
      assert.deepEqual(await apiCalls(t, mark), [`DELETE /v1/${s}/members/${appId} 200`]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`]);
    });
  });

  describe("owners who have not accepted", () => {
    it("an invited owner is no owner: removing the one joined owner is refused; a delete keeps it", async () => {
      const { provider, logs } = await spaceMembersProvider(t);
      const s = "spaces/AAA";
      const olds: ChatSpaceMembersOutputs = {
        space: s,
        mode: "authoritative",
        members: [entry(s, ALICE, "ROLE_MANAGER"), entry(s, BOB, "ROLE_MANAGER", "HUMAN", "INVITED")],
        __declared: { "users/alice@example.com": ALICE, "users/bob@example.com": BOB },
      };
      const mark = await logMark(t);
      await assert.rejects(provider.diff(s, olds, rosterInputs("eng-members", { space: s, members: [{ user: "bob@example.com", role: "ROLE_MANAGER" }] })), {
        message:
          /^ChatSpaceMembers eng-members: this change would leave the space without an owner \(ROLE_MANAGER, shown as Owner in Chat\): users\/110000000000000000002 is its last owner/,
      });
      // Google's owners decide a delete, never the state's: here the read fails (the emulator has no such space), and nobody is removed.
      await assert.rejects(provider.delete(s, olds), {
        message: /^ChatSpaceMembers spaces\/AAA: reading the joined owners of spaces\/AAA failed, so this delete removed nobody: /,
      });
      assert.deepEqual(logs, []);
      assert.deepEqual(
        (await apiCalls(t, mark)).filter((c) => c.includes("110000000000000000002")),
        [],
      );
    });
  });

  describe("owners read again before they leave", () => {
    const owners = [
      { user: "admin@example.com", role: "ROLE_MANAGER" as const },
      { user: "alice@example.com", role: "ROLE_MANAGER" as const },
      { user: "bob@example.com", role: "ROLE_MANAGER" as const },
    ];

    it("update: the owners the state counts on left in Chat since: one owners listing, then it stops before the demotion with what was applied", async () => {
      const s = await space();
      const { provider, outs } = await created(s, owners);
      // Since the last refresh, in Chat: admin and bob are owners no more.
      await t.control.setRole(s, ADMIN, "ROLE_MEMBER");
      await t.control.setRole(s, BOB, "ROLE_MEMBER");
      const news = rosterInputs("eng-members", {
        space: s,
        members: [owners[0], { user: "alice@example.com" }, owners[2], { group: "groups/devs" }],
        __provider: "stub",
      } as any);
      assert.deepEqual((await provider.diff(s, outs, news)).detailedDiff, { "members[1]": "update", "members[3]": "add" });
      const mark = await logMark(t);
      const failed: any = await provider.update(s, outs, news).catch((e) => e);
      assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 200`, `GET /v1/${s}/members 200`]);
      assert.equal(
        failed.message,
        `ChatSpaceMembers eng-members: stopped before removing or demoting ${ALICE}: Google lists no other joined owner (ROLE_MANAGER, shown as Owner in Chat) of ${s}, and the space can't be left without an owner. ` +
          'Declare another member with role: "ROLE_MANAGER" (or make one an owner in Chat), then pulumi refresh and pulumi up again.',
      );
      assert.ok((failed.properties as ChatSpaceMembersOutputs).members.some((m) => m.member === "groups/devs"));
      assert.ok((await membersOf(s)).includes(`${ALICE} ROLE_MANAGER JOINED`));
    });

    it("a create that takes over an owner by email (ALREADY_EXISTS) declared lower keeps her an owner; the next preview refuses to demote the last joined owner, with zero calls", async () => {
      const s = await space();
      await t.control.addMember(s, ALICE, "ROLE_MANAGER");
      await t.control.setRole(s, ADMIN, "ROLE_MEMBER");
      const { provider } = await spaceMembersProvider(t);
      const mark = await logMark(t);
      const news = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }] });
      const { outs } = await provider.create(news);
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${s}/members 200`,
        `GET /v1/${s}/members/admin%40example.com 200`,
        `POST /v1/${s}/members 409`,
        `GET /v1/${s}/members/alice%40example.com 200`,
      ]);
      assert.ok((await membersOf(s)).includes(`${ALICE} ROLE_MANAGER JOINED`));
      const next = await logMark(t);
      await assert.rejects(provider.diff(s, outs as ChatSpaceMembersOutputs, news), {
        message:
          /^ChatSpaceMembers eng-members: this change would leave the space without an owner \(ROLE_MANAGER, shown as Owner in Chat\): users\/110000000000000000002 is its last owner/,
      });
      assert.deepEqual(await apiCalls(t, next), []);
    });

    it("delete: the state's only owner leaving is removed when Google lists another joined owner made since (one owners listing); kept only when Google lists none", async () => {
      const s = await space();
      const { outs } = await created(s, [
        { user: "admin@example.com", role: "ROLE_MANAGER" },
        { user: "alice@example.com", role: "ROLE_MANAGER" },
      ]);
      // The state read since: admin was removed in Chat, so alice is the one owner it lists.
      await t.control.removeMember(s, ADMIN);
      const { provider: reader } = await spaceMembersProvider(t, { useAdminAccess: true });
      const { props } = await reader.read(s, outs as ChatSpaceMembersOutputs);
      // Then admin was added back as an owner (by another roster, say): alice is not the last owner.
      await t.control.addMember(s, ADMIN, "ROLE_MANAGER");
      const { provider: later, logs } = await spaceMembersProvider(t, { useAdminAccess: true });
      const mark = await logMark(t);
      await later.delete(s, props!);
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${s}/members/admin%40example.com 200`,
        `GET /v1/${s}/members 200`,
        `DELETE /v1/${s}/members/110000000000000000002 200`,
      ]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`]);
      assert.deepEqual(logs, []);
    });

    it("delete: the state counts on an owner demoted in Chat since, and Google lists no joined owner but those leaving: the first of them stays (logged), the others go", async () => {
      const s = await space();
      const { outs } = await created(s, owners);
      await t.control.setRole(s, ADMIN, "ROLE_MEMBER");
      const mark = await logMark(t);
      // The state has admin an owner (kept: the caller); Google has none left but alice and bob, both leaving.
      // With admin access, as admin is no manager of the space now.
      const { provider: later, logs } = await spaceMembersProvider(t, { useAdminAccess: true });
      await later.delete(s, outs);
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${s}/members/admin%40example.com 200`,
        `GET /v1/${s}/members 200`,
        `DELETE /v1/${s}/members/110000000000000000003 200`,
      ]);
      assert.deepEqual(logs, [
        `ChatSpaceMembers ${s}: ${ADMIN} stays in ${s}: it is the calling user, whom this provider never removes (it would lose sight of the space and of every later change).`,
        `ChatSpaceMembers ${s}: ${ALICE} is the space's last owner (ROLE_MANAGER): kept.`,
      ]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MEMBER JOINED`, `${ALICE} ROLE_MANAGER JOINED`]);
    });
  });

  describe("a role raised in Chat since the last refresh (the state's role out of date)", () => {
    /** A space made by `creator` (its one owner). */
    const spaceOf = async (creator: string) => {
      const client = t.asDelegatedUser(creator, ["chat.spaces.create"]);
      return (await client.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
    };
    const kept = (index: number, member: string, declared: string) =>
      `ChatSpaceMembers eng-members: = members[${index}] ${member}: role ROLE_MANAGER kept, not ${declared}: it was already a member at that role, which the preview could not show; the next preview announces the change`;

    it("update: a member made an owner in Chat is not demoted by the change its preview showed from the state's role (a promotion): kept, logged, recorded, and the next preview announces the demotion", async () => {
      const s = await space();
      const { provider, outs, logs } = await created(s, [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "bob@example.com" }]);
      // In Chat, bob is made an owner; no refresh follows.
      await t.control.setRole(s, BOB, "ROLE_MANAGER");
      const news = rosterInputs("eng-members", {
        space: s,
        members: [
          { user: "admin@example.com", role: "ROLE_MANAGER" },
          { user: "bob@example.com", role: "ROLE_ASSISTANT_MANAGER" },
        ],
      });
      logs.length = 0;
      await provider.diff(s, outs, news);
      assert.deepEqual(logs, [`ChatSpaceMembers eng-members: ~ members[1] ${BOB}: role ROLE_MEMBER => ROLE_ASSISTANT_MANAGER`]);
      const mark = await logMark(t);
      const { outs: after } = await provider.update(s, outs, news);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`], "the owners, once; no PATCH");
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MANAGER JOINED`]);
      assert.deepEqual(logs.slice(1), [kept(1, BOB, "ROLE_ASSISTANT_MANAGER")]);
      assert.deepEqual(after!.members, [entry(s, ADMIN, "ROLE_MANAGER"), entry(s, BOB, "ROLE_MANAGER")]);
      // The next preview announces the demotion from owner; its up makes it (admin stays an owner).
      logs.length = 0;
      assert.deepEqual((await provider.diff(s, after!, news)).detailedDiff, { "members[1]": "update" });
      assert.deepEqual(logs, [`ChatSpaceMembers eng-members: ~ members[1] ${BOB}: role ROLE_MANAGER => ROLE_ASSISTANT_MANAGER`]);
      await provider.update(s, after!, news);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_ASSISTANT_MANAGER JOINED`]);
    });

    it("update: the caller, a manager declared lower, keeps her role as the preview says; made an owner in Chat since, the update demotes nothing; the next preview keeps her role as the state records it", async () => {
      const s = await space();
      await t.control.addMember(s, "alice@example.com", "ROLE_ASSISTANT_MANAGER");
      const { provider, logs } = await spaceMembersProvider(t, { user: "alice@example.com" });
      const declared = [
        { user: "admin@example.com", role: "ROLE_MANAGER" as const },
        { user: "alice@example.com", role: "ROLE_ASSISTANT_MANAGER" as const },
      ];
      const { outs } = await provider.create(rosterInputs("eng-members", { space: s, members: declared }));
      assert.deepEqual((outs as ChatSpaceMembersOutputs).__caller, { user: "alice@example.com", member: ALICE });
      await t.control.setRole(s, ALICE, "ROLE_MANAGER");
      const news = rosterInputs("eng-members", { space: s, members: [declared[0], { user: "alice@example.com" }] });
      logs.length = 0;
      await provider.diff(s, outs as ChatSpaceMembersOutputs, news);
      assert.deepEqual(logs, [
        `ChatSpaceMembers eng-members: = members[1] ${ALICE}: role ROLE_ASSISTANT_MANAGER kept, not ROLE_MEMBER: it is the calling user, which a roster never demotes without googlechat:useAdminAccess (it could no longer manage the members)`,
      ]);
      const mark = await logMark(t);
      const { outs: after } = await provider.update(s, outs as ChatSpaceMembersOutputs, news);
      assert.deepEqual(
        (await apiCalls(t, mark)).filter((call) => !call.startsWith("GET ")),
        [],
      );
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MANAGER JOINED`]);
      logs.length = 0;
      assert.equal((await provider.diff(s, after!, news)).changes, false);
      assert.deepEqual(logs, [
        `ChatSpaceMembers eng-members: = members[1] ${ALICE}: role ROLE_ASSISTANT_MANAGER kept, not ROLE_MEMBER: it is the calling user, which a roster never demotes without googlechat:useAdminAccess (it could no longer manage the members)`,
      ]);
    });

    it("update: the space's only owner, made so in Chat since, is not demoted (keepLastManager off: Google documents no last-owner rule)", async () => {
      await t.control.setSettings({ keepLastManager: false });
      const s = await spaceOf("alice@example.com");
      const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
      const declared = [{ user: "alice@example.com", role: "ROLE_MANAGER" as const }, { user: "bob@example.com" }];
      const { outs } = await provider.create(rosterInputs("eng-members", { space: s, members: declared }));
      // In Chat: bob becomes the owner, alice steps down. No refresh.
      await t.control.setRole(s, BOB, "ROLE_MANAGER");
      await t.control.setRole(s, ALICE, "ROLE_MEMBER");
      const news = rosterInputs("eng-members", { space: s, members: [declared[0], { user: "bob@example.com", role: "ROLE_ASSISTANT_MANAGER" }] });
      const mark = await logMark(t);
      await provider.update(s, outs as ChatSpaceMembersOutputs, news);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`]);
      assert.deepEqual(await membersOf(s), [`${ALICE} ROLE_MEMBER JOINED`, `${BOB} ROLE_MANAGER JOINED`]);
    });

    it("update: a member made the only owner in Chat since is not removed by the removal its preview announced: the up stops before it (keepLastManager off)", async () => {
      await t.control.setSettings({ keepLastManager: false });
      const s = await spaceOf("alice@example.com");
      const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
      const { outs } = await provider.create(
        rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }, { user: "bob@example.com" }] }),
      );
      await t.control.setRole(s, BOB, "ROLE_MANAGER");
      await t.control.setRole(s, ALICE, "ROLE_MEMBER");
      // The program drops bob; the preview (from the state) announces the removal of a member.
      const news = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }] });
      const mark = await logMark(t);
      const failed: any = await provider.update(s, outs as ChatSpaceMembersOutputs, news).catch((e) => e);
      assert.equal(
        failed.message,
        `ChatSpaceMembers eng-members: stopped before removing or demoting ${BOB}: Google lists no other joined owner (ROLE_MANAGER, shown as Owner in Chat) of ${s}, and the space can't be left without an owner. ` +
          'Declare another member with role: "ROLE_MANAGER" (or make one an owner in Chat), then pulumi refresh and pulumi up again.',
      );
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/admin%40example.com 404`, `GET /v1/${s}/members 200`]);
      assert.deepEqual(await membersOf(s), [`${ALICE} ROLE_MEMBER JOINED`, `${BOB} ROLE_MANAGER JOINED`]);
    });

    it("delete: a declared member made the only owner in Chat since stays, whatever the state's roles say (keepLastManager off)", async () => {
      await t.control.setSettings({ keepLastManager: false });
      const s = await spaceOf("alice@example.com");
      const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
      const { outs } = await provider.create(
        rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }, { user: "bob@example.com" }] }),
      );
      await t.control.setRole(s, BOB, "ROLE_MANAGER");
      await t.control.setRole(s, ALICE, "ROLE_MEMBER");
      // A later run drops the roster from the program.
      const { provider: later, logs } = await spaceMembersProvider(t, { useAdminAccess: true });
      const mark = await logMark(t);
      await later.delete(s, outs as ChatSpaceMembersOutputs);
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${s}/members/admin%40example.com 404`,
        `GET /v1/spaces 200`,
        `GET /v1/${s}/members 200`,
        `DELETE /v1/${s}/members/110000000000000000002 200`,
      ]);
      assert.deepEqual(await membersOf(s), [`${BOB} ROLE_MANAGER JOINED`]);
      assert.deepEqual(logs.slice(-1), [`ChatSpaceMembers ${s}: ${BOB} is the space's last owner (ROLE_MANAGER): kept.`]);
    });

    it("update: a failed owners read stops before the removal its preview announced, and says why", async () => {
      const s = await space();
      const { provider, outs } = await created(s, [
        { user: "admin@example.com", role: "ROLE_MANAGER" },
        { user: "alice@example.com" },
        { user: "bob@example.com" },
      ]);
      await t.control.addFault({
        match: { methods: ["spaces.members.list"] },
        action: { kind: "error", status: 403, message: "The caller does not have permission" },
        count: 1,
      });
      const news = rosterInputs("eng-members", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] });
      const mark = await logMark(t);
      const failed: any = await provider.update(s, outs, news).catch((e: unknown) => e);
      assert.match(
        failed.message,
        new RegExp(
          `^ChatSpaceMembers eng-members: reading the joined owners of ${s} failed, so this update stopped before its role changes below owner and its removals: ` +
            "the state can't tell who is an owner now \\(one may have been made in Chat since the last refresh\\), and the space must keep one\\. ",
        ),
      );
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 403`], "no DELETE");
      assert.deepEqual(
        (failed.properties as ChatSpaceMembersOutputs).members.map((m) => m.member),
        [ADMIN, ALICE, BOB],
      );
    });

    it("delete: a failed owners read removes nobody and says so, whatever the state's roles say: a member made the only owner in Chat since is not removed (keepLastManager off)", async () => {
      await t.control.setSettings({ keepLastManager: false });
      const s = await spaceOf("alice@example.com");
      const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
      const { outs } = await provider.create(
        rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }, { user: "bob@example.com" }] }),
      );
      await t.control.setRole(s, BOB, "ROLE_MANAGER");
      await t.control.setRole(s, ALICE, "ROLE_MEMBER");
      await t.control.addFault({
        match: { methods: ["spaces.members.list"] },
        action: { kind: "error", status: 403, message: "The caller does not have permission" },
        count: 1,
      });
      const { provider: later } = await spaceMembersProvider(t, { useAdminAccess: true });
      const mark = await logMark(t);
      const failed: any = await later.delete(s, outs as ChatSpaceMembersOutputs).catch((e: unknown) => e);
      assert.equal(
        failed.message,
        `ChatSpaceMembers ${s}: reading the joined owners of ${s} failed, so this delete removed nobody: ` +
          "the state can't tell who is an owner now (one may have been made in Chat since the last refresh), and the space must keep one. " +
          "Run it again (pulumi up, or pulumi destroy) once the read succeeds; if these credentials lost access to the space, restore it first. " +
          `spaces.members.list of ${s} failed (403 PERMISSION_DENIED: The caller does not have permission). ` +
          "With user authentication the user must be a manager (ROLE_MANAGER, or ROLE_ASSISTANT_MANAGER where the space's manageMembersAndGroups setting allows it) " +
          "of the space to add, change or remove others; only an owner (ROLE_MANAGER) removes or demotes an owner. " +
          "With googlechat:useAdminAccess (chat.admin.memberships) the user must be a Workspace administrator, " +
          "and admin access can't manage Chat apps' memberships nor add users outside the organisation. " +
          "Historical memberships of import mode need domain-wide delegation and chat.import. " +
          "The call asked for the scope https://www.googleapis.com/auth/chat.admin.memberships.readonly.",
      );
      assert.deepEqual(
        await apiCalls(t, mark),
        [`GET /v1/${s}/members/admin%40example.com 404`, `GET /v1/spaces 200`, `GET /v1/${s}/members 403`],
        "no DELETE",
      );
      assert.deepEqual(await membersOf(s), [`${ALICE} ROLE_MEMBER JOINED`, `${BOB} ROLE_MANAGER JOINED`]);
    });
  });

  describe("partial failure", () => {
    it("a failure half way keeps what was applied; the next update converges without a duplicate or a removal of a declared member", async () => {
      const s = await space();
      const { provider, outs } = await created(s, [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "bob@example.com" }]);
      const news = rosterInputs("eng-members", {
        space: s,
        members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com", role: "ROLE_MANAGER" }, { group: "groups/devs" }],
        __provider: "stub",
      } as any);
      // alice's create is committed but its answer lost, then the group's create is refused.
      await t.control.addFault({ match: { methods: ["spaces.members.create"] }, action: { kind: "dropAfterCommit" }, count: 1 });
      await t.control.addFault({ match: { methods: ["spaces.members.patch"] }, action: { kind: "error", status: 503 }, count: 50 });
      const mark = await logMark(t);
      const failed: any = await provider.update(s, outs, news).catch((e) => e);
      assert.equal(failed.id, s);
      assert.equal(failed.properties.__provider, "stub");
      assert.match(failed.message, /^ChatSpaceMembers eng-members: spaces\.members\.patch of spaces\/\S+ failed \(503 UNAVAILABLE/);
      const partial = failed.properties as ChatSpaceMembersOutputs;
      // alice is in the state (added, not at her role), bob still (not yet removed), the group not yet.
      assert.deepEqual(
        partial.members.map((m) => `${m.member} ${m.role}`),
        [`${ADMIN} ROLE_MANAGER`, `${BOB} ROLE_MEMBER`, `${ALICE} ROLE_MEMBER`],
      );
      assert.equal(partial.__declared["users/alice@example.com"], ALICE);
      const before = (await apiCalls(t, mark)).filter((c) => !c.startsWith("PATCH"));
      assert.deepEqual(before, [`POST /v1/${s}/members 0`, `POST /v1/${s}/members 409`, `GET /v1/${s}/members/alice%40example.com 200`]);
      await t.control.clearFaults();
      // The next up: its preview and update from the partial state.
      const next = await logMark(t);
      assert.deepEqual((await provider.diff(s, partial, news)).detailedDiff, { "members[1]": "update", "members[2]": "add", [`members["${BOB}"]`]: "delete" });
      const { outs: after } = await provider.update(s, partial, news);
      assert.deepEqual(await apiCalls(t, next), [
        `POST /v1/${s}/members 200`,
        `PATCH /v1/${s}/members/110000000000000000002 role 200`,
        `GET /v1/${s}/members 200`,
        `DELETE /v1/${s}/members/110000000000000000003 200`,
      ]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MANAGER JOINED`, "groups/devs MEMBERSHIP_ROLE_UNSPECIFIED JOINED"]);
      assert.equal((await provider.diff(s, after!, news)).changes, false);
    });

    it("a failed update declares what it applied: an addOnly roster's member dropped from the declaration is not removed by a later delete", async () => {
      const s = await space();
      const { provider, outs } = await created(
        s,
        [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }, { user: BOB }],
        "addOnly",
      );
      const news = rosterInputs("eng-members", {
        space: s,
        members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }, { group: "groups/devs" }],
        mode: "addOnly",
      });
      await t.control.addFault({ match: { methods: ["spaces.members.create"] }, action: { kind: "error", status: 503 }, count: 50 });
      const failed: any = await provider.update(s, outs, news).catch((e) => e);
      await t.control.clearFaults();
      const partial = failed.properties as ChatSpaceMembersOutputs;
      assert.deepEqual(partial.__declared, { "users/admin@example.com": ADMIN, "users/alice@example.com": ALICE });
      const mark = await logMark(t);
      await (await laterRun()).provider.delete(s, partial);
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${s}/members/admin%40example.com 200`,
        `GET /v1/${s}/members 200`,
        `DELETE /v1/${s}/members/110000000000000000002 200`,
      ]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MEMBER JOINED`]);
    });

    it("a role change that meets 404 (the member removed in Chat since the last refresh) drops it from the state; the next up adds it back at its role", async () => {
      const s = await space();
      const { provider, outs } = await created(s, [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: BOB }]);
      await t.control.removeMember(s, BOB);
      const news = rosterInputs("eng-members", {
        space: s,
        members: [
          { user: "admin@example.com", role: "ROLE_MANAGER" },
          { user: BOB, role: "ROLE_ASSISTANT_MANAGER" },
        ],
      });
      const mark = await logMark(t);
      const failed: any = await provider.update(s, outs, news).catch((e) => e);
      assert.equal(
        failed.message,
        `ChatSpaceMembers eng-members: ${BOB} is no longer a member of ${s} (removed in Chat since the last refresh), so its role was not changed. The state no longer lists it: run pulumi up again to add it back at its role.`,
      );
      // The 404 is the member's only once the space is still visible: one read confirms it.
      assert.deepEqual((await apiCalls(t, mark)).slice(-2), [`PATCH /v1/${s}/members/${BOB.slice("users/".length)} role 404`, `GET /v1/${s} 200`]);
      const partial = failed.properties as ChatSpaceMembersOutputs;
      assert.deepEqual(
        partial.members.map((m) => m.member),
        [ADMIN],
      );
      assert.deepEqual((await provider.diff(s, partial, news)).detailedDiff, { "members[1]": "add" });
      await provider.update(s, partial, news);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_ASSISTANT_MANAGER JOINED`]);
    });

    it("a removal that meets 404 (removed in Chat meanwhile) is done, once the space is still visible to confirm it", async () => {
      const s = await space();
      const { provider, outs } = await created(s, [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "bob@example.com" }]);
      await t.control.removeMember(s, BOB);
      const mark = await logMark(t);
      const { outs: after } = await provider.update(
        s,
        outs,
        rosterInputs("eng-members", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }] }),
      );
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`, `DELETE /v1/${s}/members/110000000000000000003 404`, `GET /v1/${s} 200`]);
      assert.deepEqual(
        after!.members.map((m) => m.member),
        [ADMIN],
      );
    });
  });

  describe("the calling user, read once per process, not once per roster", () => {
    /** Spaces made by admin@example.com, the caller (ROLE_MANAGER), and ones it is not in (made by bob). */
    const spaces = (withCaller: number, without = 0) =>
      t.control.seed([
        ...Array.from({ length: withCaller }, (_, i) => ({ displayName: `With ${i}`, members: [{ member: "users/alice@example.com" }] })),
        ...Array.from({ length: without }, (_, i) => ({ displayName: `Without ${i}`, creator: "users/bob@example.com" })),
      ]);
    /** bob's roster without the caller, after a create that added it: the preview keeps it, the update makes no call and keeps both. */
    async function leavingTheCallerOutKeepsIt(
      provider: Awaited<ReturnType<typeof spaceMembersProvider>>["provider"],
      logs: string[],
      bobs: string,
      outs: ChatSpaceMembersOutputs,
    ) {
      const bobOnly = rosterInputs("bobs-members", { space: bobs, members: [{ user: "bob@example.com", role: "ROLE_MANAGER" }] });
      logs.length = 0;
      await provider.diff(bobs, outs, bobOnly);
      assert.deepEqual(logs, [
        `ChatSpaceMembers bobs-members: = ${ADMIN}: not declared, kept: it is the calling user, which an authoritative roster never removes`,
      ]);
      const mark = await logMark(t);
      const { outs: after } = await provider.update(bobs, outs, bobOnly);
      assert.deepEqual(await apiCalls(t, mark), []);
      assert.deepEqual(after!.members.map((m) => m.member).sort(), [ADMIN, BOB]);
    }
    /** Adopts each roster as it is (addOnly, nothing declared): the roster's reads and nothing else. */
    const adopt = (provider: Awaited<ReturnType<typeof spaceMembersProvider>>["provider"], s: string) =>
      provider.create(rosterInputs(`${s}-members`, { space: s, members: [], mode: "addOnly" })).then(({ outs }) => outs as ChatSpaceMembersOutputs);

    // With admin access (as an imported program runs) the caller lists spaces it is not in.
    it("adopts N rosters with N listings and one members.get of the caller; each __caller is what a read per roster gives", async () => {
      const [a, b, c, d] = await spaces(3, 1);
      const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
      const mark = await logMark(t);
      const outs = [];
      for (const s of [a, b, c, d]) outs.push(await adopt(provider, s));
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${a}/members 200`,
        `GET /v1/${a}/members/admin%40example.com 200`,
        `GET /v1/${b}/members 200`,
        `GET /v1/${c}/members 200`,
        `GET /v1/${d}/members 200`,
      ]);
      const callers = outs.map((o) => o.__caller);
      assert.deepEqual(callers, [...Array(3).fill({ user: "admin@example.com", member: ADMIN }), { user: "admin@example.com", member: "" }]);
      // The same as a provider of its own (a process each, a members.get each) records.
      const alone = [];
      for (const s of [a, b, c, d]) alone.push((await adopt((await spaceMembersProvider(t, { useAdminAccess: true })).provider, s)).__caller);
      assert.deepEqual(alone, callers);
    });

    it("rosters created at once wait for the one read of the caller", async () => {
      const names = await spaces(4);
      const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
      const mark = await logMark(t);
      const outs = await Promise.all(names.map((s) => adopt(provider, s)));
      const calls = await apiCalls(t, mark);
      assert.deepEqual(calls.filter((c) => c.includes("admin%40")).length, 1);
      assert.deepEqual(calls.filter((c) => !c.includes("admin%40")).sort(), names.map((s) => `GET /v1/${s}/members 200`).sort());
      assert.deepEqual(
        outs.map((o) => o.__caller),
        Array(4).fill({ user: "admin@example.com", member: ADMIN }),
      );
    });

    it("a caller not in the first rosters' spaces (an administrator with admin access): its id is learnt once from a space it is in (spaces.list, one page of one)", async () => {
      const [inA, outB, outC, outD, outE] = await spaces(1, 4);
      const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
      const mark = await logMark(t);
      const outs = [];
      for (const s of [outB, outC, outD, outE, inA]) outs.push(await adopt(provider, s));
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${outB}/members 200`,
        `GET /v1/${outB}/members/admin%40example.com 404`,
        "GET /v1/spaces 200",
        `GET /v1/${inA}/members/admin%40example.com 200`,
        `GET /v1/${outC}/members 200`,
        `GET /v1/${outD}/members 200`,
        `GET /v1/${outE}/members 200`,
        `GET /v1/${inA}/members 200`,
      ]);
      assert.deepEqual(
        outs.map((o) => o.__caller),
        [...Array(4).fill({ user: "admin@example.com", member: "" }), { user: "admin@example.com", member: ADMIN }],
      );
    });

    it("a caller in no space: each roster reads the caller's membership of its own space (it may be added during the deployment); spaces.list is asked once", async () => {
      const [outB, outC, outD] = await spaces(0, 3);
      const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
      const mark = await logMark(t);
      for (const s of [outB, outC]) await adopt(provider, s);
      await t.control.addMember(outD, "users/admin@example.com");
      assert.deepEqual((await adopt(provider, outD)).__caller, { user: "admin@example.com", member: ADMIN });
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${outB}/members 200`,
        `GET /v1/${outB}/members/admin%40example.com 404`,
        "GET /v1/spaces 200",
        `GET /v1/${outC}/members 200`,
        `GET /v1/${outC}/members/admin%40example.com 404`,
        `GET /v1/${outD}/members 200`,
        `GET /v1/${outD}/members/admin%40example.com 200`,
      ]);
    });

    it("says once why the caller's id can't be learnt when spaces.list is refused (credentials without chat.spaces.readonly), and reads each roster's own space instead", async () => {
      const [outB, outC] = await spaces(0, 2);
      await t.control.addFault({
        match: { methods: ["spaces.list"] },
        action: { kind: "error", status: 403, message: "Request had insufficient authentication scopes." },
      });
      const { provider, logs } = await spaceMembersProvider(t, { useAdminAccess: true });
      const mark = await logMark(t);
      for (const s of [outB, outC]) await adopt(provider, s);
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${outB}/members 200`,
        `GET /v1/${outB}/members/admin%40example.com 404`,
        "GET /v1/spaces 403",
        `GET /v1/${outC}/members 200`,
        `GET /v1/${outC}/members/admin%40example.com 404`,
      ]);
      const said = logs.filter((line) => line.includes("could not be learnt"));
      assert.equal(said.length, 1);
      assert.deepEqual(said, [
        `ChatSpaceMembers ${outB}-members: the calling user admin@example.com is not a member of ${outB}, and its users/{id} could not be learnt from a space it is in ` +
          "(spaces.list failed: 403 PERMISSION_DENIED Request had insufficient authentication scopes.): each resource reads the caller's membership of its own space instead, one more read per resource. " +
          "Authorise chat.spaces.readonly for these credentials to save them.",
      ]);
    });

    it("asks for no scope where spaces.list fails otherwise than by a refusal (400): the scope would not help", async () => {
      const [outB] = await spaces(0, 1);
      await t.control.addFault({ match: { methods: ["spaces.list"] }, action: { kind: "error", status: 400, message: "bad" } });
      const { provider, logs } = await spaceMembersProvider(t, { useAdminAccess: true });
      const mark = await logMark(t);
      await adopt(provider, outB);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${outB}/members 200`, `GET /v1/${outB}/members/admin%40example.com 404`, "GET /v1/spaces 400"]);
      assert.deepEqual(
        logs.filter((line) => line.includes("could not be learnt")),
        [
          `ChatSpaceMembers ${outB}-members: the calling user admin@example.com is not a member of ${outB}, and its users/{id} could not be learnt from a space it is in ` +
            "(spaces.list failed: 400 INVALID_ARGUMENT bad): each resource reads the caller's membership of its own space instead, one more read per resource.",
        ],
      );
    });

    it("a roster that adds the caller records it as the caller, so leaving it out later never removes it (admin access, a space the caller was not in)", async () => {
      const [bobs] = await spaces(0, 1);
      const { provider, logs } = await spaceMembersProvider(t, { useAdminAccess: true });
      const both = rosterInputs("bobs-members", { space: bobs, members: [{ user: "bob@example.com", role: "ROLE_MANAGER" }, { user: "admin@example.com" }] });
      const { outs } = await provider.create(both);
      assert.deepEqual((outs as ChatSpaceMembersOutputs).__caller, { user: "admin@example.com", member: ADMIN });
      await leavingTheCallerOutKeepsIt(provider, logs, bobs, outs as ChatSpaceMembersOutputs);
    });

    it("a roster that adds the caller by its users/{id}, once the process knows it, records it as the caller", async () => {
      const [mine, bobs] = await spaces(1, 1);
      const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
      await adopt(provider, mine);
      const { outs } = await provider.create(
        rosterInputs("bobs-members", { space: bobs, members: [{ user: "bob@example.com", role: "ROLE_MANAGER" }, { user: ADMIN }] }),
      );
      assert.deepEqual((outs as ChatSpaceMembersOutputs).__caller, { user: "admin@example.com", member: ADMIN });
    });

    it("a roster that adds the caller by its users/{id} before the process knows it (a caller in no space) reads the caller's membership once, records it, and never removes it", async () => {
      const [bobs] = await spaces(0, 1);
      const { provider, logs } = await spaceMembersProvider(t, { useAdminAccess: true });
      const mark = await logMark(t);
      const { outs } = await provider.create(
        rosterInputs("bobs-members", { space: bobs, members: [{ user: "bob@example.com", role: "ROLE_MANAGER" }, { user: ADMIN }] }),
      );
      assert.deepEqual((outs as ChatSpaceMembersOutputs).__caller, { user: "admin@example.com", member: ADMIN });
      const calls = await apiCalls(t, mark);
      assert.deepEqual(
        calls.slice(-2),
        [`POST /v1/${bobs}/members 200`, `GET /v1/${bobs}/members/admin%40example.com 200`],
        "the one read after adding a users/{id}",
      );
      await leavingTheCallerOutKeepsIt(provider, logs, bobs, outs as ChatSpaceMembersOutputs);
    });

    it("a roster whose add of the caller by users/{id} fails half way (the read of the caller's own membership refused past the retries) records no caller, never 'not a member': a preview that removes people reads the caller's membership and keeps it, and so does a delete", async () => {
      const [bobs] = await spaces(0, 1);
      // admin manages bob's space with admin access: not a member, so the state records it as no member.
      const { provider: first } = await spaceMembersProvider(t, { useAdminAccess: true });
      const declared = [{ user: "bob@example.com", role: "ROLE_MANAGER" as const }];
      const { outs } = await first.create(rosterInputs("bobs-members", { space: bobs, members: declared }));
      assert.deepEqual((outs as ChatSpaceMembersOutputs).__caller, { user: "admin@example.com", member: "" });
      // The next up adds admin by id; Google fails the read of admin's own membership that follows, past the retries.
      await t.control.addFault({
        match: { methods: ["spaces.members.get"], pathPrefix: `/v1/${bobs}/members/admin%40example.com` },
        action: { kind: "error", status: 500 },
        count: 100,
      });
      const { provider: second } = await spaceMembersProvider(t, { useAdminAccess: true });
      const failed: any = await second
        .update(bobs, outs as ChatSpaceMembersOutputs, rosterInputs("bobs-members", { space: bobs, members: [...declared, { user: ADMIN }] }))
        .catch((e) => e);
      await t.control.clearFaults();
      const state = failed.properties as ChatSpaceMembersOutputs;
      assert.ok(
        state.members.some((m) => m.member === ADMIN),
        "admin was added: the state lists it",
      );
      assert.equal(state.__caller, undefined, "whether admin is the caller is unknown: no caller recorded");
      // A later preview that drops admin from the authoritative roster: it reads the caller's membership (one members.get) and keeps her.
      const { provider: third, logs } = await spaceMembersProvider(t, { useAdminAccess: true });
      const mark = await logMark(t);
      const planned = await third.diff(bobs, state, rosterInputs("bobs-members", { space: bobs, members: declared }));
      // Kept, and no longer declared in the state (an update that writes nothing to Chat).
      assert.deepEqual(planned.detailedDiff, { members: "update" });
      assert.deepEqual(logs.splice(0), [
        `ChatSpaceMembers bobs-members: = ${ADMIN}: not declared, kept: it is the calling user, which an authoritative roster never removes`,
      ]);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${bobs}/members/admin%40example.com 200`]);
      // The roster deleted instead, by another process: the caller is read (one members.get) and stays.
      const { provider: fourth, logs: deleteLogs } = await spaceMembersProvider(t, { useAdminAccess: true });
      const deleting = await logMark(t);
      await fourth.delete(bobs, state);
      assert.deepEqual(await apiCalls(t, deleting), [`GET /v1/${bobs}/members/admin%40example.com 200`, `GET /v1/${bobs}/members 200`]);
      assert.deepEqual(deleteLogs, [
        `ChatSpaceMembers ${bobs}: ${ADMIN} stays in ${bobs}: it is the calling user, whom this provider never removes (it would lose sight of the space and of every later change).`,
        `ChatSpaceMembers ${bobs}: ${BOB} is the space's last owner (ROLE_MANAGER): kept.`,
      ]);
      assert.deepEqual(await membersOf(bobs), [`${BOB} ROLE_MANAGER JOINED`, `${ADMIN} ROLE_MEMBER JOINED`]);
    });

    it("a caller found by the listing is still never removed: an authoritative roster that does not declare it keeps it", async () => {
      const [a, b] = await spaces(2);
      const { provider, logs } = await spaceMembersProvider(t);
      await adopt(provider, a);
      const inputs = rosterInputs("b-members", { space: b, members: [{ user: "alice@example.com" }] });
      const { outs } = await provider.create(inputs);
      assert.deepEqual((outs as ChatSpaceMembersOutputs).__caller, { user: "admin@example.com", member: ADMIN });
      logs.length = 0;
      await provider.diff(b, outs as ChatSpaceMembersOutputs, inputs);
      assert.deepEqual(logs, [
        `ChatSpaceMembers b-members: = ${ADMIN}: not declared, kept: it is the calling user, which an authoritative roster never removes`,
      ]);
    });

    it("learns each impersonated user once: reconfigured to act as another, the provider reads that one's membership", async () => {
      const [a, b, c] = await spaces(3);
      const { provider } = await spaceMembersProvider(t);
      await adopt(provider, a);
      const config = emulatorConfig(t, { user: "alice@example.com" });
      await provider.configure({ config: { get: (k) => config[k], require: (k) => config[k] } });
      const mark = await logMark(t);
      assert.deepEqual((await adopt(provider, b)).__caller, { user: "alice@example.com", member: ALICE });
      assert.deepEqual((await adopt(provider, c)).__caller, { user: "alice@example.com", member: ALICE });
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${b}/members 200`, `GET /v1/${b}/members/alice%40example.com 200`, `GET /v1/${c}/members 200`]);
    });
  });

  describe("refresh", () => {
    it("reads the roster with one listing, and who the caller is (once per process): drift (a role changed in Chat) shows in the next diff", async () => {
      const s = await space();
      const { provider, outs, inputs } = await created(s, [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }]);
      await t.control.setRole(s, ALICE, "ROLE_ASSISTANT_MANAGER");
      const mark = await logMark(t);
      // pulumi refresh: its own deployment and provider process (the next preview's is another).
      const { id, props } = await (await laterRun()).provider.read(s, outs);
      // The state's record names the caller by email, which may name another person since: her membership by email tells.
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`, `GET /v1/${s}/members/admin%40example.com 200`]);
      assert.equal(id, s);
      assert.deepEqual(props!.members, [entry(s, ADMIN, "ROLE_MANAGER"), entry(s, ALICE, "ROLE_ASSISTANT_MANAGER")]);
      assert.deepEqual((await provider.diff(s, props!, inputs)).detailedDiff, { "members[1]": "update" });
    });

    it("with app auth (Google lists no invitation then), keeps the state's invited members, each read by name: the next preview has no change and makes zero calls", async () => {
      const s = await appSpaceBobInvitable(t);
      const { provider } = await spaceMembersProvider(t, { app: true });
      const inputs = rosterInputs("eng-members", { space: s, members: [{ user: "bob@example.com" }], mode: "addOnly" });
      const { outs } = await provider.create(inputs);
      assert.deepEqual(
        (outs as ChatSpaceMembersOutputs).members.map((m) => `${m.member} ${m.state}`),
        [`${BOB} INVITED`],
      );
      const mark = await logMark(t);
      const { props } = await provider.read(s, outs as ChatSpaceMembersOutputs);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`, `GET /v1/${s}/members/${BOB.slice("users/".length)} 200`]);
      assert.deepEqual(props!.members, (outs as ChatSpaceMembersOutputs).members);
      const next = await logMark(t);
      assert.equal((await provider.diff(s, props!, inputs)).changes, false);
      assert.deepEqual(await apiCalls(t, next), []);
    });

    it("a space deleted: gone with admin access; kept in the stack, and said why, without it", async () => {
      const s = await space();
      const { provider, outs, logs } = await created(s, [{ user: "admin@example.com", role: "ROLE_MANAGER" }]);
      await t.control.deleteSpace(s);
      logs.length = 0;
      assert.deepEqual(await provider.read(s, outs), { id: s, props: outs });
      assert.match(
        logs[0],
        /^ChatSpaceMembers spaces\/\S+: Google answers 404 Not Found for the space's members: the space was deleted, or these credentials no longer see it\./,
      );
      const admin = (await spaceMembersProvider(t, { useAdminAccess: true })).provider;
      assert.deepEqual(await admin.read(s, outs), { id: "" });
    });
  });

  describe("delete", () => {
    it("removes the declared members, never the caller, and leaves the undeclared", async () => {
      const s = await space();
      const { outs } = await created(s, [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }], "addOnly");
      await t.control.addMember(s, BOB);
      const mark = await logMark(t);
      await (await laterRun()).provider.delete(s, outs);
      // One owners listing before the first removal of a person: the state's roles may be out of date.
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${s}/members/admin%40example.com 200`,
        `GET /v1/${s}/members 200`,
        `DELETE /v1/${s}/members/110000000000000000002 200`,
      ]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MEMBER JOINED`]);
    });

    it("up --replace (the new roster created first, in the same run): the old roster's delete keeps the members the new one took over", async () => {
      const s = await space();
      const {
        provider,
        inputs,
        outs: old,
        logs,
      } = await created(s, [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }], "addOnly");
      // The engine checks the new declaration, creates it, and deletes the old roster after the program has run.
      await provider.check({}, inputs);
      await provider.create(inputs);
      logs.length = 0;
      const mark = await logMark(t);
      await provider.delete(s, old);
      assert.deepEqual(await apiCalls(t, mark), []);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
      assert.deepEqual(logs, [
        `ChatSpaceMembers ${s}: ${ADMIN} stays in ${s}: it is the calling user, whom this provider never removes (it would lose sight of the space and of every later change).`,
        `ChatSpaceMembers ${s}: ${ALICE} stays in ${s}: the program declares it in ChatSpaceMembers eng-members.`,
      ]);
      // Another run (another process) deletes as before.
      const { provider: later } = await laterRun();
      await later.delete(s, old);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`]);
    });

    it("keeps the space's last owner, once Google's owners confirm no other", async () => {
      const s = await space();
      const { provider, outs: createdOuts } = await created(s, [{ user: "alice@example.com", role: "ROLE_MANAGER" }, { user: "admin@example.com" }]);
      // admin, demoted in Chat (a roster keeps the caller an owner without admin access), and refreshed: alice is the one owner.
      await t.control.setRole(s, ADMIN, "ROLE_MEMBER");
      const outs = (await provider.read(s, createdOuts)).props as ChatSpaceMembersOutputs;
      const { provider: later, logs } = await laterRun();
      const mark = await logMark(t);
      await later.delete(s, outs);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/admin%40example.com 200`, `GET /v1/${s}/members 200`]);
      assert.deepEqual(logs, [
        `ChatSpaceMembers ${s}: ${ADMIN} stays in ${s}: it is the calling user, whom this provider never removes (it would lose sight of the space and of every later change).`,
        `ChatSpaceMembers ${s}: ${ALICE} is the space's last owner (ROLE_MANAGER): kept.`,
      ]);
    });
  });
});
