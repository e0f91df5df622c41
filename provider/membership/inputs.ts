/**
 * Which inputs of a ChatMembership are declarations and which are bookkeeping (one list for
 * every resource: core/engine-values.ts).
 */
import { BOOKKEEPING_INPUTS } from "../core/engine-values";
import { allKeysOf } from "../core/keys";
import { resourceNameOfUrn } from "../core/urn";
import type { ChatMembershipInputs } from "./types";

/** Every input a program may declare: each key of ChatMembershipInputs, once. */
export const DECLARED_MEMBERSHIP_INPUTS = allKeysOf<ChatMembershipInputs>()(["space", "user", "group", "chatApp", "role", "createTime", "deleteTime"]);

/** The inputs as the SDK sends them: the declared ones plus the SDK's bookkeeping. */
export interface MembershipSdkInputs extends ChatMembershipInputs {
  /** The resource's URN: its name in messages and log lines, and what its claims are held by. */
  readonly __urn?: string;
  /** The serialized provider the engine adds; a partial failure must hand it back. */
  readonly __provider?: string;
}

/** The declared inputs alone, without `undefined` values and without `chatApp: false`. */
export function declaredMembershipOf(inputs: MembershipSdkInputs): ChatMembershipInputs {
  return Object.fromEntries(
    Object.entries(inputs).filter(([key, value]) => value !== undefined && !(key === "chatApp" && value === false) && !BOOKKEEPING_INPUTS.includes(key)),
  ) as ChatMembershipInputs;
}

/** The resource's Pulumi name, for messages: the URN's last part. */
export const membershipResourceName = (inputs: MembershipSdkInputs) => resourceNameOfUrn(inputs.__urn);

/** Which input names the member: `user`, `group` or `chatApp`. */
export function memberProperty(declared: ChatMembershipInputs): "user" | "group" | "chatApp" {
  return declared.chatApp === true ? "chatApp" : declared.group !== undefined ? "group" : "user";
}
