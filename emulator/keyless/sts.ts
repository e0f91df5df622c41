/**
 * Security Token Service (`sts.googleapis.com/v1/token`): the RFC 8693 token exchange an
 * `external_account` credential sends to its `token_url`, checked the way Workload Identity
 * Federation checks it (cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token):
 * the `audience` must name a provider of a pool, the subject token must be an OIDC token of
 * that provider's issuer, for one of its allowed audiences, not expired. The answer is a
 * federated token of `principal://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/subject/SUB`:
 * IAM Credentials accepts it (for a principal bound to a service account), the Chat API does not.
 */
import { randomBytes } from "node:crypto";
import type { CiOidcIssuer } from "./ci-oidc";
import type { IamCaller } from "./iam-credentials";

const TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
/** The subject token types of an OIDC provider (the emulator models no AWS or SAML provider). */
const OIDC_TOKEN_TYPES = ["urn:ietf:params:oauth:token-type:jwt", "urn:ietf:params:oauth:token-type:id_token"];
const FEDERATED_LIFETIME_S = 3599;

/** A workload identity pool provider trusting the emulator's CI issuer. */
export interface WorkloadIdentityProvider {
  /** `//iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/providers/R`: the `audience` of a credential file. */
  audience: string;
  /** The `aud` values a subject token may carry; Google's default is the audience above as an https URL. */
  allowedAudiences: string[];
  /** The member prefix of the pool's identities: `principal://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/subject/`. */
  principalPrefix: string;
  /** The member that binds every identity of the pool: `principalSet://…/workloadIdentityPools/P/*`. */
  poolMember: string;
}

export interface StsAnswer {
  status: number;
  body: Record<string, unknown>;
  principal?: string;
}

const stsError = (error: string, description: string): StsAnswer => ({ status: 400, body: { error, error_description: description } });

export class SecurityTokenService {
  private readonly providers = new Map<string, WorkloadIdentityProvider>();
  private readonly federated = new Map<string, IamCaller & { expiresAt: number }>();

  constructor(
    private readonly ci: CiOidcIssuer,
    private readonly now: () => number,
  ) {}

  /** Creates (or returns) pool `pool`'s provider `provider` in project number `projectNumber`, trusting the CI issuer. */
  addProvider(projectNumber = "123456789012", pool = "ci-pool", provider = "ci"): WorkloadIdentityProvider {
    const path = `projects/${projectNumber}/locations/global/workloadIdentityPools/${pool}`;
    const audience = `//iam.googleapis.com/${path}/providers/${provider}`;
    const existing = this.providers.get(audience);
    if (existing) return existing;
    const created: WorkloadIdentityProvider = {
      audience,
      allowedAudiences: [`https:${audience}`],
      principalPrefix: `principal://iam.googleapis.com/${path}/subject/`,
      poolMember: `principalSet://iam.googleapis.com/${path}/*`,
    };
    this.providers.set(audience, created);
    return created;
  }

  /** `POST /v1/token`, form-encoded. */
  exchange(form: URLSearchParams): StsAnswer {
    if (form.get("grant_type") !== TOKEN_EXCHANGE) {
      return stsError("unsupported_grant_type", `Unsupported grant type: ${form.get("grant_type") ?? ""}.`);
    }
    if (form.get("requested_token_type") !== ACCESS_TOKEN_TYPE) {
      return stsError("invalid_request", `Invalid value for "requested_token_type": ${form.get("requested_token_type") ?? ""}.`);
    }
    if (!OIDC_TOKEN_TYPES.includes(form.get("subject_token_type") ?? "")) {
      return stsError("invalid_request", `Invalid value for "subject_token_type": ${form.get("subject_token_type") ?? ""}.`);
    }
    const provider = this.providers.get(form.get("audience") ?? "");
    if (!provider) {
      return stsError(
        "invalid_target",
        'The target service indicated by the "audience" parameters is invalid. ' +
          "This might either be because the pool or provider is disabled or deleted or because it doesn't exist.",
      );
    }
    const claims = this.ci.verify(form.get("subject_token") ?? "");
    if (typeof claims === "string") return stsError("invalid_grant", claims);
    if (claims.iss !== this.ci.issuer()) return stsError("invalid_grant", `The issuer in ID Token ${String(claims.iss)} does not match the expected ones.`);
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.some((a) => typeof a === "string" && provider.allowedAudiences.includes(a))) {
      return stsError("invalid_grant", `The audience in ID Token [${audiences.join(", ")}] does not match the expected audience.`);
    }
    const scopes = (form.get("scope") ?? "").split(" ").filter(Boolean);
    if (scopes.length === 0) return stsError("invalid_scope", "A scope is required.");
    const member = `${provider.principalPrefix}${claims.sub}`;
    const token = `ya29.d.emu-${randomBytes(24).toString("base64url")}`;
    this.federated.set(token, { member, scopes, expiresAt: this.now() + FEDERATED_LIFETIME_S * 1000 });
    return {
      status: 200,
      body: { access_token: token, issued_token_type: ACCESS_TOKEN_TYPE, token_type: "Bearer", expires_in: FEDERATED_LIFETIME_S },
      principal: member,
    };
  }

  /** The federated identity a token stands for, while it is valid. */
  callerOf(token: string): IamCaller | undefined {
    const record = this.federated.get(token);
    return record && record.expiresAt > this.now() ? { member: record.member, scopes: record.scopes } : undefined;
  }

  /** Every federated token issued (the secrets a leak test looks for). */
  issued(): string[] {
    return [...this.federated.keys()];
  }
}
