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
import { DEFAULT_SETTINGS } from "../../emulator/model";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, useDeployments } from "./membership-helpers";

const ADMIN = "users/110000000000000000001";
const CAROL = { id: "110000000000000000077", email: "carol@example.com", admin: false };
const FORMER_CALLER_KEPT =
  "it is admin@example.com, the calling user this ChatMembership was last applied as, and the provider instance acting as it may still need " +
  "the space in this deployment (a resource of it deleted after this update): it keeps its role for this up, and the next preview announces the change";

describe("a ChatMembership of the caller moved to another provider instance's calling user", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);
  const roleOf = async (s: string, member: string) =>
    (await t.control.state()).memberships[s.slice("spaces/".length)].find((m) => m.memberName === member)?.role;

  /** alice's space with admin and bob owners; admin's provider declares admin's own seat (an owner) and carol. */
  const adminsSeatAndCarol = async () => {
    await t.control.setSettings({ users: [...DEFAULT_SETTINGS.users, CAROL] });
    const alice = t.asDelegatedUser("alice@example.com", ["chat.spaces.create"]);
    const s = (await alice.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
    await t.control.addMember(s, "admin@example.com", "ROLE_MANAGER");
    await t.control.addMember(s, "bob@example.com", "ROLE_MANAGER");
    const first = await deployment("127.0.0.1:40001").process();
    const seat = membershipInputs("admin-seat", { space: s, user: "admin@example.com", role: "ROLE_MANAGER" });
    const carol = membershipInputs("carol", { space: s, user: "carol@example.com" });
    await first.memberships.check({}, seat);
    await first.memberships.check({}, carol);
    const made = await first.memberships.create(seat);
    assert.equal((made.outs as ChatMembershipOutputs).__caller, "admin@example.com");
    const carolMade = await first.memberships.create(carol);
    return { s, seat, made, carolMade };
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
});
