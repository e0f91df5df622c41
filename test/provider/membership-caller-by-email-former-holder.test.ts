/**
 * A ChatMembership declared by the calling user's email (`user: "admin@example.com"`) whose state
 * holds the membership of the email's former holder (made before the address was given to a new
 * administrator). Its preview (membership/provider.ts `isCallersOwn`) asks Google who the caller
 * is, finds another person, and announces the declared demotion; its update (`toRole` → `callerOf`)
 * takes the declared email for the caller without asking, keeps the role, and calls
 * `learnCaller(outs.member)`, which records the former holder's users/{id} as the calling user's
 * id for the rest of the process (members/caller.ts `CallerIds.learn` overwrites). Two promises
 * break:
 * - the update does not do what its preview announced (the preview showed a demotion, the update
 *   keeps the role, and the next preview announces it again, at every up);
 * - every later decision of that process that asks "is this member the caller?" answers with the
 *   former holder's id: the delete of the calling user's own membership of another space (declared
 *   by users/{id}, dropped from the program) no longer sees her as the caller, and removes her.
 *   The calling user is never to be removed.
 * Its delete (whyItStays) takes the declared email for the caller too: the former holder, whom
 * the program dropped and the preview showed deleted, stays in the space, unmanaged, "kept as the
 * calling user" (lower severity: nothing is removed wrongly, but an account whose address was
 * taken away keeps its access, and the log names the wrong person as the caller).
 */
import assert from "node:assert/strict";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { addressGivenToNewOwnerOf, alicesSpaceWithAdmin, membershipInputs, oneProcess } from "./membership-helpers";

describe("a ChatMembership declared by the caller's email, its state the email's former holder's", () => {
  const t = useEmulator();

  /** Alice's space with admin@example.com (users/…001) an owner, managed by a ChatMembership declared by that email; then the address given to users/…010, an owner there too. */
  const managedByEmail = async () => {
    const s1 = await alicesSpaceWithAdmin(t, "ROLE_MANAGER");
    const { memberships: first } = await oneProcess(t);
    const created = await first.create(membershipInputs("admin-by-email", { space: s1, user: "admin@example.com", role: "ROLE_MANAGER" }));
    assert.equal((created.outs as { member?: string }).member, "users/110000000000000000001");
    // The address given to a new administrator, whom alice makes an owner of the space too (she manages it as the caller now).
    await addressGivenToNewOwnerOf(t, s1);
    return { alice: t.asDelegatedUser("alice@example.com", ["chat.spaces.create"]), s1, id: created.id, outs: created.outs };
  };

  it("the update makes the demotion its preview announced", async () => {
    const { s1, id, outs } = await managedByEmail();
    const news = membershipInputs("admin-by-email", { space: s1, user: "admin@example.com", role: "ROLE_MEMBER" });
    const preview = await oneProcess(t);
    const diff = await preview.memberships.diff(id, outs as never, news);
    assert.deepEqual([diff.changes, diff.replaces], [true, []], "the preview announces the demotion of users/…001");
    const { memberships, logs } = await oneProcess(t);
    await memberships.diff(id, outs as never, news);
    const mark = await logMark(t);
    await memberships.update(id, outs as never, news);
    const calls = await apiCalls(t, mark);
    const role = (await t.control.state()).memberships[s1.slice("spaces/".length)].find((m) => m.memberName === "users/110000000000000000001")?.role;
    assert.equal(role, "ROLE_MEMBER", `the preview announced a demotion the update did not make (update log: ${logs.join(" | ")}; calls: ${calls.join("; ")})`);
  });

  it("an update of it does not teach the process that the former holder is the caller: the caller's own membership elsewhere is not deleted", async () => {
    const { alice, s1, id, outs } = await managedByEmail();
    // The new administrator's own membership of another space of alice's, managed by users/{id}, then dropped from the program.
    const s2 = (await alice.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Alice's other" } })).data.name!;
    await t.control.addMember(s2, "users/110000000000000000010", "ROLE_MANAGER");
    const { memberships: before } = await oneProcess(t);
    const own = await before.create(membershipInputs("new-admin-own", { space: s2, user: "users/110000000000000000010", role: "ROLE_MANAGER" }));
    assert.equal((own.outs as { __caller?: string }).__caller, "admin@example.com", "her own membership is recorded as the caller's");

    // One `pulumi up` (one provider process): the declared demotion of admin-by-email, and the delete of new-admin-own.
    const news = membershipInputs("admin-by-email", { space: s1, user: "admin@example.com", role: "ROLE_MEMBER" });
    const { memberships, logs } = await oneProcess(t);
    await memberships.diff(id, outs as never, news);
    await memberships.update(id, outs as never, news);
    const mark = await logMark(t);
    await memberships.delete(own.id, own.outs as never).catch(() => undefined);
    const calls = await apiCalls(t, mark);
    const inS2 = (await t.control.state()).memberships[s2.slice("spaces/".length)].map((m) => m.memberName);
    assert.ok(
      inS2.includes("users/110000000000000000010"),
      `the calling user users/…010 was removed from ${s2} (log: ${logs.join(" | ")}; calls: ${calls.join("; ")})`,
    );
  });

  it("its delete removes the former holder, as its preview announced: she is not the calling user now", async () => {
    const { s1, id, outs } = await managedByEmail();
    const { memberships, logs } = await oneProcess(t);
    const mark = await logMark(t);
    await memberships.delete(id, outs as never).catch(() => undefined);
    const calls = await apiCalls(t, mark);
    const inS1 = (await t.control.state()).memberships[s1.slice("spaces/".length)].map((m) => m.memberName);
    assert.ok(
      !inS1.includes("users/110000000000000000001"),
      `the former holder users/…001 stays in ${s1}, kept as the calling user by the declared email (log: ${logs.join(" | ")}; calls: ${calls.join("; ")})`,
    );
  });

  it("control: in a process that updated nothing, the same delete keeps the calling user (passes)", async () => {
    const { alice } = await managedByEmail();
    const s2 = (await alice.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Alice's other" } })).data.name!;
    await t.control.addMember(s2, "users/110000000000000000010", "ROLE_MANAGER");
    const { memberships: before } = await oneProcess(t);
    const own = await before.create(membershipInputs("new-admin-own", { space: s2, user: "users/110000000000000000010", role: "ROLE_MANAGER" }));
    const { memberships, logs } = await oneProcess(t);
    await memberships.delete(own.id, own.outs as never);
    const inS2 = (await t.control.state()).memberships[s2.slice("spaces/".length)].map((m) => m.memberName);
    assert.ok(inS2.includes("users/110000000000000000010"), logs.join(" | "));
    assert.ok(
      logs.some((l) => l.includes("it is the calling user")),
      logs.join(" | "),
    );
  });
});
