/** A ChatSpaceMembersProvider configured against the test emulator, with a fake clock, and inputs as the SDK sends them. */
import type { SpaceMembersSdkInputs } from "../../provider/space-members/provider";
import { ChatSpaceMembersProvider } from "../../provider/space-members/provider";
import type { TestEmulator } from "../helpers/emulator";
import { configuredAgainst, type MembershipConfig } from "./membership-helpers";

export const spaceMembersProvider = (t: TestEmulator, options: MembershipConfig = {}) => configuredAgainst(ChatSpaceMembersProvider, t, options);

/** The URN the SDK gives a ChatSpaceMembers named `name`. */
export const rosterUrn = (name: string) => `urn:pulumi:test::proj::pulumi-nodejs:dynamic/googlechat:ChatSpaceMembers::${name}`;

/** Inputs as the SDK sends them for a ChatSpaceMembers named `name`. */
export function rosterInputs(name: string, declared: Omit<SpaceMembersSdkInputs, "__urn">): SpaceMembersSdkInputs {
  return { ...declared, __urn: rosterUrn(name) };
}
