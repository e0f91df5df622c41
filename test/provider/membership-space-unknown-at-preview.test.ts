/**
 * A ChatMembership whose `space` is another resource's output unknown at preview (`space:
 * eng.name` while the space changes in place) previews a replacement; at the up the space is
 * known, the same, and the engine's diff an update, which gives the member her declared role. So
 * the preview says that role change too (membership/diff.ts `roleChange.sameAtUp`), in its log: a
 * dynamic provider passes no detailed diff to the engine.
 */
import assert from "node:assert/strict";
import { UNKNOWN } from "../../provider/core/engine-values";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import { useEmulator } from "../helpers/emulator";
import { adminsSpaceWithAlice, membershipInputs, membershipProvider } from "./membership-helpers";

const ALICE = "users/110000000000000000002";

describe("provider: a ChatMembership whose space is unknown at preview", () => {
  const t = useEmulator();

  it("membership-space-unknown-same-space-role: previews the replacement and the demotion the up makes if the space is the same (alice, made owner in Chat, declared a member)", async () => {
    const s = await adminsSpaceWithAlice(t, "ROLE_MEMBER");
    const declared = { space: s, user: "alice@example.com", role: "ROLE_MEMBER" as const };
    const made = (await (await membershipProvider(t)).provider.create(membershipInputs("alice", declared))).outs as ChatMembershipOutputs;
    await t.control.setRole(s, ALICE, "ROLE_MANAGER");
    const refreshed = (await (await membershipProvider(t)).provider.read(made.name, made)).props as ChatMembershipOutputs;

    const preview = await membershipProvider(t);
    const unknownSpace = membershipInputs("alice", { ...declared, space: UNKNOWN });
    await preview.provider.check(unknownSpace, unknownSpace);
    const previewed = await preview.provider.diff(made.name, refreshed, unknownSpace);
    assert.deepEqual(previewed.replaces, ["space"]);
    assert.deepEqual(preview.logs, [
      `ChatMembership alice: ~ ${ALICE}: role ROLE_MANAGER => ROLE_MEMBER unless the space is another than ${s} at up (known only then)`,
    ]);

    // The up: the space known and the same; its update makes the role change the preview said.
    const up = await membershipProvider(t);
    const known = membershipInputs("alice", declared);
    await up.provider.check(known, known);
    assert.deepEqual((await up.provider.diff(made.name, refreshed, known)).replaces, []);
    await up.provider.update(made.name, refreshed, known);
    const live = (await t.control.state()).memberships[s.slice("spaces/".length)].find((m) => m.memberName === ALICE);
    assert.equal(live?.role, "ROLE_MEMBER");
  });
});
