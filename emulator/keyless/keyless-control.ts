/**
 * A typed client of the keyless stand-ins' control surface (`/emulator/v1/keyless/`), over
 * HTTP so it drives an emulator in any process: the set-up a Google Cloud admin does once
 * (a service account without keys, a workload identity pool provider, who may act as whom,
 * the workload's service account on the metadata server) and what a CI system hands a job.
 */
import type { KeylessServiceAccount } from "../auth/auth";
import type { SubjectTokenRequest } from "./ci-oidc";
import type { IamBinding } from "./iam-credentials";
import type { IssuedSecrets } from "./keyless";
import type { WorkloadIdentityProvider } from "./sts";

export class KeylessControl {
  constructor(readonly url: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/emulator/v1/keyless/${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await res.json();
    if (!res.ok) throw new Error(`emulator ${method} keyless/${path}: ${JSON.stringify(answer)}`);
    return answer as T;
  }

  /** A service account with no key file. */
  serviceAccount(name?: string, project?: string): Promise<KeylessServiceAccount> {
    return this.call("POST", "service-accounts", { name, project });
  }

  /** Lets `member` act as `serviceAccount` with `role` (token creator: access tokens and signJwt; workload identity user: access tokens). */
  async bind(binding: IamBinding): Promise<void> {
    await this.call("POST", "iam-bindings", binding);
  }

  /** A workload identity pool provider that trusts the emulator's CI issuer. @default project 123456789012, pool ci-pool, provider ci */
  workloadIdentityProvider(options: { projectNumber?: string; pool?: string; provider?: string } = {}): Promise<WorkloadIdentityProvider> {
    return this.call("POST", "workload-identity-providers", options);
  }

  /** An ID token of the CI issuer, to write into a file an `external_account` credential reads. */
  async subjectToken(request: SubjectTokenRequest): Promise<string> {
    return (await this.call<{ token: string }>("POST", "subject-tokens", request)).token;
  }

  /** A CI job: the URL and request token (GitHub's ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN) that fetch its ID tokens. */
  ciJob(job: Omit<SubjectTokenRequest, "audience">): Promise<{ requestUrl: string; requestToken: string }> {
    return this.call("POST", "ci-jobs", job);
  }

  /** The service account the metadata server serves as `default` (undefined: none), and the instance's scopes. */
  async metadata(serviceAccount: string | undefined, scopes?: string[]): Promise<void> {
    await this.call("PUT", "metadata", { serviceAccount, scopes });
  }

  /** Every subject token, federated token and signed JWT handed out so far. */
  issued(): Promise<IssuedSecrets> {
    return this.call("GET", "issued");
  }
}
