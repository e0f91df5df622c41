/**
 * The plan summary's claims (commands/plan/claims.ts): a change the summary says keeps a member
 * must be one the provider keeps her in, or the preview stops being the contract (and
 * --allow-destroy is bypassed).
 */
import assert from "node:assert/strict";
import type { ResourceState } from "../../commands/plan/preview-json";
import { isDestructive, summarizePlan } from "../../commands/plan/summary";
import { UNKNOWN } from "../../provider/core/engine-values";

const TYPE = "pulumi-nodejs:dynamic/googlechat:ChatMembership";
const URN = `urn:pulumi:dev::proj::${TYPE}::alice`;
const SPACE = "spaces/AAAAimport1";
const ALICE = "users/110000000000000000002";

/** ChatMembership alice of SPACE, as its state holds it. */
const aliceMembership = (extra: Partial<ResourceState> = {}): ResourceState => ({
  urn: URN,
  type: TYPE,
  id: `${SPACE}/members/2`,
  inputs: { space: SPACE, user: "alice@example.com" },
  outputs: { space: SPACE, member: ALICE },
  ...extra,
});

/** A roster `crew` of SPACE declaring alice, as its state holds it. */
function crewRoster(): ResourceState {
  const type = "pulumi-nodejs:dynamic/googlechat:ChatSpaceMembers";
  return {
    urn: `urn:pulumi:dev::proj::${type}::crew`,
    type,
    id: SPACE,
    inputs: { space: SPACE, members: [{ user: "alice@example.com" }] },
    outputs: { space: SPACE, members: [], __declared: { "users/alice@example.com": ALICE } },
  };
}

describe("plan summary: a member another declared resource keeps", () => {
  it("a historical ChatMembership replaced for other import-mode times is destructive: the provider deletes it first (deleteBeforeReplace), then adds it again", () => {
    const declared = { space: SPACE, user: "alice@example.com", createTime: "2019-02-01T00:00:00Z", deleteTime: "2020-01-01T00:00:00Z" };
    const old: ResourceState = {
      urn: URN,
      type: TYPE,
      id: `${SPACE}/members/110000000000000000002`,
      inputs: declared,
      outputs: {
        space: SPACE,
        member: ALICE,
        memberType: "HUMAN",
        state: "NOT_A_MEMBER",
        createTime: "2019-02-01T00:00:00Z",
        deleteTime: "2020-01-01T00:00:00Z",
      },
    };
    const next: ResourceState = { urn: URN, type: TYPE, inputs: { ...declared, createTime: "2019-03-01T00:00:00Z" } };
    const summary = summarizePlan({ steps: [{ op: "replace", urn: URN, oldState: old, newState: next, replaceReasons: ["createTime"] }] });
    const [change] = summary.changes;
    assert.equal(change.action, "replace");
    assert.ok(isDestructive(change), `said: ${JSON.stringify(change.notes)}`);
  });

  it("an address two states record for two people (given to dana since bob's ChatMembership of it was made): bob's dropped membership is a removal, not kept by the other ChatMembership of the address, which the up asks Google about", () => {
    const BOB = "users/110000000000000000003";
    const DANA = "users/110000000000000000010";
    const state = (name: string, member: string): ResourceState => ({
      urn: `urn:pulumi:dev::proj::${TYPE}::${name}`,
      type: TYPE,
      id: `${SPACE}/members/${member.slice("users/".length)}`,
      inputs: { space: SPACE, user: "bob@example.com" },
      outputs: { space: SPACE, member, memberType: "HUMAN", role: "ROLE_MEMBER", state: "JOINED" },
    });
    const [bobs, danas] = [state("bob-old", BOB), state("bob-new", DANA)];
    const summary = summarizePlan({
      steps: [
        { op: "same", urn: danas.urn, oldState: danas, newState: danas },
        { op: "delete", urn: bobs.urn, oldState: bobs },
      ],
    });
    const removal = summary.changes.find((c) => c.action === "delete")!;
    assert.ok(isDestructive(removal), `said: ${JSON.stringify(removal.notes)}`);
  });

  it("a ChatMembership kept unchanged holds the member its state records, whomever its address names elsewhere: bob's dropped membership by users/{id} stays, held by it, as the up keeps him", () => {
    const BOB = "users/110000000000000000003";
    const DANA = "users/110000000000000000010";
    const OTHER = "spaces/AAAAother01";
    const state = (name: string, space: string, user: string, member: string): ResourceState => ({
      urn: `urn:pulumi:dev::proj::${TYPE}::${name}`,
      type: TYPE,
      id: `${space}/members/${member.slice("users/".length)}`,
      inputs: { space, user },
      outputs: { space, member, memberType: "HUMAN", role: "ROLE_MEMBER", state: "JOINED" },
    });
    // c: bob@example.com, made before the address was given to dana; a: the address, made after, in another space.
    const [c, a, x] = [state("c", SPACE, "bob@example.com", BOB), state("a", OTHER, "bob@example.com", DANA), state("x", SPACE, BOB, BOB)];
    const summary = summarizePlan({
      steps: [
        { op: "same", urn: a.urn, oldState: a, newState: a },
        { op: "same", urn: c.urn, oldState: c, newState: c },
        { op: "delete", urn: x.urn, oldState: x },
      ],
    });
    const removal = summary.changes.find((change) => change.action === "delete")!;
    assert.equal(isDestructive(removal), false, `said: ${JSON.stringify(removal.notes)}`);
  });

  it("a roster kept unchanged does not hold its calling user's email as its state records it (the provider asks Google who she is): the former admin's dropped membership by users/{id} is a removal", () => {
    const ROSTER = "pulumi-nodejs:dynamic/googlechat:ChatSpaceMembers";
    const FORMER = "users/110000000000000000001";
    const rosterUrn = `urn:pulumi:dev::proj::${ROSTER}::r`;
    const roster: ResourceState = {
      urn: rosterUrn,
      type: ROSTER,
      id: SPACE,
      inputs: { space: SPACE, mode: "addOnly", members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }] },
      outputs: {
        space: SPACE,
        mode: "addOnly",
        members: [],
        __declared: { "users/admin@example.com": FORMER },
        __caller: { user: "admin@example.com", member: FORMER },
      },
    };
    const formerUrn = `urn:pulumi:dev::proj::${TYPE}::former`;
    const former: ResourceState = {
      urn: formerUrn,
      type: TYPE,
      id: `${SPACE}/members/110000000000000000001`,
      inputs: { space: SPACE, user: FORMER },
      outputs: { space: SPACE, member: FORMER, memberType: "HUMAN", role: "ROLE_MEMBER", state: "JOINED" },
    };
    const summary = summarizePlan({
      steps: [
        { op: "same", urn: rosterUrn, oldState: roster, newState: roster },
        { op: "delete", urn: formerUrn, oldState: former },
      ],
    });
    const removal = summary.changes.find((c) => c.action === "delete")!;
    assert.ok(isDestructive(removal), `said: ${JSON.stringify(removal.notes)}`);
  });

  it("the calling app dropped beside a roster declaring chatApp: true stays only under the same provider instance: another's may be another app", () => {
    const ROSTER = "pulumi-nodejs:dynamic/googlechat:ChatSpaceMembers";
    const rosterUrn = `urn:pulumi:dev::proj::${ROSTER}::bots`;
    const [byDefault, byExplicit] = [
      "urn:pulumi:dev::proj::pulumi:providers:googlechat::default::1",
      "urn:pulumi:dev::proj::pulumi:providers:googlechat::team::2",
    ];
    const app: ResourceState = {
      urn: URN,
      type: TYPE,
      id: `${SPACE}/members/110000000000000000009`,
      inputs: { space: SPACE, chatApp: true },
      outputs: { space: SPACE, member: "users/110000000000000000009", memberType: "BOT", role: "ROLE_MEMBER", state: "JOINED" },
      provider: byExplicit,
    };
    const summaryBeside = (provider: string) =>
      summarizePlan({
        steps: [
          {
            op: "create",
            urn: rosterUrn,
            newState: { urn: rosterUrn, type: ROSTER, inputs: { space: SPACE, members: [{ chatApp: true }], mode: "addOnly" }, provider },
          },
          { op: "delete", urn: URN, oldState: app },
        ],
      }).changes.find((c) => c.action === "delete")!;
    assert.equal(isDestructive(summaryBeside(byExplicit)), false);
    assert.equal(isDestructive(summaryBeside(byDefault)), true);
  });

  it("pulumi preview --refresh: a refresh step's new state (the old inputs, read again) is no declaration: a ChatMembership replaced by another member still removes the old one", () => {
    const old: ResourceState = {
      urn: URN,
      type: TYPE,
      id: `${SPACE}/members/110000000000000000002`,
      inputs: { space: SPACE, user: "alice@example.com" },
      outputs: { space: SPACE, member: ALICE, memberType: "HUMAN", role: "ROLE_MEMBER", state: "JOINED" },
    };
    const next: ResourceState = { urn: URN, type: TYPE, inputs: { space: SPACE, user: "carol@example.com" } };
    const summary = summarizePlan({
      steps: [
        { op: "refresh", urn: URN, oldState: old, newState: old },
        { op: "replace", urn: URN, oldState: old, newState: next, replaceReasons: ["user"] },
      ],
    });
    const [change] = summary.changes;
    assert.equal(change.action, "replace");
    assert.ok(isDestructive(change), `said: ${JSON.stringify(change.notes)}`);
  });

  it("pulumi preview --refresh: a roster moved to another space removes its members from the old one", () => {
    const ROSTER = "pulumi-nodejs:dynamic/googlechat:ChatSpaceMembers";
    const urn = `urn:pulumi:dev::proj::${ROSTER}::eng-members`;
    const members = [{ user: "alice@example.com" }];
    const old: ResourceState = {
      urn,
      type: ROSTER,
      id: SPACE,
      inputs: { space: SPACE, members },
      outputs: {
        space: SPACE,
        mode: "authoritative",
        members: [{ name: `${SPACE}/members/110000000000000000002`, member: ALICE, memberType: "HUMAN", role: "ROLE_MEMBER", state: "JOINED" }],
        __declared: { "users/alice@example.com": ALICE },
      },
    };
    const next: ResourceState = { urn, type: ROSTER, inputs: { space: "spaces/AAAAother01", members } };
    const summary = summarizePlan({
      steps: [
        { op: "refresh", urn, oldState: old, newState: old },
        { op: "replace", urn, oldState: old, newState: next, replaceReasons: ["space"] },
      ],
    });
    const [change] = summary.changes;
    assert.equal(change.action, "replace");
    assert.ok(isDestructive(change), `said: ${JSON.stringify(change.notes)}`);
  });

  it("pulumi destroy --run-program: each resource's same step, then its delete, declares nothing: alice's removal by both is said", () => {
    const [membership, roster] = [aliceMembership(), crewRoster()];
    const rosterUrn = roster.urn;
    const summary = summarizePlan({
      steps: [
        { op: "same", urn: URN, oldState: membership, newState: membership },
        { op: "same", urn: rosterUrn, oldState: roster, newState: roster },
        { op: "delete", urn: rosterUrn, oldState: roster },
        { op: "delete", urn: URN, oldState: membership },
      ],
    });
    assert.deepEqual(
      summary.changes.map((c) => c.notes),
      [[], []],
      "nobody stays",
    );
    assert.ok(summary.changes.every(isDestructive));
  });

  it("a ChatMembership replaced with its createTime unknown at preview holds nobody the preview can name: the removal is said (other times at up remove her first)", () => {
    const old: ResourceState = {
      urn: URN,
      type: TYPE,
      id: `${SPACE}/members/2`,
      inputs: { space: SPACE, user: "alice@example.com", createTime: "2020-01-01T00:00:00Z" },
      outputs: { space: SPACE, member: ALICE, memberType: "HUMAN", role: "ROLE_MEMBER", state: "JOINED", createTime: "2020-01-01T00:00:00Z" },
    };
    const declared = { space: SPACE, user: "alice@example.com", createTime: UNKNOWN };
    const summary = summarizePlan({
      steps: [{ op: "replace", urn: URN, oldState: old, newState: { urn: URN, type: TYPE, inputs: declared, outputs: declared } }],
    });
    const [change] = summary.changes;
    assert.deepEqual(change.notes, []);
    assert.ok(isDestructive(change), `said: ${change.loss}`);
  });

  for (const [what, held] of [
    ["a ChatMembership the program declares but the state lacks, under pulumi destroy --run-program (a skipped create: same, no id)", { id: undefined }],
    ["a ChatMembership an earlier update left pending deletion, untargeted by pulumi up --target (same, still marked)", { delete: true }],
  ] as const)
    it(`${what} keeps nobody: the roster's removal of alice is said`, () => {
      const [membership, roster] = [aliceMembership(held as Partial<ResourceState>), crewRoster()];
      const rosterUrn = roster.urn;
      const summary = summarizePlan({
        steps: [
          { op: "same", urn: URN, oldState: membership, newState: { ...membership, id: undefined } },
          { op: "delete", urn: rosterUrn, oldState: roster },
        ],
      });
      const [change] = summary.changes;
      assert.deepEqual(change.notes, []);
      assert.ok(isDestructive(change), `said: ${change.loss}`);
    });
});
