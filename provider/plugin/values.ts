/**
 * The values of the engine's gRPC requests and responses (google.protobuf.Struct), as the
 * providers read and write them: plain JSON, with the engine's two markers translated.
 *
 * - Unknown values (a preview's "known at apply") travel as one of seven sentinel strings that
 *   record the value's type (pulumi/pulumi sdk/go/common/resource/sig/sig.go). The providers know
 *   one marker, core/engine-values.ts {@link UNKNOWN} (the string sentinel), so every sentinel
 *   reads as it; the plugin writes it for an unknown output, as the engine allows only in a preview.
 * - Secrets travel as `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
 *   "value": V}` where the receiver accepts secrets (sdk/go/common/resource/plugin/rpc.go). The
 *   plugin declines them in its handshake, so resources get plain values and the engine keeps the
 *   secretness by property name; but `Configure` always sends them wrapped
 *   (sdk/go/common/resource/plugin/provider_plugin.go, Configure's KeepSecrets): unwrapped here,
 *   at any depth.
 *
 * The plugin declines resource references and output values too, so no other signature reaches it.
 * It writes one secret itself: a secret setting in CheckConfig's answer ({@link withSecrets}).
 */
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { SECRET_SIG, SIG_KEY, UNKNOWN } from "../core/engine-values";
import { structpb } from "./runtime";

export { SECRET_SIG, SIG_KEY } from "../core/engine-values";

/** The engine's unknown sentinels by the type they stand for (sig.go). */
export const UNKNOWN_SENTINELS = {
  bool: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  number: "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  string: UNKNOWN,
  array: "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  asset: "030794c1-ac77-496b-92df-f27374a8bd58",
  archive: "e48ece36-62e2-4504-bad9-02848725956a",
  object: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
} as const;

const SENTINELS = new Set<string>(Object.values(UNKNOWN_SENTINELS));

/** A JSON value as a Struct holds it. */
export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

/** A Struct's fields as plain values: every unknown as {@link UNKNOWN}, every secret unwrapped. */
export function fromStruct(struct: Struct | undefined): Record<string, unknown> {
  return struct ? (decode(struct.toJavaScript()) as Record<string, unknown>) : {};
}

function decode(value: unknown): unknown {
  if (typeof value === "string") return SENTINELS.has(value) ? UNKNOWN : value;
  if (Array.isArray(value)) return value.map(decode);
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  if (object[SIG_KEY] === SECRET_SIG) return decode(object.value);
  return Object.fromEntries(Object.entries(object).map(([key, v]) => [key, decode(v)]));
}

/**
 * Plain values as a Struct. `undefined` has no place in one (`Struct.fromJavaScript` throws
 * "Unexpected struct type"): such keys are left out, at any depth, as JSON leaves them.
 */
export function toStruct(values: object): Struct {
  return structpb.Struct.fromJavaScript(JSON.parse(JSON.stringify(values)) as Record<string, Plain>);
}

/** `struct` with the fields `keys` names wrapped as secrets (once: a field already a secret stays as it is), every other value as it came. */
export function withSecrets(struct: Struct, keys: readonly string[]): Struct {
  const fields = struct.toJavaScript() as Record<string, Plain>;
  for (const key of keys) {
    const value = fields[key];
    if (value === undefined || value === null) continue;
    const isSecret = typeof value === "object" && !Array.isArray(value) && value[SIG_KEY] === SECRET_SIG;
    if (!isSecret) fields[key] = { [SIG_KEY]: SECRET_SIG, value };
  }
  return structpb.Struct.fromJavaScript(fields);
}
