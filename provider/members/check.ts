/**
 * The check rules a ChatMembership and each entry of a ChatSpaceMembers roster share: the space
 * they belong to, and one declared member (exactly one of user, group and chatApp, their
 * formats, the role, and what app authentication and admin access can't add). Pure: no I/O.
 */
import type { ConfiguredCheckContext } from "../core/configured-provider";
import { known } from "../core/engine-values";
import { isSpaceName } from "../core/resource-names";
import type { MemberDeclaration } from "./member-ref";
import { MEMBERSHIP_ROLES } from "./roles";

/** What a member check needs to know of the configuration: it makes no call. */
export type MembershipCheckContext = ConfiguredCheckContext;

/** Reports one failure of `property`. */
export type Fail = (property: string, reason: string) => void;

const USER_ID = /^users\/[^/@\s]+$/;
/** An email as Workspace accepts one: a local part, @, a domain with a dot. */
const EMAIL = /^[^@\s/]+@[^@\s/]+\.[^@\s/]+$/;
const GROUP = /^groups\/[^/\s]+$/;

/** The space a ChatMembership or a roster belongs to: required, `spaces/{space}`. */
export function checkSpace(space: string | undefined, fail: Fail): void {
  if (space === undefined || space === null || space === "") fail("space", "is required: a ChatSpace (the resource itself), its id, or spaces/{space}.");
  else if (known(space) && !isSpaceName(space)) fail("space", `must be spaces/{space}, not ${JSON.stringify(space)}.`);
}

/**
 * One declared member. `fail` names the field; `oneMember` ends the message of a second member
 * ("one ChatMembership is one member").
 */
export function checkMember(member: MemberDeclaration, ctx: MembershipCheckContext, fail: Fail, oneMember: string): void {
  const { user, group, chatApp, role } = member;
  const members = [user !== undefined && "user", group !== undefined && "group", chatApp !== undefined && chatApp !== false && "chatApp"].filter(
    (m): m is string => m !== false,
  );
  if (members.length === 0) fail("user", "one of user, group or chatApp: true is required: the member of the space.");
  if (members.length > 1) fail(members[1], `only one of user, group and chatApp may be set, not ${members.join(" and ")}: ${oneMember}.`);

  if (known(user)) {
    if (user === "users/app") fail("user", "users/app is the calling Chat app: declare chatApp: true instead.");
    else if (user.startsWith("users/") ? !USER_ID.test(user) && !EMAIL.test(user.slice(6)) : !EMAIL.test(user)) {
      fail("user", `must be an email (alice@example.com) or users/{id}, not ${JSON.stringify(user)}.`);
    }
  }
  if (known(group) && !GROUP.test(group)) fail("group", `must be groups/{group}, not ${JSON.stringify(group)}.`);
  if (known(chatApp) && typeof chatApp !== "boolean") fail("chatApp", "must be true or left out.");

  if (known(role)) {
    if (!MEMBERSHIP_ROLES.includes(role)) {
      fail(
        "role",
        `must be one of ${MEMBERSHIP_ROLES.join(", ")} (ROLE_ASSISTANT_MANAGER is shown as Manager in Chat, ROLE_MANAGER as Owner), ` +
          `not ${JSON.stringify(role)}.`,
      );
    } else if (group !== undefined) {
      fail("role", "can't be set on a Google Group's membership: Google gives groups no role. Leave it out.");
    } else if (chatApp === true && role !== "ROLE_MEMBER") {
      fail("role", `can't be ${role} for a Chat app: apps are always members (ROLE_MEMBER). Leave it out.`);
    }
  }

  if (ctx.auth === "app") {
    if (chatApp === true)
      fail("chatApp", "can't be added with app authentication: a Chat app can't add Chat apps. Add it with user authentication (googlechat:impersonateUser).");
    if (group !== undefined) fail("group", "needs user authentication: a Chat app can't add Google Groups (googlechat:impersonateUser).");
  }
  if (ctx.useAdminAccess && chatApp === true) {
    fail("chatApp", "can't be managed with googlechat:useAdminAccess: admin access doesn't reach Chat apps' memberships.");
  }
}
