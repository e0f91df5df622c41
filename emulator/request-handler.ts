/**
 * What the emulator does with each request, by its path: the keyless stand-ins, the test-control
 * surface, Google's OAuth token endpoint and tokeninfo, then the Chat API, whose requests go
 * through the same steps, in Google's order: route, authenticate, check scopes, injected faults,
 * quotas, the method itself, then faults that act after the commit.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { Authenticator } from "./auth/auth";
import { chatAppNotConfigured, insufficientScope, serviceDisabled } from "./auth/auth-errors";
import { scopeGrant } from "./auth/scopes";
import { loggedQuery, TOKENINFO_PATH } from "./auth/tokeninfo";
import type { MemberService } from "./chat/members";
import { callMethod, matchRoute, type Route, spaceIdOf } from "./chat/routes";
import type { ChatStore } from "./chat/store";
import { CONTROL_PREFIX, handleControl } from "./control/control";
import { type FaultAction, type FaultInjector, type FaultTarget, faultError, oauthErrorBody } from "./control/faults";
import type { QuotaEnforcer } from "./control/quotas";
import type { LoggedRequest, RequestLog } from "./control/request-log";
import { ApiError, invalidArgument, notFound, permissionDenied } from "./errors";
import type { KeylessServices } from "./keyless/keyless";
import { type Caller, principalKey, type WorldSettings } from "./model";

const JSON_TYPE = "application/json; charset=UTF-8";
/** Google's OAuth token endpoint, on the emulator's own address. */
export const TOKEN_PATH = "/token";

/** What every request reads and changes: the stored data and the services over it. */
export interface EmulatorServices {
  /** The organisation settings the emulator started with, restored by a control reset. */
  initialSettings: WorldSettings;
  store: ChatStore;
  members: MemberService;
  auth: Authenticator;
  faults: FaultInjector;
  quotas: QuotaEnforcer;
  log: RequestLog;
  keyless: KeylessServices;
}

/**
 * Requests a fault holds back: answers after the commit (`holdAfterCommit`), until their time is
 * up or they are released; requests before they run (`holdBeforeRun`), until released.
 */
export class HeldAnswers {
  private readonly releases = new Set<() => void>();

  /** Resolves after `ms`, or when released; without `ms`, only when released. */
  hold(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        this.releases.delete(release);
        clearTimeout(timer);
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(release, ms);
      this.releases.add(release);
    });
  }

  /** Answers every held request now, so a reset or stop leaves nothing hanging. */
  releaseAll(): void {
    this.releases.forEach((release) => release());
  }
}

/** One request as it arrived: its body read whole. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  raw: string;
}

/** A request's line of the request log, written once its status is known. */
interface LogLine {
  entry: Omit<LoggedRequest, "seq" | "status" | "durationMs">;
  finish(status: number): void;
}

/** Serves each request: the keyless stand-ins, the control surface, the token endpoint, tokeninfo, then the Chat API. */
export class RequestHandler {
  constructor(
    private readonly services: EmulatorServices,
    private readonly held: HeldAnswers,
    private readonly tokenUrl: () => string,
  ) {}

  serve(req: IncomingMessage, res: ServerResponse): void {
    this.handle(req, res).catch((error) => {
      if (!res.headersSent) this.send(res, 500, { error: { code: 500, message: String(error), status: "INTERNAL" } });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    // Every answer carries Google's Date, not Node's own (the local clock): the keyless stand-ins'
    // as the request arrived, the others' as the answer is sent (send).
    res.setHeader("Date", httpDate(this.services.store.now()));
    const exchange = { req, res, url, raw: await readBody(req) };
    if (this.services.keyless.serve(req, res, url, exchange.raw)) return;
    if (url.pathname.startsWith(CONTROL_PREFIX)) return this.serveControl(exchange);
    const line = this.logLine(exchange);
    if (url.pathname === TOKEN_PATH && req.method === "POST") return this.serveToken(exchange, line);
    if (url.pathname === TOKENINFO_PATH && (req.method === "GET" || req.method === "POST")) return this.serveTokenInfo(exchange, line);
    return this.serveChatApi(exchange, line);
  }

  /** The test-control surface (`/emulator/v1/...`): neither logged nor faulted; a bad request is 400 with its reason. */
  private serveControl({ req, res, url, raw }: Exchange): void {
    const { store, auth, faults, quotas, log, initialSettings } = this.services;
    let answer;
    try {
      answer = handleControl(
        { store, auth, faults, quotas, log, tokenUrl: this.tokenUrl(), initialSettings, releaseHeld: () => this.held.releaseAll() },
        req.method ?? "GET",
        url.pathname,
        url.searchParams,
        raw ? JSON.parse(raw) : undefined,
      );
    } catch (error) {
      answer = { status: 400, body: { error: (error as Error).message } };
    }
    this.send(res, answer.status, answer.body);
  }

  /** The request log's line of a request the emulator answers as Google would, its method not yet known. */
  private logLine({ req, url }: Exchange): LogLine {
    const started = Date.now();
    const entry: LogLine["entry"] = {
      time: new Date(started).toISOString(),
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      rpc: "unknown",
    };
    return { entry, finish: (status) => this.services.log.add({ ...entry, status, durationMs: Date.now() - started }) };
  }

  /** `POST /token`: the OAuth token endpoint, its errors in OAuth's shape. */
  private async serveToken({ req, res, url, raw }: Exchange, { entry, finish }: LogLine): Promise<void> {
    entry.rpc = "oauth2.token";
    try {
      const after = await this.applyFaultsBefore("oauth2.token", url.pathname, entry);
      const answer = this.services.auth.token(parseForm(raw, req.headers["content-type"]), req.headers.authorization);
      if (answer.status === 200) this.services.store.changed();
      finish(await this.sendCommitted(res, after, answer.status, answer.body));
    } catch (error) {
      finish(this.sendError(res, error, oauthErrorBody));
    }
  }

  /** `GET` or `POST /tokeninfo`: token introspection, logged without the token and under the introspected token's principal. */
  private async serveTokenInfo({ req, res, url, raw }: Exchange, { entry, finish }: LogLine): Promise<void> {
    entry.rpc = "oauth2.tokeninfo";
    entry.query = loggedQuery(url.searchParams);
    try {
      const after = await this.applyFaultsBefore("oauth2.tokeninfo", url.pathname, entry);
      const form = req.method === "POST" ? parseForm(raw, req.headers["content-type"]) : new URLSearchParams();
      const answer = this.services.auth.tokenInfo({ query: url.searchParams, form, authorization: req.headers.authorization });
      if (answer.principal) entry.principal = answer.principal;
      finish(await this.sendCommitted(res, after, answer.status, answer.body));
    } catch (error) {
      finish(this.sendError(res, error, oauthErrorBody));
    }
  }

  /** A Chat API method, in Google's order: route, authenticate and check scopes, injected faults, quotas, the method, faults after the commit. */
  private async serveChatApi({ req, res, url, raw }: Exchange, { entry, finish }: LogLine): Promise<void> {
    const route = matchRoute(req.method ?? "GET", url.pathname);
    if (route) entry.rpc = route.rpc;
    try {
      if (!route) throw notFound(`Method not found: ${req.method} ${url.pathname}.`);
      const caller = this.authorize(route, req.headers.authorization, url.searchParams);
      entry.principal = principalKey(caller.principal);
      const body = parseJsonBody(raw);
      const after = await this.applyFaultsBefore(route.rpc, url.pathname, entry);
      this.services.quotas.consume(route.rpc, caller.principal.project, spaceIdOf(route));
      const { store, members } = this.services;
      const result = callMethod({ route, caller, query: entry.query, body, store, members });
      finish(await this.sendCommitted(res, after, 200, after?.kind === "nameOnlyAfterCommit" ? { name: (result as { name?: string }).name } : result));
    } catch (error) {
      finish(this.sendError(res, error));
    }
  }

  /** Who is calling and whether their scopes admit this method (Google checks both before anything else). */
  private authorize(route: Route, authorization: string | undefined, params: URLSearchParams): Caller {
    const { auth, store } = this.services;
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
  private async applyFaultsBefore(target: FaultTarget, path: string, entry: { faults?: string[] }) {
    const actions = this.services.faults.take(target, path);
    if (actions.length > 0) entry.faults = actions.map((a) => (a.kind === "error" ? `error ${a.status}` : a.kind));
    for (const action of actions) {
      if (action.kind === "latency") await sleep(action.ms);
      if (action.kind === "holdBeforeRun") await this.held.hold(undefined);
    }
    const error = actions.find((a) => a.kind === "error");
    if (error?.kind === "error") throw faultError(error);
    return actions.find((a) => a.kind === "dropAfterCommit" || a.kind === "holdAfterCommit" || a.kind === "nameOnlyAfterCommit");
  }

  /** Sends the answer of a request that was carried out, unless a fault drops it (status 0) or holds it back first. */
  private async sendCommitted(res: ServerResponse, after: FaultAction | undefined, status: number, body: unknown): Promise<number> {
    if (after?.kind === "dropAfterCommit") {
      res.socket?.destroy();
      return 0;
    }
    if (after?.kind === "holdAfterCommit") await this.held.hold(after.ms);
    this.send(res, status, body);
    return status;
  }

  /**
   * Sends the error body of an ApiError (anything else is a 500), and returns its status: Google's
   * error envelope, or `body` of it (the token endpoint's OAuth body).
   */
  private sendError(res: ServerResponse, error: unknown, body: (error: ApiError) => unknown = (e) => e.toBody()): number {
    const apiError = error instanceof ApiError ? error : new ApiError("INTERNAL", "Internal error encountered.");
    this.send(res, apiError.httpStatus, body(apiError), apiError.headers);
    return apiError.httpStatus;
  }

  /** Writes an answer, dated by Google's clock when it is sent (RFC 9110 §6.6.1: the time the message was generated). */
  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "Content-Type": JSON_TYPE, Date: httpDate(this.services.store.now()), ...headers });
    res.end(JSON.stringify(body));
  }
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
