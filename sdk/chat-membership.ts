import * as pulumi from "@pulumi/pulumi";
import { dynamicToken } from "../provider/tokens";
import { MEMBERSHIP_DELETE_BEFORE_REPLACE } from "../provider/membership/identity";
import type { MembershipRole } from "../provider/membership/types";
import { PROVIDER_TEXT } from "../provider/core/stub";
import { ChatSpace } from "./chat-space";
import { type Claim, claimMembers } from "./member-claims";
import { resourceUrn } from "./resource-urn";
import { type SpaceArg, deletedWithSpace, spaceIdOf } from "./space-arg";

/** The type token of every ChatMembership: `pulumi-nodejs:dynamic/googlechat:ChatMembership`. Changing it changes every URN. */
export const CHAT_MEMBERSHIP_TYPE = dynamicToken("membership");

/** The arguments of a {@link ChatMembership}: a space, exactly one of `user`, `group` and `chatApp`, and a role. */
export interface ChatMembershipArgs {
  /**
   * The space: a {@link ChatSpace} itself (best), its `id` or `name` output, or `spaces/{space}`.
   * Changing it replaces the membership.
   *
   * Given the ChatSpace (or its `id`), a preview knows the space whenever the space is kept (its
   * id changes only with a replacement). Its `name` output is unknown in a preview of any change
   * to the space, so every membership given `name` previews as a possible replacement then.
   *
   * Given a ChatSpace the program declares (not read with `ChatSpace.get`, no `retainOnDelete`),
   * the membership is deleted with its space: it gets Pulumi's `deletedWith: space` option. Then
   * `pulumi destroy`, or removing the space and the membership from the program together, makes
   * the space's one DELETE (Google deletes its memberships with it) and no members.delete;
   * removing the membership alone removes the member; replacing the space replaces the
   * membership, which goes with the old space and is added to the new one. To remove the member
   * on its own first even then, give the option yourself: `deletedWith: undefined` (or another
   * resource), which the SDK keeps.
   * @example eng
   */
  space: SpaceArg;
  /**
   * A person, by email or `users/{id}`. Changing the person replaces the membership.
   * @example "alice@example.com"
   */
  user?: pulumi.Input<string>;
  /**
   * A Google Group, `groups/{group}`: in spaces (not group chats), with user authentication.
   * Groups have no role.
   * @example "groups/0123abcd"
   */
  group?: pulumi.Input<string>;
  /**
   * `true`: the calling Chat app itself (`users/app`). Added by a user (user authentication),
   * never with app authentication or admin access.
   */
  chatApp?: pulumi.Input<boolean>;
  /**
   * The member's role, updated in place; a Chat app is always `ROLE_MEMBER`. Chat names them differently:
   * - `ROLE_MEMBER`: a member.
   * - `ROLE_ASSISTANT_MANAGER`: shown as **Manager** in Chat.
   * - `ROLE_MANAGER`: shown as **Owner** in Chat; spaces only. The last owner of a space can't
   *   be removed or demoted.
   * @default "ROLE_MEMBER"
   */
  role?: pulumi.Input<MembershipRole>;
  /**
   * Import-mode spaces only: when the member joined (RFC 3339), for a migrated membership.
   * Written with `chat.import` (user authentication through domain-wide delegation). Changing it
   * replaces the membership.
   */
  createTime?: pulumi.Input<string>;
  /**
   * Import-mode spaces only: when the member left (RFC 3339), after `createTime`: a historical
   * membership, whose state is NOT_A_MEMBER. Changing it replaces the membership.
   */
  deleteTime?: pulumi.Input<string>;
}

/**
 * One member of one Google Chat space, with its role.
 *
 * Creating it adds the member (`members.create`, plus one `members.patch` for a role other than
 * `ROLE_MEMBER`); a member already in the space is taken over, never added twice. A role
 * changed in Chat shows as drift after `pulumi refresh`, and the next `up` restores it. The
 * provider refuses to remove or demote a space's last owner. Given its ChatSpace, a membership is
 * deleted with the space: `pulumi destroy` removes no member on its own (see `space`).
 *
 * @example
 * ```ts
 * const eng = new ChatSpace("engineering", { displayName: "Engineering" });
 * new ChatMembership("alice", { space: eng, user: "alice@example.com", role: "ROLE_MANAGER" });
 * new ChatMembership("platform-group", { space: eng, group: "groups/0123abcd" });
 * new ChatMembership("team-app", { space: eng, chatApp: true });
 * ```
 */
export class ChatMembership extends pulumi.CustomResource {
  /** The membership's canonical resource name, `spaces/{space}/members/{member}`. */
  declare public readonly name: pulumi.Output<string>;
  /** The space, `spaces/{space}`. */
  declare public readonly space: pulumi.Output<string>;
  /** The canonical member: `users/{id}` (a person or an app) or `groups/{id}`. */
  declare public readonly member: pulumi.Output<string>;
  /** HUMAN, BOT or GROUP. */
  declare public readonly memberType: pulumi.Output<string>;
  /** The role as Google last answered; empty for a group. */
  declare public readonly role: pulumi.Output<string>;
  /** JOINED, INVITED (until the person accepts) or NOT_A_MEMBER (a historical membership). */
  declare public readonly state: pulumi.Output<string>;
  /** The member's relationship to the organisation that owns the space, when Google says. */
  declare public readonly affiliation: pulumi.Output<string | undefined>;
  declare public readonly createTime: pulumi.Output<string | undefined>;
  declare public readonly deleteTime: pulumi.Output<string | undefined>;

  constructor(name: string, args: ChatMembershipArgs, opts: pulumi.CustomResourceOptions = {}) {
    const space = spaceIdOf(args.space);
    // A member managed here and by a ChatSpaceMembers roster too fails the program (member-claims.ts).
    if (!opts.id) {
      const claim = { kind: "ChatMembership" as const, name, member: { user: args.user, group: args.group, chatApp: args.chatApp } };
      claimMembers({ source: args.space, value: space }, claim as pulumi.Input<Claim>, (r) => r instanceof ChatSpace);
    }
    // The URN names the resource in messages and log lines. Nothing is derived from it: a
    // membership's idempotency key is its member (ALREADY_EXISTS), so no organisation is sent.
    const props = opts.id ? {} : { ...args, space, __urn: resourceUrn(name, CHAT_MEMBERSHIP_TYPE, opts.parent) };
    super(
      CHAT_MEMBERSHIP_TYPE,
      name,
      { ...OUTPUTS, ...props, __provider: PROVIDER_TEXT.ChatMembership },
      // The engine takes only this option on `pulumi up --replace`: see MEMBERSHIP_DELETE_BEFORE_REPLACE.
      { deleteBeforeReplace: MEMBERSHIP_DELETE_BEFORE_REPLACE, ...(opts.id ? opts : deletedWithSpace(args.space, opts)) },
    );
  }

  /** Reads an existing membership (`spaces/{space}/members/{member}`) into the program without managing it. */
  public static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): ChatMembership {
    return new ChatMembership(name, {} as ChatMembershipArgs, { ...opts, id });
  }
}

/** Every output, declared so that Pulumi exposes it on the resource. `space` and `role` come from the args. */
const OUTPUTS = {
  name: undefined,
  space: undefined,
  member: undefined,
  memberType: undefined,
  role: undefined,
  state: undefined,
  affiliation: undefined,
  createTime: undefined,
  deleteTime: undefined,
};
