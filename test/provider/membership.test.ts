/**
 * ChatMembership against the emulator over HTTP: the exact calls of each lifecycle step, a
 * crashed create repeated, drift, the last-owner rule and the 404 rule (a 404 that can't be told
 * from lost access is not taken for a removal).
 */
import assert from "node:assert/strict";
import type { MembershipSdkInputs } from "../../provider/membership/inputs";
import type { ChatMembershipProvider } from "../../provider/membership/provider";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, apiCallsWithAccess, logMark } from "../helpers/provider";
import { membershipInputs, membershipProvider, secondWhileFirstHeld } from "./membership-helpers";

const ALICE = "users/110000000000000000002";
const ADMIN = "users/110000000000000000001";
const BOB = "users/110000000000000000003";

describe("provider: ChatMembership", () => {
  const t = useEmulator();
  /** A space made by admin@example.com, its one owner. */
  const space = async (spaceType = "SPACE") => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const { data } = await admin.spaces.create({ requestBody: { spaceType, displayName: "Eng" } });
    return data.name!;
  };
  const membersOf = async (name: string) =>
    (await t.control.state()).memberships[name.slice("spaces/".length)].map((m) => `${m.memberName} ${m.role} ${m.state}`);

  describe("create", () => {
    it("adds a member with one call and keeps the canonical name, member and declaration", async () => {
      const s = await space();
      const { provider } = await membershipProvider(t);
      const mark = await logMark(t);
      const { id, outs } = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com" }));
      assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 200`]);
      assert.equal(id, `${s}/members/110000000000000000002`);
      const { createTime, ...rest } = outs as ChatMembershipOutputs;
      assert.ok(createTime);
      assert.deepEqual(rest, {
        name: id,
        space: s,
        member: ALICE,
        memberType: "HUMAN",
        role: "ROLE_MEMBER",
        state: "JOINED",
        __declared: { space: s, user: "alice@example.com" },
      });
    });

    it("reads the membership again when Google answers its create with the name alone: the state never holds a blank member", async () => {
      const s = await space();
      const { provider } = await membershipProvider(t);
      await t.control.addFault({ match: { methods: ["spaces.members.create"] }, action: { kind: "nameOnlyAfterCommit" }, count: 1 });
      const mark = await logMark(t);
      const { id, outs } = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com" }));
      assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 200`, `GET /v1/${id} 200`]);
      assert.deepEqual([outs!.member, outs!.memberType, outs!.role, outs!.state], [ALICE, "HUMAN", "ROLE_MEMBER", "JOINED"]);
    });

    it("makes an owner with one more call, a PATCH with mask role: Google takes the role only on update", async () => {
      const s = await space();
      const { provider } = await membershipProvider(t);
      const mark = await logMark(t);
      const { id, outs } = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_MANAGER" }));
      assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 200`, `PATCH /v1/${id} role 200`]);
      assert.equal(outs!.role, "ROLE_MANAGER");
    });

    it("adds a Google Group without a role, and the calling Chat app as users/app", async () => {
      const s = await space();
      const { provider } = await membershipProvider(t);
      const mark = await logMark(t);
      const group = await provider.create(membershipInputs("devs", { space: s, group: "groups/devs" }));
      const app = await provider.create(membershipInputs("app", { space: s, chatApp: true }));
      assert.deepEqual([group.outs!.member, group.outs!.memberType, group.outs!.role], ["groups/devs", "GROUP", ""]);
      assert.deepEqual([app.outs!.memberType, app.outs!.role], ["BOT", "ROLE_MEMBER"]);
      assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 200`, `POST /v1/${s}/members 200`]);
    });

    it("repeated after a crash (member added, state not written), takes the membership over: no failure, no second membership", async () => {
      const s = await space();
      await (await membershipProvider(t)).provider.create(membershipInputs("alice", { space: s, user: "alice@example.com" }));
      // The next up, in a new process, with the role declared since.
      const { provider, logs } = await membershipProvider(t);
      const mark = await logMark(t);
      const { id, outs } = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_ASSISTANT_MANAGER" }));
      assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 409`, `GET /v1/${s}/members/alice%40example.com 200`, `PATCH /v1/${id} role 200`]);
      assert.equal(outs!.role, "ROLE_ASSISTANT_MANAGER");
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_ASSISTANT_MANAGER JOINED`]);
      assert.deepEqual(logs, [`ChatMembership alice: users/alice@example.com is already a member of ${s}; this resource takes that membership over`]);
    });

    it("takes over an owner made in Chat, declared lower, without demoting her: the preview said create; the state records her role, so the next preview plans the demotion", async () => {
      const s = await space();
      await t.control.addMember(s, "alice@example.com", "ROLE_MANAGER");
      const { provider, logs } = await membershipProvider(t);
      const inputs = membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_MEMBER" });
      const mark = await logMark(t);
      const { id, outs } = await provider.create(inputs);
      assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 409`, `GET /v1/${s}/members/alice%40example.com 200`], "no PATCH, no list of owners");
      assert.equal(outs!.role, "ROLE_MANAGER");
      assert.deepEqual(outs!.__declared, { space: s, user: "alice@example.com", role: "ROLE_MEMBER" });
      assert.equal(outs!.__caller, undefined);
      assert.deepEqual(logs, [
        `ChatMembership alice: users/alice@example.com is already a member of ${s}; this resource takes that membership over`,
        `ChatMembership alice: = ${ALICE}: role ROLE_MANAGER kept, not ROLE_MEMBER: it was already a member at that role, which the preview could not show; the next preview announces the change`,
      ]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MANAGER JOINED`]);

      // The next up, in a new process: its preview announces the demotion, and the up makes it.
      const { provider: next } = await membershipProvider(t);
      assert.deepEqual(await next.diff(id, outs as ChatMembershipOutputs, inputs), {
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
        detailedDiff: { role: "update" },
      });
      const { outs: after } = await next.update(id, outs as ChatMembershipOutputs, inputs);
      assert.equal(after!.role, "ROLE_MEMBER");
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MEMBER JOINED`]);
    });

    it("takes over a manager made in Chat, declared lower, keeping her role; the calling user's own role is kept for its own reason", async () => {
      const s = await space();
      await t.control.addMember(s, "alice@example.com", "ROLE_ASSISTANT_MANAGER");
      const { provider, logs } = await membershipProvider(t);
      const mark = await logMark(t);
      const { outs } = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com" }));
      const { outs: admin } = await provider.create(membershipInputs("admin", { space: s, user: "admin@example.com" }));
      assert.deepEqual(await apiCalls(t, mark), [
        `POST /v1/${s}/members 409`,
        `GET /v1/${s}/members/alice%40example.com 200`,
        `POST /v1/${s}/members 409`,
        `GET /v1/${s}/members/admin%40example.com 200`,
      ]);
      assert.deepEqual([outs!.role, admin!.role, admin!.__caller], ["ROLE_ASSISTANT_MANAGER", "ROLE_MANAGER", "admin@example.com"]);
      assert.deepEqual(
        logs.filter((l) => l.includes(" kept, not ")),
        [
          `ChatMembership alice: = ${ALICE}: role ROLE_ASSISTANT_MANAGER kept, not ROLE_MEMBER: it was already a member at that role, which the preview could not show; the next preview announces the change`,
          `ChatMembership admin: = ${ADMIN}: role ROLE_MANAGER kept, not ROLE_MEMBER: it is the calling user, which is never demoted without googlechat:useAdminAccess (it could no longer manage the members: every later change would fail)`,
        ],
      );
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_ASSISTANT_MANAGER JOINED`]);
    });

    it("retries a create whose answer was lost, and takes the membership that try made", async () => {
      const s = await space();
      const { provider } = await membershipProvider(t);
      await t.control.addFault({ match: { methods: ["spaces.members.create"] }, action: { kind: "dropAfterCommit" }, count: 1 });
      const mark = await logMark(t);
      const { outs } = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com" }));
      assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 0`, `POST /v1/${s}/members 409`, `GET /v1/${s}/members/alice%40example.com 200`]);
      assert.equal(outs!.member, ALICE);
      assert.equal((await membersOf(s)).length, 2);
    });

    it("keeps a member whose role PATCH failed in the stack (partial failure), with the role left to plan again", async () => {
      const s = await space();
      const { provider } = await membershipProvider(t);
      await t.control.addFault({ match: { methods: ["spaces.members.patch"] }, action: { kind: "error", status: 400, message: "bad" } });
      const error: any = await provider
        .create({ ...membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_MANAGER" }), __provider: "stub" })
        .catch((e) => e);
      assert.equal(error.id, `${s}/members/110000000000000000002`);
      assert.equal(error.properties.role, "ROLE_MEMBER");
      assert.equal(error.properties.__provider, "stub");
      assert.deepEqual(error.properties.__declared, { space: s, user: "alice@example.com" });
      assert.match(
        error.message,
        /^ChatMembership alice: spaces\.members\.patch of spaces\/\S+ failed \(400 INVALID_ARGUMENT: bad\)\. Fix the member, role or times/,
      );
    });
  });

  describe("import mode, app auth and groups", () => {
    it("with app auth, the delete of a ChatMembership of the Chat app (chatApp: true, added with user authentication) keeps it: it is the calling app", async () => {
      const s = await space();
      const { id, outs } = await (await membershipProvider(t)).provider.create(membershipInputs("bot", { space: s, chatApp: true }));
      const { provider: asApp, logs } = await membershipProvider(t, { app: true });
      const mark = await logMark(t);
      await asApp.delete(id, outs!);
      assert.deepEqual(await apiCalls(t, mark), []);
      assert.deepEqual(logs, [
        `ChatMembership ${outs!.member} in ${s}: ${outs!.member} stays in ${s}: it is a Chat app, and the provider acts as the calling Chat app (app authentication), which never removes its own membership (it would lose sight of the space) and can't remove another app's.`,
      ]);
      assert.ok((await membersOf(s)).includes(`${outs!.member} ROLE_MEMBER JOINED`));
    });

    it("adds a historical membership to an import-mode space with chat.import, in one call: NOT_A_MEMBER, with its times", async () => {
      const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
      const { data } = await importer.spaces.create({
        requestBody: { spaceType: "SPACE", displayName: "Old", importMode: true, createTime: "2019-01-01T00:00:00Z" },
      });
      const s = data.name!;
      const { provider } = await membershipProvider(t);
      const declared = { space: s, user: "alice@example.com", createTime: "2019-02-01T00:00:00Z", deleteTime: "2020-01-01T00:00:00Z" };
      await t.control.addFault({ match: { methods: ["spaces.members.create"] }, action: { kind: "error", status: 403, message: "no" }, count: 1 });
      const refused = await provider.create(membershipInputs("alice", declared)).catch((e) => e);
      assert.match(refused.message, /The call asked for the scope https:\/\/www\.googleapis\.com\/auth\/chat\.import\.$/);
      const mark = await logMark(t);
      const { outs } = await provider.create(membershipInputs("alice", declared));
      assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 200`]);
      assert.deepEqual([outs!.state, outs!.createTime, outs!.deleteTime], ["NOT_A_MEMBER", "2019-02-01T00:00:00.000Z", "2020-01-01T00:00:00.000Z"]);
      assert.deepEqual(await provider.diff(outs!.name, outs!, membershipInputs("alice", declared)), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
        detailedDiff: {},
      });
    });

    describe("other import-mode times for a member already in the space", () => {
      const T1 = "2019-02-01T00:00:00Z";
      const T2 = "2019-03-01T00:00:00Z";
      const LEFT = "2020-01-01T00:00:00Z";
      /** An import-mode space, made by its importer admin@example.com (no member of it), with one process's provider. */
      const archive = async () => {
        const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
        const { data } = await importer.spaces.create({
          requestBody: { spaceType: "SPACE", displayName: "Old", importMode: true, createTime: "2019-01-01T00:00:00Z" },
        });
        return { s: data.name!, ...(await membershipProvider(t)) };
      };
      /**
       * The engine's replacement of `old` (declared `declared`) by `news` that creates first: the
       * check against the old inputs, then the diff, which plans it (her email declared where her
       * users/{id} was, with other times: the member's field is replaced too, so not delete-first).
       */
      const replacedCreateFirst = async (
        provider: ChatMembershipProvider,
        declared: MembershipSdkInputs,
        old: { id: string; outs?: ChatMembershipOutputs },
        news: MembershipSdkInputs,
      ) => {
        await provider.check(declared, news);
        const diff = await provider.diff(old.id, old.outs!, news);
        assert.deepEqual([(diff.replaces ?? []).length > 0, diff.deleteBeforeReplace], [true, false], "a replacement that creates first");
      };
      const historical = async (s: string) =>
        (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => `${m.memberName} ${m.state} ${m.createTime} ${m.deleteTime}`);

      it("a new ChatMembership of a member already there with other times (a migration's), or up --replace with new times: refused alike, with no write (the create can't tell a replacement its preview announced)", async () => {
        const { s, provider, logs } = await archive();
        const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
        await importer.spaces.members.create({ parent: s, requestBody: { member: { name: "users/alice@example.com", type: "HUMAN" }, createTime: T1 } });
        // A new resource, and a targeted replace, are checked with no old inputs, then created (step_generator.go).
        const news = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T2, deleteTime: LEFT });
        assert.deepEqual(await provider.check({} as never, news), { inputs: news });
        const mark = await logMark(t);
        await assert.rejects(provider.create(news), {
          message:
            `ChatMembership alice: ${ALICE} is already a member of ${s} with other values (createTime is "2019-02-01T00:00:00.000Z", declared "${T2}"; ` +
            `deleteTime is null, declared "${LEFT}"), which Google sets only when a membership is created. A create removes a membership only as the ` +
            "replacement of it that its preview announced, which this one can't tell it is (a new resource, a replacement of another member or from " +
            "another space, or one the engine replaces without asking: --replace, pulumi state taint, replaceWith): declare the membership's values to " +
            "take it over, then change them and run pulumi up without --replace (pulumi state untaint a tainted one): its preview announces the " +
            "replacement. Or remove the member in Chat first.",
        });
        assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 409`, `GET /v1/${s}/members/alice%40example.com 200`]);
        assert.deepEqual(await historical(s), [`${ALICE} JOINED 2019-02-01T00:00:00.000Z undefined`], "she is still a member");
        assert.deepEqual(logs, []);
      });

      it("a replacement its preview announced that creates first (her email declared where her users/{id} was) with a new createTime meets the old membership: removes it and adds the member again with the declared times; the old half's delete reads it and keeps it", async () => {
        const { s, provider, logs } = await archive();
        const declared = membershipInputs("alice", { space: s, user: ALICE, createTime: T1, deleteTime: LEFT });
        const old = await provider.create(declared);
        const news = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T2, deleteTime: LEFT });
        await replacedCreateFirst(provider, declared, old, news);
        let mark = await logMark(t);
        const { id, outs } = await provider.create(news);
        assert.deepEqual(await apiCalls(t, mark), [
          `POST /v1/${s}/members 409`,
          `GET /v1/${s}/members/alice%40example.com 200`,
          // Whether she is the calling user (an email may be an alias of it): the caller's own membership (none: the diff listed her spaces).
          `GET /v1/${s}/members/admin%40example.com 404`,
          `DELETE /v1/${old.id} 200`,
          `POST /v1/${s}/members 200`,
        ]);
        assert.equal(id, old.id, "the same member: the membership keeps its name");
        assert.deepEqual([outs!.state, outs!.createTime, outs!.deleteTime], ["NOT_A_MEMBER", "2019-03-01T00:00:00.000Z", "2020-01-01T00:00:00.000Z"]);
        assert.deepEqual(logs, [
          `ChatMembership alice: ${ALICE} is already a member of ${s} with other values (createTime is "2019-02-01T00:00:00.000Z", declared "${T2}"), ` +
            "which Google sets only when a membership is created, and no resource of the program holds it: it is removed and added again with the declared values",
        ]);
        mark = await logMark(t);
        await provider.delete(old.id, old.outs!);
        // The membership read (the state's times are the old half's), and the caller's own membership (not in the space: no id).
        assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${old.id} 200`, `GET /v1/${s}/members/admin%40example.com 404`]);
        assert.equal(logs.at(-1), `ChatMembership ${ALICE} in ${s}: ${ALICE} stays in ${s}: the program declares it in ChatMembership alice.`);
        assert.deepEqual(await historical(s), [`${ALICE} NOT_A_MEMBER 2019-03-01T00:00:00.000Z 2020-01-01T00:00:00.000Z`]);
      });

      it("a replacement of bob's membership by alice's, whom a migration imported with other times: the preview announced alice's add, so the create refuses to remove her, with no write", async () => {
        const { s, provider, logs } = await archive();
        const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
        await importer.spaces.members.create({ parent: s, requestBody: { member: { name: "users/alice@example.com", type: "HUMAN" }, createTime: T1 } });
        const bob = membershipInputs("seat", { space: s, user: "bob@example.com", createTime: T1 });
        const old = await provider.create(bob);
        const alice = membershipInputs("seat", { space: s, user: "alice@example.com", createTime: T2 });
        await replacedCreateFirst(provider, bob, old, alice);
        const mark = await logMark(t);
        await assert.rejects(provider.create(alice), /A create removes a membership only as the replacement of it that its preview announced/);
        assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 409`, `GET /v1/${s}/members/alice%40example.com 200`]);
        assert.ok((await historical(s)).includes(`${ALICE} JOINED 2019-02-01T00:00:00.000Z undefined`), "alice is still a member, as imported");
        assert.deepEqual(logs, []);
      });

      it("a replacement that moves alice's membership to another space, where a migration imported her with other times: the preview announced her add there, so the create refuses to remove her, with no write", async () => {
        const { s, provider, logs } = await archive();
        const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
        const other = (
          await importer.spaces.create({
            requestBody: { spaceType: "SPACE", displayName: "Older", importMode: true, createTime: "2019-01-01T00:00:00Z" },
          })
        ).data.name!;
        await importer.spaces.members.create({ parent: other, requestBody: { member: { name: "users/alice@example.com", type: "HUMAN" }, createTime: T1 } });
        const inFirst = membershipInputs("alice", { space: s, user: ALICE, createTime: T2 });
        const old = await provider.create(inFirst);
        const inOther = membershipInputs("alice", { space: other, user: ALICE, createTime: T2 });
        await provider.check(inFirst, inOther);
        assert.deepEqual((await provider.diff(old.id, old.outs!, inOther)).detailedDiff, { space: "update" });
        const mark = await logMark(t);
        await assert.rejects(provider.create(inOther), /A create removes a membership only as the replacement of it that its preview announced/);
        assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${other}/members 409`, `GET /v1/${other}/members/${ALICE.slice("users/".length)} 200`]);
        assert.deepEqual(await historical(other), [`${ALICE} JOINED 2019-02-01T00:00:00.000Z undefined`], "her imported membership, as it was");
        assert.deepEqual(logs, []);
      });

      it("a create-first replacement with a new createTime of alice, made ROLE_ASSISTANT_MANAGER in Chat since: added again, she gets that role back (a demotion the preview did not show), and the next preview announces it", async () => {
        const { s, provider, logs } = await archive();
        const declaredT1 = membershipInputs("alice", { space: s, user: ALICE, createTime: T1 });
        const old = await provider.create(declaredT1);
        const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
        await importer.spaces.members.patch({ name: old.id, updateMask: "role", requestBody: { role: "ROLE_ASSISTANT_MANAGER" } });
        const news = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T2 });
        await replacedCreateFirst(provider, declaredT1, old, news);
        const mark = await logMark(t);
        const { outs } = await provider.create(news);
        assert.deepEqual(await apiCalls(t, mark), [
          `POST /v1/${s}/members 409`,
          `GET /v1/${s}/members/alice%40example.com 200`,
          `GET /v1/${s}/members/admin%40example.com 404`,
          `DELETE /v1/${old.id} 200`,
          `POST /v1/${s}/members 200`,
          `PATCH /v1/${old.id} role 200`,
        ]);
        assert.deepEqual([outs!.role, outs!.createTime], ["ROLE_ASSISTANT_MANAGER", "2019-03-01T00:00:00.000Z"]);
        assert.equal(
          logs.at(-1),
          `ChatMembership alice: = ${ALICE}: role ROLE_ASSISTANT_MANAGER kept, not ROLE_MEMBER: ` +
            "it was already a member at that role, which the preview could not show; the next preview announces the change",
        );
        const fresh = await membershipProvider(t);
        await fresh.provider.check(news, news);
        assert.deepEqual((await fresh.provider.diff(outs!.name, outs!, news)).detailedDiff, { role: "update" });
      });

      it("a create-first replacement with a new createTime of a raised member, the answer of her add again lost: its retry meets the membership it made (ALREADY_EXISTS, the declared times), which is read, and her role is given back", async () => {
        const { s, provider } = await archive();
        const declaredT1 = membershipInputs("alice", { space: s, user: ALICE, createTime: T1 });
        const old = await provider.create(declaredT1);
        const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
        await importer.spaces.members.patch({ name: old.id, updateMask: "role", requestBody: { role: "ROLE_ASSISTANT_MANAGER" } });
        const news = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T2 });
        await replacedCreateFirst(provider, declaredT1, old, news);
        // Two creates' answers dropped: the first meets the old membership (409 all the same); the second, after the DELETE, is committed, its answer lost.
        await t.control.addFault({ match: { methods: ["spaces.members.create"] }, action: { kind: "dropAfterCommit" }, count: 2 });
        const mark = await logMark(t);
        const { outs } = await provider.create(news);
        assert.deepEqual((await apiCalls(t, mark)).slice(-5), [
          `DELETE /v1/${old.id} 200`,
          `POST /v1/${s}/members 0`,
          `POST /v1/${s}/members 409`,
          `GET /v1/${s}/members/alice%40example.com 200`,
          `PATCH /v1/${old.id} role 200`,
        ]);
        assert.deepEqual([outs!.role, outs!.createTime], ["ROLE_ASSISTANT_MANAGER", "2019-03-01T00:00:00.000Z"]);
      });

      it("a create-first replacement that makes a manager a past member (a new createTime and a deleteTime): added again as NOT_A_MEMBER, with no role given back (Google changes no past member's role)", async () => {
        const { s, provider } = await archive();
        const declaredT1 = membershipInputs("alice", { space: s, user: ALICE, createTime: T1 });
        const old = await provider.create(declaredT1);
        const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
        await importer.spaces.members.patch({ name: old.id, updateMask: "role", requestBody: { role: "ROLE_ASSISTANT_MANAGER" } });
        const news = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T2, deleteTime: LEFT });
        await replacedCreateFirst(provider, declaredT1, old, news);
        const mark = await logMark(t);
        const { outs } = await provider.create(news);
        assert.deepEqual((await apiCalls(t, mark)).slice(-2), [`DELETE /v1/${old.id} 200`, `POST /v1/${s}/members 200`]);
        assert.deepEqual([outs!.state, outs!.role], ["NOT_A_MEMBER", "ROLE_MEMBER"]);
        assert.deepEqual(await historical(s), [`${ALICE} NOT_A_MEMBER 2019-03-01T00:00:00.000Z 2020-01-01T00:00:00.000Z`]);
      });

      it("a delete-first replacement for new times (the diff's) reads the membership once, finds the old times and removes it", async () => {
        const { s, provider } = await archive();
        const old = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T1 }));
        const news = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T2 });
        await provider.check(old.outs!.__declared as never, news);
        assert.equal((await provider.diff(old.id, old.outs!, news)).deleteBeforeReplace, true);
        const mark = await logMark(t);
        await provider.delete(old.id, old.outs!);
        assert.deepEqual(await apiCalls(t, mark), [
          `GET /v1/${old.id} 200`,
          // Whether she is the calling user: its id, read once per process.
          `GET /v1/${s}/members/admin%40example.com 404`,
          "GET /v1/spaces 200",
          `GET /v1/${s}/members 200`,
          `DELETE /v1/${old.id} 200`,
        ]);
        assert.deepEqual(await historical(s), []);
      });

      it("a delete-first replacement for a new createTime of alice, made ROLE_ASSISTANT_MANAGER in Chat since: its delete reads that role, and its create gives it back (a demotion the preview did not show); the next preview announces it", async () => {
        const { s, provider, logs } = await archive();
        const old = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T1 }));
        const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
        await importer.spaces.members.patch({ name: old.id, updateMask: "role", requestBody: { role: "ROLE_ASSISTANT_MANAGER" } });
        const news = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T2 });
        await provider.check(old.outs!.__declared as never, news);
        // The state still says ROLE_MEMBER: the preview shows a replacement, and no demotion.
        assert.equal((await provider.diff(old.id, old.outs!, news)).deleteBeforeReplace, true);
        let mark = await logMark(t);
        await provider.delete(old.id, old.outs!);
        assert.deepEqual((await apiCalls(t, mark))[0], `GET /v1/${old.id} 200`, "the delete reads the membership once, its role with its times");
        assert.equal(
          logs.at(-1),
          `ChatMembership alice: ${ALICE} was ROLE_ASSISTANT_MANAGER in ${s}, above the declared ROLE_MEMBER, and is removed to be added again with the declared times; ` +
            `the replacement's create gives that role back. Should this update stop before it, the next one adds ${ALICE} at ROLE_MEMBER: give it ROLE_ASSISTANT_MANAGER in Chat again.`,
        );
        mark = await logMark(t);
        const { outs } = await provider.create(news);
        assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 200`, `PATCH /v1/${old.id} role 200`]);
        assert.deepEqual([outs!.role, outs!.state, outs!.createTime], ["ROLE_ASSISTANT_MANAGER", "JOINED", "2019-03-01T00:00:00.000Z"]);
        assert.equal(
          logs.at(-1),
          `ChatMembership alice: = ${ALICE}: role ROLE_ASSISTANT_MANAGER kept, not ROLE_MEMBER: ` +
            "it was already a member at that role, which the preview could not show; the next preview announces the change",
        );
        assert.deepEqual(await membersOf(s), [`${ALICE} ROLE_ASSISTANT_MANAGER JOINED`]);
        const fresh = await membershipProvider(t);
        await fresh.provider.check(news, news);
        assert.deepEqual((await fresh.provider.diff(outs!.name, outs!, news)).detailedDiff, { role: "update" });
      });

      it("a delete-first replacement's create whose answer is lost gives the role back too: its retry meets the membership it made (ALREADY_EXISTS, the declared times)", async () => {
        const { s, provider } = await archive();
        const old = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T1 }));
        const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
        await importer.spaces.members.patch({ name: old.id, updateMask: "role", requestBody: { role: "ROLE_ASSISTANT_MANAGER" } });
        const news = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T2 });
        await provider.check(old.outs!.__declared as never, news);
        await provider.diff(old.id, old.outs!, news);
        await provider.delete(old.id, old.outs!);
        await t.control.addFault({ match: { methods: ["spaces.members.create"] }, action: { kind: "dropAfterCommit" }, count: 1 });
        const mark = await logMark(t);
        const { outs } = await provider.create(news);
        assert.deepEqual(await apiCalls(t, mark), [
          `POST /v1/${s}/members 0`,
          `POST /v1/${s}/members 409`,
          `GET /v1/${s}/members/alice%40example.com 200`,
          `PATCH /v1/${old.id} role 200`,
        ]);
        assert.deepEqual([outs!.role, outs!.createTime], ["ROLE_ASSISTANT_MANAGER", "2019-03-01T00:00:00.000Z"]);
      });

      it("a delete-first replacement to a deleteTime (a past member now) carries no role: Google changes no past member's role, and nothing is logged", async () => {
        const { s, provider, logs } = await archive();
        const old = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T1 }));
        const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
        await importer.spaces.members.patch({ name: old.id, updateMask: "role", requestBody: { role: "ROLE_ASSISTANT_MANAGER" } });
        const news = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T1, deleteTime: LEFT });
        await provider.check(old.outs!.__declared as never, news);
        assert.equal((await provider.diff(old.id, old.outs!, news)).deleteBeforeReplace, true);
        await provider.delete(old.id, old.outs!);
        const mark = await logMark(t);
        const { outs } = await provider.create(news);
        assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 200`]);
        assert.deepEqual([outs!.role, outs!.state], ["ROLE_MEMBER", "NOT_A_MEMBER"]);
        assert.deepEqual(logs, []);
      });

      it("the role a delete-first replacement's delete read is kept for its deployment alone: after a crash between the two steps, the next update's create (another deployment) adds the member at the declared role, as the delete's log said", async () => {
        const { s, provider } = await archive();
        const old = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T1 }));
        const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
        await importer.spaces.members.patch({ name: old.id, updateMask: "role", requestBody: { role: "ROLE_ASSISTANT_MANAGER" } });
        const news = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T2 });
        await provider.check(old.outs!.__declared as never, news);
        await provider.diff(old.id, old.outs!, news);
        await provider.delete(old.id, old.outs!);
        // The update stops here; the engine records the old resource as pending replacement, and
        // the next update, a new process, creates only (step_generator.go, `old.PendingReplacement`).
        const next = await membershipProvider(t);
        await next.provider.check(old.outs!.__declared as never, news);
        const mark = await logMark(t);
        const { outs } = await next.provider.create(news);
        assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 200`]);
        assert.equal(outs!.role, "ROLE_MEMBER");
      });

      it("refuses to remove the calling user's membership to add it again, saying why, with no write", async () => {
        const { s, provider } = await archive();
        const declaredT1 = membershipInputs("me", { space: s, user: ADMIN, createTime: T1 });
        const old = await provider.create(declaredT1);
        const news = membershipInputs("me", { space: s, user: "admin@example.com", createTime: T2 });
        await replacedCreateFirst(provider, declaredT1, old, news);
        const mark = await logMark(t);
        await assert.rejects(provider.create(news), {
          message:
            `ChatMembership me: ${ADMIN} is already a member of ${s} with other values (createTime is "2019-02-01T00:00:00.000Z", declared "${T2}"), ` +
            "which Google sets only when a membership is created, and it is not removed to be added again with the declared ones: " +
            "it is the calling user, whom this provider never removes (it would lose sight of the space and of every later change). " +
            "Declare its values, or remove the member in Chat first.",
        });
        assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 409`, `GET /v1/${s}/members/admin%40example.com 200`]);
      });

      it("removing an owner's membership to add it again is one of the space's owner-taking writes: held at its DELETE, bob's ChatMembership delete waits until she is back at her role, then reads the owners", async () => {
        const { s, provider } = await archive();
        // Only a space manager removes one (v1.d.ts spaces.members.delete), and import mode is a user's (chat.import): the importer is an owner.
        await t.control.addMember(s, "admin@example.com", "ROLE_MANAGER");
        const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
        const alice = await provider.create(membershipInputs("alice", { space: s, user: ALICE, createTime: T1 }));
        const bob = await provider.create(membershipInputs("bob", { space: s, user: BOB, createTime: T1 }));
        for (const { id } of [alice, bob]) await importer.spaces.members.patch({ name: id, updateMask: "role", requestBody: { role: "ROLE_MANAGER" } });
        const news = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T2 });
        await replacedCreateFirst(provider, alice.outs!.__declared as never, alice, news);
        const mark = await logMark(t);
        const outcomes = await secondWhileFirstHeld(
          t,
          "spaces.members.delete",
          () => provider.create(news),
          () => provider.delete(bob.id, bob.outs!),
        );
        assert.deepEqual(
          outcomes.map((o) => o.status),
          ["fulfilled", "fulfilled"],
        );
        const writes = (await apiCalls(t, mark)).filter((call) => !call.startsWith("GET "));
        assert.deepEqual(writes, [
          `POST /v1/${s}/members 409`,
          `DELETE /v1/${alice.id} 200`,
          `POST /v1/${s}/members 200`,
          `PATCH /v1/${alice.id} role 200`,
          `DELETE /v1/${bob.id} 200`,
        ]);
        assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MANAGER JOINED`]);
      });

      for (const owner of [false, true])
        it(
          owner
            ? "membership-recreate-failed-role-named: the same, alice an owner above the declared role: the message names the role the next up does not give back"
            : "says the member is out of the space when adding it again fails after its removal",
          async () => {
            const { s, provider } = await archive();
            const declaredT1 = membershipInputs("alice", { space: s, user: ALICE, createTime: T1 });
            const old = await provider.create(declaredT1);
            if (owner) {
              // Only a space manager removes one (v1.d.ts spaces.members.delete): the importer is an owner too.
              await t.control.addMember(s, "admin@example.com", "ROLE_MANAGER");
              await t.control.setRole(s, ALICE, "ROLE_MANAGER");
            }
            const news = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T2 });
            await replacedCreateFirst(provider, declaredT1, old, news);
            await t.control.addFault({ match: { methods: ["spaces.members.create"] }, action: { kind: "error", status: 409, message: "exists" }, count: 1 });
            await t.control.addFault({
              match: { methods: ["spaces.members.create"] },
              action: { kind: "error", status: 400, message: "Invalid createTime." },
              // Every matching rule counts a request, and the first error answers it: the first create is answered 409, the next 400.
              count: 2,
            });
            const error = await provider.create(news).then(
              () => assert.fail("created"),
              (e) => e,
            );
            assert.equal(
              error.message,
              `ChatMembership alice: ${ALICE} was removed from ${s} to be added again with the declared values, and adding it failed, so it is not a member now: ` +
                `spaces.members.create of ${s} failed (400 INVALID_ARGUMENT: Invalid createTime.). Fix the member, role or times this message names and run again. ` +
                `The next pulumi up adds it${owner ? " at ROLE_MEMBER: it was ROLE_MANAGER; give it ROLE_MANAGER in Chat then" : ""}.`,
            );
            // Alice is out of the space (admin, the owner added above, stays).
            assert.deepEqual(
              (await historical(s)).filter((m) => m.startsWith(ALICE)),
              [],
            );
          },
        );
    });

    it("with app auth, adds a person to a space the app created, with chat.app.memberships", async () => {
      const { data } = await t
        .asApp(["chat.app.spaces.create"])
        .spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Bot", customer: "customers/my_customer" } });
      const { provider } = await membershipProvider(t, { app: true });
      const mark = await logMark(t);
      const { id, outs } = await provider.create(membershipInputs("alice", { space: data.name!, user: "alice@example.com", role: "ROLE_ASSISTANT_MANAGER" }));
      assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${data.name}/members 200`, `PATCH /v1/${id} role 200`]);
      assert.equal(outs!.role, "ROLE_ASSISTANT_MANAGER");
    });

    it("takes over a group already in the space by listing the space's groups", async () => {
      const s = await space();
      await t.control.addMember(s, "groups/devs");
      const { provider } = await membershipProvider(t);
      const mark = await logMark(t);
      const { outs } = await provider.create(membershipInputs("devs", { space: s, group: "groups/devs" }));
      const calls = (await t.control.requests(mark)).filter((r) => r.rpc !== "oauth2.token").map((r) => `${r.rpc} ${r.status} ${r.query.showGroups ?? ""}`);
      assert.deepEqual(calls, ["spaces.members.create 409 ", "spaces.members.list 200 true"]);
      assert.equal(outs!.member, "groups/devs");
    });
  });

  describe("update, refresh and drift", () => {
    const withAlice = async (role?: "ROLE_MANAGER") => {
      const s = await space();
      const { provider, logs } = await membershipProvider(t);
      const inputs = membershipInputs("alice", { space: s, user: "alice@example.com", ...(role ? { role } : {}) });
      const { id, outs } = await provider.create(inputs);
      return { s, provider, logs, id, outs: outs!, inputs };
    };

    it("changes the role in place with one PATCH, after one listing of the owners (the state's role may be out of date)", async () => {
      const { s, provider, id, outs } = await withAlice();
      const news = membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_ASSISTANT_MANAGER" });
      assert.deepEqual(await provider.diff(id, outs, news), { changes: true, replaces: [], deleteBeforeReplace: false, detailedDiff: { role: "add" } });
      const mark = await logMark(t);
      const { outs: after } = await provider.update(id, outs, news);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`, `PATCH /v1/${id} role 200`]);
      assert.equal(after!.role, "ROLE_ASSISTANT_MANAGER");
      assert.deepEqual(await provider.diff(id, after!, news), { changes: false, replaces: [], deleteBeforeReplace: false, detailedDiff: {} });
    });

    it("shows a role changed in Chat after a refresh, and the next up restores the declared one", async () => {
      const { s, provider, id, outs, inputs } = await withAlice();
      await t.control.setRole(s, "alice@example.com", "ROLE_MANAGER");
      const mark = await logMark(t);
      // pulumi refresh: a deployment, and a provider process, of its own (the up's is another).
      const { props } = await (await membershipProvider(t)).provider.read(id, outs);
      assert.equal(props!.role, "ROLE_MANAGER");
      assert.deepEqual(await provider.diff(id, props!, inputs), { changes: true, replaces: [], deleteBeforeReplace: false, detailedDiff: { role: "update" } });
      const { outs: after } = await provider.update(id, props!, inputs);
      assert.equal(after!.role, "ROLE_MEMBER");
      // Demoting an owner first lists the owners (she is one, and another is left: admin@example.com),
      // then asks whether she is the calling user (admin@example.com's id, read once per process).
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${id} 200`,
        `GET /v1/${s}/members 200`,
        `GET /v1/${s}/members/admin%40example.com 200`,
        `PATCH /v1/${id} role 200`,
      ]);
    });

    it("shows an accepted invitation after a refresh, with nothing to change", async () => {
      await t.control.setSettings({ autoAcceptOff: ["alice@example.com"] });
      const { s, provider, id, outs, inputs } = await withAlice();
      assert.equal(outs.state, "INVITED");
      await t.control.acceptInvitation(s, "alice@example.com");
      const { props } = await provider.read(id, outs);
      assert.equal(props!.state, "JOINED");
      assert.deepEqual(await provider.diff(id, props!, inputs), { changes: false, replaces: [], deleteBeforeReplace: false, detailedDiff: {} });
    });

    it("drops a member removed in Chat from the stack when the caller still sees the space, so the next up adds it again", async () => {
      const { s, provider, id, outs } = await withAlice();
      await t.control.removeMember(s, "alice@example.com");
      const mark = await logMark(t);
      assert.deepEqual(await provider.read(id, outs), { id: "" });
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${id} 404`, `GET /v1/${s} 200`]);
    });

    it("replaces the membership for another member, a new space or new times; an undeclared time is not managed", async () => {
      const { s, provider, id, outs } = await withAlice();
      const diff = (declared: object) => provider.diff(id, outs, membershipInputs("alice", { space: s, user: "alice@example.com", ...declared }));
      // Another member or space: the new membership first, the old one removed after the program has run (unless declared then).
      assert.deepEqual(await diff({ user: "bob@example.com" }), {
        changes: true,
        replaces: ["user"],
        deleteBeforeReplace: false,
        detailedDiff: { user: "update" },
      });
      assert.deepEqual(
        await diff({ user: ALICE }),
        { changes: false, replaces: [], deleteBeforeReplace: false, detailedDiff: {} },
        "her users/{id} is the same member",
      );
      assert.deepEqual(await diff({ space: "spaces/other" }), {
        changes: true,
        replaces: ["space"],
        deleteBeforeReplace: false,
        detailedDiff: { space: "update" },
      });
      assert.deepEqual(await diff({ user: undefined, group: "groups/devs" }), {
        changes: true,
        replaces: ["group"],
        deleteBeforeReplace: false,
        detailedDiff: { group: "add" },
      });
      assert.deepEqual(await diff({ createTime: "2019-01-01T00:00:00Z" }), {
        changes: true,
        replaces: ["createTime"],
        deleteBeforeReplace: true,
        detailedDiff: { createTime: "add" },
      });
    });

    it("refuses a role change for a member removed in Chat since the last refresh, and names pulumi refresh: no member is added back unannounced", async () => {
      const { s, provider, id, outs } = await withAlice();
      await t.control.removeMember(s, "alice@example.com");
      const news = membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_MANAGER" });
      const mark = await logMark(t);
      await assert.rejects(provider.update(id, outs, news), {
        message:
          `ChatMembership alice: users/110000000000000000002 is no longer a member of ${s} (removed in Chat since the last refresh), so its role was not changed. ` +
          "Run `pulumi refresh`: it drops the membership from the state, and the next preview shows it added again as declared (or remove it from the program).",
      });
      assert.deepEqual(await apiCalls(t, mark), [`PATCH /v1/${id} role 404`, `GET /v1/${id} 404`, `GET /v1/${s} 200`]);
      assert.deepEqual(await provider.read(id, outs), { id: "" }, "the refresh it names drops the membership");
    });

    it("says to run pulumi refresh for a removed member even when the read that confirms the PATCH's 404 fails otherwise", async () => {
      const { s, provider, id, outs } = await withAlice();
      await t.control.removeMember(s, "alice@example.com");
      await t.control.addFault({ match: { methods: ["spaces.members.get"] }, action: { kind: "error", status: 403, message: "no" }, count: 1 });
      const mark = await logMark(t);
      await assert.rejects(provider.update(id, outs, membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_MANAGER" })), {
        message:
          `ChatMembership alice: users/110000000000000000002 is no longer a member of ${s} (removed in Chat since the last refresh), so its role was not changed. ` +
          "Run `pulumi refresh`: it drops the membership from the state, and the next preview shows it added again as declared (or remove it from the program).",
      });
      assert.deepEqual(await apiCalls(t, mark), [`PATCH /v1/${id} role 404`, `GET /v1/${id} 403`, `GET /v1/${s} 200`]);
    });
  });

  describe("the 404 rule: gone only where it can be told from not visible", () => {
    it("keeps a membership in a space the caller can no longer see, saying how to remove it deliberately; delete fails the same way", async () => {
      const s = await space();
      const admin = t.asDelegatedUser("admin@example.com", ["chat.memberships"]);
      const { data: alice } = await admin.spaces.members.create({ parent: s, requestBody: { member: { name: "users/alice@example.com", type: "HUMAN" } } });
      await admin.spaces.members.patch({ name: alice.name!, updateMask: "role", requestBody: { role: "ROLE_MANAGER" } });
      // alice manages bob's membership, then is removed from the space.
      const { provider, logs } = await membershipProvider(t, { user: "alice@example.com" });
      const { id, outs } = await provider.create(membershipInputs("bob", { space: s, user: "bob@example.com" }));
      await t.control.removeMember(s, "alice@example.com");
      const mark = await logMark(t);
      assert.deepEqual(await provider.read(id, outs!), { id, props: outs });
      const message =
        `ChatMembership users/110000000000000000003 in ${s}: Google answers 404 Not Found: the membership was removed, or these credentials can no longer see the space ` +
        "(the caller was removed from it, or googlechat:impersonateUser names another user). It stays in the stack. If it still exists, restore the access. " +
        "If it was removed, remove it from the stack deliberately: `pulumi state delete <urn>` (`pulumi stack --show-urns` lists them); the next up then adds the member again. " +
        "With googlechat:useAdminAccess (a Workspace administrator), a removed membership is recognised by itself in the administrator's own organisation " +
        "(admin access reaches no other organisation's spaces).";
      assert.deepEqual(logs, [message]);
      await assert.rejects(provider.delete(id, outs!), { message: message.replace("It stays in the stack", "It was not deleted and stays in the stack") });
      // Before the delete, the caller's id: alice is in no space now (404, and spaces.list lists none), so bob is not the caller.
      // Then the owners, which the space out of sight answers 404: a listing's 404 is the space's, which these credentials
      // don't see (no read to confirm it), so the membership can't be told gone, and is not deleted.
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${id} 404`,
        `GET /v1/${s} 404`,
        `GET /v1/${s}/members/alice%40example.com 404`,
        "GET /v1/spaces 200",
        `GET /v1/${s}/members 404`,
      ]);
      assert.ok(
        (await t.control.state()).memberships[s.slice(7)].some((m) => m.memberName === "users/110000000000000000003"),
        "bob is still there",
      );
    });

    it("with admin access, takes a 404 for gone once admin access reads the space: refresh drops the membership, delete succeeds", async () => {
      const s = await space();
      const { provider } = await membershipProvider(t, { useAdminAccess: true });
      const { id, outs } = await provider.create(membershipInputs("bob", { space: s, user: "bob@example.com" }));
      await t.control.removeMember(s, "bob@example.com");
      const mark = await logMark(t);
      assert.deepEqual(await provider.read(id, outs!), { id: "" });
      await provider.delete(id, outs!);
      // Each 404 is confirmed by one read of the space with admin access: it reaches the space, so the membership's 404 is its own.
      assert.deepEqual(await apiCallsWithAccess(t, mark), [
        `GET /v1/${id} admin 404`,
        `GET /v1/${s} admin 200`,
        `GET /v1/${s}/members/admin%40example.com admin 200`,
        `GET /v1/${s}/members admin 200`,
        `DELETE /v1/${id} admin 404`,
        `GET /v1/${s} admin 200`,
      ]);
    });
  });

  describe("never a space without an owner", () => {
    /** alice made an owner by the provider, and admin@example.com no longer one: alice is the last owner. */
    const lastOwner = async () => {
      const s = await space();
      const { provider } = await membershipProvider(t);
      const { id, outs } = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_MANAGER" }));
      await t.control.setRole(s, "admin@example.com", "ROLE_MEMBER");
      return { s, provider, id, outs: outs! };
    };
    const refusal = (s: string, doing: string) =>
      `ChatMembership alice: ${ALICE} is the last owner (ROLE_MANAGER, shown as Owner in Chat) of ${s}, and ${doing} would leave the space without one. ` +
      'Make another member an owner first (role: "ROLE_MANAGER" on another ChatMembership, then pulumi up), or delete the space itself. ' +
      "To stop managing this membership without removing it: `pulumi state delete <urn>` (`pulumi stack --show-urns` lists them), or the retainOnDelete resource option.";

    it("refuses to delete the last owner, after one list of the owners and before any write", async () => {
      const { s, provider, id, outs } = await lastOwner();
      const mark = await logMark(t);
      await assert.rejects(provider.delete(id, outs), {
        message: refusal(s, "removing it").replace("ChatMembership alice", `ChatMembership ${ALICE} in ${s}`),
      });
      const [list] = (await t.control.requests(mark)).filter((r) => r.rpc === "spaces.members.list");
      assert.deepEqual([list.rpc, list.query.filter, list.status], ["spaces.members.list", 'member.type = "HUMAN" AND role = "ROLE_MANAGER"', 200]);
      // The caller's id first (alice is not the caller, so she may go), then the owners.
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/admin%40example.com 200`, `GET /v1/${s}/members 200`]);
    });

    it("refuses to demote the last owner", async () => {
      const { s, provider, id, outs } = await lastOwner();
      const mark = await logMark(t);
      await assert.rejects(provider.update(id, outs, membershipInputs("alice", { space: s, user: "alice@example.com" })), {
        message: refusal(s, "changing its role to ROLE_MEMBER"),
      });
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`, `GET /v1/${s}/members/admin%40example.com 200`]);
    });

    it("deletes an owner when another owner is left", async () => {
      const s = await space();
      const { provider } = await membershipProvider(t);
      const { id, outs } = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_MANAGER" }));
      const mark = await logMark(t);
      await provider.delete(id, outs!);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/admin%40example.com 200`, `GET /v1/${s}/members 200`, `DELETE /v1/${id} 200`]);
    });

    it("counts a delete whose answer was lost as done: the retry's 404 is that try's success", async () => {
      const s = await space();
      const { provider } = await membershipProvider(t);
      const { id, outs } = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com" }));
      await t.control.addFault({ match: { methods: ["spaces.members.delete"] }, action: { kind: "dropAfterCommit" }, count: 1 });
      const mark = await logMark(t);
      await provider.delete(id, outs!);
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${s}/members/admin%40example.com 200`,
        `GET /v1/${s}/members 200`,
        `DELETE /v1/${id} 0`,
        `DELETE /v1/${id} 404`,
      ]);
    });

    it("names the membership read quota when reads stay refused 429", async () => {
      const s = await space();
      const { provider } = await membershipProvider(t, { config: { "googlechat:retryDeadlineSeconds": "1" } });
      const { id, outs } = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com" }));
      await t.control.addFault({ match: { methods: ["spaces.members.get"] }, action: { kind: "error", status: 429 } });
      const error: Error = await provider.read(id, outs).catch((e) => e);
      assert.match(
        error.message,
        /\. The Chat API quota is exhausted even after waiting: lower the parallelism \(pulumi up --parallel N\), lower googlechat:membershipReadsPerMinute, or ask Google for more quota\.$/,
      );
    });

    it("deletes a plain member with one owners listing (she may have been made an owner since) and one call, once the process knows the calling user's id", async () => {
      const s = await space();
      const { provider } = await membershipProvider(t);
      const { id, outs } = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com" }));
      const bob = await provider.create(membershipInputs("bob", { space: s, user: "bob@example.com" }));
      const mark = await logMark(t);
      await provider.delete(id, outs!);
      await provider.delete(bob.id, bob.outs!);
      // admin@example.com's id is read once, by the first delete: neither member is the caller.
      assert.deepEqual(await apiCalls(t, mark), [
        `GET /v1/${s}/members/admin%40example.com 200`,
        `GET /v1/${s}/members 200`,
        `DELETE /v1/${id} 200`,
        `GET /v1/${s}/members 200`,
        `DELETE /v1/${bob.id} 200`,
      ]);
    });
  });

  describe("a role raised in Chat since the last refresh (the state's role out of date)", () => {
    const BOB = "users/110000000000000000003";
    const kept = (label: string, member: string, declared: string, why: string) =>
      `ChatMembership ${label}: = ${member}: role ROLE_MANAGER kept, not ${declared}: ${why}`;
    const DEFERRED = "it was already a member at that role, which the preview could not show; the next preview announces the change";

    it("update: a member made an owner in Chat is not demoted by the change its preview showed from the state's role (a promotion): kept, logged, recorded, and the next preview announces the demotion", async () => {
      const s = await space();
      const { provider, logs } = await membershipProvider(t);
      const { id, outs } = await provider.create(membershipInputs("bob", { space: s, user: "bob@example.com" }));
      await t.control.setRole(s, BOB, "ROLE_MANAGER");
      const news = membershipInputs("bob", { space: s, user: "bob@example.com", role: "ROLE_ASSISTANT_MANAGER" });
      assert.deepEqual((await provider.diff(id, outs!, news)).detailedDiff, { role: "add" });
      const mark = await logMark(t);
      const { outs: after } = await provider.update(id, outs!, news);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`], "the owners, once; no PATCH");
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MANAGER JOINED`]);
      assert.deepEqual(logs, [
        `ChatMembership bob: ~ ${BOB}: role ROLE_MEMBER => ROLE_ASSISTANT_MANAGER`,
        kept("bob", BOB, "ROLE_ASSISTANT_MANAGER", DEFERRED),
      ]);
      assert.equal(after!.role, "ROLE_MANAGER");
      // The next preview announces the demotion; its up makes it (admin stays an owner).
      assert.deepEqual((await provider.diff(id, after!, news)).detailedDiff, { role: "update" });
      await provider.update(id, after!, news);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_ASSISTANT_MANAGER JOINED`]);
    });

    it("update: the caller, made an owner in Chat since, is not demoted below owner by the change its preview showed as a promotion; the next preview has no change", async () => {
      const s = await space();
      await t.control.addMember(s, "alice@example.com");
      // alice manages her own membership (the provider impersonates her): taken over at ROLE_MEMBER.
      const { provider, logs } = await membershipProvider(t, { user: "alice@example.com" });
      const { id, outs } = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com" }));
      assert.equal(outs!.__caller, "alice@example.com");
      await t.control.setRole(s, ALICE, "ROLE_MANAGER");
      const news = membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_ASSISTANT_MANAGER" });
      assert.deepEqual((await provider.diff(id, outs!, news)).detailedDiff, { role: "add" });
      logs.length = 0;
      const mark = await logMark(t);
      const { outs: after } = await provider.update(id, outs!, news);
      assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${ALICE} ROLE_MANAGER JOINED`]);
      const callerKept =
        "it is the calling user, which is never demoted without googlechat:useAdminAccess (it could no longer manage the members: every later change would fail)";
      assert.deepEqual(logs, [kept("alice", ALICE, "ROLE_ASSISTANT_MANAGER", callerKept)]);
      assert.deepEqual([after!.role, after!.__caller], ["ROLE_MANAGER", "alice@example.com"]);
      assert.equal((await provider.diff(id, after!, news)).changes, false);
    });

    it("delete: a member the state records below owner, made the space's only owner in Chat since, is not removed (keepLastManager off: Google documents no last-owner rule)", async () => {
      await t.control.setSettings({ keepLastManager: false });
      const alice = t.asDelegatedUser("alice@example.com", ["chat.spaces.create"]);
      const s = (await alice.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
      const { provider } = await membershipProvider(t, { useAdminAccess: true });
      const { id, outs } = await provider.create(membershipInputs("bob", { space: s, user: "bob@example.com" }));
      // In Chat: bob becomes the owner, alice leaves. No refresh; the program drops bob's membership.
      await t.control.setRole(s, BOB, "ROLE_MANAGER");
      await t.control.removeMember(s, ALICE);
      const mark = await logMark(t);
      await assert.rejects(provider.delete(id, outs!), {
        message:
          `ChatMembership ${BOB} in ${s}: ${BOB} is the last owner (ROLE_MANAGER, shown as Owner in Chat) of ${s}, and removing it would leave the space without one. ` +
          'Make another member an owner first (role: "ROLE_MANAGER" on another ChatMembership, then pulumi up), or delete the space itself. ' +
          "To stop managing this membership without removing it: `pulumi state delete <urn>` (`pulumi stack --show-urns` lists them), or the retainOnDelete resource option.",
      });
      assert.deepEqual(await membersOf(s), [`${BOB} ROLE_MANAGER JOINED`]);
      assert.deepEqual((await apiCalls(t, mark)).slice(-1), [`GET /v1/${s}/members 200`], "the owners listed, nothing removed");
    });
  });

  describe("invalid input and scopes", () => {
    for (const [what, declared, reason] of [
      ["a malformed email", { user: "alice@" }, 'user must be an email (alice@example.com) or users/{id}, not "alice@".'],
      [
        "both user and group",
        { user: "alice@example.com", group: "groups/devs" },
        "group only one of user, group and chatApp may be set, not user and group: one ChatMembership is one member.",
      ],
      [
        "an unknown role",
        { user: "alice@example.com", role: "OWNER" },
        'role must be one of ROLE_MEMBER, ROLE_ASSISTANT_MANAGER, ROLE_MANAGER (ROLE_ASSISTANT_MANAGER is shown as Manager in Chat, ROLE_MANAGER as Owner), not "OWNER".',
      ],
    ] as const) {
      it(`fails at check and at create with zero API calls: ${what}`, async () => {
        const { provider } = await membershipProvider(t);
        const inputs = membershipInputs("m", { space: "spaces/AAA", ...(declared as object) });
        const check = await provider.check({}, inputs);
        assert.equal(check.failures?.map((f) => `${f.property} ${f.reason}`).join(" "), reason);
        await assert.rejects(provider.create(inputs), { message: `ChatMembership m: ${reason}` });
        assert.deepEqual(await apiCalls(t), []);
      });
    }

    it("names the rule Google's refusal stands for: with user auth, only a manager removes others", async () => {
      const s = await space();
      const { provider } = await membershipProvider(t);
      const { id, outs } = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com" }));
      await t.control.setRole(s, "admin@example.com", "ROLE_MEMBER");
      const error: Error = await provider.delete(id, outs!).catch((e) => e);
      // Google's own words (the emulator's, here) come first; the advice is the provider's.
      const [google, advice] = error.message.split(".). ");
      assert.match(google, new RegExp(`^ChatMembership ${ALICE} in ${s}: spaces\\.members\\.delete of ${s} failed \\(403 PERMISSION_DENIED: `));
      assert.equal(
        advice,
        "With user authentication the user must be a manager (ROLE_MANAGER, or ROLE_ASSISTANT_MANAGER where the space's manageMembersAndGroups setting allows it) of the space to add, change or remove others; " +
          "only an owner (ROLE_MANAGER) removes or demotes an owner. With googlechat:useAdminAccess (chat.admin.memberships) the user must be a Workspace administrator, and admin access can't manage Chat apps' memberships nor add users outside the organisation. " +
          "Historical memberships of import mode need domain-wide delegation and chat.import. The call asked for the scope https://www.googleapis.com/auth/chat.memberships.",
      );
    });

    it("asks each call for its least scope: chat.memberships to write, .readonly to read, chat.memberships.app for the calling app", async () => {
      const s = await space();
      const { provider } = await membershipProvider(t);
      const scopeOf = async (method: string, run: () => Promise<unknown>) => {
        await t.control.addFault({ match: { methods: [method as never] }, action: { kind: "error", status: 403, message: "no" }, count: 1 });
        const error: any = await run().catch((e) => e);
        return /The call asked for the scope https:\/\/www\.googleapis\.com\/auth\/(\S+)\.$/.exec(error.message)?.[1];
      };
      const alice = membershipInputs("alice", { space: s, user: "alice@example.com" });
      assert.equal(await scopeOf("spaces.members.create", () => provider.create(alice)), "chat.memberships");
      assert.equal(await scopeOf("spaces.members.create", () => provider.create(membershipInputs("app", { space: s, chatApp: true }))), "chat.memberships.app");
      const { id, outs } = await provider.create(alice);
      assert.equal(await scopeOf("spaces.members.get", () => provider.read(id, outs)), "chat.memberships.readonly");
      assert.equal(await scopeOf("spaces.members.patch", () => provider.update(id, outs!, { ...alice, role: "ROLE_MANAGER" })), "chat.memberships");
      assert.equal(await scopeOf("spaces.members.delete", () => provider.delete(id, outs!)), "chat.memberships");
      const admin = await membershipProvider(t, { useAdminAccess: true });
      assert.equal(await scopeOf("spaces.members.get", () => admin.provider.read(id, outs)), "chat.admin.memberships.readonly");
      const app = await membershipProvider(t, { app: true });
      assert.equal(await scopeOf("spaces.members.get", () => app.provider.read(id, outs)), "chat.app.memberships");
    });
  });
});
