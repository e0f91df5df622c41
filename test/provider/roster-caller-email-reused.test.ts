/**
 * A roster's state records its calling user as `{ user: email, member: users/{id} }` (`__caller`),
 * and its plan keeps that member as the caller. An email names a person only for a while: in
 * Workspace an account can be renamed and its old address given to another person. Then the
 * record names the former holder as the caller, and the person the provider now acts as is a
 * member like any other: an update that would remove her (or demote her) asks Google who the
 * caller is first (space-members/provider.ts `sparingCaller`), keeps her, and records her.
 */
import assert from "node:assert/strict";
import { DEFAULT_SETTINGS } from "../../emulator/model";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import {
  addressGivenToNewAdmin,
  addressGivenToNewOwnerOf,
  adminsSpaceWithAlice,
  alicesSpaceWithAdmin,
  NEW_ADMIN,
  rosterMadeBeforeAddressGiven,
} from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const FORMER = "users/110000000000000000001";

describe("a roster whose recorded caller's email now names another person", () => {
  const t = useEmulator();

  it("the calling user now, added in Chat and not declared, is kept: a refresh then an up does not remove her", async () => {
    const s = await alicesSpaceWithAdmin(t, "ROLE_MANAGER");
    const declared = rosterInputs("alices-members", {
      space: s,
      members: [
        { user: "alice@example.com", role: "ROLE_MANAGER" },
        { user: "users/110000000000000000001", role: "ROLE_MANAGER" },
      ],
    });
    // Made, then the account renamed, admin@example.com given to a new administrator, whom alice makes an owner in Chat; pulumi refresh.
    const { outs, refreshed } = await rosterMadeBeforeAddressGiven(t, declared);
    assert.deepEqual(outs.__caller, { user: "admin@example.com", member: "users/110000000000000000001" });

    // pulumi up of the same declaration, acting as admin@example.com (the new administrator).
    const { provider, logs } = await spaceMembersProvider(t);
    const diff = await provider.diff(s, refreshed, declared);
    const mark = await logMark(t);
    if (diff.changes) await provider.update(s, refreshed, declared);
    const calls = await apiCalls(t, mark);
    const members = (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => m.memberName);
    assert.ok(
      members.includes("users/110000000000000000010"),
      `the calling user users/110000000000000000010 was removed (recorded caller ${JSON.stringify(refreshed.__caller)}; ` +
        `preview: ${logs.join(" | ")}; calls: ${calls.join("; ")})`,
    );
  });

  it("an up asks Google who the caller is before it removes or demotes a person: keeps her, and her owner role, and records her", async () => {
    const s = await alicesSpaceWithAdmin(t, "ROLE_MANAGER", "bob@example.com");
    const made = rosterInputs("alices-members", { space: s, members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }] });
    // No refresh since the address was given: the state's record names the former holder.
    const { outs: refreshed } = await rosterMadeBeforeAddressGiven(t, made);
    assert.deepEqual(refreshed.__caller, { user: "admin@example.com", member: "users/110000000000000000001" });

    // The new admin declared at ROLE_MEMBER (a demotion of an owner), bob left out (a removal): the preview, from the record, plans both.
    const declared = rosterInputs("alices-members", {
      space: s,
      members: [
        { user: "alice@example.com", role: "ROLE_MANAGER" },
        { user: "users/110000000000000000010", role: "ROLE_MEMBER" },
      ],
    });
    const { provider, logs } = await spaceMembersProvider(t);
    await provider.diff(s, refreshed, declared);
    const mark = await logMark(t);
    const { outs: updated } = await provider.update(s, refreshed, declared);
    const calls = await apiCalls(t, mark);
    // Her add meets her membership (she joined in Chat since the last listing); her own membership by
    // email tells she is the caller; the owners are read before bob leaves.
    assert.deepEqual(calls, [
      `POST /v1/${s}/members 409`,
      `GET /v1/${s}/members/110000000000000000010 200`,
      `GET /v1/${s}/members/admin%40example.com 200`,
      `GET /v1/${s}/members 200`,
      `DELETE /v1/${s}/members/110000000000000000003 200`,
    ]);
    assert.ok(
      logs.includes(
        "ChatSpaceMembers alices-members: = members[1] users/110000000000000000010: role ROLE_MANAGER kept, not ROLE_MEMBER: " +
          "it is the calling user, which is never demoted without googlechat:useAdminAccess (it could no longer manage the members: every later change would fail)",
      ),
      logs.join("\n"),
    );
    // Recorded now: the next preview plans from her, and announces the removal of the email's former holder, whom this up kept.
    assert.deepEqual((updated as ChatSpaceMembersOutputs).__caller, { user: "admin@example.com", member: "users/110000000000000000010" });
    const next = await spaceMembersProvider(t);
    await next.provider.diff(s, updated as ChatSpaceMembersOutputs, declared);
    assert.ok(
      next.logs.some((line) => line.includes("- users/110000000000000000001 (ROLE_MANAGER): not declared, removed")),
      next.logs.join("\n"),
    );
  });

  it("a destroy asks Google who the caller is: the roster that declares her by users/{id} does not remove her", async () => {
    const s = await alicesSpaceWithAdmin(t, "ROLE_MANAGER", "bob@example.com");
    const declared = rosterInputs("alices-members", {
      space: s,
      mode: "addOnly",
      members: [
        { user: "alice@example.com", role: "ROLE_MANAGER" },
        { user: "users/110000000000000000003", role: "ROLE_MEMBER" },
        { user: "users/110000000000000000010", role: "ROLE_MANAGER" },
      ],
    });
    // The roster declares a person who is not the caller yet: her address is given to her later.
    await t.control.setSettings({ users: [...DEFAULT_SETTINGS.users, { id: "110000000000000000010", email: "carol.new@example.com", admin: false }] });
    const { provider: first } = await spaceMembersProvider(t);
    const { outs } = await first.create(declared);
    assert.deepEqual((outs as ChatSpaceMembersOutputs).__caller, { user: "admin@example.com", member: "users/110000000000000000001" });
    await addressGivenToNewAdmin(t);
    const { provider, logs } = await spaceMembersProvider(t);
    const mark = await logMark(t);
    await provider.delete(s, outs as ChatSpaceMembersOutputs);
    const calls = await apiCalls(t, mark);
    assert.deepEqual(calls, [
      `GET /v1/${s}/members/admin%40example.com 200`,
      `GET /v1/${s}/members 200`,
      `DELETE /v1/${s}/members/110000000000000000002 200`,
      `DELETE /v1/${s}/members/110000000000000000003 200`,
    ]);
    assert.ok(
      logs.some((line) => line.includes("users/110000000000000000010 stays in") && line.includes("it is the calling user")),
      logs.join("\n"),
    );
    const members = (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => m.memberName);
    assert.ok(members.includes("users/110000000000000000010"), `the calling user was removed (calls: ${calls.join("; ")})`);
  });

  it("a demotion of the other owners that leaves the caller one is not refused as leaving no owner: the refusal asks Google who the caller is first", async () => {
    const s = await alicesSpaceWithAdmin(t, "ROLE_MEMBER");
    const made = rosterInputs("r", { space: s, members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }] });
    // Made, then the address given to an owner, with no refresh since: the state's record names the former holder.
    const { outs: refreshed } = await rosterMadeBeforeAddressGiven(t, made);
    const declared = rosterInputs("r", {
      space: s,
      members: [
        { user: "alice@example.com", role: "ROLE_MEMBER" },
        { user: "users/110000000000000000010", role: "ROLE_MEMBER" },
        { user: "users/110000000000000000001", role: "ROLE_MEMBER" },
      ],
    });
    const preview = await spaceMembersProvider(t);
    const mark = await logMark(t);
    const diff = await preview.provider.diff(s, refreshed, declared);
    assert.equal(diff.changes, true);
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/admin%40example.com 200`]);
    assert.ok(
      preview.logs.some((l) => l.includes("users/110000000000000000010") && l.includes("the calling user")),
      preview.logs.join("\n"),
    );
    const { provider } = await spaceMembersProvider(t);
    const { outs: updated } = await provider.update(s, refreshed, declared);
    const roles = Object.fromEntries((await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => [m.memberName, m.role]));
    assert.deepEqual([roles["users/110000000000000000010"], roles["users/110000000000000000002"]], ["ROLE_MANAGER", "ROLE_MEMBER"]);
    const after = updated as ChatSpaceMembersOutputs;
    assert.deepEqual(after.__caller, { user: "admin@example.com", member: "users/110000000000000000010" });
    assert.equal(after.members.find((m) => m.member === "users/110000000000000000010")?.role, "ROLE_MANAGER");
  });

  it("a declared demotion of the former holder, whom the record names the caller: the preview asks Google, the up records the caller, and the next up demotes her as its preview announces", async () => {
    const s = await adminsSpaceWithAlice(t, "ROLE_MEMBER");
    const { provider: first } = await spaceMembersProvider(t);
    const start = rosterInputs("r", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] });
    const { outs } = await first.create(start);
    await addressGivenToNewOwnerOf(t, s);
    const declared = rosterInputs("r", { space: s, members: [{ user: FORMER, role: "ROLE_MEMBER" }, { user: "alice@example.com" }] });
    const roleOfFormer = async () => (await t.control.state()).memberships[s.slice("spaces/".length)].find((m) => m.memberName === FORMER)?.role;
    // The first up keeps her role (its update may have planned from the record) and records the caller Google names.
    const one = await spaceMembersProvider(t);
    const mark = await logMark(t);
    assert.equal((await one.provider.diff(s, outs as ChatSpaceMembersOutputs, declared)).changes, true);
    // Who the caller is: her membership by her email, one read, which also tells her role (the roster as last listed lacks her).
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/admin%40example.com 200`]);
    assert.ok(
      one.logs.some((l) => l.includes(FORMER) && l.includes("keeps its role for this up")),
      one.logs.join("\n"),
    );
    const { outs: recorded } = await one.provider.update(s, outs as ChatSpaceMembersOutputs, declared);
    // The caller as Google names her, a member since she joined in Chat, recorded with her role: the next plan counts her.
    assert.deepEqual((recorded as ChatSpaceMembersOutputs).__caller, { user: "admin@example.com", member: NEW_ADMIN });
    assert.equal((recorded as ChatSpaceMembersOutputs).members.find((m) => m.member === NEW_ADMIN)?.role, "ROLE_MANAGER");
    assert.equal(await roleOfFormer(), "ROLE_MANAGER");
    // The next preview plans from the caller Google named: the former holder's demotion, announced, then made.
    const two = await spaceMembersProvider(t);
    assert.equal((await two.provider.diff(s, recorded as ChatSpaceMembersOutputs, declared)).changes, true);
    assert.ok(
      two.logs.some((l) => l.includes(FORMER) && l.includes("ROLE_MANAGER => ROLE_MEMBER")),
      two.logs.join("\n"),
    );
    await two.provider.update(s, recorded as ChatSpaceMembersOutputs, declared);
    assert.equal(await roleOfFormer(), "ROLE_MEMBER");
  });
});
