/**
 * `pulumi up --refresh` refreshes twice: once in its preview and again in its update, two
 * deployments with a provider process each (pulumi/pulumi pkg/resource/deploy/deployment_executor.go
 * `Execute`). What the update's refresh finds changed in Chat since the saved state (a member who
 * joined, a role raised) is not removed or demoted by that update; the next preview announces it.
 * Each deployment here is one provider process (`oneProcess`): refresh (read of the saved state),
 * check, diff, then update, as the engine calls them; or, for a resource moved to another provider
 * instance, two processes sharing their findings (`useDeployments`): the refresh runs in the
 * process of the instance the state names, the check, diff and update in the other's.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join as pathJoin } from "node:path";
import { JOINED_AT_ROLE_SINCE, JOINED_SINCE, ROLE_CHANGED_SINCE } from "../../provider/members/refresh-findings";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs, RosterMemberArgs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, oneProcess, useDeployments } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

const ADMIN = "users/110000000000000000001";
const ALICE = "users/110000000000000000002";
const BOB = "users/110000000000000000003";
const idOf = (user: string) => user.slice("users/".length);

describe("provider: an update's own refresh (pulumi up --refresh) removes or demotes nothing its preview did not announce", () => {
  const t = useEmulator();
  const { deployment: engineRun } = useDeployments(t);
  const admin = () => t.asDelegatedUser("admin@example.com", ["chat.spaces.create", "chat.memberships"]);
  const space = async () => (await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
  const join = (s: string, email: string) => admin().spaces.members.create({ parent: s, requestBody: { member: { name: `users/${email}`, type: "HUMAN" } } });
  const setRole = (s: string, user: string, role: string) =>
    admin().spaces.members.patch({ name: `${s}/members/${idOf(user)}`, updateMask: "role", requestBody: { role } });
  const entry = (s: string, member: string, role: string) => ({ name: `${s}/members/${idOf(member)}`, member, memberType: "HUMAN", role, state: "JOINED" });
  const roster = (s: string, members: RosterMemberArgs[]) => rosterInputs("eng-members", { space: s, members });
  const OWNER_ADMIN: RosterMemberArgs = { user: "admin@example.com", role: "ROLE_MANAGER" };

  /** One deployment of an up with --refresh: its process refreshes the saved state, checks and diffs (and the caller may update). */
  const deployment = async (s: string, saved: ChatSpaceMembersOutputs, olds: ReturnType<typeof roster>, news: ReturnType<typeof roster>) => {
    const process = await oneProcess(t);
    const refreshed = (await process.rosters.read(s, saved)).props as ChatSpaceMembersOutputs;
    await process.rosters.check(olds, news);
    const diff = await process.rosters.diff(s, refreshed, news);
    return { process, refreshed, diff };
  };

  describe("ChatSpaceMembers, authoritative", () => {
    it("bob joins in Chat after the preview's refresh: the update removes alice, whom the preview announced, and keeps bob, saying the next preview announces it", async () => {
      const s = await space();
      const old = roster(s, [OWNER_ADMIN, { user: "alice@example.com" }]);
      const saved = (await (await oneProcess(t)).rosters.create(old)).outs as ChatSpaceMembersOutputs;
      const news = roster(s, [OWNER_ADMIN]);
      const preview = await deployment(s, saved, old, news);
      assert.deepEqual(preview.diff.detailedDiff, { [`members["${ALICE}"]`]: "delete" });
      await join(s, "bob@example.com");
      const up = await deployment(s, saved, old, news);
      assert.deepEqual(up.diff.detailedDiff, { [`members["${ALICE}"]`]: "delete" }, "the update's diff plans what its preview announced");
      assert.ok(up.process.logs.includes(`ChatSpaceMembers eng-members: = ${BOB}: not declared, kept: ${JOINED_SINCE}`), up.process.logs.join("\n"));
      const mark = await logMark(t);
      const { outs } = await up.process.rosters.update(s, up.refreshed, news);
      assert.deepEqual(
        (await apiCalls(t, mark)).filter((c) => !c.startsWith("GET")),
        [`DELETE /v1/${s}/members/${idOf(ALICE)} 200`],
      );
      assert.deepEqual((outs as ChatSpaceMembersOutputs).members, [entry(s, ADMIN, "ROLE_MANAGER"), entry(s, BOB, "ROLE_MEMBER")]);
    });

    it("two runs of up --refresh converge: the first keeps bob (its state now lists him), the next announces his removal in its preview and makes it", async () => {
      const s = await space();
      const decl = roster(s, [OWNER_ADMIN]);
      const saved = (await (await oneProcess(t)).rosters.create(decl)).outs as ChatSpaceMembersOutputs;
      // Bob joins before the first up: its preview's refresh finds him too, and says he is kept, as its update does.
      await join(s, "bob@example.com");
      const first = await deployment(s, saved, decl, decl);
      assert.equal(first.diff.changes, false);
      assert.deepEqual(first.process.logs, [`ChatSpaceMembers eng-members: = ${BOB}: not declared, kept: ${JOINED_SINCE}`]);
      const firstUp = await deployment(s, saved, decl, decl);
      assert.equal(firstUp.diff.changes, false, "no update: the state becomes the refreshed roster, which lists bob");
      const afterFirst = firstUp.refreshed;
      assert.deepEqual(afterFirst.members, [entry(s, ADMIN, "ROLE_MANAGER"), entry(s, BOB, "ROLE_MEMBER")]);
      // The next up --refresh: its refreshes find nothing new, so its preview announces bob's removal and its update makes it.
      const preview = await deployment(s, afterFirst, decl, decl);
      assert.deepEqual(preview.diff.detailedDiff, { [`members["${BOB}"]`]: "delete" });
      const up = await deployment(s, afterFirst, decl, decl);
      const mark = await logMark(t);
      const { outs } = await up.process.rosters.update(s, up.refreshed, decl);
      assert.deepEqual(
        (await apiCalls(t, mark)).filter((c) => !c.startsWith("GET")),
        [`DELETE /v1/${s}/members/${idOf(BOB)} 200`],
      );
      assert.deepEqual((outs as ChatSpaceMembersOutputs).members, [entry(s, ADMIN, "ROLE_MANAGER")]);
    });

    for (const raised of ["ROLE_ASSISTANT_MANAGER", "ROLE_MANAGER"]) {
      it(`alice made ${raised} in Chat after the preview's refresh: the update does not demote her, and records the role`, async () => {
        const s = await space();
        const old = roster(s, [OWNER_ADMIN, { user: "alice@example.com" }]);
        const saved = (await (await oneProcess(t)).rosters.create(old)).outs as ChatSpaceMembersOutputs;
        const news = roster(s, [OWNER_ADMIN, { user: "alice@example.com" }, { user: "bob@example.com" }]);
        const preview = await deployment(s, saved, old, news);
        assert.deepEqual(preview.diff.detailedDiff, { "members[2]": "add" });
        await setRole(s, ALICE, raised);
        const up = await deployment(s, saved, old, news);
        assert.deepEqual(up.diff.detailedDiff, { "members[2]": "add" });
        assert.ok(
          up.process.logs.includes(`ChatSpaceMembers eng-members: = members[1] ${ALICE}: role ${raised} kept, not ROLE_MEMBER: ${ROLE_CHANGED_SINCE}`),
          up.process.logs.join("\n"),
        );
        const mark = await logMark(t);
        const { outs } = await up.process.rosters.update(s, up.refreshed, news);
        assert.deepEqual(
          (await apiCalls(t, mark)).filter((c) => !c.startsWith("GET")),
          [`POST /v1/${s}/members 200`],
          "bob added; no PATCH of alice's role",
        );
        assert.deepEqual(
          (outs as ChatSpaceMembersOutputs).members.map((m) => `${m.member} ${m.role}`),
          [`${ADMIN} ROLE_MANAGER`, `${ALICE} ${raised}`, `${BOB} ROLE_MEMBER`],
        );
      });
    }

    it("a plain pulumi refresh, then pulumi up (other processes): the up's preview announces bob's removal, and its update removes him", async () => {
      const s = await space();
      const decl = roster(s, [OWNER_ADMIN]);
      const saved = (await (await oneProcess(t)).rosters.create(decl)).outs as ChatSpaceMembersOutputs;
      await join(s, "bob@example.com");
      const refreshed = (await (await oneProcess(t)).rosters.read(s, saved)).props as ChatSpaceMembersOutputs;
      const up = await oneProcess(t);
      await up.rosters.check(decl, decl);
      assert.deepEqual((await up.rosters.diff(s, refreshed, decl)).detailedDiff, { [`members["${BOB}"]`]: "delete" });
      const mark = await logMark(t);
      await up.rosters.update(s, refreshed, decl);
      assert.deepEqual(
        (await apiCalls(t, mark)).filter((c) => !c.startsWith("GET")),
        [`DELETE /v1/${s}/members/${idOf(BOB)} 200`],
      );
    });
  });

  describe("ChatSpaceMembers: a member declared by users/{id} who joins at a higher role after the preview's refresh", () => {
    for (const mode of ["addOnly", "authoritative"] as const) {
      it(`${mode}: the preview announces bob's add; the update keeps the role he joined at, says why, and the next preview announces the demotion`, async () => {
        const s = await space();
        const old = rosterInputs("eng-members", { space: s, mode, members: [OWNER_ADMIN] });
        const saved = (await (await oneProcess(t)).rosters.create(old)).outs as ChatSpaceMembersOutputs;
        const news = rosterInputs("eng-members", { space: s, mode, members: [OWNER_ADMIN, { user: BOB }] });
        const preview = await deployment(s, saved, old, news);
        assert.deepEqual(preview.diff.detailedDiff, { "members[1]": "add" }, "the preview announces an add, no demotion");
        // Between the preview's refresh and the update's: bob is added in Chat, as an owner.
        await join(s, "bob@example.com");
        await setRole(s, BOB, "ROLE_MANAGER");
        const up = await deployment(s, saved, old, news);
        assert.deepEqual(up.diff.detailedDiff, {}, "the update's own diff holds the demotion back: nothing left to change");
        assert.deepEqual(
          up.process.logs.filter((line) => line.includes(BOB)),
          [`ChatSpaceMembers eng-members: = members[1] ${BOB}: role ROLE_MANAGER kept, not ROLE_MEMBER: ${JOINED_AT_ROLE_SINCE}`],
        );
        const mark = await logMark(t);
        const { outs } = await up.process.rosters.update(s, up.refreshed, news);
        assert.deepEqual(
          (await apiCalls(t, mark)).filter((c) => !c.startsWith("GET")),
          [],
          "no PATCH of bob's role: the preview announced an add",
        );
        assert.deepEqual(
          (outs as ChatSpaceMembersOutputs).members.map((m) => `${m.member} ${m.role}`),
          [`${ADMIN} ROLE_MANAGER`, `${BOB} ROLE_MANAGER`],
        );
        // The next preview plans from the state that records him as an owner: it announces the change.
        const next = await oneProcess(t);
        assert.deepEqual((await next.rosters.diff(s, outs as ChatSpaceMembersOutputs, news)).detailedDiff, { "members[1]": "update" });
      });
    }
  });

  describe("ChatMembership", () => {
    it("alice made ROLE_ASSISTANT_MANAGER in Chat after the preview's refresh: the update's diff plans no change, its update no PATCH; the next up --refresh demotes her", async () => {
      const s = await space();
      const declared = membershipInputs("alice", { space: s, user: "alice@example.com" });
      const saved = (await (await oneProcess(t)).memberships.create(declared)).outs as ChatMembershipOutputs;
      const previewProcess = await oneProcess(t);
      const previewState = (await previewProcess.memberships.read(saved.name, saved)).props as ChatMembershipOutputs;
      assert.equal((await previewProcess.memberships.diff(saved.name, previewState, declared)).changes, false);
      await setRole(s, ALICE, "ROLE_ASSISTANT_MANAGER");
      const up = await oneProcess(t);
      const refreshed = (await up.memberships.read(saved.name, saved)).props as ChatMembershipOutputs;
      await up.memberships.check(declared, declared);
      const diff = await up.memberships.diff(saved.name, refreshed, declared);
      assert.equal(diff.changes, false);
      const line = `ChatMembership alice: = ${ALICE}: role ROLE_ASSISTANT_MANAGER kept, not ROLE_MEMBER: ${ROLE_CHANGED_SINCE}`;
      assert.deepEqual(up.logs, [line]);
      // An update called all the same (the rule holds in the write too): no PATCH, the role as read.
      const mark = await logMark(t);
      const { outs } = await up.memberships.update(saved.name, refreshed, declared);
      assert.deepEqual(
        (await apiCalls(t, mark)).filter((c) => !c.startsWith("GET")),
        [],
      );
      assert.equal((outs as ChatMembershipOutputs).role, "ROLE_ASSISTANT_MANAGER");
      assert.deepEqual(up.logs, [line, line]);
      // The next up --refresh: the state records her role, its refreshes find nothing new, so its preview announces the demotion and its update makes it.
      const next = await oneProcess(t);
      const again = (await next.memberships.read(saved.name, refreshed)).props as ChatMembershipOutputs;
      assert.deepEqual((await next.memberships.diff(saved.name, again, declared)).detailedDiff, { role: "update" });
      const nextMark = await logMark(t);
      const { outs: demoted } = await next.memberships.update(saved.name, again, declared);
      assert.deepEqual(
        (await apiCalls(t, nextMark)).filter((c) => !c.startsWith("GET")),
        [`PATCH /v1/${s}/members/${idOf(ALICE)} role 200`],
      );
      assert.equal((demoted as ChatMembershipOutputs).role, "ROLE_MEMBER");
    });
  });
  describe("a resource moved to another provider instance: the state's instance refreshes it, the program's diffs and updates it", () => {
    /** The records every process of the deployment in `root` published, one list. */
    const published = (root: string) =>
      readdirSync(root).flatMap((dir) =>
        readdirSync(pathJoin(root, dir)).flatMap((file) =>
          readFileSync(pathJoin(root, dir, file), "utf8")
            .split("\n")
            .filter(Boolean)
            .map((line) => JSON.parse(line) as Record<string, unknown>),
        ),
      );

    it("ChatSpaceMembers moved from the default instance to an explicit one, bob joining after the preview's refresh: the explicit instance's diff and update keep him", async () => {
      const s = await space();
      const decl = roster(s, [OWNER_ADMIN]);
      const saved = (await (await oneProcess(t)).rosters.create(decl)).outs as ChatSpaceMembersOutputs;
      await join(s, "bob@example.com");
      const up = engineRun("127.0.0.1:40002");
      const [byStateInstance, byProgramInstance] = [await up.process(), await up.process()];
      const refreshed = (await byStateInstance.rosters.read(s, saved)).props as ChatSpaceMembersOutputs;
      assert.deepEqual(
        published(up.root).filter((r) => "refreshFound" in r),
        [{ refreshFound: { space: s, joined: [BOB], roleChanged: [] } }],
        "the finding is published by space and member: no credential",
      );
      await byProgramInstance.rosters.check(decl, decl);
      const diff = await byProgramInstance.rosters.diff(s, refreshed, decl);
      assert.equal(diff.changes, false, byProgramInstance.logs.join("\n"));
      assert.deepEqual(byProgramInstance.logs, [`ChatSpaceMembers eng-members: = ${BOB}: not declared, kept: ${JOINED_SINCE}`]);
      // An update called all the same (the rule holds in the write too): bob stays.
      const mark = await logMark(t);
      const { outs } = await byProgramInstance.rosters.update(s, refreshed, decl);
      assert.deepEqual(
        (await apiCalls(t, mark)).filter((c) => !c.startsWith("GET")),
        [],
      );
      assert.deepEqual((outs as ChatSpaceMembersOutputs).members, [entry(s, ADMIN, "ROLE_MANAGER"), entry(s, BOB, "ROLE_MEMBER")]);
    });

    it("ChatMembership moved to another instance, alice made ROLE_ASSISTANT_MANAGER after the preview's refresh: the other instance's diff plans no change, its update no PATCH", async () => {
      const s = await space();
      const declared = membershipInputs("alice", { space: s, user: "alice@example.com" });
      const saved = (await (await oneProcess(t)).memberships.create(declared)).outs as ChatMembershipOutputs;
      await setRole(s, ALICE, "ROLE_ASSISTANT_MANAGER");
      const up = engineRun("127.0.0.1:40002");
      const [byStateInstance, byProgramInstance] = [await up.process(), await up.process()];
      const refreshed = (await byStateInstance.memberships.read(saved.name, saved)).props as ChatMembershipOutputs;
      await byProgramInstance.memberships.check(declared, declared);
      assert.equal((await byProgramInstance.memberships.diff(saved.name, refreshed, declared)).changes, false);
      const line = `ChatMembership alice: = ${ALICE}: role ROLE_ASSISTANT_MANAGER kept, not ROLE_MEMBER: ${ROLE_CHANGED_SINCE}`;
      assert.deepEqual(byProgramInstance.logs, [line]);
      const mark = await logMark(t);
      const { outs } = await byProgramInstance.memberships.update(saved.name, refreshed, declared);
      assert.deepEqual(
        (await apiCalls(t, mark)).filter((c) => !c.startsWith("GET")),
        [],
      );
      assert.equal((outs as ChatMembershipOutputs).role, "ROLE_ASSISTANT_MANAGER");
    });

    it("an explicit provider whose configuration changes: its old process refreshes the roster and is closed by the provider's update before the new process's check (registry.go `Update`: setProviderAndCloseOld); the new process's diff and update keep bob", async () => {
      const s = await space();
      const decl = roster(s, [OWNER_ADMIN]);
      const saved = (await (await oneProcess(t)).rosters.create(decl)).outs as ChatSpaceMembersOutputs;
      await join(s, "bob@example.com");
      const up = engineRun("127.0.0.1:40002");
      // The registry loads the provider of the old state, whose process refreshes the roster.
      const oldShare = up.share();
      const oldInstance = await oneProcess(t, { share: oldShare });
      const refreshed = (await oldInstance.rosters.read(s, saved)).props as ChatSpaceMembersOutputs;
      // The provider's Check loads a process for the new configuration; its Update configures it and closes the old one.
      const newInstance = await up.process();
      oldShare.close();
      await newInstance.rosters.check(decl, decl);
      const diff = await newInstance.rosters.diff(s, refreshed, decl);
      assert.deepEqual([diff.changes, diff.detailedDiff], [false, {}]);
      assert.deepEqual(newInstance.logs, [`ChatSpaceMembers eng-members: = ${BOB}: not declared, kept: ${JOINED_SINCE}`]);
      const mark = await logMark(t);
      const { outs } = await newInstance.rosters.update(s, refreshed, decl);
      assert.deepEqual(
        (await apiCalls(t, mark)).filter((c) => !c.startsWith("GET")),
        [],
      );
      assert.deepEqual((outs as ChatSpaceMembersOutputs).members, [entry(s, ADMIN, "ROLE_MANAGER"), entry(s, BOB, "ROLE_MEMBER")]);
    });

    it("what a plain pulumi refresh found is not taken by the next up (another engine, sharing nothing): its preview announces bob's removal, and its update makes it", async () => {
      const s = await space();
      const decl = roster(s, [OWNER_ADMIN]);
      const saved = (await (await oneProcess(t)).rosters.create(decl)).outs as ChatSpaceMembersOutputs;
      await join(s, "bob@example.com");
      // The refresh and the up share one folder of this user, under two engines' addresses.
      const refresh = engineRun("127.0.0.1:40001");
      const refreshed = (await (await refresh.process()).rosters.read(s, saved)).props as ChatSpaceMembersOutputs;
      const up = engineRun("127.0.0.1:40002", refresh.root);
      const byProgramInstance = await up.process();
      await byProgramInstance.rosters.check(decl, decl);
      assert.deepEqual((await byProgramInstance.rosters.diff(s, refreshed, decl)).detailedDiff, { [`members["${BOB}"]`]: "delete" });
      const mark = await logMark(t);
      await byProgramInstance.rosters.update(s, refreshed, decl);
      assert.deepEqual(
        (await apiCalls(t, mark)).filter((c) => !c.startsWith("GET")),
        [`DELETE /v1/${s}/members/${idOf(BOB)} 200`],
      );
    });
  });

  describe("a read with no state to compare with", () => {
    it("ChatMembership.get of bob (the dynamic-provider host reads with the get's inputs as the state) finds nothing changed: an authoritative roster of the space still removes bob, run after run", async () => {
      const s = await space();
      const old = roster(s, [OWNER_ADMIN, { user: "bob@example.com" }]);
      const saved = (await (await oneProcess(t)).rosters.create(old)).outs as ChatSpaceMembersOutputs;
      const news = roster(s, [OWNER_ADMIN]);
      for (const run of [1, 2]) {
        const process = await oneProcess(t);
        await process.memberships.read(`${s}/members/${idOf(BOB)}`, { __provider: "serialized" } as never);
        await process.rosters.check(old, news);
        const diff = await process.rosters.diff(s, saved, news);
        assert.deepEqual(diff.detailedDiff, { [`members["${BOB}"]`]: "delete" }, `run ${run}: ${process.logs.join("\n")}`);
      }
    });
  });
});
