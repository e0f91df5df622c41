/**
 * The metadata server of Compute Engine, Cloud Run, Cloud Build and GKE, for the paths
 * google-auth-library (gcp-metadata) reads: `GET /computeMetadata/v1/…` with the
 * `Metadata-Flavor: Google` header, answered with that header
 * (cloud.google.com/compute/docs/metadata/querying-metadata). A request without the header,
 * or one a proxy forwarded (`X-Forwarded-For`), gets 403, as on Google Cloud.
 * google-auth-library finds it through `GCE_METADATA_HOST` (or `GCE_METADATA_IP`).
 */
import type { EmulatorState, Principal } from "../model";

export const METADATA_PREFIX = "/computeMetadata/v1/";
const DEFAULT_INSTANCE_SCOPES = ["https://www.googleapis.com/auth/cloud-platform"];
const TOKEN_LIFETIME_S = 3599;

export interface MetadataAnswer {
  status: number;
  /** Text, or JSON for the token. */
  body: string;
  contentType: string;
  rpc: "metadata.token" | "metadata.get";
  principal?: string;
}

export interface MetadataDeps {
  state: () => EmulatorState;
  issueAccessToken: (principal: Principal, scopes: string[], lifetimeS: number) => { token: string; expiresAt: number };
}

const text = (status: number, body: string, principal?: string): MetadataAnswer => ({
  status,
  body,
  contentType: "application/text",
  rpc: "metadata.get",
  principal,
});

export class MetadataServer {
  /** The workload's service account (`default`); none means the paths under it answer 404. */
  serviceAccount?: string;
  /** The scopes the instance was given; a token request may ask for others with `?scopes=`. */
  instanceScopes: string[] = DEFAULT_INSTANCE_SCOPES;

  constructor(private readonly deps: MetadataDeps) {}

  handle(method: string, path: string, query: URLSearchParams, headers: Record<string, string | string[] | undefined>): MetadataAnswer {
    if (headers["metadata-flavor"] !== "Google" || headers["x-forwarded-for"] !== undefined) {
      return text(403, "Your client does not have permission to get URL from this server. Missing Metadata-Flavor:Google header.");
    }
    if (method !== "GET") return text(405, "Method not allowed.");
    const key = path.slice(METADATA_PREFIX.length).replace(/\/$/, "");
    const account = this.serviceAccount ? this.deps.state().serviceAccounts[this.serviceAccount] : undefined;
    switch (key) {
      case "instance":
        return text(200, "attributes/\nhostname\nid\nservice-accounts/\nzone\n");
      case "project/project-id":
        return text(200, account?.project ?? "emulator-project");
      case "universe/universe-domain":
        return text(200, "googleapis.com");
      case "instance/service-accounts":
        return text(200, account ? `default/\n${account.email}/\n` : "");
    }
    const match = /^instance\/service-accounts\/([^/]+)\/(email|scopes|token)$/.exec(key);
    if (!account || !match || (match[1] !== "default" && match[1] !== account.email)) return text(404, "Not Found");
    const principal = `app:${account.email}`;
    if (match[2] === "email") return text(200, account.email, principal);
    if (match[2] === "scopes") return text(200, this.instanceScopes.join("\n"), principal);
    const asked = (query.get("scopes") ?? "").split(",").filter(Boolean);
    const scopes = asked.length > 0 ? asked : this.instanceScopes;
    const { token } = this.deps.issueAccessToken({ kind: "app", email: account.email, project: account.project }, scopes, TOKEN_LIFETIME_S);
    return {
      status: 200,
      body: JSON.stringify({ access_token: token, expires_in: TOKEN_LIFETIME_S, token_type: "Bearer" }),
      contentType: "application/json",
      rpc: "metadata.token",
      principal,
    };
  }
}
