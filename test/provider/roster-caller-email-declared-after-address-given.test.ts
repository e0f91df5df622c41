/**
 * A roster that never declared its recorded caller's email (its state names her only as
 * `__caller`), after admin@example.com's address was given to a new administrator: a new entry of
 * that address declares the person Google gives it now, who must end up in the space.
 */
import assert from "node:assert/strict";
import type { ChatSpaceMembersOutputs, RosterMemberArgs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { addressGivenToNewAdmin, adminsSpace, NEW_ADMIN } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const FORMER = "users/110000000000000000001";

describe("a roster's new entry of its recorded caller's address, given to another person since", () => {
  const t = useEmulator();

  for (const [where, email] of [
    ["in no space", "admin@example.com"],
    ["in no space, the address in capitals", "Admin@Example.Com"],
    ["a member of another space", "admin@example.com"],
  ] as const)
    it(`the new holder ${where}: the preview announces her add and the up adds her (admin access)`, async () => {
      const s = await adminsSpace(t);
      await t.control.addMember(s, "alice@example.com", "ROLE_MEMBER");
      const alice: RosterMemberArgs = { user: "alice@example.com", role: "ROLE_MEMBER" };
      const { provider: first } = await spaceMembersProvider(t, { useAdminAccess: true });
      const outs = (await first.create(rosterInputs("r", { space: s, members: [alice] }))).outs as ChatSpaceMembersOutputs;
      assert.deepEqual(outs.__caller, { user: "admin@example.com", member: FORMER });
      await addressGivenToNewAdmin(t);
      if (where.startsWith("a member")) {
        const alicesOwn = t.asDelegatedUser("alice@example.com", ["chat.spaces.create"]);
        const other = (await alicesOwn.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Alice's" } })).data.name!;
        await t.control.addMember(other, NEW_ADMIN, "ROLE_MEMBER");
      }

      const declared = rosterInputs("r", { space: s, members: [alice, { user: email, role: "ROLE_MANAGER" }] });
      const { provider: previewing, logs: previewLines } = await spaceMembersProvider(t, { useAdminAccess: true });
      const preview = await previewing.diff(s, outs, declared);
      const { provider: updating, logs } = await spaceMembersProvider(t, { useAdminAccess: true });
      const diff = await updating.diff(s, outs, declared);
      const mark = await logMark(t);
      if (diff.changes) await updating.update(s, outs, declared);
      const calls = await apiCalls(t, mark);
      const roles = Object.fromEntries((await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => [m.memberName, m.role]));
      const context = `preview ${JSON.stringify(preview.detailedDiff)}: ${previewLines.join(" | ")}; up: ${logs.join(" | ")}; calls: ${calls.join("; ")}`;
      assert.equal(roles[NEW_ADMIN], "ROLE_MANAGER", `${NEW_ADMIN}, whom admin@example.com names now, is not an owner of the space: ${context}`);
      // The former holder, whom the record named the caller, stays for this up (shown as an update of her entry); the next preview announces her removal.
      assert.deepEqual(preview.detailedDiff, { "members[1]": "add", [`members["${FORMER}"]`]: "update" }, context);
      assert.equal(roles[FORMER], "ROLE_MANAGER");
    });
});
