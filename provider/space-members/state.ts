/**
 * A roster as the state keeps it: per member the five short strings of {@link RosterMemberState}
 * (a few hundred bytes at most), taken from Google's Membership the way ChatMembership takes
 * its outputs (provider/membership/state.ts).
 */
import type { chat_v1 } from "@googleapis/chat";
import { membershipOutputs } from "../membership/state";
import type { ChatSpaceMembersOutputs, RosterMemberState, RosterMode } from "./types";

/** One member of the roster, from Google's answer. */
export function rosterEntry(membership: chat_v1.Schema$Membership): RosterMemberState {
  const { name, member, memberType, role, state } = membershipOutputs(membership, {});
  return { name, member, memberType, role, state };
}

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
