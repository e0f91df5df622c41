import * as pulumi from "@pulumi/pulumi";
import { dynamicToken } from "../provider/tokens";
import { DELETE_BEFORE_REPLACE } from "../provider/space/identity";
import { PROVIDER_TEXT } from "../provider/core/stub";
import { type ChatSpaceLookupArgs, type ChatSpaceLookupResult, lookupSpace } from "./lookup";
import { resourceUrn } from "./resource-urn";
import type {
  ChatSpaceOutputs,
  HistoryState,
  MembershipCount,
  PermissionSetting,
  PredefinedPermissionSettings,
  SpaceType,
} from "../provider/space/types";

/**
 * The type token of every ChatSpace: `pulumi-nodejs:dynamic/googlechat:ChatSpace` (provider/tokens.ts).
 * Changing it changes every URN. The `pulumi-nodejs:dynamic/` package is Pulumi's dynamic-provider
 * host, which serves each resource of it with the provider its `__provider` text gives
 * (provider/core/stub.ts).
 */
export const CHAT_SPACE_TYPE = dynamicToken("space");

type Inputs<T> = { readonly [K in keyof T]?: pulumi.Input<T[K]> };

/** The arguments of a {@link ChatSpace}. */
export interface ChatSpaceArgs {
  /**
   * The space's name, unique in your Google Workspace organization; up to 128 characters.
   * Required for a SPACE, not set for a GROUP_CHAT.
   * @example "Engineering"
   */
  displayName?: pulumi.Input<string>;
  /**
   * SPACE, or GROUP_CHAT in import mode. GROUP_CHAT to SPACE updates in place; any other change
   * replaces the space and deletes its messages.
   * @default "SPACE"
   */
  spaceType?: pulumi.Input<SpaceType>;
  /**
   * Description (up to 150 characters) and guidelines (up to 5,000). A part left out is not managed.
   * @example { description: "Platform team", guidelines: "Be kind" }
   */
  spaceDetails?: pulumi.Input<Inputs<{ description: string; guidelines: string }>>;
  /** Whether history is on. Changing it needs your organisation to let users change history. */
  spaceHistoryState?: pulumi.Input<HistoryState>;
  /**
   * Whether any Google Chat user may join. Set at creation only: changing it replaces the space.
   * @default false
   */
  externalUserAllowed?: pulumi.Input<boolean>;
  /**
   * Who can discover and join the space. Needs user authentication; not while in import mode.
   * - `audience`: the target audience, `audiences/{audience}` (`audiences/default` for your
   *   organisation's default). `accessSettings: {}` makes the space private.
   * - `accessPermissionSettings`: the audiences that may discover (`discoverSpaceSetting`) and join
   *   (`joinSpaceSetting`) the space; whoever may join must be allowed to discover. Each declared
   *   setting is replaced whole; declared alone, it leaves the audience unmanaged.
   * @example { audience: "audiences/default" }
   * @example { accessPermissionSettings: { discoverSpaceSetting: ["audiences/default"], joinSpaceSetting: [] } }
   */
  accessSettings?: pulumi.Input<{
    readonly audience?: pulumi.Input<string>;
    readonly accessPermissionSettings?: pulumi.Input<{
      readonly discoverSpaceSetting?: pulumi.Input<pulumi.Input<string>[]>;
      readonly joinSpaceSetting?: pulumi.Input<pulumi.Input<string>[]>;
    }>;
  }>;
  /**
   * The preset Google applies when it creates the space; later changes are ignored.
   * Not together with `permissionSettings` on a new space.
   * @default "COLLABORATION_SPACE"
   */
  predefinedPermissionSettings?: pulumi.Input<PredefinedPermissionSettings>;
  /**
   * Permission settings to hold: applied right after creation, then kept in place. Settings
   * left out are not managed; each declared setting is replaced whole (an omitted role is false).
   * @example { manageApps: { managersAllowed: true } }
   */
  permissionSettings?: pulumi.Input<{
    readonly manageMembersAndGroups?: pulumi.Input<Inputs<PermissionSetting>>;
    readonly modifySpaceDetails?: pulumi.Input<Inputs<PermissionSetting>>;
    readonly toggleHistory?: pulumi.Input<Inputs<PermissionSetting>>;
    readonly useAtMentionAll?: pulumi.Input<Inputs<PermissionSetting>>;
    readonly manageApps?: pulumi.Input<Inputs<PermissionSetting>>;
    readonly manageWebhooks?: pulumi.Input<Inputs<PermissionSetting>>;
    readonly replyMessages?: pulumi.Input<Inputs<PermissionSetting>>;
  }>;
  /**
   * Your organisation as `customers/{customer}`, or `customers/my_customer`. Required with app
   * authentication. Changing it replaces the space.
   */
  customer?: pulumi.Input<string>;
  /**
   * Create the space in import mode, to migrate history into it (user auth through domain-wide
   * delegation, `chat.import`). Turning it on replaces the space; turning it off completes the
   * import in place. Google deletes spaces left in import mode for 90 days.
   * @default false
   */
  importMode?: pulumi.Input<boolean>;
  /** The original creation time of an imported space (RFC 3339). Import mode only; changing it replaces the space. */
  createTime?: pulumi.Input<string>;
  /**
   * Mixed into the requestIds derived from this resource's URN and Pulumi organisation. Set a new
   * value only to break away from a space an earlier request created.
   */
  requestId?: pulumi.Input<string>;
  /**
   * Take over this existing space (`spaces/{space}`) instead of creating one: create reads it and
   * updates it to the declared state. Used at creation only. Pair with `retainOnDelete: true` for
   * a space the stack must never delete.
   * @example "spaces/AAAAPhMsFf0"
   */
  adoptSpace?: pulumi.Input<string>;
}

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
  /** The space's resource name, `spaces/{space}`. */
  declare public readonly name: pulumi.Output<string>;
  /** The link people open the space with. */
  declare public readonly spaceUri: pulumi.Output<string>;
  declare public readonly displayName: pulumi.Output<string>;
  declare public readonly spaceType: pulumi.Output<string>;
  declare public readonly spaceDetails: pulumi.Output<ChatSpaceOutputs["spaceDetails"]>;
  declare public readonly spaceHistoryState: pulumi.Output<string>;
  declare public readonly spaceThreadingState: pulumi.Output<string>;
  declare public readonly externalUserAllowed: pulumi.Output<boolean>;
  declare public readonly importMode: pulumi.Output<boolean>;
  /** When Google deletes the space if its import is not completed (import mode only). */
  declare public readonly importModeExpireTime: pulumi.Output<string | undefined>;
  declare public readonly createTime: pulumi.Output<string | undefined>;
  declare public readonly lastActiveTime: pulumi.Output<string | undefined>;
  /** The organisation's canonical `customers/{id}`. */
  declare public readonly customer: pulumi.Output<string | undefined>;
  declare public readonly membershipCount: pulumi.Output<MembershipCount>;
  declare public readonly accessSettings: pulumi.Output<ChatSpaceOutputs["accessSettings"]>;
  /** All eight settings, `postMessages` included, when the credentials may read them. */
  declare public readonly permissionSettings: pulumi.Output<ChatSpaceOutputs["permissionSettings"]>;
  /** The requestId that created the space; empty for an adopted one. */
  declare public readonly requestId: pulumi.Output<string>;

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

/** Every output, declared so that Pulumi exposes it on the resource. */
const OUTPUTS = {
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
