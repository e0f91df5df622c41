/**
 * A roster applied as a user declares a Google Group; then the stack runs with app
 * authentication (a CI job acting as the Chat app), its program unchanged. Check refuses the
 * entry, since a Chat app can't add a group (v1.d.ts members.create). The failure names both ways
 * out: user authentication (googlechat:impersonateUser), or leaving the entry out, since under app
 * authentication a roster keeps every group it does not declare, and its preview says so
 * (members/caller.ts `APP_AUTH_KEEPS_GROUPS`).
 */
import assert from "node:assert/strict";
import { useEmulator } from "../helpers/emulator";
import { oneProcess } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

describe("provider: a roster's group declared as a user, checked under app authentication", () => {
  const t = useEmulator();

  it("the failure of its group entry says that left out, the group stays in the space (the roster keeps it)", async () => {
    const app = t.asApp(["chat.app.spaces.create"]);
    const s = (await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Bot", customer: "customers/my_customer" } })).data.name!;
    await t.control.addMember(s, "admin@example.com", "ROLE_MANAGER");
    const declared = rosterInputs("bot-members", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { group: "groups/devs" }] });
    const { provider: asUser } = await spaceMembersProvider(t);
    await asUser.create(declared);
    const { rosters } = await oneProcess(t, { app: true });
    const { failures } = await rosters.check(declared, declared);
    const reason = failures?.find((f) => f.property === "members[1].group")?.reason;
    assert.ok(reason !== undefined && /leav(e|ing) (it|the entry) out/.test(reason) && /stays|keeps|kept/.test(reason), JSON.stringify(failures));
  });
});
