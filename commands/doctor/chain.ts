/**
 * The hops a keyless credential takes to a Chat token, in order (google-auth.ts keylessClient),
 * and which hop a failed token request stopped at, by what refused it.
 */
import { ChatApiError } from "../../provider/core/errors";
import { DelegationRefused, IamRefusal, impersonationTarget, SubjectTokenUnreadable } from "../../provider/core/google-auth";
import type { ProviderSettings } from "../../provider/core/settings";

export type HopKind = "ciToken" | "sts" | "workforceRefresh" | "metadata" | "impersonation" | "signJwt" | "delegation";

export interface Hop {
  readonly kind: HopKind;
  /** What the hop is, for the line: `STS exchange (https://sts.googleapis.com/v1/token)`. */
  readonly label: string;
  /** The service account an impersonation hop acts as, or a signJwt hop signs as. */
  readonly serviceAccount?: string;
}

/**
 * The hops of keyless `settings`, as the configuration says them (the credentials' `type` and the
 * URLs google-auth-library's clients call): the subject token, STS, impersonation through IAM
 * Credentials, or the metadata server; then googlechat:impersonateServiceAccount; then, for a user
 * through domain-wide delegation, signJwt and the token endpoint's exchange.
 */
export function hopsOf(settings: ProviderSettings): Hop[] {
  const hops = credentialHops(settings.credentials);
  if (settings.impersonateServiceAccount) hops.push(impersonation(settings.impersonateServiceAccount, "googlechat:impersonateServiceAccount"));
  if (settings.impersonateUser) {
    const signer =
      settings.impersonateServiceAccount ?? [...hops].reverse().find((h) => h.serviceAccount)?.serviceAccount ?? "the metadata server's service account";
    hops.push({ kind: "signJwt", label: `IAM Credentials signJwt as ${signer} (the delegation's assertion)`, serviceAccount: signer });
    hops.push({ kind: "delegation", label: `token endpoint exchange as ${settings.impersonateUser} (domain-wide delegation)` });
  }
  return hops;
}

const impersonation = (serviceAccount: string, from: string): Hop => ({
  kind: "impersonation",
  label: `IAM Credentials generateAccessToken of ${serviceAccount} (${from})`,
  serviceAccount,
});

function credentialHops(json: Record<string, unknown> | undefined): Hop[] {
  if (!json) return [{ kind: "metadata", label: "the metadata server's token" }];
  switch (json.type) {
    case "external_account": {
      const source = (json.credential_source ?? {}) as { file?: unknown; url?: unknown; executable?: { command?: unknown } };
      const where =
        typeof source.file === "string"
          ? `file ${source.file}`
          : typeof source.url === "string"
            ? `URL ${new URL(source.url).origin}${new URL(source.url).pathname}`
            : "an executable";
      const hops: Hop[] = [
        { kind: "ciToken", label: `CI token (subject token from ${where})` },
        { kind: "sts", label: `STS exchange (${String(json.token_url)}, audience ${String(json.audience)})` },
      ];
      const url = json.service_account_impersonation_url;
      if (typeof url === "string")
        hops.push(
          impersonation(
            impersonationTarget({ type: "impersonated_service_account", service_account_impersonation_url: url }),
            "service_account_impersonation_url",
          ),
        );
      return hops;
    }
    case "external_account_authorized_user":
      return [{ kind: "workforceRefresh", label: `workforce identity refresh (${String(json.token_url)})` }];
    case "impersonated_service_account":
      return [
        ...credentialHops(json.source_credentials as Record<string, unknown> | undefined),
        impersonation(impersonationTarget(json), "impersonated_service_account"),
      ];
    default:
      return [];
  }
}

/** The hop `error` (of a token request) stopped at, or undefined when no hop of the chain refused (no credentials, a scope the delegation lacks). */
export function failedHop(hops: readonly Hop[], error: unknown): number | undefined {
  const index = (kind: HopKind, serviceAccount?: string) => {
    const exact = hops.findIndex((h) => h.kind === kind && (serviceAccount === undefined || h.serviceAccount === serviceAccount));
    const i = exact >= 0 ? exact : hops.findIndex((h) => h.kind === kind);
    return i >= 0 ? i : undefined;
  };
  if (error instanceof DelegationRefused) return undefined;
  if (error instanceof SubjectTokenUnreadable) return index("ciToken");
  if (error instanceof IamRefusal) return index(error.method === "signJwt" ? "signJwt" : "impersonation", error.serviceAccount);
  if (!(error instanceof ChatApiError) || !error.tokenRequest) return undefined;
  switch (error.tokenService) {
    case "subjectToken":
      return index("ciToken");
    case "sts":
      return index("sts");
    case "workforceRefresh":
      return index("workforceRefresh");
    case "metadata":
      return index("metadata");
    case "iamCredentials":
      return index(/:signJwt\b/.test(error.endpoint ?? "") ? "signJwt" : "impersonation");
    case "oauth":
      return error.googleStatus === "unauthorized_client" ? undefined : index("delegation");
    default:
      return undefined;
  }
}
