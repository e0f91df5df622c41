/**
 * An authoritative roster under app authentication keeps every Chat app of its space (plan.ts:
 * "with app authentication every Chat app", `= users/…: not declared, kept: it is a Chat app, …`),
 * so a ChatMembership of the calling app (chatApp: true) under another provider instance, acting
 * as a user with a key of the same project, is never removed by it: check passes the pair,
 * whichever of the two is checked first.
 */
import assert from "node:assert/strict";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { membershipInputs, useDeployments } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

describe("provider: an authoritative roster under app authentication beside a ChatMembership of the calling app", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);

  /** A space the app created (its member, the only kind app auth manages), admin added as an owner, and the roster's state from an earlier up. */
  const earlierUp = async () => {
    const app = t.asApp(["chat.app.spaces.create", "chat.app.memberships"]);
    const s = (await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Bot", customer: "customers/my_customer" } })).data.name!;
    await t.control.addMember(s, "admin@example.com", "ROLE_MANAGER");
    const roster = rosterInputs("bot-members", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] });
    const bot = membershipInputs("bot", { space: s, chatApp: true });
    const asApp0 = await deployment("127.0.0.1:40001").process({ app: true });
    await asApp0.rosters.check({}, roster);
    const { outs } = await asApp0.rosters.create(roster);
    return { s, roster, bot, outs: outs as ChatSpaceMembersOutputs };
  };

  it("the ChatMembership checked after the roster passes: the roster keeps every Chat app, so it removes no member the ChatMembership declares", async () => {
    const { s, roster, bot, outs } = await earlierUp();
    const appMember = outs.members.find((m) => m.memberType === "BOT")?.member;
    const up = deployment("127.0.0.1:40002");
    const [asApp, asAdmin] = [await up.process({ app: true }), await up.process()];
    assert.deepEqual(await asApp.rosters.check(roster, roster), { inputs: roster });
    const diff = await asApp.rosters.diff(s, outs, roster);
    assert.equal(diff.changes, false, `the roster removes nobody; its log: ${asApp.logs.join(" | ")} (app member in state: ${appMember})`);
    assert.deepEqual(await asAdmin.memberships.check({}, bot), { inputs: bot }, "the ChatMembership of the app, which the roster keeps, passes check");
  });

  it("the roster checked after the ChatMembership passes too, and its diff removes nobody", async () => {
    const { s, roster, bot, outs } = await earlierUp();
    const up = deployment("127.0.0.1:40002");
    const [asApp, asAdmin] = [await up.process({ app: true }), await up.process()];
    assert.deepEqual(await asAdmin.memberships.check({}, bot), { inputs: bot });
    assert.deepEqual(await asApp.rosters.check(roster, roster), { inputs: roster });
    assert.equal((await asApp.rosters.diff(s, outs, roster)).changes, false);
  });
});
