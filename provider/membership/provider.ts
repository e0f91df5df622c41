/**
 * The ChatMembership resource provider: what Pulumi's engine calls for each membership.
 *
 * - check: every declared value validated before anything reaches Google (check.ts), and the
 *   member claimed for this deployment (members/claims.ts): a member declared twice fails here.
 * - diff: replace or update in place (the role), by the identity rules of identity.ts (diff.ts).
 *   Where the declared role demotes an owner, whether she is the calling user of another provider
 *   instance (members/claims.ts): a caller that instance published by email alone, and not the
 *   member's declared key, is read once (her membership by that email).
 * - create: `members.create`, then `members.patch` (mask `role`) when the declared role is not
 *   what the member got: Google takes the role only on update. There is no requestId for
 *   memberships: ALREADY_EXISTS is the idempotency key. The existing membership of the same
 *   member is this resource's; it is read and promoted to the declared role, so a crashed run
 *   repeated never fails and never duplicates. A higher role it has is kept: the preview
 *   announced a create, not a demotion; the state records that role, and the next preview
 *   announces the change. One with other import-mode times, which Google sets only on a new
 *   membership, is removed and the member added again with the declared ones only by the
 *   replacement of that very membership its diff planned, and unless the caller or another
 *   declared resource keeps it; any other create fails, removing nobody;
 *   a role above the declared one it had is given back. So is the role the delete of this
 *   resource's delete-first replacement read (delete-first.ts), in this process or, for a resource
 *   moved to another provider instance, in the old instance's.
 *   A membership created whose role could not be set is reported as a partial failure, so
 *   Pulumi keeps it.
 * - read: one `members.get`. A 404 is "gone" only where it can be told (members/member-provider.ts
 *   `meaningOf404`): the same credentials still see the space, or, with admin access, which
 *   reaches the administrator's own organisation only, the space read with it answers (one read)
 *   or neither it nor the calling user sees the space (two); or it is the calling principal's own
 *   membership, asked as her (no read: she sees the space only as a member). Otherwise the membership stays in
 *   the stack (see {@link notVisible}, {@link beyondAdminAccess}).
 * - read and then diff or update in one deployment (`pulumi up --refresh`, whose update refreshes
 *   again after its preview did; the read in another provider instance's process for a resource
 *   moved to this one): a role the read found changed in Chat since the state is not lowered
 *   (members/refresh-findings.ts); the next preview announces the change.
 * - update: the role, one PATCH. To a role below owner, Google's owners are listed first (one
 *   call): the state's role may be out of date, and an owner made in Chat since the last refresh
 *   keeps her role until the next preview announces the demotion. The calling user of another
 *   provider instance of the deployment, declaring a resource in the space or not (members/claims.ts),
 *   keeps her role (an owner's or a manager's) without that instance's admin access, as this provider's caller does.
 * - delete: one `members.delete`, with the same 404 rule, unless the member stays: the calling
 *   user, or a member another declared resource holds (a member moved to a roster, a renamed
 *   resource), with the import-mode times it declares: read again (one GET) where a declaration
 *   names the member with other times than the state's, as a membership made again keeps its name,
 *   and always by the delete of a delete-first replacement, whose create gives back the role read.
 *   A space is never left without an owner: removing a person, or demoting an owner,
 *   first lists the space's joined owners, which tell who is one now.
 */
import type { chat_v1 } from "@googleapis/chat";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { Target } from "../core/chat-api";
import { checkResult, type NotVisibleWords, notVisible, type ProviderDeps, type ProviderDiff, refuseFailures } from "../core/configured-provider";
import { known, UNKNOWN } from "../core/engine-values";
import { ChatApiError, isNotFound, PartialFailure } from "../core/errors";
import { badImportId, isMembershipName } from "../core/resource-names";
import { resourceNameOfUrn } from "../core/urn";
import { CALLER_KEEPS_ROLE, CALLER_STAYS, formerCallerOf, keepsCallersRole } from "../members/caller";
import type { Declaration } from "../members/claims";
import { MemberResourceProvider, type MembershipOf404, type NotFoundFor, type NotFoundMeaning } from "../members/member-provider";
import { isUserIdKey, knownMemberKeyOf, type MemberRef, memberKeyOf, memberRefOf } from "../members/member-ref";
import {
  completeMembership,
  createBody,
  entryOf,
  existingMembership,
  sameMembership,
  spaceOfMembership,
  timesConflicts,
  timesOf,
} from "../members/memberships";
import { besidesOwnersGoing, JoinedOwners } from "../members/owners";
import { ROLE_CHANGED_SINCE } from "../members/refresh-findings";
import { DEFERRED_DEMOTION, type Demotions, demotes, OWNER, wantedRole } from "../members/roles";
import { checkMembership } from "./check";
import { type DeleteFirstReplacements, deleteFirstOf, type PlannedReplacement } from "./delete-first";
import { diffMembership } from "./diff";
import { declaredMembershipOf, type MembershipSdkInputs, memberProperty, membershipResourceName } from "./inputs";
import { keptRoleLine, roleLine } from "./role-lines";
import { entryOfState, membershipOutputs, withMembershipDeclaration } from "./state";
import type { ChatMembershipInputs, ChatMembershipOutputs } from "./types";

/** How a membership's 404 reads when it can't be told apart from "not visible to these credentials". */
const NOT_VISIBLE: NotVisibleWords = {
  noun: "membership",
  gone: "removed",
  lost:
    "the membership was removed, or these credentials can no longer see the space (the caller was removed from it, " +
    "or googlechat:impersonateUser names another user)",
  again: "adds the member again",
};

/** Why admin access can't tell the calling Chat app's membership gone (v1.d.ts members.get and members.delete `useAdminAccess`). */
const APP_OUT_OF_ADMIN_REACH = "admin access doesn't reach Chat apps' memberships, which Google reads and removes only as the user";

/** Whether the state's membership is a Chat app's: the calling app's, the only one a ChatMembership declares. */
const isAppMembership = (props: ChatMembershipOutputs | undefined): boolean => props?.memberType === "BOT" || props?.__declared?.chatApp === true;

/**
 * The membership `props` as a 404 for it is judged by (members/member-provider.ts `meaningOf404`):
 * its member's keys, canonical and as declared, and the calling user the state records it to be.
 */
const membershipOf404 = (props: ChatMembershipOutputs): MembershipOf404 => ({
  keys: [props.member, memberKeyOf(props.__declared ?? {})].filter((key): key is string => key !== undefined),
  callingApp: props.__declared?.chatApp === true,
  ...(props.__caller ? { recordedCaller: props.__caller } : {}),
});

/** What a failed confirmation of a refresh's 404 means. */
const REFRESH_STOPPED = "this refresh stopped: the stack keeps the membership as it was";

/** What a failed confirmation of a role change's 404 means. */
const ROLE_NOT_CHANGED = "its role was not changed: it stays in the stack as it was";

/** A 404 met by the membership `props` itself, whose confirmation failing means `consequence` (members/member-provider.ts `meaningOf404`). */
const of404 = (props: ChatMembershipOutputs, consequence: string): NotFoundFor => ({
  answered: `the membership of ${props.member}`,
  consequence,
  whose: membershipOf404(props),
});

/** Why admin access can't tell this membership gone, where it can't. */
const outOfAdminReach = (props: ChatMembershipOutputs | undefined) => (isAppMembership(props) ? APP_OUT_OF_ADMIN_REACH : undefined);

export class ChatMembershipProvider extends MemberResourceProvider implements dynamic.ResourceProvider<MembershipSdkInputs, ChatMembershipOutputs> {
  /** The delete-first replacements of this deployment, from diff to delete to create (delete-first.ts). */
  private readonly deleteFirst: DeleteFirstReplacements;
  /**
   * The replacements this process's diffs planned, by URN: the old membership's name
   * (`spaces/{space}/members/{member}`). A create of one that meets that very membership is the
   * new half of the replacement its preview announced, and only such a create removes the
   * membership it meets to make it again ({@link recreated}); one that meets another member's, or
   * the member's in another space, announced an add there. The engine asks no diff of a
   * `--replace` target, of a tainted resource, nor of one replaced with another (`replaceWith`)
   * (pulumi/pulumi pkg/resource/deploy/step_generator.go `diff`): their creates can't be told
   * from a new resource's.
   */
  private readonly replacing = new Map<string, string>();

  constructor(deps: ProviderDeps) {
    super(deps, "ChatMembership");
    this.deleteFirst = deleteFirstOf(deps);
  }

  private failures(inputs: ChatMembershipInputs) {
    return checkMembership(inputs, this.checkContext);
  }

  async check(olds: MembershipSdkInputs, news: MembershipSdkInputs): Promise<dynamic.CheckResult<MembershipSdkInputs>> {
    const failures = this.failures(news);
    const target: Target = { label: membershipResourceName(news) ?? "(unnamed)", urn: news.__urn, resource: "ChatMembership" };
    const conflicts = this.declare(declarationOf(news, olds), news.__urn);
    const told = failures.length + conflicts.length > 0 ? [] : await this.callerConflictsAtCheck(news.__urn, target);
    return checkResult(news, [...failures, ...conflicts, ...told]);
  }

  async diff(id: string, olds: ChatMembershipOutputs, news: MembershipSdkInputs): Promise<ProviderDiff> {
    const target: Target = { label: membershipResourceName(news) ?? id, urn: news.__urn, resource: "ChatMembership" };
    const declared = declaredMembershipOf(news);
    try {
      // What the state knows of the email it still declares: a second declaration of the same person
      // by id conflicts now. An email no longer declared may name another person since (an address
      // given to another): Google tells whom when a resource declares it.
      const key = memberKeyOf(olds.__declared ?? {});
      const recorded = key && olds.member && key === memberKeyOf(declared) ? ([[key, olds.member]] as const) : [];
      this.recallMembers(recorded, news.__urn);
      const adminAccess = this.settings?.useAdminAccess === true;
      const { changes, replaces, deleteBeforeReplace, keptRole, keptRoleWhy, deferredRole, roleChange, detailedDiff } = diffMembership(olds, declared, {
        isCaller: await this.isCallersOwn(olds, declared, target),
        adminAccess,
        roleChangedSince: this.findings.of(olds.space).roleChanged(olds.member),
        anotherCallerKeepsRole: await this.anotherCallerRoleOf(olds, declared),
        formerCallerKeepsRole: await this.formerCallerRoleOf(olds, declared, olds.role, target),
      });
      // The caller as now known tells the deployment's other processes whom this provider never removes.
      this.publishCaller(news.__urn);
      if (keptRole && keptRoleWhy) this.deps.log(keptRoleLine(target.label, olds.member, olds.role, keptRole, keptRoleWhy), target.urn);
      if (deferredRole) this.deps.log(keptRoleLine(target.label, olds.member, olds.role, deferredRole, ROLE_CHANGED_SINCE), target.urn);
      if (roleChange) this.deps.log(roleLine(target.label, olds.member, roleChange.from, roleChange.to, roleChange.sameAtUp), target.urn);
      this.deleteFirst.diffed(id, deleteBeforeReplace && replaces.length > 0 && news.__urn ? { urn: news.__urn, declared } : undefined);
      if (replaces.length > 0 && news.__urn && olds.name) this.replacing.set(news.__urn, olds.name);
      // Kept, it holds the membership its state records; made again, whomever its create meets.
      this.heldAfterDiff(news.__urn, replaces.length > 0, recorded);
      return { changes, replaces, deleteBeforeReplace, detailedDiff };
    } catch (error) {
      throw this.failure(target, error);
    }
  }

  async create(inputs: MembershipSdkInputs): Promise<dynamic.CreateResult<ChatMembershipOutputs>> {
    const declared = declaredMembershipOf(inputs);
    const target: Target = { label: membershipResourceName(inputs) ?? "(unnamed)", urn: inputs.__urn, resource: "ChatMembership" };
    let membership: chat_v1.Schema$Membership;
    let demotions: Demotions = "now";
    // The role the member had when this resource's delete-first replacement removed her (delete-first.ts).
    const carried = this.deleteFirst.creating(inputs.__urn);
    try {
      refuseFailures(this.failures(declared));
      await this.refuseConflictsBeforeWrite(inputs.__urn, target, true);
      // Who the caller is (tokeninfo, asked once per process: usually by check already), published for the deployment's other processes.
      await this.callerUserOrUnknown(target);
      this.publishCaller(inputs.__urn);
      const ref = memberRefOf(declared)!;
      const space = declared.space!;
      try {
        membership = await this.api.createMember(space, createBody(ref, declared), { importMode: historical(declared), target, appMember: ref.kind === "app" });
        membership = await completeMembership(this.api, membership, target);
      } catch (error) {
        if (!(error instanceof ChatApiError && error.googleStatus === "ALREADY_EXISTS")) throw error;
        const found = await existingMembership(this.api, space, ref, this.settings?.useAdminAccess === true, target);
        const conflicts = timesConflicts(timesOf(found), declared);
        if (conflicts.length > 0) {
          const replaced = sameMembership(this.replacing.get(inputs.__urn ?? ""), found.name ?? undefined);
          membership = await this.recreated(found, ref, declared, conflicts, replaced, target);
          demotions = "deferred";
        } else {
          this.deps.log(`ChatMembership ${target.label}: ${ref.name} is already a member of ${space}; this resource takes that membership over`, target.urn);
          membership = found;
          // Its role was not in the preview, which announced a create: a demotion waits for the
          // preview that shows it. Google's membership does not say who made it, so one this
          // resource made in an earlier run (its answer or state write lost, then declared higher)
          // can't be told from one made in Chat; deferring it too costs one more preview, and
          // changes nobody unannounced.
          demotions = "deferred";
        }
      }
      // Made by this create, or met there (its own answer lost, its retry answered ALREADY_EXISTS).
      if (carried && carried.name === membership.name) {
        membership = await this.withRoleBack(membership, carried.role, declared, target);
        demotions = "deferred";
      }
    } catch (error) {
      throw this.failure(target, error);
    }
    const outs = membershipOutputs(membership, declared);
    try {
      this.learnMember(memberKeyOf(declared)!, outs.member, inputs.__urn);
      return { id: outs.name, outs: await this.toRole(outs, declared, target, demotions, "google") };
    } catch (error) {
      // Created, but not at its role: the state keeps it, and the next diff plans the role again.
      const { role: _role, ...identity } = declared;
      throw new PartialFailure(this.failure(target, error).message, outs.name, withMembershipDeclaration(outs, identity), inputs.__provider);
    }
  }

  /**
   * The membership a create met as ALREADY_EXISTS (the same member of the same space: a space
   * holds one membership per member) when its import-mode times are not the declared ones:
   * removed, and the member added again with the declared times, which Google takes only when a
   * membership is created (v1.d.ts `Schema$Membership`: `createTime` and `deleteTime` are
   * "Immutable"). It is the other half of a replacement that creates first (her email declared
   * where her users/{id} was, with new times: the diff can't tell her without a call, and replaces
   * the member too, so not delete-first). It stays, and the create fails saying why, when it is the
   * calling user's, the calling Chat app's, or another declared resource holds it with its times
   * ({@link keepReason}), or the create is not the new half of a replacement its diff planned of
   * this very membership (`replacement`: {@link replacing}; a new resource's preview announced an
   * add, and so did another member's replacement, or one from another space); and a space is not left without an
   * owner. The old half's delete then finds the membership made again, with the times this
   * declaration holds, and keeps it ({@link whyItStays}).
   */
  private async recreated(
    live: chat_v1.Schema$Membership,
    ref: MemberRef,
    declared: ChatMembershipInputs,
    conflicts: readonly string[],
    replacement: boolean,
    target: Target,
  ): Promise<chat_v1.Schema$Membership> {
    const space = declared.space!;
    const outs = membershipOutputs(live, declared);
    const values =
      `${outs.member} is already a member of ${space} with other values (${conflicts.join("; ")}), ` + "which Google sets only when a membership is created";
    if (!replacement) {
      throw new Error(
        `${values}. A create removes a membership only as the replacement of it that its preview announced, which this one can't tell it is ` +
          "(a new resource, a replacement of another member or from another space, or one the engine replaces without asking: " +
          "--replace, pulumi state taint, replaceWith): declare the membership's " +
          "values to take it over, then change them and run pulumi up without --replace (pulumi state untaint a tainted one): " +
          "its preview announces the replacement. Or remove the member in Chat first.",
      );
    }
    const why = await this.keepReason(space, entryOf(live), [memberKeyOf(declared)!], timesOf(live), target);
    if (why)
      throw new Error(
        `${values}, and it is not removed to be added again with the declared ones: ${why}. Declare its values, or remove the member in Chat first.`,
      );
    const owner = outs.memberType === "HUMAN" && outs.state === "JOINED" && outs.role === OWNER;
    return this.mayTakeOwners(outs.space, owner ? [outs.name] : [], async (takenElsewhere) => {
      if (owner) await this.keepAnOwner(outs, "removing it to add it again", target, takenElsewhere);
      return this.removedAndAddedAgain(outs, ref, declared, values, target);
    });
  }

  /** The membership `outs` removed, and its member `ref` added again with the times `declared` and her role back: what {@link recreated} decided. */
  private async removedAndAddedAgain(
    outs: ChatMembershipOutputs,
    ref: MemberRef,
    declared: ChatMembershipInputs,
    values: string,
    target: Target,
  ): Promise<chat_v1.Schema$Membership> {
    const space = outs.space;
    this.deps.log(
      `ChatMembership ${target.label}: ${values}, and no resource of the program holds it: it is removed and added again with the declared values`,
      target.urn,
    );
    const options = { target, importMode: historical(declared), appMember: ref.kind === "app" };
    await this.api.deleteMember(outs.name, options);
    let made: chat_v1.Schema$Membership;
    try {
      made = await this.addedAgain(space, ref, declared, options, target);
    } catch (error) {
      const why = this.failureReason(target, error);
      // Its role above the declared one would have been given back (withRoleBack); the next up adds it at the declared role.
      const declaredRole = wantedRole(declared);
      const roleAbove =
        outs.state === "JOINED" && demotes(outs.role, declaredRole) ? ` at ${declaredRole}: it was ${outs.role}; give it ${outs.role} in Chat then` : "";
      throw new Error(
        `${outs.member} was removed from ${space} to be added again with the declared values, and adding it failed, so it is not a member now: ${why} ` +
          `The next pulumi up adds it${roleAbove}.`,
      );
    }
    return this.withRoleBack(made, outs.role, declared, target);
  }

  /**
   * The member added again with the declared values, just removed: made, or met by a retry whose
   * first attempt's answer was lost (ALREADY_EXISTS), read then, which is that attempt's when it
   * has the declared times. Other times: someone else added the member meanwhile, and that fails.
   */
  private async addedAgain(
    space: string,
    ref: MemberRef,
    declared: ChatMembershipInputs,
    options: { target: Target; importMode: boolean; appMember: boolean },
    target: Target,
  ): Promise<chat_v1.Schema$Membership> {
    try {
      return await completeMembership(this.api, await this.api.createMember(space, createBody(ref, declared), options), target);
    } catch (error) {
      if (!(error instanceof ChatApiError && error.googleStatus === "ALREADY_EXISTS")) throw error;
      const found = await existingMembership(this.api, space, ref, this.settings?.useAdminAccess === true, target);
      if (timesConflicts(timesOf(found), declared).length > 0) throw error;
      return found;
    }
  }

  /**
   * A membership just made again with the declared values (`made`), after its old one was
   * removed, and `had`, the role its member had then: Google makes it at its default role, and a
   * role above the declared one (and above the one it has) is given back, one PATCH. Its demotion
   * was not in the preview, which announced a create or a replacement from the role the state
   * recorded (the caller passes the membership on with its deferred demotions, so the next
   * preview announces it). Not to a membership that has ended (a deleteTime declared): Google
   * changes no past member's role. The create that met the old membership ({@link recreated})
   * and the create of a delete-first replacement, whose delete read the role (delete-first.ts),
   * both give it back here.
   */
  private async withRoleBack(
    made: chat_v1.Schema$Membership,
    had: string | undefined,
    declared: ChatMembershipInputs,
    target: Target,
  ): Promise<chat_v1.Schema$Membership> {
    if (!had || !demotes(had, made.role ?? undefined) || made.state === "NOT_A_MEMBER" || !demotes(had, wantedRole(declared))) return made;
    try {
      return await completeMembership(this.api, await this.api.patchMemberRole(made.name!, had, { target, importMode: historical(declared) }), target);
    } catch (error) {
      const why = this.failureReason(target, error);
      throw new Error(
        `${entryOf(made).member} was removed from ${declared.space} and added again with the declared values, at ${made.role}; ` +
          `giving it back its role ${had} failed: ${why} Give it ${had} in Chat, or declare the role it should have.`,
      );
    }
  }

  /**
   * The calling user's email when the membership is the caller's: told by Google's answer to the
   * add of her email (`from: "google"`, no call), by the declared email or the state's record, or,
   * where a decision depends on it (a demotion), by the caller's id: an email, declared or
   * recorded, may name another person now than the member the state holds.
   */
  private async callerOf(
    outs: ChatMembershipOutputs,
    declared: ChatMembershipInputs,
    decisive: boolean,
    from: "google" | "state",
    target: Target,
  ): Promise<string | undefined> {
    if (outs.memberType !== "HUMAN") return undefined;
    // Where nothing depends on it, a caller the credentials can't name (no email scope) is only
    // not recorded: a demotion, which depends on it, still stops before its PATCH, naming the scope.
    const { user, unknown } = await this.callerUserOrUnknown(target);
    if (unknown && decisive) throw unknown;
    if (!user) return undefined;
    const byEmail = memberKeyOf(declared) === `users/${user}`;
    if (byEmail && from === "google") {
      await this.learnCaller(outs.member, target);
      return user;
    }
    if (byEmail || outs.__caller === user) return !decisive || (await this.recordedCallerHolds(user, outs.space, outs.member, target)) ? user : undefined;
    if (decisive) return (await this.isCaller(outs.space, outs.member, target)) ? user : undefined;
    // A person declared by users/{id} may be the caller: asked (once per process) and recorded,
    // so that a preview tells the caller's own membership without a call. Nothing else depends
    // on it here, so a failed read only leaves it unrecorded, as an unnamed caller does.
    if (!isUserIdKey(memberKeyOf(declared) ?? "")) return undefined;
    return (await this.isCaller(outs.space, outs.member, target).catch(() => false)) ? user : undefined;
  }

  /**
   * Why the member of `outs` keeps her role `from` (the state's, else the one she has) where
   * `declared` would demote her: she is another provider instance's calling user
   * (members/member-provider.ts `anotherCallerRoleReason`); undefined when she may be demoted, or
   * the declared role is unknown until apply (at preview).
   */
  private anotherCallerRoleOf(outs: ChatMembershipOutputs, declared: ChatMembershipInputs, from: string | undefined = outs.role): Promise<string | undefined> {
    if (outs.memberType !== "HUMAN" || (declared.role as string) === UNKNOWN) return Promise.resolve(undefined);
    return this.anotherCallerRoleReason(
      outs.space,
      outs.member,
      [memberKeyOf(declared) ?? memberKeyOf(outs.__declared ?? {})].filter((k) => k !== undefined),
      from,
      wantedRole(declared),
    );
  }

  /** The role of the membership `outs` as Google answers it now (one read); undefined where it is gone (the PATCH's 404 then says so). */
  private async roleNow(outs: ChatMembershipOutputs, target: Target): Promise<string | undefined> {
    const membership = await this.api.getMember(outs.name, { target }).catch((error) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
    return membership?.role ?? undefined;
  }

  /**
   * Why the member of `outs` keeps her role `from` (the state's, else the one she has) where
   * `declared` would demote her: the state records her as the calling user this
   * ChatMembership was last applied as, and the provider now acts as another principal (moved to
   * another provider instance, or the credentials changed): members/caller.ts `formerCallerOf`,
   * the rule a roster follows. Undefined when the declared role is unknown until apply; where the
   * credentials can't name their owner, it throws their error (the scope to add), as a roster's plan stops.
   */
  private async formerCallerRoleOf(
    outs: ChatMembershipOutputs,
    declared: ChatMembershipInputs,
    from: string | undefined,
    target: Target,
  ): Promise<string | undefined> {
    if (outs.memberType !== "HUMAN" || outs.__caller === undefined || (declared.role as string) === UNKNOWN) return undefined;
    // Whether that instance used admin access is not recorded: kept as a caller without it is (an owner's or a manager's role).
    if (!keepsCallersRole(from, wantedRole(declared), false)) return undefined;
    const { user, unknown } = await this.callerUserOrUnknown(target);
    const acting = { user, app: this.settings?.auth === "app" };
    // Credentials that can't name their owner can't tell whether she is still the caller: the change stops, naming the scope, as a roster's does.
    if (unknown && !acting.app) throw unknown;
    return formerCallerOf({ user: outs.__caller, member: outs.member }, acting, "ChatMembership").get(outs.member.toLowerCase())?.keepsRole;
  }

  /**
   * Whether the membership is the calling user's, as the preview tells it: by the state's record,
   * which a create or update makes for the caller declared by email or by users/{id}
   * ({@link callerOf}), for the calling user now. The record names her by email, which may name
   * another person now (an account renamed, its address given to another): where it would keep
   * the declared demotion from being made, her users/{id} is asked of Google (once per process)
   * and decides, as the update's does (members/member-provider.ts `recordedCallerHolds`).
   */
  private async isCallersOwn(olds: ChatMembershipOutputs, declared: ChatMembershipInputs, target: Target): Promise<boolean> {
    if (olds.__caller === undefined) return false;
    const decisive = keepsCallersRole(olds.role, wantedRole(declared), this.settings?.useAdminAccess === true);
    // Credentials that can't name their owner fail only the preview that would demote her.
    const { user, unknown } = await this.callerUserOrUnknown(target);
    if (unknown && decisive) throw unknown;
    if (olds.__caller !== user) return false;
    return !decisive || this.recordedCallerHolds(user, olds.space, olds.member, target);
  }

  /**
   * Brings a membership to its declared role with one PATCH, if it isn't there: never the calling
   * user's owner role below owner without admin access, never a space's last owner's, and no
   * demotion its preview did not show (`demotions: "deferred"`, members/roles.ts `Demotions`).
   * A role kept is recorded as it is, so the next preview plans the change.
   *
   * `from`: where `outs.role` comes from. Google's answer (a create) is the role she has. The
   * state's (an update) is the role she had at the last refresh, which the preview planned from:
   * she may have been made an owner in Chat since, and a change to a role below owner would then
   * demote an owner unannounced. So before such a change Google's joined owners are read
   * (members/member-provider.ts `ownersBefore`: one listing, which the last-owner rule uses too),
   * and they decide: an owner the state does not record as one keeps her role, recorded, and the
   * next preview announces the demotion.
   * `deferredWhy`: what the log line of a deferred demotion says.
   */
  private async toRole(
    outs: ChatMembershipOutputs,
    declared: ChatMembershipInputs,
    target: Target,
    demotions: Demotions,
    from: "google" | "state",
    deferredWhy: string = DEFERRED_DEMOTION,
  ): Promise<ChatMembershipOutputs> {
    const role = wantedRole(declared);
    const moving = role !== undefined && role !== outs.role && outs.state !== "NOT_A_MEMBER";
    const adminAccess = this.settings?.useAdminAccess === true;
    // A person's role below owner may demote an owner: the change waits for the space's other owner-taking writes.
    const demoting = moving && role !== OWNER && outs.memberType === "HUMAN";
    return this.mayTakeOwners(outs.space, demoting ? [outs.name] : [], async (takenElsewhere) => {
      const owners =
        demoting && from === "state"
          ? await this.ownersBefore(outs.space, target, {
              step: "change",
              consequence: ROLE_NOT_CHANGED,
              beyondAdminAccess: "was not changed and stays in the stack",
              spaceDeleted: `the role of ${outs.member} was not changed`,
            })
          : undefined;
      // An owner the listing no longer shows is some lower role now: which one, her membership tells (a manager's is a caller's to keep).
      const live = owners ? (liveRole(outs, owners) ?? (await this.roleNow(outs, target))) : outs.role;
      const madeOwnerSince = live === OWNER && outs.role !== OWNER;
      const callersOwnRole = moving && keepsCallersRole(live, role, adminAccess);
      const deferred = moving && (madeOwnerSince || (demotions === "deferred" && demotes(outs.role, role)));
      // A deferred demotion is not made whoever the member is: who the caller is decides nothing then.
      const caller = await this.callerOf(outs, declared, callersOwnRole && !deferred, from, target);
      const kept = { ...withMembershipDeclaration({ ...outs, role: live ?? outs.role }, declared), ...(caller ? { __caller: caller } : {}) };
      if (!moving) return kept;
      if (caller && callersOwnRole) {
        this.deps.log(keptRoleLine(target.label, outs.member, String(live), role, CALLER_KEEPS_ROLE), target.urn);
        return kept;
      }
      // The caller this membership was last applied as, where the provider acts as another now: kept for this up, recorded as
      // the caller no longer (so the next preview announces the demotion), whatever else would defer it.
      const formerCaller = from === "state" ? await this.formerCallerRoleOf(outs, declared, live, target) : undefined;
      if (formerCaller) {
        this.deps.log(keptRoleLine(target.label, outs.member, String(live), role, formerCaller), target.urn);
        const { __caller: _former, ...unrecorded } = kept;
        return unrecorded;
      }
      if (deferred) {
        this.deps.log(keptRoleLine(target.label, outs.member, String(live), role, madeOwnerSince ? DEFERRED_DEMOTION : deferredWhy), target.urn);
        return kept;
      }
      // The deployment's declarations, read again just before the demotion: another provider instance may act as her.
      const anotherCallers = await this.anotherCallerRoleOf(outs, declared, live);
      if (anotherCallers) {
        this.deps.log(keptRoleLine(target.label, outs.member, String(live), role, anotherCallers), target.urn);
        return kept;
      }
      if (live === OWNER) await this.keepAnOwner(outs, `changing its role to ${role}`, target, takenElsewhere, owners);
      let answer: chat_v1.Schema$Membership;
      try {
        answer = await completeMembership(this.api, await this.api.patchMemberRole(outs.name, role, { importMode: historical(declared), target }), target);
      } catch (error) {
        // A PATCH whose answer was lost is retried; if it demoted the caller (with admin access),
        // the retry may be refused although the role is set: already at the declared role is done.
        if (!(error instanceof ChatApiError)) throw error;
        const live = await this.api.getMember(outs.name, { target }).catch((e) => (isNotFound(e) ? null : undefined));
        // The PATCH's 404 is Google's answer; the read after it only confirms (a read that failed otherwise tells nothing more).
        if (!live && isNotFound(error)) {
          // The membership is gone (or out of sight) since the last refresh: the preview said "change
          // its role", not "add it again", so nothing is added here; a refresh drops it, and the
          // next preview shows the add for approval.
          const meaning = await this.meaningOf404(outs.space, historical(declared), target, error, of404(outs, ROLE_NOT_CHANGED));
          throw new Error(
            meaning === "gone"
              ? `ChatMembership ${target.label}: ${outs.member} is no longer a member of ${outs.space} (removed in Chat since the last refresh), ` +
                  "so its role was not changed. " +
                  "Run `pulumi refresh`: it drops the membership from the state, " +
                  "and the next preview shows it added again as declared (or remove it from the program)."
              : this.notFoundWords(target, meaning, outs, "was not changed and stays in the stack"),
          );
        }
        if (live?.role !== role) throw error;
        answer = live;
      }
      return membershipOutputs(answer, declared, caller);
    });
  }

  /**
   * Refuses to remove or demote the space's last owner: lists its joined owners (the state can't
   * tell whether others were made owners in Chat since, nor whether this one still is one),
   * unless just listed (`owners`), and fails when the membership is one of them and no other is
   * there.
   */
  private async keepAnOwner(
    outs: ChatMembershipOutputs,
    doing: string,
    target: Target,
    takenElsewhere: readonly string[],
    owners?: JoinedOwners,
  ): Promise<void> {
    const now = (owners ?? (await JoinedOwners.read(this.api, outs.space, target))).leavingElsewhere(takenElsewhere);
    if (!now.has(outs.name) || now.anotherThan([outs.name])) return;
    throw new Error(
      `ChatMembership ${target.label}: ${outs.member} is the last owner (ROLE_MANAGER, shown as Owner in Chat) of ${outs.space}` +
        `${besidesOwnersGoing(now, [outs.name])}, and ${doing} would leave the space without one. ` +
        'Make another member an owner first (role: "ROLE_MANAGER" on another ChatMembership, then pulumi up), or delete the space itself. ' +
        "To stop managing this membership without removing it: `pulumi state delete <urn>` (`pulumi stack --show-urns` lists them), " +
        "or the retainOnDelete resource option.",
    );
  }

  /** What Pulumi is told of a 404 that is not confirmed gone (`meaning`), the membership `props` doing `outcome` now. */
  private notFoundWords(target: Target, meaning: Exclude<NotFoundMeaning, "gone">, props: ChatMembershipOutputs, outcome: string): string {
    if (meaning === "beyondAdminAccess") return this.beyondAdminAccess(target, props.space, outcome);
    return notVisible(this.type, target, NOT_VISIBLE, outcome, outOfAdminReach(props));
  }

  async read(id: string, props?: ChatMembershipOutputs): Promise<dynamic.ReadResult<ChatMembershipOutputs>> {
    const target: Target = { label: membershipLabel(id, props), resource: "ChatMembership" };
    try {
      // An app's membership is read as the user: Google refuses it with admin access (v1.d.ts members.get `useAdminAccess`).
      const membership = await this.api.getMember(id, { target, userAccess: isAppMembership(props) });
      const outs = membershipOutputs(membership, props?.__declared ?? {}, props?.__caller);
      // A state to compare with: ChatMembership.get reads with no state but its provider (the
      // dynamic-provider host hands its inputs to read), which would make every live member "joined".
      if (props?.member) this.findings.noteRead(outs.space, [entryOfState(props)], [entryOf(membership)]);
      return { id, props: outs };
    } catch (error) {
      if (!isNotFound(error)) throw this.failure(target, error);
      // ChatMembership.get of a membership that isn't there: nothing is in the stack to keep.
      if (!props) return { id: "" };
      const meaning = await this.meaningOf404(props.space, historical(props.__declared ?? {}), target, error, of404(props, REFRESH_STOPPED));
      if (meaning === "gone") return { id: "" };
      this.deps.log(this.notFoundWords(target, meaning, props, "stays in the stack"));
      return { id, props };
    }
  }

  /**
   * The membership `id` (`spaces/{space}/members/{member}`) as an import records it (`pulumi
   * import`, with the provider plugin): its outputs, and the declaration of it as it is, the
   * member by its canonical `users/{id}` or `groups/{id}`, a person with its role. One GET:
   * importing writes nothing, and the next up of that declaration changes nothing. Refused, saying
   * why: a Chat app's membership (a ChatMembership declares only the calling app, `chatApp: true`,
   * which a membership does not say it is), a historical one (NOT_A_MEMBER: it has ended), and one
   * whose declaration check refuses with these settings (check.ts): with app authentication, a
   * Google Group's, which Google shows a Chat app but a Chat app can neither add nor remove
   * (v1.d.ts members.create and members.delete). Imported, it would fail its first preview.
   */
  async importMembership(id: string, urn?: string): Promise<{ id: string; props: ChatMembershipOutputs; inputs: ChatMembershipInputs }> {
    const target: Target = { label: resourceNameOfUrn(urn) ?? id, urn, resource: "ChatMembership" };
    if (!isMembershipName(id)) throw badImportId("ChatMembership", target.label, id);
    let membership: chat_v1.Schema$Membership;
    try {
      membership = await this.api.getMember(id, { target });
    } catch (error) {
      throw this.failure(target, error);
    }
    const live = membershipOutputs(membership, {});
    const refusal =
      live.memberType === "BOT"
        ? `${live.member} is a Chat app: a ChatMembership declares only the calling app (chatApp: true), and a membership does not say whether it is that one`
        : live.state === "NOT_A_MEMBER"
          ? `${live.member} is no longer a member (NOT_A_MEMBER: a historical membership of import mode)`
          : undefined;
    const declared: ChatMembershipInputs =
      live.memberType === "GROUP"
        ? { space: live.space, group: live.member }
        : { space: live.space, user: live.member, role: live.role as ChatMembershipInputs["role"] };
    const refusals = refusal ? [refusal] : checkMembership(declared, this.checkContext).map((f) => `${f.property} ${f.reason.replace(/\.$/, "")}`);
    if (refusals.length > 0) throw new Error(`ChatMembership ${target.label}: ${id} can't be imported: ${refusals.join("; ")}.`);
    return { id: live.name, props: withMembershipDeclaration(live, declared), inputs: declared };
  }

  async update(id: string, olds: ChatMembershipOutputs, news: MembershipSdkInputs): Promise<dynamic.UpdateResult<ChatMembershipOutputs>> {
    const target: Target = { label: membershipResourceName(news) ?? id, urn: news.__urn, resource: "ChatMembership" };
    try {
      await this.refuseConflictsBeforeWrite(news.__urn, target);
      const changedSince = this.findings.of(olds.space).roleChanged(olds.member);
      const outs = await this.toRole(
        olds,
        declaredMembershipOf(news),
        target,
        changedSince ? "deferred" : "now",
        "state",
        changedSince ? ROLE_CHANGED_SINCE : DEFERRED_DEMOTION,
      );
      return { outs };
    } catch (error) {
      throw this.failure(target, error);
    }
  }

  async delete(id: string, props: ChatMembershipOutputs): Promise<void> {
    const target: Target = { label: membershipLabel(id, props), resource: "ChatMembership" };
    const declared = props.__declared ?? {};
    const replacement = this.deleteFirst.deleting(id);
    try {
      const { why, live } = await this.whyItStays(props, declared, target, replacement !== undefined);
      if (why) {
        this.deps.log(`ChatMembership ${target.label}: ${props.member} stays in ${props.space}: ${why}.`);
        return;
      }
      // Whether she is an owner is Google's to say: the state's role may be out of date (made an owner in Chat since).
      const person = props.memberType === "HUMAN" && props.state !== "NOT_A_MEMBER";
      await this.mayTakeOwners(props.space, person ? [id] : [], async (takenElsewhere) => {
        if (person) await this.keepAnOwner(props, "removing it", target, takenElsewhere);
        await this.api.deleteMember(id, { target, importMode: historical(declared), appMember: declared.chatApp === true });
      });
      if (replacement && live) this.carryRole(replacement, live);
    } catch (error) {
      if (!isNotFound(error)) throw this.failure(target, error);
      // The DELETE's 404, or a read's of the membership, is the member's; the owners listing's is the space's (members/member-provider.ts `meaningOf404`).
      const meaning = await this.meaningOf404(props.space, historical(declared), target, error, {
        answered: `the membership of ${props.member}`,
        consequence: "its removal is not counted as done: it stays in the stack",
      });
      if (meaning !== "gone") throw new Error(this.notFoundWords(target, meaning, props, "was not deleted and stays in the stack"));
    }
  }

  /**
   * Why the membership is not removed: the caller's (by the declared email, else by her id as
   * Google answers it: members/member-provider.ts `keepReason`), or held by a declared resource.
   * The state's record of the caller is no answer here: the email may name another person now.
   * Where her id can't be learnt, her membership of this space by her email alias answered 404,
   * so the member removed is not her. The delete of a delete-first replacement (`replacing`)
   * reads the membership (one GET, which its times need anyway: the replacement declares other
   * ones), and hands it on (`live`): its member's role now, which the state may not know.
   */
  private async whyItStays(
    props: ChatMembershipOutputs,
    declared: ChatMembershipInputs,
    target: Target,
    replacing: boolean,
  ): Promise<{ why?: string; live?: chat_v1.Schema$Membership }> {
    // Declared by the caller's email, which may name another person now than the member the state
    // holds: Google's id of the caller decides (the declaration only where no space tells it).
    const user = props.memberType === "HUMAN" ? await this.callerUser(target) : undefined;
    const byCallersEmail = user !== undefined && memberKeyOf(declared) === `users/${user}`;
    if (byCallersEmail && (await this.recordedCallerHolds(user, props.space, props.member, target))) return { why: CALLER_STAYS };
    // Otherwise that email names another person now: another declaration of it holds her, not this member.
    const spelling = byCallersEmail ? undefined : memberKeyOf(declared);
    if (spelling) this.claims.recall([[spelling, props.member]]);
    const spellings = spelling ? [spelling] : [];
    const live = replacing ? await this.api.getMember(props.name, { target }) : undefined;
    const recorded = { createTime: props.createTime, deleteTime: props.deleteTime };
    const times = live ? timesOf(live) : await this.timesNow(props.space, props, spellings, recorded, target);
    // What a plan read for it: the key its state records it by, the caller's email too.
    const recordedBy = [memberKeyOf(declared)].filter((key): key is string => key !== undefined);
    return { why: await this.keepReason(props.space, entryOfState(props), spellings, times, target, undefined, recordedBy), live };
  }

  /**
   * The delete of a delete-first replacement removed `live`: its member's role is kept for the
   * replacement's create to give back (delete-first.ts). Where that role is above the declared
   * one, the log says so: should the update stop between the two steps, the next one, another
   * process, adds the member at the declared role, and she needs it back in Chat.
   */
  private carryRole(replacement: PlannedReplacement, live: chat_v1.Schema$Membership): void {
    const { name, member, role } = entryOf(live);
    this.deleteFirst.removed(replacement.urn, name, role);
    const declaredRole = wantedRole(replacement.declared);
    if (replacement.declared.deleteTime !== undefined || !demotes(role, declaredRole)) return;
    const label = resourceNameOfUrn(replacement.urn) ?? name;
    this.deps.log(
      `ChatMembership ${label}: ${member} was ${role} in ${spaceOfMembership(name)}, above the declared ${declaredRole}, and is removed to be added again ` +
        `with the declared times; the replacement's create gives that role back. Should this update stop before it, the next one adds ${member} ` +
        `at ${declaredRole}: give it ${role} in Chat again.`,
      replacement.urn,
    );
  }
}

/**
 * The role a membership has now as far as Google's joined `owners` tell it: ROLE_MANAGER when
 * listed; else the state's, unless that was ROLE_MANAGER (then some lower role: undefined).
 */
function liveRole(outs: ChatMembershipOutputs, owners: JoinedOwners): string | undefined {
  if (owners.has(outs.name)) return OWNER;
  return outs.role === OWNER ? undefined : outs.role;
}

/** A historical membership of import mode: written with chat.import. */
const historical = (declared: ChatMembershipInputs) => declared.createTime !== undefined;

/**
 * What a ChatMembership's declaration holds, for this deployment's claims; none while its space or
 * member is unknown. Its member is `kept` where `olds` (the inputs of its state, checked again)
 * declared it in the same space: it holds the one its state records (claims.ts `HeldMember.kept`).
 */
function declarationOf(news: MembershipSdkInputs, olds?: MembershipSdkInputs): Declaration | undefined {
  const declared = declaredMembershipOf(news);
  const key = knownMemberKeyOf(declared);
  if (!news.__urn || !known(declared.space) || !key) return undefined;
  const times = {
    createTime: known(declared.createTime) ? declared.createTime : undefined,
    deleteTime: known(declared.deleteTime) ? declared.deleteTime : undefined,
  };
  const before = olds ? declaredMembershipOf(olds) : undefined;
  const kept = before !== undefined && before.space === declared.space && knownMemberKeyOf(before) === key;
  return {
    holder: { type: "ChatMembership", urn: news.__urn },
    space: declared.space,
    members: [{ key, property: memberProperty(declared), times, ...(kept ? { kept } : {}) }],
  };
}

/** read and delete get outputs only: the member and the space stand in for the resource's name. */
function membershipLabel(id: string, props: ChatMembershipOutputs | undefined): string {
  return props?.member ? `${props.member} in ${props.space}` : id;
}
