/**
 * Changes made outside the Chat API's callers under test: what a person does in the Chat app
 * (removes a member or the Chat app, leaves, edits the space), what another tool does (completes
 * an import), what an administrator does in the Admin console (deletes a space). Each one acts
 * on the data as Google would, through the same rules the API methods use, but as nobody the
 * tests hold credentials for: none is in the request log or draws on a quota, so a test's count
 * of the provider's own calls stays exact. The control surface serves them (`/emulator/v1/outside/...`).
 */
import type { chat_v1 } from "@googleapis/chat";
import { findUser } from "../chat/member-rules";
import { renderMembership } from "../chat/render";
import type { ChatStore } from "../chat/store";
import { parseUpdateMask, planPatch } from "../chat/update-mask";
import { alreadyExists, invalidArgument, notFound } from "../errors";
import type { Caller, MemberRole, StoredMembership, StoredSpace } from "../model";

/**
 * What a space manager can change in the Chat app's space settings. Each field is applied as the
 * `spaces.patch` path of the same name would apply it (same validation, same errors), except that
 * `spaceDetails` keeps the half it does not name, as the Chat app's two separate boxes do.
 */
export interface SpaceEdit {
  displayName?: string;
  spaceDetails?: { description?: string; guidelines?: string };
  spaceHistoryState?: string;
  /** `null` or `""` makes the space private. */
  audience?: string | null;
  accessPermissionSettings?: chat_v1.Schema$AccessPermissionSettings;
  /** Only the named settings change. */
  permissionSettings?: chat_v1.Schema$PermissionSettings;
}

/** A space manager in the Chat app: a user, not an administrator, calling no API. */
const PERSON_IN_CHAT: Caller = {
  principal: {
    kind: "user",
    user: { id: "chat-app-user", email: "", admin: false },
    project: "chat.google.com",
    delegated: false,
  },
  scopes: [],
  grant: "regular",
  adminAccess: false,
};

export class OutsideChanges {
  constructor(private readonly store: ChatStore) {}

  /**
   * Removes one membership, as a person does in Chat when a member (any member, by default, for
   * a Chat app) removes it or the member leaves. `member` is `users/{id}`, `users/{email}`, a
   * service account's email or `users/{its client id}` for a Chat app, or `groups/{id}`.
   */
  removeMember(spaceName: string, member: string): chat_v1.Schema$Membership {
    const { space, membership } = this.membership(spaceName, member);
    const members = this.store.members(space.id);
    members.splice(members.indexOf(membership), 1);
    this.store.changed();
    return renderMembership(space.id, membership);
  }

  /**
   * Adds a member as a person does in Chat: `users/{id|email}` joins at once (an invitation
   * accepted on the spot), `groups/{id}` joins a SPACE, a Chat app's service account email adds
   * the app. `role` is the role it gets (ROLE_MEMBER unless given; a group or app has no other).
   */
  addMember(spaceName: string, member: string, role: MemberRole = "ROLE_MEMBER"): chat_v1.Schema$Membership {
    const space = this.space(spaceName);
    const memberId = this.memberIdOf(member);
    const members = this.store.members(space.id);
    if (members.some((m) => m.memberId === memberId)) throw alreadyExists(`${member} is already a member of spaces/${space.id}.`);
    const type = member.startsWith("groups/") ? "GROUP" : this.store.world.users.some((u) => u.id === memberId) ? "HUMAN" : "BOT";
    if (type !== "HUMAN" && role !== "ROLE_MEMBER") throw invalidArgument(`A ${type === "GROUP" ? "Google Group" : "Chat app"} can't have ${role}.`);
    if (type === "GROUP" && space.spaceType !== "SPACE") throw invalidArgument("Google Groups can only be added to a space of type SPACE.");
    if (type === "BOT" && !Object.values(this.store.state.serviceAccounts).some((a) => a.clientId === memberId)) {
      throw notFound(`${member} is neither a user of the organisation nor a Chat app's service account.`);
    }
    const membership: StoredMembership = {
      memberId,
      memberName: `${type === "GROUP" ? "groups" : "users"}/${memberId}`,
      type,
      role: type === "GROUP" ? "MEMBERSHIP_ROLE_UNSPECIFIED" : role,
      state: "JOINED",
      createTime: new Date(this.store.now()).toISOString(),
    };
    members.push(membership);
    this.store.changed();
    return renderMembership(space.id, membership);
  }

  /**
   * Invites a person as a member does in Chat when the person does not join at once: `users/{id|email}`
   * is INVITED, with `role`, until they accept ({@link acceptInvitation}) or are removed.
   */
  inviteMember(spaceName: string, member: string, role: MemberRole = "ROLE_MEMBER"): chat_v1.Schema$Membership {
    const space = this.space(spaceName);
    if (!this.store.world.users.some((u) => u.id === this.memberIdOf(member)))
      throw invalidArgument(`Only a person is invited: ${member} is not a user of the organisation.`);
    this.addMember(spaceName, member, role);
    const { membership } = this.membership(spaceName, member);
    membership.state = "INVITED";
    this.store.changed();
    return renderMembership(space.id, membership);
  }

  /** An invited user accepts the invitation in Chat: `INVITED` becomes `JOINED`. */
  acceptInvitation(spaceName: string, member: string): chat_v1.Schema$Membership {
    const { space, membership } = this.membership(spaceName, member);
    if (membership.state !== "INVITED") throw invalidArgument(`${member} has no pending invitation to spaces/${space.id}.`);
    membership.state = "JOINED";
    this.store.changed();
    return renderMembership(space.id, membership);
  }

  /** A space manager changes a member's role in Chat (no last-manager rule: the person in Chat decides). */
  setRole(spaceName: string, member: string, role: MemberRole): chat_v1.Schema$Membership {
    const { space, membership } = this.membership(spaceName, member);
    if (membership.type !== "HUMAN") throw invalidArgument(`Only a person's role can change: ${member} is a ${membership.type}.`);
    if (!["ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER", "ROLE_MANAGER"].includes(role)) throw invalidArgument(`Invalid membership role "${role}".`);
    membership.role = role;
    this.store.changed();
    return renderMembership(space.id, membership);
  }

  /** Edits the space as a space manager does in the Chat app's space settings; returns the stored space. */
  editSpace(spaceName: string, edit: SpaceEdit): StoredSpace {
    const space = this.space(spaceName);
    if (space.importMode) throw invalidArgument("An import-mode space is hidden from people in Chat: nobody can edit it there.");
    const steps: [string, chat_v1.Schema$Space][] = [];
    if (edit.displayName !== undefined) steps.push(["display_name", { displayName: edit.displayName }]);
    if (edit.spaceDetails !== undefined) {
      const { description = space.description, guidelines = space.guidelines } = edit.spaceDetails;
      steps.push(["space_details", { spaceDetails: { description, guidelines } }]);
    }
    if (edit.spaceHistoryState !== undefined) steps.push(["space_history_state", { spaceHistoryState: edit.spaceHistoryState }]);
    if (edit.audience !== undefined) steps.push(["access_settings.audience", { accessSettings: { audience: edit.audience } }]);
    if (edit.accessPermissionSettings !== undefined) {
      const { discoverSpaceSetting, joinSpaceSetting } = edit.accessPermissionSettings;
      const paths = [
        ...(discoverSpaceSetting !== undefined ? ["access_settings.access_permission_settings.discover_space_setting"] : []),
        ...(joinSpaceSetting !== undefined ? ["access_settings.access_permission_settings.join_space_setting"] : []),
      ];
      if (paths.length > 0) steps.push([paths.join(","), { accessSettings: { accessPermissionSettings: edit.accessPermissionSettings } }]);
    }
    if (edit.permissionSettings !== undefined) {
      const keys = Object.keys(edit.permissionSettings).map((key) => `permission_settings.${key}`);
      if (keys.length > 0) steps.push([keys.join(","), { permissionSettings: edit.permissionSettings }]);
    }
    // Each step is planned against the space as the steps before left it, on a copy: all or nothing.
    const planned = structuredClone(space);
    const change: Partial<StoredSpace> = {};
    for (const [mask, body] of steps) {
      const step = planPatch(parseUpdateMask(mask), {
        space: planned,
        body,
        caller: PERSON_IN_CHAT,
        world: this.store.world,
        callerRole: "ROLE_MANAGER",
        callerIsCreator: false,
      });
      Object.assign(planned, step);
      Object.assign(change, step);
    }
    this.store.applyChange(space, change);
    return structuredClone(space);
  }

  /** Completes an import outside Pulumi (another migration tool, or the same one run by hand). */
  completeImport(spaceName: string): StoredSpace {
    const space = this.space(spaceName);
    if (!space.importMode) throw invalidArgument(`Space spaces/${space.id} is not in import mode.`);
    this.store.finishImport(space);
    return structuredClone(space);
  }

  /** Deletes a space, as an administrator does in the Admin console (or Google does when an import expires). */
  deleteSpace(spaceName: string): void {
    this.store.removeSpace(this.space(spaceName));
  }

  /** `spaces/{id}` or the bare id. */
  private space(name: string): StoredSpace {
    const id = name.startsWith("spaces/") ? name.slice("spaces/".length) : name;
    const space = this.store.state.spaces[id];
    if (!space) throw notFound(`Space spaces/${id} does not exist.`);
    return space;
  }

  private membership(spaceName: string, member: string): { space: StoredSpace; membership: StoredMembership } {
    const space = this.space(spaceName);
    const memberId = this.memberIdOf(member);
    const membership = this.store.members(space.id).find((m) => m.memberId === memberId);
    if (!membership) throw notFound(`${member} is not a member of spaces/${space.id}.`);
    return { space, membership };
  }

  private memberIdOf(member: string): string {
    const bare = member.replace(/^(users|groups)\//, "");
    const user = findUser(this.store.world.users, bare);
    if (user) return user.id;
    return this.store.state.serviceAccounts[bare]?.clientId ?? bare;
  }
}
