/** A ChatMembershipProvider configured against the test emulator, with a fake clock, and inputs as the SDK sends them. */
import type { ServiceAccountKey } from "../../emulator";
import type { MembershipSdkInputs } from "../../provider/membership/inputs";
import { ChatMembershipProvider } from "../../provider/membership/provider";
import type { TestEmulator } from "../helpers/emulator";
import { emulatorConfig } from "../helpers/provider";

export interface MembershipConfig {
  /** Act as the app (no impersonation) instead of admin@example.com through delegation. */
  app?: boolean;
  useAdminAccess?: boolean;
  /** Impersonate this user instead of admin@example.com. */
  user?: string;
  config?: Record<string, string>;
  key?: ServiceAccountKey;
}

export async function membershipProvider(t: TestEmulator, options: MembershipConfig = {}) {
  const logs: string[] = [];
  let slept = 0;
  const provider = new ChatMembershipProvider({
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

/** The URN the SDK gives a ChatMembership named `name`. */
export const membershipUrn = (name: string) => `urn:pulumi:test::proj::pulumi-nodejs:dynamic/googlechat:ChatMembership::${name}`;

/** Inputs as the SDK sends them for a ChatMembership named `name`. */
export function membershipInputs(name: string, declared: Omit<MembershipSdkInputs, "__urn">): MembershipSdkInputs {
  return { ...declared, __urn: membershipUrn(name) };
}
