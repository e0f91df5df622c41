/**
 * With app authentication Google lists no invitation (v1.d.ts members.list `showInvited`:
 * "Currently requires user authentication"), so a roster's refresh can't see the state's INVITED
 * members in its listing (space-members/provider.ts `invitedUnlisted`). Kept unread, an invitation
 * withdrawn in Chat would go unnoticed: bob would stay INVITED in the state, no preview would
 * announce his add again, and the declared member would stay out of the space, up after up. So
 * the refresh reads each such member (one members.get): gone (404), dropped; any other failure
 * fails the refresh; still invited, kept (test/provider/space-members.test.ts, "refresh").
 */
import assert from "node:assert/strict";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { type TestEmulator, useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { appSpaceBobInvitable } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const BOB = "users/110000000000000000003";

/** A space the app created, and an addOnly roster under app authentication that left bob (auto-accept off) INVITED. */
async function bobInvited(t: TestEmulator) {
  const s = await appSpaceBobInvitable(t);
  const { provider } = await spaceMembersProvider(t, { app: true });
  const inputs = rosterInputs("eng-members", { space: s, members: [{ user: "bob@example.com" }], mode: "addOnly" });
  const outs = (await provider.create(inputs)).outs as ChatSpaceMembersOutputs;
  assert.deepEqual(
    outs.members.map((m) => `${m.member} ${m.state}`),
    [`${BOB} INVITED`],
  );
  return { s, provider, inputs, outs };
}

const statesOf = (props: ChatSpaceMembersOutputs | undefined) => props?.members.map((m) => `${m.member} ${m.state}`);

describe("roster under app authentication: an invitation withdrawn in Chat", () => {
  const t = useEmulator();

  it("the refresh notices bob is no longer invited, so the next preview announces his add again", async () => {
    const { s, provider, inputs, outs } = await bobInvited(t);
    // The invitation is withdrawn in Chat.
    await t.control.removeMember(s, BOB);
    const mark = await logMark(t);
    const { props } = await provider.read(s, outs);
    const calls = await apiCalls(t, mark);
    const diff = await provider.diff(s, props!, inputs);
    assert.deepEqual(
      diff.detailedDiff,
      { "members[0]": "add" },
      `bob is no longer a member or invitee of the space, yet the refreshed state lists ${JSON.stringify(statesOf(props))} ` +
        `and the next preview plans no add (refresh calls: ${calls.join(", ")})`,
    );
    assert.deepEqual(statesOf(props), []);
    assert.deepEqual(calls, [`GET /v1/${s}/members 200`, `GET /v1/${s}/members/${BOB.slice("users/".length)} 404`]);
  });

  it("an invitation accepted in Chat is read as Google lists it: JOINED, with no second read", async () => {
    const { s, provider, outs } = await bobInvited(t);
    await t.control.acceptInvitation(s, BOB);
    const mark = await logMark(t);
    const { props } = await provider.read(s, outs);
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${s}/members 200`]);
    assert.deepEqual(statesOf(props), [`${BOB} JOINED`]);
  });

  it("a read of the invitation that fails otherwise than 404 fails the refresh (the state is left as it was), naming the member and Google's answer", async () => {
    const { s, provider, outs } = await bobInvited(t);
    await t.control.addFault({ match: { methods: ["spaces.members.get"] }, action: { kind: "error", status: 403 }, count: 1 });
    await assert.rejects(provider.read(s, outs), (error: Error) => {
      assert.match(
        error.message,
        new RegExp(
          `^ChatSpaceMembers ${s}: reading the invitation of ${BOB} to ${s} failed, so this refresh stopped: ` +
            "under app authentication Google lists no invitation, so only that read tells whether it still stands " +
            "\\(withdrawn or declined in Chat, the declared member must be invited again\\)\\. " +
            "Run pulumi refresh again once the read succeeds\\. spaces\\.members\\.get .*failed \\(403 PERMISSION_DENIED",
        ),
      );
      return true;
    });
  });
});
