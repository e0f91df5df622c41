/**
 * The plan summary and the up agree on who stays where an address was given to another person
 * since: the summary reads the old states of the resources the program keeps declaring (their
 * records of the emails they still declare, a roster's caller's own email aside), as the provider
 * reads them at those resources' diffs; never the states of resources the up deletes, whose
 * deletes may run in any order. The calling user's own address counts as any other's there.
 */
import assert from "node:assert/strict";
import { heldByRoster, ProgramClaims } from "../../commands/plan/claims";
import { type PreviewStep, SECRET_TEXT } from "../../commands/plan/preview-json";
import { DEFAULT_SETTINGS } from "../../emulator/model";
import { UNKNOWN } from "../../provider/core/engine-values";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { ADDRESS, ADMIN, adminsSpaceBeforeTheAddressMoves, adminsTwoSpacesBeforeTheAddressMoves, BOB, membersOf, planHolderOf } from "./address-given-fixture";
import {
  addressGivenToNewOwnerOf,
  adminsSpace,
  alicesSpaceWithAdmin,
  bobsAddressGivenToDana,
  NEW_ADMIN as DANA,
  keptByFormerAddressLine,
  membershipInputs,
  membershipUrn,
  oneProcess,
  useDeployments,
} from "./membership-helpers";
import { kinds, mState, rState } from "./preview-states";
import { rosterInputs, rosterUrn } from "./space-members-helpers";

describe("an address given to another person since: the up keeps whom the plan summary said stays", () => {
  const t = useEmulator();
  const deployments = useDeployments(t);

  it("address-parity-caller-membership-renamed: a ChatMembership of the caller's address renamed after the address went to a new admin keeps the former admin, as the plan said", async () => {
    const s = await alicesSpaceWithAdmin(t, "ROLE_MEMBER");
    const first = await oneProcess(t);
    const aInputs = membershipInputs("a-adm", { space: s, user: "admin@example.com" });
    await first.memberships.check({} as never, aInputs);
    const old = await first.memberships.create(aInputs);
    assert.equal((old.outs as ChatMembershipOutputs).member, ADMIN);
    await addressGivenToNewOwnerOf(t, s);

    const renamed = membershipInputs("b-adm", { space: s, user: "admin@example.com" });
    const steps: PreviewStep[] = [
      { op: "delete", urn: membershipUrn("a-adm"), oldState: mState("a-adm", aInputs, old.id, old.outs) },
      { op: "create", urn: membershipUrn("b-adm"), newState: mState("b-adm", renamed) },
    ];
    const oldState = steps[0].oldState!;
    const planSays = planHolderOf(steps, oldState);
    assert.equal(planSays, "ChatMembership b-adm", "the plan summary says the former admin stays");

    const { memberships, logs } = await oneProcess(t);
    assert.deepEqual((await memberships.check({} as never, renamed)).failures ?? [], []);
    const made = await memberships.create(renamed);
    assert.equal((made.outs as ChatMembershipOutputs).member, DANA);
    await memberships.delete(old.id, old.outs as ChatMembershipOutputs);
    assert.ok((await membersOf(t, s)).includes(ADMIN), `plan said ${ADMIN} stays; members now ${JSON.stringify(await membersOf(t, s))}`);
    assert.deepEqual(logs.slice(-1), [
      keptByFormerAddressLine(`ChatMembership ${ADMIN} in ${s}`, s, "ChatMembership b-adm", { former: ADMIN, address: "admin@example.com" }),
    ]);
  });

  /**
   * bob's ChatMembership a-bob of his address in admin's space; the address given to dana, who has
   * her own space with an addOnly roster r2 of that address (a manager), managed by a provider
   * instance impersonating bob@example.com: its state records the address as dana's.
   */
  const bobBesideDanasRoster = async () => {
    const s = await adminsSpaceBeforeTheAddressMoves(t);
    const aInputs = membershipInputs("a-bob", { space: s, user: ADDRESS });
    const old = await (await oneProcess(t)).memberships.create(aInputs);
    assert.equal((old.outs as ChatMembershipOutputs).member, BOB);
    await bobsAddressGivenToDana(t);
    const danaApi = t.asDelegatedUser(ADDRESS, ["chat.spaces.create"]);
    const s2 = (await danaApi.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Dana's" } })).data.name!;
    const r2in = rosterInputs("r2", { space: s2, mode: "addOnly", members: [{ user: ADDRESS, role: "ROLE_MANAGER" }] });
    const earlier = await oneProcess(t, { user: ADDRESS });
    await earlier.rosters.check({} as never, r2in);
    const r2 = await earlier.rosters.create(r2in);
    const r2outs = r2.outs as ChatSpaceMembersOutputs;
    assert.equal(r2outs.__declared[`users/${ADDRESS}`], DANA);
    assert.equal(r2outs.__caller?.user, ADDRESS);
    return { s, s2, aInputs, old, r2in, r2, r2outs, renamed: membershipInputs("b-bob", { space: s, user: ADDRESS }) };
  };

  it("address-parity-caller-roster-updated: another instance's roster of its caller's own address (bob@, dana's now), updated in the up, tells the address apart for neither: bob's renamed ChatMembership keeps him", async () => {
    const { s, s2, aInputs, old, r2in: r2before, r2, r2outs, renamed } = await bobBesideDanasRoster();
    // This up: r2 gains alice; a-bob renamed to b-bob.
    const r2after = rosterInputs("r2", { space: s2, mode: "addOnly", members: [{ user: ADDRESS, role: "ROLE_MANAGER" }, { user: "alice@example.com" }] });
    const steps: PreviewStep[] = [
      { op: "update", urn: rosterUrn("r2"), oldState: rState("r2", r2before, r2.id, r2outs), newState: rState("r2", r2after, r2.id, r2outs) },
      { op: "delete", urn: membershipUrn("a-bob"), oldState: mState("a-bob", aInputs, old.id, old.outs) },
      { op: "create", urn: membershipUrn("b-bob"), newState: mState("b-bob", renamed) },
    ];
    const oldState = steps[1].oldState!;
    assert.equal(planHolderOf(steps, oldState), "ChatMembership b-bob", "plan: bob stays");

    const deployment = deployments.deployment();
    const p1 = await deployment.process();
    const p2 = await deployment.process({ user: ADDRESS });
    assert.deepEqual((await p2.rosters.check(r2before, r2after)).failures ?? [], []);
    assert.deepEqual((await p1.memberships.check({} as never, renamed)).failures ?? [], []);
    await p2.rosters.diff(r2.id, r2outs, r2after);
    await p2.rosters.update(r2.id, r2outs, r2after);
    assert.equal(((await p1.memberships.create(renamed)).outs as ChatMembershipOutputs).member, DANA);
    await p1.memberships.delete(old.id, old.outs as ChatMembershipOutputs);
    assert.ok((await membersOf(t, s)).includes(BOB), `plan said bob stays; members now ${JSON.stringify(await membersOf(t, s))}`);
  });

  it("address-parity-caller-roster-deleted-first: that roster dropped, its delete run before bob's: bob stays", async () => {
    const { s, aInputs, old, r2in, r2, r2outs, renamed } = await bobBesideDanasRoster();
    const steps: PreviewStep[] = [
      { op: "delete", urn: rosterUrn("r2"), oldState: rState("r2", r2in, r2.id, r2outs) },
      { op: "delete", urn: membershipUrn("a-bob"), oldState: mState("a-bob", aInputs, old.id, old.outs) },
      { op: "create", urn: membershipUrn("b-bob"), newState: mState("b-bob", renamed) },
    ];
    const oldState = steps[1].oldState!;
    assert.equal(planHolderOf(steps, oldState), "ChatMembership b-bob", "plan: bob stays");

    const deployment = deployments.deployment();
    const p1 = await deployment.process();
    const p2 = await deployment.process({ user: ADDRESS });
    await p1.memberships.check({} as never, renamed);
    await p1.memberships.create(renamed);
    await p2.rosters.delete(r2.id, r2outs);
    await p1.memberships.delete(old.id, old.outs as ChatMembershipOutputs);
    assert.ok((await membersOf(t, s)).includes(BOB), `plan said bob stays; members now ${JSON.stringify(await membersOf(t, s))}`);
  });

  it("address-parity-caller-roster-unchanged: that roster unchanged: bob stays", async () => {
    const { s, old, r2in, r2, r2outs, renamed } = await bobBesideDanasRoster();
    const deployment = deployments.deployment();
    const p1 = await deployment.process();
    const p2 = await deployment.process({ user: ADDRESS });
    await p2.rosters.check(r2in, r2in);
    await p2.rosters.diff(r2.id, r2outs, r2in);
    await p1.memberships.check({} as never, renamed);
    await p1.memberships.create(renamed);
    await p1.memberships.delete(old.id, old.outs as ChatMembershipOutputs);
    assert.deepEqual(await membersOf(t, s), [ADMIN, BOB, DANA]);
  });

  for (const order of ["bob's first", "c's first"] as const) {
    it(`address-parity-deleted-record (${order}): a dropped ChatMembership of the address in another space, whose state records it as dana's, tells the plan nothing: bob's renamed ChatMembership keeps him, whatever the order of the deletes`, async () => {
      const { s, two } = await adminsTwoSpacesBeforeTheAddressMoves(t);
      const aInputs = membershipInputs("a-bob", { space: s, user: ADDRESS });
      const old = await (await oneProcess(t)).memberships.create(aInputs);
      await bobsAddressGivenToDana(t);
      const cInputs = membershipInputs("c", { space: two, user: ADDRESS });
      const c = await (await oneProcess(t)).memberships.create(cInputs);
      assert.equal((c.outs as ChatMembershipOutputs).member, DANA);
      const renamed = membershipInputs("b-bob", { space: s, user: ADDRESS });
      const steps: PreviewStep[] = [
        { op: "delete", urn: membershipUrn("c"), oldState: mState("c", cInputs, c.id, c.outs) },
        { op: "delete", urn: membershipUrn("a-bob"), oldState: mState("a-bob", aInputs, old.id, old.outs) },
        { op: "create", urn: membershipUrn("b-bob"), newState: mState("b-bob", renamed) },
      ];
      const oldState = steps[1].oldState!;
      assert.equal(planHolderOf(steps, oldState), "ChatMembership b-bob", "plan: bob stays");
      const { memberships } = await oneProcess(t);
      await memberships.check({} as never, renamed);
      await memberships.create(renamed);
      const deletes = [() => memberships.delete(old.id, old.outs as ChatMembershipOutputs), () => memberships.delete(c.id, c.outs as ChatMembershipOutputs)];
      for (const remove of order === "bob's first" ? deletes : deletes.reverse()) await remove();
      assert.deepEqual(await membersOf(t, s), [ADMIN, BOB, DANA]);
    });
  }

  it("address-parity-caller-roster-renamed: an addOnly roster of the caller's address renamed after the address went to a new admin keeps the former admin, as the plan said", async () => {
    const s = await alicesSpaceWithAdmin(t, "ROLE_MEMBER");
    const oldIn = rosterInputs("r-old", { space: s, mode: "addOnly", members: [{ user: "admin@example.com" }] });
    const first = await oneProcess(t);
    await first.rosters.check({} as never, oldIn);
    const old = await first.rosters.create(oldIn);
    const oldOuts = old.outs as ChatSpaceMembersOutputs;
    assert.equal(oldOuts.__declared["users/admin@example.com"], ADMIN);
    await addressGivenToNewOwnerOf(t, s);
    const newIn = rosterInputs("r-new", { space: s, mode: "addOnly", members: [{ user: "admin@example.com" }] });
    const steps: PreviewStep[] = [
      { op: "delete", urn: rosterUrn("r-old"), oldState: rState("r-old", oldIn, old.id, oldOuts) },
      { op: "create", urn: rosterUrn("r-new"), newState: rState("r-new", newIn) },
    ];
    const claims = new ProgramClaims(steps, kinds);
    const holders = heldByRoster(steps[0].oldState!).map((m) => claims.holderOf(rosterUrn("r-old"), steps[0].oldState!, m.held));
    assert.deepEqual(holders, ["ChatSpaceMembers r-new"], "plan says the former admin stays");
    const { rosters, logs } = await oneProcess(t);
    assert.deepEqual((await rosters.check({} as never, newIn)).failures ?? [], []);
    await rosters.create(newIn);
    await rosters.delete(old.id, oldOuts);
    assert.ok((await membersOf(t, s)).includes(ADMIN), `plan said ${ADMIN} stays; members now ${JSON.stringify(await membersOf(t, s))}`);
    assert.deepEqual(logs.slice(-1), [
      keptByFormerAddressLine(`ChatSpaceMembers ${s}`, s, "ChatSpaceMembers r-new", { former: ADMIN, address: "admin@example.com" }),
    ]);
  });

  it("address-parity-create-failed: the new ChatMembership of the address fails after its read found it dana's (--continue-on-error): bob's delete keeps him, as the plan said", async () => {
    const s = await adminsSpaceBeforeTheAddressMoves(t);
    const first = await oneProcess(t);
    const aInputs = membershipInputs("a-bob", { space: s, user: ADDRESS });
    const old = await first.memberships.create(aInputs);
    const ALICE = "users/110000000000000000002";
    const cIn = membershipInputs("c-alice", { space: s, user: ALICE });
    const c = await first.memberships.create(cIn);
    await bobsAddressGivenToDana(t);
    const renamed = membershipInputs("b-bob", { space: s, user: ADDRESS });
    const steps: PreviewStep[] = [
      { op: "same", urn: membershipUrn("c-alice"), oldState: mState("c-alice", cIn, c.id, c.outs), newState: mState("c-alice", cIn, c.id, c.outs) },
      { op: "delete", urn: membershipUrn("a-bob"), oldState: mState("a-bob", aInputs, old.id, old.outs) },
      { op: "create", urn: membershipUrn("b-bob"), newState: mState("b-bob", renamed) },
    ];
    const oldState = steps[1].oldState!;
    assert.equal(planHolderOf(steps, oldState), "ChatMembership b-bob", "plan: bob stays");
    const { memberships, logs } = await oneProcess(t);
    await memberships.check(cIn, cIn);
    await memberships.diff(c.id, c.outs as ChatMembershipOutputs, cIn);
    await memberships.check({} as never, renamed);
    await t.control.addFault({ match: { methods: ["spaces.members.create"] }, action: { kind: "error", status: 400, message: "nope" }, count: 1 });
    await assert.rejects(memberships.create(renamed));
    await memberships.delete(old.id, old.outs as ChatMembershipOutputs);
    assert.ok((await membersOf(t, s)).includes(BOB), `plan said bob stays; members now ${JSON.stringify(await membersOf(t, s))}`);
    // No answer of Google's in the up named the address: the state's record of it stands.
    assert.deepEqual(logs.slice(-1), [`ChatMembership ${BOB} in ${s}: ${BOB} stays in ${s}: the program declares it in ChatMembership b-bob.`]);
  });

  describe("a kept resource's record of the address the preview can't read (unknown until apply, a secret): the plan announces bob's removal, and the up makes it", () => {
    /** bob's ChatMembership a-bob of the address in admin's space, the address given to dana, and a second space of admin's. */
    const bobAndSecondSpace = async () => {
      const { s, two } = await adminsTwoSpacesBeforeTheAddressMoves(t);
      const aInputs = membershipInputs("a-bob", { space: s, user: ADDRESS });
      const old = await (await oneProcess(t)).memberships.create(aInputs);
      await bobsAddressGivenToDana(t);
      return { s, two, aInputs, old: old as { id: string; outs: ChatMembershipOutputs } };
    };
    /** The plan's word on a-bob, renamed b-bob, beside `kept` (a step of the resource the program keeps). */
    const planOnBob = (kept: PreviewStep, aInputs: object, old: { id: string; outs: ChatMembershipOutputs }, renamed: object) => {
      const oldState = mState("a-bob", aInputs, old.id, old.outs);
      const steps: PreviewStep[] = [
        kept,
        { op: "delete", urn: oldState.urn, oldState },
        { op: "create", urn: membershipUrn("b-bob"), newState: mState("b-bob", renamed) },
      ];
      return planHolderOf(steps, oldState);
    };

    for (const shown of ["unknown until apply", "a secret", "a secret, its state's record too"] as const) {
      it(`address-parity-kept-membership-unread (${shown}): a kept ChatMembership of the address in another space, recording it as dana's`, async () => {
        const { s, two, aInputs, old } = await bobAndSecondSpace();
        const cInputs = membershipInputs("c", { space: two, user: ADDRESS });
        const c = await (await oneProcess(t)).memberships.create(cInputs);
        const cOuts = c.outs as ChatMembershipOutputs;
        const hidden = shown === "unknown until apply" ? UNKNOWN : SECRET_TEXT;
        const oldOuts = shown === "a secret, its state's record too" ? { ...cOuts, __declared: SECRET_TEXT } : cOuts;
        const oldInputs = shown === "unknown until apply" ? cInputs : { ...cInputs, user: SECRET_TEXT };
        const kept: PreviewStep = {
          op: shown === "unknown until apply" ? "update" : "same",
          urn: membershipUrn("c"),
          oldState: mState("c", oldInputs, c.id, oldOuts),
          newState: mState("c", { ...cInputs, user: hidden }, c.id, oldOuts),
        };
        const renamed = membershipInputs("b-bob", { space: s, user: ADDRESS });
        assert.equal(planOnBob(kept, aInputs, old, renamed), undefined, "the plan announces bob's removal");
        const { memberships } = await oneProcess(t);
        await memberships.check(cInputs, cInputs);
        await memberships.diff(c.id, cOuts, cInputs);
        await memberships.check({} as never, renamed);
        await memberships.create(renamed);
        await memberships.delete(old.id, old.outs);
        assert.deepEqual(await membersOf(t, s), [ADMIN, DANA]);
      });
    }

    it("address-parity-kept-roster-entry-unknown: a kept roster in another space whose entry of the address, recorded as dana's, is unknown until apply", async () => {
      const { s, two, aInputs, old } = await bobAndSecondSpace();
      const rIn = rosterInputs("r", { space: two, mode: "addOnly", members: [{ user: ADDRESS }] });
      const p0 = await oneProcess(t);
      await p0.rosters.check({} as never, rIn);
      const r = await p0.rosters.create(rIn);
      const routs = r.outs as ChatSpaceMembersOutputs;
      const kept: PreviewStep = {
        op: "update",
        urn: rosterUrn("r"),
        oldState: rState("r", rIn, r.id, routs),
        newState: rState("r", { ...rIn, members: [{ user: UNKNOWN }] }, r.id, routs),
      };
      const renamed = membershipInputs("b-bob", { space: s, user: ADDRESS });
      assert.equal(planOnBob(kept, aInputs, old, renamed), undefined, "the plan announces bob's removal");
      const { memberships, rosters } = await oneProcess(t);
      await rosters.check(rIn, rIn);
      await rosters.diff(r.id, routs, rIn);
      await memberships.check({} as never, renamed);
      await memberships.create(renamed);
      await memberships.delete(old.id, old.outs);
      assert.deepEqual(await membersOf(t, s), [ADMIN, DANA]);
    });

    it("address-parity-kept-roster-former-caller: a kept roster written as bob@ (dana's now) whose provider now acts as alice: neither reads its record of the caller's address it was written as, and bob stays", async () => {
      const { s, aInputs, old } = await bobAndSecondSpace();
      const danas = t.asDelegatedUser(ADDRESS, ["chat.spaces.create"]);
      const s2 = (await danas.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Dana's" } })).data.name!;
      await t.control.addMember(s2, "alice@example.com", "ROLE_MANAGER");
      const r2in = rosterInputs("r2", { space: s2, mode: "addOnly", members: [{ user: ADDRESS, role: "ROLE_MANAGER" }] });
      const earlier = await oneProcess(t, { user: ADDRESS });
      await earlier.rosters.check({} as never, r2in);
      const r2 = await earlier.rosters.create(r2in);
      const r2outs = r2.outs as ChatSpaceMembersOutputs;
      assert.equal(r2outs.__caller?.user, ADDRESS);
      const kept: PreviewStep = { op: "same", urn: rosterUrn("r2"), oldState: rState("r2", r2in, r2.id, r2outs), newState: rState("r2", r2in, r2.id, r2outs) };
      const renamed = membershipInputs("b-bob", { space: s, user: ADDRESS });
      assert.equal(planOnBob(kept, aInputs, old, renamed), "ChatMembership b-bob", "the plan says bob stays");
      const deployment = deployments.deployment();
      const p1 = await deployment.process();
      const p2 = await deployment.process({ user: "alice@example.com" });
      await p2.rosters.check(r2in, r2in);
      await p2.rosters.diff(r2.id, r2outs, r2in);
      await p1.memberships.check({} as never, renamed);
      await p1.memberships.create(renamed);
      await p1.memberships.delete(old.id, old.outs);
      assert.deepEqual(await membersOf(t, s), [ADMIN, BOB, DANA]);
    });

    it("address-parity-two-secrets: bob's ChatMembership (a secret address) renamed to one of alice (another secret): two secrets read alike in the preview, and name nobody: the plan announces bob's removal", async () => {
      await t.control.setSettings({ users: [...DEFAULT_SETTINGS.users] });
      const s = await adminsSpace(t);
      const aInputs = membershipInputs("a-bob", { space: s, user: ADDRESS });
      const old = await (await oneProcess(t)).memberships.create(aInputs);
      const aliceIn = membershipInputs("b-alice", { space: s, user: "alice@example.com" });
      const oldState = mState("a-bob", { ...aInputs, user: SECRET_TEXT }, old.id, old.outs);
      const steps: PreviewStep[] = [
        { op: "delete", urn: oldState.urn, oldState },
        { op: "create", urn: membershipUrn("b-alice"), newState: mState("b-alice", { ...aliceIn, user: SECRET_TEXT }) },
      ];
      assert.equal(planHolderOf(steps, oldState), undefined);
      const { memberships } = await oneProcess(t);
      await memberships.check({} as never, aliceIn);
      await memberships.create(aliceIn);
      await memberships.delete(old.id, old.outs as ChatMembershipOutputs);
      assert.deepEqual(await membersOf(t, s), [ADMIN, "users/110000000000000000002"]);
    });

    it("address-parity-replaced-record: a ChatMembership of the address in another space, replaced (up --replace: no diff), tells the plan nothing: bob's ChatMembership by users/{id}, dropped for one of the address, is announced removed, and removed", async () => {
      const { s, two } = await adminsTwoSpacesBeforeTheAddressMoves(t);
      const aInputs = membershipInputs("a", { space: s, user: BOB });
      const a = await (await oneProcess(t)).memberships.create(aInputs);
      const bInputs = membershipInputs("b", { space: two, user: ADDRESS });
      const b = await (await oneProcess(t)).memberships.create(bInputs);
      await bobsAddressGivenToDana(t);
      const cInputs = membershipInputs("c", { space: s, user: ADDRESS });
      const oldA = mState("a", aInputs, a.id, a.outs);
      const steps: PreviewStep[] = [
        { op: "replace", urn: membershipUrn("b"), oldState: mState("b", bInputs, b.id, b.outs), newState: mState("b", bInputs) },
        { op: "delete", urn: oldA.urn, oldState: oldA },
        { op: "create", urn: membershipUrn("c"), newState: mState("c", cInputs) },
      ];
      assert.equal(planHolderOf(steps, oldA), undefined, "the plan announces bob's removal");
      // pulumi up --replace b: b checked without olds and made again with no diff; c created; a deleted.
      const { memberships } = await oneProcess(t);
      await memberships.check({} as never, bInputs);
      await memberships.check({} as never, cInputs);
      await memberships.create(bInputs);
      await memberships.create(cInputs);
      await memberships.delete(a.id, a.outs as ChatMembershipOutputs);
      assert.deepEqual(await membersOf(t, s), [ADMIN, DANA]);
    });
  });
});
