/**
 * What identifies a membership: its space, its member and, in import mode, the times Google
 * takes only when the membership is created (v1.d.ts `Schema$Membership`: `createTime` and
 * `deleteTime` are "Immutable"; a membership's member and space are its name). None of them
 * changes in place: a changed declaration replaces the membership.
 *
 * The rule for an undeclared field, as for spaces (space/identity.ts): it is not managed, and
 * never forces a replacement. A declared one compares with its previous declaration, never with
 * a refreshed value, so a refresh can't cause a replacement.
 */
import { memberKeyOf, memberRefOf } from "../members/member-ref";
import { sameInstant } from "../members/memberships";
import type { ChatMembershipInputs } from "./types";

/** The identity fields: `member` stands for whichever of {@link MEMBER_INPUTS} is declared. */
export const MEMBERSHIP_IDENTITY = ["space", "member", "createTime", "deleteTime"] as const;
export type MembershipIdentityField = (typeof MEMBERSHIP_IDENTITY)[number];

/** The inputs that name the member: a change of the member is reported on the one declared now. */
export const MEMBER_INPUTS = ["user", "group", "chatApp"] as const satisfies readonly (keyof ChatMembershipInputs)[];

/** The inputs a changed declaration of which replaces the membership: the identity fields, `member` as its inputs. */
export const REPLACING_INPUTS: readonly (keyof ChatMembershipInputs)[] = MEMBERSHIP_IDENTITY.flatMap((field) => (field === "member" ? MEMBER_INPUTS : [field]));

/**
 * The `deleteBeforeReplace` resource option the ChatMembership class sets: none, so that the
 * provider's diff decides, as it does for the plugin's resources (whose options never reach the
 * provider). A set option, `false` too, wins over the diff (pulumi/pulumi
 * pkg/resource/deploy/step_generator.go: "The user can override the provider's decision by setting
 * the `deleteBeforeReplace` field of `ResourceOptions` to either `true` or `false`"), and a
 * replacement for other import-mode times would then create first and meet the old membership
 * (ALREADY_EXISTS, with the old times).
 *
 * The diff's replacements create the new membership first, and the engine deletes the old one
 * after the program has run (step_generator.go `GenerateDeletes`), by when every declaration of
 * the deployment is known: a member the replacement (or any other resource) still declares stays
 * (members/claims.ts). A replacement that keeps the space and the member (other import-mode
 * times) deletes first instead ({@link deletesBeforeReplacing}): the space holds one membership
 * per member, and the new times need a new membership. `pulumi up --replace` asks the provider
 * nothing (step_generator.go `diff`: "If this resource is marked for replacement, just return a
 * "replace" diff that blames the id") and, the option unset, creates first even then: its create
 * meets the old membership with the old times, removes it and adds the member again
 * (provider.ts `recreated`), and the old half's delete finds the new times it holds and keeps it.
 */
export const MEMBERSHIP_DELETE_BEFORE_REPLACE: boolean | undefined = undefined;

/** A membership as last read: what a field declared only now is compared with. */
export interface LiveMembership {
  readonly space?: string;
  /** The canonical `users/{id}` or `groups/{id}`. */
  readonly member?: string;
  readonly createTime?: string;
  readonly deleteTime?: string;
}

/** The value of one identity field in a declaration. */
function declaredValue(field: MembershipIdentityField, declared: ChatMembershipInputs): string | undefined {
  return field === "member" ? memberKeyOf(declared) : declared[field];
}

/** Whether two values of one field mean the same membership. Times compare as instants (RFC 3339 text varies). */
function sameValue(field: MembershipIdentityField, a: string | undefined, b: string | undefined): boolean {
  return field === "createTime" || field === "deleteTime" ? sameInstant(a, b) : a === b;
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

/** A replacement for these fields alone keeps the space and the member: the old membership goes first. */
export function deletesBeforeReplacing(replaced: readonly MembershipIdentityField[]): boolean {
  return replaced.length > 0 && replaced.every((field) => field === "createTime" || field === "deleteTime");
}

/** Whether the declaration names the live member by its canonical name (`users/{id}`, `groups/{id}`). */
function isLiveMember(declared: ChatMembershipInputs, live: LiveMembership): boolean {
  const ref = memberRefOf(declared);
  return ref !== undefined && ref.kind !== "app" && live.member !== undefined && ref.name.toLowerCase() === live.member.toLowerCase();
}
