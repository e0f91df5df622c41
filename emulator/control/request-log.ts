/** The record of every API and token request the emulator answered, for tests to assert on. */
import type { OAuthRpc } from "../auth/auth";
import { type ChatMethod, RPC_NAME } from "../auth/scopes";
import type { KeylessRpc } from "../keyless/keyless";

export interface LoggedRequest {
  seq: number;
  time: string;
  /** HTTP method. */
  method: string;
  path: string;
  query: Record<string, string>;
  /** The Chat method, `oauth2.token` for the token endpoint, `oauth2.tokeninfo` for token introspection, a keyless stand-in's method, or `unknown`. */
  rpc: ChatMethod | OAuthRpc | KeylessRpc | "unknown";
  /**
   * `app:<service account>` or `user:<id>`, once authenticated (for tokeninfo, the introspected token's); for IAM
   * Credentials and STS, the caller's IAM member (`serviceAccount:…`, `principal://…`).
   */
  principal?: string;
  /** HTTP status answered; 0 when the connection was dropped without an answer. */
  status: number;
  /** Names of the faults applied to this request. */
  faults?: string[];
  durationMs: number;
}

/**
 * Whether a logged request is a Chat API call (a method of chat.googleapis.com), not a request
 * of the auth around it (the token endpoint, tokeninfo, the keyless stand-ins): what tests and
 * benchmarks count as API calls.
 */
export function isChatApiCall(request: Pick<LoggedRequest, "rpc">): boolean {
  return Object.hasOwn(RPC_NAME, request.rpc);
}

export interface Counters {
  total: number;
  byRpc: Record<string, { total: number; byStatus: Record<string, number> }>;
}

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  add(entry: Omit<LoggedRequest, "seq">): LoggedRequest {
    const logged = { seq: ++this.seq, ...entry };
    this.entries.push(logged);
    return logged;
  }

  since(seq = 0): LoggedRequest[] {
    return this.entries.filter((e) => e.seq > seq);
  }

  counters(since = 0): Counters {
    const counters: Counters = { total: 0, byRpc: {} };
    for (const e of this.since(since)) {
      counters.total++;
      const rpc = (counters.byRpc[e.rpc] ??= { total: 0, byStatus: {} });
      rpc.total++;
      rpc.byStatus[e.status] = (rpc.byStatus[e.status] ?? 0) + 1;
    }
    return counters;
  }

  clear(): void {
    this.entries = [];
  }
}
