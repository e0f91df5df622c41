/**
 * Adversarial review of memberships across resources: paths the member-claims tests do not walk.
 * Each test states the behaviour the work order asks for; a failing one is a finding.
 */
import assert from "node:assert/strict";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import type { ServiceAccountKey } from "../../emulator";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, membershipProvider, oneProcess } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const ADMIN = "users/110000000000000000001";
const ALICE = "users/110000000000000000002";
const BOB = "users/110000000000000000003";

describe("provider: memberships across resources (review)", () => {
  const t = useEmulator();
  const space = async (displayName = "Eng") => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const { data } = await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName } });
    return data.name!;
  };
  const membersOf = async (name: string) =>
    (await t.control.state()).memberships[name.slice("spaces/".length)].map((m) => `${m.memberName} ${m.role} ${m.state}`);

  it("a roster renamed to an addOnly roster that no longer declares alice: the old roster's delete removes her (no declaration holds her)", async () => {
    const s = await space();
    const { provider: first } = await spaceMembersProvider(t);
    const { outs: old } = await first.create(
      rosterInputs("eng-members", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }, { user: "bob@example.com" }] }),
    );
    // One up: the renamed roster (a new URN) declares admin and bob only, addOnly; the old one is dropped.
    const { rosters, logs } = await oneProcess(t);
    const renamed = rosterInputs("eng-roster", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "bob@example.com" }], mode: "addOnly" });
    assert.deepEqual(await rosters.check({}, renamed), { inputs: renamed });
    await rosters.create(renamed);
    await rosters.delete(s, old as ChatSpaceMembersOutputs);
    // An addOnly roster never removes a member it does not declare, so nothing ever will: she must go now.
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER JOINED`, `${BOB} ROLE_MEMBER JOINED`], logs.join("\n"));
  });

  it("a user's own credentials without the email scope: a ChatMembership create that needs no caller is not failed after its write", async () => {
    const s = await space();
    const key = await t.control.authorizedUser("admin@example.com", ["https://www.googleapis.com/auth/chat.memberships"]);
    await t.control.setSettings({ usersWithoutEmailScope: ["admin@example.com"] });
    const { provider } = await membershipProvider(t, { app: true, key: key as unknown as ServiceAccountKey });
    const mark = await logMark(t);
    const result = await provider.create(membershipInputs("bob", { space: s, user: "bob@example.com" })).catch((e: Error) => e);
    const calls = await apiCalls(t, mark);
    // Either the create needs the caller (then it says so before any write), or it does not (then it succeeds).
    if (result instanceof Error) {
      assert.match(result.message, /userinfo\.email/);
      assert.deepEqual(calls, [], `failed after writing: ${calls.join(", ")}: ${result.message}`);
    } else {
      assert.equal((result.outs as ChatMembershipOutputs).member, BOB);
    }
  });

  it("(the provider's side, passing) a historical ChatMembership replaced for other times: the diff deletes first, and the delete removes it although its new declaration is checked", async () => {
    const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
    const { data } = await importer.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Old", importMode: true, createTime: "2019-01-01T00:00:00Z" } });
    const s = data.name!;
    const declared = { space: s, user: "alice@example.com", createTime: "2019-02-01T00:00:00Z", deleteTime: "2020-01-01T00:00:00Z" };
    const { provider } = await membershipProvider(t);
    const { id, outs } = await provider.create(membershipInputs("alice", declared));
    const { memberships } = await oneProcess(t);
    const next = membershipInputs("alice", { ...declared, createTime: "2019-03-01T00:00:00Z" });
    await memberships.check(membershipInputs("alice", declared), next);
    assert.deepEqual(await memberships.diff(id, outs as ChatMembershipOutputs, next), { changes: true, replaces: ["createTime"], deleteBeforeReplace: true });
    const mark = await logMark(t);
    await memberships.delete(id, outs as ChatMembershipOutputs);
    assert.deepEqual((await apiCalls(t, mark)).filter((c) => c.startsWith("DELETE")), [`DELETE /v1/${id} 200`]);
  });

  it("a removal's 404 whose confirmation (spaces.get) is refused says the removal was not counted as done, and what to do", async () => {
    const s = await space();
    const { provider } = await membershipProvider(t);
    const { id, outs } = await provider.create(membershipInputs("alice", { space: s, user: "alice@example.com" }));
    await t.control.addFault({ match: { methods: ["spaces.members.delete"] }, action: { kind: "error", status: 404, message: "Requested entity was not found." }, count: 1 });
    await t.control.addFault({ match: { methods: ["spaces.get"] }, action: { kind: "error", status: 403, message: "The caller does not have permission" }, count: 1 });
    const { memberships } = await oneProcess(t);
    const error: Error = await memberships.delete(id, outs as ChatMembershipOutputs).then(
      () => assert.fail("counted as done"),
      (e: Error) => e,
    );
    const [said, advice] = error.message.split(" With user authentication");
    assert.equal(
      said,
      `ChatMembership ${ALICE} in ${s}: Google answered 404 Not Found for the membership of ${ALICE}, and reading ${s} to confirm it is gone failed, so its removal is not counted as done: it stays in the stack. ` +
        `spaces.get of ${s} failed (403 PERMISSION_DENIED: The caller does not have permission).`,
    );
    assert.match(advice, /The call asked for the scope https:\/\/www\.googleapis\.com\/auth\/chat\.spaces\.readonly\.$/);
  });
});
