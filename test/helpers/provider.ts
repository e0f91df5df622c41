/** A ChatSpaceProvider configured against the test emulator, with a fake clock for retry waits. */
import { type EmulatorControl, isChatApiCall, type ServiceAccountKey } from "../../emulator";
import type { SdkInputs } from "../../provider/space/inputs";
import { ChatSpaceProvider } from "../../provider/space/provider";
import { requestIdBase } from "../../provider/space/request-id";
import type { ChatSpaceOutputs } from "../../provider/space/types";
import type { TestEmulator } from "./emulator";

export interface TestProvider {
  provider: ChatSpaceProvider;
  /** Every wait the retries asked for, in ms. */
  waits: number[];
  logs: string[];
}

export interface ProviderConfig {
  /** Act as the app (no impersonation) instead of admin@example.com through delegation. */
  app?: boolean;
  useAdminAccess?: boolean;
  /** Extra `googlechat:` config. */
  config?: Record<string, string>;
  key?: ServiceAccountKey;
}

/**
 * The `googlechat:` config of a provider against the test emulator: its endpoints and key, acting
 * as admin@example.com through delegation (or `user`, or the app), with the rate limiter off
 * (it has tests of its own; here it would only add fake waits to the retries').
 */
export function emulatorConfig(t: TestEmulator, options: ProviderConfig & { user?: string } = {}): Record<string, string> {
  return {
    "googlechat:credentials": JSON.stringify(options.key ?? t.serviceAccount),
    "googlechat:apiEndpoint": t.emulator.url,
    "googlechat:tokenEndpoint": t.emulator.tokenUrl,
    ...(options.app ? {} : { "googlechat:impersonateUser": options.user ?? "admin@example.com" }),
    ...(options.useAdminAccess ? { "googlechat:useAdminAccess": "true" } : {}),
    "googlechat:spaceWritesPerMinute": "0",
    "googlechat:spaceCreatesPerMinute": "0",
    "googlechat:membershipWritesPerMinute": "0",
    "googlechat:perSpaceWritesPerSecond": "0",
    ...options.config,
  };
}

export async function configuredProvider(t: TestEmulator, options: ProviderConfig = {}): Promise<TestProvider> {
  const waits: number[] = [];
  const logs: string[] = [];
  // Waits pass instantly but move the clock on, so retry deadlines behave as in real time.
  let slept = 0;
  const provider = new ChatSpaceProvider({
    env: {},
    now: () => Date.now() + slept,
    sleep: async (ms) => {
      waits.push(ms);
      slept += ms;
    },
    random: () => 0.5,
    log: (m) => void logs.push(m),
  });
  const config = emulatorConfig(t, options);
  await provider.configure({ config: { get: (k) => config[k], require: (k) => config[k] } });
  return { provider, waits, logs };
}

/** The URN the SDK gives a ChatSpace named `name` in stack `test` of project `proj`. */
export const urnOf = (name: string, stack = "test") => `urn:pulumi:${stack}::proj::pulumi-nodejs:dynamic/googlechat:ChatSpace::${name}`;

/** Inputs as the SDK sends them for a resource named `name`, in the default organisation of a self-managed backend. */
export function sdkInputs(name: string, declared: Omit<SdkInputs, "__urn" | "__organization">, organization = "organization"): SdkInputs {
  return { ...declared, __urn: urnOf(name), __organization: organization };
}

/** The requestId base the provider derives for inputs made by {@link sdkInputs}. */
export function baseOf(inputs: SdkInputs): string {
  const base = requestIdBase(inputs);
  if (!base) throw new Error("inputs without __urn");
  return base;
}

/** The Chat API calls the emulator answered (token requests, tokeninfo and the keyless stand-ins left out), as "METHOD path mask status". */
export async function apiCalls(emulator: { control: EmulatorControl }, since = 0): Promise<string[]> {
  return (await emulator.control.requests(since))
    .filter(isChatApiCall)
    .map((r) => [r.method, r.path, r.query.updateMask, r.status].filter((x) => x !== undefined).join(" "));
}

/** The Chat API calls the emulator answered, as "METHOD path status", with "admin" before the status for a call sent with `useAdminAccess`. */
export async function apiCallsWithAccess(emulator: { control: EmulatorControl }, since = 0): Promise<string[]> {
  return (await emulator.control.requests(since))
    .filter(isChatApiCall)
    .map((r) => [r.method, r.path, r.query.useAdminAccess === "true" ? "admin" : undefined, r.status].filter((x) => x !== undefined).join(" "));
}

/** The sequence number of the last logged request: later calls come after it. */
export async function logMark(emulator: { control: EmulatorControl }): Promise<number> {
  const log = await emulator.control.requests();
  return log.length ? log[log.length - 1].seq : 0;
}

export type { ChatSpaceOutputs };
