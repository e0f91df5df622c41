/**
 * Check of a ChatMembership by `users/{id}` beside an authoritative roster of the same provider,
 * whose calling user is a member of no space these credentials can read: Google answers her own
 * membership 404 and `spaces.list` lists no space she is in (members/caller.ts), so check can't
 * tell whether that member is her, whom the roster never removes, or someone it would remove. It
 * refuses the program saying exactly that, naming her email and what to do, instead of a conflict
 * that may not be one.
 */
import assert from "node:assert/strict";
import { type TestEmulator, useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, useDeployments } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

const [ALICE, BOB] = ["users/110000000000000000002", "users/110000000000000000003"];

/** The refusal, worded for the roster (`mode`) and for the ChatMembership (`user`). */
const untold = (s: string, member: string) => {
  const why =
    `the calling user alice@example.com is no member of ${s}, and no space these credentials can list tells her users/{id} ` +
    `(Google answers her membership of ${s} 404 Not Found, and spaces.list lists no space she is in). ` +
    'If it is her, declare her by email (user: "alice@example.com"), or add her to a space (this one, or any other: her membership of one tells her id), ' +
    "then preview again. " +
    'If it is someone else, move the member into the roster, or set mode: "addOnly" on the roster.';
  return {
    roster: {
      property: "mode",
      reason:
        `can't tell whether ${member}, which ChatMembership a-alice declares in ${s}, is the roster's calling user, whom it never removes, ` +
        `or a member that authoritative (the default) would remove: ${why}`,
    },
    membership: {
      property: "user",
      reason:
        `can't tell whether ${member} is the calling user of ChatSpaceMembers a-roster, an authoritative roster of ${s} that does not declare it, ` +
        `whom it never removes, or a member it would remove: ${why}`,
    },
  };
};

/** A space admin made, with alice an owner of it, then removed from it in Chat: she is in no space now. */
async function spaceAliceLeftIn(t: TestEmulator): Promise<string> {
  const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
  const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
  await t.control.addMember(s, "alice@example.com", "ROLE_MANAGER");
  await t.control.removeMember(s, "alice@example.com");
  return s;
}

describe("provider: check beside an authoritative roster whose calling user is in no space", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);

  const spaceAliceLeft = () => spaceAliceLeftIn(t);
  const roster = (s: string) => rosterInputs("a-roster", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }] });

  it("members-check-refuses-caller-by-id-in-no-space: says it can't tell whether users/{id} is the calling user, and why, instead of a conflict", async () => {
    const s = await spaceAliceLeft();
    const alice = await deployment().process({ user: "alice@example.com" });
    const mark = await logMark(t);
    const membership = membershipInputs("a-alice", { space: s, user: ALICE, role: "ROLE_MANAGER" });
    assert.deepEqual(await alice.memberships.check({}, membership), { inputs: membership });
    assert.deepEqual(await alice.rosters.check({}, roster(s)), { failures: [untold(s, ALICE).roster] });
    // Her membership of the space by her email, then the spaces she is in (one page of one): none, so nothing tells her id.
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/alice%40example.com 404`, "GET /v1/spaces 200"]);
  });

  it("worded for the ChatMembership when the roster was checked first; the same for a member who is not her (check can't tell either)", async () => {
    const s = await spaceAliceLeft();
    const alice = await deployment().process({ user: "alice@example.com" });
    assert.deepEqual(await alice.rosters.check({}, roster(s)), { inputs: roster(s) });
    const bob = membershipInputs("a-alice", { space: s, user: BOB });
    assert.deepEqual(await alice.memberships.check({}, bob), { failures: [untold(s, BOB).membership] });
  });

  it("where spaces.list is refused, says so, with Google's answer, and what would let it answer", async () => {
    const s = await spaceAliceLeft();
    await t.control.addFault({
      match: { methods: ["spaces.list"] },
      action: { kind: "error", status: 403, message: "Request had insufficient authentication scopes." },
    });
    const alice = await deployment().process({ user: "alice@example.com" });
    const membership = membershipInputs("a-alice", { space: s, user: ALICE });
    assert.deepEqual(await alice.memberships.check({}, membership), { inputs: membership });
    const expected = untold(s, ALICE).roster;
    const reason = expected.reason.replace(
      "spaces.list lists no space she is in",
      "the look for a space she is in failed (spaces.list failed: 403 PERMISSION_DENIED Request had insufficient authentication scopes.): " +
        "authorise chat.spaces.readonly for these credentials",
    );
    assert.deepEqual(await alice.rosters.check({}, roster(s)), { failures: [{ property: "mode", reason }] });
  });

  it("spaces.list lists a space she is in but her membership there can't be read: says that read failed, with Google's answer, not spaces.list", async () => {
    const s = await spaceAliceLeft();
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const other = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Other" } })).data.name!;
    await t.control.addMember(other, "alice@example.com", "ROLE_MEMBER");
    await t.control.addFault({
      match: { methods: ["spaces.members.get"], pathPrefix: `/v1/${other}/members` },
      action: { kind: "error", status: 403, message: "The caller does not have permission" },
    });
    const alice = await deployment().process({ user: "alice@example.com" });
    const membership = membershipInputs("a-alice", { space: s, user: ALICE });
    assert.deepEqual(await alice.memberships.check({}, membership), { inputs: membership });
    const mark = await logMark(t);
    const reason = untold(s, ALICE).roster.reason.replace(
      "spaces.list lists no space she is in",
      `spaces.list lists ${other}, a space she is in, but reading her membership of it failed ` +
        `(spaces.members.get ${other} failed: 403 PERMISSION_DENIED The caller does not have permission)`,
    );
    assert.deepEqual(await alice.rosters.check({}, roster(s)), { failures: [{ property: "mode", reason }] });
    assert.deepEqual(await apiCalls(t, mark), [
      `GET /v1/${s}/members/alice%40example.com 404`,
      "GET /v1/spaces 200",
      `GET /v1/${other}/members/alice%40example.com 403`,
    ]);
    // The log names that read too, and asks for no scope: spaces.list answered.
    assert.deepEqual(
      alice.logs.filter((line) => line.includes("could not be learnt")),
      [
        `ChatSpaceMembers a-roster: the calling user alice@example.com is not a member of ${s}, and its users/{id} could not be learnt from ${other}, ` +
          `a space it is in (spaces.members.get ${other} failed: 403 PERMISSION_DENIED The caller does not have permission): ` +
          "each resource reads the caller's membership of its own space instead, one more read per resource.",
      ],
    );
  });

  it("once she is in a space again, check tells: no conflict for her own id, the conflict for another member", async () => {
    const s = await spaceAliceLeft();
    await t.control.addMember(s, "alice@example.com", "ROLE_MEMBER");
    const alice = await deployment().process({ user: "alice@example.com" });
    const own = membershipInputs("a-alice", { space: s, user: ALICE });
    assert.deepEqual(await alice.memberships.check({}, own), { inputs: own });
    assert.deepEqual(await alice.rosters.check({}, roster(s)), { inputs: roster(s) });
    const bob = membershipInputs("a-bob", { space: s, user: BOB });
    const [failure] = (await alice.memberships.check({}, bob)).failures ?? [];
    assert.match(failure.reason, /^users\/110000000000000000003 would be removed by ChatSpaceMembers a-roster, an authoritative roster/);
  });
});

/**
 * The same across two provider instances of one deployment: an authoritative roster of alice's
 * provider, checked first, and a ChatMembership by `users/{id}` of the default provider, checked
 * after it. The roster's check had nothing to read; the ChatMembership's check reads alice's
 * membership of the space by her email (404), and can't learn her id from any space (the roster's
 * provider has told none): it refuses as the roster's own check would, at the preview.
 */
describe("provider: check of a ChatMembership beside another provider instance's authoritative roster whose calling user is in no space", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);

  const spaceAliceLeft = () => spaceAliceLeftIn(t);
  const roster = (s: string, mode?: "addOnly", name = "a-roster") =>
    rosterInputs(name, { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }], ...(mode ? { mode } : {}) });
  const untoldElsewhere = (s: string, member: string) => ({
    property: "user",
    reason:
      `can't tell whether ${member} is the calling user of ChatSpaceMembers a-roster, an authoritative roster of ${s} that does not declare it, ` +
      "whom it never removes, or a member it would remove: " +
      `the calling user alice@example.com of its provider (another provider instance of this deployment) is no member of ${s}, ` +
      `and that provider has told this deployment no users/{id} of hers (Google answers her membership of ${s} 404 Not Found). ` +
      `If it is her, declare her by email (user: "alice@example.com"), or add her to ${s}, then preview again. ` +
      'If it is someone else, move the member into the roster, or set mode: "addOnly" on the roster.',
  });

  it("members-check-refuses-caller-by-id-in-no-space-across-instances: the later ChatMembership's check refuses, at the preview, naming the roster", async () => {
    const s = await spaceAliceLeft();
    const preview = deployment("127.0.0.1:40001");
    const asAlice = await preview.process({ user: "alice@example.com" });
    const asAdmin = await preview.process();
    const mark = await logMark(t);
    assert.deepEqual(await asAlice.rosters.check({}, roster(s)), { inputs: roster(s) });
    const bob = membershipInputs("a-bob", { space: s, user: BOB });
    assert.deepEqual(await asAdmin.memberships.check({}, bob), { failures: [untoldElsewhere(s, BOB)] });
    // The roster's check read nothing; the ChatMembership's, the roster's caller's membership of the space by her email.
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/alice%40example.com 404`]);
  });

  it("no refusal where the roster's provider told her id, where she is a member of the space, or beside an addOnly roster", async () => {
    const s = await spaceAliceLeft();
    const bob = membershipInputs("a-bob", { space: s, user: BOB });
    // addOnly: the roster removes no one.
    const addOnly = deployment("127.0.0.1:40011");
    assert.deepEqual(await (await addOnly.process({ user: "alice@example.com" })).rosters.check({}, roster(s, "addOnly")), { inputs: roster(s, "addOnly") });
    assert.deepEqual(await (await addOnly.process()).memberships.check({}, bob), { inputs: bob });
    // Her id told by her provider (learnt from another space she is in): her own id is no conflict, another's is one.
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const other = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Other" } })).data.name!;
    await t.control.addMember(other, "alice@example.com", "ROLE_MEMBER");
    const told = deployment("127.0.0.1:40012");
    const asAlice = await told.process({ user: "alice@example.com" });
    const asAdmin = await told.process();
    const hers = membershipInputs("a-hers", { space: other, user: ALICE });
    assert.deepEqual(await asAlice.memberships.check({}, hers), { inputs: hers });
    assert.deepEqual(await asAlice.rosters.check({}, roster(other, undefined, "b-roster")), { inputs: roster(other, undefined, "b-roster") });
    const own = membershipInputs("a-own", { space: s, user: ALICE });
    assert.deepEqual(await asAlice.rosters.check({}, roster(s)), { inputs: roster(s) });
    assert.deepEqual(await asAdmin.memberships.check({}, own), { inputs: own });
    const [failure] = (await asAdmin.memberships.check({}, bob)).failures ?? [];
    assert.match(failure.reason, /^users\/110000000000000000003 would be removed by ChatSpaceMembers a-roster, an authoritative roster/);
    // She is a member of the space: her membership by email tells her id.
    await t.control.addMember(s, "alice@example.com", "ROLE_MEMBER");
    const member = deployment("127.0.0.1:40013");
    assert.deepEqual(await (await member.process({ user: "alice@example.com" })).rosters.check({}, roster(s)), { inputs: roster(s) });
    assert.deepEqual(await (await member.process()).memberships.check({}, own), { inputs: own });
  });
});
