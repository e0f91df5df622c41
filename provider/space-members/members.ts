/**
 * How a roster names its members: each declared entry by a key (its member reference of
 * provider/membership/inputs.ts, lower-cased, since emails and ids compare case-insensitively),
 * and that key's canonical `users/{id}` or `groups/{id}` where it can be told without Google.
 */
import { memberRefOf } from "../membership/inputs";
import type { ChatSpaceMembersOutputs, RosterMemberArgs } from "./types";

/** The key of a declared member: `users/{email}`, `users/{id}`, `groups/{id}` or `users/app`, lower-cased. */
export function memberKeyOf(member: RosterMemberArgs): string | undefined {
  return memberRefOf(member)?.name.toLowerCase();
}

/**
 * The canonical member a key stands for: a user id or a group is its own; an email or the app
 * is known once Google answered for it (kept in the state's `__declared`).
 */
export function canonicalOf(key: string, learned: Readonly<Record<string, string>>): string | undefined {
  if (learned[key]) return learned[key];
  if (key.startsWith("groups/")) return key;
  if (key !== "users/app" && !key.includes("@")) return key;
  return undefined;
}

/** What is known of the declared keys' members: the state's, and the calling user's own (read by create and refresh). */
export function learnedOf(roster: Pick<ChatSpaceMembersOutputs, "__declared" | "__caller">): Record<string, string> {
  return { ...(roster.__caller ? { [`users/${roster.__caller.user}`]: roster.__caller.member } : {}), ...roster.__declared };
}
