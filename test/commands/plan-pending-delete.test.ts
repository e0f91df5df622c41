/**
 * plan-pending-delete: a replacement made its new resource, and the old one's delete failed; the
 * old one stays in the state pending deletion (apitype `ResourceV3.Delete`). The next preview
 * plans its delete (step_generator.go `GenerateDeletes`: a `delete-replaced` step with no new
 * state) beside this run's step for the new one, under the same URN. The summary tells both
 * changes, each from its own state and log, and never fails on the step without a new state.
 */
import assert from "node:assert/strict";
import type { PreviewStep, ResourceState } from "../../commands/plan/preview-json";
import { summarizePlan } from "../../commands/plan/summary";
import { CHAT_MEMBERSHIP_TYPE, CHAT_SPACE_MEMBERS_TYPE } from "../../sdk";

const [S1, S2] = ["spaces/AAAAold0001", "spaces/AAAAnew0002"];
const [ADMIN, ALICE, BOB] = ["users/110000000000000000001", "users/110000000000000000002", "users/110000000000000000003"];

describe("plan summary: a resource left pending deletion beside its replacement", () => {
  for (const op of ["delete-replaced", "delete"] as const) {
    it(`a ChatMembership (${op}): the old one's delete removes alice from the old space, and the new one's update demotes her, as its line says`, () => {
      const urn = `urn:pulumi:dev::proj::${CHAT_MEMBERSHIP_TYPE}::alice`;
      const state = (space: string, role: string, extra: Partial<ResourceState> = {}): ResourceState => ({
        urn,
        type: CHAT_MEMBERSHIP_TYPE,
        id: `${space}/members/110000000000000000002`,
        inputs: { space, user: "alice@example.com", role },
        outputs: { space, member: ALICE, memberType: "HUMAN", role, state: "JOINED" },
        ...extra,
      });
      const pending: PreviewStep = { op, urn, oldState: state(S1, "ROLE_MANAGER", { delete: true }) };
      const update: PreviewStep = { op: "update", urn, oldState: state(S2, "ROLE_MANAGER"), newState: state(S2, "ROLE_MEMBER") };
      const summary = summarizePlan({
        steps: [pending, update],
        diagnostics: [{ urn, severity: "info", message: `ChatMembership alice: ~ ${ALICE}: role ROLE_MANAGER => ROLE_MEMBER\n` }],
      });
      assert.deepEqual(
        summary.changes.map((c) => ({ action: c.action, loss: c.loss, fields: c.fields })),
        [
          { action: "delete", loss: `removes alice@example.com from ${S1}`, fields: [] },
          { action: "update", loss: undefined, fields: [{ field: "role", from: "ROLE_MANAGER", to: "ROLE_MEMBER" }] },
        ],
      );
    });

    it(`a roster (${op}): the old one's delete removes its members from the old space, and the new one's update removes bob from the new space, without condition`, () => {
      const urn = `urn:pulumi:dev::proj::${CHAT_SPACE_MEMBERS_TYPE}::crew`;
      const members = [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }];
      const state = (space: string, extra: Partial<ResourceState> = {}): ResourceState => ({
        urn,
        type: CHAT_SPACE_MEMBERS_TYPE,
        id: space,
        inputs: { space, members },
        outputs: {
          space,
          members: [
            { member: ADMIN, role: "ROLE_MANAGER", state: "JOINED", memberType: "HUMAN" },
            { member: ALICE, role: "ROLE_MEMBER", state: "JOINED", memberType: "HUMAN" },
            ...(space === S2 ? [{ member: BOB, role: "ROLE_MEMBER", state: "JOINED", memberType: "HUMAN" }] : []),
          ],
          __declared: { "users/admin@example.com": ADMIN, "users/alice@example.com": ALICE },
        },
        ...extra,
      });
      const summary = summarizePlan({
        steps: [
          { op, urn, oldState: state(S1, { delete: true }) },
          { op: "update", urn, oldState: state(S2), newState: state(S2) },
        ],
        diagnostics: [{ urn, severity: "info", message: `ChatSpaceMembers crew: - ${BOB} (ROLE_MEMBER): not declared, removed\n` }],
      });
      assert.deepEqual(
        summary.changes.map((c) => ({ action: c.action, loss: c.loss })),
        [
          {
            action: "delete",
            loss: `removes the members it declared (admin@example.com (ROLE_MANAGER), alice@example.com) from ${S1}, except the calling user and the space's last owner`,
          },
          { action: "update", loss: `removes ${BOB} from ${S2}` },
        ],
      );
    });
  }
});
