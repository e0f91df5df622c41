/** Google Chat spaces as Pulumi resources. */
export { ChatSpace, CHAT_SPACE_TYPE, type ChatSpaceArgs } from "./chat-space";
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
} from "../provider/types";
