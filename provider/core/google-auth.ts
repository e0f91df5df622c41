/**
 * Where auth is chosen: one auth client for the provider's calls, from credentials given as
 * JSON or found through Application Default Credentials, with the scopes asked for.
 *
 * Credential JSON is turned into a client by the constructor of its own type, as
 * google-auth-library asks (accepting any JSON `type` is the risk its `credentials` option
 * is deprecated for): `service_account` and `authorized_user` only.
 *
 * The token endpoint is configurable because google-auth-library ignores a key file's
 * `token_uri` and posts service-account assertions to a hard-coded
 * `https://oauth2.googleapis.com/token` (gtoken/getToken.js); routing that URL through the
 * transporter serves a private token endpoint, and the emulator, with the stock clients.
 *
 * Every request of the auth client goes through that transporter, with a timeout (a hung token
 * endpoint must not hang `pulumi up`), and token requests are not retried by the client:
 * the provider retries them with its own policy, clock and messages (chat-api.ts).
 */
import { Gaxios } from "gaxios";
import { GoogleAuth, JWT, type OAuth2Client, UserRefreshClient } from "google-auth-library";

const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";

export interface AuthSettings {
  /** Parsed `service_account` or `authorized_user` JSON; absent means Application Default Credentials. */
  credentials?: Record<string, unknown>;
  /** Full scope URLs. A service account without scopes sends no Authorization header at all. */
  scopes: string[];
  /** A user to impersonate through domain-wide delegation (service accounts only). */
  subject?: string;
  /** Replaces Google's OAuth token endpoint. */
  tokenEndpoint?: string;
  /** Sign JWTs locally instead of exchanging them for access tokens (service accounts without `subject`). */
  selfSignedJwt?: boolean;
  /** The longest wait for an answer to any request the client sends, token requests included. @default 60000 */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** The token URL a client's token requests go to: `tokenEndpoint`, or Google's. */
export const tokenUrlOf = (settings: Pick<AuthSettings, "tokenEndpoint">) => settings.tokenEndpoint ?? GOOGLE_TOKEN_URL;

/**
 * The auth client's transporter: every request gets the timeout; Google's token requests go to
 * `tokenEndpoint` when set, and are tried once (gtoken and OAuth2Client ask gaxios to retry
 * them with real-time sleeps of their own).
 */
export function authTransporter(settings: Pick<AuthSettings, "tokenEndpoint" | "timeoutMs">): Gaxios {
  // The timeout is a default, merged before interceptors run: gaxios turns it into an abort signal then.
  const transporter = new Gaxios({ timeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  transporter.interceptors.request.add({
    resolved: async (options) => {
      if (String(options.url) === GOOGLE_TOKEN_URL) {
        if (settings.tokenEndpoint) options.url = new URL(settings.tokenEndpoint);
        options.retry = false;
        delete options.retryConfig;
      }
      return options;
    },
  });
  return transporter;
}

export function createAuthClient(settings: AuthSettings): OAuth2Client | GoogleAuth {
  const transporter = authTransporter(settings);
  const json = settings.credentials;
  if (!json) {
    const auth = new GoogleAuth({ scopes: settings.scopes, clientOptions: { subject: settings.subject, transporter } });
    auth.useJWTAccessWithScope = settings.selfSignedJwt;
    return auth;
  }
  if (json.type === "service_account") {
    const client = new JWT({
      email: requiredString(json, "client_email"),
      key: requiredString(json, "private_key"),
      keyId: typeof json.private_key_id === "string" ? json.private_key_id : undefined,
      scopes: settings.scopes,
      subject: settings.subject,
      transporter,
    });
    client.useJWTAccessWithScope = settings.selfSignedJwt;
    return client;
  }
  if (json.type === "authorized_user") {
    if (settings.subject) throw new Error("A user to impersonate needs service account credentials, not authorized_user.");
    return new UserRefreshClient({
      clientId: requiredString(json, "client_id"),
      clientSecret: requiredString(json, "client_secret"),
      refreshToken: requiredString(json, "refresh_token"),
      transporter,
    });
  }
  throw new Error(
    `Unsupported credentials type ${JSON.stringify(json.type)}: use a service_account key or authorized_user credentials.`,
  );
}

function requiredString(json: Record<string, unknown>, field: string): string {
  const value = json[field];
  if (typeof value !== "string" || value === "") {
    throw new Error(`The ${String(json.type)} credentials have no "${field}".`);
  }
  return value;
}
