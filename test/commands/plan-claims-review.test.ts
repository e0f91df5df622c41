/**
 * Adversarial review of the plan summary's claims (commands/plan-claims.ts): a change the summary
 * says keeps a member must be one the provider keeps her in, or "the preview is the contract" breaks
 * (and --allow-destroy is bypassed).
 */
import assert from "node:assert/strict";
import { isDestructive, summarizePlan } from "../../commands/plan-summary";
import type { ResourceState } from "../../commands/preview-json";

const TYPE = "pulumi-nodejs:dynamic/googlechat:ChatMembership";
const URN = `urn:pulumi:dev::proj::${TYPE}::alice`;
const SPACE = "spaces/AAAAimport1";
const ALICE = "users/110000000000000000002";

describe("plan summary: claims (review)", () => {
  it("a historical ChatMembership replaced for other import-mode times is destructive: the provider deletes it first (deleteBeforeReplace), then adds it again", () => {
    const declared = { space: SPACE, user: "alice@example.com", createTime: "2019-02-01T00:00:00Z", deleteTime: "2020-01-01T00:00:00Z" };
    const old: ResourceState = {
      urn: URN,
      type: TYPE,
      id: `${SPACE}/members/110000000000000000002`,
      inputs: declared,
      outputs: { space: SPACE, member: ALICE, memberType: "HUMAN", state: "NOT_A_MEMBER", createTime: "2019-02-01T00:00:00Z", deleteTime: "2020-01-01T00:00:00Z" },
    };
    const next: ResourceState = { urn: URN, type: TYPE, inputs: { ...declared, createTime: "2019-03-01T00:00:00Z" } };
    const summary = summarizePlan({ steps: [{ op: "replace", urn: URN, oldState: old, newState: next, replaceReasons: ["createTime"] }] });
    const [change] = summary.changes;
    assert.equal(change.action, "replace");
    assert.ok(isDestructive(change), `said: ${JSON.stringify(change.notes)}`);
  });
});
