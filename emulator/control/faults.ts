/**
 * Fault injection for retry and crash-recovery tests: an error status for the next N
 * matching requests (or a share of them), added latency, and writes that are committed
 * but whose answer is dropped or held back, as a lost response would be. The OAuth token
 * endpoint can be matched too (`oauth2.token`): an error, latency, a dropped answer, or one
 * held back (a hung token endpoint); and tokeninfo (`oauth2.tokeninfo`) alike. And a request held
 * before it runs, until the test releases it.
 */
import { randomUUID } from "node:crypto";
import type { OAuthRpc } from "../auth/auth";
import type { ChatMethod } from "../auth/scopes";
import { ApiError, errorInfo, HTTP_STATUS_OF, type RpcStatus } from "../errors";

export type FaultAction =
  /** Answer with this HTTP status (429, 500, 503, 504, ...) without running the method. */
  | { kind: "error"; status: number; retryAfterSeconds?: number; message?: string }
  /** Wait this long before running the method. */
  | { kind: "latency"; ms: number }
  /** Run the method (the write is committed), then destroy the connection without an answer. */
  | { kind: "dropAfterCommit" }
  /** Run the method, then hold the answer back for `ms` (forever when absent) before sending it. */
  | { kind: "holdAfterCommit"; ms?: number }
  /** Run the method, then answer with the resource's `name` alone, as a partly filled body. */
  | { kind: "nameOnlyAfterCommit" }
  /**
   * Hold the request back before running the method until the held requests are released
   * (`POST faults/release`, or the faults cleared): a test does something else while a client's
   * call is under way, at a point it knows.
   */
  | { kind: "holdBeforeRun" };

/** What a fault can match: a Chat API method, the token endpoint's `POST /token`, or tokeninfo. */
export type FaultTarget = ChatMethod | OAuthRpc;

const OAUTH_TARGETS: readonly FaultTarget[] = ["oauth2.token", "oauth2.tokeninfo"] satisfies OAuthRpc[];

export interface FaultMatch {
  /** Chat methods such as `spaces.create`, or `oauth2.token`, `oauth2.tokeninfo`; absent matches every Chat API call (not the OAuth endpoints). */
  methods?: FaultTarget[];
  /** Only requests whose path starts with this. */
  pathPrefix?: string;
}

export interface FaultRule {
  match?: FaultMatch;
  action: FaultAction;
  /** How many matching requests it applies to; absent means until cleared. */
  count?: number;
  /** The chance (0..1) that a matching request is affected; each affected one uses up the count. */
  probability?: number;
}

export interface ActiveFault extends FaultRule {
  id: string;
  applied: number;
}

const STATUS_OF_HTTP = new Map<number, RpcStatus>(
  (Object.entries(HTTP_STATUS_OF) as [RpcStatus, number][])
    .filter(([status]) => !["FAILED_PRECONDITION", "OUT_OF_RANGE", "ABORTED"].includes(status))
    .map(([status, http]) => [http, status]),
);

const DEFAULT_MESSAGES: Partial<Record<RpcStatus, string>> = {
  INTERNAL: "Internal error encountered.",
  UNAVAILABLE: "The service is currently unavailable.",
  DEADLINE_EXCEEDED: "The request timed out.",
  RESOURCE_EXHAUSTED: "Resource has been exhausted (e.g. check quota).",
};

export function validateFault(rule: FaultRule): void {
  const { action } = rule;
  if (action.kind === "error" && !STATUS_OF_HTTP.has(action.status)) {
    throw new Error(`Unsupported fault status ${action.status}; use one of ${[...STATUS_OF_HTTP.keys()].join(", ")}.`);
  }
  if (!["error", "latency", "dropAfterCommit", "holdAfterCommit", "nameOnlyAfterCommit", "holdBeforeRun"].includes(action.kind)) {
    throw new Error(`Unknown fault action "${(action as { kind: string }).kind}".`);
  }
  if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
    throw new Error("probability must be between 0 and 1.");
  }
}

export function faultError(action: Extract<FaultAction, { kind: "error" }>): ApiError {
  const status = STATUS_OF_HTTP.get(action.status)!;
  const headers: Record<string, string> = action.retryAfterSeconds !== undefined ? { "Retry-After": String(action.retryAfterSeconds) } : {};
  const details = status === "INTERNAL" ? [errorInfo("backendError")] : [];
  return new ApiError(status, action.message ?? DEFAULT_MESSAGES[status] ?? "Injected fault.", details, headers);
}

/**
 * The OAuth error code Google's token endpoint answers a status with (RFC 6749 §5.2 and §4.1.2.1:
 * `server_error`, `temporarily_unavailable`); the rest are the request's fault (`invalid_request`).
 */
const OAUTH_ERROR_OF: Partial<Record<RpcStatus, string>> = {
  INTERNAL: "server_error",
  UNAVAILABLE: "temporarily_unavailable",
  RESOURCE_EXHAUSTED: "temporarily_unavailable",
  DEADLINE_EXCEEDED: "temporarily_unavailable",
};

/**
 * An error injected at the token endpoint or tokeninfo, in the body Google's token endpoint sends
 * (`{error, error_description}`, RFC 6749 §5.2), not Chat's `{error: {code, message, status}}`:
 * a client reads the OAuth error code from it as it would from Google.
 */
export function oauthErrorBody(error: ApiError): { error: string; error_description: string } {
  return { error: OAUTH_ERROR_OF[error.status] ?? "invalid_request", error_description: error.message };
}

export class FaultInjector {
  private faults: ActiveFault[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  add(rule: FaultRule): ActiveFault {
    validateFault(rule);
    const fault = { ...rule, id: randomUUID(), applied: 0 };
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  /** Takes one fault away by its id, the others kept: a hold no request took, before it catches a later one. */
  remove(id: string): void {
    this.faults = this.faults.filter((f) => f.id !== id);
  }

  list(): ActiveFault[] {
    return this.faults;
  }

  /** The actions that apply to this request, each counted as used. */
  take(method: FaultTarget, path: string): FaultAction[] {
    const taken: FaultAction[] = [];
    for (const fault of this.faults) {
      const { match = {} } = fault;
      // A rule for every Chat API call leaves the OAuth endpoints alone: they are asked for by name.
      if (match.methods ? !match.methods.includes(method) : OAUTH_TARGETS.includes(method)) continue;
      if (match.pathPrefix && !path.startsWith(match.pathPrefix)) continue;
      if (fault.count !== undefined && fault.applied >= fault.count) continue;
      if (fault.probability !== undefined && this.random() >= fault.probability) continue;
      fault.applied++;
      taken.push(fault.action);
    }
    this.faults = this.faults.filter((f) => f.count === undefined || f.applied < f.count);
    return taken;
  }
}
