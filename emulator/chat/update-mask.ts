/**
 * `spaces.patch` update masks as Google enforces them (v1.d.ts Params$Resource$Spaces$Patch
 * `updateMask`; docs/google-chat-api.md "Spaces"): paths in camelCase or snake_case, the paths
 * that must stand alone, the paths that may only go together, and what each path changes.
 * Error texts follow the mask's documentation: "must omit all other field masks" is
 * "must be the only path"; "can only specify permissionSettings field masks" is "can only be
 * combined with other permission_settings paths".
 */
import type { chat_v1 } from "@googleapis/chat";
import { ApiError, failedPrecondition, invalidArgument } from "../errors";
import { type AccessPermissions, type Caller, type MemberRole, PERMISSION_KEYS, type PermissionKey, type StoredSpace, type WorldSettings } from "../model";
import {
  audiencesOf,
  checkAudience,
  checkHistoryState,
  checkJoinWithinDiscover,
  checkLength,
  MAX_DESCRIPTION,
  MAX_DISPLAY_NAME,
  MAX_GUIDELINES,
  sameCustomer,
} from "./space-rules";

/** Output-only fields: a mask may name them, and they are ignored (AIP-203). */
const OUTPUT_ONLY = new Set([
  "name",
  "type",
  "threaded",
  "space_uri",
  "membership_count",
  "space_threading_state",
  "last_active_time",
  "import_mode_expire_time",
  "admin_installed",
  "access_settings.access_state",
  "permission_settings.post_messages",
]);

/** Immutable fields: naming them is fine while the value stays the same (AIP-203). */
const IMMUTABLE = new Set(["customer", "external_user_allowed", "create_time"]);

const PERMISSION_PATH = new Map<string, PermissionKey>(PERMISSION_KEYS.map((key) => [`permission_settings.${snake(key)}`, key]));

/**
 * `access_settings.access_permission_settings`: v1.d.ts lists only these two paths as its
 * supported field masks, each naming one setting of `Schema$AccessPermissionSettings`.
 */
const ACCESS_PERMISSIONS = "access_settings.access_permission_settings";
const ACCESS_PERMISSION_PATH = new Map<string, keyof AccessPermissions>([
  [`${ACCESS_PERMISSIONS}.discover_space_setting`, "discover"],
  [`${ACCESS_PERMISSIONS}.join_space_setting`, "join"],
]);

const UPDATABLE = new Set([
  "display_name",
  "space_type",
  "space_details",
  "space_history_state",
  "access_settings.audience",
  ...ACCESS_PERMISSION_PATH.keys(),
  ...PERMISSION_PATH.keys(),
]);

const ALONE = ["space_history_state", "access_settings.audience"];
/** Paths that may go together, but with no path outside their group. */
const GROUPS: { paths: ReadonlySet<string>; name: string }[] = [
  { paths: new Set(ACCESS_PERMISSION_PATH.keys()), name: ACCESS_PERMISSIONS },
  { paths: new Set(PERMISSION_PATH.keys()), name: "permission_settings" },
];
const NOT_WITH_ADMIN_ACCESS = ["space_type", "space_history_state", "access_settings.audience", ...ACCESS_PERMISSION_PATH.keys(), ...PERMISSION_PATH.keys()];

function snake(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Splits and normalises the mask; every path must be a field of Space. */
export function parseUpdateMask(mask: string | undefined): string[] {
  const paths = (mask ?? "")
    .split(",")
    .map((p) => snake(p.trim()))
    .filter((p) => p !== "");
  if (paths.length === 0) throw invalidArgument("update_mask is required.");
  for (const path of paths) {
    if (!UPDATABLE.has(path) && !OUTPUT_ONLY.has(path) && !IMMUTABLE.has(path)) {
      if (path === "import_mode") {
        throw invalidArgument("import_mode can't be updated; complete the import with spaces.completeImport.");
      }
      if (path === ACCESS_PERMISSIONS || path === "access_settings") {
        throw invalidArgument(
          `Invalid update_mask path "${path}": name the setting, ${ACCESS_PERMISSIONS}.discoverSpaceSetting or ${ACCESS_PERMISSIONS}.joinSpaceSetting.`,
        );
      }
      throw invalidArgument(`Invalid update_mask path "${path}": it is not an updatable field of Space.`);
    }
  }
  return [...new Set(paths)];
}

export interface PatchContext {
  space: StoredSpace;
  body: chat_v1.Schema$Space;
  caller: Caller;
  world: WorldSettings;
  /** The caller's role in the space; undefined when it is not a member. */
  callerRole: MemberRole | undefined;
  /** Whether the caller created the space (app auth may change permission settings only then). */
  callerIsCreator: boolean;
}

/** What a patch changes on the stored space; throws the error Google gives for a forbidden mask. */
export function planPatch(paths: string[], ctx: PatchContext): Partial<StoredSpace> {
  const { space, body, caller, world } = ctx;
  checkImmutable(paths, ctx);
  const effective = paths.filter((p) => UPDATABLE.has(p));
  for (const alone of ALONE) {
    if (effective.includes(alone) && effective.length > 1) {
      throw invalidArgument(`${alone} must be the only path in update_mask.`);
    }
  }
  for (const group of GROUPS) {
    const inGroup = effective.filter((p) => group.paths.has(p)).length;
    if (inGroup > 0 && inGroup < effective.length) {
      throw invalidArgument(`${group.name} paths can only be combined with other ${group.name} paths.`);
    }
  }
  if (caller.adminAccess) {
    const refused = effective.find((p) => NOT_WITH_ADMIN_ACCESS.includes(p));
    if (refused) throw invalidArgument(`${refused} is not supported with useAdminAccess.`);
  }
  const permissionPaths = effective.filter((p) => PERMISSION_PATH.has(p));
  const accessPermissionPaths = effective.filter((p) => ACCESS_PERMISSION_PATH.has(p));

  const change: Partial<StoredSpace> = {};
  if (effective.includes("space_type")) planSpaceType(effective, ctx, change);
  if (effective.includes("display_name")) {
    if (space.spaceType !== "SPACE" && !effective.includes("space_type")) {
      throw invalidArgument("display_name can only be updated for a space of type SPACE.");
    }
    const name = body.displayName ?? "";
    if (name.trim() === "") throw invalidArgument("space.display_name must not be empty for a space of type SPACE.");
    checkLength("space.display_name", name, MAX_DISPLAY_NAME);
    change.displayName = name;
  }
  if (effective.includes("space_details")) {
    // Both fields are replaced; an omitted one is cleared (v1.d.ts: pass the existing value for the other).
    change.description = body.spaceDetails?.description ?? "";
    change.guidelines = body.spaceDetails?.guidelines ?? "";
    checkLength("space.space_details.description", change.description, MAX_DESCRIPTION);
    checkLength("space.space_details.guidelines", change.guidelines, MAX_GUIDELINES);
  }
  if (effective.includes("space_history_state")) {
    if (!world.historyToggleAllowed) {
      throw failedPrecondition("History settings are not enabled for this Google Workspace organization.");
    }
    change.spaceHistoryState = checkHistoryState(body.spaceHistoryState ?? "", "space.space_history_state");
  }
  if (effective.includes("access_settings.audience")) planAudience(ctx, change);
  if (accessPermissionPaths.length > 0) planAccessPermissions(accessPermissionPaths, ctx, change);
  if (permissionPaths.length > 0) planPermissions(permissionPaths, ctx, change);
  return change;
}

function checkImmutable(paths: string[], { space, body, world }: PatchContext): void {
  for (const path of paths.filter((p) => IMMUTABLE.has(p))) {
    let same: boolean;
    if (path === "customer") {
      same = sameCustomer(body.customer, space.customer, world);
    } else if (path === "external_user_allowed") {
      same = (body.externalUserAllowed ?? false) === space.externalUserAllowed;
    } else {
      same = body.createTime != null && Date.parse(body.createTime) === Date.parse(space.createTime);
    }
    if (!same) throw invalidArgument(`${path} is immutable and can't be changed after the space is created.`);
  }
}

function planSpaceType(paths: string[], { space, body }: PatchContext, change: Partial<StoredSpace>): void {
  if (space.spaceType !== "GROUP_CHAT" || body.spaceType !== "SPACE") {
    throw invalidArgument("space_type can only be changed from GROUP_CHAT to SPACE.");
  }
  if (!paths.includes("display_name")) {
    throw invalidArgument("Include display_name with space_type in update_mask when changing a GROUP_CHAT to a SPACE.");
  }
  change.spaceType = "SPACE";
}

function planAudience({ space, body, caller, callerRole }: PatchContext, change: Partial<StoredSpace>): void {
  if (caller.principal.kind === "app") {
    throw new ApiError("PERMISSION_DENIED", "Updating access_settings.audience requires user authentication.");
  }
  if (space.importMode) throw invalidArgument("access_settings.audience can't be updated in import mode.");
  if (space.spaceType !== "SPACE") throw invalidArgument("access_settings only apply to a space of type SPACE.");
  if (callerRole !== "ROLE_MANAGER") {
    throw new ApiError("PERMISSION_DENIED", "Only a space manager can update access_settings.audience.");
  }
  const audience = body.accessSettings?.audience ?? "";
  if (audience !== "") checkAudience(audience, "space.access_settings.audience");
  change.audience = audience || undefined;
}

/**
 * v1.d.ts `updateMask`, `access_settings.access_permission_settings`: a space of type SPACE, not
 * in import mode, by a space manager or assistant manager (a user: Google names "the
 * authenticating user"). A named setting missing from the body is cleared (AIP-134); the
 * other keeps its value, and the result must let join only whom it lets discover.
 */
function planAccessPermissions(paths: string[], ctx: PatchContext, change: Partial<StoredSpace>): void {
  const { space, body, caller, callerRole } = ctx;
  if (caller.principal.kind === "app") {
    throw new ApiError("PERMISSION_DENIED", `Updating ${ACCESS_PERMISSIONS} requires user authentication.`);
  }
  if (space.importMode) throw invalidArgument(`${ACCESS_PERMISSIONS} can't be updated in import mode.`);
  if (space.spaceType !== "SPACE") throw invalidArgument("access_settings only apply to a space of type SPACE.");
  if (callerRole !== "ROLE_MANAGER" && callerRole !== "ROLE_ASSISTANT_MANAGER") {
    throw new ApiError("PERMISSION_DENIED", `Only a space manager or assistant manager can update ${ACCESS_PERMISSIONS}.`);
  }
  const sent = body.accessSettings?.accessPermissionSettings;
  const next: AccessPermissions = { discover: [], join: [], ...structuredClone(space.accessPermissions) };
  for (const path of paths) {
    const key = ACCESS_PERMISSION_PATH.get(path)!;
    const setting = key === "discover" ? sent?.discoverSpaceSetting : sent?.joinSpaceSetting;
    next[key] = audiencesOf(setting, `space.${path}`);
  }
  checkJoinWithinDiscover(next);
  change.accessPermissions = next;
}

function planPermissions(paths: string[], ctx: PatchContext, change: Partial<StoredSpace>): void {
  const { space, body, caller, callerIsCreator } = ctx;
  if (space.spaceType !== "SPACE") throw invalidArgument("permission_settings only apply to a space of type SPACE.");
  if (caller.principal.kind === "app" && !callerIsCreator) {
    throw new ApiError("PERMISSION_DENIED", "A Chat app can only update permission settings of spaces it created.");
  }
  const permissionSettings = structuredClone(space.permissionSettings);
  for (const path of paths) {
    const key = PERMISSION_PATH.get(path)!;
    const sent = body.permissionSettings?.[key];
    if (!sent) throw invalidArgument(`${path} is in update_mask but space.permission_settings.${key} is not set.`);
    permissionSettings[key] = {
      managersAllowed: sent.managersAllowed === true,
      assistantManagersAllowed: sent.assistantManagersAllowed === true,
      membersAllowed: sent.membersAllowed === true,
    };
  }
  change.permissionSettings = permissionSettings;
}
