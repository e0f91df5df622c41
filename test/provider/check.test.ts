import assert from "node:assert/strict";
import { UNKNOWN } from "../../provider/core/engine-values";
import { checkInputs } from "../../provider/space/check";
import type { ChatSpaceInputs } from "../../provider/space/types";

const now = Date.parse("2026-11-27T00:00:00Z");
const check = (inputs: Record<string, unknown>, ctx: { creating?: boolean; auth?: "app" | "user" } = {}) =>
  checkInputs(inputs as ChatSpaceInputs, { creating: ctx.creating ?? true, auth: ctx.auth ?? "user", now });

describe("provider: check", () => {
  it("accepts a complete, valid declaration", () => {
    assert.deepEqual(
      check({
        displayName: "Engineering",
        spaceDetails: { description: "Platform team", guidelines: "Be kind" },
        spaceHistoryState: "HISTORY_OFF",
        accessSettings: { audience: "audiences/default" },
        permissionSettings: { manageApps: { managersAllowed: true, membersAllowed: false } },
        externalUserAllowed: false,
        __urn: "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/googlechat:ChatSpace::eng",
        __organization: "organization",
        __provider: "stub",
      }),
      [],
    );
  });

  it("accepts unknown values during a preview, in any field", () => {
    assert.deepEqual(
      check({ displayName: UNKNOWN, spaceType: UNKNOWN, customer: UNKNOWN, importMode: UNKNOWN, createTime: UNKNOWN, spaceDetails: { description: UNKNOWN } }),
      [],
    );
  });

  const failures: [string, Record<string, unknown>, { property: string; reason: string }, { auth?: "app" | "user"; creating?: boolean }?][] = [
    ["a SPACE without displayName", {}, { property: "displayName", reason: "is required for a SPACE: give the space a name, unique in your organisation." }],
    [
      "a blank displayName",
      { displayName: " " },
      { property: "displayName", reason: "is required for a SPACE: give the space a name, unique in your organisation." },
    ],
    [
      "a 129-character displayName",
      { displayName: "x".repeat(129) },
      { property: "displayName", reason: "is 129 characters long; Google Chat allows at most 128. Shorten it." },
    ],
    [
      "a 151-character description",
      { displayName: "X", spaceDetails: { description: "é".repeat(151) } },
      { property: "spaceDetails", reason: "spaceDetails.description is 151 characters long; Google Chat allows at most 150. Shorten it." },
    ],
    [
      "5001 characters of guidelines",
      { displayName: "X", spaceDetails: { guidelines: "g".repeat(5001) } },
      { property: "spaceDetails", reason: "spaceDetails.guidelines is 5001 characters long; Google Chat allows at most 5000. Shorten it." },
    ],
    ["an unknown space type", { displayName: "X", spaceType: "ROOM" }, { property: "spaceType", reason: 'must be one of SPACE, GROUP_CHAT, not "ROOM".' }],
    [
      "a DM",
      { spaceType: "DIRECT_MESSAGE" },
      { property: "spaceType", reason: "a direct message can't be created as a ChatSpace (Google creates DMs with spaces.setup); use SPACE." },
    ],
    [
      "a GROUP_CHAT outside import mode",
      { spaceType: "GROUP_CHAT", importMode: false },
      { property: "spaceType", reason: "GROUP_CHAT can only be created in import mode: set importMode to true, or use SPACE." },
    ],
    [
      "a named GROUP_CHAT",
      { spaceType: "GROUP_CHAT", importMode: true, displayName: "X" },
      { property: "displayName", reason: "must not be set for a GROUP_CHAT: group chats have no name until they become a SPACE." },
    ],
    [
      "a bad history state",
      { displayName: "X", spaceHistoryState: "ON" },
      { property: "spaceHistoryState", reason: 'must be one of HISTORY_ON, HISTORY_OFF, not "ON".' },
    ],
    [
      "a malformed customer",
      { displayName: "X", customer: "C0123" },
      { property: "customer", reason: 'must look like customers/{customer} (customers/my_customer for your own organisation), not "C0123".' },
      { auth: "app" },
    ],
    [
      "a GROUP_CHAT created without importMode (Google creates group chats only in import mode)",
      { spaceType: "GROUP_CHAT" },
      { property: "spaceType", reason: "GROUP_CHAT can only be created in import mode: set importMode to true, or use SPACE." },
    ],
    [
      "a customer with user authentication (v1.d.ts Schema$Space.customer: otherwise should not be set)",
      { displayName: "X", customer: "customers/my_customer" },
      {
        property: "customer",
        reason: "must not be set with user authentication: Google creates the space in the user's own organisation. Remove it (or use app authentication).",
      },
    ],
    [
      "app auth without customer",
      { displayName: "X" },
      { property: "customer", reason: "is required with app authentication: set it to customers/my_customer, or to your organisation's customers/{id}." },
      { auth: "app" },
    ],
    [
      "import mode with app auth",
      { displayName: "X", importMode: true, customer: "customers/my_customer" },
      { property: "importMode", reason: "needs user authentication with domain-wide delegation (the chat.import scope): set googlechat:impersonateUser." },
      { auth: "app" },
    ],
    [
      "createTime outside import mode",
      { displayName: "X", createTime: "2019-01-01T00:00:00Z" },
      { property: "createTime", reason: "can only be set in import mode, to keep a migrated space's original creation time: remove it, or set importMode." },
    ],
    [
      "a createTime before 2000",
      { displayName: "X", importMode: true, createTime: "1999-01-01T00:00:00Z" },
      { property: "createTime", reason: "must be between 2000-01-01 and now." },
    ],
    [
      "a createTime that is no timestamp",
      { displayName: "X", importMode: true, createTime: "yesterday" },
      {
        property: "createTime",
        reason:
          'must be an RFC 3339 timestamp such as 2019-05-01T10:00:00Z, not "yesterday": written so, the same instant is no change to a space that has it.',
      },
    ],
    [
      "a createTime on February 29th of a year that has none (Date.parse takes March 1st)",
      { displayName: "X", importMode: true, createTime: "2019-02-29T10:00:00Z" },
      {
        property: "createTime",
        reason:
          'must be an RFC 3339 timestamp such as 2019-05-01T10:00:00Z, not "2019-02-29T10:00:00Z": written so, the same instant is no change to a space that has it.',
      },
    ],
    [
      "a createTime without its offset (Date.parse takes it in this machine's time zone)",
      { displayName: "X", importMode: true, createTime: "2019-05-01T10:00:00" },
      {
        property: "createTime",
        reason:
          'must be an RFC 3339 timestamp such as 2019-05-01T10:00:00Z, not "2019-05-01T10:00:00": written so, the same instant is no change to a space that has it.',
      },
    ],
    [
      "both permission presets and settings at creation",
      { displayName: "X", predefinedPermissionSettings: "ANNOUNCEMENT_SPACE", permissionSettings: { manageApps: { managersAllowed: true } } },
      {
        property: "permissionSettings",
        reason: "can't be combined with predefinedPermissionSettings when the space is created: choose the preset, or list the settings.",
      },
    ],
    [
      "postMessages",
      { displayName: "X", permissionSettings: { postMessages: { managersAllowed: true } } },
      { property: "permissionSettings", reason: "permissionSettings.postMessages is output only: Google sets who may post from predefinedPermissionSettings." },
    ],
    [
      "an unknown permission setting",
      { displayName: "X", permissionSettings: { manageBots: {} } },
      {
        property: "permissionSettings",
        reason:
          "permissionSettings.manageBots is not a permission setting: use manageMembersAndGroups, modifySpaceDetails, toggleHistory, useAtMentionAll, manageApps, manageWebhooks, replyMessages.",
      },
    ],
    [
      "a non-boolean role",
      { displayName: "X", permissionSettings: { manageApps: { managersAllowed: "yes" } } },
      { property: "permissionSettings", reason: 'permissionSettings.manageApps.managersAllowed must be true or false, not "yes".' },
    ],
    [
      "a malformed audience",
      { displayName: "X", accessSettings: { audience: "everyone" } },
      {
        property: "accessSettings",
        reason: 'accessSettings.audience must look like audiences/{audience} (audiences/default for the organisation\'s default), not "everyone".',
      },
    ],
    [
      "an audience in import mode",
      { displayName: "X", importMode: true, accessSettings: { audience: "audiences/default" } },
      { property: "accessSettings", reason: "accessSettings.audience can't be set while the space is in import mode: set it once importMode is false." },
    ],
    [
      "a malformed adoptSpace",
      { displayName: "X", adoptSpace: "AAAA123" },
      { property: "adoptSpace", reason: 'must name an existing space as spaces/{space}, not "AAAA123".' },
    ],
    [
      "an empty requestId",
      { displayName: "X", requestId: "" },
      { property: "requestId", reason: "must not be empty: remove it to use the id derived from the resource's URN." },
    ],
    ["a wrongly typed value", { displayName: 42 }, { property: "displayName", reason: "must be a string, not number." }],
  ];
  for (const [what, inputs, failure, ctx] of failures) {
    it(`names the property and the fix for ${what}`, () => {
      assert.deepEqual(check(inputs, ctx), [failure]);
    });
  }

  it("flags a misspelt property instead of ignoring it", () => {
    const [failure] = check({ displayName: "X", displayname: "x" });
    assert.equal(failure.property, "displayname");
    assert.match(failure.reason, /^unknown property "displayname": ChatSpace takes displayName, spaceType,/);
  });

  it("lets a migrated GROUP_CHAT complete its import: importMode false on an existing space", () => {
    assert.deepEqual(check({ spaceType: "GROUP_CHAT", importMode: false, createTime: "2019-01-01T00:00:00Z" }, { creating: false }), []);
  });

  it("takes an adopted space as it is: no creation rule applies to adoptSpace", () => {
    assert.deepEqual(check({ adoptSpace: "spaces/AAAA1", spaceType: "GROUP_CHAT", customer: "customers/C0", createTime: "2019-01-01T00:00:00Z" }), []);
  });

  it("keeps an imported space's createTime valid after the import completes", () => {
    assert.deepEqual(check({ displayName: "X", importMode: false, createTime: "2019-01-01T00:00:00Z" }, { creating: false }), []);
  });

  it("allows presets and settings together once the space exists", () => {
    assert.deepEqual(
      check({ displayName: "X", predefinedPermissionSettings: "ANNOUNCEMENT_SPACE", permissionSettings: { manageApps: {} } }, { creating: false }),
      [],
    );
  });
});
