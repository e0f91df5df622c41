/**
 * The ChatSpace resource provider: what Pulumi's engine calls for each space.
 *
 * - configure: settings from the stack config and environment; credentials stay in memory.
 * - check: every declared value validated before anything reaches Google (check.ts).
 * - diff: replace or update, decided on declared values (diff.ts).
 * - create: adopt an existing space, or `spaces.create` with a requestId derived from the URN
 *   (request-id.ts), then the PATCHes that bring it to its declared state. A space that was
 *   created but could not be finished is reported as a partial failure, so Pulumi keeps it.
 * - read: one GET; a space that is gone leaves the stack.
 * - update: `completeImport` and the grouped PATCHes of update-plan.ts, nothing else.
 * - delete: one DELETE; a space already gone counts as deleted.
 */
import type { chat_v1 } from "@googleapis/chat";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { setTimeout as sleep } from "node:timers/promises";
import { ChatSpacesApi, type ChatApiDeps } from "./chat-api";
import { checkInputs } from "./check";
import { diffSpace } from "./diff";
import { ChatApiError, explain, isNotFound } from "./errors";
import { deriveRequestId, requestIdBase } from "./request-id";
import { type ProviderSettings, resolveSettings } from "./settings";
import { declaredOf, toOutputs } from "./space-state";
import type { ChatSpaceInputs, ChatSpaceOutputs, ProviderInputs } from "./types";
import { planUpdate } from "./update-plan";

/** How many derived requestIds a create tries before giving up on spaces Google hands back. */
const MAX_CREATE_ATTEMPTS = 5;
/**
 * A returned space created this long before the call started is an earlier request's, maybe
 * stale or deleted since: it is read again. A new space's createTime is the server's now, so a
 * client clock ahead of Google's by more than this costs one extra GET, never a wrong answer.
 */
const REPLAY_AGE_MS = 1_000;

/** The hidden inputs the SDK adds to the declared ones. */
export interface SdkInputs extends ProviderInputs {
  /** The Pulumi name of the resource, for messages. */
  readonly resourceName?: string;
  /** The serialized provider the engine adds; a partial failure must hand it back. */
  readonly __provider?: string;
}

export interface ProviderDeps extends ChatApiDeps {
  env: Record<string, string | undefined>;
}

export class ChatSpaceProvider implements dynamic.ResourceProvider<SdkInputs, ChatSpaceOutputs> {
  private settings?: ProviderSettings;
  private chatApi?: ChatSpacesApi;

  constructor(private readonly deps: ProviderDeps) {}

  async configure(req: dynamic.ConfigureRequest): Promise<void> {
    this.settings = resolveSettings((key) => req.config.get(key), this.deps.env);
    this.chatApi = new ChatSpacesApi(this.settings, this.deps);
  }

  private get api(): ChatSpacesApi {
    // Pulumi's dynamic-provider host configures every provider before its first call.
    if (!this.chatApi) throw new Error("The ChatSpace provider was called before configure.");
    return this.chatApi;
  }

  private get auth(): "app" | "user" {
    return this.settings?.auth ?? "user";
  }

  async check(olds: SdkInputs, news: SdkInputs): Promise<dynamic.CheckResult<SdkInputs>> {
    const creating = Object.keys(olds ?? {}).filter((k) => k !== "__provider").length === 0;
    const failures = checkInputs(news, { creating, auth: this.settings?.auth, now: this.deps.now() });
    return failures.length > 0 ? { failures } : { inputs: news };
  }

  async diff(_id: string, olds: ChatSpaceOutputs, news: SdkInputs): Promise<dynamic.DiffResult> {
    const { changes, replaces, deleteBeforeReplace } = diffSpace(olds, declaredOf(news));
    return { changes, replaces, deleteBeforeReplace };
  }

  async create(inputs: SdkInputs): Promise<dynamic.CreateResult<ChatSpaceOutputs>> {
    const resource = inputs.resourceName ?? "(unnamed)";
    const declared = declaredOf(inputs);
    try {
      if (inputs.adoptSpace) return await this.adopt(inputs.adoptSpace, declared, resource, inputs.__provider);
      // An override replaces the URN as the seed; replace-only inputs are mixed in all the same.
      const base = inputs.requestId !== undefined ? requestIdBase(inputs.requestId) : inputs.requestIdBase;
      if (!base) throw new Error("no requestId base: create spaces with the ChatSpace class, which derives one from the resource's URN.");
      for (let attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
        const requestId = deriveRequestId(base, declared, attempt);
        const space = await this.createOnce(requestId, declared, resource);
        if (space) return await this.finish(space, declared, requestId, resource, inputs.__provider);
        this.deps.log(`ChatSpace ${resource}: requestId ${requestId} returned a space that is gone or different; trying the next derived requestId`);
      }
      throw new Error(`Google returned other spaces for ${MAX_CREATE_ATTEMPTS} derived requestIds; set a new requestId on the resource.`);
    } catch (error) {
      throw error instanceof UnfinishedSpace ? error : this.failure(resource, error);
    }
  }

  /**
   * One `spaces.create`, reconciled: a partial or possibly stale answer (a reused requestId
   * returns the space in whatever state it is now) is read again; a space that is gone or
   * whose replace-only fields differ from the declaration is not ours (undefined).
   */
  private async createOnce(requestId: string, declared: ChatSpaceInputs, resource: string): Promise<chat_v1.Schema$Space | undefined> {
    const startedAt = this.deps.now();
    let space: chat_v1.Schema$Space;
    try {
      space = await this.api.create(createBody(declared), requestId, { resource });
    } catch (error) {
      // A requestId whose space was deleted may answer NOT_FOUND: that id is spent.
      if (isNotFound(error)) return undefined;
      throw error;
    }
    if (!space.name) throw new Error("spaces.create answered without the space's name.");
    const partial = !space.spaceType || !space.spaceUri || !space.createTime;
    // An import-mode space carries its historical createTime, so its create is always read again.
    const replayed = Date.parse(space.createTime ?? "") < startedAt - REPLAY_AGE_MS;
    if (partial || replayed) {
      try {
        space = await this.api.get(space.name, { importMode: declared.importMode === true, resource });
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    }
    // Google sets createTime itself outside import mode (it was not sent): compare it only in import mode.
    return replaceOnlyConflicts(space, declared, declared.importMode === true).length === 0 ? space : undefined;
  }

  private async adopt(name: string, declared: ChatSpaceInputs, resource: string, provider?: string) {
    let space: chat_v1.Schema$Space;
    try {
      space = await this.api.get(name, { importMode: declared.importMode === true, resource });
    } catch (error) {
      if (isNotFound(error)) throw new Error(`adoptSpace ${name} does not exist, or these credentials can't see it.`);
      throw error;
    }
    const conflicts = replaceOnlyConflicts(space, declared, true);
    if (conflicts.length > 0) {
      throw new Error(
        `adoptSpace ${name} can't be taken over as declared: ${conflicts.join("; ")}. These can only be set when a space is created: declare the space's values.`,
      );
    }
    return this.finish(space, declared, "", resource, provider);
  }

  /** Brings a space Pulumi now owns to its declared state; a failure keeps the space in the stack. */
  private async finish(space: chat_v1.Schema$Space, declared: ChatSpaceInputs, requestId: string, resource: string, provider?: string) {
    let outs = toOutputs(space, declared, requestId);
    try {
      outs = await this.apply(outs, declared, undefined, resource);
    } catch (error) {
      throw new UnfinishedSpace(this.failure(resource, error).message, outs, provider);
    }
    return { id: outs.name, outs };
  }

  /** Runs the update plan; returns the outputs after the last call. */
  private async apply(
    live: ChatSpaceOutputs,
    declared: ChatSpaceInputs,
    previous: ChatSpaceInputs | undefined,
    resource: string,
  ): Promise<ChatSpaceOutputs> {
    const plan = planUpdate(live, declared, previous);
    let outs = { ...live, declared };
    let importMode = live.importMode;
    if (plan.completeImport) {
      outs = toOutputs(await this.api.completeImport(live.name, { resource }), declared, live.requestId);
      importMode = false;
    }
    for (const patch of plan.patches) {
      outs = toOutputs(await this.api.patch(live.name, patch.updateMask, patch.space, { importMode, resource }), declared, live.requestId);
    }
    return outs;
  }

  async read(id: string, props?: ChatSpaceOutputs): Promise<dynamic.ReadResult<ChatSpaceOutputs>> {
    const resource = spaceLabel(id, props);
    try {
      const space = await this.api.get(id, { importMode: props?.importMode === true, resource });
      return { id, props: toOutputs(space, props?.declared ?? {}, props?.requestId ?? "") };
    } catch (error) {
      // Gone: a blank id takes the space out of the stack; the next `up` creates it again.
      if (isNotFound(error)) return { id: "" };
      throw this.failure(resource, error);
    }
  }

  async update(id: string, olds: ChatSpaceOutputs, news: SdkInputs): Promise<dynamic.UpdateResult<ChatSpaceOutputs>> {
    const resource = news.resourceName ?? id;
    const declared = declaredOf(news);
    try {
      return { outs: await this.apply(olds, declared, olds.declared, resource) };
    } catch (error) {
      throw this.failure(resource, error);
    }
  }

  async delete(id: string, props: ChatSpaceOutputs): Promise<void> {
    const resource = spaceLabel(id, props);
    try {
      await this.api.delete(id, { importMode: props.importMode === true, resource });
    } catch (error) {
      if (isNotFound(error)) return;
      throw this.failure(resource, error);
    }
  }

  private failure(resource: string, error: unknown): Error {
    if (error instanceof ChatApiError || !(error instanceof Error)) return new Error(explain(resource, error, this.auth));
    return new Error(`ChatSpace ${resource}: ${error.message}`);
  }
}

/** read and delete get outputs only, without the resource's name: the space's name and id stand in. */
function spaceLabel(id: string, props: ChatSpaceOutputs | undefined): string {
  return props?.displayName ? `"${props.displayName}" (${id})` : id;
}

/** What `spaces.create` is sent: the declared fields it accepts (permission settings follow by PATCH). */
function createBody(declared: ChatSpaceInputs): chat_v1.Schema$Space {
  const spaceType = declared.spaceType ?? "SPACE";
  return {
    spaceType,
    displayName: declared.displayName,
    spaceDetails: declared.spaceDetails,
    spaceHistoryState: declared.spaceHistoryState,
    externalUserAllowed: declared.externalUserAllowed,
    accessSettings: declared.accessSettings?.audience ? { audience: declared.accessSettings.audience } : undefined,
    predefinedPermissionSettings: declared.predefinedPermissionSettings,
    customer: declared.customer,
    importMode: declared.importMode,
    createTime: declared.importMode ? declared.createTime : undefined,
  };
}

/** The replace-only fields where the space differs from the declaration. */
function replaceOnlyConflicts(space: chat_v1.Schema$Space, declared: ChatSpaceInputs, compareCreateTime: boolean): string[] {
  const conflicts: string[] = [];
  const differ = (field: string, has: unknown, wants: unknown) => conflicts.push(`${field} is ${JSON.stringify(has)}, declared ${JSON.stringify(wants)}`);
  if ((space.spaceType ?? "SPACE") !== (declared.spaceType ?? "SPACE")) differ("spaceType", space.spaceType, declared.spaceType ?? "SPACE");
  if ((space.importMode ?? false) !== (declared.importMode ?? false)) differ("importMode", space.importMode ?? false, declared.importMode ?? false);
  if ((space.externalUserAllowed ?? false) !== (declared.externalUserAllowed ?? false)) {
    differ("externalUserAllowed", space.externalUserAllowed ?? false, declared.externalUserAllowed ?? false);
  }
  // customers/my_customer is an alias Google resolves: only two different ids conflict.
  if (declared.customer && declared.customer !== "customers/my_customer" && space.customer && space.customer !== declared.customer) {
    differ("customer", space.customer, declared.customer);
  }
  if (compareCreateTime && declared.createTime && Date.parse(declared.createTime) !== Date.parse(space.createTime ?? "")) {
    differ("createTime", space.createTime, declared.createTime);
  }
  return conflicts;
}

/**
 * "Created, but not finished": the dynamic-provider host reports `id`, `properties` and
 * `reasons` as a partial failure, and the engine keeps the space in the stack with these outputs.
 */
class UnfinishedSpace extends Error {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];

  constructor(message: string, outs: ChatSpaceOutputs, provider: string | undefined) {
    super(message);
    this.id = outs.name;
    this.properties = { ...outs, __provider: provider };
    this.reasons = [message];
  }
}

/** The provider with the real clock, sleep and environment; `log` goes to Pulumi's log. */
export function defaultProvider(log: (message: string) => void): ChatSpaceProvider {
  return new ChatSpaceProvider({
    env: process.env,
    now: Date.now,
    sleep: (ms) => sleep(ms),
    random: Math.random,
    log,
  });
}
