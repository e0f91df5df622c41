/**
 * Memberships across resources served by different provider processes of one deployment: the
 * engine starts one plugin process per provider instance (the default provider and each
 * explicit one), and a stack moving to the plugin has the dynamic-provider host too. Their
 * claims are shared (core/deployment-share.ts), so a member moved between resources of two
 * processes stays, and one member declared under two fails the second check, naming the first.
 * Processes of another deployment (another engine) share nothing.
 */
import assert from "node:assert/strict";
import type { ServiceAccountKey } from "../../emulator";
import { UNKNOWN } from "../../provider/core/engine-values";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs, RosterMemberArgs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, useDeployments } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

const ADMIN = "users/110000000000000000001";
const ALICE = "users/110000000000000000002";
const BOB = "users/110000000000000000003";

describe("provider: member claims shared by the provider processes of one deployment", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);
  /** A space made by admin@example.com (the caller of these providers), its one owner. */
  const space = async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    return (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
  };
  const membersOf = async (name: string) =>
    (await t.control.state()).memberships[name.slice("spaces/".length)].map((m) => `${m.memberName} ${m.role} ${m.state}`);

  it("a member moved from a ChatMembership of one provider instance to a roster of another (an explicit provider's, the default provider's) stays in the space", async () => {
    const s = await space();
    // The earlier up: alice's membership under the explicit provider.
    const earlier = await deployment("127.0.0.1:40001").process();
    const alice = membershipInputs("alice", { space: s, user: "alice@example.com" });
    await earlier.memberships.check({}, alice);
    const { id, outs } = await earlier.memberships.create(alice);
    // This up, another engine: the program moves her to a roster under the default provider and drops the membership.
    const up = deployment("127.0.0.1:40002");
    const [byDefault, byExplicit] = [await up.process(), await up.process()];
    const roster = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }], mode: "addOnly" });
    assert.deepEqual(await byDefault.rosters.check({}, roster), { inputs: roster });
    await byDefault.rosters.create(roster);
    const mark = await logMark(t);
    await byExplicit.memberships.delete(id, outs as ChatMembershipOutputs);
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/admin%40example.com 200`], "one read of the caller's id, no DELETE");
    assert.deepEqual(byExplicit.logs, [`ChatMembership ${ALICE} in ${s}: ${ALICE} stays in ${s}: the program declares it in ChatSpaceMembers eng-members.`]);
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
  });

  it("the members of a roster of one provider instance, moved to ChatMemberships of another: the roster's delete leaves them", async () => {
    const s = await space();
    const earlier = await deployment("127.0.0.1:40001").process();
    const members = [{ user: "admin@example.com", role: "ROLE_MANAGER" as const }, { user: "alice@example.com" }, { user: "bob@example.com" }];
    const { outs: roster } = await earlier.rosters.create(rosterInputs("eng-members", { space: s, members }));
    const up = deployment("127.0.0.1:40002");
    const [byRosterProvider, byOther] = [await up.process(), await up.process()];
    for (const [name, user] of [
      ["alice", "alice@example.com"],
      ["bob", "bob@example.com"],
    ]) {
      const inputs = membershipInputs(name, { space: s, user });
      assert.deepEqual(await byOther.memberships.check({}, inputs), { inputs });
      await byOther.memberships.create(inputs);
    }
    const mark = await logMark(t);
    await byRosterProvider.rosters.delete(s, roster as ChatSpaceMembersOutputs);
    assert.deepEqual(
      (await apiCalls(t, mark)).filter((c) => c.startsWith("DELETE")),
      [],
    );
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`, `${BOB} ROLE_MEMBER JOINED`]);
  });

  it("one member declared by resources of two provider instances fails the second check, naming the first, with no call", async () => {
    const s = await space();
    const up = deployment();
    const [byDefault, byExplicit] = [await up.process(), await up.process()];
    const alice = membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_MANAGER" });
    const again = membershipInputs("alice-again", { space: s, user: "alice@example.com" });
    const mark = await logMark(t);
    assert.deepEqual(await byDefault.memberships.check({}, alice), { inputs: alice });
    assert.deepEqual((await byExplicit.memberships.check({}, again)).failures, [
      {
        property: "user",
        reason: `users/alice@example.com is also declared by ChatMembership alice in ${s}: a member is declared once, or the two would undo each other. Remove one of the two declarations: the member stays in the space, held by the other.`,
      },
    ]);
    assert.deepEqual(await apiCalls(t, mark), []);
  });

  it("an authoritative roster of one provider instance beside a ChatMembership of another of a member it does not declare fails the check, naming both", async () => {
    const s = await space();
    const up = deployment();
    const [byDefault, byExplicit] = [await up.process(), await up.process()];
    const bob = membershipInputs("bob", { space: s, user: "bob@example.com" });
    assert.deepEqual(await byExplicit.memberships.check({}, bob), { inputs: bob });
    const roster = rosterInputs("eng-members", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] });
    assert.deepEqual((await byDefault.rosters.check({}, roster)).failures, [
      {
        property: "mode",
        reason: `authoritative (the default) would remove users/bob@example.com, which ChatMembership bob declares in ${s}. Move the member into the roster (and remove the ChatMembership: the member stays), or set mode: "addOnly" on the roster.`,
      },
    ]);
  });

  it("at preview, an authoritative roster of one provider instance with an entry unknown, beside a ChatMembership of another of a member its known entries leave out, fails the ChatMembership's check, naming the roster", async () => {
    const s = await space();
    const up = deployment();
    const [byDefault, byExplicit] = [await up.process(), await up.process()];
    const roster = rosterInputs("eng-members", {
      space: s,
      members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, UNKNOWN as unknown as RosterMemberArgs],
    });
    const mark = await logMark(t);
    assert.deepEqual(await byDefault.rosters.check({}, roster), { inputs: roster });
    const bob = membershipInputs("bob", { space: s, user: "bob@example.com" });
    assert.deepEqual((await byExplicit.memberships.check({}, bob)).failures, [
      {
        property: "user",
        reason:
          `users/bob@example.com would be removed by ChatSpaceMembers eng-members, an authoritative roster of ${s} that does not declare it in its known entries ` +
          '(members[1] is unknown until apply: if it is that member, it is declared twice). Move the member into the roster (and remove the ChatMembership: the member stays), or set mode: "addOnly" on the roster.',
      },
    ]);
    assert.deepEqual(await apiCalls(t, mark), []);
  });

  describe("at preview, an authoritative roster whose whole members list is unknown (another resource's output)", () => {
    const fix = 'Move the member into the roster (and remove the ChatMembership: the member stays), or set mode: "addOnly" on the roster.';
    const unknownList = UNKNOWN as unknown as RosterMemberArgs[];

    it("beside a ChatMembership of bob under another provider instance: the ChatMembership's check fails naming the roster, with no call", async () => {
      const s = await space();
      const up = deployment();
      const [byDefault, byExplicit] = [await up.process(), await up.process()];
      const roster = rosterInputs("eng-members", { space: s, members: unknownList, mode: "authoritative" });
      const mark = await logMark(t);
      assert.deepEqual(await byDefault.rosters.check({}, roster), { inputs: roster });
      const bob = membershipInputs("bob", { space: s, user: "bob@example.com" });
      assert.deepEqual((await byExplicit.memberships.check({}, bob)).failures, [
        {
          property: "user",
          reason:
            `users/bob@example.com would be removed by ChatSpaceMembers eng-members, an authoritative roster of ${s}, ` +
            `unless the roster's members, unknown until apply, include it (then it is declared twice). ${fix}`,
        },
      ]);
      assert.deepEqual(await apiCalls(t, mark), []);
    });

    it("the ChatMembership of bob checked first: the roster's check fails naming it, with no call", async () => {
      const s = await space();
      const up = deployment();
      const [byDefault, byExplicit] = [await up.process(), await up.process()];
      const bob = membershipInputs("bob", { space: s, user: "bob@example.com" });
      assert.deepEqual(await byExplicit.memberships.check({}, bob), { inputs: bob });
      const roster = rosterInputs("eng-members", { space: s, members: unknownList });
      const mark = await logMark(t);
      assert.deepEqual((await byDefault.rosters.check({}, roster)).failures, [
        {
          property: "mode",
          reason:
            `authoritative (the default) would remove users/bob@example.com, which ChatMembership bob declares in ${s}, ` +
            `unless the roster's members, unknown until apply, include it (then it is declared twice). ${fix}`,
        },
      ]);
      assert.deepEqual(await apiCalls(t, mark), []);
    });

    it("what stays valid, with no call: a ChatMembership of the roster's calling user (admin); an addOnly roster; a roster whose mode is unknown too", async () => {
      const s = await space();
      const up = deployment();
      const [byDefault, byExplicit] = [await up.process(), await up.process()];
      const mark = await logMark(t);
      const authoritative = rosterInputs("eng-members", { space: s, members: unknownList });
      assert.deepEqual(await byDefault.rosters.check({}, authoritative), { inputs: authoritative });
      const admin = membershipInputs("admin", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" });
      assert.deepEqual(await byExplicit.memberships.check({}, admin), { inputs: admin }, "admin is the roster's caller: it never removes her");
      const bob = membershipInputs("bob", { space: s, user: "bob@example.com" });
      for (const mode of ["addOnly", UNKNOWN] as const) {
        const roster = rosterInputs("eng-members", { space: s, members: unknownList, mode: mode as "addOnly" });
        assert.deepEqual(await byDefault.rosters.check(authoritative, roster), { inputs: roster });
        assert.deepEqual(await byExplicit.memberships.check({}, bob), { inputs: bob }, `mode ${String(mode)}`);
      }
      assert.deepEqual(await apiCalls(t, mark), []);
    });
  });

  it("a ChatMembership of another provider instance, checked while an authoritative roster's update runs (pulumi up --skip-preview): the roster's removal of her stops, no DELETE", async () => {
    const s = await space();
    const up = deployment();
    const [byDefault, byExplicit] = [await up.process(), await up.process()];
    const declared = [{ user: "admin@example.com", role: "ROLE_MANAGER" as const }, { user: "alice@example.com" }];
    const old = rosterInputs("eng-members", { space: s, members: declared });
    assert.deepEqual(await byDefault.rosters.check({}, old), { inputs: old });
    const { outs } = await byDefault.rosters.create(old);
    const news = rosterInputs("eng-members", { space: s, members: declared.slice(0, 1) });
    assert.deepEqual(await byDefault.rosters.check(old, news), { inputs: news });
    await byDefault.rosters.diff(s, outs as ChatSpaceMembersOutputs, news);
    // The owners read before the removal waits, as the engine goes on with the program.
    await t.control.addFault({ match: { methods: ["spaces.members.list"] }, action: { kind: "holdAfterCommit" }, count: 1 });
    const mark = await logMark(t);
    const update = byDefault.rosters.update(s, outs as ChatSpaceMembersOutputs, news).catch((e: unknown) => e);
    const faults = async () => ((await (await fetch(`${t.emulator.url}/emulator/v1/faults`)).json()) as { faults: unknown[] }).faults;
    while ((await faults()).length > 0) await new Promise((done) => setTimeout(done, 5));
    const alice = membershipInputs("alice", { space: s, user: "alice@example.com" });
    assert.equal((await byExplicit.memberships.check({}, alice)).failures?.length, 1);
    await t.control.clearFaults();
    const failed: any = await update;
    assert.equal(
      failed.message,
      `ChatSpaceMembers eng-members: stopped before removing ${ALICE} from ${s}: another resource of this deployment declares it, so it stays, and the roster's state keeps it. ` +
        `mode authoritative (the default) would remove users/alice@example.com, which ChatMembership alice declares in ${s}. ` +
        'Move the member into the roster (and remove the ChatMembership: the member stays), or set mode: "addOnly" on the roster.',
    );
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`], "the owners read, no DELETE");
    assert.deepEqual(
      (failed.properties as ChatSpaceMembersOutputs).members.map((m) => m.member),
      [ADMIN, ALICE],
    );
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
  });

  it("processes of another deployment (another engine: a concurrent up of another stack) share nothing: its roster keeps no member of this one", async () => {
    const s = await space();
    const earlier = await deployment("127.0.0.1:40001").process();
    const alice = membershipInputs("alice", { space: s, user: "alice@example.com" });
    const { id, outs } = await earlier.memberships.create(alice);
    const another = deployment("127.0.0.1:40003");
    const [other, ours] = [await another.process(), await deployment("127.0.0.1:40004", another.root).process()];
    const roster = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }], mode: "addOnly" });
    assert.deepEqual(await other.rosters.check({}, roster), { inputs: roster });
    await ours.memberships.delete(id, outs as ChatMembershipOutputs);
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`]);
  });
  describe("an authoritative roster keeps its own provider's calling user, not the caller of the provider a ChatMembership beside it is declared under", () => {
    const FIX = 'Move the member into the roster (and remove the ChatMembership: the member stays), or set mode: "addOnly" on the roster.';
    /** A space made by admin@example.com, with bob@example.com as a second owner (a roster acting as bob manages it). */
    const spaceWithBob = async () => {
      const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create", "chat.memberships"]);
      const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
      const { data: bobs } = await admin.spaces.members.create({ parent: s, requestBody: { member: { name: "users/bob@example.com", type: "HUMAN" } } });
      await admin.spaces.members.patch({ name: bobs.name!, updateMask: "role", requestBody: { role: "ROLE_MANAGER" } });
      return s;
    };
    const declared = [{ user: "bob@example.com", role: "ROLE_MANAGER" as const }, { user: "alice@example.com" }];
    const me = (s: string) => membershipInputs("me", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" });
    /** bob's own credentials (no impersonation): who the caller is stays unknown until tokeninfo is asked. */
    const bobsOwnCredentials = async () => ({
      app: true,
      key: (await t.control.authorizedUser("bob@example.com", ["https://www.googleapis.com/auth/chat.memberships"])) as unknown as ServiceAccountKey,
    });

    it("a ChatMembership of admin (the default provider's caller), checked after a roster under a provider impersonating bob that drops admin, fails the preview with no call, naming the roster", async () => {
      const s = await spaceWithBob();
      // An earlier up: the roster, under an explicit provider impersonating bob, declares bob and alice; its create lists admin and keeps her.
      const roster = rosterInputs("eng-members", { space: s, members: declared });
      const { outs } = await (await deployment("127.0.0.1:40001").process({ user: "bob@example.com" })).rosters.create(roster);
      assert.ok((outs as ChatSpaceMembersOutputs).members.some((m) => m.member === ADMIN));
      // The preview, in the engine's order: the roster (bob's provider) is checked and diffed as it registers, then the program
      // declares a ChatMembership of admin under the default provider (acting as admin), configured at that registration.
      const preview = deployment("127.0.0.1:40002");
      const asBob = await preview.process({ user: "bob@example.com" });
      assert.deepEqual(await asBob.rosters.check(roster, roster), { inputs: roster });
      const diff = await asBob.rosters.diff(s, outs as ChatSpaceMembersOutputs, roster);
      assert.deepEqual(diff.detailedDiff, { [`members["${ADMIN}"]`]: "delete" }, "the roster's preview removes admin: bob is its caller");
      const asAdmin = await preview.process();
      const mark = await logMark(t);
      assert.deepEqual((await asAdmin.memberships.check({}, me(s))).failures, [
        {
          property: "user",
          reason: `users/admin@example.com would be removed by ChatSpaceMembers eng-members, an authoritative roster of ${s} that does not declare it. ${FIX}`,
        },
      ]);
      assert.deepEqual(await apiCalls(t, mark), []);
    });

    it("a ChatMembership of admin by users/{id}, checked after a roster under a provider impersonating bob that drops admin, whose published caller has no id yet: its check reads bob's membership by email, once, and fails naming the roster", async () => {
      const s = await spaceWithBob();
      // bob, its caller, kept undeclared: nothing the roster declares names his id.
      const roster = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }] });
      const { outs } = await (await deployment("127.0.0.1:40001").process({ user: "bob@example.com" })).rosters.create(roster);
      const preview = deployment("127.0.0.1:40002");
      const asBob = await preview.process({ user: "bob@example.com" });
      assert.deepEqual(await asBob.rosters.check(roster, roster), { inputs: roster });
      const diff = await asBob.rosters.diff(s, outs as ChatSpaceMembersOutputs, roster);
      assert.deepEqual(diff.detailedDiff, { [`members["${ADMIN}"]`]: "delete" }, "the roster's preview removes admin: bob is its caller");
      const asAdmin = await preview.process();
      const meById = membershipInputs("me", { space: s, user: ADMIN, role: "ROLE_MANAGER" });
      const mark = await logMark(t);
      assert.deepEqual((await asAdmin.memberships.check({}, meById)).failures, [
        {
          property: "user",
          reason: `${ADMIN} would be removed by ChatSpaceMembers eng-members, an authoritative roster of ${s} that does not declare it. ${FIX}`,
        },
      ]);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/bob%40example.com 200`]);
      // Read once: the id learnt is kept, and shared with the deployment's other processes.
      assert.equal((await asAdmin.memberships.check({}, meById)).failures?.length, 1);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/bob%40example.com 200`]);
    });

    it("a ChatMembership of bob by users/{id} beside that roster, bob being its provider's caller, passes check after the same one read", async () => {
      const s = await spaceWithBob();
      const roster = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }] });
      const up = deployment();
      const [asBob, asAdmin] = [await up.process({ user: "bob@example.com" }), await up.process()];
      assert.deepEqual(await asBob.rosters.check({}, roster), { inputs: roster });
      const bobById = membershipInputs("bob", { space: s, user: BOB, role: "ROLE_MANAGER" });
      const mark = await logMark(t);
      assert.deepEqual(await asAdmin.memberships.check({}, bobById), { inputs: bobById });
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/bob%40example.com 200`]);
    });

    it("the same roster checked after the ChatMembership of admin fails its own check, naming it", async () => {
      const s = await spaceWithBob();
      const up = deployment();
      const [asAdmin, asBob] = [await up.process(), await up.process({ user: "bob@example.com" })];
      assert.deepEqual(await asAdmin.memberships.check({}, me(s)), { inputs: me(s) });
      const roster = rosterInputs("eng-members", { space: s, members: declared });
      assert.deepEqual((await asBob.rosters.check({}, roster)).failures, [
        { property: "mode", reason: `authoritative (the default) would remove users/admin@example.com, which ChatMembership me declares in ${s}. ${FIX}` },
      ]);
    });

    it("a ChatMembership of admin beside a roster of another provider instance that also acts as admin passes check, whichever is checked first", async () => {
      const s = await spaceWithBob();
      const roster = rosterInputs("eng-members", { space: s, members: declared });
      const first = deployment("127.0.0.1:40001");
      const [rosterFirst, membershipAfter] = [await first.process(), await first.process()];
      assert.deepEqual(await rosterFirst.rosters.check({}, roster), { inputs: roster });
      assert.deepEqual(await membershipAfter.memberships.check({}, me(s)), { inputs: me(s) });
      const second = deployment("127.0.0.1:40002");
      const [membershipFirst, rosterAfter] = [await second.process(), await second.process()];
      assert.deepEqual(await membershipFirst.memberships.check({}, me(s)), { inputs: me(s) });
      assert.deepEqual(await rosterAfter.rosters.check({}, roster), { inputs: roster });
    });

    it("a roster under bob's own credentials: its caller, learnt by its check (tokeninfo), is published, so the ChatMembership of admin checked next fails", async () => {
      const s = await spaceWithBob();
      const roster = rosterInputs("eng-members", { space: s, members: declared });
      const { outs } = await (await deployment("127.0.0.1:40001").process(await bobsOwnCredentials())).rosters.create(roster);
      // The preview's process has not asked tokeninfo yet (credentials of their own: the answer is kept per process and credentials).
      const bobs = await bobsOwnCredentials();
      const preview = deployment("127.0.0.1:40002");
      const asBob = await preview.process(bobs);
      assert.deepEqual(await asBob.rosters.check(roster, roster), { inputs: roster });
      const diff = await asBob.rosters.diff(s, outs as ChatSpaceMembersOutputs, roster);
      assert.deepEqual(diff.detailedDiff, { [`members["${ADMIN}"]`]: "delete" });
      const asAdmin = await preview.process();
      assert.deepEqual((await asAdmin.memberships.check({}, me(s))).failures, [
        {
          property: "user",
          reason: `users/admin@example.com would be removed by ChatSpaceMembers eng-members, an authoritative roster of ${s} that does not declare it. ${FIX}`,
        },
      ]);
    });

    it("a roster under bob's own credentials checked after the ChatMembership of admin: its check, which can't tell its caller without asking, asks tokeninfo and fails naming the ChatMembership", async () => {
      const s = await spaceWithBob();
      const roster = rosterInputs("eng-members", { space: s, members: declared });
      const { outs } = await (await deployment("127.0.0.1:40001").process(await bobsOwnCredentials())).rosters.create(roster);
      // The preview's process has not asked tokeninfo yet (credentials of their own: the answer is kept per process and credentials).
      const bobs = await bobsOwnCredentials();
      const preview = deployment("127.0.0.1:40002");
      const [asAdmin, asBob] = [await preview.process(), await preview.process(bobs)];
      assert.deepEqual(await asAdmin.memberships.check({}, me(s)), { inputs: me(s) });
      assert.deepEqual(await asBob.rosters.check(roster, roster), {
        failures: [
          {
            property: "mode",
            reason: `authoritative (the default) would remove users/admin@example.com, which ChatMembership me declares in ${s}. ${FIX}`,
          },
        ],
      });
      assert.ok(outs, "the roster was made by bob");
    });
  });

  describe("no provider removes the calling user of another provider instance of the deployment, as none removes its own", () => {
    /** Why another instance's caller stays, naming the resource(s) its provider serves in the space. */
    const stays = (holders: string) =>
      `it is the calling user of the provider of ${holders} (another provider instance of this deployment), ` +
      "which never removes it (that provider would lose sight of the space and of every later change)";
    /** A space made by admin@example.com, with bob@example.com as a second owner. */
    const spaceWithBob = async () => {
      const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create", "chat.memberships"]);
      const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
      const { data: bobs } = await admin.spaces.members.create({ parent: s, requestBody: { member: { name: "users/bob@example.com", type: "HUMAN" } } });
      await admin.spaces.members.patch({ name: bobs.name!, updateMask: "role", requestBody: { role: "ROLE_MANAGER" } });
      return s;
    };

    it("a ChatMembership of admin under a provider acting as bob, dropped beside an authoritative roster under the default provider (admin, its caller, kept undeclared): its delete keeps admin, saying why", async () => {
      const s = await spaceWithBob();
      const roster = rosterInputs("eng-members", { space: s, members: [{ user: "bob@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] });
      const seat = membershipInputs("admin-seat", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" });
      // The earlier up: the roster under the default provider (acting as admin), the ChatMembership of admin under an explicit one acting as bob.
      const earlier = deployment("127.0.0.1:40001");
      const [asAdmin0, asBob0] = [await earlier.process(), await earlier.process({ user: "bob@example.com" })];
      assert.deepEqual(await asAdmin0.rosters.check({}, roster), { inputs: roster }, "admin is the roster's caller: no conflict");
      assert.deepEqual(await asBob0.memberships.check({}, seat), { inputs: seat });
      const { outs: rosterOuts } = await asAdmin0.rosters.create(roster);
      const { id, outs } = await asBob0.memberships.create(seat);
      // This up keeps the roster and drops the ChatMembership of admin.
      const up = deployment("127.0.0.1:40002");
      const [asAdmin, asBob] = [await up.process(), await up.process({ user: "bob@example.com" })];
      assert.deepEqual(await asAdmin.rosters.check(roster, roster), { inputs: roster });
      assert.equal((await asAdmin.rosters.diff(s, rosterOuts as ChatSpaceMembersOutputs, roster)).changes, false);
      const mark = await logMark(t);
      await asBob.memberships.delete(id, outs as ChatMembershipOutputs);
      assert.deepEqual(
        await apiCalls(t, mark),
        [`GET /v1/${s}/members/bob%40example.com 200`, `GET /v1/${s}/members/admin%40example.com 200`],
        "one read of bob's id (is admin bob?), one of the member admin@example.com names now (the roster's caller, published by email: Google's answer, not a state's record); no DELETE",
      );
      assert.deepEqual(asBob.logs, [`ChatMembership ${ADMIN} in ${s}: ${ADMIN} stays in ${s}: ${stays("ChatSpaceMembers eng-members")}.`]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });

    it("import mode: a ChatMembership under admin's provider declares bob, the caller of the provider of the authoritative roster beside it, with another createTime: its replacement's create refuses to remove bob to add him again, no DELETE", async () => {
      const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
      const { data } = await importer.spaces.create({
        requestBody: { spaceType: "SPACE", displayName: "Old", importMode: true, createTime: "2019-01-01T00:00:00Z" },
      });
      const s = data.name!;
      // bob's imported membership, joined in 2019-02 (no deleteTime: a current member).
      await importer.spaces.members.create({
        parent: s,
        requestBody: { member: { name: "users/bob@example.com", type: "HUMAN" }, createTime: "2019-02-01T00:00:00Z" },
      });
      const up = deployment();
      const [asAdmin, asBob] = [await up.process(), await up.process({ user: "bob@example.com" })];
      // An authoritative roster under the provider acting as bob: bob is its caller, kept undeclared.
      const roster = rosterInputs("old-members", { space: s, members: [{ user: "alice@example.com" }] });
      assert.deepEqual(await asBob.rosters.check({}, roster), { inputs: roster });
      // The earlier up took bob's imported membership over by his users/{id}; this one declares his email, with another
      // createTime: its diff plans a replacement that creates first.
      const was = membershipInputs("bob", { space: s, user: BOB, createTime: "2019-02-01T00:00:00Z" });
      const old = await (await deployment().process()).memberships.create(was);
      const bob = membershipInputs("bob", { space: s, user: "bob@example.com", createTime: "2019-03-01T00:00:00Z" });
      assert.deepEqual(await asAdmin.memberships.check(was, bob), { inputs: bob }, "bob is the roster's caller: no conflict");
      assert.equal((await asAdmin.memberships.diff(old.id, old.outs as ChatMembershipOutputs, bob)).deleteBeforeReplace, false);
      const mark = await logMark(t);
      await assert.rejects(asAdmin.memberships.create(bob), {
        message:
          `ChatMembership bob: ${BOB} is already a member of ${s} with other values ` +
          '(createTime is "2019-02-01T00:00:00.000Z", declared "2019-03-01T00:00:00Z"), which Google sets only when a membership is created, ' +
          `and it is not removed to be added again with the declared ones: ${stays("ChatSpaceMembers old-members")}. ` +
          "Declare its values, or remove the member in Chat first.",
      });
      assert.deepEqual(await apiCalls(t, mark), [
        `POST /v1/${s}/members 409`,
        `GET /v1/${s}/members/bob%40example.com 200`,
        // Whether bob is admin, the create's own caller: admin is in no space (404), and in none listed.
        `GET /v1/${s}/members/admin%40example.com 404`,
        "GET /v1/spaces 200",
        // Whether bob is the roster's caller, published by email: Google's answer for it, not a state's record.
        `GET /v1/${s}/members/bob%40example.com 200`,
      ]);
      assert.deepEqual(
        (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => `${m.memberName} ${m.state} ${m.createTime}`),
        [`${BOB} JOINED 2019-02-01T00:00:00.000Z`],
      );
    });

    it("a roster under the default provider (admin), dropped from the program, beside a ChatMembership of alice under a provider acting as bob: its delete keeps bob, that provider's caller, as it keeps its own caller and alice, whom the ChatMembership declares", async () => {
      const s = await spaceWithBob();
      const earlier = deployment("127.0.0.1:40001");
      const roster = rosterInputs("eng-members", {
        space: s,
        members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "bob@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }],
        mode: "addOnly",
      });
      const { outs: rosterOuts } = await (await earlier.process()).rosters.create(roster);
      // This up: the roster is dropped; alice is declared by a ChatMembership under an explicit provider acting as bob.
      const up = deployment("127.0.0.1:40002");
      const [asAdmin, asBob] = [await up.process(), await up.process({ user: "bob@example.com" })];
      const alice = membershipInputs("alice", { space: s, user: "alice@example.com" });
      assert.deepEqual(await asBob.memberships.check({}, alice), { inputs: alice });
      await asBob.memberships.create(alice);
      const mark = await logMark(t);
      await asAdmin.rosters.delete(s, rosterOuts as ChatSpaceMembersOutputs);
      assert.deepEqual(
        await apiCalls(t, mark),
        [`GET /v1/${s}/members/admin%40example.com 200`, `GET /v1/${s}/members/bob%40example.com 200`],
        "the caller's, asked before a person leaves; then the member bob's provider acts as, published by email: Google's answer, not the roster's record; no DELETE",
      );
      assert.deepEqual(asAdmin.logs, [
        `ChatSpaceMembers ${s}: ${ADMIN} stays in ${s}: it is the calling user, whom this provider never removes (it would lose sight of the space and of every later change).`,
        `ChatSpaceMembers ${s}: ${BOB} stays in ${s}: ${stays("ChatMembership alice")}.`,
        `ChatSpaceMembers ${s}: ${ALICE} stays in ${s}: the program declares it in ChatMembership alice.`,
      ]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });

    it("an authoritative roster under the default provider (admin) that keeps bob undeclared, beside a ChatMembership of admin under a provider acting as bob: its preview and its update keep bob, that provider's caller, as they keep admin", async () => {
      const s = await spaceWithBob();
      const roster = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }] });
      const seat = membershipInputs("admin-seat", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" });
      // The earlier up: the roster's create removes nobody (it keeps admin and bob undeclared); the ChatMembership takes admin's membership over.
      const earlier = deployment("127.0.0.1:40001");
      const [asAdmin0, asBob0] = [await earlier.process(), await earlier.process({ user: "bob@example.com" })];
      assert.deepEqual(await asAdmin0.rosters.check({}, roster), { inputs: roster });
      assert.deepEqual(await asBob0.memberships.check({}, seat), { inputs: seat }, "admin is the roster's caller: no conflict");
      const { outs } = await asAdmin0.rosters.create(roster);
      await asBob0.memberships.create(seat);
      // This up: the same program. The ChatMembership's check publishes bob as its provider's caller; the roster's plan keeps him.
      const up = deployment("127.0.0.1:40002");
      const [asAdmin, asBob] = [await up.process(), await up.process({ user: "bob@example.com" })];
      assert.deepEqual(await asAdmin.rosters.check(roster, roster), { inputs: roster });
      assert.deepEqual(await asBob.memberships.check(seat, seat), { inputs: seat });
      const mark = await logMark(t);
      const diff = await asAdmin.rosters.diff(s, outs as ChatSpaceMembersOutputs, roster);
      assert.deepEqual({ changes: diff.changes, detailedDiff: diff.detailedDiff }, { changes: false, detailedDiff: {} });
      assert.deepEqual(asAdmin.logs, [
        `ChatSpaceMembers eng-members: = ${ADMIN}: not declared, kept: it is the calling user, which an authoritative roster never removes`,
        `ChatSpaceMembers eng-members: = ${BOB}: not declared, kept: ${stays("ChatMembership admin-seat")}`,
      ]);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/bob%40example.com 200`], "one read: which member bob, published by email, is");
      // An update of the same plan (the engine runs one where the roster changes otherwise) keeps him too, reading nothing more.
      await asAdmin.rosters.update(s, outs as ChatSpaceMembersOutputs, roster);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/bob%40example.com 200`]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });

    /**
     * An earlier up: an authoritative roster of alice under the default provider (admin), and the
     * ChatMembership of admin under an explicit one acting as bob, whom the roster keeps undeclared.
     */
    const rosterBesideSeat = async () => {
      const s = await spaceWithBob();
      const roster = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }] });
      const seat = membershipInputs("admin-seat", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" });
      const earlier = deployment("127.0.0.1:40001");
      const [asAdmin0, asBob0] = [await earlier.process(), await earlier.process({ user: "bob@example.com" })];
      await asAdmin0.rosters.check({}, roster);
      await asBob0.memberships.check({}, seat);
      const { outs } = await asAdmin0.rosters.create(roster);
      await asBob0.memberships.create(seat);
      return { s, roster, seat, outs };
    };

    it("the program declares that roster first: its preview announces bob's removal, and its update, during which the ChatMembership of admin under the provider acting as bob is checked, keeps bob, saying why, not failing", async () => {
      const { s, roster, seat, outs } = await rosterBesideSeat();
      // The preview: the engine checks and diffs the roster before it configures the provider of
      // the ChatMembership registered after it (the program registers that provider after the
      // roster too), so the roster's plan can't know bob is that provider's caller yet.
      const preview = deployment("127.0.0.1:40002");
      const pAdmin = await preview.process();
      assert.deepEqual(await pAdmin.rosters.check(roster, roster), { inputs: roster });
      const previewDiff = await pAdmin.rosters.diff(s, outs as ChatSpaceMembersOutputs, roster);
      assert.deepEqual(previewDiff.detailedDiff, { [`members["${BOB}"]`]: "delete" });
      const pBob = await preview.process({ user: "bob@example.com" });
      assert.deepEqual(await pBob.memberships.check(seat, seat), { inputs: seat });
      // The update: the engine goes on with the program while the roster's update runs; bob's
      // provider is configured and the ChatMembership checked while the owners read before the removal waits.
      const up = deployment("127.0.0.1:40003");
      const asAdmin = await up.process();
      await asAdmin.rosters.check(roster, roster);
      await asAdmin.rosters.diff(s, outs as ChatSpaceMembersOutputs, roster);
      asAdmin.logs.length = 0;
      await t.control.addFault({ match: { methods: ["spaces.members.list"] }, action: { kind: "holdAfterCommit" }, count: 1 });
      const mark = await logMark(t);
      const update = asAdmin.rosters.update(s, outs as ChatSpaceMembersOutputs, roster);
      const faults = async () => ((await (await fetch(`${t.emulator.url}/emulator/v1/faults`)).json()) as { faults: unknown[] }).faults;
      while ((await faults()).length > 0) await new Promise((done) => setTimeout(done, 5));
      const asBob = await up.process({ user: "bob@example.com" });
      assert.deepEqual(await asBob.memberships.check(seat, seat), { inputs: seat });
      await t.control.clearFaults();
      const { outs: updated } = await update;
      assert.deepEqual(
        await apiCalls(t, mark),
        [`GET /v1/${s}/members/admin%40example.com 200`, `GET /v1/${s}/members 200`, `GET /v1/${s}/members/bob%40example.com 200`],
        "which member admin, the caller (declared by email: is it bob?), is, before a person leaves; the owners read; bob (published by email); no DELETE",
      );
      assert.deepEqual(asAdmin.logs, [
        `ChatSpaceMembers eng-members: ${BOB} stays in ${s}, although this update's plan removed it: ${stays("ChatMembership admin-seat")}. ` +
          "The roster's state keeps it. Declare that resource before the roster (or give the roster dependsOn it), so that the roster's preview shows it kept.",
      ]);
      assert.deepEqual(
        (updated as ChatSpaceMembersOutputs).members.map((m) => `${m.member} ${m.role}`),
        [`${ADMIN} ROLE_MANAGER`, `${BOB} ROLE_MANAGER`, `${ALICE} ROLE_MEMBER`],
      );
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });

    it("the same, bob the space's only joined owner now (admin demoted in Chat since): the ChatMembership checked while the update's owners read is held keeps bob, and the owners check counts him as staying, not failing", async () => {
      const { s, roster, seat, outs } = await rosterBesideSeat();
      // bob demotes admin in Chat: the roster's state still records admin as an owner, so its plan is no last-owner refusal.
      const bobs = t.asDelegatedUser("bob@example.com", ["chat.memberships"]);
      await bobs.spaces.members.patch({ name: `${s}/members/${ADMIN.slice("users/".length)}`, updateMask: "role", requestBody: { role: "ROLE_MEMBER" } });
      const up = deployment("127.0.0.1:40003");
      const asAdmin = await up.process();
      await asAdmin.rosters.check(roster, roster);
      const diff = await asAdmin.rosters.diff(s, outs as ChatSpaceMembersOutputs, roster);
      assert.deepEqual(diff.detailedDiff, { [`members["${BOB}"]`]: "delete" }, "bob's instance is not configured yet: the plan removes him");
      asAdmin.logs.length = 0;
      // The owners read, the update's first members.list, is held while bob's instance is configured and checks its ChatMembership, publishing bob.
      const held = await t.control.addFault({ match: { methods: ["spaces.members.list"] }, action: { kind: "holdBeforeRun" }, count: 1 });
      const mark = await logMark(t);
      const update = asAdmin.rosters.update(s, outs as ChatSpaceMembersOutputs, roster);
      while ((await t.control.faults()).some((f) => f.id === held.id)) await new Promise((done) => setImmediate(done));
      const asBob = await up.process({ user: "bob@example.com" });
      assert.deepEqual(await asBob.memberships.check(seat, seat), { inputs: seat });
      await t.control.releaseHeld();
      const { outs: updated } = await update;
      assert.deepEqual(
        await apiCalls(t, mark),
        [`GET /v1/${s}/members/admin%40example.com 200`, `GET /v1/${s}/members 200`, `GET /v1/${s}/members/bob%40example.com 200`],
        "which member admin, the caller (declared by email since: is it bob?), is, before a person leaves; the owners read; bob (published by email); no DELETE",
      );
      assert.deepEqual(asAdmin.logs, [
        `ChatSpaceMembers eng-members: ${BOB} stays in ${s}, although this update's plan removed it: ${stays("ChatMembership admin-seat")}. ` +
          "The roster's state keeps it. Declare that resource before the roster (or give the roster dependsOn it), so that the roster's preview shows it kept.",
      ]);
      assert.deepEqual(
        (updated as ChatSpaceMembersOutputs).members.map((m) => `${m.member} ${m.role}`),
        [`${ADMIN} ROLE_MANAGER`, `${BOB} ROLE_MANAGER`, `${ALICE} ROLE_MEMBER`],
      );
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MEMBER JOINED`, `${BOB} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });
  });

  describe("no provider demotes the calling user of another provider instance below owner without that instance's admin access, as none demotes its own", () => {
    /** Why another instance's caller keeps her owner role, naming the resource(s) its provider serves in the space. */
    const keepsRole = (holders: string) =>
      `it is the calling user of the provider of ${holders} (another provider instance of this deployment), ` +
      "which is never demoted without googlechat:useAdminAccess (that provider could no longer manage the members: every later change would fail)";
    /** A space made by admin@example.com, with bob@example.com as a second owner. */
    const spaceWithBob = async () => {
      const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create", "chat.memberships"]);
      const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
      const { data: bobs } = await admin.spaces.members.create({ parent: s, requestBody: { member: { name: "users/bob@example.com", type: "HUMAN" } } });
      await admin.spaces.members.patch({ name: bobs.name!, updateMask: "role", requestBody: { role: "ROLE_MANAGER" } });
      return s;
    };
    /**
     * An authoritative roster under the default provider (admin) that declares bob an owner, and
     * alice; a ChatMembership of admin under a provider acting as bob; and the processes of the up
     * that declares bob a member, bob's configured with `bobsConfig`.
     */
    const rosterBesideBob = async (bobsConfig: { useAdminAccess?: boolean } = {}) => {
      const s = await spaceWithBob();
      const owner = rosterInputs("eng-members", { space: s, members: [{ user: "bob@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] });
      const seat = membershipInputs("admin-seat", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" });
      const earlier = deployment("127.0.0.1:40001");
      const [asAdmin0, asBob0] = [await earlier.process(), await earlier.process({ user: "bob@example.com" })];
      await asAdmin0.rosters.check({}, owner);
      await asBob0.memberships.check({}, seat);
      const { outs } = await asAdmin0.rosters.create(owner);
      await asBob0.memberships.create(seat);
      // This up declares bob a member.
      const roster = rosterInputs("eng-members", { space: s, members: [{ user: "bob@example.com", role: "ROLE_MEMBER" }, { user: "alice@example.com" }] });
      const up = deployment("127.0.0.1:40002");
      const asAdmin = await up.process();
      /** Bob's instance of this up, made where the engine configures it (it then publishes bob). */
      const bobsProcess = () => up.process({ user: "bob@example.com", ...bobsConfig });
      return { s, owner, roster, seat, outs: outs as ChatSpaceMembersOutputs, asAdmin, bobsProcess };
    };
    const keptAdmin = `ChatSpaceMembers eng-members: = ${ADMIN}: not declared, kept: it is the calling user, which an authoritative roster never removes`;

    it("a roster whose declaration demotes bob, the calling user of the provider of a ChatMembership beside it (no admin access): its preview announces bob's role kept, and its update makes no PATCH", async () => {
      const { s, owner, roster, seat, outs, asAdmin, bobsProcess } = await rosterBesideBob();
      const asBob = await bobsProcess();
      assert.deepEqual(await asAdmin.rosters.check(owner, roster), { inputs: roster });
      assert.deepEqual(await asBob.memberships.check(seat, seat), { inputs: seat });
      const mark = await logMark(t);
      const diff = await asAdmin.rosters.diff(s, outs, roster);
      assert.deepEqual({ changes: diff.changes, detailedDiff: diff.detailedDiff }, { changes: false, detailedDiff: {} });
      assert.deepEqual(asAdmin.logs, [
        `ChatSpaceMembers eng-members: = members[0] ${BOB}: role ROLE_MANAGER kept, not ROLE_MEMBER: ${keepsRole("ChatMembership admin-seat")}`,
        keptAdmin,
      ]);
      await asAdmin.rosters.update(s, outs, roster);
      assert.deepEqual(
        await apiCalls(t, mark),
        [`GET /v1/${s}/members/bob%40example.com 200`],
        "bob, published by email: one read of whom it names now (Google's answer, not the roster's record); no PATCH",
      );
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });

    it("the same, that provider using admin access (it still manages the space): the roster's preview announces bob's demotion, and its update makes it", async () => {
      const { s, owner, roster, seat, outs, asAdmin, bobsProcess } = await rosterBesideBob({ useAdminAccess: true });
      const asBob = await bobsProcess();
      await asAdmin.rosters.check(owner, roster);
      // Its check publishes bob with its admin access, and makes no call.
      const checked = await logMark(t);
      assert.deepEqual(await asBob.memberships.check(seat, seat), { inputs: seat });
      assert.deepEqual(await apiCalls(t, checked), []);
      const diff = await asAdmin.rosters.diff(s, outs, roster);
      assert.deepEqual({ changes: diff.changes, detailedDiff: diff.detailedDiff }, { changes: true, detailedDiff: { "members[0]": "update" } });
      assert.deepEqual(asAdmin.logs, [`ChatSpaceMembers eng-members: ~ members[0] ${BOB}: role ROLE_MANAGER => ROLE_MEMBER`, keptAdmin]);
      const mark = await logMark(t);
      await asAdmin.rosters.update(s, outs, roster);
      assert.ok((await apiCalls(t, mark)).includes(`PATCH /v1/${s}/members/${BOB.slice("users/".length)} role 200`));
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MEMBER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });

    it("the program declares that roster first: its preview announces bob's demotion, and its update, during whose owners read the ChatMembership under the provider acting as bob is checked, keeps bob's role, saying why", async () => {
      const { s, owner, roster, seat, outs, asAdmin, bobsProcess } = await rosterBesideBob();
      await asAdmin.rosters.check(owner, roster);
      const diff = await asAdmin.rosters.diff(s, outs, roster);
      assert.deepEqual(diff.detailedDiff, { "members[0]": "update" }, "bob's instance is not configured yet: the plan demotes him");
      asAdmin.logs.length = 0;
      const held = await t.control.addFault({ match: { methods: ["spaces.members.list"] }, action: { kind: "holdBeforeRun" }, count: 1 });
      const mark = await logMark(t);
      const update = asAdmin.rosters.update(s, outs, roster);
      while ((await t.control.faults()).some((f) => f.id === held.id)) await new Promise((done) => setImmediate(done));
      const asBob = await bobsProcess();
      assert.deepEqual(await asBob.memberships.check(seat, seat), { inputs: seat });
      await t.control.releaseHeld();
      const { outs: updated } = await update;
      assert.deepEqual(
        await apiCalls(t, mark),
        [`GET /v1/${s}/members/admin%40example.com 200`, `GET /v1/${s}/members 200`, `GET /v1/${s}/members/bob%40example.com 200`],
        "the owners read; bob, published by email: one read of whom it names now (Google's answer, not the roster's record); no PATCH",
      );
      assert.deepEqual(asAdmin.logs, [
        `ChatSpaceMembers eng-members: = members[0] ${BOB}: role ROLE_MANAGER kept, not ROLE_MEMBER: ${keepsRole("ChatMembership admin-seat")}; ` +
          "this update's plan changed it, and the roster's state keeps the role. " +
          "Declare that resource before the roster (or give the roster dependsOn it), so that the roster's preview shows it kept",
      ]);
      assert.deepEqual(
        (updated as ChatSpaceMembersOutputs).members.map((m) => `${m.member} ${m.role}`),
        [`${ADMIN} ROLE_MANAGER`, `${BOB} ROLE_MANAGER`, `${ALICE} ROLE_MEMBER`],
      );
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });

    it("a ChatMembership of bob under the default provider (admin) declared a member now, beside a ChatMembership of alice under a provider acting as bob: its preview announces bob's role kept; checked after its diff, its update keeps it, saying why, no PATCH", async () => {
      const s = await spaceWithBob();
      const owner = membershipInputs("bob-seat", { space: s, user: "bob@example.com", role: "ROLE_MANAGER" });
      const member = membershipInputs("bob-seat", { space: s, user: "bob@example.com", role: "ROLE_MEMBER" });
      const alice = membershipInputs("alice", { space: s, user: "alice@example.com" });
      const earlier = deployment("127.0.0.1:40001");
      const [asAdmin0, asBob0] = [await earlier.process(), await earlier.process({ user: "bob@example.com" })];
      await asAdmin0.memberships.check({}, owner);
      await asBob0.memberships.check({}, alice);
      const { id, outs } = await asAdmin0.memberships.create(owner);
      await asBob0.memberships.create(alice);
      const kept = `ChatMembership bob-seat: = ${BOB}: role ROLE_MANAGER kept, not ROLE_MEMBER: ${keepsRole("ChatMembership alice")}`;
      // The preview: the ChatMembership of alice checked first.
      const preview = deployment("127.0.0.1:40002");
      const [pBob, pAdmin] = [await preview.process({ user: "bob@example.com" }), await preview.process()];
      assert.deepEqual(await pBob.memberships.check(alice, alice), { inputs: alice });
      assert.deepEqual(await pAdmin.memberships.check(owner, member), { inputs: member });
      let mark = await logMark(t);
      const previewDiff = await pAdmin.memberships.diff(id, outs as ChatMembershipOutputs, member);
      assert.deepEqual({ changes: previewDiff.changes, detailedDiff: previewDiff.detailedDiff }, { changes: false, detailedDiff: {} });
      assert.deepEqual(pAdmin.logs, [kept]);
      assert.deepEqual(
        await apiCalls(t, mark),
        [`GET /v1/${s}/members/bob%40example.com 200`],
        "bob, published by email: one read of whom it names now (Google's answer, not the state's record)",
      );
      // A role unknown until apply may be any: announced as an update from bob's owner role, nothing said kept.
      pAdmin.logs.length = 0;
      const unknownRole = { ...member, role: UNKNOWN } as unknown as typeof member;
      assert.deepEqual((await pAdmin.memberships.diff(id, outs as ChatMembershipOutputs, unknownRole)).detailedDiff, { role: "update" });
      assert.deepEqual(pAdmin.logs, [`ChatMembership bob-seat: ~ ${BOB}: role ROLE_MANAGER => known only at up`]);
      // The up: the provider acting as bob is configured, and the ChatMembership of alice checked, after bob's diff, before its update.
      const up = deployment("127.0.0.1:40003");
      const asAdmin = await up.process();
      await asAdmin.memberships.check(owner, member);
      assert.equal((await asAdmin.memberships.diff(id, outs as ChatMembershipOutputs, member)).changes, true);
      const asBob = await up.process({ user: "bob@example.com" });
      await asBob.memberships.check(alice, alice);
      mark = await logMark(t);
      const { outs: updated } = await asAdmin.memberships.update(id, outs as ChatMembershipOutputs, member);
      assert.deepEqual(
        await apiCalls(t, mark),
        [`GET /v1/${s}/members 200`, `GET /v1/${s}/members/admin%40example.com 200`, `GET /v1/${s}/members/bob%40example.com 200`],
        "the owners read; whether bob is admin, this provider's caller (its id); whom bob's email, as his provider published it, names now; no PATCH",
      );
      // Its diff, the provider acting as bob not yet configured, planned the demotion its update keeps from him.
      assert.deepEqual(asAdmin.logs, [`ChatMembership bob-seat: ~ ${BOB}: role ROLE_MANAGER => ROLE_MEMBER`, kept]);
      assert.equal((updated as ChatMembershipOutputs).role, "ROLE_MANAGER");
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });
  });

  describe("the calling principal of every provider instance is published where it is first known, and kept", () => {
    /** A space made by admin@example.com, with bob@example.com as a second owner. */
    const spaceWithBob = async () => {
      const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create", "chat.memberships"]);
      const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
      const { data: bobs } = await admin.spaces.members.create({ parent: s, requestBody: { member: { name: "users/bob@example.com", type: "HUMAN" } } });
      await admin.spaces.members.patch({ name: bobs.name!, updateMask: "role", requestBody: { role: "ROLE_MANAGER" } });
      return s;
    };
    /** bob's own credentials (no impersonation): who the caller is stays unknown until tokeninfo is asked. */
    const bobsOwnCredentials = async () => ({
      app: true,
      key: (await t.control.authorizedUser("bob@example.com", ["https://www.googleapis.com/auth/chat.memberships"])) as unknown as ServiceAccountKey,
    });
    /** The tokeninfo requests since `mark`, each with its answer's status. */
    const tokeninfo = async (mark: number) => (await t.control.requests(mark)).filter((r) => r.rpc === "oauth2.tokeninfo").map((r) => `${r.rpc} ${r.status}`);
    const userStays = (holders: string) =>
      `it is the calling user of the provider of ${holders} (another provider instance of this deployment), ` +
      "which never removes it (that provider would lose sight of the space and of every later change)";
    const appStays = (holders: string) =>
      `it is a Chat app, and the provider of ${holders} (another provider instance of this deployment) acts as the calling Chat app (app authentication), ` +
      "which may be this one: that provider never removes its own membership (it would lose sight of the space and of every later change)";

    it("a new ChatMembership of admin under bob's own credentials, checked before an authoritative roster under admin that leaves bob undeclared: its process asks tokeninfo when configured and publishes bob, so the roster's preview and update keep him", async () => {
      const s = await spaceWithBob();
      const roster = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }] });
      const { outs } = await (await deployment("127.0.0.1:40001").process()).rosters.create(roster);
      const seat = membershipInputs("admin-seat", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" });
      const kept = [
        `ChatSpaceMembers eng-members: = ${ADMIN}: not declared, kept: it is the calling user, which an authoritative roster never removes`,
        `ChatSpaceMembers eng-members: = ${BOB}: not declared, kept: ${userStays("ChatMembership admin-seat")}`,
      ];
      // The preview: bob's process, configured, asks who his credentials are (one tokeninfo request); the check makes no call.
      const preview = deployment("127.0.0.1:40002");
      const pAdmin = await preview.process();
      let mark = await logMark(t);
      const pBob = await preview.process(await bobsOwnCredentials());
      assert.deepEqual(await pBob.memberships.check({}, seat), { inputs: seat });
      assert.deepEqual({ tokeninfo: await tokeninfo(mark), calls: await apiCalls(t, mark) }, { tokeninfo: ["oauth2.tokeninfo 200"], calls: [] });
      assert.deepEqual(await pAdmin.rosters.check(roster, roster), { inputs: roster });
      mark = await logMark(t);
      const previewDiff = await pAdmin.rosters.diff(s, outs as ChatSpaceMembersOutputs, roster);
      assert.deepEqual({ changes: previewDiff.changes, detailedDiff: previewDiff.detailedDiff }, { changes: false, detailedDiff: {} });
      assert.deepEqual(pAdmin.logs, kept);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/bob%40example.com 200`], "one read: which member bob, published by email, is");
      // The up: the roster's update runs before the ChatMembership's create, and keeps bob.
      const up = deployment("127.0.0.1:40003");
      const [asAdmin, asBob] = [await up.process(), await up.process(await bobsOwnCredentials())];
      await asBob.memberships.check({}, seat);
      await asAdmin.rosters.check(roster, roster);
      await asAdmin.rosters.diff(s, outs as ChatSpaceMembersOutputs, roster);
      mark = await logMark(t);
      await asAdmin.rosters.update(s, outs as ChatSpaceMembersOutputs, roster);
      assert.deepEqual(await apiCalls(t, mark), [], "no removal");
      await asBob.memberships.create(seat);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });

    it("the same, the ChatMembership's create done before the roster's update: the update keeps bob", async () => {
      const s = await spaceWithBob();
      const roster = rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com" }] });
      const { outs } = await (await deployment("127.0.0.1:40001").process()).rosters.create(roster);
      const seat = membershipInputs("admin-seat", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" });
      const up = deployment("127.0.0.1:40003");
      const [asAdmin, asBob] = [await up.process(), await up.process(await bobsOwnCredentials())];
      await asBob.memberships.check({}, seat);
      await asBob.memberships.create(seat);
      await asAdmin.rosters.check(roster, roster);
      const mark = await logMark(t);
      const diff = await asAdmin.rosters.diff(s, outs as ChatSpaceMembersOutputs, roster);
      assert.deepEqual(diff.detailedDiff, {});
      await asAdmin.rosters.update(s, outs as ChatSpaceMembersOutputs, roster);
      assert.deepEqual(asAdmin.logs, [
        `ChatSpaceMembers eng-members: = ${ADMIN}: not declared, kept: it is the calling user, which an authoritative roster never removes`,
        `ChatSpaceMembers eng-members: = ${BOB}: not declared, kept: ${userStays("ChatMembership admin-seat")}`,
      ]);
      assert.deepEqual(
        await apiCalls(t, mark),
        [`GET /v1/${s}/members/bob%40example.com 200`],
        "one read: which member bob, published by email, is; no removal",
      );
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });

    it("a ChatMembership of bob under admin's provider, dropped in the up that adds a ChatMembership of alice under bob's own credentials: its delete keeps bob, saying why", async () => {
      const s = await space();
      const bobSeat = membershipInputs("bob-seat", { space: s, user: "bob@example.com", role: "ROLE_MANAGER" });
      const { id, outs } = await (await deployment("127.0.0.1:40001").process()).memberships.create(bobSeat);
      const up = deployment("127.0.0.1:40002");
      const [asAdmin, asBob] = [await up.process(), await up.process(await bobsOwnCredentials())];
      const alice = membershipInputs("alice", { space: s, user: "alice@example.com" });
      assert.deepEqual(await asBob.memberships.check({}, alice), { inputs: alice });
      await asBob.memberships.create(alice);
      const mark = await logMark(t);
      await asAdmin.memberships.delete(id, outs as ChatMembershipOutputs);
      // One read of admin's id (is bob its own caller?); one of whom bob's email, as his process published it, names now.
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/admin%40example.com 200`, `GET /v1/${s}/members/bob%40example.com 200`]);
      assert.deepEqual(asAdmin.logs, [`ChatMembership ${BOB} in ${s}: ${BOB} stays in ${s}: ${userStays("ChatMembership alice")}.`]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });

    it("a ChatMembership of the calling app (chatApp: true) under a provider acting as admin, dropped beside a roster under a provider acting as the app: its delete keeps the app, saying why", async () => {
      // A space the app created (it is its member, and the only one that lets app auth manage it), admin added by the app.
      const app = t.asApp(["chat.app.spaces.create", "chat.app.memberships"]);
      const s = (await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Bot", customer: "customers/my_customer" } })).data.name!;
      await app.spaces.members.create({ parent: s, requestBody: { member: { name: "users/admin@example.com", type: "HUMAN" } } });
      const bot = membershipInputs("bot", { space: s, chatApp: true });
      const roster = rosterInputs("bot-members", { space: s, members: [{ user: "alice@example.com" }], mode: "addOnly" });
      const earlier = deployment("127.0.0.1:40001");
      const [asAdmin0, asApp0] = [await earlier.process(), await earlier.process({ app: true })];
      await asAdmin0.memberships.check({}, bot);
      const { id, outs } = await asAdmin0.memberships.create(bot);
      await asApp0.rosters.check({}, roster);
      const { outs: rosterOuts } = await asApp0.rosters.create(roster);
      const up = deployment("127.0.0.1:40002");
      const [asAdmin, asApp] = [await up.process(), await up.process({ app: true })];
      assert.deepEqual(await asApp.rosters.check(roster, roster), { inputs: roster });
      assert.equal((await asApp.rosters.diff(s, rosterOuts as ChatSpaceMembersOutputs, roster)).changes, false);
      const mark = await logMark(t);
      await asAdmin.memberships.delete(id, outs as ChatMembershipOutputs);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/admin%40example.com 200`], "one read of admin's id, no DELETE");
      assert.deepEqual(asAdmin.logs, [`ChatMembership ${outs!.member} in ${s}: ${outs!.member} stays in ${s}: ${appStays("ChatSpaceMembers bot-members")}.`]);
      assert.ok((await membersOf(s)).includes(`${outs!.member} ROLE_MEMBER JOINED`));
    });

    it("an authoritative roster under admin, beside a ChatMembership of admin under a provider acting as the app: the roster's preview and update keep the app, as they keep the calling user of another instance", async () => {
      const app = t.asApp(["chat.app.spaces.create", "chat.app.memberships"]);
      const s = (await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Bot", customer: "customers/my_customer" } })).data.name!;
      const roster = rosterInputs("bot-members", { space: s, members: [{ user: "alice@example.com" }] });
      const seat = membershipInputs("admin-seat", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" });
      const earlier = deployment("127.0.0.1:40001");
      const [asAdmin0, asApp0] = [await earlier.process(), await earlier.process({ app: true })];
      await asApp0.memberships.check({}, seat);
      await asApp0.memberships.create(seat);
      await asAdmin0.rosters.check({}, roster);
      const { outs } = await asAdmin0.rosters.create(roster);
      const appMember = outs!.members.find((m) => m.memberType === "BOT")!.member;
      const up = deployment("127.0.0.1:40002");
      const [asAdmin, asApp] = [await up.process(), await up.process({ app: true })];
      assert.deepEqual(await asApp.memberships.check(seat, seat), { inputs: seat });
      assert.deepEqual(await asAdmin.rosters.check(roster, roster), { inputs: roster });
      const mark = await logMark(t);
      const diff = await asAdmin.rosters.diff(s, outs as ChatSpaceMembersOutputs, roster);
      assert.deepEqual({ changes: diff.changes, detailedDiff: diff.detailedDiff }, { changes: false, detailedDiff: {} });
      assert.deepEqual(asAdmin.logs, [
        `ChatSpaceMembers bot-members: = ${ADMIN}: not declared, kept: it is the calling user, which an authoritative roster never removes`,
        `ChatSpaceMembers bot-members: = ${appMember}: not declared, kept: ${appStays("ChatMembership admin-seat")}`,
      ]);
      await asAdmin.rosters.update(s, outs as ChatSpaceMembersOutputs, roster);
      assert.deepEqual(await apiCalls(t, mark), []);
      assert.ok((await membersOf(s)).includes(`${appMember} ROLE_MEMBER JOINED`));
    });
  });
});
