/**
 * The contract of a ChatMembership, one member of one space: what a program declares (inputs)
 * and what Pulumi keeps and exports (outputs). Field rules follow the Chat API's Membership
 * resource (node_modules/@googleapis/chat/build/v1.d.ts, `Schema$Membership`).
 *
 * Lifecycle rules, enforced by the provider:
 * - `space`, the member (`user`, `group` or `chatApp`), `createTime` and `deleteTime` identify
 *   the membership: changing a declared one replaces it (delete, then create). An undeclared
 *   one is not managed and never causes a replacement (identity.ts).
 * - `role` is updated in place, by one `members.patch` with mask `role`.
 * - A space is never left without an owner: removing or demoting its last `ROLE_MANAGER` fails.
 */

/**
 * A member's role in a space. Chat's own names differ from the API's:
 * - `ROLE_MEMBER`: a member.
 * - `ROLE_ASSISTANT_MANAGER`: shown as "Manager" in Chat (manages members and content as the
 *   space's permission settings allow).
 * - `ROLE_MANAGER`: shown as "Owner" in Chat. Only in spaces (`spaceType: SPACE`).
 */
export type MembershipRole = "ROLE_MEMBER" | "ROLE_ASSISTANT_MANAGER" | "ROLE_MANAGER";

export const MEMBERSHIP_ROLES: readonly MembershipRole[] = ["ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER", "ROLE_MANAGER"];

/** The role a user or app membership has when none is declared: what `members.create` gives. */
export const DEFAULT_ROLE: MembershipRole = "ROLE_MEMBER";

/** What a program declares. Exactly one of `user`, `group` and `chatApp`. */
export interface ChatMembershipInputs {
  /** The space: a ChatSpace's `name` output, or `spaces/{space}`. */
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
}
