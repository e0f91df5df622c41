/**
 * roster-pending-removal-announced: an update of a roster drops bob, and its removal of him fails
 * (a partial failure). The state keeps bob's key as declared, his removal pending
 * (space-members/provider.ts `declareAsApplied`), while its inputs no longer name him. A delete of
 * the roster (`pulumi destroy`, or the roster dropped from the program) then removes him, and a
 * replacement's delete of the old roster too: the plan summary must name him, as the provider logs
 * no plan for a delete.
 */
import assert from "node:assert/strict";
import type { ResourceState } from "../../commands/plan/preview-json";
import { summarizePlan } from "../../commands/plan/summary";
import type { SpaceMembersSdkInputs } from "../../provider/space-members/provider";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { CHAT_SPACE_MEMBERS_TYPE } from "../../sdk";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { adminsSpace } from "./membership-helpers";
import { rosterInputs, rosterUrn, spaceMembersProvider } from "./space-members-helpers";

const BOB = "users/110000000000000000003";
const URN = rosterUrn("crew");

describe("provider: a roster whose removal of a member failed, then deleted or replaced", () => {
  const t = useEmulator();

  /** The state the failed update left: bob dropped from the inputs, his key kept as declared. */
  async function bobsRemovalFailed(): Promise<{ space: string; inputs: Record<string, unknown>; outputs: ChatSpaceMembersOutputs }> {
    const space = await adminsSpace(t);
    const admin = { user: "admin@example.com", role: "ROLE_MANAGER" as const };
    const first = rosterInputs("crew", { space, members: [admin, { user: "alice@example.com" }, { user: "bob@example.com" }] });
    const { provider } = await spaceMembersProvider(t);
    await provider.check({} as SpaceMembersSdkInputs, first);
    const outs = (await provider.create(first)).outs as ChatSpaceMembersOutputs;
    const news = rosterInputs("crew", { space, members: [admin, { user: "alice@example.com" }] });
    const { provider: up } = await spaceMembersProvider(t);
    await up.diff(space, outs, news);
    await t.control.addFault({
      match: { methods: ["spaces.members.delete"] },
      action: { kind: "error", status: 403, message: "The caller does not have permission" },
      count: 1,
    });
    const failed = await up.update(space, outs, news).then(
      () => assert.fail("the update succeeded"),
      (error: { properties: ChatSpaceMembersOutputs }) => error,
    );
    assert.ok(Object.keys(failed.properties.__declared ?? {}).includes("users/bob@example.com"), "bob's removal is pending in the state");
    const { __urn: _urn, ...inputs } = news;
    return { space, inputs, outputs: failed.properties };
  }

  for (const op of ["delete", "replace"] as const)
    it(`the plan summary of its ${op} names bob, whom the old roster's delete removes`, async () => {
      const { space, inputs, outputs } = await bobsRemovalFailed();
      const oldState: ResourceState = { urn: URN, type: CHAT_SPACE_MEMBERS_TYPE, id: space, inputs, outputs: outputs as unknown as Record<string, unknown> };
      const step = op === "delete" ? { op, urn: URN, oldState } : { op, urn: URN, oldState, newState: { urn: URN, type: CHAT_SPACE_MEMBERS_TYPE, inputs } };
      const [change] = summarizePlan({ steps: [step] }).changes;
      // The replacement declares admin and alice: they stay (claims.ts), and only bob leaves.
      const pendingBob = "bob@example.com, whose removal an earlier update left pending";
      const declared = op === "delete" ? `admin@example.com (ROLE_MANAGER), alice@example.com; and ${pendingBob}` : pendingBob;
      assert.equal(
        change.loss,
        `removes the members it declared (${declared}) from ${space}, except the calling user and the space's last owner` +
          (op === "replace" ? `, then adds the declared members to ${space}` : ""),
      );
      if (op === "replace") return;
      const { provider } = await spaceMembersProvider(t);
      const mark = await logMark(t);
      await provider.delete(space, outputs);
      assert.ok((await apiCalls(t, mark)).includes(`DELETE /v1/${space}/members/${BOB.slice("users/".length)} 200`), "bob removed, as the summary says");
    });
});
