/** check and diff of a ChatMembership: pure rules, tables of cases. */
import assert from "node:assert/strict";
import { UNKNOWN } from "../../provider/core/engine-values";
import type { MembershipCheckContext } from "../../provider/members/check";
import { checkMembership } from "../../provider/membership/check";
import { diffMembership } from "../../provider/membership/diff";
import type { ChatMembershipInputs, ChatMembershipOutputs } from "../../provider/membership/types";

const NOW = Date.parse("2026-01-01T00:00:00Z");
const S = "spaces/AAA";
const check = (inputs: object, ctx: Partial<MembershipCheckContext> = {}) =>
  checkMembership(inputs as ChatMembershipInputs, { auth: "user", now: NOW, ...ctx }).map((f) => `${f.property} ${f.reason}`);

describe("provider: ChatMembership check", () => {
  it("accepts a user by email or id, a group, the calling app, each role, and unknown values of a preview", () => {
    for (const inputs of [
      { space: S, user: "alice@example.com" },
      { space: S, user: "users/110000000000000000002", role: "ROLE_MANAGER" },
      { space: S, user: "users/alice@example.com", role: "ROLE_ASSISTANT_MANAGER" },
      { space: S, group: "groups/devs" },
      { space: S, chatApp: true, role: "ROLE_MEMBER" },
      { space: UNKNOWN, user: UNKNOWN, role: UNKNOWN },
      { space: S, user: "alice@example.com", createTime: "2019-01-01T00:00:00Z", deleteTime: "2020-01-01T00:00:00Z" },
      { space: S, user: "alice@example.com", __urn: "urn", __organization: "o", __provider: "p" },
    ]) {
      assert.deepEqual(check(inputs), [], JSON.stringify(inputs));
    }
  });

  for (const [what, inputs, ctx, failures] of [
    ["no space", { user: "alice@example.com" }, {}, ["space is required: a ChatSpace (the resource itself), its id, or spaces/{space}."]],
    ["a malformed space", { space: "AAA", user: "alice@example.com" }, {}, ['space must be spaces/{space}, not "AAA".']],
    ["no member", { space: S }, {}, ["user one of user, group or chatApp: true is required: the member of the space."]],
    ["chatApp: false alone", { space: S, chatApp: false }, {}, ["user one of user, group or chatApp: true is required: the member of the space."]],
    [
      "a user and the app",
      { space: S, user: "alice@example.com", chatApp: true },
      {},
      ["chatApp only one of user, group and chatApp may be set, not user and chatApp: one ChatMembership is one member."],
    ],
    [
      "users/app as a user",
      { space: S, user: "users/app" },
      {},
      ['user "users/app" is the calling Chat app (users/app, in any capitals): declare chatApp: true instead.'],
    ],
    ["a malformed group", { space: S, group: "devs@example.com" }, {}, ['group must be groups/{group}, not "devs@example.com".']],
    [
      "a role on a group",
      { space: S, group: "groups/devs", role: "ROLE_MANAGER" },
      {},
      ["role can't be set on a Google Group's membership: Google gives groups no role. Leave it out."],
    ],
    [
      "a manager role for the Chat app",
      { space: S, chatApp: true, role: "ROLE_ASSISTANT_MANAGER" },
      {},
      ["role can't be ROLE_ASSISTANT_MANAGER for a Chat app: apps are always members (ROLE_MEMBER). Leave it out."],
    ],
    [
      "an unknown property",
      { space: S, user: "alice@example.com", email: "x" },
      {},
      ['email unknown property "email": ChatMembership takes space, user, group, chatApp, role, createTime, deleteTime.'],
    ],
    [
      "the app added by the app",
      { space: S, chatApp: true },
      { auth: "app" },
      ["chatApp can't be added with app authentication: a Chat app can't add Chat apps. Add it with user authentication (googlechat:impersonateUser)."],
    ],
    [
      "a group added by the app",
      { space: S, group: "groups/devs" },
      { auth: "app" },
      [
        "group needs user authentication: a Chat app can't add or remove Google Groups (googlechat:impersonateUser); or leave it out: a group already in the space stays, as under app authentication none is removed.",
      ],
    ],
    [
      "the app with admin access",
      { space: S, chatApp: true },
      { useAdminAccess: true },
      ["chatApp can't be managed with googlechat:useAdminAccess: admin access doesn't reach Chat apps' memberships."],
    ],
    [
      "deleteTime before createTime",
      { space: S, user: "alice@example.com", createTime: "2020-01-01T00:00:00Z", deleteTime: "2019-01-01T00:00:00Z" },
      {},
      ["deleteTime 2019-01-01T00:00:00Z is before createTime 2020-01-01T00:00:00Z."],
    ],
    [
      "deleteTime alone",
      { space: S, user: "alice@example.com", deleteTime: "2019-01-01T00:00:00Z" },
      {},
      ["deleteTime needs createTime: a historical membership has both."],
    ],
    [
      "a time that is not RFC 3339",
      { space: S, user: "alice@example.com", createTime: "2019-01-01" },
      {},
      ['createTime must be an RFC 3339 time such as 2019-01-01T00:00:00Z, not "2019-01-01".'],
    ],
    [
      "a time in the future",
      { space: S, user: "alice@example.com", createTime: "2027-01-01T00:00:00Z" },
      {},
      ["createTime 2027-01-01T00:00:00Z is in the future: historical memberships are in the past."],
    ],
    [
      "times with app auth, where import mode is impossible",
      { space: S, user: "alice@example.com", createTime: "2019-01-01T00:00:00Z" },
      { auth: "app" },
      ["createTime is for import mode only, which needs user authentication through domain-wide delegation (chat.import), without googlechat:useAdminAccess."],
    ],
  ] as const) {
    it(`refuses ${what}`, () => assert.deepEqual(check(inputs, ctx as Partial<MembershipCheckContext>), failures));
  }
});

describe("provider: ChatMembership diff", () => {
  const olds = (declared: ChatMembershipInputs, live: Partial<ChatMembershipOutputs> = {}): ChatMembershipOutputs => ({
    name: `${S}/members/1`,
    space: S,
    member: "users/1",
    memberType: "HUMAN",
    role: "ROLE_MEMBER",
    state: "JOINED",
    __declared: declared,
    ...live,
  });
  const alice = { space: S, user: "alice@example.com" };

  for (const [what, before, live, after, expected] of [
    ["nothing changed", alice, {}, alice, { changes: false, replaces: [], updates: [], detailedDiff: {} }],
    [
      "a role declared",
      alice,
      {},
      { ...alice, role: "ROLE_MANAGER" },
      { changes: true, replaces: [], updates: ["role"], detailedDiff: { role: "add" }, roleChange: { from: "ROLE_MEMBER", to: "ROLE_MANAGER" } },
    ],
    [
      "a role changed in Chat, undeclared: back to ROLE_MEMBER",
      alice,
      { role: "ROLE_MANAGER" },
      alice,
      { changes: true, replaces: [], updates: ["role"], detailedDiff: { role: "update" }, roleChange: { from: "ROLE_MANAGER", to: "ROLE_MEMBER" } },
    ],
    [
      "a group, which has no role",
      { space: S, group: "groups/g" },
      { role: "", member: "groups/g" },
      { space: S, group: "groups/g" },
      { changes: false, replaces: [], updates: [], detailedDiff: {} },
    ],
    [
      "a historical membership: no role to keep",
      { ...alice, createTime: "2019-01-01T00:00:00Z", deleteTime: "2020-01-01T00:00:00Z" },
      { state: "NOT_A_MEMBER", role: "" },
      { ...alice, createTime: "2019-01-01T00:00:00Z", deleteTime: "2020-01-01T00:00:00Z" },
      { changes: false, replaces: [], updates: [], detailedDiff: {} },
    ],
    [
      "the same instant written otherwise",
      { ...alice, createTime: "2019-01-01T00:00:00Z" },
      {},
      { ...alice, createTime: "2019-01-01T00:00:00.000+00:00" },
      { changes: false, replaces: [], updates: [], detailedDiff: {} },
    ],
    [
      "createTime removed from the declaration: not managed",
      { ...alice, createTime: "2019-01-01T00:00:00Z" },
      {},
      alice,
      { changes: false, replaces: [], updates: [], detailedDiff: {} },
    ],
    ["the email written in capitals", alice, {}, { space: S, user: "Alice@Example.com" }, { changes: false, replaces: [], updates: [], detailedDiff: {} }],
    [
      "the member's users/{id} in place of the email",
      alice,
      {},
      { space: S, user: "users/1" },
      { changes: false, replaces: [], updates: [], detailedDiff: {} },
    ],
    ["another user's id", alice, {}, { space: S, user: "users/2" }, { changes: true, replaces: ["user"], updates: [], detailedDiff: { user: "update" } }],
    [
      "the app in place of a user",
      alice,
      {},
      { space: S, chatApp: true },
      { changes: true, replaces: ["chatApp"], updates: [], detailedDiff: { chatApp: "add" } },
    ],
    [
      "a space unknown until apply",
      alice,
      {},
      { ...alice, space: UNKNOWN },
      { changes: true, replaces: ["space"], updates: [], detailedDiff: { space: "update" } },
    ],
    [
      "a role unknown until apply",
      alice,
      {},
      { ...alice, role: UNKNOWN },
      { changes: true, replaces: [], updates: ["role"], detailedDiff: { role: "add" }, roleChange: { from: "ROLE_MEMBER" } },
    ],
    [
      "other import-mode times: the old membership goes first",
      { ...alice, createTime: "2019-01-01T00:00:00Z" },
      {},
      { ...alice, createTime: "2018-01-01T00:00:00Z" },
      { changes: true, replaces: ["createTime"], updates: [], detailedDiff: { createTime: "update" }, deleteBeforeReplace: true },
    ],
  ] as const) {
    it(`${what}: ${JSON.stringify(expected)}`, () => {
      const diff = diffMembership(olds(before as ChatMembershipInputs, live as Partial<ChatMembershipOutputs>), after as ChatMembershipInputs);
      // Only a replacement that keeps the space and the member deletes first: the new membership needs the old one gone.
      assert.deepEqual(diff, { deleteBeforeReplace: false, ...expected });
    });
  }

  it("a role unknown until apply of an owner says no role it would keep or defer: the preview can't know the role (the up decides on it)", () => {
    const owner = olds({ ...alice, role: "ROLE_MANAGER" }, { role: "ROLE_MANAGER" });
    const unknownRole = { ...alice, role: UNKNOWN } as unknown as ChatMembershipInputs;
    // Her role as last read, and the one given known only at up.
    const expected = {
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
      updates: ["role"],
      detailedDiff: { role: "update" },
      roleChange: { from: "ROLE_MANAGER" },
    };
    // The calling user's own membership: "role ROLE_MANAGER kept, not ROLE_MEMBER" would name a role nobody declared.
    assert.deepEqual(diffMembership(owner, unknownRole, { isCaller: true, adminAccess: false }), expected);
    // An owner made in Chat since the last refresh: "not ROLE_MEMBER yet" likewise.
    assert.deepEqual(diffMembership(owner, unknownRole, { isCaller: false, adminAccess: false, roleChangedSince: true }), expected);
  });
});
