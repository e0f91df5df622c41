/**
 * Asking for tokens with the provider's own clients (chat-api.ts, one auth client per scope),
 * without any Chat call: one token request per scope, as GAM's `check serviceaccount` does; and
 * for a user's own credentials, one token and what Google's tokeninfo says it holds. The clients
 * keep their tokens, so the doctor's later reads send no second token request for a scope.
 */
import type { ChatSpacesApi } from "../../provider/core/chat-api";
import { ChatApiError, type ChatCall, tokenRequestFailure } from "../../provider/core/errors";
import { DelegationRefused } from "../../provider/core/google-auth";
import type { ProviderSettings } from "../../provider/core/settings";

const TOKEN_CALL: ChatCall = { method: "oauth2.token" };

/** What the token requests for each scope came to. */
export interface ScopeProbe {
  /** Scopes a token was had for. */
  readonly granted: ReadonlySet<string>;
  /** Scopes refused for themselves (domain-wide delegation not authorised for them), with the refusal. */
  readonly refused: ReadonlyMap<string, unknown>;
  /** A refusal that is no scope's (a hop of the chain, the credentials themselves): the scopes after it were not asked. */
  readonly chainError?: unknown;
}

/** The access token for `scope` from the provider's client of that scope; rejects with the provider's wording of a refusal. */
export async function tokenFor(settings: ProviderSettings, api: ChatSpacesApi, scope: string): Promise<string> {
  try {
    const { token } = await api.authClient(scope).getAccessToken();
    if (!token) throw new Error("The credentials gave no access token.");
    return token;
  } catch (error) {
    throw tokenRequestFailure(settings, TOKEN_CALL, error, scope);
  }
}

/**
 * A refusal of the scope asked for, not of the credentials: the Admin console did not authorise it for
 * domain-wide delegation, or the user did not consent to it.
 */
export function isScopeRefusal(error: unknown): boolean {
  if (error instanceof DelegationRefused) return true;
  return (
    error instanceof ChatApiError &&
    error.tokenRequest &&
    (error.tokenService ?? "oauth") === "oauth" &&
    ["unauthorized_client", "invalid_scope"].includes(error.googleStatus ?? "")
  );
}

/** One token request per scope, in order; after a refusal that is no scope's, the rest would fail alike and are not asked. */
export async function probeScopes(
  settings: ProviderSettings,
  api: ChatSpacesApi,
  scopes: readonly string[],
  progress: (scope: string) => void,
): Promise<ScopeProbe> {
  const granted = new Set<string>();
  const refused = new Map<string, unknown>();
  for (const scope of scopes) {
    progress(scope);
    try {
      await tokenFor(settings, api, scope);
      granted.add(scope);
    } catch (error) {
      if (!isScopeRefusal(error)) return { granted, refused, chainError: error };
      refused.set(scope, error);
    }
  }
  return { granted, refused };
}

/**
 * What a user's own credentials hold: one token (a refresh asks for no scope, so it carries every
 * scope the user consented to) and tokeninfo's answer for it (google-auth-library's getTokenInfo).
 */
export async function userTokenInfo(settings: ProviderSettings, api: ChatSpacesApi, scope: string): Promise<{ scopes: string[]; email?: string }> {
  const token = await tokenFor(settings, api, scope);
  try {
    const info = await api.authClient(scope).getTokenInfo(token);
    return { scopes: info.scopes ?? [], email: info.email };
  } catch (error) {
    throw tokenRequestFailure(settings, { method: "oauth2.tokeninfo" }, error, scope);
  }
}
