/**
 * What the two membership resources (ChatMembership, ChatSpaceMembers) do the same way, on top
 * of every provider's configuration (core/configured-provider.ts): they share this process's
 * claims (claims.ts, which the deployment's other provider processes share too) and its
 * knowledge of the caller (caller.ts), and they remove a membership
 * by one rule: never the calling user, never one a declared resource holds, and a 404 counts as
 * "gone" only when confirmed.
 */
import type { chat_v1 } from "@googleapis/chat";
import { ANSWERED_404, type BeyondAdminAccessWords, beyondAdminAccess, spaceUnderAdminAccess, unlessNotFound } from "../core/admin-access-reach";
import type { SpaceCallOptions, Target } from "../core/chat-api";
import { ConfiguredProvider, type ProviderDeps } from "../core/configured-provider";
import { ChatApiError, isNotFound } from "../core/errors";
import { readersOf } from "../core/share-readers";
import {
  APP_AUTH_KEEPS_GROUPS,
  CALLER_STAYS,
  CALLING_APP_STAYS,
  CallerIds,
  type CallerReads,
  type CallerTest,
  callerTestOf,
  groupBeyondApp,
  keepsCallersRole,
  type OtherCaller,
  wantsListScope,
} from "./caller";
import {
  type CallerKnowledge,
  type Conflict,
  type Declaration,
  type Holder,
  heldByWords,
  holderName,
  isClaimRecord,
  MemberClaims,
  type PublishedCaller,
  type Resolve,
} from "./claims";
import { CALLING_APP, callingAppKeyOf, isUserIdKey, sameMember } from "./member-ref";
import { type HistoricalTimes, type MemberEntry, timesOf } from "./memberships";
import { isOwnerLossRecord, OwnerLosses } from "./owner-losses";
import { JoinedOwners } from "./owners";
import { isFindingRecord, RefreshFindings } from "./refresh-findings";

/**
 * What the membership providers of one process share: one deployment's claims, what its
 * refreshes found changed in Chat, and its writes that may take an owner from a space (all three
 * with its other provider processes, through `deps.share`), and the caller's id.
 */
interface MembersOfProcess {
  readonly claims: MemberClaims;
  readonly callerIds: CallerIds;
  readonly findings: RefreshFindings;
  readonly ownerLosses: OwnerLosses;
}

/** What a failure at configure is about: no resource yet, the provider's configuration. */
const CONFIGURATION: Target = { label: "configuration" };

/** Stops on the conflicts a declaration has with others, each naming its property. */
function refuseConflicts(conflicts: readonly Conflict[]): void {
  if (conflicts.length > 0) throw new Error(conflicts.map((c) => `${c.property} ${c.reason}`).join(" "));
}

/** By the process's deps (provider/index.ts builds one for every provider of the process; a test, one per simulated process). */
const processes = new WeakMap<ProviderDeps, MembersOfProcess>();

function membersOf(deps: ProviderDeps): MembersOfProcess {
  let shared = processes.get(deps);
  if (!shared) {
    const readers = readersOf(deps.share);
    shared = {
      claims: new MemberClaims(readers?.reader(isClaimRecord)),
      callerIds: new CallerIds(),
      findings: new RefreshFindings(readers?.reader(isFindingRecord)),
      ownerLosses: new OwnerLosses(readers?.reader(isOwnerLossRecord)),
    };
    processes.set(deps, shared);
  }
  return shared;
}

/** Why a membership is not removed, said in the log; undefined: it may go. */
export type KeepReason = string | undefined;

/**
 * Why the calling principal of another provider of this deployment stays (claims.ts
 * `callerHolders`): as a provider never removes its own calling user ({@link CALLER_STAYS}) or
 * Chat app ({@link CALLING_APP_STAYS}), no provider of the deployment removes another's, naming
 * the resources that provider serves in the space. `app`: that provider acts as a Chat app (app
 * authentication), which may be any app of the space (its own membership is listed to no app).
 */
export function anotherCallerStays(holders: readonly Holder[], app = false): string {
  const of = providerOf(holders);
  if (app)
    return (
      `it is a Chat app, and ${of} acts as the calling Chat app (app authentication), which may be this one: ` +
      "that provider never removes its own membership (it would lose sight of the space and of every later change)"
    );
  return `it is the calling user of ${of}, which never removes it (that provider would lose sight of the space and of every later change)`;
}

/**
 * Why the calling user of another provider of this deployment keeps her role, that provider
 * using no admin access: as a provider never demotes its own calling user below owner
 * (caller.ts `CALLER_KEEPS_ROLE`), no provider of the deployment demotes another's, naming the
 * resources that provider serves in the space.
 */
export function anotherCallerKeepsRole(holders: readonly Holder[]): string {
  return (
    `it is the calling user of ${providerOf(holders)}, ` +
    "which is never demoted without googlechat:useAdminAccess (that provider could no longer manage the members: every later change would fail)"
  );
}

/** Another provider instance of this deployment, named by the resources it serves in the space (`holders`), where it serves any. */
const providerOf = (holders: readonly Holder[]): string =>
  holders.length > 0
    ? `the provider of ${holders.map(holderName).join(" and ")} (another provider instance of this deployment)`
    : "another provider instance of this deployment";

/** A published caller as a decision on her membership needs it: why she stays, why she keeps her role, and whether she may lose it. */
const otherCallerOf = (published: PublishedCaller, app: boolean): OtherCaller => ({
  stays: anotherCallerStays(published.holders, app),
  keepsRole: anotherCallerKeepsRole(published.holders),
  adminAccess: published.adminAccess,
});

/**
 * What a 404 for a membership, or for its space's members, turned out to mean
 * ({@link MemberResourceProvider.meaningOf404}): `gone`, confirmed; `unseen`: these credentials
 * don't see the space, which may be gone or not; `beyondAdminAccess`: the space is there, seen by
 * the calling user and not by admin access, which can't tell whether the member is.
 */
export type NotFoundMeaning = "gone" | "unseen" | "beyondAdminAccess";

/**
 * The membership a 404 was for, as its resource knows it: its member's keys (the canonical
 * `users/{id}`, and the key it was declared by), whether it is the calling Chat app's
 * (`chatApp: true`), and the calling user its state records it to be (`recordedCaller`: a write
 * found the member to be her, a lower-cased email), if any.
 */
export interface MembershipOf404 {
  keys: readonly string[];
  callingApp: boolean;
  recordedCaller?: string;
}

/** How the membership providers word admin access's 404 for a space the calling user sees (core/admin-access-reach.ts `beyondAdminAccess`). */
const BEYOND_ADMIN_ACCESS: BeyondAdminAccessWords = {
  untold: "whether the member is there can't be told",
  manage: "this space's members",
  takeOut: "if the member was removed",
};

/**
 * How each membership resource is named in {@link MemberResourceProvider.spaceDeleted}
 * (`resource`), and what the next up does with it once declared in a space that exists (`again`):
 * its create adds the member, or the roster's members.
 */
const SPACE_DELETED: Record<"ChatMembership" | "ChatSpaceMembers", { readonly resource: string; readonly again: string }> = {
  ChatMembership: { resource: "the membership", again: "the next `pulumi up` adds the member there" },
  ChatSpaceMembers: { resource: "the roster", again: "the next `pulumi up` adds its members there" },
};

/**
 * What a 404 was met by, for {@link MemberResourceProvider.meaningOf404}: `answered`, what met it
 * ("the membership of users/1"), `consequence`, what a failed confirmation means for the step
 * ("its removal is not counted as done: it stays in the stack"), and `whose`, the membership it
 * was for where certainly one.
 */
export interface NotFoundFor {
  readonly answered: string;
  readonly consequence: string;
  readonly whose?: MembershipOf404;
}

/** What {@link MemberResourceProvider.ownersBefore} answers for a delete whose space was deleted: its memberships went with it, nobody is left to remove. */
export const SPACE_GONE = "spaceGone";

/**
 * The step a read of the space's joined owners comes before ({@link MemberResourceProvider.ownersBefore}),
 * as what it says where that read stops it: `consequence`, what a failed confirmation of the
 * listing's 404 means for it ({@link NotFoundFor}); `beyondAdminAccess`, what happens to the
 * resource where admin access doesn't reach the space ({@link MemberResourceProvider.beyondAdminAccess}
 * `outcome`); `unread`, the error a read that failed otherwise, or whose 404 these credentials
 * can't judge, stops the step with (the read's own where none). A `change` says what it did not
 * do where the space was deleted (`spaceDeleted`, {@link MemberResourceProvider.spaceDeleted}
 * `stopped`); a `delete` has nothing left to do then.
 */
export type OwnersBefore = {
  readonly consequence: string;
  readonly beyondAdminAccess: string;
  readonly unread?: (error: unknown) => Error;
} & ({ readonly step: "delete" } | { readonly step: "change"; readonly spaceDeleted: string });

export abstract class MemberResourceProvider extends ConfiguredProvider {
  /** What this process's resources declare (claims.ts). */
  protected readonly claims: MemberClaims;
  /** The calling user's id, once learnt (caller.ts). */
  protected readonly callerIds: CallerIds;
  /** What this deployment's refreshes found changed in Chat since the state they were given (refresh-findings.ts). */
  protected readonly findings: RefreshFindings;
  /** The writes of this deployment that may take an owner from a space, one at a time (owner-losses.ts). */
  protected readonly ownerLosses: OwnerLosses;

  /** How this resource type is named where its space was deleted ({@link spaceDeleted}). */
  private readonly deletedWords: (typeof SPACE_DELETED)[keyof typeof SPACE_DELETED];

  constructor(deps: ProviderDeps, type: "ChatMembership" | "ChatSpaceMembers") {
    super(deps, type);
    this.deletedWords = SPACE_DELETED[type];
    ({ claims: this.claims, callerIds: this.callerIds, findings: this.findings, ownerLosses: this.ownerLosses } = membersOf(deps));
  }

  /**
   * Configures the provider, and tells the deployment's other processes whom it acts as: the
   * engine configures every provider a deployment's deletes need before the first delete runs
   * (pulumi/pulumi pkg/resource/deploy/step_generator.go `GenerateDeletes` calls `EnsureProvider`
   * for each), so a `pulumi destroy`, or an up in which this provider only deletes, both of which
   * check nothing here, keeps each provider's caller until that provider's own deletes are done.
   * The configuration names an impersonated user or the Chat app; a user's own credentials name
   * their owner only when Google is asked ({@link learnCallerAtConfigure}). Which Chat app
   * `users/app` is here, as far as the credentials name it, is set first: another instance's app
   * is another member when the two name different projects.
   */
  override async configure(req: Parameters<ConfiguredProvider["configure"]>[0]): Promise<void> {
    await super.configure(req);
    this.claims.callingAppIs(callingAppKeyOf(this.settings?.credentials, this.settings?.impersonateServiceAccount));
    await this.learnCallerAtConfigure();
    this.callerLearntNow();
  }

  /**
   * With a user's own credentials, asks Google who the caller is (one tokeninfo request per
   * process and credentials, with the provider's retries: caller-identity.ts), so that the
   * deployment's other processes keep her even where this provider checks nothing. Where Google
   * can't answer, the configuration fails, before this provider writes anything: left unpublished,
   * she could be removed by another provider's step before this one asks again. A preview may
   * read this much: it learns who the caller is, and writes nothing. Credentials without the
   * email scope leave her unpublished, and the steps that would remove or demote people say which
   * scope to add.
   */
  private async learnCallerAtConfigure(): Promise<void> {
    if (this.settings?.auth !== "user" || this.knownCallerUser !== undefined) return;
    try {
      await this.callerUserOrUnknown();
    } catch (error) {
      const reason = this.failureReason(CONFIGURATION, error);
      throw new Error(
        `The calling user of these credentials can't be learnt from Google now: ${reason} ` +
          "The provider must know whom its credentials act as before any step of the deployment: no provider of it removes or demotes that user.",
      );
    }
  }

  /**
   * Records a declaration's claims (at check); its conflicts as check failures, as far as the
   * caller is known without a call. A declaration carries this process's caller
   * ({@link callerKeys}): the deployment's other processes judge by it whether a roster
   * would remove a member they declare, and keep that user in the space as this process does
   * ({@link keepReason}).
   */
  protected declare(declaration: Declaration | undefined, urn: string | undefined): Conflict[] {
    if (!declaration) {
      if (urn) this.claims.forget(urn);
      return [];
    }
    return this.claims.declare({ ...declaration, caller: this.callerKeys, ...(this.adminAccess ? { adminAccess: true } : {}) }, this.callerNow);
  }

  /**
   * The calling user, as configured-provider.ts reads it; once Google named it, this process's
   * declarations publish it ({@link callerLearntNow}) for the deployment's other processes.
   */
  protected override async callerUser(target?: Target): Promise<string | undefined> {
    const user = await super.callerUser(target);
    this.callerLearntNow();
    return user;
  }

  /**
   * Tells the deployment's other processes the calling principal as this process knows it now,
   * in every declaration it made (claims.ts `ownCallerLearnt`): wherever it is learnt (tokeninfo,
   * the caller's id read or answered), whichever resource's step learnt it.
   */
  private callerLearntNow(): void {
    this.claims.ownCallerLearnt(this.callerKeys, this.adminAccess);
  }

  /**
   * Publishes what this process has learnt of its calling user since the resource `urn` was
   * declared (a user's own credentials name their owner when asked, its id once read), and
   * stops on a conflict that this reveals.
   */
  protected publishCaller(urn: string | undefined): void {
    if (!urn) return;
    refuseConflicts(this.claims.callerLearnt(urn, this.callerKeys, this.callerNow, this.adminAccess));
  }

  /**
   * The calling principal's member keys as this process knows them now, with no call (claims.ts
   * `Declaration.caller`): a user's email and, once learnt, its users/{id}; the Chat app's
   * `users/app`; undefined while a user's own credentials have not been asked. Never a credential.
   */
  private get callerKeys(): readonly string[] | undefined {
    const user = this.knownCallerUser;
    if (user === null) return [CALLING_APP];
    if (user === undefined) return undefined;
    const id = this.callerIds.known(this.settings!.apiEndpoint, user);
    return id ? [`users/${user}`, id] : [`users/${user}`];
  }

  /** Whether this provider uses admin access (googlechat:useAdminAccess), published with its caller: it may then demote its caller below owner. */
  private get adminAccess(): boolean {
    return this.settings?.useAdminAccess === true;
  }

  /** Whether a member key is the calling user, as this process knows now without a call (caller.ts). */
  private get callerNow(): CallerTest {
    const user = this.knownCallerUser;
    return callerTestOf(user, user ? this.callerIds.known(this.settings!.apiEndpoint, user) : undefined);
  }

  /**
   * What {@link callerNow} can't tell, read for `keys` of `space`: the credentials' owner, and the
   * caller's users/{id} when a key is one. Credentials that can't name their owner stop here,
   * naming the scope to add (the conflict depends on it). A `users/{id}` still untold (a caller in
   * no space these credentials can list: caller.ts) stays untold, with why and what would tell
   * (claims.ts `ReadCaller`); any other key untold counts as not the caller.
   */
  private callerKnowledge(target: Target): CallerKnowledge {
    return {
      now: this.callerNow,
      read: async (space, keys) => {
        const user = await this.callerUser(target);
        const endpoint = this.settings!.apiEndpoint;
        const id = user && keys.some(isUserIdKey) ? await this.callerIdIn(user, space, target) : undefined;
        const test = callerTestOf(user ?? (this.settings?.auth === "app" ? null : undefined), id || undefined);
        if (!user || id !== "") return { test: (key) => test(key) ?? false };
        const untold =
          `${this.callerIds.whyUnknown(endpoint, user, space)}. ` +
          `If it is her, declare her by email (user: "${user}"), or add her to a space (this one, or any other: her membership of one tells her id), ` +
          "then preview again";
        return { test: (key) => test(key) ?? (isUserIdKey(key) ? undefined : false), untold };
      },
    };
  }

  /** The member an email key stands for in `space`: its membership read by alias; undefined when it is not a member. */
  protected readonly resolve: Resolve = async (space, emailKey) => {
    try {
      return (await this.api.getMember(`${space}/members/${emailKey.slice("users/".length)}`)).member?.name ?? undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };

  /**
   * Check's conflicts that depend on who the calling user is, read where check can't tell without
   * a call (claims.ts `callerConflicts`): a member beside an authoritative roster that may be it.
   */
  protected async callerConflictsAtCheck(urn: string | undefined, target: Target): Promise<Conflict[]> {
    if (!urn) return [];
    try {
      return await this.claims.callerConflicts(urn, this.callerKnowledge(target), this.resolve);
    } catch (error) {
      throw this.failure(target, error);
    }
  }

  /**
   * Stops before a write when the declaration of `urn` conflicts with another once Google names the
   * emails' ids and the caller. A create (`made`) holds nothing its state records, whatever its diff
   * found or whether it ran (the engine replaces without one for `--replace`, and against the
   * provider's diff for `replaceOnChanges`): its emails name whomever Google names now.
   */
  protected async refuseConflictsBeforeWrite(urn: string | undefined, target: Target, made = false): Promise<void> {
    if (!urn) return;
    if (made) refuseConflicts(this.claims.diffed(urn, true, [], this.callerNow));
    refuseConflicts(await this.claims.conflictsBeforeWrite(urn, this.resolve, this.callerKnowledge(target)));
  }

  /** Records what Google answered an email (or the app) is; stops when it reveals a conflict of `urn`'s declaration. */
  protected learnMember(key: string, member: string, urn: string | undefined): void {
    refuseConflicts(this.claims.learn(key, member, urn, this.callerNow));
  }

  /** Records what a state holds emails (or the app) as (claims.ts `recall`: Google's answer wins); stops on a conflict of `urn`'s declaration they reveal. */
  protected recallMembers(records: readonly (readonly [string, string])[], urn: string | undefined): void {
    refuseConflicts(this.claims.recall(records, urn, this.callerNow));
  }

  /**
   * Records what `urn`'s resource holds after its diff (claims.ts): these members for its keys,
   * where it is kept; nothing its state records, where it is made again; `planRead`: those of its
   * records a plan reads (claims.ts `diffed`). Stops on a conflict of its declaration this reveals.
   */
  protected heldAfterDiff(
    urn: string | undefined,
    replaced: boolean,
    held: readonly (readonly [string, string])[],
    planRead: readonly (readonly [string, string])[] = held,
  ): void {
    if (urn) refuseConflicts(this.claims.diffed(urn, replaced, held, this.callerNow, planRead));
  }

  /** How the caller's id is read for `user` in `space`. */
  private callerReads(user: string, target: Target): CallerReads {
    return {
      own: (space) => this.api.getMember(`${space}/members/${user}`, { target }),
      anySpace: async () => (await this.api.listSpaces({ pageSize: 1 }, { target })).spaces?.[0]?.name ?? undefined,
      refused: (error, space, listed) =>
        this.deps.log(
          `${this.type} ${target.label}: the calling user ${user} is not a member of ${space}, ` +
            `and its users/{id} could not be learnt from ${listed ? `${listed}, ` : ""}a space it is in ` +
            `(${error instanceof Error ? error.message : String(error)}): ` +
            "each resource reads the caller's membership of its own space instead, one more read per resource." +
            (wantsListScope(error, listed) ? " Authorise chat.spaces.readonly for these credentials to save them." : ""),
          target.urn,
        ),
    };
  }

  /** The calling user's canonical member in `space` as just `listed`, or "" when it is not a member; undefined for the Chat app. */
  protected async callerIn(space: string, listed: readonly MemberEntry[], target: Target): Promise<{ user: string; member: string } | undefined> {
    const user = await this.callerUser(target);
    if (!user) return undefined;
    const member = await this.callerIds.memberIn(this.settings!.apiEndpoint, user, space, listed, this.callerReads(user, target));
    this.callerLearntNow();
    return { user, member };
  }

  /** Whether `member` (canonical) is the calling user, read once per process where it is not known yet. */
  protected async isCaller(space: string, member: string, target: Target): Promise<boolean> {
    const user = await this.callerUser(target);
    if (!user || !member.startsWith("users/")) return false;
    const id = await this.callerIdIn(user, space, target);
    return id !== "" && sameMember(id, member);
  }

  /**
   * Whether the state's record that `member` (canonical) of `space` is the calling user `user`
   * holds: the record names her by email, which may name another person now (an account renamed,
   * its address given to another), so her users/{id} as Google tells it decides (once per
   * process: caller.ts `CallerIds.idOf`). Only where no space tells it, she being a member of
   * none these credentials can read, does the record stand: such a caller could not change the
   * member's role or remove her without admin access either.
   */
  protected async recordedCallerHolds(user: string, space: string, member: string, target: Target): Promise<boolean> {
    const id = await this.callerIdIn(user, space, target);
    return id === "" || sameMember(id, member);
  }

  /**
   * The calling user `user`'s users/{id}, known or read from her membership of `space` (or of
   * another space she is in) once per process (caller.ts `CallerIds.idOf`); "" when no space
   * these credentials can read tells it. An id learnt is published to the deployment's other
   * processes ({@link callerLearntNow}). Each use says what "" means: not her for {@link isCaller},
   * the state's record standing for {@link recordedCallerHolds}, for a roster's entry of her email
   * and for its refresh.
   */
  protected async callerIdIn(user: string, space: string, target: Target): Promise<string> {
    const id = await this.callerIds.idOf(this.settings!.apiEndpoint, user, space, this.callerReads(user, target));
    if (id) {
      this.callerLearntNow();
      // Her email's member, as Google answered it: a declaration of it beside one of her users/{id} is one person twice.
      this.teachCallerId();
    }
    return id;
  }

  /**
   * Tells the claims the calling user's id where this process knows it (no call): another
   * process's published caller by the same email is then matched without a read.
   */
  private teachCallerId(): void {
    const user = this.knownCallerUser;
    const id = user ? this.callerIds.known(this.settings!.apiEndpoint, user) : undefined;
    if (user && id) this.claims.learn(`users/${user}`, id);
  }

  /**
   * The calling principals of the deployment's other provider instances that declare a resource
   * in `space` (claims.ts `otherCallersIn`: users by canonical `users/{id}`, a provider acting as a
   * Chat app by `users/app`), each as {@link OtherCaller}: a roster's plan keeps them, and their
   * owner role, as it keeps its own caller's. Read only where a plan removes people or apps, or
   * demotes an owner.
   */
  protected async otherCallersIn(space: string): Promise<ReadonlyMap<string, OtherCaller>> {
    this.teachCallerId();
    const callers = await this.claims.otherCallersIn(space, this.resolve);
    return new Map([...callers].map(([member, published]) => [member, otherCallerOf(published, member === CALLING_APP)]));
  }

  /**
   * The person `member` (canonical) of `space` as the calling user of another provider instance
   * of this deployment, declaring a resource there or not (claims.ts `callerHolders`), as the
   * claims tell now; undefined when she is none. `spellings`: the keys her own resource declared her by.
   * A Chat app (`BOT`) is the calling app of an instance under app authentication.
   */
  private async anotherCallerOf(space: string, member: string, spellings: readonly string[], memberType: string): Promise<OtherCaller | undefined> {
    this.teachCallerId();
    const published = await this.claims.callerHolders(space, member, spellings, this.resolve, memberType);
    return published && otherCallerOf(published, memberType === "BOT");
  }

  /**
   * Why the person `member` (canonical) of `space` stays as the calling user of another provider
   * instance of this deployment, declaring a resource there or not (claims.ts `callerHolders`), as the
   * claims tell now; undefined when she is none. `spellings`: the keys her own resource declared
   * her by. A Chat app (`BOT`) stays as the calling app of an instance under app authentication.
   */
  protected async anotherCallerReason(space: string, member: string, spellings: readonly string[], memberType = "HUMAN"): Promise<KeepReason> {
    return (await this.anotherCallerOf(space, member, spellings, memberType))?.stays;
  }

  /**
   * Why the person `member` (canonical) of `space` keeps her role `from` where her resource would
   * give her `to`: she is the calling user of another provider instance of this deployment, which
   * demotes her below owner only with admin access (caller.ts `keepsCallersRole`), as the claims
   * tell now; undefined when she may have `to`. No read where `to` demotes no owner below owner.
   * `spellings`: the keys her own resource declared her by.
   */
  protected async anotherCallerRoleReason(space: string, member: string, spellings: readonly string[], from?: string, to?: string): Promise<KeepReason> {
    if (!keepsCallersRole(from, to, false)) return undefined;
    const other = await this.anotherCallerOf(space, member, spellings, "HUMAN");
    return other && keepsCallersRole(from, to, other.adminAccess) ? other.keepsRole : undefined;
  }

  /** Records the caller's id as Google answered it for an add of the caller. */
  protected async learnCaller(member: string, target: Target): Promise<void> {
    const user = await this.callerUser(target);
    if (user && member) this.callerIds.learn(this.settings!.apiEndpoint, user, member);
    this.callerLearntNow();
  }

  /**
   * Why the membership `entry` of `space` stays although its resource would remove it: it is the
   * calling user, a Chat app with app authentication (the calling app may be it), a Google Group
   * with app authentication (Google lets no app remove one), or a resource
   * the program declares holds it. `spellings`: the keys its own
   * resource declared it by; `times`: its import-mode times; `callerMember`: the caller's member
   * in the space as Google answered it in this process ({@link callerIn}: "" for none), else read.
   * Never a state's record of her: an email names a person only for a while (an account renamed,
   * its address given to another). `recordedBy`: the keys its state records it by, where other
   * than `spellings` (the caller's email, which names whoever holds it now): what a plan read
   * (claims.ts `holders`).
   */
  protected async keepReason(
    space: string,
    entry: MemberEntry,
    spellings: readonly string[],
    times: HistoricalTimes,
    target: Target,
    callerMember?: string,
    recordedBy: readonly string[] = spellings,
  ): Promise<KeepReason> {
    const isCaller =
      callerMember !== undefined ? callerMember !== "" && sameMember(callerMember, entry.member) : await this.isCaller(space, entry.member, target);
    if (entry.memberType === "HUMAN" && isCaller) return CALLER_STAYS;
    if (entry.memberType === "BOT" && this.settings?.auth === "app") return CALLING_APP_STAYS;
    if (groupBeyondApp(entry.memberType, this.settings?.auth === "app")) return APP_AUTH_KEEPS_GROUPS;
    if (entry.memberType === "HUMAN" || entry.memberType === "BOT") {
      const why = await this.anotherCallerReason(space, entry.member, spellings, entry.memberType);
      if (why) return why;
    }
    const holders = await this.claims.holders(space, entry.member, spellings, times, this.resolve, this.type === "ChatSpaceMembers", recordedBy);
    if (holders.length > 0) return heldByWords(holders);
    return undefined;
  }

  /**
   * The import-mode times of the membership `entry` of `space` where the decision to remove it
   * depends on them: a declaration naming the member with times other than `recorded` (the
   * state's; none for a roster's, which declares no times) holds the membership only if it has
   * those, and a membership made again with them keeps its name (a ChatMembership's create that
   * met it with other times replaced it), so only Google can tell: it is read (one GET).
   * Otherwise `recorded`, with no call. `spellings` as for {@link keepReason}.
   */
  protected async timesNow(
    space: string,
    entry: Pick<MemberEntry, "name" | "member">,
    spellings: readonly string[],
    recorded: HistoricalTimes,
    target: Target,
  ): Promise<HistoricalTimes> {
    if (!(await this.claims.declaresOtherTimes(space, entry.member, spellings, recorded, this.resolve))) return recorded;
    return timesOf(await this.api.getMember(entry.name, { target }));
  }

  /**
   * What a 404 for a membership, or for its space's members (`notFound`, what the call threw,
   * met by `about.answered`), means, as that call was made. A read of the space that confirms it
   * and fails otherwise (a refusal, an outage) can't confirm anything: this throws, saying so with
   * what it means for the step (`about.consequence`).
   */
  protected async meaningOf404(space: string, importMode: boolean, target: Target, notFound: unknown, about: NotFoundFor): Promise<NotFoundMeaning> {
    try {
      return await this.ruleOf404(space, importMode, target, notFound, about.whose);
    } catch (error) {
      const why = this.failureReason(target, error);
      throw new Error(
        `${this.type} ${target.label}: Google answered 404 Not Found for ${about.answered}, and reading ${space} to confirm it is gone failed, ` +
          `so ${about.consequence}. ${why}`,
      );
    }
  }

  /**
   * What the 404 a listing of the members of `space` met means ({@link meaningOf404}: the
   * space's, never a member's, so no import mode nor membership judges it); `consequence`: what
   * a failed confirmation means.
   */
  protected membersOf404(space: string, notFound: unknown, consequence: string, target: Target): Promise<NotFoundMeaning> {
    return this.meaningOf404(space, false, target, notFound, { answered: `the members of ${space}`, consequence });
  }

  /**
   * Runs `write`, which may remove or demote the memberships `names` of `space` (none: it takes no
   * owner), alone among this deployment's writes that may take an owner from the space
   * (owner-losses.ts), given the memberships theirs under way may take: the last-owner rule counts
   * them as leaving.
   */
  protected mayTakeOwners<T>(space: string, names: readonly string[], write: (takenElsewhere: readonly string[]) => Promise<T>): Promise<T> {
    return names.length === 0 ? write([]) : this.ownerLosses.alone(space, names, write);
  }

  /**
   * The space's joined owners, read just before a write that may remove or demote an owner
   * (owners.ts). A read that fails tells nothing, and the state can't stand in for it: a member
   * made the only owner in Chat since the last refresh would be removed. So it stops the step
   * (`step.unread`). Its 404 is the space's ({@link membersOf404}): admin access's, for a space
   * the calling user sees, says that admin access doesn't reach the space, and for one she doesn't
   * see either, that it was deleted, which stops a change and leaves a delete nothing to do
   * ({@link SPACE_GONE}); without admin access it may be a space these credentials no longer see
   * (the caller was removed from it), which tells nothing: it stops the step as a failed read does.
   */
  protected ownersBefore(space: string, target: Target, step: OwnersBefore & { readonly step: "change" }): Promise<JoinedOwners>;
  protected ownersBefore(space: string, target: Target, step: OwnersBefore): Promise<JoinedOwners | typeof SPACE_GONE>;
  protected async ownersBefore(space: string, target: Target, step: OwnersBefore): Promise<JoinedOwners | typeof SPACE_GONE> {
    try {
      return await JoinedOwners.read(this.api, space, target);
    } catch (error) {
      const meaning = isNotFound(error) ? await this.membersOf404(space, error, step.consequence, target) : undefined;
      if (meaning === "beyondAdminAccess") throw new Error(this.beyondAdminAccess(target, space, step.beyondAdminAccess));
      if (meaning === "gone") {
        if (step.step === "delete") return SPACE_GONE;
        throw new Error(this.spaceDeleted(target, space, step.spaceDeleted));
      }
      throw step.unread ? step.unread(error) : error;
    }
  }

  /**
   * {@link meaningOf404}'s rule. A listing's 404 (`spaces.members.list`: a roster's read, the
   * joined owners) is about the space, never a member: it counts as gone only with the space.
   *
   * One sent with admin access is judged by the admin-access rule (core/admin-access-reach.ts
   * `spaceUnderAdminAccess`): a membership's, the space read with admin access answers, and the
   * 404 is the membership's own: gone (one read). Otherwise (and first for a listing's, whose 404
   * is admin access's answer for the space) the space is read as the user: seen, it is a space
   * admin access doesn't reach (another organisation's), which can't tell: `beyondAdminAccess`;
   * not seen either, it counts as deleted: gone (one read more). Managing the members of another
   * organisation's space took the calling user being in it.
   *
   * One sent without admin access (always so for the calling Chat app's membership, which admin
   * access doesn't reach: v1.d.ts members.get and members.delete `useAdminAccess`): credentials
   * that still see the space see its memberships, so a membership's 404 means gone then; a space
   * they can't see (the caller was removed from it, another user is impersonated) can't tell:
   * `unseen`, as a listing's 404 is with no read. The space is read as that call was made.
   * Except for the calling principal's own membership (`whose`, where it is certainly hers,
   * {@link isOwnMembership}): she sees a space exactly when she is a member of it, so her
   * membership's 404, asked as her, says she is none, whether she was removed or the space
   * deleted: gone, with no read.
   */
  private async ruleOf404(space: string, importMode: boolean, target: Target, notFound: unknown, whose?: MembershipOf404): Promise<NotFoundMeaning> {
    const ofListing = notFound instanceof ChatApiError && notFound.call.method === "spaces.members.list";
    if (notFound instanceof ChatApiError && notFound.adminAccess) {
      const byAdmin = ofListing ? ANSWERED_404 : () => this.spaceRead(space, { adminAccess: true, target });
      const byUser = () => this.spaceRead(space, { userAccess: true, target });
      const sight = await spaceUnderAdminAccess(byAdmin, byUser);
      return sight.kind === "seen" ? "gone" : sight.kind;
    }
    if (ofListing) return "unseen";
    if (whose && (await this.isOwnMembership(whose, space, target))) return "gone";
    return (await this.spaceRead(space, { importMode, target, userAccess: true })) ? "gone" : "unseen";
  }

  /**
   * Whether the membership `whose` of `space` is certainly the calling principal's own: under app
   * authentication, the calling Chat app's; otherwise the calling user's, one of its keys her
   * email alias or her `users/{id}` as this process knows it (caller.ts `callerTestOf`, no read).
   * Where the state records her as its member (`recordedCaller`), her `users/{id}` is asked of
   * Google (caller.ts `CallerIds.idOf`, once per process) and decides: the email may name another
   * person now (an account renamed, its address given to another). Only where it can't be learnt,
   * she being in no space (as she is once removed from her last one), does the record decide.
   * Credentials that can't name their owner tell nothing.
   */
  private async isOwnMembership(whose: MembershipOf404, space: string, target: Target): Promise<boolean> {
    if (this.settings?.auth === "app") return whose.callingApp;
    const { user } = await this.callerUserOrUnknown(target);
    if (!user) return false;
    const endpoint = this.settings!.apiEndpoint;
    const isCaller = callerTestOf(user, this.callerIds.known(endpoint, user));
    if (whose.keys.some((key) => isCaller(key) === true)) return true;
    if (whose.recordedCaller !== user) return false;
    const id = await this.callerIds.idOf(endpoint, user, space, this.callerReads(user, target));
    return id === "" || whose.keys.some((key) => callerTestOf(user, id)(key) === true);
  }

  /** `space` read as `opts` says: its answer, or undefined where it answers 404; any other failure rejects. */
  private spaceRead(space: string, opts: SpaceCallOptions): Promise<chat_v1.Schema$Space | undefined> {
    return unlessNotFound(this.api.get(space, opts));
  }

  /**
   * What Pulumi is told where admin access answered 404 for a space the calling user sees
   * ({@link NotFoundMeaning} `beyondAdminAccess`): `outcome` says what happens to the resource now
   * ("stays in the stack as last read").
   */
  protected beyondAdminAccess(target: Target, space: string, outcome: string): string {
    return beyondAdminAccess(this.type, target.label, space, outcome, BEYOND_ADMIN_ACCESS);
  }

  /**
   * What Pulumi is told where a step's 404 is its space deleted, confirmed
   * ({@link NotFoundMeaning} `gone` for the members' listing, sent with admin access: the space
   * read as the calling user answers 404 too): `stopped` says what the step did not do ("the role
   * of users/1 was not changed"). A refresh of the resource drops it then (its read meets the same
   * 404, confirmed the same way), and the next up creates it where the program declares it.
   */
  protected spaceDeleted(target: Target, space: string, stopped: string): string {
    const { resource, again } = this.deletedWords;
    return (
      `${this.type} ${target.label}: ${space} was deleted outside Pulumi (neither googlechat:useAdminAccess nor the calling user sees it), ` +
      `so ${stopped}: the space's memberships went with it. ` +
      `Run \`pulumi refresh\`: it takes ${resource} out of the stack. Then remove it from the program, or declare it in a space that exists: ${again}.`
    );
  }

  /** Reads the caller's own membership of `space` by its email alias; rejects 404 when it has none. */
  protected ownMembership(space: string, user: string, target: Target): Promise<chat_v1.Schema$Membership> {
    return this.api.getMember(`${space}/members/${user}`, { target });
  }
}
