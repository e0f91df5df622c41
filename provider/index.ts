/**
 * The resource providers, as the dynamic-provider host loads them
 * (`require("pulumi-googlechat/provider").instance()` for ChatSpace, `.membershipInstance()` for
 * ChatMembership, `.spaceMembersInstance()` for ChatSpaceMembers: core/stub.ts), and their
 * building blocks.
 *
 * Keep those three functions exported, with those names, forever: every state written by any
 * version holds a `__provider` text (or, before, a closure stub) that calls them.
 */

import type { ProviderDeps } from "./core/configured-provider";
import { dynamicProviderEngineAddress, engineLog } from "./core/engine-log";
import { processDeps } from "./core/process-deps";
import { ChatMembershipProvider } from "./membership/provider";
import { ChatSpaceProvider } from "./space/provider";
import { ChatSpaceMembersProvider } from "./space-members/provider";

let deps: ProviderDeps | undefined;
let provider: ChatSpaceProvider | undefined;
let membershipProvider: ChatMembershipProvider | undefined;
let spaceMembersProvider: ChatSpaceMembersProvider | undefined;

/**
 * The real clock, sleep and environment, one object for every provider of this process: the
 * shared rate limiter is one per clock (core/rate-limiter.ts), so spaces and memberships, which share
 * each space's per-second quotas, are paced together. In Pulumi's dynamic-provider host, the
 * member claims are shared with the deployment's plugin processes (a stack moving to the plugin
 * has both), keyed by the engine's address.
 */
function sharedDeps(): ProviderDeps {
  return (deps ??= processDeps(process.env, engineLog(), dynamicProviderEngineAddress()));
}

/** The one ChatSpace provider of this process: every ChatSpace of a deployment shares its settings and clients. */
export function instance(): ChatSpaceProvider {
  return (provider ??= new ChatSpaceProvider(sharedDeps()));
}

/** The one ChatMembership provider of this process. */
export function membershipInstance(): ChatMembershipProvider {
  return (membershipProvider ??= new ChatMembershipProvider(sharedDeps()));
}

/** The one ChatSpaceMembers provider of this process. */
export function spaceMembersInstance(): ChatSpaceMembersProvider {
  return (spaceMembersProvider ??= new ChatSpaceMembersProvider(sharedDeps()));
}

export type { ProviderDeps } from "./core/configured-provider";
export { BOOKKEEPING_INPUTS, UNKNOWN } from "./core/engine-values";
export { ChatApiError } from "./core/errors";
export { type ProviderSettings, resolveSettings } from "./core/settings";
export * as membership from "./membership";
export { checkInputs } from "./space/check";
export { diffSpace } from "./space/diff";
export { DELETE_BEFORE_REPLACE, GOOGLE_DEFAULTS, REPLACE_ONLY } from "./space/identity";
export { DECLARED_INPUTS, type SdkInputs } from "./space/inputs";
export { ChatSpaceProvider } from "./space/provider";
export { deriveRequestId, legacyRequestIdBase, requestIdBase, uuidv5 } from "./space/request-id";
export * from "./space/types";
export { planUpdate } from "./space/update-plan";
export * as spaceMembers from "./space-members";
