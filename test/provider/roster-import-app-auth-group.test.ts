/**
 * Importing a roster under app authentication, in a space with a Google Group. Google lists group
 * memberships to a Chat app like anyone's (v1.d.ts members.list `showGroups` names no
 * authentication), so the listing holds the group; but a Chat app can't add Google Groups, and
 * check refuses a `group` under app authentication (members/check.ts: "needs user authentication").
 * An import writes what adopts the roster as it is (space-members/declaration.ts, which both the
 * provider plugin's `pulumi import` and `npx pulumi-googlechat import` use), and that declaration
 * must pass check with the credentials that listed it: today it declares the group, so the first
 * preview of the imported roster fails, naming `members[i].group`, and nothing can be deployed
 * as imported. Leaving the group out (said, as for a Chat app) loses nothing: under app
 * authentication the roster is `addOnly` anyway (the listing shows no invitation). The same holds
 * for `pulumi import` of the group's own ChatMembership: imported as `{ space, group }`, it fails
 * its first preview; it should be refused, saying why, as the import of a Chat app's membership is.
 */
import assert from "node:assert/strict";
import { checkRoster } from "../../provider/space-members/check";
import { declareRoster } from "../../provider/space-members/declaration";
import type { ChatSpaceMembersInputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { membershipProvider, membershipUrn, oneProcess } from "./membership-helpers";
import { rosterUrn, spaceMembersProvider } from "./space-members-helpers";

const ADMIN = "users/110000000000000000001";
const NOW = Date.parse("2026-12-01T00:00:00Z");

describe("provider: memberships imported under app authentication, with a Google Group in the space", () => {
  const t = useEmulator();

  it("the declaration an import writes from the listing passes check under app authentication", () => {
    const listed = [
      { name: "spaces/AAA/members/devs", member: "groups/devs", memberType: "GROUP", role: "", state: "JOINED" },
      { name: "spaces/AAA/members/110000000000000000001", member: ADMIN, memberType: "HUMAN", role: "ROLE_MANAGER", state: "JOINED" },
    ];
    const { members, mode } = declareRoster("spaces/AAA", listed, "app");
    const failures = checkRoster({ space: "spaces/AAA", members, mode } as ChatSpaceMembersInputs, { auth: "app", now: NOW });
    assert.deepEqual(failures, [], `declared ${JSON.stringify(members)}`);
  });

  it("pulumi import of the roster (the plugin's importRoster): its inputs pass the next preview's check, with the same credentials", async () => {
    const app = t.asApp(["chat.app.spaces.create"]);
    const s = (await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Bot", customer: "customers/my_customer" } })).data.name!;
    await t.control.addMember(s, "admin@example.com", "ROLE_MANAGER");
    await t.control.addMember(s, "groups/devs");
    const { provider } = await spaceMembersProvider(t, { app: true });
    const imported = await provider.importRoster(s, rosterUrn("eng-members"));
    const { rosters } = await oneProcess(t, { app: true });
    const inputs = { ...imported.inputs, __urn: rosterUrn("eng-members") };
    assert.deepEqual(await rosters.check(inputs, inputs), { inputs }, `imported ${JSON.stringify(imported.inputs)}`);
  });

  it("pulumi import of the group's own ChatMembership (the plugin's importMembership): refused, saying why, or inputs that pass check", async () => {
    const app = t.asApp(["chat.app.spaces.create"]);
    const s = (await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Bot", customer: "customers/my_customer" } })).data.name!;
    await t.control.addMember(s, "groups/devs");
    const { provider } = await membershipProvider(t, { app: true });
    const imported = await provider.importMembership(`${s}/members/devs`, membershipUrn("devs")).catch((e: Error) => e);
    if (imported instanceof Error) return;
    const { memberships } = await oneProcess(t, { app: true });
    const inputs = { ...imported.inputs, __urn: membershipUrn("devs") };
    assert.deepEqual(await memberships.check(inputs, inputs), { inputs }, `imported ${JSON.stringify(imported.inputs)}`);
  });
});
