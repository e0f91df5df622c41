/**
 * With admin access a roster's plan that refuses a change as leaving no owner asks Google who the
 * caller is as without it: an authoritative roster never removes the calling user, admin access or
 * not (plan.ts `planRoster` `kept`), so a caller who is an owner and not declared stays an owner,
 * and counts. Where the state's record of her email names the email's former holder, the plan
 * would count the caller now as an owner removed, and refuse a change that leaves her the owner:
 * the preview asks Google first (space-members/provider.ts `callerConfirmed`), and a refresh records
 * the caller Google tells.
 */
import assert from "node:assert/strict";
import { useEmulator } from "../helpers/emulator";
import { alicesSpaceWithAdmin, rosterMadeBeforeAddressGiven } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

describe("a roster with admin access, its record of the caller the email's former holder", () => {
  const t = useEmulator();

  for (const useAdminAccess of [true, false]) {
    it(`a change that leaves the calling user the space's owner is not refused as leaving no owner (${useAdminAccess ? "admin access" : "without admin access: passes"})`, async () => {
      const s = await alicesSpaceWithAdmin(t, "ROLE_MEMBER");
      const made = rosterInputs("r", { space: s, members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }] });
      const { outs, refreshed } = await rosterMadeBeforeAddressGiven(t, made, { useAdminAccess });
      assert.deepEqual(outs.__caller, { user: "admin@example.com", member: "users/110000000000000000001" });
      assert.deepEqual(refreshed.__caller, { user: "admin@example.com", member: "users/110000000000000000010" });

      // The new administrator (the caller now, an owner) is not declared: the roster keeps her, and she stays its owner.
      const declared = rosterInputs("r", {
        space: s,
        members: [
          { user: "alice@example.com", role: "ROLE_MEMBER" },
          { user: "users/110000000000000000001", role: "ROLE_MEMBER" },
        ],
      });
      // From the state as created (no refresh since: the plan asks Google), and as refreshed (the refresh asked).
      for (const state of [outs, refreshed]) {
        const { provider, logs } = await spaceMembersProvider(t, { useAdminAccess });
        let refusal = "";
        await provider.diff(s, state, declared).catch((e: Error) => void (refusal = e.message));
        assert.equal(refusal, "", `the preview refused a change that leaves the calling user users/…010 an owner (log: ${logs.join(" | ")})`);
        assert.ok(
          logs.some((l) => l.includes("users/110000000000000000010") && l.includes("the calling user")),
          logs.join("\n"),
        );
      }
    });
  }
});
