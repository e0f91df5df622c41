/**
 * The ChatSpaceMembers resource provider: the whole roster of one space (issue 11).
 *
 * - check: the space, the mode and each member (check.ts); zero API calls.
 * - diff: the roster plan (plan.ts) of the declaration against the roster in the state, logged
 *   member by member for the preview; zero API calls.
 * - create: one listing of the space (all pages), the caller's own membership found in it (user
 *   authentication; read by email once per process, caller.ts), then the plan against what was listed: adds (`members.create`, then one
 *   `members.patch` with mask `role` for another role: Google takes the role only on update),
 *   role patches, each logged. A create removes nobody (its preview could not list the space): the
 *   members it does not declare stay in its state, and the next preview announces their removal.
 * - read (refresh): one listing; drift shows in the next diff.
 * - update: the plan of the diff, against the same state: nothing else. Adds go first: an email
 *   matched to a member of the roster this way is declared after all, and is not removed.
 * - delete: removes the members the roster declared (both modes), never the calling user and
 *   never the space's last owner (read again before an owner goes); members it did not declare
 *   stay, and so do those in the state of a roster created in this process (up --replace).
 *
 * Writes are idempotent: ALREADY_EXISTS on an add is the member already there (read, and its
 * role patched if needed); 404 on a removal is the member already gone. A failure half way is a
 * {@link PartialFailure} whose state holds what was applied, so the next up converges.
 */
import type { chat_v1 } from "@googleapis/chat";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { Target } from "../core/chat-api";
import { checkResult, ConfiguredProvider, type ProviderDeps, refuseFailures } from "../core/configured-provider";
import { ChatApiError, isNotFound, PartialFailure } from "../core/errors";
import { listJoinedOwners, OWNER } from "../membership/owners";
import { completeMembership, createBody } from "../membership/provider";
import { MEMBERSHIP_ROLES, type MembershipRole } from "../membership/types";
import { CallerIds } from "./caller";
import { checkRoster } from "./check";
import { describePlan, diffRoster } from "./diff";
import { listRoster } from "./listing";
import { canonicalOf, learnedOf, memberKeyOf } from "./members";
import { isActingOwner, planRoster, type RosterAdd, type RosterBefore, type RosterPlan } from "./plan";
import { type Roster, rosterEntry, rosterOf, rosterOutputs } from "./state";
import { type ChatSpaceMembersInputs, type ChatSpaceMembersOutputs, DEFAULT_ROSTER_MODE, type RosterMemberState, type RosterMode } from "./types";

/** A role's rank: MEMBERSHIP_ROLES lists them from least to most, so a demotion lowers it. */
const rank = (role: string) => MEMBERSHIP_ROLES.indexOf(role as MembershipRole);

/** What to do when an up stops before the last joined owner leaves. */
const OWNER_WHAT_TO_DO = 'Declare another member with role: "ROLE_MANAGER" (or make one an owner in Chat), then pulumi refresh and pulumi up again.';

/** The key of `chatApp: true`: the calling app. */
const CALLING_APP = "users/app";

/** The inputs as the SDK sends them. */
export interface SpaceMembersSdkInputs extends ChatSpaceMembersInputs {
  /** The resource's URN: its name in messages and log lines. */
  readonly __urn?: string;
  /** The serialized provider the engine adds; a partial failure must hand it back. */
  readonly __provider?: string;
}

/** What an apply works on: the roster as it stands, and what is learnt of the declared members. */
interface Applying {
  readonly space: string;
  readonly mode: RosterMode;
  readonly roster: Roster;
  readonly declared: Record<string, string>;
  /** Set when the roster adds the caller: from then on it is the member a roster never removes. */
  caller: ChatSpaceMembersOutputs["__caller"];
}

export class ChatSpaceMembersProvider extends ConfiguredProvider implements dynamic.ResourceProvider<SpaceMembersSdkInputs, ChatSpaceMembersOutputs> {
  /**
   * Memberships in the state of a roster created in this process (declared or only listed): in a
   * create-before-delete replacement (`up --replace`) the old roster's delete follows in the same
   * process, and must not remove members the new roster has just taken over (fuzz fixture
   * roster-forced-replace-removes-members, R-3), as ChatMembership's takenOverHere, nor leave the
   * new state holding members gone. Those the new roster does not declare, its next preview
   * announces as removals (authoritative), as after any create.
   */
  private readonly claimedHere = new Set<string>();
  /** The calling user's users/{id}, read once per process rather than once per roster. */
  private readonly callerIds = new CallerIds();

  constructor(deps: ProviderDeps) {
    super(deps, "ChatSpaceMembers");
  }

  /** The user whose own membership an authoritative roster keeps: the impersonated one. */
  private get callerUser(): string | undefined {
    return this.settings?.auth === "user" ? this.settings.impersonateUser?.toLowerCase() : undefined;
  }

  private failures(inputs: ChatSpaceMembersInputs) {
    return checkRoster(inputs, this.checkContext);
  }

  async check(_olds: SpaceMembersSdkInputs, news: SpaceMembersSdkInputs): Promise<dynamic.CheckResult<SpaceMembersSdkInputs>> {
    const failures = this.failures(news);
    return checkResult(news, failures);
  }

  async diff(_id: string, olds: ChatSpaceMembersOutputs, news: SpaceMembersSdkInputs): Promise<dynamic.DiffResult & { detailedDiff: Record<string, string> }> {
    const target = targetOf(news, olds.space);
    const { changes, replaces, detailedDiff, plan } = diffRoster(olds, news, this.callerUser, this.settings?.useAdminAccess === true);
    if (plan) {
      const refusal = plan.refusal ?? this.callerRefusal(olds, plan);
      if (refusal) throw new Error(`ChatSpaceMembers ${target.label}: ${refusal}`);
      for (const line of describePlan(target.label, plan)) this.deps.log(line, target.urn);
    }
    return { changes, replaces, deleteBeforeReplace: false, detailedDiff };
  }

  async create(inputs: SpaceMembersSdkInputs): Promise<dynamic.CreateResult<ChatSpaceMembersOutputs>> {
    const target = targetOf(inputs, inputs.space);
    const space = inputs.space!;
    const mode = inputs.mode ?? DEFAULT_ROSTER_MODE;
    let before: RosterBefore;
    try {
      const failures = this.failures(inputs);
      refuseFailures(failures);
      before = await this.readRoster(space, {}, undefined, target);
    } catch (error) {
      throw this.failure(target, error);
    }
    const outs = await this.apply({ space, mode, roster: rosterOf(before.members), declared: {}, caller: before.__caller }, before, inputs, target, "create");
    for (const m of outs.members) this.claimedHere.add(m.name);
    return { id: space, outs };
  }

  async read(id: string, props?: ChatSpaceMembersOutputs): Promise<dynamic.ReadResult<ChatSpaceMembersOutputs>> {
    const space = props?.space ?? id;
    const target: Target = { label: space, resource: "ChatSpaceMembers" };
    try {
      const now = await this.readRoster(space, props?.__declared ?? {}, props?.__caller, target);
      const members = [...now.members, ...this.invitedUnlisted(props?.members ?? [], now.members)];
      return { id, props: rosterOutputs(space, props?.mode ?? DEFAULT_ROSTER_MODE, rosterOf(members), now.__declared, now.__caller) };
    } catch (error) {
      if (!isNotFound(error)) throw this.failure(target, error);
      // Admin access sees every space of the organisation: its 404 is a space deleted, and the
      // roster goes with it. Other credentials can't tell that from a space they no longer see.
      if (this.settings?.useAdminAccess || !props) return { id: "" };
      this.deps.log(
        `ChatSpaceMembers ${target.label}: Google answers 404 Not Found for the space's members: the space was deleted, or these credentials no longer see it. ` +
          "The roster stays in the stack as last read. If the space was deleted, remove the roster from the stack deliberately: `pulumi state delete <urn>`.",
      );
      return { id, props };
    }
  }

  async update(_id: string, olds: ChatSpaceMembersOutputs, news: SpaceMembersSdkInputs): Promise<dynamic.UpdateResult<ChatSpaceMembersOutputs>> {
    const target = targetOf(news, olds.space);
    const mode = news.mode ?? DEFAULT_ROSTER_MODE;
    const outs = await this.apply(
      { space: olds.space, mode, roster: rosterOf(olds.members), declared: { ...olds.__declared }, caller: olds.__caller },
      olds,
      news,
      target,
      "update",
    );
    return { outs };
  }

  async delete(id: string, props: ChatSpaceMembersOutputs): Promise<void> {
    const target: Target = { label: props.space ?? id, resource: "ChatSpaceMembers" };
    const declared = new Set(Object.values(props.__declared ?? {}).filter(Boolean).map((m) => m.toLowerCase()));
    const caller = props.__caller?.member.toLowerCase();
    const leaving = props.members.filter((m) => declared.has(m.member.toLowerCase()) && m.member.toLowerCase() !== caller && m.state !== "NOT_A_MEMBER");
    const ownersStaying = props.members.filter((m) => isActingOwner(m) && !leaving.includes(m)).length;
    // Keep one owner when every owner would leave: the space can't be left without one.
    const keptOwner = ownersStaying === 0 ? leaving.find(isActingOwner) : undefined;
    for (const m of props.members.filter((m) => m.member.toLowerCase() === caller && declared.has(caller!))) {
      this.deps.log(`ChatSpaceMembers ${target.label}: ${m.member} is the calling user: kept.`);
    }
    if (keptOwner) this.deps.log(`ChatSpaceMembers ${target.label}: ${keptOwner.member} is the space's last owner (ROLE_MANAGER): kept.`);
    const claimed = leaving.filter((m) => this.claimedHere.has(m.name));
    if (claimed.length > 0) {
      this.deps.log(`ChatSpaceMembers ${target.label}: ${claimed.map((m) => m.member).join(", ")}: in the state of the roster that replaces this one, created in this run: kept.`);
    }
    const removing = leaving.filter((m) => m !== keptOwner && !this.claimedHere.has(m.name));
    const ownersLeaving = removing.filter((m) => m.role === OWNER);
    try {
      for (const m of removing) {
        if (m === ownersLeaving[0]) {
          await this.keepAJoinedOwner(props.space, ownersLeaving, target, "Make another member an owner in Chat (or declare one in the roster and pulumi up), then delete again; or keep the members with the retainOnDelete resource option.");
        }
        await this.remove(m, props.__declared?.[CALLING_APP], target);
      }
    } catch (error) {
      throw this.failure(target, error);
    }
  }

  /**
   * Why a plan that removes or demotes people can't be trusted to spare the calling user: the
   * state was written for another impersonated user (the new one may be a member the state calls
   * someone else's), or the caller's id is unknown (a user's own credentials, no
   * impersonateUser). Undefined when the plan is safe.
   */
  private callerRefusal(before: RosterBefore, plan: RosterPlan): string | undefined {
    const people = [...plan.removals.filter((m) => m.memberType === "HUMAN"), ...plan.patches.filter((p) => p.entry.memberType === "HUMAN" && rank(p.role) < rank(p.entry.role)).map((p) => p.entry)];
    if (people.length === 0) return undefined;
    const named = people.map((m) => m.member).join(", ");
    const user = this.callerUser;
    if (user !== undefined && before.__caller?.user !== user) {
      return (
        `googlechat:impersonateUser changed from ${before.__caller?.user ?? "(none recorded)"} to ${user}, and this change removes or demotes ${named}, which may be the new caller: ` +
        "run `pulumi refresh` first (it reads the new caller's membership), then preview again."
      );
    }
    if (this.settings?.auth === "user" && this.settings.impersonateUser === undefined && plan.removals.some((m) => m.memberType === "HUMAN")) {
      return (
        `this change removes ${plan.removals.filter((m) => m.memberType === "HUMAN").map((m) => m.member).join(", ")}, and with a user's own credentials (no googlechat:impersonateUser) the provider can't tell which member is the calling user, which a roster must never remove. ` +
        'Act as the user through domain-wide delegation (googlechat:impersonateUser), use mode: "addOnly", or manage these memberships with ChatMembership.'
      );
    }
    return undefined;
  }

  /**
   * With app authentication Google ignores showInvited (v1.d.ts members.list: "Currently requires
   * user authentication"), so a listing never shows an invitation: the state's INVITED members it
   * can't show are kept, or every up would add them again (409, then a read).
   */
  private invitedUnlisted(previous: readonly RosterMemberState[], listed: readonly RosterMemberState[]): RosterMemberState[] {
    if (this.settings?.auth !== "app") return [];
    const shown = new Set(listed.map((m) => m.member.toLowerCase()));
    return previous.filter((m) => m.state === "INVITED" && !shown.has(m.member.toLowerCase()));
  }

  /**
   * Stops before the first write that removes or demotes an owner when Google's JOINED owners
   * (one members.list, provider/membership/owners.ts, as ChatMembership reads them) are all
   * among those leaving: the state may hold an owner who left or was demoted in Chat since.
   */
  private async keepAJoinedOwner(space: string, leaving: readonly RosterMemberState[], target: Target, whatToDo: string): Promise<void> {
    const names = new Set(leaving.map((m) => m.name));
    if ((await listJoinedOwners(this.api, space, target)).some((m) => !names.has(m.name ?? ""))) return;
    throw new Error(
      `ChatSpaceMembers ${target.label}: stopped before removing or demoting ${leaving.map((m) => m.member).join(", ")}: Google lists no other joined owner (ROLE_MANAGER, shown as Owner in Chat) of ${space}, and the space can't be left without an owner. ${whatToDo}`,
    );
  }

  /**
   * One listing of the space, and the calling user's member in it unless the state already names
   * it: found in the listing once this process knows the caller's users/{id} (caller.ts), else
   * read by its email (members.get).
   */
  private async readRoster(space: string, declared: Record<string, string>, caller: ChatSpaceMembersOutputs["__caller"], target: Target): Promise<RosterBefore> {
    const members = (await listRoster(this.api, space, this.settings?.useAdminAccess === true, target)).map(rosterEntry);
    const user = this.callerUser;
    if (user && (caller?.user !== user || !caller.member)) {
      // Recorded even when not a member (""), so a later change of impersonateUser shows.
      const reads = {
        own: (where: string) => this.ownMembership(where, user, target),
        anySpace: async () => (await this.api.listSpaces({ pageSize: 1 }, { target })).spaces?.[0]?.name ?? undefined,
        refused: (error: unknown) =>
          this.deps.log(
            `ChatSpaceMembers ${target.label}: the calling user ${user} is not a member of ${space}, and its users/{id} could not be learnt from a space it is in (${error instanceof Error ? error.message : String(error)}): ` +
              "each roster reads the caller's membership of its own space instead, one more read per roster. Authorise chat.spaces.readonly for these credentials to save them.",
            target.urn,
          ),
      };
      caller = { user, member: await this.callerIds.memberIn(this.settings!.apiEndpoint, user, space, members, reads) };
    }
    return { members, __declared: declared, __caller: caller };
  }

  /**
   * Carries out the plan of `news` against `before`, on `now`; any failure is a partial
   * failure holding what was applied. Adds first, then role changes (promotions first), then removals.
   * A create removes nobody: its preview could not list the space's members (fuzz fixture
   * roster-create-removes-unlisted-members, R-1); it keeps them in the state, so the next
   * preview announces their removal and the next up does it.
   */
  private async apply(now: Applying, before: RosterBefore, news: SpaceMembersSdkInputs, target: Target, step: "create" | "update"): Promise<ChatSpaceMembersOutputs> {
    const outputs = () => rosterOutputs(now.space, now.mode, now.roster, now.declared, now.caller);
    let plan: RosterPlan | undefined;
    try {
      const failures = this.failures(news);
      refuseFailures(failures);
      plan = planRoster(before, news.members ?? [], step === "create" ? "addOnly" : now.mode, this.callerUser, this.settings?.useAdminAccess === true);
      const refusal = plan.refusal ?? this.callerRefusal(before, plan);
      if (refusal) throw new Error(refusal);
      // An update's plan was logged by its diff; a create has none, so it says what it does here.
      if (step === "create") for (const line of describePlan(target.label, plan)) this.deps.log(line, target.urn);
      const declaredNow: Record<string, string> = {};
      for (const add of plan.adds) declaredNow[add.key] = await this.add(now, add, target);
      if (step === "create" && now.mode === "authoritative") this.logDeferredRemovals(before, news, declaredNow, target);
      // Owners leaving: checked against Google's owners once, after the adds and promotions, before the first of them.
      const ownersLeaving = [...plan.patches.filter((p) => p.entry.role === OWNER && p.role !== OWNER).map((p) => p.entry), ...plan.removals.filter((m) => m.role === OWNER)];
      let ownersChecked = false;
      const checkOwners = async (entry: RosterMemberState) => {
        if (ownersChecked || !ownersLeaving.includes(entry)) return;
        ownersChecked = true;
        await this.keepAJoinedOwner(now.space, ownersLeaving, target, OWNER_WHAT_TO_DO);
      };
      for (const patch of plan.patches) {
        await checkOwners(patch.entry);
        const answer = await this.api.patchMemberRole(patch.entry.name, patch.role, { target }).catch((error: unknown) => {
          if (!isNotFound(error)) throw error;
          // Removed in Chat since the last refresh: out of the state, so the next preview plans its add.
          now.roster.delete(patch.entry.member);
          throw new Error(
            `${patch.entry.member} is no longer a member of ${now.space} (removed in Chat since the last refresh), so its role was not changed. The state no longer lists it: run pulumi up again to add it back at its role.`,
          );
        });
        now.roster.set(patch.entry.member, rosterEntry(await completeMembership(this.api, answer, target)));
      }
      const added = new Set(Object.values(declaredNow).map((m) => m.toLowerCase()));
      for (const removal of plan.removals) {
        // An email matched by its add to a member of the roster is declared: it stays.
        if (added.has(removal.member.toLowerCase())) continue;
        await checkOwners(removal);
        await this.remove(removal, before.__declared[CALLING_APP], target);
        now.roster.delete(removal.member);
      }
      // The declaration as applied: each key and its canonical member, the new ones learnt by their add.
      const keys = (news.members ?? []).map((m) => memberKeyOf(m)!);
      const applied = Object.fromEntries(keys.map((key) => [key, declaredNow[key] ?? canonicalOf(key, learnedOf({ __declared: now.declared, __caller: now.caller })) ?? ""]));
      Object.keys(now.declared).forEach((k) => delete now.declared[k]);
      Object.assign(now.declared, applied);
      return outputs();
    } catch (error) {
      if (plan) declareAsApplied(now, before, news, plan);
      throw new PartialFailure(this.failure(target, error).message, now.space, outputs(), news.__provider);
    }
  }

  /** What an authoritative create leaves for the next up: each member it does not declare, kept now. */
  private logDeferredRemovals(before: RosterBefore, news: SpaceMembersSdkInputs, declaredNow: Record<string, string>, target: Target): void {
    const added = new Set(Object.values(declaredNow).map((m) => m.toLowerCase()));
    for (const m of planRoster(before, news.members ?? [], "authoritative", this.callerUser, this.settings?.useAdminAccess === true).removals) {
      if (added.has(m.member.toLowerCase())) continue;
      this.deps.log(
        `ChatSpaceMembers ${target.label}: ! ${m.member}${m.role ? ` (${m.role})` : ""}: not declared, kept by this create (a create removes nobody: its preview could not list the space); the next preview announces its removal`,
        target.urn,
      );
    }
  }

  /** Adds one member (or finds it there already) at its role; answers its canonical member. */
  private async add(now: Applying, add: RosterAdd, target: Target): Promise<string> {
    let membership: chat_v1.Schema$Membership;
    try {
      membership = await this.api.createMember(now.space, createBody({}, add.ref), { target, appMember: add.ref.kind === "app" });
      membership = await completeMembership(this.api, membership, target);
    } catch (error) {
      if (!(error instanceof ChatApiError && error.googleStatus === "ALREADY_EXISTS")) throw error;
      membership = await this.existing(now.space, add, target);
    }
    let entry = rosterEntry(membership);
    now.roster.set(entry.member, entry);
    // Learnt before the role is set: a failed PATCH leaves a state that knows the member.
    now.declared[add.key] = entry.member;
    await this.noteCallerAdded(now, add, entry.member, target);
    if (add.role !== undefined && entry.role !== add.role && entry.state !== "NOT_A_MEMBER") {
      // An owner taken over (ALREADY_EXISTS) and declared lower: the plan could not know it was one.
      if (entry.role === OWNER) await this.keepAJoinedOwner(now.space, [entry], target, OWNER_WHAT_TO_DO);
      entry = rosterEntry(await completeMembership(this.api, await this.api.patchMemberRole(entry.name, add.role, { target }), target));
      now.roster.set(entry.member, entry);
    }
    return entry.member;
  }

  /**
   * A roster that adds the calling user records it as the caller (`__caller`), as a listing
   * would have: otherwise the state says "not a member" and the next change that leaves it out
   * removes the caller. Known by its email key, or by its users/{id} once this process knows it;
   * a person added by users/{id} while this process does not know the caller's id may be the
   * caller (final review finding 2): the caller's own membership of the space, by email, tells
   * (one read, only then), and teaches the id.
   */
  private async noteCallerAdded(now: Applying, add: RosterAdd, member: string, target: Target): Promise<void> {
    const user = this.callerUser;
    if (!user || !member || add.ref.kind !== "user") return;
    const endpoint = this.settings!.apiEndpoint;
    if (add.key === `users/${user}`) {
      this.callerIds.learn(endpoint, user, member);
    } else {
      let known = this.callerIds.known(endpoint, user);
      if (known === undefined) {
        try {
          known = rosterEntry(await this.ownMembership(now.space, user, target)).member;
          this.callerIds.learn(endpoint, user, known);
        } catch (error) {
          if (isNotFound(error)) return;
          throw error;
        }
      }
      if (known.toLowerCase() !== member.toLowerCase()) return;
    }
    now.caller = { user, member };
  }

  /** The calling user's membership of `space`, by its email alias (v1.d.ts members.get); rejects 404 when it has none. */
  private ownMembership(space: string, user: string, target: Target): Promise<chat_v1.Schema$Membership> {
    return this.api.getMember(`${space}/members/${user}`, { target });
  }

  /** The membership an add met as ALREADY_EXISTS: by its `{member}` alias, or for a group by listing. */
  private async existing(space: string, add: RosterAdd, target: Target): Promise<chat_v1.Schema$Membership> {
    this.deps.log(`ChatSpaceMembers ${target.label}: ${add.ref.name} is already a member of ${space}; the roster takes it over`, target.urn);
    if (add.ref.alias) return this.api.getMember(`${space}/members/${add.ref.alias}`, { target });
    const found = (await listRoster(this.api, space, this.settings?.useAdminAccess === true, target)).find((m) => m.groupMember?.name?.toLowerCase() === add.key);
    if (!found) throw new Error(`Google answered that ${add.ref.name} is already a member of ${space}, but no listed membership is that group's.`);
    return found;
  }

  /**
   * Removes one membership; 404 is a member already gone. The calling app goes with its own
   * scope (chat.memberships.app); other apps need chat.memberships (v1.d.ts members.delete).
   */
  private async remove(entry: RosterMemberState, callingApp: string | undefined, target: Target): Promise<void> {
    try {
      await this.api.deleteMember(entry.name, { target, appMember: entry.member === callingApp });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

/**
 * The declaration a partial failure leaves in the state: the new keys whose member is in the
 * space, and the old keys whose removal has not happened yet. An old key the new declaration
 * drops without removing it (addOnly) is no longer declared, so a later delete leaves it.
 */
function declareAsApplied(now: Applying, before: RosterBefore, news: SpaceMembersSdkInputs, plan: RosterPlan): void {
  const lower = (m: string) => m.toLowerCase();
  const present = new Set([...now.roster.keys()].map(lower));
  const pending = new Set(plan.removals.map((m) => lower(m.member)).filter((m) => present.has(m)));
  const learned = learnedOf({ __declared: now.declared, __caller: now.caller });
  const fresh = (news.members ?? []).map((m) => memberKeyOf(m)!).map((key) => [key, canonicalOf(key, learned)] as const);
  const declared = {
    ...Object.fromEntries(Object.entries(before.__declared).filter(([, m]) => m && pending.has(lower(m)))),
    ...Object.fromEntries(fresh.filter((e): e is readonly [string, string] => e[1] !== undefined && present.has(lower(e[1])))),
  };
  Object.keys(now.declared).forEach((k) => delete now.declared[k]);
  Object.assign(now.declared, declared);
}

/** The resource's Pulumi name (the URN's last part) or else the space, for messages. */
function targetOf(inputs: SpaceMembersSdkInputs, space: string | undefined): Target {
  return { label: inputs.__urn?.split("::").pop() ?? space ?? "(unnamed)", urn: inputs.__urn, resource: "ChatSpaceMembers" };
}
