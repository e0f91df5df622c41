/**
 * Which OAuth scopes each Chat API method accepts, per kind of caller
 * (the method docs in @googleapis/chat v1.d.ts; docs/google-chat-api.md "Scopes by method").
 * A request passes with at least one listed scope for its kind of caller.
 */

const SCOPE_PREFIX = "https://www.googleapis.com/auth/";

export type ChatMethod =
  | "spaces.create"
  | "spaces.get"
  | "spaces.list"
  | "spaces.search"
  | "spaces.patch"
  | "spaces.delete"
  | "spaces.completeImport"
  | "spaces.members.create"
  | "spaces.members.get"
  | "spaces.members.list"
  | "spaces.members.patch"
  | "spaces.members.delete";

/** The gRPC method names Google puts in ErrorInfo metadata. */
export const RPC_NAME: Record<ChatMethod, string> = {
  "spaces.create": "CreateSpace",
  "spaces.get": "GetSpace",
  "spaces.list": "ListSpaces",
  "spaces.search": "SearchSpaces",
  "spaces.patch": "UpdateSpace",
  "spaces.delete": "DeleteSpace",
  "spaces.completeImport": "CompleteImportSpace",
  "spaces.members.create": "CreateMembership",
  "spaces.members.get": "GetMembership",
  "spaces.members.list": "ListMemberships",
  "spaces.members.patch": "UpdateMembership",
  "spaces.members.delete": "DeleteMembership",
};

interface MethodScopes {
  app: string[];
  user: string[];
  /** Count only with `useAdminAccess=true` and an administrator. */
  admin: string[];
  /** Accepted only when the space is, or is being created, in import mode. */
  importOnly: string[];
}

const table: Record<ChatMethod, MethodScopes> = {
  "spaces.create": {
    app: ["chat.app.spaces.create", "chat.app.spaces"],
    user: ["chat.spaces.create", "chat.spaces"],
    admin: [],
    importOnly: ["chat.import"],
  },
  "spaces.get": {
    app: ["chat.bot", "chat.app.spaces"],
    user: ["chat.spaces.readonly", "chat.spaces"],
    admin: ["chat.admin.spaces", "chat.admin.spaces.readonly"],
    importOnly: [],
  },
  "spaces.list": { app: ["chat.bot"], user: ["chat.spaces.readonly", "chat.spaces"], admin: [], importOnly: [] },
  // Without admin access, the spaces the calling user has joined (v1.d.ts spaces.search).
  "spaces.search": { app: [], user: ["chat.spaces.readonly", "chat.spaces"], admin: ["chat.admin.spaces", "chat.admin.spaces.readonly"], importOnly: [] },
  "spaces.patch": {
    app: ["chat.app.spaces"],
    user: ["chat.spaces"],
    admin: ["chat.admin.spaces"],
    importOnly: ["chat.import"],
  },
  "spaces.delete": {
    app: ["chat.app.delete"],
    user: ["chat.delete"],
    admin: ["chat.admin.delete"],
    importOnly: ["chat.import"],
  },
  // chat.import is this method's own scope, not a restricted one: a finished import is FAILED_PRECONDITION.
  "spaces.completeImport": { app: [], user: ["chat.import"], admin: [], importOnly: [] },
  "spaces.members.create": {
    app: ["chat.app.memberships"],
    user: ["chat.memberships", "chat.memberships.app"],
    admin: ["chat.admin.memberships"],
    importOnly: ["chat.import"],
  },
  "spaces.members.get": {
    app: ["chat.bot", "chat.app.memberships"],
    user: ["chat.memberships.readonly", "chat.memberships"],
    admin: ["chat.admin.memberships", "chat.admin.memberships.readonly"],
    importOnly: [],
  },
  "spaces.members.list": {
    app: ["chat.bot", "chat.app.memberships"],
    user: ["chat.memberships.readonly", "chat.memberships"],
    admin: ["chat.admin.memberships", "chat.admin.memberships.readonly"],
    importOnly: ["chat.import"],
  },
  "spaces.members.patch": {
    app: ["chat.app.memberships"],
    user: ["chat.memberships"],
    admin: ["chat.admin.memberships"],
    importOnly: ["chat.import"],
  },
  "spaces.members.delete": {
    app: ["chat.app.memberships"],
    user: ["chat.memberships", "chat.memberships.app"],
    admin: ["chat.admin.memberships"],
    importOnly: ["chat.import"],
  },
};

const full = (short: string) => SCOPE_PREFIX + short;

export interface ScopeQuestion {
  method: ChatMethod;
  kind: "app" | "user";
  granted: readonly string[];
  adminAccess: boolean;
}

/**
 * How the granted scopes let a caller in: through the ordinary scopes, the admin scopes,
 * or only through `chat.import` (which the store then limits to import-mode spaces).
 * `undefined` means no granted scope fits.
 */
export type ScopeGrant = "regular" | "admin" | "importOnly";

export function scopeGrant({ method, kind, granted, adminAccess }: ScopeQuestion): ScopeGrant | undefined {
  const scopes = table[method];
  const has = (list: string[]) => list.some((s) => granted.includes(full(s)));
  if (adminAccess) return kind === "user" && has(scopes.admin) ? "admin" : undefined;
  if (has(kind === "app" ? scopes.app : scopes.user)) return "regular";
  if (kind === "user" && has(scopes.importOnly)) return "importOnly";
  return undefined;
}

/** Every scope a method accepts for this kind of caller, as Google lists them in `WWW-Authenticate`. */
export function acceptedScopes(method: ChatMethod, kind: "app" | "user", adminAccess: boolean): string[] {
  const scopes = table[method];
  const list = adminAccess ? scopes.admin : kind === "app" ? scopes.app : [...scopes.user, ...scopes.importOnly];
  return list.map(full);
}

export function hasScope(granted: readonly string[], short: string): boolean {
  return granted.includes(full(short));
}
