/**
 * `diff` of a ChatMembership: whether a declaration changes the membership, and whether Google
 * can apply the change in place (the role alone). Pure: no I/O.
 *
 * Replace decisions are the identity rules of identity.ts, against the previous declaration
 * kept as `__declared`. The role compares the declaration with the membership as last read, so
 * a role changed in Chat shows as drift in the next preview and the next `up` restores it.
 */
import type { DiffResult } from "@pulumi/pulumi/dynamic";
import { UNKNOWN } from "../space/check";
import { MEMBERSHIP_DELETE_BEFORE_REPLACE, replacedMembershipFields } from "./identity";
import { wantedRole } from "./state";
import type { ChatMembershipInputs, ChatMembershipOutputs } from "./types";

export interface MembershipDiff extends DiffResult {
  readonly changes: boolean;
  /** The declared properties whose change replaces the membership. */
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
  /** The properties an in-place update changes: `role` or nothing. */
  readonly updates: string[];
}

/** The inputs that name the member: a change of the member is reported on the one declared now. */
const MEMBER_INPUTS = ["user", "group", "chatApp"] as const;

export function diffMembership(olds: ChatMembershipOutputs, news: ChatMembershipInputs): MembershipDiff {
  const previous = olds.__declared ?? {};
  const unknown = Object.entries(news).filter(([, v]) => v === UNKNOWN).map(([k]) => k);
  const known = Object.fromEntries(Object.entries(news).filter(([k]) => !unknown.includes(k))) as ChatMembershipInputs;
  const replaced = replacedMembershipFields(previous, known, olds).flatMap((field) =>
    field === "member" ? MEMBER_INPUTS.filter((k) => known[k] !== undefined) : [field],
  );
  // Unknown until apply (a space being replaced): said honestly, as a possible replacement.
  const replaces = [...replaced, ...unknown.filter((k) => k !== "role")];
  const role = wantedRole(known);
  const updates = unknown.includes("role") || (role !== undefined && role !== olds.role && olds.state !== "NOT_A_MEMBER") ? ["role"] : [];
  return {
    changes: replaces.length > 0 || updates.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && MEMBERSHIP_DELETE_BEFORE_REPLACE,
    updates,
  };
}
