/**
 * Which inputs of a ChatMembership are declarations and which are bookkeeping, and how the
 * declared member is named to Google. The bookkeeping inputs are the ChatSpace's
 * (space/inputs.ts): one list for every resource.
 */
import { BOOKKEEPING_INPUTS } from "../space/inputs";
import type { ChatMembershipInputs } from "./types";

/** Every input a program may declare. */
export const DECLARED_MEMBERSHIP_INPUTS = [
  "space",
  "user",
  "group",
  "chatApp",
  "role",
  "createTime",
  "deleteTime",
] as const satisfies readonly (keyof ChatMembershipInputs)[];

/** The inputs as the SDK sends them: the declared ones plus the SDK's bookkeeping. */
export interface MembershipSdkInputs extends ChatMembershipInputs {
  /** The resource's URN: its name in messages and log lines. */
  readonly __urn?: string;
  /** The serialized provider the engine adds; a partial failure must hand it back. */
  readonly __provider?: string;
}

/** The declared inputs alone, without `undefined` values and without `chatApp: false`. */
export function declaredMembershipOf(inputs: MembershipSdkInputs): ChatMembershipInputs {
  return Object.fromEntries(
    Object.entries(inputs).filter(
      ([key, value]) => value !== undefined && !(key === "chatApp" && value === false) && !BOOKKEEPING_INPUTS.includes(key),
    ),
  ) as ChatMembershipInputs;
}

/** The resource's Pulumi name, for messages: the URN's last part. */
export const membershipResourceName = (inputs: MembershipSdkInputs) => inputs.__urn?.split("::").pop();

/** The declared member as `members.create` takes it, and the `{member}` alias `members.get` takes. */
export interface MemberRef {
  readonly kind: "user" | "group" | "app";
  /** `users/{email|id}`, `groups/{id}` or `users/app`. */
  readonly name: string;
  /** What stands for `{member}` in `spaces/{s}/members/{member}`: an email, a user id, or `app`; none for a group. */
  readonly alias?: string;
}

/** The member a declaration names; undefined when it names none (check refuses that). */
export function memberRefOf(declared: ChatMembershipInputs): MemberRef | undefined {
  if (declared.chatApp === true) return { kind: "app", name: "users/app", alias: "app" };
  if (declared.group) return { kind: "group", name: declared.group };
  if (declared.user) {
    const id = declared.user.startsWith("users/") ? declared.user.slice("users/".length) : declared.user;
    return { kind: "user", name: `users/${id}`, alias: id };
  }
  return undefined;
}
