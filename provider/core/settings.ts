/**
 * The provider's settings, built in one place from the stack config (`googlechat:` namespace)
 * and the environment, over documented defaults. Nothing else in the provider reads
 * `process.env`. Credentials stay in this object, in memory: never in an input, an output or
 * the serialized provider.
 *
 * | config key                   | environment                        | meaning |
 * |------------------------------|------------------------------------|---------|
 * | googlechat:credentials       | GOOGLE_APPLICATION_CREDENTIALS (a file), then gcloud's ADC file | credential JSON of any type Application Default Credentials takes; none: the metadata server |
 * | googlechat:auth              | GOOGLECHAT_AUTH                    | `app` or `user`; default from the credentials ({@link identityOf}), required where they don't tell |
 * | googlechat:impersonateUser   | GOOGLECHAT_IMPERSONATE_USER        | a user a service account acts as (domain-wide delegation; keyless through IAM Credentials signJwt) |
 * | googlechat:impersonateServiceAccount | GOOGLECHAT_IMPERSONATE_SERVICE_ACCOUNT | a service account the credentials act as (IAM Credentials generateAccessToken), as pulumi-gcp's gcp:impersonateServiceAccount |
 * | googlechat:iamCredentialsEndpoint | GOOGLECHAT_IAM_CREDENTIALS_ENDPOINT | default https://iamcredentials.googleapis.com (as pulumi-gcp's iamCredentialsCustomEndpoint) |
 * | googlechat:useAdminAccess    | GOOGLECHAT_USE_ADMIN_ACCESS        | act with the user's Workspace administrator privileges |
 * | googlechat:apiEndpoint       | GOOGLECHAT_API_ENDPOINT            | default https://chat.googleapis.com/ |
 * | googlechat:tokenEndpoint     | GOOGLECHAT_TOKEN_ENDPOINT          | default Google's OAuth token endpoint |
 * | googlechat:selfSignedJwt     | GOOGLECHAT_SELF_SIGNED_JWT         | app auth without token requests |
 * | googlechat:retryDeadlineSeconds | GOOGLECHAT_RETRY_DEADLINE_SECONDS | how long one call may keep retrying; default 300 |
 * | googlechat:requestTimeoutSeconds | GOOGLECHAT_REQUEST_TIMEOUT_SECONDS | one request's longest wait for an answer, token requests included; default 60 |
 * | googlechat:spaceWritesPerMinute, spaceCreatesPerMinute, spaceReadsPerMinute, perSpaceWritesPerSecond, perSpaceReadsPerSecond | GOOGLECHAT_SPACE_WRITES_PER_MINUTE, ... | the quotas the rate limiter keeps to (0: none); defaults are Google's published ones |
 * | googlechat:membershipWritesPerMinute, membershipReadsPerMinute | GOOGLECHAT_MEMBERSHIP_WRITES_PER_MINUTE, GOOGLECHAT_MEMBERSHIP_READS_PER_MINUTE | the membership quotas (300 and 3000 a minute per project), apart from the spaces' |
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GOOGLE_RATE_LIMITS, type RateLimits } from "./rate-limiter";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry";

export const GOOGLE_CHAT_ENDPOINT = "https://chat.googleapis.com/";

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
  auth: "app" | "user";
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

export type ConfigSource = (key: string) => string | undefined;

export function resolveSettings(config: ConfigSource, env: Record<string, string | undefined>): ProviderSettings {
  const value = (key: string, envName: string) => config(`googlechat:${key}`) ?? env[envName];
  const flag = (key: string, envName: string) => {
    const raw = value(key, envName);
    if (raw === undefined || raw === "") return false;
    if (raw === "true" || raw === "false") return raw === "true";
    throw new Error(`googlechat:${key} must be true or false, not "${raw}".`);
  };

  const { credentials, source: credentialsSource } = readCredentials(config("googlechat:credentials"), env);
  const impersonateUser = value("impersonateUser", "GOOGLECHAT_IMPERSONATE_USER") || undefined;
  const impersonateServiceAccount = value("impersonateServiceAccount", "GOOGLECHAT_IMPERSONATE_SERVICE_ACCOUNT") || undefined;
  const explicitAuth = value("auth", "GOOGLECHAT_AUTH") || undefined;
  if (explicitAuth !== undefined && explicitAuth !== "app" && explicitAuth !== "user") {
    throw new Error(`googlechat:auth must be app or user, not "${explicitAuth}".`);
  }
  const auth = chooseAuth(identityOf(credentials, impersonateServiceAccount), explicitAuth, impersonateUser);

  const number = (key: string, fallback: number, { allowZero = false } = {}) => {
    const raw = config(`googlechat:${key}`) ?? env[`GOOGLECHAT_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0 || (n === 0 && !allowZero)) {
      throw new Error(`googlechat:${key} must be a ${allowZero ? "non-negative" : "positive"} number, not "${raw}".`);
    }
    return n;
  };
  const rateLimits = Object.fromEntries(
    Object.entries(GOOGLE_RATE_LIMITS).map(([key, fallback]) => [key, number(key, fallback, { allowZero: true })]),
  ) as unknown as RateLimits;

  const apiEndpoint = value("apiEndpoint", "GOOGLECHAT_API_ENDPOINT") || GOOGLE_CHAT_ENDPOINT;
  return {
    apiEndpoint: apiEndpoint.endsWith("/") ? apiEndpoint : `${apiEndpoint}/`,
    tokenEndpoint: value("tokenEndpoint", "GOOGLECHAT_TOKEN_ENDPOINT") || undefined,
    credentials,
    credentialsSource,
    auth,
    impersonateUser,
    impersonateServiceAccount,
    iamCredentialsEndpoint: value("iamCredentialsEndpoint", "GOOGLECHAT_IAM_CREDENTIALS_ENDPOINT")?.replace(/\/+$/, "") || undefined,
    useAdminAccess: flag("useAdminAccess", "GOOGLECHAT_USE_ADMIN_ACCESS"),
    selfSignedJwt: flag("selfSignedJwt", "GOOGLECHAT_SELF_SIGNED_JWT"),
    retry: { ...DEFAULT_RETRY, deadlineMs: number("retryDeadlineSeconds", DEFAULT_RETRY.deadlineMs / 1000) * 1000 },
    requestTimeoutMs: number("requestTimeoutSeconds", 60) * 1000,
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
  if (impersonateServiceAccount) return { kind: "serviceAccount", describe: `the service account ${impersonateServiceAccount} (googlechat:impersonateServiceAccount)` };
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
function chooseAuth(identity: CredentialIdentity, explicit: "app" | "user" | undefined, impersonateUser: string | undefined): "app" | "user" {
  if (impersonateUser) {
    if (explicit === "app") throw new Error("googlechat:auth app can't go with googlechat:impersonateUser (acting as a user is user auth): remove one.");
    if (identity.kind === "user") {
      throw new Error(`googlechat:impersonateUser needs a service account (domain-wide delegation), but the provider has ${identity.describe}: use a service account key, googlechat:impersonateServiceAccount, or keyless credentials that act as a service account.`);
    }
    if (identity.kind === "unknown") {
      throw new Error(`googlechat:impersonateUser needs a service account (domain-wide delegation), and ${identity.describe} don't say which one: set googlechat:impersonateServiceAccount to the service account that signs the delegation.`);
    }
    return "user";
  }
  if (explicit === "app" && identity.kind === "user") {
    throw new Error(`googlechat:auth app needs a service account (the Chat app), but the provider has ${identity.describe}: use the app's service account, or googlechat:impersonateServiceAccount.`);
  }
  if (explicit === "user" && identity.kind === "serviceAccount") {
    throw new Error(`googlechat:auth user with ${identity.describe} needs googlechat:impersonateUser (the user the service account acts as, through domain-wide delegation).`);
  }
  if (explicit) return explicit;
  if (identity.kind === "unknown") {
    throw new Error(`The provider can't tell whether ${identity.describe} act as the Chat app or as a user: set googlechat:auth (GOOGLECHAT_AUTH) to app or user.`);
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
  const gcloudDir = env.CLOUDSDK_CONFIG || (process.platform === "win32" ? env.APPDATA && join(env.APPDATA, "gcloud") : env.HOME && join(env.HOME, ".config", "gcloud"));
  const wellKnown = gcloudDir ? join(gcloudDir, "application_default_credentials.json") : undefined;
  if (wellKnown && existsSync(wellKnown)) return read(readCredentialFile(wellKnown, `gcloud's ADC file (${wellKnown})`), `gcloud's ADC file (${wellKnown})`);
  return { source: "the metadata server (no credentials file was found)" };
}

function readCredentialFile(file: string, source: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`${source} can't be read: ${(error as NodeJS.ErrnoException).code ?? "error"}.`);
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
    throw new Error(`${source} is not credential JSON (an object with a "type"): give the JSON of a key, of gcloud's ADC file, or of a workload identity federation configuration.`);
  }
  return parsed as Record<string, unknown>;
}
