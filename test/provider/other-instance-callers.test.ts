/**
 * Another provider instance's calling user, published by its process on its own when it is
 * configured (members/claims.ts `ownCallerLearnt`), not only in the declarations its check makes:
 * a `pulumi destroy` checks nothing, and an instance may serve a space's ChatSpace alone, or only
 * delete in an up, yet its provider needs its caller in the space until it is done with it.
 * Whether it impersonates bob or runs on his own credentials (which name him only when Google is
 * asked: its process asks when configured, member-provider.ts `learnCallerAtConfigure`).
 */
import assert from "node:assert/strict";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, useDeployments } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

const [ADMIN, ALICE, BOB] = ["users/110000000000000000001", "users/110000000000000000002", "users/110000000000000000003"];
const BOB_STAYS =
  "it is the calling user of another provider instance of this deployment, which never removes it (that provider would lose sight of the space and of every later change)";

const SCOPES = ["chat.memberships", "chat.memberships.readonly", "chat.spaces.readonly", "userinfo.email"].map((s) => `https://www.googleapis.com/auth/${s}`);

for (const bobActs of ["impersonated", "on his own credentials"] as const)
  describe(`provider: another provider instance's calling user (bob, ${bobActs}), published by its process when it is configured`, () => {
    const t = useEmulator();
    const { deployment } = useDeployments(t);
    /** A process of bob's provider instance in `d`: a new process, which has asked Google nothing yet. */
    const bobsProcess = async (d: ReturnType<typeof deployment>) =>
      bobActs === "impersonated"
        ? d.process({ user: "bob@example.com" })
        : d.process({ app: true, config: { "googlechat:credentials": JSON.stringify(await t.control.authorizedUser("bob@example.com", SCOPES)) } });
    /** A space admin made, bob an owner of it too. */
    const space = async () => {
      const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
      const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
      await t.control.addMember(s, "bob@example.com", "ROLE_MANAGER");
      return s;
    };
    const membersOf = async (s: string) => (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => m.memberName).sort();
    /** The first deployment: bob's provider (an explicit one) adds alice, the default provider (admin) declares bob in `bobs` (a roster, or a ChatMembership). */
    const deployed = async (s: string, bobs: "roster" | "membership") => {
      const up = deployment("127.0.0.1:40001");
      const [asAdmin, asBob] = [await up.process(), await bobsProcess(up)];
      const alice = membershipInputs("alice", { space: s, user: "alice@example.com" });
      assert.deepEqual(await asBob.memberships.check({}, alice), { inputs: alice });
      const { id: aliceId, outs: aliceOuts } = await asBob.memberships.create(alice);
      if (bobs === "roster") {
        const roster = rosterInputs("eng-members", { space: s, members: [{ user: "bob@example.com", role: "ROLE_MANAGER" }], mode: "addOnly" });
        assert.deepEqual(await asAdmin.rosters.check({}, roster), { inputs: roster });
        const { outs } = await asAdmin.rosters.create(roster);
        return { aliceId, aliceOuts: aliceOuts as ChatMembershipOutputs, bobsId: s, bobsOuts: outs };
      }
      const bob = membershipInputs("bob", { space: s, user: "bob@example.com", role: "ROLE_MANAGER" });
      assert.deepEqual(await asAdmin.memberships.check({}, bob), { inputs: bob });
      const { id, outs } = await asAdmin.memberships.create(bob);
      return { aliceId, aliceOuts: aliceOuts as ChatMembershipOutputs, bobsId: id, bobsOuts: outs };
    };
    /** pulumi destroy: the engine configures both providers before its first delete, checks nothing, and deletes in the state's reverse order. */
    const destroying = async () => {
      const destroy = deployment("127.0.0.1:40002");
      return [await destroy.process(), await bobsProcess(destroy)] as const;
    };

    it("pulumi destroy: a roster's delete, acting as admin, leaves bob, the caller of the provider that deletes alice next; that delete then removes her", async () => {
      const s = await space();
      const { aliceId, aliceOuts, bobsOuts } = await deployed(s, "roster");
      const [admin, bob] = await destroying();
      const mark = await logMark(t);
      await admin.rosters.delete(s, bobsOuts as ChatSpaceMembersOutputs);
      await bob.memberships.delete(aliceId, aliceOuts);
      assert.deepEqual(await apiCalls(t, mark), [
        // Admin's own membership (the caller's), before a person leaves; then whom bob's email, as his process published it,
        // names now (Google's answer, not the roster's record); then bob's own id, read by his process before alice leaves.
        `GET /v1/${s}/members/admin%40example.com 200`,
        `GET /v1/${s}/members/bob%40example.com 200`,
        `GET /v1/${s}/members/bob%40example.com 200`,
        `GET /v1/${s}/members 200`,
        `DELETE /v1/${aliceId} 200`,
      ]);
      assert.deepEqual(admin.logs, [`ChatSpaceMembers ${s}: ${BOB} stays in ${s}: ${BOB_STAYS}.`]);
      assert.deepEqual(await membersOf(s), [ADMIN, BOB]);
    });

    it("pulumi destroy: a ChatMembership's delete of bob, acting as admin, leaves him for the provider that deletes alice next", async () => {
      const s = await space();
      const { aliceId, aliceOuts, bobsId, bobsOuts } = await deployed(s, "membership");
      const [admin, bob] = await destroying();
      await admin.memberships.delete(bobsId, bobsOuts as ChatMembershipOutputs);
      await bob.memberships.delete(aliceId, aliceOuts);
      assert.deepEqual(await membersOf(s), [ADMIN, BOB]);
      assert.deepEqual(admin.logs, [`ChatMembership ${BOB} in ${s}: ${BOB} stays in ${s}: ${BOB_STAYS}.`]);
    });

    it("an authoritative roster keeps the caller of a provider instance that declares no membership of the space (its ChatSpace's provider, say), and its preview says so", async () => {
      const s = await space();
      const roster = rosterInputs("eng-members", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] });
      const first = deployment("127.0.0.1:40001");
      const asAdmin = await first.process();
      assert.deepEqual(await asAdmin.rosters.check({}, roster), { inputs: roster });
      const { outs } = await asAdmin.rosters.create(roster);

      // The next up: bob's provider serves the space's ChatSpace alone; configured, it says whom it acts as.
      const second = deployment("127.0.0.1:40002");
      await bobsProcess(second);
      const admin = await second.process();
      assert.deepEqual(await admin.rosters.check(roster, roster), { inputs: roster });
      const diff = await admin.rosters.diff(s, outs as ChatSpaceMembersOutputs, roster);
      assert.deepEqual(diff, { changes: false, replaces: [], deleteBeforeReplace: false, detailedDiff: {} });
      assert.deepEqual(admin.logs, [`ChatSpaceMembers eng-members: = ${BOB}: not declared, kept: ${BOB_STAYS}`]);
      assert.deepEqual(await membersOf(s), [ADMIN, ALICE, BOB]);
    });

    it("an up in which bob's provider only deletes (alice's ChatMembership dropped): a roster lowering bob, an owner, keeps his role, and his delete of alice then runs", async () => {
      const s = await space();
      const { aliceId, aliceOuts, bobsOuts } = await deployed(s, "roster");
      const lowered = rosterInputs("eng-members", { space: s, members: [{ user: "bob@example.com", role: "ROLE_MEMBER" }], mode: "addOnly" });
      const next = deployment("127.0.0.1:40002");
      const [admin, bob] = [await next.process(), await bobsProcess(next)];
      assert.deepEqual(await admin.rosters.check(lowered, lowered), { inputs: lowered });
      await admin.rosters.diff(s, bobsOuts as ChatSpaceMembersOutputs, lowered);
      await admin.rosters.update(s, bobsOuts as ChatSpaceMembersOutputs, lowered);
      await bob.memberships.delete(aliceId, aliceOuts);
      const live = (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => `${m.memberName} ${m.role}`).sort();
      assert.deepEqual(live, [`${ADMIN} ROLE_MANAGER`, `${BOB} ROLE_MANAGER`]);
    });
  });

describe("provider: a process on a user's own credentials whose calling user Google can't name at configure", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);

  it("fails its configuration (after the provider's retries), before any step: another provider's delete never meets its caller unpublished", async () => {
    const credentials = JSON.stringify(await t.control.authorizedUser("bob@example.com", SCOPES));
    await t.control.addFault({ match: { methods: ["oauth2.tokeninfo"] }, action: { kind: "error", status: 503 } });
    const mark = (await t.control.requests(0)).length;
    await assert.rejects(deployment().process({ app: true, config: { "googlechat:credentials": credentials, "googlechat:retryDeadlineSeconds": "1" } }), {
      message:
        "The calling user of these credentials can't be learnt from Google now: oauth2.tokeninfo failed (token request: 503 temporarily_unavailable: " +
        "The service is currently unavailable. (gave up after 2 tries over 0.4 s)). " +
        `The tokeninfo endpoint ${t.emulator.tokenInfoUrl} did not answer successfully even after retries: run pulumi up again later; ` +
        "googlechat:requestTimeoutSeconds sets how long one request waits. " +
        "The provider must know whom its credentials act as before any step of the deployment: no provider of it removes or demotes that user.",
    });
    // The first provider's configure failed: the process went no further, and made no Chat API call.
    assert.deepEqual(
      (await t.control.requests(mark)).map((r) => `${r.rpc} ${r.status}`),
      ["oauth2.token 200", "oauth2.tokeninfo 503", "oauth2.tokeninfo 503"],
    );
  });
});
