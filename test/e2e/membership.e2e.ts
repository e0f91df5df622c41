/**
 * ChatMembership under the real Pulumi engine: a space and its members through
 * up, a no-change up and a preview (zero calls), a role change in place, drift after a change
 * in Chat (a role, a removal, an accepted invitation), the last-owner refusal, a partial
 * failure, a crashed up repeated, invalid input at preview, and destroy. ChatSpaceMembers (the
 * whole roster) the same way, with authoritative against addOnly, the kept caller and the owner rule.
 */
import assert from "node:assert/strict";
import { chat } from "@googleapis/chat";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { createAuthClient } from "../../provider/core/google-auth";
import { ChatMembership, type ChatMembershipArgs, ChatSpace, ChatSpaceMembers, type RosterMemberArgs, type RosterMode } from "../../sdk";
import { apiCalls, logMark } from "../helpers/provider";
import { inlineStack, killProcessTree, until, useEngineAndEmulator } from "./harness";

const quiet = {};

/** A space "Engineering" and one ChatMembership per entry, exporting the space's name and each membership's. */
function team(members: Record<string, Omit<ChatMembershipArgs, "space">>, displayName = "Engineering", externalUserAllowed?: boolean): PulumiFn {
  return async () => {
    const eng = new ChatSpace("eng", { displayName, externalUserAllowed });
    const outputs: Record<string, unknown> = { space: eng.name };
    for (const [key, args] of Object.entries(members)) outputs[key] = new ChatMembership(key, { ...args, space: eng }).name;
    return outputs;
  };
}

describe("e2e: ChatMembership under the real Pulumi engine", () => {
  const t = useEngineAndEmulator();
  const members = async (space: string) =>
    (await t.emulator.control.state()).memberships[space.slice("spaces/".length)].map((m) => `${m.memberName} ${m.type} ${m.role}`).sort();
  /** A space alice made in Chat, its one owner, and a program of ChatMemberships of it, which it reads (ChatSpace.get). */
  const alicesTeam = async () => {
    const alice = chat({
      version: "v1",
      rootUrl: `${t.emulator.url}/`,
      auth: createAuthClient({
        credentials: { ...t.key },
        scopes: ["https://www.googleapis.com/auth/chat.spaces.create"],
        subject: "alice@example.com",
        tokenEndpoint: t.emulator.tokenUrl,
      }),
    });
    const space = (await alice.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Alice's team" } })).data.name!;
    const program =
      (members: Record<string, Omit<ChatMembershipArgs, "space">>): PulumiFn =>
      async () => {
        const team = ChatSpace.get("team", space);
        return Object.fromEntries(Object.entries(members).map(([key, args]) => [key, new ChatMembership(key, { ...args, space: team }).name]));
      };
    return { space, program };
  };

  it("adds a space's members, changes nothing on a second up or a preview, changes a role in place, restores drift and destroys", async () => {
    const declared = {
      alice: { user: "alice@example.com", role: "ROLE_MANAGER" },
      bob: { user: "bob@example.com" },
      devs: { group: "groups/devs" },
      app: { chatApp: true },
    } satisfies Record<string, Omit<ChatMembershipArgs, "space">>;
    const stack = await inlineStack("chat-e2e", "dev", team(declared), { emulator: t.emulator, key: t.key, impersonateUser: "admin@example.com" });

    const up = await stack.up(quiet);
    assert.deepEqual(up.summary.resourceChanges, { create: 6 });
    const space = up.outputs.space.value as string;
    const alice = up.outputs.alice.value as string;
    const bob = up.outputs.bob.value as string;
    assert.deepEqual(
      (await apiCalls(t.emulator)).sort(),
      [
        "POST /v1/spaces 200",
        `PATCH /v1/${alice} role 200`,
        `POST /v1/${space}/members 200`,
        `POST /v1/${space}/members 200`,
        `POST /v1/${space}/members 200`,
        `POST /v1/${space}/members 200`,
      ].sort(),
    );
    const app = (await members(space)).find((m) => m.includes(" BOT "))!;
    assert.deepEqual(
      await members(space),
      [
        app,
        "groups/devs GROUP MEMBERSHIP_ROLE_UNSPECIFIED",
        "users/110000000000000000001 HUMAN ROLE_MANAGER",
        "users/110000000000000000002 HUMAN ROLE_MANAGER",
        "users/110000000000000000003 HUMAN ROLE_MEMBER",
      ].sort(),
    );

    let mark = await logMark(t.emulator);
    assert.deepEqual((await stack.up(quiet)).summary.resourceChanges, { same: 6 });
    assert.deepEqual((await stack.preview(quiet)).changeSummary, { same: 6 });
    assert.deepEqual(await t.emulator.control.requests(mark), [], "no call, not even a token request");

    stack.workspace.program = team({ ...declared, bob: { user: "bob@example.com", role: "ROLE_ASSISTANT_MANAGER" } });
    assert.deepEqual((await stack.preview(quiet)).changeSummary, { same: 5, update: 1 });
    mark = await logMark(t.emulator);
    assert.deepEqual((await stack.up(quiet)).summary.resourceChanges, { same: 5, update: 1 });
    // The owners first (the state's role may be out of date: bob may have been made an owner in Chat since), then the PATCH.
    assert.deepEqual(await apiCalls(t.emulator, mark), [`GET /v1/${space}/members 200`, `PATCH /v1/${bob} role 200`]);

    // A change to the space alone is no change to its memberships, in the preview too.
    stack.workspace.program = team({ ...declared, bob: { user: "bob@example.com", role: "ROLE_ASSISTANT_MANAGER" } }, "Engineering 2");
    assert.deepEqual((await stack.preview(quiet)).changeSummary, { same: 5, update: 1 });
    assert.deepEqual((await stack.up(quiet)).summary.resourceChanges, { same: 5, update: 1 });

    // Someone makes bob an owner in Chat: refresh shows it, the next up puts him back.
    await t.emulator.control.setRole(space, "bob@example.com", "ROLE_MANAGER");
    await stack.refresh(quiet);
    assert.deepEqual((await stack.preview(quiet)).changeSummary, { same: 5, update: 1 });
    mark = await logMark(t.emulator);
    await stack.up(quiet);
    // Demoting an owner: the owners first (bob is one, and another stays), then the process learns whether bob is the caller (never demoted).
    assert.deepEqual(await apiCalls(t.emulator, mark), [
      `GET /v1/${space}/members 200`,
      `GET /v1/${space}/members/admin%40example.com 200`,
      `PATCH /v1/${bob} role 200`,
    ]);
    assert.ok((await members(space)).includes("users/110000000000000000003 HUMAN ROLE_ASSISTANT_MANAGER"));

    // Each membership is deleted with its space (deletedWith): the space's one DELETE removes them.
    mark = await logMark(t.emulator);
    const destroy = await stack.destroy(quiet);
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 6 });
    assert.deepEqual(await apiCalls(t.emulator, mark), [`DELETE /v1/${space} 200`]);
    assert.deepEqual((await t.emulator.control.state()).spaces, {});
  });

  it("replacing the space replaces its memberships: they go with the old space's DELETE, with no removal of their own, and are added to the new one", async () => {
    const declared = { alice: { user: "alice@example.com", role: "ROLE_MANAGER" as const }, bob: { user: "bob@example.com" } };
    const stack = await inlineStack("chat-e2e", "respace", team(declared), { emulator: t.emulator, key: t.key, impersonateUser: "admin@example.com" });
    const old = (await stack.up(quiet)).outputs.space.value as string;
    stack.workspace.program = team(declared, "Engineering", true);
    assert.deepEqual((await stack.preview(quiet)).changeSummary, { replace: 3, same: 1 });
    const mark = await logMark(t.emulator);
    const up = await stack.up(quiet);
    const space = up.outputs.space.value as string;
    assert.notEqual(space, old);
    const calls = await apiCalls(t.emulator, mark);
    assert.equal(calls[0], `DELETE /v1/${old} 200`, calls.join("\n"));
    assert.equal(calls.filter((call) => call.includes(old)).length, 1, calls.join("\n"));
    assert.deepEqual(await members(space), [
      "users/110000000000000000001 HUMAN ROLE_MANAGER",
      "users/110000000000000000002 HUMAN ROLE_MANAGER",
      "users/110000000000000000003 HUMAN ROLE_MEMBER",
    ]);
  });

  it("destroy: a membership goes with its space's DELETE, unless the program says otherwise (deletedWith: undefined) or the space stays in Chat (retainOnDelete, ChatSpace.get)", async () => {
    const program =
      (read?: string): PulumiFn =>
      async () => {
        const eng = new ChatSpace("eng", { displayName: "Engineering" });
        new ChatMembership("alice", { space: eng, user: "alice@example.com" });
        new ChatMembership("bob", { space: eng, user: "bob@example.com" }, { deletedWith: undefined });
        const kept = new ChatSpace("kept", { displayName: "Kept" }, { retainOnDelete: true });
        new ChatMembership("alice-kept", { space: kept, user: "alice@example.com" });
        if (read) new ChatMembership("bob-read", { space: ChatSpace.get("read", read), user: "bob@example.com" });
        return { eng: eng.name, kept: kept.name };
      };
    const stack = await inlineStack("chat-e2e", "deleted-with", program(), { emulator: t.emulator, key: t.key, impersonateUser: "admin@example.com" });
    const { eng, kept } = (await stack.up(quiet)).outputs;
    // The kept space read again, as a space the program does not manage: ChatSpace.get.
    stack.workspace.program = program(kept.value);
    await stack.up(quiet);
    const mark = await logMark(t.emulator);
    const destroy = await stack.destroy(quiet);
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 7, discard: 1 });
    const all = await apiCalls(t.emulator, mark);
    // Before its first removal, the process learns which member is the caller (never removed):
    // one read of the caller's membership, in whichever space's removal came first.
    const callerReads = all.filter((call) => /^GET \/v1\/spaces\/[^/]+\/members\/admin%40example\.com 200$/.test(call));
    assert.equal(callerReads.length, 1, all.join("\n"));
    const calls = all.filter((call) => !callerReads.includes(call));
    assert.deepEqual(
      calls.filter((call) => call.includes(eng.value)),
      [`GET /v1/${eng.value}/members 200`, `DELETE /v1/${eng.value}/members/110000000000000000003 200`, `DELETE /v1/${eng.value} 200`],
      "bob removed first (after the owners: he may have been made one since), alice with the space",
    );
    assert.deepEqual(calls.filter((call) => !call.includes(eng.value)).sort(), [
      `DELETE /v1/${kept.value}/members/110000000000000000002 200`,
      `DELETE /v1/${kept.value}/members/110000000000000000003 200`,
      `GET /v1/${kept.value}/members 200`,
      `GET /v1/${kept.value}/members 200`,
    ]);
    assert.deepEqual(Object.keys((await t.emulator.control.state()).spaces), [kept.value.slice("spaces/".length)]);
    assert.deepEqual(await members(kept.value), ["users/110000000000000000001 HUMAN ROLE_MANAGER"]);
  });

  it("keeps a member whose role could not be set (partial failure); the next up sets the role alone, after the owners", async () => {
    const stack = await inlineStack("chat-e2e", "partial", team({ alice: { user: "alice@example.com", role: "ROLE_ASSISTANT_MANAGER" } }), {
      emulator: t.emulator,
      key: t.key,
      impersonateUser: "admin@example.com",
    });
    await t.emulator.control.addFault({ match: { methods: ["spaces.members.patch"] }, action: { kind: "error", status: 400, message: "bad" }, count: 1 });
    const failed = await stack.up(quiet).then(
      () => "finished",
      (e: Error) => e.message,
    );
    assert.match(failed, /ChatMembership alice: spaces\.members\.patch of spaces\/\S+ failed \(400 INVALID_ARGUMENT: bad\)/);
    const kept = (await stack.exportStack()).deployment.resources.find((r: any) => r.type.endsWith(":ChatMembership"));
    assert.deepEqual([kept?.outputs.member, kept?.outputs.role], ["users/110000000000000000002", "ROLE_MEMBER"]);
    const mark = await logMark(t.emulator);
    await stack.up(quiet);
    assert.deepEqual(await apiCalls(t.emulator, mark), [`GET /v1/${kept.outputs.space}/members 200`, `PATCH /v1/${kept.id} role 200`]);
  });

  it("kill -9 of pulumi up after Google added a member, before the engine saved it: the next up takes the member over, no duplicate, no failure", async () => {
    const stack = await inlineStack("chat-e2e", "mcrash", team({ alice: { user: "alice@example.com" } }), {
      emulator: t.emulator,
      key: t.key,
      impersonateUser: "admin@example.com",
    });
    await t.emulator.control.addFault({ match: { methods: ["spaces.members.create"] }, action: { kind: "holdAfterCommit" }, count: 1 });
    const up = stack.up(quiet).then(
      () => "finished",
      (e: Error) => e.message,
    );
    const space = await until("alice added, her answer held", async () => {
      const state = await t.emulator.control.state();
      const [id] = Object.keys(state.spaces);
      return id && state.memberships[id]?.some((m) => m.memberName === "users/110000000000000000002") ? `spaces/${id}` : undefined;
    });
    assert.ok(killProcessTree("--stack mcrash") >= 1, "found the pulumi up process");
    assert.match(await up, /exit code|killed|signal/i);
    await t.emulator.control.clearFaults();
    await stack.cancel();
    await stack.refresh({ clearPendingCreates: true });
    const mark = await logMark(t.emulator);
    const after = await stack.up(quiet);
    assert.equal(after.summary.result, "succeeded");
    assert.deepEqual(await apiCalls(t.emulator, mark), [`POST /v1/${space}/members 409`, `GET /v1/${space}/members/alice%40example.com 200`]);
    assert.deepEqual(await members(space), ["users/110000000000000000001 HUMAN ROLE_MANAGER", "users/110000000000000000002 HUMAN ROLE_MEMBER"]);
  });

  it("never demotes or removes the calling user: declared lower it keeps its owner role, dropped it stays, with zero writes", async () => {
    // The caller (admin@example.com) created the space and is its one owner; declaring it takes that membership over.
    const declared = { me: { user: "admin@example.com", role: "ROLE_MANAGER" as const }, bob: { user: "bob@example.com" } };
    const stack = await inlineStack("chat-e2e", "caller", team(declared), { emulator: t.emulator, key: t.key, impersonateUser: "admin@example.com" });
    const up = await stack.up(quiet);
    const space = up.outputs.space.value as string;
    assert.equal(up.outputs.me.value, `${space}/members/110000000000000000001`);

    stack.workspace.program = team({ ...declared, me: { user: "admin@example.com", role: "ROLE_MEMBER" } });
    let mark = await logMark(t.emulator);
    const demoted = await stack.up({ onOutput: () => undefined });
    assert.equal(demoted.summary.result, "succeeded");
    assert.ok(demoted.stdout.includes("role ROLE_MANAGER kept, not ROLE_MEMBER: it is the calling user"), demoted.stdout);
    // Nothing written; the only reads tell who the caller is (her membership by her email: the state's
    // record of her email may name another person since), once per provider process.
    const callerRead = `GET /v1/${space}/members/admin%40example.com 200`;
    const demotedCalls = await apiCalls(t.emulator, mark);
    assert.ok(demotedCalls.length > 0 && demotedCalls.every((c) => c === callerRead), `nothing written: ${demotedCalls.join("; ")}`);

    stack.workspace.program = team({ bob: declared.bob });
    mark = await logMark(t.emulator);
    const dropped = await stack.up(quiet);
    assert.deepEqual(dropped.summary.resourceChanges, { same: 3, delete: 1 });
    const droppedCalls = await apiCalls(t.emulator, mark);
    assert.ok(droppedCalls.length > 0 && droppedCalls.every((c) => c === callerRead), `the caller stays: no DELETE: ${droppedCalls.join("; ")}`);
    assert.deepEqual(await members(space), ["users/110000000000000000001 HUMAN ROLE_MANAGER", "users/110000000000000000003 HUMAN ROLE_MEMBER"]);
  });

  it("never leaves a space without an owner: with admin access, demoting or removing its last owner fails before any write, naming the fix", async () => {
    // A space alice made in Chat, its one owner; the administrator, not a member, manages its memberships with admin access.
    const { space, program } = await alicesTeam();
    const declared = { owner: { user: "alice@example.com", role: "ROLE_MANAGER" as const }, bob: { user: "bob@example.com" } };
    const stack = await inlineStack("chat-e2e", "owner", program(declared), {
      emulator: t.emulator,
      key: t.key,
      impersonateUser: "admin@example.com",
      config: { "googlechat:useAdminAccess": "true" },
    });
    assert.equal((await stack.up(quiet)).outputs.owner.value, `${space}/members/110000000000000000002`);
    // ChatSpace.get reads the space on every up; then the owners are listed.
    const ownersListed = [`GET /v1/${space} 200`, `GET /v1/${space}/members 200`];
    // An update names the resource; a delete has only the state, so it names the membership.
    const refusal = (label: string, doing: string) =>
      `ChatMembership ${label}: users/110000000000000000002 is the last owner (ROLE_MANAGER, shown as Owner in Chat) of ${space}, and ${doing} would leave the space without one. ` +
      'Make another member an owner first (role: "ROLE_MANAGER" on another ChatMembership, then pulumi up), or delete the space itself.';

    stack.workspace.program = program({ ...declared, owner: { user: "alice@example.com", role: "ROLE_MEMBER" } });
    let mark = await logMark(t.emulator);
    let failed = await stack.up(quiet).then(
      () => "finished",
      (e: Error) => e.message,
    );
    assert.ok(failed.includes(refusal("owner", "changing its role to ROLE_MEMBER")), failed);
    assert.deepEqual(await apiCalls(t.emulator, mark), ownersListed, "the owners listed, nothing written");

    stack.workspace.program = program({ bob: declared.bob });
    mark = await logMark(t.emulator);
    failed = await stack.up(quiet).then(
      () => "finished",
      (e: Error) => e.message,
    );
    assert.ok(failed.includes(refusal(`users/110000000000000000002 in ${space}`, "removing it")), failed);
    // A removal first learns whether the member is the caller (never removed): the administrator is not in
    // this space (404), so its id is learnt from a space it is in, one page of spaces.list.
    const callerLearnt = [`GET /v1/${space}/members/admin%40example.com 404`, "GET /v1/spaces 200"];
    assert.deepEqual(await apiCalls(t.emulator, mark), [ownersListed[0], ...callerLearnt, ownersListed[1]]);
    assert.deepEqual(await members(space), ["users/110000000000000000002 HUMAN ROLE_MANAGER", "users/110000000000000000003 HUMAN ROLE_MEMBER"]);

    // With bob made an owner first, the same removal goes through.
    stack.workspace.program = program({ bob: { user: "bob@example.com", role: "ROLE_MANAGER" } });
    const done = await stack.up(quiet).then(
      () => "finished",
      (e: Error) => e.message,
    );
    assert.equal(done, "finished");
    assert.deepEqual(await members(space), ["users/110000000000000000003 HUMAN ROLE_MANAGER"]);
  });

  it("never leaves a space without an owner when the engine deletes two owners' memberships at once: one goes, the other is refused; the next up still refuses it", async () => {
    // A space alice made in Chat; the administrator, not a member, makes bob its second owner with admin access.
    const { space, program } = await alicesTeam();
    const owners = { alice: { user: "alice@example.com", role: "ROLE_MANAGER" as const }, bob: { user: "bob@example.com", role: "ROLE_MANAGER" as const } };
    const stack = await inlineStack("chat-e2e", "owners-at-once", program(owners), {
      emulator: t.emulator,
      key: t.key,
      impersonateUser: "admin@example.com",
      config: { "googlechat:useAdminAccess": "true" },
    });
    await stack.up(quiet);
    // Google documents no last-owner rule of its own: the provider's is all there is.
    await t.emulator.control.setSettings({ keepLastManager: false });
    // Both dropped: the engine deletes them in parallel (one delete chain), each reading the owners before its removal.
    stack.workspace.program = program({});
    const failed = await stack.up(quiet).then(
      () => "finished",
      (e: Error) => e.message,
    );
    const left = await members(space);
    assert.equal(left.length, 1, `one owner stays: ${left}`);
    const stays = left[0].split(" ")[0];
    assert.deepEqual(left, [`${stays} HUMAN ROLE_MANAGER`]);
    assert.ok(
      failed.includes(
        `ChatMembership ${stays} in ${space}: ${stays} is the last owner (ROLE_MANAGER, shown as Owner in Chat) of ${space}, and removing it would leave the space without one.`,
      ),
      failed,
    );
    // The state keeps the refused one; the next up refuses it again, and removes nobody.
    const again = await stack.up(quiet).then(
      () => "finished",
      (e: Error) => e.message,
    );
    assert.ok(again.includes(`${stays} is the last owner`), again);
    assert.deepEqual(await members(space), left);
  });

  it("a member removed in Chat leaves the stack at refresh and comes back with the next up; an accepted invitation shows as drift", async () => {
    await t.emulator.control.setSettings({ autoAcceptOff: ["bob@example.com"] });
    const stack = await inlineStack("chat-e2e", "removed", team({ alice: { user: "alice@example.com" }, bob: { user: "bob@example.com" } }), {
      emulator: t.emulator,
      key: t.key,
      impersonateUser: "admin@example.com",
    });
    const up = await stack.up(quiet);
    const space = up.outputs.space.value as string;
    const bobState = async () => (await stack.exportStack()).deployment.resources.find((r: any) => r.urn.endsWith("::bob"))?.outputs.state;
    assert.equal(await bobState(), "INVITED");

    await t.emulator.control.removeMember(space, "alice@example.com");
    await t.emulator.control.acceptInvitation(space, "bob@example.com");
    let mark = await logMark(t.emulator);
    const refresh = await stack.refresh(quiet);
    assert.deepEqual(refresh.summary.resourceChanges, { same: 3, delete: 1 }, "alice is gone");
    assert.equal(await bobState(), "JOINED", "bob accepted");
    // One read each (the space's, and one per membership); alice's 404 told from a lost space by the space's read.
    const reads = await apiCalls(t.emulator, mark);
    assert.ok(reads.includes(`GET /v1/${space}/members/110000000000000000002 404`), reads.join("\n"));
    assert.ok(
      reads.every((call) => call.startsWith("GET ")),
      reads.join("\n"),
    );

    assert.deepEqual((await stack.preview(quiet)).changeSummary, { create: 1, same: 3 });
    mark = await logMark(t.emulator);
    await stack.up(quiet);
    assert.deepEqual(await apiCalls(t.emulator, mark), [`POST /v1/${space}/members 200`]);
    assert.deepEqual(await members(space), [
      "users/110000000000000000001 HUMAN ROLE_MANAGER",
      "users/110000000000000000002 HUMAN ROLE_MEMBER",
      "users/110000000000000000003 HUMAN ROLE_MEMBER",
    ]);
  });

  it("a historical membership declared with other import-mode times is replaced delete-first, as the provider's diff asks (the class sets no deleteBeforeReplace to override it): removed, then added with the new times", async () => {
    const archive =
      (createTime: string): PulumiFn =>
      async () => {
        const legacy = new ChatSpace("legacy", { displayName: "Archive", importMode: true, createTime: "2019-05-01T10:00:00Z" });
        const bob = new ChatMembership("bob", { space: legacy, user: "bob@example.com", createTime, deleteTime: "2020-05-01T17:00:00Z" });
        return { space: legacy.name, bob: bob.name };
      };
    const stack = await inlineStack("chat-e2e", "times", archive("2019-05-02T09:00:00Z"), {
      emulator: t.emulator,
      key: t.key,
      impersonateUser: "admin@example.com",
    });
    const first = await stack.up(quiet);
    const space = first.outputs.space.value as string;
    stack.workspace.program = archive("2019-05-03T09:00:00Z");
    const mark = await logMark(t.emulator);
    const up = await stack.up(quiet);
    assert.deepEqual(up.summary.resourceChanges, { same: 2, replace: 1 });
    const writes = (await apiCalls(t.emulator, mark)).filter((c) => !c.startsWith("GET "));
    assert.deepEqual(writes, [`DELETE /v1/${first.outputs.bob.value} 200`, `POST /v1/${space}/members 200`]);
    const bob = (await t.emulator.control.state()).memberships[space.slice("spaces/".length)].find((m) => m.memberName === "users/110000000000000000003")!;
    assert.deepEqual([bob.state, bob.createTime, bob.deleteTime], ["NOT_A_MEMBER", "2019-05-03T09:00:00.000Z", "2020-05-01T17:00:00.000Z"]);
    assert.deepEqual((await stack.preview(quiet)).changeSummary, { same: 3 });
  });

  it("pulumi up --replace of a historical membership with a new createTime (the engine checks it with no old inputs, as a new resource, and creates first) is refused with no write; pulumi up without --replace replaces it delete-first, as its preview announces", async () => {
    const archive =
      (createTime: string): PulumiFn =>
      async () => {
        const legacy = new ChatSpace("legacy", { displayName: "Archive", importMode: true, createTime: "2019-05-01T10:00:00Z" });
        const bob = new ChatMembership("bob", { space: legacy, user: "bob@example.com", createTime, deleteTime: "2020-05-01T17:00:00Z" });
        return { space: legacy.name, bob: bob.name };
      };
    const stack = await inlineStack("chat-e2e", "retimed", archive("2019-05-02T09:00:00Z"), {
      emulator: t.emulator,
      key: t.key,
      impersonateUser: "admin@example.com",
    });
    const first = await stack.up(quiet);
    const space = first.outputs.space.value as string;
    const bobUrn = (await stack.exportStack()).deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::bob")).urn;
    const bobs = async () =>
      (await t.emulator.control.state()).memberships[space.slice("spaces/".length)]
        .filter((m) => m.memberName === "users/110000000000000000003")
        .map((m) => [m.state, m.createTime, m.deleteTime]);
    stack.workspace.program = archive("2019-05-03T09:00:00Z");
    let mark = await logMark(t.emulator);
    const failed = await stack.up({ replace: [bobUrn], ...quiet }).then(
      () => "finished",
      (e: Error) => e.message,
    );
    assert.ok(
      failed.includes(
        "A create removes a membership only as the replacement of it that its preview announced, which this one can't tell it is " +
          "(a new resource, a replacement of another member or from another space, or one the engine replaces without asking: " +
          "--replace, pulumi state taint, replaceWith)",
      ),
      failed,
    );
    // The create met the old membership (409) and read it: nothing removed.
    assert.deepEqual(
      (await apiCalls(t.emulator, mark)).filter((c) => !c.startsWith("GET ")),
      [`POST /v1/${space}/members 409`],
    );
    assert.deepEqual(await bobs(), [["NOT_A_MEMBER", "2019-05-02T09:00:00.000Z", "2020-05-01T17:00:00.000Z"]]);
    assert.deepEqual((await stack.preview(quiet)).changeSummary, { replace: 1, same: 2 });
    mark = await logMark(t.emulator);
    const up = await stack.up(quiet);
    assert.deepEqual(up.summary.resourceChanges, { same: 2, replace: 1 });
    // The diff's replacement removes the old membership first, then adds bob again with the new times.
    assert.deepEqual(
      (await apiCalls(t.emulator, mark)).filter((c) => !c.startsWith("GET ")),
      [`DELETE /v1/${first.outputs.bob.value} 200`, `POST /v1/${space}/members 200`],
    );
    assert.deepEqual(await bobs(), [["NOT_A_MEMBER", "2019-05-03T09:00:00.000Z", "2020-05-01T17:00:00.000Z"]]);
    assert.equal(up.outputs.bob.value, first.outputs.bob.value, "the same member: the membership keeps its name");
    assert.deepEqual((await stack.preview(quiet)).changeSummary, { same: 3 });
  });

  it("a migration's member made ROLE_ASSISTANT_MANAGER in Chat since, given another createTime: the diff's delete-first replacement removes her, adds her again and gives that role back (a demotion the preview did not show), and the next preview announces it", async () => {
    const archive =
      (createTime: string): PulumiFn =>
      async () => {
        const legacy = new ChatSpace("legacy", { displayName: "Archive", importMode: true, createTime: "2019-05-01T10:00:00Z" });
        const alice = new ChatMembership("alice", { space: legacy, user: "alice@example.com", createTime });
        return { space: legacy.name, alice: alice.name };
      };
    const stack = await inlineStack("chat-e2e", "raised", archive("2019-05-02T09:00:00Z"), {
      emulator: t.emulator,
      key: t.key,
      impersonateUser: "admin@example.com",
    });
    const first = await stack.up(quiet);
    const space = first.outputs.space.value as string;
    const alice = first.outputs.alice.value as string;
    await t.emulator.control.setRole(space, "alice@example.com", "ROLE_ASSISTANT_MANAGER");
    stack.workspace.program = archive("2019-05-03T09:00:00Z");
    // Planned from the state's ROLE_MEMBER: a replacement, no demotion.
    assert.deepEqual((await stack.preview(quiet)).changeSummary, { same: 2, replace: 1 });
    const mark = await logMark(t.emulator);
    const up = await stack.up(quiet);
    assert.deepEqual(up.summary.resourceChanges, { same: 2, replace: 1 });
    const writes = (await apiCalls(t.emulator, mark)).filter((c) => !c.startsWith("GET "));
    assert.deepEqual(writes, [`DELETE /v1/${alice} 200`, `POST /v1/${space}/members 200`, `PATCH /v1/${alice} role 200`]);
    const now = (await t.emulator.control.state()).memberships[space.slice("spaces/".length)].filter((m) => m.memberName === "users/110000000000000000002");
    assert.deepEqual(
      now.map((m) => [m.state, m.role, m.createTime]),
      [["JOINED", "ROLE_ASSISTANT_MANAGER", "2019-05-03T09:00:00.000Z"]],
    );
    assert.ok(
      up.stdout.includes(
        `ChatMembership alice: users/110000000000000000002 was ROLE_ASSISTANT_MANAGER in ${space}, above the declared ROLE_MEMBER, ` +
          "and is removed to be added again with the declared times",
      ),
      up.stdout,
    );
    assert.ok(up.stdout.includes("role ROLE_ASSISTANT_MANAGER kept, not ROLE_MEMBER"), up.stdout);
    assert.deepEqual((await stack.preview(quiet)).changeSummary, { same: 2, update: 1 });
  });

  it("fails at preview with zero API calls on invalid input", async () => {
    const stack = await inlineStack("chat-e2e", "bad", team({ bad: { user: "alice@", group: "groups/devs", role: "OWNER" as never } }), {
      emulator: t.emulator,
      key: t.key,
      impersonateUser: "admin@example.com",
    });
    const error: any = await stack.preview(quiet).catch((e) => e);
    const output = String(error?.message ?? error);
    for (const [property, problem] of [
      ["user value {alice@}", 'must be an email (alice@example.com) or users/{id}, not "alice@".'],
      ["group value {groups/devs}", "only one of user, group and chatApp may be set, not user and group: one ChatMembership is one member."],
      [
        "role value {OWNER}",
        'must be one of ROLE_MEMBER, ROLE_ASSISTANT_MANAGER, ROLE_MANAGER (ROLE_ASSISTANT_MANAGER is shown as Manager in Chat, ROLE_MANAGER as Owner), not "OWNER".',
      ],
    ]) {
      assert.ok(output.includes(`ChatMembership resource 'bad': property ${property} has a problem: ${problem}`), `${property} in ${output}`);
    }
    assert.deepEqual(await apiCalls(t.emulator), []);
  });
});

/** A space "Engineering" and its roster; exports the space's name and the roster's members. */
function rostered(members: RosterMemberArgs[], mode?: RosterMode): PulumiFn {
  return async () => {
    const eng = new ChatSpace("eng", { displayName: "Engineering" });
    const roster = new ChatSpaceMembers("eng-members", { space: eng, members, mode });
    return { space: eng.name, members: roster.members };
  };
}

describe("e2e: ChatSpaceMembers under the real Pulumi engine", () => {
  const t = useEngineAndEmulator();
  const members = async (space: string) =>
    (await t.emulator.control.state()).memberships[space.slice("spaces/".length)].map((m) => `${m.memberName} ${m.type} ${m.role}`).sort();
  const stackOf = (name: string, program: PulumiFn) =>
    inlineStack("chat-e2e", name, program, { emulator: t.emulator, key: t.key, impersonateUser: "admin@example.com" });
  const CALLER = "users/110000000000000000001 HUMAN ROLE_MANAGER";
  const ALICE = "users/110000000000000000002";
  const BOB = "users/110000000000000000003";

  // The SDK's member claims once outlived a run of the program (a915fb0): the second run found its own roster.
  it("an inline program run again in the same process (Automation API) is no conflict with itself", async () => {
    const stack = await stackOf("rerun", rostered([{ user: "bob@example.com" }]));
    await stack.up(quiet);
    const mark = await logMark(t.emulator);
    const again = await stack.preview(quiet).then(
      (p) => p.changeSummary,
      (e: Error) => e.message,
    );
    assert.deepEqual(again, { same: 3 });
    assert.deepEqual(await t.emulator.control.requests(mark), []);
  });

  it("authoritative: adds the roster, changes nothing on a second up or a preview, changes a role with one PATCH, restores drift, removes an undeclared member and keeps the caller", async () => {
    const declared: RosterMemberArgs[] = [
      { user: "alice@example.com", role: "ROLE_MANAGER" },
      { user: "bob@example.com" },
      { group: "groups/devs" },
      { chatApp: true },
    ];
    const stack = await stackOf("roster", rostered(declared));
    const up = await stack.up(quiet);
    assert.deepEqual(up.summary.resourceChanges, { create: 3 });
    const space = up.outputs.space.value as string;
    const app = `users/${t.key.client_id}`;
    assert.deepEqual(
      await members(space),
      [CALLER, `${ALICE} HUMAN ROLE_MANAGER`, `${BOB} HUMAN ROLE_MEMBER`, "groups/devs GROUP MEMBERSHIP_ROLE_UNSPECIFIED", `${app} BOT ROLE_MEMBER`].sort(),
    );
    const writes = (await apiCalls(t.emulator)).filter((call) => !call.startsWith("GET "));
    assert.deepEqual(
      writes.sort(),
      ["POST /v1/spaces 200", ...Array(4).fill(`POST /v1/${space}/members 200`), `PATCH /v1/${space}/members/110000000000000000002 role 200`].sort(),
    );

    let mark = await logMark(t.emulator);
    assert.deepEqual((await stack.up(quiet)).summary.resourceChanges, { same: 3 });
    assert.deepEqual((await stack.preview(quiet)).changeSummary, { same: 3 });
    assert.deepEqual(await t.emulator.control.requests(mark), [], "no call, not even a token request");

    // bob becomes a Manager: one PATCH, the preview names the member.
    const promoted = declared.map((m) => (m.user === "bob@example.com" ? { ...m, role: "ROLE_ASSISTANT_MANAGER" as const } : m));
    stack.workspace.program = rostered(promoted);
    const preview = await stack.preview({ diff: true });
    assert.deepEqual(preview.changeSummary, { same: 2, update: 1 });
    // The engine's detailed diff names the one member; the provider's own lines (and the kept
    // caller) show in the up, not in the preview: the preview prints no diagnostics of diff.
    assert.match(preview.stdout, /~ \[1\]: \{\s+\+ role: "ROLE_ASSISTANT_MANAGER"\s+user: "bob@example.com"/);
    const kept =
      "ChatSpaceMembers eng-members: = users/110000000000000000001: not declared, kept: it is the calling user, which an authoritative roster never removes";
    mark = await logMark(t.emulator);
    const promotion = await stack.up(quiet);
    assert.ok(
      promotion.stdout.includes("ChatSpaceMembers eng-members: ~ members[1] users/110000000000000000003: role ROLE_MEMBER => ROLE_ASSISTANT_MANAGER"),
      promotion.stdout,
    );
    assert.ok(promotion.stdout.includes(kept), promotion.stdout);
    assert.deepEqual(
      (await apiCalls(t.emulator, mark)).filter((call) => !call.startsWith("GET ")),
      [`PATCH /v1/${space}/members/110000000000000000003 role 200`],
    );

    // In Chat, alice is demoted and the group removed: refresh shows it, the next up restores both.
    await t.emulator.control.setRole(space, "alice@example.com", "ROLE_MEMBER");
    await t.emulator.control.removeMember(space, "groups/devs");
    await stack.refresh(quiet);
    assert.deepEqual((await stack.preview(quiet)).changeSummary, { same: 2, update: 1 });
    mark = await logMark(t.emulator);
    await stack.up(quiet);
    assert.deepEqual(
      (await apiCalls(t.emulator, mark)).filter((call) => !call.startsWith("GET ")).sort(),
      [`PATCH /v1/${space}/members/110000000000000000002 role 200`, `POST /v1/${space}/members 200`].sort(),
    );
    const restored = [
      CALLER,
      `${ALICE} HUMAN ROLE_MANAGER`,
      `${BOB} HUMAN ROLE_ASSISTANT_MANAGER`,
      "groups/devs GROUP MEMBERSHIP_ROLE_UNSPECIFIED",
      `${app} BOT ROLE_MEMBER`,
    ].sort();
    assert.deepEqual(await members(space), restored);

    // Undeclared: the group goes (one delete); the caller, never declared, stays.
    stack.workspace.program = rostered(promoted.filter((m) => !m.group));
    mark = await logMark(t.emulator);
    const removal = await stack.up(quiet);
    assert.ok(removal.stdout.includes("ChatSpaceMembers eng-members: - groups/devs: not declared, removed"), removal.stdout);
    assert.ok(removal.stdout.includes(kept), removal.stdout);
    assert.deepEqual(
      (await apiCalls(t.emulator, mark)).filter((call) => !call.startsWith("GET ")),
      [`DELETE /v1/${space}/members/devs 200`],
    );
    assert.deepEqual(
      await members(space),
      restored.filter((m) => !m.startsWith("groups/")),
    );
  });

  it("addOnly keeps a member added in Chat; authoritative then removes it, never the caller", async () => {
    const declared: RosterMemberArgs[] = [{ user: "bob@example.com" }];
    const stack = await stackOf("addonly", rostered(declared, "addOnly"));
    const space = (await stack.up(quiet)).outputs.space.value as string;
    await t.emulator.control.addMember(space, "alice@example.com");
    await stack.refresh(quiet);
    let mark = await logMark(t.emulator);
    assert.deepEqual((await stack.preview(quiet)).changeSummary, { same: 3 }, "addOnly: alice is no change");
    assert.deepEqual((await stack.up(quiet)).summary.resourceChanges, { same: 3 });
    assert.deepEqual(await apiCalls(t.emulator, mark), []);
    assert.deepEqual(await members(space), [CALLER, `${ALICE} HUMAN ROLE_MEMBER`, `${BOB} HUMAN ROLE_MEMBER`]);

    stack.workspace.program = rostered(declared, "authoritative");
    mark = await logMark(t.emulator);
    await stack.up(quiet);
    assert.deepEqual(
      (await apiCalls(t.emulator, mark)).filter((call) => !call.startsWith("GET ")),
      [`DELETE /v1/${space}/members/110000000000000000002 200`],
    );
    assert.deepEqual(await members(space), [CALLER, `${BOB} HUMAN ROLE_MEMBER`]);
  });

  it("keeps the calling user an owner when the roster declares it lower: it would lose the space", async () => {
    const stack = await stackOf("noowner", rostered([{ user: "admin@example.com", role: "ROLE_MEMBER" }, { user: "alice@example.com" }]));
    const up = await stack.up(quiet);
    assert.equal(up.summary.result, "succeeded");
    const space = up.outputs.space.value as string;
    const writes = (await apiCalls(t.emulator)).filter((call) => !call.startsWith("GET "));
    assert.ok(!writes.some((call) => call.startsWith("PATCH") || call.startsWith("DELETE")), writes.join("\n"));
    assert.deepEqual(await members(space), [CALLER, `${ALICE} HUMAN ROLE_MEMBER`]);
  });

  it("partial failure: the adds that went through are kept or taken over; the next up converges without a duplicate", async () => {
    const declared: RosterMemberArgs[] = [{ user: "alice@example.com", role: "ROLE_ASSISTANT_MANAGER" }, { user: "bob@example.com" }, { group: "groups/devs" }];
    const stack = await stackOf("rpartial", rostered(declared));
    await t.emulator.control.addFault({ match: { methods: ["spaces.members.patch"] }, action: { kind: "error", status: 400, message: "bad" }, count: 1 });
    const failed = await stack.up(quiet).then(
      () => "finished",
      (e: Error) => e.message,
    );
    assert.match(failed, /ChatSpaceMembers eng-members: .*spaces\.members\.patch .*400 INVALID_ARGUMENT: bad/);
    const space = `spaces/${Object.keys((await t.emulator.control.state()).spaces)[0]}`;
    const mark = await logMark(t.emulator);
    const up = await stack.up(quiet);
    assert.equal(up.summary.result, "succeeded");
    const writes = (await apiCalls(t.emulator, mark)).filter((call) => !call.startsWith("GET "));
    assert.ok(writes.includes(`PATCH /v1/${space}/members/110000000000000000002 role 200`), writes.join("\n"));
    assert.ok(!writes.some((call) => call.startsWith("DELETE")), writes.join("\n"));
    assert.deepEqual(
      await members(space),
      [CALLER, `${ALICE} HUMAN ROLE_ASSISTANT_MANAGER`, `${BOB} HUMAN ROLE_MEMBER`, "groups/devs GROUP MEMBERSHIP_ROLE_UNSPECIFIED"].sort(),
    );
    assert.deepEqual((await stack.preview(quiet)).changeSummary, { same: 3 });
  });

  it("kill -9 of pulumi up after Google added a member: the next up takes it over, no duplicate, no failure", async () => {
    const stack = await stackOf("rcrash", rostered([{ user: "alice@example.com" }, { user: "bob@example.com" }]));
    await t.emulator.control.addFault({ match: { methods: ["spaces.members.create"] }, action: { kind: "holdAfterCommit" }, count: 1 });
    const up = stack.up(quiet).then(
      () => "finished",
      (e: Error) => e.message,
    );
    const space = await until("a member added, its answer held", async () => {
      const state = await t.emulator.control.state();
      const [id] = Object.keys(state.spaces);
      return id && state.memberships[id]?.length > 1 ? `spaces/${id}` : undefined;
    });
    assert.ok(killProcessTree("--stack rcrash") >= 1, "found the pulumi up process");
    assert.match(await up, /exit code|killed|signal/i);
    await t.emulator.control.clearFaults();
    await stack.cancel();
    await stack.refresh({ clearPendingCreates: true });
    const after = await stack.up(quiet);
    assert.equal(after.summary.result, "succeeded");
    assert.deepEqual(await members(space), [CALLER, `${ALICE} HUMAN ROLE_MEMBER`, `${BOB} HUMAN ROLE_MEMBER`]);
    assert.deepEqual((await stack.preview(quiet)).changeSummary, { same: 3 });
  });

  it("fails at preview with zero API calls on invalid input", async () => {
    const stack = await stackOf(
      "rbad",
      rostered([{ user: "alice@" }, { user: "bob@example.com", group: "groups/devs" }, { user: "carol@example.com", role: "OWNER" as never }]),
    );
    const error: any = await stack.preview(quiet).catch((e) => e);
    const output = String(error?.message ?? error);
    // The engine prints a nested property's value as <nil>.
    for (const [property, problem] of [
      ["members[0].user value {<nil>}", 'must be an email (alice@example.com) or users/{id}, not "alice@".'],
      [
        "members[1].group value {<nil>}",
        "only one of user, group and chatApp may be set, not user and group: one entry is one member: declare the other in an entry of its own.",
      ],
      [
        "members[2].role value {<nil>}",
        'must be one of ROLE_MEMBER, ROLE_ASSISTANT_MANAGER, ROLE_MANAGER (ROLE_ASSISTANT_MANAGER is shown as Manager in Chat, ROLE_MANAGER as Owner), not "OWNER".',
      ],
    ]) {
      assert.ok(output.includes(`ChatSpaceMembers resource 'eng-members': property ${property} has a problem: ${problem}`), `${property} in ${output}`);
    }
    assert.deepEqual(await apiCalls(t.emulator), []);
  });
});
