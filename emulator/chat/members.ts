/**
 * The `spaces.members` methods (v1.d.ts Resource$Spaces$Members; docs/google-chat-api.md "Memberships"):
 * who may add, read, change and remove memberships, over the data of {@link ChatStore}.
 */
import type { chat_v1 } from "@googleapis/chat";
import { hasScope } from "../auth/scopes";
import { alreadyExists, failedPrecondition, invalidArgument, notFound, permissionDenied } from "../errors";
import type { Caller, MemberRole, PermissionKey, StoredMembership, StoredSpace, UserFixture } from "../model";
import { principalKey } from "../model";
import { parseMemberFilter } from "./member-filter";
import { findUser, historicalTimes, isExternal } from "./member-rules";
import { proto3, renderMembership } from "./render";
import { type ChatStore, memberIdOf, paginate } from "./store";

/** Google's own text for a malformed member (googleapis/google-api-php-client-services#2905). */
const MALFORMED_MEMBER =
  "Missing or malformed user resource name in the request. Human user resource name must follow this format: users/{user}. " +
  "App user resource name must be set as users/app.";

const ROLES: MemberRole[] = ["ROLE_MEMBER", "ROLE_MANAGER", "ROLE_ASSISTANT_MANAGER"];

export class MemberService {
  constructor(private readonly store: ChatStore) {}

  /**
   * Adds a user, a Google Group or the calling Chat app (v1.d.ts spaces.members.create). `role` is
   * ignored: it "can only be used as input in UpdateMembership" (Schema$Membership.role), so new
   * members are ROLE_MEMBER. A user whose auto-accept is off is invited (`INVITED`). In import
   * mode, `createTime` and `deleteTime` write a historical membership.
   */
  create(caller: Caller, parent: string, body: chat_v1.Schema$Membership): chat_v1.Schema$Membership {
    const space = this.store.visibleSpace(parent, caller, "spaces.members.create");
    const times = historicalTimes(space, body, this.store.now());
    const isApp = caller.principal.kind === "app";
    let membership: StoredMembership;
    if (body.groupMember) {
      if (isApp) throw permissionDenied("A Chat app can't add Google Groups to a space.");
      if (space.spaceType !== "SPACE") throw invalidArgument("Google Groups can only be added to a space of type SPACE.");
      if (space.importMode) throw invalidArgument("An import mode space takes only memberships of human users.");
      const name = body.groupMember.name ?? "";
      if (!/^groups\/[^/]+$/.test(name)) throw invalidArgument("Invalid group resource name: use groups/{group}.");
      this.requireAdding(caller, space, "manageMembersAndGroups", "add members");
      membership = this.newMembership(name.slice("groups/".length), name, "GROUP", "MEMBERSHIP_ROLE_UNSPECIFIED");
    } else {
      const name = body.member?.name ?? "";
      if (name === "users/app") {
        if (isApp) throw permissionDenied("A Chat app can't add Chat apps to a space.");
        if (caller.grant === "admin") throw appMembershipWithAdminAccess("Creating");
        if (space.importMode) throw invalidArgument("An import mode space takes only memberships of human users.");
        const app = this.callingApp(caller);
        if (!app) throw notFound("The calling Chat app was not found.");
        this.requireAdding(caller, space, "manageApps", "add a Chat app to this space");
        membership = this.newMembership(app.clientId, `users/${app.clientId}`, "BOT", "ROLE_MEMBER");
      } else {
        const user = this.findUser(/^users\/([^/]+)$/.exec(name)?.[1]);
        if (!isApp && onlyAppScope(caller)) throw permissionDenied("The chat.memberships.app scope can only add the calling app.");
        if (isApp && this.store.world.appMembersOnlyInOwnSpaces && space.creator !== principalKey(caller.principal)) {
          throw permissionDenied("A Chat app can only add members to spaces it created.");
        }
        this.checkExternal(caller, space, user);
        if (!isApp) this.requireAdding(caller, space, "manageMembersAndGroups", "add members");
        membership = this.newMembership(user.id, `users/${user.id}`, "HUMAN", "ROLE_MEMBER");
        if (!space.importMode && this.autoAcceptOff(user)) membership.state = "INVITED";
      }
    }
    if (times) Object.assign(membership, times);
    const members = this.store.members(space.id);
    if (members.some((m) => m.memberId === membership.memberId)) {
      throw alreadyExists(`${membership.memberName} is already a member of spaces/${space.id}.`);
    }
    members.push(membership);
    this.store.changed();
    return renderMembership(space.id, membership);
  }

  get(caller: Caller, name: string): chat_v1.Schema$Membership {
    const { space, membership } = this.find(caller, name, "spaces.members.get");
    if (caller.grant === "admin" && membership.type === "BOT") throw appMembershipWithAdminAccess("Getting");
    return renderMembership(space.id, membership);
  }

  /**
   * Lists memberships (v1.d.ts spaces.members.list): groups only with `showGroups`, invitations
   * only with `showInvited` and user auth ("Currently requires user authentication"; with app
   * auth the flag is ignored), no app memberships with app auth or admin access, and with admin
   * access only under a filter that excludes apps. Historical memberships of import mode
   * (`NOT_A_MEMBER`) are listed like any other.
   */
  list(caller: Caller, parent: string, query: Record<string, string | undefined>) {
    const space = this.store.visibleSpace(parent, caller, "spaces.members.list");
    const filter = parseMemberFilter(query.filter);
    if (caller.grant === "admin" && !filter.excludesApps) {
      throw invalidArgument('With useAdminAccess the filter must include member.type = "HUMAN" or member.type != "BOT".');
    }
    const showInvited = query.showInvited === "true" && caller.principal.kind === "user";
    const groupsShown = this.store.world.groupsShownToApps;
    const shown = this.store.members(space.id).filter(
      (m) =>
        // App auth never lists app memberships, its own included, nor does admin access (v1.d.ts members.list).
        !((caller.principal.kind === "app" || caller.grant === "admin") && m.type === "BOT") &&
        (m.type !== "GROUP" || (query.showGroups === "true" && !(caller.principal.kind === "app" && groupsShown === "hidden"))) &&
        (m.state !== "INVITED" || showInvited) &&
        filter.matches(m),
    );
    const { items, nextPageToken } = paginate(shown, query);
    // A group's membership shown to an app without its group (groupsShownToApps: "unnamed").
    const unnamed = (m: chat_v1.Schema$Membership, stored: StoredMembership) =>
      stored.type === "GROUP" && caller.principal.kind === "app" && groupsShown === "unnamed" ? { ...m, groupMember: undefined } : m;
    return proto3({ memberships: items.map((m) => unnamed(renderMembership(space.id, m), m)), nextPageToken });
  }

  /**
   * Changes a role (v1.d.ts spaces.members.patch: mask `role` or `*`). A space manager, the app
   * in a space it created, or an administrator with admin access may; groups have no role, a
   * Chat app is always a plain member, and manager roles exist only in spaces of type SPACE.
   */
  patch(caller: Caller, name: string, updateMask: string | undefined, body: chat_v1.Schema$Membership) {
    const { space, membership } = this.find(caller, name, "spaces.members.patch");
    const paths = (updateMask ?? "")
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean);
    if (paths.length === 0) throw invalidArgument("update_mask is required.");
    if (paths.some((p) => p !== "role" && p !== "*")) {
      throw invalidArgument(`Invalid update_mask "${updateMask}": only role (or *) can be updated.`);
    }
    const role = body.role as MemberRole;
    if (!ROLES.includes(role)) throw invalidArgument(`Invalid membership role "${body.role ?? ""}".`);
    if (membership.type === "GROUP") throw invalidArgument("A Google Group's membership has no role.");
    if (membership.type === "BOT" && role !== "ROLE_MEMBER") throw invalidArgument("A Chat app's membership can only have ROLE_MEMBER.");
    if (membership.state === "NOT_A_MEMBER") throw invalidArgument("A historical membership's role can't be changed.");
    if (role !== "ROLE_MEMBER" && space.spaceType !== "SPACE") {
      throw invalidArgument(`${role} is only valid in a space of type SPACE.`);
    }
    this.requireManagerOrOwnApp(caller, space);
    if (role !== "ROLE_MANAGER") this.keepAManager(space, membership);
    membership.role = role;
    this.store.changed();
    return renderMembership(space.id, membership);
  }

  /**
   * Removes a membership (v1.d.ts spaces.members.delete). Anyone may remove their own membership
   * (leave; "Chat apps can delete ... their own memberships"). A user removes a Chat app when the
   * space's `manageApps` permission setting allows the user's role ("By default, the Chat app
   * can be removed from the space by all space members", v1.d.ts spaces.create); other members
   * are removed by managers (`ROLE_MANAGER` or `ROLE_ASSISTANT_MANAGER`), and only a manager
   * removes a manager ("To delete memberships for space managers, the requester must be a space
   * manager"). Removing the last manager is refused while `keepLastManager` is on.
   */
  delete(caller: Caller, name: string): chat_v1.Schema$Membership {
    const { space, membership } = this.find(caller, name, "spaces.members.delete");
    if (caller.grant === "admin" && membership.type === "BOT") throw appMembershipWithAdminAccess("Deleting");
    const own = membership.memberId === memberIdOf(caller.principal, this.store.state);
    if (caller.principal.kind === "user" && onlyAppScope(caller) && !(membership.type === "BOT" && this.isCallingApp(caller, membership))) {
      throw permissionDenied("The chat.memberships.app scope can only remove the calling app.");
    }
    if (!own) {
      if (caller.principal.kind === "app" && membership.type !== "HUMAN") {
        throw permissionDenied("A Chat app can't remove Google Groups or Chat apps.");
      }
      if (membership.type === "BOT" && caller.principal.kind === "user" && caller.grant !== "admin") {
        this.requirePermission(caller, space, "manageApps", "remove a Chat app from this space");
      } else {
        this.requireRemover(caller, space);
      }
      // v1.d.ts members.delete: "To delete memberships for space managers, the requester must be a
      // space manager. If you're using app authentication the Chat app must be the space creator"
      // (requireRemover checked that): an app, never a manager itself, removes them in its own spaces.
      if (membership.role === "ROLE_MANAGER" && this.store.membershipOf(space.id, caller.principal)?.role !== "ROLE_MANAGER") {
        if (caller.grant !== "admin" && caller.principal.kind !== "app") throw permissionDenied("Only a space manager can remove a space manager.");
      }
    }
    this.keepAManager(space, membership);
    const members = this.store.members(space.id);
    members.splice(members.indexOf(membership), 1);
    this.store.changed();
    return renderMembership(space.id, membership);
  }

  /** Adding with user auth: the permission setting decides (an administrator with admin access and the app pass). */
  private requireAdding(caller: Caller, space: StoredSpace, key: PermissionKey, what: string): void {
    if (caller.grant === "admin" || caller.principal.kind === "app") return;
    this.requirePermission(caller, space, key, what);
  }

  /**
   * Removing another member: a space manager of either rank (Chat's "Owner" and "Manager"), the
   * app in a space it created, an administrator with admin access, or the importer.
   */
  private requireRemover(caller: Caller, space: StoredSpace): void {
    if (caller.grant === "admin" || caller.principal.kind === "app") {
      this.requireManagerOrOwnApp(caller, space);
      return;
    }
    const role = this.store.membershipOf(space.id, caller.principal)?.role;
    const isCreatorOfImport = space.importMode && space.creator === principalKey(caller.principal);
    if (!isCreatorOfImport && role !== "ROLE_MANAGER" && role !== "ROLE_ASSISTANT_MANAGER") {
      throw permissionDenied("Only a space manager can remove other members.");
    }
  }

  /** `keepLastManager`: the change that would leave the space without a joined ROLE_MANAGER is refused. */
  private keepAManager(space: StoredSpace, membership: StoredMembership): void {
    if (!this.store.world.keepLastManager || membership.role !== "ROLE_MANAGER" || membership.state !== "JOINED") return;
    const others = this.store.members(space.id).some((m) => m !== membership && m.role === "ROLE_MANAGER" && m.state === "JOINED");
    if (!others) {
      throw failedPrecondition(`${membership.memberName} is the last space manager (ROLE_MANAGER) of spaces/${space.id}: make another member a manager first.`);
    }
  }

  /** v1.d.ts members.create: admin access and app auth don't add users outside the organisation; the space must allow them. */
  private checkExternal(caller: Caller, space: StoredSpace, user: UserFixture): void {
    if (!isExternal(user, this.store.world)) return;
    if (caller.grant === "admin") {
      throw invalidArgument("Creating memberships for users outside the administrator's Google Workspace organization isn't supported with useAdminAccess.");
    }
    if (caller.principal.kind === "app") {
      throw permissionDenied("A Chat app can't invite users outside the Google Workspace organization that owns the space.");
    }
    if (!space.externalUserAllowed) {
      throw failedPrecondition(`spaces/${space.id} doesn't allow users outside its Google Workspace organization (externalUserAllowed is false).`);
    }
  }

  private autoAcceptOff(user: UserFixture): boolean {
    return this.store.world.autoAcceptOff.some((entry) => findUser([user], entry.replace(/^users\//, "")) !== undefined);
  }

  /** Whether the caller's role in the space is one the permission setting allows. */
  private requirePermission(caller: Caller, space: StoredSpace, key: PermissionKey, what: string): void {
    const setting = space.permissionSettings[key];
    const role = this.store.membershipOf(space.id, caller.principal)?.role;
    const allowed =
      (role === "ROLE_MANAGER" && setting.managersAllowed) ||
      (role === "ROLE_ASSISTANT_MANAGER" && (setting.assistantManagersAllowed || setting.membersAllowed)) ||
      (role === "ROLE_MEMBER" && setting.membersAllowed) ||
      (space.importMode && space.creator === principalKey(caller.principal));
    if (!allowed) throw permissionDenied(`The space's ${key} permission setting doesn't let the caller ${what}.`);
  }

  /** The Chat app of the caller's Google Cloud project: `users/app` and `members/app` with user auth. */
  private callingApp(caller: Caller) {
    return Object.values(this.store.state.serviceAccounts).find((a) => a.project === caller.principal.project);
  }

  private isCallingApp(caller: Caller, membership: StoredMembership): boolean {
    return membership.memberId === this.callingApp(caller)?.clientId;
  }

  private requireManagerOrOwnApp(caller: Caller, space: StoredSpace): void {
    if (caller.grant === "admin") return;
    if (caller.principal.kind === "app") {
      if (space.creator !== principalKey(caller.principal)) {
        throw permissionDenied("A Chat app can only manage memberships of spaces it created.");
      }
      return;
    }
    const isCreatorOfImport = space.importMode && space.creator === principalKey(caller.principal);
    if (!isCreatorOfImport && this.store.membershipOf(space.id, caller.principal)?.role !== "ROLE_MANAGER") {
      throw permissionDenied("Only a space manager can change memberships.");
    }
  }

  private find(caller: Caller, name: string, method: Parameters<ChatStore["visibleSpace"]>[2]) {
    const match = /^(spaces\/[^/]+)\/members\/(.+)$/.exec(name);
    if (!match) throw invalidArgument(`Invalid membership name "${name}": use spaces/{space}/members/{member}.`);
    const space = this.store.visibleSpace(match[1], caller, method);
    const memberId = this.resolveMemberId(caller, match[2]);
    const membership = this.store.members(space.id).find((m) => m.memberId === memberId);
    if (!membership) throw notFound();
    return { space, membership };
  }

  /**
   * `{member}` may be a user id, a user's email, a group id, or `app`: the calling app, which with
   * user auth is the Chat app of the caller's project (v1.d.ts members.get and members.delete).
   */
  private resolveMemberId(caller: Caller, member: string): string {
    if (member === "app") {
      if (caller.principal.kind === "app") return memberIdOf(caller.principal, this.store.state);
      const app = this.callingApp(caller);
      if (!app) throw notFound("The calling Chat app was not found.");
      return app.clientId;
    }
    return findUser(this.store.world.users, member)?.id ?? member;
  }

  private findUser(idOrEmail: string | undefined) {
    if (!idOrEmail) throw invalidArgument(MALFORMED_MEMBER);
    const user = findUser(this.store.world.users, idOrEmail);
    if (!user) throw notFound(`User users/${idOrEmail} was not found.`);
    return user;
  }

  private newMembership(memberId: string, memberName: string, type: StoredMembership["type"], role: MemberRole): StoredMembership {
    return { memberId, memberName, type, role, state: "JOINED", createTime: new Date(this.store.now()).toISOString() };
  }
}

/** v1.d.ts `useAdminAccess` of members.create, get and delete: app memberships are out of its reach. */
function appMembershipWithAdminAccess(doing: "Creating" | "Getting" | "Deleting") {
  return invalidArgument(`${doing} app memberships isn't supported with useAdminAccess.`);
}

/** A user who may manage only the calling app's membership (v1.d.ts `chat.memberships.app`). */
function onlyAppScope(caller: Caller): boolean {
  return hasScope(caller.scopes, "chat.memberships.app") && !hasScope(caller.scopes, "chat.memberships");
}
