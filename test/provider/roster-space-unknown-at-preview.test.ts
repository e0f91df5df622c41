/**
 * A roster whose `space` is another resource's output unknown at preview (`space: eng.name` while
 * the space changes in place) previews a replacement; at the up the space is known, the same, and
 * the engine's diff is an update. So the preview announces that update's plan too, as possible
 * (space-members/diff.ts `orSameSpace`): the up removes and demotes no one it did not name.
 */
import assert from "node:assert/strict";
import { UNKNOWN } from "../../provider/core/engine-values";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const [ADMIN, ALICE, BOB] = ["users/110000000000000000001", "users/110000000000000000002", "users/110000000000000000003"];

describe("provider: a roster whose space is unknown at preview", () => {
  const t = useEmulator();
  const membersOf = async (s: string) => (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => `${m.memberName} ${m.role}`).sort();
  const members = [
    { user: "admin@example.com", role: "ROLE_MANAGER" as const },
    { user: "alice@example.com", role: "ROLE_MEMBER" as const },
  ];

  it("roster-space-unknown-same-space-plan: previews the replacement and the update the up makes if the space is the same: bob's removal, alice's demotion", async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
    await t.control.addMember(s, BOB);
    // The create keeps bob (it removes no one); alice made an owner in Chat since, and refreshed.
    const made = (await (await spaceMembersProvider(t)).provider.create(rosterInputs("eng-members", { space: s, members }))).outs as ChatSpaceMembersOutputs;
    await t.control.setRole(s, ALICE, "ROLE_MANAGER");
    const outs = (await (await spaceMembersProvider(t)).provider.read(s, made)).props as ChatSpaceMembersOutputs;

    const preview = await spaceMembersProvider(t);
    const unknownSpace = rosterInputs("eng-members", { space: UNKNOWN, members });
    await preview.provider.check(unknownSpace, unknownSpace);
    const previewed = await preview.provider.diff(s, outs, unknownSpace);
    assert.deepEqual(previewed, {
      changes: true,
      replaces: ["space"],
      deleteBeforeReplace: false,
      detailedDiff: { "members[1]": "update", [`members["${BOB}"]`]: "delete", space: "update" },
    });
    assert.deepEqual(preview.logs, [
      `ChatSpaceMembers eng-members: ~ members[1] ${ALICE}: role ROLE_MANAGER => ROLE_MEMBER`,
      `ChatSpaceMembers eng-members: - ${BOB} (ROLE_MEMBER): not declared, removed unless the space is another than ${s} at up (known only then)`,
    ]);

    // The up: the space changed in place, its name the same; the engine's diff is an update, which does what the preview said.
    const up = await spaceMembersProvider(t);
    const known = rosterInputs("eng-members", { space: s, members });
    await up.provider.check(known, known);
    const diff = await up.provider.diff(s, outs, known);
    assert.deepEqual(diff.replaces, []);
    await up.provider.update(s, outs, known);
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER`, `${ALICE} ROLE_MEMBER`]);
  });

  it("roster-space-and-entry-unknown: a removal then names both conditions, the member an unknown entry may be and the space", async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
    await t.control.addMember(s, BOB);
    const outs = (await (await spaceMembersProvider(t)).provider.create(rosterInputs("eng-members", { space: s, members }))).outs as ChatSpaceMembersOutputs;
    const preview = await spaceMembersProvider(t);
    const unknowns = rosterInputs("eng-members", { space: UNKNOWN, members: [members[0], UNKNOWN as never] });
    await preview.provider.check(unknowns, unknowns);
    await preview.provider.diff(s, outs, unknowns);
    assert.ok(
      preview.logs.includes(
        `ChatSpaceMembers eng-members: - ${BOB} (ROLE_MEMBER): not declared, removed unless it is a member known only at up, or the space is another than ${s} at up (known only then)`,
      ),
      preview.logs.join("\n"),
    );
  });

  it("roster-space-known-other-replacement: a replacement into a known other space plans nothing of the old one (its delete removes what it declared)", async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
    const other = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Ops" } })).data.name!;
    await t.control.addMember(s, BOB);
    const outs = (await (await spaceMembersProvider(t)).provider.create(rosterInputs("eng-members", { space: s, members }))).outs as ChatSpaceMembersOutputs;
    const preview = await spaceMembersProvider(t);
    const moved = rosterInputs("eng-members", { space: other, members });
    await preview.provider.check(moved, moved);
    assert.deepEqual(await preview.provider.diff(s, outs, moved), {
      changes: true,
      replaces: ["space"],
      deleteBeforeReplace: false,
      detailedDiff: { space: "update" },
    });
    assert.deepEqual(preview.logs, []);
  });
});
