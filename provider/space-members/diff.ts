/**
 * `diff` of a ChatSpaceMembers: the roster plan (plan.ts) of the declaration against the roster
 * in the state, member by member, with no API call. Pulumi's Node.js dynamic providers pass no
 * detailed diff to the engine, so the provider also writes each planned change as a line of the
 * preview's log ({@link describePlan}); `detailedDiff` is the same, by property path.
 */
import { type DetailedDiff, hasUnknown, UNKNOWN } from "../core/engine-values";
import { ADMIN_ACCESS_KEEPS_APPS, APP_AUTH_KEEPS_GROUPS, CALLING_APP_STAYS, type OtherCaller, UNNAMED_MEMBERSHIP_KEPT } from "../members/caller";
import { anotherAtUp } from "../members/known-at-up";
import { canonicalOf, memberKeyOf } from "../members/member-ref";
import { type ChangedSince, JOINED_SINCE, NOTHING_CHANGED } from "../members/refresh-findings";
import { DEFAULT_ROLE, DEFERRED_DEMOTION, type MembershipRole, rankOf } from "../members/roles";
import { type Acting, demotableByUnknownEntries, keptAsOtherCallers, membersDeclaredBy, planRoster, type RosterPlan, type UnknownEntries } from "./plan";
import { addedLine, keptLine, keptRoleLine, removedLine, roleKnownAtUpLine, roleLine } from "./plan-lines";
import {
  type ChatSpaceMembersInputs,
  type ChatSpaceMembersOutputs,
  DEFAULT_ROSTER_MODE,
  ROSTER_IDENTITY,
  type RosterMemberArgs,
  type RosterMemberState,
} from "./types";

export interface RosterDiff {
  readonly changes: boolean;
  /** `space`: another space's roster is another resource. */
  readonly replaces: string[];
  /** Per member: `members[i]` (the declared entry, add or update) and `members["users/…"]` (a member removed). */
  readonly detailedDiff: DetailedDiff;
  /** The plan; undefined for a replacement. */
  readonly plan?: PreviewedPlan;
}

/**
 * A plan as a preview made it: where values were unknown until apply, `unknownAtPreview`, and the
 * members an entry known only at up may demote (plan.ts {@link demotableByUnknownEntries}).
 */
export type PreviewedPlan = RosterPlan & {
  /**
   * An addOnly roster's members its state declares and the declaration no longer does (their
   * member, else their key): it removes none of them, and its update records it declares them no
   * more, so its delete leaves them too (so does an authoritative roster's for those it keeps).
   */
  readonly released?: readonly string[];
  readonly unknownAtPreview?: boolean;
  readonly demotableAtUp?: RosterMemberState[];
  /** Where `space` is unknown at preview: the state's, to which this plan applies if the up finds the same one ({@link orSameSpace}). */
  readonly sameSpace?: string;
};

/**
 * At preview, `members`, an entry or `mode` may be unknown until apply (another resource's
 * output). The plan is then made from the known entries, an unknown mode counts as
 * authoritative, and every member of the state no known entry matches is announced as a possible
 * removal: update removes only members of the state a real entry leaves out, so it never removes
 * one this preview did not list. Each such member an unknown entry may demote is announced as a
 * possible role change too (a removal's line says it), as update makes the demotion an entry
 * declares. The last-owner rule waits for the values (update applies it).
 */
export function diffRoster(olds: ChatSpaceMembersOutputs, news: ChatSpaceMembersInputs, acting: Acting, since: ChangedSince = NOTHING_CHANGED): RosterDiff {
  const replaces: string[] = ROSTER_IDENTITY.filter((field) => news[field] !== olds[field]);
  if (replaces.length > 0) {
    const replacement: RosterDiff = { changes: true, replaces, detailedDiff: Object.fromEntries(replaces.map((field) => [field, "update" as const])) };
    return (news.space as string) === UNKNOWN
      ? orSameSpace(replacement, olds.space, diffRoster(olds, { ...news, space: olds.space }, acting, since))
      : replacement;
  }
  const modeKnown = (news.mode as string) !== UNKNOWN;
  const mode = modeKnown ? (news.mode ?? DEFAULT_ROSTER_MODE) : "authoritative";
  const membersKnown = Array.isArray(news.members) && !hasUnknown(news.members);
  const knownEntries = Array.isArray(news.members) ? news.members.filter((m) => !hasUnknown(m)) : [];
  const unknownEntries = unknownEntriesOf(news.members);
  // A member an entry names, its role alone unknown, is declared: neither removed nor kept as undeclared.
  const declared = membersDeclaredBy(olds, [...knownEntries, ...unknownEntries.named]);
  const undeclared = (m: RosterMemberState) => !declared.has(m.member.toLowerCase());
  const planned = planRoster(olds, knownEntries, mode, acting, "now", since);
  const plan = { ...planned, removals: planned.removals.filter(undeclared), kept: planned.kept.filter(undeclared) };
  const detailedDiff: DetailedDiff = {};
  const indexOf = (i: number) => (Array.isArray(news.members) ? news.members.indexOf(knownEntries[i]) : i);
  for (const add of plan.adds) detailedDiff[`members[${indexOf(add.index)}]`] = "add";
  for (const patch of plan.patches) detailedDiff[`members[${indexOf(patch.index)}]`] = "update";
  for (const removal of plan.removals) detailedDiff[`members[${JSON.stringify(removal.member)}]`] = "delete";
  const demotableAtUp = membersKnown ? [] : demotableByUnknownEntries(olds, knownEntries, unknownEntries, acting, since);
  for (const member of demotableAtUp) detailedDiff[`members[${JSON.stringify(member.member)}]`] ??= "update";
  if (!modeKnown || mode !== olds.mode) detailedDiff.mode = "update";
  const known = membersKnown && modeKnown;
  const released = known ? releasedBy(olds, knownEntries, declared, plan.removals) : [];
  if (released.length > 0) detailedDiff.members ??= "update";
  const indexed: RosterPlan = {
    ...plan,
    adds: plan.adds.map((a) => ({ ...a, index: indexOf(a.index) })),
    patches: plan.patches.map((p) => ({ ...p, index: indexOf(p.index) })),
    keptRoles: plan.keptRoles.map((p) => ({ ...p, index: indexOf(p.index) })),
    keptCallersRoles: plan.keptCallersRoles.map((k) => ({ ...k, patch: { ...k.patch, index: indexOf(k.patch.index) } })),
    deferredRoles: plan.deferredRoles.map((p) => ({ ...p, index: indexOf(p.index) })),
    changedSince: plan.changedSince.map((c) => ({ ...c, patch: { ...c.patch, index: indexOf(c.patch.index) } })),
    ...(known ? {} : { refusal: undefined, unknownAtPreview: true, demotableAtUp }),
    // An authoritative roster's released members have their line already: each is one it keeps.
    ...(released.length > 0 && mode === "addOnly" ? { released } : {}),
  };
  return { changes: !known || Object.keys(detailedDiff).length > 0, replaces, detailedDiff, plan: indexed };
}

/**
 * The members a roster's state declares (`__declared`) that no entry of `entries` declares now
 * (`declared`: the members the entries name) and the plan does not remove (`removals`), by member,
 * else key. Until its state says so, its delete would remove them: an update records it, writing
 * nothing to Chat.
 */
function releasedBy(
  olds: ChatSpaceMembersOutputs,
  entries: readonly RosterMemberArgs[],
  declared: ReadonlySet<string>,
  removals: readonly RosterMemberState[],
): string[] {
  const keys = new Set(entries.map((entry) => memberKeyOf(entry)));
  const removed = new Set(removals.map((r) => r.member.toLowerCase()));
  return Object.entries(olds.__declared ?? {})
    .filter(([key, member]) => !keys.has(key) && !(member && (declared.has(member.toLowerCase()) || removed.has(member.toLowerCase()))))
    .map(([key, member]) => member || key);
}

/**
 * A replacement planned because `space` is unknown at preview (another resource's output, such as
 * a ChatSpace's `name` while that space changes): at the up it may be the same space, and the
 * engine's diff then an update, which makes `same`'s plan. So the preview announces that plan too,
 * as possible (its removals and role changes, in the detailed diff and the log), leaving the last
 * owner's refusal to the up, which knows the space.
 */
function orSameSpace(replacement: RosterDiff, space: string, same: RosterDiff): RosterDiff {
  if (!same.plan) return replacement;
  return {
    ...replacement,
    detailedDiff: { ...same.detailedDiff, ...replacement.detailedDiff },
    plan: { ...same.plan, refusal: undefined, sameSpace: space },
  };
}

/** An entry whose member is known and only its role unknown until apply. */
const namesItsMember = (m: RosterMemberArgs): boolean =>
  typeof m === "object" && m !== null && (m.role as string) === UNKNOWN && !hasUnknown({ ...m, role: undefined });

/**
 * What a preview's `members` unknown until apply, or holding entries that are, may reach: the
 * entries that name their member (role unknown), and the lowest role an entry whose person is
 * unknown may give (the list unknown, an entry unknown, or its `user`: its declared role, else
 * ROLE_MEMBER; a group's or the app's entry gives a person none).
 */
function unknownEntriesOf(members: ChatSpaceMembersInputs["members"]): UnknownEntries {
  if (!Array.isArray(members)) return { named: [], lowest: DEFAULT_ROLE };
  const unknown = members.filter((m) => hasUnknown(m));
  const named = unknown.filter(namesItsMember).map(({ role: _, ...m }) => m);
  const lowest = unknown
    .filter((m) => !namesItsMember(m))
    .flatMap((m): MembershipRole[] => {
      if ((m as unknown) === UNKNOWN) return [DEFAULT_ROLE];
      if ((m.user as string) !== UNKNOWN) return [];
      return [(m.role as string) === UNKNOWN ? DEFAULT_ROLE : (m.role ?? DEFAULT_ROLE)];
    })
    .reduce<MembershipRole | undefined>((low, role) => (low === undefined || rankOf(role) < rankOf(low) ? role : low), undefined);
  return { named, lowest };
}

/**
 * `diff`, whose plan keeps the calling user the state was written as (`former`,
 * members/caller.ts `formerCallerOf`), or her role, for this up: an update even where it changes nothing else,
 * so that the state records the new caller and the next preview announces the change (without it
 * she would be kept at every up). Shown as an update of her entry.
 */
export function recordingNewCaller(diff: RosterDiff, former: ReadonlyMap<string, OtherCaller>): RosterDiff {
  if (!diff.plan || former.size === 0) return diff;
  const recorded = keptAsOtherCallers(diff.plan).filter((m) => former.has(m.toLowerCase()));
  if (recorded.length === 0) return diff;
  const detailedDiff: DetailedDiff = { ...diff.detailedDiff };
  for (const member of recorded) detailedDiff[`members[${JSON.stringify(member)}]`] ??= "update";
  return { ...diff, changes: true, detailedDiff };
}

/**
 * The plan as preview lines (plan-lines.ts, which the plan summary reads them back with): one per
 * member added, changed, removed or kept. A create's plan, logged by its up, may keep roles too
 * (its demotions are left to the next preview).
 */
export function describePlan(label: string, plan: PreviewedPlan): string[] {
  const caller = "it is the calling user";
  const demotable = plan.demotableAtUp ?? [];
  const knownAtUp = (r: RosterMemberState) => `unless it is a member known only at up${demotable.includes(r) ? ", at the role declared there" : ""}`;
  return [
    ...plan.adds.map((a) => addedLine(label, a.index, a.ref.name, a.role)),
    ...plan.patches.map((p) => roleLine(label, p.index, p.entry.member, String(p.entry.role), p.role)),
    ...demotable.filter((m) => !plan.removals.includes(m)).map((m) => roleKnownAtUpLine(label, m.member, String(m.role))),
    ...plan.removals.map((r) => {
      const known = plan.unknownAtPreview ? knownAtUp(r) : undefined;
      const another = plan.sameSpace ? anotherAtUp({ space: plan.sameSpace }) : undefined;
      const caveat = another ? (known ? `${known}, or ${another}` : `unless ${another}`) : known;
      return removedLine(label, r.member, r.role, caveat ?? unmatchedNote(plan, r.memberType));
    }),
    ...plan.keptRoles.map((p) =>
      keptRoleLine(
        label,
        p.index,
        p.entry.member,
        String(p.entry.role),
        p.role,
        `${caller}, which a roster never demotes without googlechat:useAdminAccess (it could no longer manage the members)`,
      ),
    ),
    ...plan.keptCallersRoles.map(({ patch: p, why }) => keptRoleLine(label, p.index, p.entry.member, String(p.entry.role), p.role, why)),
    ...plan.kept.map((k) => keptLine(label, k.member, k.memberType === "BOT" ? CALLING_APP_STAYS : `${caller}, which an authoritative roster never removes`)),
    ...plan.keptApps.map((k) => keptLine(label, k.member, ADMIN_ACCESS_KEEPS_APPS)),
    ...plan.keptGroups.map((k) => keptLine(label, k.member, APP_AUTH_KEEPS_GROUPS)),
    ...plan.keptUnnamed.map((k) => keptLine(label, k.name, UNNAMED_MEMBERSHIP_KEPT)),
    ...plan.keptCallers.map((k) => keptLine(label, k.entry.member, k.why)),
    ...plan.deferredRoles.map((p) => keptRoleLine(label, p.index, p.entry.member, String(p.entry.role), p.role, DEFERRED_DEMOTION)),
    ...plan.joinedSince.map((k) => keptLine(label, k.member, JOINED_SINCE)),
    ...plan.changedSince.map(({ patch: p, why }) => keptRoleLine(label, p.index, p.entry.member, String(p.entry.role), p.role, why)),
    ...(plan.released ?? []).map((member) => keptLine(label, member, releasedWhy(plan))),
  ];
}

/**
 * Why an addOnly roster keeps a member it no longer declares, as its plan line ends: unless an
 * email (or the app) it adds, not matched to an id yet, is that member (its add then declares her again).
 */
function releasedWhy(plan: RosterPlan): string {
  const why = "no longer declared, and an addOnly roster removes no one: it stays in the space, managed by no resource, and the roster's delete leaves it";
  const unmatched = plan.adds.filter((a) => a.ref.kind !== "group" && canonicalOf(a.key, {}) === undefined).map((a) => a.ref.name);
  return unmatched.length > 0
    ? `${why}, unless it is ${unmatched.join(" or ")}, declared but not matched to an id yet: then the roster declares it still`
    : why;
}

/**
 * A person or app to be removed may be an email or `chatApp` declared but not matched to its id
 * yet (matched when added: ALREADY_EXISTS names it); such a member then stays. Said in the preview.
 */
function unmatchedNote(plan: RosterPlan, memberType: string): string | undefined {
  const unmatched = plan.adds.filter((a) => a.ref.kind !== "group" && canonicalOf(a.key, {}) === undefined).map((a) => a.ref.name);
  return memberType !== "GROUP" && unmatched.length > 0
    ? `unless it is ${unmatched.join(" or ")}, declared but not matched to an id yet: then it stays`
    : undefined;
}
