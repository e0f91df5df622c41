/**
 * The fuzzer's side of the emulator: providers per kind of caller (configured once, reused
 * across cases; the emulator is reset between cases), a person acting in Chat through the
 * ordinary Chat API, and the request log read incrementally and tagged with the provider
 * call that made each request.
 */
import type { chat_v1 } from "@googleapis/chat";
import type { ConfigureRequest } from "@pulumi/pulumi/dynamic";
import { type EmulatorControl, isChatApiCall, type LoggedRequest } from "../../emulator";
import type { ChatMethod } from "../../emulator/auth/scopes";
import type { ProviderDeps } from "../../provider/core/configured-provider";
import type { DeploymentShare } from "../../provider/core/deployment-share";
import type { MembershipSdkInputs } from "../../provider/membership/inputs";
import { ChatMembershipProvider } from "../../provider/membership/provider";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import { ChatSpaceProvider } from "../../provider/space/provider";
import type { TestEmulator } from "../helpers/emulator";
import type { EngineProvider, ProviderOf } from "./engine";
import type { Divergence, FaultCase } from "./fixture";

/**
 * Who the provider acts as: the admin (user auth through delegation), the same with
 * `useAdminAccess`, the Chat app, or a user who is not a member of the spaces.
 */
export type Caller = "user" | "admin" | "app" | "outsider";

/** The calling user of the "user" and "admin" callers. */
export const CALLER_EMAIL = "admin@example.com";
/** {@link CALLER_EMAIL}'s member. */
export const CALLER = "users/110000000000000000001";

/**
 * What one Pulumi operation's provider process gets: a clock `laterMs` ahead of the case's start,
 * whose retry waits pass at once and move it on; and `share`, what it shares with the
 * deployment's other provider processes (none: it shares nothing).
 */
function operationDeps(laterMs: number, log: (line: string) => void = () => {}, share?: DeploymentShare): ProviderDeps {
  let slept = 0;
  return { env: {}, now: () => Date.now() + laterMs + slept, sleep: async (ms) => void (slept += ms), random: () => 0.5, log, ...(share ? { share } : {}) };
}

/** The stack's config for this caller, as test/helpers/provider.ts configures one. */
function operationConfig(t: TestEmulator, caller: Caller): ConfigureRequest {
  return configOf(t, {
    ...(caller === "app" ? {} : { impersonate: caller === "outsider" ? "bob@example.com" : CALLER_EMAIL }),
    adminAccess: caller === "admin",
  });
}

/** The credentials a stack is configured with: the app, a user through domain-wide delegation, or a user's own credentials. */
export interface StackCredentials {
  /** googlechat:impersonateUser: the app's service account acts as this user (domain-wide delegation). */
  impersonate?: string;
  /** A user's own credentials (`authorized_user`, as `gcloud auth application-default login` writes them), instead of the service account. */
  own?: object;
  /** googlechat:useAdminAccess. */
  adminAccess: boolean;
}

/** The stack's config for these credentials. */
export function configOf(t: TestEmulator, credentials: StackCredentials): ConfigureRequest {
  const config: Record<string, string> = {
    "googlechat:credentials": JSON.stringify(credentials.own ?? t.serviceAccount),
    "googlechat:apiEndpoint": t.emulator.url,
    "googlechat:tokenEndpoint": t.emulator.tokenUrl,
    ...(credentials.impersonate && !credentials.own ? { "googlechat:impersonateUser": credentials.impersonate } : {}),
    ...(credentials.adminAccess ? { "googlechat:useAdminAccess": "true" } : {}),
    // Quotas are the rate limiter's tests' concern; here they would only add waits.
    "googlechat:spaceWritesPerMinute": "0",
    "googlechat:spaceCreatesPerMinute": "0",
    "googlechat:perSpaceWritesPerSecond": "0",
    "googlechat:membershipWritesPerMinute": "0",
  };
  return { config: { get: (k) => config[k], require: (k) => config[k] } };
}

/**
 * A provider as one Pulumi operation gets it: every `pulumi up` (preview, refresh, destroy)
 * starts its own provider process, so nothing the provider keeps in memory outlives the
 * operation. It is made and configured at its first call, as the engine starts a provider process.
 * The operation runs `laterMs` after the case started: Google's clock (the emulator's) and the
 * provider's are both moved on by it, as the hours or days between real deployments move them.
 */
export function operationProviderOf<I, O>(make: MakeProvider<I, O>, t: TestEmulator, caller: Caller, laterMs: number): EngineProvider<I, O> {
  const only = operationProcessOf({ only: make }, t, operationConfig(t, caller), laterMs);
  return only("only");
}

/** How a resource provider is made on a process's deps, then configured by the engine. */
export type MakeProvider<I, O> = (deps: ProviderDeps) => EngineProvider<I, O> & { configure(req: ConfigureRequest): Promise<void> };

/**
 * One operation's provider process serving several resource types, as the dynamic-provider host
 * serves every dynamic resource of a deployment: one deps object (what provider/index.ts shares
 * between the providers of a process: members/member-provider.ts keys the claims and the caller's
 * id by it), a provider per type made on it, each configured at its first call. `makers` by the
 * type a {@link DeclaredResource} names. `log` receives the provider's log lines (the engine's
 * diagnostics), which are dropped otherwise. `share`: the process's share of its deployment
 * (provider/core/deployment-share.ts), made at its start, as provider/core/process-deps.ts makes it.
 */
export function operationProcessOf<I, O>(
  makers: Record<string, MakeProvider<I, O>>,
  t: TestEmulator,
  config: ConfigureRequest,
  laterMs: number,
  log?: (line: string) => void,
  share?: () => DeploymentShare,
): ProviderOf<I, O> {
  let deps: ProviderDeps | undefined;
  const started = new Map<string, Promise<EngineProvider<I, O>>>();
  const start = (type: string) => {
    let p = started.get(type);
    if (!p) {
      const make = makers[type];
      if (!make) throw new Error(`No provider for resource type ${type}`);
      p = (async () => {
        if (!deps) {
          t.setClockAhead(laterMs);
          deps = operationDeps(laterMs, log, share?.());
        }
        const provider = make(deps);
        await provider.configure(config);
        return provider;
      })();
      started.set(type, p);
    }
    return p;
  };
  const providers = new Map<string, EngineProvider<I, O>>();
  return (type) => {
    const key = type ?? Object.keys(makers)[0];
    let provider = providers.get(key);
    if (!provider) {
      const p = () => start(key);
      provider = {
        check: async (...a) => (await p()).check(...a),
        diff: async (...a) => (await p()).diff(...a),
        create: async (...a) => (await p()).create(...a),
        read: async (...a) => (await p()).read(...a),
        update: async (...a) => (await p()).update(...a),
        delete: async (...a) => (await p()).delete(...a),
        importState: async (...a) => {
          const provider = await p();
          if (!provider.importState) throw new Error(`The provider of ${key} imports nothing`);
          return provider.importState(...a);
        },
        ensure: async () => void (await p()),
      };
      providers.set(key, provider);
    }
    return provider;
  };
}

/** ChatSpace's provider for one operation. */
export const operationProvider = (t: TestEmulator, caller: Caller, laterMs: number): EngineProvider =>
  operationProviderOf((deps) => new ChatSpaceProvider(deps), t, caller, laterMs);

/** ChatMembership's provider for one operation. */
export const operationMembershipProvider = (t: TestEmulator, caller: Caller, laterMs: number): EngineProvider<MembershipSdkInputs, ChatMembershipOutputs> =>
  operationProviderOf((deps) => new ChatMembershipProvider(deps), t, caller, laterMs);

/** An API request, tagged with the phase of the case and the provider call that sent it. */
export interface TaggedRequest {
  phase: string;
  call: string;
  resource?: string;
  request: LoggedRequest;
}

export class ApiLog {
  readonly entries: TaggedRequest[] = [];
  private last = 0;
  /** The take under way: takes run one after the other, so that each request is taken once. */
  private taking: Promise<unknown> = Promise.resolve();

  constructor(private readonly t: TestEmulator) {}

  /**
   * Takes the requests answered since the last take (token requests left out), tagged. Provider
   * calls that run at once (EngineOptions.stepsAtOnce, deletesAtOnce) take in turn: a request is
   * tagged with the call that took it first, which may be another call's of the same moment.
   */
  take(phase: string, call: string, resource?: string): Promise<TaggedRequest[]> {
    const taken = this.taking.then(async () => {
      const requests = await this.t.control.requests(this.last);
      if (requests.length) this.last = requests[requests.length - 1].seq;
      const tagged = requests.filter(isChatApiCall).map((request) => ({ phase, call, resource, request }));
      this.entries.push(...tagged);
      return tagged;
    });
    this.taking = taken.catch(() => undefined);
    return taken;
  }

  in(phase: string): TaggedRequest[] {
    return this.entries.filter((e) => e.phase === phase);
  }

  /** "METHOD path mask status [faults]", for a printed transcript. */
  static line(e: TaggedRequest): string {
    const r = e.request;
    const mask = r.query.updateMask ? ` ${r.query.updateMask}` : "";
    const faults = r.faults?.length ? ` [${r.faults.join(",")}]` : "";
    return `${r.method} ${r.path}${mask} ${r.status}${faults}`;
  }
}

/**
 * People outside Pulumi: a person who makes a space in Chat (through the Chat API, as
 * admin@example.com), and the changes people make in Chat or the Admin console afterwards,
 * through the emulator's outside-change control (emulator/control/outside.ts): applied as Google would,
 * by nobody the tests hold credentials for, and absent from the request log.
 */
export class Person {
  /** What the person's Chat client is consented for. */
  static readonly SCOPES = ["chat.spaces.create"];

  /** `chat` acts as admin@example.com with {@link Person.SCOPES}; `appEmail` is the Chat app's service account. */
  constructor(
    private readonly chat: chat_v1.Chat,
    private readonly control: EmulatorControl,
    private readonly appEmail: string,
  ) {}

  static of(t: TestEmulator): Person {
    return new Person(t.asDelegatedUser("admin@example.com", Person.SCOPES), t.control, t.serviceAccount.client_email);
  }

  /** A space made by hand, for a declaration to adopt or for members to be managed in; `externalUserAllowed`: open to users of other organisations. */
  async makeSpace(displayName: string, externalUserAllowed = false): Promise<string> {
    const { data } = await this.chat.spaces.create({
      requestBody: { spaceType: "SPACE", displayName, ...(externalUserAllowed ? { externalUserAllowed } : {}) },
    });
    return data.name!;
  }

  /** Applies one change outside Pulumi; false when Chat would not allow it (the space is gone, or hidden in import mode). */
  async diverge(name: string, index: number, change: Divergence): Promise<boolean> {
    try {
      switch (change) {
        case "rename":
          await this.control.editSpace(name, { displayName: `Space ${index} Edited` });
          break;
        case "editDescription":
          await this.control.editSpace(name, { spaceDetails: { description: "Edited in Chat" } });
          break;
        case "editGuidelines":
          await this.control.editSpace(name, { spaceDetails: { guidelines: "Edited in Chat" } });
          break;
        case "toggleHistory": {
          const space = (await this.control.state()).spaces[name.slice("spaces/".length)];
          await this.control.editSpace(name, { spaceHistoryState: space?.spaceHistoryState === "HISTORY_OFF" ? "HISTORY_ON" : "HISTORY_OFF" });
          break;
        }
        case "delete":
          await this.control.deleteSpace(name);
          break;
        case "completeImport":
          await this.control.completeImport(name);
          break;
        case "removeApp":
          await this.control.removeMember(name, this.appEmail);
          break;
      }
      return true;
    } catch {
      return false;
    }
  }

  /** A member adds the Chat app to a space (so a stack can switch to the app's credentials). */
  async addApp(name: string): Promise<void> {
    await this.control.addMember(name, this.appEmail);
  }

  /** A member adds admin@example.com, the calling user of the "user" and "admin" callers, to a space (so a stack can switch to her credentials). */
  async addCaller(name: string): Promise<void> {
    await this.control.addMember(name, "admin@example.com");
  }
}

/**
 * How late a `slow` fault runs its method: long enough for the calls of the steps running at the
 * same time (a few requests to the emulator each) to go on meanwhile, on a loaded machine too.
 */
const SLOW_MS = 250;

/** Installs the case's faults for the operation: a space's (FaultCase) or a membership's method (MembershipFault: `slow` too). */
export async function installFaults(
  control: EmulatorControl,
  faults: (Omit<FaultCase, "method" | "action"> & { method: ChatMethod; action: FaultCase["action"] | "slow" })[],
): Promise<void> {
  for (const f of faults) {
    const action =
      f.action === "drop"
        ? ({ kind: "dropAfterCommit" } as const)
        : f.action === "nameOnly"
          ? ({ kind: "nameOnlyAfterCommit" } as const)
          : f.action === "slow"
            ? ({ kind: "latency", ms: SLOW_MS } as const)
            : ({ kind: "error", status: Number(f.action) } as const);
    await control.addFault({ match: { methods: [f.method] }, action, count: f.count });
  }
}
