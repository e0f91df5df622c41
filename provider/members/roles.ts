/**
 * A member's role in a space, and their order (v1.d.ts `Schema$Membership.role`). Chat's own
 * names differ from the API's:
 * - `ROLE_MEMBER`: a member.
 * - `ROLE_ASSISTANT_MANAGER`: shown as "Manager" in Chat (manages members and content as the
 *   space's permission settings allow).
 * - `ROLE_MANAGER`: shown as "Owner" in Chat. Only in spaces (`spaceType: SPACE`).
 *
 * Groups have no role (`MEMBERSHIP_ROLE_UNSPECIFIED`, which proto3 JSON leaves out).
 */
export type MembershipRole = "ROLE_MEMBER" | "ROLE_ASSISTANT_MANAGER" | "ROLE_MANAGER";

/** Every role, from least to most: a demotion lowers a role's rank. */
export const MEMBERSHIP_ROLES: readonly MembershipRole[] = ["ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER", "ROLE_MANAGER"];

/** The role a user or app membership has when none is declared: what `members.create` gives. */
export const DEFAULT_ROLE: MembershipRole = "ROLE_MEMBER";

/** ROLE_ASSISTANT_MANAGER: shown as Manager in Chat; manages the members as the space's permission settings allow. */
export const MANAGER: MembershipRole = "ROLE_ASSISTANT_MANAGER";

/** ROLE_MANAGER: shown as Owner in Chat. A space is never left without one. */
export const OWNER: MembershipRole = "ROLE_MANAGER";

/** A role's rank in {@link MEMBERSHIP_ROLES}; -1 for none (a group's). */
export const rankOf = (role: string | undefined): number => MEMBERSHIP_ROLES.indexOf(role as MembershipRole);

/** Whether going from `from` to `to` lowers the role. */
export const demotes = (from: string | undefined, to: string | undefined): boolean => rankOf(to) < rankOf(from);

/**
 * Whether the demotions of a write are made (`now`: ones its preview showed, planned from the
 * state) or left to the next preview (`deferred`: a member an add met already there, at a role
 * its preview could not know). A demotion is a loss the preview must announce, as a removal is:
 * a deferred one keeps the member's role, the state records that role, and the next preview
 * plans the change as an update for approval.
 */
export type Demotions = "now" | "deferred";

/** Why a demotion its preview could not show is not made: said in the up's log, where the member keeps its role. */
export const DEFERRED_DEMOTION = "it was already a member at that role, which the preview could not show; the next preview announces the change";

/** The role a declaration holds a membership to: none for a group, which has no role. */
export function wantedRole(declared: { readonly group?: string; readonly role?: MembershipRole }): MembershipRole | undefined {
  return declared.group !== undefined ? undefined : (declared.role ?? DEFAULT_ROLE);
}
