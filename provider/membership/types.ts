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
import type { MemberDeclaration } from "../members/member-ref";
import type { MembershipRole } from "../members/roles";

export { DEFAULT_ROLE, MEMBERSHIP_ROLES, type MembershipRole } from "../members/roles";

/** What a program declares. Exactly one of `user`, `group` and `chatApp`. */
export interface ChatMembershipInputs extends MemberDeclaration {
  /** The space, `spaces/{space}` (the SDK sends a ChatSpace's id). */
  readonly space?: string;
  /** A person: an email (`alice@example.com`) or `users/{id}`. */
  readonly user?: string;
  /** A Google Group, `groups/{group}`: spaces (not group chats) only, with user authentication. */
  readonly group?: string;
  /** `true`: the calling Chat app itself (`users/app`), added by a user (not with app authentication). */
  readonly chatApp?: boolean;
  /** The member's role; groups have none. @default "ROLE_MEMBER" */
  readonly role?: MembershipRole;
  /** Import mode only: when the member joined (RFC 3339), for a historical or migrated membership. */
  readonly createTime?: string;
  /** Import mode only: when the member left (RFC 3339): a historical membership (state NOT_A_MEMBER). */
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
  readonly createTime?: string;
  readonly deleteTime?: string;
  /** The declaration this state was written for: what diff compares replace-only inputs with. */
  readonly __declared: ChatMembershipInputs;
  /**
   * The calling user (lower-cased email) when the member is that user, as the last write found:
   * a diff under the same caller keeps its owner role instead of planning its demotion.
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
  readonly inputs: ChatMembershipInputs;
  readonly outputs: ChatMembershipOutputs;
}
