/**
 * An update records the calling principal it acts as, whether or not it removes anyone: a roster
 * moved to another calling user, or to the Chat app, whose first up there removes nobody no
 * longer keeps the former caller as "the calling user this roster's state records" ups later.
 */
import assert from "node:assert/strict";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { useDeployments } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

const [ADMIN, BOB] = ["users/110000000000000000001", "users/110000000000000000003"];

describe("provider: a roster moved to bob's provider whose first up there removes nobody", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);

  it("records bob as its caller: dropping admin ups later is announced as a removal, not kept again", async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
    await t.control.addMember(s, "bob@example.com", "ROLE_MANAGER");
    const a = { user: "admin@example.com", role: "ROLE_MANAGER" as const };
    const b = { user: "bob@example.com", role: "ROLE_MANAGER" as const };
    const both = rosterInputs("eng-members", { space: s, members: [a, b] });
    const first = await deployment("127.0.0.1:40001").process();
    assert.deepEqual(await first.rosters.check({}, both), { inputs: both });
    const { outs: o1 } = await first.rosters.create(both);
    const withAlice = rosterInputs("eng-members", { space: s, members: [a, b, { user: "alice@example.com" }] });
    const moving = await deployment("127.0.0.1:40002").process({ user: "bob@example.com" });
    assert.deepEqual(await moving.rosters.check(both, withAlice), { inputs: withAlice });
    await moving.rosters.diff(s, o1 as ChatSpaceMembersOutputs, withAlice);
    const { outs: o2 } = await moving.rosters.update(s, o1 as ChatSpaceMembersOutputs, withAlice);
    const dropped = rosterInputs("eng-members", { space: s, members: [b, { user: "alice@example.com" }] });
    const later = await deployment("127.0.0.1:40003").process({ user: "bob@example.com" });
    assert.deepEqual(await later.rosters.check(withAlice, dropped), { inputs: dropped });
    const planned = await later.rosters.diff(s, o2 as ChatSpaceMembersOutputs, dropped);
    assert.deepEqual(planned.detailedDiff, { [`members["${ADMIN}"]`]: "delete" });
  });
});

describe("provider: a roster moved to app authentication whose first up there removes nobody", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);
  const humans = async (s: string) =>
    (await t.control.state()).memberships[s.slice("spaces/".length)]
      .filter((m) => m.memberName.startsWith("users/11"))
      .map((m) => m.memberName)
      .sort();

  it("records no calling user: dropping admin ups later is announced as a removal, and made, not kept again", async () => {
    const s = (
      await t.asApp(["chat.app.spaces.create"]).spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng", customer: "customers/my_customer" } })
    ).data.name!;
    await t.control.addMember(s, "admin@example.com", "ROLE_MANAGER");
    await t.control.addMember(s, "bob@example.com", "ROLE_MANAGER");
    const both = rosterInputs("eng-members", {
      space: s,
      members: [
        { user: "admin@example.com", role: "ROLE_MANAGER" },
        { user: "bob@example.com", role: "ROLE_MANAGER" },
      ],
    });
    // Written by the default provider (admin).
    const first = await deployment("127.0.0.1:40001").process();
    assert.deepEqual(await first.rosters.check({}, both), { inputs: both });
    const { outs: o1 } = await first.rosters.create(both);
    assert.deepEqual((o1 as ChatSpaceMembersOutputs).__caller, { user: "admin@example.com", member: ADMIN });
    // Moved to the app's provider, adding alice: removes and demotes nobody.
    const withAlice = rosterInputs("eng-members", { space: s, members: [...(both.members as object[]), { user: "alice@example.com" }] as never });
    const moving = await deployment("127.0.0.1:40002").process({ app: true });
    assert.deepEqual(await moving.rosters.check(both, withAlice), { inputs: withAlice });
    await moving.rosters.diff(s, o1 as ChatSpaceMembersOutputs, withAlice);
    const { outs: o2 } = await moving.rosters.update(s, o1 as ChatSpaceMembersOutputs, withAlice);
    // Several ups later (still under the app), admin is dropped.
    const bobAndAlice = rosterInputs("eng-members", { space: s, members: (withAlice.members as object[]).slice(1) as never });
    const later = await deployment("127.0.0.1:40003").process({ app: true });
    assert.deepEqual(await later.rosters.check(withAlice, bobAndAlice), { inputs: bobAndAlice });
    const planned = await later.rosters.diff(s, o2 as ChatSpaceMembersOutputs, bobAndAlice);
    assert.deepEqual(
      later.logs.filter((l) => l.includes(ADMIN)),
      [`ChatSpaceMembers eng-members: - ${ADMIN} (ROLE_MANAGER): not declared, removed`],
    );
    assert.deepEqual(planned.detailedDiff, { [`members["${ADMIN}"]`]: "delete" });
    await later.rosters.update(s, o2 as ChatSpaceMembersOutputs, bobAndAlice);
    assert.ok(!(await humans(s)).includes(ADMIN), "admin removed in the up whose preview announced it");
    assert.ok((await humans(s)).includes(BOB));
  });
});
