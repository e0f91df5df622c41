/**
 * The CI system's side of Workload Identity Federation: an OIDC issuer whose ID tokens are the
 * subject tokens an `external_account` credential reads, from a file (the token as text) or
 * from a URL that wants a header, the way GitHub Actions serves them: `GET
 * $ACTIONS_ID_TOKEN_REQUEST_URL&audience=…` with `Authorization: Bearer
 * $ACTIONS_ID_TOKEN_REQUEST_TOKEN` answers `{"count":…,"value":"<JWT>"}`
 * (docs.github.com/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect).
 */
import { generateKeyPairSync, type KeyObject, randomBytes } from "node:crypto";
import { decodeJwt, type JwtClaims, signedBy, signJwt } from "../auth/jwt";

/** What a subject token says: who the workload is, for whom the token is meant. */
export interface SubjectTokenRequest {
  /** `aud`: for Google, the provider's `https://iam.googleapis.com/projects/…/providers/…` audience. */
  audience: string;
  /** `sub`, such as `repo:octo/chat-spaces:ref:refs/heads/main`. */
  subject: string;
  /** @default 600 */
  lifetimeSeconds?: number;
  /** Further claims (`repository`, `ref`, …). */
  claims?: Record<string, unknown>;
}

export interface CiAnswer {
  status: number;
  body: unknown;
}

export class CiOidcIssuer {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly keyId = randomBytes(8).toString("hex");
  /** Request tokens (the `ACTIONS_ID_TOKEN_REQUEST_TOKEN` of one job) and the subject each one's job is. */
  private readonly requestTokens = new Map<string, Omit<SubjectTokenRequest, "audience">>();
  private readonly minted: string[] = [];

  constructor(
    /** The issuer URL (`iss`), known once the server listens. */
    readonly issuer: () => string,
    private readonly now: () => number,
  ) {
    ({ privateKey: this.privateKey, publicKey: this.publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 }));
  }

  /** A signed ID token, as the CI system hands a job. */
  mint(request: SubjectTokenRequest): string {
    const iat = Math.floor(this.now() / 1000);
    const claims: JwtClaims = {
      ...request.claims,
      iss: this.issuer(),
      sub: request.subject,
      aud: request.audience,
      iat,
      nbf: iat,
      exp: iat + (request.lifetimeSeconds ?? 600),
    };
    const token = signJwt(claims, this.privateKey, this.keyId);
    this.minted.push(token);
    return token;
  }

  /** A job's request token: with it, the token URL mints ID tokens for `subject`. */
  newRequestToken(job: Omit<SubjectTokenRequest, "audience">): string {
    const token = `ci-request-${randomBytes(24).toString("base64url")}`;
    this.requestTokens.set(token, job);
    return token;
  }

  /** `GET /ci/oidc-token?audience=…` with the job's request token as bearer. */
  handle(method: string, query: URLSearchParams, authorization: string | undefined): CiAnswer {
    if (method !== "GET") return { status: 405, body: { message: "Method not allowed." } };
    const job = this.requestTokens.get(/^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1] ?? "");
    if (!job) return { status: 401, body: { message: "Bad credentials: send the job's request token as a bearer token." } };
    // Without `audience`, GitHub uses the repository owner's URL; here, the issuer's.
    const value = this.mint({ ...job, audience: query.get("audience") || this.issuer() });
    return { status: 200, body: { count: 1, value } };
  }

  /** The claims of a token this issuer signed, or why it is not valid now. */
  verify(token: string): JwtClaims | string {
    const jwt = decodeJwt(token);
    if (!jwt || !signedBy(jwt, this.publicKey)) return "Invalid ID Token signature.";
    const nowS = this.now() / 1000;
    if (typeof jwt.claims.exp !== "number" || jwt.claims.exp <= nowS) return "The ID Token has expired.";
    return jwt.claims;
  }

  /** Every token minted so far (the secrets a leak test looks for). */
  issued(): string[] {
    return [...this.minted, ...this.requestTokens.keys()];
  }
}
