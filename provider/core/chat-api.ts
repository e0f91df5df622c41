/**
 * Where the Chat API is called: `spaces` create, get, list, search, patch, delete and completeImport, and
 * `spaces.members` create, get, list, patch and delete, each with the least scope it needs for the configured kind of caller, Google's own client with
 * its retries off, and the provider's retries, waits and errors around it.
 *
 * Each try first makes sure the access token for its scope is at hand (a token request when
 * there is none, or it is about to expire), then waits for its quota slot, then sends: the
 * instant the limiter books is the instant the call goes, not a token request's round trip
 * before it. A failed token request is an error of the call, retried like one.
 */
import { chat, type chat_v1 } from "@googleapis/chat";
import { callerEmail } from "./caller-identity";
import type { Log } from "./engine-log";
import { ChatApiError, type ChatCall, retryNotice, tokenRequestFailure } from "./errors";
import { type AuthSettings, createAuthClient } from "./google-auth";
import { type CallKind, type RateLimiter, sharedRateLimiter } from "./rate-limiter";
import { type RetryEnvironment, withRetries } from "./retry";
import type { ProviderSettings } from "./settings";

const scope = (short: string) => `https://www.googleapis.com/auth/${short}`;

/** A Chat call the provider makes, as far as its scope and quota go. */
export type Operation =
  | "create"
  | "read"
  | "list"
  | "search"
  | "patch"
  | "delete"
  | "completeImport"
  | "memberCreate"
  | "memberRead"
  | "memberPatch"
  | "memberDelete"
  | "appMemberWrite";

/** The quotas each operation draws on. */
const QUOTA_OF: Record<Operation, CallKind> = {
  create: "create",
  read: "read",
  list: "read",
  search: "read",
  patch: "write",
  delete: "write",
  completeImport: "write",
  memberCreate: "memberWrite",
  memberRead: "memberRead",
  memberPatch: "memberWrite",
  memberDelete: "memberWrite",
  appMemberWrite: "memberWrite",
};

/**
 * The Chat methods each operation calls, as v1.d.ts names them: where Google lists the scopes
 * that authorise it.
 */
export const METHODS_OF: Record<Operation, readonly string[]> = {
  create: ["spaces.create"],
  read: ["spaces.get"],
  list: ["spaces.list"],
  search: ["spaces.search"],
  patch: ["spaces.patch"],
  delete: ["spaces.delete"],
  completeImport: ["spaces.completeImport"],
  memberCreate: ["spaces.members.create"],
  memberRead: ["spaces.members.get", "spaces.members.list"],
  memberPatch: ["spaces.members.patch"],
  memberDelete: ["spaces.members.delete"],
  appMemberWrite: ["spaces.members.create", "spaces.members.delete"],
};

/**
 * Who a call acts as, which decides its scope: the Chat app (`app`), a user (`user`), a user
 * writing an import-mode space (`import`), a user with admin access (`admin`).
 */
export type Access = "app" | "user" | "import" | "admin";

/** A call's scopes: the least first, then the broader ones Google also accepts for it. */
type Scopes = readonly [least: string, ...alsoAccepted: string[]];

/**
 * The scopes of each operation, by access, from each method's "Authorization scopes" in v1.d.ts.
 * The first is the least scope the operation needs: the one the provider asks a token for. The
 * others are the broader scopes v1.d.ts lists for every method of the operation, for that kind of
 * caller: a token holding one of them is accepted too. That matters for a user's own credentials,
 * whose refresh asks for no scope and carries every scope the user consented to (a sign-in with
 * chat.spaces alone creates and reads spaces).
 *
 * Spaces: app reads use chat.app.spaces, not chat.bot: only it returns access and permission
 * settings (v1.d.ts spaces.get), so chat.bot is no alternative for them. Import-mode spaces are
 * written with chat.import; completing an import needs it too.
 *
 * Memberships: users write with chat.memberships and read with chat.memberships.readonly; the
 * calling Chat app is added and removed with chat.memberships.app, which can do nothing else
 * (`appMemberWrite`; chat.memberships adds and removes it too). Apps read with
 * chat.app.memberships, the scope their writes need anyway (one admin approval, one token).
 * Admin access reads with chat.admin.memberships.readonly. Historical memberships of import mode
 * are written with chat.import; members.get does not take chat.import (v1.d.ts members.get), so
 * they are read with the user's read scopes.
 */
const SCOPES: Record<Access, Partial<Record<Operation, Scopes>>> = {
  app: {
    create: ["chat.app.spaces.create", "chat.app.spaces"],
    read: ["chat.app.spaces"],
    // spaces.list takes chat.bot alone from an app (v1.d.ts spaces.list).
    list: ["chat.bot"],
    patch: ["chat.app.spaces"],
    delete: ["chat.app.delete"],
    memberCreate: ["chat.app.memberships"],
    memberRead: ["chat.app.memberships", "chat.bot"],
    memberPatch: ["chat.app.memberships"],
    memberDelete: ["chat.app.memberships"],
  },
  user: {
    create: ["chat.spaces.create", "chat.spaces"],
    read: ["chat.spaces.readonly", "chat.spaces"],
    list: ["chat.spaces.readonly", "chat.spaces"],
    patch: ["chat.spaces"],
    delete: ["chat.delete"],
    memberCreate: ["chat.memberships"],
    memberRead: ["chat.memberships.readonly", "chat.memberships"],
    memberPatch: ["chat.memberships"],
    memberDelete: ["chat.memberships"],
    appMemberWrite: ["chat.memberships.app", "chat.memberships"],
  },
  import: {
    create: ["chat.import"],
    read: ["chat.spaces.readonly", "chat.spaces"],
    patch: ["chat.import"],
    delete: ["chat.import"],
    completeImport: ["chat.import"],
    memberCreate: ["chat.import"],
    memberRead: ["chat.memberships.readonly", "chat.memberships"],
    memberPatch: ["chat.import"],
    memberDelete: ["chat.import"],
  },
  admin: {
    read: ["chat.admin.spaces.readonly", "chat.admin.spaces"],
    // spaces.search: the provider searches with admin access only (v1.d.ts Params$Resource$Spaces$Search.useAdminAccess).
    search: ["chat.admin.spaces.readonly", "chat.admin.spaces"],
    patch: ["chat.admin.spaces"],
    delete: ["chat.admin.delete"],
    memberCreate: ["chat.admin.memberships"],
    memberRead: ["chat.admin.memberships.readonly", "chat.admin.memberships"],
    memberPatch: ["chat.admin.memberships"],
    memberDelete: ["chat.admin.memberships"],
  },
};

/**
 * The least scope (full URL) of `operation` acting as `access`: the one the provider asks for;
 * undefined where that access can't make the call (an app completing an import, a user searching
 * without admin access).
 */
export function leastScope(access: Access, operation: Operation): string | undefined {
  return acceptedScopes(access, operation)?.[0];
}

/**
 * Every scope (full URLs) that authorises `operation` acting as `access`, the least first
 * ({@link SCOPES}); undefined where that access can't make the call.
 */
export function acceptedScopes(access: Access, operation: Operation): string[] | undefined {
  return SCOPES[access][operation]?.map(scope);
}

export interface ChatApiDeps extends RetryEnvironment {
  /** Where a wait is announced (Pulumi's log in the provider), attached to the resource's URN when known. */
  log: Log;
}

/**
 * The `spaces.patch` masks Google does not support with `useAdminAccess` (v1.d.ts
 * `Params$Resource$Spaces$Patch.updateMask`: space_type, space_history_state,
 * access_settings.audience, access_settings.access_permission_settings; permission_settings
 * is kept to the user too, as the emulator models it).
 */
const NOT_WITH_ADMIN_ACCESS = ["space_type", "space_history_state", "access_settings", "permission_settings"];

/** A Pulumi resource a call serves: its name for messages, and its URN where known (create, update). */
export interface Target {
  readonly label: string;
  readonly urn?: string;
  /** The resource type named in log lines. @default "ChatSpace" */
  readonly resource?: string;
}

/** Options of one call. */
export interface SpaceCallOptions {
  /** Whether the space is in import mode: it decides the scope and admin access. */
  importMode?: boolean;
  /** The Pulumi resource the call serves: named in log lines, which are attached to it. */
  target?: Target;
  /**
   * Read with the user's Workspace administrator privileges (`useAdminAccess`) even when the
   * provider is not configured to: a second opinion on a space the caller itself can't see.
   */
  adminAccess?: boolean;
  /** Act as the configured user without admin access, even where `useAdminAccess` is configured. */
  userAccess?: boolean;
}

/** The query of one `spaces.members.list` page (v1.d.ts Params$Resource$Spaces$Members$List). */
export interface MemberListQuery {
  filter?: string;
  pageSize?: number;
  pageToken?: string;
  showGroups?: boolean;
  showInvited?: boolean;
}

/** The query of one `spaces.list` page (v1.d.ts Params$Resource$Spaces$List). */
export interface SpaceListQuery {
  filter?: string;
  pageSize?: number;
  pageToken?: string;
}

/** The query of one `spaces.search` page with admin access (v1.d.ts Params$Resource$Spaces$Search). */
export interface SpaceSearchQuery {
  query: string;
  orderBy?: string;
  pageSize?: number;
  pageToken?: string;
}

/** What `spaces.create` answered, and when by Google's clock. */
export interface CreateAnswer {
  space: chat_v1.Schema$Space;
  /**
   * Google's clock when it made the answer: the answer's `Date` header (RFC 9110 §6.6.1), in ms
   * since the epoch. An HTTP date has whole seconds (§5.6.7), so this is up to a second before
   * the answer was made, never after. Undefined when the answer carried no readable `Date`
   * (RFC 9110 lets an origin without a clock leave it out, and a proxy may drop it).
   */
  serverDate?: number;
}

/** One call's answer: its body, and its headers for the few callers that need one. */
interface Answer<T> {
  data: T;
  headers?: unknown;
}

/** A Chat client for one scope, and the auth client that gets its tokens. */
interface ScopedClient {
  api: chat_v1.Chat;
  auth: ReturnType<typeof createAuthClient>;
}

export class ChatSpacesApi {
  private readonly clients = new Map<string, ScopedClient>();
  private readonly limiter: RateLimiter;

  constructor(
    private readonly settings: ProviderSettings,
    private readonly deps: ChatApiDeps,
  ) {
    // One limiter for the process, however many times the provider is configured.
    this.limiter = sharedRateLimiter(settings.rateLimits, deps, deps.log);
  }

  /**
   * `spaces.create`, and Google's time when it answered: a reused requestId answers with the
   * space an earlier request made (v1.d.ts spaces.create `requestId`), which only Google's clock
   * tells apart from a new one (the local clock may be off by any amount).
   */
  async create(space: chat_v1.Schema$Space, requestId: string, opts: Pick<SpaceCallOptions, "target"> = {}): Promise<CreateAnswer> {
    const answer = await this.exchange({ method: "spaces.create" }, "create", { ...opts, importMode: space.importMode === true }, (api, options) =>
      api.spaces.create({ requestId, requestBody: space }, options),
    );
    return { space: answer.data, serverDate: dateHeaderOf(answer.headers) };
  }

  get(name: string, opts: SpaceCallOptions = {}): Promise<chat_v1.Schema$Space> {
    return this.call({ method: "spaces.get", space: name }, "read", opts, (api, options, admin) => api.spaces.get({ name, ...admin }, options));
  }

  /** One page of `spaces.list`: the spaces the caller is a member of. */
  listSpaces(query: SpaceListQuery, opts: Pick<SpaceCallOptions, "target"> = {}): Promise<chat_v1.Schema$ListSpacesResponse> {
    return this.call({ method: "spaces.list" }, "list", { ...opts, userAccess: true }, (api, options) => api.spaces.list({ ...query }, options));
  }

  /** One page of `spaces.search` with admin access: the organisation's spaces. */
  searchSpaces(query: SpaceSearchQuery, opts: Pick<SpaceCallOptions, "target"> = {}): Promise<chat_v1.Schema$SearchSpacesResponse> {
    return this.call({ method: "spaces.search" }, "search", { ...opts, adminAccess: true }, (api, options, admin) =>
      api.spaces.search({ ...query, ...admin }, options),
    );
  }

  patch(name: string, updateMask: string, space: chat_v1.Schema$Space, opts: SpaceCallOptions = {}) {
    // Masks Google refuses with admin access go as the user (who must then manage the space).
    const asUser = updateMask.split(",").some((path) => NOT_WITH_ADMIN_ACCESS.some((p) => path === p || path.startsWith(`${p}.`)));
    return this.call({ method: "spaces.patch", space: name }, "patch", { ...opts, ...(asUser ? { userAccess: true } : {}) }, (api, options, admin) =>
      api.spaces.patch({ name, updateMask, requestBody: space, ...admin }, options),
    );
  }

  /**
   * `spaces.delete`. A retry after a try that got no answer (a timeout, a reset: the delete may
   * have been done) meets 404 for the space that try deleted: that is this call's success. A 404
   * after tries Google answered (429, 503: nothing was done) says nothing about who deleted the
   * space, and is the caller's to explain.
   */
  async delete(name: string, opts: SpaceCallOptions = {}): Promise<void> {
    const send = lostDeleteIsDone();
    await this.call({ method: "spaces.delete", space: name }, "delete", opts, (api, options, admin) =>
      send(() => api.spaces.delete({ name, ...admin }, options)),
    );
  }

  async completeImport(name: string, opts: Pick<SpaceCallOptions, "target"> = {}): Promise<chat_v1.Schema$Space> {
    const answer = await this.call({ method: "spaces.completeImport", space: name }, "completeImport", { ...opts, importMode: true }, (api, options) =>
      api.spaces.completeImport({ name }, options),
    );
    return (answer as chat_v1.Schema$CompleteImportSpaceResponse).space ?? {};
  }

  /**
   * `spaces.members.create`. `appMember`: the membership is the calling Chat app's (`users/app`),
   * added with chat.memberships.app alone. In import mode it goes with chat.import.
   */
  createMember(
    parent: string,
    membership: chat_v1.Schema$Membership,
    opts: Pick<SpaceCallOptions, "importMode" | "target"> & { appMember?: boolean } = {},
  ): Promise<chat_v1.Schema$Membership> {
    const operation = opts.appMember && !opts.importMode ? "appMemberWrite" : "memberCreate";
    return this.call({ method: "spaces.members.create", space: parent }, operation, opts, (api, options, admin) =>
      api.spaces.members.create({ parent, requestBody: membership, ...admin }, options),
    );
  }

  getMember(name: string, opts: SpaceCallOptions = {}): Promise<chat_v1.Schema$Membership> {
    return this.call({ method: "spaces.members.get", space: spaceOf(name) }, "memberRead", opts, (api, options, admin) =>
      api.spaces.members.get({ name, ...admin }, options),
    );
  }

  /** One page of `spaces.members.list`. */
  listMembers(parent: string, query: MemberListQuery, opts: SpaceCallOptions = {}): Promise<chat_v1.Schema$ListMembershipsResponse> {
    return this.call({ method: "spaces.members.list", space: parent }, "memberRead", opts, (api, options, admin) =>
      api.spaces.members.list({ parent, ...query, ...admin }, options),
    );
  }

  /** `spaces.members.patch` of the role, the one field Google updates (mask `role`). */
  patchMemberRole(name: string, role: string, opts: SpaceCallOptions = {}): Promise<chat_v1.Schema$Membership> {
    return this.call({ method: "spaces.members.patch", space: spaceOf(name) }, "memberPatch", opts, (api, options, admin) =>
      api.spaces.members.patch({ name, updateMask: "role", requestBody: { role }, ...admin }, options),
    );
  }

  /**
   * `spaces.members.delete`; a 404 after a try that got no answer is this call's success, as for
   * {@link delete}.
   */
  async deleteMember(name: string, opts: SpaceCallOptions & { appMember?: boolean } = {}): Promise<void> {
    const operation = opts.appMember && !opts.importMode ? "appMemberWrite" : "memberDelete";
    const send = lostDeleteIsDone();
    await this.call({ method: "spaces.members.delete", space: spaceOf(name) }, operation, opts, (api, options, admin) =>
      send(() => api.spaces.members.delete({ name, ...admin }, options)),
    );
  }

  /**
   * The calling user's email (caller-identity.ts {@link callerEmail}): googlechat:impersonateUser
   * with domain-wide delegation, no request; undefined with app authentication; with a user's own
   * credentials, the email Google's tokeninfo answers for their access token, learnt once per
   * process and credentials. Rejects with a ChatApiError (a token request or tokeninfo failed
   * past the retries; `explain` words it) or with `CallerUnknown` (the token lacks the email
   * scope; its message says how to add it).
   *
   * The token asked about is the member-read scope's, which a roster or membership has usually
   * just used: a user's own credentials ask for no scope when they refresh (google-auth-library's
   * refresh-token grant sends none), so each of their tokens carries every consented scope and
   * any would tell the same user.
   */
  callerEmail(opts: Pick<SpaceCallOptions, "target"> = {}): Promise<string | undefined> {
    const fullScope = leastScope(this.settings.useAdminAccess ? "admin" : "user", "memberRead")!;
    const client = () => ({ auth: this.client(fullScope).auth, scope: fullScope });
    return callerEmail({ settings: this.settings, client, deps: this.deps, target: opts.target });
  }

  /**
   * The auth client whose tokens carry `fullScope`, the one the calls of that scope use: asking it
   * for a token (a token request only when it holds none that is fresh) checks that the scope can
   * be had, and a later call of that scope sends no second token request.
   */
  authClient(fullScope: string): ScopedClient["auth"] {
    return this.client(fullScope).auth;
  }

  private async call<T>(
    call: ChatCall,
    operation: Operation,
    opts: SpaceCallOptions,
    send: (api: chat_v1.Chat, options: { retry: false; timeout: number }, admin: { useAdminAccess?: boolean }) => Promise<Answer<T>>,
  ): Promise<T> {
    return (await this.exchange(call, operation, opts, send)).data;
  }

  /** One call with its scope, quota slot, retries and errors; answers the body and the headers. */
  private async exchange<T>(
    call: ChatCall,
    operation: Operation,
    opts: SpaceCallOptions,
    send: (api: chat_v1.Chat, options: { retry: false; timeout: number }, admin: { useAdminAccess?: boolean }) => Promise<Answer<T>>,
  ): Promise<Answer<T>> {
    const admin = opts.adminAccess || (this.settings.useAdminAccess && !opts.userAccess);
    const kind = opts.importMode && !opts.adminAccess ? "import" : admin && SCOPES.admin[operation] ? "admin" : this.settings.auth;
    // Every kind lists every operation it can be asked for: completeImport always runs as import.
    const fullScope = leastScope(kind, operation);
    if (!fullScope) throw new Error(`No scope for ${operation} with ${kind} access.`);
    const { api, auth } = this.client(fullScope);
    const adminParam = kind === "admin" ? { useAdminAccess: true } : {};
    return withRetries(
      async () => {
        await this.token(auth, call, fullScope);
        // Every try waits its turn: a retry of a 429 draws on the quota like the first try.
        await this.limiter.acquire(QUOTA_OF[operation], call.space, opts.target);
        try {
          const { data, headers } = await send(api, { retry: false, timeout: this.settings.requestTimeoutMs }, adminParam);
          return { data, headers };
        } catch (error) {
          throw ChatApiError.from(call, error, { scope: fullScope, endpoint: this.settings.apiEndpoint, adminAccess: kind === "admin" });
        }
      },
      this.settings.retry,
      {
        ...this.deps,
        onRetry: (error, delayMs, retry) => this.deps.log(retryNotice(opts.target, call, error, delayMs, retry), opts.target?.urn),
      },
    );
  }

  /**
   * Makes sure the access token for `fullScope` is at hand: the auth client caches it, so this
   * sends a token request only when there is none or it is about to expire (and for self-signed
   * JWTs, none at all). A failed one is an error of the call ({@link tokenRequestFailure}).
   */
  private async token(auth: ScopedClient["auth"], call: ChatCall, fullScope: string): Promise<void> {
    try {
      await auth.getRequestHeaders(this.settings.apiEndpoint);
    } catch (error) {
      throw tokenRequestFailure(this.settings, call, error, fullScope);
    }
  }

  /** One client per scope, so each token carries only the scope its calls need. */
  private client(fullScope: string): ScopedClient {
    let client = this.clients.get(fullScope);
    if (!client) {
      const auth = createAuthClient(authSettingsOf(this.settings, fullScope));
      client = { api: chat({ version: "v1", auth, rootUrl: this.settings.apiEndpoint }), auth };
      this.clients.set(fullScope, client);
    }
    return client;
  }
}

/** The auth client's settings for tokens of one scope (a full URL), from the provider's. */
function authSettingsOf(settings: ProviderSettings, fullScope: string): AuthSettings {
  return {
    credentials: settings.credentials,
    scopes: [fullScope],
    subject: settings.impersonateUser,
    impersonateServiceAccount: settings.impersonateServiceAccount,
    iamCredentialsEndpoint: settings.iamCredentialsEndpoint,
    tokenEndpoint: settings.tokenEndpoint,
    selfSignedJwt: settings.selfSignedJwt && !settings.impersonateUser,
    timeoutMs: settings.requestTimeoutMs,
  };
}

/**
 * An answer's `Date` header as ms since the epoch (RFC 9110 §5.6.7 formats, which Date.parse
 * reads), or undefined when there is none or it can't be read. The client's typings give the
 * headers as a plain object; gaxios hands a fetch `Headers`: both are read.
 */
function dateHeaderOf(headers: unknown): number | undefined {
  const value =
    typeof (headers as Headers | undefined)?.get === "function" ? (headers as Headers).get("date") : (headers as Record<string, unknown> | undefined)?.date;
  if (typeof value !== "string") return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The space a membership name `spaces/{s}/members/{m}` belongs to: the key of its per-space quota. */
const spaceOf = (membership: string) => membership.split("/members/")[0];

/**
 * The tries of one delete: after a try that got no answer (a timeout, a reset: the delete may
 * have been done), a 404 from a later try is that try's success. A 404 after tries Google
 * answered (429, 503: nothing was done) says nothing about who deleted it, and is thrown.
 */
function lostDeleteIsDone() {
  let mayHaveDeleted = false;
  return async <T>(send: () => Promise<{ data: T }>): Promise<{ data: T | Record<string, never> }> => {
    try {
      return await send();
    } catch (error) {
      const answered = (error as { response?: unknown })?.response !== undefined;
      if (mayHaveDeleted && answered && (error as { status?: number }).status === 404) return { data: {} };
      if (!answered) mayHaveDeleted = true;
      throw error;
    }
  };
}
