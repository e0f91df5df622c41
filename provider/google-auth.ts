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
}

/** A transporter that sends Google's token requests to `tokenEndpoint`, everything else unchanged. */
export function tokenEndpointTransporter(tokenEndpoint: string): Gaxios {
  const transporter = new Gaxios();
  transporter.interceptors.request.add({
    resolved: async (options) => {
      if (String(options.url) === GOOGLE_TOKEN_URL) options.url = new URL(tokenEndpoint);
      return options;
    },
  });
  return transporter;
}

export function createAuthClient(settings: AuthSettings): OAuth2Client | GoogleAuth {
  const transporter = settings.tokenEndpoint ? tokenEndpointTransporter(settings.tokenEndpoint) : undefined;
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
