/**
 * Stored records to the JSON the Chat API returns: proto3 JSON, so false, 0 and empty
 * strings are omitted, and what an app-auth caller may not read is left out (v1.d.ts
 * `spaces.get`: access and permission settings need `chat.app.spaces`, permission
 * settings only for spaces the app created; `spaces.list` never returns them).
 */
import type { chat_v1 } from "@googleapis/chat";
import { hasScope } from "../auth/scopes";
import { type Caller, type PermissionSetting, principalKey, type StoredMembership, type StoredSpace } from "../model";

const isProto3Default = (v: unknown) =>
  v === undefined ||
  v === null ||
  v === false ||
  v === 0 ||
  v === "" ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === "string" && v.endsWith("_UNSPECIFIED"));

/**
 * Drops proto3 default scalars (enum value 0 is the `*_UNSPECIFIED` name) and empty
 * repeated fields; keeps message
 * fields that are set, even when empty (`membershipCount: {}`).
 */
export function proto3<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (isProto3Default(v)) continue;
    out[key] = typeof v === "object" && !Array.isArray(v) ? proto3(v as object) : v;
  }
  return out as T;
}

export function spaceUri(space: StoredSpace): string {
  const kind = space.spaceType === "DIRECT_MESSAGE" ? "dm" : "room";
  return `https://chat.google.com/${kind}/${space.id}?cls=11`;
}

export interface SpaceView {
  caller: Caller;
  members: StoredMembership[];
  /** `spaces.list` omits permission settings (v1.d.ts Schema$Space.permissionSettings). */
  listing?: boolean;
}

export function renderSpace(space: StoredSpace, view: SpaceView): chat_v1.Schema$Space {
  const { caller } = view;
  const isApp = caller.principal.kind === "app";
  const appMaySeeSettings = hasScope(caller.scopes, "chat.app.spaces");
  const showAccess = space.spaceType === "SPACE" && (!isApp || appMaySeeSettings);
  const showPermissions = !view.listing && space.spaceType === "SPACE" && (!isApp || (appMaySeeSettings && space.creator === principalKey(caller.principal)));
  const joined = view.members.filter((m) => m.state === "JOINED");
  return proto3<chat_v1.Schema$Space>({
    name: `spaces/${space.id}`,
    type: space.spaceType === "DIRECT_MESSAGE" ? "DM" : "ROOM",
    spaceType: space.spaceType,
    threaded: space.spaceType === "SPACE",
    spaceThreadingState: space.spaceType === "SPACE" ? "THREADED_MESSAGES" : "UNTHREADED_MESSAGES",
    displayName: space.displayName,
    spaceDetails: space.description || space.guidelines ? { description: space.description, guidelines: space.guidelines } : undefined,
    spaceHistoryState: space.spaceHistoryState,
    externalUserAllowed: space.externalUserAllowed,
    importMode: space.importMode,
    importModeExpireTime: space.importModeExpireTime,
    createTime: space.createTime,
    lastActiveTime: space.lastActiveTime,
    customer: space.customer,
    spaceUri: spaceUri(space),
    membershipCount: {
      joinedDirectHumanUserCount: joined.filter((m) => m.type === "HUMAN").length,
      joinedGroupCount: joined.filter((m) => m.type === "GROUP").length,
    },
    accessSettings: showAccess ? renderAccess(space) : undefined,
    permissionSettings: showPermissions ? renderPermissions(space) : undefined,
  });
}

/**
 * A space is DISCOVERABLE when some audience may find it: its target audience, or a principal
 * of its discover setting. A setting with no principals is left out, and so are the access
 * permission settings when both are empty: Google does not say what it returns for a space
 * where they were never set, and an empty setting and an absent one mean the same.
 */
function renderAccess(space: StoredSpace): chat_v1.Schema$AccessSettings {
  const { discover = [], join = [] } = space.accessPermissions ?? {};
  const setting = (names: string[]) => (names.length > 0 ? { principals: names.map((name) => ({ audience: { name } })) } : undefined);
  return {
    accessState: space.audience || discover.length > 0 ? "DISCOVERABLE" : "PRIVATE",
    audience: space.audience,
    accessPermissionSettings: discover.length > 0 || join.length > 0 ? { discoverSpaceSetting: setting(discover), joinSpaceSetting: setting(join) } : undefined,
  };
}

function renderPermissions(space: StoredSpace): chat_v1.Schema$PermissionSettings {
  const out: Record<string, PermissionSetting> = {};
  for (const [key, setting] of Object.entries(space.permissionSettings)) out[key] = { ...setting };
  return out;
}

export function renderMembership(spaceId: string, m: StoredMembership): chat_v1.Schema$Membership {
  const isGroup = m.type === "GROUP";
  return proto3<chat_v1.Schema$Membership>({
    name: `spaces/${spaceId}/members/${m.memberId}`,
    state: m.state,
    role: m.role,
    member: isGroup ? undefined : { name: m.memberName, type: m.type },
    groupMember: isGroup ? { name: m.memberName } : undefined,
    createTime: m.createTime,
    deleteTime: m.deleteTime,
  });
}
