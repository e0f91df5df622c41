/**
 * Asking for tokens the way the provider's clients do (google-auth.ts createAuthClient, one client
 * per scope: chat-api.ts authSettingsOf), without any Chat call: one token request per scope, as
 * GAM's `check serviceaccount` does; and for a user's own credentials, one token and what Google's
 * tokeninfo says it holds.
 */
import { authSettingsOf } from "../../provider/core/chat-api";
import { ChatApiError, type ChatCall, tokenRequestFailure } from "../../provider/core/errors";
import { DelegationRefused, createAuthClient } from "../../provider/core/google-auth";
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

/** The access token for `scope`, from a client built as the provider builds it; rejects with the provider's wording of a refusal. */
export async function tokenFor(settings: ProviderSettings, scope: string): Promise<{ token: string; client: ReturnType<typeof createAuthClient> }> {
  const client = createAuthClient(authSettingsOf(settings, scope));
  try {
    const { token } = await client.getAccessToken();
    if (!token) throw new Error("The credentials gave no access token.");
    return { token, client };
  } catch (error) {
    throw tokenRequestFailure(settings, TOKEN_CALL, error, scope);
  }
}

/** A refusal of the scope asked for, not of the credentials: the Admin console did not authorise it for domain-wide delegation, or the user did not consent to it. */
export function isScopeRefusal(error: unknown): boolean {
  if (error instanceof DelegationRefused) return true;
  return error instanceof ChatApiError && error.tokenRequest && (error.tokenService ?? "oauth") === "oauth" && ["unauthorized_client", "invalid_scope"].includes(error.googleStatus ?? "");
}

/** One token request per scope, in order; after a refusal that is no scope's, the rest would fail alike and are not asked. */
export async function probeScopes(settings: ProviderSettings, scopes: readonly string[], progress: (scope: string) => void): Promise<ScopeProbe> {
  const granted = new Set<string>();
  const refused = new Map<string, unknown>();
  for (const scope of scopes) {
    progress(scope);
    try {
      await tokenFor(settings, scope);
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
export async function userTokenInfo(settings: ProviderSettings, scope: string): Promise<{ scopes: string[]; email?: string }> {
  const { token, client } = await tokenFor(settings, scope);
  try {
    const info = await client.getTokenInfo(token);
    return { scopes: info.scopes ?? [], email: info.email };
  } catch (error) {
    throw tokenRequestFailure(settings, { method: "oauth2.tokeninfo" }, error, scope);
  }
}
