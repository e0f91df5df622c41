/**
 * A roster's update must do what its preview announced, never remove more. Where an entry is
 * unknown until apply (another resource's output), the preview's plan drops the last-owner
 * refusal (space-members/diff.ts `diffRoster`: "the last-owner rule waits for the values"), so its
 * diff never asks Google who the caller is (space-members/provider.ts `callerConfirmed` runs only
 * on a refused plan). The update's plan, with every value known, is refused, asks, and plans again
 * from the caller Google names: the member the state's record of her email named (the email's
 * former holder) is no longer kept as the caller, and the update removes her. The preview showed
 * her kept ("it is the calling user"), not removed: a removal the preview did not announce. A
 * refresh since the address was given records the caller Google tells: its preview plans from her.
 */
import assert from "node:assert/strict";
import { UNKNOWN } from "../../provider/core/engine-values";
import type { RosterMemberArgs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { alicesSpaceWithAdmin, rosterMadeBeforeAddressGiven } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

describe("a roster entry unknown at preview, the update's plan refused as leaving no owner", () => {
  const t = useEmulator();

  for (const since of ["no refresh", "a refresh"] as const)
    it(`the update removes nobody its preview showed kept as the calling user (${since} since the address was given)`, async () => {
      const s = await alicesSpaceWithAdmin(t, "ROLE_MEMBER");
      // Made, then admin@example.com's address given to a new administrator, whom alice makes an owner in Chat.
      const made = rosterInputs("r", { space: s, members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }] });
      const { outs, refreshed: read } = await rosterMadeBeforeAddressGiven(t, made);
      assert.deepEqual(outs.__caller, { user: "admin@example.com", member: "users/110000000000000000001" });
      // A refresh lists her, and records her as the caller Google tells.
      assert.deepEqual(read.__caller, { user: "admin@example.com", member: "users/110000000000000000010" });
      const refreshed = since === "a refresh" ? read : outs;

      // The former admin (users/…001) is not declared; one entry is another resource's output, unknown at preview.
      const members = (third: RosterMemberArgs): RosterMemberArgs[] => [
        { user: "alice@example.com", role: "ROLE_MEMBER" },
        { user: "users/110000000000000000010", role: "ROLE_MEMBER" },
        third,
      ];
      const atPreview = rosterInputs("r", { space: s, members: members(UNKNOWN as unknown as RosterMemberArgs) });
      const atUp = rosterInputs("r", { space: s, members: members({ user: "bob@example.com" }) });

      const preview = await spaceMembersProvider(t);
      const diff = await preview.provider.diff(s, refreshed, atPreview);
      assert.equal(diff.changes, true);
      const announcedRemoval = preview.logs.some((l) => l.includes("users/110000000000000000001") && /not declared, removed/.test(l));

      const { provider, logs } = await spaceMembersProvider(t);
      await provider.diff(s, refreshed, atUp);
      const mark = await logMark(t);
      let failure = "";
      await provider.update(s, refreshed, atUp).catch((e: Error) => void (failure = e.message));
      const calls = await apiCalls(t, mark);
      const removed = calls.includes(`DELETE /v1/${s}/members/110000000000000000001 200`);
      assert.ok(
        announcedRemoval || !removed,
        `the update removed users/110000000000000000001, which its preview did not announce (preview: ${preview.logs.join(" | ")}; ` +
          `update: ${logs.join(" | ")}; calls: ${calls.join("; ")}; failure: ${failure})`,
      );
    });
});
