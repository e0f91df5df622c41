/**
 * Ready-to-use credential files for the demo and for tests: a service account key (app
 * auth) and user credentials, made by the running emulator at run time, never committed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EmulatorControl } from "../control/control-client";

/** Scopes consented for the demo user: everything the provider may need with user auth. */
export const DEMO_USER_SCOPES = [
  "https://www.googleapis.com/auth/chat.spaces",
  "https://www.googleapis.com/auth/chat.delete",
  "https://www.googleapis.com/auth/chat.memberships",
];

export interface CredentialFiles {
  serviceAccountFile: string;
  authorizedUserFile: string;
}

/** Writes `service-account.json` and `authorized-user.json` (mode 0600) into `dir`. */
export async function writeCredentialFiles(emulatorUrl: string, dir: string): Promise<CredentialFiles> {
  const control = new EmulatorControl(emulatorUrl);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const serviceAccountFile = join(dir, "service-account.json");
  const authorizedUserFile = join(dir, "authorized-user.json");
  writeFileSync(serviceAccountFile, JSON.stringify(await control.serviceAccount(), null, 2), { mode: 0o600 });
  const user = await control.authorizedUser("admin@example.com", DEMO_USER_SCOPES);
  writeFileSync(authorizedUserFile, JSON.stringify(user, null, 2), { mode: 0o600 });
  return { serviceAccountFile, authorizedUserFile };
}

/** Where an `external_account` credential reads the CI system's subject token. */
export type SubjectTokenSource =
  /** A file holding the token as text. */
  | { file: string }
  /** A URL answering `{"value": token}` to a GET with these headers (GitHub Actions' ID-token URL). */
  | { url: string; headers: Record<string, string> }
  /** A command printing the executable-response JSON (google-auth-library runs it only with GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1). */
  | { executable: string };

export interface ExternalAccountOptions {
  /** The workload identity pool provider's `//iam.googleapis.com/…/providers/…` name. */
  audience: string;
  /** The emulator's `stsUrl`. */
  stsUrl: string;
  source: SubjectTokenSource;
  /** With the emulator's `iamUrl`: the federated identity then acts as this service account. */
  impersonate?: { serviceAccount: string; iamUrl: string };
}

/**
 * An `external_account` credential (Workload Identity Federation) as `google-github-actions/auth`
 * or `gcloud iam workload-identity-pools create-cred-config` writes it, pointed at the emulator's
 * stand-ins (docs/google-chat-api.md, "Keyless credentials on the wire").
 */
export function externalAccountCredentials(options: ExternalAccountOptions): Record<string, unknown> {
  const { source, impersonate } = options;
  const credentialSource =
    "file" in source
      ? { file: source.file }
      : "url" in source
        ? { url: source.url, headers: source.headers, format: { type: "json", subject_token_field_name: "value" } }
        : { executable: { command: source.executable, timeout_millis: 5000 } };
  return {
    type: "external_account",
    audience: options.audience,
    subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
    token_url: options.stsUrl,
    ...(impersonate
      ? { service_account_impersonation_url: `${impersonate.iamUrl}/v1/projects/-/serviceAccounts/${impersonate.serviceAccount}:generateAccessToken` }
      : {}),
    credential_source: credentialSource,
  };
}
