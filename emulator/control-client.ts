/**
 * A typed client of the emulator's control surface, for tests, benchmarks and the demo.
 * It speaks HTTP, so it drives an emulator in this process or in any other.
 */
import type { AuthorizedUserCredentials, ServiceAccountKey } from "./auth";
import type { PublicState } from "./control";
import type { ActiveFault, FaultRule } from "./faults";
import type { WorldSettings } from "./model";
import type { QuotaConfig, QuotaLimits } from "./quotas";
import type { Counters, LoggedRequest } from "./request-log";

export class EmulatorControl {
  constructor(readonly url: string) {}

  get tokenUrl(): string {
    return `${this.url}/token`;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}/emulator/v1/${path}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await res.json();
    if (!res.ok) throw new Error(`emulator ${method} ${path}: ${JSON.stringify(answer)}`);
    return answer as T;
  }

  /** Every request answered since `seq` (exclusive). */
  async requests(since = 0): Promise<LoggedRequest[]> {
    return (await this.call<{ requests: LoggedRequest[] }>("GET", `requests?since=${since}`)).requests;
  }

  counters(since = 0): Promise<Counters> {
    return this.call("GET", `counters?since=${since}`);
  }

  state(): Promise<PublicState> {
    return this.call("GET", "state");
  }

  /** Clears spaces, memberships, requestIds, the log, faults and quotas; credentials stay unless told. */
  reset(keepCredentials = true): Promise<void> {
    return this.call("POST", "reset", { keepCredentials });
  }

  addFault(rule: FaultRule): Promise<ActiveFault> {
    return this.call("POST", "faults", rule);
  }

  clearFaults(): Promise<void> {
    return this.call("DELETE", "faults");
  }

  setQuotas(config: Partial<Omit<QuotaConfig, "limits">> & { limits?: Partial<QuotaLimits> }): Promise<QuotaConfig> {
    return this.call("PUT", "quotas", config);
  }

  setSettings(settings: Partial<WorldSettings>): Promise<WorldSettings> {
    return this.call("PUT", "settings", settings);
  }

  /** A new service account key file (app auth, or a user through domain-wide delegation). */
  serviceAccount(options: { name?: string; project?: string } = {}): Promise<ServiceAccountKey> {
    return this.call("POST", "credentials/service-account", options);
  }

  /** User credentials (`authorized_user`) for one of the emulator's users, consented with these scopes. */
  authorizedUser(email: string, scopes: string[], project?: string): Promise<AuthorizedUserCredentials> {
    return this.call("POST", "credentials/authorized-user", { email, scopes, project });
  }
}
