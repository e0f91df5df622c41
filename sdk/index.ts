/** Google Chat spaces and their memberships as Pulumi resources. */

export type { ChatMembershipOutputs, MembershipRole } from "../provider/membership/types";
export type {
  AccessSettings,
  ChatSpaceOutputs,
  HistoryState,
  MembershipCount,
  PermissionSetting,
  PermissionSettings,
  PredefinedPermissionSettings,
  SpaceDetails,
  SpaceType,
} from "../provider/space/types";
export type { ChatSpaceMembersOutputs, RosterMemberArgs, RosterMemberState, RosterMode } from "../provider/space-members/types";
export { CHAT_MEMBERSHIP_TYPE, ChatMembership, type ChatMembershipArgs } from "./chat-membership";
export { CHAT_SPACE_TYPE, ChatSpace, type ChatSpaceArgs } from "./chat-space";
export { CHAT_SPACE_MEMBERS_TYPE, ChatSpaceMembers, type ChatSpaceMembersArgs } from "./chat-space-members";
export type { ChatSpaceLookupArgs, ChatSpaceLookupResult } from "./lookup";
