/**
 * The plan summary of a ChatMembership replaced because its user is unknown at preview, while a
 * roster of the program declares her: the replacement's delete keeps her (the roster holds her),
 * and the up, the user the same, makes an update that demotes her (its provider's line). The
 * summary says both, the update's clause once, with `retainOnDelete` too.
 */
import assert from "node:assert/strict";
import type { PreviewStep, ResourceState } from "../../commands/plan/preview-json";
import { summarizePlan } from "../../commands/plan/summary";
import { UNKNOWN } from "../../provider/core/engine-values";
import { CHAT_MEMBERSHIP_TYPE, CHAT_SPACE_MEMBERS_TYPE } from "../../sdk";

const S = "spaces/AAAAteam001";
const [ADMIN, ALICE] = ["users/110000000000000000001", "users/110000000000000000002"];
const URN = `urn:pulumi:dev::proj::${CHAT_MEMBERSHIP_TYPE}::alice`;
const ROSTER = `urn:pulumi:dev::proj::${CHAT_SPACE_MEMBERS_TYPE}::crew`;
const LINE = `ChatMembership alice: ~ ${ALICE}: role ROLE_MANAGER => ROLE_MEMBER unless the member is another than ${ALICE} at up (known only then)`;
const IF_SAME = "or, if alice@example.com is still its member at up, updates it: alice@example.com: ROLE_MANAGER → ROLE_MEMBER";
const STAYS = `alice@example.com stays in ${S}: ChatSpaceMembers crew declares it`;

function steps(retainOnDelete: boolean): PreviewStep[] {
  const old: ResourceState = {
    urn: URN,
    type: CHAT_MEMBERSHIP_TYPE,
    id: `${S}/members/110000000000000000002`,
    inputs: { space: S, user: "alice@example.com", role: "ROLE_MEMBER" },
    outputs: { space: S, member: ALICE, memberType: "HUMAN", role: "ROLE_MANAGER", state: "JOINED" },
    ...(retainOnDelete ? { retainOnDelete } : {}),
  };
  const declared = { space: S, user: UNKNOWN, role: "ROLE_MEMBER" };
  const roster: ResourceState = {
    urn: ROSTER,
    type: CHAT_SPACE_MEMBERS_TYPE,
    id: S,
    inputs: { space: S, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] },
    outputs: { space: S, members: [], __declared: { "users/admin@example.com": ADMIN, "users/alice@example.com": ALICE } },
  };
  return [
    { op: "same", urn: ROSTER, oldState: roster, newState: roster },
    { op: "replace", urn: URN, oldState: old, newState: { urn: URN, type: CHAT_MEMBERSHIP_TYPE, inputs: declared, outputs: declared } },
  ];
}

describe("plan summary: a ChatMembership whose user is unknown at preview, its member held by a roster", () => {
  it("says she stays, held by the roster, and the demotion the up makes if she is still the member", () => {
    const summary = summarizePlan({ steps: steps(false), diagnostics: [{ urn: URN, severity: "info", message: `${LINE}\n` }] });
    assert.deepEqual(
      summary.changes.map((c) => ({ notes: c.notes, loss: c.loss, ifSameAtUp: c.ifSameAtUp })),
      [{ notes: [STAYS, IF_SAME], loss: undefined, ifSameAtUp: IF_SAME }],
    );
  });

  it("with retainOnDelete: the same, the update's clause said once", () => {
    const summary = summarizePlan({ steps: steps(true), diagnostics: [{ urn: URN, severity: "info", message: `${LINE}\n` }] });
    const [change] = summary.changes;
    assert.deepEqual(change.notes, [STAYS, IF_SAME]);
    assert.ok(!change.loss?.includes(IF_SAME), `said twice: ${change.loss}`);
  });

  it("a createTime undeclared before and unknown at preview: its clause says 'still undeclared'", () => {
    const line = `ChatMembership alice: ~ ${ALICE}: role ROLE_MANAGER => ROLE_MEMBER unless createTime is another than none at up (known only then)`;
    const [, replaced] = steps(false);
    const summary = summarizePlan({ steps: [replaced], diagnostics: [{ urn: URN, severity: "info", message: `${line}\n` }] });
    assert.equal(summary.changes[0].ifSameAtUp, "or, if its createTime is still undeclared at up, updates it: alice@example.com: ROLE_MANAGER → ROLE_MEMBER");
  });
});
