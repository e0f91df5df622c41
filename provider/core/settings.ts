/**
 * The provider's settings, built in one place from the stack config (`googlechat:` namespace)
 * and the environment, over documented defaults. Nothing else in the provider reads
 * `process.env`. Credentials stay in this object, in memory: never in an input, an output or
 * the serialized provider.
 *
 * The keys are {@link GoogleChatConfig}, each with its environment variable in
 * {@link CONFIG_KEYS}: {@link resolveSettings} reads them from there, and the plugin's schema
 * (scripts/gen-schema.ts) takes their types and descriptions from the same two places.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GOOGLE_RATE_LIMITS, type RateLimits } from "./rate-limiter";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry";

export const GOOGLE_CHAT_ENDPOINT = "https://chat.googleapis.com/";

/**
 * Who the provider acts as:
 * - `app`: the Chat app itself (app authentication): a service account the Workspace
 *   administrator approved for the `chat.app.*` scopes.
 * - `user`: a user (user authentication): the user's own credentials, or a service account
 *   acting as `impersonateUser` through domain-wide delegation.
 */
export type Authentication = "app" | "user";

/**
 * The provider's configuration: the stack config `googlechat:<key>` of the default provider, and
 * the arguments of an explicit provider. Each key not set is read from its environment variable
 * ({@link CONFIG_KEYS}); the engine hands every value over as text.
 */
export interface GoogleChatConfig extends Partial<RateLimits> {
  /**
   * Credential JSON of any type Application Default Credentials takes: a service account key,
   * an `authorized_user` file, a workload identity federation configuration
   * (`external_account`), ... Not set: the file `GOOGLE_APPLICATION_CREDENTIALS` names, then
   * gcloud's ADC file, then the metadata server.
   */
  readonly credentials?: string;
  /**
   * `app` or `user`. By default what the credentials are (a service account is the app; a
   * user's own credentials, or `impersonateUser`, a user); required where they can't tell.
   */
  readonly auth?: Authentication;
  /**
   * The user a service account acts as (domain-wide delegation; keyless through IAM Credentials
   * `signJwt`), lower-cased: an email address names one account in any capitals, and the token's
   * subject and the calling user's email compared with members' are then the one spelling.
   */
  readonly impersonateUser?: string;
  /**
   * A service account the credentials act as (IAM Credentials `generateAccessToken`), like
   * pulumi-gcp's `gcp:impersonateServiceAccount`.
   */
  readonly impersonateServiceAccount?: string;
  /**
   * IAM Credentials' endpoint, like pulumi-gcp's `iamCredentialsCustomEndpoint`. Not set:
   * `https://iamcredentials.googleapis.com`.
   */
  readonly iamCredentialsEndpoint?: string;
  /** Act with the user's Workspace administrator privileges (`chat.admin.*` scopes). */
  readonly useAdminAccess?: boolean;
  /** The Chat API's endpoint. */
  readonly apiEndpoint?: string;
  /** The OAuth token endpoint. Not set: Google's. */
  readonly tokenEndpoint?: string;
  /** App authentication with self-signed JWTs, without token requests. */
  readonly selfSignedJwt?: boolean;
  /** How long one call may keep retrying, in seconds. */
  readonly retryDeadlineSeconds?: number;
  /** One request's longest wait for an answer, token requests included, in seconds. */
  readonly requestTimeoutSeconds?: number;
}

/** Where a config key is also read from, its value when neither gives one, and how it is kept. */
export interface ConfigKeySpec<T> {
  /** The environment variable read when the key is not set. */
  readonly env?: string;
  /** The value when neither the key nor the environment gives one. */
  readonly default?: T;
  /** A secret: stored encrypted, never shown. */
  readonly secret?: true;
}

/** Every config key, exactly those of {@link GoogleChatConfig}. */
export const CONFIG_KEYS = {
  // Its environment names a file, not the JSON: readCredentials.
  credentials: { secret: true },
  auth: { env: "GOOGLECHAT_AUTH" },
  impersonateUser: { env: "GOOGLECHAT_IMPERSONATE_USER" },
  impersonateServiceAccount: { env: "GOOGLECHAT_IMPERSONATE_SERVICE_ACCOUNT" },
  iamCredentialsEndpoint: { env: "GOOGLECHAT_IAM_CREDENTIALS_ENDPOINT" },
  useAdminAccess: { env: "GOOGLECHAT_USE_ADMIN_ACCESS", default: false },
  apiEndpoint: { env: "GOOGLECHAT_API_ENDPOINT", default: GOOGLE_CHAT_ENDPOINT },
  tokenEndpoint: { env: "GOOGLECHAT_TOKEN_ENDPOINT" },
  selfSignedJwt: { env: "GOOGLECHAT_SELF_SIGNED_JWT", default: false },
  retryDeadlineSeconds: { env: "GOOGLECHAT_RETRY_DEADLINE_SECONDS", default: DEFAULT_RETRY.deadlineMs / 1000 },
  requestTimeoutSeconds: { env: "GOOGLECHAT_REQUEST_TIMEOUT_SECONDS", default: 60 },
  spaceWritesPerMinute: { env: "GOOGLECHAT_SPACE_WRITES_PER_MINUTE", default: GOOGLE_RATE_LIMITS.spaceWritesPerMinute },
  spaceCreatesPerMinute: { env: "GOOGLECHAT_SPACE_CREATES_PER_MINUTE", default: GOOGLE_RATE_LIMITS.spaceCreatesPerMinute },
  spaceReadsPerMinute: { env: "GOOGLECHAT_SPACE_READS_PER_MINUTE", default: GOOGLE_RATE_LIMITS.spaceReadsPerMinute },
  perSpaceWritesPerSecond: { env: "GOOGLECHAT_PER_SPACE_WRITES_PER_SECOND", default: GOOGLE_RATE_LIMITS.perSpaceWritesPerSecond },
  perSpaceReadsPerSecond: { env: "GOOGLECHAT_PER_SPACE_READS_PER_SECOND", default: GOOGLE_RATE_LIMITS.perSpaceReadsPerSecond },
  membershipWritesPerMinute: { env: "GOOGLECHAT_MEMBERSHIP_WRITES_PER_MINUTE", default: GOOGLE_RATE_LIMITS.membershipWritesPerMinute },
  membershipReadsPerMinute: { env: "GOOGLECHAT_MEMBERSHIP_READS_PER_MINUTE", default: GOOGLE_RATE_LIMITS.membershipReadsPerMinute },
} as const satisfies { readonly [K in keyof GoogleChatConfig]-?: ConfigKeySpec<NonNullable<GoogleChatConfig[K]>> };

export type ConfigKey = keyof GoogleChatConfig;

export interface ProviderSettings {
  apiEndpoint: string;
  tokenEndpoint?: string;
  /** Parsed credential JSON of any `type`; undefined means the metadata server (the last step of Application Default Credentials). */
  credentials?: Record<string, unknown>;
  /**
   * Where Application Default Credentials' search found them, for messages (no secret): the
   * config key, the file GOOGLE_APPLICATION_CREDENTIALS names, gcloud's ADC file, or the metadata server.
   */
  credentialsSource: string;
  auth: Authentication;
  impersonateUser?: string;
  /** A service account the credentials act as, through IAM Credentials. */
  impersonateServiceAccount?: string;
  /** Replaces https://iamcredentials.googleapis.com. */
  iamCredentialsEndpoint?: string;
  useAdminAccess: boolean;
  selfSignedJwt: boolean;
  retry: RetryPolicy;
  requestTimeoutMs: number;
  rateLimits: RateLimits;
}

/**
 * A setting the provider can't work with: `key` is the setting at fault (without the
 * `googlechat:` namespace), so a provider plugin's CheckConfig can name the property; the message
 * says what to do and never quotes a credential.
 */
export class SettingError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

export type ConfigSource = (key: string) => string | undefined;

export function resolveSettings(config: ConfigSource, env: Record<string, string | undefined>): ProviderSettings {
  const value = (key: ConfigKey) => {
    const envName = (CONFIG_KEYS[key] as ConfigKeySpec<unknown>).env;
    return config(`googlechat:${key}`) ?? (envName === undefined ? undefined : env[envName]);
  };
  const flag = (key: "useAdminAccess" | "selfSignedJwt") => {
    const raw = value(key);
    if (raw === undefined || raw === "") return CONFIG_KEYS[key].default as boolean;
    if (raw === "true" || raw === "false") return raw === "true";
    throw new SettingError(key, `googlechat:${key} must be true or false, not "${raw}".`);
  };

  const { credentials, source: credentialsSource } = readCredentials(value("credentials"), env);
  const impersonateUser = value("impersonateUser")?.toLowerCase() || undefined;
  const impersonateServiceAccount = value("impersonateServiceAccount") || undefined;
  const explicitAuth = value("auth") || undefined;
  if (explicitAuth !== undefined && explicitAuth !== "app" && explicitAuth !== "user") {
    throw new SettingError("auth", `googlechat:auth must be app or user, not "${explicitAuth}".`);
  }
  const auth = chooseAuth(identityOf(credentials, impersonateServiceAccount), explicitAuth, impersonateUser);
  const useAdminAccess = flag("useAdminAccess");
  // Admin access runs a call "using the user's Google Workspace administrator privileges. The
  // calling user must be a Google Workspace administrator" (v1.d.ts `useAdminAccess`): the Chat app has none.
  if (useAdminAccess && auth === "app") {
    // Every provider of the stack reads the environment: one with no useAdminAccess of its own turns it off in its config.
    const fromEnvironment = config("googlechat:useAdminAccess") === undefined;
    const turnOff = fromEnvironment
      ? `set googlechat:useAdminAccess to false for this provider (true comes from ${CONFIG_KEYS.useAdminAccess.env})`
      : "remove googlechat:useAdminAccess";
    throw new SettingError(
      "useAdminAccess",
      "googlechat:useAdminAccess acts with an administrator's privileges, and with app authentication (the Chat app) no user calls: " +
        "set googlechat:impersonateUser to the administrator the service account acts as (domain-wide delegation), or " +
        `${turnOff}.`,
    );
  }

  const number = (key: "retryDeadlineSeconds" | "requestTimeoutSeconds" | keyof RateLimits, { allowZero = false } = {}) => {
    const raw = value(key);
    const fallback: number = CONFIG_KEYS[key].default;
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0 || (n === 0 && !allowZero)) {
      throw new SettingError(key, `googlechat:${key} must be a ${allowZero ? "non-negative" : "positive"} number, not "${raw}".`);
    }
    return n;
  };
  const rateLimits = Object.fromEntries(
    (Object.keys(GOOGLE_RATE_LIMITS) as (keyof RateLimits)[]).map((key) => [key, number(key, { allowZero: true })]),
  ) as unknown as RateLimits;

  const apiEndpoint = value("apiEndpoint") || CONFIG_KEYS.apiEndpoint.default;
  return {
    apiEndpoint: apiEndpoint.endsWith("/") ? apiEndpoint : `${apiEndpoint}/`,
    tokenEndpoint: value("tokenEndpoint") || undefined,
    credentials,
    credentialsSource,
    auth,
    impersonateUser,
    impersonateServiceAccount,
    iamCredentialsEndpoint: value("iamCredentialsEndpoint")?.replace(/\/+$/, "") || undefined,
    useAdminAccess,
    selfSignedJwt: flag("selfSignedJwt"),
    retry: { ...DEFAULT_RETRY, deadlineMs: number("retryDeadlineSeconds") * 1000 },
    requestTimeoutMs: number("requestTimeoutSeconds") * 1000,
    rateLimits,
  };
}

/**
 * Who the credentials act as, as far as their JSON tells (the only thing the provider reads in
 * it; the client is google-auth-library's): a service account, a user, or `unknown` (an
 * `external_account` used without a service account is a federated identity, and a type this
 * provider does not know may be anything). `describe` names them in messages.
 */
export interface CredentialIdentity {
  kind: "serviceAccount" | "user" | "unknown";
  describe: string;
}

export function identityOf(credentials: Record<string, unknown> | undefined, impersonateServiceAccount?: string): CredentialIdentity {
  if (impersonateServiceAccount)
    return { kind: "serviceAccount", describe: `the service account ${impersonateServiceAccount} (googlechat:impersonateServiceAccount)` };
  if (!credentials) return { kind: "serviceAccount", describe: "the metadata server's service account (no credentials file was found)" };
  const type = JSON.stringify(credentials.type);
  switch (credentials.type) {
    case "service_account":
    case "impersonated_service_account":
      return { kind: "serviceAccount", describe: `credentials of type ${type}` };
    case "authorized_user":
    case "external_account_authorized_user":
      return { kind: "user", describe: `credentials of type ${type} (a user's own)` };
    case "external_account":
      return credentials.service_account_impersonation_url
        ? { kind: "serviceAccount", describe: `credentials of type ${type} with service_account_impersonation_url` }
        : { kind: "unknown", describe: `credentials of type ${type} without service_account_impersonation_url (a federated identity)` };
    default:
      return { kind: "unknown", describe: `credentials of type ${type}` };
  }
}

/**
 * `app` or `user`: the explicit setting, else what the credentials are. Domain-wide delegation
 * (impersonateUser) is user auth and needs a service account; a user's credentials can't be the app.
 */
function chooseAuth(identity: CredentialIdentity, explicit: Authentication | undefined, impersonateUser: string | undefined): Authentication {
  if (impersonateUser) {
    if (explicit === "app")
      throw new SettingError("auth", "googlechat:auth app can't go with googlechat:impersonateUser (acting as a user is user auth): remove one.");
    if (identity.kind === "user") {
      throw new SettingError(
        "impersonateUser",
        `googlechat:impersonateUser needs a service account (domain-wide delegation), but the provider has ${identity.describe}: ` +
          "use a service account key, googlechat:impersonateServiceAccount, or keyless credentials that act as a service account.",
      );
    }
    if (identity.kind === "unknown") {
      throw new SettingError(
        "impersonateUser",
        `googlechat:impersonateUser needs a service account (domain-wide delegation), and ${identity.describe} don't say which one: ` +
          "set googlechat:impersonateServiceAccount to the service account that signs the delegation.",
      );
    }
    return "user";
  }
  if (explicit === "app" && identity.kind === "user") {
    throw new SettingError(
      "auth",
      `googlechat:auth app needs a service account (the Chat app), but the provider has ${identity.describe}: use the app's service account, ` +
        "or googlechat:impersonateServiceAccount.",
    );
  }
  if (explicit === "user" && identity.kind === "serviceAccount") {
    throw new SettingError(
      "auth",
      `googlechat:auth user with ${identity.describe} needs googlechat:impersonateUser (the user the service account acts as, through domain-wide delegation).`,
    );
  }
  if (explicit) return explicit;
  if (identity.kind === "unknown") {
    throw new SettingError(
      "auth",
      `The provider can't tell whether ${identity.describe} act as the Chat app or as a user: set googlechat:auth (GOOGLECHAT_AUTH) to app or user.`,
    );
  }
  return identity.kind === "serviceAccount" ? "app" : "user";
}

/**
 * Application Default Credentials' files, in its order (google-auth-library googleauth.js
 * getApplicationDefaultAsync): config JSON, then the file GOOGLE_APPLICATION_CREDENTIALS names,
 * then gcloud's well-known file (`$CLOUDSDK_CONFIG`, else `%APPDATA%/gcloud` on Windows or
 * `~/.config/gcloud`, then `application_default_credentials.json`); none: the metadata server.
 * Read here, from the provider's environment, because the kind of caller is decided before any
 * request. Errors never quote the content.
 */
function readCredentials(configJson: string | undefined, env: Record<string, string | undefined>): { credentials?: Record<string, unknown>; source: string } {
  const read = (text: string, source: string) => ({ credentials: parseCredentials(text, source), source });
  if (configJson) return read(configJson, "googlechat:credentials");
  const file = env.GOOGLE_APPLICATION_CREDENTIALS;
  if (file) return read(readCredentialFile(file, `GOOGLE_APPLICATION_CREDENTIALS (${file})`), `GOOGLE_APPLICATION_CREDENTIALS (${file})`);
  const gcloudDir =
    env.CLOUDSDK_CONFIG || (process.platform === "win32" ? env.APPDATA && join(env.APPDATA, "gcloud") : env.HOME && join(env.HOME, ".config", "gcloud"));
  const wellKnown = gcloudDir ? join(gcloudDir, "application_default_credentials.json") : undefined;
  if (wellKnown && existsSync(wellKnown)) return read(readCredentialFile(wellKnown, `gcloud's ADC file (${wellKnown})`), `gcloud's ADC file (${wellKnown})`);
  return { source: "the metadata server (no credentials file was found)" };
}

function readCredentialFile(file: string, source: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new SettingError("credentials", `${source} can't be read: ${(error as NodeJS.ErrnoException).code ?? "error"}.`);
  }
}

function parseCredentials(text: string, source: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || typeof (parsed as { type?: unknown }).type !== "string") {
    throw new SettingError(
      "credentials",
      `${source} is not credential JSON (an object with a "type"): give the JSON of a key, of gcloud's ADC file, ` +
        "or of a workload identity federation configuration.",
    );
  }
  return parsed as Record<string, unknown>;
}
