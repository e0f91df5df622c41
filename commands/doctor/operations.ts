/**
 * What a stack's resources do, by the access they act with, and the least scope of each: derived
 * from the provider's one table of scopes (provider/core/chat-api.ts leastScope), never restated.
 */
import { type Access, leastScope, type Operation } from "../../provider/core/chat-api";
import type { ProviderSettings } from "../../provider/core/settings";

/** One thing a stack does, as the doctor names it, and the provider's calls it takes. */
export interface StackOperation {
  readonly name: string;
  readonly access: Access;
  readonly calls: readonly Operation[];
  /** Whether the stack needs it: a failure of an operation it may not need is a warning. */
  readonly required: boolean;
  /** Full scope URLs, in first-use order, without repeats. */
  readonly scopes: readonly string[];
}

/**
 * The operations to check for `settings`: creating and updating spaces, memberships, deletion,
 * as the configured kind of caller; import mode (a user through domain-wide delegation only:
 * chat.import), required when the stack says so; admin access when googlechat:useAdminAccess is set.
 */
export function stackOperations(settings: ProviderSettings, options: { importMode: boolean }): StackOperation[] {
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
  if (settings.impersonateUser) {
    operations.push(make("import mode", "import", ["create", "read", "patch", "completeImport", "memberCreate", "memberRead", "delete"], options.importMode));
  }
  if (settings.useAdminAccess)
    operations.push(make("admin access", "admin", ["read", "search", "patch", "delete", "memberCreate", "memberRead", "memberPatch", "memberDelete"]));
  return operations;
}

/** A scope's short name for lines (`chat.spaces.create`); the full URL is what the Admin console takes. */
export const shortScope = (scope: string) => scope.replace("https://www.googleapis.com/auth/", "");
