/**
 * The provider's settings, built in one place from the stack config (`googlechat:` namespace)
 * and the environment, over documented defaults. Nothing else in the provider reads
 * `process.env`. Credentials stay in this object, in memory: never in an input, an output or
 * the serialized provider.
 *
 * | config key                   | environment                        | meaning |
 * |------------------------------|------------------------------------|---------|
 * | googlechat:credentials       | GOOGLE_APPLICATION_CREDENTIALS (a file) | service_account or authorized_user JSON; neither: Application Default Credentials |
 * | googlechat:auth              | GOOGLECHAT_AUTH                    | `app` or `user`; default from the credentials |
 * | googlechat:impersonateUser   | GOOGLECHAT_IMPERSONATE_USER        | a user a service account acts as (domain-wide delegation) |
 * | googlechat:useAdminAccess    | GOOGLECHAT_USE_ADMIN_ACCESS        | act with the user's Workspace administrator privileges |
 * | googlechat:apiEndpoint       | GOOGLECHAT_API_ENDPOINT            | default https://chat.googleapis.com/ |
 * | googlechat:tokenEndpoint     | GOOGLECHAT_TOKEN_ENDPOINT          | default Google's OAuth token endpoint |
 * | googlechat:selfSignedJwt     | GOOGLECHAT_SELF_SIGNED_JWT         | app auth without token requests |
 * | googlechat:retryDeadlineSeconds | GOOGLECHAT_RETRY_DEADLINE_SECONDS | how long one call may keep retrying; default 300 |
 * | googlechat:requestTimeoutSeconds | GOOGLECHAT_REQUEST_TIMEOUT_SECONDS | one request's longest wait for an answer, token requests included; default 60 |
 * | googlechat:spaceWritesPerMinute, spaceCreatesPerMinute, spaceReadsPerMinute, perSpaceWritesPerSecond, perSpaceReadsPerSecond | GOOGLECHAT_SPACE_WRITES_PER_MINUTE, ... | the quotas the rate limiter keeps to (0: none); defaults are Google's published ones |
 * | googlechat:membershipWritesPerMinute, membershipReadsPerMinute | GOOGLECHAT_MEMBERSHIP_WRITES_PER_MINUTE, GOOGLECHAT_MEMBERSHIP_READS_PER_MINUTE | the membership quotas (300 and 3000 a minute per project), apart from the spaces' |
 */
import { readFileSync } from "node:fs";
import { GOOGLE_RATE_LIMITS, type RateLimits } from "./rate-limiter";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry";

export const GOOGLE_CHAT_ENDPOINT = "https://chat.googleapis.com/";

export interface ProviderSettings {
  apiEndpoint: string;
  tokenEndpoint?: string;
  /** Parsed credential JSON; undefined means Application Default Credentials. */
  credentials?: Record<string, unknown>;
  auth: "app" | "user";
  impersonateUser?: string;
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

  const credentials = readCredentials(config("googlechat:credentials"), env.GOOGLE_APPLICATION_CREDENTIALS);
  const impersonateUser = value("impersonateUser", "GOOGLECHAT_IMPERSONATE_USER") || undefined;
  if (impersonateUser && credentials && credentials.type !== "service_account") {
    throw new Error("googlechat:impersonateUser needs service account credentials (domain-wide delegation), not authorized_user.");
  }
  const explicitAuth = value("auth", "GOOGLECHAT_AUTH");
  if (explicitAuth !== undefined && explicitAuth !== "app" && explicitAuth !== "user") {
    throw new Error(`googlechat:auth must be app or user, not "${explicitAuth}".`);
  }
  const auth = explicitAuth ?? (credentials?.type === "service_account" && !impersonateUser ? "app" : "user");
  if (auth === "app" && credentials && credentials.type !== "service_account") {
    throw new Error("googlechat:auth app needs service account credentials.");
  }

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
    auth,
    impersonateUser,
    useAdminAccess: flag("useAdminAccess", "GOOGLECHAT_USE_ADMIN_ACCESS"),
    selfSignedJwt: flag("selfSignedJwt", "GOOGLECHAT_SELF_SIGNED_JWT"),
    retry: { ...DEFAULT_RETRY, deadlineMs: number("retryDeadlineSeconds", DEFAULT_RETRY.deadlineMs / 1000) * 1000 },
    requestTimeoutMs: number("requestTimeoutSeconds", 60) * 1000,
    rateLimits,
  };
}

/** Config JSON wins over the file GOOGLE_APPLICATION_CREDENTIALS names; errors never quote the content. */
function readCredentials(configJson: string | undefined, file: string | undefined): Record<string, unknown> | undefined {
  let text: string | undefined;
  let source: string;
  if (configJson) {
    text = configJson;
    source = "googlechat:credentials";
  } else if (file) {
    source = `GOOGLE_APPLICATION_CREDENTIALS (${file})`;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new Error(`${source} can't be read: ${(error as NodeJS.ErrnoException).code ?? "error"}.`);
    }
  } else {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not valid JSON: give a service account key or authorized_user credentials.`);
  }
  const type = (parsed as { type?: unknown })?.type;
  if (type !== "service_account" && type !== "authorized_user") {
    throw new Error(`${source} has type ${JSON.stringify(type)}: give a service_account key or authorized_user credentials.`);
  }
  return parsed as Record<string, unknown>;
}
