/**
 * An authoritative roster under googlechat:useAdminAccess never sees nor removes a Chat app: Google lists no
 * app membership to admin access (v1.d.ts members.list `useAdminAccess`: "Listing app memberships
 * in a space isn't supported"; space-members/declaration.ts: "a roster read with admin access does
 * not see them either, so it can still be authoritative"), and admin access can't remove one
 * (members.delete). So, as for a roster acting as a Chat app (claims.ts `conflictsBetween`
 * `keepsApps`), a ChatMembership of the calling app (chatApp: true) under another provider
 * instance, acting as the same user without admin access, is never removed by it: check must pass
 * the pair. Nor does its plan remove an app a state written without admin access records: it keeps
 * it, and says so in the preview.
 */
import assert from "node:assert/strict";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, useDeployments } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

describe("an authoritative roster under admin access beside a ChatMembership of the calling app", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);

  it("check passes the pair, and the roster's diff removes nobody: admin access never lists nor removes the app", async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Ours" } })).data.name!;
    const roster = rosterInputs("ours-members", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] });
    const bot = membershipInputs("bot", { space: s, chatApp: true });
    // An earlier up: the app added by admin without admin access, the roster written with it.
    const earlier = deployment("127.0.0.1:40001");
    const [adminAccess0, asUser0] = [await earlier.process({ useAdminAccess: true }), await earlier.process()];
    assert.deepEqual(await asUser0.memberships.check({}, bot), { inputs: bot });
    await asUser0.memberships.create(bot);
    assert.deepEqual(
      await adminAccess0.rosters.check({}, roster),
      { inputs: roster },
      "the roster under admin access, which never lists the app, passes check",
    );
    const { outs } = await adminAccess0.rosters.create(roster);

    const up = deployment("127.0.0.1:40002");
    const [adminAccess, asUser] = [await up.process({ useAdminAccess: true }), await up.process()];
    assert.deepEqual(await adminAccess.rosters.check(roster, roster), { inputs: roster });
    assert.equal((await adminAccess.rosters.diff(s, outs as ChatSpaceMembersOutputs, roster)).changes, false, adminAccess.logs.join(" | "));
    assert.deepEqual(await asUser.memberships.check(bot, bot), { inputs: bot }, "the ChatMembership of the app, which the roster never sees, passes check");
  });

  it("a Chat app its state recorded (written without admin access) is kept, said in the preview: admin access can't remove it", async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Ours" } })).data.name!;
    const other = await t.control.serviceAccount({ name: "other-app", project: "other-project" });
    await t.control.addMember(s, other.client_email);
    const declared = [{ user: "admin@example.com", role: "ROLE_MANAGER" as const }];
    const { outs } = await (await spaceMembersProvider(t)).provider.create(rosterInputs("ours-members", { space: s, members: declared }));
    const app = `users/${other.client_id}`;
    assert.ok(
      (outs as ChatSpaceMembersOutputs).members.some((m) => m.member === app),
      "the roster's state, written without admin access, records the app",
    );

    const { provider, logs } = await spaceMembersProvider(t, { useAdminAccess: true });
    const news = rosterInputs("ours-members", { space: s, members: [...declared, { user: "alice@example.com" }] });
    const diff = await provider.diff(s, outs as ChatSpaceMembersOutputs, news);
    assert.deepEqual(diff.detailedDiff, { "members[1]": "add" });
    assert.ok(
      logs.includes(
        `ChatSpaceMembers ours-members: = ${app}: not declared, kept: it is a Chat app, and the provider uses admin access (googlechat:useAdminAccess), ` +
          "which Google lets neither list nor remove an app's membership",
      ),
      logs.join("\n"),
    );
    const mark = await logMark(t);
    await provider.update(s, outs as ChatSpaceMembersOutputs, news);
    assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 200`, `GET /v1/${s}/members/admin%40example.com 200`]);
    assert.ok(
      (await t.control.state()).memberships[s.slice("spaces/".length)].some((m) => m.memberName === app),
      "the app is still a member",
    );
  });
});
