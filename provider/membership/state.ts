/**
 * A membership as Google returns it, turned into the resource's outputs. proto3 JSON leaves out
 * empty values (a group's `MEMBERSHIP_ROLE_UNSPECIFIED` role among them), which the outputs
 * state as empty text; Pulumi refuses `undefined` in outputs, so absent times are left out.
 */
import type { chat_v1 } from "@googleapis/chat";
import { withoutUndefined } from "../space/state";
import { DEFAULT_ROLE, type ChatMembershipInputs, type ChatMembershipOutputs } from "./types";

export function membershipOutputs(membership: chat_v1.Schema$Membership, declared: ChatMembershipInputs): ChatMembershipOutputs {
  const name = membership.name ?? "";
  const group = membership.groupMember?.name;
  const role = membership.role && !membership.role.endsWith("_UNSPECIFIED") ? membership.role : "";
  return withoutUndefined<ChatMembershipOutputs>({
    name,
    space: name.split("/members/")[0],
    member: group ?? membership.member?.name ?? "",
    memberType: group ? "GROUP" : (membership.member?.type ?? ""),
    role,
    state: membership.state ?? "",
    affiliation: membership.affiliation ?? undefined,
    createTime: membership.createTime ?? undefined,
    deleteTime: membership.deleteTime ?? undefined,
    __declared: declared,
  });
}

/** The role a declaration holds the membership to; none for a group, which has no role. */
export function wantedRole(declared: ChatMembershipInputs): string | undefined {
  return declared.group !== undefined ? undefined : (declared.role ?? DEFAULT_ROLE);
}

/** The outputs with `declared` as the declaration they keep. */
export function withMembershipDeclaration(outputs: ChatMembershipOutputs, declared: ChatMembershipInputs): ChatMembershipOutputs {
  return { ...outputs, __declared: declared };
}
