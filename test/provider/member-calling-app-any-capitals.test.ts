/**
 * `users/app` names the calling Chat app (v1.d.ts `Schema$User.name`), and a member's key is
 * lower-cased (members/member-ref.ts `memberKeyOf`): `user: "users/APP"` would be keyed as the
 * calling app and matched to it, while a ChatMembership and a roster entry declare that app only
 * as `chatApp: true`. So the check refuses `users/app` as a user in any capitals, naming the
 * property and the fix, with no call.
 */
import assert from "node:assert/strict";
import { checkMembership } from "../../provider/membership/check";
import type { ChatMembershipInputs } from "../../provider/membership/types";
import { checkRoster } from "../../provider/space-members/check";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, membershipProvider } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const S = "spaces/AAA";
const ctx = { auth: "user" as const, now: Date.parse("2026-12-01T00:00:00Z") };
const refusal = (spelling: string) => `${JSON.stringify(spelling)} is the calling Chat app (users/app, in any capitals): declare chatApp: true instead.`;

describe("the calling app's users/app as a user, in any capitals", () => {
  for (const spelling of ["users/app", "users/APP", "users/App"]) {
    it(`${spelling}: refused for a ChatMembership's user and a roster entry's user`, () => {
      assert.deepEqual(
        checkMembership({ space: S, user: spelling } as ChatMembershipInputs, ctx).map((f) => `${f.property} ${f.reason}`),
        [`user ${refusal(spelling)}`],
      );
      assert.deepEqual(
        checkRoster({ space: S, members: [{ user: "alice@example.com" }, { user: spelling }] }, ctx).map((f) => `${f.property} ${f.reason}`),
        [`members[1].user ${refusal(spelling)}`],
      );
    });
  }

  describe("through the providers' check", () => {
    const t = useEmulator();

    it("refuses users/APP with no API call, under user and app authentication", async () => {
      for (const app of [false, true]) {
        const { provider: membership } = await membershipProvider(t, { app });
        const { provider: roster } = await spaceMembersProvider(t, { app });
        const mark = await logMark(t);
        const one = await membership.check({}, membershipInputs("bot", { space: S, user: "users/APP" }));
        const list = await roster.check({}, rosterInputs("eng-members", { space: S, members: [{ user: "users/APP" }], mode: "addOnly" }));
        assert.deepEqual(
          one.failures?.map((f) => `${f.property} ${f.reason}`),
          [`user ${refusal("users/APP")}`],
        );
        assert.deepEqual(
          list.failures?.map((f) => `${f.property} ${f.reason}`),
          [`members[0].user ${refusal("users/APP")}`],
        );
        assert.deepEqual(await apiCalls(t, mark), [], `app auth: ${app}`);
      }
    });
  });
});
