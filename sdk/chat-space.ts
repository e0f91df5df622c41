import * as pulumi from "@pulumi/pulumi";
import { PROVIDER_TEXT } from "../provider/core/stub";
import { DELETE_BEFORE_REPLACE } from "../provider/space/identity";
import type { ChatSpaceInputs, ChatSpaceOutputs } from "../provider/space/types";
import { dynamicToken } from "../provider/tokens";
import type { InputsOf, OutputsOf } from "./contract-types";
import { type ChatSpaceLookupArgs, type ChatSpaceLookupResult, lookupSpace } from "./lookup";
import { resourceUrn } from "./resource-urn";

/**
 * The type token of every ChatSpace: `pulumi-nodejs:dynamic/googlechat:ChatSpace` (provider/tokens.ts).
 * Changing it changes every URN. The `pulumi-nodejs:dynamic/` package is Pulumi's dynamic-provider
 * host, which serves each resource of it with the provider its `__provider` text gives
 * (provider/core/stub.ts).
 */
export const CHAT_SPACE_TYPE = dynamicToken("space");

/**
 * The arguments of a {@link ChatSpace}: the contract's inputs (provider/space/types.ts
 * `ChatSpaceInputs`, where each argument's doc comment is), each a `pulumi.Input`.
 */
export interface ChatSpaceArgs extends InputsOf<ChatSpaceInputs> {}

/** The properties of a {@link ChatSpace}: the contract's outputs (provider/space/types.ts `ChatSpaceOutputs`). */
type ChatSpaceProperties = OutputsOf<Omit<ChatSpaceOutputs, "declared">>;

/**
 * A Google Chat space.
 *
 * Replacing a space deletes it, with its messages, and creates a new one: Pulumi's preview
 * says when a change does that. ChatSpace deletes before it creates the replacement, because
 * display names are unique in an organisation.
 *
 * @example
 * ```ts
 * const eng = new ChatSpace("engineering", {
 *   displayName: "Engineering",
 *   spaceDetails: { description: "Platform team", guidelines: "Be kind" },
 *   permissionSettings: { manageApps: { managersAllowed: true } },
 * });
 * export const url = eng.spaceUri;
 * ```
 */
export class ChatSpace extends pulumi.CustomResource {
  constructor(name: string, args: ChatSpaceArgs, opts: pulumi.CustomResourceOptions = {}) {
    const props = opts.id
      ? {}
      : {
          ...args,
          // The URN and the organisation are stable across runs: the provider derives requestIds
          // from them, so a create that crashed gets its space back.
          __urn: resourceUrn(name, CHAT_SPACE_TYPE, opts.parent),
          __organization: pulumi.getOrganization(),
        };
    super(
      CHAT_SPACE_TYPE,
      name,
      { ...OUTPUTS, ...props, __provider: PROVIDER_TEXT.ChatSpace },
      // The engine takes only this option on `pulumi up --replace`: see DELETE_BEFORE_REPLACE.
      { deleteBeforeReplace: DELETE_BEFORE_REPLACE, ...opts },
    );
    if (!opts.id && !opts.retainOnDelete) deletedInChat.add(this);
  }

  /**
   * Finds an existing space by its display name, without managing it, with the provider's
   * settings and credentials; once per deployment. Rejects when no space, or several, match.
   * @example
   * ```ts
   * const eng = ChatSpace.lookup({ displayName: "Engineering" });
   * new ChatMembership("alice", { space: eng.then((s) => s.name), user: "alice@example.com" });
   * ```
   */
  public static lookup(args: ChatSpaceLookupArgs): Promise<ChatSpaceLookupResult> {
    return lookupSpace(args);
  }

  /** Reads an existing space into the program without managing it. */
  public static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): ChatSpace {
    return new ChatSpace(name, {}, { ...opts, id });
  }
}

// The outputs as the class's properties, with the contract's doc comments (declaration merging:
// nothing at run time, where the engine sets them from OUTPUTS).
export interface ChatSpace extends ChatSpaceProperties {}

/** The ChatSpaces of this process whose delete deletes the space in Chat. */
const deletedInChat = new WeakSet<ChatSpace>();

/**
 * Whether deleting this resource deletes the space in Chat: it is declared by the program (not
 * read with {@link ChatSpace.get}, whose delete only stops reading it) and has no
 * `retainOnDelete` (whose delete leaves the space in Chat).
 */
export function deletesSpaceInChat(space: ChatSpace): boolean {
  return deletedInChat.has(space);
}

/** Every output, declared so that Pulumi exposes it on the resource: each key of ChatSpaceProperties, once. */
const OUTPUTS: Record<keyof ChatSpaceProperties, undefined> = {
  name: undefined,
  spaceUri: undefined,
  displayName: undefined,
  spaceType: undefined,
  spaceDetails: undefined,
  spaceHistoryState: undefined,
  spaceThreadingState: undefined,
  externalUserAllowed: undefined,
  importMode: undefined,
  importModeExpireTime: undefined,
  createTime: undefined,
  lastActiveTime: undefined,
  customer: undefined,
  membershipCount: undefined,
  accessSettings: undefined,
  permissionSettings: undefined,
  requestId: undefined,
};
