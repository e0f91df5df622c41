/**
 * A ChatMembership's state records its member as the calling user by email alone (`__caller`).
 * An email names a person only for a while: in Workspace an account can be renamed and its old
 * address given to another person. The membership, declared by its member's `users/{id}`, is
 * still that first person's; the calling user by the same email is someone else. So the record
 * decides neither that a 404 for the membership is the caller's own (members/member-provider.ts
 * `isOwnMembership`) nor that a delete keeps it as the caller (membership/provider.ts
 * `whyItStays`): Google's answer of the caller's id does. Only where no space tells her id (she is
 * in none, as a caller removed from her last space is: caller-own-membership-removed.test.ts)
 * does the record decide a 404, which then can't be told from that case.
 */
import assert from "node:assert/strict";
import { useEmulator } from "../helpers/emulator";
import { apiCallsWithAccess, logMark } from "../helpers/provider";
import { addressGivenToNewAdmin, addressGivenToNewOwnerOf, alicesSpaceWithAdmin, membershipInputs, membershipProvider } from "./membership-helpers";

describe("a ChatMembership whose recorded caller's email now names another person", () => {
  const t = useEmulator();

  /**
   * Alice's space with admin@example.com (users/110000000000000000001) a member, and that person's membership, managed by her as the caller;
   * then the address given to a new administrator, in a space of her own (`newAdminInASpace`) or in none.
   */
  const managedByFormerAdmin = async (newAdminInASpace: boolean) => {
    const s = await alicesSpaceWithAdmin(t, "ROLE_MEMBER");
    const { provider } = await membershipProvider(t);
    const { id, outs } = await provider.create(membershipInputs("former-admin", { space: s, user: "users/110000000000000000001" }));
    assert.equal((outs as { __caller?: string }).__caller, "admin@example.com");
    // The account is renamed, and admin@example.com is given to a new administrator.
    await addressGivenToNewAdmin(t);
    if (newAdminInASpace) {
      const newAdmin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
      await newAdmin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "The new admin's" } });
    }
    return { s, id, outs };
  };

  const stillMember = async (s: string) =>
    (await t.control.state()).memberships[s.slice("spaces/".length)].some((m) => m.memberName === "users/110000000000000000001");

  it("a refresh keeps it: the new admin's 404 says nothing about the former admin's membership, once her own space tells her id", async () => {
    const { s, id, outs } = await managedByFormerAdmin(true);
    const { provider, logs } = await membershipProvider(t);
    const mark = await logMark(t);
    const read = await provider.read(id, outs as never);
    const calls = await apiCallsWithAccess(t, mark);
    assert.ok(await stillMember(s), "the former admin is still a member");
    assert.deepEqual(read, { id, props: outs }, `the refresh dropped a membership that exists (calls: ${calls.join("; ")}; log: ${logs.join(" | ")})`);
  });

  for (const newAdminInASpace of [true, false]) {
    it(`a delete does not count it kept as the calling user (the new admin in ${newAdminInASpace ? "a space" : "no space"}): the member is not left behind`, async () => {
      const { s, id, outs } = await managedByFormerAdmin(newAdminInASpace);
      const { provider, logs } = await membershipProvider(t);
      let failed = false;
      await provider.delete(id, outs as never).catch(() => void (failed = true));
      assert.ok(failed || !(await stillMember(s)), `the delete resolved and the former admin is still a member of ${s} (log: ${logs.join(" | ")})`);
    });
  }

  it("a declared demotion of the former admin is previewed and made once the new admin, an owner too, is the caller: the record is no word on who she is", async () => {
    const s = await alicesSpaceWithAdmin(t, "ROLE_MANAGER");
    const { provider: first } = await membershipProvider(t);
    const { id, outs } = await first.create(membershipInputs("former-admin", { space: s, user: "users/110000000000000000001", role: "ROLE_MANAGER" }));
    assert.equal((outs as { __caller?: string }).__caller, "admin@example.com");
    await addressGivenToNewOwnerOf(t, s);
    const news = membershipInputs("former-admin", { space: s, user: "users/110000000000000000001", role: "ROLE_MEMBER" });
    const { provider, logs } = await membershipProvider(t);
    const mark = await logMark(t);
    const diff = await provider.diff(id, outs as never, news);
    assert.deepEqual([diff.changes, diff.replaces], [true, []], `the preview kept her owner role as the caller's (log: ${logs.join(" | ")})`);
    const { outs: after } = await provider.update(id, outs as never, news);
    // The caller's membership by email, once per process (the preview's read serves the update), then the owners before a demotion.
    assert.deepEqual(await apiCallsWithAccess(t, mark), [
      `GET /v1/${s}/members/admin%40example.com 200`,
      `GET /v1/${s}/members 200`,
      `PATCH /v1/${s}/members/110000000000000000001 200`,
    ]);
    const role = (await t.control.state()).memberships[s.slice("spaces/".length)].find((m) => m.memberName === "users/110000000000000000001")?.role;
    assert.equal(role, "ROLE_MEMBER", `log: ${logs.join(" | ")}`);
    assert.equal((after as { __caller?: string }).__caller, undefined);
  });
});
