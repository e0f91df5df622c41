/**
 * The emulator's data: who may call, what exists, and the settings of the emulated
 * Workspace organisation. Plain serialisable records, so `--data` can keep them.
 */
import type { ScopeGrant } from "./auth/scopes";

/** A person of the emulated Workspace organisation. */
export interface UserFixture {
  /** Numeric user id, as in `users/{id}`. */
  id: string;
  email: string;
  /** A Workspace administrator with the "manage chat and spaces conversations" privilege. */
  admin: boolean;
  /**
   * The user's own organisation, when it is not the emulated one (`WorldSettings.customer`): an
   * external user. Admin access and app auth can't add them (v1.d.ts members.create), and a
   * space must allow external users (`externalUserAllowed`).
   */
  customer?: string;
}

/** What the emulated organisation allows; each one is a rule Google documents as depending on the organisation. */
export interface WorldSettings {
  /** The organisation's customer id: `customers/my_customer` resolves to it. */
  customer: string;
  users: UserFixture[];
  /** Whether the organisation lets users turn history on and off (`space_history_state` patches). */
  historyToggleAllowed: boolean;
  /** Whether an administrator approved the app for `chat.app.*` scopes. */
  appAuthApproved: boolean;
  /**
   * Other organisations (`customers/{id}`) that installed the Chat app and approved it for app
   * authentication: the app creates spaces there too, naming them by their id (v1.d.ts
   * `Schema$Space.customer`: only a private app may use the `customers/my_customer` alias, for
   * its own organisation). Spaces for any other organisation are refused.
   */
  appCustomers: string[];
  /** Whether the service accounts are allowed domain-wide delegation. */
  domainWideDelegation: boolean;
  /** Whether `customers/my_customer` comes back as the organisation's canonical id (unverified with Google). */
  canonicalizeMyCustomer: boolean;
  /** The status for a requestId reused by another principal (Google documents "an error", not which). */
  requestIdOtherPrincipalStatus: "INVALID_ARGUMENT" | "ALREADY_EXISTS" | "PERMISSION_DENIED";
  /**
   * What a requestId whose space was deleted does (Google does not document it): `new` creates a
   * new space; `stale` answers with the deleted space as it last was (AIP-155 "stale success");
   * `notFound` answers 404.
   */
  requestIdAfterDelete: "new" | "stale" | "notFound";
  /**
   * The answer to a caller that is not a member of an existing space (and not an administrator
   * using admin access): Google answers 404 for a missing space and does not say whether a space
   * that exists but is hidden from the caller is told apart (docs/google-chat-api.md, "Other
   * methods"). 404 answers NOT_FOUND "Requested entity was not found.", 403 PERMISSION_DENIED
   * "The caller does not have permission".
   */
  invisibleSpaceStatus: 404 | 403;
  /**
   * Whether the user who created an import-mode space joins it as a space manager when the
   * import completes. Google says only that completion "makes it visible to users" and that
   * members can be added afterwards; without a member the importer would lose the space.
   */
  importCreatorJoinsOnComplete: boolean;
  /**
   * Users (`users/{id}` ids or emails) whose auto-accept is off: members.create invites them
   * (`INVITED`) and they join when they accept (v1.d.ts members.create: "if the specified member
   * has their auto-accept policy turned off, then they're invited, and must accept the space
   * invitation before joining"). The control op `outside/accept-invitation` accepts.
   */
  autoAcceptOff: string[];
  /**
   * Whether a change that leaves a space without a `ROLE_MANAGER` (demoting or removing the last
   * one, or the last one leaving) is refused with FAILED_PRECONDITION. Google documents no such
   * rule for the API; the Chat app asks an owner to name another owner before leaving.
   */
  keepLastManager: boolean;
  /**
   * How members.list shows a Chat app (app authentication) a Google Group's membership. v1.d.ts
   * Schema$Membership.groupMember: "Reading or mutating memberships for Google Groups requires user
   * authentication", while members.list's `showGroups` names no authentication: `named` lists it
   * with its group, `unnamed` lists the membership without its group (no `groupMember`), `hidden`
   * leaves it out.
   */
  groupsShownToApps: "named" | "unnamed" | "hidden";
  /**
   * Whether app authentication may add people only to spaces the app created. v1.d.ts says so for
   * members.patch and members.delete ("the Chat app must be the space creator") and is silent
   * for members.create.
   */
  appMembersOnlyInOwnSpaces: boolean;
  /**
   * How far Google's clock (the emulator's) runs ahead of the clock the emulator was started with
   * (`EmulatorOptions.now`), in ms; negative: behind. It moves every time the emulator writes
   * (createTime, ...) and the `Date` header of every answer (RFC 9110 §6.6.1). Google's servers and
   * a client's clock never agree exactly, and Google says nothing of how far apart they may be:
   * tests set this to put Google's clock ahead of the provider's, or behind it.
   */
  clockSkewMs: number;
  /**
   * Users (emails) whose own credentials (`authorized_user`) lack the email scope: a
   * `gcloud auth application-default login --scopes=…` that left out
   * `https://www.googleapis.com/auth/userinfo.email`. Their tokens are issued without it (and
   * without its alias `email`), so tokeninfo answers no `email` for them. Everyone else's
   * credentials carry what gcloud grants by default (openid, userinfo.email, cloud-platform) with
   * the Chat scopes asked for.
   */
  usersWithoutEmailScope: string[];
  /**
   * The scopes the Admin console authorised for domain-wide delegation, by the service account's
   * client ID (its unique ID), as the Admin console's Domain-wide delegation page lists them. A
   * client ID listed here may delegate these scopes only: asking for any other, the token
   * endpoint answers 401 `unauthorized_client` (docs/google-errors.md). A client ID not listed is
   * authorised for every scope (the emulator's default set-up).
   */
  delegatedScopes: Record<string, string[]>;
  /**
   * Cloud projects (as a principal's `project`) where the Chat API is not enabled: every Chat
   * call of their credentials answers 403 PERMISSION_DENIED with an ErrorInfo of reason
   * `SERVICE_DISABLED`, naming the project and the page that enables the API (docs/google-errors.md).
   */
  chatApiDisabledProjects: string[];
  /**
   * Cloud projects whose Chat app is not configured (the Chat API's Configuration page was never
   * saved): every Chat call of their credentials answers 404 NOT_FOUND "Google Chat app not
   * found…" (docs/google-errors.md).
   */
  chatAppUnconfiguredProjects: string[];
}

export const DEFAULT_SETTINGS: WorldSettings = {
  customer: "customers/C03emu1at",
  users: [
    { id: "110000000000000000001", email: "admin@example.com", admin: true },
    { id: "110000000000000000002", email: "alice@example.com", admin: false },
    { id: "110000000000000000003", email: "bob@example.com", admin: false },
    { id: "110000000000000000009", email: "erin@partner.example", admin: false, customer: "customers/C09partner" },
  ],
  historyToggleAllowed: true,
  appAuthApproved: true,
  appCustomers: [],
  domainWideDelegation: true,
  canonicalizeMyCustomer: true,
  requestIdOtherPrincipalStatus: "INVALID_ARGUMENT",
  requestIdAfterDelete: "new",
  invisibleSpaceStatus: 404,
  importCreatorJoinsOnComplete: true,
  autoAcceptOff: [],
  keepLastManager: true,
  groupsShownToApps: "named",
  appMembersOnlyInOwnSpaces: true,
  clockSkewMs: 0,
  usersWithoutEmailScope: [],
  delegatedScopes: {},
  chatApiDisabledProjects: [],
  chatAppUnconfiguredProjects: [],
};

/** Who a request acts as. `project` scopes requestIds: one Chat app, however it authenticates. */
export type Principal = { kind: "app"; email: string; project: string } | { kind: "user"; user: UserFixture; project: string; delegated: boolean };

export function principalKey(p: Principal): string {
  return p.kind === "app" ? `app:${p.email}` : `user:${p.user.id}`;
}

/** A caller as a method sees it: the principal and how its scopes let it in. */
export interface Caller {
  principal: Principal;
  scopes: readonly string[];
  grant: ScopeGrant;
  adminAccess: boolean;
}

export const PERMISSION_KEYS = [
  "manageMembersAndGroups",
  "modifySpaceDetails",
  "toggleHistory",
  "useAtMentionAll",
  "manageApps",
  "manageWebhooks",
  "replyMessages",
] as const;
export type PermissionKey = (typeof PERMISSION_KEYS)[number];

export interface PermissionSetting {
  managersAllowed: boolean;
  assistantManagersAllowed: boolean;
  membersAllowed: boolean;
}
export type PermissionSettings = Record<PermissionKey | "postMessages", PermissionSetting>;

export type SpaceType = "SPACE" | "GROUP_CHAT" | "DIRECT_MESSAGE";
export const HISTORY_STATES = ["HISTORY_OFF", "HISTORY_ON"] as const;
export type HistoryState = (typeof HISTORY_STATES)[number];
export const PREDEFINED_PERMISSION_SETTINGS = ["COLLABORATION_SPACE", "ANNOUNCEMENT_SPACE"] as const;

/**
 * Who may discover and who may join a space (v1.d.ts Schema$AccessPermissionSettings), as the
 * audience names of their principals (`audiences/{audience}`). Everyone who may join may discover.
 */
export interface AccessPermissions {
  discover: string[];
  join: string[];
}

export interface StoredSpace {
  id: string;
  spaceType: SpaceType;
  displayName: string;
  description: string;
  guidelines: string;
  spaceHistoryState: HistoryState;
  externalUserAllowed: boolean;
  importMode: boolean;
  importModeExpireTime?: string;
  createTime: string;
  /** Canonical `customers/...`, or what the caller sent when canonicalisation is off. */
  customer?: string;
  audience?: string;
  /** Absent until a patch of `access_settings.access_permission_settings` sets it. */
  accessPermissions?: AccessPermissions;
  permissionSettings: PermissionSettings;
  /** principalKey of the creator: app auth may delete and manage permissions only of its own spaces. */
  creator: string;
  lastActiveTime?: string;
}

export type MemberType = "HUMAN" | "BOT";
export type MemberRole = "ROLE_MEMBER" | "ROLE_MANAGER" | "ROLE_ASSISTANT_MANAGER" | "MEMBERSHIP_ROLE_UNSPECIFIED";

export interface StoredMembership {
  /** The `{member}` segment of the name: a user id, or `app-...` for a Chat app. */
  memberId: string;
  /** `users/{id}` or `groups/{id}`. */
  memberName: string;
  type: MemberType | "GROUP";
  role: MemberRole;
  /** `NOT_A_MEMBER` is a historical membership of import mode: one with a `deleteTime`. */
  state: "JOINED" | "INVITED" | "NOT_A_MEMBER";
  createTime: string;
  /** When the member left: set only on historical memberships written in import mode. */
  deleteTime?: string;
}

export interface RequestIdRecord {
  spaceId: string;
  principal: string;
  /** The space as it was when deleted, kept for `requestIdAfterDelete: "stale"`. */
  deleted?: StoredSpace;
}

export interface ServiceAccountRecord {
  email: string;
  project: string;
  clientId: string;
  keyId: string;
  publicKeyPem: string;
}

export interface AuthorizedUserRecord {
  clientId: string;
  clientSecret: string;
  email: string;
  scopes: string[];
  project: string;
}

export interface AccessTokenRecord {
  principal: Principal;
  scopes: string[];
  expiresAt: number;
  /** The OAuth client the token was issued to (tokeninfo's `azp`, `aud`): a user's OAuth client, or the service account that signed the grant. */
  clientId?: string;
}

/** Everything `--data` keeps. */
export interface EmulatorState {
  spaces: Record<string, StoredSpace>;
  memberships: Record<string, StoredMembership[]>;
  /** Keyed by `${project} ${requestId}`. */
  requestIds: Record<string, RequestIdRecord>;
  serviceAccounts: Record<string, ServiceAccountRecord>;
  /** Keyed by refresh token. */
  authorizedUsers: Record<string, AuthorizedUserRecord>;
  accessTokens: Record<string, AccessTokenRecord>;
  settings: WorldSettings;
}

export function emptyState(settings: WorldSettings = DEFAULT_SETTINGS): EmulatorState {
  return {
    spaces: {},
    memberships: {},
    requestIds: {},
    serviceAccounts: {},
    authorizedUsers: {},
    accessTokens: {},
    settings: structuredClone(settings),
  };
}
