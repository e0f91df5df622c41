/**
 * The ChatSpaceMembers resource provider: the whole roster of one space.
 *
 * - check: the space, the mode and each member (check.ts); zero API calls. The members are
 *   claimed for this deployment (members/claims.ts): one declared elsewhere too fails here.
 * - diff: the roster plan (plan.ts) of the declaration against the roster in the state, logged
 *   member by member for the preview; zero API calls, but where the plan removes a person or demotes
 *   an owner and another provider instance of the deployment published its calling user by email
 *   alone: one read of that user's membership, whom the plan keeps, and her role without
 *   that instance's admin access, as it keeps its own caller's.
 * - create: one listing of the space (all pages), the caller's own membership found in it (user
 *   authentication; its id learnt once per process, members/caller.ts), then the plan against
 *   what was listed: adds (`members.create`, then one `members.patch` with mask `role` for
 *   another role: Google takes the role only on update), promotions, each logged. A create
 *   removes and demotes nobody (its preview could not list the space): the members it does not
 *   declare, or declares lower, stay in its state as they are, and the next preview announces
 *   their removal or role change.
 * - read (refresh): one listing (under app authentication, which lists no invitation, and one
 *   `members.get` per INVITED member of the state: {@link invitedUnlisted}); drift shows in the
 *   next diff. Its 404 drops the roster only with admin access, once the space read as the
 *   calling user answers 404 too (deleted); a space the user sees and admin access doesn't
 *   (another organisation's) keeps it, as a 404 without admin access does
 *   (members/member-provider.ts `meaningOf404`). What it finds changed against the
 *   state it was given (a member joined, a role changed) is remembered for the deployment (its
 *   other provider processes too: a roster moved to another provider instance is refreshed by the
 *   one its state names), and its diff and update remove or demote none of those
 *   (members/refresh-findings.ts): under `pulumi up --refresh` the update refreshes again, after
 *   its preview did.
 * - update: the plan of the diff, against the same state: nothing else. Adds go first: an email
 *   matched to a member of the roster this way is declared after all, and is not removed. The
 *   plan's roles are the state's, which may be out of date: before the first change to a role
 *   below owner or removal of a person, the space's joined owners are read once (members/owners.ts),
 *   and a member made an owner in Chat since keeps her role until the next preview announces it.
 *   Before each removal the deployment's declarations are read again (members/claims.ts): a member
 *   another resource's check has declared since (under `up --skip-preview`) stops the update; a
 *   person another provider instance acts as, whose resource in the space was checked since (one
 *   the program registers after the roster), stays, logged, and the roster's state keeps her; so
 *   does her role, read again before her demotion, without that instance's admin access. The
 *   owners check counts neither as an owner leaving.
 * - delete: removes the members the roster declared (both modes), except the calling user (the
 *   one the provider acts as now) and the calling user of another provider instance of the
 *   deployment (declaring a resource in the space or not), members another declared resource holds (a member moved to
 *   a ChatMembership or another roster, `up --replace`), and the space's last owner as Google
 *   lists its owners now (a read of them that fails stops the delete, removing nobody; one that
 *   answers 404 for a space confirmed deleted, `meaningOf404`, ends it: nobody is left to remove).
 *
 * Writes are idempotent: ALREADY_EXISTS on an add is the member already there (read, and
 * promoted if declared higher; declared lower, it keeps its role until the next preview announces
 * the change, since this one announced an add); 404 on a removal is the member already gone, once confirmed (the
 * space is still visible). An add's 404 with admin access reads the space with it, then as the calling
 * user ({@link addFailure}): a space only she sees is another organisation's, out of admin access's reach.
 * A failure half way is a {@link PartialFailure} whose state holds what was applied, so the next up converges.
 */
import type { chat_v1 } from "@googleapis/chat";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { unlessNotFound } from "../core/admin-access-reach";
import type { Target } from "../core/chat-api";
import { checkResult, type ProviderDeps, type ProviderDiff, refuseFailures } from "../core/configured-provider";
import { known } from "../core/engine-values";
import { ChatApiError, isNotFound, PartialFailure } from "../core/errors";
import { badImportId, isSpaceName } from "../core/resource-names";
import { resourceNameOfUrn } from "../core/urn";
import { CALLER_KEEPS_ROLE, CALLER_STAYS, formerCallerOf, keepsCallersRole, type OtherCaller } from "../members/caller";
import { type Declaration, type HeldMember, WHOLE_LIST } from "../members/claims";
import { type KeepReason, MemberResourceProvider, SPACE_GONE } from "../members/member-provider";
import { CALLING_APP, canonicalOf, emailKeyOf, knownMemberKeyOf, memberKeyOf, sameMember } from "../members/member-ref";
import { completeMembership, createBody, existingMembership, type HistoricalTimes, listRoster } from "../members/memberships";
import { besidesOwnersGoing, JoinedOwners } from "../members/owners";
import { DEFERRED_DEMOTION, demotes, OWNER } from "../members/roles";
import { checkRoster } from "./check";
import { declareRoster } from "./declaration";
import { describePlan, diffRoster, type RosterDiff, recordingNewCaller } from "./diff";
import { type Acting, keptAsOtherCallers, planRoster, type RosterAdd, type RosterBefore, type RosterPatch, type RosterPlan } from "./plan";
import { keptRoleLine } from "./plan-lines";
import { learnedOf, type Roster, rosterEntry, rosterOf, rosterOutputs } from "./state";
import { type ChatSpaceMembersInputs, type ChatSpaceMembersOutputs, DEFAULT_ROSTER_MODE, type RosterMemberState, type RosterMode } from "./types";

/** What to do when an up stops before the last joined owner leaves. */
const OWNER_WHAT_TO_DO = 'Declare another member with role: "ROLE_MANAGER" (or make one an owner in Chat), then pulumi refresh and pulumi up again.';

/** What a delete stopped by its owners read did not do. */
const DELETE_STOPPED = "this delete removed nobody";

/** What an update stopped by its owners read did not do. */
const UPDATE_STOPPED = "this update stopped before its role changes below owner and its removals";

/** What an update did not do where admin access's owners read met a space it doesn't reach. */
const UPDATE_BEYOND_ADMIN_ACCESS = "changed no role below owner and removed nobody: its state keeps those members as they were";

/** What an update did not do where its owners read met a space deleted (members/member-provider.ts `spaceDeleted`). */
const UPDATE_SPACE_DELETED = "this update changed no role below owner and removed nobody";

/** What a failed confirmation of a refresh's 404 means. */
const REFRESH_STOPPED = "this refresh stopped: the stack keeps the roster as it was";

/** The inputs as the SDK sends them. */
export interface SpaceMembersSdkInputs extends ChatSpaceMembersInputs {
  /** The resource's URN: its name in messages and log lines, and what its claims are held by. */
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

export class ChatSpaceMembersProvider extends MemberResourceProvider implements dynamic.ResourceProvider<SpaceMembersSdkInputs, ChatSpaceMembersOutputs> {
  /**
   * The members each roster's diff in this process kept, or kept at their role, as another
   * provider instance's calling user, by URN: its update, which the engine runs in the same
   * process after that diff, says why it keeps one its diff did not (her provider was configured
   * in between, so the diff, and its preview, announced the change).
   */
  private readonly keptAtDiff = new Map<string, ReadonlySet<string>>();

  constructor(deps: ProviderDeps) {
    super(deps, "ChatSpaceMembers");
  }

  private failures(inputs: ChatSpaceMembersInputs) {
    return checkRoster(inputs, this.checkContext);
  }

  /** The calling user's member key by email (`users/{email}`), where these credentials name her. */
  private get callersEmailKey(): string | undefined {
    return this.knownCallerUser ? emailKeyOf(this.knownCallerUser) : undefined;
  }

  async check(olds: SpaceMembersSdkInputs, news: SpaceMembersSdkInputs): Promise<dynamic.CheckResult<SpaceMembersSdkInputs>> {
    const failures = this.failures(news);
    // The calling user's email holds no recorded member: who she is, Google tells (the diff never takes the state's record of it).
    const conflicts = failures.length > 0 ? [] : this.declare(declarationOf(news, olds, this.callersEmailKey), news.__urn);
    const told = failures.length + conflicts.length > 0 ? [] : await this.callerConflictsAtCheck(news.__urn, targetOf(news, news.space));
    return checkResult(news, [...failures, ...conflicts, ...told]);
  }

  async diff(_id: string, olds: ChatSpaceMembersOutputs, news: SpaceMembersSdkInputs): Promise<ProviderDiff> {
    const target = targetOf(news, olds.space);
    try {
      // What the state knows of the emails it still declares: one person declared again by id
      // conflicts now. An email no longer declared may name another person since (an address given
      // to another): Google tells whom when a resource declares it.
      // Members unknown until apply (another resource's output): each may be declared still. The
      // calling user's email is no such knowledge: who she is, Google tells (check reads it where
      // the declaration also names a users/{id}; callerConfirmed before a change of her entry).
      const stillDeclared = Array.isArray(news.members) ? new Set(news.members.map((m) => memberKeyOf(m))) : undefined;
      const callersEmail = this.callersEmailKey;
      const recorded = Object.entries(olds.__declared ?? {}).filter(([key, member]) => member && key !== callersEmail && (stillDeclared?.has(key) ?? true));
      this.recallMembers(recorded, news.__urn);
      const adminAccess = this.settings?.useAdminAccess === true;
      // Who the caller is matters only to a plan that removes or demotes people: learnt then (a
      // user's own credentials ask Google once per process), else taken as the state recorded it.
      const app = this.settings?.auth === "app";
      const since = this.findings.of(olds.space);
      const asRecorded = diffRoster(olds, news, { user: olds.__caller?.user, adminAccess, app }, since);
      const callerUser = asRecorded.plan && touchesPeople(asRecorded.plan) ? await this.callerUser(target) : olds.__caller?.user;
      const byStale = callerUser === olds.__caller?.user ? asRecorded : diffRoster(olds, news, { user: callerUser, adminAccess, app }, since);
      const before = await this.withCallerNow(olds, byStale.plan !== undefined && peopleLeaving(byStale.plan).length > 0, callerUser, target);
      const byCaller = before === olds ? byStale : diffRoster(before, news, { user: callerUser, adminAccess, app }, since);
      const former = formerCallerOf(olds.__caller, { user: callerUser, app }, "roster");
      const planFrom = (from: ChatSpaceMembersOutputs, first: RosterDiff, kept: ReadonlyMap<string, OtherCaller>) =>
        this.withOtherCallers(olds.space, kept, first, first.plan, (otherCallers) =>
          diffRoster(from, news, { user: callerUser, adminAccess, app, otherCallers }, since),
        );
      let planned = await planFrom(before, byCaller, former);
      let keptFormer = former;
      const confirmed = await this.callerConfirmed(olds.space, before, planned.plan, declaredKeys(news), target);
      if (confirmed !== before) {
        keptFormer = formerCallerOf(olds.__caller, { user: callerUser, app }, "roster", confirmed.__caller);
        planned = await planFrom(confirmed, diffRoster(confirmed, news, { user: callerUser, adminAccess, app }, since), keptFormer);
      }
      const { changes, replaces, detailedDiff, plan } = recordingNewCaller(planned, keptFormer);
      // The caller learnt now tells the deployment's other processes whom this roster keeps, and
      // may reveal a ChatMembership checked before it whose member it would remove.
      this.publishCaller(news.__urn);
      if (plan) {
        if (plan.refusal) throw new Error(plan.refusal);
        for (const line of describePlan(target.label, plan)) this.deps.log(line, target.urn);
        if (news.__urn) this.keptAtDiff.set(news.__urn, keptCallersOf(plan));
        // The roster an authoritative declaration keeps, for another roster's delete (members/claims.ts `listed`).
        if (news.__urn && (news.mode ?? DEFAULT_ROSTER_MODE) === "authoritative")
          this.claims.listed(
            news.__urn,
            olds.space,
            olds.members.map((m) => m.member),
          );
      }
      // Kept, it holds the members its state records; made again (another space), whomever its adds meet.
      // What a plan reads of it leaves out the email of the caller the state was written as too (commands/plan/claims.ts).
      const formerCallersEmail = olds.__caller?.user === undefined ? undefined : emailKeyOf(olds.__caller.user);
      this.heldAfterDiff(
        news.__urn,
        replaces.length > 0,
        recorded,
        recorded.filter(([key]) => key !== formerCallersEmail),
      );
      // A plan reads its record of this process's caller's email too (it can't tell her): for that reading only.
      if (replaces.length === 0 && callersEmail && callersEmail !== formerCallersEmail && (stillDeclared?.has(callersEmail) ?? true)) {
        const callersRecord = olds.__declared?.[callersEmail];
        if (callersRecord) this.claims.recall([[callersEmail, callersRecord]], undefined, undefined, "plan");
      }
      return { changes, replaces, deleteBeforeReplace: false, detailedDiff };
    } catch (error) {
      throw this.failure(target, error);
    }
  }

  async create(inputs: SpaceMembersSdkInputs): Promise<dynamic.CreateResult<ChatSpaceMembersOutputs>> {
    const target = targetOf(inputs, inputs.space);
    const space = inputs.space!;
    const mode = inputs.mode ?? DEFAULT_ROSTER_MODE;
    let before: RosterBefore;
    try {
      refuseFailures(this.failures(inputs));
      await this.refuseConflictsBeforeWrite(inputs.__urn, target, true);
      before = await this.readRoster(space, {}, undefined, target);
    } catch (error) {
      throw this.failure(target, error);
    }
    const outs = await this.apply({ space, mode, roster: rosterOf(before.members), declared: {}, caller: before.__caller }, before, inputs, target, "create");
    return { id: space, outs };
  }

  async read(id: string, props?: ChatSpaceMembersOutputs): Promise<dynamic.ReadResult<ChatSpaceMembersOutputs>> {
    const space = props?.space ?? id;
    const target: Target = { label: space, resource: "ChatSpaceMembers" };
    try {
      const now = await this.readRoster(space, props?.__declared ?? {}, props?.__caller, target);
      const members = [...now.members, ...(await this.invitedUnlisted(space, props?.members ?? [], now.members, target))];
      this.findings.noteRead(space, props?.members, members);
      return { id, props: rosterOutputs(space, props?.mode ?? DEFAULT_ROSTER_MODE, rosterOf(members), now.__declared, now.__caller) };
    } catch (error) {
      if (!isNotFound(error)) throw this.failure(target, error);
      if (!props) return { id: "" };
      // A space deleted takes its roster with it; only admin access can confirm that (members/member-provider.ts `meaningOf404`).
      const meaning = await this.membersOf404(space, error, REFRESH_STOPPED, target);
      if (meaning === "gone") return { id: "" };
      const unseen =
        `ChatSpaceMembers ${target.label}: Google answers 404 Not Found for the space's members: the space was deleted, ` +
        "or these credentials no longer see it. " +
        "The roster stays in the stack as last read. If the space was deleted, remove the roster from the stack deliberately: `pulumi state delete <urn>`.";
      this.deps.log(meaning === "beyondAdminAccess" ? this.beyondAdminAccess(target, space, "stays in the stack as last read") : unseen);
      return { id, props };
    }
  }

  /**
   * The roster of the space `id` as an import records it (`pulumi import`, with the provider
   * plugin): one listing (and the caller's member in it, as a refresh reads it), and the
   * declaration of every member as listed (declaration.ts), `addOnly` where a listed member can't
   * be declared. Importing writes nothing, and the next up of that declaration changes nothing.
   * `urn`: the resource's, for its name in messages.
   */
  async importRoster(id: string, urn?: string): Promise<{ id: string; props: ChatSpaceMembersOutputs; inputs: ChatSpaceMembersInputs }> {
    const target: Target = { label: resourceNameOfUrn(urn) ?? id, urn, resource: "ChatSpaceMembers" };
    if (!isSpaceName(id)) throw badImportId("ChatSpaceMembers", target.label, id);
    let listed: RosterBefore;
    try {
      listed = await this.readRoster(id, {}, undefined, target);
    } catch (error) {
      throw this.failure(target, error);
    }
    const { members, mode, notExpressed } = declareRoster(id, listed.members, this.settings!.auth);
    if (notExpressed.length > 0) this.deps.log(`ChatSpaceMembers ${target.label}: imported ${mode}: ${notExpressed.join("; ")}`, urn);
    const declared = Object.fromEntries(members.map((m) => [memberKeyOf(m)!, (m.user ?? m.group)!]));
    return { id, props: rosterOutputs(id, mode, rosterOf(listed.members), declared, listed.__caller), inputs: { space: id, members, mode } };
  }

  async update(_id: string, recorded: ChatSpaceMembersOutputs, news: SpaceMembersSdkInputs): Promise<dynamic.UpdateResult<ChatSpaceMembersOutputs>> {
    const target = targetOf(news, recorded.space);
    let olds: ChatSpaceMembersOutputs;
    let user: string | undefined;
    try {
      await this.refuseConflictsBeforeWrite(news.__urn, target);
      ({ user } = await this.callerUserOrUnknown(target));
      // Every update records the principal it acts as: a later plan then keeps the right one.
      olds = await this.withCallerNow(recorded, true, user, target);
    } catch (error) {
      throw this.failure(target, error);
    }
    const mode = news.mode ?? DEFAULT_ROSTER_MODE;
    const outs = await this.apply(
      { space: olds.space, mode, roster: rosterOf(olds.members), declared: { ...olds.__declared }, caller: olds.__caller },
      olds,
      news,
      target,
      "update",
      formerCallerOf(recorded.__caller, { user, app: this.settings?.auth === "app" }, "roster"),
    );
    return { outs };
  }

  async delete(id: string, props: ChatSpaceMembersOutputs): Promise<void> {
    const target: Target = { label: props.space ?? id, resource: "ChatSpaceMembers" };
    const declared = props.__declared ?? {};
    const keysOf = (member: string) => Object.keys(declared).filter((key) => declared[key].toLowerCase() === member.toLowerCase());
    const leaving = props.members.filter((m) => keysOf(m.member).length > 0 && m.state !== "NOT_A_MEMBER");
    // What the state knows of its emails tells them from other declarations' without a read.
    this.claims.recall(Object.entries(declared));
    try {
      // Who the caller is, Google tells (members/member-provider.ts `callerIn`: once per process), not the state's record
      // of her email, which may name another person now; asked only where a person may leave (none other can be her: "").
      const callerMember = leaving.some((m) => m.memberType === "HUMAN") ? (await this.callerIn(props.space, props.members, target))?.member : "";
      const removing: RosterMemberState[] = [];
      for (const m of leaving) {
        const times = await this.liveTimes(props.space, m, keysOf(m.member), target);
        const why = await this.keepReason(props.space, m, keysOf(m.member), times, target, callerMember);
        if (why) this.deps.log(`ChatSpaceMembers ${target.label}: ${m.member} stays in ${props.space}: ${why}.`);
        else removing.push(m);
      }
      const people = removing.filter((m) => m.memberType === "HUMAN").map((m) => m.name);
      await this.mayTakeOwners(props.space, people, async (takenElsewhere) => {
        const kept = await this.ownerToKeep(props.space, removing, takenElsewhere, target);
        // A space deleted took its memberships with it: nobody is left to remove.
        if (kept === SPACE_GONE) return;
        if (kept) this.deps.log(`ChatSpaceMembers ${target.label}: ${kept.entry.member} is the space's last owner (ROLE_MANAGER)${kept.going}: kept.`);
        for (const m of removing.filter((m) => m !== kept?.entry)) await this.remove(props.space, m, declared[CALLING_APP], target);
      });
    } catch (error) {
      throw this.failure(target, error);
    }
  }

  /**
   * The import-mode times a delete judges the membership `entry` by: a roster declares none, so
   * they matter only where a ChatMembership declares the member with times (members/member-provider.ts
   * `timesNow`: one GET then, none otherwise). A membership that read finds gone has none: its
   * removal meets the same 404 and confirms it ({@link remove}).
   */
  private async liveTimes(space: string, entry: RosterMemberState, spellings: readonly string[], target: Target): Promise<HistoricalTimes> {
    try {
      return await this.timesNow(space, entry, spellings, {}, target);
    } catch (error) {
      if (isNotFound(error)) return {};
      throw error;
    }
  }

  /**
   * The owner a delete keeps when every owner would leave: the space can't be left without one.
   * The state can't tell who is an owner now (made or demoted in Chat since), so when a person
   * leaves, Google's joined owners decide, read once (members/member-provider.ts `ownersBefore`; a
   * read that fails stops the delete): if all of them are `removing`, or taken by other writes
   * under way (`takenElsewhere`: members/owner-losses.ts), the first of them stays, with what the
   * log says of those others (`going`). {@link SPACE_GONE} where that read finds the space deleted.
   */
  private async ownerToKeep(
    space: string,
    removing: readonly RosterMemberState[],
    takenElsewhere: readonly string[],
    target: Target,
  ): Promise<{ entry: RosterMemberState; going: string } | undefined | typeof SPACE_GONE> {
    if (!removing.some((m) => m.memberType === "HUMAN")) return undefined;
    const read = await this.ownersBefore(space, target, {
      step: "delete",
      consequence: DELETE_STOPPED,
      beyondAdminAccess: "removed nobody: the roster stays in the stack",
      unread: (error) => this.ownersUnread(space, DELETE_STOPPED, error, target),
    });
    if (read === SPACE_GONE) return read;
    const owners = read.leavingElsewhere(takenElsewhere);
    const leaving = removing.filter((m) => owners.has(m.name));
    const names = leaving.map((m) => m.name);
    if (leaving.length === 0 || owners.anotherThan(names)) return undefined;
    return { entry: leaving[0], going: besidesOwnersGoing(owners, names) };
  }

  /** Why a change stops where the joined owners of `space` could not be read (`error`), saying what was not done (`consequence`). */
  private ownersUnread(space: string, consequence: string, error: unknown, target: Target): Error {
    return new Error(
      `reading the joined owners of ${space} failed, so ${consequence}: ` +
        "the state can't tell who is an owner now (one may have been made in Chat since the last refresh), and the space must keep one. " +
        "Run it again (pulumi up, or pulumi destroy) once the read succeeds; if these credentials lost access to the space, restore it first. " +
        this.failureReason(target, error),
    );
  }

  /**
   * The state `before` with the calling principal's member in the space, where it is `needed` (a
   * diff whose plan removes or demotes people, one of whom may be the caller; every update) and
   * the state was written for another principal or records none: the roster moved to a provider instance acting as someone else,
   * googlechat:impersonateUser changed, or the state written under app authentication (which names
   * no calling user) or where the caller's membership could not be read. A refresh can't record
   * it: the engine's refresh step reads a resource with the provider its state names, the old
   * one, while the new provider diffs and updates it (pulumi/pulumi
   * pkg/resource/deploy/step.go `RefreshStep`, step_generator.go `providerChanged`). So this
   * provider reads it itself (members/member-provider.ts `callerIn`: her membership by email, one
   * read, none once this process knows her id; "" when she is no member), in a preview too, as
   * check reads a caller's membership by email. The plan made from it never removes or demotes
   * her. Under app authentication there is no calling user: the state records none from then on.
   * Otherwise `before` as it is.
   */
  private async withCallerNow<B extends RosterBefore & { space: string }>(before: B, needed: boolean, user: string | undefined, target: Target): Promise<B> {
    if (!needed) return before;
    if (this.settings?.auth === "app") return before.__caller ? { ...before, __caller: undefined } : before;
    if (!user || before.__caller?.user === user) return before;
    return { ...before, __caller: await this.callerIn(before.space, before.members, target) };
  }

  /**
   * `before` with the calling user Google tells now, where the plan made from the state's record
   * of her depends on who she is: the record names her by email, which may name another person now
   * (an account renamed, its address given to another). The diff and the update ask alike, so the
   * update plans as its preview did; the record's member is kept for that up (members/caller.ts
   * `formerCallerOf`), the state records the caller Google told, and the next preview plans from it.
   * - The plan refuses the change as leaving no owner, or keeps a declared demotion of the recorded
   *   member as the caller's: the caller (members/member-provider.ts `callerIn`: one members.get of
   *   her email in `space`, none once this process knows her id), whom the plan keeps (an owner
   *   stays one without admin access, and stays in the space undeclared whatever the access), may be
   *   another of the owners it counts as leaving, and the member it keeps may be the caller no longer.
   * - The declaration (`keys`: its members' keys, by index) names her recorded email, which the
   *   state maps to the member it recorded, in a new entry or one whose role the plan changes: the
   *   entry names the person Google gives the email now (her users/{id}, `callerIdIn`), and is
   *   planned as an add where the last listing does not show her, which meets her if she joined
   *   since and keeps her role then; where no space tells her id, her membership of this one
   *   answered 404: she is no member of it, an add too. Where the credentials can't name their
   *   owner, the record stands. A plan that leaves the entry as it is reads nothing (it loses no
   *   one; a refresh records the caller Google tells).
   * Otherwise `before`.
   */
  private async callerConfirmed<B extends RosterBefore>(
    space: string,
    before: B,
    plan: RosterPlan | undefined,
    keys: readonly (string | undefined)[],
    target: Target,
  ): Promise<B> {
    const recorded = before.__caller;
    if (this.settings?.auth === "app" || !recorded || plan === undefined) return before;
    const emailKey = emailKeyOf(recorded.user);
    const readdressed = (caller: { user: string; member: string }): B => ({
      ...before,
      __declared: withoutEntryOf(before.__declared, recorded.user),
      __caller: caller,
    });
    const dependsOnCaller = plan.refusal !== undefined || plan.keptRoles.length > 0;
    if (!dependsOnCaller) {
      // Whom the entry names decides its role change, or, for an entry new to the roster, whether it
      // is an add. An entry the plan leaves as it is stays on the record's member whatever this
      // process learnt since: the update does only what its preview, which may not have known more, announced.
      const newEntry = keys.includes(emailKey) && before.__declared[emailKey] === undefined;
      if (!newEntry && !plan.patches.some((p) => keys[p.index] === emailKey)) return before;
      const { user } = await this.callerUserOrUnknown(target);
      if (user !== recorded.user) return before;
      const id = await this.callerIdIn(user, space, target);
      // "": no space tells her id, and her membership of this one answered 404: she is no member of it, whatever the record's member.
      return (id === "" ? recorded.member === "" : sameMember(id, recorded.member)) ? before : readdressed({ user, member: id });
    }
    const caller = await this.callerIn(space, before.members, target);
    if (!caller || (caller.user === recorded.user && sameMember(caller.member, recorded.member))) return before;
    if (caller.member !== "" && before.members.some((m) => sameMember(m.member, caller.member))) return readdressed(caller);
    // Not in the roster as last listed: she may have joined since (an owner made in Chat, as a new
    // administrator is), whom the plan must count, whatever this process knew of her id before.
    // Her membership, read by her email (once: the read that told her id may have been it), tells.
    const joined =
      this.callerIds.answered(this.settings!.apiEndpoint, caller.user, space) ??
      (await unlessNotFound(this.api.getMember(`${space}/members/${caller.user}`, { target })).then((m) => m && rosterEntry(m)));
    if (!joined) return readdressed(caller);
    // Found joined since the state, as a refresh finds one: her role is kept for this up (no state
    // the preview planned from showed it), and the next preview announces a change of it.
    this.findings.noteRead(space, before.members, [joined]);
    return { ...readdressed({ user: caller.user, member: joined.member }), members: [...before.members, joined] };
  }

  /**
   * With app authentication Google ignores showInvited (v1.d.ts members.list: "Currently requires
   * user authentication"), so a listing never shows an invitation. Each INVITED member of the
   * state `previous` that the listing can't show is read by its membership's name (members.get,
   * which app authentication may call, invitations included): kept as Google answers it (still
   * invited, or joined since), or else every up would add it again (409, then a read); dropped on
   * 404, the invitation withdrawn or declined in Chat, so the next preview announces its add again.
   * The listing of the same space with the same credentials has just succeeded, so that 404 is the
   * membership gone, not the space out of sight. One read per such member per refresh; none under
   * user authentication, whose listing shows invitations.
   *
   * Any other failure fails the refresh, as a failed listing does: keeping the member as last read
   * would hide a withdrawn invitation again, on every refresh while the read keeps failing, and a
   * refresh answers what Google has or nothing.
   */
  private async invitedUnlisted(
    space: string,
    previous: readonly RosterMemberState[],
    listed: readonly RosterMemberState[],
    target: Target,
  ): Promise<RosterMemberState[]> {
    if (this.settings?.auth !== "app") return [];
    const shown = new Set(listed.map((m) => m.member.toLowerCase()));
    const stillThere: RosterMemberState[] = [];
    for (const m of previous.filter((m) => m.state === "INVITED" && !shown.has(m.member.toLowerCase()))) {
      try {
        stillThere.push(rosterEntry(await this.api.getMember(m.name, { target })));
      } catch (error) {
        if (isNotFound(error)) continue;
        throw new Error(
          `ChatSpaceMembers ${target.label}: reading the invitation of ${m.member} to ${space} failed, so this refresh stopped: ` +
            "under app authentication Google lists no invitation, so only that read tells whether it still stands " +
            "(withdrawn or declined in Chat, the declared member must be invited again). " +
            `Run pulumi refresh again once the read succeeds. ${this.failureReason(target, error)}`,
        );
      }
    }
    return stillThere;
  }

  /**
   * Why a roster stops before the first write that removes or demotes an owner: Google's JOINED
   * owners (members/owners.ts) are all among those `leaving` (the state may hold an owner who left
   * or was demoted in Chat since).
   */
  private noOwnerLeft(space: string, leaving: readonly RosterMemberState[], owners: JoinedOwners, target: Target): Error {
    const names = leaving.map((m) => m.name);
    const going = besidesOwnersGoing(owners, names);
    return new Error(
      `ChatSpaceMembers ${target.label}: stopped before removing or demoting ${leaving.map((m) => m.member).join(", ")}: ` +
        `Google lists no other joined owner (ROLE_MANAGER, shown as Owner in Chat) of ${space}${going}, and the space can't be left without an owner. ` +
        `${OWNER_WHAT_TO_DO}`,
    );
  }

  /**
   * One listing of the space, and the calling user's member in it unless the state already names
   * it: found in the listing once this process knows the caller's users/{id} (members/caller.ts),
   * else read by its email (members.get). A record for the same calling user is kept, whatever this
   * process has learnt since: what a refresh records must not depend on which resources its process
   * read first (`pulumi up --refresh` refreshes again in the update's process, whose plan must be
   * its preview's). An update that removes or demotes people confirms it ({@link sparingCaller}).
   */
  private async readRoster(
    space: string,
    declared: Record<string, string>,
    caller: ChatSpaceMembersOutputs["__caller"],
    target: Target,
  ): Promise<RosterBefore> {
    const members = (await listRoster(this.api, space, this.settings?.useAdminAccess === true, target)).map(rosterEntry);
    // Credentials that can't name their owner leave the caller as recorded: only a removal or a
    // demotion needs it, and that stops at its plan (apply), naming the scope to add.
    const { user } = await this.callerUserOrUnknown(target);
    // Recorded even when not a member (""), so a later change of the calling user shows.
    if (user && (caller?.user !== user || !caller.member)) return { members, __declared: declared, __caller: await this.callerIn(space, members, target) };
    if (!user || !caller) return { members, __declared: declared, __caller: caller };
    // The record names her by email, which may name another person since (an account renamed, its
    // address given to another): her users/{id}, as Google tells it (once per process), decides.
    // Where no space tells it, the record stands.
    const id = await this.callerIdIn(user, space, target);
    if (id === "" || sameMember(id, caller.member)) return { members, __declared: declared, __caller: caller };
    return { members, __declared: withoutEntryOf(declared, user), __caller: await this.callerIn(space, members, target) };
  }

  /**
   * Carries out the plan of `news` against `before`, on `now`; any failure is a partial
   * failure holding what was applied. Adds first, then role changes (promotions first), then removals.
   * A create removes and demotes nobody: its preview could not list the space's members; it keeps
   * them in the state as they are, so the next preview announces their removal or role change and
   * the next up makes it.
   */
  private async apply(
    now: Applying,
    before: RosterBefore,
    news: SpaceMembersSdkInputs,
    target: Target,
    step: "create" | "update",
    former: ReadonlyMap<string, OtherCaller> = new Map(),
  ): Promise<ChatSpaceMembersOutputs> {
    const outputs = () => rosterOutputs(now.space, now.mode, now.roster, now.declared, now.caller);
    let plan: RosterPlan | undefined;
    try {
      refuseFailures(this.failures(news));
      const { user: callerUser, unknown: callerUnknown } = await this.callerUserOrUnknown(target);
      const adminAccess = this.settings?.useAdminAccess === true;
      const acting = { user: callerUser, adminAccess, app: this.settings?.auth === "app" };
      const since = this.findings.of(now.space);
      // As its diff planned it.
      const updatePlan = (from: RosterBefore, kept: ReadonlyMap<string, OtherCaller>) => {
        const first = planRoster(from, news.members ?? [], now.mode, acting, "now", since);
        return this.withOtherCallers(now.space, kept, first, first, (otherCallers) =>
          planRoster(from, news.members ?? [], now.mode, { ...acting, otherCallers }, "now", since),
        );
      };
      plan = step === "create" ? planRoster(before, news.members ?? [], "addOnly", acting, "deferred") : await updatePlan(before, former);
      if (step === "update") {
        const confirmed = await this.callerConfirmed(now.space, before, plan, declaredKeys(news), target);
        if (confirmed !== before) {
          // Its preview may not have asked (a value unknown there): the record's member is kept for this up, as a former caller is.
          const kept = new Map([...former, ...formerCallerOf(before.__caller, acting, "roster", confirmed.__caller)]);
          before = confirmed;
          now.caller = confirmed.__caller;
          // An entry the state recorded for her email names her now, not the member it recorded.
          for (const key of Object.keys(now.declared)) if (!(key in confirmed.__declared)) delete now.declared[key];
          // The caller as Google told her, a member the last listing did not show, is recorded as one.
          for (const m of confirmed.members) if (!now.roster.has(m.member)) now.roster.set(m.member, m);
          plan = await updatePlan(before, kept);
        }
        const atDiff = news.__urn ? this.keptAtDiff.get(news.__urn) : undefined;
        const sinceDiff = (member: string) => !atDiff?.has(member.toLowerCase());
        for (const { entry, why } of plan.keptCallers.filter((k) => sinceDiff(k.entry.member)))
          this.deps.log(keptSinceDiffLine(target.label, entry.member, now.space, why), target.urn);
        for (const { patch, why } of plan.keptCallersRoles.filter((k) => sinceDiff(k.patch.entry.member)))
          this.deps.log(keptRoleSinceDiffLine(target.label, patch, why), target.urn);
      }
      if (callerUnknown && peopleLeaving(plan).length > 0) throw callerUnknown;
      if (plan.refusal) throw new Error(plan.refusal);
      // An update's plan was logged by its diff; a create has none, so it says what it does here.
      if (step === "create") for (const line of describePlan(target.label, plan)) this.deps.log(line, target.urn);
      const declaredNow: Record<string, string> = {};
      for (const add of plan.adds) declaredNow[add.key] = await this.add(now, add, news.__urn, target);
      if (step === "create" && now.mode === "authoritative") this.logDeferredRemovals(before, news, declaredNow, callerUser, target);
      const added = new Set(Object.values(declaredNow).map((m) => m.toLowerCase()));
      // An email matched by its add to a member of the roster is declared: it stays.
      const removals = plan.removals.filter((m) => !added.has(m.member.toLowerCase()));
      const spared = await this.sparingCaller(now, removals, plan.patches, step, target);
      // Every write below that may take an owner waits for the space's other owner-taking writes (a person's removal, or her role below owner).
      const mayTake = [...spared.patches.filter((p) => p.role !== OWNER).map((p) => p.entry), ...spared.removals].filter((m) => m.memberType === "HUMAN");
      await this.mayTakeOwners(
        now.space,
        mayTake.map((m) => m.name),
        (takenElsewhere) => this.changeRolesAndRemove(now, before, news, step, spared, takenElsewhere, target),
      );
      // The declaration as applied: each key and its canonical member, the new ones learnt by their add.
      const keys = (news.members ?? []).map((m) => memberKeyOf(m)!);
      const applied = Object.fromEntries(
        keys.map((key) => [key, declaredNow[key] ?? canonicalOf(key, learnedOf({ __declared: now.declared, __caller: now.caller })) ?? ""]),
      );
      Object.keys(now.declared).forEach((k) => delete now.declared[k]);
      Object.assign(now.declared, applied);
      // The adds' members Google answered (learnt by each add); the others, the state's record: the roster holds them all.
      this.claims.recall(Object.entries(applied));
      if (news.__urn) this.claims.holds(news.__urn, Object.entries(applied));
      if (news.__urn && now.mode === "authoritative") this.claims.listed(news.__urn, now.space, [...now.roster.keys()]);
      return outputs();
    } catch (error) {
      if (plan) declareAsApplied(now, before, news, plan);
      throw new PartialFailure(this.failure(target, error).message, now.space, outputs(), news.__provider);
    }
  }

  /**
   * An apply's role changes and removals (`spared`), in the plan's order, alone among the
   * deployment's writes that may take an owner from the space (members/owner-losses.ts), the
   * owners those of other processes under way may take counted as leaving (`takenElsewhere`).
   */
  private async changeRolesAndRemove(
    now: Applying,
    before: RosterBefore,
    news: SpaceMembersSdkInputs,
    step: "create" | "update",
    spared: { removals: RosterMemberState[]; patches: RosterPatch[] },
    takenElsewhere: readonly string[],
    target: Target,
  ): Promise<void> {
    // Just before the first write that may demote or remove an owner (after the promotions to
    // owner, which the plan puts first, so a handover never passes through none), Google's
    // joined owners decide, read once: the plan's roles are the state's, which may be out of
    // date. A create's are as it just listed them.
    let owners: JoinedOwners | undefined = step === "create" ? JoinedOwners.of(before.members) : undefined;
    let ownersChecked = false;
    const own = declarationOf(news);
    /** The removals the deployment's declarations, read again, keep after all, each with why: kept once, they stay. */
    const kept = new Map<RosterMemberState, string>();
    const keptNow = async (removal: RosterMemberState): Promise<KeepReason> => {
      const why = kept.get(removal) ?? (await this.keptAtRemoval(own, removal, now.space, before.__declared));
      if (why) kept.set(removal, why);
      return why;
    };
    /** The demotions the deployment's declarations, read again, don't make after all (another instance's caller), each with why. */
    const keptRoles = new Map<RosterPatch, string>();
    const roleKept = async (patch: RosterPatch): Promise<KeepReason> => {
      const { entry, role } = patch;
      const why =
        keptRoles.get(patch) ?? (await this.anotherCallerRoleReason(now.space, entry.member, spellingsIn(before.__declared, entry.member), entry.role, role));
      if (why) keptRoles.set(patch, why);
      return why;
    };
    const patches = spared.patches;
    const ownersNow = async (): Promise<JoinedOwners> => {
      const listed = (owners ??= (
        await this.ownersBefore(now.space, target, {
          step: "change",
          consequence: UPDATE_STOPPED,
          beyondAdminAccess: UPDATE_BEYOND_ADMIN_ACCESS,
          spaceDeleted: UPDATE_SPACE_DELETED,
          unread: (error) => this.ownersUnread(now.space, UPDATE_STOPPED, error, target),
        })
      ).leavingElsewhere(takenElsewhere));
      if (!ownersChecked) {
        ownersChecked = true;
        // The declarations, read again once the owners are in: a resource checked while they were
        // read may keep an owner, or her role, that the plan changes; an owner who stays is no owner leaving.
        const leaving: RosterMemberState[] = [];
        for (const p of patches) if (demotesAnOwner(p, listed) && !(await roleKept(p))) leaving.push(p.entry);
        for (const m of spared.removals) if (listed.has(m.name) && !(await keptNow(m))) leaving.push(m);
        if (leaving.length > 0 && !listed.anotherThan(leaving.map((m) => m.name))) throw this.noOwnerLeft(now.space, leaving, listed, target);
      }
      return listed;
    };
    for (const patch of patches) {
      if (patch.role !== OWNER && patch.entry.memberType === "HUMAN" && madeOwnerSince(patch.entry, await ownersNow())) {
        // An owner now, which the state (and so the preview) did not show: no demotion its
        // preview did not announce. The state records her role; the next preview announces it.
        this.deps.log(keptRoleLine(target.label, patch.index, patch.entry.member, OWNER, patch.role, DEFERRED_DEMOTION), target.urn);
        now.roster.set(patch.entry.member, { ...patch.entry, role: OWNER });
        continue;
      }
      // The declarations, read again just before a demotion (after the owners read): the provider
      // of a resource checked while this update ran may act as her, as for a removal.
      const roleStays = patch.entry.memberType === "HUMAN" ? await roleKept(patch) : undefined;
      if (roleStays) {
        this.deps.log(keptRoleSinceDiffLine(target.label, patch, roleStays), target.urn);
        continue;
      }
      const answer = await this.api.patchMemberRole(patch.entry.name, patch.role, { target }).catch(async (error: unknown) => {
        if (!isNotFound(error)) throw error;
        await this.confirmGone(now.space, patch.entry.member, error, "roleChange", target);
        // Removed in Chat since the last refresh: out of the state, so the next preview plans its add.
        now.roster.delete(patch.entry.member);
        throw new Error(
          `${patch.entry.member} is no longer a member of ${now.space} (removed in Chat since the last refresh), so its role was not changed. ` +
            "The state no longer lists it: run pulumi up again to add it back at its role.",
        );
      });
      now.roster.set(patch.entry.member, rosterEntry(await completeMembership(this.api, answer, target)));
    }
    for (const removal of spared.removals) {
      // The deployment's declarations, read again just before the removal (and after the owners
      // read it may wait for): a resource checked while this update ran may hold the member now,
      // or its provider may act as her.
      let stays = await keptNow(removal);
      if (!stays && removal.memberType === "HUMAN" && !ownersChecked) {
        await ownersNow();
        stays = await keptNow(removal);
      }
      if (stays) {
        this.deps.log(keptSinceDiffLine(target.label, removal.member, now.space, stays), target.urn);
        continue;
      }
      await this.remove(now.space, removal, before.__declared[CALLING_APP], target);
      now.roster.delete(removal.member);
    }
  }

  /**
   * An update's `removals` and role changes (`patches`) without the calling user's removal, or
   * her demotion below owner without admin access (members/caller.ts `keepsCallersRole`), each
   * logged. Its plan told her by the state's record of her email, which may name another person
   * now (an account renamed, its address given to another): before a person leaves or loses her
   * owner role, Google tells who the caller is (members/member-provider.ts `callerIn`: one
   * members.get of her email in the space, once per process), and the state records that answer,
   * so the next preview plans from it. The member the record named, whom this update's plan kept
   * as the caller, stays for this up; the next preview announces her removal. A create removes
   * and demotes nobody.
   */
  private async sparingCaller(
    now: Applying,
    removals: RosterMemberState[],
    patches: RosterPatch[],
    step: "create" | "update",
    target: Target,
  ): Promise<{ removals: RosterMemberState[]; patches: RosterPatch[] }> {
    const adminAccess = this.settings?.useAdminAccess === true;
    if (step !== "update" || !asksWhoTheCallerIs(removals, patches, adminAccess)) return { removals, patches };
    // The roster as this update has it: a member its adds met (joined since the last listing) may be her.
    const caller = await this.callerIn(now.space, [...now.roster.values()], target);
    if (!caller) return { removals, patches };
    now.caller = caller;
    const isCaller = (m: RosterMemberState) => m.memberType === "HUMAN" && caller.member !== "" && m.member.toLowerCase() === caller.member.toLowerCase();
    const demotesCaller = (p: RosterPatch) => lowersAManager(p, adminAccess) && isCaller(p.entry);
    for (const m of removals.filter(isCaller)) this.deps.log(callerKeptLine(target.label, m.member, now.space), target.urn);
    for (const p of patches.filter(demotesCaller))
      this.deps.log(keptRoleLine(target.label, p.index, p.entry.member, String(p.entry.role), p.role, CALLER_KEEPS_ROLE), target.urn);
    return { removals: removals.filter((m) => !isCaller(m)), patches: patches.filter((p) => !demotesCaller(p)) };
  }

  /**
   * `planned`, whose plan is `plan`, or where that plan removes a person or an app or demotes an
   * owner, planned again by `replan` with the calling principals of the deployment's other provider
   * instances in `space` (members/member-provider.ts `otherCallersIn`), whom it keeps, and their
   * owner role, as it keeps its own caller's, and with the calling user the roster's state was
   * written as, `former` (members/caller.ts `formerCallerOf`), where no instance published her: the one rule
   * of the roster's diff and of its update, which does as its diff planned.
   */
  private async withOtherCallers<T>(
    space: string,
    former: ReadonlyMap<string, OtherCaller>,
    planned: T,
    plan: RosterPlan | undefined,
    replan: (otherCallers: NonNullable<Acting["otherCallers"]>) => T,
  ): Promise<T> {
    if (!plan || !(removesPeople(plan) || lowersManagers(plan))) return planned;
    const otherCallers = new Map([...former, ...(await this.otherCallersIn(space))]);
    return otherCallers.size > 0 ? replan(otherCallers) : planned;
  }

  /**
   * What the deployment's declarations, read just before the removal of `entry` from `space`, say
   * of it: another declared resource holds it (a conflict: {@link refuseHeldRemoval} stops), or
   * it is a person the provider of another instance's resource acts as (members/claims.ts
   * `callerHolders`), who stays, as the plan would have kept her had that resource's check come
   * before the roster's diff: why she stays. Under `pulumi up` the engine goes on with the
   * program's next registrations while this update runs (pulumi/pulumi
   * pkg/resource/deploy/deployment_executor.go `handleSingleEvent`: `stepExec.ExecuteSerial`),
   * so a resource declared after the roster is checked, and publishes its provider's caller, then.
   * `own`: the roster's declaration; `declared`: the roster's keys in its state.
   */
  private async keptAtRemoval(own: Declaration | undefined, entry: RosterMemberState, space: string, declared: Record<string, string>): Promise<KeepReason> {
    const spellings = spellingsIn(declared, entry.member);
    if (own) await this.refuseHeldRemoval(own, entry, spellings);
    return entry.memberType === "HUMAN" || entry.memberType === "BOT" ? this.anotherCallerReason(space, entry.member, spellings, entry.memberType) : undefined;
  }

  /**
   * Stops before the removal of `entry`, which the roster's declaration `own` drops, when another
   * declared resource of the deployment holds it now (members/claims.ts `removalConflicts`): the
   * member stays, and the roster's state keeps it. `spellings`: the roster's keys in its state by
   * which the member was declared.
   */
  private async refuseHeldRemoval(own: Declaration, entry: RosterMemberState, spellings: readonly string[]): Promise<void> {
    const conflicts = await this.claims.removalConflicts(own, entry.member, spellings, this.resolve);
    if (conflicts.length === 0) return;
    throw new Error(
      `stopped before removing ${entry.member} from ${own.space}: ` +
        "another resource of this deployment declares it, so it stays, and the roster's state keeps it. " +
        conflicts.map((c) => `${c.property} ${c.reason}`).join(" "),
    );
  }

  /** What an authoritative create leaves for the next up: each member it does not declare, kept now. */
  private logDeferredRemovals(
    before: RosterBefore,
    news: SpaceMembersSdkInputs,
    declaredNow: Record<string, string>,
    callerUser: string | undefined,
    target: Target,
  ): void {
    const added = new Set(Object.values(declaredNow).map((m) => m.toLowerCase()));
    const acting = { user: callerUser, adminAccess: this.settings?.useAdminAccess === true, app: this.settings?.auth === "app" };
    for (const m of planRoster(before, news.members ?? [], "authoritative", acting).removals) {
      if (added.has(m.member.toLowerCase())) continue;
      this.deps.log(
        `ChatSpaceMembers ${target.label}: ! ${m.member}${m.role ? ` (${m.role})` : ""}: not declared, ` +
          "kept by this create (a create removes nobody: its preview could not list the space); the next preview announces its removal",
        target.urn,
      );
    }
  }

  /** Adds one member (or finds it there already) at its role; answers its canonical member. */
  private async add(now: Applying, add: RosterAdd, urn: string | undefined, target: Target): Promise<string> {
    let membership: chat_v1.Schema$Membership;
    try {
      membership = await this.api.createMember(now.space, createBody(add.ref), { target, appMember: add.ref.kind === "app" });
      membership = await completeMembership(this.api, membership, target);
    } catch (error) {
      if (!(error instanceof ChatApiError && error.googleStatus === "ALREADY_EXISTS")) throw await this.addFailure(now.space, add, error, target);
      this.deps.log(`ChatSpaceMembers ${target.label}: ${add.ref.name} is already a member of ${now.space}; the roster takes it over`, target.urn);
      membership = await existingMembership(this.api, now.space, add.ref, this.settings?.useAdminAccess === true, target);
    }
    let entry = rosterEntry(membership);
    now.roster.set(entry.member, entry);
    // Learnt before the role is set: a failed PATCH leaves a state that knows the member.
    now.declared[add.key] = entry.member;
    await this.noteCallerAdded(now, add, entry.member, target);
    // The same person declared again by id: stops before its role is set twice.
    this.learnMember(add.key, entry.member, urn);
    if (add.role !== undefined && entry.role !== add.role && entry.state !== "NOT_A_MEMBER") {
      // The plan could not know what an email (or an alias) it adds stands for, nor the role it
      // has: the calling user keeps its role, and a member declared lower keeps its role
      // too, since the preview announced an add, not a demotion. The state records the role it
      // has, so the next preview announces the change.
      if (now.caller?.member === entry.member && keepsCallersRole(entry.role, add.role, this.settings?.useAdminAccess === true)) {
        this.deps.log(keptRoleLine(target.label, add.index, entry.member, entry.role, add.role, CALLER_KEEPS_ROLE), target.urn);
      } else if (demotes(entry.role, add.role)) {
        this.deps.log(keptRoleLine(target.label, add.index, entry.member, entry.role, add.role, DEFERRED_DEMOTION), target.urn);
      } else {
        entry = rosterEntry(await completeMembership(this.api, await this.api.patchMemberRole(entry.name, add.role, { target }), target));
        now.roster.set(entry.member, entry);
      }
    }
    return entry.member;
  }

  /**
   * Why the add of `add` to `space` failed (`error`). Admin access's 404 for the add is judged
   * (members/member-provider.ts `meaningOf404`: the space read with admin access, then as the
   * calling user): a space the calling user sees and admin access doesn't is another
   * organisation's, which admin access can't add to, and that is said. Any other failure, and
   * any other meaning of the 404, is the call's own.
   */
  private async addFailure(space: string, add: RosterAdd, error: unknown, target: Target): Promise<unknown> {
    const adminAccess404 = error instanceof ChatApiError && error.adminAccess && error.call.method === "spaces.members.create" && isNotFound(error);
    if (!adminAccess404) return error;
    const about = {
      answered: `the add of ${add.ref.name} to ${space}`,
      consequence: `${add.ref.name} was not added: the roster's state holds the roster as applied before that add`,
    };
    return (await this.meaningOf404(space, false, target, error, about)) === "beyondAdminAccess"
      ? new Error(this.beyondAdminAccess(target, space, `did not add ${add.ref.name}: its state holds the roster as applied before that add`))
      : error;
  }

  /**
   * A roster that adds the calling user records it as the caller (`__caller`), as a listing
   * would have: otherwise the state says "not a member" and the next change that leaves it out
   * removes the caller. Known by its email key, or by its users/{id} once this process knows it;
   * a person added by users/{id} while this process does not know the caller's id may be the
   * caller: the caller's own membership of the space, by email, tells (one read, only then), and
   * teaches the id.
   */
  private async noteCallerAdded(now: Applying, add: RosterAdd, member: string, target: Target): Promise<void> {
    const { user } = await this.callerUserOrUnknown(target);
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
          // Whether the member just added is the caller is unknown now, and the state must not say
          // "not a member" (a later delete trusts that and removes the caller): it records no
          // caller, so a refresh, a plan that removes or demotes people, and a delete read it.
          now.caller = undefined;
          throw error;
        }
      }
      if (known.toLowerCase() !== member.toLowerCase()) return;
    }
    now.caller = { user, member };
  }

  /**
   * Removes one membership. A 404 is the member already gone only when confirmed
   * (members/member-provider.ts `meaningOf404`); otherwise the caller may have lost sight of the
   * space, or admin access may not reach it, and the removal is not counted as done. The calling
   * app goes with its own scope (chat.memberships.app); other apps need chat.memberships (v1.d.ts
   * members.delete).
   */
  private async remove(space: string, entry: RosterMemberState, callingApp: string | undefined, target: Target): Promise<void> {
    try {
      await this.api.deleteMember(entry.name, { target, appMember: entry.member === callingApp });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.confirmGone(space, entry.member, error, "removal", target);
    }
  }

  /**
   * Returns where the 404 (`notFound`) that a `change` of `member`'s membership of `space` met is
   * the member gone, confirmed (members/member-provider.ts `meaningOf404`); else throws, saying the
   * change is not made or not counted (the roster's state keeps the member as it was): the caller
   * may have lost sight of the space, or admin access may not reach it.
   */
  private async confirmGone(space: string, member: string, notFound: unknown, change: keyof typeof UNCONFIRMED, target: Target): Promise<void> {
    const words = UNCONFIRMED[change];
    const meaning = await this.meaningOf404(space, false, target, notFound, { answered: `the membership of ${member}`, consequence: words.consequence });
    if (meaning === "gone") return;
    if (meaning === "beyondAdminAccess") throw new Error(this.beyondAdminAccess(target, space, `keeps ${member} in its state: ${words.kept}`));
    throw new Error(
      `Google answers 404 Not Found for ${member}'s membership of ${space}, ` +
        "and these credentials no longer see the space (the caller was removed from it, or googlechat:impersonateUser names another user): " +
        `${words.unseen}. Restore the caller's access to the space, then pulumi up again.`,
    );
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

/** The keys `declared` (a roster's state's) declares `member` (canonical) by. */
const spellingsIn = (declared: Record<string, string>, member: string): string[] =>
  Object.keys(declared).filter((key) => declared[key]?.toLowerCase() === member.toLowerCase());

/** Whether a role change demotes one of the space's joined `owners` that the state records as one (the plan announced it). */
const demotesAnOwner = (patch: RosterPatch, owners: JoinedOwners): boolean =>
  patch.role !== OWNER && patch.entry.role === OWNER && owners.has(patch.entry.name);

/** The people a plan keeps, or keeps at their role, as another provider instance's calling user, lower-cased. */
const keptCallersOf = (plan: RosterPlan): ReadonlySet<string> => new Set(keptAsOtherCallers(plan).map((m) => m.toLowerCase()));

/** Why an update keeps a member its diff's plan removed: the deployment's declarations, read since, say so. */
const keptSinceDiffLine = (label: string, member: string, space: string, why: string): string =>
  `ChatSpaceMembers ${label}: ${member} stays in ${space}, although this update's plan removed it: ${why}. ` +
  "The roster's state keeps it. Declare that resource before the roster (or give the roster dependsOn it), " +
  "so that the roster's preview shows it kept.";

/** Why an update keeps the calling user, whom its diff's plan removed: Google named her, the state's record of her email another person. */
const callerKeptLine = (label: string, member: string, space: string): string =>
  `ChatSpaceMembers ${label}: ${member} stays in ${space}, although this update's plan removed it: ${CALLER_STAYS}. ` +
  "The state recorded another person as the calling user by the same email; it records her now, and the next preview plans from it.";

/** Why an update keeps a member's role its diff's plan changed. */
const keptRoleSinceDiffLine = (label: string, patch: RosterPatch, why: string): string =>
  keptRoleLine(label, patch.index, patch.entry.member, String(patch.entry.role), patch.role, why) +
  "; this update's plan changed it, and the roster's state keeps the role. " +
  "Declare that resource before the roster (or give the roster dependsOn it), so that the roster's preview shows it kept";

/** Whether a member is one of the space's joined `owners` although the state records a lower role: made an owner in Chat since the last refresh. */
const madeOwnerSince = (entry: RosterMemberState, owners: JoinedOwners): boolean => entry.role !== OWNER && owners.has(entry.name);

/** The people a plan removes or demotes: what only a known caller makes safe. */
function peopleLeaving(plan: RosterPlan): RosterMemberState[] {
  return [
    ...plan.removals.filter((m) => m.memberType === "HUMAN"),
    ...plan.patches.filter((p) => p.entry.memberType === "HUMAN" && demotes(p.entry.role, p.role)).map((p) => p.entry),
  ];
}

/** Whether a plan removes a person or a Chat app: where the calling principals of the deployment's other provider instances decide. */
const removesPeople = (plan: RosterPlan): boolean => plan.removals.some((m) => m.memberType === "HUMAN" || m.memberType === "BOT");

/** Whether a plan demotes a person who manages the members (an owner, or a manager): where the other provider instances' callers decide (members/caller.ts). */
const lowersManagers = (plan: RosterPlan): boolean => plan.patches.some((p) => lowersAManager(p, false));

/** Whether a plan removes or demotes people, or keeps the caller's role or membership: where who the caller is decides. */
const touchesPeople = (plan: RosterPlan): boolean => peopleLeaving(plan).length > 0 || plan.kept.length > 0 || plan.keptRoles.length > 0;

/** Whether `patch` demotes a person who manages the members, where the caller would keep her role (members/caller.ts `keepsCallersRole`). */
const lowersAManager = (patch: RosterPatch, adminAccess: boolean): boolean =>
  patch.entry.memberType === "HUMAN" && keepsCallersRole(patch.entry.role, patch.role, adminAccess);

/** Whether an update's writes ask Google who the caller is before they run (`sparingCaller`): a person leaves, or one who manages the members is demoted. */
const asksWhoTheCallerIs = (removals: readonly RosterMemberState[], patches: readonly RosterPatch[], adminAccess: boolean): boolean =>
  removals.some((m) => m.memberType === "HUMAN") || patches.some((p) => lowersAManager(p, adminAccess));

/**
 * A state's declared keys without the entry of `user`'s email: the address names the calling user
 * Google told, and the member the state recorded for it (the address's former holder) is hers no longer.
 */
function withoutEntryOf(declared: Record<string, string>, user: string): Record<string, string> {
  const { [emailKeyOf(user)]: _former, ...others } = declared;
  return others;
}

/** The keys of a roster's entries known now (at preview, an entry may be unknown until apply). */
const declaredKeys = (news: SpaceMembersSdkInputs): (string | undefined)[] =>
  known(news.members) && Array.isArray(news.members) ? news.members.map(knownMemberKeyOf) : [];

/**
 * What a roster's declaration holds, for this deployment's claims; none while its space or mode
 * is unknown (which rule holds is unknown too). An entry whose member is unknown until apply (at
 * preview) is left out and named in `unknownEntries` (members/claims.ts): the known entries still
 * conflict, and an authoritative roster still removes whoever none of them declares, unless an
 * unknown entry is that member (then declared twice). A list of members unknown as a whole is
 * that, with no entry known: `unknownEntries` names `members`. Its members are `kept` where `olds`
 * (the inputs of its state, checked again) declared them in the same space: it holds the ones its
 * state records (claims.ts `HeldMember.kept`), but the calling user's (`callersEmail`).
 */
function declarationOf(news: SpaceMembersSdkInputs, olds?: SpaceMembersSdkInputs, callersEmail?: string): Declaration | undefined {
  const members = news.members;
  const before = new Set(olds?.space === news.space && Array.isArray(olds?.members) ? olds.members.map((m) => knownMemberKeyOf(m)) : []);
  if (callersEmail) before.delete(callersEmail);
  if (!news.__urn || !known(news.space) || (news.mode !== undefined && !known(news.mode))) return undefined;
  if (!known(members)) return { ...declaring(news.__urn, news.space, news.mode), members: [], unknownEntries: [WHOLE_LIST] };
  if (!Array.isArray(members)) return undefined;
  const held: HeldMember[] = [];
  const unknownEntries: string[] = [];
  members.forEach((m, i) => {
    const key = knownMemberKeyOf(m);
    if (key === undefined) unknownEntries.push(`members[${i}]`);
    else held.push({ key, property: `members[${i}]`, ...(before.has(key) ? { kept: true } : {}) });
  });
  return { ...declaring(news.__urn, news.space, news.mode), members: held, ...(unknownEntries.length > 0 ? { unknownEntries } : {}) };
}

/** Who declares, where, and by which rule: the part of a roster's declaration its members don't change. */
const declaring = (urn: string, space: string, mode: RosterMode | undefined): Pick<Declaration, "holder" | "space" | "wholeSpace"> => ({
  holder: { type: "ChatSpaceMembers", urn },
  space,
  wholeSpace: (mode ?? DEFAULT_ROSTER_MODE) === "authoritative",
});

/** The resource's Pulumi name (the URN's last part) or else the space, for messages. */
function targetOf(inputs: SpaceMembersSdkInputs, space: string | undefined): Target {
  return { label: resourceNameOfUrn(inputs.__urn) ?? space ?? "(unnamed)", urn: inputs.__urn, resource: "ChatSpaceMembers" };
}

/** What a roster says of a removal or a role change whose 404 is not confirmed as the member gone ({@link ChatSpaceMembersProvider} `confirmGone`). */
const UNCONFIRMED = {
  removal: {
    consequence: "its removal is not counted as done: the roster's state keeps it",
    kept: "the removal is not counted as done",
    unseen: "the removal can't be confirmed, so it is not counted as done",
  },
  roleChange: {
    consequence: "its role was not changed: the roster's state keeps it as it was",
    kept: "its role was not changed",
    unseen: "whether it is still a member can't be told, so its role was not changed",
  },
} as const;
