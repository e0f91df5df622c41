/**
 * The contract of a ChatMembership, one member of one space: what a program declares (inputs)
 * and what Pulumi keeps and exports (outputs). Field rules follow the Chat API's Membership
 * resource (node_modules/@googleapis/chat/build/v1.d.ts, `Schema$Membership`).
 *
 * Lifecycle rules, enforced by the provider:
 * - `space`, the member (`user`, `group` or `chatApp`), `createTime` and `deleteTime` identify
 *   the membership: changing a declared one replaces it. An undeclared one is not managed and
 *   never causes a replacement (identity.ts).
 * - `role` is updated in place, by one `members.patch` with mask `role`.
 * - A space is never left without an owner: removing or demoting its last `ROLE_MANAGER` fails.
 * - The calling user is never removed, nor demoted below owner without admin access.
 * - A membership another resource of the program declares is never removed (members/claims.ts).
 */
import type { WithRequired } from "../core/keys";
import type { MemberDeclaration } from "../members/member-ref";
import type { MembershipRole } from "../members/roles";

export { DEFAULT_ROLE, MEMBERSHIP_ROLES, type MembershipRole } from "../members/roles";

/**
 * What a program declares: the arguments of a ChatMembership (sdk/chat-membership.ts) and of the
 * plugin's `googlechat:index:Membership`. A space, exactly one of `user`, `group` and `chatApp`,
 * and a role.
 */
export interface ChatMembershipInputs extends MemberDeclaration {
  /** The space, `spaces/{space}`. Changing it replaces the membership. */
  readonly space?: string;
  /**
   * A person, by email or `users/{id}`. Changing the person replaces the membership.
   * @example "alice@example.com"
   */
  readonly user?: string;
  /**
   * A Google Group, `groups/{group}`: in spaces (not group chats), with user authentication.
   * Groups have no role.
   * @example "groups/0123abcd"
   */
  readonly group?: string;
  /**
   * `true`: the calling Chat app itself (`users/app`). Added by a user (user authentication),
   * never with app authentication or admin access.
   */
  readonly chatApp?: boolean;
  /**
   * The member's role, updated in place; a Chat app is always `ROLE_MEMBER`. Chat names them differently:
   * - `ROLE_MEMBER`: a member.
   * - `ROLE_ASSISTANT_MANAGER`: shown as **Manager** in Chat.
   * - `ROLE_MANAGER`: shown as **Owner** in Chat; spaces only. The last owner of a space can't
   *   be removed or demoted.
   * @default "ROLE_MEMBER"
   */
  readonly role?: MembershipRole;
  /**
   * Import-mode spaces only: when the member joined (RFC 3339), for a migrated membership.
   * Written with `chat.import` (user authentication through domain-wide delegation). Changing it
   * replaces the membership.
   */
  readonly createTime?: string;
  /**
   * Import-mode spaces only: when the member left (RFC 3339), after `createTime`: a historical
   * membership, whose state is NOT_A_MEMBER. Changing it replaces the membership.
   */
  readonly deleteTime?: string;
}

/** What Pulumi keeps and exports for one membership. */
export interface ChatMembershipOutputs {
  /** The membership's canonical resource name, `spaces/{space}/members/{member}`. */
  readonly name: string;
  /** The space, `spaces/{space}`. */
  readonly space: string;
  /** The canonical member: `users/{id}` (a person or an app) or `groups/{id}`. */
  readonly member: string;
  /** HUMAN, BOT or GROUP. */
  readonly memberType: string;
  /** The role as Google last answered; empty for a group. */
  readonly role: string;
  /** JOINED, INVITED (a person whose auto-accept is off, until they accept) or NOT_A_MEMBER (historical). */
  readonly state: string;
  /** The member's relationship to the organisation that owns the space, when Google says. */
  readonly affiliation?: string;
  /** When the member joined, for a membership of an import-mode space. */
  readonly createTime?: string;
  /** When the member left, for a historical membership. */
  readonly deleteTime?: string;
  /** The declaration this state was written for: what diff compares replace-only inputs with. */
  readonly __declared: ChatMembershipInputs;
  /**
   * The calling user (lower-cased email) when the member is that user, as the last write found:
   * a diff under the same caller keeps its role (an owner's or a manager's) instead of planning its demotion.
   */
  readonly __caller?: string;
}

/**
 * One member of one Google Chat space, with its role: a person, a Google Group or the calling
 * Chat app.
 *
 * Creating it adds the member (`members.create`, plus one `members.patch` for a role other than
 * `ROLE_MEMBER`); a member already in the space is taken over, never added twice. A role changed
 * in Chat shows as drift after a refresh, and the next update restores it. A space's last owner
 * is never removed or demoted, nor the calling user.
 */
export interface ChatMembershipContract {
  /** A declaration check accepts: `space` given. */
  readonly inputs: WithRequired<ChatMembershipInputs, "space">;
  readonly outputs: ChatMembershipOutputs;
}
