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
import { CHAT_MEMBERSHIP_TYPE, CHAT_SPACE_MEMBERS_TYPE, CHAT_SPACE_TYPE } from "../../sdk";

const [S0, S1, S2] = ["spaces/AAAApend0000", "spaces/AAAAold0001", "spaces/AAAAnew0002"];
const spaceUrn = `urn:pulumi:dev::proj::${CHAT_SPACE_TYPE}::eng`;

/** ChatSpace `eng` as a state holds it: the space `id`, named `displayName`. */
const space = (id: string, displayName: string, extra: Partial<ResourceState> = {}): ResourceState => ({
  urn: spaceUrn,
  type: CHAT_SPACE_TYPE,
  id,
  inputs: { displayName },
  outputs: { name: id, displayName },
  ...extra,
});
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

  it("a ChatMembership pending deletion since an earlier update, replaced again in this one: both old halves' removals are said", () => {
    const urn = `urn:pulumi:dev::proj::${CHAT_MEMBERSHIP_TYPE}::alice`;
    const state = (space: string, extra: Partial<ResourceState> = {}): ResourceState => ({
      urn,
      type: CHAT_MEMBERSHIP_TYPE,
      id: `${space}/members/110000000000000000002`,
      inputs: { space, user: "alice@example.com" },
      outputs: { space, member: ALICE, memberType: "HUMAN", role: "ROLE_MEMBER", state: "JOINED" },
      ...extra,
    });
    const next: ResourceState = {
      urn,
      type: CHAT_MEMBERSHIP_TYPE,
      inputs: { space: S2, user: "alice@example.com" },
      outputs: { space: S2, user: "alice@example.com" },
    };
    // The engine marks this run's old half pending deletion too (step.go `CreateStep.Apply`), and deletes both (step_generator.go `GenerateDeletes`).
    const summary = summarizePlan({
      steps: [
        { op: "create-replacement", urn, oldState: state(S1), newState: next },
        { op: "replace", urn, oldState: state(S1), newState: next },
        { op: "delete-replaced", urn, oldState: state(S1, { delete: true }) },
        { op: "delete-replaced", urn, oldState: state(S0, { delete: true }) },
      ],
    });
    assert.deepEqual(
      summary.changes.map((c) => ({ action: c.action, loss: c.loss })),
      [
        { action: "delete", loss: `removes alice@example.com from ${S0}` },
        { action: "replace", loss: `removes alice@example.com from ${S1}, then adds alice@example.com to ${S2}` },
      ],
    );
  });

  it("a ChatSpace and its ChatMembership pending deletion beside the live ones: each is named by its own space, not its URN's live one", () => {
    const membershipUrn = `urn:pulumi:dev::proj::${CHAT_MEMBERSHIP_TYPE}::carol`;
    const carol = (id: string, extra: Partial<ResourceState> = {}): ResourceState => ({
      urn: membershipUrn,
      type: CHAT_MEMBERSHIP_TYPE,
      id: `${id}/members/4`,
      inputs: { space: id, user: "carol@example.com" },
      outputs: { space: id, member: "users/4" },
      propertyDependencies: { space: [spaceUrn] },
      ...extra,
    });
    const summary = summarizePlan({
      steps: [
        { op: "same", urn: spaceUrn, oldState: space(S1, "Eng"), newState: space(S1, "Eng") },
        { op: "same", urn: membershipUrn, oldState: carol(S1), newState: carol(S1) },
        { op: "delete-replaced", urn: membershipUrn, oldState: carol(S0, { delete: true }) },
        { op: "delete-replaced", urn: spaceUrn, oldState: space(S0, "Old Eng", { delete: true }) },
      ],
    });
    assert.deepEqual(
      summary.changes.map((c) => ({ subject: c.subject, loss: c.loss })),
      [
        { subject: `"Old Eng" (${S0})`, loss: "deletes the space and all its messages" },
        { subject: `carol@example.com in "Old Eng" (${S0})`, loss: `removes carol@example.com from "Old Eng" (${S0})` },
      ],
    );
  });

  it("up --refresh: the refresh step of a space pending deletion, listed first, does not name its URN's live space", () => {
    const membershipUrn = `urn:pulumi:dev::proj::${CHAT_MEMBERSHIP_TYPE}::alice`;
    const alice: ResourceState = {
      urn: membershipUrn,
      type: CHAT_MEMBERSHIP_TYPE,
      id: `${S1}/members/2`,
      inputs: { space: S1, user: "alice@example.com" },
      outputs: { space: S1, member: ALICE },
      propertyDependencies: { space: [spaceUrn] },
    };
    const summary = summarizePlan({
      steps: [
        { op: "refresh", urn: spaceUrn, oldState: space(S0, "Old Eng", { delete: true }), newState: space(S0, "Old Eng", { delete: true }) },
        { op: "refresh", urn: spaceUrn, oldState: space(S1, "Eng"), newState: space(S1, "Eng") },
        { op: "delete-replaced", urn: spaceUrn, oldState: space(S0, "Old Eng", { delete: true }) },
        { op: "update", urn: spaceUrn, oldState: space(S1, "Eng"), newState: space(S1, "Eng2") },
        { op: "delete", urn: membershipUrn, oldState: alice },
      ],
    });
    assert.deepEqual(
      summary.changes.map((c) => c.loss ?? c.subject),
      ["deletes the space and all its messages", `removes alice@example.com from "Eng" (${S1})`, `"Eng" (${S1})`],
    );
    assert.equal(summary.changes[0].subject, `"Old Eng" (${S0})`);
  });
});
