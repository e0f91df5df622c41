/**
 * What Pulumi's engine puts in the values a provider receives, the same for every resource:
 * the markers of a value unknown until apply and of a secret, the bookkeeping inputs that are not declarations,
 * and the shape outputs must have. Imports nothing, so the package's commands read previews with
 * it without loading the provider or @pulumi/pulumi.
 */

/**
 * How the engine marks a value it does not know yet during a preview, whatever the field's type
 * (@pulumi/pulumi `runtime/rpc.ts` unknownValue).
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * How the engine marks a secret, in gRPC values to a receiver that accepts secrets and in the
 * state it writes (`{"<SIG_KEY>": "<SECRET_SIG>", "value": V}`, or `"ciphertext"` in the state):
 * pulumi/pulumi sdk/go/common/resource/sig/sig.go `Key`, `Secret`.
 */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Whether a value is a secret as the engine marks one. */
export const isSecretValue = (value: unknown): boolean =>
  typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;

/** A value that is there and known: not undefined, null or {@link UNKNOWN}. */
export const known = <T>(value: T | undefined | null): value is T => value !== undefined && value !== null && value !== UNKNOWN;

/** Whether a value holds {@link UNKNOWN} at any depth. */
export const hasUnknown = (value: unknown): boolean =>
  value === UNKNOWN || (typeof value === "object" && value !== null && Object.values(value).some(hasUnknown));

/**
 * Inputs that are not declarations: the SDK's (`__urn`, `__organization`: what requestIds are
 * derived from, and the resource's name in messages), the engine's serialized provider, and the
 * SDK bookkeeping of 0.1.0 (`requestIdBase`, `resourceName`), still found in older states.
 * Keys that begin with `__` are internal to Pulumi's display, so they never show in a diff.
 */
export const BOOKKEEPING_INPUTS: readonly string[] = ["__urn", "__organization", "__provider", "requestIdBase", "resourceName"];

/** How a diff changes one property: a value declared now, a value changed, a value gone. */
export type PropertyChange = "add" | "update" | "delete";

/**
 * A diff property by property, as Pulumi's engine shows it (its `detailedDiff`): each changed
 * property's path (`displayName`, `spaceDetails.description`, `members[2]`) and how it changes.
 * Whether a change replaces the resource is the diff's `replaces`.
 */
export type DetailedDiff = Record<string, PropertyChange>;

/**
 * A copy without `undefined` values, at any depth: the shape Pulumi accepts as outputs (the
 * dynamic-provider host refuses `undefined` in outputs: "Unexpected struct type").
 */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, withoutUndefined(v)]),
  ) as T;
}
