/**
 * Which declared resource of this deployment holds which member of which space: the one home of
 * "a membership is removed only when no resource the program declares holds it", and of "one
 * member, one declaration".
 *
 * Pulumi's engine checks (and diffs) every resource the program declares before it deletes any
 * resource the program no longer declares: those deletes run after the program has finished
 * (pulumi/pulumi pkg/resource/deploy/deployment_executor.go `Execute`: `performPostSteps` only
 * once the program's last event is in and no step generation is pending; step_generator.go
 * `GenerateDeletes`), as do the deletes of create-before-delete replacements. Each check is
 * answered before the next event is handled, whichever provider serves it (`handleSingleEvent`
 * calls step_generator.go `GenerateSteps`, which calls the provider's `Check` and waits).
 * A deployment may have several provider processes (each provider instance of the plugin, and
 * the dynamic-provider host): each publishes its claims to the others as it records them, before
 * its check answers (core/deployment-share.ts), and reads theirs before it decides. So when a
 * delete runs, the claims this process knows are the program's current declarations, whoever
 * created what, under whichever provider: a member moved from a ChatMembership to a roster (or
 * back, or between two resources renamed, or `up --replace`, or from a resource of one provider
 * instance to one of another), even after a crash between the new create and the old delete,
 * stays in the space.
 *
 * A claim is keyed by the member as declared (an email or an id); an email is matched to its
 * `users/{id}` once Google answered for it ({@link MemberClaims.learn}), or, where a decision
 * needs it now, by one read of the email's membership (`resolve`).
 */
import type { SharedRecords } from "../core/share-readers";
import { resourceNameOfUrn } from "../core/urn";
import { type CallerTest, callerTestOf } from "./caller";
import { EmailIds, type EmailSource } from "./email-ids";
import { CALLING_APP, canonicalOf, isAppKey, isEmailKey, isUserIdKey, sameKey, sameMember } from "./member-ref";
import { type HistoricalTimes, timesConflicts } from "./memberships";

/** A declared resource of this deployment that holds members. */
export interface Holder {
  readonly type: "ChatMembership" | "ChatSpaceMembers";
  /** Its URN (or, in a program, any key unique to it): declared again, a resource's claims replace its earlier ones. */
  readonly urn: string;
  /** Its Pulumi name, for messages; the URN's last part when left out. */
  readonly name?: string;
}

/** One member a declaration holds. */
export interface HeldMember {
  /**
   * The member's key (member-ref.ts `memberKeyOf`): `users/{email|id}`, `groups/{id}`, `users/app`;
   * as shared, the calling app's qualified by its project where the credentials name it (member-ref.ts `callingAppKeyOf`).
   */
  readonly key: string;
  /** Where the declaration names it, for messages: `user`, `members[2]`. */
  readonly property: string;
  /** The import-mode times the membership must have (a ChatMembership's `createTime`, `deleteTime`). */
  readonly times?: HistoricalTimes;
  /**
   * The canonical member the resource holds for this key: the one its state records, or its write
   * just met. An email's holds it until the resource is made again, whomever the address names
   * now (an account renamed, its address given to another): another declaration's answer for the
   * email is not what this resource manages. Left out while the resource holds none yet.
   */
  readonly member?: string;
  /**
   * The resource declared this key before, in this space (its check, before its diff tells the
   * member its state records): it holds that member, whomever the deployment's answer for the
   * email names now, so only the same key matches it until its diff sets {@link member}, or finds
   * it made again ({@link MemberClaims.diffed}).
   */
  readonly kept?: boolean;
}

/** What one resource holds in one space, as its latest check declared it. */
export interface Declaration {
  readonly holder: Holder;
  /** `spaces/{space}`. */
  readonly space: string;
  /** An authoritative roster: it removes every member of the space it does not declare. */
  readonly wholeSpace?: boolean;
  /** The members it declares; a roster with {@link unknownEntries}: those of its entries that are known. */
  readonly members: readonly HeldMember[];
  /**
   * A roster's entries whose member is unknown until apply (another resource's output, at
   * preview), where it declares them: `members[1]`. Each may be any member, or one `members`
   * holds already, so the declaration is incomplete: its known members conflict as any
   * declaration's do, and an authoritative roster's rule holds for a ChatMembership of a member
   * none of them is (the roster removes that member, or the unknown entry is it and declares it a
   * second time: a conflict either way). Only a preview has them: the engine lets a provider's
   * check see unknown values only in a dry run (pulumi/pulumi pkg/resource/deploy/step_generator.go:
   * `allowUnknowns := sg.deployment.opts.DryRun`), so an update's declarations are complete.
   * {@link WHOLE_LIST}: the roster's list of members is unknown as a whole (none of `members` known).
   */
  readonly unknownEntries?: readonly string[];
  /**
   * The calling principal of the resource's provider (the user or Chat app it acts as), whom it
   * never removes, as the process serving it knows it: a user's member keys, `users/{email}` and,
   * once learnt, `users/{id}`; with app authentication the calling app's, `users/app` qualified by
   * its project where the credentials name it (member-ref.ts `callingAppKeyOf`: Google lists no app's membership to an app, its own included, v1.d.ts
   * members.list, so the process can't name the app's `users/{id}`); left out while not known yet
   * (a user's own credentials before Google's tokeninfo named their owner). Member keys only, never
   * a credential: the deployment's other processes read it, a roster's to tell whom it removes
   * ({@link conflictsBetween}), any resource's to keep that principal in the space
   * ({@link MemberClaims.callerHolders}, {@link MemberClaims.otherCallersIn}).
   */
  readonly caller?: readonly string[];
  /**
   * The resource's provider uses admin access (googlechat:useAdminAccess): its calling user, kept
   * in the space, may be demoted below owner, as that provider may demote her itself (caller.ts
   * `keepsCallersRole`); left out, it may not. Published with {@link caller}.
   */
  readonly adminAccess?: boolean;
}

/** The calling user of resources another process of this deployment serves, as they published it ({@link Declaration.caller}). */
export interface PublishedCaller {
  /** Those resources of the space: their provider acts as her. */
  readonly holders: readonly Holder[];
  /** Whether every one of those providers uses admin access ({@link Declaration.adminAccess}). */
  readonly adminAccess: boolean;
}

/** The {@link Declaration.unknownEntries} of a roster whose whole list of members is unknown until apply: its property's name. */
export const WHOLE_LIST = "members";

/** A conflict, worded for the declaration that meets it: `property` and `reason`, as a check failure. */
export interface Conflict {
  readonly property: string;
  readonly reason: string;
}

/** A resource as messages name it: its type and Pulumi name. */
export const holderName = (h: Holder): string => `${h.type} ${h.name ?? resourceNameOfUrn(h.urn) ?? h.urn}`;

/**
 * A declared resource that keeps a membership: it declares the member, or (a roster) its state
 * lists it, or it declares the address the membership's own state records for the member, which
 * names another person now (`address`: that key, and whom it names, as far as known).
 */
export interface HeldBy {
  readonly holder: Holder;
  readonly declares: boolean;
  readonly address?: { readonly key: string; readonly holds: string };
}

/** Why a membership stays, in words: who keeps it. */
export function heldByWords(holds: readonly HeldBy[]): string {
  const declaring = holds.filter((h) => h.declares && !h.address).map((h) => holderName(h.holder));
  if (declaring.length > 0) return `the program declares it in ${declaring.join(" and ")}`;
  const byAddress = holds.find((h) => h.address);
  if (byAddress?.address) {
    const { key, holds } = byAddress.address;
    return (
      `${holderName(byAddress.holder)} declares ${key}, the address this state records for it, so a plan of this deployment may have said it stays; ` +
      `but Google answers that address is ${holds}'s now. It stays, held by no resource: declare it by its users/{id} to manage it, or remove it in Chat`
    );
  }
  return (
    `${holds.map((h) => holderName(h.holder)).join(" and ")}, the authoritative roster the program declares for this space, lists it in its state: ` +
    "that roster decides on it (its next preview announces the removal of a member it does not declare)"
  );
}

/** Reads which `users/{id}` an email key stands for in a space (its membership by alias), or undefined when it is not a member. */
export type Resolve = (space: string, emailKey: string) => Promise<string | undefined>;

/**
 * Who the calling user is, for the rule that an authoritative roster never removes it: as told
 * now, with no call (`now`), and as read where a write needs what `now` can't tell (`read`, for
 * those keys of `space`).
 */
export interface CallerKnowledge {
  readonly now: CallerTest;
  readonly read: (space: string, keys: readonly string[]) => Promise<ReadCaller>;
}

/**
 * The calling user as read ({@link CallerKnowledge.read}): `test` answers undefined only for a
 * `users/{id}` while her id can't be learnt (she is in no space these credentials can list), and
 * `untold` then says so, and what would tell, for the refusal of a member that may be her
 * ({@link callerUntold}); any other key it can't tell counts as not the caller.
 */
export interface ReadCaller {
  readonly test: CallerTest;
  readonly untold?: string;
}

/** An email key and the canonical member it names. */
interface EmailMember {
  readonly key: string;
  readonly member: string;
}

/**
 * What one provider process tells the deployment's others, in the order it learnt it: a
 * declaration made or forgotten, the member it holds for one key (`held`), the members a declared roster lists, an email's member as Google
 * answered it (`answered`) or as a state records it (`recorded`; `learn`, which earlier versions
 * published for both, is read as a record: a reader of those versions skips the two new ones, and
 * asks Google), whom it acts as ({@link MemberClaims.ownCallerLearnt}). Member keys, spaces and URNs only.
 */
type ClaimRecord =
  | { readonly declare: Declaration }
  | { readonly forget: string }
  | { readonly listed: { readonly urn: string; readonly space: string; readonly members: readonly string[] } }
  | { readonly held: EmailMember & { readonly urn: string } }
  | { readonly answered: EmailMember }
  | { readonly recorded: EmailMember & { readonly declared?: boolean; readonly plan?: boolean } }
  | { readonly learn: EmailMember }
  | { readonly acts: readonly string[]; readonly adminAccess?: boolean };

/**
 * The claims of one deployment, as one provider process knows them: its own, and those the
 * deployment's other provider processes published (`share`; none outside an engine).
 */
export class MemberClaims {
  constructor(private readonly share?: SharedRecords) {}

  private readonly declarations = new Map<string, Declaration>();
  /** The URNs of the declarations this process made (its own resources'): their rosters' caller is this process's. */
  private readonly mine = new Set<string>();
  /** The calling principal {@link ownCallerLearnt} last recorded in this process's declarations. */
  private ownCaller?: readonly string[];
  /** The calling principals the deployment's other processes act as, each as its keys last published ({@link ownCallerLearnt}), by those keys joined. */
  private readonly actingElsewhere = new Map<string, ActingAs>();
  /** The members each declared roster's state lists, declared or not, by URN: `space` and canonical members, lower-cased. */
  private readonly rosters = new Map<string, { readonly space: string; readonly members: ReadonlySet<string> }>();
  /** Each email key's canonical `users/{id}`: as Google answered it in this deployment, else as states record it (email-ids.ts). */
  private readonly emails = new EmailIds();
  /** Email keys Google answered are no member of a space, as `space key`. */
  private readonly absent = new Set<string>();
  /** This process's calling app as the deployment's processes tell it from theirs (member-ref.ts `callingAppKeyOf`). */
  private app = CALLING_APP;

  /** Names the Chat app `users/app` is in this process (member-ref.ts `callingAppKeyOf`): set once configured, before any claim. */
  callingAppIs(key: string): void {
    this.app = key;
  }

  /** A key of this process as the deployment's processes share it: its `users/app` qualified by its app. */
  private readonly own = (key: string): string => (key === CALLING_APP ? this.app : key);

  /** A declaration of this process as shared: its keys and its caller's, {@link own}. */
  private shared(declaration: Declaration): Declaration {
    const members = declaration.members.map((m) => ({ ...m, key: this.own(m.key) }));
    return { ...declaration, members, ...(declaration.caller ? { caller: declaration.caller.map(this.own) } : {}) };
  }

  /**
   * Records what `declaration.holder` holds now (replacing its earlier claims), and answers its
   * conflicts with every other declaration, as far as `isCaller` tells the calling user now.
   */
  declare(mine: Declaration, isCaller: CallerTest): Conflict[] {
    const declaration = this.shared(mine);
    this.declarations.set(declaration.holder.urn, declaration);
    this.mine.add(declaration.holder.urn);
    this.share?.publish({ declare: declaration } satisfies ClaimRecord);
    this.receive();
    return this.conflictsOf(declaration, isCaller);
  }

  /** Forgets what a resource holds: its declaration could not be read (a value unknown until apply). */
  forget(urn: string): void {
    this.declarations.delete(urn);
    this.mine.delete(urn);
    this.share?.publish({ forget: urn } satisfies ClaimRecord);
  }

  /**
   * Records the members the state of a declared authoritative roster lists in `space`, declared
   * or not: that roster decides on each of them (its preview announces the removal of those it
   * does not declare), so another roster's delete leaves them (a roster renamed or replaced: the
   * new one was created first, and listed them). An addOnly roster decides on none it does not
   * declare: it never removes them, so another roster's delete does.
   */
  listed(urn: string, space: string, members: readonly string[]): void {
    const lower = members.map((m) => m.toLowerCase());
    this.rosters.set(urn, { space, members: new Set(lower) });
    this.share?.publish({ listed: { urn, space, members: lower } } satisfies ClaimRecord);
  }

  /**
   * Records what this process now knows of the calling user of its roster `urn` (`caller`, as
   * {@link Declaration.caller}), for the deployment's other processes; answers the roster's
   * conflicts as `isCaller`, this process's test, tells them now (a caller learnt since the
   * check may reveal one).
   */
  callerLearnt(urn: string, caller: readonly string[] | undefined, isCaller: CallerTest, adminAccess = false): Conflict[] {
    this.ownCallerLearnt(caller, adminAccess);
    const own = this.declarations.get(urn);
    if (!own || !this.mine.has(urn)) return [];
    return this.conflictsOf(own, isCaller);
  }

  /**
   * Records what this process now knows of its calling principal (`caller`, as
   * {@link Declaration.caller}) in every declaration it made, and publishes each that changes:
   * one process serves one provider configuration (provider/index.ts), so its resources share
   * one caller. Called wherever the process learns it (its configuration, tokeninfo, the
   * caller's id), so the deployment's other processes keep that principal from then on,
   * whichever resource asked. Published on its own too, for every space: a process may be about
   * to delete resources it declares nowhere (`pulumi destroy`, or resources dropped from the
   * program, check none), or serve a ChatSpace alone, and its provider needs its caller in each
   * space it will touch ({@link callerHolders}), with whether its provider uses admin access
   * (`adminAccess`, {@link Declaration.adminAccess}).
   */
  ownCallerLearnt(keys: readonly string[] | undefined, adminAccess = false): void {
    this.receive();
    const caller = keys?.map(this.own);
    // What this process knows of its caller only grows, and a declaration made since carries it
    // (member-provider.ts `declare`): the same keys again change no declaration.
    if (caller === undefined || sameKeys(this.ownCaller, caller)) return;
    this.ownCaller = caller;
    this.share?.publish({ acts: caller, ...(adminAccess ? { adminAccess } : {}) } satisfies ClaimRecord);
    for (const urn of this.mine) {
      const own = this.declarations.get(urn);
      if (!own || sameKeys(own.caller, caller)) continue;
      const updated = { ...own, caller };
      this.declarations.set(urn, updated);
      this.share?.publish({ declare: updated } satisfies ClaimRecord);
    }
  }

  /**
   * Records that Google answered `key` (an email, or the app) is `member`: for `urn`, the member
   * its write met, which it holds ({@link HeldMember.member}). Answers the conflicts this reveals
   * for `urn`'s declaration.
   */
  learn(declared: string, member: string, urn?: string, isCaller: CallerTest = () => undefined): Conflict[] {
    if (!this.taught(declared, member, "answered")) return [];
    return urn ? this.holds(urn, [[declared, member]], isCaller) : [];
  }

  /**
   * Records that a state holds each key (an email, or the app) of `records` as its member, which
   * tells it without a read, but only for a while: the address may have been given to another
   * person since (an email names a person only while the account holds it). So what Google
   * answered in this deployment wins over it, and two states recording it for two members leave it
   * unknown until Google is asked: a state's record alone never makes another declaration of the
   * email name someone else. `source`: `declared` for the records of keys a declared resource
   * still declares, read at its diff (email-ids.ts {@link EmailSource}). Answers the conflicts they
   * reveal for `urn`'s declaration.
   */
  recall(
    records: readonly (readonly [string, string])[],
    urn?: string,
    isCaller: CallerTest = () => undefined,
    source: Exclude<EmailSource, "answered"> = "recorded",
  ): Conflict[] {
    for (const [declared, member] of records) this.taught(declared, member, source);
    return this.conflictsNow(urn, isCaller);
  }

  /**
   * Records that this process's resource `urn` holds, for each key of `held`, its member
   * ({@link HeldMember.member}): what its state records, where it is not made again (its diff), or
   * what its write met. One small record each for the deployment's other processes. Answers the
   * conflicts this reveals for `urn`'s declaration.
   */
  holds(urn: string, held: readonly (readonly [string, string])[], isCaller: CallerTest = () => undefined): Conflict[] {
    if (this.mine.has(urn)) {
      for (const [declared, member] of held) {
        const key = this.own(declared);
        if (member && this.pinned(urn, key, member.toLowerCase()))
          this.share?.publish({ held: { urn, key, member: member.toLowerCase() } } satisfies ClaimRecord);
      }
    }
    return this.conflictsNow(urn, isCaller);
  }

  /**
   * What this process's resource `urn` holds once its diff has run: kept, the members its state
   * records for the keys of `held` ({@link holds}); made again (`replaced`), none of them, but
   * whomever its writes meet. Either way no key stays {@link HeldMember.kept}: one it holds no
   * recorded member for (the calling user's email, whom Google names) is an email like any other
   * declaration's. Kept, `planRead` (of `held`) are the records a plan reads of it. Answers the
   * conflicts this reveals for its declaration.
   */
  diffed(
    urn: string,
    replaced: boolean,
    held: readonly (readonly [string, string])[],
    isCaller: CallerTest = () => undefined,
    planRead: readonly (readonly [string, string])[] = held,
  ): Conflict[] {
    const own = this.declarations.get(urn);
    if (own && this.mine.has(urn) && own.members.some((m) => m.kept || (replaced && m.member !== undefined))) {
      const fresh: Declaration = {
        ...own,
        members: own.members.map(({ kept: _kept, member, ...m }) => (replaced || member === undefined ? m : { ...m, member })),
      };
      this.declarations.set(urn, fresh);
      this.share?.publish({ declare: fresh } satisfies ClaimRecord);
    }
    if (replaced) return this.conflictsNow(urn, isCaller);
    // Kept by its diff: its state's records of the emails it still declares are what a plan reads of it (email-ids.ts `declared`),
    // but those `planRead` leaves out (a roster's entry of the caller its state was written as: commands/plan/claims.ts).
    for (const [declared, member] of planRead) this.taught(declared, member, "declared");
    return this.holds(urn, held, isCaller);
  }

  /** Sets the member `urn`'s declaration holds for `key`: whether that changed it. */
  private pinned(urn: string, key: string, member: string): boolean {
    const declaration = this.declarations.get(urn);
    if (!declaration?.members.some((m) => m.key === key && m.member !== member)) return false;
    this.declarations.set(urn, { ...declaration, members: declaration.members.map((m) => (m.key === key ? { ...m, member } : m)) });
    return true;
  }

  /** The conflicts of `urn`'s declaration as this process knows the deployment now. */
  private conflictsNow(urn: string | undefined, isCaller: CallerTest): Conflict[] {
    const own = urn ? this.declarations.get(urn) : undefined;
    if (!own) return [];
    this.receive();
    return this.conflictsOf(this.declarations.get(urn!) ?? own, isCaller);
  }

  /**
   * Takes in a declared key's member ({@link learn}, {@link recall}) where the key needs one: an
   * email or the app (this process's own key for it), not a `users/{id}`. Whether it did.
   */
  private taught(declared: string, member: string, source: EmailSource): boolean {
    const key = this.own(declared);
    if (!member || canonicalOf(key, {}) !== undefined) return false;
    this.learnt(key, member, source);
    return true;
  }

  /** Records an email's member as Google answered it, or as a state records it ({@link EmailSource}), for this process and the deployment's others. */
  private learnt(key: string, member: string, source: EmailSource = "answered"): void {
    if (this.emails.take(key, member, source)) {
      const told = { key, member: member.toLowerCase() };
      this.share?.publish(
        (source === "answered"
          ? { answered: told }
          : {
              recorded: { ...told, ...(source === "declared" || source === "plan" ? { declared: true } : {}), ...(source === "plan" ? { plan: true } : {}) },
            }) satisfies ClaimRecord,
      );
    }
  }

  /**
   * Takes in what the deployment's other provider processes published since the last look: a
   * resource is checked by one process (the one serving its provider), so its records replace
   * what was known of it.
   */
  private receive(): void {
    for (const record of this.share?.receive() ?? []) {
      if (!isClaimRecord(record)) continue;
      if ("declare" in record) {
        this.declarations.set(record.declare.holder.urn, record.declare);
        this.mine.delete(record.declare.holder.urn);
      } else if ("forget" in record) {
        this.declarations.delete(record.forget);
        this.mine.delete(record.forget);
      } else if ("listed" in record) this.rosters.set(record.listed.urn, { space: record.listed.space, members: new Set(record.listed.members) });
      else if ("acts" in record) this.actingAs({ keys: record.acts, adminAccess: record.adminAccess === true });
      else if ("held" in record) this.pinned(record.held.urn, record.held.key, record.held.member);
      else if ("answered" in record) this.emails.take(record.answered.key, record.answered.member, "answered");
      else if ("recorded" in record) this.emails.take(record.recorded.key, record.recorded.member, sourceOf(record.recorded));
      else this.emails.take(record.learn.key, record.learn.member, "recorded");
    }
  }

  /**
   * Records whom another process acts as: a process's keys only grow (an email, then its id), so
   * a record holding an earlier one's keys, with the same admin access, replaces it. Two
   * processes acting as one user, one with admin access and one without, stay two: she keeps her
   * owner role while any of them lacks it ({@link publishedBy}).
   */
  private actingAs(acting: ActingAs): void {
    for (const [joined, known] of this.actingElsewhere)
      if (known.adminAccess === acting.adminAccess && known.keys.every((k) => acting.keys.includes(k))) this.actingElsewhere.delete(joined);
    this.actingElsewhere.set(`${acting.adminAccess ? "admin " : ""}${acting.keys.join(" ")}`, acting);
  }

  /**
   * The conflicts of `urn`'s declaration that only Google can tell: an email it holds and a
   * `users/{id}` held in the same space (by it or another resource) may be one person. Each such
   * email is read once (`resolve`) before the declaration's first write. So is whether a
   * ChatMembership's member beside an authoritative roster of this process is its calling user,
   * where check could not tell (`caller.read`). Beside a roster of another process, the roster's
   * published caller decides ({@link Declaration.caller}), its email read for its id where a
   * `users/{id}` needs it; while that can't tell (no caller published yet), the roster's own
   * process decides, reading its caller before its write removes anyone.
   */
  async conflictsBeforeWrite(urn: string, resolve: Resolve, caller: CallerKnowledge): Promise<Conflict[]> {
    this.receive();
    const own = this.declarations.get(urn);
    if (!own) return [];
    const inSpace = this.inSpace(own.space);
    // A conflict pairs an email with a users/{id}, one of them this declaration's: with an id of its
    // own, every email of the space may be that person; else only its own emails, if an id is declared.
    const holdsIds = (d: Declaration) => d.members.some((m) => isUserIdKey(m.key));
    const asked = holdsIds(own) ? inSpace : inSpace.some(holdsIds) ? [own] : [];
    // Its own emails as Google names them now, which its write meets: a state's record may be of another person since.
    if (asked.includes(own)) for (const m of own.members) if (isEmailKey(m.key) && m.member === undefined) await this.resolved(own.space, m.key, resolve, true);
    for (const key of new Set(asked.flatMap((d) => d.members.map((m) => m.key)))) {
      if (isEmailKey(key)) await this.resolved(own.space, key, resolve);
    }
    await this.otherRostersCallersResolved(own, inSpace, resolve);
    const told = await this.callerTold(own, inSpace, caller);
    return this.conflictsOf(own, told.test, told.untold);
  }

  /**
   * The conflicts of `urn`'s declaration that depend on whether a member beside an authoritative
   * roster is the calling user, where check could not tell without a call ({@link besideAuthoritative}):
   * asked at check, since a roster registered before a ChatMembership runs its update, and its
   * removals, before that ChatMembership's first write. Beside a roster of another process, its
   * published caller's email is read for its id where a `users/{id}` needs it
   * ({@link otherRostersCallersResolved}). No call where nothing depends on it.
   */
  async callerConflicts(urn: string, caller: CallerKnowledge, resolve: Resolve): Promise<Conflict[]> {
    this.receive();
    const own = this.declarations.get(urn);
    if (!own) return [];
    const inSpace = this.inSpace(own.space);
    await this.otherRostersCallersResolved(own, inSpace, resolve);
    const told = await this.callerTold(own, inSpace, caller);
    return this.conflictsOf(own, told.test, told.untold);
  }

  /**
   * Learns the `users/{id}` of the calling user of each authoritative roster of another process
   * beside `own`, a ChatMembership, where that roster published its caller by email alone and
   * only the id tells whether a `users/{id}` `own` declares is that caller (whom the roster never
   * removes) or someone it would remove: one read of the caller's membership by its email alias
   * (v1.d.ts members.get: "you can use the user's email as an alias for {member}"), kept and
   * shared as any email's member is. A caller who is no member of the space stays untold, and a
   * `users/{id}` that may be her is refused as such ({@link otherCallerUntold}).
   */
  private async otherRostersCallersResolved(own: Declaration, inSpace: readonly Declaration[], resolve: Resolve): Promise<void> {
    if (own.holder.type !== "ChatMembership") return;
    for (const roster of inSpace) {
      if (!roster.wholeSpace || this.mine.has(roster.holder.urn)) continue;
      const email = roster.caller?.find(isEmailKey);
      const untold = own.members.some((m) => this.callerOf(roster)(m.key) === undefined && !roster.members.some((r) => this.same(r, m)));
      if (email && untold) await this.resolved(own.space, email, resolve, true);
    }
  }

  private async callerTold(own: Declaration, inSpace: readonly Declaration[], caller: CallerKnowledge): Promise<ReadCaller> {
    const untold = this.besideAuthoritative(own, inSpace).filter((key) => caller.now(key) === undefined);
    return untold.length > 0 ? caller.read(own.space, untold) : { test: caller.now };
  }

  /**
   * The ChatMemberships' member keys that `own` meets beside an authoritative roster of its
   * space that this process serves: every ChatMembership's of the space for such a roster, its
   * own for a ChatMembership beside one. Each is no conflict if it is this process's calling
   * user (the roster never removes it).
   */
  private besideAuthoritative(own: Declaration, inSpace: readonly Declaration[]): string[] {
    const memberships =
      own.holder.type === "ChatMembership"
        ? inSpace.some((d) => d.wholeSpace && this.mine.has(d.holder.urn))
          ? [own]
          : []
        : own.wholeSpace
          ? inSpace.filter((d) => d.holder.type === "ChatMembership")
          : [];
    return memberships.flatMap((d) => d.members.map((m) => m.key));
  }

  /**
   * The `users/{id}` an email key stands for in `space`, asked once: an answer is kept (a person's
   * id is the same in every space), and so is "not a member" for that space, since a member this
   * deployment adds later is learnt by its add ({@link learn}). `answered`: Google's answer only,
   * not a state's record (before a write, which meets whomever the address names now).
   */
  private async resolved(space: string, key: string, resolve: Resolve, answered = false): Promise<string | undefined> {
    if (this.emails.known[key] && (!answered || this.emails.answered(key))) return this.emails.known[key];
    if (this.absent.has(`${space} ${key}`)) return undefined;
    const member = (await resolve(space, key))?.toLowerCase();
    if (member) this.learnt(key, member);
    else this.absent.add(`${space} ${key}`);
    return member;
  }

  /**
   * The declared resources holding the membership of `member` (canonical `users/{id}` or
   * `groups/{id}`) in `space`, whose declaration that membership satisfies (`live` times: a
   * declaration of other import-mode times is a replacement's, which needs the old one gone).
   * `spellings`: the keys the membership's own resource declared it by, matched without a call;
   * an email claim not matched yet is read (`resolve`). `byRoster`: the membership is a roster's
   * to remove, and a member another declared roster of the space lists stays too ({@link listed}).
   * `recordedBy`: the keys the membership's state records it by, for a plan's reading
   * ({@link byFormerAddress}): `spellings` but where one is left out to be matched (the caller's email).
   */
  async holders(
    space: string,
    member: string,
    spellings: readonly string[],
    live: HistoricalTimes,
    resolve: Resolve,
    byRoster = false,
    recordedBy: readonly string[] = spellings,
  ): Promise<HeldBy[]> {
    this.receive();
    const found: HeldBy[] = [];
    if (byRoster) {
      for (const [urn, roster] of this.rosters) {
        if (roster.space === space && roster.members.has(member.toLowerCase())) found.push({ holder: { type: "ChatSpaceMembers", urn }, declares: false });
      }
    }
    for (const { declaration, times } of await this.naming(space, member, spellings, resolve)) {
      if (timesConflicts(live, times).length === 0) found.push({ holder: declaration.holder, declares: true });
    }
    return found.length > 0 ? found : this.byFormerAddress(space, member, recordedBy, live);
  }

  /**
   * The declared resources of `space` that declare an email which, as the declared resources'
   * states record it (email-ids.ts `recordedNames`: the membership's own resource declared it by
   * that email, `recordedBy`, and no state of a resource the program keeps records it for someone
   * else), names `member`, while this deployment found it names someone else (Google's answer to a
   * write of the declaration, or a read). A plan reads those states only (commands/plan/claims.ts):
   * it said such a declaration holds `member`, who stays. The preview is the contract: the
   * membership stays, held by no resource ({@link heldByWords}). Where a kept declaration's state
   * records the email as someone else's, the plan read that too and announced the removal.
   */
  private byFormerAddress(space: string, member: string, recordedBy: readonly string[], live: HistoricalTimes): HeldBy[] {
    const own = recordedBy.map(this.own);
    return this.inSpace(space).flatMap((declaration) => {
      const held = declaration.members.find(
        (m) =>
          isEmailKey(m.key) &&
          !sameMember(m.member ?? "", member) &&
          this.emails.recordedNames(m.key, member, own) === true &&
          timesConflicts(live, m.times).length === 0,
      );
      if (!held) return [];
      const holds = held.member ?? this.emails.known[held.key] ?? "another person";
      return [{ holder: declaration.holder, declares: true, address: { key: held.key, holds } }];
    });
  }

  /**
   * The declared resources of `space` served by another process of this deployment whose
   * provider acts as `member` (canonical `users/{id}`), as that process published its calling
   * user ({@link Declaration.caller}): a provider never removes its calling user, so no other
   * provider of the deployment does either (removed, that provider would lose sight of the space,
   * and every later write of its resources would fail). A published caller known by its email
   * alone is matched by Google's answer for that email in this deployment, else by one read of
   * that email's membership (`resolve`): never by a state's record of it, nor by the keys the
   * membership's own resource declared it by ({@link callerNames}). A Chat
   * app's membership (`memberType` BOT) is held by each resource whose provider acts as a Chat app
   * ({@link Declaration.caller} `users/app`): that process can't name its app's `users/{id}`, and
   * keeps every app of the space as its own may be any of them (members/caller.ts `CALLING_APP_STAYS`).
   * Undefined when no other provider acts as the member; no resource (`holders` empty) when one
   * does that declares no resource of `space` (a process publishes whom it acts as on its own,
   * {@link ownCallerLearnt}). Nor does one demote her below owner unless each of those providers
   * uses admin access ({@link PublishedCaller.adminAccess}): without it, that provider could no
   * longer manage the members.
   */
  async callerHolders(
    space: string,
    member: string,
    spellings: readonly string[],
    resolve: Resolve,
    memberType?: string,
  ): Promise<PublishedCaller | undefined> {
    this.receive();
    const found: ActingAs[] = [];
    for (const declaration of this.inSpace(space)) {
      if (this.mine.has(declaration.holder.urn)) continue;
      if (await this.actsAs(declaration.caller ?? [], space, member, spellings, resolve, memberType)) found.push(actingOf(declaration));
    }
    // Every process acting as her counts, declaring here or not: whether she keeps her role depends on each one's admin access.
    for (const acting of this.actingElsewhere.values()) if (await this.actsAs(acting.keys, space, member, spellings, resolve, memberType)) found.push(acting);
    return publishedBy(found);
  }

  /**
   * Whether a provider acting as `keys` (a published caller) acts as `member` of `space`, a
   * person, or (`BOT`) may be that Chat app ({@link callerHolders}): any app, unless `spellings`
   * name the app `member` is and `keys` another ({@link sameKey}).
   */
  private async actsAs(
    keys: readonly string[],
    space: string,
    member: string,
    spellings: readonly string[],
    resolve: Resolve,
    memberType?: string,
  ): Promise<boolean> {
    if (memberType === "BOT") {
      const apps = spellings.map(this.own).filter(isAppKey);
      return keys.some((key) => isAppKey(key) && (apps.length === 0 || apps.some((app) => sameKey(app, key))));
    }
    for (const key of keys.filter((k) => !isAppKey(k))) if (await this.callerNames(key, member, space, resolve)) return true;
    return false;
  }

  /**
   * Whether a published caller's key names `member` of `space`: its `users/{id}` as it is; its
   * email as Google answered it in this deployment, else as one read of its membership answers
   * (email-ids.ts `answeredMember`). Never as a state's record, which may name the address's former
   * holder (the caller, taken for someone else, would be removed), nor as the membership's own
   * resource spelt it (a former holder of the caller's address would be kept as her).
   */
  private async callerNames(key: string, member: string, space: string, resolve: Resolve): Promise<boolean> {
    return sameMember(isEmailKey(key) ? await this.resolved(space, key, resolve, true) : key, member);
  }

  /**
   * The calling users of the resources of `space` that other processes of this deployment serve,
   * by canonical `users/{id}` (lower-cased), each with those resources and whether their providers
   * use admin access ({@link callerHolders}): for a roster's plan, which keeps them, and their
   * owner role, as it keeps its own caller's. A caller published by email
   * alone is matched by Google's answer for it in this deployment, else one read of its membership (`resolve`); one
   * that is no member of the space is none to keep. A provider acting as a Chat app is found
   * under `users/app` ({@link callerHolders}: every app of the space is kept for it). Every
   * other process's calling principal is among them, with no resource where it declares none in
   * `space` ({@link ownCallerLearnt}).
   */
  async otherCallersIn(space: string, resolve: Resolve): Promise<Map<string, PublishedCaller>> {
    this.receive();
    const found = new Map<string, ActingAs[]>();
    const actingIn = async (acting: ActingAs) => {
      const add = (member: string) => found.set(member, [...(found.get(member) ?? []), acting]);
      const keys = acting.keys;
      if (keys.some(isAppKey)) add(CALLING_APP);
      const email = keys.find(isEmailKey);
      const id = keys.find(isUserIdKey) ?? (email ? await this.resolved(space, email, resolve, true) : undefined);
      if (id) add(id.toLowerCase());
    };
    for (const declaration of this.inSpace(space)) if (!this.mine.has(declaration.holder.urn)) await actingIn(actingOf(declaration));
    for (const acting of this.actingElsewhere.values()) await actingIn(acting);
    return new Map([...found].map(([member, acting]) => [member, publishedBy(acting)!]));
  }

  /**
   * The conflicts an authoritative roster's removal of `member` (canonical) meets now: its
   * declaration `roster` drops the member, and another declared resource of the deployment holds
   * it, as the claims read just before the removal tell. The other resource's check raises the
   * same conflict, but it may come while the roster's update runs: the engine hands a resource's
   * steps to its step executor and goes on with the program's next registration without waiting
   * (pulumi/pulumi pkg/resource/deploy/deployment_executor.go `handleSingleEvent`:
   * `stepExec.ExecuteSerial`), so under `pulumi up --skip-preview` a resource declared after the
   * roster is checked then. Each worded as {@link conflictsBetween} words it for the roster, and
   * as that check does, whatever import-mode times the other declares: a ChatMembership of the
   * member with times holds her as much as one without (times only tell which of two memberships
   * of one name a replacement's halves hold, {@link holders}). `spellings`: the keys the roster's
   * state declared the member by.
   */
  async removalConflicts(roster: Declaration, member: string, spellings: readonly string[], resolve: Resolve): Promise<Conflict[]> {
    this.receive();
    const others = (await this.naming(roster.space, member, spellings, resolve))
      .filter(({ declaration }) => declaration.holder.urn !== roster.holder.urn)
      .map(({ declaration }) => declaration);
    return [...new Set(others)].flatMap((other) => conflictsBetween(this.shared(roster), other, this.same));
  }

  /**
   * Whether a declared resource names the membership of `member` in `space` with import-mode
   * times other than `times`: it holds that membership only if it has its times, and a membership
   * made again with them keeps its name (`spaces/{space}/members/{member}`), so only Google can
   * tell which one is there now. Arguments as for {@link holders}.
   */
  async declaresOtherTimes(space: string, member: string, spellings: readonly string[], times: HistoricalTimes, resolve: Resolve): Promise<boolean> {
    this.receive();
    return (await this.naming(space, member, spellings, resolve)).some((held) => timesConflicts(times, held.times).length > 0);
  }

  /** The declarations of `space` that name `member`, each with the times it declares for it. */
  private async naming(
    space: string,
    member: string,
    spellings: readonly string[],
    resolve: Resolve,
  ): Promise<{ declaration: Declaration; times?: HistoricalTimes }[]> {
    const found: { declaration: Declaration; times?: HistoricalTimes }[] = [];
    const own = spellings.map(this.own);
    for (const declaration of this.inSpace(space)) {
      for (const held of declaration.members)
        if (await this.names(held.key, member, own, space, resolve, held.member)) found.push({ declaration, times: held.times });
    }
    return found;
  }

  /**
   * Whether the declared `key` names the membership of `member` in `space`: the member its
   * resource `holds` for it where known ({@link HeldMember.member}), else as its own resource's
   * `spellings` tell (email-ids.ts `EmailIds.names`), asking Google where this process can't: an
   * email whose member it has not learnt, or one two states record for two people.
   */
  private async names(key: string, member: string, spellings: readonly string[], space: string, resolve: Resolve, holds?: string): Promise<boolean> {
    return this.emails.names(key, member, spellings, holds) ?? sameMember(await this.resolved(space, key, resolve), member);
  }

  /** Whether two member keys name one member, as far as this process knows (keys that may be one, {@link sameKey}; an email and the id learnt for it). */
  private readonly same: SameMember = (a, b) => sameKey(a.key, b.key) || sameMember(this.canonical(a), this.canonical(b));

  /** The canonical member a declared member is: the one its resource holds, else (an email not {@link HeldMember.kept}) the one its key names now. */
  private canonical(held: HeldMember): string | undefined {
    return held.member ?? (held.kept && isEmailKey(held.key) ? undefined : canonicalOf(held.key, this.emails.known));
  }

  private inSpace(space: string): Declaration[] {
    return [...this.declarations.values()].filter((d) => d.space === space);
  }

  /**
   * `declaration`'s conflicts, each roster's caller told by `isCaller` (this process's) for its own
   * rosters, else by {@link callerOf}. `untold`: why this process's caller can't be told where
   * `isCaller` answers undefined, as read ({@link ReadCaller}): its own rosters then refuse a
   * member that may be her ({@link callerUntold}). So does another process's roster whose caller
   * can't be told here ({@link otherCallerUntold}); while that is not known yet, that roster's
   * own process decides before its write.
   */
  private conflictsOf(declaration: Declaration, isCaller: CallerTest, untold?: string): Conflict[] {
    const others = this.inSpace(declaration.space).filter((d) => d.holder.urn !== declaration.holder.urn);
    const rosterCaller = (roster: Declaration) => (this.mine.has(roster.holder.urn) ? isCaller : this.callerOf(roster));
    const untoldBy = (other: Declaration) => {
      const roster = declaration.holder.type === "ChatSpaceMembers" ? declaration : other;
      const why = this.mine.has(roster.holder.urn) ? untold : this.otherCallerUntold(roster, declaration);
      return why !== undefined ? callerUntold(declaration, other, this.same, rosterCaller(roster), why) : [];
    };
    return [
      ...others.flatMap((other) => [...conflictsBetween(declaration, other, this.same, rosterCaller), ...untoldBy(other)]),
      ...conflictsWithin(declaration, this.same),
    ];
  }

  /**
   * Why the calling user of `roster`, an authoritative roster another process serves, can't be
   * told from a `users/{id}` here, in words with what would tell: that process published her by
   * email alone, no id is known for that email in this deployment, and Google answered her
   * membership of the roster's space by that email 404 ({@link otherRostersCallersResolved}).
   * No read this process may make tells her id then: spaces.list lists the spaces of this
   * process's caller, not hers. Undefined where her id is known, or her membership not read here,
   * or where `own`'s process acts as her too: its own reads learn her id, and that roster's process
   * decides before its write.
   */
  private otherCallerUntold(roster: Declaration, own: Declaration): string | undefined {
    if (roster.holder.type !== "ChatSpaceMembers" || !roster.wholeSpace || this.mine.has(roster.holder.urn)) return undefined;
    const email = roster.caller?.find(isEmailKey);
    if (!email || roster.caller!.some(isUserIdKey) || this.emails.answeredMember(email) || !this.absent.has(`${roster.space} ${email}`)) return undefined;
    if (own.caller?.some((key) => sameKey(key, email))) return undefined;
    const user = email.slice("users/".length);
    return (
      `the calling user ${user} of its provider (another provider instance of this deployment) is no member of ${roster.space}, ` +
      `and that provider has told this deployment no users/{id} of hers (Google answers her membership of ${roster.space} 404 Not Found). ` +
      `If it is her, declare her by email (user: "${user}"), or add her to ${roster.space}, then preview again`
    );
  }

  /**
   * The calling user of a roster another process serves, as that process published it: its
   * email, and its id (published, or Google's answer here for that email: never a state's
   * record); unknown while not published.
   */
  private callerOf(roster: Declaration): CallerTest {
    const keys = roster.caller;
    if (keys === undefined) return callerTestOf(undefined, undefined);
    const email = keys.find(isEmailKey);
    const id = keys.find(isUserIdKey) ?? (email ? this.emails.answeredMember(email) : undefined);
    return callerTestOf(email ? email.slice("users/".length) : keys.length === 0 || keys.some(isAppKey) ? null : undefined, id);
  }
}

/** Where a shared record of an email's member comes from (email-ids.ts {@link EmailSource}). */
const sourceOf = (recorded: { readonly declared?: boolean; readonly plan?: boolean }): EmailSource =>
  recorded.plan === true ? "plan" : recorded.declared === true ? "declared" : "recorded";

/** Whether a record another process published is a claim of the shape this version reads; any other is skipped. */
export function isClaimRecord(value: unknown): value is ClaimRecord {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  const text = (v: unknown): v is string => typeof v === "string";
  const object = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
  if ("declare" in r) {
    const d = r.declare;
    return (
      object(d) &&
      object(d.holder) &&
      (d.holder.type === "ChatMembership" || d.holder.type === "ChatSpaceMembers") &&
      text(d.holder.urn) &&
      text(d.space) &&
      (d.caller === undefined || (Array.isArray(d.caller) && d.caller.every(text))) &&
      (d.adminAccess === undefined || typeof d.adminAccess === "boolean") &&
      (d.unknownEntries === undefined || (Array.isArray(d.unknownEntries) && d.unknownEntries.every(text))) &&
      Array.isArray(d.members) &&
      d.members.every(
        (m) =>
          object(m) && text(m.key) && text(m.property) && (m.member === undefined || text(m.member)) && (m.kept === undefined || typeof m.kept === "boolean"),
      )
    );
  }
  if ("forget" in r) return text(r.forget);
  if ("listed" in r) return object(r.listed) && text(r.listed.urn) && text(r.listed.space) && Array.isArray(r.listed.members) && r.listed.members.every(text);
  if ("held" in r) return object(r.held) && text(r.held.urn) && text(r.held.key) && text(r.held.member);
  for (const flag of ["declared", "plan"] as const)
    if ("recorded" in r && object(r.recorded) && r.recorded[flag] !== undefined && typeof r.recorded[flag] !== "boolean") return false;
  for (const tag of ["answered", "recorded", "learn"] as const) if (tag in r) return object(r[tag]) && text(r[tag].key) && text(r[tag].member);
  if ("acts" in r)
    return Array.isArray(r.acts) && r.acts.length > 0 && r.acts.every(text) && (r.adminAccess === undefined || typeof r.adminAccess === "boolean");
  return false;
}

/** A calling principal another process published: its keys, whether its provider uses admin access, and the resource it declares (a declaration's). */
interface ActingAs {
  readonly keys: readonly string[];
  readonly adminAccess: boolean;
  readonly holder?: Holder;
}

/** The calling principal a declaration of another process carries. */
const actingOf = (declaration: Declaration): ActingAs => ({
  keys: declaration.caller ?? [],
  adminAccess: declaration.adminAccess === true,
  holder: declaration.holder,
});

/** The calling user other processes published (`acting`), as a decision on her membership needs it; undefined for none. */
function publishedBy(acting: readonly ActingAs[]): PublishedCaller | undefined {
  if (acting.length === 0) return undefined;
  return { holders: acting.flatMap((a) => (a.holder ? [a.holder] : [])), adminAccess: acting.every((a) => a.adminAccess) };
}

/** Whether two published callers are the same keys (both unknown, or the same keys in the same order). */
const sameKeys = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((k, i) => k === b[i]));

/** Whether two member keys name one member, as far as the caller knows (equal keys; an email and the id learnt for it). */
export type SameMember = (a: HeldMember, b: HeldMember) => boolean;

/**
 * Why `mine` can't be declared beside `other`, a declaration of the same space by another
 * resource, worded for `mine`: two rosters of one space; an authoritative roster and a
 * ChatMembership of a member it does not declare (it would remove it), unless that member is the
 * roster's calling user, whom the roster never removes, or a Chat app where the roster acts as one
 * or uses admin access, which keeps every Chat app (`callerOf(roster)`: the user the
 * roster's provider acts as, whichever resource's check asks; one it can't tell yet is no
 * conflict until it can: {@link MemberClaims.conflictsBeforeWrite}); one member in both. The one
 * rule the provider's claims and the SDK's program-wide check apply.
 */
export function conflictsBetween(
  mine: Declaration,
  other: Declaration,
  same: SameMember = (a, b) => a.key === b.key,
  callerOf: (roster: Declaration) => CallerTest = () => () => false,
): Conflict[] {
  const isRoster = mine.holder.type === "ChatSpaceMembers";
  const otherIsRoster = other.holder.type === "ChatSpaceMembers";
  if (isRoster && otherIsRoster) {
    return [
      {
        property: "space",
        reason:
          `${mine.space} is also the space of ${holderName(other.holder)}: two rosters of one space would undo each other. ` +
          "Declare one ChatSpaceMembers per space.",
      },
    ];
  }
  if (isRoster !== otherIsRoster) {
    const [roster, membership] = isRoster ? [mine, other] : [other, mine];
    const isCaller = callerOf(roster);
    // A roster acting as a Chat app, or with admin access, removes no Chat app (space-members/plan.ts: Google lets no app remove
    // another's, and admin access neither lists nor deletes app memberships, v1.d.ts members.list and members.delete `useAdminAccess`).
    const keepsApps = roster.caller?.some(isAppKey) === true || roster.adminAccess === true;
    const kept = (key: string) => isCaller(key) !== false || (keepsApps && isAppKey(key));
    const removed = membership.members.filter((m) => !roster.members.some((r) => same(r, m)) && !kept(m.key));
    if (roster.wholeSpace && removed.length > 0 && removed.length === membership.members.length) {
      const keys = membership.members.map((m) => m.key).join(", ");
      const fix = 'Move the member into the roster (and remove the ChatMembership: the member stays), or set mode: "addOnly" on the roster.';
      return [
        isRoster
          ? {
              property: "mode",
              reason:
                `authoritative (the default) would remove ${keys}, which ${holderName(membership.holder)} declares in ${mine.space}` +
                `${unknownEntriesNote(roster)}. ${fix}`,
            }
          : {
              property: membership.members[0]?.property ?? "space",
              reason:
                `${keys} would be removed by ${holderName(roster.holder)}, an authoritative roster of ${mine.space}` +
                `${wholeListUnknown(roster) ? "" : ` that does not declare it${roster.unknownEntries?.length ? " in its known entries" : ""}`}` +
                `${unknownEntriesNote(roster)}. ${fix}`,
            },
      ];
    }
  }
  return mine.members.flatMap((held) => {
    const theirs = other.members.find((m) => same(m, held));
    if (!theirs) return [];
    return [
      {
        property: held.property,
        reason:
          `${spelled(held.key, theirs.key)} is also declared by ${holderName(other.holder)} in ${mine.space}: a member is declared once, ` +
          "or the two would undo each other. " +
          "Remove one of the two declarations: the member stays in the space, held by the other.",
      },
    ];
  });
}

/**
 * Why `mine` can't be declared beside `other`, where one is an authoritative roster of this
 * process and the other a ChatMembership whose member the roster does not declare and
 * `isCaller` can't tell from the roster's calling user (undefined: her `users/{id}` can't be
 * learnt, `untold` says why and what would tell). The roster never removes its caller, and would
 * remove anyone else: check can't tell which, and says so, rather than name a conflict that may
 * not be one ({@link conflictsBetween} counts only a member told not to be the caller).
 */
function callerUntold(mine: Declaration, other: Declaration, same: SameMember, isCaller: CallerTest, untold: string): Conflict[] {
  const isRoster = mine.holder.type === "ChatSpaceMembers";
  if (isRoster === (other.holder.type === "ChatSpaceMembers")) return [];
  const [roster, membership] = isRoster ? [mine, other] : [other, mine];
  const undeclared = membership.members.filter((m) => !roster.members.some((r) => same(r, m)));
  const untoldKeys = undeclared.filter((m) => isCaller(m.key) === undefined).map((m) => m.key);
  if (!roster.wholeSpace || untoldKeys.length === 0) return [];
  // A member the roster declares, or one told to be its caller, stays: then the roster removes none of the ChatMembership's.
  if (undeclared.length < membership.members.length || undeclared.some((m) => isCaller(m.key))) return [];
  const keys = untoldKeys.join(", ");
  const fix = 'If it is someone else, move the member into the roster, or set mode: "addOnly" on the roster.';
  return [
    isRoster
      ? {
          property: "mode",
          reason:
            `can't tell whether ${keys}, which ${holderName(membership.holder)} declares in ${mine.space}, ` +
            `is the roster's calling user, whom it never removes, or a member that authoritative (the default) would remove: ${untold}. ${fix}`,
        }
      : {
          property: membership.members[0]?.property ?? "space",
          reason:
            `can't tell whether ${keys} is the calling user of ${holderName(roster.holder)}, ` +
            `an authoritative roster of ${mine.space} that does not declare it, whom it never removes, or a member it would remove: ${untold}. ${fix}`,
        },
  ];
}

/** Why a roster's entries unknown until apply don't lift the conflict of a member it would remove: were one of them that member, it is declared twice. */
function unknownEntriesNote(roster: Declaration): string {
  const unknown = roster.unknownEntries ?? [];
  if (unknown.length === 0) return "";
  if (wholeListUnknown(roster)) return ", unless the roster's members, unknown until apply, include it (then it is declared twice)";
  const one = unknown.length === 1;
  return ` (${unknown.join(", ")} ${one ? "is" : "are"} unknown until apply: if ${one ? "it is" : "one of them is"} that member, it is declared twice)`;
}

/** Whether a roster's whole list of members is unknown until apply (at preview). */
const wholeListUnknown = (roster: Declaration): boolean => roster.unknownEntries?.includes(WHOLE_LIST) === true;

/** One person twice in one declaration by two spellings (an email and an id): known once Google named the email's id. */
function conflictsWithin(declaration: Declaration, same: SameMember): Conflict[] {
  return declaration.members.flatMap((held, i) => {
    const first = declaration.members.findIndex((m, j) => j < i && same(m, held));
    if (first < 0 || declaration.members[first].key === held.key) return [];
    return [
      {
        property: held.property,
        reason:
          `${spelled(held.key, declaration.members[first].key)} is already declared as ${declaration.members[first].property}: ` +
          "declare each member once, with one role; remove one of the two entries.",
      },
    ];
  });
}

/** `a`, and `b` when that is another spelling of the same member. */
function spelled(a: string, b: string): string {
  return a === b ? a : `${a} (${b})`;
}
