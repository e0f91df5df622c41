/**
 * `diff` of a ChatSpaceMembers: the roster plan (plan.ts) of the declaration against the roster
 * in the state, member by member, with no API call. Pulumi's Node.js dynamic providers pass no
 * detailed diff to the engine, so the provider also writes each planned change as a line of the
 * preview's log ({@link describePlan}); `detailedDiff` is the same, by property path.
 */
import { UNKNOWN } from "../space/check";
import { canonicalOf } from "./members";
import { planRoster, type RosterPlan } from "./plan";
import { type ChatSpaceMembersInputs, type ChatSpaceMembersOutputs, DEFAULT_ROSTER_MODE } from "./types";

export type PropertyChange = "add" | "update" | "delete";

export interface RosterDiff {
  readonly changes: boolean;
  /** `space`: another space's roster is another resource. */
  readonly replaces: string[];
  /** Per member: `members[i]` (the declared entry, add or update) and `members["users/…"]` (a member removed). */
  readonly detailedDiff: Record<string, PropertyChange>;
  /** The plan; undefined when the members are unknown until apply. */
  readonly plan?: RosterPlan;
}

const hasUnknown = (value: unknown): boolean => value === UNKNOWN || (typeof value === "object" && value !== null && Object.values(value).some(hasUnknown));

export function diffRoster(olds: ChatSpaceMembersOutputs, news: ChatSpaceMembersInputs, callerUser: string | undefined): RosterDiff {
  const replaces = news.space !== olds.space ? ["space"] : [];
  const mode = (news.mode as string) === UNKNOWN ? undefined : (news.mode ?? DEFAULT_ROSTER_MODE);
  if (replaces.length > 0 || hasUnknown(news.members) || mode === undefined) {
    return { changes: true, replaces, detailedDiff: {} };
  }
  const plan = planRoster(olds, news.members ?? [], mode, callerUser);
  const detailedDiff: Record<string, PropertyChange> = {};
  for (const add of plan.adds) detailedDiff[`members[${add.index}]`] = "add";
  for (const patch of plan.patches) detailedDiff[`members[${patch.index}]`] = "update";
  for (const removal of plan.removals) detailedDiff[`members[${JSON.stringify(removal.member)}]`] = "delete";
  if (mode !== olds.mode) detailedDiff.mode = "update";
  return { changes: Object.keys(detailedDiff).length > 0, replaces, detailedDiff, plan };
}

/** The plan as preview lines: one per member added, changed, removed or kept. */
export function describePlan(label: string, plan: RosterPlan): string[] {
  return [
    ...plan.adds.map((a) => `ChatSpaceMembers ${label}: + members[${a.index}] ${a.ref.name}${a.role ? ` (${a.role})` : ""}: added`),
    ...plan.patches.map((p) => `ChatSpaceMembers ${label}: ~ members[${p.index}] ${p.entry.member}: role ${p.entry.role} => ${p.role}`),
    ...plan.removals.map((r) => `ChatSpaceMembers ${label}: - ${r.member}${r.role ? ` (${r.role})` : ""}: not declared, removed${unmatchedNote(plan, r.memberType)}`),
    ...plan.kept.map((k) => `ChatSpaceMembers ${label}: = ${k.member}: not declared, kept: it is the calling user (googlechat:impersonateUser), which an authoritative roster never removes`),
  ];
}

/**
 * A person or app to be removed may be an email or `chatApp` declared but not matched to its id
 * yet (matched when added: ALREADY_EXISTS names it); such a member then stays. Said in the preview.
 */
function unmatchedNote(plan: RosterPlan, memberType: string): string {
  const unmatched = plan.adds.filter((a) => a.ref.kind !== "group" && canonicalOf(a.key, {}) === undefined).map((a) => a.ref.name);
  return memberType !== "GROUP" && unmatched.length > 0 ? ` unless it is ${unmatched.join(" or ")}, declared but not matched to an id yet: then it stays` : "";
}
