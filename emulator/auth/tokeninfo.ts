/**
 * Google's token introspection, `https://oauth2.googleapis.com/tokeninfo`, on the same origin as
 * the token endpoint (`/tokeninfo` beside `/token`), for the access tokens the emulator issued.
 *
 * The token comes as Google takes it: `access_token` in the query (GET) or in a form body (POST),
 * or as the bearer of a POST with no body, which is how google-auth-library 11 asks
 * (oauth2client.js getTokenInfo: POST, `authorization: Bearer …`, so that no token sits in a URL).
 *
 * A valid token answers the fields Google answers for an access token (google-auth-library's
 * `TokenInfo`, oauth2client.d.ts, documents each): `azp` and `aud` (the OAuth client), `sub` (the
 * account's id), `scope` (space-separated), `exp` and `expires_in` (seconds), `email` and
 * `email_verified` only when the token's scopes include `https://www.googleapis.com/auth/userinfo.email`
 * or its OpenID alias `email`, and `access_type` (`offline` for a token refreshed from a user's
 * refresh token, else `online`). Google writes every value as a JSON string, numbers and the
 * boolean included. An unknown or expired token answers 400 `invalid_token` "Invalid Value"; no
 * token at all, 400 `invalid_request`.
 */
import type { AccessTokenRecord, EmulatorState } from "../model";
import { principalKey } from "../model";

export const TOKENINFO_PATH = "/tokeninfo";

/** The scopes whose token tokeninfo answers with the account's email: the full URL and the OpenID alias. */
export const EMAIL_SCOPES = ["https://www.googleapis.com/auth/userinfo.email", "email"];

/** Where the token to introspect may be: the query, the form body, the `Authorization` header. */
export interface TokenInfoRequest {
  query: URLSearchParams;
  form: URLSearchParams;
  authorization?: string;
}

export interface TokenInfoAnswer {
  status: number;
  body: Record<string, string>;
  /** Whose token it is (`user:<id>`, `app:<email>`), for the request log; absent for a token that is not valid. */
  principal?: string;
}

const refusal = (error: string, description: string): TokenInfoAnswer => ({ status: 400, body: { error, error_description: description } });

/** Answers tokeninfo for the token the request carries, as of `now` (ms). */
export function tokenInfo(state: EmulatorState, now: number, request: TokenInfoRequest): TokenInfoAnswer {
  const token = request.query.get("access_token") ?? request.form.get("access_token") ?? /^Bearer\s+(\S+)$/i.exec(request.authorization ?? "")?.[1];
  if (!token) return refusal("invalid_request", "Either access_token, id_token, or token_handle required");
  const record = state.accessTokens[token];
  if (!record || record.expiresAt <= now) return refusal("invalid_token", "Invalid Value");
  const { principal, scopes } = record;
  const clientId = clientIdOf(state, record);
  const body: Record<string, string> = {
    azp: clientId,
    aud: clientId,
    sub: principal.kind === "user" ? principal.user.id : clientId,
    scope: scopes.join(" "),
    exp: String(Math.floor(record.expiresAt / 1000)),
    expires_in: String(Math.floor((record.expiresAt - now) / 1000)),
  };
  if (scopes.some((s) => EMAIL_SCOPES.includes(s))) {
    body.email = principal.kind === "user" ? principal.user.email : principal.email;
    body.email_verified = "true";
  }
  body.access_type = principal.kind === "user" && !principal.delegated ? "offline" : "online";
  return { status: 200, body, principal: principalKey(principal) };
}

/**
 * The OAuth client a token was issued to: the one recorded at issue (a user's OAuth client, or
 * the service account that signed), else the service account's own client id (tokens of the
 * metadata server and IAM Credentials).
 */
function clientIdOf(state: EmulatorState, record: AccessTokenRecord): string {
  if (record.clientId) return record.clientId;
  return record.principal.kind === "app" ? (state.serviceAccounts[record.principal.email]?.clientId ?? "") : "";
}

/** The request's query as the request log keeps it: an `access_token` in it is a secret, and is not kept. */
export function loggedQuery(query: URLSearchParams): Record<string, string> {
  const logged = Object.fromEntries(query);
  if ("access_token" in logged) logged.access_token = "[redacted]";
  return logged;
}
