/**
 * googlechat:useAdminAccess reaches the spaces of the administrator's own organisation only
 * (v1.d.ts `useAdminAccess`: the administrator's privileges, "manage chat and spaces
 * conversations" of the organisation; the emulator's `appCustomers` space of another organisation
 * answers 404 to admin access, spaces.get as the members calls). So an admin-access 404 counts as
 * "gone" only once confirmed (members/member-provider.ts `meaningOf404`): the space read with
 * admin access answers (the membership's 404 is its own), or neither admin access nor the calling
 * user sees the space (deleted). A space the calling user sees and admin access doesn't (another
 * organisation's) can't tell: a delete fails and a refresh keeps the resource, saying what to do.
 */
import assert from "node:assert/strict";
import type { PartialFailure } from "../../provider/core/errors";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCallsWithAccess, logMark } from "../helpers/provider";
import { membershipInputs, membershipProvider, partnerSpace } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const ALICE = "users/110000000000000000002";
const BOB = "users/110000000000000000003";

/** What the provider says of a 404 admin access answered for `space`, which the calling user sees; `outcome` what happens to the resource. */
const beyondAdminAccess = (resource: string, space: string, outcome: string) =>
  `${resource}: Google answers 404 Not Found with googlechat:useAdminAccess, yet the calling user sees ${space}: ` +
  "admin access reaches only the spaces of the administrator's own organisation, and this one belongs to another, " +
  `so whether the member is there can't be told. It ${outcome}. ` +
  "Manage this space's members with a provider instance without googlechat:useAdminAccess (the calling user is a member of the space); " +
  "if the member was removed, take it out of the stack deliberately: `pulumi state delete <urn>` (`pulumi stack --show-urns` lists them).";

/**
 * What the provider says where the space of a step's 404 was deleted, confirmed with admin access
 * and as the calling user; `stopped`: what the step did not do, `resource`: "the roster", `again`:
 * what the next up does in a space that exists.
 */
const spaceDeleted = (label: string, space: string, stopped: string, resource: string, again: string) =>
  `${label}: ${space} was deleted outside Pulumi (neither googlechat:useAdminAccess nor the calling user sees it), ` +
  `so ${stopped}: the space's memberships went with it. ` +
  `Run \`pulumi refresh\`: it takes ${resource} out of the stack. Then remove it from the program, or declare it in a space that exists: ${again}.`;

describe("provider: useAdminAccess and a space of another organisation (appCustomers)", () => {
  const t = useEmulator();
  const humans = async (s: string) =>
    (await t.control.state()).memberships[s.slice("spaces/".length)]
      .filter((m) => m.type === "HUMAN")
      .map((m) => m.memberName)
      .sort();
  /** alice's ChatMembership, made without admin access by admin, an owner of `s`. */
  const aliceIn = async (s: string) =>
    (await (await membershipProvider(t)).provider.create(membershipInputs("alice", { space: s, user: "alice@example.com" }))) as {
      id: string;
      outs: ChatMembershipOutputs;
    };

  it("a ChatMembership's delete with admin access fails while alice is still a member: the owners listing's 404 is the space's, which admin access doesn't reach", async () => {
    const s = await partnerSpace(t);
    const { id, outs } = await aliceIn(s);
    assert.ok((await humans(s)).includes(ALICE));
    // Admin access turned on; alice dropped from the program.
    const { provider } = await membershipProvider(t, { useAdminAccess: true });
    const mark = await logMark(t);
    await assert.rejects(provider.delete(id, outs), {
      message: beyondAdminAccess(`ChatMembership ${ALICE} in ${s}`, s, "was not deleted and stays in the stack"),
    });
    // The caller's id (her membership by email, out of admin access's reach; spaces.list), the owners, then the space as the user.
    assert.deepEqual(await apiCallsWithAccess(t, mark), [
      `GET /v1/${s}/members/admin%40example.com admin 404`,
      "GET /v1/spaces 200",
      `GET /v1/${s}/members/admin%40example.com admin 404`,
      `GET /v1/${s}/members admin 404`,
      `GET /v1/${s} 200`,
    ]);
    assert.ok((await humans(s)).includes(ALICE), "alice is still a member");
  });

  it("a ChatMembership's role change below owner with admin access fails at the owners listing, saying admin access doesn't reach the space", async () => {
    const s = await partnerSpace(t);
    const { provider: asUser } = await membershipProvider(t);
    const { id, outs } = (await asUser.create(membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_MANAGER" }))) as {
      id: string;
      outs: ChatMembershipOutputs;
    };
    const { provider } = await membershipProvider(t, { useAdminAccess: true });
    const mark = await logMark(t);
    const demoted = membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_MEMBER" });
    await assert.rejects(provider.update(id, outs, demoted), {
      message: beyondAdminAccess("ChatMembership alice", s, "was not changed and stays in the stack"),
    });
    // The owners listing's 404, then the space read as the user, seen: a space admin access doesn't reach; no PATCH.
    assert.deepEqual(await apiCallsWithAccess(t, mark), [`GET /v1/${s}/members admin 404`, `GET /v1/${s} 200`]);
    assert.ok((await humans(s)).includes(ALICE));
  });

  it("a ChatMembership's refresh with admin access keeps the membership as last read, saying why", async () => {
    const s = await partnerSpace(t);
    const { id, outs } = await aliceIn(s);
    const { provider, logs } = await membershipProvider(t, { useAdminAccess: true });
    const mark = await logMark(t);
    assert.deepEqual(await provider.read(id, outs), { id, props: outs });
    assert.deepEqual(await apiCallsWithAccess(t, mark), [`GET /v1/${id} admin 404`, `GET /v1/${s} admin 404`, `GET /v1/${s} 200`]);
    assert.deepEqual(logs, [beyondAdminAccess(`ChatMembership ${ALICE} in ${s}`, s, "stays in the stack")]);
  });

  it("a roster's refresh with admin access keeps the roster as last read, saying why", async () => {
    const s = await partnerSpace(t);
    const decl = rosterInputs("partners", { space: s, mode: "addOnly", members: [{ user: "alice@example.com" }] });
    const { outs } = await (await spaceMembersProvider(t)).provider.create(decl);
    const { provider, logs } = await spaceMembersProvider(t, { useAdminAccess: true });
    const mark = await logMark(t);
    assert.deepEqual(await provider.read(s, outs as ChatSpaceMembersOutputs), { id: s, props: outs });
    assert.deepEqual(await apiCallsWithAccess(t, mark), [`GET /v1/${s}/members admin 404`, `GET /v1/${s} 200`]);
    assert.deepEqual(logs, [beyondAdminAccess(`ChatSpaceMembers ${s}`, s, "stays in the stack as last read")]);
  });

  it("a roster's delete with admin access removes nobody: the owners listing admin access can't read stops it, saying why", async () => {
    const s = await partnerSpace(t);
    const decl = rosterInputs("partners", { space: s, mode: "addOnly", members: [{ user: "alice@example.com" }] });
    const { outs } = await (await spaceMembersProvider(t)).provider.create(decl);
    const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
    const mark = await logMark(t);
    await assert.rejects(provider.delete(s, outs as ChatSpaceMembersOutputs), {
      message: beyondAdminAccess(`ChatSpaceMembers ${s}`, s, "removed nobody: the roster stays in the stack"),
    });
    // The listing's 404, then the space read as the user, seen: a space admin access doesn't reach, not a deleted one.
    assert.deepEqual(await apiCallsWithAccess(t, mark), [
      `GET /v1/${s}/members/admin%40example.com admin 404`,
      `GET /v1/spaces 200`,
      `GET /v1/${s}/members/admin%40example.com admin 404`,
      `GET /v1/${s}/members admin 404`,
      `GET /v1/${s} 200`,
    ]);
    assert.ok((await humans(s)).includes(ALICE), "alice is still a member");
  });

  it("a roster's update with admin access that demotes an owner stops at the owners listing, saying admin access doesn't reach the space", async () => {
    const s = await partnerSpace(t);
    const decl = rosterInputs("partners", { space: s, mode: "addOnly", members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }] });
    const { outs } = await (await spaceMembersProvider(t)).provider.create(decl);
    const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
    const mark = await logMark(t);
    const demoted = rosterInputs("partners", { space: s, mode: "addOnly", members: [{ user: "alice@example.com", role: "ROLE_MEMBER" }] });
    await assert.rejects(provider.update(s, outs as ChatSpaceMembersOutputs, demoted), {
      message: beyondAdminAccess("ChatSpaceMembers partners", s, "changed no role below owner and removed nobody: its state keeps those members as they were"),
    });
    // The owners listing's 404, then the space read as the user, seen: a space admin access doesn't reach; no PATCH.
    assert.deepEqual(await apiCallsWithAccess(t, mark), [`GET /v1/${s}/members admin 404`, `GET /v1/${s} 200`]);
    const alice = (await t.control.state()).memberships[s.slice("spaces/".length)].find((m) => m.memberName === ALICE);
    assert.equal(alice?.role, "ROLE_MANAGER");
  });

  it("a roster's add with admin access fails saying admin access doesn't reach the space; the state keeps the roster as before the add", async () => {
    const s = await partnerSpace(t);
    const decl = rosterInputs("partners", { space: s, mode: "addOnly", members: [{ user: "alice@example.com" }] });
    const { outs } = await (await spaceMembersProvider(t)).provider.create(decl);
    const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
    const mark = await logMark(t);
    const more = rosterInputs("partners", { space: s, mode: "addOnly", members: [{ user: "alice@example.com" }, { user: "bob@example.com" }] });
    const failed = await provider.update(s, outs as ChatSpaceMembersOutputs, more).then(
      () => assert.fail("the update succeeded"),
      (e: PartialFailure) => e,
    );
    assert.equal(
      failed.message,
      beyondAdminAccess("ChatSpaceMembers partners", s, "did not add users/bob@example.com: its state holds the roster as applied before that add"),
    );
    // The add's 404, then the space read with admin access (404: not a member's 404 in a space it reaches) and as the user (seen).
    assert.deepEqual(await apiCallsWithAccess(t, mark), [`POST /v1/${s}/members admin 404`, `GET /v1/${s} admin 404`, `GET /v1/${s} 200`]);
    assert.deepEqual(failed.properties, { ...outs, __provider: undefined });
    assert.ok(!(await humans(s)).includes(BOB), "bob is not a member");
  });

  describe("a space deleted in the administrator's organisation is still confirmed gone", () => {
    /** A space of admin's own organisation with alice, made and then deleted. */
    const deletedSpace = async () => {
      const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
      const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Ours" } })).data.name!;
      return s;
    };

    it("a ChatMembership's refresh drops it: the space read with admin access, then as the user, both 404", async () => {
      const s = await deletedSpace();
      const { id, outs } = await aliceIn(s);
      await t.control.deleteSpace(s);
      const { provider } = await membershipProvider(t, { useAdminAccess: true });
      const mark = await logMark(t);
      assert.deepEqual(await provider.read(id, outs), { id: "" });
      assert.deepEqual(await apiCallsWithAccess(t, mark), [`GET /v1/${id} admin 404`, `GET /v1/${s} admin 404`, `GET /v1/${s} 404`]);
    });

    it("a ChatMembership's delete succeeds: the owners listing's 404 is confirmed by the space read as the user, 404 too", async () => {
      const s = await deletedSpace();
      const { id, outs } = await aliceIn(s);
      await t.control.deleteSpace(s);
      const { provider } = await membershipProvider(t, { useAdminAccess: true });
      const mark = await logMark(t);
      await provider.delete(id, outs);
      // The caller's id (her membership by email; spaces.list), the owners, then the space as the user (the one read added
      // for this case): no DELETE to send.
      assert.deepEqual(await apiCallsWithAccess(t, mark), [
        `GET /v1/${s}/members/admin%40example.com admin 404`,
        "GET /v1/spaces 200",
        `GET /v1/${s}/members admin 404`,
        `GET /v1/${s} 404`,
      ]);
    });

    it("a roster's update that demotes an owner fails saying the space was deleted outside Pulumi, and what a refresh does", async () => {
      const s = await deletedSpace();
      const decl = rosterInputs("ours", { space: s, mode: "addOnly", members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }] });
      const { outs } = await (await spaceMembersProvider(t)).provider.create(decl);
      await t.control.deleteSpace(s);
      const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
      const mark = await logMark(t);
      const demoted = rosterInputs("ours", { space: s, mode: "addOnly", members: [{ user: "alice@example.com", role: "ROLE_MEMBER" }] });
      await assert.rejects(provider.update(s, outs as ChatSpaceMembersOutputs, demoted), {
        message: spaceDeleted(
          "ChatSpaceMembers ours",
          s,
          "this update changed no role below owner and removed nobody",
          "the roster",
          "the next `pulumi up` adds its members there",
        ),
      });
      // The owners listing's 404, then the space read as the user, 404 too: deleted; no PATCH.
      assert.deepEqual(await apiCallsWithAccess(t, mark), [`GET /v1/${s}/members admin 404`, `GET /v1/${s} 404`]);
      // What the message says of the refresh: it takes the roster out of the stack.
      assert.deepEqual(await provider.read(s, outs as ChatSpaceMembersOutputs), { id: "" });
    });

    it("an authoritative roster's update that removes a person fails the same way, removing nobody", async () => {
      const s = await deletedSpace();
      const admin = { user: "admin@example.com", role: "ROLE_MANAGER" as const };
      const decl = rosterInputs("ours", { space: s, mode: "authoritative", members: [admin, { user: "alice@example.com" }] });
      const { outs } = await (await spaceMembersProvider(t)).provider.create(decl);
      await t.control.deleteSpace(s);
      const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
      const mark = await logMark(t);
      const withoutAlice = rosterInputs("ours", { space: s, mode: "authoritative", members: [admin] });
      await assert.rejects(provider.update(s, outs as ChatSpaceMembersOutputs, withoutAlice), {
        message: spaceDeleted(
          "ChatSpaceMembers ours",
          s,
          "this update changed no role below owner and removed nobody",
          "the roster",
          "the next `pulumi up` adds its members there",
        ),
      });
      // The caller's own membership, read before a person leaves (404: she is in no space Google lists), then the owners
      // listing's 404, then the space read as the user, 404 too: deleted; no DELETE.
      assert.deepEqual(await apiCallsWithAccess(t, mark), [
        `GET /v1/${s}/members/admin%40example.com admin 404`,
        "GET /v1/spaces 200",
        `GET /v1/${s}/members admin 404`,
        `GET /v1/${s} 404`,
      ]);
    });

    it("a ChatMembership's role change below owner fails saying the space was deleted outside Pulumi, and what a refresh does", async () => {
      const s = await deletedSpace();
      const { provider: asUser } = await membershipProvider(t);
      const { id, outs } = (await asUser.create(membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_MANAGER" }))) as {
        id: string;
        outs: ChatMembershipOutputs;
      };
      await t.control.deleteSpace(s);
      const { provider } = await membershipProvider(t, { useAdminAccess: true });
      const mark = await logMark(t);
      const demoted = membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_MEMBER" });
      await assert.rejects(provider.update(id, outs, demoted), {
        message: spaceDeleted(
          "ChatMembership alice",
          s,
          `the role of ${ALICE} was not changed`,
          "the membership",
          "the next `pulumi up` adds the member there",
        ),
      });
      // The owners listing's 404, then the space read as the user, 404 too: deleted; no PATCH.
      assert.deepEqual(await apiCallsWithAccess(t, mark), [`GET /v1/${s}/members admin 404`, `GET /v1/${s} 404`]);
      // What the message says of the refresh: it takes the membership out of the stack.
      assert.deepEqual(await provider.read(id, outs), { id: "" });
    });

    it("a roster's refresh drops it: the space read as the user 404s too", async () => {
      const s = await deletedSpace();
      const decl = rosterInputs("ours", { space: s, mode: "addOnly", members: [{ user: "alice@example.com" }] });
      const { outs } = await (await spaceMembersProvider(t)).provider.create(decl);
      await t.control.deleteSpace(s);
      const { provider } = await spaceMembersProvider(t, { useAdminAccess: true });
      const mark = await logMark(t);
      assert.deepEqual(await provider.read(s, outs as ChatSpaceMembersOutputs), { id: "" });
      assert.deepEqual(await apiCallsWithAccess(t, mark), [`GET /v1/${s}/members admin 404`, `GET /v1/${s} 404`]);
    });
  });
});
