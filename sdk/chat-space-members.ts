import * as pulumi from "@pulumi/pulumi";
import { PROVIDER_TEXT } from "../provider/core/stub";
import type { ChatSpaceMembersContract, ChatSpaceMembersOutputs } from "../provider/space-members/types";
import { dynamicToken } from "../provider/tokens";
import { ChatSpace } from "./chat-space";
import type { InputsOf, OutputsOf } from "./contract-types";
import { type Claim, claimMembers } from "./member-claims";
import { refuseDeleteFirst } from "./member-options";
import { resourceUrn, resourceUrnNow } from "./resource-urn";
import { deletedWithSpace, type SpaceArg, spaceIdOf } from "./space-arg";

export type { RosterMemberArgs, RosterMemberState, RosterMode } from "../provider/space-members/types";

/** The type token of every ChatSpaceMembers: `pulumi-nodejs:dynamic/googlechat:ChatSpaceMembers` (provider/tokens.ts). Changing it changes every URN. */
export const CHAT_SPACE_MEMBERS_TYPE = dynamicToken("roster");

/**
 * The arguments of a {@link ChatSpaceMembers}: a space, its members, and what happens to members
 * not declared. The contract's inputs (provider/space-members/types.ts, where each argument's
 * doc comment is), each a `pulumi.Input`, but `space`, which takes a ChatSpace too.
 */
export interface ChatSpaceMembersArgs extends Omit<InputsOf<ChatSpaceMembersContract["inputs"]>, "space"> {
  /**
   * The space: a {@link ChatSpace} itself (best), its `id` or `name` output, or `spaces/{space}`.
   * Changing it replaces the roster.
   *
   * Given the ChatSpace (or its `id`), a preview knows the space whenever the space is kept (its
   * id changes only with a replacement). Its `name` output is unknown in a preview of any change
   * to the space, so a roster given `name` previews as a replacement then, which announces the
   * removal of every member it declared.
   *
   * Given a ChatSpace the program declares (not read with `ChatSpace.get`, no `retainOnDelete`),
   * the roster is deleted with its space: it gets Pulumi's `deletedWith: space` option. Then
   * `pulumi destroy`, or removing the space and the roster from the program together, makes the
   * space's one DELETE (Google deletes its memberships with it) and removes no member on its own;
   * removing the roster alone removes the members it declared (see below); replacing the space
   * replaces the roster, which goes with the old space and adds its members to the new one. To
   * have the roster remove its members first even then, give the option yourself: `deletedWith:
   * undefined` (or another resource), which the SDK keeps.
   * @example eng
   */
  space: SpaceArg;
}

/** The properties of a {@link ChatSpaceMembers}: the contract's outputs (provider/space-members/types.ts `ChatSpaceMembersOutputs`). */
type ChatSpaceMembersProperties = OutputsOf<ChatSpaceMembersOutputs>;

/**
 * The whole roster of one Google Chat space.
 *
 * The preview is the contract: it compares the declaration with the roster as last read (by
 * `up` or `pulumi refresh`), calling Google only to ask who the calling user is where a change
 * depends on her, and lists every member it adds, every role
 * it changes and (in `authoritative` mode) every member it removes. `up` does only that: a member
 * who joined in Chat since the last refresh is never removed unannounced. A space is never left
 * without an owner (`ROLE_MANAGER`): such a change is refused before any write.
 *
 * Deleting the roster alone (removing it from the program) removes the members it declared, in
 * both modes, except the calling principal and the space's last owner; members it did not
 * declare stay. Use `retainOnDelete: true` to leave everyone in place. Deleted with its space
 * (`pulumi destroy`), it removes no one: the space's delete takes every member (see `space`).
 * The resource option `deleteBeforeReplace: true` is refused (member-options.ts): a replacement
 * creates first, so a member moved to another resource of the program is never removed.
 *
 * A member can't be managed both by a roster and by a {@link ChatMembership} of the same space:
 * the program fails at preview, naming both resources.
 *
 * @example
 * ```ts
 * const eng = new ChatSpace("engineering", { displayName: "Engineering" });
 * new ChatSpaceMembers("engineering-members", {
 *   space: eng,
 *   members: [
 *     { user: "alice@example.com", role: "ROLE_MANAGER" },
 *     { user: "bob@example.com" },
 *     { group: "groups/0123abcd" },
 *   ],
 * });
 * ```
 */
export class ChatSpaceMembers extends pulumi.CustomResource {
  constructor(name: string, args: ChatSpaceMembersArgs, opts: pulumi.CustomResourceOptions = {}) {
    const space = spaceIdOf(args.space);
    // A member managed here and by a ChatMembership too fails the program (member-claims.ts).
    if (!opts.id) {
      // A delete-first replacement would remove a member moved to a resource declared later (member-options.ts).
      refuseDeleteFirst("ChatSpaceMembers", name, opts);
      const claim = {
        kind: "ChatSpaceMembers" as const,
        name,
        urn: resourceUrnNow(name, CHAT_SPACE_MEMBERS_TYPE, opts.parent),
        mode: args.mode ?? "authoritative",
        members: args.members,
      };
      claimMembers({ source: args.space, value: space }, claim as pulumi.Input<Claim>, (r) => r instanceof ChatSpace);
    }
    const props = opts.id ? {} : { ...args, space, __urn: resourceUrn(name, CHAT_SPACE_MEMBERS_TYPE, opts.parent) };
    super(
      CHAT_SPACE_MEMBERS_TYPE,
      name,
      { ...OUTPUTS, ...props, __provider: PROVIDER_TEXT.ChatSpaceMembers },
      opts.id ? opts : deletedWithSpace(args.space, opts),
    );
  }
}

// The outputs as the class's properties, with the contract's doc comments (declaration merging:
// nothing at run time, where the engine sets them from OUTPUTS).
export interface ChatSpaceMembers extends ChatSpaceMembersProperties {}

/** Every output, declared so that Pulumi exposes it on the resource: each key of ChatSpaceMembersProperties, once. */
const OUTPUTS: Record<keyof ChatSpaceMembersProperties, undefined> = { space: undefined, mode: undefined, members: undefined };
