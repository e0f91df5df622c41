/**
 * One error type for Chat API failures: the method and space it concerns, the HTTP status,
 * Google's status name (ALREADY_EXISTS, PERMISSION_DENIED, ...) and Google's message, with a
 * message that tells the user what to do. It keeps nothing of the request itself, so no
 * header, token or key can reach a log line through it.
 */

export interface ChatCall {
  /** The Chat API method, such as `spaces.create`. */
  method: string;
  /** The space concerned, when known. */
  space?: string;
}

export class ChatApiError extends Error {
  constructor(
    readonly call: ChatCall,
    /** HTTP status; undefined when no answer came (connection reset, timeout). */
    readonly httpStatus: number | undefined,
    /** google.rpc status name, such as `ALREADY_EXISTS`. */
    readonly googleStatus: string | undefined,
    /** Google's own message, or the transport's. */
    readonly googleMessage: string,
    /** Seconds Google asked to wait (`Retry-After`), if any. */
    readonly retryAfterSeconds?: number,
  ) {
    super(`${call.method}${call.space ? ` ${call.space}` : ""} failed: ${httpStatus ?? "no answer"} ${googleStatus ?? ""} ${googleMessage}`.replace(/\s+/g, " ").trim());
    this.name = "ChatApiError";
  }

  /** Builds one from whatever the Google client threw (a GaxiosError, or a network error). */
  static from(call: ChatCall, error: unknown): ChatApiError {
    const e = error as {
      status?: number;
      message?: string;
      code?: string | number;
      response?: { status?: number; data?: { error?: { status?: string; message?: string } }; headers?: { get?(name: string): string | null } };
    };
    const status = e?.response?.status ?? e?.status;
    const body = e?.response?.data?.error;
    const header = e?.response?.headers?.get?.("retry-after");
    const retryAfter = header ? Number(header) : NaN;
    return new ChatApiError(
      call,
      typeof status === "number" ? status : undefined,
      body?.status,
      body?.message ?? e?.message ?? String(error),
      Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
    );
  }
}

export const isNotFound = (e: unknown) => e instanceof ChatApiError && e.httpStatus === 404;

/** Retrying may succeed: rate limits, server trouble, and answers lost on the way. */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof ChatApiError)) return false;
  return e.httpStatus === undefined || [408, 429, 500, 502, 503, 504].includes(e.httpStatus);
}

/** A requestId Google refuses because other credentials already used it (documented as "an error"). */
export function isRequestIdOfAnotherPrincipal(e: unknown): boolean {
  return e instanceof ChatApiError && e.httpStatus !== undefined && e.httpStatus < 500 && /request ?id/i.test(e.googleMessage);
}

/**
 * The message a user sees for a failed call on `resource`: Google's words, then what to do.
 * `auth` is the configured kind of caller, which decides the advice on permissions.
 */
export function explain(resource: string, error: unknown, auth: "app" | "user"): string {
  if (!(error instanceof ChatApiError)) return `ChatSpace ${resource}: ${error instanceof Error ? error.message : String(error)}`;
  const { call, googleStatus, googleMessage, httpStatus } = error;
  const what = `ChatSpace ${resource}: ${call.method}${call.space ? ` of ${call.space}` : ""} failed`;
  const google = `(${httpStatus ?? "no answer"}${googleStatus ? ` ${googleStatus}` : ""}: ${googleMessage})`;
  let advice: string;
  if (isRequestIdOfAnotherPrincipal(error)) {
    advice =
      "This requestId was already used with other credentials: run with the credentials that first created the space, or set a new requestId on the resource.";
  } else if (googleStatus === "ALREADY_EXISTS") {
    advice =
      "A space with this displayName already exists in your Google Workspace organization: choose another displayName, or take the existing space over with adoptSpace.";
  } else if (httpStatus === 403) {
    advice =
      auth === "app"
        ? "With app authentication the service account needs the chat.app.* scopes approved by a Workspace administrator (admin approval), `customer` set on create, and it can only change or delete spaces the app created. Check the approval and the app's access, or use user authentication (googlechat:impersonateUser)."
        : "With user authentication the user must be a member (a manager to delete or change access) of the space and have consented to the Chat scopes; import-mode spaces need domain-wide delegation and chat.import; with googlechat:useAdminAccess the user must be a Workspace administrator.";
  } else if (httpStatus === 401) {
    advice = "The credentials were refused: check googlechat:credentials or GOOGLE_APPLICATION_CREDENTIALS, and that the key or refresh token is still valid.";
  } else if (httpStatus === 404) {
    advice = "The space does not exist, or these credentials can't see it.";
  } else if (httpStatus === 429) {
    advice =
      "The Chat API quota is exhausted even after waiting: lower the parallelism (pulumi up --parallel N), lower googlechat:spaceWritesPerMinute, or ask Google for more quota.";
  } else if (httpStatus === undefined || httpStatus >= 500) {
    advice = "Google Chat did not answer successfully even after retries: run pulumi up again later; the requestId makes a retried create safe.";
  } else {
    advice = "Fix the declared values this message names and run again.";
  }
  return `${what} ${google}. ${advice}`;
}
