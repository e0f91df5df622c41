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

/** The declared state of a space, as the provider receives it (values resolved). */
export interface ChatSpaceInputs {
  /** Required for a SPACE, must be unique in the organisation; up to 128 characters. Not set for a GROUP_CHAT. */
  readonly displayName?: string;
  /** @default "SPACE". GROUP_CHAT only in import mode; GROUP_CHAT to SPACE is an in-place update. */
  readonly spaceType?: SpaceType;
  /** Description and guidelines; a part left out is not managed. */
  readonly spaceDetails?: SpaceDetails;
  /** Whether history is on. Changing it needs the organisation to allow history changes. */
  readonly spaceHistoryState?: HistoryState;
  /** Whether any Google Chat user may join. Set at creation only: changing it replaces the space. @default false */
  readonly externalUserAllowed?: boolean;
  /** Who can discover the space. When declared, a missing audience means private. */
  readonly accessSettings?: AccessSettings;
  /** The permission preset Google applies at creation; later changes are ignored. Not with `permissionSettings` at creation. */
  readonly predefinedPermissionSettings?: PredefinedPermissionSettings;
  /** The permission settings to hold: applied right after creation, then kept in place. */
  readonly permissionSettings?: PermissionSettings;
  /**
   * The organisation, as `customers/{customer}` (`customers/my_customer` for the caller's own).
   * Required with app authentication. Changing it replaces the space.
   */
  readonly customer?: string;
  /** Create the space in import mode (user auth with `chat.import`). true to false completes the import in place. */
  readonly importMode?: boolean;
  /** The historical creation time of an import-mode space (RFC 3339, 2000-01-01 to now). Changing it replaces the space. */
  readonly createTime?: string;
  /** Mixed into the requestIds derived from the resource's URN: a new value breaks away from a space an earlier request made. */
  readonly requestId?: string;
  /** Take over this existing space (`spaces/{space}`) instead of creating one. Used at creation only. */
  readonly adoptSpace?: string;
}

export interface MembershipCount {
  readonly joinedDirectHumanUserCount: number;
  readonly joinedGroupCount: number;
}

/** Every field Google returns for the space, with Google's omitted defaults made explicit. */
export interface ChatSpaceOutputs {
  /** The space's resource name, `spaces/{space}`; also the resource's id. */
  readonly name: string;
  /** The link people open the space with. */
  readonly spaceUri: string;
  readonly displayName: string;
  readonly spaceType: string;
  /** Description and guidelines, empty when not set. */
  readonly spaceDetails: Required<SpaceDetails>;
  readonly spaceHistoryState: string;
  readonly spaceThreadingState: string;
  readonly externalUserAllowed: boolean;
  readonly importMode: boolean;
  /** When Google deletes the space if the import is not completed (import mode only). */
  readonly importModeExpireTime?: string;
  readonly createTime?: string;
  readonly lastActiveTime?: string;
  /** The organisation's canonical `customers/{id}`, when Google returns it. */
  readonly customer?: string;
  readonly membershipCount: MembershipCount;
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
