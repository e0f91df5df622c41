/**
 * The schema's `willReplaceOnChanges` says what the provider's diff does, and nothing more. It
 * is documentation ("indicates that the provider will replace the resource when this property is
 * changed", pulumi/pulumi pkg/codegen/schema/schema.go PropertySpec), so a property may be marked
 * only when every change of it replaces: the space's `spaceType` and `importMode` are
 * replace-only but change in place one way, and stay unmarked. (The schema never uses
 * `replaceOnChanges`, which generated SDKs pass as a resource option under which the engine
 * replaces for any change of the property, one the provider makes in place too: pkg/resource/
 * deploy/step_generator.go applyReplaceOnChanges.)
 *
 * Two checks: the marked properties are exactly the provider's lists of fields every change of
 * which replaces (space/identity.ts ALWAYS_REPLACED, membership/identity.ts REPLACING_INPUTS,
 * space-members/types.ts ROSTER_IDENTITY); and the provider's own diff agrees, change by change:
 * each listed change of a marked property replaces the resource, and each unmarked property has a
 * change the diff makes without replacing.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { diffMembership } from "../../provider/membership/diff";
import { REPLACING_INPUTS } from "../../provider/membership/identity";
import type { ChatMembershipInputs, ChatMembershipOutputs } from "../../provider/membership/types";
import { diffSpace } from "../../provider/space/diff";
import { ALWAYS_REPLACED, REPLACE_ONLY } from "../../provider/space/identity";
import type { ChatSpaceInputs, ChatSpaceOutputs } from "../../provider/space/types";
import { diffRoster } from "../../provider/space-members/diff";
import { type ChatSpaceMembersInputs, type ChatSpaceMembersOutputs, ROSTER_IDENTITY } from "../../provider/space-members/types";
import { RESOURCES, type ResourceKind } from "../../provider/tokens";
import { type PackageSpec, SCHEMA_FILE } from "../../scripts/gen-schema";

const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as PackageSpec;
const S = "spaces/AAAA1234567";

/** One change of a declaration: the declaration before (as the state keeps it) and after. */
type Change<I> = readonly [before: I, after: I];

interface Case<I> {
  /** The provider's list of the inputs every change of which replaces. */
  readonly replacing: readonly string[];
  /** The replaced properties the provider's diff reports for this change. */
  readonly replaces: (change: Change<I>) => readonly string[];
  /** Changes of each input property: all of them replace for a marked one; one at least doesn't for another. */
  readonly changes: Record<string, readonly Change<I>[]>;
}

function spaceOutputs(declared: ChatSpaceInputs): ChatSpaceOutputs {
  return {
    name: S,
    spaceUri: "https://chat.google.com/room/AAAA1234567",
    displayName: declared.displayName ?? "Eng",
    spaceType: declared.spaceType ?? "SPACE",
    spaceDetails: { description: declared.spaceDetails?.description ?? "", guidelines: declared.spaceDetails?.guidelines ?? "" },
    spaceHistoryState: declared.spaceHistoryState ?? "HISTORY_ON",
    spaceThreadingState: "THREADED_MESSAGES",
    externalUserAllowed: declared.externalUserAllowed ?? false,
    importMode: declared.importMode ?? false,
    ...(declared.createTime ? { createTime: declared.createTime } : {}),
    customer: declared.customer ?? "customers/C0first",
    membershipCount: { joinedDirectHumanUserCount: 1, joinedGroupCount: 0 },
    accessSettings: { accessState: "PRIVATE" },
    requestId: "r",
    __declared: declared,
  };
}

const space: Case<ChatSpaceInputs> = {
  replacing: ALWAYS_REPLACED,
  replaces: ([before, after]) => diffSpace(spaceOutputs(before), after).replaces,
  changes: {
    displayName: [[{ displayName: "Eng" }, { displayName: "Engineering" }]],
    spaceType: [
      [{ spaceType: "SPACE" }, { spaceType: "GROUP_CHAT" }],
      [
        { spaceType: "GROUP_CHAT", importMode: true },
        { spaceType: "SPACE", importMode: true },
      ],
    ],
    spaceDetails: [[{ spaceDetails: { description: "a" } }, { spaceDetails: { description: "b" } }]],
    spaceHistoryState: [[{ spaceHistoryState: "HISTORY_ON" }, { spaceHistoryState: "HISTORY_OFF" }]],
    externalUserAllowed: [
      [{ externalUserAllowed: false }, { externalUserAllowed: true }],
      [{ externalUserAllowed: true }, { externalUserAllowed: false }],
    ],
    accessSettings: [[{ accessSettings: {} }, { accessSettings: { audience: "audiences/default" } }]],
    predefinedPermissionSettings: [[{ predefinedPermissionSettings: "COLLABORATION_SPACE" }, { predefinedPermissionSettings: "ANNOUNCEMENT_SPACE" }]],
    permissionSettings: [
      [{ permissionSettings: { manageApps: { managersAllowed: true } } }, { permissionSettings: { manageApps: { managersAllowed: false } } }],
    ],
    customer: [
      [{ customer: "customers/C0first" }, { customer: "customers/C0other" }],
      [{ customer: "customers/C0other" }, { customer: "customers/C0first" }],
    ],
    importMode: [
      [{ importMode: false }, { importMode: true }],
      [{ importMode: true }, { importMode: false }],
    ],
    createTime: [
      [
        { importMode: true, createTime: "2019-01-01T00:00:00Z" },
        { importMode: true, createTime: "2018-01-01T00:00:00Z" },
      ],
    ],
    requestId: [[{ requestId: "a" }, { requestId: "b" }]],
    adoptSpace: [[{ adoptSpace: S }, { adoptSpace: "spaces/BBBB1234567" }]],
  },
};

const membershipOutputs = (declared: ChatMembershipInputs): ChatMembershipOutputs => ({
  name: `${declared.space}/members/1`,
  space: declared.space ?? S,
  member: "users/1",
  memberType: "HUMAN",
  role: declared.role ?? "ROLE_MEMBER",
  state: "JOINED",
  __declared: declared,
});

const alice: ChatMembershipInputs = { space: S, user: "alice@example.com" };
const membership: Case<ChatMembershipInputs> = {
  replacing: REPLACING_INPUTS,
  replaces: ([before, after]) => diffMembership(membershipOutputs(before), after).replaces,
  changes: {
    space: [[alice, { ...alice, space: "spaces/BBBB1234567" }]],
    user: [
      [alice, { ...alice, user: "bob@example.com" }],
      [alice, { ...alice, user: "users/2" }],
    ],
    group: [
      [
        { space: S, group: "groups/a" },
        { space: S, group: "groups/b" },
      ],
    ],
    chatApp: [[alice, { space: S, chatApp: true }]],
    role: [[alice, { ...alice, role: "ROLE_MANAGER" }]],
    createTime: [
      [
        { ...alice, createTime: "2019-01-01T00:00:00Z" },
        { ...alice, createTime: "2018-01-01T00:00:00Z" },
      ],
    ],
    deleteTime: [
      [
        { ...alice, deleteTime: "2020-01-01T00:00:00Z" },
        { ...alice, deleteTime: "2021-01-01T00:00:00Z" },
      ],
    ],
  },
};

const rosterOutputs = (declared: ChatSpaceMembersInputs): ChatSpaceMembersOutputs => ({
  space: declared.space ?? S,
  mode: declared.mode ?? "authoritative",
  members: [],
  __declared: {},
});

const roster: Case<ChatSpaceMembersInputs> = {
  replacing: ROSTER_IDENTITY,
  replaces: ([before, after]) => diffRoster(rosterOutputs(before), after, {}).replaces,
  changes: {
    space: [
      [
        { space: S, members: [] },
        { space: "spaces/BBBB1234567", members: [] },
      ],
    ],
    members: [
      [
        { space: S, members: [] },
        { space: S, members: [{ user: "alice@example.com" }] },
      ],
    ],
    mode: [
      [
        { space: S, members: [], mode: "authoritative" },
        { space: S, members: [], mode: "addOnly" },
      ],
    ],
  },
};

/** The tests of one resource kind. */
function describeKind<I>(kind: ResourceKind, { replacing, replaces, changes }: Case<I>): void {
  const token = RESOURCES[kind].plugin;
  const inputs = schema.resources[token].inputProperties;
  const marked = Object.keys(inputs).filter((name) => inputs[name].willReplaceOnChanges === true);

  describe(token, () => {
    it("marks the provider's list of always-replacing inputs, and only those", () => {
      assert.deepEqual([...marked].sort(), [...replacing].sort());
    });

    it("has changes below for every input property", () => {
      assert.deepEqual(Object.keys(changes).sort(), Object.keys(inputs).sort());
    });

    for (const [name, list] of Object.entries(changes)) {
      it(`${name}: the provider's diff replaces for ${marked.includes(name) ? "each" : "not every"} change of it`, () => {
        const kept = list.filter((change) => !replaces(change).includes(name));
        if (marked.includes(name)) assert.deepEqual(kept, [], `${name} is marked willReplaceOnChanges, but these changes don't replace`);
        else assert.ok(kept.length > 0, `${name} is not marked willReplaceOnChanges, yet every change below replaces: ${JSON.stringify(list)}`);
      });
    }
  });
}

describe("the schema's willReplaceOnChanges: exactly the inputs every change of which replaces", () => {
  describeKind("space", space);
  describeKind("membership", membership);
  describeKind("roster", roster);

  it("the space's replace-only fields that change in place one way (spaceType, importMode) are not marked, and nothing is replaceOnChanges", () => {
    const inputs = schema.resources[RESOURCES.space.plugin].inputProperties;
    const unmarked = REPLACE_ONLY.filter((field) => !inputs[field].willReplaceOnChanges);
    assert.deepEqual(unmarked, ["spaceType", "importMode"]);
    assert.doesNotMatch(readFileSync(SCHEMA_FILE, "utf8"), /"replaceOnChanges"/);
  });
});
