/**
 * Where auth is chosen: one auth client for the provider's calls, from credential JSON of any
 * type Application Default Credentials takes (or, with none, the metadata server), with the
 * scopes asked for. Every client is google-auth-library's own:
 * - `service_account` and `authorized_user`: the constructor of their type (`JWT`,
 *   `UserRefreshClient`), as the library asks (accepting any JSON `type` is the risk its
 *   `credentials` option is deprecated for); a key acting as a user is the JWT's `subject`;
 * - keyless credentials (`external_account` with file-, URL- or executable-sourced subject
 *   tokens, `external_account_authorized_user`, `impersonated_service_account`, the metadata
 *   server, and any type the library knows and this module does not): the library's client
 *   for them, built as its ADC builds it ({@link credentialsClient}), asked for an access token by an `OAuth2Client`
 *   whose `refreshHandler` is the one place refusals become messages ({@link keylessClient});
 * - `impersonateServiceAccount`: the library's `Impersonated` over those credentials (IAM
 *   Credentials generateAccessToken), built without the notice it prints for configurations it
 *   did not load itself, which the provider has validated ({@link impersonated});
 * - domain-wide delegation without a key: google-auth-library has no keyless variant (its
 *   JWT signs with a private key), so the claims are signed by IAM Credentials `signJwt`
 *   as the credentials, and exchanged at the token endpoint ({@link delegatedToken}).
 *
 * A client's tokeninfo (`OAuth2Client.getTokenInfo`, which tells the calling user's email:
 * caller-identity.ts) is beside its token endpoint ({@link tokenInfoUrlOf}), set through the
 * library's own `endpoints` option.
 *
 * The token endpoint is configurable because google-auth-library ignores a key file's
 * `token_uri` and posts service-account assertions to a hard-coded
 * `https://oauth2.googleapis.com/token` (gtoken/getToken.js); routing that URL through the
 * transporter serves a private token endpoint, and the emulator, with the stock clients.
 * IAM Credentials' root is configurable for the same reason: `Impersonated` builds its URL from
 * the universe domain (impersonated.js), not from a credential file's
 * `service_account_impersonation_url`. An `external_account` file's `token_url` and
 * `service_account_impersonation_url` are used as written: google-auth-library 11 checks no
 * host in them (baseexternalclient.js; the `*.googleapis.com` patterns added by
 * googleapis/google-auth-library-nodejs#1229 were removed by #1517 for other universes).
 *
 * Every request of the auth client goes through that transporter, with a timeout (a hung token
 * endpoint must not hang `pulumi up`), and is not retried by the client: the provider retries
 * it with its own policy, clock and messages (chat-api.ts). An `external_account` client's STS
 * exchange, which the library sends through a gaxios of its own, is given that transporter too
 * ({@link exchangeThroughProvider}). What the library leaves no way to change: gcp-metadata
 * reaches the metadata server through the global gaxios, and a certificate-sourced (X.509)
 * `external_account` client makes itself a new STS gaxios on every subject token
 * (identitypoolclient.js retrieveSubjectToken).
 */
import { Gaxios, GaxiosError } from "gaxios";
import {
  type AuthClient,
  AwsClient,
  type AwsClientOptions,
  Compute,
  ExternalAccountAuthorizedUserClient,
  type ExternalAccountAuthorizedUserClientOptions,
  GoogleAuth,
  gcpMetadata,
  IdentityPoolClient,
  type IdentityPoolClientOptions,
  Impersonated,
  type ImpersonatedOptions,
  JWT,
  OAuth2Client,
  PluggableAuthClient,
  type PluggableAuthClientOptions,
  UserRefreshClient,
} from "google-auth-library";

/** Google's OAuth 2.0 token endpoint (gtoken/getToken.js). */
export const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";
/** Google's token introspection, on the token endpoint's origin (google-auth-library's OAuth2Client endpoints.tokenInfoUrl). */
export const GOOGLE_TOKENINFO_URL = "https://oauth2.googleapis.com/tokeninfo";
const GOOGLE_IAM_CREDENTIALS = "https://iamcredentials.googleapis.com";
/** IAM Credentials takes tokens with this scope (or iam) from whoever calls it. */
const CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/** Where the Admin console authorises a client ID for domain-wide delegation. */
export const DELEGATION_CONSOLE = "the Admin console (Security > Access and data control > API controls > Domain-wide delegation)";
/** The role that lets a principal act or sign as a service account (cloud.google.com/iam/docs/service-account-permissions). */
export const TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator";
const NO_CREDENTIALS =
  "No credentials found: googlechat:credentials and GOOGLE_APPLICATION_CREDENTIALS are unset, " +
  "there is no gcloud ADC file (gcloud auth application-default login), and no metadata server answers (GCE_METADATA_HOST). Give one of them.";
/** Google's access tokens last an hour (generateAccessToken's default lifetime): the expiry assumed for a token whose client recorded none. */
const ACCESS_TOKEN_LIFETIME_MS = 3_600_000;

export interface AuthSettings {
  /** Parsed credential JSON of any type; absent means the metadata server. */
  credentials?: Record<string, unknown>;
  /** Full scope URLs. A service account without scopes sends no Authorization header at all. */
  scopes: string[];
  /** A user to impersonate through domain-wide delegation (a service account's). */
  subject?: string;
  /** A service account the credentials act as (IAM Credentials generateAccessToken). */
  impersonateServiceAccount?: string;
  /** Replaces https://iamcredentials.googleapis.com. */
  iamCredentialsEndpoint?: string;
  /** Replaces Google's OAuth token endpoint. */
  tokenEndpoint?: string;
  /** Sign JWTs locally instead of exchanging them for access tokens (service account keys without `subject`). */
  selfSignedJwt?: boolean;
  /** The longest wait for an answer to any request the client sends, token requests included. @default 60000 */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** The token URL a client's token requests go to: `tokenEndpoint`, or Google's. */
export const tokenUrlOf = (settings: Pick<AuthSettings, "tokenEndpoint">) => settings.tokenEndpoint ?? GOOGLE_TOKEN_URL;

/**
 * Where a client's access token is introspected (tokeninfo): beside the token endpoint, as Google
 * serves it (`https://oauth2.googleapis.com/token`, `…/tokeninfo`), so `tokenEndpoint` moves it
 * too: its last path segment becomes `tokeninfo` (relative resolution, RFC 3986 §5.2; its query
 * is dropped). A `tokenEndpoint` that is no URL leaves Google's: its own token requests fail
 * first, naming it.
 */
export function tokenInfoUrlOf(settings: Pick<AuthSettings, "tokenEndpoint">): string {
  const { tokenEndpoint } = settings;
  return tokenEndpoint && URL.canParse(tokenEndpoint) ? new URL("tokeninfo", tokenEndpoint).href : GOOGLE_TOKENINFO_URL;
}

/** An IAM Credentials call for a service account's token or signature (its path, whatever the endpoint): the service account, the method. */
const IAM_TOKEN_CALL = /serviceAccounts\/([^/:]+):(generateAccessToken|signJwt)$/;

/**
 * The service a token request of the auth client went to, which decides what to check when it
 * fails (errors.ts): each one is set somewhere else.
 * - `oauth`: Google's OAuth token endpoint or googlechat:tokenEndpoint (keys', refresh tokens'
 *   and keyless delegation's grants);
 * - `sts`: an `external_account` file's `token_url`, the Security Token Service that exchanges
 *   the subject token (cloud.google.com/iam/docs/workload-identity-federation);
 * - `workforceRefresh`: an `external_account_authorized_user` file's `token_url` (a workforce
 *   identity's refresh token);
 * - `subjectToken`: an `external_account` file's `credential_source.url`, where the CI system
 *   hands the job its ID token;
 * - `iamCredentials`: IAM Credentials (googlechat:iamCredentialsEndpoint, or a file's
 *   `service_account_impersonation_url`);
 * - `metadata`: the metadata server (GCE_METADATA_HOST);
 * - `tokenInfo`: tokeninfo, beside the OAuth token endpoint ({@link tokenInfoUrlOf}), which
 *   tells the calling user of a user's own credentials (caller-identity.ts).
 */
export type TokenService = "oauth" | "sts" | "workforceRefresh" | "subjectToken" | "iamCredentials" | "metadata" | "tokenInfo";

/** gcp-metadata's root on every metadata server host (gcp-metadata's BASE_PATH). */
const METADATA_PATH = "/computeMetadata/";

/**
 * Which service the token request to `url` goes to: the URLs of the credentials (and of their
 * `source_credentials`) first, then IAM Credentials and the metadata server by their paths, then
 * tokeninfo and the OAuth token endpoint; undefined: no token request (a Chat API call).
 * Queries, fragments and user info are ignored. The one home of this rule: the transporter tries these requests once,
 * and a failed one's message advises by its service (chat-api.ts, errors.ts).
 */
export function tokenServiceOf(
  settings: Pick<AuthSettings, "credentials" | "iamCredentialsEndpoint" | "tokenEndpoint">,
  url: string,
): TokenService | undefined {
  const bare = withoutQuery(url);
  for (const json of credentialChain(settings.credentials)) {
    const source = json.credential_source as { url?: unknown } | undefined;
    if (json.type === "external_account" && sameUrl(json.token_url, bare)) return "sts";
    if (json.type === "external_account" && sameUrl(source?.url, bare)) return "subjectToken";
    if (json.type === "external_account_authorized_user" && sameUrl(json.token_url, bare)) return "workforceRefresh";
  }
  const iamEndpoint = settings.iamCredentialsEndpoint ?? GOOGLE_IAM_CREDENTIALS;
  if (bare.startsWith(`${iamEndpoint}/`) || IAM_TOKEN_CALL.test(decodedUrl(bare))) return "iamCredentials";
  if (URL.canParse(bare) && new URL(bare).pathname.startsWith(METADATA_PATH)) return "metadata";
  if (bare === GOOGLE_TOKENINFO_URL || bare === tokenInfoUrlOf(settings)) return "tokenInfo";
  return bare === GOOGLE_TOKEN_URL || sameUrl(settings.tokenEndpoint, bare) ? "oauth" : undefined;
}

/**
 * `url` with its percent escapes decoded (IAM Credentials' `projects/-/serviceAccounts/{email}:generateAccessToken`
 * arrives with `%3A`, `%40`); a URL that is not valid percent-encoding, such as a Chat call's path
 * holding a member name the user wrote with a stray `%`, is taken as it is: no URIError.
 */
function decodedUrl(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

/** The credentials, then the credentials they act through (`source_credentials` of an impersonated_service_account file), and so on. */
function* credentialChain(json: Record<string, unknown> | undefined): Generator<Record<string, unknown>> {
  for (; json; json = json.source_credentials as Record<string, unknown> | undefined) yield json;
}

/** `url` without what may differ between the configured URL and the one requested (or hold a secret): its query, fragment and user info. */
function withoutQuery(url: string): string {
  if (!URL.canParse(url)) return url.split(/[?#]/)[0];
  const parsed = new URL(url);
  parsed.search = parsed.hash = parsed.username = parsed.password = "";
  return parsed.href;
}
const sameUrl = (configured: unknown, bare: string) => typeof configured === "string" && withoutQuery(configured) === bare;

/**
 * The auth client's transporter: every request gets the timeout; Google's token requests go to
 * `tokenEndpoint` when set; every token request ({@link tokenServiceOf}) is tried once. The
 * library's clients ask gaxios to retry those with real-time sleeps of its own, unseen by the
 * provider: the STS exchange (StsCredentials.RETRY_CONFIG), a URL-sourced subject token and a
 * file's `service_account_impersonation_url` (AuthClient.RETRY_CONFIG), a workforce identity's
 * refresh (ExternalAccountAuthorizedUserHandler.RETRY_CONFIG), IAM Credentials calls; the
 * provider retries each failure with its own policy, clock and log lines instead (retry.ts,
 * chat-api.ts). Other requests keep their retry options: the provider's Chat calls pass
 * `retry: false`, and other users of the client (tests, the bench) keep the Google client's retries.
 */
export function authTransporter(settings: Pick<AuthSettings, "credentials" | "iamCredentialsEndpoint" | "tokenEndpoint" | "timeoutMs">): Gaxios {
  // The timeout is a default, merged before interceptors run: gaxios turns it into an abort signal then.
  const transporter = new Gaxios({ timeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  transporter.interceptors.request.add({
    resolved: async (options) => {
      const url = String(options.url);
      if (!tokenServiceOf(settings, url)) return options;
      if (url === GOOGLE_TOKEN_URL && settings.tokenEndpoint) options.url = new URL(settings.tokenEndpoint);
      options.retry = false;
      delete options.retryConfig;
      return options;
    },
  });
  return transporter;
}

/**
 * Sends an `external_account` client's STS token exchange (its `token_url`) through the
 * provider's transporter. google-auth-library builds the client's `StsCredentials` with a
 * gaxios of its own instead of the client's transporter (baseexternalclient.js;
 * googleapis/google-cloud-node#8292), whose exchange has no timeout (a hung STS hung
 * `pulumi up` past any deadline) and is retried three times on 408, 429 and 5xx
 * (StsCredentials.RETRY_CONFIG) with sleeps of 0.1, 0.5 and 1.5 s of its own, inside each of the
 * provider's tries. Answered or not, its failure reaches the provider's retry as a token
 * request's (chat-api.ts), which retries it within googlechat:retryDeadlineSeconds.
 *
 * `stsCredential` and its `transporter` are protected fields with no option to set them: a
 * version of the library without them (or with a transporter that is no gaxios) is refused
 * here, naming the version, rather than silently bringing the hangs and sleeps back.
 */
export function exchangeThroughProvider<T extends AuthClient>(client: T, transporter: Gaxios): T {
  const sts = (client as unknown as { stsCredential?: { transporter?: { request?: unknown } } }).stsCredential;
  if (typeof sts?.transporter?.request !== "function") {
    throw new Error(
      `google-auth-library ${libraryVersion()} has no stsCredential.transporter on its ${client.constructor.name}: ` +
        "the provider can't give the STS token exchange its timeout and retries. " +
        "Install the version package.json pins (npm ci), or adapt provider/core/google-auth.ts exchangeThroughProvider to this one.",
    );
  }
  sts.transporter = transporter as typeof sts.transporter;
  return client;
}

/** The installed google-auth-library's version, for messages. */
const libraryVersion = (): string => (require("google-auth-library/package.json") as { version: string }).version;

/**
 * Whether the credentials get their tokens without a key or refresh token of their own: through
 * the metadata server, a workload identity federation exchange, IAM Credentials, or keyless
 * domain-wide delegation ({@link keylessClient}); false for a service account key or a user's
 * refresh token used as they are.
 */
export function isKeyless(settings: Pick<AuthSettings, "credentials" | "impersonateServiceAccount">): boolean {
  const type = settings.credentials?.type;
  return settings.impersonateServiceAccount !== undefined || (type !== "service_account" && type !== "authorized_user");
}

export function createAuthClient(settings: AuthSettings): OAuth2Client {
  const transporter = authTransporter(settings);
  const endpoints = { tokenInfoUrl: tokenInfoUrlOf(settings) };
  const json = settings.credentials;
  if (isKeyless(settings)) return keylessClient(settings, transporter, endpoints);
  if (json?.type === "service_account") {
    const client = new JWT({
      email: requiredString(json, "client_email"),
      key: requiredString(json, "private_key"),
      keyId: typeof json.private_key_id === "string" ? json.private_key_id : undefined,
      scopes: settings.scopes,
      subject: settings.subject,
      transporter,
      endpoints,
    });
    client.useJWTAccessWithScope = settings.selfSignedJwt;
    return client;
  }
  if (json?.type === "authorized_user") {
    if (settings.subject) throw new Error("A user to impersonate needs service account credentials, not authorized_user.");
    return new UserRefreshClient({
      clientId: requiredString(json, "client_id"),
      clientSecret: requiredString(json, "client_secret"),
      refreshToken: requiredString(json, "refresh_token"),
      transporter,
      endpoints,
    });
  }
  return keylessClient(settings, transporter, endpoints);
}

/**
 * An OAuth2Client whose tokens come from keyless credentials: the service account's own
 * (`impersonateServiceAccount`, or the credentials' client), or, with `subject`, a user's
 * through keyless domain-wide delegation. Built on first use (finding the metadata server
 * or the service account's email takes requests); IAM refusals become messages that say what
 * to grant. No token is kept anywhere but in the clients.
 */
function keylessClient(settings: AuthSettings, transporter: Gaxios, endpoints: { tokenInfoUrl: string }): OAuth2Client {
  const iamEndpoint = settings.iamCredentialsEndpoint ?? GOOGLE_IAM_CREDENTIALS;
  const client = new OAuth2Client({ transporter, endpoints });
  const tokenSource = sharedUntilFailed(async (): Promise<() => Promise<AccessToken>> => {
    if (settings.subject) {
      // The signer calls IAM Credentials, so it needs cloud-platform, whatever the Chat scope.
      const signer = await platformClient(settings.credentials, transporter, iamEndpoint);
      const email = settings.impersonateServiceAccount ?? (await serviceAccountEmail(signer));
      return () => delegatedToken({ signer, email, subject: settings.subject!, scopes: settings.scopes, iamEndpoint, transporter });
    }
    const tokens = settings.impersonateServiceAccount
      ? impersonated({
          sourceClient: await platformClient(settings.credentials, transporter, iamEndpoint),
          targetPrincipal: settings.impersonateServiceAccount,
          targetScopes: settings.scopes,
          delegates: [],
          endpoint: iamEndpoint,
          transporter,
        })
      : await credentialsClient(settings.credentials, settings.scopes, transporter, iamEndpoint);
    return async () => {
      const { token } = await tokens.getAccessToken();
      if (!token) throw new Error("The credentials gave no access token.");
      // Each library client records the expiry of the token it returned in `credentials`.
      return { access_token: token, expiry_date: tokens.credentials.expiry_date ?? Date.now() + ACCESS_TOKEN_LIFETIME_MS };
    };
  });
  client.refreshHandler = async () => {
    try {
      return await (await tokenSource())();
    } catch (error) {
      throw iamRefusal(error) ?? unreadableSubjectToken(error, settings.credentials) ?? error;
    }
  };
  return client;
}

/** What an OAuth2Client's `refreshHandler` answers. */
interface AccessToken {
  access_token: string;
  expiry_date: number;
}

/** A promise made on first use and shared, made again after it failed (a client that could not be built, a request that was refused). */
function sharedUntilFailed<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => {
    if (!promise) {
      promise = make();
      promise.catch(() => (promise = undefined));
    }
    return promise;
  };
}

/** The credentials' cloud-platform clients (which call IAM Credentials), by the credentials they were made of. */
const platformClients = new WeakMap<object, () => Promise<AuthClient>>();

/**
 * The credentials' client with the cloud-platform scope, which IAM Credentials wants: one for
 * all of a provider's per-scope clients (they share the settings object), so its token (an STS
 * exchange, say) serves them all. None is kept for the metadata server, which answers locally.
 */
function platformClient(json: Record<string, unknown> | undefined, transporter: Gaxios, iamEndpoint: string): Promise<AuthClient> {
  if (!json) return credentialsClient(undefined, [CLOUD_PLATFORM], transporter, iamEndpoint);
  let client = platformClients.get(json);
  if (!client) {
    client = sharedUntilFailed(() => credentialsClient(json, [CLOUD_PLATFORM], transporter, iamEndpoint));
    platformClients.set(json, client);
  }
  return client();
}

/**
 * google-auth-library's client for the credentials: what ADC would make of the same JSON
 * (googleauth.js fromJSON), with the provider's transporter in every client it holds, and
 * IAM Credentials at `iamEndpoint`; no JSON is the metadata server.
 */
async function credentialsClient(json: Record<string, unknown> | undefined, scopes: string[], transporter: Gaxios, iamEndpoint: string): Promise<AuthClient> {
  switch (json?.type) {
    case undefined:
      // ADC's last step (googleauth.js getApplicationDefaultAsync), without the project ID it
      // looks up on the way, which may run `gcloud config config-helper` (seconds) for nothing.
      if (!(await gcpMetadata.isAvailable())) throw new Error(NO_CREDENTIALS);
      return new Compute({ scopes, transporter });
    case "service_account":
      return new JWT({ email: requiredString(json, "client_email"), key: requiredString(json, "private_key"), scopes, transporter });
    case "authorized_user":
      return new UserRefreshClient({
        clientId: requiredString(json, "client_id"),
        clientSecret: requiredString(json, "client_secret"),
        refreshToken: requiredString(json, "refresh_token"),
        transporter,
      });
    case "external_account": {
      // The constructor of the subject token's source, picked as ExternalAccountClient.fromJSON
      // picks it (externalclient.js), which the library advises over fromJSON: fromJSON prints a
      // warning, meant for configurations from untrusted places, into every `pulumi up`'s
      // diagnostics; this configuration is the stack's own.
      const options = { ...json, scopes, transporter } as unknown as IdentityPoolClientOptions & PluggableAuthClientOptions & AwsClientOptions;
      const source = json.credential_source as { environment_id?: unknown; executable?: unknown } | undefined;
      const client = source?.environment_id ? new AwsClient(options) : source?.executable ? new PluggableAuthClient(options) : new IdentityPoolClient(options);
      return exchangeThroughProvider(client, transporter);
    }
    case "external_account_authorized_user":
      // Its every request is the refresh at the file's token_url, tried once by the transporter.
      return new ExternalAccountAuthorizedUserClient({ ...(json as unknown as ExternalAccountAuthorizedUserClientOptions), transporter });
    case "impersonated_service_account":
      // Only the target is read from service_account_impersonation_url; the URL itself is not
      // called: IAM Credentials is `iamEndpoint`, the source client is built with the provider's.
      return impersonated({
        sourceClient: await platformClient(json.source_credentials as Record<string, unknown>, transporter, iamEndpoint),
        targetPrincipal: impersonationTarget(json),
        targetScopes: scopes,
        delegates: Array.isArray(json.delegates) ? (json.delegates as string[]) : [],
        endpoint: iamEndpoint,
        transporter,
      });
    default:
      return new GoogleAuth({ credentials: json as never, scopes, clientOptions: { transporter } }).getClient();
  }
}

/** The start of the notice google-auth-library prints for every `Impersonated` it does not build from an ADC file itself (impersonated.js). */
const IMPERSONATED_NOTICE = "The `Impersonated` constructor does not validate the credential configuration.";

/**
 * google-auth-library's `Impersonated`, without the notice its constructor prints to stderr,
 * which reached every `pulumi up`'s diagnostics. The notice asks to validate a credential
 * configuration taken from an untrusted source before using it, because its URLs receive the
 * source's token (cloud.google.com/docs/authentication/external/externally-sourced-credentials);
 * the library withholds it for configurations it loads through ADC itself, and has no public
 * way to do so for a client built by hand. The provider has done that validation: the only URL
 * of its `Impersonated` clients is `endpoint`, which is Google's IAM Credentials or the
 * operator's own googlechat:iamCredentialsEndpoint, never a URL of a credential file; the
 * source client is already built. Only that notice is withheld, and only while the constructor
 * runs (synchronously): anything else it prints goes through, and a reworded notice shows.
 */
function impersonated(options: ImpersonatedOptions): Impersonated {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!(typeof args[0] === "string" && args[0].startsWith(IMPERSONATED_NOTICE))) warn.apply(console, args);
  };
  try {
    return new Impersonated(options);
  } finally {
    console.warn = warn;
  }
}

/** The longest `service_account_impersonation_url` google-auth-library reads (googleauth.js fromImpersonatedJSON). */
const MAX_IMPERSONATION_URL = 256;

/**
 * The service account an `impersonated_service_account` file acts as: the last segment of its
 * `service_account_impersonation_url`, as google-auth-library reads it (googleauth.js
 * fromImpersonatedJSON, which also builds clients of the file and so prints the notice above).
 * A longer URL than the library takes is refused before the pattern runs, as the library
 * refuses it: the pattern's time grows with the square of the length (a denial of service,
 * github.com/googleapis/google-auth-library-nodejs/security/code-scanning/85).
 */
export function impersonationTarget(json: Record<string, unknown>): string {
  const url = requiredString(json, "service_account_impersonation_url");
  if (url.length > MAX_IMPERSONATION_URL) {
    throw new Error(
      `The impersonated_service_account credentials' service_account_impersonation_url is longer than the ${MAX_IMPERSONATION_URL} characters ` +
        `google-auth-library takes (${url.length}).`,
    );
  }
  const target = /([^/]+):(generateAccessToken|generateIdToken)$/.exec(url)?.[1];
  if (!target) throw new Error(`The impersonated_service_account credentials' service_account_impersonation_url names no service account: ${url}`);
  return target;
}

/**
 * The service account the client acts as, as google-auth-library finds it (googleauth.js getCredentials): the
 * impersonation target, or the metadata server's account.
 */
async function serviceAccountEmail(client: AuthClient): Promise<string> {
  const { client_email } = await new GoogleAuth({ authClient: client }).getCredentials();
  if (!client_email)
    throw new Error("googlechat:impersonateUser: the credentials name no service account to sign the delegation as: set googlechat:impersonateServiceAccount.");
  return client_email;
}

/** The token endpoint refused keyless domain-wide delegation (`unauthorized_client`): the message says what the Admin console must authorise. */
export class DelegationRefused extends Error {
  constructor(
    /** The service account that delegates. */
    readonly serviceAccount: string,
    /** The scopes (full URLs) asked for. */
    readonly scopes: readonly string[],
    message: string,
  ) {
    super(message);
    this.name = "DelegationRefused";
  }
}

/** The subject token file an `external_account` credential names can't be read: the message says what writes it. */
export class SubjectTokenUnreadable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SubjectTokenUnreadable";
  }
}

/** IAM Credentials refused (403) to let the credentials act as a service account or sign as it: the message names the role to grant. */
export class IamRefusal extends Error {
  constructor(
    readonly method: "generateAccessToken" | "signJwt",
    readonly serviceAccount: string,
    message: string,
  ) {
    super(message);
    this.name = "IamRefusal";
  }
}

interface Delegation {
  /** Calls IAM Credentials as the credentials. */
  signer: AuthClient;
  /** The service account that delegates. */
  email: string;
  /** The user it acts as. */
  subject: string;
  scopes: string[];
  iamEndpoint: string;
  transporter: Gaxios;
}

/**
 * Domain-wide delegation without a key (IAM Credentials signJwt,
 * cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/signJwt): the claims a key
 * would sign (iss = the service account, sub = the user, scope, aud =
 * Google's token URL, at most an hour), signed by IAM Credentials `signJwt`, exchanged with the
 * jwt-bearer grant. The signed assertion lives only in this function.
 */
async function delegatedToken({ signer, email, subject, scopes, iamEndpoint, transporter }: Delegation): Promise<AccessToken> {
  const iat = Math.floor(Date.now() / 1000);
  const claims = { iss: email, sub: subject, scope: scopes.join(" "), aud: GOOGLE_TOKEN_URL, iat, exp: iat + 3600 };
  const signed = await signer.request<{ signedJwt: string }>({
    url: `${iamEndpoint}/v1/projects/-/serviceAccounts/${email}:signJwt`,
    method: "POST",
    data: { payload: JSON.stringify(claims) },
  });
  try {
    const answer = await transporter.request<{ access_token: string; expires_in: number }>({
      url: GOOGLE_TOKEN_URL,
      method: "POST",
      data: new URLSearchParams({ grant_type: JWT_BEARER, assertion: signed.data.signedJwt }),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    return { access_token: answer.data.access_token, expiry_date: Date.now() + answer.data.expires_in * 1000 };
  } catch (error) {
    const answer = (error as GaxiosError).response?.data as { error?: string; error_description?: string } | undefined;
    if (answer?.error !== "unauthorized_client") throw error;
    throw new DelegationRefused(
      email,
      scopes,
      `Domain-wide delegation was refused for ${email} acting as ${subject} (token endpoint: ${answer.error}: ${answer.error_description ?? ""}). ` +
        "A Workspace administrator must authorise the service account's client ID (its unique ID: " +
        `gcloud iam service-accounts describe ${email} --format='value(uniqueId)') ` +
        `for the scopes ${scopes.join(",")} in ${DELEGATION_CONSOLE}, and ${subject} must be a user of that organisation.`,
    );
  }
}

/**
 * IAM Credentials' refusal to let the credentials act or sign as a service account, as a
 * message naming the role to grant (cloud.google.com/iam/docs/service-account-permissions);
 * undefined for anything else.
 */
function iamRefusal(error: unknown): IamRefusal | undefined {
  if (!(error instanceof GaxiosError) || error.response?.status !== 403) return undefined;
  const call = IAM_TOKEN_CALL.exec(decodedUrl(String(error.config.url ?? "")));
  if (!call) return undefined;
  const [, email, method] = call;
  const google = (error.response.data as { error?: { message?: string } } | undefined)?.error?.message ?? "";
  const act = method === "signJwt" ? "sign the domain-wide delegation assertion as" : "act as";
  return new IamRefusal(
    method as IamRefusal["method"],
    email,
    `The credentials may not ${act} the service account ${email} (IAM Credentials ${method}: 403 PERMISSION_DENIED: ${google}). ` +
      `Grant the credentials' principal ${TOKEN_CREATOR} on ${email} (gcloud iam service-accounts add-iam-policy-binding ${email} ` +
      `--member=PRINCIPAL --role=${TOKEN_CREATOR})` +
      `${method === "signJwt" ? "" : "; a workload identity pool's principals may have roles/iam.workloadIdentityUser instead"}, ` +
      "and check that the service account exists.",
  );
}
/**
 * A subject token file the credentials name that can't be read, as a message saying what writes
 * it; undefined for anything else. google-auth-library reads the file on every exchange
 * (filesubjecttokensupplier.js) and throws the file system's error with its code (ENOENT),
 * which the provider would take for a request that got no answer and retry, blaming the token
 * endpoint. No request was made: it is not retried.
 */
function unreadableSubjectToken(error: unknown, json: Record<string, unknown> | undefined): Error | undefined {
  if (!(error instanceof Error) || error instanceof GaxiosError || typeof (error as { code?: unknown }).code !== "string") return undefined;
  for (const link of credentialChain(json)) {
    const file = (link.credential_source as { file?: unknown } | undefined)?.file;
    if (link.type === "external_account" && typeof file === "string") {
      return new SubjectTokenUnreadable(
        `The credentials' subject token file can't be read (${error.message}): check credential_source.file, ` +
          "and that the CI step that writes the job's ID token there ran first (on GitHub Actions, google-github-actions/auth, " +
          "with the job's permissions: id-token: write).",
      );
    }
  }
  return undefined;
}

function requiredString(json: Record<string, unknown>, field: string): string {
  const value = json[field];
  if (typeof value !== "string" || value === "") {
    throw new Error(`The ${String(json.type)} credentials have no "${field}".`);
  }
  return value;
}
