/**
 * Paths that would remove a member the program declares: a ChatMembership declaring import-mode
 * times (createTime, deleteTime) of a member a roster's delete or removal meets.
 */
import assert from "node:assert/strict";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, oneProcess } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

const ALICE = "users/110000000000000000002";
const BOB = "users/110000000000000000003";

describe("provider: removals the program does not declare", () => {
  const t = useEmulator();
  /** An import-mode space made by its importer admin@example.com (no member of it). */
  const archive = async () => {
    const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
    const { data } = await importer.spaces.create({
      requestBody: { spaceType: "SPACE", displayName: "Old", importMode: true, createTime: "2019-01-01T00:00:00Z" },
    });
    return data.name!;
  };
  const membersOf = async (name: string) =>
    ((await t.control.state()).memberships[name.slice("spaces/".length)] ?? []).map((m) => `${m.memberName} ${m.state} ${m.createTime ?? "-"}`);
  const T1 = "2019-02-01T00:00:00Z";
  /** `email` imported into the space `s` by its importer, a current member since `createTime` (as a migration tool does). */
  const importedAt = async (s: string, email: string, createTime: string) => {
    const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
    await importer.spaces.members.create({ parent: s, requestBody: { member: { name: `users/${email}`, type: "HUMAN" }, createTime } });
  };
  /** Resolves once the one fault added is used up: the emulator holds back that call's answer, and the caller waits for it. */
  const heldBack = async () => {
    const faults = async () => ((await (await fetch(`${t.emulator.url}/emulator/v1/faults`)).json()) as { faults: unknown[] }).faults;
    while ((await faults()).length > 0) await new Promise((done) => setTimeout(done, 5));
  };

  describe("a roster's delete leaves a member a ChatMembership declares with import-mode times the membership has", () => {
    it("member moved from a roster to a ChatMembership that declares createTime: other times than hers are refused, removing nobody; hers take her over, and the roster's delete leaves her", async () => {
      const s = await archive();
      // A migration imported alice with her history; the earlier up's addOnly roster took her over.
      await importedAt(s, "alice@example.com", T1);
      const earlier = await oneProcess(t);
      const roster = rosterInputs("old-members", { space: s, members: [{ user: "alice@example.com" }], mode: "addOnly" });
      await earlier.rosters.check({}, roster);
      const { outs: rosterOuts } = await earlier.rosters.create(roster);
      // This up: the roster leaves the program; a ChatMembership declares alice, first with another createTime.
      const { memberships, rosters, logs } = await oneProcess(t);
      const otherTimes = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: "2019-03-01T00:00:00Z" });
      assert.deepEqual(await memberships.check({}, otherTimes), { inputs: otherTimes });
      let mark = await logMark(t);
      await assert.rejects(memberships.create(otherTimes), /A create removes a membership only as the replacement of it that its preview announced/);
      assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 409`, `GET /v1/${s}/members/alice%40example.com 200`]);
      const alice = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T1 });
      assert.deepEqual(await memberships.check({}, alice), { inputs: alice });
      const { outs } = await memberships.create(alice);
      assert.equal((outs as ChatMembershipOutputs).createTime, "2019-02-01T00:00:00.000Z");
      mark = await logMark(t);
      await rosters.delete(s, rosterOuts as ChatSpaceMembersOutputs);
      assert.ok(
        (await apiCalls(t, mark)).every((call) => call.startsWith("GET ")),
        `the roster's delete reads her times and removes nobody (logs: ${JSON.stringify(logs)})`,
      );
      assert.deepEqual(await membersOf(s), [`${ALICE} JOINED 2019-02-01T00:00:00.000Z`]);
    });

    it("member moved ChatMembership(createTime) -> roster -> ChatMembership(same createTime): the roster's delete leaves her", async () => {
      const s = await archive();
      // up 1: a historical ChatMembership.
      const first = await oneProcess(t);
      const alice = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T1 });
      await first.memberships.check({}, alice);
      const m1 = await first.memberships.create(alice);
      // up 2: moved to an addOnly roster, which takes her over; the ChatMembership's delete leaves her.
      const second = await oneProcess(t);
      const roster = rosterInputs("old-members", { space: s, members: [{ user: "alice@example.com" }], mode: "addOnly" });
      await second.rosters.check({}, roster);
      const { outs: rosterOuts } = await second.rosters.create(roster);
      await second.memberships.delete(m1.id, m1.outs as ChatMembershipOutputs);
      assert.deepEqual(await membersOf(s), [`${ALICE} JOINED 2019-02-01T00:00:00.000Z`]);
      // up 3: moved back to a ChatMembership with the times she has: taken over, then the roster's delete.
      const third = await oneProcess(t);
      const back = membershipInputs("alice-again", { space: s, user: "alice@example.com", createTime: T1 });
      assert.deepEqual(await third.memberships.check({}, back), { inputs: back });
      await third.memberships.create(back);
      const mark = await logMark(t);
      await third.rosters.delete(s, rosterOuts as ChatSpaceMembersOutputs);
      assert.deepEqual(
        await apiCalls(t, mark),
        [`GET /v1/${s}/members/admin%40example.com 404`, `GET /v1/spaces 200`, `GET /v1/${s}/members/${ALICE.slice("users/".length)} 200`],
        `the roster's delete reads her times once and removes nobody (logs: ${JSON.stringify(third.logs)})`,
      );
      assert.deepEqual(await membersOf(s), [`${ALICE} JOINED 2019-02-01T00:00:00.000Z`]);
    });

    it("reads the times of only the members a ChatMembership declares with times: bob, declared by nobody else, goes with no read of his membership", async () => {
      const s = await archive();
      await importedAt(s, "alice@example.com", T1);
      const earlier = await oneProcess(t);
      const roster = rosterInputs("old-members", { space: s, members: [{ user: "alice@example.com" }, { user: "bob@example.com" }], mode: "addOnly" });
      await earlier.rosters.check({}, roster);
      const { outs: rosterOuts } = await earlier.rosters.create(roster);
      const { memberships, rosters, logs } = await oneProcess(t);
      const alice = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T1 });
      assert.deepEqual(await memberships.check({}, alice), { inputs: alice });
      await memberships.create(alice);
      const mark = await logMark(t);
      await rosters.delete(s, rosterOuts as ChatSpaceMembersOutputs);
      // Whether a person leaving is the caller (admin: in no space, listed in none); her times, read once;
      // the joined owners, read before a person leaves; bob's removal.
      assert.deepEqual(
        await apiCalls(t, mark),
        [
          `GET /v1/${s}/members/admin%40example.com 404`,
          "GET /v1/spaces 200",
          `GET /v1/${s}/members/${ALICE.slice("users/".length)} 200`,
          `GET /v1/${s}/members 200`,
          `DELETE /v1/${s}/members/${BOB.slice("users/".length)} 200`,
        ],
        JSON.stringify(logs),
      );
      assert.deepEqual(await membersOf(s), [`${ALICE} JOINED 2019-02-01T00:00:00.000Z`]);
    });

    it("a membership the read finds gone (removed in Chat since) is removed as before: its removal meets the 404 and confirms the space still answers", async () => {
      const s = await archive();
      const earlier = await oneProcess(t);
      const roster = rosterInputs("old-members", { space: s, members: [{ user: "alice@example.com" }], mode: "addOnly" });
      await earlier.rosters.check({}, roster);
      const { outs: rosterOuts } = await earlier.rosters.create(roster);
      // This up declares her in a ChatMembership with times (checked; its create has not run), and she leaves in Chat meanwhile.
      const { memberships, rosters } = await oneProcess(t);
      const alice = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T1 });
      assert.deepEqual(await memberships.check({}, alice), { inputs: alice });
      await t.control.removeMember(s, "alice@example.com");
      const mark = await logMark(t);
      await rosters.delete(s, rosterOuts as ChatSpaceMembersOutputs);
      const id = ALICE.slice("users/".length);
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${s}/members/admin%40example.com 404`,
        `GET /v1/spaces 200`,
        `GET /v1/${s}/members/${id} 404`,
        `GET /v1/${s}/members 200`,
        `DELETE /v1/${s}/members/${id} 404`,
        `GET /v1/${s} 200`,
      ]);
    });
  });

  describe("an authoritative roster's re-read before a removal stops it for a ChatMembership that declares import-mode times", () => {
    it("a ChatMembership with createTime of a member the roster drops, checked before the removal runs (up --skip-preview): the update stops, no DELETE", async () => {
      const s = await archive();
      const { memberships, rosters } = await oneProcess(t);
      const old = rosterInputs("old-members", { space: s, members: [{ user: "alice@example.com" }, { user: "bob@example.com" }] });
      await rosters.check({}, old);
      const { outs } = await rosters.create(old);
      // The program drops bob from the roster (checked first), and declares him in a ChatMembership with his historical times.
      const news = rosterInputs("old-members", { space: s, members: [{ user: "alice@example.com" }] });
      assert.deepEqual(await rosters.check(old, news), { inputs: news });
      assert.deepEqual((await rosters.diff(s, outs as ChatSpaceMembersOutputs, news)).detailedDiff, { [`members["${BOB}"]`]: "delete" });
      // The engine goes on with the program while the roster's update runs (it waits here for the owners read before the removal):
      // the ChatMembership's check comes now, and fails (the conflict); its declaration is recorded.
      await t.control.addFault({ match: { methods: ["spaces.members.list"] }, action: { kind: "holdAfterCommit" }, count: 1 });
      const mark = await logMark(t);
      const update = rosters.update(s, outs as ChatSpaceMembersOutputs, news).then(
        () => undefined,
        (e: Error) => e,
      );
      await heldBack();
      const bob = membershipInputs("bob", { space: s, user: "bob@example.com", createTime: T1 });
      assert.equal((await memberships.check({}, bob)).failures?.length, 1);
      await t.control.clearFaults();
      const failed = await update;
      assert.deepEqual(
        (await apiCalls(t, mark)).filter((c) => c.startsWith("DELETE")),
        [],
        `the roster's update removed bob, whom ChatMembership bob (createTime ${T1}) declares, checked before the removal`,
      );
      assert.match(String(failed?.message), /stopped before removing/);
    });
  });
});
