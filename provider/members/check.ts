/**
 * The check rules a ChatMembership and each entry of a ChatSpaceMembers roster share: the space
 * they belong to, and one declared member (exactly one of user, group and chatApp, their
 * formats, the role, and what app authentication and admin access can't add). Pure: no I/O.
 *
 * The engine's values are untyped: a program may send `null` (Pulumi serializes a list's
 * `undefined` entry as null, @pulumi/pulumi runtime/rpc.ts `serializeProperty`; YAML has `null`)
 * or a number where a string is due. Each value is judged by {@link checkValue}, so such input
 * fails here, naming the property, instead of reaching a create; so does a value holding a
 * character that can't be seen (core/unseen-characters.ts), named in its failure.
 */
import type { ConfiguredCheckContext } from "../core/configured-provider";
import { UNKNOWN } from "../core/engine-values";
import { isSpaceName } from "../core/resource-names";
import { holdsUnseen, notAccepted } from "../core/unseen-characters";
import { type MemberDeclaration, namesCallingApp } from "./member-ref";
import { MEMBERSHIP_ROLES } from "./roles";

/** What a member check needs to know of the configuration: it makes no call. */
export type MembershipCheckContext = ConfiguredCheckContext;

/** Reports one failure of `property`. */
export type Fail = (property: string, reason: string) => void;

/** What one declared value must be: in words, for its failures, and as a test of any value (its type and its form). */
export interface ValueRule {
  /** What to set, as in "must be …, not 42". */
  readonly what: string;
  readonly accepts: (value: unknown) => boolean;
  /** How to leave the value out, as in "is null: set …, or …"; "leave it out" unless said. */
  readonly leaveOut?: string;
}

/**
 * Judges one declared value by its rule, failing `property` for `null` (it declares nothing) and
 * for a value the rule refuses. A value left out, or unknown until apply (a preview's
 * engine-values.ts UNKNOWN), is not judged. Returns whether the value is there, known and
 * accepted, so that the rules relating it to other values may read it.
 */
export function checkValue(property: string, value: unknown, rule: ValueRule, fail: Fail): boolean {
  if (value === undefined || value === UNKNOWN) return false;
  if (value === null) fail(property, `is null: set ${rule.what}, or ${rule.leaveOut ?? "leave it out"}.`);
  // No value a rule here takes holds a character that can't be seen, even where its pattern would let one through.
  else if (holdsUnseen(value) || !rule.accepts(value)) fail(property, `must be ${rule.what}, ${notAccepted(rule.accepts, value)}`);
  else return true;
  return false;
}

const isString = (value: unknown): value is string => typeof value === "string";
const USER_ID = /^users\/[^/@\s]+$/;
/** An email as Workspace accepts one: a local part, @, a domain with a dot. */
const EMAIL = /^[^@\s/]+@[^@\s/]+\.[^@\s/]+$/;
const GROUP = /^groups\/[^/\s]+$/;

const SPACE: ValueRule = { what: "spaces/{space}", accepts: isSpaceName };
const USER: ValueRule = {
  what: "an email (alice@example.com) or users/{id}",
  accepts: (v) => isString(v) && (v.startsWith("users/") ? USER_ID.test(v) || EMAIL.test(v.slice("users/".length)) : EMAIL.test(v)),
};
const GROUP_NAME: ValueRule = { what: "groups/{group}", accepts: (v) => isString(v) && GROUP.test(v) };
const CHAT_APP: ValueRule = { what: "true (the calling Chat app)", accepts: (v) => typeof v === "boolean" };
const ROLE: ValueRule = {
  what: `one of ${MEMBERSHIP_ROLES.join(", ")} (ROLE_ASSISTANT_MANAGER is shown as Manager in Chat, ROLE_MANAGER as Owner)`,
  accepts: (v) => isString(v) && (MEMBERSHIP_ROLES as readonly string[]).includes(v),
};

/** A roster's entry: an object declaring one member. */
export const MEMBER_ENTRY: ValueRule = {
  what: "{ user }, { group } or { chatApp: true }, with a role",
  accepts: (v) => typeof v === "object" && v !== null && !Array.isArray(v),
  leaveOut: "remove the entry from the list (Pulumi sends a list's undefined entry as null: filter such entries out)",
};

/** The space a ChatMembership or a roster belongs to: required, `spaces/{space}`. */
export function checkSpace(space: unknown, fail: Fail): void {
  if (space === undefined || space === null || space === "") fail("space", "is required: a ChatSpace (the resource itself), its id, or spaces/{space}.");
  else checkValue("space", space, SPACE, fail);
}

/** A member's fields as a program may send them: of any type. */
export type SentMember = { readonly [field in keyof MemberDeclaration]?: unknown };

/** Whether a field is declared: `null` declares nothing (check refuses it), `chatApp: false` neither. */
const declares = (value: unknown): boolean => value !== undefined && value !== null && value !== false;

/**
 * One declared member. `fail` names the field; `oneMember` ends the message of a second member
 * ("one ChatMembership is one member"). Of the configuration it reads only how the provider calls.
 */
export function checkMember(member: SentMember, ctx: Pick<MembershipCheckContext, "auth" | "useAdminAccess">, fail: Fail, oneMember: string): void {
  const { user, group, chatApp, role } = member;
  const members = (["user", "group", "chatApp"] as const).filter((field) => declares(member[field]));
  // A null field is refused as such below: it gets no second failure for a member missing.
  if (members.length === 0 && ![user, group, chatApp].includes(null)) fail("user", "one of user, group or chatApp: true is required: the member of the space.");
  if (members.length > 1) fail(members[1], `only one of user, group and chatApp may be set, not ${members.join(" and ")}: ${oneMember}.`);

  if (typeof user === "string" && namesCallingApp(user))
    fail("user", `${JSON.stringify(user)} is the calling Chat app (users/app, in any capitals): declare chatApp: true instead.`);
  else checkValue("user", user, USER, fail);
  checkValue("group", group, GROUP_NAME, fail);
  checkValue("chatApp", chatApp, CHAT_APP, fail);

  if (checkValue("role", role, ROLE, fail)) {
    if (declares(group)) {
      fail("role", "can't be set on a Google Group's membership: Google gives groups no role. Leave it out.");
    } else if (chatApp === true && role !== "ROLE_MEMBER") {
      fail("role", `can't be ${role} for a Chat app: apps are always members (ROLE_MEMBER). Leave it out.`);
    }
  }

  if (ctx.auth === "app") {
    if (chatApp === true)
      fail("chatApp", "can't be added with app authentication: a Chat app can't add Chat apps. Add it with user authentication (googlechat:impersonateUser).");
    if (declares(group)) {
      fail(
        "group",
        "needs user authentication: a Chat app can't add or remove Google Groups (googlechat:impersonateUser); " +
          "or leave it out: a group already in the space stays, as under app authentication none is removed.",
      );
    }
  }
  if (ctx.useAdminAccess && chatApp === true) {
    fail("chatApp", "can't be managed with googlechat:useAdminAccess: admin access doesn't reach Chat apps' memberships.");
  }
}
