/**
 * A ChatMembership of the calling principal herself removed in Chat. Without admin access, a
 * membership's 404 counts as gone only when the same credentials still see the space
 * (members/member-provider.ts `meaningOf404`): a space they no longer see "can't tell". But for
 * the caller's own membership the two answers are one: she sees a space exactly when she is a
 * member of it, so her membership's 404 says she is no member, whether the space was deleted or
 * she was removed. Kept in the stack, the state would still say she is a member, and no preview
 * would ever plan her add again. Only a membership certainly hers counts so: another member's
 * 404 in a space the caller no longer sees still can't tell.
 */
import assert from "node:assert/strict";
import { useEmulator } from "../helpers/emulator";
import { apiCallsWithAccess, logMark } from "../helpers/provider";
import { membershipInputs, membershipProvider } from "./membership-helpers";

describe("provider: a ChatMembership of the calling principal, removed in Chat", () => {
  const t = useEmulator();

  /** Alice's space with admin@example.com, the calling user, as a member. */
  const aliceSpaceWithAdmin = async (): Promise<string> => {
    const alice = t.asDelegatedUser("alice@example.com", ["chat.spaces.create"]);
    const s = (await alice.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Alice's" } })).data.name!;
    await t.control.addMember(s, "admin@example.com", "ROLE_MEMBER");
    return s;
  };

  /**
   * admin removed from `s` in Chat, then her membership `id` refreshed by a new process: it leaves the stack on its own 404, with no read of the
   * space; `callerReads`: the reads that look for her `users/{id}` (she is in no space, so they tell nothing, and the state's record decides).
   */
  const removedThenRefreshedAlone = async (s: string, id: string, outs: unknown, callerReads: readonly string[] = []) => {
    await t.control.removeMember(s, "admin@example.com");
    const { provider: refresh, logs } = await membershipProvider(t);
    const mark = await logMark(t);
    const read = await refresh.read(id, outs as never);
    const calls = await apiCallsWithAccess(t, mark);
    assert.deepEqual(read, { id: "" }, `the refresh kept her membership (calls: ${calls.join("; ")}; log: ${logs.join(" | ")})`);
    assert.deepEqual(calls, [`GET /v1/${id} 404`, ...callerReads], "no read of the space: her own membership's 404 says it all");
    assert.deepEqual(logs, []);
  };

  it("the calling user's own, declared by email: a refresh drops it on her membership's 404 alone, so the next preview adds her again", async () => {
    const s = await aliceSpaceWithAdmin();
    // admin's provider manages her own membership (the ChatMembership meets it already there, and adopts it).
    const { provider } = await membershipProvider(t);
    const { id, outs } = await provider.create(membershipInputs("me", { space: s, user: "admin@example.com" }));
    await removedThenRefreshedAlone(s, id, outs);
  });

  it("the calling user's own, declared by users/{id}: a refresh in a new process, where she is in no space, drops it by the state's record of her", async () => {
    const s = await aliceSpaceWithAdmin();
    const admin = t.asDelegatedUser("admin@example.com", ["chat.memberships.readonly"]);
    const adminId = (await admin.spaces.members.get({ name: `${s}/members/admin@example.com` })).data.member!.name!;
    const { provider } = await membershipProvider(t);
    const { id, outs } = await provider.create(membershipInputs("me", { space: s, user: adminId }));
    assert.equal((outs as { __caller?: string }).__caller, "admin@example.com", "the state records that the membership is the calling user's");
    // Her email may name another person now: her users/{id} is asked first, and only once none of her spaces tells it does the record decide.
    await removedThenRefreshedAlone(s, id, outs, [`GET /v1/${s}/members/admin%40example.com 404`, "GET /v1/spaces 200"]);
  });

  it("another member's, in a space the calling user was removed from: a refresh keeps it, as it can't tell", async () => {
    const s = await aliceSpaceWithAdmin();
    await t.control.addMember(s, "bob@example.com", "ROLE_MEMBER");
    const { provider } = await membershipProvider(t);
    const { id, outs } = await provider.create(membershipInputs("bob", { space: s, user: "bob@example.com" }));
    await t.control.removeMember(s, "admin@example.com");
    const { provider: refresh, logs } = await membershipProvider(t);
    const mark = await logMark(t);
    assert.deepEqual(await refresh.read(id, outs as never), { id, props: outs });
    assert.deepEqual(await apiCallsWithAccess(t, mark), [`GET /v1/${id} 404`, `GET /v1/${s} 404`]);
    assert.equal(logs.length, 1);
    assert.match(logs[0], /Google answers 404 Not Found: the membership was removed, or these credentials can no longer see the space/);
  });

  it("the calling Chat app's own (chatApp: true) under app authentication: a refresh drops it on its membership's 404 alone", async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Ours" } })).data.name!;
    // The calling app is added with user authentication (a Chat app can't add Chat apps), then managed under app authentication.
    const { provider } = await membershipProvider(t);
    const { id, outs } = await provider.create(membershipInputs("bot", { space: s, chatApp: true }));
    await t.control.removeMember(s, (outs as { member: string }).member);
    const { provider: refresh, logs } = await membershipProvider(t, { app: true });
    const mark = await logMark(t);
    const read = await refresh.read(id, outs as never);
    const calls = await apiCallsWithAccess(t, mark);
    assert.deepEqual(read, { id: "" }, `the refresh kept the app's membership (calls: ${calls.join("; ")}; log: ${logs.join(" | ")})`);
    assert.deepEqual(calls, [`GET /v1/${id} 404`]);
  });
});
