/** The ChatMembership resource: its contract, rules and provider. */
export { ChatMembershipProvider } from "./provider";
export { checkMembership } from "./check";
export { diffMembership, type MembershipDiff } from "./diff";
export { MEMBERSHIP_IDENTITY, MEMBERSHIP_DELETE_BEFORE_REPLACE, replacedMembershipFields } from "./identity";
export { DECLARED_MEMBERSHIP_INPUTS, type MembershipSdkInputs } from "./inputs";
export * from "./types";
