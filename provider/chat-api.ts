/**
 * Where the Chat API is called: `spaces` create, get, patch, delete and completeImport, each
 * with the least scope it needs for the configured kind of caller, Google's own client with
 * its retries off, and the provider's retries, waits and errors around it.
 *
 * Each try first makes sure the access token for its scope is at hand (a token request when
 * there is none, or it is about to expire), then waits for its quota slot, then sends: the
 * instant the limiter books is the instant the call goes, not a token request's round trip
 * before it. A failed token request is an error of the call, retried like one.
 */
import { chat, type chat_v1 } from "@googleapis/chat";
import type { Log } from "./engine-log";
import { ChatApiError, type ChatCall, outcome } from "./errors";
import { type CallKind, type RateLimiter, sharedRateLimiter } from "./rate-limiter";
import { type AuthSettings, createAuthClient, tokenUrlOf } from "./google-auth";
import { type RetryEnvironment, withRetries } from "./retry";
import type { ProviderSettings } from "./settings";

const scope = (short: string) => `https://www.googleapis.com/auth/${short}`;

type Operation = "create" | "read" | "patch" | "delete" | "completeImport";

/** The quotas each operation draws on. */
const QUOTA_OF: Record<Operation, CallKind> = { create: "create", read: "read", patch: "write", delete: "write", completeImport: "write" };

/**
 * The least scope each operation needs (v1.d.ts, each method's "Authorization scopes").
 * App reads use chat.app.spaces, not chat.bot: only it returns access and permission settings.
 * Import-mode spaces are written with chat.import; completing an import needs it too.
 */
const SCOPES: Record<"app" | "user" | "import" | "admin", Partial<Record<Operation, string>>> = {
  app: { create: "chat.app.spaces.create", read: "chat.app.spaces", patch: "chat.app.spaces", delete: "chat.app.delete" },
  user: { create: "chat.spaces.create", read: "chat.spaces.readonly", patch: "chat.spaces", delete: "chat.delete" },
  import: { create: "chat.import", read: "chat.spaces.readonly", patch: "chat.import", delete: "chat.import", completeImport: "chat.import" },
  admin: { read: "chat.admin.spaces.readonly", patch: "chat.admin.spaces", delete: "chat.admin.delete" },
};

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

  create(space: chat_v1.Schema$Space, requestId: string, opts: Pick<SpaceCallOptions, "target"> = {}): Promise<chat_v1.Schema$Space> {
    return this.call({ method: "spaces.create" }, "create", { ...opts, importMode: space.importMode === true }, (api, options) =>
      api.spaces.create({ requestId, requestBody: space }, options),
    );
  }

  get(name: string, opts: SpaceCallOptions = {}): Promise<chat_v1.Schema$Space> {
    return this.call({ method: "spaces.get", space: name }, "read", opts, (api, options, admin) =>
      api.spaces.get({ name, ...admin }, options),
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
    let mayHaveDeleted = false;
    await this.call({ method: "spaces.delete", space: name }, "delete", opts, async (api, options, admin) => {
      try {
        return await api.spaces.delete({ name, ...admin }, options);
      } catch (error) {
        const answered = (error as { response?: unknown })?.response !== undefined;
        if (mayHaveDeleted && answered && (error as { status?: number }).status === 404) return { data: {} };
        if (!answered) mayHaveDeleted = true;
        throw error;
      }
    });
  }

  async completeImport(name: string, opts: Pick<SpaceCallOptions, "target"> = {}): Promise<chat_v1.Schema$Space> {
    const answer = await this.call({ method: "spaces.completeImport", space: name }, "completeImport", { ...opts, importMode: true }, (api, options) =>
      api.spaces.completeImport({ name }, options),
    );
    return (answer as chat_v1.Schema$CompleteImportSpaceResponse).space ?? {};
  }

  private async call<T>(
    call: ChatCall,
    operation: Operation,
    opts: SpaceCallOptions,
    send: (api: chat_v1.Chat, options: { retry: false; timeout: number }, admin: { useAdminAccess?: boolean }) => Promise<{ data: T }>,
  ): Promise<T> {
    const admin = opts.adminAccess || (this.settings.useAdminAccess && !opts.userAccess);
    const kind = opts.importMode && !opts.adminAccess ? "import" : admin && SCOPES.admin[operation] ? "admin" : this.settings.auth;
    // Every kind lists every operation it can be asked for: completeImport always runs as import.
    const short = SCOPES[kind][operation];
    if (!short) throw new Error(`No scope for ${operation} with ${kind} access.`);
    const fullScope = scope(short);
    const { api, auth } = this.client(fullScope);
    const adminParam = kind === "admin" ? { useAdminAccess: true } : {};
    return withRetries(
      async () => {
        await this.token(auth, call, fullScope);
        // Every try waits its turn: a retry of a 429 draws on the quota like the first try.
        await this.limiter.acquire(QUOTA_OF[operation], call.space, opts.target);
        try {
          return (await send(api, { retry: false, timeout: this.settings.requestTimeoutMs }, adminParam)).data;
        } catch (error) {
          throw ChatApiError.from(call, error, { scope: fullScope, endpoint: this.settings.apiEndpoint });
        }
      },
      this.settings.retry,
      {
        ...this.deps,
        onRetry: (error, delayMs, retry) =>
          this.deps.log(
            `${opts.target ? `ChatSpace ${opts.target.label}: ` : ""}${call.method}${call.space ? ` ${call.space}` : ""}: ${outcome(error)}; waiting ${(delayMs / 1000).toFixed(1)} s before retry ${retry}`,
            opts.target?.urn,
          ),
      },
    );
  }

  /**
   * Makes sure the access token for `fullScope` is at hand: the auth client caches it, so this
   * sends a token request only when there is none or it is about to expire (and for self-signed
   * JWTs, none at all). An answer from the token endpoint, or a network failure on the way to
   * it, becomes a ChatApiError of the call; anything else (no credentials found, a bad key) is
   * not a request that failed, and is thrown as it is.
   */
  private async token(auth: ScopedClient["auth"], call: ChatCall, fullScope: string): Promise<void> {
    try {
      await auth.getRequestHeaders(this.settings.apiEndpoint);
    } catch (error) {
      const e = error as { response?: unknown; code?: unknown };
      if (!e?.response && typeof e?.code !== "string") throw error;
      throw ChatApiError.from(call, error, { scope: fullScope, endpoint: tokenUrlOf(this.settings), tokenRequest: true });
    }
  }

  /** One client per scope, so each token carries only the scope its calls need. */
  private client(fullScope: string): ScopedClient {
    let client = this.clients.get(fullScope);
    if (!client) {
      const settings: AuthSettings = {
        credentials: this.settings.credentials,
        scopes: [fullScope],
        subject: this.settings.impersonateUser,
        tokenEndpoint: this.settings.tokenEndpoint,
        selfSignedJwt: this.settings.selfSignedJwt && !this.settings.impersonateUser,
        timeoutMs: this.settings.requestTimeoutMs,
      };
      const auth = createAuthClient(settings);
      client = { api: chat({ version: "v1", auth, rootUrl: this.settings.apiEndpoint }), auth };
      this.clients.set(fullScope, client);
    }
    return client;
  }
}
