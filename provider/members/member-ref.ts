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

/**
 * Whether a declared `user` names the calling app: `users/app` in any capitals, since a member's
 * key is lower-cased ({@link memberKeyOf}) and would be the calling app's. A ChatMembership and a
 * roster entry declare that app only as `chatApp: true` (members/check.ts refuses it as a user).
 */
export const namesCallingApp = (user: string): boolean => user.toLowerCase() === CALLING_APP;

/**
 * The calling app's key as the provider processes of a deployment share it (claims.ts): each
 * process's `users/app` is the Chat app of its own credentials, so two provider instances with
 * other credentials may mean two apps by it (v1.d.ts `Schema$User.name`: "`users/app` can be used
 * as an alias for the calling app bot user"). A Chat app is the one configured on the Chat API
 * page of the Google Cloud project that calls, and a service account key names its project
 * (`project_id`), so a process calling with one qualifies the key by that project: an identifier,
 * never a secret. Credentials that don't name their project (a user's own, keyless ones, a
 * service account impersonated through another) keep `users/app`: an app that may be any
 * ({@link sameKey}).
 */
export function callingAppKeyOf(credentials: Readonly<Record<string, unknown>> | undefined, impersonateServiceAccount?: string): string {
  const project = credentials?.type === "service_account" && !impersonateServiceAccount ? credentials.project_id : undefined;
  return typeof project === "string" && project ? `${CALLING_APP} (project ${project.toLowerCase()})` : CALLING_APP;
}

/** Whether a key names a calling app: `users/app`, or one qualified by its project ({@link callingAppKeyOf}). */
export const isAppKey = (key: string): boolean => key === CALLING_APP || key.startsWith(`${CALLING_APP} (`);

/**
 * Whether two member keys may name one member with no call: equal keys, or two calling apps
 * unless both name their project and the projects differ (two Chat apps).
 */
export const sameKey = (a: string, b: string): boolean => a === b || (isAppKey(a) && isAppKey(b) && (a === CALLING_APP || b === CALLING_APP));

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

/** The key of a person declared by `email` (`users/{email}`, lower-cased): a calling user's, whose credentials name her by email. */
export const emailKeyOf = (email: string): string => `users/${email.toLowerCase()}`;

/** Whether a key names a person by email: only Google knows which `users/{id}` that is. */
export const isEmailKey = (key: string): boolean => key.startsWith("users/") && key.includes("@");

/** Whether a key names a person by `users/{id}`, which an email may stand for; the calling app (`users/app`) is nobody's. */
export const isUserIdKey = (key: string): boolean => key.startsWith("users/") && !isEmailKey(key) && !isAppKey(key);

/**
 * The canonical member a key stands for: a user id or a group is its own; an email or the app
 * is known once Google answered for it (`learned`, key to canonical member).
 */
export function canonicalOf(key: string, learned: Readonly<Record<string, string>>): string | undefined {
  if (learned[key]) return learned[key];
  if (key.startsWith("groups/")) return key;
  if (!isAppKey(key) && !key.includes("@")) return key;
  return undefined;
}

/** Two canonical members (`users/{id}`, `groups/{id}`) are the same member. */
export const sameMember = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
