/**
 * Importing a roster under app authentication, in a space with a Google Group. Google lists group
 * memberships to a Chat app like anyone's (v1.d.ts members.list `showGroups` names no
 * authentication), so the listing holds the group; but a Chat app can't add Google Groups, and
 * check refuses a `group` under app authentication (members/check.ts: "needs user authentication").
 * An import writes what adopts the roster as it is (space-members/declaration.ts, which both the
 * provider plugin's `pulumi import` and `npx pulumi-googlechat import` use), and that declaration
 * must pass check with the credentials that listed it: so each listed member is held to check's
 * member rules, and the group, which would fail the first preview of the imported roster (naming
 * `members[i].group`), is left out, said as a Chat app is. That loses nothing: under app
 * authentication the roster is `addOnly` anyway (the listing shows no invitation), so it keeps the
 * group. The same holds for `pulumi import` of the group's own ChatMembership: imported as
 * `{ space, group }`, it would fail its first preview, so the import is refused, saying why, as
 * the import of a Chat app's membership is; it takes user authentication.
 */
import assert from "node:assert/strict";
import { checkRoster } from "../../provider/space-members/check";
import { declareRoster } from "../../provider/space-members/declaration";
import type { ChatSpaceMembersInputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { adminsSpaceWithAlice, membershipProvider, membershipUrn, oneProcess } from "./membership-helpers";
import { rosterUrn, spaceMembersProvider } from "./space-members-helpers";

const ADMIN = "users/110000000000000000001";
const NOW = Date.parse("2026-12-01T00:00:00Z");
const GROUP_LEFT_OUT =
  "groups/devs: group needs user authentication: a Chat app can't add or remove Google Groups (googlechat:impersonateUser); or leave it out: a group already in the space stays, as under app authentication none is removed";
const INVITATIONS = "invitations: Google lists none to a Chat app (app authentication), so a pending one can't be declared";
const ADD_ONLY = "so the roster is addOnly: it adds and keeps, never removes";

describe("provider: memberships imported under app authentication, with a Google Group in the space", () => {
  const t = useEmulator();

  it("the declaration an import writes from the listing passes check under app authentication: the group left out, said", () => {
    const listed = [
      { name: "spaces/AAA/members/devs", member: "groups/devs", memberType: "GROUP", role: "", state: "JOINED" },
      { name: "spaces/AAA/members/110000000000000000001", member: ADMIN, memberType: "HUMAN", role: "ROLE_MANAGER", state: "JOINED" },
    ];
    const { members, mode, notExpressed } = declareRoster("spaces/AAA", listed, "app");
    const failures = checkRoster({ space: "spaces/AAA", members, mode } as ChatSpaceMembersInputs, { auth: "app", now: NOW });
    assert.deepEqual(failures, [], `declared ${JSON.stringify(members)}`);
    assert.deepEqual(members, [{ user: ADMIN, role: "ROLE_MANAGER" }]);
    assert.deepEqual(notExpressed, [GROUP_LEFT_OUT, INVITATIONS, ADD_ONLY]);
    assert.equal(mode, "addOnly");
  });

  it("under user authentication the group is declared, as listed", () => {
    const listed = [{ name: "spaces/AAA/members/devs", member: "groups/devs", memberType: "GROUP", role: "", state: "JOINED" }];
    assert.deepEqual(declareRoster("spaces/AAA", listed, "user"), {
      space: "spaces/AAA",
      members: [{ group: "groups/devs" }],
      mode: "authoritative",
      notExpressed: [],
    });
  });

  it("pulumi import of the roster (the plugin's importRoster): its inputs pass the next preview's check, with the same credentials", async () => {
    const app = t.asApp(["chat.app.spaces.create"]);
    const s = (await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Bot", customer: "customers/my_customer" } })).data.name!;
    await t.control.addMember(s, "admin@example.com", "ROLE_MANAGER");
    await t.control.addMember(s, "groups/devs");
    const { provider, logs } = await spaceMembersProvider(t, { app: true });
    const mark = await logMark(t);
    const imported = await provider.importRoster(s, rosterUrn("eng-members"));
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`]);
    const { rosters } = await oneProcess(t, { app: true });
    const inputs = { ...imported.inputs, __urn: rosterUrn("eng-members") };
    assert.deepEqual(await rosters.check(inputs, inputs), { inputs }, `imported ${JSON.stringify(imported.inputs)}`);
    assert.deepEqual(imported.inputs.members, [{ user: ADMIN, role: "ROLE_MANAGER" }]);
    assert.deepEqual(logs, [`ChatSpaceMembers eng-members: imported addOnly: ${[GROUP_LEFT_OUT, INVITATIONS, ADD_ONLY].join("; ")}`]);
  });

  it("pulumi import of the group's own ChatMembership (the plugin's importMembership): refused, saying why, after its one GET", async () => {
    const app = t.asApp(["chat.app.spaces.create"]);
    const s = (await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Bot", customer: "customers/my_customer" } })).data.name!;
    await t.control.addMember(s, "groups/devs");
    const { provider } = await membershipProvider(t, { app: true });
    const mark = await logMark(t);
    await assert.rejects(provider.importMembership(`${s}/members/devs`, membershipUrn("devs")), {
      message:
        `ChatMembership devs: ${s}/members/devs can't be imported: ` +
        "group needs user authentication: a Chat app can't add or remove Google Groups (googlechat:impersonateUser); or leave it out: a group already in the space stays, as under app authentication none is removed.",
    });
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members/devs 200`]);
  });

  it("pulumi import of the group's ChatMembership under user authentication: imported as { space, group }, as before", async () => {
    const s = await adminsSpaceWithAlice(t, "ROLE_MEMBER");
    await t.control.addMember(s, "groups/devs");
    const { provider } = await membershipProvider(t);
    const imported = await provider.importMembership(`${s}/members/devs`, membershipUrn("devs"));
    assert.deepEqual(imported.inputs, { space: s, group: "groups/devs" });
  });
});
