/**
 * A membership as Google returns it, turned into the resource's outputs: the member's short
 * strings (members/memberships.ts `entryOf`, as a roster keeps each member), its affiliation and
 * times. Pulumi refuses `undefined` in outputs, so absent times are left out.
 */
import type { chat_v1 } from "@googleapis/chat";
import { withoutUndefined } from "../core/engine-values";
import { entryOf, type MemberEntry, spaceOfMembership, timesOf } from "../members/memberships";
import type { ChatMembershipInputs, ChatMembershipOutputs } from "./types";

export function membershipOutputs(membership: chat_v1.Schema$Membership, declared: ChatMembershipInputs, caller?: string): ChatMembershipOutputs {
  const entry = entryOf(membership);
  return withoutUndefined<ChatMembershipOutputs>({
    ...entry,
    space: spaceOfMembership(entry.name),
    affiliation: membership.affiliation ?? undefined,
    ...timesOf(membership),
    __declared: declared,
    __caller: caller,
  });
}

/** The membership a state records, as a roster keeps each member (its short strings, read as Google's answer is). */
export function entryOfState(outputs: ChatMembershipOutputs): MemberEntry {
  return entryOf({ name: outputs.name, member: { name: outputs.member, type: outputs.memberType }, role: outputs.role, state: outputs.state });
}

/** The outputs with `declared` as the declaration they keep. */
export function withMembershipDeclaration(outputs: ChatMembershipOutputs, declared: ChatMembershipInputs): ChatMembershipOutputs {
  return { ...outputs, __declared: declared };
}
