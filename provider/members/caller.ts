/**
 * The calling user, as membership decisions need it: a roster or a ChatMembership never removes
 * the user the provider acts as, and never demotes it below owner without admin access (demoted,
 * it could no longer manage the members: every later write, and the delete, would fail 403).
 *
 * Who the caller is comes from the configuration (core/configured-provider.ts `callerUser`: the
 * impersonated user, or the user whose own credentials these are). Which member of a space that
 * is: Google answers the caller's membership by its email alias (v1.d.ts members.get: "you can
 * use the user's email as an alias for {member}"), and that `users/{id}` is the user's, not the
 * space's (the People API id), so once one space answered it, every other space's listing shows
 * the caller by it: absent there, it is not a member. It is learnt once per process
 * ({@link CallerIds}) instead of once per resource.
 *
 * When the caller is not a member of the space asked (404: the usual answer for a Workspace
 * administrator with admin access, who belongs to few of the organisation's spaces), the id is
 * learnt from a space the caller is in: `spaces.list` "lists spaces the caller is a member of"
 * (v1.d.ts), one page of one, then that space's members.get, once per process. If that can't
 * tell (a caller in no space, or a refusal), nothing is learnt and each space is asked on its
 * own: the caller may be added to a space during the deployment, so "in no space" is never
 * remembered.
 */
import type { chat_v1 } from "@googleapis/chat";
import { ChatApiError, isNotFound } from "../core/errors";
import { emailKeyOf, isEmailKey, isUserIdKey, sameMember } from "./member-ref";
import { entryOf, type MemberEntry } from "./memberships";
import { demotes, MANAGER, rankOf } from "./roles";

/**
 * Whether a declared member's key (member-ref.ts `memberKeyOf`) is the calling user: true,
 * false, or undefined when that can't be told yet without a read (the credentials' owner not
 * learnt yet, or a `users/{id}` while the caller's id is not known).
 */
export type CallerTest = (key: string) => boolean | undefined;

/**
 * The test of {@link CallerTest} from what is known of the caller: `user`, its email (null: no
 * user calls, the Chat app does; undefined: not known yet), and `id`, its `users/{id}` once
 * learnt. Only a person can be the calling user: a group or the app never is.
 */
export function callerTestOf(user: string | null | undefined, id: string | undefined): CallerTest {
  return (key) => {
    if (!isEmailKey(key) && !isUserIdKey(key)) return false;
    if (user === null) return false;
    if (user === undefined) return undefined;
    if (isEmailKey(key)) return key.toLowerCase() === emailKeyOf(user);
    return id ? sameMember(key, id) : undefined;
  };
}

/** The reads the caller's id is learnt with. */
export interface CallerReads {
  /** The caller's membership of `space`, by its email alias; rejects 404 when it has none. */
  readonly own: (space: string) => Promise<chat_v1.Schema$Membership>;
  /** A space the caller is a member of (spaces.list, one page of one), or undefined when none is listed. */
  readonly anySpace: () => Promise<string | undefined>;
  /**
   * Says why the id could not be learnt beyond `space`, where the caller is not a member: `error`,
   * what spaces.list threw, or (`listed`) what the read of her membership of the space it listed
   * threw. Each resource then costs one more read.
   */
  readonly refused: (error: unknown, space: string, listed?: string) => void;
}

/**
 * Whether changing a calling user's role from `from` to `to` is refused: a caller who manages the
 * members (an owner, or a manager: ROLE_ASSISTANT_MANAGER, who manages them as the space's
 * permission settings allow, roles.ts) is never demoted without admin access (with it, the
 * administrator still manages the space). The one rule for this provider's caller (`adminAccess`:
 * its own) and for another provider instance's ({@link OtherCaller}: `adminAccess` that
 * instance's), whichever resource would demote her.
 */
export const keepsCallersRole = (from: string | undefined, to: string | undefined, adminAccess: boolean): boolean =>
  !adminAccess && rankOf(from) >= rankOf(MANAGER) && to !== undefined && demotes(from, to);

/**
 * The calling principal of another provider instance of this deployment, as a decision on its
 * membership needs it (members/claims.ts `Declaration.caller`): kept in the space as the own
 * caller is, and in its role (an owner's or a manager's) unless every instance acting as it uses admin access.
 */
export interface OtherCaller {
  /** Why it stays in the space: said where its removal is not made. */
  readonly stays: string;
  /** Why it keeps its role (an owner's, or a manager's): said where its demotion is not made. */
  readonly keepsRole: string;
  /** Whether every provider instance acting as it uses googlechat:useAdminAccess: then it may be demoted ({@link keepsCallersRole}). */
  readonly adminAccess: boolean;
}

/** The calling user a resource's state records it was last applied as: her email, and her member (`users/{id}`). */
export interface RecordedCaller {
  readonly user: string;
  readonly member: string;
}

/**
 * The calling user a resource's state `recorded` was written as, where the provider now acts as
 * another principal, `acting` (the resource moved to another provider instance, or
 * googlechat:impersonateUser or the authentication changed: a user, or the Chat app), by
 * canonical `users/{id}` (lower-cased) as other callers are held ({@link OtherCaller}): a plan
 * keeps her, and her role, for the up that makes the change. The provider instance acting
 * as her may still need the space in this deployment, and the resource can't know yet: one left
 * with only deletes (of resources the program dropped) is configured after the resource's update
 * (pulumi/pulumi pkg/resource/deploy/step_generator.go `GenerateDeletes`: `EnsureProvider`), too
 * late to publish its caller, and its delete would meet a space it no longer sees. The state then
 * records the new caller (or none), so the next preview announces her removal or demotion.
 * So too where the calling user is the same but Google names another member by her email now
 * (`confirmed`: an account renamed, its address given to another). `resource`: what the words
 * call the resource.
 */
export function formerCallerOf(
  recorded: RecordedCaller | undefined,
  acting: { readonly user?: string; readonly app?: boolean },
  resource: "roster" | "ChatMembership",
  confirmed?: RecordedCaller,
): ReadonlyMap<string, OtherCaller> {
  // A user who can't be named yet is no other principal: the plan stops before it removes people.
  const another = acting.app === true || (acting.user !== undefined && recorded?.user !== acting.user);
  const readdressed = !another && confirmed !== undefined && confirmed.member.toLowerCase() !== recorded?.member.toLowerCase();
  if (!recorded?.member || !(another || readdressed)) return new Map();
  const was = readdressed
    ? `it is the member the ${resource}'s state records as the calling user ${recorded.user}, ` +
      `an address Google now gives ${confirmed.member || "no member of the space"}`
    : `it is ${recorded.user}, the calling user this ${resource} was last applied as`;
  // A preview that could not ask Google may have planned from the record: no removal or demotion it did not announce.
  const mayNeed = readdressed
    ? "a preview may have planned from that record"
    : "the provider instance acting as it may still need the space in this deployment (a resource of it deleted after this update)";
  return new Map([
    [
      recorded.member.toLowerCase(),
      {
        stays: `${was}, and ${mayNeed}: it stays for this up, and the next preview announces its removal`,
        keepsRole: `${was}, and ${mayNeed}: it keeps its role for this up, and the next preview announces the change`,
        // Whether that instance used admin access is not recorded: her role is kept.
        adminAccess: false,
      },
    ],
  ]);
}

/** Why the calling user's membership is not removed: said where a removal is not made. */
export const CALLER_STAYS = "it is the calling user, whom this provider never removes (it would lose sight of the space and of every later change)";

/**
 * Why a Chat app's membership is not removed with app authentication: the calling app is the
 * caller, and Google lets a Chat app delete "human users' or their own memberships", never another
 * app's (v1.d.ts members.delete), so any app a roster would remove may be its own. Said where a
 * removal is not made, and in the preview.
 */
export const CALLING_APP_STAYS =
  "it is a Chat app, and the provider acts as the calling Chat app (app authentication), " +
  "which never removes its own membership (it would lose sight of the space) and can't remove another app's";

/** Why an authoritative roster with admin access keeps a Chat app it does not declare (v1.d.ts members.delete `useAdminAccess`). */
export const ADMIN_ACCESS_KEEPS_APPS =
  "it is a Chat app, and the provider uses admin access (googlechat:useAdminAccess), which Google lets neither list nor remove an app's membership";

/**
 * Why a Google Group's membership stays with app authentication: "App authentication is not
 * supported for ... Removing a Google Group from a space" (v1.d.ts members.delete), nor for adding
 * one (members.create), so no declaration made as the app could keep it either. Said where a
 * removal is not made, and in the preview.
 */
export const APP_AUTH_KEEPS_GROUPS =
  "it is a Google Group, and the provider acts as a Chat app (app authentication), which Google lets neither add nor remove a group: " +
  "remove it in Chat, or as a user (googlechat:impersonateUser)";

/** Whether a membership of `memberType` is a Google Group's that Google lets no Chat app remove, acting as one (`app`): {@link APP_AUTH_KEEPS_GROUPS}. */
export const groupBeyondApp = (memberType: string, app: boolean): boolean => app && memberType === "GROUP";

/**
 * Why a roster keeps a listed membership whose member Google's answer does not name: a Google
 * Group's, which Google may show a Chat app without its group ("Reading or mutating memberships for
 * Google Groups requires user authentication", v1.d.ts Schema$Membership.groupMember). No
 * declaration can name it, so none could keep it either. Said in the preview.
 */
export const UNNAMED_MEMBERSHIP_KEPT =
  "Google's listing does not say whose membership it is (a Google Group's, shown to a Chat app without its group), so no declaration can name it";

/** Why the calling user keeps its role (an owner's, or a manager's): said where a demotion is not made. */
export const CALLER_KEEPS_ROLE =
  "it is the calling user, which is never demoted without googlechat:useAdminAccess (it could no longer manage the members: " +
  "every later change would fail)";

/** Each calling user's `users/{id}`, by endpoint and email, as learnt in this process. */
export class CallerIds {
  private readonly ids = new Map<string, string>();
  /** The read under way that may learn an id: later resources wait for it instead of reading too. */
  private readonly learning = new Map<string, Promise<void>>();
  /** The caller's membership as Google answered it, by caller and space: a plan that must count her reads it once. */
  private readonly answers = new Map<string, MemberEntry>();
  /** Callers whose id was looked for beyond the spaces asked (spaces.list): done once per process. */
  private readonly searched = new Set<string>();
  /** Why that look told nothing, for callers where one of its reads failed: which one, and Google's answer ({@link lookFailed}). */
  private readonly searchFailed = new Map<string, string>();

  /** The caller's `users/{id}`, when this process knows it. */
  known(endpoint: string, user: string): string | undefined {
    return this.ids.get(keyOf(endpoint, user));
  }

  /** The caller's membership of `space` as this process read it by her email, if it did and she is a member. */
  answered(endpoint: string, user: string, space: string): MemberEntry | undefined {
    return this.answers.get(`${keyOf(endpoint, user)} ${space}`);
  }

  /** Records the caller's `users/{id}` as Google answered it elsewhere (an add of the caller). */
  learn(endpoint: string, user: string, member: string): void {
    if (member) this.ids.set(keyOf(endpoint, user), member);
  }

  /**
   * The caller's canonical member in `space`, or "" when it is not a member: found in `listed`
   * (the space's roster as just listed) once the id is known, else read.
   */
  async memberIn(endpoint: string, user: string, space: string, listed: readonly MemberEntry[], reads: CallerReads): Promise<string> {
    const key = keyOf(endpoint, user);
    const known = await this.settled(key);
    if (known) return listed.find((m) => m.member.toLowerCase() === known.toLowerCase())?.member ?? "";
    return this.learnFrom(key, space, reads);
  }

  /**
   * The caller's `users/{id}`: known, or learnt from its membership of `space` (or of another
   * space it is in); "" when no space asked tells (the caller is a member of none).
   */
  async idOf(endpoint: string, user: string, space: string, reads: CallerReads): Promise<string> {
    const key = keyOf(endpoint, user);
    const known = await this.settled(key);
    if (known) return known;
    await this.learnFrom(key, space, reads);
    return this.ids.get(key) ?? "";
  }

  /**
   * Why the caller's `users/{id}` is not known after {@link idOf} answered "" for `space`, in
   * words: she is no member of it, and no space these credentials can list told it.
   */
  whyUnknown(endpoint: string, user: string, space: string): string {
    const elsewhere = this.searchFailed.get(keyOf(endpoint, user)) ?? "spaces.list lists no space she is in";
    return (
      `the calling user ${user} is no member of ${space}, and no space these credentials can list tells her users/{id} ` +
      `(Google answers her membership of ${space} 404 Not Found, and ${elsewhere})`
    );
  }

  /**
   * The id once any read under way has settled: concurrent resources wait for it instead of each
   * making its own (the first registers its read before it yields).
   */
  private async settled(key: string): Promise<string | undefined> {
    const pending = this.learning.get(key);
    if (pending) await pending;
    return this.ids.get(key);
  }

  /** Reads the caller's member in `space` (answered: "" when not a member), learning its id; registered so that others wait for it. */
  private learnFrom(key: string, space: string, reads: CallerReads): Promise<string> {
    const read = this.read(key, space, reads);
    this.learning.set(
      key,
      read.then(
        () => undefined,
        () => undefined,
      ),
    );
    return read;
  }

  /** The caller's member in `space` by its email alias; on 404, the id learnt elsewhere, once. */
  private async read(key: string, space: string, reads: CallerReads): Promise<string> {
    try {
      const entry = entryOf(await reads.own(space));
      if (entry.member) {
        this.ids.set(key, entry.member);
        this.answers.set(`${key} ${space}`, entry);
      }
      return entry.member;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (!this.searched.has(key)) {
      this.searched.add(key);
      // Only a saving: without the id, each space is asked for the caller's membership.
      let other: string | undefined;
      try {
        other = await reads.anySpace();
        const member = other ? entryOf(await reads.own(other)).member : "";
        if (member) this.ids.set(key, member);
      } catch (error) {
        this.searchFailed.set(key, lookFailed(error, other));
        reads.refused(error, space, other);
      }
    }
    return "";
  }
}

/**
 * Whether the look for a space the caller is in failed where the scope of spaces.list,
 * chat.spaces.readonly (v1.d.ts spaces.list), would have let it answer: spaces.list (no space
 * `listed`) refused (403). Any other failure is not the scope's, and its advice would mislead.
 */
export const wantsListScope = (error: unknown, listed?: string): boolean => listed === undefined && error instanceof ChatApiError && error.httpStatus === 403;

/**
 * Why the look for a space the caller is in told nothing, in words: spaces.list failed, or (`listed`)
 * it listed a space she is in and reading her membership there failed; each with Google's answer.
 */
export function lookFailed(error: unknown, listed?: string): string {
  const answer = error instanceof Error ? error.message : String(error);
  if (listed !== undefined) return `spaces.list lists ${listed}, a space she is in, but reading her membership of it failed (${answer})`;
  return `the look for a space she is in failed (${answer})${wantsListScope(error) ? ": authorise chat.spaces.readonly for these credentials" : ""}`;
}

function keyOf(endpoint: string, user: string): string {
  return `${endpoint} ${user.toLowerCase()}`;
}
