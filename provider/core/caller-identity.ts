/**
 * Who the calling user is: the member a roster or a membership never removes or demotes.
 * - Domain-wide delegation: googlechat:impersonateUser, known without a request.
 * - App authentication: no user; the caller is the Chat app, and there is nothing to learn.
 * - A user's own credentials (`authorized_user` from `gcloud auth application-default login`,
 *   `external_account_authorized_user`, or any credentials configured as googlechat:auth user):
 *   the email Google's tokeninfo answers for the access token the provider's client holds.
 *   Google answers it only for a token with the email scope (`userinfo.email`, or its OpenID
 *   alias `email`); without it the caller can't be told, and {@link CallerUnknown} says which
 *   scope to add and the gcloud line that adds it.
 *
 * tokeninfo rather than OpenID's userinfo: it needs the email scope alone (userinfo also needs
 * `openid`), and google-auth-library asks it itself (`OAuth2Client.getTokenInfo`, a POST with the
 * token as bearer, never in a URL), at the client's `endpoints.tokenInfoUrl`, which google-auth.ts
 * sets beside the token endpoint ({@link tokenInfoUrlOf}).
 *
 * Learnt once per process and credentials: every provider of the process configured with the
 * same credentials and token endpoint shares the answer, and concurrent askers share one
 * request. The missing scope is an answer too, kept like an email: the credentials won't gain a
 * scope during the run. A failed request is not kept: the next asker tries again. Each try gets
 * the access token (a token request only when the client holds none that is fresh), then asks
 * tokeninfo, both as every token request of the provider: sent once, waiting at most
 * googlechat:requestTimeoutSeconds, retried (429, 5xx, no answer) with the provider's policy and
 * clock (retry.ts), each failure worded by the service that failed (errors.ts).
 */
import { createHash } from "node:crypto";
import type { OAuth2Client } from "google-auth-library";
import type { ChatApiDeps, Target } from "./chat-api";
import { type ChatCall, retryNotice, tokenRequestFailure } from "./errors";
import { tokenInfoUrlOf } from "./google-auth";
import { withRetries } from "./retry";
import { identityOf, type ProviderSettings } from "./settings";

/** The scope whose access token tokeninfo answers with the account's email. */
export const EMAIL_SCOPE = "https://www.googleapis.com/auth/userinfo.email";

/**
 * What `gcloud auth application-default login` asks for without `--scopes` (its `--help`), Cloud
 * SQL's scope aside: `--scopes` replaces them, so a sign-in for Chat scopes names them again.
 */
export const GCLOUD_ADC_SCOPES = ["openid", EMAIL_SCOPE, "https://www.googleapis.com/auth/cloud-platform"];

/** How a failed introspection is named in messages and log lines (the method of Google's OAuth2 API). */
const TOKENINFO_CALL: ChatCall = { method: "oauth2.tokeninfo" };

/** What {@link callerEmail} needs of the provider. */
export interface CallerIdentityContext {
  /** The provider's settings: the kind of caller, the credentials, the token endpoint, the retry policy and timeout. */
  readonly settings: ProviderSettings;
  /**
   * The provider's auth client of the credentials (google-auth.ts createAuthClient), and the
   * full scope URL it was made for (named if its token request fails). Called only when a request
   * is needed.
   */
  readonly client: () => { auth: OAuth2Client; scope: string };
  /** The provider's clock, sleep, randomness and log, for the retries. */
  readonly deps: ChatApiDeps;
  /** The resource that asks: retry log lines name it and are attached to it. */
  readonly target?: Target;
}

/**
 * The credentials' access token carries no email: the calling user can't be told. Its message
 * names the scope to add and the gcloud line that signs in with it.
 */
export class CallerUnknown extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CallerUnknown";
  }
}

/** What one process learnt of its users' own credentials, each by {@link cacheKey}. */
interface Learnt {
  /** Each credentials' email: the answer, or its refusal, once asked. */
  readonly asked: Map<string, Promise<string>>;
  /** The emails of {@link asked} Google has answered: what is known without waiting. */
  readonly answered: Map<string, string>;
}

/**
 * By the process's deps (provider/index.ts builds one for every provider of the process; a test,
 * one per simulated process): another process asks again, as the engine's next process does.
 */
const processes = new WeakMap<ChatApiDeps, Learnt>();

function learntIn(deps: ChatApiDeps): Learnt {
  let learnt = processes.get(deps);
  if (!learnt) {
    learnt = { asked: new Map(), answered: new Map() };
    processes.set(deps, learnt);
  }
  return learnt;
}

/**
 * The calling user's email as the settings name it: googlechat:impersonateUser; null with app
 * authentication (the caller is the Chat app); undefined for a user's own credentials, which name
 * their owner only when Google is asked.
 */
export function configuredCallerEmail(settings: ProviderSettings): string | null | undefined {
  if (settings.impersonateUser) return settings.impersonateUser;
  return settings.auth === "app" ? null : undefined;
}

/**
 * The calling user's email as known now, without a request: {@link configuredCallerEmail}, or the
 * email tokeninfo already answered for a user's own credentials in this process (undefined while
 * they have not been asked). Lower-cased.
 */
export function knownCallerEmail(settings: ProviderSettings, deps: ChatApiDeps): string | null | undefined {
  const configured = configuredCallerEmail(settings);
  if (configured !== undefined) return configured;
  return learntIn(deps).answered.get(cacheKey(settings))?.toLowerCase();
}

/**
 * The calling user's email: googlechat:impersonateUser with domain-wide delegation (no request);
 * undefined with app authentication (the caller is the Chat app); with a user's own credentials,
 * the email tokeninfo answers for their access token, learnt once per process and credentials.
 * Rejects with a ChatApiError when the token request or tokeninfo failed past the retries, and
 * with {@link CallerUnknown} when the token lacks the email scope.
 */
export function callerEmail(context: CallerIdentityContext): Promise<string | undefined> {
  const { settings } = context;
  if (settings.impersonateUser) return Promise.resolve(settings.impersonateUser);
  if (settings.auth === "app") return Promise.resolve(undefined);
  const key = cacheKey(settings);
  const { asked, answered } = learntIn(context.deps);
  let email = asked.get(key);
  if (!email) {
    email = introspect(context);
    asked.set(key, email);
    email.then(
      (answer) => void answered.set(key, answer),
      (error) => {
        if (!(error instanceof CallerUnknown)) asked.delete(key);
      },
    );
  }
  return email;
}

/**
 * Who the credentials are, as a key that holds none of them: a digest of the credential JSON and
 * the tokeninfo URL (another token endpoint is another Google, such as another emulator).
 */
function cacheKey(settings: ProviderSettings): string {
  return createHash("sha256")
    .update(JSON.stringify([settings.credentials ?? null, tokenInfoUrlOf(settings)]))
    .digest("hex");
}

/** Asks tokeninfo for the email of the client's access token, with the provider's retries. */
async function introspect({ settings, client, deps, target }: CallerIdentityContext): Promise<string> {
  const { auth, scope } = client();
  const info = await withRetries(
    async () => {
      try {
        const { token } = await auth.getAccessToken();
        if (!token) throw new Error("The credentials gave no access token.");
        return await auth.getTokenInfo(token);
      } catch (error) {
        throw tokenRequestFailure(settings, TOKENINFO_CALL, error, scope);
      }
    },
    settings.retry,
    { ...deps, onRetry: (error, delayMs, retry) => deps.log(retryNotice(target, TOKENINFO_CALL, error, delayMs, retry), target?.urn) },
  );
  if (!info.email) throw missingEmailScope(settings, info.scopes ?? []);
  return info.email;
}

/** The refusal for credentials whose token has no email: the scope to add, and how, keeping the token's other scopes. */
function missingEmailScope(settings: ProviderSettings, tokenScopes: readonly string[]): CallerUnknown {
  const scopes = [...new Set([...GCLOUD_ADC_SCOPES, ...tokenScopes.filter((s) => s !== "email")])].join(",");
  const type = settings.credentials?.type;
  const remedy =
    type === "authorized_user"
      ? "Sign in again adding that scope to yours: " +
        `gcloud auth application-default login --client-id-file=client_secret.json --scopes=${scopes} (client_secret.json: ` +
        "your desktop OAuth client's)"
      : type === "external_account_authorized_user"
        ? `Sign in again adding that scope to yours: gcloud auth application-default login --login-config=LOGIN_CONFIG_FILE --scopes=${scopes}`
        : `Use credentials whose access token carries it (scopes ${scopes})`;
  return new CallerUnknown(
    "The calling user can't be told: " +
      `with ${identityOf(settings.credentials).describe} the provider learns the caller's email from Google's tokeninfo (${tokenInfoUrlOf(settings)}), ` +
      `which answers it only for an access token with the scope ${EMAIL_SCOPE}, and these credentials were signed in without it. ` +
      `The provider must know the caller, whom it never removes or demotes. ${remedy}; ` +
      "or act as the user through domain-wide delegation (googlechat:impersonateUser).",
  );
}
