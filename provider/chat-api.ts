/**
 * Where the Chat API is called: `spaces` create, get, patch, delete and completeImport, each
 * with the least scope it needs for the configured kind of caller, Google's own client with
 * its retries off, and the provider's retries, waits and errors around it.
 */
import { chat, type chat_v1 } from "@googleapis/chat";
import { ChatApiError, type ChatCall } from "./errors";
import { type CallKind, RateLimiter } from "./rate-limiter";
import { type AuthSettings, createAuthClient } from "./google-auth";
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
  /** Where a wait is announced (Pulumi's log in the provider). */
  log: (message: string) => void;
}

/** Options of one call. */
export interface SpaceCallOptions {
  /** Whether the space is in import mode: it decides the scope and admin access. */
  importMode?: boolean;
  /** The Pulumi resource the call serves, named in log lines. */
  resource?: string;
  /**
   * Read with the user's Workspace administrator privileges (`useAdminAccess`) even when the
   * provider is not configured to: a second opinion on a space the caller itself can't see.
   */
  adminAccess?: boolean;
}

export class ChatSpacesApi {
  private readonly clients = new Map<string, chat_v1.Chat>();
  private readonly limiter: RateLimiter;

  constructor(
    private readonly settings: ProviderSettings,
    private readonly deps: ChatApiDeps,
  ) {
    this.limiter = new RateLimiter(settings.rateLimits, deps, deps.log);
  }

  create(space: chat_v1.Schema$Space, requestId: string, opts: Pick<SpaceCallOptions, "resource"> = {}): Promise<chat_v1.Schema$Space> {
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
    return this.call({ method: "spaces.patch", space: name }, "patch", opts, (api, options, admin) =>
      api.spaces.patch({ name, updateMask, requestBody: space, ...admin }, options),
    );
  }

  async delete(name: string, opts: SpaceCallOptions = {}): Promise<void> {
    await this.call({ method: "spaces.delete", space: name }, "delete", opts, (api, options, admin) =>
      api.spaces.delete({ name, ...admin }, options),
    );
  }

  async completeImport(name: string, opts: Pick<SpaceCallOptions, "resource"> = {}): Promise<chat_v1.Schema$Space> {
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
    const kind = opts.importMode && !opts.adminAccess ? "import" : (opts.adminAccess || this.settings.useAdminAccess) && SCOPES.admin[operation] ? "admin" : this.settings.auth;
    // Every kind lists every operation it can be asked for: completeImport always runs as import.
    const short = SCOPES[kind][operation];
    if (!short) throw new Error(`No scope for ${operation} with ${kind} access.`);
    const api = this.client(scope(short));
    const admin = kind === "admin" ? { useAdminAccess: true } : {};
    return withRetries(
      async () => {
        // Every try waits its turn: a retry of a 429 draws on the quota like the first try.
        await this.limiter.acquire(QUOTA_OF[operation], call.space);
        try {
          return (await send(api, { retry: false, timeout: this.settings.requestTimeoutMs }, admin)).data;
        } catch (error) {
          throw ChatApiError.from(call, error);
        }
      },
      this.settings.retry,
      {
        ...this.deps,
        onRetry: (error, delayMs, retry) =>
          this.deps.log(
            `${opts.resource ? `ChatSpace ${opts.resource}: ` : ""}${call.method}${call.space ? ` ${call.space}` : ""}: ${error.httpStatus ?? "no answer"} ${error.googleStatus ?? ""}; waiting ${(delayMs / 1000).toFixed(1)} s before retry ${retry}`,
          ),
      },
    );
  }

  /** One client per scope, so each token carries only the scope its calls need. */
  private client(fullScope: string): chat_v1.Chat {
    let client = this.clients.get(fullScope);
    if (!client) {
      const auth: AuthSettings = {
        credentials: this.settings.credentials,
        scopes: [fullScope],
        subject: this.settings.impersonateUser,
        tokenEndpoint: this.settings.tokenEndpoint,
        selfSignedJwt: this.settings.selfSignedJwt && !this.settings.impersonateUser,
      };
      client = chat({ version: "v1", auth: createAuthClient(auth), rootUrl: this.settings.apiEndpoint });
      this.clients.set(fullScope, client);
    }
    return client;
  }
}
