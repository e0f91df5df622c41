/**
 * What the three resource providers (ChatSpace, ChatMembership, ChatSpaceMembers) do the same
 * way: take their settings at `configure`, build the one Chat client from them, say which kind
 * of caller they act as, and word a failure for Pulumi. A provider takes its settings (the kind
 * of caller among them, which core/settings.ts decides) here, and only here.
 *
 * Nothing of this class is serialized: the state holds the `__provider` texts of stub.ts, which
 * load the installed provider by package name (index.ts `instance()` and its kin), so a state
 * written by any earlier version runs this code unchanged.
 */
import { isDeepStrictEqual } from "node:util";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { CallerUnknown, knownCallerEmail } from "./caller-identity";
import { type ChatApiDeps, ChatSpacesApi, type Target } from "./chat-api";
import type { DeploymentShare } from "./deployment-share";
import type { DetailedDiff } from "./engine-values";
import { ChatApiError, explain, type ResourceType } from "./errors";
import { type ProviderSettings, resolveSettings } from "./settings";

/** What a provider gets from its process: the Chat client's clock, sleep, randomness and log, and the environment its settings are read from. */
export interface ProviderDeps extends ChatApiDeps {
  /** The environment variables {@link resolveSettings} reads (`process.env` in the provider's process). */
  env: Record<string, string | undefined>;
  /**
   * What this process shares with the other provider processes of its deployment (the member
   * claims, what its refreshes found changed): core/deployment-share.ts. Absent outside an engine (a program, a test of one process).
   */
  share?: DeploymentShare;
}

/** What a `check` of declared values needs to know of the configuration: it makes no call. */
export interface ConfiguredCheckContext {
  /** The configured kind of caller; undefined before configure. */
  auth?: "app" | "user";
  /** Whether calls use the user's Workspace administrator privileges (`googlechat:useAdminAccess`); undefined before configure. */
  useAdminAccess?: boolean;
  /** The provider's clock, now: historical times may not be in the future. */
  now: number;
}

/** A resource provider of this package, configured by the engine before its first call. */
export abstract class ConfiguredProvider {
  /** The stack's settings; undefined until {@link configure}. Credentials stay here, in memory. */
  protected settings?: ProviderSettings;
  private chatApi?: ChatSpacesApi;

  constructor(
    protected readonly deps: ProviderDeps,
    /** The resource type this provider serves: named in its messages. */
    protected readonly type: ResourceType,
  ) {}

  /** Settings from the stack config over the environment (core/settings.ts), and the Chat client built on them. */
  async configure(req: dynamic.ConfigureRequest): Promise<void> {
    const settings = resolveSettings((key) => req.config.get(key), this.deps.env);
    // The dynamic-provider host configures the provider once for each distinct `__provider` text
    // that hands it out (cmd/dynamic-provider `getProvider`): a stack whose state an earlier
    // version wrote holds another text than the program sends. The same settings keep the one
    // Chat client, and with it its tokens and what it has learnt.
    if (this.chatApi && isDeepStrictEqual(settings, this.settings)) return;
    this.settings = settings;
    this.chatApi = new ChatSpacesApi(this.settings, this.deps);
  }

  /** The Chat client. Pulumi's dynamic-provider host configures every provider before its first call. */
  protected get api(): ChatSpacesApi {
    if (!this.chatApi) throw new Error(`The ${this.type} provider was called before configure.`);
    return this.chatApi;
  }

  /** The kind of caller the advice on a refused call assumes: user authentication until configured otherwise. */
  protected get auth(): "app" | "user" {
    return this.settings?.auth ?? "user";
  }

  /**
   * The user this provider acts as, lower-cased: the one impersonated through domain-wide
   * delegation, or the one whose own credentials these are, as Google's tokeninfo names the
   * token's owner (caller-identity.ts); undefined for the Chat app. Rejects when the owner can't
   * be learnt, saying which scope to add.
   */
  protected async callerUser(target?: Target): Promise<string | undefined> {
    if (this.settings?.auth !== "user") return undefined;
    return (await this.api.callerEmail({ target }))?.toLowerCase();
  }

  /**
   * {@link callerUser} where only some decisions depend on it: credentials that can't name their
   * owner (a user's own token without the email scope) answer `unknown` instead of rejecting, and
   * only a decision that removes or demotes people, which needs the caller, rethrows it.
   */
  protected async callerUserOrUnknown(target?: Target): Promise<{ readonly user?: string; readonly unknown?: CallerUnknown }> {
    try {
      return { user: await this.callerUser(target) };
    } catch (error) {
      if (error instanceof CallerUnknown) return { unknown: error };
      throw error;
    }
  }

  /** The configuration a check of declared values takes, with the clock read now. */
  /**
   * {@link callerUser} as known now, with no request (caller-identity.ts `knownCallerEmail`): null
   * for the Chat app, undefined while a user's own credentials have not been asked. For a check,
   * which makes no call.
   */
  protected get knownCallerUser(): string | null | undefined {
    if (!this.settings) return undefined;
    return knownCallerEmail(this.settings, this.deps);
  }

  protected get checkContext(): ConfiguredCheckContext {
    return { auth: this.settings?.auth, useAdminAccess: this.settings?.useAdminAccess, now: this.deps.now() };
  }

  /**
   * The error Pulumi is shown for a failure on `target`: a Chat API failure explained with what
   * to do (errors.ts {@link explain}); any other error named by the resource, once (a message
   * that already starts with the resource type was worded by this provider and is kept whole).
   */
  protected failure(target: Target, error: unknown): Error {
    if (error instanceof ChatApiError || !(error instanceof Error)) return new Error(explain(target.label, error, this.auth, this.type));
    return error.message.startsWith(`${this.type} `) ? error : new Error(`${this.type} ${target.label}: ${error.message}`);
  }

  /** {@link failure}'s message without the resource it names first: the reason, for a message that names the resource itself. */
  protected failureReason(target: Target, error: unknown): string {
    return this.failure(target, error).message.replace(`${this.type} ${target.label}: `, "");
  }
}

/**
 * A provider's diff: Pulumi's `DiffResult`, and the change property by property. The
 * dynamic-provider host passes only `changes`, `replaces` and `deleteBeforeReplace` to the
 * engine; the provider plugin passes `detailedDiff` too.
 */
export interface ProviderDiff extends dynamic.DiffResult {
  readonly detailedDiff: DetailedDiff;
}

/** A check's answer (Pulumi's `CheckResult`): the failures where there are any, else the inputs as they came; a check never throws. */
export function checkResult<I>(news: I, failures: dynamic.CheckFailure[]): dynamic.CheckResult<I> {
  return failures.length > 0 ? { failures } : { inputs: news };
}

/**
 * Stops a write whose declared values a check refuses, before any call: a create checks again,
 * as its caller may have checked the inputs against an existing resource. Each failure as
 * `property reason`, in one message.
 */
export function refuseFailures(failures: readonly dynamic.CheckFailure[]): void {
  if (failures.length > 0) throw new Error(failures.map((f) => `${f.property} ${f.reason}`).join(" "));
}

/** The words of one resource type's {@link notVisible} message. */
export interface NotVisibleWords {
  /** What the resource is to Google: "space", "membership". */
  readonly noun: string;
  /** What happened to it if it is gone: "deleted", "removed". */
  readonly gone: string;
  /** What the 404 may mean, in full: gone, or out of these credentials' sight, and why. */
  readonly lost: string;
  /** What the next up does once the resource is out of the stack: "creates it again". */
  readonly again: string;
}

/**
 * What Pulumi is told when a 404 can't be told apart from "not visible to these credentials":
 * what may have happened, what happens to the resource now (`outcome`: "stays in the stack"),
 * and the ways out, in the `words` of the resource type. Admin access recognises a resource gone
 * by itself in the administrator's own organisation, the only one it reaches (core/admin-access-reach.ts),
 * unless it doesn't reach the resource at all (`outOfAdminReach`: why).
 */
export function notVisible(type: ResourceType, target: Target, words: NotVisibleWords, outcome: string, outOfAdminReach?: string): string {
  return (
    `${type} ${target.label}: Google answers 404 Not Found: ${words.lost}. It ${outcome}. ` +
    `If it still exists, restore the access. If it was ${words.gone}, remove it from the stack deliberately: ` +
    `\`pulumi state delete <urn>\` (\`pulumi stack --show-urns\` lists them); the next up then ${words.again}. ` +
    (outOfAdminReach
      ? `googlechat:useAdminAccess can't tell: ${outOfAdminReach}.`
      : `With googlechat:useAdminAccess (a Workspace administrator), a ${words.gone} ${words.noun} is recognised by itself ` +
        "in the administrator's own organisation (admin access reaches no other organisation's spaces).")
  );
}
