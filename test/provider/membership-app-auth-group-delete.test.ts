/**
 * The delete of a Google Group's ChatMembership under app authentication, the membership made
 * earlier as a user. "App authentication is not supported for ... Removing a Google Group from a
 * space" (v1.d.ts members.delete): the delete calls nothing, the resource leaves the stack, and
 * the up's log says that the group stays and how to remove it (members/member-provider.ts
 * `keepReason`, shared with the roster's delete, which roster-app-auth-group-not-declared.test.ts
 * covers). This pins the ChatMembership's side, which no other unit test reaches.
 */
import assert from "node:assert/strict";
import { APP_AUTH_KEEPS_GROUPS } from "../../provider/members/caller";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, membershipProvider } from "./membership-helpers";

describe("provider: a Google Group's ChatMembership deleted under app authentication", () => {
  const t = useEmulator();

  it("calls nothing, keeps the group in the space, and logs why", async () => {
    const app = t.asApp(["chat.app.spaces.create"]);
    const s = (await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Bot", customer: "customers/my_customer" } })).data.name!;
    await t.control.addMember(s, "admin@example.com", "ROLE_MANAGER");
    const { provider: asUser } = await membershipProvider(t);
    const { id, outs } = await asUser.create(membershipInputs("devs", { space: s, group: "groups/devs" }));
    const { provider, logs } = await membershipProvider(t, { app: true });
    const mark = await logMark(t);
    await provider.delete(id, outs as ChatMembershipOutputs);
    assert.deepEqual(await apiCalls(t, mark), []);
    assert.deepEqual(logs, [`ChatMembership groups/devs in ${s}: groups/devs stays in ${s}: ${APP_AUTH_KEEPS_GROUPS}.`]);
    const left = (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => m.memberName);
    assert.ok(left.includes("groups/devs"), left.join(", "));
  });
});
