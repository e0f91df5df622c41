import assert from "node:assert/strict";
import { type PreviewStep, SECRET_TEXT } from "../../commands/plan/preview-json";
import { rosterUpdate } from "../../commands/plan/roster";
import { UNKNOWN } from "../../provider/core/engine-values";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { ADDRESS, adminsTwoSpacesBeforeTheAddressMoves, BOB, membersOf, planHolderOf } from "./address-given-fixture";
import {
  addressGivenToNewOwnerOf,
  adminsSpace,
  alicesSpaceWithAdmin,
  bobsAddressGivenToDana,
  NEW_ADMIN as DANA,
  membershipInputs,
  membershipUrn,
  oneProcess,
} from "./membership-helpers";
import { mState, rState } from "./preview-states";
import { rosterInputs, rosterUrn } from "./space-members-helpers";

/**
 * The plan summary says a member stays only by records the up reads too: where the preview can't
 * tell whether a kept resource's record of an email will be read at its diff (an entry unknown
 * until apply or a secret; a replacement whose space is unknown, the same resource at up), it
 * doubts the email and announces the removal the up makes; a kept roster's record of the provider's
 * own caller's email, which the summary reads, the provider reads for that purpose too.
 */
describe("an address given to another person since: records the preview can't tell the up reads", () => {
  const t = useEmulator();

  for (const shown of ["unknown until apply", "a secret"] as const) {
    it(`address-unread-kept-roster-unreadable-entry-records-for-bob (${shown}): a kept roster whose state records bob@ as bob, its entry ${shown} in the preview (alice at up): the plan doubts the address and announces bob's removal, which the up makes`, async () => {
      const { s, two } = await adminsTwoSpacesBeforeTheAddressMoves(t);
      const aInputs = membershipInputs("a", { space: s, user: BOB });
      const a = await (await oneProcess(t)).memberships.create(aInputs);
      const rIn = rosterInputs("r", { space: two, mode: "addOnly", members: [{ user: ADDRESS }] });
      const p0 = await oneProcess(t);
      await p0.rosters.check({} as never, rIn);
      const r = await p0.rosters.create(rIn);
      const routs = r.outs as ChatSpaceMembersOutputs;
      assert.equal(routs.__declared[`users/${ADDRESS}`], BOB);
      await bobsAddressGivenToDana(t);

      const rNew = rosterInputs("r", { space: two, mode: "addOnly", members: [{ user: "alice@example.com" }] });
      const cInputs = membershipInputs("c", { space: s, user: ADDRESS });
      const hidden = shown === "unknown until apply" ? UNKNOWN : SECRET_TEXT;
      const oldA = mState("a", aInputs, a.id, a.outs);
      const steps: PreviewStep[] = [
        {
          op: "update",
          urn: rosterUrn("r"),
          oldState: rState("r", rIn, r.id, routs),
          newState: rState("r", { ...rNew, members: [{ user: hidden }] }, r.id, routs),
        },
        { op: "delete", urn: oldA.urn, oldState: oldA },
        { op: "create", urn: membershipUrn("c"), newState: mState("c", cInputs) },
      ];
      const planSays = planHolderOf(steps, oldA);

      const { memberships, rosters } = await oneProcess(t);
      await rosters.check(rIn, rNew);
      await rosters.diff(r.id, routs, rNew);
      await memberships.check({} as never, cInputs);
      await rosters.update(r.id, routs, rNew);
      assert.equal(((await memberships.create(cInputs)).outs as ChatMembershipOutputs).member, DANA);
      await memberships.delete(a.id, a.outs as ChatMembershipOutputs);
      const now = await membersOf(t, s);
      assert.deepEqual({ planSays, kept: now.includes(BOB) }, { planSays: undefined, kept: false }, "the plan announces bob's removal, and the up makes it");
    });
  }

  it("address-unread-kept-roster-record-of-current-callers-email: a kept roster written as alice records admin@ as the former admin; the provider now acts as admin@ (a new admin's now): the plan and the provider both read that record: the former admin stays", async () => {
    const ADMIN = "users/110000000000000000001";
    const s = await alicesSpaceWithAdmin(t, "ROLE_MEMBER");
    const aInputs = membershipInputs("a", { space: s, user: ADMIN });
    const p0 = await oneProcess(t);
    await p0.memberships.check({} as never, aInputs);
    const a = await p0.memberships.create(aInputs);
    const alice = t.asDelegatedUser("alice@example.com", ["chat.spaces.create"]);
    const two = (await alice.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Two" } })).data.name!;
    const rIn = rosterInputs("r", { space: two, mode: "addOnly", members: [{ user: "admin@example.com" }] });
    const pa = await oneProcess(t, { user: "alice@example.com" });
    await pa.rosters.check({} as never, rIn);
    const r = await pa.rosters.create(rIn);
    const routs = r.outs as ChatSpaceMembersOutputs;
    assert.equal(routs.__declared["users/admin@example.com"], ADMIN);
    assert.equal(routs.__caller?.user, "alice@example.com");
    await addressGivenToNewOwnerOf(t, s);

    const cInputs = membershipInputs("c", { space: s, user: "admin@example.com" });
    const oldA = mState("a", aInputs, a.id, a.outs);
    const steps: PreviewStep[] = [
      { op: "same", urn: rosterUrn("r"), oldState: rState("r", rIn, r.id, routs), newState: rState("r", rIn, r.id, routs) },
      { op: "delete", urn: oldA.urn, oldState: oldA },
      { op: "create", urn: membershipUrn("c"), newState: mState("c", cInputs) },
    ];
    const planSays = planHolderOf(steps, oldA);
    const { memberships, rosters } = await oneProcess(t);
    await rosters.check(rIn, rIn);
    await rosters.diff(r.id, routs, rIn);
    await memberships.check({} as never, cInputs);
    await memberships.create(cInputs);
    await memberships.delete(a.id, a.outs as ChatMembershipOutputs);
    const now = await membersOf(t, s);
    assert.deepEqual(
      { planSays, kept: now.includes(ADMIN) },
      { planSays: "ChatMembership c", kept: true },
      "the plan says the former admin stays, and the up keeps her",
    );
  });

  for (const kind of ["membership", "roster"] as const) {
    it(`address-unread-unknown-space-same-at-up (${kind}): a ${kind} of bob@ in another space recording it as dana's, its space unknown at preview (a replace there), the same at up: the plan doubts the address and announces bob's removal, which the up makes`, async () => {
      const { s, two } = await adminsTwoSpacesBeforeTheAddressMoves(t);
      const aInputs = membershipInputs("a-bob", { space: s, user: ADDRESS });
      const old = await (await oneProcess(t)).memberships.create(aInputs);
      await bobsAddressGivenToDana(t);
      const renamed = membershipInputs("b-bob", { space: s, user: ADDRESS });
      const oldA = mState("a-bob", aInputs, old.id, old.outs);
      let kept: PreviewStep;
      let upDiff: (p: Awaited<ReturnType<typeof oneProcess>>) => Promise<unknown>;
      if (kind === "membership") {
        const cIn = membershipInputs("c", { space: two, user: ADDRESS });
        const c = await (await oneProcess(t)).memberships.create(cIn);
        assert.equal((c.outs as ChatMembershipOutputs).member, DANA);
        kept = { op: "replace", urn: membershipUrn("c"), oldState: mState("c", cIn, c.id, c.outs), newState: mState("c", { ...cIn, space: UNKNOWN }) };
        upDiff = async (p) => {
          await p.memberships.check(cIn, cIn);
          return p.memberships.diff(c.id, c.outs as ChatMembershipOutputs, cIn);
        };
      } else {
        const rIn = rosterInputs("r", { space: two, mode: "addOnly", members: [{ user: ADDRESS }] });
        const p0 = await oneProcess(t);
        await p0.rosters.check({} as never, rIn);
        const r = await p0.rosters.create(rIn);
        const routs = r.outs as ChatSpaceMembersOutputs;
        assert.equal(routs.__declared[`users/${ADDRESS}`], DANA);
        kept = { op: "replace", urn: rosterUrn("r"), oldState: rState("r", rIn, r.id, routs), newState: rState("r", { ...rIn, space: UNKNOWN }) };
        upDiff = async (p) => {
          await p.rosters.check(rIn, rIn);
          return p.rosters.diff(r.id, routs, rIn);
        };
      }
      const steps: PreviewStep[] = [
        kept,
        { op: "delete", urn: oldA.urn, oldState: oldA },
        { op: "create", urn: membershipUrn("b-bob"), newState: mState("b-bob", renamed) },
      ];
      const planSays = planHolderOf(steps, oldA);
      const p = await oneProcess(t);
      // The up: the kept resource's diff, the same space after all, reads its record.
      await upDiff(p);
      await p.memberships.check({} as never, renamed);
      await p.memberships.create(renamed);
      await p.memberships.delete(old.id, old.outs as ChatMembershipOutputs);
      const now = await membersOf(t, s);
      assert.deepEqual({ planSays, kept: now.includes(BOB) }, { planSays: undefined, kept: false }, "the plan announces bob's removal, and the up makes it");
    });
  }

  it("address-unread-pending-removal-then-addOnly: an authoritative update failed before removing bob (pending in __declared); the program then turns addOnly: preview and up agree (bob stays)", async () => {
    const s = await adminsSpace(t);
    const both = rosterInputs("r", { space: s, members: [{ user: "alice@example.com" }, { user: ADDRESS }] });
    const p0 = await oneProcess(t);
    await p0.rosters.check({} as never, both);
    const made = await p0.rosters.create(both);
    const outs = made.outs as ChatSpaceMembersOutputs;
    const aliceOnly = rosterInputs("r", { space: s, members: [{ user: "alice@example.com" }] });
    const p1 = await oneProcess(t);
    await p1.rosters.check(both, aliceOnly);
    await p1.rosters.diff(made.id, outs, aliceOnly);
    await t.control.addFault({ match: { methods: ["spaces.members.delete"] }, action: { kind: "error", status: 403, message: "Refused" }, count: 1 });
    let partial: ChatSpaceMembersOutputs | undefined;
    await p1.rosters.update(made.id, outs, aliceOnly).catch((e: { properties?: ChatSpaceMembersOutputs }) => void (partial = e.properties));
    assert.ok(partial);
    const addOnly = rosterInputs("r", { space: s, mode: "addOnly", members: [{ user: "alice@example.com" }] });
    const p2 = await oneProcess(t);
    await p2.rosters.check(aliceOnly, addOnly);
    await p2.rosters.diff(made.id, partial, addOnly);
    const change = rosterUpdate(p2.logs, new Map(), rState("r", aliceOnly, undefined, partial), rState("r", addOnly));
    const up = (await p2.rosters.update(made.id, partial, addOnly)).outs as ChatSpaceMembersOutputs;
    await (await oneProcess(t)).rosters.delete(made.id, up);
    const now = await membersOf(t, s);
    assert.ok(now.includes(BOB) || change.removals.length > 0, "bob removed unannounced");
  });
});
