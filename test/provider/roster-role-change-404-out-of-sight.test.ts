/**
 * A roster's role change answered 404 Not Found: Google answers so for a membership removed in
 * Chat, and for any membership of a space the credentials no longer see (the calling user was
 * removed from it). Only the second read, of the space, tells them apart (members/member-provider.ts
 * `meaningOf404`, as a ChatMembership's role change and every removal confirm a 404). Unconfirmed, the
 * member must stay in the roster's state and the error must not say she was removed.
 */
import assert from "node:assert/strict";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { oneProcess } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

const ADMIN = "users/110000000000000000001";
const ALICE = "users/110000000000000000002";
const BOB = "users/110000000000000000003";

describe("provider: a roster's promotion answered 404 after the calling user lost sight of the space", () => {
  const t = useEmulator();
  const admin = () => t.asDelegatedUser("admin@example.com", ["chat.spaces.create", "chat.memberships"]);

  it("bob is still a member: the roster's state keeps him, and the error does not say he was removed in Chat", async () => {
    const s = (await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
    const declared = (bobRole?: "ROLE_MANAGER") =>
      rosterInputs("eng-members", {
        space: s,
        mode: "addOnly",
        members: [
          { user: "admin@example.com", role: "ROLE_MANAGER" },
          { user: "alice@example.com", role: "ROLE_MANAGER" },
          { user: "bob@example.com", role: bobRole },
        ],
      });
    const first = await oneProcess(t);
    await first.rosters.check({}, declared());
    const saved = (await first.rosters.create(declared())).outs as ChatSpaceMembersOutputs;
    assert.deepEqual(
      saved.members.map((m) => `${m.member} ${m.role}`),
      [`${ADMIN} ROLE_MANAGER`, `${ALICE} ROLE_MANAGER`, `${BOB} ROLE_MEMBER`],
    );
    // admin, the calling user, is removed from the space in Chat (alice, an owner, stays): admin no longer sees it.
    await t.control.removeMember(s, ADMIN);

    const up = await oneProcess(t);
    await up.rosters.check(declared(), declared("ROLE_MANAGER"));
    assert.deepEqual((await up.rosters.diff(s, saved, declared("ROLE_MANAGER"))).detailedDiff, { "members[2]": "update" });
    const mark = await logMark(t);
    const error = await up.rosters.update(s, saved, declared("ROLE_MANAGER")).then(
      () => undefined,
      (e: Error & { properties?: ChatSpaceMembersOutputs }) => e,
    );
    const calls = await apiCalls(t, mark);
    assert.ok(error, "the promotion can't succeed: admin no longer sees the space");
    const inState = error.properties?.members.map((m) => m.member) ?? [];
    assert.ok(
      inState.includes(BOB),
      `bob, still a member of ${s}, left the roster's state on an unconfirmed 404 (state: ${inState.join(", ")}); calls: ${calls.join(", ")}; error: ${error.message}`,
    );
    assert.deepEqual(calls, [`PATCH /v1/${s}/members/${BOB.slice("users/".length)} role 404`, `GET /v1/${s} 404`]);
    assert.equal(
      error.message,
      `ChatSpaceMembers eng-members: Google answers 404 Not Found for ${BOB}'s membership of ${s}, and these credentials no longer see the space ` +
        "(the caller was removed from it, or googlechat:impersonateUser names another user): whether it is still a member can't be told, " +
        "so its role was not changed. Restore the caller's access to the space, then pulumi up again.",
    );
  });
});
