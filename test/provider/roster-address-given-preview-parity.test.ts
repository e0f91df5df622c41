/**
 * A roster whose state maps admin@example.com (its recorded caller's email, and its own entry of
 * it) to the former holder, after the address was given to a new administrator: the up of a
 * change the preview planned without asking who the caller is must write only what that preview
 * announced.
 */
import assert from "node:assert/strict";
import type { ChatSpaceMembersOutputs, RosterMemberArgs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { addressGivenToNewAdmin, adminsSpace, NEW_ADMIN } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const FORMER = "users/110000000000000000001";

describe("a roster's unchanged entry of an address given to another person, in an up that removes someone else", () => {
  const t = useEmulator();

  it("the preview announces bob's removal only: the up writes that and nothing else (no add of the new holder)", async () => {
    const s = await adminsSpace(t);
    await t.control.addMember(s, "alice@example.com", "ROLE_MANAGER");
    await t.control.addMember(s, "bob@example.com", "ROLE_MEMBER");
    const admin: RosterMemberArgs = { user: "admin@example.com", role: "ROLE_MANAGER" };
    const alice: RosterMemberArgs = { user: "alice@example.com", role: "ROLE_MANAGER" };
    const bob: RosterMemberArgs = { user: "bob@example.com", role: "ROLE_MEMBER" };
    const { provider: first } = await spaceMembersProvider(t, { useAdminAccess: true });
    const outs = (await first.create(rosterInputs("r", { space: s, members: [admin, alice, bob] }))).outs as ChatSpaceMembersOutputs;
    assert.equal(outs.__declared["users/admin@example.com"], FORMER);
    // The address given to a new administrator, who is in another space (so Google can tell her id), not this one.
    await addressGivenToNewAdmin(t);
    const alicesOwn = t.asDelegatedUser("alice@example.com", ["chat.spaces.create"]);
    const other = (await alicesOwn.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Alice's" } })).data.name!;
    await t.control.addMember(other, NEW_ADMIN, "ROLE_MEMBER");

    const declared = rosterInputs("r", { space: s, members: [admin, alice] });
    const { provider: previewing, logs: previewLines } = await spaceMembersProvider(t, { useAdminAccess: true });
    const preview = await previewing.diff(s, outs, declared);
    const { provider: updating, logs } = await spaceMembersProvider(t, { useAdminAccess: true });
    await updating.diff(s, outs, declared);
    const mark = await logMark(t);
    await updating.update(s, outs, declared);
    const writes = (await apiCalls(t, mark)).filter((c) => !/\b(get|list)\b/i.test(c));
    const members = (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => m.memberName);
    assert.ok(
      !members.includes(NEW_ADMIN),
      `the up added ${NEW_ADMIN}, which its preview did not announce (preview ${JSON.stringify(preview.detailedDiff)}: ${previewLines.join(" | ")}; ` +
        `up: ${logs.join(" | ")}; writes: ${writes.join("; ")})`,
    );
  });
});
