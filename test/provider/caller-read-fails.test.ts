/**
 * Passing probes (they pass on main): where the read of who the calling user is fails (500, or
 * 403 as for credentials without the scope to read memberships), the preview of a decision that
 * depends on it fails too, and the update writes nothing: a ChatMembership's declared demotion of
 * the member its state records as the caller (membership/provider.ts `isCallersOwn`), and a
 * roster's plan refused as leaving no owner (space-members/provider.ts `callerConfirmed`), at its
 * preview and at its update (the update's confirmation runs before its adds).
 */
import assert from "node:assert/strict";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { alicesSpaceWithAdmin, membershipInputs, membershipProvider, rosterMadeBeforeAddressGiven } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

describe("the read of who the caller is fails", () => {
  const t = useEmulator();

  const failReads = (status: number) =>
    t.control.addFault({ match: { methods: ["spaces.members.get"] }, action: { kind: "error", status, message: "The read failed" } });
  const writes = (calls: string[]) => calls.filter((c) => /^(POST|PATCH|DELETE) /.test(c));

  for (const status of [500, 403]) {
    it(`a ChatMembership's preview of the demotion of its recorded caller fails (${status}); so does its update, changing no role`, async () => {
      const s = await alicesSpaceWithAdmin(t, "ROLE_MANAGER");
      const { provider: first } = await membershipProvider(t);
      const { id, outs } = await first.create(membershipInputs("admin", { space: s, user: "users/110000000000000000001", role: "ROLE_MANAGER" }));
      assert.equal((outs as { __caller?: string }).__caller, "admin@example.com");
      const news = membershipInputs("admin", { space: s, user: "users/110000000000000000001", role: "ROLE_MEMBER" });
      await failReads(status);
      const mark = await logMark(t);
      const { provider } = await membershipProvider(t);
      await assert.rejects(provider.diff(id, outs as never, news), /The read failed/);
      await assert.rejects(provider.update(id, outs as never, news), /The read failed/);
      assert.deepEqual(writes(await apiCalls(t, mark)), []);
    });

    it(`a roster's plan refused as leaving no owner: its preview fails (${status}), and an update whose confirmation fails writes nothing`, async () => {
      const s = await alicesSpaceWithAdmin(t, "ROLE_MEMBER");
      const made = rosterInputs("r", { space: s, members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }] });
      const { refreshed } = await rosterMadeBeforeAddressGiven(t, made);
      // bob added, the owners demoted: refused from the record, allowed once Google names the caller (users/…010, an owner kept).
      const declared = rosterInputs("r", {
        space: s,
        members: [
          { user: "alice@example.com", role: "ROLE_MEMBER" },
          { user: "users/110000000000000000010", role: "ROLE_MEMBER" },
          { user: "users/110000000000000000001", role: "ROLE_MEMBER" },
          { user: "bob@example.com" },
        ],
      });
      const preview = await spaceMembersProvider(t);
      await failReads(status);
      let mark = await logMark(t);
      await assert.rejects(preview.provider.diff(s, refreshed, declared), /The read failed/);
      assert.deepEqual(writes(await apiCalls(t, mark)), []);
      await t.control.clearFaults();
      const { provider } = await spaceMembersProvider(t);
      const diff = await provider.diff(s, refreshed, declared);
      assert.equal(diff.changes, true);
      // The update runs in another process, whose read fails.
      const up = await spaceMembersProvider(t);
      await failReads(status);
      mark = await logMark(t);
      await assert.rejects(up.provider.update(s, refreshed, declared), /The read failed/);
      assert.deepEqual(writes(await apiCalls(t, mark)), []);
    });
  }
});
