/**
 * The 401 and 403 answers Google's front end gives for missing, bad or under-scoped
 * credentials (docs/google-chat-api.md, "How the Google clients authenticate"), headers included.
 */
import { ApiError, errorInfo } from "../errors";
import type { Caller } from "../model";
import { acceptedScopes, type ChatMethod, RPC_NAME } from "./scopes";

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

/**
 * The Chat API is not enabled in the caller's Cloud project: Google's 403 with an ErrorInfo of
 * reason SERVICE_DISABLED whose metadata names the project (`consumer`) and the page that enables
 * it (`activationUrl`), and a Help link to that page (docs/google-errors.md).
 */
export function serviceDisabled(project: string): ApiError {
  const activationUrl = `https://console.developers.google.com/apis/api/chat.googleapis.com/overview?project=${project}`;
  return new ApiError(
    "PERMISSION_DENIED",
    `Google Chat API has not been used in project ${project} before or it is disabled. Enable it by visiting ${activationUrl} then retry. ` +
      "If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.",
    [
      errorInfo("SERVICE_DISABLED", "googleapis.com", {
        service: "chat.googleapis.com",
        consumer: `projects/${project}`,
        serviceTitle: "Google Chat API",
        containerInfo: project,
        activationUrl,
      }),
      { "@type": "type.googleapis.com/google.rpc.Help", links: [{ description: "Google developers console API activation", url: activationUrl }] },
    ],
  );
}

/**
 * The Chat API is enabled but the project's Chat app was never configured (the API's
 * Configuration page in the Cloud console): Google answers 404 NOT_FOUND (docs/google-errors.md).
 */
export function chatAppNotConfigured(): ApiError {
  return new ApiError(
    "NOT_FOUND",
    "Google Chat app not found. To create a Chat app, you must turn on the Chat API and configure the app in the Google Cloud console.",
  );
}
