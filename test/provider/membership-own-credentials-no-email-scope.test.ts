/**
 * A ChatMembership of the calling user, recorded as hers (`__caller`), under a user's own
 * credentials that later lose the email scope (a sign-in again with `--scopes` that leaves it
 * out). The README promises that without the email scope "a change that removes or demotes people
 * stops at preview, naming the scope to add": nothing else depends on who the caller is. But the
 * preview asks who she is for every diff of a membership that records a caller
 * (membership/provider.ts `isCallersOwn` calls `callerUser`, which rejects without the scope,
 * where `callerOf` uses `callerUserOrUnknown`): the diff of a declaration that changes nothing
 * fails, so every preview of the stack fails until the scope is given back.
 */
import assert from "node:assert/strict";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, membershipProvider } from "./membership-helpers";

const MEMBERSHIPS = "https://www.googleapis.com/auth/chat.memberships";
const EMAIL = "https://www.googleapis.com/auth/userinfo.email";

describe("a ChatMembership recorded as the caller's, her own credentials without the email scope", () => {
  const t = useEmulator();

  it("a preview of the unchanged declaration changes nothing and does not fail", async () => {
    const alice = t.asDelegatedUser("alice@example.com", ["chat.spaces.create"]);
    const s = (await alice.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Alice's" } })).data.name!;
    const own = await t.control.authorizedUser("alice@example.com", [MEMBERSHIPS, EMAIL]);
    const options = { app: true, config: { "googlechat:credentials": JSON.stringify(own) } };
    const declared = membershipInputs("alice", { space: s, user: "alice@example.com", role: "ROLE_MANAGER" });
    const { provider: first } = await membershipProvider(t, options);
    const { id, outs } = await first.create(declared);
    assert.equal((outs as { __caller?: string }).__caller, "alice@example.com");
    // Signed in again without the email scope: other credentials (this process learnt nothing of them).
    await t.control.setSettings({ usersWithoutEmailScope: ["alice@example.com"] });
    const again = await t.control.authorizedUser("alice@example.com", [MEMBERSHIPS]);
    const { provider, logs } = await membershipProvider(t, { app: true, config: { "googlechat:credentials": JSON.stringify(again) } });
    const mark = await logMark(t);
    let failure = "";
    const diff = await provider.diff(id, outs as never, declared).catch((e: Error) => void (failure = e.message));
    assert.equal(failure, "", `the preview of an unchanged ChatMembership failed (calls: ${(await apiCalls(t, mark)).join("; ")}; log: ${logs.join(" | ")})`);
    assert.equal(diff?.changes, false);
  });
});
