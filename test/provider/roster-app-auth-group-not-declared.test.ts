/**
 * An authoritative roster under app authentication, in a space where a person added a Google
 * Group in Chat. Google lists the group to the app (v1.d.ts members.list `showGroups` names no
 * authentication), so a refresh records it, and the roster does not declare it. But "App
 * authentication is not supported for ... Removing a Google Group from a space" (v1.d.ts
 * members.delete), and check refuses declaring a group under app authentication. So the roster
 * keeps the group, and says so in its preview, as it keeps Chat apps; and its delete, of a roster
 * that declared a group while it was applied as a user, keeps the group and removes the others.
 */
import assert from "node:assert/strict";
import { APP_AUTH_KEEPS_GROUPS, UNNAMED_MEMBERSHIP_KEPT } from "../../provider/members/caller";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const ALICE = "users/110000000000000000002";

describe("provider: a roster under app authentication and a Google Group of its space", () => {
  const t = useEmulator();

  /** A space the app made, admin its owner and alice a member, with the roster's state from an earlier up; then the group added in Chat, and a refresh. */
  const refreshedWithGroup = async () => {
    const app = t.asApp(["chat.app.spaces.create"]);
    const s = (await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Bot", customer: "customers/my_customer" } })).data.name!;
    await t.control.addMember(s, "admin@example.com", "ROLE_MANAGER");
    const declared = rosterInputs("bot-members", {
      space: s,
      members: [
        { user: "admin@example.com", role: "ROLE_MANAGER" },
        { user: "alice@example.com", role: "ROLE_MEMBER" },
      ],
    });
    const { provider: first } = await spaceMembersProvider(t, { app: true });
    const created = (await first.create(declared)).outs as ChatSpaceMembersOutputs;
    await t.control.addMember(s, "groups/devs");
    const { provider: refresh } = await spaceMembersProvider(t, { app: true });
    const refreshed = (await refresh.read(s, created)).props as ChatSpaceMembersOutputs;
    return { s, declared, refreshed };
  };

  it("the refresh records the group: Google lists it to the app", async () => {
    const { refreshed } = await refreshedWithGroup();
    assert.ok(
      refreshed.members.some((m) => m.member === "groups/devs"),
      JSON.stringify(refreshed.members),
    );
  });

  it("its preview keeps the group, which the app can't remove, and the up makes no call for it", async () => {
    const { s, declared, refreshed } = await refreshedWithGroup();
    const { provider: previewing, logs: previewLines } = await spaceMembersProvider(t, { app: true });
    const diff = await previewing.diff(s, refreshed, declared);
    const { provider: updating, logs } = await spaceMembersProvider(t, { app: true });
    await updating.diff(s, refreshed, declared);
    const mark = await logMark(t);
    const failure = await updating.update(s, refreshed, declared).then(
      () => undefined,
      (e: Error) => e.message,
    );
    const calls = await apiCalls(t, mark);
    assert.deepEqual(diff.detailedDiff, {}, `the preview: ${previewLines.join(" | ")}`);
    assert.deepEqual(previewLines, [`ChatSpaceMembers bot-members: = groups/devs: not declared, kept: ${APP_AUTH_KEEPS_GROUPS}`]);
    assert.equal(failure, undefined, `the up: ${logs.join(" | ")}; calls: ${calls.join("; ")}`);
    assert.deepEqual(
      calls.filter((c) => c.startsWith("DELETE")),
      [],
    );
    assert.deepEqual(
      (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => m.memberName).filter((m) => m.startsWith("groups/")),
      ["groups/devs"],
    );
  });

  it("Google listing the group's membership to the app without its group: the refresh keeps it, the preview keeps it, and the up makes no call for it", async () => {
    await t.control.setSettings({ groupsShownToApps: "unnamed" });
    const { s, declared, refreshed } = await refreshedWithGroup();
    const unnamed = refreshed.members.find((m) => m.member === "");
    assert.ok(unnamed, JSON.stringify(refreshed.members));
    const { provider: previewing, logs: previewLines } = await spaceMembersProvider(t, { app: true });
    const diff = await previewing.diff(s, refreshed, declared);
    assert.deepEqual(diff.detailedDiff, {}, previewLines.join(" | "));
    assert.deepEqual(previewLines, [`ChatSpaceMembers bot-members: = ${unnamed.name}: not declared, kept: ${UNNAMED_MEMBERSHIP_KEPT}`]);
    const { provider: updating } = await spaceMembersProvider(t, { app: true });
    await updating.diff(s, refreshed, declared);
    const mark = await logMark(t);
    await updating.update(s, refreshed, declared);
    assert.deepEqual(
      (await apiCalls(t, mark)).filter((c) => !c.startsWith("GET")),
      [],
    );
  });

  it("Google leaving the group's membership out of the app's listing: nothing to keep or remove", async () => {
    await t.control.setSettings({ groupsShownToApps: "hidden" });
    const { s, declared, refreshed } = await refreshedWithGroup();
    assert.deepEqual(
      refreshed.members.map((m) => m.member),
      ["users/110000000000000000001", ALICE],
    );
    const { provider: previewing } = await spaceMembersProvider(t, { app: true });
    assert.deepEqual((await previewing.diff(s, refreshed, declared)).detailedDiff, {});
  });

  it("its delete, the roster having declared the group before (made as a user), keeps the group and removes the others it declared", async () => {
    const app = t.asApp(["chat.app.spaces.create"]);
    const s = (await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Bot", customer: "customers/my_customer" } })).data.name!;
    await t.control.addMember(s, "admin@example.com", "ROLE_MANAGER");
    const { provider: asUser } = await spaceMembersProvider(t);
    const declared = rosterInputs("bot-members", { space: s, mode: "addOnly", members: [{ group: "groups/devs" }, { user: "alice@example.com" }] });
    const outs = (await asUser.create(declared)).outs as ChatSpaceMembersOutputs;
    const { provider, logs } = await spaceMembersProvider(t, { app: true });
    const mark = await logMark(t);
    const failure = await provider.delete(s, outs).then(
      () => undefined,
      (e: Error) => e.message,
    );
    assert.equal(failure, undefined, `calls: ${(await apiCalls(t, mark)).join("; ")}; log: ${logs.join(" | ")}`);
    assert.deepEqual(logs, [`ChatSpaceMembers ${s}: groups/devs stays in ${s}: ${APP_AUTH_KEEPS_GROUPS}.`]);
    const left = (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => m.memberName);
    assert.deepEqual([left.includes("groups/devs"), left.includes(ALICE)], [true, false], `left in the space: ${left.join(", ")}`);
  });
});
