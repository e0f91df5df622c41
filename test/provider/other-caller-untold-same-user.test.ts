/**
 * Two provider instances acting as the same user, alice (say an explicit provider with the
 * same googlechat:impersonateUser as the default one). An authoritative roster of one, checked
 * first, and a ChatMembership of alice's own users/{id} of the other, in a space alice is no
 * member of (she is a member of another space, so spaces.list tells her id). The roster never
 * removes its caller, so the program is valid, and the ChatMembership's process, acting as alice
 * itself, can tell her id as the roster's own process would (spaces.list lists its caller's spaces,
 * hers): its check passes, and the roster's process decides before its write.
 */
import assert from "node:assert/strict";
import { useEmulator } from "../helpers/emulator";
import { membershipInputs, useDeployments } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

const ALICE = "users/110000000000000000002";

describe("provider: a ChatMembership of alice beside an authoritative roster of another instance also acting as alice", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);

  it("passes check, as it does where one instance serves both", async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
    const other = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Other" } })).data.name!;
    await t.control.addMember(other, "alice@example.com", "ROLE_MEMBER");
    const roster = rosterInputs("a-roster", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }] });
    const own = membershipInputs("a-alice", { space: s, user: ALICE });

    // One instance serving both: check learns her id from the space spaces.list lists, and passes.
    const one = await deployment("127.0.0.1:40001").process({ user: "alice@example.com" });
    assert.deepEqual(await one.rosters.check({}, roster), { inputs: roster });
    assert.deepEqual(await one.memberships.check({}, own), { inputs: own });

    // Two instances, both acting as alice.
    const two = deployment("127.0.0.1:40002");
    const first = await two.process({ user: "alice@example.com" });
    const second = await two.process({ user: "alice@example.com" });
    assert.deepEqual(await first.rosters.check({}, roster), { inputs: roster });
    assert.deepEqual(await second.memberships.check({}, own), { inputs: own });
  });
});
