/**
 * A ChatMembership's refresh reads its one membership by name (members.get), which app
 * authentication may call and which answers invitations, unlike members.list under app
 * authentication (v1.d.ts `showInvited`: "Currently requires user authentication"). So it has no
 * blind spot for an invitation withdrawn in Chat: the read meets 404, the space is still visible,
 * and the membership leaves the stack, for the next up to invite the member again.
 */
import assert from "node:assert/strict";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { appSpaceBobInvitable, membershipInputs, membershipProvider } from "./membership-helpers";

const BOB = "users/110000000000000000003";

describe("membership under app authentication: an invitation withdrawn in Chat", () => {
  const t = useEmulator();

  it("the refresh reads bob's invitation by name: still invited, kept; withdrawn (404), gone from the stack", async () => {
    const s = await appSpaceBobInvitable(t);
    const { provider } = await membershipProvider(t, { app: true });
    const { id, outs } = await provider.create(membershipInputs("bob", { space: s, user: "bob@example.com" }));
    assert.equal((outs as ChatMembershipOutputs).state, "INVITED");

    const standing = await provider.read(id, outs as ChatMembershipOutputs);
    assert.equal(standing.id, id);
    assert.equal(standing.props?.state, "INVITED");

    await t.control.removeMember(s, BOB);
    const mark = await logMark(t);
    assert.deepEqual(await provider.read(id, outs as ChatMembershipOutputs), { id: "" });
    assert.deepEqual(await apiCalls(t, mark), [`GET /v1/${id} 404`, `GET /v1/${s} 200`]);
  });
});
