/**
 * `pulumi up --refresh`: a member a roster declares by `users/{id}`, not in the saved state, who
 * joins in Chat at a higher role between the preview's refresh and the update's. The preview
 * (its refresh did not list him) announced an add; the update's refresh lists him, so its plan
 * starts from a listing where the add is a role change: a demotion its preview never showed. The
 * update keeps his role and says why; the next preview, from the state that records him, announces
 * the change.
 */
import assert from "node:assert/strict";
import { JOINED_AT_ROLE_SINCE } from "../../provider/members/refresh-findings";
import type { ChatSpaceMembersOutputs, RosterMemberArgs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { oneProcess } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

const ADMIN = "users/110000000000000000001";
const BOB = "users/110000000000000000003";
const idOf = (user: string) => user.slice("users/".length);

describe("provider: ChatSpaceMembers under up --refresh, a member declared by users/{id} who joins at a higher role after the preview's refresh", () => {
  const t = useEmulator();
  const admin = () => t.asDelegatedUser("admin@example.com", ["chat.spaces.create", "chat.memberships"]);
  const space = async () => (await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
  const roster = (s: string, members: RosterMemberArgs[]) => rosterInputs("eng-members", { space: s, members });
  const OWNER_ADMIN: RosterMemberArgs = { user: "admin@example.com", role: "ROLE_MANAGER" };

  const deployment = async (s: string, saved: ChatSpaceMembersOutputs, olds: ReturnType<typeof roster>, news: ReturnType<typeof roster>) => {
    const process = await oneProcess(t);
    const refreshed = (await process.rosters.read(s, saved)).props as ChatSpaceMembersOutputs;
    await process.rosters.check(olds, news);
    const diff = await process.rosters.diff(s, refreshed, news);
    return { process, refreshed, diff };
  };

  for (const mode of ["addOnly", "authoritative"] as const) {
    it(`${mode}: the preview announces bob's add; bob joins as ROLE_MANAGER before the update's refresh; the update keeps his role, says why, and the next preview announces the demotion`, async () => {
      const s = await space();
      const old = rosterInputs("eng-members", { space: s, mode, members: [OWNER_ADMIN] });
      const saved = (await (await oneProcess(t)).rosters.create(old)).outs as ChatSpaceMembersOutputs;
      const news = rosterInputs("eng-members", { space: s, mode, members: [OWNER_ADMIN, { user: BOB }] });
      const preview = await deployment(s, saved, old, news);
      assert.deepEqual(preview.diff.detailedDiff, { "members[1]": "add" }, "the preview announces an add, no demotion");
      // Between the preview's refresh and the update's: bob is added in Chat, as an owner.
      await admin().spaces.members.create({ parent: s, requestBody: { member: { name: "users/bob@example.com", type: "HUMAN" } } });
      await admin().spaces.members.patch({ name: `${s}/members/${idOf(BOB)}`, updateMask: "role", requestBody: { role: "ROLE_MANAGER" } });
      const up = await deployment(s, saved, old, news);
      assert.deepEqual(up.diff.detailedDiff, {}, "the update's own diff holds the demotion back: nothing left to change");
      assert.deepEqual(
        up.process.logs.filter((line) => line.includes(BOB)),
        [`ChatSpaceMembers eng-members: = members[1] ${BOB}: role ROLE_MANAGER kept, not ROLE_MEMBER: ${JOINED_AT_ROLE_SINCE}`],
      );
      const mark = await logMark(t);
      const { outs } = await up.process.rosters.update(s, up.refreshed, news);
      const writes = (await apiCalls(t, mark)).filter((c) => !c.startsWith("GET"));
      assert.deepEqual(
        writes.filter((c) => c.startsWith("PATCH")),
        [],
        `no PATCH of bob's role: the preview announced an add. Update diff: ${JSON.stringify(up.diff.detailedDiff)}; log: ${up.process.logs.join(" | ")}`,
      );
      assert.deepEqual(
        (outs as ChatSpaceMembersOutputs).members.map((m) => `${m.member} ${m.role}`),
        [`${ADMIN} ROLE_MANAGER`, `${BOB} ROLE_MANAGER`],
        `bob keeps ROLE_MANAGER: the preview announced an add, not a demotion. Update diff: ${JSON.stringify(up.diff.detailedDiff)}; writes: ${writes.join(", ")}; log: ${up.process.logs.join(" | ")}`,
      );
      // The next preview plans from the state that records him as an owner: it announces the change.
      const next = await oneProcess(t);
      const diff = await next.rosters.diff(s, outs as ChatSpaceMembersOutputs, news);
      assert.deepEqual(diff.detailedDiff, { "members[1]": "update" });
    });
  }
});
