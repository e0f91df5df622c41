/**
 * IAM Credentials (`iamcredentials.googleapis.com`) as far as keyless credentials use it:
 * - `POST /v1/projects/-/serviceAccounts/{sa}:generateAccessToken`: an access token of the
 *   service account for the scopes asked (cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/generateAccessToken);
 * - `POST /v1/projects/-/serviceAccounts/{sa}:signJwt`: the claims given, signed with a key
 *   Google manages for the service account (…/projects.serviceAccounts/signJwt).
 * Both need a role on the service account (the setting is {@link IamCredentials.bind}); without
 * it, or for an account that does not exist, Google answers the same 403
 * ("… denied on resource (or it may not exist)."), and so does the emulator.
 * The token endpoint accepts a `signJwt` answer as a service account's assertion: it checks
 * the signature against {@link ManagedKeys}.
 */
import { generateKeyPairSync, type KeyObject, randomBytes } from "node:crypto";
import { type JwtClaims, signJwt } from "../auth/jwt";
import { ApiError, errorInfo, invalidArgument } from "../errors";
import type { EmulatorState, Principal, ServiceAccountRecord } from "../model";

export const TOKEN_CREATOR = "roles/iam.serviceAccountTokenCreator";
export const WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser";
export type ImpersonationRole = typeof TOKEN_CREATOR | typeof WORKLOAD_IDENTITY_USER;

const GET_ACCESS_TOKEN = "iam.serviceAccounts.getAccessToken";
const SIGN_JWT = "iam.serviceAccounts.signJwt";
/** The permissions each role grants on a service account (cloud.google.com/iam/docs/understanding-roles). */
const PERMISSIONS: Record<ImpersonationRole, readonly string[]> = {
  [TOKEN_CREATOR]: [GET_ACCESS_TOKEN, SIGN_JWT, "iam.serviceAccounts.signBlob", "iam.serviceAccounts.getOpenIdToken"],
  [WORKLOAD_IDENTITY_USER]: [GET_ACCESS_TOKEN, "iam.serviceAccounts.getOpenIdToken"],
};
/** Scopes IAM Credentials accepts on the caller's token. */
const IAM_SCOPES = ["https://www.googleapis.com/auth/cloud-platform", "https://www.googleapis.com/auth/iam"];
const MAX_LIFETIME_S = 3600;
const MAX_SIGN_JWT_EXP_S = 12 * 3600;

/** Who may act as a service account: `member` (`serviceAccount:…`, `user:…`, `principal://…`, or a pool's `principalSet://…/*`) holds `role` on it. */
export interface IamBinding {
  serviceAccount: string;
  member: string;
  role: ImpersonationRole;
}

/** The caller of an IAM Credentials method, as an IAM member, with its token's scopes. */
export interface IamCaller {
  member: string;
  scopes: readonly string[];
}

export interface IamAnswer {
  status: number;
  body: unknown;
  rpc: "iamcredentials.generateAccessToken" | "iamcredentials.signJwt" | "unknown";
  principal?: string;
}

/** The keys Google manages for service accounts, which `signJwt` signs with; they never leave the emulator. */
export class ManagedKeys {
  private readonly keys = new Map<string, { keyId: string; privateKey: KeyObject; publicKey: KeyObject }>();

  /** The account's managed key, made on first use. */
  keyOf(email: string): { keyId: string; privateKey: KeyObject } {
    let key = this.keys.get(email);
    if (!key) {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      key = { keyId: randomBytes(20).toString("hex"), privateKey, publicKey };
      this.keys.set(email, key);
    }
    return key;
  }

  /** The public half of `email`'s managed key `keyId`, if there is one. */
  publicKey(email: string, keyId: string | undefined): KeyObject | undefined {
    const key = this.keys.get(email);
    return key && key.keyId === keyId ? key.publicKey : undefined;
  }
}

export interface IamDeps {
  state: () => EmulatorState;
  keys: ManagedKeys;
  /** Who a bearer token belongs to; undefined for a token the emulator did not issue or that expired. */
  callerOf: (bearer: string) => IamCaller | undefined;
  /** Issues an access token of `principal` (the Chat routes accept it). */
  issueAccessToken: (principal: Principal, scopes: string[], lifetimeS: number) => { token: string; expiresAt: number };
  now: () => number;
}

const ROUTE = /^\/v1\/projects\/[^/]+\/serviceAccounts\/([^/:]+):(generateAccessToken|signJwt)$/;

export class IamCredentials {
  private readonly bindings: IamBinding[] = [];
  private readonly signed: string[] = [];

  constructor(private readonly deps: IamDeps) {}

  /** Grants `member` `role` on the service account (what `gcloud iam service-accounts add-iam-policy-binding` does). */
  bind(binding: IamBinding): void {
    if (binding.role !== TOKEN_CREATOR && binding.role !== WORKLOAD_IDENTITY_USER) {
      throw new Error(`role must be ${TOKEN_CREATOR} or ${WORKLOAD_IDENTITY_USER}, not ${JSON.stringify(binding.role)}.`);
    }
    if (!this.deps.state().serviceAccounts[binding.serviceAccount]) throw new Error(`Unknown service account ${binding.serviceAccount}.`);
    this.bindings.push({ ...binding });
  }

  /** Answers a request under the IAM Credentials root (`path` without that root). */
  handle(method: string, path: string, authorization: string | undefined, body: unknown): IamAnswer {
    const match = method === "POST" ? ROUTE.exec(decodeURIComponent(path)) : null;
    if (!match) return { status: 404, body: new ApiError("NOT_FOUND", `Method not found: ${method} ${path}.`).toBody(), rpc: "unknown" };
    const rpc = match[2] === "signJwt" ? "iamcredentials.signJwt" : "iamcredentials.generateAccessToken";
    let principal: string | undefined;
    try {
      const caller = this.authenticate(authorization, match[2]);
      principal = caller.member;
      const permission = match[2] === "signJwt" ? SIGN_JWT : GET_ACCESS_TOKEN;
      const account = this.accountFor(match[1], caller, permission);
      const answer = match[2] === "signJwt" ? this.signJwt(account, body) : this.generateAccessToken(account, body);
      return { status: 200, body: answer, rpc, principal };
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError("INTERNAL", "Internal error encountered.");
      return { status: apiError.httpStatus, body: apiError.toBody(), rpc, principal };
    }
  }

  private authenticate(authorization: string | undefined, method: string): IamCaller {
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
    const caller = bearer ? this.deps.callerOf(bearer) : undefined;
    if (!caller) {
      throw new ApiError(
        "UNAUTHENTICATED",
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. " +
          "See https://developers.google.com/identity/sign-in/web/devconsole-project.",
        [errorInfo(bearer ? "ACCESS_TOKEN_TYPE_UNSUPPORTED" : "CREDENTIALS_MISSING", "googleapis.com", { service: "iamcredentials.googleapis.com" })],
      );
    }
    if (!caller.scopes.some((s) => IAM_SCOPES.includes(s))) {
      throw new ApiError("PERMISSION_DENIED", "Request had insufficient authentication scopes.", [
        errorInfo("ACCESS_TOKEN_SCOPE_INSUFFICIENT", "googleapis.com", {
          service: "iamcredentials.googleapis.com",
          method: `google.iam.credentials.v1.IAMCredentials.${method[0].toUpperCase()}${method.slice(1)}`,
        }),
      ]);
    }
    return caller;
  }

  /** The service account, if `caller` holds `permission` on it; Google's one 403 otherwise (also for a missing account). */
  private accountFor(id: string, caller: IamCaller, permission: string): ServiceAccountRecord {
    const accounts = Object.values(this.deps.state().serviceAccounts);
    const account = accounts.find((a) => a.email === id || a.clientId === id);
    const allowed =
      account &&
      this.bindings.some((b) => b.serviceAccount === account.email && PERMISSIONS[b.role].includes(permission) && memberMatches(b.member, caller.member));
    if (!account || !allowed) {
      throw new ApiError("PERMISSION_DENIED", `Permission '${permission}' denied on resource (or it may not exist).`, [
        errorInfo("IAM_PERMISSION_DENIED", "iam.googleapis.com", { permission }),
      ]);
    }
    return account;
  }

  private generateAccessToken(account: ServiceAccountRecord, body: unknown): { accessToken: string; expireTime: string } {
    const { scope, lifetime, delegates } = (body ?? {}) as { scope?: unknown; lifetime?: unknown; delegates?: unknown };
    const scopes = Array.isArray(scope) ? scope.filter((s): s is string => typeof s === "string" && s !== "") : [];
    if (scopes.length === 0) throw invalidArgument("Scope required.");
    if (Array.isArray(delegates) && delegates.length > 0) {
      throw invalidArgument("The emulator does not model delegation chains: call as a principal bound to the service account itself.");
    }
    const lifetimeS = lifetime === undefined ? MAX_LIFETIME_S : Number(/^(\d+(?:\.\d+)?)s$/.exec(String(lifetime))?.[1] ?? NaN);
    if (!Number.isFinite(lifetimeS) || lifetimeS <= 0 || lifetimeS > MAX_LIFETIME_S) {
      throw invalidArgument(`The lifetime must be between 1s and ${MAX_LIFETIME_S}s, not ${JSON.stringify(lifetime)}.`);
    }
    const { token, expiresAt } = this.deps.issueAccessToken({ kind: "app", email: account.email, project: account.project }, scopes, lifetimeS);
    // RFC 3339 in UTC without fractions, as Google writes it.
    return { accessToken: token, expireTime: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z") };
  }

  private signJwt(account: ServiceAccountRecord, body: unknown): { keyId: string; signedJwt: string } {
    const payload = (body as { payload?: unknown } | undefined)?.payload;
    let claims: JwtClaims;
    try {
      claims = JSON.parse(String(payload)) as JwtClaims;
    } catch {
      throw invalidArgument("Invalid JWT payload: the payload must be a JSON object.");
    }
    if (typeof claims !== "object" || claims === null || Array.isArray(claims)) {
      throw invalidArgument("Invalid JWT payload: the payload must be a JSON object.");
    }
    const nowS = Math.floor(this.deps.now() / 1000);
    if (claims.exp !== undefined && (!Number.isInteger(claims.exp) || claims.exp < nowS || claims.exp > nowS + MAX_SIGN_JWT_EXP_S)) {
      throw invalidArgument("Invalid JWT payload: exp must be an integer, not in the past and at most 12 hours in the future.");
    }
    // Google adds exp one hour ahead when the payload has none (signJwt reference).
    const signed = { ...claims, exp: claims.exp ?? nowS + 3600 };
    const { keyId, privateKey } = this.deps.keys.keyOf(account.email);
    const signedJwt = signJwt(signed, privateKey, keyId);
    this.signed.push(signedJwt);
    return { keyId, signedJwt };
  }

  /** Every JWT signed so far (the secrets a leak test looks for). */
  issued(): string[] {
    return [...this.signed];
  }
}

/** Whether the binding's `member` admits `caller`: the same member, or every identity of a workload identity pool. */
function memberMatches(member: string, caller: string): boolean {
  if (member === caller) return true;
  const pool = /^principalSet:\/\/(iam\.googleapis\.com\/projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+\/)\*$/.exec(member)?.[1];
  return pool !== undefined && caller.startsWith(`principal://${pool}subject/`);
}
