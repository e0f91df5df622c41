import assert from "node:assert/strict";
import { UNKNOWN } from "../../provider/core/engine-values";
import { diffSpace } from "../../provider/space/diff";
import type { ChatSpaceInputs, ChatSpaceOutputs } from "../../provider/space/types";

const SETTING = { managersAllowed: true, assistantManagersAllowed: false, membersAllowed: true };
function outputs(declared: ChatSpaceInputs, live: Partial<ChatSpaceOutputs> = {}): ChatSpaceOutputs {
  return {
    name: "spaces/AAAA1234567",
    spaceUri: "https://chat.google.com/room/AAAA1234567?cls=11",
    displayName: declared.displayName ?? "",
    spaceType: declared.spaceType ?? "SPACE",
    spaceDetails: { description: declared.spaceDetails?.description ?? "", guidelines: declared.spaceDetails?.guidelines ?? "" },
    spaceHistoryState: declared.spaceHistoryState ?? "HISTORY_ON",
    spaceThreadingState: "THREADED_MESSAGES",
    externalUserAllowed: declared.externalUserAllowed ?? false,
    importMode: declared.importMode ?? false,
    customer: "customers/C03emu1at",
    membershipCount: { joinedDirectHumanUserCount: 1, joinedGroupCount: 0 },
    accessSettings: { accessState: "PRIVATE" },
    permissionSettings: Object.fromEntries(
      ["manageMembersAndGroups", "modifySpaceDetails", "toggleHistory", "useAtMentionAll", "manageApps", "manageWebhooks", "replyMessages", "postMessages"].map(
        (k) => [k, SETTING],
      ),
    ),
    requestId: "r",
    __declared: declared,
    ...live,
  };
}

describe("provider: diff", () => {
  const base: ChatSpaceInputs = { displayName: "Eng" };
  const cases: [
    string,
    ChatSpaceOutputs,
    ChatSpaceInputs,
    { changes: boolean; replaces: string[]; deleteBeforeReplace: boolean; updates: string[]; detailedDiff: Record<string, string> },
  ][] = [
    ["no change", outputs(base), base, { changes: false, replaces: [], deleteBeforeReplace: false, updates: [], detailedDiff: {} }],
    [
      "a description changed, the guidelines as they are: one mask, the one property changed",
      outputs({ ...base, spaceDetails: { description: "Old", guidelines: "Be kind" } }),
      { ...base, spaceDetails: { description: "New", guidelines: "Be kind" } },
      { changes: true, replaces: [], deleteBeforeReplace: false, updates: ["space_details"], detailedDiff: { "spaceDetails.description": "update" } },
    ],
    [
      "a new name: in place",
      outputs(base),
      { displayName: "Engineering" },
      { changes: true, replaces: [], deleteBeforeReplace: false, updates: ["display_name"], detailedDiff: { displayName: "update" } },
    ],
    [
      "a new customer: replace, deleting first as the name stays",
      outputs({ ...base, customer: "customers/my_customer" }),
      { ...base, customer: "customers/C0other" },
      { changes: true, replaces: ["customer"], deleteBeforeReplace: true, updates: [], detailedDiff: { customer: "update" } },
    ],
    [
      "a replace with a new name deletes first too: one rule, DELETE_BEFORE_REPLACE",
      outputs(base),
      { displayName: "Eng 2", externalUserAllowed: true },
      {
        changes: true,
        replaces: ["externalUserAllowed"],
        deleteBeforeReplace: true,
        updates: ["display_name"],
        detailedDiff: { externalUserAllowed: "add", displayName: "update" },
      },
    ],
    [
      "customers/my_customer declared as the canonical id it resolved to",
      outputs({ ...base, customer: "customers/my_customer" }),
      { ...base, customer: "customers/C03emu1at" },
      { changes: false, replaces: [], deleteBeforeReplace: false, updates: [], detailedDiff: {} },
    ],
    [
      "a customer now declared, equal to the space's",
      outputs(base),
      { ...base, customer: "customers/my_customer" },
      { changes: false, replaces: [], deleteBeforeReplace: false, updates: [], detailedDiff: {} },
    ],
    [
      "entering import mode: replace",
      outputs(base),
      { ...base, importMode: true },
      { changes: true, replaces: ["importMode"], deleteBeforeReplace: true, updates: [], detailedDiff: { importMode: "add" } },
    ],
    [
      "leaving import mode: completes the import in place",
      outputs({ ...base, importMode: true }),
      { ...base, importMode: false },
      { changes: true, replaces: [], deleteBeforeReplace: false, updates: ["importMode"], detailedDiff: { importMode: "update" } },
    ],
    [
      "GROUP_CHAT to SPACE: in place",
      outputs({ spaceType: "GROUP_CHAT", importMode: true }, { displayName: "", importMode: false }),
      { spaceType: "SPACE", displayName: "Now a space", importMode: true },
      {
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
        updates: ["space_type", "display_name"],
        detailedDiff: { spaceType: "update", displayName: "add" },
      },
    ],
    [
      "a new createTime: replace",
      outputs({ importMode: true, createTime: "2019-01-01T00:00:00Z", displayName: "Eng" }),
      { importMode: true, createTime: "2019-01-02T00:00:00Z", displayName: "Eng" },
      { changes: true, replaces: ["createTime"], deleteBeforeReplace: true, updates: [], detailedDiff: { createTime: "update" } },
    ],
    [
      "the same createTime written differently",
      outputs({ importMode: true, createTime: "2019-01-01T00:00:00Z", displayName: "Eng" }),
      { importMode: true, createTime: "2019-01-01T00:00:00.000Z", displayName: "Eng" },
      { changes: false, replaces: [], deleteBeforeReplace: false, updates: [], detailedDiff: {} },
    ],
    [
      "a refreshed space renamed outside Pulumi: drift, in place, never a replace",
      outputs(base, { displayName: "Renamed outside", externalUserAllowed: true, customer: "customers/C0moved" }),
      base,
      { changes: true, replaces: [], deleteBeforeReplace: false, updates: ["display_name"], detailedDiff: { displayName: "update" } },
    ],
    [
      "requestId, adoptSpace and the preset only matter at creation",
      outputs(base),
      { ...base, requestId: "other", adoptSpace: "spaces/X", predefinedPermissionSettings: "ANNOUNCEMENT_SPACE" },
      { changes: false, replaces: [], deleteBeforeReplace: false, updates: [], detailedDiff: {} },
    ],
    [
      "history, audience and a permission: three groups",
      outputs(base),
      {
        ...base,
        spaceHistoryState: "HISTORY_OFF",
        accessSettings: { audience: "audiences/default" },
        permissionSettings: { manageApps: { managersAllowed: true } },
      },
      {
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
        updates: ["space_history_state", "access_settings.audience", "permission_settings.manageApps"],
        detailedDiff: { spaceHistoryState: "add", "accessSettings.audience": "add", "permissionSettings.manageApps": "add" },
      },
    ],
    [
      "a permission setting declared as it already is",
      outputs(base),
      { ...base, permissionSettings: { manageApps: { managersAllowed: true, membersAllowed: true } } },
      { changes: false, replaces: [], deleteBeforeReplace: false, updates: [], detailedDiff: {} },
    ],
    [
      "live settings whose keys come back in another order (as the engine sorts them)",
      outputs(base, {
        permissionSettings: { manageApps: { assistantManagersAllowed: false, managersAllowed: true, membersAllowed: false } as never },
      }),
      { ...base, permissionSettings: { manageApps: { managersAllowed: true } } },
      { changes: false, replaces: [], deleteBeforeReplace: false, updates: [], detailedDiff: {} },
    ],
    [
      "permission settings an app can't read: compared with the previous declaration",
      outputs({ ...base, permissionSettings: { manageApps: { managersAllowed: true } } }, { permissionSettings: undefined }),
      { ...base, permissionSettings: { manageApps: { managersAllowed: true } } },
      { changes: false, replaces: [], deleteBeforeReplace: false, updates: [], detailedDiff: {} },
    ],
    [
      "an unknown name in a preview: an update",
      outputs(base),
      { displayName: UNKNOWN },
      { changes: true, replaces: [], deleteBeforeReplace: false, updates: ["displayName"], detailedDiff: { displayName: "update" } },
    ],
    [
      "an unknown customer in a preview: a possible replacement",
      outputs(base),
      { ...base, customer: UNKNOWN },
      { changes: true, replaces: ["customer"], deleteBeforeReplace: true, updates: [], detailedDiff: { customer: "add" } },
    ],
    // An undeclared field is not managed and never causes a replacement.
    [
      "createTime taken out after the import",
      outputs({ displayName: "Eng", importMode: false, createTime: "2019-01-01T00:00:00Z" }, { createTime: "2019-01-01T00:00:00Z" }),
      { displayName: "Eng", importMode: false },
      { changes: false, replaces: [], deleteBeforeReplace: false, updates: [], detailedDiff: {} },
    ],
    [
      "externalUserAllowed: true taken out",
      outputs({ ...base, externalUserAllowed: true }),
      base,
      { changes: false, replaces: [], deleteBeforeReplace: false, updates: [], detailedDiff: {} },
    ],
    [
      "spaceType GROUP_CHAT taken out of a migrated group chat",
      outputs({ spaceType: "GROUP_CHAT", importMode: false }, { displayName: "" }),
      { importMode: false },
      { changes: false, replaces: [], deleteBeforeReplace: false, updates: [], detailedDiff: {} },
    ],
    [
      "importMode: true taken out: not managed, so the import is not completed",
      outputs({ ...base, importMode: true }),
      base,
      { changes: false, replaces: [], deleteBeforeReplace: false, updates: [], detailedDiff: {} },
    ],
    [
      "a field declared for the first time as the space already has it: compared with the live space",
      outputs(base, { externalUserAllowed: true }),
      { ...base, externalUserAllowed: true },
      { changes: false, replaces: [], deleteBeforeReplace: false, updates: [], detailedDiff: {} },
    ],
    [
      "a field declared for the first time unlike the live space: replace",
      outputs(base),
      { ...base, externalUserAllowed: true },
      { changes: true, replaces: ["externalUserAllowed"], deleteBeforeReplace: true, updates: [], detailedDiff: { externalUserAllowed: "add" } },
    ],
    [
      "an adopted import-mode space declared out of import mode: completes in place",
      outputs({ adoptSpace: "spaces/AAAA1234567" }, { importMode: true }),
      { adoptSpace: "spaces/AAAA1234567", importMode: false },
      { changes: true, replaces: [], deleteBeforeReplace: false, updates: ["importMode"], detailedDiff: { importMode: "add" } },
    ],
    // A private declaration where the audience can't be read plans no PATCH Google refuses.
    [
      "a private space whose audience an app can't read",
      outputs({ ...base }, { accessSettings: undefined }),
      { ...base, accessSettings: {} },
      { changes: false, replaces: [], deleteBeforeReplace: false, updates: [], detailedDiff: {} },
    ],
    [
      "a private declaration on an import-mode space",
      outputs({ ...base, importMode: true }, { accessSettings: undefined }),
      { ...base, importMode: true, accessSettings: {} },
      { changes: false, replaces: [], deleteBeforeReplace: false, updates: [], detailedDiff: {} },
    ],
    [
      "an audience declared with the import's completion: completes, then patches",
      outputs({ ...base, importMode: true }, { accessSettings: undefined }),
      { ...base, importMode: false, accessSettings: { audience: "audiences/default" } },
      {
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
        updates: ["importMode", "access_settings.audience"],
        detailedDiff: { importMode: "update", "accessSettings.audience": "add" },
      },
    ],
  ];
  for (const [what, olds, news, expected] of cases) {
    it(what, () => {
      assert.deepEqual(diffSpace(olds, news), expected);
    });
  }
});
