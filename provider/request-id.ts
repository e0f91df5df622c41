/**
 * Deterministic requestIds for `spaces.create`. Google returns the space an earlier request
 * with the same id created (v1.d.ts `Params$Resource$Spaces$Create.requestId`), so a run that
 * crashed after the call gets its space back instead of a second one.
 *
 * The base is a name-based UUID (RFC 9562 version 5) of the resource's URN. Each create
 * derives from it, the replace-only inputs and an attempt number: a replacement (whose
 * replace-only inputs differ) never reuses the id of the space it replaces, and a reused id
 * whose space is gone or different moves on to the next attempt.
 *
 * Version 5 is a dozen lines over node:crypto; the `uuid` package is ESM-only since v12,
 * which a CommonJS provider loaded by Pulumi's dynamic-provider host cannot require on every
 * supported Node.
 */
import { createHash } from "node:crypto";
import type { ChatSpaceInputs } from "./types";

/** This project's namespace for name-based UUIDs (itself uuidv5(URL namespace, the package name)). */
export const REQUEST_ID_NAMESPACE = "3d2a8fcc-d72e-50c2-9cab-798b218867f6";

export function uuidv5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  if (ns.length !== 16) throw new Error(`Invalid UUID namespace ${namespace}.`);
  const bytes = createHash("sha1").update(ns).update(name, "utf8").digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The base of a resource's requestIds: from its URN, or from the `requestId` a program sets instead. */
export function requestIdBase(seed: string): string {
  return uuidv5(seed, REQUEST_ID_NAMESPACE);
}

/** The inputs whose change forces a new space: part of every derived id. */
export function replaceOnlyKey(inputs: ChatSpaceInputs): string {
  return JSON.stringify([
    inputs.customer ?? "",
    inputs.externalUserAllowed ?? false,
    inputs.createTime ?? "",
    inputs.spaceType ?? "SPACE",
    inputs.importMode ?? false,
  ]);
}

/** The requestId of one create attempt (0, 1, ...). */
export function deriveRequestId(base: string, inputs: ChatSpaceInputs, attempt: number): string {
  return uuidv5(`${replaceOnlyKey(inputs)}#${attempt}`, base);
}
