/** The ChatMembership resource: its contract, rules and provider. */

export { checkMembership } from "./check";
export { diffMembership, type MembershipDiff } from "./diff";
export { MEMBERSHIP_DELETE_BEFORE_REPLACE, MEMBERSHIP_IDENTITY, replacedMembershipFields } from "./identity";
export { DECLARED_MEMBERSHIP_INPUTS, type MembershipSdkInputs } from "./inputs";
export { ChatMembershipProvider } from "./provider";
export * from "./types";
