/**
 * What a roster change does, from the declaration and the roster in the state alone: the plan
 * `diff` shows and `update` carries out, so an update does only what its preview announced.
 * Pure: no I/O.
 *
 * - A declared member not in the roster (or an email not yet matched to its id) is added.
 * - A declared member whose role differs is patched (groups have none; a historical member's can't change).
 * - In `authoritative` mode a member of the roster not declared is removed, except the calling
 *   principal, which is kept (and said so): the calling user, or with app authentication every
 *   Chat app (the calling app is one of them, and Google lets no app remove another app's
 *   membership: v1.d.ts members.delete); and the calling principal of another provider instance of
 *   the deployment, declaring a resource in the space or not (`Acting.otherCallers`): its calling user,
 *   or, for one acting as a Chat app, every Chat app (it may be any of them); `addOnly` removes nobody.
 *   With admin access every Chat app is kept too: Google neither lists nor deletes app
 *   memberships with admin access (v1.d.ts members.list and members.delete `useAdminAccess`), so
 *   only a state written without it records one.
 * - The calling user, an owner, declared at a lower role keeps ROLE_MANAGER without admin access
 *   (members/caller.ts `keepsCallersRole`); so does the calling user of another provider instance
 *   of the deployment (`Acting.otherCallers`) without that instance's admin access. Said in the preview.
 * - A member a refresh of this deployment found joined since the state was written, or at a role
 *   changed since, is not removed or demoted (members/refresh-findings.ts `roleFoundSince`): under
 *   `pulumi up --refresh` the update refreshes again, and its preview may not have seen the change.
 *   The state records the member as read, so the next preview announces the change.
 * - A plan its preview could not show (a create's, made against the space as just listed) demotes
 *   nobody: the members it would demote keep their role, and the next preview, made from the state
 *   that records them, announces the change. A demotion is a loss the preview must announce, as a
 *   removal is.
 * - One person declared twice, by email and by id, is refused once the state knows the email's id.
 * - A plan that leaves a space which had an owner (ROLE_MANAGER) without one is refused.
 */
import { groupBeyondApp, keepsCallersRole, type OtherCaller } from "../members/caller";
import { CALLING_APP, canonicalOf, isEmailKey, type MemberRef, memberKeyOf, memberRefOf } from "../members/member-ref";
import { isActingOwner } from "../members/owners";
import { type ChangedSince, NOTHING_CHANGED, roleFoundSince } from "../members/refresh-findings";
import { DEFAULT_ROLE, type Demotions, demotes, type MembershipRole, OWNER, wantedRole } from "../members/roles";
import { learnedOf } from "./state";
import type { ChatSpaceMembersOutputs, RosterMemberArgs, RosterMemberState, RosterMode } from "./types";

export interface RosterAdd {
  /** The entry's index in the declaration. */
  readonly index: number;
  readonly key: string;
  readonly ref: MemberRef;
  /** The role to give it; none for a group. */
  readonly role?: MembershipRole;
}

export interface RosterPatch {
  readonly index: number;
  readonly entry: RosterMemberState;
  readonly role: MembershipRole;
}

export interface RosterPlan {
  readonly adds: RosterAdd[];
  /** Promotions first, so a change of owners never passes through none. */
  readonly patches: RosterPatch[];
  readonly removals: RosterMemberState[];
  /** Members not declared that authoritative mode keeps: the calling user, or with app authentication the Chat apps. */
  readonly kept: RosterMemberState[];
  /** Chat apps not declared that authoritative mode keeps with admin access, which can't remove an app membership. */
  readonly keptApps: RosterMemberState[];
  /**
   * Google Groups not declared that authoritative mode keeps with app authentication: Google lets
   * no Chat app remove one (members/caller.ts `APP_AUTH_KEEPS_GROUPS`).
   */
  readonly keptGroups: RosterMemberState[];
  /** Listed memberships whose member Google's answer does not name, which no declaration can name: kept (members/caller.ts `UNNAMED_MEMBERSHIP_KEPT`). */
  readonly keptUnnamed: RosterMemberState[];
  /** Members not declared that authoritative mode keeps: the calling user of another provider instance of the deployment, `why` saying whose. */
  readonly keptCallers: { readonly entry: RosterMemberState; readonly why: string }[];
  /** The calling user's demotion, not made (no admin access): its role is kept (members/caller.ts `keepsCallersRole`). */
  readonly keptRoles: RosterPatch[];
  /** The demotion of another provider instance's calling user, not made (that instance has no admin access), `why` saying whose. */
  readonly keptCallersRoles: { readonly patch: RosterPatch; readonly why: string }[];
  /** Demotions left to the next preview: this plan's preview could not show them (`demotions: "deferred"`, a create's, made against the space as listed). */
  readonly deferredRoles: RosterPatch[];
  /** Members not declared that authoritative mode keeps for now: a refresh of this deployment found them joined since the state was written. */
  readonly joinedSince: RosterMemberState[];
  /**
   * Demotions left to the next preview: a refresh of this deployment found the member's role
   * changed, or the member joined, since the state was written, `why` saying which.
   */
  readonly changedSince: { readonly patch: RosterPatch; readonly why: string }[];
  /** Why the plan is refused (the last owner), or undefined. */
  readonly refusal?: string;
}

/** The roster as last read: the state's, or what create listed. */
export type RosterBefore = Pick<ChatSpaceMembersOutputs, "members" | "__declared" | "__caller">;

/** Who acts, as a plan needs it. */
export interface Acting {
  /** The calling user's email (googlechat:impersonateUser, or the owner of the credentials); none with app authentication or while not known. */
  readonly user?: string;
  /** googlechat:useAdminAccess: the calling user may be demoted (the administrator still manages the space). */
  readonly adminAccess?: boolean;
  /** App authentication: the calling Chat app is the caller, one of the roster's app members. */
  readonly app?: boolean;
  /**
   * The calling principals of the deployment's other provider instances that declare a resource
   * in the space, by canonical `users/{id}` (lower-cased), and `users/app` for one acting as a Chat
   * app (every Chat app of the space is kept for it): kept as the caller is, and a user in her
   * owner role as the caller is without admin access (members/member-provider.ts `otherCallersIn`).
   */
  readonly otherCallers?: ReadonlyMap<string, OtherCaller>;
}

export function planRoster(
  before: RosterBefore,
  members: readonly RosterMemberArgs[],
  mode: RosterMode,
  acting: Acting,
  demotions: Demotions = "now",
  since: ChangedSince = NOTHING_CHANGED,
): RosterPlan {
  const { user: callerUser, adminAccess = false } = acting;
  const byMember = new Map(before.members.map((m) => [m.member.toLowerCase(), m]));
  const declared = new Set<string>();
  const adds: RosterAdd[] = [];
  const patches: RosterPatch[] = [];
  const canonicals = canonicalsOf(before, members);
  members.forEach((member, index) => {
    const key = memberKeyOf(member)!;
    const ref = memberRefOf(member)!;
    const role = wantedRole(member);
    const canonical = canonicals[index];
    const entry = canonical ? byMember.get(canonical) : undefined;
    if (canonical) declared.add(canonical);
    if (!entry) adds.push({ index, key, ref, role });
    else if (role !== undefined && entry.role !== role && entry.state !== "NOT_A_MEMBER") patches.push({ index, entry, role });
  });
  patches.sort((a, b) => Number(b.role === OWNER) - Number(a.role === OWNER));

  const caller = before.__caller?.member && before.__caller.user === callerUser ? before.__caller.member.toLowerCase() : undefined;
  const isCaller = (m: RosterMemberState) => m.member.toLowerCase() === caller || (acting.app === true && m.memberType === "BOT");
  // Another instance's calling user by its id; one acting as a Chat app keeps every app (it may be any of them).
  const otherCallerKey = (m: RosterMemberState) => (m.memberType === "HUMAN" ? m.member.toLowerCase() : m.memberType === "BOT" ? CALLING_APP : undefined);
  const publishedAs = (m: RosterMemberState) => {
    const key = otherCallerKey(m);
    return key === undefined ? undefined : acting.otherCallers?.get(key);
  };
  const otherCaller = (m: RosterMemberState) => (isCaller(m) ? undefined : publishedAs(m));
  const demotesCaller = (p: RosterPatch) => p.entry.member.toLowerCase() === caller && keepsCallersRole(p.entry.role, p.role, adminAccess);
  // Another instance may act as this provider's caller too: its admin access decides for it.
  const demotesOtherCaller = (p: RosterPatch) => {
    const other = p.entry.memberType === "HUMAN" ? publishedAs(p.entry) : undefined;
    return other !== undefined && keepsCallersRole(p.entry.role, p.role, other.adminAccess);
  };
  const keepsRole = (p: RosterPatch) => demotesCaller(p) || demotesOtherCaller(p);
  const keptRoles = patches.filter(demotesCaller);
  const keptCallersRoles = patches
    .filter((p) => !demotesCaller(p) && demotesOtherCaller(p))
    .map((patch) => ({ patch, why: publishedAs(patch.entry)!.keepsRole }));
  const deferredRoles = demotions === "deferred" ? patches.filter((p) => !keepsRole(p) && demotes(p.entry.role, p.role)) : [];
  const changedSince = patches.flatMap((patch) => {
    const keptOtherwise = keepsRole(patch) || deferredRoles.includes(patch);
    const why = keptOtherwise || !demotes(patch.entry.role, patch.role) ? undefined : roleFoundSince(since, patch.entry.member);
    return why ? [{ patch, why }] : [];
  });
  const heldSince = (p: RosterPatch) => changedSince.some((c) => c.patch === p);
  patches.splice(0, patches.length, ...patches.filter((p) => !keepsRole(p) && !deferredRoles.includes(p) && !heldSince(p)));
  const listed = before.members.filter((m) => !declared.has(m.member.toLowerCase()) && m.state !== "NOT_A_MEMBER");
  const keptUnnamed = mode === "authoritative" ? listed.filter((m) => m.member === "") : [];
  const undeclared = listed.filter((m) => m.member !== "");
  const kept = mode === "authoritative" ? undeclared.filter(isCaller) : [];
  const keptCallers = mode === "authoritative" ? undeclared.flatMap((entry) => (otherCaller(entry) ? [{ entry, why: otherCaller(entry)!.stays }] : [])) : [];
  const beyondAdmin = (m: RosterMemberState) => adminAccess && m.memberType === "BOT" && !isCaller(m) && !otherCaller(m);
  const keptApps = mode === "authoritative" ? undeclared.filter(beyondAdmin) : [];
  const beyondApp = (m: RosterMemberState) => groupBeyondApp(m.memberType, acting.app === true);
  const keptGroups = mode === "authoritative" ? undeclared.filter(beyondApp) : [];
  const leaving = mode === "authoritative" ? undeclared.filter((m) => !isCaller(m) && !otherCaller(m) && !beyondAdmin(m) && !beyondApp(m)) : [];
  const joinedSince = leaving.filter((m) => since.joined(m.member));
  const removals = leaving.filter((m) => !joinedSince.includes(m));
  return {
    adds,
    patches,
    removals,
    kept,
    keptApps,
    keptGroups,
    keptUnnamed,
    keptCallers,
    keptRoles,
    keptCallersRoles,
    deferredRoles,
    joinedSince,
    changedSince,
    refusal: lastOwnerRefusal(before.members, adds, patches, removals),
  };
}

/**
 * The member of the state each entry of `members` declares, lower-cased, as the state names it;
 * undefined for one the state does not know by that key. An email the state maps to a member
 * another entry declares too names someone else now (an address given to another person), or the
 * same person twice, which check refuses once Google names her: either way Google's answer to its
 * add tells, never the state's record.
 */
function canonicalsOf(before: RosterBefore, members: readonly RosterMemberArgs[]): (string | undefined)[] {
  const learned = learnedOf(before);
  const canonicals = members.map((member) => canonicalOf(memberKeyOf(member)!, learned)?.toLowerCase());
  const declaredTwice = (index: number) => canonicals.some((c, other) => other !== index && c !== undefined && c === canonicals[index]);
  return members.map((member, index) => (isEmailKey(memberKeyOf(member)!) && declaredTwice(index) ? undefined : canonicals[index]));
}

/**
 * What a preview's entries unknown until apply may reach (diff.ts): `named`, the entries whose
 * member is known and only the role unknown (the role left out); `lowest`, the lowest role an
 * entry whose person is unknown may give (its declared role, else ROLE_MEMBER), undefined where no
 * entry's person is unknown.
 */
export interface UnknownEntries {
  readonly named: readonly RosterMemberArgs[];
  readonly lowest?: MembershipRole;
}

/** The members of the state `entries` declare, lower-cased (an email the state maps to no member declares none yet). */
export const membersDeclaredBy = (before: RosterBefore, entries: readonly RosterMemberArgs[]): Set<string> =>
  new Set(canonicalsOf(before, entries).filter((c): c is string => c !== undefined));

/**
 * The members of the state an entry not known yet may demote, where a preview's entries are
 * unknown until apply (diff.ts): each person whom no entry of `known` declares and an unknown entry
 * may declare lower (one of `unknown.named` that names her, at any role; else one whose person is
 * unknown, at `unknown.lowest`), and whom the plan would demote were she declared so (so not the
 * calling user this plan knows, nor another instance's it was told of, kept at her role without
 * admin access, nor one whose role a refresh found changed in Chat since the state). The preview
 * announces each as a possible role change: the up, with every entry known, makes the demotion an
 * entry declares. It may keep more (a caller the preview could not tell yet): an announcement too
 * many, never one too few.
 */
export function demotableByUnknownEntries(
  before: RosterBefore,
  known: readonly RosterMemberArgs[],
  unknown: UnknownEntries,
  acting: Acting,
  since: ChangedSince = NOTHING_CHANGED,
): RosterMemberState[] {
  const canonicals = canonicalsOf(before, [...known, ...unknown.named]);
  const byKnown = new Set(canonicals.slice(0, known.length));
  const byNamed = new Set(canonicals.slice(known.length));
  const lowestFor = (m: RosterMemberState): MembershipRole | undefined => {
    const key = m.member.toLowerCase();
    if (m.memberType !== "HUMAN" || m.member === "" || byKnown.has(key)) return undefined;
    return byNamed.has(key) ? DEFAULT_ROLE : unknown.lowest;
  };
  const reachable = before.members.flatMap((m) => {
    const lowest = lowestFor(m);
    return lowest !== undefined && demotes(m.role, lowest) ? [{ m, lowest }] : [];
  });
  if (reachable.length === 0) return [];
  const lowered = planRoster(before, [...known, ...reachable.map(({ m, lowest }) => ({ user: m.member, role: lowest }))], "addOnly", acting, "now", since);
  return reachable.filter(({ m }) => lowered.patches.some((p) => p.entry === m)).map(({ m }) => m);
}

/** The members `plan` keeps, or keeps at their role, as another provider instance's calling user ({@link Acting.otherCallers}), as the state names them. */
export const keptAsOtherCallers = (plan: RosterPlan): string[] => [
  ...plan.keptCallers.map((k) => k.entry.member),
  ...plan.keptCallersRoles.map((k) => k.patch.entry.member),
];

/** The plan's refusal when the roster had an owner and would have none after it. */
function lastOwnerRefusal(members: readonly RosterMemberState[], adds: RosterAdd[], patches: RosterPatch[], removals: RosterMemberState[]): string | undefined {
  // A person invited as an owner is none until they accept.
  const owners = members.filter(isActingOwner);
  if (owners.length === 0) return undefined;
  const leaving = new Set([...removals.map((m) => m.member), ...patches.filter((p) => p.role !== OWNER).map((p) => p.entry.member)]);
  const staying = owners.filter((m) => !leaving.has(m.member)).length;
  const coming = adds.filter((a) => a.role === OWNER).length + patches.filter((p) => p.role === OWNER && p.entry.state === "JOINED").length;
  if (staying + coming > 0) return undefined;
  const gone = owners.map((m) => m.member).join(", ");
  return (
    "this change would leave the space without an owner (ROLE_MANAGER, shown as Owner in Chat): " +
    `${gone} ${owners.length === 1 ? "is its last owner and would be" : "are its owners and would all be"} removed or demoted. ` +
    'Declare at least one member with role: "ROLE_MANAGER" (or keep the owner\'s entry), then run pulumi up again. ' +
    "If another owner was added in Chat, run pulumi refresh first."
  );
}
