/**
 * A roster whose state maps admin@example.com (its entry, and its recorded caller) to the former
 * holder, after the address was given to a new administrator in no space yet: its preview, which
 * can't learn her id, plans nothing. In the up, a ChatMembership of the address in another space
 * is created first (its add tells the caller's id to the process): the roster's diff and update
 * must still do what its preview announced, nothing.
 */
import assert from "node:assert/strict";
import type { ChatSpaceMembersOutputs, RosterMemberArgs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { addressGivenToNewAdmin, adminsSpaceWithAlice, membershipInputs, NEW_ADMIN, oneProcess } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

describe("an unchanged roster of the caller's address, the caller's id learnt in the up by another resource", () => {
  const t = useEmulator();

  it("the preview plans nothing for the roster: the up's diff plans nothing and adds no one (admin access)", async () => {
    const s = await adminsSpaceWithAlice(t, "ROLE_MANAGER");
    const alicesOwn = t.asDelegatedUser("alice@example.com", ["chat.spaces.create"]);
    const other = (await alicesOwn.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Alice's" } })).data.name!;
    const alice: RosterMemberArgs = { user: "alice@example.com", role: "ROLE_MANAGER" };
    const declared = rosterInputs("r", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, alice] });
    const { provider: first } = await spaceMembersProvider(t, { useAdminAccess: true });
    const outs = (await first.create(declared)).outs as ChatSpaceMembersOutputs;
    await addressGivenToNewAdmin(t);
    // A program that adds a ChatMembership of the address to another space, and keeps the roster as it is.
    const m = membershipInputs("m", { space: other, user: "admin@example.com", role: "ROLE_MEMBER" });

    const previewing = await oneProcess(t, { useAdminAccess: true });
    await previewing.memberships.check(m, m);
    await previewing.rosters.check(declared, declared);
    const preview = await previewing.rosters.diff(s, outs, declared);
    assert.equal(preview.changes, false);

    const up = await oneProcess(t, { useAdminAccess: true });
    await up.memberships.check(m, m);
    await up.memberships.create(m);
    await up.rosters.check(declared, declared);
    const mark = await logMark(t);
    const diff = await up.rosters.diff(s, outs, declared);
    if (diff.changes) await up.rosters.update(s, outs, declared);
    const calls = await apiCalls(t, mark);
    const roles = Object.fromEntries((await t.control.state()).memberships[s.slice("spaces/".length)].map((x) => [x.memberName, x.role]));
    const context = `up's diff ${JSON.stringify(diff.detailedDiff)}: ${up.logs.join(" | ")}; calls: ${calls.join("; ")}`;
    assert.equal(roles[NEW_ADMIN], undefined, `the up added ${NEW_ADMIN} to the roster's space, which its preview did not announce: ${context}`);
    assert.equal(diff.changes, false, context);
  });
});
