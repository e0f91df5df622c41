/**
 * What a stack's resources do, by the access they act with, and the scopes of each: derived from
 * the provider's one table of scopes (provider/core/chat-api.ts), never restated.
 */
import { type Access, acceptedScopes, leastScope, METHODS_OF, type Operation } from "../../provider/core/chat-api";
import type { ProviderSettings } from "../../provider/core/settings";

/** One thing a stack does, as the doctor names it, and the provider's calls it takes. */
export interface StackOperation {
  readonly name: string;
  readonly access: Access;
  readonly calls: readonly Operation[];
  /** Whether the stack needs it: a failure of an operation it may not need is a warning. */
  readonly required: boolean;
  /** The least scope of each call (full URLs), the ones the provider asks for: in first-use order, without repeats. */
  readonly scopes: readonly string[];
}

/** What the command line says the stack declares beyond its config. */
export interface StackDeclares {
  /** Import-mode spaces (`--import-mode`). */
  readonly importMode: boolean;
  /** Memberships of the calling Chat app, `chatApp: true` (`--chat-app`). */
  readonly chatApp: boolean;
}

/** The name of the operation that adds the calling app (`chatApp: true`). */
export const ADD_THE_APP = "add the calling app";

/**
 * The operations to check for `settings`: creating and updating spaces, memberships, deletion,
 * as the configured kind of caller; adding the calling Chat app (user authentication without admin
 * access: chat.memberships.app), required when the stack says so; import mode (a user through
 * domain-wide delegation only: chat.import), required when the stack says so; admin access when
 * googlechat:useAdminAccess is set.
 *
 * The operations the stack may not need (import mode, adding the app) are always checked, as
 * warnings: the doctor reads the stack's config, not its program, so it can't tell whether a
 * resource declares them, and a warning tells a stack that does what to add before its first
 * `pulumi up` refuses it; the flag makes it a failure.
 */
export function stackOperations(settings: ProviderSettings, declares: StackDeclares): StackOperation[] {
  const make = (name: string, access: Access, calls: Operation[], required = true): StackOperation => ({
    name,
    access,
    calls,
    required,
    scopes: [...new Set(calls.map((call) => leastScope(access, call)).filter((s): s is string => s !== undefined))],
  });
  const operations = [
    make("create spaces", settings.auth, ["create", "read", "patch"]),
    make("memberships", settings.auth, ["memberCreate", "memberRead", "memberPatch", "memberDelete"]),
    make("delete", settings.auth, ["delete"]),
  ];
  if (appMembershipRefusal(settings) === undefined) operations.push(make(ADD_THE_APP, "user", ["appMemberWrite"], declares.chatApp));
  if (settings.impersonateUser) {
    operations.push(make("import mode", "import", ["create", "read", "patch", "completeImport", "memberCreate", "memberRead", "delete"], declares.importMode));
  }
  if (settings.useAdminAccess)
    operations.push(make("admin access", "admin", ["read", "search", "patch", "delete", "memberCreate", "memberRead", "memberPatch", "memberDelete"]));
  return operations;
}

/**
 * Why the calling app can't be added as these settings act (the provider's check refuses
 * `chatApp: true` alike: provider/members/check.ts), or undefined when it can.
 */
export function appMembershipRefusal(settings: ProviderSettings): { message: string; fix: string } | undefined {
  if (settings.auth === "app") {
    return {
      message: "a Chat app can't add Chat apps, so chatApp: true can't be declared with app authentication",
      fix: "add the app with user authentication (googlechat:impersonateUser).",
    };
  }
  if (settings.useAdminAccess) {
    return {
      message: "admin access doesn't reach Chat apps' memberships, so chatApp: true can't be declared with googlechat:useAdminAccess",
      fix: "declare it in a stack without googlechat:useAdminAccess.",
    };
  }
  return undefined;
}

/**
 * Which of `operation`'s calls a token holding `held` (full URLs) can't make: a call passes with
 * any scope Google accepts for it (chat-api.ts acceptedScopes), not only the least one. Each
 * entry names the calls' methods and the scopes any of which would do.
 */
export function callsLacking(operation: StackOperation, held: readonly string[]): { methods: string[]; scopes: string[] }[] {
  const lacking = new Map<string, { methods: string[]; scopes: string[] }>();
  for (const call of operation.calls) {
    const scopes = acceptedScopes(operation.access, call) ?? [];
    if (scopes.length === 0 || scopes.some((s) => held.includes(s))) continue;
    const entry = lacking.get(scopes.join(" ")) ?? { methods: [], scopes };
    entry.methods.push(...METHODS_OF[call].filter((m) => !entry.methods.includes(m)));
    lacking.set(scopes.join(" "), entry);
  }
  return [...lacking.values()];
}

/** The scopes of `held` (full URLs) that `operation`'s calls use: for each call, the first Google accepts for it; in first-use order. */
export function scopesUsed(operation: StackOperation, held: readonly string[]): string[] {
  const used = operation.calls.map((call) => acceptedScopes(operation.access, call)?.find((s) => held.includes(s)));
  return [...new Set(used.filter((s): s is string => s !== undefined))];
}

/** A scope's short name for lines (`chat.spaces.create`); the full URL is what the Admin console takes. */
export const shortScope = (scope: string) => scope.replace("https://www.googleapis.com/auth/", "");
