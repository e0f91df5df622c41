/**
 * What identifies a membership: its space, its member and, in import mode, the times Google
 * takes only when the membership is created (v1.d.ts `Schema$Membership`: `createTime` and
 * `deleteTime` are "Immutable"; a membership's member and space are its name). None of them
 * changes in place: a changed declaration replaces the membership.
 *
 * Every decision that depends on them takes its rules from here: diff (what forces a
 * replacement) and the create's take-over of an existing membership (what must match).
 *
 * The rule for an undeclared field, as for spaces (space/identity.ts): it is not managed, and
 * never forces a replacement. A declared one compares with its previous declaration, never with
 * a refreshed value, so a refresh can't cause a replacement.
 */
import { memberRefOf } from "./inputs";
import type { ChatMembershipInputs } from "./types";

/** The identity fields: `member` stands for whichever of `user`, `group` and `chatApp` is declared. */
export const MEMBERSHIP_IDENTITY = ["space", "member", "createTime", "deleteTime"] as const;
export type MembershipIdentityField = (typeof MEMBERSHIP_IDENTITY)[number];

/**
 * Replacements delete the old membership first: a space holds one membership per member, so a
 * replacement keeping the member (a new `createTime`) would otherwise be answered ALREADY_EXISTS
 * by the old membership, take it over, and then delete it.
 */
export const MEMBERSHIP_DELETE_BEFORE_REPLACE = true;

/** A membership as last read: what a field declared only now is compared with. */
export interface LiveMembership {
  readonly space?: string;
  /** The canonical `users/{id}` or `groups/{id}`. */
  readonly member?: string;
  readonly createTime?: string;
  readonly deleteTime?: string;
}

/** The declared member as one comparable text: `user:alice@example.com`, `group:groups/x`, `app`. */
export function memberKey(declared: ChatMembershipInputs): string | undefined {
  const ref = memberRefOf(declared);
  if (!ref) return undefined;
  return ref.kind === "app" ? "app" : `${ref.kind}:${ref.kind === "user" ? ref.name.toLowerCase() : ref.name}`;
}

/** The value of one identity field in a declaration. */
function declaredValue(field: MembershipIdentityField, declared: ChatMembershipInputs): string | undefined {
  return field === "member" ? memberKey(declared) : declared[field];
}

/** Whether two values of one field mean the same membership. Times compare as instants (RFC 3339 text varies). */
function sameValue(field: MembershipIdentityField, a: string | undefined, b: string | undefined): boolean {
  if (field === "createTime" || field === "deleteTime") {
    return a !== undefined && b !== undefined ? Date.parse(a) === Date.parse(b) : a === b;
  }
  return a === b;
}

/**
 * The identity fields whose new declaration the membership can't take in place. Where nothing
 * was declared before (a field declared only now), the membership as last read stands in. A
 * user declared by email before and by the `users/{id}` the membership has now is the same
 * member; the reverse can't be told without a call, and is a replacement.
 */
export function replacedMembershipFields(previous: ChatMembershipInputs, next: ChatMembershipInputs, live: LiveMembership): MembershipIdentityField[] {
  return MEMBERSHIP_IDENTITY.filter((field) => {
    const wanted = declaredValue(field, next);
    if (wanted === undefined) return false;
    const had = declaredValue(field, previous);
    if (field === "member" && isLiveMember(next, live)) return false;
    if (had !== undefined) return !sameValue(field, had, wanted);
    return field === "member" ? false : !sameValue(field, live[field], wanted);
  });
}

/** Whether the declaration names the live member by its canonical name (`users/{id}`, `groups/{id}`). */
function isLiveMember(declared: ChatMembershipInputs, live: LiveMembership): boolean {
  const ref = memberRefOf(declared);
  return ref !== undefined && ref.kind !== "app" && live.member !== undefined && ref.name === live.member;
}

/**
 * Where an existing membership differs from a declaration in what Google set when it was
 * created, as readable sentences: an existing membership taken over (ALREADY_EXISTS) must have
 * the declared times. Undeclared times are not managed.
 */
export function membershipConflicts(live: LiveMembership, declared: ChatMembershipInputs): string[] {
  return (["createTime", "deleteTime"] as const).flatMap((field) => {
    const wanted = declared[field];
    if (wanted === undefined || sameValue(field, live[field], wanted)) return [];
    return [`${field} is ${JSON.stringify(live[field] ?? null)}, declared ${JSON.stringify(wanted)}`];
  });
}
