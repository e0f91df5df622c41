/**
 * The ChatMembership resource provider: what Pulumi's engine calls for each membership.
 *
 * - check: every declared value validated before anything reaches Google (check.ts).
 * - diff: replace or update in place (the role), by the identity rules of identity.ts (diff.ts).
 * - create: `members.create`, then `members.patch` (mask `role`) when the declared role is not
 *   what the member got: Google takes the role only on update. There is no requestId for
 *   memberships: ALREADY_EXISTS is the idempotency key. The existing membership of the same
 *   member is this resource's; it is read and brought to the declared role, so a crashed run
 *   repeated never fails and never duplicates. A membership created whose role could not be
 *   set is reported as a partial failure, so Pulumi keeps it.
 * - read: one `members.get`. A 404 is "gone" only where it can be told: with admin access, or
 *   when the same credentials still see the space. Otherwise the membership stays in the stack
 *   (see {@link notVisible}).
 * - update: the role, one PATCH.
 * - delete: one `members.delete`, with the same 404 rule. A space is never left without an
 *   owner: removing or demoting a ROLE_MANAGER first lists the space's managers.
 */
import type { chat_v1 } from "@googleapis/chat";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ChatSpacesApi, Target } from "../core/chat-api";
import { checkResult, ConfiguredProvider, notVisible, type NotVisibleWords, type ProviderDeps, refuseFailures } from "../core/configured-provider";
import { ChatApiError, isNotFound, PartialFailure } from "../core/errors";
import { checkMembership } from "./check";
import { diffMembership } from "./diff";
import { membershipConflicts } from "./identity";
import { declaredMembershipOf, type MemberRef, memberRefOf, membershipResourceName, type MembershipSdkInputs } from "./inputs";
import { listJoinedOwners, OWNER } from "./owners";
import { membershipOutputs, wantedRole, withMembershipDeclaration } from "./state";
import type { ChatMembershipInputs, ChatMembershipOutputs } from "./types";

/** How a membership's 404 reads when it can't be told apart from "not visible to these credentials". */
const NOT_VISIBLE: NotVisibleWords = {
  noun: "membership",
  gone: "removed",
  lost: "the membership was removed, or these credentials can no longer see the space (the caller was removed from it, or googlechat:impersonateUser names another user)",
  again: "adds the member again",
};

export class ChatMembershipProvider extends ConfiguredProvider implements dynamic.ResourceProvider<MembershipSdkInputs, ChatMembershipOutputs> {
  /**
   * Memberships this process took over (a create answered ALREADY_EXISTS): in a
   * create-before-delete replacement (deleteBeforeReplace turned off, and the space the same after
   * all) that is the very membership being replaced, which must then not be deleted.
   */
  private readonly takenOverHere = new Set<string>();

  constructor(deps: ProviderDeps) {
    super(deps, "ChatMembership");
  }

  private failures(inputs: ChatMembershipInputs) {
    return checkMembership(inputs, this.checkContext);
  }

  async check(_olds: MembershipSdkInputs, news: MembershipSdkInputs): Promise<dynamic.CheckResult<MembershipSdkInputs>> {
    const failures = this.failures(news);
    return checkResult(news, failures);
  }

  async diff(_id: string, olds: ChatMembershipOutputs, news: MembershipSdkInputs): Promise<dynamic.DiffResult> {
    const { changes, replaces, deleteBeforeReplace } = diffMembership(olds, declaredMembershipOf(news));
    return { changes, replaces, deleteBeforeReplace };
  }

  async create(inputs: MembershipSdkInputs): Promise<dynamic.CreateResult<ChatMembershipOutputs>> {
    const declared = declaredMembershipOf(inputs);
    const target: Target = { label: membershipResourceName(inputs) ?? "(unnamed)", urn: inputs.__urn, resource: "ChatMembership" };
    let membership: chat_v1.Schema$Membership;
    try {
      const failures = this.failures(declared);
      refuseFailures(failures);
      const ref = memberRefOf(declared)!;
      const space = declared.space!;
      try {
        membership = await this.api.createMember(space, createBody(declared, ref), { importMode: historical(declared), target, appMember: ref.kind === "app" });
        membership = await this.complete(membership, target);
      } catch (error) {
        if (!(error instanceof ChatApiError && error.googleStatus === "ALREADY_EXISTS")) throw error;
        membership = await this.existing(space, ref, declared, target);
        if (membership.name) this.takenOverHere.add(membership.name);
      }
    } catch (error) {
      throw this.failure(target, error);
    }
    const outs = membershipOutputs(membership, declared);
    try {
      return { id: outs.name, outs: await this.toRole(outs, declared, target) };
    } catch (error) {
      // Created, but not at its role: the state keeps it, and the next diff plans the role again.
      const { role: _role, ...identity } = declared;
      throw new PartialFailure(this.failure(target, error).message, outs.name, withMembershipDeclaration(outs, identity), inputs.__provider);
    }
  }

  /**
   * The membership a create met as ALREADY_EXISTS: this resource's, made by an earlier run whose
   * answer or state write was lost, or made in Chat; either way the same member of the same space.
   * It must have the declared times, which Google can't change.
   */
  private async existing(space: string, ref: MemberRef, declared: ChatMembershipInputs, target: Target): Promise<chat_v1.Schema$Membership> {
    const membership = ref.alias
      ? await this.api.getMember(`${space}/members/${ref.alias}`, { target })
      : await this.findGroup(space, ref.name, target);
    const conflicts = membershipConflicts({ createTime: membership.createTime ?? undefined, deleteTime: membership.deleteTime ?? undefined }, declared);
    if (conflicts.length > 0) {
      throw new Error(
        `${ref.name} is already a member of ${space} with other values (${conflicts.join("; ")}). These are set only when a membership is created: declare its values, or remove the member in Chat first.`,
      );
    }
    this.deps.log(`ChatMembership ${target.label}: ${ref.name} is already a member of ${space}; this resource takes that membership over`, target.urn);
    return membership;
  }

  /** A group's membership, found by listing: `{member}` aliases exist for users and the app only. */
  private async findGroup(space: string, group: string, target: Target): Promise<chat_v1.Schema$Membership> {
    let pageToken: string | undefined;
    do {
      const page = await this.api.listMembers(
        space,
        { showGroups: true, pageSize: 1000, pageToken, filter: this.settings?.useAdminAccess ? 'member.type != "BOT"' : undefined },
        { target },
      );
      const found = page.memberships?.find((m) => m.groupMember?.name === group);
      if (found) return found;
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    throw new Error(`Google answered that ${group} is already a member of ${space}, but no listed membership is that group's.`);
  }

  /** Brings a membership to its declared role with one PATCH, if it isn't there; a demoted owner must not be the last. */
  private async toRole(outs: ChatMembershipOutputs, declared: ChatMembershipInputs, target: Target): Promise<ChatMembershipOutputs> {
    const role = wantedRole(declared);
    if (role === undefined || role === outs.role || outs.state === "NOT_A_MEMBER") return withMembershipDeclaration(outs, declared);
    if (outs.role === OWNER) await this.keepAnOwner(outs, `changing its role to ${role}`, target);
    let answer: chat_v1.Schema$Membership;
    try {
      answer = await this.complete(await this.api.patchMemberRole(outs.name, role, { importMode: historical(declared), target }), target);
    } catch (error) {
      // A PATCH whose answer was lost is retried; if it demoted the caller, the retry is refused
      // (403: no longer a manager) although the role is set. Already at the declared role is done
      // (fuzz fixture membership-own-demotion-lost-answer).
      if (!(error instanceof ChatApiError)) throw error;
      const live = await this.api.getMember(outs.name, { target }).catch((e) => (isNotFound(e) ? null : undefined));
      // The PATCH's 404 is Google's answer; the read after it only confirms (a read that failed otherwise tells nothing more).
      if (!live && isNotFound(error)) {
        // The membership is gone (or out of sight) since the last refresh: the preview said "change
        // its role", not "add it again", so nothing is added here (fuzz fixture
        // membership-role-change-after-removed-in-chat); a refresh drops it, and the next preview
        // shows the add for approval.
        throw new Error(
          (await this.isGone(outs, target))
            ? `ChatMembership ${target.label}: ${outs.member} is no longer a member of ${outs.space} (removed in Chat since the last refresh), so its role was not changed. ` +
                "Run `pulumi refresh`: it drops the membership from the state, and the next preview shows it added again as declared (or remove it from the program)."
            : notVisible(this.type, target, NOT_VISIBLE, "was not changed and stays in the stack"),
        );
      }
      if (live?.role !== role) throw error;
      answer = live;
    }
    return membershipOutputs(answer, declared);
  }

  /**
   * A write's answer as a whole membership: an answer holding less than the member and its state
   * (a partly filled body, as a proxy or a retried lost answer may give) is read again, so the
   * state never records an empty member, role or state (fuzz fixture membership-create-answered-name-only).
   */
  private complete(answer: chat_v1.Schema$Membership, target: Target): Promise<chat_v1.Schema$Membership> {
    return completeMembership(this.api, answer, target);
  }

  /**
   * Refuses to remove or demote the space's last owner: lists its owners (the state can't tell
   * whether others were made owners in Chat since) and fails unless another one is there.
   */
  private async keepAnOwner(outs: ChatMembershipOutputs, doing: string, target: Target): Promise<void> {
    if ((await listJoinedOwners(this.api, outs.space, target)).some((m) => m.name !== outs.name)) return;
    throw new Error(
      `ChatMembership ${target.label}: ${outs.member} is the last owner (ROLE_MANAGER, shown as Owner in Chat) of ${outs.space}, and ${doing} would leave the space without one. ` +
        'Make another member an owner first (role: "ROLE_MANAGER" on another ChatMembership, then pulumi up), or delete the space itself. ' +
        "To stop managing this membership without removing it: `pulumi state delete <urn>` (`pulumi stack --show-urns` lists them), or the retainOnDelete resource option.",
    );
  }

  async read(id: string, props?: ChatMembershipOutputs): Promise<dynamic.ReadResult<ChatMembershipOutputs>> {
    const target: Target = { label: membershipLabel(id, props), resource: "ChatMembership" };
    try {
      const membership = await this.api.getMember(id, { target });
      return { id, props: membershipOutputs(membership, props?.__declared ?? {}) };
    } catch (error) {
      if (!isNotFound(error)) throw this.failure(target, error);
      // ChatMembership.get of a membership that isn't there: nothing is in the stack to keep.
      if (!props || (await this.isGone(props, target))) return { id: "" };
      this.deps.log(notVisible(this.type, target, NOT_VISIBLE, "stays in the stack"));
      return { id, props };
    }
  }

  async update(id: string, olds: ChatMembershipOutputs, news: MembershipSdkInputs): Promise<dynamic.UpdateResult<ChatMembershipOutputs>> {
    const target: Target = { label: membershipResourceName(news) ?? id, urn: news.__urn, resource: "ChatMembership" };
    try {
      return { outs: await this.toRole(olds, declaredMembershipOf(news), target) };
    } catch (error) {
      throw this.failure(target, error);
    }
  }

  async delete(id: string, props: ChatMembershipOutputs): Promise<void> {
    const target: Target = { label: membershipLabel(id, props), resource: "ChatMembership" };
    if (this.takenOverHere.has(id)) {
      this.deps.log(`ChatMembership ${target.label}: the replacement took this very membership over (ALREADY_EXISTS), so it is not deleted.`);
      return;
    }
    const declared = props.__declared ?? {};
    try {
      if (props.role === OWNER && props.state !== "NOT_A_MEMBER") await this.keepAnOwner(props, "removing it", target);
      await this.api.deleteMember(id, { target, importMode: historical(declared), appMember: declared.chatApp === true });
    } catch (error) {
      if (!isNotFound(error)) throw this.failure(target, error);
      if (await this.isGone(props, target)) return;
      throw new Error(notVisible(this.type, target, NOT_VISIBLE, "was not deleted and stays in the stack"));
    }
  }

  /**
   * After a 404 for the membership: admin access sees every membership of the organisation's
   * spaces, so its 404 means gone; credentials that still see the space see its memberships, so
   * theirs does too. A space these credentials can't see (the caller was removed from it, another
   * user is impersonated) can't tell: false.
   */
  private async isGone(props: ChatMembershipOutputs, target: Target): Promise<boolean> {
    if (this.settings?.useAdminAccess) return true;
    try {
      await this.api.get(props.space, { importMode: historical(props.__declared ?? {}), target });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw this.failure(target, error);
    }
  }
}

/** A historical membership of import mode: written with chat.import. */
const historical = (declared: ChatMembershipInputs) => declared.createTime !== undefined;

/**
 * A write's answer as a whole membership: one holding less than the member and its state is
 * read again (fuzz fixture membership-create-answered-name-only). ChatSpaceMembers' writes too.
 */
export async function completeMembership(api: ChatSpacesApi, answer: chat_v1.Schema$Membership, target: Target): Promise<chat_v1.Schema$Membership> {
  if (answer.state && (answer.member || answer.groupMember)) return answer;
  return api.getMember(answer.name!, { target });
}

/** What `members.create` is sent: the member, and the historical times where declared (ChatSpaceMembers' too). */
export function createBody(declared: ChatMembershipInputs, ref: MemberRef): chat_v1.Schema$Membership {
  const member = ref.kind === "group" ? { groupMember: { name: ref.name } } : { member: { name: ref.name, type: ref.kind === "app" ? "BOT" : "HUMAN" } };
  return { ...member, createTime: declared.createTime, deleteTime: declared.deleteTime };
}

/** read and delete get outputs only: the member and the space stand in for the resource's name. */
function membershipLabel(id: string, props: ChatMembershipOutputs | undefined): string {
  return props?.member ? `${props.member} in ${props.space}` : id;
}
