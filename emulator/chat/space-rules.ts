/**
 * Field rules of `spaces.create` and `spaces.patch` that depend on the body alone
 * (v1.d.ts Resource$Spaces.create, Schema$Space; docs/google-chat-api.md "Spaces"). Rules that need the
 * stored data (names already used, who created what) live in the store.
 */
import type { chat_v1 } from "@googleapis/chat";
import { ApiError, invalidArgument } from "../errors";
import {
  type AccessPermissions,
  type Caller,
  HISTORY_STATES,
  type HistoryState,
  type PermissionSettings,
  PREDEFINED_PERMISSION_SETTINGS,
  type SpaceType,
  type WorldSettings,
} from "../model";

export const MAX_DISPLAY_NAME = 128;
export const MAX_DESCRIPTION = 150;
export const MAX_GUIDELINES = 5000;

/** Google counts characters as code points, not UTF-16 units. */
export const codePoints = (s: string) => [...s].length;

export function checkLength(field: string, value: string, max: number): void {
  if (codePoints(value) > max) {
    throw invalidArgument(`${field} is ${codePoints(value)} characters long; it supports up to ${max} characters.`);
  }
}

const CUSTOMER_FORM = /^customers\/[A-Za-z0-9_]+$/;
const EARLIEST_IMPORT_TIME = Date.parse("2000-01-01T00:00:00Z");

/** The validated, normalised content of a create request. */
export interface NewSpace {
  spaceType: SpaceType;
  displayName: string;
  description: string;
  guidelines: string;
  spaceHistoryState: HistoryState;
  externalUserAllowed: boolean;
  importMode: boolean;
  createTime?: string;
  customer?: string;
  audience?: string;
  predefined: (typeof PREDEFINED_PERMISSION_SETTINGS)[number];
}

export function validateCreate(body: chat_v1.Schema$Space, caller: Caller, world: WorldSettings, now: number): NewSpace {
  const importMode = body.importMode === true;
  const isApp = caller.principal.kind === "app";
  const spaceType = checkSpaceType(body.spaceType, importMode);
  if (importMode && isApp) {
    throw new ApiError("PERMISSION_DENIED", "Import mode spaces can only be created with user authentication.");
  }

  const displayName = body.displayName ?? "";
  if (spaceType === "SPACE" && displayName.trim() === "") {
    throw invalidArgument("space.display_name is required when space_type is SPACE.");
  }
  if (spaceType === "GROUP_CHAT" && displayName !== "") {
    throw invalidArgument("space.display_name must not be set when space_type is GROUP_CHAT.");
  }
  checkLength("space.display_name", displayName, MAX_DISPLAY_NAME);
  const description = body.spaceDetails?.description ?? "";
  const guidelines = body.spaceDetails?.guidelines ?? "";
  checkLength("space.space_details.description", description, MAX_DESCRIPTION);
  checkLength("space.space_details.guidelines", guidelines, MAX_GUIDELINES);

  const customer = checkCustomer(body.customer ?? undefined, spaceType, caller, world);

  if (body.permissionSettings) {
    throw invalidArgument(
      "space.permission_settings can't be set when creating a space; set predefined_permission_settings, then update permission_settings with spaces.patch.",
    );
  }
  const predefined = body.predefinedPermissionSettings ?? "COLLABORATION_SPACE";
  if (!(PREDEFINED_PERMISSION_SETTINGS as readonly string[]).includes(predefined)) {
    throw invalidArgument(`Invalid value for space.predefined_permission_settings: "${predefined}". Use COLLABORATION_SPACE or ANNOUNCEMENT_SPACE.`);
  }

  // v1.d.ts AccessSettings.accessPermissionSettings: "To set the target audience when creating a
  // space, specify the accessSettings.audience field"; the permission settings are a patch of their own.
  if (body.accessSettings?.accessPermissionSettings) {
    throw invalidArgument(
      "space.access_settings.access_permission_settings can't be set when creating a space; set access_settings.audience, " +
        "then update access_settings.access_permission_settings with spaces.patch.",
    );
  }
  const spaceHistoryState = checkHistoryState(body.spaceHistoryState ?? "HISTORY_ON", "space.space_history_state");
  const audience = body.accessSettings?.audience ?? undefined;
  if (audience !== undefined && audience !== "") {
    if (isApp) {
      throw new ApiError("PERMISSION_DENIED", "Setting space.access_settings.audience requires user authentication.");
    }
    checkAudience(audience, "space.access_settings.audience");
  }

  // Output-only outside import mode: ignored, never an error (AIP-203).
  const createTime = importMode && body.createTime ? checkImportCreateTime(body.createTime, now) : undefined;

  return {
    spaceType,
    displayName,
    description,
    guidelines,
    spaceHistoryState,
    externalUserAllowed: body.externalUserAllowed === true,
    importMode,
    createTime,
    customer,
    audience: audience || undefined,
    predefined: predefined as NewSpace["predefined"],
  };
}

function checkSpaceType(value: string | null | undefined, importMode: boolean): SpaceType {
  if (!value || value === "SPACE_TYPE_UNSPECIFIED") {
    throw invalidArgument("space.space_type is required: use SPACE, or GROUP_CHAT in import mode.");
  }
  if (value === "DIRECT_MESSAGE") {
    throw invalidArgument("Direct messages can't be created with spaces.create; use spaces.setup.");
  }
  if (value === "GROUP_CHAT" && !importMode) {
    throw invalidArgument("A GROUP_CHAT can only be created in import mode.");
  }
  if (value !== "SPACE" && value !== "GROUP_CHAT") {
    throw invalidArgument(`Invalid value for space.space_type: "${value}".`);
  }
  return value;
}

function checkCustomer(value: string | undefined, spaceType: SpaceType, caller: Caller, world: WorldSettings) {
  if (caller.principal.kind === "app") {
    if (spaceType === "SPACE" && !value) {
      throw invalidArgument("space.customer is required when creating a SPACE with app authentication.");
    }
  } else if (value && value !== "customers/my_customer" && value !== world.customer) {
    throw invalidArgument("space.customer should not be set with user authentication.");
  }
  if (!value) return undefined;
  if (!CUSTOMER_FORM.test(value)) {
    throw invalidArgument(`Invalid space.customer "${value}": use the format customers/{customer}.`);
  }
  const approvedElsewhere = caller.principal.kind === "app" && world.appCustomers.includes(value);
  if (value !== "customers/my_customer" && value !== world.customer && !approvedElsewhere) {
    throw new ApiError("PERMISSION_DENIED", `The caller can't create spaces for ${value}.`);
  }
  if (approvedElsewhere) return value;
  return world.canonicalizeMyCustomer ? world.customer : value;
}

/** Whether two customer names are the same organisation: `customers/my_customer` is the world's own. */
export function sameCustomer(a: string | null | undefined, b: string | null | undefined, world: WorldSettings): boolean {
  const canonical = (c: string | null | undefined) => (c === "customers/my_customer" ? world.customer : (c ?? undefined));
  return canonical(a) === canonical(b);
}

export function checkHistoryState(value: string, field: string): HistoryState {
  if (!(HISTORY_STATES as readonly string[]).includes(value)) {
    throw invalidArgument(`Invalid value for ${field}: "${value}". Use HISTORY_ON or HISTORY_OFF.`);
  }
  return value as HistoryState;
}

export function checkAudience(value: string, field: string): void {
  if (!/^audiences\/[A-Za-z0-9_-]+$/.test(value)) {
    throw invalidArgument(`Invalid ${field} "${value}": use the format audiences/{audience}.`);
  }
}

/**
 * The audience names of one access permission setting (v1.d.ts Schema$AccessPermissionSetting:
 * an unordered list of principals, each an audience), duplicates dropped.
 */
export function audiencesOf(setting: chat_v1.Schema$AccessPermissionSetting | undefined, field: string): string[] {
  const names: string[] = [];
  for (const principal of setting?.principals ?? []) {
    const name = principal.audience?.name ?? "";
    if (name === "") throw invalidArgument(`Each principal of ${field}.principals must name an audience: {"audience": {"name": "audiences/{audience}"}}.`);
    checkAudience(name, `${field}.principals.audience.name`);
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** v1.d.ts spaces.patch `updateMask`: "Principals allowed to join the space must also be allowed to discover it." */
export function checkJoinWithinDiscover({ discover, join }: AccessPermissions): void {
  const outside = join.find((name) => !discover.includes(name));
  if (outside) {
    throw invalidArgument(
      `Principals allowed to join the space must also be allowed to discover it: ${outside} is in join_space_setting but not in discover_space_setting.`,
    );
  }
}

function checkImportCreateTime(value: string, now: number): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw invalidArgument(`Invalid space.create_time "${value}": use an RFC 3339 timestamp.`);
  if (time < EARLIEST_IMPORT_TIME || time > now) {
    throw invalidArgument("space.create_time of an import mode space must be between 2000-01-01 and now.");
  }
  return new Date(time).toISOString();
}

const ALL = { managersAllowed: true, assistantManagersAllowed: false, membersAllowed: true };
const MANAGERS = { managersAllowed: true, assistantManagersAllowed: false, membersAllowed: false };

/** Google does not document the presets' settings; these are the emulator's choice (docs/google-chat-api.md "Spaces"). */
export function initialPermissions(predefined: NewSpace["predefined"]): PermissionSettings {
  const each = predefined === "ANNOUNCEMENT_SPACE" ? MANAGERS : ALL;
  return {
    manageMembersAndGroups: { ...each },
    modifySpaceDetails: { ...each },
    toggleHistory: { ...each },
    useAtMentionAll: { ...each },
    manageApps: { ...each },
    manageWebhooks: { ...each },
    replyMessages: { ...ALL },
    postMessages: { ...each },
  };
}
