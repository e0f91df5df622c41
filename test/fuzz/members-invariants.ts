/**
 * The promises of memberships across resources (docs/guides/memberships.md, "Who keeps a member"), checked from the
 * emulator's state, the request log and the stack after each step of a case where ChatMemberships
 * and rosters of the same spaces share one program: a member moved, renamed, respelled or kept
 * by the calling user is never removed; every removal was announced by the preview; everything
 * the program declares is in the space after a successful up, and every announced removal that
 * nothing keeps is done. Each check returns the violations it found.
 */

import { heldByMembership, heldByRoster, ProgramClaims } from "../../commands/plan/claims";
import type { PreviewStep, ResourceState } from "../../commands/plan/preview-json";
import type { StoredMembership } from "../../emulator/model";
import { UNKNOWN } from "../../provider/core/engine-values";
import { memberKeyOf } from "../../provider/members/member-ref";
import { sameInstant } from "../../provider/members/memberships";
import { demotes, rankOf } from "../../provider/members/roles";
import type { MembershipSdkInputs } from "../../provider/membership/inputs";
import { parseRoleLine } from "../../provider/membership/role-lines";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { SpaceMembersSdkInputs } from "../../provider/space-members/provider";
import type { ChatSpaceMembersOutputs, RosterMemberArgs } from "../../provider/space-members/types";
import { dynamicToken, kindOfToken } from "../../provider/tokens";
import { type DeclaredResource, describeOutcome, type Outcome, type Plan, type Stack, type StateEntry } from "./engine";
import { expectedMember } from "./membership-invariants";
import { ApiLog, type TaggedRequest } from "./world";

export const MEMBERS_INVARIANTS = {
  callerKept: "the calling user of the operation (the person its credentials name now) is never removed, and never demoted below owner without admin access",
  callerMembershipLeft:
    "the delete of the calling user's own ChatMembership, as its state records it (or its declared email names the caller), leaves the caller in the space and the resource out of the stack: it never stops the operation, even where the caller no longer sees the space; " +
    "except one declared by users/{id} while the caller is in no space: her id can't be learnt, nor her told from a person given her address since, and the delete stops, saying the space is out of sight",
  ownMembershipRefreshed:
    "after a refresh, the stack holds no ChatMembership of the calling user (a person, by its state's member) in a space she is no member of: her own membership's 404 says she is none, whether or not she still sees the space",
  removedAsAnnounced:
    "every removal from a space was announced by the operation's preview: a resource holding the member previewed as delete or replace, a roster's detailed diff listing it as removed, or the roster being deleted declaring it",
  demotedAsAnnounced:
    "every demotion in a space was announced by the operation's preview: a resource whose state records the member at her role then (or higher) previewed as update or replace; an owner made in Chat since the state last read her keeps her role",
  keptWhenHeld: "nothing is removed that a resource the program declares holds (a member moved, renamed or respelled stays)",
  keptAsSummarized:
    "nothing is removed that the plan summary of the operation's preview (npx pulumi-googlechat plan, commands/plan/claims.ts) says stays, held by another declaration, unless another resource's preview announced its removal",
  declaredInSpace:
    "after a successful up, every member the program declares is in its space, at its declared role (the calling user keeps its owner role without admin access) and with its declared import-mode times",
  announcedRemovalsDone:
    "after a successful up, every member the preview announced as removed is gone, unless the calling user, a declaration or an authoritative roster of the program keeps it, or it is the space's last owner",
  conflictRefused:
    "two declarations of one member are refused before any write: at check, with no API call in the operation but the reads that learn who the caller is, when they name it alike; an operation never succeeds with both, nor with a declaration check refuses",
  conflictNamed:
    "a member declared twice alike fails at check naming both declarations: the failure of one names the other, served by the same provider instance or by the other",
  oneMembership: "a space holds one membership per member, and after a successful up no membership is held by two ChatMemberships",
  lastOwner: "a space never loses its last owner (a JOINED person with ROLE_MANAGER)",
  ownerRefusalJustified:
    "a last-owner refusal happens only when no other owner is there: never while the roster's calling user (the person its credentials name now), an owner its state lists, stays one without admin access",
  callerRecordTrue:
    "a roster's state that lists the calling user's membership, while she is a member of its space, never records her as none (its `__caller` with no member): a later step trusting that record would remove her",
  callerNotAnnounced:
    "a roster's preview never announces the removal of the calling user (the person the operation's credentials name now): it keeps her, and says so",
  authoritativeAnnounced:
    "after a refresh, the preview of an authoritative roster the program keeps announces the removal of every member of its space the program does not declare (pending invitations included), but the calling user",
  ownerRefusedAtPreview:
    "a roster's change that would leave its space without a joined owner is refused by its preview when its state lists the space as Chat has it (an invited owner counts as none): never stopped at its write",
  noOrphan:
    "no membership a ChatMembership created or took over, or a roster declared, stays in the space held by no resource, unless deliberately (the calling user, retainOnDelete, the last owner a roster's delete keeps): a roster's delete that removed nobody, or a state that dropped a member still there, would leave it to nobody",
  importedKept:
    "`pulumi import` of a roster succeeds, and the declaration it wrote (members added, or given other roles, since) removes nobody who was in its space at the import, joined or invited: an import adopts the roster as it is",
  optionRefused:
    "a program whose ChatMembership or ChatSpaceMembers sets the resource option deleteBeforeReplace: true fails, as the SDK class refuses it (the first such resource in registration order, named, with the SDK's text), with no API call: its preview and its up alike",
  recovers: "after a failure (a crash included), the next up (or destroy) succeeds, or stops on a deliberate refusal that names its way out",
  checkRefuses: "a program declaring a member twice, a Google Group with a role or the Chat app under admin access fails at check",
  checkAccepts: "a valid program passes check and diff (the preview)",
  previewReadsNothing: "preview makes no Chat API call",
  converges:
    "after a successful up, the preview of the same program (a new process, the same credentials) plans no change and reads nothing: no create, update, replace or delete, and no pending delete left",
  oneWritePerMember:
    "an operation writes one person's membership of a space at most once (a create with its role, one role change, or one removal): no role set twice (two resources flip-flopping), no removal and re-add",
} as const;
export type MembersInvariant = keyof typeof MEMBERS_INVARIANTS;

export interface MembersViolation {
  invariant: MembersInvariant;
  detail: string;
}

export type MembersInputs = MembershipSdkInputs | SpaceMembersSdkInputs;
export type MembersOutputs = ChatMembershipOutputs | ChatSpaceMembersOutputs;
export type MembersStack = Stack<MembersInputs, MembersOutputs>;
type Entry = StateEntry<MembersInputs, MembersOutputs>;
/** The directory's people: which `users/{id}` each email names now. */
export type Users = { id: string; email: string }[];

export const ROSTER = "ChatSpaceMembers";
export const isRoster = (e: { type?: string }): boolean => e.type === ROSTER;
const OWNER = "ROLE_MANAGER";
const lower = (s: string) => s.toLowerCase();
/** A role whose holder manages the members (an owner, or a manager): a calling user at it is never demoted without admin access. */
export const managesMembers = (role: string | undefined): boolean => role === OWNER || role === "ROLE_ASSISTANT_MANAGER";

const isOwner = (m: StoredMembership) => m.type === "HUMAN" && m.role === OWNER && m.state === "JOINED";

/** A space's memberships by the space's name (`spaces/{id}`). */
export type SpaceMembers = Map<string, StoredMembership[]>;

/** The canonical members a roster's state declares (`__declared`), the app as "BOT". */
function rosterDeclared(outs: ChatSpaceMembersOutputs): string[] {
  return Object.entries(outs.__declared ?? {}).map(([key, member]) => (key === "users/app" ? "BOT" : lower(member || key)));
}

/** The space a state entry's resource is of. */
export const spaceOfEntry = (e: Entry): string => (e.outputs as { space: string }).space;

/**
 * What a state entry holds, as its delete would remove it: a ChatMembership's member, a roster's
 * declared members. An addOnly roster's are those its last declaration (the state's inputs)
 * declares: it removes no one, so a member it stopped declaring stays, its delete included
 * (docs/guides/rosters.md); an authoritative one's state may declare more, whose removal an
 * update left pending (the plan summary announces them).
 */
function heldByEntry(e: Entry): string[] {
  if (isRoster(e)) {
    const outs = e.outputs as ChatSpaceMembersOutputs;
    if (outs.mode !== "addOnly") return rosterDeclared(outs);
    const keys = new Set(((e.inputs as SpaceMembersSdkInputs).members ?? []).map((m) => memberKeyOf(m)));
    return rosterDeclared({ ...outs, __declared: Object.fromEntries(Object.entries(outs.__declared ?? {}).filter(([key]) => keys.has(key))) });
  }
  const outs = e.outputs as ChatMembershipOutputs;
  return [outs.memberType === "BOT" ? "BOT" : lower(outs.member ?? "")];
}

/** A resource's detailed diff in a preview's plan (a roster's lists its members); empty where it has none. */
export const detailedDiffOf = (plan: Plan, name: string): Record<string, string> =>
  (plan.diffs?.[name] as { detailedDiff?: Record<string, string> } | undefined)?.detailedDiff ?? {};

/** The member a roster's detailed diff path names (`members["users/…"]`), as written; undefined for an entry's path (`members[i]`) or another. */
export const memberOfPath = (path: string): string | undefined => /^members\["(.+)"\]$/.exec(path)?.[1];

/** The entry a roster's detailed diff path names (`members[i]`); undefined for a member's path or another. */
export const entryOfPath = (path: string): number | undefined => {
  const index = /^members\[(\d+)\]$/.exec(path)?.[1];
  return index === undefined ? undefined : Number(index);
};

/**
 * The removals the preview announced, by space: each resource of the state it lists as delete or
 * replace (a ChatMembership's member, a roster's declared members), a roster's detailed diff's
 * `members["users/…"]: delete`, and the pending deletes an earlier operation announced.
 */
export function announcedRemovals(stack: MembersStack, plan: Plan | "all" | "none"): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (space: string, members: string[]) => {
    const set = out.get(space) ?? new Set<string>();
    members.forEach((m) => set.add(m));
    out.set(space, set);
  };
  for (const e of stack.pendingDeletes) add(spaceOfEntry(e), heldByEntry(e));
  for (const e of stack.entries) {
    const step = plan === "all" ? "delete" : plan === "none" ? "same" : plan.steps[e.name];
    if (step === "delete" || step === "replace") add(spaceOfEntry(e), heldByEntry(e));
  }
  if (plan !== "all" && plan !== "none") for (const [space, members] of rosterRemovals(stack, plan)) add(space, [...members]);
  return out;
}

/** The removals the rosters' detailed diffs announced (`members["users/…"]: delete`), by space, lower-cased. */
export function rosterRemovals(stack: MembersStack, plan: Plan): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const e of stack.entries.filter(isRoster)) {
    const listed = Object.entries(detailedDiffOf(plan, e.name)).flatMap(([path, change]) => (change === "delete" ? [memberOfPath(path)] : []));
    for (const m of listed) if (m) out.set(spaceOfEntry(e), (out.get(spaceOfEntry(e)) ?? new Set()).add(lower(m)));
  }
  return out;
}

/**
 * The canonical members a program declares, by space (the app as "BOT"); a declaration of an
 * address given to another person since its resource was made, as `heldSinceMove` says.
 */
export function declaredBy(program: DeclaredResource<MembersInputs>[], users: Users, heldSinceMove?: Exemptions["heldSinceMove"]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of program) {
    const space = r.inputs.space!;
    const set = out.get(space) ?? new Set<string>();
    const members: RosterMemberArgs[] = isRoster(r) ? ((r.inputs as SpaceMembersSdkInputs).members ?? []) : [r.inputs as MembershipSdkInputs];
    for (const m of members) set.add(canonical(heldSinceMove?.(r.name, `users/${(m.user ?? "").toLowerCase()}`) ?? expectedMember(m, users)));
    out.set(space, set);
  }
  return out;
}

const canonical = (m: string) => (m === "BOT" ? m : lower(m));
/** A membership as the sets above name it. */
const keyOf = (m: StoredMembership) => (m.type === "BOT" ? "BOT" : lower(m.memberName));

/** The import-mode times a ChatMembership may declare, which Google sets only when a membership is created. */
const TIMES = ["createTime", "deleteTime"] as const;

/** Whether a declared time and a membership's are one instant (RFC 3339 text varies); an undeclared time is not managed. */
const sameTime = (declared: string | undefined, live: string | undefined) => declared === undefined || Date.parse(declared) === Date.parse(live ?? "");

/**
 * The members of each space whose ChatMembership the program declares with other import-mode
 * times than their membership has (canonical, lower-cased): their times are set only when a
 * membership is created, so the program asks for a new one. The old membership is held by
 * nothing, and its removal and the member's add again are one replacement.
 */
export function retimedBy(program: DeclaredResource<MembersInputs>[], members: SpaceMembers, users: Users): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of program) {
    if (isRoster(r)) continue;
    const inputs = r.inputs as MembershipSdkInputs;
    const member = lower(expectedMember(inputs, users));
    const live = (members.get(inputs.space!) ?? []).find((m) => keyOf(m) === member);
    if (!live || TIMES.every((field) => sameTime(inputs[field], live[field]))) continue;
    out.set(inputs.space!, (out.get(inputs.space!) ?? new Set()).add(member));
  }
  return out;
}

/** What one step did to one space: the memberships before and after, and the DELETEs it made. */
export interface SpaceStep {
  space: string;
  before: StoredMembership[];
  after: StoredMembership[];
}

/** The members that left a space during a step: gone from it, or deleted by a successful DELETE of the step (and added again). */
export function removedIn(step: SpaceStep, log: TaggedRequest[]): StoredMembership[] {
  const gone = step.before.filter((m) => !step.after.some((a) => a.memberId === m.memberId));
  const prefix = `/v1/${step.space}/members/`;
  const deleted = log
    .filter((e) => e.request.method === "DELETE" && e.request.status === 200 && decodeURIComponent(e.request.path).startsWith(prefix))
    .map((e) => decodeURIComponent(e.request.path).slice(prefix.length))
    .flatMap((id) => step.before.filter((m) => m.memberId === id));
  return [...new Map([...gone, ...deleted].map((m) => [m.memberId, m])).values()];
}

/** The calling user of a step: its canonical member, and whether it acts with admin access. */
export interface StepCaller {
  member: string;
  adminAccess: boolean;
  /** The caller is the Chat app (app authentication): `member` is its `users/{id}`. */
  app?: boolean;
}

/** The calling user removed, or demoted from a role that manages the members (owner, manager) without admin access. */
export function checkCallerKept(step: SpaceStep, removed: StoredMembership[], caller: StepCaller): MembersViolation[] {
  const out: MembersViolation[] = [];
  if (removed.some((m) => lower(m.memberName) === lower(caller.member))) {
    out.push({ invariant: "callerKept", detail: `the calling user ${caller.member} was removed from ${step.space}` });
  }
  const was = step.before.find((m) => lower(m.memberName) === lower(caller.member));
  const now = step.after.find((m) => lower(m.memberName) === lower(caller.member));
  if (!caller.adminAccess && managesMembers(was?.role) && now && demotes(was?.role, now.role)) {
    out.push({
      invariant: "callerKept",
      detail: `the calling user ${caller.member} was demoted from ${was?.role} to ${now.role} in ${step.space} without admin access`,
    });
  }
  return out;
}

/**
 * A failed operation whose stop is the delete of the calling user's own ChatMembership: one of her
 * (`caller`, the person the credentials name now) that its state recorded as the caller's
 * (`__caller`, the caller's email) or that declares the caller by email. Such a delete is told the
 * caller's without a call, and leaves the member where it is. A membership of a person who held the
 * email before (`addressReassigned`) is not hers. `deleted`: the state entries the step deletes;
 * `callerEmail`: the operation's calling user, when its credentials name it; `callerInASpace`:
 * whether she is a member of some space (then Google can tell her id).
 */
export function checkCallersOwnDelete(
  error: string,
  deleted: readonly Entry[],
  callerEmail: string | undefined,
  caller: StepCaller,
  callerInASpace: boolean,
): MembersViolation[] {
  if (!callerEmail) return [];
  const email = lower(callerEmail);
  const own = deleted.filter((e) => {
    if (isRoster(e)) return false;
    const outs = e.outputs as ChatMembershipOutputs;
    if (lower(outs.member ?? "") !== lower(caller.member)) return false;
    return lower(outs.__caller ?? "") === email || lower(outs.__declared?.user ?? "").replace(/^users\//, "") === email;
  });
  // A delete names its membership by member and space (a create or update, by its resource's name).
  const stopped = own.find((e) => {
    const outs = e.outputs as ChatMembershipOutputs;
    const byId = lower(outs.__declared?.user ?? "").replace(/^users\//, "") !== email;
    // Only Google's answer of her id tells her own membership by users/{id}: where she is in no space, the delete can't tell.
    if (byId && !callerInASpace && error.includes("these credentials can no longer see the space")) return false;
    return error.startsWith(`ChatMembership ${outs.member} in ${outs.space}:`);
  });
  if (!stopped) return [];
  return [
    { invariant: "callerMembershipLeft", detail: `${stopped.name}, the calling user's own ChatMembership, stopped the operation at its delete: ${error}` },
  ];
}

/**
 * After a successful refresh by a person: no ChatMembership of the stack records her as its member
 * in a space she is no member of (JOINED or INVITED). She sees a space exactly when she is a member,
 * so her own membership's 404 is no hidden space (members/member-provider.ts `meaningOf404`): kept,
 * the state would say she is in the space, and no preview would ever plan her add again.
 */
export function checkOwnMembershipRefreshed(stack: MembersStack, members: SpaceMembers, caller: StepCaller): MembersViolation[] {
  if (caller.app) return [];
  return stack.entries.flatMap((e) => {
    if (isRoster(e)) return [];
    const outs = e.outputs as ChatMembershipOutputs;
    if (lower(outs.member) !== lower(caller.member)) return [];
    const live = (members.get(outs.space) ?? []).some((m) => lower(m.memberName) === lower(caller.member) && m.state !== "NOT_A_MEMBER");
    if (live) return [];
    return [
      {
        invariant: "ownMembershipRefreshed" as const,
        detail: `after the refresh, ${e.name} still holds ${outs.member}, the calling user, who is no member of ${outs.space}`,
      },
    ];
  });
}

/**
 * A roster's state that lists the calling user's membership, while she is a member of its space,
 * never records her as none: each state the provider writes, a partial failure's included (a roster that added her, its
 * read of whether she is the caller failed: space-members/provider.ts `noteCallerAdded`).
 */
export function checkCallerRecord(stack: MembersStack, members: SpaceMembers, callerEmail: string | undefined, caller: StepCaller): MembersViolation[] {
  if (caller.app || !callerEmail) return [];
  // A replaced roster's old half waiting for its delete, which would read its record, included.
  return [...stack.entries, ...stack.pendingDeletes].flatMap((e) => {
    if (!isRoster(e)) return [];
    const outs = e.outputs as ChatSpaceMembersOutputs;
    const recorded = outs.__caller;
    if (recorded?.member !== "" || lower(recorded.user) !== lower(callerEmail)) return [];
    const isCaller = (member: string) => lower(member) === lower(caller.member);
    // Listed, and a member in Chat: a record of her as none is false (one the listing outlived, she removed in Chat since, is not).
    if (!outs.members?.some((m) => isCaller(m.member))) return [];
    if (!(members.get(outs.space) ?? []).some((m) => isCaller(m.memberName) && m.state !== "NOT_A_MEMBER")) return [];
    return [
      {
        invariant: "callerRecordTrue" as const,
        detail: `${e.name}'s state lists ${caller.member}, the calling user ${callerEmail}, and records her as no member of ${outs.space}`,
      },
    ];
  });
}

/** Members removed that the preview did not announce, or that the program declares (but with other import-mode times: `retimed`). */
export function checkRemovals(
  step: SpaceStep,
  removed: StoredMembership[],
  announced: Set<string> | undefined,
  declared: Set<string> | undefined,
  caller: StepCaller,
  retimed?: Set<string>,
): MembersViolation[] {
  const out: MembersViolation[] = [];
  for (const m of removed) {
    if (lower(m.memberName) === lower(caller.member)) continue;
    // A member the program declares with other import-mode times, back in the space: made again
    // with them, one replacement the preview showed as the create (or replace) of the resource declaring them.
    const madeAgain = retimed?.has(keyOf(m)) === true && step.after.some((a) => a.memberId === m.memberId);
    // A roster's detailed diff names a removed app by its users/{id}; a resource's delete, as BOT.
    if (!madeAgain && !announced?.has(keyOf(m)) && !announced?.has(lower(m.memberName)))
      out.push({ invariant: "removedAsAnnounced", detail: `${m.memberName} left ${step.space}, and the preview announced no removal of it` });
    if (declared?.has(keyOf(m)) && !retimed?.has(keyOf(m)))
      out.push({ invariant: "keptWhenHeld", detail: `${m.memberName} left ${step.space}, although the program declares it` });
  }
  return out;
}

/**
 * The members the plan summary of a preview says stay, by space (canonical, lower-cased): those
 * of each resource the preview deletes or replaces (pending deletes too) that another declaration
 * of the program holds, as commands/plan/claims.ts `ProgramClaims.holderOf` reads the preview's
 * states, built here as `pulumi preview --json --show-sames` gives them.
 */
export function summarizedStays(stack: MembersStack, plan: Plan, program: DeclaredResource<MembersInputs>[]): Map<string, Set<string>> {
  const urnOf = (x: { inputs: MembersInputs }) => String((x.inputs as { __urn?: string }).__urn);
  const typeOf = (e: { type?: string }) => dynamicToken(isRoster(e) ? "roster" : "membership");
  const stateOf = (e: Entry, pending = false): ResourceState => ({
    urn: urnOf(e),
    type: typeOf(e),
    id: e.id,
    provider: e.instance ?? "default",
    inputs: e.inputs as unknown as Record<string, unknown>,
    outputs: e.outputs as unknown as Record<string, unknown>,
    ...(pending ? { delete: true } : {}),
  });
  const declaredState = (r: DeclaredResource<MembersInputs>): ResourceState => ({
    urn: urnOf(r),
    type: typeOf(r),
    provider: r.instance ?? "default",
    inputs: (r.atPreview ?? r.inputs) as unknown as Record<string, unknown>,
  });
  const steps: PreviewStep[] = [
    ...stack.pendingDeletes.map((e) => ({ op: "delete" as const, urn: urnOf(e), oldState: stateOf(e, true) })),
    ...stack.entries.map((e): PreviewStep => {
      const r = program.find((x) => x.name === e.name);
      const op = plan.steps[e.name] ?? (r ? "same" : "delete");
      return { op: r && op !== "delete" ? op : "delete", urn: urnOf(e), oldState: stateOf(e), ...(r && op !== "delete" ? { newState: declaredState(r) } : {}) };
    }),
    ...program.filter((r) => !stack.entries.some((e) => e.name === r.name)).map((r) => ({ op: "create" as const, urn: urnOf(r), newState: declaredState(r) })),
  ];
  const claims = new ProgramClaims(steps, (type) => kindOfToken(type) ?? "other");
  const out = new Map<string, Set<string>>();
  for (const step of steps) {
    const old = step.oldState;
    if (!old || (step.op !== "delete" && step.op !== "replace")) continue;
    const own = step.op === "replace";
    const held = kindOfToken(old.type) === "roster" ? heldByRoster(old).map((m) => m.held) : [heldByMembership(old)];
    for (const h of held) {
      if (!h.member || !claims.holderOf(step.urn, old, h, own)) continue;
      const space = String(old.inputs?.space);
      out.set(space, (out.get(space) ?? new Set()).add(lower(h.member)));
    }
  }
  return out;
}

/**
 * Members a step removed from a space that its preview's plan summary said stay ({@link summarizedStays}),
 * but those whose removal another resource's preview announced (`announcedElsewhere`: a roster's
 * detailed diff), or changed in Chat since the state read them.
 */
export function checkKeptAsSummarized(
  step: SpaceStep,
  removed: StoredMembership[],
  stays: Set<string> | undefined,
  announcedElsewhere: Set<string> | undefined,
  ex: Pick<Exemptions, "stale">,
): MembersViolation[] {
  return removed
    .filter((m) => stays?.has(lower(m.memberName)) && !announcedElsewhere?.has(lower(m.memberName)) && !ex.stale(step.space, m.memberName))
    .map((m) => ({
      invariant: "keptAsSummarized" as const,
      detail: `${m.memberName} left ${step.space}, though the plan summary of the preview said it stays, held by another declaration`,
    }));
}

/** The roles the state's resources of a space record for each member (lower-cased), a ChatMembership's and a roster's listed entries. */
function recordedRoles(stack: MembersStack, space: string): { member: string; role: string }[] {
  return stack.entries
    .filter((e) => spaceOfEntry(e) === space)
    .flatMap((e) =>
      isRoster(e)
        ? (e.outputs as ChatSpaceMembersOutputs).members
        : [{ member: (e.outputs as ChatMembershipOutputs).member ?? "", role: String((e.outputs as ChatMembershipOutputs).role ?? "") }],
    )
    .map((r) => ({ member: lower(r.member), role: r.role }));
}

/**
 * The owners made in Chat since the state last read them, who kept their role through a step:
 * JOINED owners (ROLE_MANAGER) when it began and when it ended, whom no resource of the state
 * it planned from recorded as an owner. The step's preview could not show their demotion, so the
 * provider deferred it: the next preview announces it.
 */
export function ownersKept(step: SpaceStep, stack: MembersStack): Set<string> {
  const recorded = recordedRoles(stack, step.space);
  return new Set(
    step.before
      .filter((m) => isOwner(m) && step.after.some((a) => a.memberId === m.memberId && isOwner(a)))
      .map((m) => lower(m.memberName))
      .filter((member) => !recorded.some((r) => r.member === member && r.role === OWNER)),
  );
}

/**
 * Members demoted during a step whose demotion the preview did not announce. A demotion is
 * announced by a resource of the state the preview planned from that records the member at the
 * role she had when the step began, or a higher one (a ChatMembership's role, a roster's listed
 * entry), and that the preview lists as update or replace; a roster updated in place must name her
 * in its detailed diff too (`members["users/…"]`, or `members[i]` of the entry declaring her in
 * `program`), a ChatMembership updated in place in its preview's log (`previewLines`: the role
 * change from her role then, or a higher one). So an owner made in Chat since the state last read her, which records her lower,
 * keeps her role: the preview showed a change from the lower role, never her demotion as an owner.
 * A member no resource records (she joined in Chat since, and a new resource's create met her)
 * keeps hers too.
 */
export function checkDemotions(
  step: SpaceStep,
  stack: MembersStack,
  plan: Plan | "all" | "none",
  program: DeclaredResource<MembersInputs>[],
  users: Users,
  previewLines: readonly string[] = [],
): MembersViolation[] {
  const out: MembersViolation[] = [];
  // A ChatMembership's update says the role change it makes in its preview's log line (membership/role-lines.ts), from
  // the role as last read: a dynamic provider passes no detailed diff, and the declarations compared don't tell that role.
  // Its role then or higher, to the role she has now or higher (known only at up: any).
  const logsDemotion = (e: Entry, member: string, from: string, to: string) =>
    previewLines.some((line) => {
      const change = line.startsWith(`ChatMembership ${e.name}: `) ? parseRoleLine(line) : undefined;
      return (
        change !== undefined &&
        lower(change.member) === member &&
        rankOf(change.from) >= rankOf(from) &&
        (change.to === undefined || rankOf(change.to) <= rankOf(to))
      );
    });
  // A destroy, or an up with no preview, announced no change.
  const changes = (e: Entry) => plan !== "all" && plan !== "none" && (plan.steps[e.name] === "update" || plan.steps[e.name] === "replace");
  // A roster's update names each member it changes; a ChatMembership holds one, and a replacement changes everyone it holds.
  const namesMember = (e: Entry, member: string, from: string, to: string) => {
    if (plan === "all" || plan === "none") return false;
    if (plan.steps[e.name] === "replace") return true;
    if (!isRoster(e)) return logsDemotion(e, member, from, to);
    const entries = (program.find((r) => r.name === e.name)?.inputs as SpaceMembersSdkInputs | undefined)?.members ?? [];
    return Object.keys(detailedDiffOf(plan, e.name)).some((path) => {
      const named = memberOfPath(path);
      if (named !== undefined) return lower(named) === member;
      const index = entryOfPath(path);
      const entry = index === undefined ? undefined : entries[index];
      return entry !== undefined && lower(expectedMember(entry, users)) === member;
    });
  };
  for (const was of step.before) {
    const now = step.after.find((m) => m.memberId === was.memberId);
    if (!now || was.state === "NOT_A_MEMBER" || !demotes(was.role, now.role) || rankOf(now.role) < 0) continue;
    const announced = stack.entries.some(
      (e) =>
        spaceOfEntry(e) === step.space &&
        changes(e) &&
        recordedRoles({ entries: [e], pendingDeletes: [] }, step.space).some((r) => r.member === lower(was.memberName) && rankOf(r.role) >= rankOf(was.role)) &&
        namesMember(e, lower(was.memberName), was.role, now.role),
    );
    if (!announced)
      out.push({
        invariant: "demotedAsAnnounced",
        detail: `${was.memberName} was demoted from ${was.role} to ${now.role} in ${step.space}, and the preview announced no change from that role`,
      });
  }
  return out;
}

/** The calling users a case's steps ran as, whom a delete deliberately leaves in the space. */
export interface Exemptions {
  /** Canonical members that stay deliberately: the calling users. */
  callers: Set<string>;
  /** Members changed in Chat since the state last read them, by space: the preview could not know them. */
  stale: (space: string, member: string) => boolean;
  /** The step acts as the Chat app (app authentication), which Google lets remove no Google Group (v1.d.ts members.delete): a group stays. */
  appActs: boolean;
  /** Ids the engine let go of without deleting them (retainOnDelete): a membership's name, a roster's space. */
  retained: Set<string>;
  /** Whether the step's caller sees the space (a member of it, or admin access): what it can't see, it can't change or read. */
  sees: (space: string) => boolean;
  /**
   * Whether a roster's entry (by resource and index) came in without its preview showing the role
   * its member has: the roster's create, or an add the preview planned. A member there already at
   * a higher role keeps it, since the preview announced no demotion; the next preview announces it.
   */
  unannounced: (resource: string, index: number) => boolean;
  /**
   * The calling user of the program's explicit provider instance where it is another than the
   * step's (`instanceCallersKept`): where a resource of that instance is declared in a space, she
   * keeps her owner role there without that instance's admin access, as the step's caller keeps hers.
   */
  explicitCaller?: StepCaller;
  /**
   * The calling user a roster's or ChatMembership's state was written as, where the step changed
   * it (by the resource's name: her member, lower-cased): the resource keeps her, and her role, for
   * that step (members/caller.ts `formerCallerOf`); its next preview announces the change.
   */
  formerCaller?: (resource: string) => string | undefined;
  /**
   * The member a roster's state (after the step) maps its entry of the caller's address to, where
   * the address was given to another person and the roster's plan left the entry as it was: until a
   * refresh, the entry names the member the state records (docs/guides/memberships.md, "The
   * caller's address given to another person"), lower-cased; undefined elsewhere.
   */
  recordedEntry?: (roster: string, key: string) => string | undefined;
  /**
   * The member a resource's declaration `key` (`users/<email>`, lower-cased) of an address given to
   * another person since holds, where the step left it holding the same (a ChatMembership its
   * membership, a roster its entry's member): its state's, lower-cased, whom the address named when
   * the resource was made; undefined elsewhere. Made again, it follows the address
   * (docs/guides/memberships.md).
   */
  heldSinceMove?: (resource: string, key: string) => string | undefined;
  /**
   * Whether `member` (lower-cased) of `space` stays deliberately as the member a resource the step
   * deletes recorded for an address the directory gives another person now, which the program
   * declares in the space, where the plan summary of the preview said it stays ({@link summarizedStays}):
   * the delete keeps it, held by no resource (members/claims.ts `byFormerAddress`, docs/guides/memberships.md).
   */
  keptByFormerAddress?: (space: string, member: string) => boolean;
  /**
   * Whether the calling user `member` was given her address after the roster's state last read its
   * space (no refresh since), which lists her: the state records the address's former holder as its
   * caller, and its preview, planned from that record without asking Google, may announce her
   * removal; the up asks Google who the caller is, and keeps her (docs/guides/memberships.md, "The
   * caller's address given to another person").
   */
  readdressedSinceRead?: (roster: string, member: string) => boolean;
}

/**
 * After a successful up: every declared member of a space in it at its declared role, but
 * members changed in Chat since the state read them (the preview planned from the state), the
 * calling user's owner role kept without admin access (the step's, or the explicit instance's
 * where it declares a resource of the space), and a roster's demotion its preview did not announce
 * (`unannounced`).
 */
export function checkDeclaredInSpace(
  program: DeclaredResource<MembersInputs>[],
  members: SpaceMembers,
  users: Users,
  caller: StepCaller,
  ex: Exemptions,
): MembersViolation[] {
  const out: MembersViolation[] = [];
  for (const r of program) {
    const space = r.inputs.space!;
    if (!ex.sees(space)) continue;
    const live = members.get(space) ?? [];
    const declared: RosterMemberArgs[] = isRoster(r) ? ((r.inputs as SpaceMembersSdkInputs).members ?? []) : [r.inputs as MembershipSdkInputs];
    for (const [index, d] of declared.entries()) {
      const key = `users/${(d.user ?? "").toLowerCase()}`;
      const member = (isRoster(r) ? ex.recordedEntry?.(r.name, key) : undefined) ?? ex.heldSinceMove?.(r.name, key) ?? expectedMember(d, users);
      if (ex.stale(space, member)) continue;
      const m = live.find((x) => (member === "BOT" ? x.type === "BOT" : lower(x.memberName) === lower(member)));
      if (!m) {
        out.push({ invariant: "declaredInSpace", detail: `${r.name} declares ${member}, which is not in ${space}` });
        continue;
      }
      const role = d.group ? "MEMBERSHIP_ROLE_UNSPECIFIED" : (d.role ?? "ROLE_MEMBER");
      const keepsRole = (c: StepCaller | undefined) =>
        c !== undefined && lower(m.memberName) === lower(c.member) && !c.adminAccess && managesMembers(m.role) && demotes(m.role, role);
      const explicitHere = program.some((p) => p.instance === "explicit" && p.inputs.space === space);
      const formerCallersRole = ex.formerCaller?.(r.name) === lower(m.memberName) && managesMembers(m.role) && demotes(m.role, role);
      const callersOwnRole = keepsRole(caller) || (explicitHere && keepsRole(ex.explicitCaller)) || formerCallersRole;
      const demotionDeferred = ex.unannounced(r.name, index) && demotes(m.role, role);
      if (m.role !== role && !callersOwnRole && !demotionDeferred && m.state !== "NOT_A_MEMBER")
        out.push({ invariant: "declaredInSpace", detail: `${r.name} declares ${member} as ${role}, ${space} has it as ${m.role}` });
      for (const field of isRoster(r) ? [] : TIMES) {
        const wanted = (d as MembershipSdkInputs)[field];
        if (!sameTime(wanted, m[field]))
          out.push({
            invariant: "declaredInSpace",
            detail: `${r.name} declares ${member} with ${field} ${wanted}, ${space} has it with ${m[field] ?? "none"}`,
          });
      }
    }
  }
  return out;
}

/**
 * The roster entries whose member keeps a role above the declared one because the preview did not
 * show it (`unannounced`): their demotion is the next preview's to announce, `resource members[i]`.
 */
export function deferredDemotions(
  program: DeclaredResource<MembersInputs>[],
  members: SpaceMembers,
  users: Users,
  unannounced: Exemptions["unannounced"],
): string[] {
  return program.filter(isRoster).flatMap((r) =>
    ((r.inputs as SpaceMembersSdkInputs).members ?? []).flatMap((d, index) => {
      const member = expectedMember(d, users);
      const m = (members.get(r.inputs.space!) ?? []).find((x) => lower(x.memberName) === lower(member));
      return m && !d.group && unannounced(r.name, index) && demotes(m.role, d.role ?? "ROLE_MEMBER") ? [`${r.name} members[${index}]`] : [];
    }),
  );
}

/**
 * `plan` without the removals a roster's preview announced only in case its mode, unknown at that
 * preview, is authoritative (space-members/diff.ts: an unknown mode counts as authoritative), where
 * the up's mode is addOnly, which removes nobody.
 */
export function withoutRemovalsOfAnUnknownMode(plan: Plan | "all" | "none", program: DeclaredResource<MembersInputs>[]): Plan | "all" | "none" {
  if (plan === "all" || plan === "none") return plan;
  const addOnlyAfterAll = program.filter(
    (r) => isRoster(r) && (r.atPreview as { mode?: unknown } | undefined)?.mode === UNKNOWN && (r.inputs as SpaceMembersSdkInputs).mode === "addOnly",
  );
  if (addOnlyAfterAll.length === 0) return plan;
  return { ...plan, diffs: Object.fromEntries(Object.entries(plan.diffs ?? {}).filter(([name]) => !addOnlyAfterAll.some((r) => r.name === name))) };
}

/**
 * `plan` with each roster or ChatMembership whose space (or a ChatMembership's member) was unknown
 * at preview, and is its old one at the up, as the update the up made of it (its replacement
 * became an update: space-members/diff.ts `orSameSpace`, membership/diff.ts `roleChange.sameAtUp`):
 * a roster's announced removals are those of its detailed diff, not every member it declared,
 * which only a real replacement's delete removes; a demotion is announced by the update's plan its
 * preview showed.
 */
export function withSameAtUp(
  plan: Plan | "all" | "none",
  program: DeclaredResource<MembersInputs>[],
  stack: MembersStack,
  users: Users,
): Plan | "all" | "none" {
  if (plan === "all" || plan === "none") return plan;
  const sameAtUp = program.filter((r) => {
    const seen = r.atPreview as Record<string, unknown> | undefined;
    const e = stack.entries.find((x) => x.name === r.name);
    if (seen === undefined || e === undefined || spaceOfEntry(e) !== r.inputs.space) return false;
    const memberUnknown = !isRoster(r) && ["user", "group", "chatApp"].some((field) => seen[field] === UNKNOWN);
    if (seen.space !== UNKNOWN && !memberUnknown) return false;
    if (isRoster(r)) return true;
    // A ChatMembership is the same at up where its member and declared import-mode times are too (identity.ts: a time left
    // undeclared replaces nothing); else the up replaces it as its preview said.
    const outs = e.outputs as ChatMembershipOutputs;
    const declared = r.inputs as MembershipSdkInputs;
    const sameTime = (before: string | undefined, now: string | undefined) => now === undefined || sameInstant(before, now);
    return (
      lower(outs.member ?? "") === lower(expectedMember(declared, users)) &&
      sameTime(outs.__declared?.createTime, declared.createTime) &&
      sameTime(outs.__declared?.deleteTime, declared.deleteTime)
    );
  });
  if (sameAtUp.length === 0) return plan;
  return { ...plan, steps: { ...plan.steps, ...Object.fromEntries(sameAtUp.map((r) => [r.name, "update" as const])) } };
}

/**
 * After a successful up: a member the preview announced as removed is gone, unless something
 * keeps it deliberately: a calling user, a declaration of the program, an authoritative roster
 * of the program whose state lists it (it decides on it: its next preview announces the removal),
 * retainOnDelete, or it is the space's last owner (a roster's delete keeps one).
 */
export function checkAnnouncedRemovalsDone(
  announced: Map<string, Set<string>>,
  declared: Map<string, Set<string>>,
  stack: MembersStack,
  removedResources: Entry[],
  members: SpaceMembers,
  ex: Exemptions,
): MembersViolation[] {
  const out: MembersViolation[] = [];
  for (const [space, names] of announced) {
    if (!ex.sees(space)) continue;
    const live = members.get(space) ?? [];
    const listedByAuthoritative = new Set(
      stack.entries
        .filter((e) => isRoster(e) && spaceOfEntry(e) === space && (e.outputs as ChatSpaceMembersOutputs).mode === "authoritative")
        .flatMap((e) => (e.outputs as ChatSpaceMembersOutputs).members.map((m) => lower(m.member))),
    );
    const retained = removedResources
      .filter((e) => spaceOfEntry(e) === space && (ex.retained.has(e.id) || (isRoster(e) && ex.retained.has(space))))
      .flatMap(heldByEntry);
    for (const name of names) {
      // A roster's detailed diff names an app by its users/{id}; a resource's delete, as BOT.
      const m = live.find((x) => keyOf(x) === name || lower(x.memberName) === name);
      if (!m) continue;
      if (
        ex.callers.has(lower(m.memberName)) ||
        declared.get(space)?.has(name) ||
        listedByAuthoritative.has(lower(m.memberName)) ||
        retained.includes(name) ||
        ex.stale(space, m.memberName) ||
        ex.keptByFormerAddress?.(space, lower(m.memberName))
      )
        continue;
      if (isOwner(m) && !live.some((x) => x !== m && isOwner(x))) continue;
      out.push({
        invariant: "announcedRemovalsDone",
        detail: `${m.memberName} is still in ${space}, though the preview announced its removal and nothing the program declares keeps it`,
      });
    }
  }
  return out;
}

/**
 * After a refresh (the state lists each space as Chat has it), the preview of each authoritative
 * roster the program keeps (`plan` updates it or leaves it the same) announces, in its detailed
 * diff, the removal of every member of its space that the program declares nowhere: a person
 * invited and not joined yet too. But the calling users, whom it never removes (the refresh records
 * the one Google names by the credentials' email, not the member the state recorded by it before:
 * space-members/provider.ts `readRoster`); apps under admin access, which it can't list, and groups
 * under app authentication, which it can't remove; historical memberships; and spaces the caller does not see.
 */
export function checkAuthoritativeAnnounced(
  stack: MembersStack,
  plan: Plan,
  program: DeclaredResource<MembersInputs>[],
  members: SpaceMembers,
  users: Users,
  caller: StepCaller,
  ex: Exemptions,
): MembersViolation[] {
  const declared = declaredBy(program, users);
  const out: MembersViolation[] = [];
  for (const r of program.filter(isRoster)) {
    const inputs = r.inputs as SpaceMembersSdkInputs;
    const space = inputs.space!;
    const step = plan.steps[r.name];
    if (
      (inputs.mode ?? "authoritative") !== "authoritative" ||
      (step !== "update" && step !== "same") ||
      !stack.entries.some((e) => e.name === r.name) ||
      !ex.sees(space)
    )
      continue;
    const announced = new Set(
      Object.entries(detailedDiffOf(plan, r.name)).flatMap(([path, change]) => (change === "delete" ? [lower(memberOfPath(path) ?? "")] : [])),
    );
    for (const m of members.get(space) ?? []) {
      if (m.state === "NOT_A_MEMBER" || declared.get(space)?.has(keyOf(m)) || ex.callers.has(lower(m.memberName))) continue;
      // Out of these credentials' reach: an app under admin access, a group under app authentication (v1.d.ts members.delete).
      if ((m.type === "BOT" && caller.adminAccess) || (m.type === "GROUP" && caller.app)) continue;
      if (!announced.has(lower(m.memberName))) {
        out.push({
          invariant: "authoritativeAnnounced",
          detail: `${r.name}'s preview after a refresh does not announce the removal of ${m.memberName} (${m.role} ${m.state}), which the program does not declare in ${space}`,
        });
      }
    }
  }
  return out;
}

/**
 * A roster's detailed diff in the preview `plan` announcing the removal of the calling user
 * (`members["users/…"]: delete`): the plan keeps her (space-members/plan.ts `kept`), asking Google
 * who she is where the state can't tell, so a preview that announces her removal misleads, though
 * the update would keep her too (`sparingCaller`). But where Chat changed her membership since the
 * state read it (`stale`), or she no longer sees the space (`sees`): the state may list her while she is gone.
 * Nor a roster of the explicit instance, acting as another user (`explicitCaller`), with a value
 * unknown at preview: its plan announces every member no known entry matches as a possible
 * removal, the step's caller too where her instance's provider was not configured before that
 * plan (docs/guides/memberships.md, the limit of a roster declared before another provider instance).
 * Nor where the caller's address was given to her since the state last read it (`readdressedSinceRead`).
 */
export function checkCallerNotAnnounced(
  plan: Plan,
  program: DeclaredResource<MembersInputs>[],
  caller: StepCaller,
  ex: Pick<Exemptions, "stale" | "sees" | "explicitCaller" | "readdressedSinceRead">,
): MembersViolation[] {
  if (caller.app) return [];
  const anotherInstancesCaller = (r: DeclaredResource<MembersInputs>) =>
    r.instance === "explicit" && ex.explicitCaller !== undefined && lower(ex.explicitCaller.member) !== lower(caller.member);
  return program.filter(isRoster).flatMap((r) => {
    if ((r.atPreview !== undefined && anotherInstancesCaller(r)) || ex.readdressedSinceRead?.(r.name, caller.member)) return [];
    const space = r.inputs.space!;
    const announced = Object.entries(detailedDiffOf(plan, r.name)).some(
      ([path, change]) => change === "delete" && lower(memberOfPath(path) ?? "") === lower(caller.member),
    );
    return announced && !ex.stale(space, caller.member) && ex.sees(space)
      ? [{ invariant: "callerNotAnnounced" as const, detail: `${r.name}'s preview announces the removal of the calling user ${caller.member}` }]
      : [];
  });
}

/**
 * A check failure of a program declaring a member twice that names both declarations: the
 * failing resource (`{name}: property ...`, as engine.ts prints it) and another resource of the
 * program, by its type and name (claims.ts `holderName`).
 */
export function checkConflictNamed(failures: readonly string[], program: readonly { name: string; type?: string }[]): MembersViolation[] {
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const namesAnother = (line: string) => {
    const failing = /^([^:]+): property /.exec(line)?.[1];
    return program.some((r) => r.name !== failing && new RegExp(`${r.type} ${literal(r.name)}(?![\\w-])`).test(line));
  };
  if (failures.some(namesAnother)) return [];
  return [{ invariant: "conflictNamed", detail: `no check failure names both declarations: ${failures.join("; ")}` }];
}

/** A check failure saying it can't tell whether a declared `users/{id}` is an authoritative roster's calling user (members/claims.ts `callerUntold`): the failing resource, the key. */
const CALLER_UNTOLD = /^([^:]+): property [^:]+: can't tell whether (users\/[^,\s]+)[ ,]/;

/**
 * Whether check's refusal of a program is the one it must make where it can't tell whether a
 * member may be removed: every failure says it can't tell whether a `users/{id}` that a
 * ChatMembership declares is the calling user of an authoritative roster of that space that does
 * not declare it (the roster never removes its caller, and removes anyone else), and the roster's
 * provider can't learn that user's id: she is no member of the roster's space, and a joined member
 * of no space `spaces.list` lists her (members/caller.ts). Refused by the check of a
 * ChatMembership of another provider instance than the roster's, only the first holds: that
 * check reads her membership of the space by her email, and can't list her spaces (members/claims.ts
 * `otherCallerUntold`). `callerOf`: the email of the user a provider instance acts as (undefined:
 * the Chat app, or credentials that can't name her); `learnable(email, space, elsewhere)`: whether
 * her id can be learnt in `space`, or (`elsewhere`) from a space `spaces.list` lists her. Such a
 * program may be valid (the member may be her), but no check can know it.
 */
export function callerUntoldRefusal(
  failures: readonly string[],
  program: readonly DeclaredResource<MembersInputs>[],
  users: Users,
  callerOf: (instance: string | undefined) => string | undefined,
  learnable: (email: string, space: string, elsewhere: boolean) => boolean,
): boolean {
  const untold = (line: string): boolean => {
    const found = CALLER_UNTOLD.exec(line);
    if (!found) return false;
    const [, failing, key] = found;
    return program.some((roster) => {
      const r = roster.inputs as SpaceMembersSdkInputs;
      if (!isRoster(roster) || (r.mode ?? "authoritative") !== "authoritative" || r.space === undefined) return false;
      const email = callerOf(roster.instance);
      const declared = new Set((r.members ?? []).map((m) => expectedMember(m, users).toLowerCase()));
      const declaring = program.filter((m) => {
        const inputs = m.inputs as MembershipSdkInputs;
        return !isRoster(m) && inputs.space === r.space && inputs.user?.toLowerCase() === key.toLowerCase();
      });
      const fromAnotherInstance = declaring.some((m) => m.name === failing && m.instance !== roster.instance);
      if (!email || learnable(email, r.space, !fromAnotherInstance)) return false;
      return !declared.has(key.toLowerCase()) && declaring.length > 0 && [roster, ...declaring].some((x) => x.name === failing);
    });
  };
  return failures.length > 0 && failures.every(untold);
}

/** One membership per member in each space; after a successful up, no membership held by two ChatMemberships. */
export function checkOneMembership(members: SpaceMembers, stack: MembersStack | undefined): MembersViolation[] {
  const out: MembersViolation[] = [];
  for (const [space, live] of members) {
    const ids = live.map((m) => m.memberId);
    for (const id of new Set(ids))
      if (ids.filter((x) => x === id).length > 1) out.push({ invariant: "oneMembership", detail: `${space} holds member ${id} twice` });
  }
  if (stack) {
    const holders = new Map<string, string[]>();
    for (const e of stack.entries.filter((x) => !isRoster(x))) holders.set(e.id, [...(holders.get(e.id) ?? []), e.name]);
    for (const [id, names] of holders) if (names.length > 1) out.push({ invariant: "oneMembership", detail: `${id} is held by ${names.join(" and ")}` });
  }
  return out;
}

/** A space that had a JOINED owner before the step and has none after. */
export function checkLastOwner(step: SpaceStep): MembersViolation[] {
  if (!step.before.some(isOwner) || step.after.some(isOwner)) return [];
  return [
    { invariant: "lastOwner", detail: `${step.space} has no JOINED owner left: ${step.after.map((m) => `${m.memberName} ${m.role} ${m.state}`).join(", ")}` },
  ];
}

/** A roster's stop at its write for want of another joined owner: the guard that reads Google just before removing or demoting an owner. */
const ROSTER_OWNER_STOP_AT_WRITE = /^ChatSpaceMembers .*: stopped before removing or demoting .*Google lists no other joined owner/;

/**
 * A roster's plan counts the owners its state lists, joined ones only (an invited owner is none
 * until they accept), and refuses at the preview a change that leaves none; the write-time guard
 * is for owners changed in Chat since. `stateCurrent`: the state lists the space as Chat has it
 * (no change in Chat, no fault, no crash, no other resource of the space, read as this caller).
 */
export function checkOwnerRefusedAtPreview(error: string, stateCurrent: boolean): MembersViolation[] {
  if (!stateCurrent || !ROSTER_OWNER_STOP_AT_WRITE.test(error)) return [];
  return [
    {
      invariant: "ownerRefusedAtPreview",
      detail: `the roster's preview accepted a change its state shows leaves no joined owner, and its write stopped it: ${error}`,
    },
  ];
}

/** A roster's refusal of a change as leaving its space without an owner (space-members/plan.ts `lastOwnerRefusal`). */
const ROSTER_LEAVES_NO_OWNER = /: this change would leave the space without an owner/;

/**
 * A roster's refusal, at its diff, of a change as leaving its space without an owner (its plan
 * counts the joined owners its state lists, each removed or demoted), where the calling user of the
 * roster's provider instance (`caller`, the person the credentials name now) acts without admin
 * access and is a joined owner of the space, listed as one by the roster's state: the roster never
 * removes her, nor demotes her below owner (docs/guides/rosters.md, "Never removed"), so its plan
 * keeps an owner whatever the declaration. A plan that told the caller by the state's record of her
 * email, which may name another person now, refuses wrongly.
 */
export function checkRosterOwnerRefusal(outcome: Outcome, stack: MembersStack, members: SpaceMembers, caller: StepCaller | undefined): MembersViolation[] {
  if (outcome.kind !== "diffFailed" || !ROSTER_LEAVES_NO_OWNER.test(outcome.error) || !caller || caller.adminAccess || caller.app) return [];
  const entry = stack.entries.find((e) => e.name === outcome.resource && isRoster(e));
  if (!entry) return [];
  const outs = entry.outputs as ChatSpaceMembersOutputs;
  const me = lower(caller.member);
  const listed = outs.members.some((m) => lower(m.member) === me && m.role === OWNER && m.state === "JOINED");
  const live = (members.get(outs.space) ?? []).some((m) => lower(m.memberName) === me && isOwner(m));
  if (!listed || !live) return [];
  return [
    {
      invariant: "ownerRefusalJustified",
      detail: `${outcome.resource} refused its change as leaving ${outs.space} without an owner, while the calling user ${caller.member}, a joined owner its state lists, stays one: ${outcome.error}`,
    },
  ];
}

/** A ChatMembership's refusal naming a member as the last owner of a space: no other JOINED owner may be there. */
export function checkOwnerRefusal(error: string, members: SpaceMembers): MembersViolation[] {
  const found = /(users\/\d+) is the last owner \(ROLE_MANAGER, shown as Owner in Chat\) of (spaces\/[^,\s]+)/.exec(error);
  if (!found) return [];
  const [, refused, space] = found;
  const others = (members.get(space) ?? []).filter((m) => m.memberName !== refused && isOwner(m));
  if (others.length === 0) return [];
  return [
    {
      invariant: "ownerRefusalJustified",
      detail: `${refused} was refused as the last owner of ${space} while ${others.map((m) => m.memberName).join(", ")} owns it`,
    },
  ];
}

/**
 * Memberships a ChatMembership held (`everHeld`, id to resource), in the space now, held by no
 * state entry (a ChatMembership's id, a roster's listed membership) and not let go deliberately:
 * retained, a calling user's, or a Google Group's under app authentication (Google lets no app remove one).
 */
export function checkOrphans(everHeld: Map<string, string>, stack: MembersStack, members: SpaceMembers, ex: Exemptions): MembersViolation[] {
  const held = new Set<string>();
  for (const e of [...stack.entries, ...stack.pendingDeletes]) {
    if (isRoster(e)) (e.outputs as ChatSpaceMembersOutputs).members.forEach((m) => held.add(m.name));
    else held.add(e.id);
  }
  const out: MembersViolation[] = [];
  for (const [id, resource] of everHeld) {
    if (held.has(id) || ex.retained.has(id)) continue;
    const space = id.slice(0, id.indexOf("/members/"));
    const live = (members.get(space) ?? []).find((m) => `${space}/members/${m.memberId}` === id);
    if (!live || ex.callers.has(lower(live.memberName)) || (live.type === "GROUP" && ex.appActs) || ex.keptByFormerAddress?.(space, lower(live.memberName)))
      continue;
    out.push({ invariant: "noOrphan", detail: `${id} (${resource}'s) is in the space, held by no resource of the stack` });
  }
  return out;
}

/**
 * The memberships a roster of `before` declared (a person or a group its `__declared` names, in its
 * space, not historical), live in the space after the step and held by no resource of `after` (a
 * roster's listing, a ChatMembership's id): the roster was deleted without removing them, or its
 * state dropped them while they are there. But those let go deliberately: the calling users, Chat
 * apps, Google Groups under app authentication (Google lets no app remove one), a roster retained, the last joined owner a roster's delete keeps, members changed in Chat since the
 * state read them, and, where the roster left the stack, members the step's program declares
 * (`declared`: a resource whose write the step did not reach takes them over at the next up).
 */
export function checkRosterOrphans(
  before: MembersStack,
  after: MembersStack,
  members: SpaceMembers,
  declared: Map<string, Set<string>>,
  ex: Exemptions,
): MembersViolation[] {
  const held = new Set<string>();
  for (const e of [...after.entries, ...after.pendingDeletes]) {
    if (isRoster(e)) (e.outputs as ChatSpaceMembersOutputs).members.forEach((m) => held.add(m.name));
    else held.add(e.id);
  }
  const stays = (name: string) => [...after.entries, ...after.pendingDeletes].some((e) => e.name === name && isRoster(e));
  const out: MembersViolation[] = [];
  for (const e of [...before.entries, ...before.pendingDeletes].filter(isRoster)) {
    const outs = e.outputs as ChatSpaceMembersOutputs;
    const space = outs.space;
    const names = new Set(Object.values(outs.__declared ?? {}).map(lower));
    const live = members.get(space) ?? [];
    for (const m of outs.members) {
      if (m.memberType === "BOT" || (m.memberType === "GROUP" && ex.appActs)) continue;
      if (m.state === "NOT_A_MEMBER" || !names.has(lower(m.member)) || held.has(m.name)) continue;
      const now = live.find((x) => `${space}/members/${x.memberId}` === m.name && x.state !== "NOT_A_MEMBER");
      if (!now || ex.callers.has(lower(now.memberName)) || ex.retained.has(space) || ex.stale(space, now.memberName)) continue;
      if (ex.keptByFormerAddress?.(space, lower(now.memberName))) continue;
      if (isOwner(now) && !live.some((x) => x !== now && isOwner(x))) continue;
      if (!stays(e.name) && declared.get(space)?.has(keyOf(now))) continue;
      out.push({
        invariant: "noOrphan",
        detail: `${m.name} (${m.member}, which ${e.name} declared) is in the space, held by no resource of the stack${stays(e.name) ? `: ${e.name}'s state dropped it` : ""}`,
      });
    }
  }
  return out;
}

/**
 * Members a step removed from a space (`removed`) who were in it, joined or invited, when a roster
 * of the program was imported (`atImport`, canonical and lower-cased): a roster declared as its
 * import wrote it removes none of them.
 */
export function checkImportedKept(step: SpaceStep, removed: StoredMembership[], atImport: ReadonlySet<string> | undefined): MembersViolation[] {
  if (!atImport) return [];
  return removed
    .filter((m) => atImport.has(lower(m.memberName)))
    .map((m) => ({
      invariant: "importedKept" as const,
      detail: `${m.memberName}, in ${step.space} when its roster was imported, was removed by the roster the import declared`,
    }));
}

/** A successful write of a step: a membership created, changed or removed. */
const WRITES = new Set(["POST", "PATCH", "DELETE"]);

/**
 * Members of a space whose membership a step wrote more than once: successful PATCHes and
 * DELETEs name the membership in their path; a create is seen as a member in the space after the
 * step that was not in it before, or that a DELETE of the step removed (removed and added again),
 * but for a member the program declares with other import-mode times (`retimed`), whose new
 * membership needs the old one removed first.
 */
export function checkOneWrite(step: SpaceStep, log: TaggedRequest[], retimed?: Set<string>): MembersViolation[] {
  const prefix = `/v1/${step.space}/members`;
  const writes = new Map<string, string[]>();
  const note = (id: string, what: string) => writes.set(id, [...(writes.get(id) ?? []), what]);
  for (const e of log) {
    const r = e.request;
    const path = decodeURIComponent(r.path);
    if (!WRITES.has(r.method) || r.status !== 200 || !path.startsWith(prefix)) continue;
    if (r.method !== "POST") note(path.slice(prefix.length + 1), `${r.method} by ${e.resource ?? "?"}`);
  }
  for (const m of step.after) {
    const was = step.before.some((b) => b.memberId === m.memberId);
    if (!was || writes.get(m.memberId)?.some((w) => w.startsWith("DELETE"))) note(m.memberId, "create");
  }
  const out: MembersViolation[] = [];
  for (const [id, done] of writes) {
    // A create and its role's PATCH are one write: Google creates a membership as ROLE_MEMBER.
    const patches = done.filter((w) => w.startsWith("PATCH")).length;
    const was = step.before.find((b) => b.memberId === id);
    const removedAndAdded = done.includes("create") && done.some((w) => w.startsWith("DELETE")) && !(was && retimed?.has(keyOf(was)));
    if (patches > 1 || removedAndAdded)
      out.push({ invariant: "oneWritePerMember", detail: `${step.space}/members/${id} was written ${done.length} times in one operation: ${done.join(", ")}` });
  }
  return out;
}

/**
 * The refusal a program of `resources` must fail with, written from the declarations alone: the
 * SDK's text (sdk/member-options.ts, quoted in docs/troubleshooting.md) for the first member
 * resource, in registration order, whose program sets `deleteBeforeReplace: true`; undefined when
 * none does.
 */
export function expectedOptionRefusal(resources: readonly { type: string; name: string; deleteBeforeReplace?: boolean }[]): string | undefined {
  const refused = resources.find((r) => r.deleteBeforeReplace === true);
  if (!refused) return undefined;
  return (
    `${refused.type} ${refused.name}: the resource option deleteBeforeReplace: true is refused. ` +
    "Pulumi runs a delete-first replacement's delete as soon as the resource is registered, before the resources the program declares after it, " +
    "so a member moved to one of them would be removed from the space. " +
    "Remove the option: a replacement then creates first, and the old resource's delete, after the program has run, keeps every member another resource declares."
  );
}

/** The violation, if any, of an operation on a program {@link expectedOptionRefusal} says must fail with `expected`. */
export function checkOptionRefused(what: string, expected: string, outcome: Outcome, calls: readonly TaggedRequest[]): MembersViolation[] {
  const failed = outcome.kind === "failed" && outcome.error === expected;
  if (failed && calls.length === 0) return [];
  return [
    {
      invariant: "optionRefused",
      detail: `${what} ended ${describeOutcome(outcome)} after ${calls.length} API calls${calls.length ? `: ${calls.map(ApiLog.line).join("; ")}` : ""}; expected the SDK's refusal: ${expected}`,
    },
  ];
}
