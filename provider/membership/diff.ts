/**
 * `diff` of a ChatMembership: whether a declaration changes the membership, and whether Google
 * can apply the change in place (the role alone). Pure: no I/O.
 *
 * Replace decisions are the identity rules of identity.ts, against the previous declaration
 * kept as `__declared`. The role compares the declaration with the membership as last read, so
 * a role changed in Chat shows as drift in the next preview and the next `up` restores it;
 * except the calling user's role (an owner's or a manager's), which is never lowered without admin access
 * (members/caller.ts): the state says the member is the caller, and the caller is the same; nor
 * that of another provider instance's calling user, that instance without admin access.
 * Nor is a role lowered that a refresh of this deployment found changed in Chat since the state was
 * written (members/refresh-findings.ts): the next preview announces that change.
 */
import type { DiffResult } from "@pulumi/pulumi/dynamic";
import { type DetailedDiff, UNKNOWN } from "../core/engine-values";
import { CALLER_KEEPS_ROLE, keepsCallersRole } from "../members/caller";
import { type SameAtUp, UNDECLARED } from "../members/known-at-up";
import { demotes, wantedRole } from "../members/roles";
import { deletesBeforeReplacing, MEMBER_INPUTS, replacedMembershipFields } from "./identity";
import type { ChatMembershipInputs, ChatMembershipOutputs } from "./types";

export interface MembershipDiff extends DiffResult {
  readonly changes: boolean;
  /** The declared properties whose change replaces the membership. */
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
  /** The properties an in-place update changes: `role` or nothing. */
  readonly updates: string[];
  /** The declared role not given to the calling user (this provider's, or another instance's), who keeps her role: said in the preview, with why. */
  readonly keptRole?: string;
  /** Why {@link keptRole} is not given: whose calling user she is. */
  readonly keptRoleWhy?: string;
  /** The declared role not given yet, a demotion from a role a refresh of this deployment found changed in Chat: said in the preview. */
  readonly deferredRole?: string;
  /**
   * The role change an update makes, from the role as last read (a refresh may have found it changed
   * in Chat, where the declarations compared would not tell): said in the preview, which passes no
   * detailed diff on; also where the identity is unknown at preview (another resource's output,
   * such as a ChatSpace's `name` while that space changes): the replacement planned then is this
   * update at the up if it is the same ({@link RoleChange.sameAtUp}).
   */
  readonly roleChange?: RoleChange;
  /** The properties replaced or updated, each `add` where it is declared now and the previous declaration left it out. */
  readonly detailedDiff: DetailedDiff;
}

/** A role change an update makes ({@link MembershipDiff.roleChange}). */
export interface RoleChange {
  readonly from: string;
  /** The role given; undefined: `role` is unknown at preview (another resource's output), known only at up. */
  readonly to?: string;
  /**
   * The identity the state records (space, member, import-mode times) for the inputs unknown at
   * preview: the preview plans a replacement, and the update happens if they are the same at up.
   */
  readonly sameAtUp?: SameAtUp;
}

/**
 * Who acts, as far as a diff needs: whether the membership is the calling user's, and whether with
 * admin access; and whether a refresh of this deployment found the role changed in Chat since the state.
 */
export interface DiffCaller {
  readonly isCaller: boolean;
  readonly adminAccess: boolean;
  readonly roleChangedSince?: boolean;
  /**
   * Why the member keeps her role as the calling user of another provider instance of the
   * deployment, which has no admin access (members/member-provider.ts `anotherCallerRoleReason`),
   * where the declared role would demote her.
   */
  readonly anotherCallerKeepsRole?: string;
  /**
   * Why the member keeps her role as the calling user this ChatMembership was last applied
   * as, where the provider now acts as another principal (members/caller.ts `formerCallerOf`) and
   * the declared role would demote her: kept for this up, by an update that records no caller, so
   * the next preview announces the demotion.
   */
  readonly formerCallerKeepsRole?: string;
}

export function diffMembership(
  olds: ChatMembershipOutputs,
  news: ChatMembershipInputs,
  caller: DiffCaller = { isCaller: false, adminAccess: false },
): MembershipDiff {
  const previous = olds.__declared ?? {};
  const unknown = Object.entries(news)
    .filter(([, v]) => v === UNKNOWN)
    .map(([k]) => k);
  const known = Object.fromEntries(Object.entries(news).filter(([k]) => !unknown.includes(k))) as ChatMembershipInputs;
  const replacedFields = replacedMembershipFields(previous, known, olds);
  const replaced = replacedFields.flatMap((field) => (field === "member" ? MEMBER_INPUTS.filter((k) => known[k] !== undefined) : [field]));
  // Unknown until apply (a space being replaced): said honestly, as a possible replacement.
  const replaces = [...replaced, ...unknown.filter((k) => k !== "role")];
  // A role unknown until apply is no role to keep or defer: the preview can't tell whether it demotes (the up decides).
  const role = unknown.includes("role") ? undefined : wantedRole(known);
  const callersOwnRole = caller.isCaller && keepsCallersRole(olds.role, role, caller.adminAccess);
  const keptRoleWhy = callersOwnRole ? CALLER_KEEPS_ROLE : (caller.formerCallerKeepsRole ?? caller.anotherCallerKeepsRole);
  const moving = role !== undefined && role !== olds.role && olds.state !== "NOT_A_MEMBER" && keptRoleWhy === undefined;
  const deferred = moving && caller.roleChangedSince === true && demotes(olds.role, role);
  const changesRole = moving && !deferred;
  // Kept as the former caller: an update all the same, so that the state stops recording her as the caller (else she would be kept at every up).
  const recordsNoCaller = !callersOwnRole && caller.formerCallerKeepsRole !== undefined;
  const updates = unknown.includes("role") || changesRole || recordsNoCaller ? ["role"] : [];
  // A role left undeclared goes back to the default: an update of the live role, not an addition.
  const sameAtUp = recordedIdentityOf(olds, unknown);
  const detailedDiff: DetailedDiff = Object.fromEntries([...replaces, ...updates].map((key) => [key, key in previous || !(key in news) ? "update" : "add"]));
  return {
    changes: replaces.length > 0 || updates.length > 0,
    replaces,
    deleteBeforeReplace: unknown.length === 0 && deletesBeforeReplacing(replacedFields),
    updates,
    detailedDiff,
    ...(keptRoleWhy !== undefined && replaces.length === 0 ? { keptRole: role, keptRoleWhy } : {}),
    ...(deferred && replaces.length === 0 ? { deferredRole: role } : {}),
    // A group has no role (v1.d.ts `Schema$Membership.role`): no role change is said of it.
    ...(updates.length > 0 && !recordsNoCaller && replaced.length === 0 && olds.state !== "NOT_A_MEMBER" && olds.role !== "" && sameAtUp !== undefined
      ? { roleChange: { from: olds.role, ...(changesRole ? { to: role } : {}), ...(Object.keys(sameAtUp).length ? { sameAtUp } : {}) } }
      : {}),
  };
}

/**
 * The identity the state records for the inputs of `unknown` (those unknown at preview): its space,
 * member, and import-mode times as last declared (`none` where undeclared: identity.ts compares a
 * declaration with the previous one). The same at up, the replacement planned then is an update.
 */
function recordedIdentityOf(olds: ChatMembershipOutputs, unknown: readonly string[]): SameAtUp | undefined {
  const identity = unknown.filter((k) => k !== "role");
  const isMemberInput = (k: string) => (MEMBER_INPUTS as readonly string[]).includes(k);
  if (!identity.every((k) => k === "space" || k === "createTime" || k === "deleteTime" || isMemberInput(k))) return undefined;
  const declared = olds.__declared ?? {};
  return {
    ...(identity.includes("space") ? { space: olds.space } : {}),
    ...(identity.some(isMemberInput) ? { member: olds.member } : {}),
    ...(identity.includes("createTime") ? { createTime: declared.createTime ?? UNDECLARED } : {}),
    ...(identity.includes("deleteTime") ? { deleteTime: declared.deleteTime ?? UNDECLARED } : {}),
  };
}
