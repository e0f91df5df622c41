/**
 * A typed client of the emulator's control surface, for tests, benchmarks and the demo.
 * It speaks HTTP, so it drives an emulator in this process or in any other.
 */
import type { chat_v1 } from "@googleapis/chat";
import type { AuthorizedUserCredentials, ServiceAccountKey } from "../auth/auth";
import type { MemberRole, StoredSpace, WorldSettings } from "../model";
import type { PublicState } from "./control";
import type { ActiveFault, FaultRule } from "./faults";
import type { SpaceEdit } from "./outside";
import type { QuotaConfig, QuotaLimits } from "./quotas";
import type { Counters, LoggedRequest } from "./request-log";
import type { SpaceSeed } from "./seed";

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

  /** Takes one fault away (its id as addFault answered it); the other faults and the requests held stay. */
  removeFault(id: string): Promise<void> {
    return this.call("DELETE", `faults?id=${encodeURIComponent(id)}`);
  }

  /** The faults still active (a fault with a count is gone once used up). */
  async faults(): Promise<ActiveFault[]> {
    return (await this.call<{ faults: ActiveFault[] }>("GET", "faults")).faults;
  }

  /** Lets every request a fault holds go on (`holdBeforeRun`, `holdAfterCommit`); the faults stay. */
  releaseHeld(): Promise<void> {
    return this.call("POST", "faults/release");
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

  // Outside changes (emulator/control/outside.ts): what people do in Chat or the Admin console, as Google
  // would apply it, without a request in the log or a quota drawn. `space` is `spaces/{id}` or
  // the id. A Chat rule the change breaks rejects with Google's error body.

  /** Removes a member, as a person removing it (or leaving) in Chat: `users/{id|email}`, a Chat app's service account email, `groups/{id}`. */
  removeMember(space: string, member: string): Promise<chat_v1.Schema$Membership> {
    return this.call("POST", "outside/remove-member", { space, member });
  }

  /** Adds a member as a person in Chat does (joined at once): `users/{id|email}`, `groups/{id}`, a Chat app's service account email. */
  addMember(space: string, member: string, role?: MemberRole): Promise<chat_v1.Schema$Membership> {
    return this.call("POST", "outside/add-member", { space, member, role });
  }

  /** Invites a person (`users/{id|email}`) as a member does in Chat: INVITED, with `role`, until they accept. */
  inviteMember(space: string, member: string, role?: MemberRole): Promise<chat_v1.Schema$Membership> {
    return this.call("POST", "outside/invite-member", { space, member, role });
  }

  /** The invited user (`users/{id|email}`) accepts in Chat: the membership goes from INVITED to JOINED. */
  acceptInvitation(space: string, member: string): Promise<chat_v1.Schema$Membership> {
    return this.call("POST", "outside/accept-invitation", { space, member });
  }

  /** A space manager changes a person's role in Chat. */
  setRole(space: string, member: string, role: MemberRole): Promise<chat_v1.Schema$Membership> {
    return this.call("POST", "outside/set-role", { space, member, role });
  }

  /** Edits the space as a space manager does in Chat's space settings; answers the stored space. */
  editSpace(space: string, edit: SpaceEdit): Promise<StoredSpace> {
    return this.call("POST", "outside/edit-space", { space, edit });
  }

  /** Completes an import outside Pulumi; answers the stored space. */
  completeImport(space: string): Promise<StoredSpace> {
    return this.call("POST", "outside/complete-import", { space });
  }

  /** Stores spaces that already exist, made in Chat over time (emulator/control/seed.ts); answers their names in order. */
  async seed(spaces: SpaceSeed[]): Promise<string[]> {
    return (await this.call<{ names: string[] }>("POST", "seed", { spaces })).names;
  }

  /** Deletes a space outside Pulumi (an administrator in the Admin console). */
  deleteSpace(space: string): Promise<void> {
    return this.call("POST", "outside/delete-space", { space });
  }

  /** User credentials (`authorized_user`) for one of the emulator's users, consented with these scopes. */
  authorizedUser(email: string, scopes: string[], project?: string): Promise<AuthorizedUserCredentials> {
    return this.call("POST", "credentials/authorized-user", { email, scopes, project });
  }
}
