/**
 * A roster as the state keeps it: per member the five short strings of a membership
 * (provider/members/memberships.ts `entryOf`, a few hundred bytes at most), each declared key and
 * its canonical member, and the calling user it was read as.
 */
import type { chat_v1 } from "@googleapis/chat";
import { entryOf } from "../members/memberships";
import type { ChatSpaceMembersOutputs, RosterMemberState, RosterMode } from "./types";

/** One member of the roster, from Google's answer. */
export const rosterEntry = (membership: chat_v1.Schema$Membership): RosterMemberState => entryOf(membership);

/** The roster being applied: members by canonical member, in the order Google listed them. */
export type Roster = Map<string, RosterMemberState>;

export const rosterOf = (members: readonly RosterMemberState[]): Roster => new Map(members.map((m) => [m.member, m]));

export function rosterOutputs(
  space: string,
  mode: RosterMode,
  roster: Roster,
  declared: Record<string, string>,
  caller: ChatSpaceMembersOutputs["__caller"],
): ChatSpaceMembersOutputs {
  return { space, mode, members: [...roster.values()], __declared: declared, ...(caller ? { __caller: caller } : {}) };
}

/** What is known of the declared keys' members: the state's, and the calling user's own (read by create and refresh). */
export function learnedOf(roster: Pick<ChatSpaceMembersOutputs, "__declared" | "__caller">): Record<string, string> {
  return { ...(roster.__caller ? { [`users/${roster.__caller.user}`]: roster.__caller.member } : {}), ...roster.__declared };
}
