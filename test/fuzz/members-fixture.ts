/**
 * One fuzz case of memberships across resources, as plain JSON: ChatMemberships and rosters
 * (ChatSpaceMembers) of one or two spaces a person made, in one program served by one provider
 * instance or two (each resource names its own). The program of the last deployment and the operation's program are whole programs,
 * so that a member moves from one resource to another, a resource is renamed (a new name is a
 * new URN), written in other spellings, or declared twice. The credentials may change between
 * the two deployments. A failing case prints this object; fixtures/members-<name>.json replays it.
 */

import type { RosterMemberArgs, RosterMode } from "../../provider/space-members/types";
import type { OperationKind } from "./fixture";
import type { MemberDeclaration, MemberDivergence, MembershipFault } from "./membership-fixture";

/** The person's first space (0) or second (1). */
export type SpaceIndex = 0 | 1;

/**
 * The provider instance a resource names (its `provider` resource option): the default provider,
 * or the program's one explicit provider, configured alike. The engine serves each instance by a
 * process of its own, with claims of its own.
 */
export type ProviderInstance = "default" | "explicit";

/** A ChatMembership of the program: one member of one space. */
export interface MembershipResource {
  type: "ChatMembership";
  /** Its Pulumi name: another name is another resource (a new URN). */
  name: string;
  space: SpaceIndex;
  member: MemberDeclaration;
  /** The retainOnDelete resource option. */
  retainOnDelete?: boolean;
  /** Its provider instance; absent: the default provider. */
  provider?: ProviderInstance;
  /** The program's own deleteBeforeReplace resource option; absent: not set (the SDK class's, sdk-options.ts). */
  deleteBeforeReplace?: boolean;
  /** What of the operation's declaration is another resource's output: unknown at preview, declared at the up. */
  unknownAtPreview?: MembershipUnknown;
}

/** A ChatSpaceMembers of the program: the roster of one space. */
export interface RosterResource {
  type: "ChatSpaceMembers";
  name: string;
  space: SpaceIndex;
  members: RosterMemberArgs[];
  mode?: RosterMode;
  retainOnDelete?: boolean;
  /** Its provider instance; absent: the default provider. */
  provider?: ProviderInstance;
  /** The program's own deleteBeforeReplace resource option; absent: not set (the SDK class's, sdk-options.ts). */
  deleteBeforeReplace?: boolean;
  /**
   * The roster came into the stack by `pulumi import` of its space, with the last deployment's
   * credentials, before that deployment: its declaration is the one the import wrote (its members
   * and mode), with `members` added to it, or declared again at other roles (`mode` is not used).
   */
  imported?: boolean;
  /** What of the operation's declaration is another resource's output: unknown at preview, declared at the up. */
  unknownAtPreview?: RosterUnknown;
}

/**
 * What of a roster's declaration is another resource's output (a person, a group, a role or a mode
 * the program makes or reads with another provider), unknown at preview: its entry `entry` as one
 * output (`entry`), only the field naming that entry's member (`member`: its `user`, `group` or
 * `chatApp`), or that entry's `role` (declared at the up or not); its `mode`; its whole `members` list;
 * its `space` (`space: eng.name` while the space changes: a replacement at preview, the same space at the up).
 */
export type RosterUnknown = { of: "entry" | "member" | "role"; entry: number } | { of: "mode" } | { of: "members" } | { of: "space" };

/**
 * What of a ChatMembership's declaration is another resource's output, unknown at preview: the field
 * naming its member, its `role`, or its `space` (`space: eng.name` while the space changes: a
 * replacement at preview, the same space at the up).
 */
export type MembershipUnknown = "member" | "role" | "space";

export type MembersResource = MembershipResource | RosterResource;

/** The people who may run an operation: they are the calling user, whom the provider never removes. */
export type CallerPerson = "admin" | "alice" | "bob";

/** The credentials of one deployment. */
export interface MembersCredentials {
  /** The calling user; with `via: "app"`, the person who set the deployment up, whom the provider does not act as. */
  user: CallerPerson;
  /**
   * `impersonate`: the app's service account acting as the user through domain-wide delegation
   * (googlechat:impersonateUser); `own`: the user's own `authorized_user` credentials, whose
   * email the provider learns from Google's tokeninfo; `app`: the service account itself, without
   * impersonateUser (app authentication): the caller is the Chat app, which manages the members of
   * the spaces it created (docs/guides/memberships.md, "Authentication and scopes").
   */
  via: "impersonate" | "own" | "app";
  /** googlechat:useAdminAccess (admin@example.com, a Workspace administrator, only). */
  adminAccess: boolean;
  /**
   * With a user's own credentials: false when they were signed in without the email scope
   * (`gcloud auth application-default login --scopes=` of the Chat scopes alone), so that the
   * provider can't learn who the caller is. The same for both deployments of one user.
   */
  emailScope?: boolean;
}

/** A person invited in Chat by a member of the space: INVITED, with the role, until they accept. */
export interface Invitation {
  kind: "invite";
  member: string;
  role?: "ROLE_MEMBER" | "ROLE_ASSISTANT_MANAGER" | "ROLE_MANAGER";
}

/** A change made in Chat, in one of the spaces. */
export type SpaceChange = (MemberDivergence | Invitation) & { space: SpaceIndex };

/** Two declarations of one member in the operation's program, which must be refused. */
export interface Conflict {
  /** What the program declares twice. */
  kind: "twoMemberships" | "membershipAndRoster" | "authoritativeBeside" | "twoRosters" | "byEmailAndId" | "callerOfAnotherInstance";
  /**
   * Whether the declarations name the member alike (one key, in any capitals), so that check
   * refuses them with no API call; otherwise (an email and a `users/{id}`) only Google can tell
   * they are one person: refused before the write of the one declaration Google names, or after
   * it, when the member is new; never applied as both.
   */
  atCheck: boolean;
  /**
   * Refused by the preview, at check or at a diff, naming both declarations: the calling user of
   * one provider instance declared by a ChatMembership beside an authoritative roster of another
   * instance, whose calling user is someone else, that does not declare her (the roster would
   * remove her). A roster whose caller is learnt only at its diff (a user's own credentials) tells
   * it there.
   */
  atPreview?: boolean;
  /**
   * The member both declarations name is in the space before the operation, and the resources
   * written in it are the declarations' alone: Google can be asked who it is before any write, so
   * the refusal comes before any (no POST, PATCH or DELETE by the operation or the up after it).
   */
  beforeAnyWrite?: boolean;
}

/**
 * A declaration no member may take, which check must refuse with no API call: a Google Group given
 * a role (a group has none), or the calling Chat app declared under admin access (which can't
 * reach apps' memberships).
 */
export type InvalidDeclaration = "groupWithRole" | "appWithAdminAccess";

export interface MembersFixture {
  /** How many spaces the person made (the program's resources name one of them). */
  spaces: 1 | 2;
  /** The spaces allow users outside the organisation (externalUserAllowed), so erin of another organisation can be declared. */
  externalSpace: boolean;
  /**
   * How many of the spaces, the first first, are migrations under way: made in import mode by
   * admin (chat.import, a createTime in the past, no members: Google lets only its importer reach
   * them), their people declared by ChatMemberships with the times of their history (`createTime`,
   * and `deleteTime` for one who left), which Google takes only when a membership is created.
   */
  importSpaces?: 1 | 2;
  /**
   * The first space was made by the Chat app (app authentication), which added admin as its owner:
   * the app is a member of it (BOT, ROLE_MEMBER), and manages its members under app authentication.
   */
  appSpace?: boolean;
  /**
   * The first space belongs to another organisation (`customers/C09partner`), which installed the
   * Chat app; the app made it there, and admin is its owner. Admin access reaches only the spaces of
   * the administrator's own organisation (v1.d.ts `useAdminAccess`): it answers 404 there.
   */
  partnerSpace?: boolean;
  /** Whether the emulator itself refuses to leave a space without a ROLE_MANAGER: off, the providers' guard is all there is. */
  keepLastManager: boolean;
  /** bob@example.com's auto-accept is off: an add invites him (INVITED) until he accepts. */
  bobInvited: boolean;
  /** Who ran the last deployment (`start`), and who runs the operation and the next up after it (`next`). */
  credentials: { start: MembersCredentials; next: MembersCredentials };
  /**
   * The explicit provider instance's credentials, in every deployment, when they are not the
   * default provider's (another `googlechat:impersonateUser`, or a user's own credentials): its
   * calling user is another. Absent: configured alike.
   */
  explicitCredentials?: MembersCredentials;
  /**
   * Every resource of the program is the explicit instance's or the default's, each instance
   * declaring one in the space at the start: the explicit instance's calling user, as the default
   * one's, is never removed (docs/guides/memberships.md, "the calling user of every provider instance").
   */
  instanceCallersKept?: boolean;
  /** Members people added in Chat before the first deployment. */
  preexisting: SpaceChange[];
  /** The program of the last deployment. */
  start: MembersResource[];
  /** The operation's program. */
  next: MembersResource[];
  /** Set when the operation's program declares a member twice. */
  conflict?: Conflict;
  /** Set when the operation's program holds a declaration check must refuse. */
  invalid?: InvalidDeclaration;
  /**
   * Between the last deployment and the operation, before the changes in Chat: admin@example.com's
   * account is renamed and its address given to a new administrator (test/provider/membership-helpers.ts
   * `addressGivenToNewAdmin`). Credentials naming admin@example.com act as her from then on; the
   * state still records the caller by that email, which names another person now.
   */
  addressReassigned?: boolean;
  /**
   * Between the last deployment and the operation, before the changes in Chat: bob@example.com's
   * account is renamed and its address given to a colleague, users/110000000000000000010
   * (test/provider/membership-helpers.ts `bobsAddressGivenToDana`). The state still records bob by
   * that email; the program's new declarations of it name her.
   */
  bobsAddressGiven?: boolean;
  /**
   * A deployment between the last one and the operation, of this program, with the last
   * deployment's credentials (after `bobsAddressGiven`, before the changes in Chat): the operation
   * meets the states it wrote beside the start's (with bob's address given, a resource it makes
   * declaring the address holds dana, while one the start made still holds bob).
   */
  afterMove?: MembersResource[];
  /**
   * After the operation crashed, before the up after it: bob's address given to dana (as
   * `bobsAddressGiven`), and that up's program, which the user changed meanwhile (absent: the
   * operation's). A resource the crashed up made of the address holds bob; one this program adds
   * holds dana.
   */
  afterCrash?: { program: MembersResource[] };
  /** Changes made in Chat between the last deployment and the operation. */
  divergence: SpaceChange[];
  /** The first space deleted in Chat after the changes in Chat (`divergence`): its memberships went with it. */
  spaceDeletedInChat?: boolean;
  /** `pulumi refresh` (no faults) after the changes in Chat, before the operation. */
  refreshFirst: boolean;
  /** The operation is `pulumi up --refresh` (or `preview --refresh`): its preview and its update each refresh first, in their own processes. */
  upRefresh?: boolean;
  /** The operation is `pulumi up --skip-preview`: no preview; each resource stepped while the next is checked. */
  skipPreview?: boolean;
  /**
   * The operation's `up` (or `up --skip-preview`, `up --replace`) overlaps its update's steps with
   * the registrations after them, as the engine does: each registration checked and diffed while
   * the step before it waits on its first API request.
   */
  checkDuringStep?: boolean;
  /** The operation deletes the resources it deletes at once, as the engine runs a delete chain in parallel. */
  deletesAtOnce?: boolean;
  /** The operation's update runs the steps of the declared resources at once, as the engine's workers do. */
  stepsAtOnce?: boolean;
  /**
   * Changes made in Chat during the `up --refresh`, after its preview's refresh and before its
   * update's: read by the update alone. None undoes another (the documented limit of `up --refresh`).
   */
  betweenRefreshes?: SpaceChange[];
  operation: OperationKind;
  /** The resource `up --replace` targets. */
  replaceTarget?: string;
  faults: MembershipFault[];
  /** The engine dies after the `after`-th provider call of the operation (deletes counted only with `countDeletes`). */
  crash?: { after: number; countDeletes: boolean };
  /** After the operation (and the next up after a failure), `pulumi destroy` with the operation's credentials: the stack taken down. */
  thenDestroy?: boolean;
  /** After a failed operation, `pulumi destroy` instead of the up again: the user gives up on the change and takes the stack down. */
  destroyAfterFailure?: boolean;
  /** How Google shows the Chat app a Google Group's membership (the emulator's `groupsShownToApps`); `named` when unset. */
  groupsShownToApps?: "named" | "unnamed" | "hidden";
}
