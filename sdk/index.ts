/** Google Chat spaces and their memberships as Pulumi resources. */
export { ChatSpace, CHAT_SPACE_TYPE, type ChatSpaceArgs } from "./chat-space";
export type { ChatSpaceLookupArgs, ChatSpaceLookupResult } from "./lookup";
export { ChatMembership, CHAT_MEMBERSHIP_TYPE, type ChatMembershipArgs } from "./chat-membership";
export type { ChatMembershipOutputs, MembershipRole } from "../provider/membership/types";
export { ChatSpaceMembers, CHAT_SPACE_MEMBERS_TYPE, type ChatSpaceMembersArgs } from "./chat-space-members";
export type { ChatSpaceMembersOutputs, RosterMemberArgs, RosterMemberState, RosterMode } from "../provider/space-members/types";
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
