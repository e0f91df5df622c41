/**
 * One error type for Chat API failures: the method and space it concerns, the HTTP status,
 * Google's status name (ALREADY_EXISTS, PERMISSION_DENIED, ...) and Google's message, with a
 * message that tells the user what to do. It keeps nothing of the request itself, so no
 * header, token or key can reach a log line through it.
 *
 * A call can fail at either of two endpoints: the OAuth token endpoint, where the provider
 * gets the access token for the call's scope first, and the Chat API itself. The error says
 * which, the scope the call asked for, and the transport's code when no answer came.
 */
import {
  type AuthSettings,
  DELEGATION_CONSOLE,
  GOOGLE_TOKEN_URL,
  GOOGLE_TOKENINFO_URL,
  TOKEN_CREATOR,
  type TokenService,
  tokenServiceOf,
  tokenUrlOf,
} from "./google-auth";

export interface ChatCall {
  /** The Chat API method, such as `spaces.create`. */
  method: string;
  /** The space concerned, when known. */
  space?: string;
}

/** What else is known of a failed call, beyond the answer. */
export interface CallContext {
  /** The full OAuth scope URL the call asked for. */
  scope?: string;
  /** The endpoint the failed request went to (the Chat API root, or the token URL). */
  endpoint?: string;
  /** The request that failed was the token request for the call's scope, not the call itself. */
  tokenRequest?: boolean;
  /** The transport's code when no answer came: ECONNRESET, ECONNREFUSED, ENOTFOUND, TimeoutError, ... */
  code?: string;
  /** For a token request, the service it went to (google-auth.ts {@link tokenServiceOf}), which decides the advice. @default "oauth" */
  tokenService?: TokenService;
  /** The answer's `google.rpc.ErrorInfo` detail, when it had one: why, in Google's machine words. */
  errorInfo?: ErrorInfo;
  /**
   * The call was sent with the user's administrator privileges (`useAdminAccess`): what its answer
   * tells (a 404 of admin access, which reaches only the organisation's spaces) depends on it, and not every call goes so
   * where googlechat:useAdminAccess is configured (chat-api.ts: the calling Chat app's membership).
   */
  adminAccess?: boolean;
}

/**
 * Why a 404 of admin access, for a space the calling user sees, tells nothing: admin access runs a
 * call with "the user's Google Workspace administrator privileges" (v1.d.ts `useAdminAccess`),
 * which reach the administrator's own organisation only. Said by every resource that meets it.
 */
export const ADMIN_ACCESS_REACH = "admin access reaches only the spaces of the administrator's own organisation, and this one belongs to another";

/** A `google.rpc.ErrorInfo` detail of Google's error envelope (google/rpc/error_details.proto): no secret is in it. */
export interface ErrorInfo {
  /** Such as SERVICE_DISABLED, ACCESS_TOKEN_SCOPE_INSUFFICIENT. */
  reason: string;
  domain?: string;
  /** Such as `consumer` (projects/P) and `activationUrl` for SERVICE_DISABLED. */
  metadata: Record<string, string>;
}

export class ChatApiError extends Error {
  readonly scope?: string;
  readonly endpoint?: string;
  readonly tokenRequest: boolean;
  readonly code?: string;
  readonly tokenService?: TokenService;
  readonly errorInfo?: ErrorInfo;
  readonly adminAccess: boolean;

  constructor(
    readonly call: ChatCall,
    /** HTTP status; undefined when no answer came (connection reset, timeout). */
    readonly httpStatus: number | undefined,
    /** google.rpc status name such as `ALREADY_EXISTS`; for a token request, the OAuth error such as `invalid_grant`. */
    readonly googleStatus: string | undefined,
    /** Google's own message, or the transport's. */
    readonly googleMessage: string,
    /** Seconds Google asked to wait (`Retry-After`), if any. */
    readonly retryAfterSeconds?: number,
    context: CallContext = {},
  ) {
    super(
      `${call.method}${call.space ? ` ${call.space}` : ""} failed: ${outcomeOf(httpStatus, googleStatus, context)} ${googleMessage}`
        .replace(/\s+/g, " ")
        .trim(),
    );
    this.name = "ChatApiError";
    this.scope = context.scope;
    this.endpoint = context.endpoint;
    this.tokenRequest = context.tokenRequest === true;
    this.code = context.code;
    this.tokenService = context.tokenService;
    this.errorInfo = context.errorInfo;
    this.adminAccess = context.adminAccess === true;
  }

  /** What this error knows beyond the answer, to build another from it. */
  get context(): CallContext {
    return {
      scope: this.scope,
      endpoint: this.endpoint,
      tokenRequest: this.tokenRequest,
      code: this.code,
      tokenService: this.tokenService,
      errorInfo: this.errorInfo,
      adminAccess: this.adminAccess,
    };
  }

  /**
   * Builds one from whatever the Google client threw: a GaxiosError with Google's error
   * envelope, or the token endpoint's OAuth error (`{error, error_description}`), or a
   * network error with its code. A token request's URLs lose their query and user info, in
   * the endpoint and in the transport's text alike ({@link redactUrls}).
   */
  static from(call: ChatCall, error: unknown, context: CallContext = {}): ChatApiError {
    const e = error as {
      status?: number;
      message?: string;
      code?: string | number;
      response?: { status?: number; data?: { error?: unknown; error_description?: string }; headers?: { get?(name: string): string | null } };
    };
    const status = e?.response?.status ?? e?.status;
    const data = e?.response?.data;
    const envelope = typeof data?.error === "object" ? (data.error as { status?: string; message?: string; details?: unknown }) : undefined;
    const info = Array.isArray(envelope?.details)
      ? (envelope.details as { "@type"?: string; reason?: unknown; domain?: unknown; metadata?: unknown }[]).find(
          (d) => d?.["@type"] === "type.googleapis.com/google.rpc.ErrorInfo" && typeof d.reason === "string",
        )
      : undefined;
    const errorInfo: ErrorInfo | undefined = info
      ? {
          reason: info.reason as string,
          ...(typeof info.domain === "string" ? { domain: info.domain } : {}),
          metadata: Object.fromEntries(
            Object.entries((info.metadata as Record<string, unknown>) ?? {}).filter((e): e is [string, string] => typeof e[1] === "string"),
          ),
        }
      : undefined;
    // RFC 6749 §5.2: the token endpoint answers {"error": "invalid_grant", "error_description": "..."}.
    const oauth = typeof data?.error === "string" ? { status: data.error, message: data.error_description } : undefined;
    const header = e?.response?.headers?.get?.("retry-after");
    const retryAfter = header ? Number(header) : NaN;
    const answered = typeof status === "number";
    const code = !answered && typeof e?.code === "string" ? e.code : undefined;
    const message = envelope?.message ?? oauth?.message ?? e?.message ?? String(error);
    const redact = (text: string) => (context.tokenRequest ? redactUrls(text) : text);
    return new ChatApiError(
      call,
      answered ? status : undefined,
      envelope?.status ?? oauth?.status,
      redact(message),
      Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
      { ...context, code, endpoint: context.endpoint === undefined ? undefined : redact(context.endpoint), ...(errorInfo ? { errorInfo } : {}) },
    );
  }
}

/** A URL, in its parts: scheme, user info, host and path, query, fragment. */
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)(?:[^\s/?#@]*@)?([^\s?#]*)(?:\?[^\s#]*)?(?:#\S*)?/gi;

/**
 * `text` with every URL's user info, query and fragment removed. Keyless credentials put
 * secrets there (a CI's ID-token URL carries a request token in its query, as Azure Pipelines'
 * does; a URL may hold a user and password), and gaxios' transport errors repeat the whole URL
 * ("request to URL failed"); what is left still names the service.
 */
export const redactUrls = (text: string) => text.replace(URL_IN_TEXT, "$1$2");

/** Transport codes that say nothing is there to answer: retrying can't help (a wrong endpoint). */
const NOTHING_THERE = ["ECONNREFUSED", "ENOTFOUND"];

/**
 * Transport codes of a request whose answer was lost on the way (the connection reset or closed
 * mid-answer, the request timed out, the network briefly unreachable): it may have been carried
 * out, and retrying may succeed. Any other failure without an answer (a certificate not trusted,
 * a reply that isn't HTTP, the client refusing the request) fails the same way again: it is not
 * retried. Codes as Node's net and tls modules and gaxios (its timeout's TimeoutError) give them.
 */
const LOST_ON_THE_WAY = [
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "TimeoutError",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "ERR_STREAM_PREMATURE_CLOSE",
];

/**
 * The refusal https-proxy-agent (gaxios' agent for HTTPS_PROXY) gives, with no code, when the
 * proxy closes the connection before it answers the CONNECT: lost on the way, as a reset is.
 * node-fetch puts it after "request to URL failed, reason: ".
 */
const PROXY_CLOSED = "Proxy connection ended before receiving CONNECT response";

/** Whether a failure's text is the proxy's close before its CONNECT answer ({@link PROXY_CLOSED}), which carries no code. */
const closedByProxy = (message: string): boolean => message.endsWith(PROXY_CLOSED);

/**
 * Node's codes for a server certificate it does not trust: OpenSSL's verification errors as
 * Node names them (src/crypto/crypto_common.cc), and a certificate for another host.
 */
const UNTRUSTED_CERTIFICATE = new Set([
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
  "CERT_SIGNATURE_FAILURE",
  "CERT_NOT_YET_VALID",
  "CERT_HAS_EXPIRED",
  "ERROR_IN_CERT_NOT_BEFORE_FIELD",
  "ERROR_IN_CERT_NOT_AFTER_FIELD",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "CERT_CHAIN_TOO_LONG",
  "CERT_REVOKED",
  "INVALID_CA",
  "PATH_LENGTH_EXCEEDED",
  "INVALID_PURPOSE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "HOSTNAME_MISMATCH",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

const isTimeout = (code: string | undefined) => code === "TimeoutError" || code === "ETIMEDOUT" || code === "AbortError";

/** What came back, for messages: `503 UNAVAILABLE`, `no answer (ECONNRESET)`, `no answer (timed out)`. */
function outcomeOf(httpStatus: number | undefined, googleStatus: string | undefined, context: CallContext): string {
  const answer =
    httpStatus !== undefined
      ? `${httpStatus}${googleStatus ? ` ${googleStatus}` : ""}`
      : `no answer${isTimeout(context.code) ? " (timed out)" : context.code ? ` (${context.code})` : ""}`;
  return context.tokenRequest ? `token request: ${answer}` : answer;
}

/** What came back for this error, as log lines and messages say it. */
export const outcome = (e: ChatApiError) => outcomeOf(e.httpStatus, e.googleStatus, e);

/**
 * The log line announcing a retry of `call` for the resource `target` (when known):
 * `ChatSpace eng: spaces.create: 503 UNAVAILABLE; waiting 0.4 s before retry 1`.
 */
export function retryNotice(
  target: { readonly label: string; readonly resource?: string } | undefined,
  call: ChatCall,
  error: ChatApiError,
  delayMs: number,
  retry: number,
): string {
  return (
    `${target ? `${target.resource ?? "ChatSpace"} ${target.label}: ` : ""}${call.method}${call.space ? ` ${call.space}` : ""}: ${outcome(error)}; ` +
    `waiting ${(delayMs / 1000).toFixed(1)} s before retry ${retry}`
  );
}

/**
 * What a failed token request of `call` (for its `scope`) is thrown as: an answer from the
 * service it went to, or a network failure on the way, becomes a ChatApiError of the call naming
 * that service ({@link tokenServiceOf}), which the provider retries like the call; anything else
 * (no credentials found, a bad key) is not a request that failed, and is thrown as it is, without
 * a URL's query or user info.
 */
export function tokenRequestFailure(
  settings: Pick<AuthSettings, "credentials" | "iamCredentialsEndpoint" | "tokenEndpoint">,
  call: ChatCall,
  error: unknown,
  scope?: string,
): unknown {
  const e = error as { response?: unknown; code?: unknown };
  if (!e?.response && typeof e?.code !== "string" && !(error instanceof Error && closedByProxy(error.message))) return withoutUrlSecrets(error);
  const endpoint = failedTokenUrl(error) ?? tokenUrlOf(settings);
  return ChatApiError.from(call, error, { scope, endpoint, tokenRequest: true, tokenService: tokenServiceOf(settings, endpoint) });
}

/**
 * `error`, or when its message holds a URL's query or user info, an Error with them removed:
 * the library's own refusals quote a credential's URL (fetch's "URL is an url with embedded
 * credentials." for a credential_source.url with a user and password).
 */
function withoutUrlSecrets(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const message = redactUrls(error.message);
  return message === error.message ? error : new Error(message);
}

/**
 * The URL of the token request that failed: the token endpoint, STS, the subject token's
 * source, IAM Credentials, the metadata server or tokeninfo, whichever the credentials' client
 * asked (gaxios puts the request's config on its errors), so that the message names the service
 * that refused. ChatApiError.from removes its query and user info.
 */
function failedTokenUrl(error: unknown): string | undefined {
  const url = (error as { config?: { url?: unknown } })?.config?.url;
  if (url === undefined || url === null || url === "") return undefined;
  return String(url);
}

/**
 * The resource a call named does not exist (404): never Google's 404 for a project whose Chat app
 * is not configured, which answers every call alike and says nothing of the space or member
 * (taken for "gone", a refresh would drop every resource from the state, a delete would succeed).
 */
export const isNotFound = (e: unknown) => e instanceof ChatApiError && e.httpStatus === 404 && !isChatAppNotConfigured(e);

/** Google's 404 for a Cloud project whose Chat app is not configured (docs/google-errors.md): it is about the project, not the call's resource. */
export const isChatAppNotConfigured = (e: ChatApiError) => e.httpStatus === 404 && /chat app not found/i.test(e.googleMessage);

/**
 * Retrying may succeed: rate limits, server trouble, and answers lost on the way (a reset
 * connection, a timeout). Any other failure without an answer is not (a refused connection or
 * an unknown host is a wrong endpoint; a certificate not trusted stays so): it fails at once.
 */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof ChatApiError)) return false;
  if (e.httpStatus === undefined) return isLostOnTheWay(e);
  return [408, 429, 500, 502, 503, 504].includes(e.httpStatus);
}

/** Nothing answers at the endpoint: the connection was refused, or the host has no address. */
const isNothingThere = (e: ChatApiError) => e.httpStatus === undefined && NOTHING_THERE.includes(e.code ?? "");

/** The request got no answer because it was lost on the way ({@link LOST_ON_THE_WAY}, {@link closedByProxy}). */
const isLostOnTheWay = (e: ChatApiError) =>
  e.httpStatus === undefined && (LOST_ON_THE_WAY.includes(e.code ?? "") || (e.code === undefined && closedByProxy(e.googleMessage)));

/**
 * What to do when a request to `service` got no answer for a reason retrying does not mend
 * (nothing there, a certificate not trusted, anything but an answer lost on the way);
 * undefined when it did get one, or its answer was lost on the way.
 */
function noAnswerAdvice(error: ChatApiError, service: { name: string; setting: string }): string | undefined {
  if (error.httpStatus !== undefined || isLostOnTheWay(error)) return undefined;
  const { name, setting } = service;
  const endpoint = error.endpoint ?? "";
  const proxy = proxyVariable();
  // getaddrinfo's temporary failure: no retry, as a machine without network or DNS fails so for every name.
  if (error.code === "EAI_AGAIN") {
    return proxy
      ? `The name of ${name} ${endpoint}, or of the proxy ${proxy} names, could not be resolved now (a DNS failure): ` +
          `check this machine's network and DNS, and ${proxy}, and run again; otherwise ${setting}.`
      : `The name of ${name} ${endpoint} could not be resolved now (a DNS failure): ` +
          `check this machine's network and DNS, and run again; otherwise ${setting}.`;
  }
  if (isNothingThere(error)) {
    return proxy
      ? `Nothing answers at ${name} ${endpoint}, or at the proxy ${proxy} names, which requests go through unless NO_PROXY lists their host: ` +
          `check ${proxy}; otherwise ${setting}.`
      : `Nothing answers at ${name} ${endpoint}: ${setting}.`;
  }
  if (UNTRUSTED_CERTIFICATE.has(error.code ?? "")) {
    return (
      `The TLS certificate presented for ${name} ${endpoint} is not trusted (${error.code}): behind a proxy that inspects TLS, ` +
      `give Node its certificate authority (NODE_EXTRA_CA_CERTS=/path/to/ca.pem); otherwise ${setting}.`
    );
  }
  const alsoTheProxy = proxy ? `; check the proxy ${proxy} names too` : "";
  return `The request to ${name} ${endpoint} failed before any answer came, and trying again would fail alike: ${setting}${alsoTheProxy}.`;
}

/**
 * The environment variable naming the proxy requests go through, in the order gaxios reads them
 * (HTTPS_PROXY, https_proxy, HTTP_PROXY, http_proxy), or undefined: where one is set, what refused
 * or could not be resolved may be the proxy, not the endpoint. Its value is never quoted (it may hold a password).
 */
function proxyVariable(): string | undefined {
  return ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"].find((name) => (process.env[name] ?? "") !== "");
}

/** A requestId Google refuses because other credentials already used it (documented as "an error"). */
export function isRequestIdOfAnotherPrincipal(e: unknown): boolean {
  return e instanceof ChatApiError && e.httpStatus !== undefined && e.httpStatus < 500 && /request ?id/i.test(e.googleMessage);
}

/** The resource types whose failures {@link explain} words. */
export type ResourceType = "ChatSpace" | "ChatMembership" | "ChatSpaceMembers";

/**
 * The message a user sees for a failed call on `resource`: Google's words, then what to do.
 * `auth` is the configured kind of caller, which decides the advice on permissions; `type` the
 * resource the call served, whose rules the advice names.
 */
export function explain(resource: string, error: unknown, auth: "app" | "user", type: ResourceType = "ChatSpace"): string {
  if (!(error instanceof ChatApiError)) return `${type} ${resource}: ${error instanceof Error ? error.message : String(error)}`;
  const { call, googleMessage } = error;
  const what = `${type} ${resource}: ${call.method}${call.space ? ` of ${call.space}` : ""} failed`;
  return `${what} (${outcome(error)}: ${googleMessage}). ${adviceFor(error, auth, type)}`;
}

/** What to do about a failed call: by the service that refused its token, else by the Chat API's answer and the resource's rules. */
export function adviceFor(error: ChatApiError, auth: "app" | "user", type: ResourceType = "ChatSpace"): string {
  return error.tokenRequest
    ? tokenAdvice(error)
    : (projectSetupAdvice(error) ?? (type !== "ChatSpace" ? membershipAdvice(error, auth) : undefined) ?? apiAdvice(error, auth));
}

/**
 * What to do when a membership call was refused, where the rule differs from a space's
 * (v1.d.ts spaces.members create, patch and delete); undefined: the general advice holds.
 */
function membershipAdvice(error: ChatApiError, auth: "app" | "user"): string | undefined {
  const { googleStatus, httpStatus, scope } = error;
  const asked = scope ? ` The call asked for the scope ${scope}.` : "";
  if (googleStatus === "ALREADY_EXISTS") {
    return "The member is already in the space: run up again, and the existing membership is taken over.";
  }
  if (googleStatus === "FAILED_PRECONDITION") {
    return "Google refused to leave the space without an owner: make another member ROLE_MANAGER (shown as Owner in Chat) first.";
  }
  if (httpStatus === 403) {
    return auth === "app"
      ? "With app authentication (chat.app.memberships, " +
          "approved by a Workspace administrator) the app manages memberships only of spaces it created, and adds only people of its organisation: " +
          `no Google Groups, no Chat apps, no external users. Use user authentication (googlechat:impersonateUser) for those.${asked}`
      : "With user authentication the user must be a manager (ROLE_MANAGER, " +
          "or ROLE_ASSISTANT_MANAGER where the space's manageMembersAndGroups setting allows it) of the space to add, change or remove others; " +
          "only an owner (ROLE_MANAGER) removes or demotes an owner. " +
          "With googlechat:useAdminAccess (chat.admin.memberships) the user must be a Workspace administrator, " +
          "and admin access can't manage Chat apps' memberships nor add users outside the organisation. " +
          `Historical memberships of import mode need domain-wide delegation and chat.import.${asked}`;
  }
  if (httpStatus === 404) return "The space or the member does not exist, or these credentials can't see the space.";
  if (httpStatus === 429) {
    const setting = /\.(get|list)$/.test(error.call.method) ? "membershipReadsPerMinute" : "membershipWritesPerMinute";
    return (
      `The Chat API quota is exhausted even after waiting: lower the parallelism (pulumi up --parallel N), lower googlechat:${setting}, ` +
      "or ask Google for more quota."
    );
  }
  if (httpStatus === 400 && error.adminAccess) {
    // v1.d.ts members.create, get, list and delete `useAdminAccess`: apps' memberships and external users are out of its reach.
    return (
      "With googlechat:useAdminAccess Google refuses Chat apps' memberships and users outside the organisation: " +
      "manage those with a provider instance without googlechat:useAdminAccess. Otherwise fix the member, role or times this message names and run again."
    );
  }
  if (httpStatus === 400) return "Fix the member, role or times this message names and run again.";
  if ((httpStatus !== undefined && httpStatus >= 500) || isLostOnTheWay(error)) {
    return "Google Chat did not answer successfully even after retries: run pulumi up again later; a membership a lost answer had created is taken over then.";
  }
  return undefined;
}

/**
 * What each service a token request goes to is called in messages, and where its URL is set
 * (google-auth.ts {@link TokenService}).
 */
const TOKEN_SERVICES: Record<TokenService, { name: string; setting: string }> = {
  oauth: {
    name: "the token endpoint",
    setting: `check googlechat:tokenEndpoint (GOOGLECHAT_TOKEN_ENDPOINT), or leave it unset for Google's ${GOOGLE_TOKEN_URL}`,
  },
  sts: { name: "the Security Token Service", setting: "check the credentials' token_url (Google's is https://sts.googleapis.com/v1/token)" },
  workforceRefresh: {
    name: "the workforce identity's token URL",
    setting: "check the credentials' token_url (Google's is https://sts.googleapis.com/v1/oauthtoken)",
  },
  subjectToken: {
    name: "the subject token source",
    setting:
      "check the credentials' credential_source.url, and that the CI system gives this job an ID token (on GitHub Actions, " +
      "the job's permissions: id-token: write)",
  },
  iamCredentials: {
    name: "IAM Credentials",
    setting:
      "check googlechat:iamCredentialsEndpoint (GOOGLECHAT_IAM_CREDENTIALS_ENDPOINT) and the credentials' service_account_impersonation_url, " +
      "or leave them to Google's https://iamcredentials.googleapis.com",
  },
  metadata: {
    name: "the metadata server",
    setting: "check GCE_METADATA_HOST, or run where a metadata server answers (Compute Engine, Cloud Run, GKE, Cloud Build)",
  },
  tokenInfo: {
    name: "the tokeninfo endpoint",
    setting: `it is beside googlechat:tokenEndpoint (GOOGLECHAT_TOKEN_ENDPOINT): check that setting, or leave it unset for Google's ${GOOGLE_TOKENINFO_URL}`,
  },
};

/** What to do when the token request for the call's scope failed: it depends on the service that failed. */
function tokenAdvice(error: ChatApiError): string {
  const { googleStatus, httpStatus, scope, endpoint } = error;
  const service = error.tokenService ?? "oauth";
  const { name } = TOKEN_SERVICES[service];
  const noAnswer = noAnswerAdvice(error, TOKEN_SERVICES[service]);
  if (noAnswer) return noAnswer;
  if (httpStatus === undefined || httpStatus === 429 || httpStatus >= 500) {
    return (
      `${capitalised(name)} ${endpoint} did not answer successfully even after retries: run pulumi up again later; ` +
      "googlechat:requestTimeoutSeconds sets how long one request waits."
    );
  }
  return refusalAdvice[service](googleStatus, scope ?? "", endpoint ?? "");
}

const capitalised = (text: string) => text[0].toUpperCase() + text.slice(1);

/** What to do when a service refused a token request (a 4xx answer), by service. */
const refusalAdvice: Record<TokenService, (googleStatus: string | undefined, scope: string, endpoint: string) => string> = {
  oauth: (googleStatus, scope) => {
    if (googleStatus === "invalid_grant") {
      return (
        "The credentials were refused: a refresh token that expired or was revoked, or a service account key that was deleted. " +
        "Sign in again (gcloud auth application-default login, with your OAuth client) or create a new key, " +
        "and point googlechat:credentials or GOOGLE_APPLICATION_CREDENTIALS at it; for a key that still exists, check the machine's clock."
      );
    }
    if (googleStatus === "unauthorized_client") {
      return (
        `The service account may not act for googlechat:impersonateUser with ${scope}: ` +
        `a Workspace administrator must authorise the service account's client ID for domain-wide delegation with the scope ${scope} in ` +
        `${DELEGATION_CONSOLE}, and the user must belong to that organisation.`
      );
    }
    if (googleStatus === "invalid_scope") {
      return `These credentials may not ask for ${scope}: sign in again consenting to it (gcloud auth application-default login --scopes=${scope},...).`;
    }
    return "The token request was refused: check googlechat:credentials or GOOGLE_APPLICATION_CREDENTIALS.";
  },
  // cloud.google.com/iam/docs/troubleshooting-workload-identity-federation: a refused exchange is
  // the subject token failing the provider's audience, issuer or attribute condition.
  sts: (_status, _scope, endpoint) =>
    `The Security Token Service ${endpoint} refused to exchange the CI system's token: check the credentials' audience and token_url, ` +
    "and that the workload identity pool provider (the audience names it) accepts this job's token: its issuer, " +
    "allowed audiences and attribute condition (the repository, branch or environment the token's claims name).",
  workforceRefresh: (googleStatus) =>
    googleStatus === "invalid_grant"
      ? "The workforce identity's refresh token expired or was revoked: " +
        "sign in again (gcloud auth application-default login --login-config=FILE) and point googlechat:credentials or " +
        "GOOGLE_APPLICATION_CREDENTIALS at the new file."
      : "The workforce identity's refresh was refused: check the credentials' client_id, client_secret, audience and token_url.",
  subjectToken: (_status, _scope, endpoint) =>
    `The CI system refused the job its ID token at ${endpoint}: check that the job may ask for one (on GitHub Actions, permissions: id-token: ` +
    "write) and the credentials' credential_source (its url and headers).",
  // A 403 of generateAccessToken or signJwt is worded where it is caught (google-auth.ts iamRefusal), naming the role to grant.
  iamCredentials: () =>
    "IAM Credentials refused the token request: " +
    "check googlechat:impersonateServiceAccount or the credentials' service_account_impersonation_url, that the service account exists, " +
    `and that the credentials' principal has ${TOKEN_CREATOR} on it.`,
  metadata: () =>
    "The metadata server refused the token request: check that a service account is attached to the instance (or service), " +
    "and that its access scopes allow the call.",
  // Google answers 400 invalid_token for a token it does not know or that expired (a token revoked since it was issued).
  tokenInfo: (googleStatus, _scope, endpoint) =>
    googleStatus === "invalid_token"
      ? `The tokeninfo endpoint ${endpoint} does not know the credentials' access token (revoked, or expired on the way): run again, ` +
        "and if it persists sign in again (gcloud auth application-default login) and point googlechat:credentials or " +
        "GOOGLE_APPLICATION_CREDENTIALS at the new file."
      : `The tokeninfo endpoint ${endpoint} refused to tell the calling user: check googlechat:tokenEndpoint (tokeninfo is beside it), ` +
        `or leave it unset for Google's ${GOOGLE_TOKENINFO_URL}.`,
};

/** The page of the Cloud console where a project's Chat app is configured (developers.google.com/workspace/chat/configure-chat-api). */
export const CHAT_APP_CONFIGURATION = "https://console.cloud.google.com/apis/api/chat.googleapis.com/hangouts-chat";

/**
 * What to do when the Chat API refused a call because the Cloud project is not set up for it
 * (docs/google-errors.md); undefined for any other failure:
 * - the Chat API not enabled: 403 with ErrorInfo SERVICE_DISABLED naming the project and the page that enables it;
 * - the Chat app not configured: 404 "Google Chat app not found".
 */
export function projectSetupAdvice(error: ChatApiError): string | undefined {
  const info = error.errorInfo;
  if (info?.reason === "SERVICE_DISABLED") {
    const project = (info.metadata.consumer ?? "").replace(/^projects\//, "") || info.metadata.containerInfo || "of the credentials";
    const page = info.metadata.activationUrl ?? `https://console.developers.google.com/apis/api/chat.googleapis.com/overview?project=${project}`;
    return (
      `The Chat API is not enabled in the Cloud project ${project}: ` +
      `enable it at ${page} (or gcloud services enable chat.googleapis.com --project=${project}), wait a few minutes, and run again.`
    );
  }
  if (isChatAppNotConfigured(error)) {
    return (
      "The Cloud project of the credentials has no configured Chat app, which every Chat API call needs (user authentication too): " +
      `open the Chat API's Configuration page (${CHAT_APP_CONFIGURATION}) in that project, fill in the app name, avatar URL and description, ` +
      "and save."
    );
  }
  return undefined;
}

/** The Chat API as messages call it, and where its URL is set. */
const CHAT_API_SERVICE = {
  name: "the Chat API endpoint",
  setting: "check googlechat:apiEndpoint (GOOGLECHAT_API_ENDPOINT), or leave it unset for Google's https://chat.googleapis.com/",
};

/** What to do when the Chat API call itself failed. */
function apiAdvice(error: ChatApiError, auth: "app" | "user"): string {
  const { googleStatus, httpStatus, scope } = error;
  const noAnswer = noAnswerAdvice(error, CHAT_API_SERVICE);
  if (noAnswer) return noAnswer;
  if (isRequestIdOfAnotherPrincipal(error)) {
    return (
      "This requestId was already used with other credentials: run with the credentials that first created the space, " +
      "or set a new requestId on the resource."
    );
  }
  if (googleStatus === "ALREADY_EXISTS") {
    return (
      "A space with this displayName already exists in your Google Workspace organization: choose another displayName, " +
      "or take the existing space over with adoptSpace."
    );
  }
  if (httpStatus === 403) {
    const asked = scope ? ` The call asked for the scope ${scope}.` : "";
    const delegation = scope
      ? ` With domain-wide delegation a Workspace administrator must authorise it for the service account's client ID in ${DELEGATION_CONSOLE}; ` +
        "user credentials must have been consented for it."
      : "";
    return auth === "app"
      ? "With app authentication the service account needs the chat.app.* scopes approved by a Workspace administrator (admin approval), " +
          "`customer` set on create, and it can only change or delete spaces the app created. Check the approval and the app's access, " +
          `or use user authentication (googlechat:impersonateUser).${asked}`
      : "With user authentication the user must be a member (a manager to delete or change access) of the space; " +
          "import-mode spaces need domain-wide delegation and chat.import; " +
          `with googlechat:useAdminAccess the user must be a Workspace administrator.${asked}${delegation}`;
  }
  if (httpStatus === 401) {
    return "The credentials were refused: check googlechat:credentials or GOOGLE_APPLICATION_CREDENTIALS, and that the key or refresh token is still valid.";
  }
  if (httpStatus === 404) return "The space does not exist, or these credentials can't see it.";
  if (httpStatus === 429) {
    return (
      "The Chat API quota is exhausted even after waiting: lower the parallelism (pulumi up --parallel N), lower googlechat:spaceWritesPerMinute, " +
      "or ask Google for more quota."
    );
  }
  if (httpStatus === undefined || httpStatus >= 500) {
    return "Google Chat did not answer successfully even after retries: run pulumi up again later; the requestId makes a retried create safe.";
  }
  return "Fix the declared values this message names and run again.";
}

/**
 * "Created, but not finished": the dynamic-provider host reports `id`, `properties` and
 * `reasons` of a thrown error as a partial failure (pulumi/pulumi sdk/nodejs/cmd/dynamic-provider),
 * and the engine keeps the resource in the stack with these outputs. `provider` is the
 * serialized provider the engine sent with the inputs, which the properties must hand back.
 */
export class PartialFailure extends Error {
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];

  constructor(
    message: string,
    readonly id: string,
    outputs: object,
    provider: string | undefined,
  ) {
    super(message);
    this.properties = { ...outputs, __provider: provider };
    this.reasons = [message];
  }
}
