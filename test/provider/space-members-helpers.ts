/** A ChatSpaceMembersProvider configured against the test emulator, with a fake clock, and inputs as the SDK sends them. */
import type { SpaceMembersSdkInputs } from "../../provider/space-members/provider";
import { ChatSpaceMembersProvider } from "../../provider/space-members/provider";
import type { TestEmulator } from "../helpers/emulator";
import { emulatorConfig } from "../helpers/provider";
import type { MembershipConfig } from "./membership-helpers";

export async function spaceMembersProvider(t: TestEmulator, options: MembershipConfig = {}) {
  const logs: string[] = [];
  let slept = 0;
  const provider = new ChatSpaceMembersProvider({
    env: {},
    now: () => Date.now() + slept,
    sleep: async (ms) => void (slept += ms),
    random: () => 0.5,
    log: (m) => void logs.push(m),
  });
  const config = emulatorConfig(t, options);
  await provider.configure({ config: { get: (k) => config[k], require: (k) => config[k] } });
  return { provider, logs };
}

/** The URN the SDK gives a ChatSpaceMembers named `name`. */
export const rosterUrn = (name: string) => `urn:pulumi:test::proj::pulumi-nodejs:dynamic/googlechat:ChatSpaceMembers::${name}`;

/** Inputs as the SDK sends them for a ChatSpaceMembers named `name`. */
export function rosterInputs(name: string, declared: Omit<SpaceMembersSdkInputs, "__urn">): SpaceMembersSdkInputs {
  return { ...declared, __urn: rosterUrn(name) };
}
