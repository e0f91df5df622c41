/**
 * OAuth 2.0 as Google's token endpoint and API front end do it, for the credentials the
 * stock client libraries use (docs/google-chat-api.md, "How the Google clients authenticate"):
 * - `POST /token` with the JWT-bearer grant of a service account: no `sub` is the app itself,
 *   a `sub` is a user through domain-wide delegation;
 * - `POST /token` with the refresh-token grant of an `authorized_user`;
 * - self-signed JWTs (`useJWTAccessWithScope`) sent straight to the API as the bearer token.
 * A user's own credentials are consented for what `gcloud auth application-default login`
 * asks by default (openid, userinfo.email, cloud-platform) and the Chat scopes asked for; the
 * `usersWithoutEmailScope` setting withholds the email scope, as a sign-in with `--scopes` that
 * left it out. tokeninfo.ts introspects the tokens issued here.
 * A service account's JWT is signed either with its own key (a key file) or, without any key
 * file, by IAM Credentials `signJwt` with a key Google manages ({@link ManagedKeys}): the
 * header's `kid` says which, and both are accepted (keyless domain-wide delegation).
 * It also issues test credentials: key pairs are generated here, at run time.
 */
import { generateKeyPairSync, type KeyObject, randomBytes, randomInt } from "node:crypto";
import { type IamCaller, ManagedKeys } from "../keyless/iam-credentials";
import type { EmulatorState, Principal, ServiceAccountRecord } from "../model";
import { invalidCredentials, missingCredentials } from "./auth-errors";
import { type DecodedJwt, decodeJwt, signedBy } from "./jwt";
import { EMAIL_SCOPES, type TokenInfoAnswer, type TokenInfoRequest, tokenInfo } from "./tokeninfo";

const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/** google-auth-library signs this audience whatever endpoint it is pointed at (gtoken). */
const GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";
const TOKEN_LIFETIME_S = 3599;
const MAX_ASSERTION_LIFETIME_S = 3600;
const CLOCK_SKEW_S = 300;
/**
 * What `gcloud auth application-default login` asks for without `--scopes` (its `--help`:
 * openid, userinfo.email, cloud-platform and sqlservice.login), Cloud SQL's scope aside: who the
 * user is, and Google Cloud.
 */
export const GCLOUD_ADC_SCOPES = ["openid", "https://www.googleapis.com/auth/userinfo.email", "https://www.googleapis.com/auth/cloud-platform"];

/** The names the request log and fault rules give the OAuth endpoints: the token endpoint and tokeninfo. */
export type OAuthRpc = "oauth2.token" | "oauth2.tokeninfo";

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface Authenticated {
  principal: Principal;
  scopes: string[];
}

/** The JSON of a service account key file, as Google's console downloads it. */
export interface ServiceAccountKey {
  type: "service_account";
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  token_uri: string;
}

/** The JSON of `gcloud auth application-default login` credentials. */
export interface AuthorizedUserCredentials {
  type: "authorized_user";
  client_id: string;
  client_secret: string;
  refresh_token: string;
}

const oauthError = (status: number, error: string, description: string): TokenAnswer => ({
  status,
  body: { error, error_description: description },
});

/** A service account with no key file: it authenticates through IAM Credentials or the metadata server. */
export interface KeylessServiceAccount {
  email: string;
  /** The numeric unique ID: the OAuth 2 client ID domain-wide delegation is granted to. */
  uniqueId: string;
  project: string;
}

export class Authenticator {
  /** The keys IAM Credentials signs with for service accounts. */
  readonly managedKeys = new ManagedKeys();

  constructor(
    private readonly state: () => EmulatorState,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `POST /token`: the form Google's token endpoint takes, and its answers. A client may send
   * its id and secret in the form or as HTTP Basic `authorization` (RFC 6749 §2.3.1), as
   * `external_account_authorized_user` credentials do.
   */
  token(form: URLSearchParams, authorization?: string): TokenAnswer {
    const grant = form.get("grant_type");
    if (grant === JWT_BEARER) return this.jwtBearerGrant(form.get("assertion") ?? "");
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    if (basic && !form.has("client_id")) {
      const [id, secret] = Buffer.from(basic, "base64").toString().split(":").map(decodeURIComponent);
      form.set("client_id", id);
      form.set("client_secret", secret ?? "");
    }
    if (grant === "refresh_token") return this.refreshGrant(form);
    return oauthError(400, "unsupported_grant_type", `Invalid grant_type: ${grant ?? ""}`);
  }

  private jwtBearerGrant(assertion: string): TokenAnswer {
    const verified = this.verifyServiceAccountJwt(assertion);
    if (typeof verified === "string") return oauthError(400, "invalid_grant", verified);
    const { account, jwt } = verified;
    if (jwt.claims.aud !== GOOGLE_TOKEN_AUDIENCE) return oauthError(400, "invalid_grant", "Invalid JWT: Failed audience check.");
    const scopes = (jwt.claims.scope ?? "").split(" ").filter(Boolean);
    if (scopes.length === 0) {
      return oauthError(400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.");
    }
    if (!jwt.claims.sub) return this.issue({ kind: "app", email: account.email, project: account.project }, scopes, account.clientId);
    const { users, domainWideDelegation, delegatedScopes } = this.state().settings;
    const user = users.find((u) => u.email === jwt.claims.sub);
    // The Admin console authorises a client ID for a list of scopes; asking for one outside it is
    // refused as a whole, in the same words as no delegation at all (docs/google-errors.md).
    const authorised = delegatedScopes[account.clientId];
    if (!domainWideDelegation || !user || (authorised && scopes.some((s) => !authorised.includes(s)))) {
      return oauthError(
        401,
        "unauthorized_client",
        "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.",
      );
    }
    return this.issue({ kind: "user", user, project: account.project, delegated: true }, scopes, account.clientId);
  }

  private refreshGrant(form: URLSearchParams): TokenAnswer {
    const record = this.state().authorizedUsers[form.get("refresh_token") ?? ""];
    if (!record || record.clientId !== form.get("client_id") || record.clientSecret !== form.get("client_secret")) {
      return oauthError(400, "invalid_grant", "Token has been expired or revoked.");
    }
    const user = this.state().settings.users.find((u) => u.email === record.email);
    if (!user) return oauthError(400, "invalid_grant", "Token has been expired or revoked.");
    const consented = this.state().settings.usersWithoutEmailScope.includes(user.email)
      ? record.scopes.filter((s) => !EMAIL_SCOPES.includes(s))
      : record.scopes;
    const asked = (form.get("scope") ?? "").split(" ").filter(Boolean);
    if (asked.some((s) => !consented.includes(s))) {
      return oauthError(400, "invalid_scope", "Some requested scopes were invalid.");
    }
    const scopes = asked.length > 0 ? asked : consented;
    return this.issue({ kind: "user", user, project: record.project, delegated: false }, scopes, record.clientId);
  }

  /** A new access token of `principal` that the Chat routes accept; `clientId` is the OAuth client it is issued to, when known. */
  issueAccessToken(principal: Principal, scopes: string[], lifetimeS: number, clientId?: string): { token: string; expiresAt: number } {
    const token = `ya29.emu-${randomBytes(24).toString("base64url")}`;
    const expiresAt = this.now() + lifetimeS * 1000;
    this.state().accessTokens[token] = { principal, scopes, expiresAt, ...(clientId ? { clientId } : {}) };
    return { token, expiresAt };
  }

  /** tokeninfo's answer for the token `request` carries (tokeninfo.ts), on this clock. */
  tokenInfo(request: TokenInfoRequest): TokenInfoAnswer {
    return tokenInfo(this.state(), this.now(), request);
  }

  /** Who an access token of the emulator belongs to, as an IAM member (`serviceAccount:…` or `user:…`), while valid. */
  callerOf(token: string): IamCaller | undefined {
    const record = this.state().accessTokens[token];
    if (!record || record.expiresAt <= this.now()) return undefined;
    const { principal } = record;
    return { member: principal.kind === "app" ? `serviceAccount:${principal.email}` : `user:${principal.user.email}`, scopes: record.scopes };
  }

  private issue(principal: Principal, scopes: string[], clientId: string): TokenAnswer {
    const { token: accessToken } = this.issueAccessToken(principal, scopes, TOKEN_LIFETIME_S, clientId);
    // Without expires_in the client refreshes and replays on every 401/403 (oauth2client.js).
    return {
      status: 200,
      body: { access_token: accessToken, expires_in: TOKEN_LIFETIME_S, token_type: "Bearer", scope: scopes.join(" ") },
    };
  }

  /** The principal and scopes of an API request's `Authorization` header; throws Google's 401. */
  authenticate(authorization: string | undefined): Authenticated {
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    if (!bearer) throw missingCredentials();
    const record = this.state().accessTokens[bearer];
    if (record) {
      if (record.expiresAt <= this.now()) throw invalidCredentials();
      return { principal: record.principal, scopes: record.scopes };
    }
    // A self-signed JWT: iss = sub = the service account, scopes in the claim (jwtclient.js).
    const verified = this.verifyServiceAccountJwt(bearer);
    if (typeof verified === "string") throw invalidCredentials();
    const { account, jwt } = verified;
    const scopes = (jwt.claims.scope ?? "").split(" ").filter(Boolean);
    if (jwt.claims.sub !== jwt.claims.iss || scopes.length === 0) throw invalidCredentials();
    return { principal: { kind: "app", email: account.email, project: account.project }, scopes };
  }

  /**
   * Checks signature and lifetime against the account's key: the managed key the header's `kid`
   * names, or else the key of its key file (a keyless account has none). A string is the reason it fails.
   */
  private verifyServiceAccountJwt(token: string): { account: ServiceAccountRecord; jwt: DecodedJwt } | string {
    const jwt = decodeJwt(token);
    const account = jwt && typeof jwt.claims.iss === "string" ? this.state().serviceAccounts[jwt.claims.iss] : undefined;
    if (!jwt || !account) return "Invalid JWT Signature.";
    const key: KeyObject | string | undefined = this.managedKeys.publicKey(account.email, jwt.header.kid) ?? (account.publicKeyPem || undefined);
    if (!key || !signedBy(jwt, key)) return "Invalid JWT Signature.";
    const nowS = this.now() / 1000;
    const { iat = 0, exp = 0 } = jwt.claims;
    if (exp < nowS - CLOCK_SKEW_S || iat > nowS + CLOCK_SKEW_S || exp - iat > MAX_ASSERTION_LIFETIME_S) {
      return "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.";
    }
    return { account, jwt };
  }

  /** A new service account of `project`: the emulator keeps the public key, the caller gets the key file. */
  createServiceAccount(tokenUri: string, name = "chat-app", project = "emulator-project"): ServiceAccountKey {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const email = `${name}-${randomBytes(3).toString("hex")}@${project}.iam.gserviceaccount.com`;
    const record: ServiceAccountRecord = {
      email,
      project,
      clientId: String(randomInt(1e9, 1e10 - 1)) + String(randomInt(1e9, 1e10 - 1)) + "1",
      keyId: randomBytes(20).toString("hex"),
      publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    };
    this.state().serviceAccounts[email] = record;
    return {
      type: "service_account",
      project_id: project,
      private_key_id: record.keyId,
      private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      client_email: email,
      client_id: record.clientId,
      token_uri: tokenUri,
    };
  }

  /** A new service account of `project` without any key file (keys: Google's own, through IAM Credentials). */
  createKeylessServiceAccount(name = "chat-app", project = "emulator-project"): KeylessServiceAccount {
    const email = `${name}-${randomBytes(3).toString("hex")}@${project}.iam.gserviceaccount.com`;
    const uniqueId = String(randomInt(1e9, 1e10 - 1)) + String(randomInt(1e9, 1e10 - 1)) + "1";
    this.state().serviceAccounts[email] = { email, project, clientId: uniqueId, keyId: "", publicKeyPem: "" };
    return { email, uniqueId, project };
  }

  /**
   * User credentials for `email`, as consented with `scopes` (full scope URLs) and what
   * `gcloud auth application-default login` asks by default ({@link GCLOUD_ADC_SCOPES}).
   */
  createAuthorizedUser(email: string, scopes: string[], project = "emulator-project"): AuthorizedUserCredentials {
    if (!this.state().settings.users.some((u) => u.email === email)) {
      throw new Error(
        `Unknown user ${email}: the emulator's users are ${this.state()
          .settings.users.map((u) => u.email)
          .join(", ")}.`,
      );
    }
    const credentials: AuthorizedUserCredentials = {
      type: "authorized_user",
      client_id: `${randomInt(1e9, 1e10 - 1)}-emulator.apps.googleusercontent.com`,
      client_secret: `GOCSPX-${randomBytes(18).toString("base64url")}`,
      refresh_token: `1//emu-${randomBytes(32).toString("base64url")}`,
    };
    this.state().authorizedUsers[credentials.refresh_token] = {
      clientId: credentials.client_id,
      clientSecret: credentials.client_secret,
      email,
      scopes: [...new Set([...GCLOUD_ADC_SCOPES, ...scopes])],
      project,
    };
    return credentials;
  }
}
