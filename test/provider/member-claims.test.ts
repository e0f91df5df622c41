/**
 * Memberships across resources, as one provider process serves a deployment: the engine checks
 * (and diffs) every declared resource, creates and updates, and deletes what the program dropped
 * last. A member moved between resources stays; one member declared twice fails before any
 * write, naming both resources; the calling user is never removed or demoted.
 */
import assert from "node:assert/strict";
import type { ServiceAccountKey } from "../../emulator";
import { UNKNOWN } from "../../provider/core/engine-values";
import { EmailIds, namesMember } from "../../provider/members/email-ids";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs, RosterMemberArgs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, membershipProvider, oneProcess } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const ADMIN = "users/110000000000000000001";
const ALICE = "users/110000000000000000002";
const BOB = "users/110000000000000000003";

describe("provider: memberships across resources", () => {
  const t = useEmulator();
  /** A space made by admin@example.com (the caller of these providers), its one owner. */
  const space = async (displayName = "Eng") => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const { data } = await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName } });
    return data.name!;
  };
  const membersOf = async (name: string) =>
    (await t.control.state()).memberships[name.slice("spaces/".length)].map((m) => `${m.memberName} ${m.role} ${m.state}`);
  /** alice as a ChatMembership named `name`, made by an earlier deployment. */
  const aliceMembership = async (s: string, name = "alice") => {
    const { provider } = await membershipProvider(t);
    const inputs = membershipInputs(name, { space: s, user: "alice@example.com" });
    const { id, outs } = await provider.create(inputs);
    return { id, outs: outs as ChatMembershipOutputs, inputs };
  };
  const stays = (s: string, member: string, why: string) => `${member} stays in ${s}: ${why}.`;

  describe("a member moved between resources stays in the space", () => {
    it("from a ChatMembership to an addOnly roster, in one up: the roster takes her over and the membership's delete leaves her", async () => {
      const s = await space();
      const old = await aliceMembership(s);
      const { memberships, rosters, logs } = await oneProcess(t);
      const roster = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }], mode: "addOnly" });
      assert.deepEqual(await rosters.check({}, roster), { inputs: roster });
      const { outs } = await rosters.create(roster);
      const mark = await logMark(t);
      await memberships.delete(old.id, old.outs);
      assert.deepEqual(await apiCalls(t, mark), [], "the caller's id was learnt by the roster's create: no read, no DELETE");
      assert.ok(logs.includes(`ChatMembership ${ALICE} in ${s}: ${stays(s, ALICE, "the program declares it in ChatSpaceMembers eng-members")}`));
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
      // The next preview of the roster plans nothing: its state holds her, as the space does.
      const { provider: next } = await spaceMembersProvider(t);
      assert.equal((await next.diff(s, outs as ChatSpaceMembersOutputs, roster)).changes, false);
    });

    it("from a roster to ChatMemberships, in one up: the roster's delete leaves the members they declare", async () => {
      const s = await space();
      const { provider: first } = await spaceMembersProvider(t);
      const { outs: roster } = await first.create(
        rosterInputs("eng-members", {
          space: s,
          members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }, { user: "bob@example.com" }],
        }),
      );
      const { memberships, rosters, logs } = await oneProcess(t);
      for (const [name, user] of [
        ["alice", "alice@example.com"],
        ["bob", "bob@example.com"],
      ]) {
        const inputs = membershipInputs(name, { space: s, user });
        assert.deepEqual(await memberships.check({}, inputs), { inputs });
        await memberships.create(inputs);
      }
      const mark = await logMark(t);
      await rosters.delete(s, roster as ChatSpaceMembersOutputs);
      // Only the caller's membership, asked before a person leaves.
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/admin%40example.com 200`]);
      assert.deepEqual(
        logs.filter((l) => l.startsWith("ChatSpaceMembers")),
        [
          `ChatSpaceMembers ${s}: ${stays(s, ADMIN, "it is the calling user, whom this provider never removes (it would lose sight of the space and of every later change)")}`,
          `ChatSpaceMembers ${s}: ${stays(s, ALICE, "the program declares it in ChatMembership alice")}`,
          `ChatSpaceMembers ${s}: ${stays(s, BOB, "the program declares it in ChatMembership bob")}`,
        ],
      );
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`, `${BOB} ROLE_MEMBER JOINED`]);
    });

    it("after a crash between the roster's create and the membership's delete: the next up, another process, still leaves her", async () => {
      const s = await space();
      const old = await aliceMembership(s);
      const roster = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }], mode: "addOnly" });
      const crashed = await oneProcess(t);
      await crashed.rosters.check({}, roster);
      const { outs } = await crashed.rosters.create(roster);
      // The next up: the roster, in the state now, is checked and diffed; the membership, still in the state, deleted.
      const { memberships, rosters } = await oneProcess(t);
      await rosters.check(roster, roster);
      assert.equal((await rosters.diff(s, outs as ChatSpaceMembersOutputs, roster)).changes, false);
      const mark = await logMark(t);
      await memberships.delete(old.id, old.outs);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/admin%40example.com 200`], "one read: the caller's id, to know alice is not the caller");
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });

    it("a ChatMembership renamed (a new URN) takes its member over, and the old name's delete leaves her", async () => {
      const s = await space();
      const old = await aliceMembership(s, "alice");
      const { memberships, logs } = await oneProcess(t);
      const renamed = membershipInputs("alice-smith", { space: s, user: "alice@example.com" });
      await memberships.check({}, renamed);
      const { id } = await memberships.create(renamed);
      assert.equal(id, old.id, "the same membership, taken over");
      const mark = await logMark(t);
      await memberships.delete(old.id, old.outs);
      assert.ok(logs.includes(`ChatMembership ${ALICE} in ${s}: ${stays(s, ALICE, "the program declares it in ChatMembership alice-smith")}`));
      assert.deepEqual(
        (await apiCalls(t, mark)).filter((c) => c.startsWith("DELETE")),
        [],
      );
    });

    it("pulumi up --replace of a ChatMembership: the new one is created first and takes her over; the old one's delete leaves her", async () => {
      const s = await space();
      const old = await aliceMembership(s);
      const { memberships } = await oneProcess(t);
      await memberships.check(old.inputs, old.inputs);
      const mark = await logMark(t);
      await memberships.create(old.inputs);
      await memberships.delete(old.id, old.outs);
      assert.deepEqual(await apiCalls(t, mark), [
        `POST /v1/${s}/members 409`,
        `GET /v1/${s}/members/alice%40example.com 200`,
        `GET /v1/${s}/members/admin%40example.com 200`,
      ]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });

    it("a membership the program no longer declares anywhere is removed", async () => {
      const s = await space();
      const old = await aliceMembership(s);
      const { memberships, rosters } = await oneProcess(t);
      // Another member of the same space declared: not alice's.
      await rosters.check({}, rosterInputs("eng-members", { space: s, members: [{ user: "bob@example.com" }], mode: "addOnly" }));
      await memberships.delete(old.id, old.outs);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`]);
    });
  });

  describe("one member, one declaration", () => {
    it("two ChatMemberships of one member fail at check, naming both, with zero calls", async () => {
      const s = await space();
      const { memberships } = await oneProcess(t);
      const mark = await logMark(t);
      await memberships.check({}, membershipInputs("alice", { space: s, user: "alice@example.com" }));
      const { failures } = await memberships.check({}, membershipInputs("alice-again", { space: s, user: "Alice@Example.com", role: "ROLE_MANAGER" }));
      assert.deepEqual(failures, [
        {
          property: "user",
          reason:
            `users/alice@example.com is also declared by ChatMembership alice in ${s}: a member is declared once, or the two would undo each other. ` +
            "Remove one of the two declarations: the member stays in the space, held by the other.",
        },
      ]);
      assert.deepEqual(await apiCalls(t, mark), []);
    });

    it("a ChatMembership and a roster declaring one member, and an authoritative roster beside a ChatMembership, fail at check", async () => {
      const s = await space();
      const { memberships, rosters } = await oneProcess(t);
      await memberships.check({}, membershipInputs("alice", { space: s, user: "alice@example.com" }));
      const both = await rosters.check({}, rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }], mode: "addOnly" }));
      assert.deepEqual(
        both.failures?.map((f) => f.property),
        ["members[0]"],
      );
      assert.match(both.failures![0].reason, /^users\/alice@example\.com is also declared by ChatMembership alice in spaces\//);
      const authoritative = await rosters.check({}, rosterInputs("eng-members", { space: s, members: [{ user: "bob@example.com" }] }));
      assert.deepEqual(authoritative.failures, [
        {
          property: "mode",
          reason:
            `authoritative (the default) would remove users/alice@example.com, which ChatMembership alice declares in ${s}. ` +
            'Move the member into the roster (and remove the ChatMembership: the member stays), or set mode: "addOnly" on the roster.',
        },
      ]);
    });

    it("two rosters of one space fail at check", async () => {
      const s = await space();
      const { rosters } = await oneProcess(t);
      await rosters.check({}, rosterInputs("eng-members", { space: s, members: [] }));
      const { failures } = await rosters.check({}, rosterInputs("more-members", { space: s, members: [], mode: "addOnly" }));
      assert.deepEqual(failures, [
        {
          property: "space",
          reason: `${s} is also the space of ChatSpaceMembers eng-members: two rosters of one space would undo each other. Declare one ChatSpaceMembers per space.`,
        },
      ]);
    });

    it("the same person by email and by users/{id} in two ChatMemberships fails once the state names her id, before any write", async () => {
      const s = await space();
      const old = await aliceMembership(s);
      const { memberships } = await oneProcess(t);
      const byId = membershipInputs("alice-by-id", { space: s, user: ALICE, role: "ROLE_MANAGER" });
      await memberships.check(old.inputs, old.inputs);
      assert.equal((await memberships.diff(old.id, old.outs, old.inputs)).changes, false);
      const mark = await logMark(t);
      const { failures } = await memberships.check({}, byId);
      assert.deepEqual(failures, [
        {
          property: "user",
          reason:
            `${ALICE.toLowerCase()} (users/alice@example.com) is also declared by ChatMembership alice in ${s}: a member is declared once, or the two would undo each other. ` +
            "Remove one of the two declarations: the member stays in the space, held by the other.",
        },
      ]);
      assert.deepEqual(await apiCalls(t, mark), []);
    });

    it("the same person by email and by users/{id}, both new: the second create stops before its write", async () => {
      const s = await space();
      const { memberships } = await oneProcess(t);
      const byEmail = membershipInputs("alice", { space: s, user: "alice@example.com" });
      const byId = membershipInputs("alice-by-id", { space: s, user: ALICE, role: "ROLE_MANAGER" });
      await memberships.check({}, byEmail);
      await memberships.check({}, byId);
      const mark = await logMark(t);
      // The first: her email is read before the write (an id is declared beside it): not a member yet; added, then known.
      await assert.rejects(
        memberships.create(byEmail),
        /^Error: ChatMembership alice: user users\/alice@example\.com \(users\/110000000000000000002\) is also declared by ChatMembership alice-by-id/,
      );
      await assert.rejects(
        memberships.create(byId),
        /^Error: ChatMembership alice-by-id: user users\/110000000000000000002 \(users\/alice@example\.com\) is also declared by ChatMembership alice/,
      );
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/alice%40example.com 404`, `POST /v1/${s}/members 200`]);
    });

    it("the calling app declared beside members by email is nobody's id: their creates read no email first", async () => {
      const s = await space();
      const { memberships } = await oneProcess(t);
      const app = membershipInputs("app", { space: s, chatApp: true });
      const alice = membershipInputs("alice", { space: s, user: "alice@example.com" });
      await memberships.check({}, app);
      await memberships.check({}, alice);
      const mark = await logMark(t);
      await memberships.create(alice);
      assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 200`]);
    });

    it("ChatMemberships by email beside one by users/{id}: each email is read once before the first write, not again at each create", async () => {
      const carol = { id: "110000000000000000004", email: "carol@example.com", admin: false };
      const { users } = await t.control.setSettings({});
      await t.control.setSettings({ users: [...users, carol] });
      const s = await space();
      const { memberships } = await oneProcess(t);
      const all = [
        membershipInputs("carol", { space: s, user: `users/${carol.id}` }),
        membershipInputs("alice", { space: s, user: "alice@example.com" }),
        membershipInputs("bob", { space: s, user: "bob@example.com" }),
      ];
      for (const inputs of all) await memberships.check({}, inputs);
      const mark = await logMark(t);
      for (const inputs of all) await memberships.create(inputs);
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${s}/members/alice%40example.com 404`,
        `GET /v1/${s}/members/bob%40example.com 404`,
        `POST /v1/${s}/members 200`,
        // carol, declared by id, may be the caller: asked once per process (the caller's membership), and recorded.
        `GET /v1/${s}/members/admin%40example.com 200`,
        `POST /v1/${s}/members 200`,
        `POST /v1/${s}/members 200`,
      ]);
    });

    it("one person twice in a roster, by email and by id with two roles, is refused at preview once the state names her id", async () => {
      const s = await space();
      const { provider: first } = await spaceMembersProvider(t);
      const declared = rosterInputs("eng-members", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] });
      const { outs } = await first.create(declared);
      const { rosters } = await oneProcess(t);
      const twice = rosterInputs("eng-members", { space: s, members: [...declared.members!, { user: ALICE, role: "ROLE_MANAGER" }] });
      assert.deepEqual(await rosters.check(declared, twice), { inputs: twice }, "two spellings: only Google tells they are one person");
      const mark = await logMark(t);
      await assert.rejects(rosters.diff(s, outs as ChatSpaceMembersOutputs, twice), {
        message: `ChatSpaceMembers eng-members: members[2] ${ALICE.toLowerCase()} (users/alice@example.com) is already declared as members[1]: declare each member once, with one role; remove one of the two entries.`,
      });
      assert.deepEqual(await apiCalls(t, mark), []);
    });

    it("one person twice in a new roster: a member already there is read by her email before any write; a new one stops after her add", async () => {
      const s = await space();
      const twice = (space: string) => rosterInputs("eng-members", { space, members: [{ user: "alice@example.com" }, { user: ALICE, role: "ROLE_MANAGER" }] });
      const admin = t.asDelegatedUser("admin@example.com", ["chat.memberships"]);
      await admin.spaces.members.create({ parent: s, requestBody: { member: { name: "users/alice@example.com", type: "HUMAN" } } });
      const already = await oneProcess(t);
      await already.rosters.check({}, twice(s));
      const mark = await logMark(t);
      await assert.rejects(
        already.rosters.create(twice(s)),
        /members\[1\] users\/110000000000000000002 \(users\/alice@example\.com\) is already declared as members\[0\]/,
      );
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/alice%40example.com 200`]);

      const fresh = await space("Eng 2");
      const later = await oneProcess(t);
      await later.rosters.check({}, twice(fresh));
      const since = await logMark(t);
      const error = await later.rosters.create(twice(fresh)).catch((e) => e);
      assert.match(error.message, /members\[1\] users\/110000000000000000002 \(users\/alice@example\.com\) is already declared as members\[0\]/);
      assert.deepEqual(await apiCalls(t, since), [
        `GET /v1/${fresh}/members/alice%40example.com 404`,
        `GET /v1/${fresh}/members 200`,
        `GET /v1/${fresh}/members/admin%40example.com 200`,
        `POST /v1/${fresh}/members 200`,
      ]);
      assert.deepEqual(await membersOf(fresh), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`], "no role flip: the PATCH never went");
    });
  });

  describe("the calling user", () => {
    it("a roster deleted after googlechat:impersonateUser changed keeps the new caller, and removes the others it declared", async () => {
      const s = await space();
      const { provider: asAdmin } = await spaceMembersProvider(t);
      const { outs } = await asAdmin.create(
        rosterInputs("eng-members", {
          space: s,
          members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "bob@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }],
        }),
      );
      const asBob = await oneProcess(t, { user: "bob@example.com" });
      const mark = await logMark(t);
      await asBob.rosters.delete(s, outs as ChatSpaceMembersOutputs);
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${s}/members/bob%40example.com 200`,
        `GET /v1/${s}/members 200`,
        `DELETE /v1/${s}/members/110000000000000000001 200`,
        `DELETE /v1/${s}/members/110000000000000000002 200`,
      ]);
      assert.deepEqual(await membersOf(s), [`${BOB} ROLE_MANAGER JOINED`]);
      assert.ok(
        asBob.logs.includes(
          `ChatSpaceMembers ${s}: ${stays(s, BOB, "it is the calling user, whom this provider never removes (it would lose sight of the space and of every later change)")}`,
        ),
      );
    });

    it("a removal's 404 from a caller who no longer sees the space is not counted as done", async () => {
      const s = await space();
      const { provider: asAdmin } = await spaceMembersProvider(t);
      const { outs } = await asAdmin.create(rosterInputs("eng-members", { space: s, members: [{ group: "groups/devs" }], mode: "addOnly" }));
      // bob is not a member: he does not see the space, and a DELETE answers him 404. (A group's removal: a
      // person's would read the space's owners first, and stop there.)
      const asBob = await oneProcess(t, { user: "bob@example.com" });
      const error = await asBob.rosters.delete(s, outs as ChatSpaceMembersOutputs).catch((e) => e);
      assert.equal(
        error.message,
        `ChatSpaceMembers ${s}: Google answers 404 Not Found for groups/devs's membership of ${s}, and these credentials no longer see the space (the caller was removed from it, or googlechat:impersonateUser names another user): ` +
          "the removal can't be confirmed, so it is not counted as done. Restore the caller's access to the space, then pulumi up again.",
      );
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, "groups/devs MEMBERSHIP_ROLE_UNSPECIFIED JOINED"]);
    });

    it("a ChatMembership declaring the caller at the default role takes its owner membership over without demoting it; the next preview plans nothing", async () => {
      const s = await space();
      const { memberships, logs } = await oneProcess(t);
      const inputs = membershipInputs("admin", { space: s, user: "admin@example.com" });
      const mark = await logMark(t);
      const { outs } = await memberships.create(inputs);
      assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 409`, `GET /v1/${s}/members/admin%40example.com 200`]);
      assert.equal(outs!.role, "ROLE_MANAGER");
      assert.equal(outs!.__caller, "admin@example.com");
      const kept =
        `ChatMembership admin: = ${ADMIN}: role ROLE_MANAGER kept, not ROLE_MEMBER: it is the calling user, which is never demoted without googlechat:useAdminAccess ` +
        "(it could no longer manage the members: every later change would fail)";
      assert.ok(logs.includes(kept));
      const { provider: next, logs: previewLogs } = await membershipProvider(t);
      assert.deepEqual(await next.diff(outs!.name, outs as ChatMembershipOutputs, inputs), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
        detailedDiff: {},
      });
      assert.deepEqual(previewLogs, [kept]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`]);
    });

    it("the caller's ChatMembership declared by users/{id}: its create asks who the caller is and records it, so the preview of a lower role plans nothing, as the up does, once Google confirms the record (its email may name another person now)", async () => {
      const s = await space();
      const { provider: first } = await membershipProvider(t);
      let mark = await logMark(t);
      const { id, outs } = await first.create(membershipInputs("admin", { space: s, user: ADMIN, role: "ROLE_MANAGER" }));
      assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 409`, `GET /v1/${id} 200`, `GET /v1/${s}/members/admin%40example.com 200`]);
      assert.equal(outs!.__caller, "admin@example.com");
      const { provider, logs } = await membershipProvider(t);
      const news = membershipInputs("admin", { space: s, user: ADMIN });
      mark = await logMark(t);
      assert.deepEqual(await provider.diff(id, outs as ChatMembershipOutputs, news), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
        detailedDiff: {},
      });
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/admin%40example.com 200`]);
      assert.ok(
        logs.some((l) => l.includes(`= ${ADMIN}: role ROLE_MANAGER kept, not ROLE_MEMBER: it is the calling user`)),
        logs.join("\n"),
      );
      // Another person declared by id is asked about with no further read: the process knows the caller's id.
      mark = await logMark(t);
      const { outs: bob } = await first.create(membershipInputs("bob", { space: s, user: BOB, role: "ROLE_MANAGER" }));
      assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 200`, `PATCH /v1/${bob!.name} role 200`]);
      assert.equal(bob!.__caller, undefined);
      assert.equal((await provider.diff(bob!.name, bob as ChatMembershipOutputs, membershipInputs("bob", { space: s, user: BOB }))).changes, true);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MANAGER JOINED`]);
    });

    it("a ChatMembership of the calling user beside an authoritative roster that does not declare it passes check with zero calls, and the up keeps the caller: the roster never removes it", async () => {
      const s = await space();
      const { memberships, rosters } = await oneProcess(t);
      const admin = membershipInputs("admin", { space: s, user: "Admin@example.com", role: "ROLE_MANAGER" });
      const roster = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }] });
      const mark = await logMark(t);
      assert.deepEqual(await memberships.check({}, admin), { inputs: admin });
      assert.deepEqual(await rosters.check({}, roster), { inputs: roster });
      assert.deepEqual(await apiCalls(t, mark), []);
      await memberships.create(admin);
      const { outs } = await rosters.create(roster);
      // The roster's next preview keeps the caller, and removes no one.
      const diff = await rosters.diff(s, outs as ChatSpaceMembersOutputs, roster);
      assert.equal(diff.changes, false);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });

    it("a ChatMembership by users/{id} beside an authoritative roster: check asks whether it is the caller (its membership's id, once): the caller's passes, another person's is refused at check, naming both", async () => {
      const s = await space();
      const { memberships, rosters } = await oneProcess(t);
      const roster = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }] });
      const admin = membershipInputs("admin", { space: s, user: ADMIN, role: "ROLE_MANAGER" });
      const bob = membershipInputs("bob", { space: s, user: BOB });
      let mark = await logMark(t);
      assert.deepEqual(await rosters.check({}, roster), { inputs: roster });
      assert.deepEqual(await memberships.check({}, admin), { inputs: admin });
      // The roster, registered first, may run its update before a later ChatMembership's first write.
      assert.deepEqual(await memberships.check({}, bob), {
        failures: [
          {
            property: "user",
            reason:
              `${BOB.toLowerCase()} would be removed by ChatSpaceMembers eng-members, an authoritative roster of ${s} that does not declare it. ` +
              'Move the member into the roster (and remove the ChatMembership: the member stays), or set mode: "addOnly" on the roster.',
          },
        ],
      });
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/admin%40example.com 200`]);
      mark = await logMark(t);
      await memberships.create(admin);
      // alice's email is read as any email beside a users/{id} (one person?); the caller's id is known.
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${s}/members/alice%40example.com 404`,
        `POST /v1/${s}/members 409`,
        `GET /v1/${s}/members/110000000000000000001 200`,
      ]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`]);
    });

    it("a user's own credentials: check asks tokeninfo whether the ChatMembership beside an authoritative roster is the caller's; without the email scope it stops there, naming the scope", async () => {
      const s = await space();
      const ownCredentials = async () => {
        const key = await t.control.authorizedUser("admin@example.com", ["https://www.googleapis.com/auth/chat.memberships"]);
        return oneProcess(t, { app: true, key: key as unknown as ServiceAccountKey });
      };
      const roster = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }] });
      const admin = membershipInputs("admin", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" });
      await t.control.setSettings({ usersWithoutEmailScope: ["admin@example.com"] });
      const withoutEmail = await ownCredentials();
      assert.deepEqual(await withoutEmail.rosters.check({}, roster), { inputs: roster });
      const mark = await logMark(t);
      await assert.rejects(withoutEmail.memberships.check({}, admin), {
        message: /^ChatMembership admin: The calling user can't be told: .*https:\/\/www\.googleapis\.com\/auth\/userinfo\.email/,
      });
      assert.deepEqual(await apiCalls(t, mark), []);
      await t.control.setSettings({ usersWithoutEmailScope: [] });
      const withEmail = await ownCredentials();
      assert.deepEqual(await withEmail.rosters.check({}, roster), { inputs: roster });
      assert.deepEqual(await withEmail.memberships.check({}, admin), { inputs: admin });
      await withEmail.memberships.create(admin);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`]);
    });

    it("with admin access, the caller declared lower is demoted as declared, by the update its next preview announces (the create takes it over at its role)", async () => {
      const s = await space();
      const admin = t.asDelegatedUser("admin@example.com", ["chat.memberships"]);
      await admin.spaces.members.create({ parent: s, requestBody: { member: { name: "users/bob@example.com", type: "HUMAN" } } });
      await t.control.setRole(s, "bob@example.com", "ROLE_MANAGER");
      const { memberships } = await oneProcess(t, { useAdminAccess: true });
      const inputs = membershipInputs("admin", { space: s, user: "admin@example.com" });
      const { id, outs } = await memberships.create(inputs);
      assert.equal(outs!.role, "ROLE_MANAGER");
      const next = await oneProcess(t, { useAdminAccess: true });
      assert.deepEqual(await next.memberships.diff(id, outs as ChatMembershipOutputs, inputs), {
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
        detailedDiff: { role: "update" },
      });
      const { outs: after } = await next.memberships.update(id, outs as ChatMembershipOutputs, inputs);
      assert.equal(after!.role, "ROLE_MEMBER");
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MEMBER JOINED`, `${BOB} ROLE_MANAGER JOINED`]);
    });

    it("a ChatMembership of the caller dropped from the program leaves the caller in the space, once Google tells the member her email names", async () => {
      const s = await space();
      const { provider } = await membershipProvider(t);
      const { id, outs } = await provider.create(membershipInputs("admin", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" }));
      const { memberships, logs } = await oneProcess(t);
      const mark = await logMark(t);
      await memberships.delete(id, outs as ChatMembershipOutputs);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/admin%40example.com 200`]);
      assert.deepEqual(logs, [
        `ChatMembership ${ADMIN} in ${s}: ${stays(s, ADMIN, "it is the calling user, whom this provider never removes (it would lose sight of the space and of every later change)")}`,
      ]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`]);
    });
  });

  describe("a roster with entries unknown at preview (another resource's output)", () => {
    const owner = { user: "admin@example.com", role: "ROLE_MANAGER" as const };
    const unknownEntry = UNKNOWN as unknown as RosterMemberArgs;
    const fix = 'Move the member into the roster (and remove the ChatMembership: the member stays), or set mode: "addOnly" on the roster.';
    /** The earlier up (its own process): an authoritative roster of admin, alice and bob. */
    const earlierRoster = async (s: string) => {
      const { rosters } = await oneProcess(t);
      const old = rosterInputs("eng-members", { space: s, members: [owner, { user: "alice@example.com" }, { user: "bob@example.com" }] });
      await rosters.check({}, old);
      const { outs } = await rosters.create(old);
      return { old, outs: outs as ChatSpaceMembersOutputs };
    };
    const everyone = [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`, `${BOB} ROLE_MEMBER JOINED`];

    it("bob moved from an authoritative roster to a ChatMembership while another entry of the roster is unknown: the preview refuses the ChatMembership, naming the roster, with zero calls", async () => {
      const s = await space();
      const { old, outs } = await earlierRoster(s);
      // The preview: the roster is [admin, an entry from another resource's output]; bob is a ChatMembership after it.
      const { memberships, rosters, logs } = await oneProcess(t);
      const mark = await logMark(t);
      const atPreview = rosterInputs("eng-members", { space: s, members: [owner, unknownEntry] });
      assert.deepEqual(await rosters.check(old, atPreview), { inputs: atPreview });
      await rosters.diff(s, outs, atPreview);
      const bob = membershipInputs("bob", { space: s, user: "bob@example.com" });
      // Whatever members[1] turns out to be, the roster removes bob, or declares him a second time.
      assert.deepEqual((await memberships.check({}, bob)).failures, [
        {
          property: "user",
          reason:
            `users/bob@example.com would be removed by ChatSpaceMembers eng-members, an authoritative roster of ${s} that does not declare it in its known entries ` +
            `(members[1] is unknown until apply: if it is that member, it is declared twice). ${fix}`,
        },
      ]);
      assert.deepEqual(logs, [
        `ChatSpaceMembers eng-members: - ${ALICE} (ROLE_MEMBER): not declared, removed unless it is a member known only at up`,
        `ChatSpaceMembers eng-members: - ${BOB} (ROLE_MEMBER): not declared, removed unless it is a member known only at up`,
      ]);
      assert.deepEqual(await apiCalls(t, mark), []);
      assert.deepEqual(await membersOf(s), everyone);
    });

    it("the ChatMembership checked first: the roster with two entries unknown is refused at preview, naming it, with zero calls", async () => {
      const s = await space();
      const { old } = await earlierRoster(s);
      const { memberships, rosters } = await oneProcess(t);
      const mark = await logMark(t);
      const bob = membershipInputs("bob", { space: s, user: "bob@example.com" });
      assert.deepEqual(await memberships.check({}, bob), { inputs: bob });
      const atPreview = rosterInputs("eng-members", { space: s, members: [owner, unknownEntry, { user: UNKNOWN, role: "ROLE_ASSISTANT_MANAGER" }] });
      assert.deepEqual((await rosters.check(old, atPreview)).failures, [
        {
          property: "mode",
          reason:
            `authoritative (the default) would remove users/bob@example.com, which ChatMembership bob declares in ${s} ` +
            `(members[1], members[2] are unknown until apply: if one of them is that member, it is declared twice). ${fix}`,
        },
      ]);
      assert.deepEqual(await apiCalls(t, mark), []);
    });

    it("a ChatMembership of a member among the roster's known entries (her role unknown) is declared twice, with zero calls", async () => {
      const s = await space();
      const { old } = await earlierRoster(s);
      const { memberships, rosters } = await oneProcess(t);
      const mark = await logMark(t);
      const atPreview = rosterInputs("eng-members", {
        space: s,
        members: [owner, unknownEntry, { user: "bob@example.com", role: UNKNOWN as "ROLE_MEMBER" }],
        mode: "addOnly",
      });
      assert.deepEqual(await rosters.check(old, atPreview), { inputs: atPreview });
      const bob = membershipInputs("bob", { space: s, user: "bob@example.com" });
      assert.deepEqual((await memberships.check({}, bob)).failures, [
        {
          property: "user",
          reason:
            `users/bob@example.com is also declared by ChatSpaceMembers eng-members in ${s}: a member is declared once, or the two would undo each other. ` +
            "Remove one of the two declarations: the member stays in the space, held by the other.",
        },
      ]);
      assert.deepEqual(await apiCalls(t, mark), []);
    });

    it("what stays valid: an addOnly roster with an entry unknown beside a ChatMembership of a member it drops, and the caller's ChatMembership beside an authoritative one, pass the preview with zero calls; the addOnly update removes nobody", async () => {
      const s = await space();
      const { old, outs } = await earlierRoster(s);
      const bob = membershipInputs("bob", { space: s, user: "bob@example.com" });
      const admin = membershipInputs("admin", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" });
      const mark = await logMark(t);
      const authoritative = await oneProcess(t);
      const withoutCaller = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }, unknownEntry] });
      assert.deepEqual(await authoritative.rosters.check(old, withoutCaller), { inputs: withoutCaller });
      assert.deepEqual(await authoritative.memberships.check({}, admin), { inputs: admin });
      const preview = await oneProcess(t);
      const addOnly = rosterInputs("eng-members", { space: s, members: [owner, unknownEntry], mode: "addOnly" });
      assert.deepEqual(await preview.rosters.check(old, addOnly), { inputs: addOnly });
      await preview.rosters.diff(s, outs, addOnly);
      assert.deepEqual(await preview.memberships.check({}, bob), { inputs: bob });
      assert.deepEqual(preview.logs, []);
      assert.deepEqual(await apiCalls(t, mark), []);
      // The update (its own process): the entry is alice; the roster registered first is updated before bob's ChatMembership.
      const up = await oneProcess(t);
      const atUp = rosterInputs("eng-members", { space: s, members: [owner, { user: "alice@example.com" }], mode: "addOnly" });
      assert.deepEqual(await up.rosters.check(old, atUp), { inputs: atUp });
      await up.rosters.diff(s, outs, atUp);
      await up.rosters.update(s, outs, atUp);
      assert.deepEqual(await up.memberships.check({}, bob), { inputs: bob });
      assert.deepEqual(
        (await apiCalls(t, mark)).filter((c) => c.startsWith("DELETE")),
        [],
      );
      assert.deepEqual(await membersOf(s), everyone);
    });
  });

  describe("a declaration checked while an authoritative roster's update runs (pulumi up --skip-preview, or a resource declared after the roster)", () => {
    const declared = [{ user: "admin@example.com", role: "ROLE_MANAGER" as const }, { user: "alice@example.com" }, { user: "bob@example.com" }];
    /** Resolves once the one fault added is used up: the emulator holds back that call's answer, and the update waits for it. */
    const heldBack = async () => {
      const faults = async () => ((await (await fetch(`${t.emulator.url}/emulator/v1/faults`)).json()) as { faults: unknown[] }).faults;
      while ((await faults()).length > 0) await new Promise((done) => setTimeout(done, 5));
    };

    it("a ChatMembership of a member the roster drops, checked while the update reads the owners before removing her: no DELETE; she stays in the space and in the roster's state, and the update fails naming both", async () => {
      const s = await space();
      const { memberships, rosters } = await oneProcess(t);
      const old = rosterInputs("eng-members", { space: s, members: declared });
      assert.deepEqual(await rosters.check({}, old), { inputs: old });
      const { outs } = await rosters.create(old);
      // The program drops bob from the roster, and declares him in a ChatMembership after it.
      const news = rosterInputs("eng-members", { space: s, members: declared.slice(0, 2) });
      assert.deepEqual(await rosters.check(old, news), { inputs: news });
      assert.deepEqual((await rosters.diff(s, outs as ChatSpaceMembersOutputs, news)).detailedDiff, { [`members["${BOB}"]`]: "delete" });
      await t.control.addFault({ match: { methods: ["spaces.members.list"] }, action: { kind: "holdAfterCommit" }, count: 1 });
      const mark = await logMark(t);
      const update = rosters.update(s, outs as ChatSpaceMembersOutputs, news).catch((e: unknown) => e);
      await heldBack();
      // The engine goes on with the program while the roster's update runs: the ChatMembership's check comes now.
      const bob = membershipInputs("bob", { space: s, user: "bob@example.com" });
      const fix = 'Move the member into the roster (and remove the ChatMembership: the member stays), or set mode: "addOnly" on the roster.';
      assert.deepEqual((await memberships.check({}, bob)).failures, [
        {
          property: "user",
          reason: `users/bob@example.com would be removed by ChatSpaceMembers eng-members, an authoritative roster of ${s} that does not declare it. ${fix}`,
        },
      ]);
      await t.control.clearFaults();
      const failed: any = await update;
      assert.equal(
        failed.message,
        `ChatSpaceMembers eng-members: stopped before removing ${BOB} from ${s}: another resource of this deployment declares it, so it stays, and the roster's state keeps it. ` +
          `mode authoritative (the default) would remove users/bob@example.com, which ChatMembership bob declares in ${s}. ${fix}`,
      );
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`], "the owners read, no DELETE");
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`, `${BOB} ROLE_MEMBER JOINED`]);
      const state = failed.properties as ChatSpaceMembersOutputs;
      assert.deepEqual(
        state.members.map((m) => m.member),
        [ADMIN, ALICE, BOB],
      );
      assert.equal(state.__declared?.["users/bob@example.com"], BOB);
      // The roster's diff from that state (a later preview, another process) announces the removal again.
      const { provider: later } = await spaceMembersProvider(t);
      assert.deepEqual((await later.diff(s, state, news)).detailedDiff, { [`members["${BOB}"]`]: "delete" });
    });
  });

  describe("what a claim does not keep", () => {
    it("a roster renamed to an addOnly roster that no longer declares alice: the old roster's delete removes her (no declaration holds her)", async () => {
      const s = await space();
      const { provider: first } = await spaceMembersProvider(t);
      const { outs: old } = await first.create(
        rosterInputs("eng-members", {
          space: s,
          members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }, { user: "bob@example.com" }],
        }),
      );
      // One up: the renamed roster (a new URN) declares admin and bob only, addOnly; the old one is dropped.
      const { rosters, logs } = await oneProcess(t);
      const renamed = rosterInputs("eng-roster", {
        space: s,
        members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "bob@example.com" }],
        mode: "addOnly",
      });
      assert.deepEqual(await rosters.check({}, renamed), { inputs: renamed });
      await rosters.create(renamed);
      await rosters.delete(s, old as ChatSpaceMembersOutputs);
      // An addOnly roster never removes a member it does not declare, so nothing ever will: she must go now.
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MEMBER JOINED`], logs.join("\n"));
    });

    it("an addOnly roster already in the state, diffed beside a dropped roster: alice, listed by it but not declared, is removed by the dropped roster's delete", async () => {
      const s = await space();
      const { provider: first } = await spaceMembersProvider(t);
      const { outs: old } = await first.create(
        rosterInputs("eng-members", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] }),
      );
      // A second roster of the space, addOnly, made earlier: its state lists alice (added by the first), undeclared.
      const { outs: other } = await first.create(
        rosterInputs("eng-roster", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }], mode: "addOnly" }),
      );
      const { rosters, logs } = await oneProcess(t);
      const kept = rosterInputs("eng-roster", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }], mode: "addOnly" });
      await rosters.check(kept, kept);
      assert.equal((await rosters.diff(s, other as ChatSpaceMembersOutputs, kept)).changes, false);
      await rosters.delete(s, old as ChatSpaceMembersOutputs);
      // An addOnly roster decides on no member it does not declare: the dropped roster's delete does.
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`], logs.join("\n"));
    });

    it("claims are per space: alice declared in two spaces is no conflict, and her membership of the space the program dropped is removed", async () => {
      const a = await space("A");
      const b = await space("B");
      const earlier = await aliceMembership(b);
      const { memberships } = await oneProcess(t);
      const inA = membershipInputs("alice-a", { space: a, user: "alice@example.com" });
      assert.deepEqual(await memberships.check({}, inA), { inputs: inA });
      await memberships.create(inA);
      await memberships.delete(earlier.id, earlier.outs);
      assert.deepEqual(await membersOf(a), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
      assert.deepEqual(await membersOf(b), [`${ADMIN} ROLE_MANAGER JOINED`]);
    });

    it("a user's own credentials without the email scope: a ChatMembership create that needs no caller is not failed after its write", async () => {
      const s = await space();
      const key = await t.control.authorizedUser("admin@example.com", ["https://www.googleapis.com/auth/chat.memberships"]);
      await t.control.setSettings({ usersWithoutEmailScope: ["admin@example.com"] });
      const { provider } = await membershipProvider(t, { app: true, key: key as unknown as ServiceAccountKey });
      const mark = await logMark(t);
      const result = await provider.create(membershipInputs("bob", { space: s, user: "bob@example.com" })).catch((e: Error) => e);
      const calls = await apiCalls(t, mark);
      // Either the create needs the caller (then it says so before any write), or it does not (then it succeeds).
      if (result instanceof Error) {
        assert.match(result.message, /userinfo\.email/);
        assert.deepEqual(calls, [], `failed after writing: ${calls.join(", ")}: ${result.message}`);
      } else {
        assert.equal((result.outs as ChatMembershipOutputs).member, BOB);
      }
    });

    it("a historical ChatMembership replaced for other times: the diff deletes first, and the delete removes it although its new declaration is checked", async () => {
      const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
      const { data } = await importer.spaces.create({
        requestBody: { spaceType: "SPACE", displayName: "Old", importMode: true, createTime: "2019-01-01T00:00:00Z" },
      });
      const s = data.name!;
      const declared = { space: s, user: "alice@example.com", createTime: "2019-02-01T00:00:00Z", deleteTime: "2020-01-01T00:00:00Z" };
      const { provider } = await membershipProvider(t);
      const { id, outs } = await provider.create(membershipInputs("alice", declared));
      const { memberships } = await oneProcess(t);
      const next = membershipInputs("alice", { ...declared, createTime: "2019-03-01T00:00:00Z" });
      await memberships.check(membershipInputs("alice", declared), next);
      assert.deepEqual(await memberships.diff(id, outs as ChatMembershipOutputs, next), {
        changes: true,
        replaces: ["createTime"],
        deleteBeforeReplace: true,
        detailedDiff: { createTime: "update" },
      });
      const mark = await logMark(t);
      await memberships.delete(id, outs as ChatMembershipOutputs);
      assert.deepEqual(
        (await apiCalls(t, mark)).filter((c) => c.startsWith("DELETE")),
        [`DELETE /v1/${id} 200`],
      );
    });

    it("a historical ChatMembership made again with new times by a replacement that creates first, crashed before its old half's delete: the next up's pending delete, in another process, reads it and keeps it", async () => {
      const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
      const { data } = await importer.spaces.create({
        requestBody: { spaceType: "SPACE", displayName: "Old", importMode: true, createTime: "2019-01-01T00:00:00Z" },
      });
      const s = data.name!;
      const declared = { space: s, user: ALICE, createTime: "2019-02-01T00:00:00Z" };
      const { provider } = await membershipProvider(t);
      const { id, outs } = await provider.create(membershipInputs("alice", declared));
      // Her email where her users/{id} was, with another createTime: the diff plans a replacement that creates first.
      const next = membershipInputs("alice", { ...declared, user: "alice@example.com", createTime: "2019-03-01T00:00:00Z" });
      await provider.check(membershipInputs("alice", declared), next);
      assert.equal((await provider.diff(id, outs!, next)).deleteBeforeReplace, false);
      await provider.create(next);
      // The next up: a new process checks the declaration, then runs the pending delete of the old half.
      const { memberships, logs } = await oneProcess(t);
      await memberships.check({} as never, next);
      const mark = await logMark(t);
      await memberships.delete(id, outs as ChatMembershipOutputs);
      // Whom the declared email names (its member's id), the membership (its live times), then the caller's id (the
      // importer is no member of the space), each read once per process.
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${s}/members/alice%40example.com 200`,
        `GET /v1/${id} 200`,
        `GET /v1/${s}/members/admin%40example.com 404`,
        "GET /v1/spaces 200",
      ]);
      assert.deepEqual(logs, [`ChatMembership ${outs!.member} in ${s}: ${outs!.member} stays in ${s}: the program declares it in ChatMembership alice.`]);
      const alice = (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => `${m.memberName} ${m.createTime}`);
      assert.deepEqual(alice, [`${outs!.member} 2019-03-01T00:00:00.000Z`]);
    });

    it("a removal's 404 whose confirmation (spaces.get) is refused says the removal was not counted as done, and what to do", async () => {
      const s = await space();
      const { provider } = await membershipProvider(t);
      const { id, outs } = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com" }));
      await t.control.addFault({
        match: { methods: ["spaces.members.delete"] },
        action: { kind: "error", status: 404, message: "Requested entity was not found." },
        count: 1,
      });
      await t.control.addFault({
        match: { methods: ["spaces.get"] },
        action: { kind: "error", status: 403, message: "The caller does not have permission" },
        count: 1,
      });
      const { memberships } = await oneProcess(t);
      const error: Error = await memberships.delete(id, outs as ChatMembershipOutputs).then(
        () => assert.fail("counted as done"),
        (e: Error) => e,
      );
      const [said, advice] = error.message.split(" With user authentication");
      assert.equal(
        said,
        `ChatMembership ${ALICE} in ${s}: Google answered 404 Not Found for the membership of ${ALICE}, and reading ${s} to confirm it is gone failed, so its removal is not counted as done: it stays in the stack. ` +
          `spaces.get of ${s} failed (403 PERMISSION_DENIED: The caller does not have permission).`,
      );
      assert.match(advice, /The call asked for the scope https:\/\/www\.googleapis\.com\/auth\/chat\.spaces\.readonly\.$/);
    });
  });
});

/**
 * The rule both the provider's claims (`holders`, before a delete) and the plan summary
 * (commands/plan/claims.ts, which has no Google to ask) use to tell whether a declared key names
 * a membership: the plan summary says a member stays only where this answers true.
 */
describe("namesMember: whether a declared key names a membership", () => {
  const learned = { "users/alice@example.com": ALICE, "users/app": "users/999" };
  const cases: [string, string, string, readonly string[], boolean | undefined][] = [
    ["the key the membership's own resource declared it by", "users/alice@example.com", ALICE, ["users/alice@example.com"], true],
    ["an email whose id is learnt, for that id: no read needed", "users/alice@example.com", ALICE, [ALICE], true],
    ["an email whose id is learnt, for another member", "users/alice@example.com", BOB, [BOB], false],
    [
      "an email whose id is learnt as another member's, for the member its own resource declared by it (the address given to another person since)",
      "users/alice@example.com",
      BOB,
      ["users/alice@example.com"],
      false,
    ],
    ["the calling app, once its id is learnt", "users/app", "users/999", [], true],
    ["the calling app of another project, for this project's app", "users/app (project other)", "users/999", ["users/app (project mine)"], false],
    ["the calling app of this project, for this project's app", "users/app (project mine)", "users/999", ["users/app (project mine)"], true],
    ["the calling app of credentials naming no project: it may be any app", "users/app", "users/999", ["users/app (project mine)"], true],
    ["an email not learnt: only Google can tell", "users/carol@example.com", BOB, [BOB], undefined],
    ["a users/{id}, by itself", BOB, BOB, [], true],
    ["a group, by itself", "groups/devs", "groups/other", [], false],
  ];
  for (const [what, key, member, spellings, expected] of cases) {
    it(`${what}: ${expected}`, () => {
      assert.equal(namesMember(key, member, spellings, learned), expected);
    });
  }
});

describe("EmailIds: which users/{id} each email names, as Google answered or states record it", () => {
  const ADDRESS = "users/alice@example.com";
  it("Google's answer wins over a state's record, told before or after it", () => {
    for (const order of [
      ["record", "answer"],
      ["answer", "record"],
    ]) {
      const emails = new EmailIds();
      for (const told of order) emails.take(ADDRESS, told === "answer" ? ALICE : BOB, told === "record" ? "recorded" : "answered");
      assert.equal(emails.known[ADDRESS], ALICE.toLowerCase(), order.join(" then "));
      assert.equal(emails.names(ADDRESS, BOB, [ADDRESS]), false, "bob's own resource declared the address: not his now");
    }
  });
  it("two records telling an email apart leave it to Google, until it answers", () => {
    const emails = new EmailIds();
    emails.take(ADDRESS, ALICE, "recorded");
    emails.take(ADDRESS, BOB, "declared");
    assert.equal(emails.known[ADDRESS], undefined);
    assert.equal(emails.names(ADDRESS, BOB, [ADDRESS]), undefined, "not by the spelling: it may be two people");
    emails.take(ADDRESS, ALICE, "recorded");
    assert.equal(emails.names(ADDRESS, ALICE, []), undefined, "a third record settles nothing");
    emails.take(ADDRESS, ALICE, "answered");
    assert.equal(emails.names(ADDRESS, ALICE, []), true);
  });
  it("recordedNames reads the declared resources' records alone, as a plan does: Google's answers and other states' records aside", () => {
    const emails = new EmailIds();
    assert.equal(emails.recordedNames(ADDRESS, BOB, [ADDRESS]), true, "no record: the membership's own spelling names it");
    assert.equal(emails.recordedNames(ADDRESS, BOB, []), undefined, "no record, declared otherwise: only Google can tell");
    emails.take(ADDRESS, ALICE, "answered");
    emails.take(ADDRESS, ALICE, "recorded");
    assert.equal(emails.recordedNames(ADDRESS, BOB, [ADDRESS]), true, "Google's answer and a deleted resource's record are no plan's reading");
    emails.take(ADDRESS, BOB, "declared");
    assert.equal(emails.recordedNames(ADDRESS, BOB, []), true, "a kept resource's record names bob");
    assert.equal(emails.names(ADDRESS, BOB, []), false, "though Google names alice");
    emails.take(ADDRESS, ALICE, "declared");
    assert.equal(emails.recordedNames(ADDRESS, BOB, [ADDRESS]), undefined, "two kept resources' records disagree: a plan can't tell");
  });
  it("the Chat app's key is no address: the last member told stands, and its spelling still names it", () => {
    const emails = new EmailIds();
    emails.take("users/app", "users/111", "recorded");
    emails.take("users/app", "users/222", "recorded");
    assert.equal(emails.known["users/app"], "users/222");
    assert.equal(emails.names("users/app", "users/222", ["users/app"]), true);
  });
});
