/**
 * The rule that Google, not the state's record of her email, tells who the calling user
 * is before a person leaves (space-members/provider.ts `sparingCaller`, `delete`;
 * members/member-provider.ts `isOwnMembership`): failures of that read, a partial failure and
 * its retry.
 */
import assert from "node:assert/strict";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { alicesSpaceWithAdmin, rosterMadeBeforeAddressGiven } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

describe("the caller told by Google before a person leaves", () => {
  const t = useEmulator();

  const members = async (s: string) => (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => m.memberName);

  const declaredAliceOnly = (s: string) => rosterInputs("alices-members", { space: s, members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }] });

  /** Alice's space with admin (the caller, owner) and bob; a roster of alice made as admin; then admin's address reassigned, the new admin an owner (carol in the directory too). */
  const reassignedRoster = async () => {
    const s = await alicesSpaceWithAdmin(t, "ROLE_MANAGER", "bob@example.com");
    const carol = { id: "110000000000000000004", email: "carol@example.com", admin: false };
    const { refreshed } = await rosterMadeBeforeAddressGiven(t, declaredAliceOnly(s), {}, carol);
    return { s, refreshed };
  };

  for (const status of [500, 403]) {
    it(`an update whose read of the caller fails (${status}) removes nobody and says why`, async () => {
      const { s, refreshed } = await reassignedRoster();
      const declared = declaredAliceOnly(s);
      const { provider } = await spaceMembersProvider(t);
      await provider.diff(s, refreshed, declared);
      await t.control.addFault({
        match: { methods: ["spaces.members.get"] },
        action: { kind: "error", status, message: "The read failed" },
        count: 20,
      });
      const mark = await logMark(t);
      let message = "";
      await provider.update(s, refreshed, declared).catch((e: Error) => void (message = e.message));
      const calls = await apiCalls(t, mark);
      assert.ok(message.includes("The read failed"), `update did not fail with the read's answer: ${message}`);
      assert.ok(!calls.some((c) => c.startsWith("DELETE") || c.startsWith("PATCH")), calls.join("; "));
      assert.ok((await members(s)).includes("users/110000000000000000003"));
    });
  }

  it("a partial failure after the caller was learnt, then its retry: every removal of the retry is announced by its preview", async () => {
    const { s, refreshed } = await reassignedRoster();
    // Carol joins too, so that the update has two removals: bob's fails.
    await t.control.addMember(s, "carol@example.com", "ROLE_MEMBER");
    const { provider: refresh } = await spaceMembersProvider(t);
    const again = (await refresh.read(s, refreshed)).props as ChatSpaceMembersOutputs;
    const declared = declaredAliceOnly(s);
    const { provider } = await spaceMembersProvider(t);
    await provider.diff(s, again, declared);
    await t.control.addFault({
      match: { methods: ["spaces.members.delete"] },
      action: { kind: "error", status: 403, message: "Refused" },
      count: 1,
    });
    let partial: ChatSpaceMembersOutputs | undefined;
    await provider.update(s, again, declared).catch((e: { properties?: ChatSpaceMembersOutputs }) => void (partial = e.properties));
    assert.ok(partial, "the update did not fail partially");
    assert.deepEqual(partial.__caller, { user: "admin@example.com", member: "users/110000000000000000010" });
    // The retry: preview, then up, in a new process.
    const next = await spaceMembersProvider(t);
    await next.provider.diff(s, partial, declared);
    const announced = next.logs.filter((l) => l.includes("not declared, removed")).map((l) => /users\/\d+/.exec(l.split("- ")[1])![0]);
    assert.ok(announced.includes("users/110000000000000000001"), "the retry's preview announces the former holder's removal");
    const mark = await logMark(t);
    await next.provider.update(s, partial, declared);
    const removed = (await apiCalls(t, mark)).filter((c) => c.startsWith("DELETE")).map((c) => `users/${/members\/(\d+)/.exec(c)![1]}`);
    assert.deepEqual([...removed].sort(), [...announced].sort(), `preview: ${next.logs.join(" | ")}`);
    assert.ok((await members(s)).includes("users/110000000000000000010"), "the caller was removed");
  });

  it("a roster's delete whose read of the caller fails (500) removes nobody", async () => {
    const s = await alicesSpaceWithAdmin(t, "ROLE_MANAGER");
    const { provider: first } = await spaceMembersProvider(t);
    const { outs } = await first.create(
      rosterInputs("r", {
        space: s,
        mode: "addOnly",
        members: [
          { user: "alice@example.com", role: "ROLE_MANAGER" },
          { user: "bob@example.com", role: "ROLE_MEMBER" },
        ],
      }),
    );
    const { provider } = await spaceMembersProvider(t);
    await t.control.addFault({ match: { methods: ["spaces.members.get"] }, action: { kind: "error", status: 500, message: "Backend" }, count: 20 });
    const mark = await logMark(t);
    let failed = false;
    await provider.delete(s, outs as ChatSpaceMembersOutputs).catch(() => void (failed = true));
    const calls = await apiCalls(t, mark);
    assert.ok(failed, "the delete resolved");
    assert.ok(!calls.some((c) => c.startsWith("DELETE")), calls.join("; "));
  });
});
