/**
 * The 401 and 403 answers Google's front end gives for missing, bad or under-scoped
 * credentials (chat-api-behaviour.md §3.4), headers included.
 */
import { ApiError, errorInfo } from "./errors";
import type { Caller } from "./model";
import { type ChatMethod, RPC_NAME, acceptedScopes } from "./scopes";

const REALM = 'Bearer realm="https://accounts.google.com/"';
const HELP = "See https://developers.google.com/identity/sign-in/web/devconsole-project.";

export function missingCredentials(): ApiError {
  return new ApiError(
    "UNAUTHENTICATED",
    `Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. ${HELP}`,
    [errorInfo("CREDENTIALS_MISSING", "googleapis.com", { service: "chat.googleapis.com" })],
    { "WWW-Authenticate": REALM },
  );
}

export function invalidCredentials(): ApiError {
  return new ApiError(
    "UNAUTHENTICATED",
    `Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. ${HELP}`,
    [errorInfo("ACCESS_TOKEN_TYPE_UNSUPPORTED", "googleapis.com", { service: "chat.googleapis.com" })],
    { "WWW-Authenticate": `${REALM}, error="invalid_token"` },
  );
}

export function insufficientScope(method: ChatMethod, caller: Pick<Caller, "principal" | "adminAccess">): ApiError {
  const scopes = acceptedScopes(method, caller.principal.kind, caller.adminAccess);
  return new ApiError(
    "PERMISSION_DENIED",
    "Request had insufficient authentication scopes.",
    [
      errorInfo("ACCESS_TOKEN_SCOPE_INSUFFICIENT", "googleapis.com", {
        service: "chat.googleapis.com",
        method: `google.chat.v1.ChatService.${RPC_NAME[method]}`,
      }),
    ],
    { "WWW-Authenticate": `${REALM}, error="insufficient_scope", scope="${scopes.join(" ")}"` },
  );
}
