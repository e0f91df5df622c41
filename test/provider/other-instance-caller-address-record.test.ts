/**
 * Another provider instance's calling user, published by her email alone (googlechat:impersonateUser,
 * or tokeninfo's answer for her own credentials), names whoever holds the address now. An unrelated
 * resource's state may record that address for the person who held it when the state was written
 * (bob@example.com, given to dana since): that record never tells who the caller is. Google's answer
 * does (members/email-ids.ts `answeredMember`), so no resource removes or demotes dana, the caller
 * of bob@example.com's provider instance, because a state elsewhere still says bob@ is bob.
 */
import assert from "node:assert/strict";
import { DEFAULT_SETTINGS } from "../../emulator/model";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { bobsAddressGivenToDana, NEW_ADMIN as DANA, membershipInputs, NEW_ADMIN_BEFORE, useDeployments } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

const [ADMIN, ALICE, BOB] = ["users/110000000000000000001", "users/110000000000000000002", "users/110000000000000000003"];
const SCOPES = ["chat.memberships", "chat.memberships.readonly", "chat.spaces.readonly", "userinfo.email"].map((s) => `https://www.googleapis.com/auth/${s}`);
const DANA_STAYS =
  "it is the calling user of another provider instance of this deployment, which never removes it (that provider would lose sight of the space and of every later change)";

for (const bobsInstance of ["impersonating bob@example.com", "on the own credentials of bob@example.com"] as const)
  describe(`provider: another instance's calling user (${bobsInstance}, the address given to dana) beside a state recording the address as bob's`, () => {
    const t = useEmulator();
    const { deployment } = useDeployments(t);
    const membersOf = async (s: string) => (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => `${m.memberName} ${m.role}`).sort();
    /** A process of the instance that acts as bob@example.com: a new process, which has asked Google nothing yet. */
    const bobsAddressProcess = async (d: ReturnType<typeof deployment>) =>
      bobsInstance.startsWith("impersonating")
        ? d.process({ user: "bob@example.com" })
        : d.process({ app: true, config: { "googlechat:credentials": JSON.stringify(await t.control.authorizedUser("bob@example.com", SCOPES)) } });
    /** Spaces S and T of admin's; dana a user of the directory. */
    const spaces = async () => {
      await t.control.setSettings({ users: [...DEFAULT_SETTINGS.users, NEW_ADMIN_BEFORE] });
      const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
      const make = async (name: string) => (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: name } })).data.name!;
      return { s: await make("S"), t: await make("T") };
    };
    /** A ChatMembership of bob@example.com in `space`, made while the address was bob's: its state records it as his. */
    const bobsAddressIn = async (process: Awaited<ReturnType<ReturnType<typeof deployment>["process"]>>, space: string) => {
      const m = membershipInputs("m", { space, user: "bob@example.com" });
      const made = await process.memberships.create(m);
      assert.equal((made.outs as ChatMembershipOutputs).member, BOB);
      return { m, made };
    };

    it("other-caller-record-roster: an authoritative roster keeps dana, though the unchanged ChatMembership of the address in another space, diffed first, records it as bob's", async () => {
      const { s, t: other } = await spaces();
      const first = await deployment("127.0.0.1:40001").process();
      const roster = rosterInputs("r", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] });
      const r = await first.rosters.create(roster);
      const { m, made } = await bobsAddressIn(first, other);
      await bobsAddressGivenToDana(t);
      await t.control.addMember(s, DANA, "ROLE_MANAGER");
      const refreshed = (await (await deployment("127.0.0.1:40003").process()).rosters.read(s, r.outs as ChatSpaceMembersOutputs))
        .props as ChatSpaceMembersOutputs;

      const next = deployment("127.0.0.1:40002");
      await bobsAddressProcess(next);
      const admin = await next.process();
      assert.deepEqual((await admin.memberships.check(m, m)).failures ?? [], []);
      assert.equal((await admin.memberships.diff(made.id, made.outs as ChatMembershipOutputs, m)).changes, false);
      assert.deepEqual((await admin.rosters.check(roster, roster)).failures ?? [], []);
      const diff = await admin.rosters.diff(s, refreshed, roster);
      assert.deepEqual(diff.detailedDiff, {});
      assert.ok(admin.logs.includes(`ChatSpaceMembers r: = ${DANA}: not declared, kept: ${DANA_STAYS}`), admin.logs.join("\n"));
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER`, `${ALICE} ROLE_MEMBER`, `${DANA} ROLE_MANAGER`]);
    });

    it("other-caller-record-destroy: pulumi destroy deletes the ChatMembership of the address first (its state: bob's), then dana's by users/{id}, which keeps her", async () => {
      const { s, t: other } = await spaces();
      const first = await deployment("127.0.0.1:40001").process();
      const x = await first.memberships.create(membershipInputs("x", { space: s, user: DANA }));
      const { made } = await bobsAddressIn(first, other);
      await bobsAddressGivenToDana(t);
      const destroy = deployment("127.0.0.1:40002");
      const admin = await destroy.process();
      await bobsAddressProcess(destroy);
      await admin.memberships.delete(made.id, made.outs as ChatMembershipOutputs);
      await admin.memberships.delete(x.id, x.outs as ChatMembershipOutputs);
      assert.deepEqual(await membersOf(other), [`${ADMIN} ROLE_MANAGER`]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER`, `${DANA} ROLE_MEMBER`]);
      assert.deepEqual(admin.logs, [`ChatMembership ${DANA} in ${s}: ${DANA} stays in ${s}: ${DANA_STAYS}.`]);
    });

    it("other-caller-record-demotion: a ChatMembership lowering dana, an owner, keeps her role, though an unchanged one of the address, diffed first, records it as bob's", async () => {
      const { s, t: other } = await spaces();
      const first = await deployment("127.0.0.1:40001").process();
      const d = membershipInputs("d", { space: s, user: DANA, role: "ROLE_MANAGER" });
      const dMade = await first.memberships.create(d);
      const { m, made } = await bobsAddressIn(first, other);
      await bobsAddressGivenToDana(t);
      const next = deployment("127.0.0.1:40002");
      await bobsAddressProcess(next);
      const admin = await next.process();
      assert.deepEqual((await admin.memberships.check(m, m)).failures ?? [], []);
      await admin.memberships.diff(made.id, made.outs as ChatMembershipOutputs, m);
      const lowered = membershipInputs("d", { space: s, user: DANA, role: "ROLE_MEMBER" });
      assert.deepEqual((await admin.memberships.check(d, lowered)).failures ?? [], []);
      assert.equal((await admin.memberships.diff(dMade.id, dMade.outs as ChatMembershipOutputs, lowered)).changes, false);
      assert.deepEqual(admin.logs, [
        `ChatMembership d: = ${DANA}: role ROLE_MANAGER kept, not ROLE_MEMBER: it is the calling user of another provider instance of this deployment, ` +
          "which is never demoted without googlechat:useAdminAccess (that provider could no longer manage the members: every later change would fail)",
      ]);
      assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER`, `${DANA} ROLE_MANAGER`]);
    });
  });
