/**
 * The emulator's HTTP server: `/v1/...` is the Chat API, `/token` Google's OAuth token
 * endpoint, `/emulator/v1/...` the test-control surface. Every API request goes through
 * the same steps, in Google's order: route, authenticate, check scopes, injected faults,
 * quotas, the method itself, then faults that act after the commit.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Authenticator } from "./auth/auth";
import { chatAppNotConfigured, insufficientScope, serviceDisabled } from "./auth/auth-errors";
import { scopeGrant } from "./auth/scopes";
import { loggedQuery, TOKENINFO_PATH } from "./auth/tokeninfo";
import { MemberService } from "./chat/members";
import { callMethod, matchRoute, type Route, spaceIdOf } from "./chat/routes";
import { ChatStore } from "./chat/store";
import { CONTROL_PREFIX, handleControl } from "./control/control";
import { type FaultAction, FaultInjector, type FaultTarget, faultError, oauthErrorBody } from "./control/faults";
import { QuotaEnforcer } from "./control/quotas";
import { type LoggedRequest, RequestLog } from "./control/request-log";
import { ApiError, invalidArgument, notFound, permissionDenied } from "./errors";
import { CI_TOKEN_PATH, IAM_PREFIX, KeylessServices, STS_PATH } from "./keyless/keyless";
import { type Caller, DEFAULT_SETTINGS, emptyState, principalKey, type WorldSettings } from "./model";
import { loadState, saveState } from "./persist";

export interface EmulatorOptions {
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** Keep the state in this file across restarts. */
  dataFile?: string;
  /** The emulated organisation, over {@link DEFAULT_SETTINGS}. */
  settings?: Partial<WorldSettings>;
  /**
   * The clock of the times the emulator writes (createTime, ...) and of its answers' `Date`
   * header, for tests that move time on; the `clockSkewMs` setting is added to it. @default Date.now
   */
  now?: () => number;
}

export interface RunningEmulator {
  /** Base URL, such as `http://127.0.0.1:39123`: the Chat API root and the control surface. */
  url: string;
  /** The OAuth token endpoint to point the Google clients at. */
  tokenUrl: string;
  /** Token introspection (Google's https://oauth2.googleapis.com/tokeninfo), beside the token endpoint. */
  tokenInfoUrl: string;
  /** Security Token Service: the `token_url` of an `external_account` credential file (emulator/README.md, keyless credentials). */
  stsUrl: string;
  /** IAM Credentials' root, as `googlechat:iamCredentialsEndpoint` takes it (`…/v1/projects/-/serviceAccounts/SA:generateAccessToken` below it). */
  iamUrl: string;
  /** `host:port` of the metadata server, for `GCE_METADATA_HOST`. */
  metadataHost: string;
  /** The CI system's ID-token URL (GitHub's ACTIONS_ID_TOKEN_REQUEST_URL); a job's request token comes from the keyless control. */
  ciTokenUrl: string;
  stop(): Promise<void>;
}

const JSON_TYPE = "application/json; charset=UTF-8";

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const initialSettings = { ...DEFAULT_SETTINGS, ...options.settings };
  const state = options.dataFile ? loadState(options.dataFile, initialSettings) : emptyState(initialSettings);
  const dataFile = options.dataFile;
  const clock = options.now ?? Date.now;
  // Google's clock: the one the emulator was given, moved by the clockSkewMs setting.
  const store: ChatStore = new ChatStore(state, dataFile ? () => saveState(dataFile, store.state) : undefined, () => clock() + store.world.clockSkewMs);
  const members = new MemberService(store);
  const auth = new Authenticator(() => store.state);
  const faults = new FaultInjector();
  // Quotas refill on the emulator's clock, so a test that moves time on refills them with it.
  const quotas = new QuotaEnforcer(clock);
  const log = new RequestLog();
  // The Authenticator's clock (real time): the tokens both issue expire alike.
  const keyless = new KeylessServices({ state: () => store.state, auth, log, url: () => url, now: Date.now });
  const held = new Set<() => void>();
  let tokenUrl = "";

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) send(res, 500, { error: { code: 500, message: String(error), status: "INTERNAL" } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    // Every answer carries Google's Date, not Node's own (the local clock): the keyless stand-ins'
    // as the request arrived, the others' as the answer is sent (send).
    res.setHeader("Date", httpDate(store.now()));
    const raw = await readBody(req);
    if (keyless.serve(req, res, url, raw)) return;
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      let answer;
      try {
        answer = handleControl(
          { store, auth, faults, quotas, log, tokenUrl, initialSettings, releaseHeld: () => held.forEach((r) => r()) },
          req.method ?? "GET",
          url.pathname,
          url.searchParams,
          raw ? JSON.parse(raw) : undefined,
        );
      } catch (error) {
        answer = { status: 400, body: { error: (error as Error).message } };
      }
      return send(res, answer.status, answer.body);
    }
    const started = Date.now();
    const entry: Omit<LoggedRequest, "seq" | "status" | "durationMs"> = {
      time: new Date(started).toISOString(),
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      rpc: "unknown",
    };
    const finish = (status: number) => log.add({ ...entry, status, durationMs: Date.now() - started });

    if (url.pathname === "/token" && req.method === "POST") {
      entry.rpc = "oauth2.token";
      try {
        const after = await applyFaultsBefore("oauth2.token", url.pathname, entry);
        const answer = auth.token(parseForm(raw, req.headers["content-type"]), req.headers.authorization);
        if (answer.status === 200) store.changed();
        return void finish(await sendCommitted(res, after, answer.status, answer.body));
      } catch (error) {
        return void finish(sendError(res, error, oauthErrorBody));
      }
    }

    if (url.pathname === TOKENINFO_PATH && (req.method === "GET" || req.method === "POST")) {
      entry.rpc = "oauth2.tokeninfo";
      entry.query = loggedQuery(url.searchParams);
      try {
        const after = await applyFaultsBefore("oauth2.tokeninfo", url.pathname, entry);
        const form = req.method === "POST" ? parseForm(raw, req.headers["content-type"]) : new URLSearchParams();
        const answer = auth.tokenInfo({ query: url.searchParams, form, authorization: req.headers.authorization });
        if (answer.principal) entry.principal = answer.principal;
        return void finish(await sendCommitted(res, after, answer.status, answer.body));
      } catch (error) {
        return void finish(sendError(res, error, oauthErrorBody));
      }
    }

    const route = matchRoute(req.method ?? "GET", url.pathname);
    if (route) entry.rpc = route.rpc;
    try {
      if (!route) throw notFound(`Method not found: ${req.method} ${url.pathname}.`);
      const caller = authorize(route, req.headers.authorization, url.searchParams);
      entry.principal = principalKey(caller.principal);
      const body = parseJsonBody(raw);
      const after = await applyFaultsBefore(route.rpc, url.pathname, entry);
      quotas.consume(route.rpc, caller.principal.project, spaceIdOf(route));
      const result = callMethod({ route, caller, query: entry.query, body, store, members });
      finish(await sendCommitted(res, after, 200, after?.kind === "nameOnlyAfterCommit" ? { name: (result as { name?: string }).name } : result));
    } catch (error) {
      finish(sendError(res, error));
    }
  }

  /** Sends the answer of a request that was carried out, unless a fault drops it (status 0) or holds it back first. */
  async function sendCommitted(res: ServerResponse, after: FaultAction | undefined, status: number, body: unknown): Promise<number> {
    if (after?.kind === "dropAfterCommit") {
      res.socket?.destroy();
      return 0;
    }
    if (after?.kind === "holdAfterCommit") await hold(after.ms);
    send(res, status, body);
    return status;
  }

  /**
   * Sends the error body of an ApiError (anything else is a 500), and returns its status: Google's
   * error envelope, or `body` of it (the token endpoint's OAuth body).
   */
  function sendError(res: ServerResponse, error: unknown, body: (error: ApiError) => unknown = (e) => e.toBody()): number {
    const apiError = error instanceof ApiError ? error : new ApiError("INTERNAL", "Internal error encountered.");
    send(res, apiError.httpStatus, body(apiError), apiError.headers);
    return apiError.httpStatus;
  }

  /** Who is calling and whether their scopes admit this method (Google checks both before anything else). */
  function authorize(route: Route, authorization: string | undefined, params: URLSearchParams): Caller {
    const { principal, scopes } = auth.authenticate(authorization);
    // Google's front end checks that the caller's project enabled the API before the scopes.
    if (store.world.chatApiDisabledProjects.includes(principal.project)) throw serviceDisabled(principal.project);
    const adminAccess = route.adminAccess && params.get("useAdminAccess") === "true";
    const ask = { method: route.rpc, kind: principal.kind, adminAccess };
    const grant = scopeGrant({ ...ask, granted: scopes });
    if (!grant) throw insufficientScope(route.rpc, { principal, adminAccess });
    if (principal.kind === "app" && !store.world.appAuthApproved) {
      const withoutAppScopes = scopes.filter((s) => !s.includes("/auth/chat.app."));
      if (!scopeGrant({ ...ask, granted: withoutAppScopes })) {
        throw permissionDenied("This Chat app is not approved for app authentication: an administrator must approve the chat.app.* scopes.");
      }
    }
    // The Chat backend then looks for the project's Chat app, which every caller needs, user or app.
    if (store.world.chatAppUnconfiguredProjects.includes(principal.project)) throw chatAppNotConfigured();
    return { principal, scopes, grant, adminAccess };
  }

  /**
   * Applies the faults injected for this request (a Chat method's, or the token endpoint's:
   * emulator/control/faults.ts): waits out latency, throws an error; returns the fault that acts after
   * the commit, if any.
   */
  async function applyFaultsBefore(target: FaultTarget, path: string, entry: { faults?: string[] }) {
    const actions = faults.take(target, path);
    if (actions.length > 0) entry.faults = actions.map((a) => (a.kind === "error" ? `error ${a.status}` : a.kind));
    for (const action of actions) if (action.kind === "latency") await sleep(action.ms);
    const error = actions.find((a) => a.kind === "error");
    if (error?.kind === "error") throw faultError(error);
    return actions.find((a) => a.kind === "dropAfterCommit" || a.kind === "holdAfterCommit" || a.kind === "nameOnlyAfterCommit");
  }

  function hold(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        held.delete(release);
        clearTimeout(timer);
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(release, ms);
      held.add(release);
    });
  }

  /** Writes an answer, dated by Google's clock when it is sent (RFC 9110 §6.6.1: the time the message was generated). */
  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "Content-Type": JSON_TYPE, Date: httpDate(store.now()), ...headers });
    res.end(JSON.stringify(body));
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1";
  const url = `http://${host}:${port}`;
  tokenUrl = `${url}/token`;
  return {
    url,
    tokenUrl,
    tokenInfoUrl: `${url}${TOKENINFO_PATH}`,
    stsUrl: `${url}${STS_PATH}`,
    iamUrl: `${url}${IAM_PREFIX}`,
    metadataHost: `${host}:${port}`,
    ciTokenUrl: `${url}${CI_TOKEN_PATH}`,
    stop: async () => {
      held.forEach((release) => release());
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJsonBody(raw: string): unknown {
  if (raw.trim() === "") return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw invalidArgument("Invalid JSON payload received.");
  }
}

function parseForm(raw: string, contentType: string | undefined): URLSearchParams {
  if (contentType?.includes("application/json")) {
    return new URLSearchParams(Object.entries(JSON.parse(raw || "{}") as Record<string, string>));
  }
  return new URLSearchParams(raw);
}

/**
 * An HTTP date (RFC 9110 §5.6.7 IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`): whole seconds,
 * the milliseconds cut off, as every HTTP server sends its `Date`.
 */
const httpDate = (ms: number) => new Date(ms).toUTCString();
