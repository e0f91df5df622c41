/**
 * Which calls bring a space to its declared state: the fewest PATCHes with the smallest
 * masks, grouped as Google requires (v1.d.ts `Params$Resource$Spaces$Patch.updateMask`):
 * `space_history_state` alone, `access_settings.audience` alone,
 * `access_settings.access_permission_settings.*` only together, `permission_settings.*` only
 * together, the rest (`display_name`, `space_type`, `space_details`) together; and
 * `spaces.completeImport` first when the declaration leaves import mode (an explicit
 * `importMode: false`: identity.ts). Pure: no I/O.
 *
 * Fields compare the live space with the declaration, so drift made outside Pulumi is
 * undone. Undeclared fields are not managed. Where the live value is unreadable (app auth
 * reads no permission settings of spaces it did not create), the previous declaration
 * stands in for it.
 */
import type { chat_v1 } from "@googleapis/chat";
import { changesInPlace, leavesImportMode } from "./identity";
import { fullSetting } from "./state";
import { type ChatSpaceInputs, type ChatSpaceOutputs, PERMISSION_SETTING_KEYS, type PermissionSetting } from "./types";

export interface PatchCall {
  updateMask: string;
  space: chat_v1.Schema$Space;
  /**
   * The declared properties this PATCH changes, as property paths of the inputs (`displayName`,
   * `spaceDetails.description`, `permissionSettings.manageApps`): what a preview shows changing.
   * Not the mask: Google wants `display_name` with `space_type` even when the name stays.
   */
  fields: string[];
  /**
   * The patch carries live values the declaration leaves out (`space_details` replaces both
   * parts): they must be read right before it is sent, or an edit made in Chat since the last
   * read is written over.
   */
  carriesUndeclared?: boolean;
}

export interface UpdatePlan {
  completeImport: boolean;
  patches: PatchCall[];
}

/** The live values the plan compares with; the outputs of the last read or write. */
export type LiveSpace = Pick<
  ChatSpaceOutputs,
  "displayName" | "spaceType" | "spaceDetails" | "spaceHistoryState" | "importMode" | "accessSettings" | "permissionSettings"
>;

export function planUpdate(live: LiveSpace, desired: ChatSpaceInputs, previous?: ChatSpaceInputs): UpdatePlan {
  const completeImport = leavesImportMode(live.importMode, desired);
  // Google refuses access_settings.* on a space in import mode (v1.d.ts
  // `Params$Resource$Spaces$Patch.updateMask`); once the import completes they can be set.
  const accessSettable = !live.importMode || completeImport;
  const patches = [
    corePatch(live, desired),
    historyPatch(live, desired),
    ...(accessSettable ? [audiencePatch(live, desired, previous), accessPermissionPatch(live, desired, previous)] : []),
    permissionPatch(live, desired, previous),
  ].filter((patch): patch is PatchCall => patch !== undefined);
  return { completeImport, patches };
}

/** `display_name`, `space_type` and `space_details`, which Google takes together. */
function corePatch(live: LiveSpace, desired: ChatSpaceInputs): PatchCall | undefined {
  const core: chat_v1.Schema$Space = {};
  const coreMask: string[] = [];
  const coreFields: string[] = [];
  let halfDeclared = false;
  if (changesInPlace("spaceType", live.spaceType, desired.spaceType)) {
    // Google needs display_name in the same mask when a GROUP_CHAT becomes a SPACE.
    coreMask.push("space_type", "display_name");
    Object.assign(core, { spaceType: "SPACE", displayName: desired.displayName });
    coreFields.push("spaceType", ...(desired.displayName !== live.displayName ? ["displayName"] : []));
  } else if (desired.displayName !== undefined && desired.displayName !== live.displayName) {
    coreMask.push("display_name");
    core.displayName = desired.displayName;
    coreFields.push("displayName");
  }
  if (desired.spaceDetails) {
    // space_details replaces both parts; a part left undeclared keeps its live value.
    const description = desired.spaceDetails.description ?? live.spaceDetails.description;
    const guidelines = desired.spaceDetails.guidelines ?? live.spaceDetails.guidelines;
    if (description !== live.spaceDetails.description || guidelines !== live.spaceDetails.guidelines) {
      coreMask.push("space_details");
      core.spaceDetails = { description, guidelines };
      if (description !== live.spaceDetails.description) coreFields.push("spaceDetails.description");
      if (guidelines !== live.spaceDetails.guidelines) coreFields.push("spaceDetails.guidelines");
      halfDeclared = desired.spaceDetails.description === undefined || desired.spaceDetails.guidelines === undefined;
    }
  }
  if (coreMask.length === 0) return undefined;
  return { updateMask: coreMask.join(","), space: core, fields: coreFields, ...(halfDeclared ? { carriesUndeclared: true } : {}) };
}

/** `space_history_state`, alone in its mask. */
function historyPatch(live: LiveSpace, desired: ChatSpaceInputs): PatchCall | undefined {
  if (desired.spaceHistoryState === undefined || desired.spaceHistoryState === live.spaceHistoryState) return undefined;
  return { updateMask: "space_history_state", space: { spaceHistoryState: desired.spaceHistoryState }, fields: ["spaceHistoryState"] };
}

/** `access_settings.audience`, alone in its mask: managed when declared, or when accessSettings is declared empty (private). */
function audiencePatch(live: LiveSpace, desired: ChatSpaceInputs, previous?: ChatSpaceInputs): PatchCall | undefined {
  const access = desired.accessSettings;
  if (!access || (access.audience === undefined && access.accessPermissionSettings !== undefined)) return undefined;
  const want = access.audience ?? "";
  // Unreadable (app auth reads no audience): the previous declaration, else unknown. A space is
  // created private, and a private declaration of a space whose audience can't be read is left
  // alone rather than sent where Google would refuse it on every up.
  const have = live.accessSettings ? (live.accessSettings.audience ?? "") : previous?.accessSettings ? (previous.accessSettings.audience ?? "") : undefined;
  if (want === have || (have === undefined && want === "")) return undefined;
  return { updateMask: "access_settings.audience", space: { accessSettings: want ? { audience: want } : {} }, fields: ["accessSettings.audience"] };
}

/** `access_settings.access_permission_settings.*`: alone in their mask; each declared setting replaced whole, compared as unordered lists. */
function accessPermissionPatch(live: LiveSpace, desired: ChatSpaceInputs, previous?: ChatSpaceInputs): PatchCall | undefined {
  const declaredSettings = desired.accessSettings?.accessPermissionSettings;
  if (!declaredSettings) return undefined;
  const mask: string[] = [];
  const settings: chat_v1.Schema$AccessPermissionSettings = {};
  for (const key of ["discoverSpaceSetting", "joinSpaceSetting"] as const) {
    const declared = declaredSettings[key];
    if (!declared) continue;
    const want = [...new Set(declared)].sort();
    const have = live.accessSettings ? (live.accessSettings.accessPermissionSettings?.[key] ?? []) : previous?.accessSettings?.accessPermissionSettings?.[key];
    if (!have || want.join() !== [...have].sort().join()) {
      mask.push(`access_settings.access_permission_settings.${key}`);
      settings[key] = { principals: want.map((name) => ({ audience: { name } })) };
    }
  }
  if (mask.length === 0) return undefined;
  const fields = Object.keys(settings).map((key) => `accessSettings.accessPermissionSettings.${key}`);
  return { updateMask: mask.join(","), space: { accessSettings: { accessPermissionSettings: settings } }, fields };
}

/** `permission_settings.*`, together in one mask; each declared setting sent whole. */
function permissionPatch(live: LiveSpace, desired: ChatSpaceInputs, previous?: ChatSpaceInputs): PatchCall | undefined {
  if (!desired.permissionSettings) return undefined;
  const mask: string[] = [];
  const settings: chat_v1.Schema$PermissionSettings = {};
  for (const key of PERMISSION_SETTING_KEYS) {
    const declared = desired.permissionSettings[key];
    if (!declared) continue;
    const want = fullSetting(declared);
    const liveSetting = live.permissionSettings?.[key];
    const previousSetting = previous?.permissionSettings?.[key];
    const known = liveSetting ?? (live.permissionSettings ? undefined : previousSetting);
    if (!known || !sameSetting(fullSetting(known), want)) {
      mask.push(`permission_settings.${key}`);
      settings[key] = want;
    }
  }
  if (mask.length === 0) return undefined;
  return { updateMask: mask.join(","), space: { permissionSettings: settings }, fields: Object.keys(settings).map((key) => `permissionSettings.${key}`) };
}

/** Field by field: state from the engine comes with its keys sorted, so text comparison would lie. */
function sameSetting(a: Required<PermissionSetting>, b: Required<PermissionSetting>): boolean {
  return a.managersAllowed === b.managersAllowed && a.assistantManagersAllowed === b.assistantManagersAllowed && a.membersAllowed === b.membersAllowed;
}
