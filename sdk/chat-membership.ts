import * as pulumi from "@pulumi/pulumi";
import { PROVIDER_TEXT } from "../provider/core/stub";
import { MEMBERSHIP_DELETE_BEFORE_REPLACE } from "../provider/membership/identity";
import type { ChatMembershipContract, ChatMembershipOutputs } from "../provider/membership/types";
import { dynamicToken } from "../provider/tokens";
import { ChatSpace } from "./chat-space";
import type { InputsOf, OutputsOf } from "./contract-types";
import { type Claim, claimMembers } from "./member-claims";
import { refuseDeleteFirst } from "./member-options";
import { resourceUrn, resourceUrnNow } from "./resource-urn";
import { deletedWithSpace, type SpaceArg, spaceIdOf } from "./space-arg";

/** The type token of every ChatMembership: `pulumi-nodejs:dynamic/googlechat:ChatMembership`. Changing it changes every URN. */
export const CHAT_MEMBERSHIP_TYPE = dynamicToken("membership");

/**
 * The arguments of a {@link ChatMembership}: a space, exactly one of `user`, `group` and
 * `chatApp`, and a role. The contract's inputs (provider/membership/types.ts, where each
 * argument's doc comment is), each a `pulumi.Input`, but `space`, which takes a ChatSpace too.
 */
export interface ChatMembershipArgs extends Omit<InputsOf<ChatMembershipContract["inputs"]>, "space"> {
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
}

/** The properties of a {@link ChatMembership}: the contract's outputs (provider/membership/types.ts `ChatMembershipOutputs`). */
type ChatMembershipProperties = OutputsOf<ChatMembershipOutputs>;

/**
 * One member of one Google Chat space, with its role.
 *
 * Creating it adds the member (`members.create`, plus one `members.patch` for a role other than
 * `ROLE_MEMBER`); a member already in the space is taken over, never added twice. A role
 * changed in Chat shows as drift after `pulumi refresh`, and the next `up` restores it. The
 * provider refuses to remove or demote a space's last owner. Given its ChatSpace, a membership is
 * deleted with the space: `pulumi destroy` removes no member on its own (see `space`). The
 * resource option `deleteBeforeReplace: true` is refused (member-options.ts): a replacement
 * creates first, so a member moved to another resource of the program is never removed.
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
  constructor(name: string, args: ChatMembershipArgs, opts: pulumi.CustomResourceOptions = {}) {
    const space = spaceIdOf(args.space);
    // A member managed here and by a ChatSpaceMembers roster too fails the program (member-claims.ts).
    if (!opts.id) {
      // A delete-first replacement would remove a member moved to a resource declared later (member-options.ts).
      refuseDeleteFirst("ChatMembership", name, opts);
      const claim = {
        kind: "ChatMembership" as const,
        name,
        urn: resourceUrnNow(name, CHAT_MEMBERSHIP_TYPE, opts.parent),
        member: { user: args.user, group: args.group, chatApp: args.chatApp },
      };
      claimMembers({ source: args.space, value: space }, claim as pulumi.Input<Claim>, (r) => r instanceof ChatSpace);
    }
    // The URN names the resource in messages and log lines. Nothing is derived from it: a
    // membership's idempotency key is its member (ALREADY_EXISTS), so no organisation is sent.
    const props = opts.id ? {} : { ...args, space, __urn: resourceUrn(name, CHAT_MEMBERSHIP_TYPE, opts.parent) };
    super(
      CHAT_MEMBERSHIP_TYPE,
      name,
      { ...OUTPUTS, ...props, __provider: PROVIDER_TEXT.ChatMembership },
      // None of its own: the provider's diff decides when a replacement deletes first (MEMBERSHIP_DELETE_BEFORE_REPLACE).
      { deleteBeforeReplace: MEMBERSHIP_DELETE_BEFORE_REPLACE, ...(opts.id ? opts : deletedWithSpace(args.space, opts)) },
    );
  }

  /** Reads an existing membership (`spaces/{space}/members/{member}`) into the program without managing it. */
  public static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): ChatMembership {
    return new ChatMembership(name, {} as ChatMembershipArgs, { ...opts, id });
  }
}

// The outputs as the class's properties, with the contract's doc comments (declaration merging:
// nothing at run time, where the engine sets them from OUTPUTS).
export interface ChatMembership extends ChatMembershipProperties {}

/** Every output, declared so that Pulumi exposes it on the resource: each key of ChatMembershipProperties, once. `space` and `role` come from the args. */
const OUTPUTS: Record<keyof ChatMembershipProperties, undefined> = {
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
