/**
 * Spaces that already exist when a test starts, as people and other tools made them over the
 * years: created in the Chat app (no request in the log, no requestId, no quota drawn), with
 * their settings, activity and members. The control surface serves it (`POST /emulator/v1/seed`),
 * so a test of tools that find existing spaces (`pulumi-googlechat import`) starts from an
 * organisation rather than from the API calls that would have built it.
 *
 * Each value goes through the rules the API applies to it: the display name must be free, the
 * audience well formed, members are added as {@link OutsideChanges.addMember} adds them.
 */

import { checkAudience, initialPermissions, sameCustomer } from "../chat/space-rules";
import type { ChatStore } from "../chat/store";
import { alreadyExists, invalidArgument } from "../errors";
import type { AccessPermissions, HistoryState, MemberRole, PermissionKey, PermissionSetting, StoredSpace } from "../model";
import { OutsideChanges } from "./outside";

/** One existing space. Unset fields take the values a space created in Chat has. */
export interface SpaceSeed {
  /** @default "SPACE" */
  spaceType?: "SPACE" | "GROUP_CHAT" | "DIRECT_MESSAGE";
  /** Required for a SPACE; none for a group chat or DM. */
  displayName?: string;
  description?: string;
  guidelines?: string;
  /** @default "HISTORY_ON" */
  spaceHistoryState?: HistoryState;
  externalUserAllowed?: boolean;
  /** Still in import mode (created by `creator` with chat.import, members none). */
  importMode?: boolean;
  /**
   * @default the emulator's now. `null`: none, as Google answers a space made before Chat (a
   * migrated or legacy one: v1.d.ts sets createTime "for spaces created in Chat"); stored as "",
   * which answers leave out as they leave out every empty value.
   */
  createTime?: string | null;
  /** When the last message was posted; unset: no message yet (a group chat or DM is then not listed). */
  lastActiveTime?: string;
  audience?: string;
  accessPermissions?: AccessPermissions;
  /** @default "COLLABORATION_SPACE" */
  predefinedPermissionSettings?: "COLLABORATION_SPACE" | "ANNOUNCEMENT_SPACE";
  /** Settings changed since creation, over the preset's. */
  permissionSettings?: Partial<Record<PermissionKey, PermissionSetting>>;
  /** Another organisation's space (`customers/{id}`), where the emulated users are guests. @default the emulated organisation */
  customer?: string;
  /** `users/{id|email}` of the person who made it (joins as manager), or a Chat app's service account email. @default the first administrator */
  creator?: string;
  /**
   * Further members, as a person adds them in Chat: `users/{id|email}`, `groups/{id}`, an app's
   * service account email. `state`: a person invited who has not joined yet (`INVITED`: listed
   * only with showInvited and user authentication), or one who left before the space's import
   * completed (`NOT_A_MEMBER`, a historical membership with a deleteTime). @default JOINED
   */
  members?: { member: string; role?: MemberRole; state?: "INVITED" | "NOT_A_MEMBER" }[];
}

/** Stores `seeds` as existing spaces; answers their names, in order. */
export function seedSpaces(store: ChatStore, seeds: readonly SpaceSeed[]): string[] {
  if (!Array.isArray(seeds)) throw invalidArgument("seed takes { spaces: [...] }.");
  const outside = new OutsideChanges(store);
  return seeds.map((seed) => {
    const space = storedSpace(store, seed);
    store.state.spaces[space.id] = space;
    store.state.memberships[space.id] = [];
    const creator = seed.creator ?? `users/${store.world.users.find((u) => u.admin)?.email}`;
    if (!space.importMode) {
      outside.addMember(space.id, creator, creator.startsWith("users/") ? "ROLE_MANAGER" : "ROLE_MEMBER");
      for (const { member, role, state } of seed.members ?? []) {
        const added = outside.addMember(space.id, member, role);
        if (state) endAs(store, space.id, added.name ?? "", state);
      }
    }
    return `spaces/${space.id}`;
  });
}

function storedSpace(store: ChatStore, seed: SpaceSeed): StoredSpace {
  const spaceType = seed.spaceType ?? "SPACE";
  const displayName = seed.displayName ?? "";
  const customer = seed.customer ?? store.world.customer;
  if (spaceType === "SPACE") {
    if (displayName.trim() === "") throw invalidArgument("A SPACE needs a displayName.");
    const taken = Object.values(store.state.spaces).some(
      (s) => s.spaceType === "SPACE" && s.displayName === displayName && sameCustomer(s.customer, customer, store.world),
    );
    if (taken) throw alreadyExists(`A space named "${displayName}" already exists in this Google Workspace organization.`);
  } else if (displayName !== "") {
    throw invalidArgument(`A ${spaceType} has no displayName.`);
  }
  if (seed.audience) checkAudience(seed.audience, "audience");
  const creator = seed.creator ?? `users/${store.world.users.find((u) => u.admin)?.email}`;
  const creatorUser = store.world.users.find((u) => `users/${u.email}` === creator || `users/${u.id}` === creator);
  const now = new Date(store.now()).toISOString();
  return {
    id: store.freshId(),
    spaceType,
    displayName,
    description: seed.description ?? "",
    guidelines: seed.guidelines ?? "",
    spaceHistoryState: seed.spaceHistoryState ?? "HISTORY_ON",
    externalUserAllowed: seed.externalUserAllowed ?? false,
    importMode: seed.importMode ?? false,
    ...(seed.importMode ? { importModeExpireTime: new Date(store.now() + 90 * 24 * 3600 * 1000).toISOString() } : {}),
    createTime: seed.createTime === null ? "" : (seed.createTime ?? now),
    ...(seed.lastActiveTime ? { lastActiveTime: seed.lastActiveTime } : {}),
    customer,
    ...(seed.audience ? { audience: seed.audience } : {}),
    ...(seed.accessPermissions ? { accessPermissions: structuredClone(seed.accessPermissions) } : {}),
    permissionSettings: { ...initialPermissions(seed.predefinedPermissionSettings ?? "COLLABORATION_SPACE"), ...seed.permissionSettings },
    creator: creatorUser ? `user:${creatorUser.id}` : `app:${creator}`,
  };
}

/** A seeded membership as invited (not joined yet) or historical (left, with a deleteTime). */
function endAs(store: ChatStore, spaceId: string, name: string, state: "INVITED" | "NOT_A_MEMBER"): void {
  const membership = store.members(spaceId).find((m) => name.endsWith(`/members/${m.memberId}`));
  if (membership?.type !== "HUMAN") throw invalidArgument(`Only a person can be seeded as ${state}: ${name}.`);
  membership.state = state;
  if (state === "NOT_A_MEMBER") membership.deleteTime = membership.createTime;
  store.changed();
}
