/**
 * check of a ChatMembership and of a roster's entries against values of no use or of the wrong
 * type: `null` (Pulumi sends a list's `undefined` entry as null; YAML has `null`) and numbers,
 * objects or lists where a string or a boolean is due (the engine's values are untyped). Each is
 * a failure naming the property, with zero API calls; never a thrown TypeError, never a create.
 */
import assert from "node:assert/strict";
import { UNKNOWN } from "../../provider/core/engine-values";
import { checkMembership } from "../../provider/membership/check";
import type { ChatMembershipInputs } from "../../provider/membership/types";
import { checkRoster } from "../../provider/space-members/check";
import type { RosterMemberArgs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, membershipProvider } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const S = "spaces/AAA";
const ctx = { auth: "user" as const, now: Date.parse("2026-01-01T00:00:00Z") };
const failuresOf = (failures: { property: string; reason: string }[]) => failures.map((f) => `${f.property} ${f.reason}`);
const membership = (inputs: object) => failuresOf(checkMembership(inputs as ChatMembershipInputs, ctx));
const roster = (inputs: object) => failuresOf(checkRoster(inputs, ctx));

const USER_IS = "an email (alice@example.com) or users/{id}";
const ROLES = "one of ROLE_MEMBER, ROLE_ASSISTANT_MANAGER, ROLE_MANAGER (ROLE_ASSISTANT_MANAGER is shown as Manager in Chat, ROLE_MANAGER as Owner)";
const ENTRY_IS = "{ user }, { group } or { chatApp: true }, with a role";
const NULL_ENTRY = `is null: set ${ENTRY_IS}, or remove the entry from the list (Pulumi sends a list's undefined entry as null: filter such entries out).`;
const T = "2019-01-01T00:00:00Z";

describe("provider: check of null values and values of the wrong type", () => {
  describe("ChatMembership", () => {
    for (const [what, inputs, expected] of [
      ["user: null, no other member", { space: S, user: null }, [`user is null: set ${USER_IS}, or leave it out.`]],
      ["user: 42", { space: S, user: 42 }, [`user must be ${USER_IS}, not 42.`]],
      ["user as an object", { space: S, user: { email: "alice@example.com" } }, [`user must be ${USER_IS}, not {"email":"alice@example.com"}.`]],
      ["user as a list", { space: S, user: ["alice@example.com"] }, [`user must be ${USER_IS}, not ["alice@example.com"].`]],
      ["group: 42", { space: S, group: 42 }, ["group must be groups/{group}, not 42."]],
      ["group: null beside a user", { space: S, user: "alice@example.com", group: null }, ["group is null: set groups/{group}, or leave it out."]],
      ["chatApp: null, no other member", { space: S, chatApp: null }, ["chatApp is null: set true (the calling Chat app), or leave it out."]],
      ['chatApp: "true"', { space: S, chatApp: "true" }, ['chatApp must be true (the calling Chat app), not "true".']],
      ["role: null", { space: S, user: "alice@example.com", role: null }, [`role is null: set ${ROLES}, or leave it out.`]],
      ["role: 1", { space: S, user: "alice@example.com", role: 1 }, [`role must be ${ROLES}, not 1.`]],
      ["space as a list", { space: [S], user: "alice@example.com" }, ['space must be spaces/{space}, not ["spaces/AAA"].']],
      ["space: 42", { space: 42, user: "alice@example.com" }, ["space must be spaces/{space}, not 42."]],
      [
        "createTime as a list",
        { space: S, user: "alice@example.com", createTime: [T] },
        [`createTime must be an RFC 3339 time such as 2019-01-01T00:00:00Z, not ["${T}"].`],
      ],
      [
        "createTime: null beside a deleteTime",
        { space: S, user: "alice@example.com", createTime: null, deleteTime: T },
        ["createTime is null: set an RFC 3339 time such as 2019-01-01T00:00:00Z, or leave it out."],
      ],
      [
        "deleteTime: null",
        { space: S, user: "alice@example.com", deleteTime: null },
        ["deleteTime is null: set an RFC 3339 time such as 2019-01-01T00:00:00Z, or leave it out."],
      ],
      // Date.parse takes each as another day (March 2nd, May 1st, the next day): no such instant.
      [
        "createTime on February 30th",
        { space: S, user: "alice@example.com", createTime: "2019-02-30T00:00:00Z" },
        ['createTime must be an RFC 3339 time such as 2019-01-01T00:00:00Z, not "2019-02-30T00:00:00Z".'],
      ],
      [
        "deleteTime on April 31st",
        { space: S, user: "alice@example.com", createTime: T, deleteTime: "2019-04-31T00:00:00Z" },
        ['deleteTime must be an RFC 3339 time such as 2019-01-01T00:00:00Z, not "2019-04-31T00:00:00Z".'],
      ],
      [
        "createTime at hour 24",
        { space: S, user: "alice@example.com", createTime: "2019-01-01T24:00:00Z" },
        ['createTime must be an RFC 3339 time such as 2019-01-01T00:00:00Z, not "2019-01-01T24:00:00Z".'],
      ],
    ] as const) {
      it(`refuses ${what}`, () => assert.deepEqual(membership(inputs), expected));
    }

    it("still takes every value unknown until apply (a preview's sentinel), in every field", () => {
      for (const inputs of [
        { space: UNKNOWN, user: UNKNOWN, role: UNKNOWN, createTime: UNKNOWN, deleteTime: UNKNOWN },
        { space: S, group: UNKNOWN },
        { space: S, chatApp: UNKNOWN },
      ]) {
        assert.deepEqual(membership(inputs), [], JSON.stringify(inputs));
      }
    });
  });

  describe("ChatSpaceMembers", () => {
    for (const [what, inputs, expected] of [
      ["an entry that is null", { space: S, members: [{ user: "alice@example.com" }, null] }, [`members[1] ${NULL_ENTRY}`]],
      ["an entry { user: null }", { space: S, members: [{ user: null }] }, [`members[0].user is null: set ${USER_IS}, or leave it out.`]],
      ["an entry { user: 42 }", { space: S, members: [{ user: 42 }] }, [`members[0].user must be ${USER_IS}, not 42.`]],
      ["an entry { group: 42 }", { space: S, members: [{ group: 42 }] }, ["members[0].group must be groups/{group}, not 42."]],
      ["an entry that is a string", { space: S, members: ["alice@example.com"] }, [`members[0] must be ${ENTRY_IS}, not "alice@example.com".`]],
      [
        "an entry that is a list",
        { space: S, members: [[{ user: "alice@example.com" }]] },
        [`members[0] must be ${ENTRY_IS}, not [{"user":"alice@example.com"}].`],
      ],
      ["mode: null", { space: S, members: [], mode: null }, ["mode is null: set authoritative (the default) or addOnly, or leave it out."]],
      ["mode: 1", { space: S, members: [], mode: 1 }, ["mode must be authoritative (the default) or addOnly, not 1."]],
      ["space: 42", { space: 42, members: [] }, ["space must be spaces/{space}, not 42."]],
    ] as const) {
      it(`refuses ${what}`, () => assert.deepEqual(roster(inputs), expected));
    }

    it("still takes entries and fields unknown until apply", () => {
      assert.deepEqual(
        roster({ space: S, members: [UNKNOWN, { group: UNKNOWN, role: UNKNOWN }, { chatApp: UNKNOWN }, { user: UNKNOWN, role: "ROLE_MANAGER" }] }),
        [],
      );
    });
  });

  describe("through the provider: a failure of check, and a create refused, with zero API calls", () => {
    const t = useEmulator();

    it("a ChatMembership with group: 42", async () => {
      const { provider } = await membershipProvider(t);
      const mark = await logMark(t);
      const inputs = membershipInputs("devs", { space: S, group: 42 as never });
      assert.deepEqual(await provider.check({}, inputs), { failures: [{ property: "group", reason: "must be groups/{group}, not 42." }] });
      await assert.rejects(provider.create(inputs), { message: "ChatMembership devs: group must be groups/{group}, not 42." });
      assert.deepEqual(await apiCalls(t, mark), []);
    });

    it("a ChatMembership with user: null", async () => {
      const { provider } = await membershipProvider(t);
      const mark = await logMark(t);
      const inputs = membershipInputs("alice", { space: S, user: null as never });
      const reason = `is null: set ${USER_IS}, or leave it out.`;
      assert.deepEqual(await provider.check({}, inputs), { failures: [{ property: "user", reason }] });
      await assert.rejects(provider.create(inputs), { message: `ChatMembership alice: user ${reason}` });
      assert.deepEqual(await apiCalls(t, mark), []);
    });

    it("a roster with a null entry (members: [a, cond ? b : undefined])", async () => {
      const { provider } = await spaceMembersProvider(t);
      const mark = await logMark(t);
      const members = [{ user: "admin@example.com", role: "ROLE_MANAGER" }, null] as unknown as RosterMemberArgs[];
      const inputs = rosterInputs("eng-members", { space: S, members });
      assert.deepEqual(await provider.check({}, inputs), { failures: [{ property: "members[1]", reason: NULL_ENTRY }] });
      await assert.rejects(provider.create(inputs), { message: `ChatSpaceMembers eng-members: members[1] ${NULL_ENTRY}` });
      assert.deepEqual(await apiCalls(t, mark), []);
    });

    it("a roster with an entry { user: 42 }", async () => {
      const { provider } = await spaceMembersProvider(t);
      const mark = await logMark(t);
      const inputs = rosterInputs("eng-members", { space: S, members: [{ user: 42 }] as unknown as RosterMemberArgs[] });
      const reason = `must be ${USER_IS}, not 42.`;
      assert.deepEqual(await provider.check({}, inputs), { failures: [{ property: "members[0].user", reason }] });
      await assert.rejects(provider.create(inputs), { message: `ChatSpaceMembers eng-members: members[0].user ${reason}` });
      assert.deepEqual(await apiCalls(t, mark), []);
    });
  });
});
