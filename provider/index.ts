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

export { ChatSpaceProvider, type ProviderDeps } from "./space-provider";
export { type SdkInputs, DECLARED_INPUTS, BOOKKEEPING_INPUTS } from "./space-inputs";
export { REPLACE_ONLY, GOOGLE_DEFAULTS, DELETE_BEFORE_REPLACE } from "./space-identity";
export { checkInputs, UNKNOWN } from "./check";
export { diffSpace } from "./diff";
export { planUpdate } from "./update-plan";
export { requestIdBase, legacyRequestIdBase, deriveRequestId, uuidv5 } from "./request-id";
export { resolveSettings, type ProviderSettings } from "./settings";
export { ChatApiError } from "./errors";
export * from "./types";
