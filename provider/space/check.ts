/**
 * `check`: validates declared inputs the way the Chat API would, before anything is sent, and
 * reports every problem with the property it concerns and how to fix it. Pure: no I/O.
 * Values still unknown during a preview pass; they are checked when they are known.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { BOOKKEEPING_INPUTS, known, UNKNOWN } from "../core/engine-values";
import { isSpaceName } from "../core/resource-names";
import { isRfc3339Time } from "../core/rfc3339";
import { namesAsMeant, notAccepted, unknownName } from "../core/unseen-characters";
import { GOOGLE_DEFAULTS } from "./identity";
import { DECLARED_INPUTS } from "./inputs";
import { type ChatSpaceInputs, PERMISSION_SETTING_KEYS } from "./types";

export const MAX_DISPLAY_NAME = 128;
export const MAX_DESCRIPTION = 150;
export const MAX_GUIDELINES = 5000;
const EARLIEST_IMPORT_TIME = Date.parse("2000-01-01T00:00:00Z");
const AUDIENCE = /^audiences\/[A-Za-z0-9_-]+$/;
const CUSTOMER = /^customers\/[A-Za-z0-9_]+$/;
/** The test a resource name passes: a string that `pattern` matches. */
const matches = (pattern: RegExp) => (value: unknown) => typeof value === "string" && pattern.test(value);
const isAudience = matches(AUDIENCE);
const isCustomer = matches(CUSTOMER);
const PERMISSION_ROLES = ["managersAllowed", "assistantManagersAllowed", "membersAllowed"];
const NEEDS_USER_AUTH = "needs user authentication: set googlechat:auth to user (or impersonate a user), or remove it.";
const NOT_IN_IMPORT_MODE = "can't be set while the space is in import mode: set it once importMode is false.";

const KNOWN_INPUTS = new Set<string>([...DECLARED_INPUTS, ...BOOKKEEPING_INPUTS]);

export interface CheckContext {
  /**
   * Whether this check precedes a create: no space exists yet. The engine checks a replacement's
   * inputs again without the old ones (pulumi/pulumi pkg/resource/deploy/step_generator.go), so
   * a replacement is checked as a creation too.
   */
  creating: boolean;
  /** The configured kind of caller, when known: app auth needs `customer` and can't use import mode. */
  auth?: "app" | "user";
  now: number;
}

/** What the sections of a check share: the space's kind as declared, and the context. */
interface Declared {
  inputs: ChatSpaceInputs;
  ctx: CheckContext;
  importMode: boolean;
  /** The declared type, Google's default when not declared; undefined while unknown. */
  spaceType: string | undefined;
  /**
   * A create of a new space. Adoption takes a space as it is: the rules of what Google accepts in
   * a create don't apply to it. An adoptSpace still unknown in a preview is an adoption all the same.
   */
  creatingNew: boolean;
}

const isUnknown = (v: unknown) => v === UNKNOWN;
const codePoints = (s: string) => [...s].length;

/** The failures of one check, and the typed readers that report a value of the wrong type. */
class Failures {
  readonly list: CheckFailure[] = [];

  fail(property: string, reason: string): void {
    this.list.push({ property, reason });
  }

  str(property: string, value: unknown): value is string {
    if (!known(value)) return false;
    if (typeof value === "string") return true;
    this.fail(property, `must be a string, not ${typeof value}.`);
    return false;
  }

  bool(property: string, value: unknown): value is boolean {
    if (!known(value)) return false;
    if (typeof value === "boolean") return true;
    this.fail(property, `must be true or false, not ${JSON.stringify(value)}.`);
    return false;
  }

  obj(property: string, value: unknown): value is Record<string, unknown> {
    if (!known(value)) return false;
    if (typeof value === "object" && !Array.isArray(value)) return true;
    this.fail(property, `must be an object, not ${JSON.stringify(value)}.`);
    return false;
  }

  oneOf(property: string, value: unknown, allowed: string[]): void {
    if (this.str(property, value) && !allowed.includes(value)) this.fail(property, `must be one of ${allowed.join(", ")}, not "${value}".`);
  }

  maxLength(property: string, value: unknown, max: number): void {
    if (this.str(property, value) && codePoints(value) > max) {
      this.fail(property, `is ${codePoints(value)} characters long; Google Chat allows at most ${max}. Shorten it.`);
    }
  }

  /** A list of audience names; undefined when unknown or not a list. */
  audiences(property: string, value: unknown): string[] | undefined {
    if (!known(value)) return undefined;
    if (!Array.isArray(value)) {
      this.fail(property, `must be a list of audiences/{audience}, not ${JSON.stringify(value)}.`);
      return undefined;
    }
    const bad = value.filter((a) => !isUnknown(a) && !isAudience(a));
    if (bad.length > 0) {
      this.fail(property, `must list audiences as audiences/{audience} (audiences/default for the organisation's default), ${notAccepted(isAudience, ...bad)}`);
    }
    return value.filter((a): a is string => typeof a === "string" && !isUnknown(a));
  }
}

export function checkInputs(sent: ChatSpaceInputs, ctx: CheckContext): CheckFailure[] {
  const failures = new Failures();
  checkPropertyNames(sent, failures);
  const inputs = namesAsMeant(sent, KNOWN_INPUTS);
  const spaceType = known(inputs.spaceType) ? inputs.spaceType : isUnknown(inputs.spaceType) ? undefined : GOOGLE_DEFAULTS.spaceType;
  const declared: Declared = { inputs, ctx, importMode: inputs.importMode === true, spaceType, creatingNew: ctx.creating && inputs.adoptSpace === undefined };
  for (const section of SECTIONS) section(declared, failures);
  return failures.list.map(atTopLevel);
}

/** The sections of a check, in the order their failures are reported. */
const SECTIONS: ((declared: Declared, failures: Failures) => void)[] = [
  checkKind,
  checkDisplayName,
  checkSpaceDetails,
  checkAccessSettings,
  checkPermissionSettings,
  checkOrganisation,
  checkCreateTime,
  checkNames,
];

/** The names declared: each one a ChatSpace takes. The sections after it read a name misspelt with a character that can't be seen as meant. */
function checkPropertyNames(sent: ChatSpaceInputs, f: Failures): void {
  for (const key of Object.keys(sent)) {
    if (!KNOWN_INPUTS.has(key)) f.fail(key, `unknown property ${unknownName(key, KNOWN_INPUTS)}: ChatSpace takes ${DECLARED_INPUTS.join(", ")}.`);
  }
}

/** What kind of space it is: its type, import mode, external users and history. */
function checkKind({ inputs, importMode, spaceType, creatingNew }: Declared, f: Failures): void {
  f.bool("importMode", inputs.importMode);
  f.bool("externalUserAllowed", inputs.externalUserAllowed);
  if (inputs.spaceType === ("DIRECT_MESSAGE" as string)) {
    f.fail("spaceType", "a direct message can't be created as a ChatSpace (Google creates DMs with spaces.setup); use SPACE.");
  } else {
    f.oneOf("spaceType", inputs.spaceType, ["SPACE", "GROUP_CHAT"]);
  }
  // A group chat that finished its import stays a GROUP_CHAT with importMode false: only its creation needs import mode.
  if (creatingNew && spaceType === "GROUP_CHAT" && !importMode && !isUnknown(inputs.importMode)) {
    f.fail("spaceType", "GROUP_CHAT can only be created in import mode: set importMode to true, or use SPACE.");
  }
}

function checkDisplayName({ inputs, spaceType }: Declared, f: Failures): void {
  if (spaceType === "SPACE" && !isUnknown(inputs.displayName)) {
    if (inputs.displayName === undefined || (typeof inputs.displayName === "string" && inputs.displayName.trim() === "")) {
      f.fail("displayName", "is required for a SPACE: give the space a name, unique in your organisation.");
    }
  }
  if (spaceType === "GROUP_CHAT" && known(inputs.displayName) && inputs.displayName !== "") {
    f.fail("displayName", "must not be set for a GROUP_CHAT: group chats have no name until they become a SPACE.");
  }
  f.maxLength("displayName", inputs.displayName, MAX_DISPLAY_NAME);
}

function checkSpaceDetails({ inputs }: Declared, f: Failures): void {
  if (f.obj("spaceDetails", inputs.spaceDetails)) {
    const { description, guidelines, ...rest } = inputs.spaceDetails as Record<string, unknown>;
    f.maxLength("spaceDetails.description", description, MAX_DESCRIPTION);
    f.maxLength("spaceDetails.guidelines", guidelines, MAX_GUIDELINES);
    for (const key of Object.keys(rest)) f.fail(`spaceDetails.${key}`, "is not a field of spaceDetails: use description and guidelines.");
  }
  f.oneOf("spaceHistoryState", inputs.spaceHistoryState, ["HISTORY_ON", "HISTORY_OFF"]);
}

/** Who may find and join the space: its audience and access permission settings. */
function checkAccessSettings({ inputs, ctx, importMode, spaceType }: Declared, f: Failures): void {
  if (!f.obj("accessSettings", inputs.accessSettings)) return;
  const { audience, accessPermissionSettings, ...rest } = inputs.accessSettings as Record<string, unknown>;
  if (f.str("accessSettings.audience", audience) && audience !== "" && !isAudience(audience)) {
    const refused = notAccepted(isAudience, audience);
    f.fail("accessSettings.audience", `must look like audiences/{audience} (audiences/default for the organisation's default), ${refused}`);
  }
  if (known(audience) && audience !== "" && importMode) f.fail("accessSettings.audience", NOT_IN_IMPORT_MODE);
  if (known(audience) && audience !== "" && ctx.auth === "app") f.fail("accessSettings.audience", NEEDS_USER_AUTH);
  if (f.obj("accessSettings.accessPermissionSettings", accessPermissionSettings)) {
    checkAccessPermissionSettings(accessPermissionSettings, importMode, ctx, f);
  }
  for (const key of Object.keys(rest)) {
    f.fail(`accessSettings.${key}`, "is not a field of accessSettings: use audience and accessPermissionSettings (accessState is output only).");
  }
  // v1.d.ts updateMask: access_settings.* apply "where spaceType field is SPACE".
  // (`accessSettings: {}`, private, is what a group chat is: nothing to send.)
  if (spaceType === "GROUP_CHAT" && ((known(audience) && audience !== "") || accessPermissionSettings !== undefined)) {
    f.fail("accessSettings", "only applies to a SPACE.");
  }
}

function checkAccessPermissionSettings(settings: Record<string, unknown>, importMode: boolean, ctx: CheckContext, f: Failures): void {
  const property = "accessSettings.accessPermissionSettings";
  const { discoverSpaceSetting, joinSpaceSetting, ...others } = settings;
  const discover = f.audiences(`${property}.discoverSpaceSetting`, discoverSpaceSetting);
  const join = f.audiences(`${property}.joinSpaceSetting`, joinSpaceSetting);
  const notDiscoverable = join && discover ? join.filter((a) => !discover.includes(a)) : [];
  if (notDiscoverable.length > 0) {
    f.fail(
      `${property}.joinSpaceSetting`,
      `lists ${notDiscoverable.join(", ")}, not in discoverSpaceSetting: whoever may join must be allowed to discover the space. Add them there.`,
    );
  }
  if (importMode) f.fail(property, NOT_IN_IMPORT_MODE);
  if (ctx.auth === "app") f.fail(property, NEEDS_USER_AUTH);
  for (const key of Object.keys(others)) {
    f.fail(`${property}.${key}`, "is not an access permission setting: use discoverSpaceSetting and joinSpaceSetting.");
  }
}

/** Who may do what: a preset, or the settings one by one. */
function checkPermissionSettings({ inputs, ctx, spaceType }: Declared, f: Failures): void {
  f.oneOf("predefinedPermissionSettings", inputs.predefinedPermissionSettings, ["COLLABORATION_SPACE", "ANNOUNCEMENT_SPACE"]);
  if (!f.obj("permissionSettings", inputs.permissionSettings)) return;
  for (const [key, setting] of Object.entries(inputs.permissionSettings as Record<string, unknown>)) {
    const property = `permissionSettings.${key}`;
    if (key === "postMessages") f.fail(property, "is output only: Google sets who may post from predefinedPermissionSettings.");
    else if (!(PERMISSION_SETTING_KEYS as readonly string[]).includes(key))
      f.fail(property, `is not a permission setting: use ${PERMISSION_SETTING_KEYS.join(", ")}.`);
    else if (f.obj(property, setting)) {
      for (const [role, allowed] of Object.entries(setting)) {
        if (!PERMISSION_ROLES.includes(role)) f.fail(`${property}.${role}`, "is not a role: use managersAllowed, assistantManagersAllowed or membersAllowed.");
        else f.bool(`${property}.${role}`, allowed);
      }
    }
  }
  if (ctx.creating && known(inputs.predefinedPermissionSettings)) {
    f.fail("permissionSettings", "can't be combined with predefinedPermissionSettings when the space is created: choose the preset, or list the settings.");
  }
  if (spaceType === "GROUP_CHAT") f.fail("permissionSettings", "only applies to a SPACE.");
}

/** The organisation the space is made in, and what the kind of caller allows there. */
function checkOrganisation({ inputs, ctx, importMode, spaceType, creatingNew }: Declared, f: Failures): void {
  if (f.str("customer", inputs.customer) && !isCustomer(inputs.customer)) {
    const refused = notAccepted(isCustomer, inputs.customer);
    f.fail("customer", `must look like customers/{customer} (customers/my_customer for your own organisation), ${refused}`);
  }
  // v1.d.ts `Schema$Space.customer`: "Required only when creating a space with app authentication
  // and SpaceType is SPACE, otherwise should not be set."
  // Adoptions too: a forced replacement of an adopted space deletes it, then creates one.
  if (ctx.creating && ctx.auth === "app" && spaceType === "SPACE" && inputs.customer === undefined) {
    f.fail("customer", "is required with app authentication: set it to customers/my_customer, or to your organisation's customers/{id}.");
  }
  // A GROUP_CHAT needs import mode, which needs user authentication: the user rule covers it too.
  if (creatingNew && known(inputs.customer) && ctx.auth === "user") {
    f.fail(
      "customer",
      "must not be set with user authentication: Google creates the space in the user's own organisation. Remove it (or use app authentication).",
    );
  }
  if (importMode && ctx.auth === "app") {
    f.fail("importMode", "needs user authentication with domain-wide delegation (the chat.import scope): set googlechat:impersonateUser.");
  }
}

function checkCreateTime({ inputs, ctx, importMode, creatingNew }: Declared, f: Failures): void {
  if (!f.str("createTime", inputs.createTime)) return;
  const time = Date.parse(inputs.createTime);
  // After an import completes, the declaration keeps the historical time the space was created with.
  if (creatingNew && !importMode && !isUnknown(inputs.importMode)) {
    f.fail("createTime", "can only be set in import mode, to keep a migrated space's original creation time: remove it, or set importMode.");
  } else if (!isRfc3339Time(inputs.createTime)) {
    f.fail(
      "createTime",
      `must be an RFC 3339 timestamp such as 2019-05-01T10:00:00Z, not "${inputs.createTime}": ` +
        "written so, the same instant is no change to a space that has it.",
    );
  } else if (time < EARLIEST_IMPORT_TIME || time > ctx.now) {
    f.fail("createTime", "must be between 2000-01-01 and now.");
  }
}

/** The names the provider is given: the create's requestId, the space adopted. */
function checkNames({ inputs }: Declared, f: Failures): void {
  if (f.str("requestId", inputs.requestId) && inputs.requestId.trim() === "") {
    f.fail("requestId", "must not be empty: remove it to use the id derived from the resource's URN.");
  }
  // A space's id holds no character that can't be seen (core/resource-names.ts): the pattern refuses each.
  if (f.str("adoptSpace", inputs.adoptSpace) && !isSpaceName(inputs.adoptSpace)) {
    f.fail("adoptSpace", `must name an existing space as spaces/{space}, ${notAccepted(isSpaceName, inputs.adoptSpace)}`);
  }
}

/**
 * The engine reports a failure as `property <p> value <v>` and looks `<p>` up as a top-level
 * input, so a nested path goes into the reason, under its top-level property.
 */
function atTopLevel(failure: CheckFailure): CheckFailure {
  const dot = failure.property.indexOf(".");
  if (dot < 0) return failure;
  return { property: failure.property.slice(0, dot), reason: `${failure.property} ${failure.reason}` };
}
