/**
 * An addOnly roster removes no one: a member the program stops declaring in it stays in the
 * space. Its state must stop declaring her too, or the roster's later delete, which removes the
 * members its state declares, would remove her. So the diff plans an update that writes nothing to
 * Chat and says so, and the delete leaves her.
 */
import assert from "node:assert/strict";
import { parsePlanLine } from "../../provider/space-members/plan-lines";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { adminsSpace, oneProcess } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

const ADMIN = "users/110000000000000000001";
const ALICE = "users/110000000000000000002";
const BOB = "users/110000000000000000003";

describe("an addOnly roster that stops declaring a member", () => {
  const t = useEmulator();
  const membersOf = async (s: string) => (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => m.memberName).sort();

  const rosterOfAliceAndBob = async () => {
    const s = await adminsSpace(t);
    const declared = rosterInputs("r", { space: s, mode: "addOnly", members: [{ user: "alice@example.com" }, { user: "bob@example.com" }] });
    const made = await (await oneProcess(t)).rosters.create(declared);
    return { s, declared, made: made as { id: string; outs: ChatSpaceMembersOutputs } };
  };

  it("roster-addonly-released: the diff plans an update that says alice stays, the update writes nothing to Chat and drops her from the state, and the roster's delete leaves her", async () => {
    const { s, declared, made } = await rosterOfAliceAndBob();
    const bobOnly = rosterInputs("r", { space: s, mode: "addOnly", members: [{ user: "bob@example.com" }] });
    const { rosters, logs } = await oneProcess(t);
    await rosters.check(declared, bobOnly);
    const diff = await rosters.diff(made.id, made.outs, bobOnly);
    assert.deepEqual(
      { changes: diff.changes, replaces: diff.replaces, detailedDiff: diff.detailedDiff },
      { changes: true, replaces: [], detailedDiff: { members: "update" } },
    );
    const line =
      `ChatSpaceMembers r: = ${ALICE}: not declared, kept: no longer declared, and an addOnly roster removes no one: ` +
      "it stays in the space, managed by no resource, and the roster's delete leaves it";
    assert.deepEqual(logs, [line]);
    assert.deepEqual(parsePlanLine(line), { kind: "keep", member: ALICE }, "the plan summary reads it as a member kept");
    const mark = await logMark(t);
    const updated = (await rosters.update(made.id, made.outs, bobOnly)).outs as ChatSpaceMembersOutputs;
    assert.deepEqual(
      (await apiCalls(t, mark)).filter((call) => !call.startsWith("GET ")),
      [],
      "no write",
    );
    assert.deepEqual(updated.__declared, { "users/bob@example.com": BOB });
    assert.equal((await (await oneProcess(t)).rosters.diff(made.id, updated, bobOnly)).changes, false, "the next preview plans no change");
    await (await oneProcess(t)).rosters.delete(made.id, updated);
    assert.deepEqual(await membersOf(s), [ADMIN, ALICE]);
  });

  it("roster-addonly-respelled-not-released: alice declared again by her users/{id} is still declared: no update is planned for it", async () => {
    const { s, declared, made } = await rosterOfAliceAndBob();
    const byId = rosterInputs("r", { space: s, mode: "addOnly", members: [{ user: ALICE }, { user: "bob@example.com" }] });
    const { rosters, logs } = await oneProcess(t);
    await rosters.check(declared, byId);
    assert.equal((await rosters.diff(made.id, made.outs, byId)).changes, false);
    assert.deepEqual(logs, []);
  });

  it("roster-released-respelled-unmatched: alice's entry by users/{id} respelled by her email, not matched to an id yet: the line says the add may declare her still, and it does", async () => {
    const s = await adminsSpace(t);
    const byId = rosterInputs("r", { space: s, mode: "addOnly", members: [{ user: ALICE }, { user: "bob@example.com" }] });
    const made = (await (await oneProcess(t)).rosters.create(byId)) as { id: string; outs: ChatSpaceMembersOutputs };
    const byEmail = rosterInputs("r", { space: s, mode: "addOnly", members: [{ user: "alice@example.com" }, { user: "bob@example.com" }] });
    const { rosters, logs } = await oneProcess(t);
    await rosters.check(byId, byEmail);
    await rosters.diff(made.id, made.outs, byEmail);
    assert.equal(
      logs.at(-1),
      `ChatSpaceMembers r: = ${ALICE}: not declared, kept: no longer declared, and an addOnly roster removes no one: it stays in the space, ` +
        "managed by no resource, and the roster's delete leaves it, unless it is users/alice@example.com, declared but not matched to an id yet: " +
        "then the roster declares it still",
    );
    const updated = (await rosters.update(made.id, made.outs, byEmail)).outs as ChatSpaceMembersOutputs;
    assert.equal(updated.__declared["users/alice@example.com"], ALICE, "the add matched the email to her");
  });

  it("roster-authoritative-caller-released: an authoritative roster that stops declaring its calling user keeps her, and its state stops declaring her: a later delete by another caller leaves her", async () => {
    const s = await adminsSpace(t);
    await t.control.addMember(s, "alice@example.com", "ROLE_MANAGER");
    const both = rosterInputs("r", {
      space: s,
      members: [
        { user: "admin@example.com", role: "ROLE_MANAGER" },
        { user: "alice@example.com", role: "ROLE_MANAGER" },
      ],
    });
    const made = (await (await oneProcess(t)).rosters.create(both)) as { id: string; outs: ChatSpaceMembersOutputs };
    const aliceOnly = rosterInputs("r", { space: s, members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }] });
    const { rosters, logs } = await oneProcess(t);
    await rosters.check(both, aliceOnly);
    const diff = await rosters.diff(made.id, made.outs, aliceOnly);
    assert.deepEqual({ changes: diff.changes, detailedDiff: diff.detailedDiff }, { changes: true, detailedDiff: { members: "update" } });
    assert.deepEqual(logs, [`ChatSpaceMembers r: = ${ADMIN}: not declared, kept: it is the calling user, which an authoritative roster never removes`]);
    const updated = (await rosters.update(made.id, made.outs, aliceOnly)).outs as ChatSpaceMembersOutputs;
    assert.deepEqual(updated.__declared, { "users/alice@example.com": ALICE });
    // alice, the new calling user, stays as the caller; admin, as a member the roster no longer declares.
    await (await oneProcess(t, { user: "alice@example.com" })).rosters.delete(made.id, updated);
    assert.deepEqual(await membersOf(s), [ADMIN, ALICE]);
  });
});
