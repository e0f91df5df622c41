/**
 * Deterministic requestIds for `spaces.create`. Google returns the space an earlier request
 * with the same id created (v1.d.ts `Params$Resource$Spaces$Create.requestId`), so a run that
 * crashed after the call gets its space back instead of a second one.
 *
 * The base is a name-based UUID (RFC 9562 version 5) of everything that tells one resource
 * from every other using the same Google principal: the Pulumi organisation (which the URN
 * leaves out), the URN (project, stack, type, parents, name) and a `requestId` the program sets
 * (mixed in, never alone: two stacks with the same override must not share a space). Each
 * create derives from the base, the replace-only inputs ({@link identityKey}) and an attempt
 * number: a replacement never reuses the id of the space it replaces, and an id whose space is
 * gone moves on to the next attempt.
 *
 * Version 5 is a dozen lines over node:crypto; the `uuid` package is ESM-only since v12,
 * which a CommonJS provider loaded by Pulumi's dynamic-provider host cannot require on every
 * supported Node.
 */
import { createHash } from "node:crypto";
import { identityKey } from "./identity";
import type { SdkInputs } from "./inputs";
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

/**
 * The base of a resource's requestIds; undefined without the SDK's `__urn`.
 *
 * One exception keeps 0.1.0's base: a space without a display name (a GROUP_CHAT, created in
 * import mode) and without a program-set `requestId`. Nothing else can find a create of it that
 * crashed under 0.1.0 (a named space is found by its taken name, see the create), and a
 * repeated create must never make a second space. What it gives up: two Pulumi organisations
 * deploying the same project, stack and resource names with the same Google principal share
 * such a group chat.
 */
export function requestIdBase(inputs: Pick<SdkInputs, "__urn" | "__organization" | "requestId" | "displayName">): string | undefined {
  if (!inputs.__urn) return undefined;
  if (!inputs.displayName && inputs.requestId === undefined) return legacyRequestIdBase(inputs);
  return uuidv5(JSON.stringify([inputs.__organization ?? "", inputs.__urn, inputs.requestId ?? null]), REQUEST_ID_NAMESPACE);
}

/**
 * The base 0.1.0 derived: the URN alone, or the program's `requestId` alone. Used to find a space
 * whose create crashed under 0.1.0 and is repeated now.
 */
export function legacyRequestIdBase(inputs: Pick<SdkInputs, "__urn" | "requestId">): string | undefined {
  const seed = inputs.requestId ?? inputs.__urn;
  return seed === undefined ? undefined : uuidv5(seed, REQUEST_ID_NAMESPACE);
}

/** The requestId of one create attempt (0, 1, ...). */
export function deriveRequestId(base: string, declared: ChatSpaceInputs, attempt: number): string {
  return uuidv5(`${identityKey(declared)}#${attempt}`, base);
}
