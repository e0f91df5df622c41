/**
 * A ChatMembership of the calling user (its state records her as the caller it was applied as),
 * moved to a provider instance acting as another user and declared lower, in the up that leaves
 * her own provider instance only a delete in the space: the engine configures that instance after
 * every other step, so it has published nothing when the moved membership's diff and update run.
 * She keeps her owner role for that up, as a roster moved to another caller keeps her
 * (members/caller.ts `formerCallerOf`); the update records no caller, and the next preview
 * announces the demotion.
 */
import assert from "node:assert/strict";
import type { PreviewStep } from "../../commands/plan/preview-json";
import { summarizePlan } from "../../commands/plan/summary";
import { DEFAULT_SETTINGS } from "../../emulator/model";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, useDeployments } from "./membership-helpers";
import { mState } from "./preview-states";

const ADMIN = "users/110000000000000000001";
const CAROL = { id: "110000000000000000077", email: "carol@example.com", admin: false };
const ROOT = { id: "110000000000000000078", email: "root@example.com", admin: true };
/** A Workspace administrator's own credentials signed in with the Chat scopes alone: no email scope, so the provider can't tell whom they act as. */
const OWN_SCOPES_WITHOUT_EMAIL = [
  "https://www.googleapis.com/auth/chat.memberships",
  "https://www.googleapis.com/auth/chat.admin.memberships",
  "https://www.googleapis.com/auth/chat.admin.memberships.readonly",
  "https://www.googleapis.com/auth/chat.admin.spaces.readonly",
  "https://www.googleapis.com/auth/chat.spaces.readonly",
];
const FORMER_CALLER_KEPT =
  "it is admin@example.com, the calling user this ChatMembership was last applied as, and the provider instance acting as it may still need " +
  "the space in this deployment (a resource of it deleted after this update): it keeps its role for this up, and the next preview announces the change";

describe("a ChatMembership of the caller moved to another provider instance's calling user", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);
  const roleOf = async (s: string, member: string) =>
    (await t.control.state()).memberships[s.slice("spaces/".length)].find((m) => m.memberName === member)?.role;

  /** alice's space with admin (at `adminsRole`) and bob owners; admin's provider declares admin's own seat at that role, and carol. */
  const adminsSeatAndCarol = async (adminsRole: "ROLE_MANAGER" | "ROLE_ASSISTANT_MANAGER" = "ROLE_MANAGER") => {
    await t.control.setSettings({ users: [...DEFAULT_SETTINGS.users, CAROL] });
    const alice = t.asDelegatedUser("alice@example.com", ["chat.spaces.create"]);
    const s = (await alice.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
    await t.control.addMember(s, "admin@example.com", adminsRole);
    await t.control.addMember(s, "bob@example.com", "ROLE_MANAGER");
    const first = await deployment("127.0.0.1:40001").process();
    const seat = membershipInputs("admin-seat", { space: s, user: "admin@example.com", role: adminsRole });
    const carol = membershipInputs("carol", { space: s, user: "carol@example.com" });
    await first.memberships.check({}, seat);
    await first.memberships.check({}, carol);
    const made = await first.memberships.create(seat);
    assert.equal((made.outs as ChatMembershipOutputs).__caller, "admin@example.com");
    const carolMade = await first.memberships.create(carol);
    return { s, seat, made, carolMade };
  };

  /** admin-seat moved to bob's provider at ROLE_MEMBER, diffed and updated: the update's outputs, its writes, and bob's process's logs. */
  const movedToBob = async (s: string, seat: object, made: { id: string; outs?: unknown }, engine: string) => {
    const asBob = await deployment(engine).process({ user: "bob@example.com" });
    const moved = membershipInputs("admin-seat", { space: s, user: "admin@example.com", role: "ROLE_MEMBER" });
    await asBob.memberships.check(seat as never, moved);
    const diff = await asBob.memberships.diff(made.id, made.outs as ChatMembershipOutputs, moved);
    const mark = await logMark(t);
    const updated = (await asBob.memberships.update(made.id, made.outs as ChatMembershipOutputs, moved)).outs as ChatMembershipOutputs;
    const writes = (await apiCalls(t, mark)).filter((call) => !call.startsWith("GET "));
    return { moved, diff, updated, writes, logs: asBob.logs };
  };

  it("membership-former-caller-kept-owner: moved to bob's provider at ROLE_MEMBER while admin's provider only deletes carol: admin keeps ROLE_MANAGER for that up (announced as kept), and carol's delete by admin's provider succeeds", async () => {
    const { s, seat, made, carolMade } = await adminsSeatAndCarol();
    const up = deployment("127.0.0.1:40002");
    const asBob = await up.process({ user: "bob@example.com" });
    const moved = membershipInputs("admin-seat", { space: s, user: "admin@example.com", role: "ROLE_MEMBER" });
    assert.deepEqual(await asBob.memberships.check(seat, moved), { inputs: moved });
    const diff = await asBob.memberships.diff(made.id, made.outs as ChatMembershipOutputs, moved);
    assert.deepEqual(
      { changes: diff.changes, replaces: diff.replaces, detailedDiff: diff.detailedDiff, logs: asBob.logs },
      {
        changes: true,
        replaces: [],
        detailedDiff: { role: "update" },
        logs: [`ChatMembership admin-seat: = ${ADMIN}: role ROLE_MANAGER kept, not ROLE_MEMBER: ${FORMER_CALLER_KEPT}`],
      },
    );
    const mark = await logMark(t);
    const updated = (await asBob.memberships.update(made.id, made.outs as ChatMembershipOutputs, moved)).outs as ChatMembershipOutputs;
    assert.deepEqual(
      (await apiCalls(t, mark)).filter((call) => !call.startsWith("GET ")),
      [],
      "no PATCH: the former caller keeps her role",
    );
    assert.equal(await roleOf(s, ADMIN), "ROLE_MANAGER");
    assert.equal(updated.__caller, undefined, "the state no longer records her as the caller");
    assert.equal(updated.role, "ROLE_MANAGER");
    // admin's provider, configured for its deletes after every other step, still manages the space.
    const asAdmin = await up.process();
    await asAdmin.memberships.delete(carolMade.id, carolMade.outs as ChatMembershipOutputs);
    assert.equal(await roleOf(s, `users/${CAROL.id}`), undefined, "carol removed");

    // The next up, as bob: the preview announces the demotion, and the update makes it.
    const next = await deployment("127.0.0.1:40003").process({ user: "bob@example.com" });
    await next.memberships.check(moved, moved);
    const nextDiff = await next.memberships.diff(made.id, updated, moved);
    assert.deepEqual(
      { changes: nextDiff.changes, detailedDiff: nextDiff.detailedDiff, logs: next.logs },
      { changes: true, detailedDiff: { role: "update" }, logs: [`ChatMembership admin-seat: ~ ${ADMIN}: role ROLE_MANAGER => ROLE_MEMBER`] },
    );
    await next.memberships.update(made.id, updated, moved);
    assert.equal(await roleOf(s, ADMIN), "ROLE_MEMBER");
  });

  it("membership-former-caller-declared-owner: moved to bob's provider at the same owner role: nothing to keep, no change", async () => {
    const { s, seat, made } = await adminsSeatAndCarol();
    const asBob = await deployment("127.0.0.1:40004").process({ user: "bob@example.com" });
    await asBob.memberships.check(seat, seat);
    const diff = await asBob.memberships.diff(made.id, made.outs as ChatMembershipOutputs, seat);
    assert.deepEqual({ changes: diff.changes, logs: asBob.logs }, { changes: false, logs: [] });
    assert.equal(await roleOf(s, ADMIN), "ROLE_MANAGER");
  });

  it("membership-former-caller-same-user: the same calling user declaring her own seat lower keeps it as the caller, not as a former one", async () => {
    const { s, seat, made } = await adminsSeatAndCarol();
    const again = await deployment("127.0.0.1:40005").process();
    const lower = membershipInputs("admin-seat", { space: s, user: "admin@example.com", role: "ROLE_MEMBER" });
    await again.memberships.check(seat, lower);
    const diff = await again.memberships.diff(made.id, made.outs as ChatMembershipOutputs, lower);
    assert.equal(diff.changes, false);
    assert.match(again.logs[0], /role ROLE_MANAGER kept, not ROLE_MEMBER: it is the calling user/);
  });

  it("membership-former-caller-manager-since: admin, recorded as an owner, made a manager in Chat since (no refresh), moved to bob at ROLE_MEMBER: the preview says kept, and the up keeps her a manager, recording no caller", async () => {
    const { s, seat, made } = await adminsSeatAndCarol();
    await t.control.setRole(s, ADMIN, "ROLE_ASSISTANT_MANAGER");
    const { diff, updated, writes, logs } = await movedToBob(s, seat, made, "127.0.0.1:40006");
    assert.equal(diff.changes, true);
    assert.deepEqual(writes, []);
    assert.equal(await roleOf(s, ADMIN), "ROLE_ASSISTANT_MANAGER");
    assert.deepEqual(
      { caller: updated.__caller, role: updated.role, logs },
      {
        caller: undefined,
        role: "ROLE_ASSISTANT_MANAGER",
        logs: [
          `ChatMembership admin-seat: = ${ADMIN}: role ROLE_MANAGER kept, not ROLE_MEMBER: ${FORMER_CALLER_KEPT}`,
          `ChatMembership admin-seat: = ${ADMIN}: role ROLE_ASSISTANT_MANAGER kept, not ROLE_MEMBER: ${FORMER_CALLER_KEPT}`,
        ],
      },
    );
  });

  it("membership-former-caller-owner-since: admin, recorded as a manager, made an owner in Chat since, moved to bob at ROLE_MEMBER: kept for that up, the record dropped, so the next preview announces the demotion", async () => {
    const { s, seat, made } = await adminsSeatAndCarol("ROLE_ASSISTANT_MANAGER");
    await t.control.setRole(s, ADMIN, "ROLE_MANAGER");
    const { moved, updated, writes } = await movedToBob(s, seat, made, "127.0.0.1:40007");
    assert.deepEqual(writes, []);
    assert.deepEqual(
      { caller: updated.__caller, role: updated.role, live: await roleOf(s, ADMIN) },
      { caller: undefined, role: "ROLE_MANAGER", live: "ROLE_MANAGER" },
    );
    const next = await deployment("127.0.0.1:40008").process({ user: "bob@example.com" });
    await next.memberships.check(moved, moved);
    assert.equal((await next.memberships.diff(made.id, updated, moved)).changes, true);
    assert.deepEqual(next.logs, [`ChatMembership admin-seat: ~ ${ADMIN}: role ROLE_MANAGER => ROLE_MEMBER`]);
  });

  it("membership-former-caller-plan-summary: the plan summary of that update says the role is kept, not changed", async () => {
    const { s, seat, made } = await adminsSeatAndCarol();
    const moved = membershipInputs("admin-seat", { space: s, user: "admin@example.com", role: "ROLE_MEMBER" });
    const old = mState("admin-seat", seat, made.id, made.outs);
    const step: PreviewStep = { op: "update", urn: old.urn, oldState: old, newState: mState("admin-seat", moved, made.id, made.outs) };
    const line = `ChatMembership admin-seat: = ${ADMIN}: role ROLE_MANAGER kept, not ROLE_MEMBER: ${FORMER_CALLER_KEPT}`;
    const summary = summarizePlan({ steps: [step], diagnostics: [{ urn: old.urn, severity: "info", message: `${line}\n` }] });
    const change = summary.changes.find((c) => c.resource === "admin-seat");
    assert.deepEqual({ fields: change?.fields, notes: change?.notes }, { fields: [], notes: [`keeps ${ADMIN} at ROLE_MANAGER, not ROLE_MEMBER, for this up`] });
  });

  it("membership-former-caller-unnamed-admin-access: moved to an instance with admin access whose own credentials can't name their user: the preview and the up stop, naming the scope, and admin keeps her role", async () => {
    const { s, seat, made } = await adminsSeatAndCarol();
    await t.control.setSettings({ users: [...DEFAULT_SETTINGS.users, CAROL, ROOT], usersWithoutEmailScope: ["root@example.com"] });
    const own = await t.control.authorizedUser("root@example.com", OWN_SCOPES_WITHOUT_EMAIL);
    const asRoot = await deployment("127.0.0.1:40009").process({ app: true, useAdminAccess: true, config: { "googlechat:credentials": JSON.stringify(own) } });
    const moved = membershipInputs("admin-seat", { space: s, user: "admin@example.com", role: "ROLE_MEMBER" });
    await asRoot.memberships.check(seat, moved);
    const mark = await logMark(t);
    await assert.rejects(
      asRoot.memberships.diff(made.id, made.outs as ChatMembershipOutputs, moved),
      /^Error: ChatMembership admin-seat: The calling user can't be told: /,
    );
    await assert.rejects(
      asRoot.memberships.update(made.id, made.outs as ChatMembershipOutputs, moved),
      /^Error: ChatMembership admin-seat: The calling user can't be told: /,
    );
    assert.deepEqual(
      (await apiCalls(t, mark)).filter((call) => !call.startsWith("GET ")),
      [],
    );
    assert.equal(await roleOf(s, ADMIN), "ROLE_MANAGER");
  });

  it("membership-summary-role-line-wins: a role change whose resource name reads like a kept-role line is still summarised as a role change", () => {
    const s = "spaces/AAAA";
    const name = "x: = users/9: role ROLE_MANAGER kept, not ROLE_MEMBER: y";
    const before = { space: s, user: "users/9", role: "ROLE_MANAGER" };
    const after = { space: s, user: "users/9", role: "ROLE_MEMBER" };
    const outs = { name: `${s}/members/9`, space: s, member: "users/9", memberType: "HUMAN", role: "ROLE_MANAGER", state: "JOINED", __declared: before };
    const old = mState(name, before, `${s}/members/9`, outs);
    const step: PreviewStep = { op: "update", urn: old.urn, oldState: old, newState: mState(name, after, `${s}/members/9`, outs) };
    const line = `ChatMembership ${name}: ~ users/9: role ROLE_MANAGER => ROLE_MEMBER`;
    const summary = summarizePlan({ steps: [step], diagnostics: [{ urn: old.urn, severity: "info", message: `${line}\n` }] });
    const change = summary.changes.find((c) => c.resource === name);
    assert.deepEqual({ fields: change?.fields.map((f) => f.field), notes: change?.notes }, { fields: ["role"], notes: [] });
  });
});
