/**
 * A roster made as admin@example.com (its state maps the address to her, users/…001); then the
 * address given to a new administrator, whom alice makes an owner in Chat, no refresh since. A
 * program that demotes everyone it declares: the new holder, an owner made in Chat since the state
 * last read the space, keeps her role through this up (its preview could not show her as an owner
 * the state records), as roster-new-holder-by-email.test.ts has it where the plan is not refused;
 * here the plan is refused as leaving no owner, which asks Google who the caller is.
 */
import assert from "node:assert/strict";
import type { ChatSpaceMembersOutputs, RosterMemberArgs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { addressGivenToNewOwnerOf, adminsSpaceWithAlice, NEW_ADMIN } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const FORMER = "users/110000000000000000001";

describe("a roster's entry of an address given since to an owner made in Chat, in a plan refused as leaving no owner", () => {
  const t = useEmulator();

  for (const email of ["admin@example.com", "Admin@Example.Com"])
    it(`the up keeps the new holder an owner (declared ${email} at ROLE_MEMBER, admin access): her demotion waits for a preview that shows it`, async () => {
      const s = await adminsSpaceWithAlice(t, "ROLE_MEMBER");
      const alice: RosterMemberArgs = { user: "alice@example.com", role: "ROLE_MEMBER" };
      const { provider: first } = await spaceMembersProvider(t, { useAdminAccess: true });
      const made = rosterInputs("r", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, alice] });
      const outs = (await first.create(made)).outs as ChatSpaceMembersOutputs;
      await addressGivenToNewOwnerOf(t, s);

      const declared = rosterInputs("r", { space: s, members: [{ user: FORMER, role: "ROLE_MEMBER" }, alice, { user: email, role: "ROLE_MEMBER" }] });
      const { provider: previewing, logs: previewLines } = await spaceMembersProvider(t, { useAdminAccess: true });
      const preview = await previewing.diff(s, outs, declared);
      const { provider, logs } = await spaceMembersProvider(t, { useAdminAccess: true });
      await provider.diff(s, outs, declared);
      const mark = await logMark(t);
      await provider.update(s, outs, declared);
      const calls = await apiCalls(t, mark);
      const roles = Object.fromEntries((await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => [m.memberName, m.role]));
      const context = `preview ${JSON.stringify(preview.detailedDiff)}: ${previewLines.join(" | ")}; up: ${logs.join(" | ")}; calls: ${calls.join("; ")}`;
      assert.equal(roles[NEW_ADMIN], "ROLE_MANAGER", context);
    });
});
