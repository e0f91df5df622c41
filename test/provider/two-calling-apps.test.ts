/**
 * `chatApp: true` is the calling Chat app of the resource's own provider: two provider instances
 * of one deployment whose service account keys belong to two Google Cloud projects call as two
 * Chat apps, so their `users/app` are two members (members/member-ref.ts `callingAppKeyOf`); of one
 * project, or where the credentials don't name it, one member as before.
 */
import assert from "node:assert/strict";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, useDeployments } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

describe("provider: the calling Chat apps of two provider instances", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);
  const space = async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    return (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
  };
  const appsOf = async (s: string) =>
    (await t.control.state()).memberships[s.slice("spaces/".length)]
      .filter((m) => m.type === "BOT")
      .map((m) => m.memberName)
      .sort();
  /** A space where the default provider (admin, the emulator project's key) added its app, as a ChatMembership of the first deployment. */
  const withMyApp = async () => {
    const s = await space();
    const byDefault = await deployment("127.0.0.1:40001").process();
    const mine = membershipInputs("bot", { space: s, chatApp: true });
    assert.deepEqual(await byDefault.memberships.check({}, mine), { inputs: mine });
    const { id, outs } = await byDefault.memberships.create(mine);
    return { s, id, outs: outs as ChatMembershipOutputs };
  };

  it("two ChatMemberships of chatApp: true under providers whose keys are of two projects pass check, with no call", async () => {
    const s = await space();
    const other = await t.control.serviceAccount({ name: "other-app", project: "other-project" });
    const up = deployment();
    const [byDefault, byOther] = [await up.process(), await up.process({ key: other })];
    const mine = membershipInputs("bot", { space: s, chatApp: true });
    const theirs = membershipInputs("other-bot", { space: s, chatApp: true });
    const mark = await logMark(t);
    assert.deepEqual(await byDefault.memberships.check({}, mine), { inputs: mine });
    assert.deepEqual(await byOther.memberships.check({}, theirs), { inputs: theirs });
    assert.deepEqual(await apiCalls(t, mark), []);
  });

  it("two ChatMemberships of chatApp: true under providers whose keys are of one project (one Chat app) are one member declared twice", async () => {
    const s = await space();
    const sameProject = await t.control.serviceAccount({ name: "second-account" });
    const up = deployment();
    const [byDefault, bySecond] = [await up.process(), await up.process({ key: sameProject })];
    const mine = membershipInputs("bot", { space: s, chatApp: true });
    const theirs = membershipInputs("other-bot", { space: s, chatApp: true });
    assert.deepEqual(await byDefault.memberships.check({}, mine), { inputs: mine });
    assert.deepEqual(await bySecond.memberships.check({}, theirs), {
      failures: [
        {
          property: "chatApp",
          reason:
            `users/app (project emulator-project) is also declared by ChatMembership bot in ${s}: a member is declared once, or the two would undo each other. ` +
            "Remove one of the two declarations: the member stays in the space, held by the other.",
        },
      ],
    });
  });

  it("a ChatMembership of the default provider's app, dropped beside a roster of another project's provider declaring its own app: the delete removes it", async () => {
    const { s, id, outs } = await withMyApp();
    const other = await t.control.serviceAccount({ name: "other-app", project: "other-project" });
    const second = deployment("127.0.0.1:40002");
    const [byDefault, byOther] = [await second.process(), await second.process({ key: other })];
    const roster = rosterInputs("eng-members", { space: s, members: [{ chatApp: true }], mode: "addOnly" });
    assert.deepEqual(await byOther.rosters.check({}, roster), { inputs: roster });
    await byOther.rosters.create(roster);
    const theirApp = (await appsOf(s)).find((app) => app !== outs.member)!;
    const mark = await logMark(t);
    await byDefault.memberships.delete(id, outs);
    assert.deepEqual(await apiCalls(t, mark), [
      `GET /v1/${s}/members/admin%40example.com 200`,
      `DELETE /v1/${s}/members/${outs.member.slice("users/".length)} 200`,
    ]);
    assert.deepEqual(byDefault.logs, []);
    assert.deepEqual(await appsOf(s), [theirApp]);
  });

  it("a ChatMembership of the default provider's app, dropped while a provider instance acts as another project's app (app authentication): the delete removes it", async () => {
    const { s, id, outs } = await withMyApp();
    const other = await t.control.serviceAccount({ name: "other-app", project: "other-project" });
    const second = deployment("127.0.0.1:40002");
    const [byDefault] = [await second.process(), await second.process({ key: other, app: true })];
    const mark = await logMark(t);
    await byDefault.memberships.delete(id, outs);
    assert.deepEqual(await apiCalls(t, mark), [
      `GET /v1/${s}/members/admin%40example.com 200`,
      `DELETE /v1/${s}/members/${outs.member.slice("users/".length)} 200`,
    ]);
    assert.deepEqual(byDefault.logs, []);
    assert.deepEqual(await appsOf(s), []);
  });

  it("a ChatMembership of the default provider's app, dropped while a provider instance acts as the same project's app (app authentication): the app stays", async () => {
    const { s, id, outs } = await withMyApp();
    const sameProject = await t.control.serviceAccount({ name: "second-account" });
    const second = deployment("127.0.0.1:40002");
    const [byDefault] = [await second.process(), await second.process({ key: sameProject, app: true })];
    await byDefault.memberships.delete(id, outs);
    assert.deepEqual(byDefault.logs, [
      `ChatMembership ${outs.member} in ${s}: ${outs.member} stays in ${s}: it is a Chat app, and another provider instance of this deployment acts as the calling Chat app ` +
        "(app authentication), which may be this one: that provider never removes its own membership (it would lose sight of the space and of every later change).",
    ]);
    assert.deepEqual(await appsOf(s), [outs.member]);
  });
});
