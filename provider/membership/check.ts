/**
 * `check` of a ChatMembership: every declared value validated before anything reaches Google,
 * so invalid input fails at preview with zero API calls. Pure: no I/O; returns failures.
 *
 * What can't be known here: whether the space is in import mode (the space's `name` is all the
 * membership gets). `createTime` and `deleteTime` are refused where import mode is impossible
 * (app authentication, admin access); elsewhere Google refuses them outside import mode.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { UNKNOWN } from "../space/check";
import { BOOKKEEPING_INPUTS } from "../space/inputs";
import { DECLARED_MEMBERSHIP_INPUTS } from "./inputs";
import { type ChatMembershipInputs, MEMBERSHIP_ROLES } from "./types";

export interface MembershipCheckContext {
  /** The configured kind of caller; unknown before configure. */
  auth?: "app" | "user";
  /** Whether calls use the user's Workspace administrator privileges (`useAdminAccess`). */
  useAdminAccess?: boolean;
  now: number;
}

const KNOWN_INPUTS = new Set<string>([...DECLARED_MEMBERSHIP_INPUTS, ...BOOKKEEPING_INPUTS]);
const SPACE = /^spaces\/[^/\s]+$/;
const USER_ID = /^users\/[^/@\s]+$/;
/** An email as Workspace accepts one: a local part, @, a domain with a dot. */
const EMAIL = /^[^@\s/]+@[^@\s/]+\.[^@\s/]+$/;
const GROUP = /^groups\/[^/\s]+$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export const known = <T>(v: T | undefined | null): v is T => v !== undefined && v !== null && v !== UNKNOWN;

export function checkMembership(inputs: ChatMembershipInputs, ctx: MembershipCheckContext): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });

  for (const key of Object.keys(inputs)) {
    if (!KNOWN_INPUTS.has(key)) fail(key, `unknown property "${key}": ChatMembership takes ${DECLARED_MEMBERSHIP_INPUTS.join(", ")}.`);
  }

  const { space, createTime, deleteTime } = inputs;
  checkSpace(space, fail);
  checkMember(inputs, ctx, fail, "one ChatMembership is one member");

  for (const [field, value] of [["createTime", createTime], ["deleteTime", deleteTime]] as const) {
    if (!known(value) || value === undefined) continue;
    if (!RFC3339.test(value) || Number.isNaN(Date.parse(value))) fail(field, `must be an RFC 3339 time such as 2019-01-01T00:00:00Z, not ${JSON.stringify(value)}.`);
    else if (Date.parse(value) > ctx.now) fail(field, `${value} is in the future: historical memberships are in the past.`);
    else if (ctx.auth === "app" || ctx.useAdminAccess) {
      fail(field, "is for import mode only, which needs user authentication through domain-wide delegation (chat.import), without googlechat:useAdminAccess.");
    }
  }
  if (deleteTime !== undefined && createTime === undefined) fail("deleteTime", "needs createTime: a historical membership has both.");
  if (known(createTime) && known(deleteTime) && createTime && deleteTime && Date.parse(deleteTime) < Date.parse(createTime)) {
    fail("deleteTime", `${deleteTime} is before createTime ${createTime}.`);
  }
  return failures;
}

/** The space a ChatMembership or a ChatSpaceMembers roster belongs to: required, `spaces/{space}`. */
export function checkSpace(space: string | undefined, fail: (property: string, reason: string) => void): void {
  if (space === undefined || space === null || space === "") fail("space", "is required: a ChatSpace's name output, or spaces/{space}.");
  else if (known(space) && !SPACE.test(space)) fail("space", `must be spaces/{space}, not ${JSON.stringify(space)}.`);
}

/** One member as a ChatMembership or a roster entry declares it. */
export type MemberDeclaration = Pick<ChatMembershipInputs, "user" | "group" | "chatApp" | "role">;

/**
 * The rules of one declared member, the same for a ChatMembership and each entry of a
 * ChatSpaceMembers roster: exactly one of user, group and chatApp, their formats, the role,
 * and what app authentication and admin access can't add. `fail` names the field; `oneMember`
 * ends the message of a second member ("one ChatMembership is one member").
 */
export function checkMember(member: MemberDeclaration, ctx: MembershipCheckContext, fail: (property: string, reason: string) => void, oneMember: string): void {
  const { user, group, chatApp, role } = member;
  const members = [user !== undefined && "user", group !== undefined && "group", chatApp !== undefined && chatApp !== false && "chatApp"].filter(
    (m): m is string => m !== false,
  );
  if (members.length === 0) fail("user", "one of user, group or chatApp: true is required: the member of the space.");
  if (members.length > 1) fail(members[1], `only one of user, group and chatApp may be set, not ${members.join(" and ")}: ${oneMember}.`);

  if (known(user) && user !== undefined) {
    if (user === "users/app") fail("user", "users/app is the calling Chat app: declare chatApp: true instead.");
    else if (user.startsWith("users/") ? !USER_ID.test(user) && !EMAIL.test(user.slice(6)) : !EMAIL.test(user)) {
      fail("user", `must be an email (alice@example.com) or users/{id}, not ${JSON.stringify(user)}.`);
    }
  }
  if (known(group) && group !== undefined && !GROUP.test(group)) fail("group", `must be groups/{group}, not ${JSON.stringify(group)}.`);
  if (known(chatApp) && chatApp !== undefined && typeof chatApp !== "boolean") fail("chatApp", "must be true or left out.");

  if (known(role) && role !== undefined) {
    if (!MEMBERSHIP_ROLES.includes(role)) {
      fail("role", `must be one of ${MEMBERSHIP_ROLES.join(", ")} (ROLE_ASSISTANT_MANAGER is shown as Manager in Chat, ROLE_MANAGER as Owner), not ${JSON.stringify(role)}.`);
    } else if (group !== undefined) {
      fail("role", "can't be set on a Google Group's membership: Google gives groups no role. Leave it out.");
    } else if (chatApp === true && role !== "ROLE_MEMBER") {
      fail("role", `can't be ${role} for a Chat app: apps are always members (ROLE_MEMBER). Leave it out.`);
    }
  }

  if (ctx.auth === "app") {
    if (chatApp === true) fail("chatApp", "can't be added with app authentication: a Chat app can't add Chat apps. Add it with user authentication (googlechat:impersonateUser).");
    if (group !== undefined) fail("group", "needs user authentication: a Chat app can't add Google Groups (googlechat:impersonateUser).");
  }
  if (ctx.useAdminAccess && chatApp === true) {
    fail("chatApp", "can't be managed with googlechat:useAdminAccess: admin access doesn't reach Chat apps' memberships.");
  }

}
