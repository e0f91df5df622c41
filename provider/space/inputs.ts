/**
 * Which inputs of a ChatSpace are declarations and which are bookkeeping. The one list each
 * decision takes them from: check (which keys exist), diff (what is compared), the create
 * (what a create alone reads) and the state (what is kept as the declaration).
 */
import { BOOKKEEPING_INPUTS } from "../core/engine-values";
import { allKeysOf } from "../core/keys";
import { resourceNameOfUrn } from "../core/urn";
import type { ChatSpaceInputs } from "./types";

/** Every input a program may declare: each key of ChatSpaceInputs, once. */
export const DECLARED_INPUTS = allKeysOf<ChatSpaceInputs>()([
  "displayName",
  "spaceType",
  "spaceDetails",
  "spaceHistoryState",
  "externalUserAllowed",
  "accessSettings",
  "predefinedPermissionSettings",
  "permissionSettings",
  "customer",
  "importMode",
  "createTime",
  "requestId",
  "adoptSpace",
]);

/** Declared inputs that only a create reads: changing them later changes nothing. */
export const CREATION_ONLY_INPUTS: readonly string[] = [
  "requestId",
  "adoptSpace",
  "predefinedPermissionSettings",
] as const satisfies readonly (keyof ChatSpaceInputs)[];

/** The inputs as the SDK sends them: the declared ones plus its bookkeeping. */
export interface SdkInputs extends ChatSpaceInputs {
  /** The resource's URN, `pulumi.createUrn(name, type, parent)`. */
  readonly __urn?: string;
  /** The Pulumi organisation of the stack (`pulumi.getOrganization()`), which the URN leaves out. */
  readonly __organization?: string;
  /** The serialized provider the engine adds; a partial failure must hand it back. */
  readonly __provider?: string;
  /** 0.1.0's requestId base, found in older states. */
  readonly requestIdBase?: string;
  /** 0.1.0's resource name, found in older states. */
  readonly resourceName?: string;
}

/** The declared inputs alone, without `undefined` values. */
export function declaredOf(inputs: SdkInputs): ChatSpaceInputs {
  return Object.fromEntries(Object.entries(inputs).filter(([key, value]) => value !== undefined && !BOOKKEEPING_INPUTS.includes(key))) as ChatSpaceInputs;
}

/** The resource's Pulumi name, for messages: the URN's last part. */
export function resourceNameOf(inputs: SdkInputs): string | undefined {
  return resourceNameOfUrn(inputs.__urn) ?? inputs.resourceName;
}
