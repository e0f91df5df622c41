/**
 * A space keeps an owner when the engine runs writes that may take one at the same time: it
 * deletes the resources of a chain in parallel (pulumi/pulumi pkg/resource/deploy/deployment_executor.go
 * `ExecuteParallel`), and steps independent resources at once. Each write reads the joined owners
 * before it removes or demotes one: two at once would each see the other's owner still there.
 * With admin access (the caller no owner) and the emulator's own last-owner rule off (Google
 * documents none), the provider's rule is all there is. In one provider process, and across two
 * of one deployment (an explicit provider instance: members/owner-losses.ts).
 */
import assert from "node:assert/strict";
import { isOwnerLossRecord, OwnerLosses } from "../../provider/members/owner-losses";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { membershipInputs, oneProcess, secondWhileFirstHeld, useDeployments } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

const ADMIN = "users/110000000000000000001";
const ALICE = "users/110000000000000000002";
const BOB = "users/110000000000000000003";

describe("provider: owner-taking writes of one process run one at a time per space", () => {
  /** A write that runs until `finish` is called, noting when it started. */
  const gated = (started: string[], name: string) => {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    return { finish, write: async () => void (started.push(name), await finished) };
  };
  const settled = () => new Promise((resolve) => setImmediate(resolve));

  it("a second write to a space starts once the first has ended, in the order they came; another space's at once", async () => {
    const losses = new OwnerLosses();
    const started: string[] = [];
    const [a, b, c] = [gated(started, "a"), gated(started, "b"), gated(started, "c")];
    const writes = [
      losses.alone("spaces/S", ["spaces/S/members/1"], a.write),
      losses.alone("SPACES/s", ["spaces/S/members/2"], b.write),
      losses.alone("spaces/T", ["spaces/T/members/1"], c.write),
    ];
    await settled();
    assert.deepEqual(started, ["a", "c"], "b waits for a: one space in any capitals");
    a.finish();
    await writes[0];
    await settled();
    assert.deepEqual(started, ["a", "c", "b"]);
    b.finish();
    c.finish();
    await Promise.all(writes);
  });

  it("a write that fails lets the next one run", async () => {
    const losses = new OwnerLosses();
    const failed = losses.alone("spaces/S", ["spaces/S/members/1"], async () => {
      throw new Error("refused");
    });
    const next = losses.alone("spaces/S", ["spaces/S/members/2"], async (elsewhere) => elsewhere);
    await assert.rejects(failed, { message: "refused" });
    assert.deepEqual(await next, [], "no other process: nothing taken elsewhere");
  });

  it("reads only owner-loss records of the shape it writes: another version's or a part's are skipped", () => {
    assert.equal(isOwnerLossRecord({ ownerLossBegun: { id: "1", space: "spaces/S", names: ["spaces/S/members/1"] } }), true);
    assert.equal(isOwnerLossRecord({ ownerLossEnded: { id: "1" } }), true);
    assert.equal(isOwnerLossRecord({ ownerLossBegun: { id: "1", space: "spaces/S", names: "spaces/S/members/1" } }), false);
    assert.equal(isOwnerLossRecord({ ownerLossEnded: {} }), false);
    assert.equal(isOwnerLossRecord({ deleteFirstRemoved: { urn: "u", name: "n", role: "ROLE_MEMBER" } }), false);
  });
});

describe("provider: a space keeps an owner when owner-taking writes run at once", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);
  const membersOf = async (name: string) =>
    (await t.control.state()).memberships[name.slice("spaces/".length)].map((m) => `${m.memberName} ${m.role} ${m.state}`);

  /** A space admin made, then alice and bob made its owners by `made`, and admin no longer one; the emulator's last-owner rule off. */
  const twoOwners = async (made: Awaited<ReturnType<typeof oneProcess>>) => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
    const alice = await made.memberships.create(membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_MANAGER" }));
    const bob = await made.memberships.create(membershipInputs("bob", { space: s, user: "bob@example.com", role: "ROLE_MANAGER" }));
    await t.control.setSettings({ keepLastManager: false });
    await t.control.setRole(s, "admin@example.com", "ROLE_MEMBER");
    return { s, alice: { id: alice.id, outs: alice.outs as ChatMembershipOutputs }, bob: { id: bob.id, outs: bob.outs as ChatMembershipOutputs } };
  };

  const lastOwner = (label: string, member: string, s: string, doing: string, besides = "") =>
    `ChatMembership ${label}: ${member} is the last owner (ROLE_MANAGER, shown as Owner in Chat) of ${s}${besides}, and ${doing} would leave the space without one. ` +
    'Make another member an owner first (role: "ROLE_MANAGER" on another ChatMembership, then pulumi up), or delete the space itself. ' +
    "To stop managing this membership without removing it: `pulumi state delete <urn>` (`pulumi stack --show-urns` lists them), or the retainOnDelete resource option.";

  /** The one write of two that failed, and its error's message; the other succeeded. */
  const oneRefused = (outcomes: PromiseSettledResult<unknown>[]) => {
    const refused = outcomes.flatMap((o, i) => (o.status === "rejected" ? [{ i, message: (o.reason as Error).message }] : []));
    assert.equal(refused.length, 1, `one of the two is refused: ${JSON.stringify(refused)}`);
    return refused[0];
  };

  it("two owners' ChatMembership deletes at once, in one process: one removes its owner, the other finds hers the last one and is refused", async () => {
    const up = await oneProcess(t, { useAdminAccess: true });
    const { s, alice, bob } = await twoOwners(up);
    const outcomes = await Promise.allSettled([up.memberships.delete(alice.id, alice.outs), up.memberships.delete(bob.id, bob.outs)]);
    const { i, message } = oneRefused(outcomes);
    const stays = [ALICE, BOB][i];
    assert.equal(message, lastOwner(`${stays} in ${s}`, stays, s, "removing it"));
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MEMBER JOINED`, `${stays} ROLE_MANAGER JOINED`]);
  });

  it("two owners demoted at once by their ChatMemberships' updates, in one process: one is demoted, the other refused", async () => {
    const up = await oneProcess(t, { useAdminAccess: true });
    const { s, alice, bob } = await twoOwners(up);
    const demoted = (name: "alice" | "bob") => membershipInputs(name, { space: s, user: `${name}@example.com`, role: "ROLE_MEMBER" });
    const outcomes = await Promise.allSettled([
      up.memberships.update(alice.id, alice.outs, demoted("alice")),
      up.memberships.update(bob.id, bob.outs, demoted("bob")),
    ]);
    const { i, message } = oneRefused(outcomes);
    const [stays, demotedOne] = i === 0 ? [ALICE, BOB] : [BOB, ALICE];
    assert.equal(message, lastOwner(["alice", "bob"][i], stays, s, "changing its role to ROLE_MEMBER"));
    assert.deepEqual((await membersOf(s)).sort(), [`${ADMIN} ROLE_MEMBER JOINED`, `${demotedOne} ROLE_MEMBER JOINED`, `${stays} ROLE_MANAGER JOINED`].sort());
  });

  it("a roster's delete removing alice, held at its DELETE, while bob's ChatMembership is deleted: bob's waits for it, then finds him the last owner", async () => {
    const up = await oneProcess(t, { useAdminAccess: true });
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
    const roster = await up.rosters.create(
      rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }], mode: "addOnly" }),
    );
    const bob = await up.memberships.create(membershipInputs("bob", { space: s, user: "bob@example.com", role: "ROLE_MANAGER" }));
    await t.control.setSettings({ keepLastManager: false });
    await t.control.setRole(s, "admin@example.com", "ROLE_MEMBER");
    const [byRoster, byMembership] = await secondWhileFirstHeld(
      t,
      "spaces.members.delete",
      () => up.rosters.delete(roster.id, roster.outs as ChatSpaceMembersOutputs),
      () => up.memberships.delete(bob.id, bob.outs as ChatMembershipOutputs),
    );
    assert.equal(byRoster.status, "fulfilled");
    assert.equal((byMembership as PromiseRejectedResult).reason?.message, lastOwner(`${BOB} in ${s}`, BOB, s, "removing it"));
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MEMBER JOINED`, `${BOB} ROLE_MANAGER JOINED`]);
  });

  it("a roster's update demoting alice, held at its PATCH, while bob's ChatMembership demotes him: bob's waits for it, then finds him the last owner", async () => {
    const up = await oneProcess(t, { useAdminAccess: true });
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
    const declared = (role: "ROLE_MANAGER" | "ROLE_MEMBER") =>
      rosterInputs("eng-members", { space: s, members: [{ user: "alice@example.com", role }], mode: "addOnly" });
    const roster = await up.rosters.create(declared("ROLE_MANAGER"));
    const bob = await up.memberships.create(membershipInputs("bob", { space: s, user: "bob@example.com", role: "ROLE_MANAGER" }));
    await t.control.setSettings({ keepLastManager: false });
    await t.control.setRole(s, "admin@example.com", "ROLE_MEMBER");
    const olds = roster.outs as ChatSpaceMembersOutputs;
    await up.rosters.check(olds.__declared as never, declared("ROLE_MEMBER"));
    const bobLowered = membershipInputs("bob", { space: s, user: "bob@example.com", role: "ROLE_MEMBER" });
    await up.memberships.check(bob.outs!.__declared as never, bobLowered);
    const [byRoster, byMembership] = await secondWhileFirstHeld(
      t,
      "spaces.members.patch",
      () => up.rosters.update(roster.id, olds, declared("ROLE_MEMBER")),
      () => up.memberships.update(bob.id, bob.outs as ChatMembershipOutputs, bobLowered),
    );
    assert.equal(byRoster.status, "fulfilled");
    assert.equal((byMembership as PromiseRejectedResult).reason?.message, lastOwner("bob", BOB, s, "changing its role to ROLE_MEMBER"));
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MEMBER JOINED`, `${ALICE} ROLE_MEMBER JOINED`, `${BOB} ROLE_MANAGER JOINED`]);
  });

  describe("across two provider processes of one deployment", () => {
    it("counts an owner another process is removing as leaving: refused while that write is under way, made once it has ended", async () => {
      const up = deployment("127.0.0.1:40011");
      const byDefault = await up.process({ useAdminAccess: true });
      const { s, alice, bob } = await twoOwners(byDefault);
      // The explicit instance's process, as its delete of bob announces itself before it reads the owners.
      const explicit = up.share();
      explicit.publish({ ownerLossBegun: { id: "bob-delete", space: s, names: [bob.id] } });
      await assert.rejects(byDefault.memberships.delete(alice.id, alice.outs), {
        message: lastOwner(
          `${ALICE} in ${s}`,
          ALICE,
          s,
          "removing it",
          ` besides ${BOB}, whom another provider instance of this deployment is removing or demoting now`,
        ),
      });
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MEMBER JOINED`, `${ALICE} ROLE_MANAGER JOINED`, `${BOB} ROLE_MANAGER JOINED`]);
      // Its write ended (refused, say): bob stays, and alice may go.
      explicit.publish({ ownerLossEnded: { id: "bob-delete" } });
      await byDefault.memberships.delete(alice.id, alice.outs);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MEMBER JOINED`, `${BOB} ROLE_MANAGER JOINED`]);
    });

    it("two owners' deletes at once, each in its own process: never both", async () => {
      const up = deployment("127.0.0.1:40012");
      const [byDefault, byExplicit] = [await up.process({ useAdminAccess: true }), await up.process({ useAdminAccess: true })];
      const { s, alice, bob } = await twoOwners(byDefault);
      const outcomes = await Promise.allSettled([byDefault.memberships.delete(alice.id, alice.outs), byExplicit.memberships.delete(bob.id, bob.outs)]);
      const owners = (await membersOf(s)).filter((m) => m.includes("ROLE_MANAGER"));
      assert.ok(owners.length >= 1, `an owner stays: ${JSON.stringify(outcomes)}`);
      // Each refusal is the last-owner rule's (both may refuse, when each announced itself before the other read).
      for (const o of outcomes)
        if (o.status === "rejected") assert.match((o.reason as Error).message, /is the last owner \(ROLE_MANAGER, shown as Owner in Chat\)/);
    });
  });
});
