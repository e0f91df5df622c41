/**
 * The vocabulary the membership resources share (ChatMembership, ChatSpaceMembers): what a member
 * is and how it is named, roles and their order, the owner rule, memberships as Google has them,
 * who the caller is, and which declared resource holds which member.
 */

export * from "./caller";
export * from "./check";
export * from "./claims";
export { type KeepReason, MemberResourceProvider } from "./member-provider";
export * from "./member-ref";
export * from "./memberships";
export * from "./owners";
export * from "./roles";
