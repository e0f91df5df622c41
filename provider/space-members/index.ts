/** The ChatSpaceMembers resource: the whole roster of one space; its contract, rules and provider. */

export { checkRoster } from "./check";
export { describePlan, diffRoster, type RosterDiff } from "./diff";
export { planRoster, type RosterPlan } from "./plan";
export { ChatSpaceMembersProvider, type SpaceMembersSdkInputs } from "./provider";
export * from "./types";
