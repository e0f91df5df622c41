/**
 * The contract of a ChatSpace: what a program declares (inputs), and what Pulumi keeps and
 * exports (outputs). Field rules follow the Chat API's Space resource
 * (node_modules/@googleapis/chat/build/v1.d.ts, `Schema$Space`).
 *
 * Lifecycle rules, enforced by the provider:
 * - `customer`, `externalUserAllowed`, `createTime`, a `spaceType` change other than GROUP_CHAT
 *   to SPACE, and entering import mode can only be applied by replacing the space, which deletes
 *   its messages. Replace decisions compare declared values, never refreshed ones.
 * - Leaving import mode (`importMode` true to false) completes the import in place.
 * - Everything else is updated in place with the fewest, smallest update masks Google allows.
 */

/** The kinds of space `spaces.create` can make. DMs are made by `spaces.setup`, outside this resource. */
export type SpaceType = "SPACE" | "GROUP_CHAT";

export type HistoryState = "HISTORY_ON" | "HISTORY_OFF";

/** Permission presets Google applies when it creates a space. */
export type PredefinedPermissionSettings = "COLLABORATION_SPACE" | "ANNOUNCEMENT_SPACE";

/** Who holds one permission. An omitted role does not hold it: each setting is replaced whole. */
export interface PermissionSetting {
  /** Space owners (`ROLE_MANAGER`). @default false */
  readonly managersAllowed?: boolean;
  /** Space managers (`ROLE_ASSISTANT_MANAGER`). @default false */
  readonly assistantManagersAllowed?: boolean;
  /** Plain members (`ROLE_MEMBER`). @default false */
  readonly membersAllowed?: boolean;
}

/** The seven settings Google lets a space change. Settings left out are not managed. */
export interface PermissionSettings {
  /** Adding and removing members and groups. */
  readonly manageMembersAndGroups?: PermissionSetting;
  /** Updating the space's name, avatar, description and guidelines. */
  readonly modifySpaceDetails?: PermissionSetting;
  /** Turning history on and off. */
  readonly toggleHistory?: PermissionSetting;
  /** Using `@all`. */
  readonly useAtMentionAll?: PermissionSetting;
  /** Adding and removing Chat apps. */
  readonly manageApps?: PermissionSetting;
  /** Managing webhooks. */
  readonly manageWebhooks?: PermissionSetting;
  /** Replying to messages. */
  readonly replyMessages?: PermissionSetting;
}

export const PERMISSION_SETTING_KEYS = [
  "manageMembersAndGroups",
  "modifySpaceDetails",
  "toggleHistory",
  "useAtMentionAll",
  "manageApps",
  "manageWebhooks",
  "replyMessages",
] as const satisfies readonly (keyof PermissionSettings)[];

export interface SpaceDetails {
  /** What the space is for. Up to 150 characters. */
  readonly description?: string;
  /** The space's rules and etiquette. Up to 5,000 characters. */
  readonly guidelines?: string;
}

/**
 * Who may find and who may join the space, beside the target audience (v1.d.ts
 * `Schema$AccessPermissionSettings`). Each setting lists audiences, `audiences/{audience}`; a
 * declared setting is replaced whole, a setting left out is not managed. Everyone allowed to join
 * must be allowed to discover the space. User authentication only, not in import mode.
 */
export interface AccessPermissionSettings {
  /** The audiences that can find the space (`discoverSpaceSetting`). */
  readonly discoverSpaceSetting?: readonly string[];
  /** The audiences that can join the space (`joinSpaceSetting`); each must be in `discoverSpaceSetting`. */
  readonly joinSpaceSetting?: readonly string[];
}

export interface AccessSettings {
  /**
   * The target audience that can discover and join the space, as `audiences/{audience}`
   * (`audiences/default` for the organisation's default audience). Absent or empty: only
   * people and groups added to the space can find it; `accessSettings` declared with
   * `accessPermissionSettings` alone leaves the audience unmanaged. Needs user authentication.
   */
  readonly audience?: string;
  /** Who may discover and join the space (2026 settings); needs user authentication. */
  readonly accessPermissionSettings?: AccessPermissionSettings;
}

/** Who can discover and join the space, as Google answers (v1.d.ts `Schema$AccessSettings`). */
export interface AccessSettingsState {
  /** `PRIVATE` (only people and groups added to the space can find it) or `DISCOVERABLE` (its target audience can). */
  readonly accessState?: string;
  /** The target audience, `audiences/{audience}`. */
  readonly audience?: string;
  /** The audience names of each access permission setting, when Google returns them. */
  readonly accessPermissionSettings?: Required<AccessPermissionSettings>;
}

/**
 * The declared state of a space: the arguments of a ChatSpace (sdk/chat-space.ts) and of the
 * plugin's `googlechat:index:Space`, as the provider receives them (values resolved). An
 * argument left out is not managed.
 */
export interface ChatSpaceInputs {
  /**
   * The space's name, unique in the Google Workspace organisation; up to 128 characters.
   * Required for a SPACE, not set for a GROUP_CHAT.
   * @example "Engineering"
   */
  readonly displayName?: string;
  /**
   * `SPACE`, or `GROUP_CHAT` in import mode. GROUP_CHAT to SPACE updates in place; any other
   * change replaces the space and deletes its messages.
   * @default "SPACE"
   */
  readonly spaceType?: SpaceType;
  /**
   * Description (up to 150 characters) and guidelines (up to 5,000). A part left out is not managed.
   * @example { description: "Platform team", guidelines: "Be kind" }
   */
  readonly spaceDetails?: SpaceDetails;
  /** Whether history is on. Changing it needs the organisation to let users change history. */
  readonly spaceHistoryState?: HistoryState;
  /**
   * Whether any Google Chat user may join. Set at creation only: changing it replaces the space.
   * @default false
   */
  readonly externalUserAllowed?: boolean;
  /**
   * Who can discover and join the space: its target `audience` (`accessSettings: {}` makes the
   * space private) and its `accessPermissionSettings`. Needs user authentication; not while in
   * import mode.
   * @example { audience: "audiences/default" }
   * @example { accessPermissionSettings: { discoverSpaceSetting: ["audiences/default"], joinSpaceSetting: [] } }
   */
  readonly accessSettings?: AccessSettings;
  /**
   * The preset Google applies when it creates the space; later changes are ignored. Not together
   * with `permissionSettings` on a new space.
   * @default "COLLABORATION_SPACE"
   */
  readonly predefinedPermissionSettings?: PredefinedPermissionSettings;
  /**
   * Permission settings to hold: applied right after creation, then kept in place. Settings left
   * out are not managed; each declared setting is replaced whole (an omitted role is false).
   * @example { manageApps: { managersAllowed: true } }
   */
  readonly permissionSettings?: PermissionSettings;
  /**
   * The organisation, as `customers/{customer}`, or `customers/my_customer` for the caller's own.
   * Required with app authentication. Changing it replaces the space.
   */
  readonly customer?: string;
  /**
   * Create the space in import mode, to migrate history into it (user authentication through
   * domain-wide delegation, `chat.import`). Turning it on replaces the space; turning it off
   * completes the import in place. Google deletes spaces left in import mode for 90 days.
   * @default false
   */
  readonly importMode?: boolean;
  /**
   * The original creation time of an imported space (RFC 3339, from 2000-01-01 to now). Import
   * mode only; changing it replaces the space.
   */
  readonly createTime?: string;
  /**
   * Mixed into the requestIds derived from this resource's URN and Pulumi organisation. Set a new
   * value only to break away from a space an earlier request created.
   */
  readonly requestId?: string;
  /**
   * Take over this existing space (`spaces/{space}`) instead of creating one: the create reads it
   * and updates it to the declared state. Used at creation only. Pair with `retainOnDelete: true`
   * for a space the stack must never delete.
   * @example "spaces/AAAAPhMsFf0"
   */
  readonly adoptSpace?: string;
}

/** How many have joined the space. */
export interface MembershipCount {
  /** People who joined the space directly, not through a group. */
  readonly joinedDirectHumanUserCount: number;
  /** Groups that joined the space. */
  readonly joinedGroupCount: number;
}

/** Every field Google returns for the space, with Google's omitted defaults made explicit. */
export interface ChatSpaceOutputs {
  /** The space's resource name, `spaces/{space}`; also the resource's id. */
  readonly name: string;
  /** The link people open the space with. */
  readonly spaceUri: string;
  /** The space's name; empty for a group chat. */
  readonly displayName: string;
  /** `SPACE`, `GROUP_CHAT` or `DIRECT_MESSAGE`. */
  readonly spaceType: string;
  /** Description and guidelines, empty when not set. */
  readonly spaceDetails: Required<SpaceDetails>;
  /** `HISTORY_ON` or `HISTORY_OFF`. */
  readonly spaceHistoryState: string;
  /** `THREADED_MESSAGES`, `GROUPED_MESSAGES` or `UNTHREADED_MESSAGES`. */
  readonly spaceThreadingState: string;
  /** Whether any Google Chat user may join. */
  readonly externalUserAllowed: boolean;
  /** Whether the space is in import mode. */
  readonly importMode: boolean;
  /** When Google deletes the space if its import is not completed (import mode only). */
  readonly importModeExpireTime?: string;
  /** When the space was created: for an imported space, its original creation time. */
  readonly createTime?: string;
  /** When the last message was posted. */
  readonly lastActiveTime?: string;
  /** The organisation's canonical `customers/{id}`, when Google returns it. */
  readonly customer?: string;
  /** How many people and groups have joined. */
  readonly membershipCount: MembershipCount;
  /** Who can discover and join the space. */
  readonly accessSettings?: AccessSettingsState;
  /** All eight settings, `postMessages` included; absent when the credentials may not read them. */
  readonly permissionSettings?: Record<string, Required<PermissionSetting>>;
  /** The requestId that created the space, or empty for an adopted one. */
  readonly requestId: string;
  /**
   * The inputs last applied, kept so that replace decisions compare declared values. `__`: Pulumi
   * treats the key as internal and leaves it out of every diff it shows.
   */
  readonly __declared: ChatSpaceInputs;
  /**
   * Where state written by 0.1.0 keeps the same; read by {@link declarationOf}, replaced on the next write.
   * @internal
   */
  readonly declared?: ChatSpaceInputs;
}

/**
 * A Google Chat space: its name, details, history, access and permission settings.
 *
 * An argument left out is not managed. Replacing a space deletes it, with its messages, and
 * creates a new one: the preview says when a change does that. The old space is deleted before
 * the replacement is created, because display names are unique in an organisation.
 */
export interface ChatSpaceContract {
  readonly inputs: ChatSpaceInputs;
  readonly outputs: ChatSpaceOutputs;
}
