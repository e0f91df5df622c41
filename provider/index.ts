/**
 * The ChatSpace resource provider, as the dynamic-provider host loads it
 * (`require("pulumi-googlechat/provider").instance()`), and its building blocks.
 */
import { engineLog } from "./engine-log";
import { type ChatSpaceProvider, defaultProvider } from "./space-provider";

let provider: ChatSpaceProvider | undefined;

/** The one provider of this process: every ChatSpace of a deployment shares its settings and clients. */
export function instance(): ChatSpaceProvider {
  return (provider ??= defaultProvider(engineLog()));
}

export { ChatSpaceProvider, type ProviderDeps, type SdkInputs } from "./space-provider";
export { checkInputs, UNKNOWN } from "./check";
export { diffSpace, REPLACE_ONLY } from "./diff";
export { planUpdate } from "./update-plan";
export { requestIdBase, deriveRequestId, uuidv5 } from "./request-id";
export { resolveSettings, type ProviderSettings } from "./settings";
export { ChatApiError } from "./errors";
export * from "./types";
