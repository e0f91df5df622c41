/**
 * A ChatMembership's delete, its state recording the caller's email (`__caller`) that now names
 * another person who is in a space of her own, where spaces.list is refused (credentials without
 * chat.spaces.readonly): her users/{id} can't be learnt (caller.ts `CallerIds.idOf` answers ""),
 * so members/member-provider.ts `isOwnMembership` lets the record decide the delete's 404 (she
 * can't see the former holder's space) as "gone"; but the delete stops at its owners listing (404) first.
 */
import assert from "node:assert/strict";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { addressGivenToNewAdmin, alicesSpaceWithAdmin, membershipInputs, membershipProvider } from "./membership-helpers";

describe("a recorded caller's delete 404 where her id can't be learnt", () => {
  const t = useEmulator();

  it("the delete of the former holder's membership is not counted done while she is still a member", async () => {
    const s = await alicesSpaceWithAdmin(t, "ROLE_MEMBER");
    const { provider: first } = await membershipProvider(t);
    const { id, outs } = await first.create(membershipInputs("former-admin", { space: s, user: "users/110000000000000000001" }));
    await addressGivenToNewAdmin(t);
    const newAdmin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    await newAdmin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "The new admin's" } });
    // Her credentials can't list spaces (no chat.spaces.readonly).
    await t.control.addFault({
      match: { methods: ["spaces.list"] },
      action: { kind: "error", status: 403, message: "Request had insufficient authentication scopes." },
      count: 10,
    });
    const { provider, logs } = await membershipProvider(t);
    const mark = await logMark(t);
    let failed = false;
    await provider.delete(id, outs as never).catch(() => void (failed = true));
    const calls = await apiCalls(t, mark);
    const stillMember = (await t.control.state()).memberships[s.slice("spaces/".length)].some((m) => m.memberName === "users/110000000000000000001");
    assert.ok(
      failed || !stillMember,
      `the delete resolved and the former admin is still a member of ${s} (calls: ${calls.join("; ")}; log: ${logs.join(" | ")})`,
    );
  });
});
