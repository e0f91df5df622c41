/**
 * How a member is named: as a program declares it (one of `user`, `group`, `chatApp`), as
 * `members.create` takes it, as the `{member}` alias `members.get` takes, and as one comparable
 * key. The same for a ChatMembership and for each entry of a ChatSpaceMembers roster.
 *
 * Google takes a person as `users/{email}` or `users/{id}` and answers with the canonical
 * `users/{id}` (v1.d.ts `Schema$User.name`, members.get: "you can use the user's email as an
 * alias for {member}"); emails and ids compare without regard to case.
 */
import { known } from "../core/engine-values";
import type { MembershipRole } from "./roles";

/** One member as a ChatMembership or a roster entry declares it: exactly one of `user`, `group`, `chatApp`. */
export interface MemberDeclaration {
  /** A person: an email (`alice@example.com`) or `users/{id}`. */
  readonly user?: string;
  /** A Google Group, `groups/{group}`. */
  readonly group?: string;
  /** `true`: the calling Chat app itself (`users/app`). */
  readonly chatApp?: boolean;
  /** The member's role; none for a group. */
  readonly role?: MembershipRole;
}

/** The declared member as `members.create` takes it, and the `{member}` alias `members.get` takes. */
export interface MemberRef {
  readonly kind: "user" | "group" | "app";
  /** `users/{email|id}`, `groups/{id}` or `users/app`. */
  readonly name: string;
  /** What stands for `{member}` in `spaces/{s}/members/{member}`: an email, a user id, or `app`; none for a group. */
  readonly alias?: string;
}

/** The key of `chatApp: true`: the calling app. */
export const CALLING_APP = "users/app";

/** The member a declaration names; undefined when it names none (check refuses that). */
export function memberRefOf(declared: MemberDeclaration): MemberRef | undefined {
  if (declared.chatApp === true) return { kind: "app", name: CALLING_APP, alias: "app" };
  if (declared.group) return { kind: "group", name: declared.group };
  if (declared.user) {
    const id = declared.user.startsWith("users/") ? declared.user.slice("users/".length) : declared.user;
    return { kind: "user", name: `users/${id}`, alias: id };
  }
  return undefined;
}

/** The key of a declared member: `users/{email}`, `users/{id}`, `groups/{id}` or `users/app`, lower-cased. */
export function memberKeyOf(declared: MemberDeclaration): string | undefined {
  return memberRefOf(declared)?.name.toLowerCase();
}

/**
 * The key of a declared member whose identity (`user`, `group`, `chatApp`) is known; undefined
 * while the declaration, or one of those fields, is unknown until apply (at preview, another
 * resource's output), or when it names no member: a field that is not of its type names none
 * (null, a number: members/check.ts refuses them). A role unknown until apply leaves the key known.
 */
export function knownMemberKeyOf(declared: unknown): string | undefined {
  if (typeof declared !== "object" || declared === null) return undefined;
  const { user, group, chatApp } = declared as Record<keyof MemberDeclaration, unknown>;
  const typed = (value: unknown, type: "string" | "boolean") => value === undefined || (typeof value === type && known(value));
  if (!typed(user, "string") || !typed(group, "string") || !typed(chatApp, "boolean")) return undefined;
  return memberKeyOf(declared as MemberDeclaration);
}

/** Whether a key names a person by email: only Google knows which `users/{id}` that is. */
export const isEmailKey = (key: string): boolean => key.startsWith("users/") && key.includes("@");

/** Whether a key names a person by `users/{id}`, which an email may stand for; the calling app (`users/app`) is nobody's. */
export const isUserIdKey = (key: string): boolean => key.startsWith("users/") && !isEmailKey(key) && key !== CALLING_APP;

/**
 * The canonical member a key stands for: a user id or a group is its own; an email or the app
 * is known once Google answered for it (`learned`, key to canonical member).
 */
export function canonicalOf(key: string, learned: Readonly<Record<string, string>>): string | undefined {
  if (learned[key]) return learned[key];
  if (key.startsWith("groups/")) return key;
  if (key !== CALLING_APP && !key.includes("@")) return key;
  return undefined;
}

/** Two canonical members (`users/{id}`, `groups/{id}`) are the same member. */
export const sameMember = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
