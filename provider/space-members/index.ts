/** The ChatSpaceMembers resource: the whole roster of one space; its contract, rules and provider. */
export { ChatSpaceMembersProvider, type SpaceMembersSdkInputs } from "./provider";
export { checkRoster } from "./check";
export { diffRoster, describePlan, type RosterDiff } from "./diff";
export { planRoster, type RosterPlan } from "./plan";
export * from "./types";
