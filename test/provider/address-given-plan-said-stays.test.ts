/**
 * bob@example.com's account is renamed and its address given to dana since the last deployment.
 * The program moves bob, declared by that address, to another resource of the same address: a
 * ChatMembership renamed, `pulumi up --replace`, a roster's entry. The plan reads states only
 * (commands/plan/claims.ts): the old state records the address as bob's, and the new declaration
 * holds nobody yet, so it says bob stays. At up the new resource's write asks Google, who answers
 * the address is dana's; the old resource's delete then keeps bob, as the plan said, held by no
 * resource, and says so. Where a plan could tell otherwise (the new resource's state records the
 * address as dana's, two states record it for two people, the old one declared bob by id), it
 * announced his removal, and the delete removes him.
 */
import assert from "node:assert/strict";
import type { PreviewStep, ResourceState } from "../../commands/plan/preview-json";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { ADDRESS, ADMIN, adminsSpaceBeforeTheAddressMoves, adminsTwoSpacesBeforeTheAddressMoves, BOB, membersOf, planHolderOf } from "./address-given-fixture";
import { bobsAddressGivenToDana, NEW_ADMIN as DANA, keptByFormerAddressLine, membershipInputs, oneProcess, useDeployments } from "./membership-helpers";
import { mState } from "./preview-states";
import { rosterInputs } from "./space-members-helpers";

describe("a member moved to another resource by an address given to another person since: the plan said it stays", () => {
  const t = useEmulator();
  const deployments = useDeployments(t);

  /** admin's space with bob, declared by his address in `made`'s resource, then the address given to dana. */
  const bobByAddress = async (made: "membership" | "roster") => {
    const s = await adminsSpaceBeforeTheAddressMoves(t);
    const first = await oneProcess(t);
    const old =
      made === "membership"
        ? await first.memberships.create(membershipInputs("a-bob", { space: s, user: ADDRESS }))
        : await first.rosters.create(rosterInputs("r", { space: s, mode: "addOnly", members: [{ user: ADDRESS }] }));
    await bobsAddressGivenToDana(t);
    return { s, old: old as { id: string; outs: ChatMembershipOutputs & ChatSpaceMembersOutputs } };
  };

  /** The plan's reading of the states: the resource of `oldState`, deleted, keeps its member held by `next`, created. */
  const planHolder = (oldState: ResourceState, next: ResourceState) => {
    const steps: PreviewStep[] = [
      { op: "delete", urn: oldState.urn, oldState },
      { op: "create", urn: next.urn, newState: next },
    ];
    return planHolderOf(steps, oldState);
  };

  it("address-given-membership-renamed: bob's ChatMembership renamed keeps the address: the new one holds dana, the old one's delete keeps bob, as the plan said", async () => {
    const { s, old } = await bobByAddress("membership");
    const renamed = membershipInputs("b-bob", { space: s, user: ADDRESS });
    const oldState = mState("a-bob", membershipInputs("a-bob", { space: s, user: ADDRESS }), old.id, old.outs);
    assert.equal(planHolder(oldState, mState("b-bob", renamed)), "ChatMembership b-bob", "the plan says b-bob keeps bob");

    const { memberships, logs } = await oneProcess(t);
    assert.deepEqual((await memberships.check({} as never, renamed)).failures ?? [], []);
    assert.equal(((await memberships.create(renamed)).outs as ChatMembershipOutputs).member, DANA, "Google answers the address is dana's");
    const mark = await logMark(t);
    await memberships.delete(old.id, old.outs);
    assert.deepEqual(
      (await apiCalls(t, mark)).filter((call) => !call.startsWith("GET ")),
      [],
      "no write",
    );
    assert.deepEqual(await membersOf(t, s), [ADMIN, BOB, DANA]);
    assert.deepEqual(logs.slice(-1), [keptByFormerAddressLine(`ChatMembership ${BOB} in ${s}`, s, "ChatMembership b-bob")]);
  });

  it("address-given-membership-replaced: pulumi up --replace of bob's ChatMembership: its new half holds dana, the old half's delete keeps bob", async () => {
    const { s, old } = await bobByAddress("membership");
    const declared = membershipInputs("a-bob", { space: s, user: ADDRESS });
    const { memberships, logs } = await oneProcess(t);
    await memberships.check(declared, declared);
    assert.equal(((await memberships.create(declared)).outs as ChatMembershipOutputs).member, DANA);
    await memberships.delete(old.id, old.outs);
    assert.deepEqual(await membersOf(t, s), [ADMIN, BOB, DANA]);
    assert.deepEqual(logs.slice(-1), [keptByFormerAddressLine(`ChatMembership ${BOB} in ${s}`, s, "ChatMembership a-bob")]);
  });

  it("address-given-membership-to-roster: bob's ChatMembership moved into a new addOnly roster by the address: the roster holds dana, the delete keeps bob", async () => {
    const { s, old } = await bobByAddress("membership");
    const declared = rosterInputs("r", { space: s, mode: "addOnly", members: [{ user: ADDRESS }] });
    const { memberships, rosters, logs } = await oneProcess(t);
    await rosters.check({} as never, declared);
    assert.equal(((await rosters.create(declared)).outs as ChatSpaceMembersOutputs).__declared[`users/${ADDRESS}`], DANA);
    await memberships.delete(old.id, old.outs);
    assert.deepEqual(await membersOf(t, s), [ADMIN, BOB, DANA]);
    assert.deepEqual(logs.slice(-1), [keptByFormerAddressLine(`ChatMembership ${BOB} in ${s}`, s, "ChatSpaceMembers r")]);
  });

  it("address-given-roster-entry-added: a roster the program keeps adds an entry of the address while bob's ChatMembership of it is dropped: the delete keeps bob", async () => {
    const { s, old } = await bobByAddress("membership");
    const first = await oneProcess(t);
    const before = rosterInputs("r", { space: s, mode: "addOnly", members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }] });
    await first.rosters.check({} as never, before);
    const r = await first.rosters.create(before);
    const after = rosterInputs("r", { space: s, mode: "addOnly", members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: ADDRESS }] });
    const { memberships, rosters, logs } = await oneProcess(t);
    await rosters.check(before, after);
    await rosters.diff(r.id, r.outs as ChatSpaceMembersOutputs, after);
    assert.equal(((await rosters.update(r.id, r.outs as ChatSpaceMembersOutputs, after)).outs as ChatSpaceMembersOutputs).__declared[`users/${ADDRESS}`], DANA);
    await memberships.delete(old.id, old.outs);
    assert.deepEqual(await membersOf(t, s), [ADMIN, BOB, DANA]);
    assert.deepEqual(logs.slice(-1), [keptByFormerAddressLine(`ChatMembership ${BOB} in ${s}`, s, "ChatSpaceMembers r")]);
  });

  it("address-given-roster-replaced: pulumi up --replace of an addOnly roster of the address: its new half holds dana, the old half's delete keeps bob", async () => {
    const { s, old } = await bobByAddress("roster");
    const declared = rosterInputs("r", { space: s, mode: "addOnly", members: [{ user: ADDRESS }] });
    const { rosters, logs } = await oneProcess(t);
    await rosters.check(declared, declared);
    await rosters.create(declared);
    await rosters.delete(old.id, old.outs);
    assert.deepEqual(await membersOf(t, s), [ADMIN, BOB, DANA]);
    assert.deepEqual(logs.slice(-1), [keptByFormerAddressLine(`ChatSpaceMembers ${s}`, s, "ChatSpaceMembers r")]);
  });

  it("address-given-across-processes: the new ChatMembership of the address served by another provider instance: what its create met is shared, and the delete keeps bob", async () => {
    const { s, old } = await bobByAddress("membership");
    const deployment = deployments.deployment();
    const explicit = await deployment.process();
    const renamed = membershipInputs("b-bob", { space: s, user: ADDRESS });
    await explicit.memberships.check({} as never, renamed);
    await explicit.memberships.create(renamed);
    const { memberships, logs } = await deployment.process();
    await memberships.delete(old.id, old.outs);
    assert.deepEqual(await membersOf(t, s), [ADMIN, BOB, DANA]);
    assert.deepEqual(logs.slice(-1), [keptByFormerAddressLine(`ChatMembership ${BOB} in ${s}`, s, "ChatMembership b-bob")]);
  });

  describe("where the plan announced bob's removal, the delete removes him", () => {
    it("address-given-old-by-id: bob's ChatMembership declared him by users/{id}, not the address: the one of the address holds dana, and the delete removes bob", async () => {
      const s = await adminsSpaceBeforeTheAddressMoves(t);
      const old = await (await oneProcess(t)).memberships.create(membershipInputs("a-bob", { space: s, user: BOB }));
      await bobsAddressGivenToDana(t);
      const renamed = membershipInputs("b-bob", { space: s, user: ADDRESS });
      const oldState = mState("a-bob", membershipInputs("a-bob", { space: s, user: BOB }), old.id, old.outs);
      assert.equal(planHolder(oldState, mState("b-bob", renamed)), undefined, "the plan announces bob's removal");
      const { memberships, logs } = await oneProcess(t);
      await memberships.check({} as never, renamed);
      await memberships.create(renamed);
      const mark = await logMark(t);
      await memberships.delete(old.id, old.outs as ChatMembershipOutputs);
      assert.equal((await apiCalls(t, mark)).at(-1), `DELETE /v1/${old.id} 200`);
      assert.deepEqual(await membersOf(t, s), [ADMIN, DANA]);
      assert.deepEqual(logs, []);
    });

    it("address-given-records-disputed: another state of the program records the address as dana's (another space): the renamed ChatMembership's delete removes bob", async () => {
      const { s, two } = await adminsTwoSpacesBeforeTheAddressMoves(t);
      const old = await (await oneProcess(t)).memberships.create(membershipInputs("a-bob", { space: s, user: ADDRESS }));
      await bobsAddressGivenToDana(t);
      const inTwo = membershipInputs("c", { space: two, user: ADDRESS });
      const c = await (await oneProcess(t)).memberships.create(inTwo);
      assert.equal((c.outs as ChatMembershipOutputs).member, DANA);
      // The next up: c unchanged (its diff recalls its state's record: the address is dana's), a-bob renamed.
      const { memberships, logs } = await oneProcess(t);
      await memberships.check(inTwo, inTwo);
      assert.equal((await memberships.diff(c.id, c.outs as ChatMembershipOutputs, inTwo)).changes, false);
      const renamed = membershipInputs("b-bob", { space: s, user: ADDRESS });
      await memberships.check({} as never, renamed);
      await memberships.create(renamed);
      await memberships.delete(old.id, old.outs as ChatMembershipOutputs);
      assert.deepEqual(await membersOf(t, s), [ADMIN, DANA]);
      assert.deepEqual(logs, []);
    });

    it("address-given-roster-entry-kept-records-dana: a roster whose state records the address as dana's (an earlier up added it) keeps its entry: the dropped ChatMembership's delete removes bob", async () => {
      const { s, old } = await bobByAddress("membership");
      const declared = rosterInputs("r", { space: s, mode: "addOnly", members: [{ user: ADDRESS }] });
      const earlier = await oneProcess(t);
      await earlier.rosters.check({} as never, declared);
      const r = await earlier.rosters.create(declared);
      const { memberships, rosters, logs } = await oneProcess(t);
      await rosters.check(declared, declared);
      assert.equal((await rosters.diff(r.id, r.outs as ChatSpaceMembersOutputs, declared)).changes, false);
      await memberships.delete(old.id, old.outs);
      assert.deepEqual(await membersOf(t, s), [ADMIN, DANA]);
      assert.deepEqual(logs, []);
    });
  });
});
