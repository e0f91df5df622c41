/**
 * A small model of what Pulumi's engine does with a dynamic provider, enough to drive the
 * real ChatSpaceProvider the way `pulumi preview / up / up --replace / refresh / destroy` do
 * (docs/engine.md; pulumi/pulumi pkg/resource/deploy step_generator.go):
 *
 * - every declared resource is checked first, `check(oldInputs or {}, news)` (`{}` for a new
 *   resource and for a `--replace` target: step_generator.go checks "the resource has been
 *   targeted for replacement" with no old inputs, as a creation); a failure stops
 *   the operation before any step runs: `pulumi up` previews first (engine/update.go `Update`
 *   with dryRun, a deployment and provider process of its own), and updates only if the preview
 *   passed. The update itself, another deployment in another provider process, checks and diffs
 *   each resource as the program registers it and hands its steps to the step executor at once
 *   (deployment_executor.go: each RegisterResourceEvent goes through `stepGen.GenerateSteps`,
 *   then `stepExec.ExecuteSerial`), so a resource's create or update may run before a later
 *   resource is checked. By default this model's `up` checks and diffs every resource, then
 *   steps, in one process; with {@link EngineOptions.updateProcess} it previews in one process,
 *   then updates in the other in registration order: check, diff and step of each resource in
 *   turn (the order where a write knows the fewest later declarations), then the deletes; and with
 *   {@link EngineOptions.duringStep} too, each step overlaps the check and diff of the next
 *   registration, which run while the step's first API request is held (the order where a step
 *   meets declarations checked after its own diff). The preview checks every resource before it
 *   diffs any, either way.
 * - a resource not in state is created; one in state is diffed against its old OUTPUTS and is
 *   the same, updated, or replaced; a replacement is checked again with no old inputs, as a
 *   creation (step_generator.go, for auto-naming), and a failure of that check stops the
 *   operation before any step. `--replace` forces a replacement without asking the provider:
 *   no diff, no second check (step_generator.go `diff`: "If this resource is marked for
 *   replacement, just return a "replace" diff that blames the id"; the second Check is skipped
 *   for a targeted replace).
 * - a replacement deletes first when the `deleteBeforeReplace` resource option says so, or, the
 *   option unset, when the diff says so: a set option wins over the diff either way
 *   (step_generator.go: "The user can override the provider's decision by setting the
 *   `deleteBeforeReplace` field of `ResourceOptions` to either `true` or `false`"; the Node.js
 *   SDK sends the option as set whenever it is not undefined, and source_eval.go keeps it then).
 *   Otherwise it creates first and deletes the old resource after the program's steps;
 * - resources in state but no longer declared are deleted, or only dropped from the state
 *   with `retainOnDelete`; with the old halves of this run's create-first replacements and the
 *   pending deletes an earlier run left (a replacement interrupted between its create and the
 *   old resource's delete), after every step of the program: deployment_executor.go
 *   `performPostSteps` runs step_generator.go `GenerateDeletes` once the program has finished
 *   registering resources, and GenerateDeletes makes a delete step of each resource of the
 *   previous snapshot marked `Delete` (pending) and of each one the program did not register;
 * - one provider process serves every resource of the deployment: a model of several resource
 *   types dispatches each call by the resource's type, as the dynamic-provider host does by its
 *   `__provider` (see {@link ProviderOf}); or one process per provider instance, as the engine
 *   starts one plugin process for the default provider and one for each explicit one: a
 *   resource's check, diff, create and update go to the instance its registration names, its
 *   read and delete (a dropped resource, the old half of a replacement, a pending delete) to the
 *   one its state names, and each step it takes records the registration's instance in its
 *   state. A change of instance is no replacement by itself: the engine asks the new provider's
 *   DiffConfig (step_generator.go `providerChanged`), and this package's never replaces
 *   (provider/plugin/config.ts `diffConfig`), so the new instance diffs the resource as usual;
 * - refresh reads every resource: a blank id drops it; destroy deletes every resource;
 *   `up --refresh` refreshes in its preview's process (a copy of the state, not saved) and again
 *   in its update's, before that process checks, diffs and steps (deployment_executor.go `Execute`);
 * - an error carrying `id` and `properties` from create or update is a partial failure: the
 *   resource stays in state with those outputs; a plain error from create means nothing was
 *   created (the dynamic-provider contract), from update or delete that nothing changed;
 * - the first error stops the operation (no `--continue-on-error`);
 * - a crash: a provider call ran, and the engine died before writing its result.
 */
import type { DiffResult } from "@pulumi/pulumi/dynamic";
import type { SdkInputs } from "../../provider/space/provider";
import type { ChatSpaceOutputs } from "../../provider/space/types";

/**
 * The provider methods the engine calls, for inputs `I` and outputs `O` (ChatSpace's by default;
 * ChatMembership's for the membership fuzzer).
 */
export interface EngineProvider<I = SdkInputs, O = ChatSpaceOutputs> {
  check(olds: I, news: I): Promise<{ inputs?: I; failures?: { property: string; reason: string }[] }>;
  diff(id: string, olds: O, news: I): Promise<DiffResult>;
  create(inputs: I): Promise<{ id: string; outs?: O }>;
  read(id: string, props?: O): Promise<{ id?: string; props?: O }>;
  update(id: string, olds: O, news: I): Promise<{ outs?: O }>;
  delete(id: string, props: O): Promise<void>;
  /**
   * `pulumi import` of the resource `urn` whose Google name is `id`: the provider plugin's Read
   * with no state (provider/plugin/resources.ts `importState`), which answers the outputs the
   * state records and the inputs the engine writes into the program it generates.
   */
  importState?(id: string, urn: string): Promise<{ id: string; props: O; inputs: I }>;
  /**
   * Starts and configures the provider's process now, if it has not been: what the engine does for
   * the provider of each resource a deployment deletes before the first delete runs (pulumi/pulumi
   * pkg/resource/deploy/step_generator.go `GenerateDeletes` calls `EnsureProvider` for each).
   */
  ensure?(): Promise<void>;
}

export interface StateEntry<I = SdkInputs, O = ChatSpaceOutputs> {
  name: string;
  /** The resource's type, when a model serves several ({@link ProviderOf}). */
  type?: string;
  /** The provider instance that last served it ({@link ProviderOf}); undefined: the default provider. */
  instance?: string;
  id: string;
  inputs: I;
  outputs: O;
}

/** The stack's checkpoint: live resources, and old resources of create-before-delete replacements still to delete. */
export interface Stack<I = SdkInputs, O = ChatSpaceOutputs> {
  entries: StateEntry<I, O>[];
  pendingDeletes: StateEntry<I, O>[];
}

export interface DeclaredResource<I = SdkInputs> {
  name: string;
  /** The resource's type, when a model serves several ({@link ProviderOf}). */
  type?: string;
  /** The provider instance its registration names (the `provider` resource option); undefined: the default provider. */
  instance?: string;
  inputs: I;
  /**
   * The inputs as a preview sees them, where one is another resource's output: unknown until
   * apply (provider/core/engine-values.ts `UNKNOWN`; pulumi/pulumi sdk/nodejs runtime/rpc.ts
   * `unknownValue`, sent while the program runs as a dry run). The update, in a process of its own
   * ({@link EngineOptions.updateProcess}), checks and diffs {@link inputs}, every value known.
   */
  atPreview?: I;
  /** The `deleteBeforeReplace` resource option the engine gets (the program's, else the SDK class's); undefined: not set, the diff decides. */
  deleteBeforeReplace?: boolean;
  retainOnDelete: boolean;
  /**
   * The error the program threw as it registered this resource (an SDK class's constructor
   * refusing its options): the program fails, and the model makes no provider call. The fuzz
   * programs register every resource in one synchronous run, and the Node.js SDK sends a
   * registration to the engine only after awaiting its inputs (@pulumi/pulumi runtime/resource.ts
   * `registerResource`, `prepareResource`), so a constructor that throws stops the program first.
   */
  programError?: string;
}

/**
 * The provider of one process, by resource type: the dynamic-provider host serves every dynamic
 * resource of a deployment in one process, and hands each call to the provider its `__provider`
 * names. A model of one type gives its provider itself instead. `instance`: the provider instance
 * a resource names (undefined: the default provider), each its own process of the deployment.
 */
export type ProviderOf<I = SdkInputs, O = ChatSpaceOutputs> = (type: string | undefined, instance?: string) => EngineProvider<I, O>;

/** A resource's inputs as a preview sees them ({@link DeclaredResource.atPreview}). */
const seenAtPreview = <I>(r: DeclaredResource<I>): I => r.atPreview ?? r.inputs;

/** The program's own failure: the first error one of its registrations threw ({@link DeclaredResource.programError}). */
function programFailure(program: readonly DeclaredResource<unknown>[]): Outcome | undefined {
  const thrown = program.find((r) => r.programError !== undefined);
  return thrown ? { kind: "failed", error: thrown.programError! } : undefined;
}

export type RetainOption = Pick<DeclaredResource, "retainOnDelete">;

export type PlannedStep = "same" | "create" | "update" | "replace" | "delete";

export interface Plan {
  steps: Record<string, PlannedStep>;
  /** Each diffed resource's diff, as the preview shows it (a roster's detailedDiff lists its members). */
  diffs?: Record<string, DiffResult>;
}

/** One provider call, as the engine made it. */
export interface ProviderCall {
  resource: string;
  method: "create" | "read" | "update" | "delete" | "import";
  id?: string;
  /** The id the call answered (create), or "" for a read that found nothing. */
  result?: string;
  error?: string;
  partial?: boolean;
}

export type Outcome =
  | { kind: "ok" }
  /** `replacing`: the check of a replacement (no old inputs) failed. */
  | { kind: "checkFailed"; failures: string[]; replacing?: string }
  | { kind: "diffFailed"; resource: string; error: string }
  | { kind: "failed"; error: string }
  | { kind: "crashed"; after: ProviderCall };

class Crash extends Error {
  constructor(readonly call: ProviderCall) {
    super("crash");
  }
}

export interface EngineOptions {
  /** Die after this many provider calls (create, read, update; deletes too with `countDeletes`). */
  crash?: { after: number; countDeletes: boolean };
  /** Runs after each provider call, before the engine writes its result: the log of API calls is taken here. */
  afterCall?: (call: ProviderCall) => Promise<void>;
  /**
   * The provider process of `pulumi up`'s update, apart from its preview's: the update then runs
   * as the engine runs it, each resource checked, diffed and stepped in registration order.
   */
  updateProcess?: EngineProvider<unknown, unknown> | ProviderOf<unknown, unknown>;
  /**
   * Runs a step, and the next registration's check and diff (`meanwhile`) while the step's first
   * API request waits, and settles both: the update of `pulumi up` (with an
   * {@link EngineOptions.updateProcess}) then overlaps its steps with the checks and diffs of the
   * registrations after them, as the engine does, instead of stepping one resource at a time.
   * Under {@link EngineModel.upSkippingPreview} without it, the next registration is checked and
   * diffed before the step starts.
   */
  duringStep?: (step: () => Promise<void>, meanwhile: () => Promise<void>) => Promise<[PromiseSettledResult<void>, PromiseSettledResult<void>]>;
  /**
   * The resources the program no longer declares (a destroy's: every resource) and the pending
   * deletes are deleted at once, as the engine deletes the resources of one delete chain in parallel
   * (deployment_executor.go: `ExecuteParallel` of each antichain; the resources of a case depend
   * on none of each other). Unset: one after the other, in reverse registration order.
   */
  deletesAtOnce?: boolean;
  /**
   * The update's steps of the declared resources (create, update, replace) run at once, as the
   * engine runs the steps of resources that depend on none of each other: each registration's
   * steps go to the step executor's workers (deployment_executor.go `ExecuteSerial` of that
   * resource's chain), which the program does not wait for before it registers the next. Each
   * step runs to its end; the first failure (a crash first) stops the operation after them.
   * Unset: one after the other, in registration order.
   */
  stepsAtOnce?: boolean;
}

/** A check or diff of the update that refused: the update stops there, after the steps before it. */
class Refused extends Error {
  constructor(readonly outcome: Outcome) {
    super("refused");
  }
}

export const emptyStack = <I = SdkInputs, O = ChatSpaceOutputs>(): Stack<I, O> => ({ entries: [], pendingDeletes: [] });

export class EngineModel<I = SdkInputs, O = ChatSpaceOutputs> {
  readonly calls: ProviderCall[] = [];
  /** Ids the engine let go of without deleting them (retainOnDelete). */
  readonly retained: string[] = [];
  private counted = 0;

  private readonly providerOf: ProviderOf<I, O>;
  /** The process the steps' calls go to: the operation's, or its update's ({@link EngineOptions.updateProcess}) once the preview passed. */
  private stepsOf: ProviderOf<I, O>;

  constructor(
    provider: EngineProvider<I, O> | ProviderOf<I, O>,
    private readonly options: EngineOptions = {},
  ) {
    // A crash at once with other calls would land on whichever ended first: no crash the case could name.
    if (options.crash && (options.stepsAtOnce || options.deletesAtOnce))
      throw new Error("the model crashes only one call after another (no stepsAtOnce, deletesAtOnce)");
    this.providerOf = providerOfEither(provider);
    this.stepsOf = this.providerOf;
  }

  /** The provider of a declared resource, by its type and instance, for checks and diffs. */
  private provider(r: { type?: string; instance?: string }): EngineProvider<I, O> {
    return this.providerOf(r.type, r.instance);
  }

  /** The provider a step's call goes to: a declared resource's instance, or for a read or delete, the one its state entry names. */
  private stepProvider(r: { type?: string; instance?: string }): EngineProvider<I, O> {
    return this.stepsOf(r.type, r.instance);
  }

  /**
   * A same step: the state takes the registration's checked inputs, keeping the outputs, as the
   * engine's does (pulumi/pulumi pkg/resource/deploy/step.go `SameStep`: its new state is built
   * from the goal's inputs, and takes the old one's outputs).
   */
  private static same<I, O>(old: StateEntry<I, O>, r: DeclaredResource<I>, news: I): void {
    old.inputs = news;
    EngineModel.servedBy(old, r);
  }

  /** A resource the program declares again takes its registration's instance into the state, whatever its step (a same step too). */
  private static servedBy<I, O>(old: StateEntry<I, O>, r: DeclaredResource<I>): void {
    if (r.instance === undefined) delete old.instance;
    else old.instance = r.instance;
  }

  private async call<T>(call: ProviderCall, run: () => Promise<T>): Promise<T> {
    let result: T | undefined;
    let error: unknown;
    try {
      result = await run();
    } catch (e) {
      error = e;
      call.error = e instanceof Error ? e.message : String(e);
      call.partial = typeof (e as { id?: unknown })?.id === "string" && (e as { id: string }).id !== "";
    }
    if (!error && call.method === "create") call.result = (result as { id: string }).id;
    if (!error && call.method === "read") call.result = (result as { id?: string }).id ?? "";
    this.calls.push(call);
    await this.options.afterCall?.(call);
    const crash = this.options.crash;
    if (crash && (call.method !== "delete" || crash.countDeletes) && ++this.counted === crash.after) throw new Crash(call);
    if (error) throw error;
    return result as T;
  }

  /**
   * Checks every declared resource; the checked inputs, or the failures as the engine prints them,
   * with the first `--replace` target among the refused (`replacing`: checked as a creation).
   */
  private async checkAll(
    stack: Stack<I, O>,
    program: DeclaredResource<I>[],
    replaceTargets: string[],
  ): Promise<Map<string, I> | { failures: string[]; replacing?: string }> {
    const checked = new Map<string, I>();
    const failures: string[] = [];
    let replacing: string | undefined;
    for (const r of program) {
      const targeted = replaceTargets.includes(r.name) && stack.entries.some((e) => e.name === r.name);
      const old = targeted ? undefined : stack.entries.find((e) => e.name === r.name);
      const declared = seenAtPreview(r);
      const result = await this.provider(r).check(old?.inputs ?? ({} as I), declared);
      if (result.failures?.length) {
        failures.push(...result.failures.map((f) => `${r.name}: property ${f.property}: ${f.reason}`));
        if (targeted) replacing ??= r.name;
      } else checked.set(r.name, result.inputs ?? declared);
    }
    return failures.length > 0 ? { failures, ...(replacing ? { replacing } : {}) } : checked;
  }

  /** `pulumi preview`: check and diff only. */
  async preview(stack: Stack<I, O>, program: DeclaredResource<I>[], replaceTargets: string[] = []) {
    const thrown = programFailure(program);
    if (thrown) return { outcome: thrown };
    let checked: Awaited<ReturnType<EngineModel<I, O>["checkAll"]>>;
    try {
      checked = await this.checkAll(stack, program, replaceTargets);
    } catch (e) {
      // A check that throws (an error, not failures) fails the preview as the provider's error.
      return { outcome: { kind: "failed", error: e instanceof Error ? e.message : String(e) } as Outcome };
    }
    if (!(checked instanceof Map)) return { outcome: { kind: "checkFailed", ...checked } as Outcome };
    const steps: Record<string, PlannedStep> = {};
    const diffs: Record<string, DiffResult> = {};
    const deleteFirst: Record<string, boolean> = {};
    for (const r of program) {
      const old = stack.entries.find((e) => e.name === r.name);
      if (!old) {
        steps[r.name] = "create";
        continue;
      }
      if (replaceTargets.includes(r.name)) {
        // A targeted replace asks the provider nothing: no diff, no second check.
        steps[r.name] = "replace";
        deleteFirst[r.name] = r.deleteBeforeReplace ?? false;
        continue;
      }
      let diff: DiffResult;
      try {
        diff = await this.provider(r).diff(old.id, old.outputs, checked.get(r.name)!);
      } catch (e) {
        // A diff that refuses stops the preview (and the up) before any step: nothing changes.
        return { outcome: { kind: "diffFailed", resource: r.name, error: e instanceof Error ? e.message : String(e) } as Outcome };
      }
      diffs[r.name] = diff;
      const replace = (diff.replaces?.length ?? 0) > 0;
      if (replace) {
        const declared = seenAtPreview(r);
        const again = await this.provider(r).check({} as I, declared);
        if (again.failures?.length) {
          const failures = again.failures.map((f) => `${r.name}: property ${f.property}: ${f.reason}`);
          return { outcome: { kind: "checkFailed", failures, replacing: r.name } as Outcome };
        }
        checked.set(r.name, again.inputs ?? declared);
      }
      steps[r.name] = replace ? "replace" : diff.changes ? "update" : "same";
      deleteFirst[r.name] = r.deleteBeforeReplace ?? diff.deleteBeforeReplace === true;
    }
    for (const e of stack.entries) if (!program.some((r) => r.name === e.name)) steps[e.name] = "delete";
    return { outcome: { kind: "ok" } as Outcome, plan: { steps, diffs }, checked, deleteFirst };
  }

  /**
   * `pulumi preview --refresh` (and the preview of `pulumi up --refresh`): a refresh in the
   * preview's process, of a copy of the state (a preview's refreshed state is not saved:
   * deployment_executor.go `Execute` refreshes whether or not the deployment is a dry run, and
   * only an update writes its checkpoint), then check and diff from it in the same process.
   */
  async previewRefreshed(stack: Stack<I, O>, program: DeclaredResource<I>[], replaceTargets: string[] = []): ReturnType<EngineModel<I, O>["preview"]> {
    const seen = structuredClone(stack);
    const refreshed = await this.refresh(seen);
    if (refreshed.kind !== "ok") return { outcome: refreshed };
    return this.preview(seen, program, replaceTargets);
  }

  /**
   * `pulumi up` (with `--replace` targets). Mutates `stack` as the engine's checkpoints would.
   * `removed` holds the options of resources no longer in the program, from their last registration.
   * `refresh`: `pulumi up --refresh`, which refreshes twice: in its preview's process (of a copy,
   * {@link previewRefreshed}) and again in its update's (of the saved state, which it then
   * writes), before the update checks, diffs and steps; `betweenRefreshes` runs between the two,
   * where a change made in Chat is read by the update's refresh and was not by its preview's.
   */
  async up(
    stack: Stack<I, O>,
    program: DeclaredResource<I>[],
    replaceTargets: string[] = [],
    removed: Record<string, RetainOption> = {},
    refresh?: { betweenRefreshes?: () => Promise<void> },
  ): Promise<Outcome> {
    const preview = refresh ? await this.previewRefreshed(stack, program, replaceTargets) : await this.preview(stack, program, replaceTargets);
    if (!preview.plan) return preview.outcome;
    if (refresh) {
      if (!this.options.updateProcess) throw new Error("the model runs up --refresh with an update process of its own (EngineOptions.updateProcess)");
      await refresh.betweenRefreshes?.();
      this.stepsOf = providerOfEither(this.options.updateProcess as EngineProvider<I, O> | ProviderOf<I, O>);
      const refreshed = await this.refresh(stack);
      if (refreshed.kind !== "ok") return refreshed;
    }
    if (this.options.updateProcess) return this.updateInRegistrationOrder(stack, program, replaceTargets, removed, this.options.duringStep !== undefined);
    if (program.some((r) => r.atPreview !== undefined))
      throw new Error("the model runs an up with values unknown at preview with an update process of its own (EngineOptions.updateProcess)");
    const { plan, checked, deleteFirst } = preview;
    return this.guard(async () => {
      await this.each(program, this.options.stepsAtOnce === true, async (r) => {
        const news = checked.get(r.name)!;
        const old = stack.entries.find((e) => e.name === r.name);
        const step = plan.steps[r.name];
        if (step === "create") await this.create(stack, r, news);
        else if (step === "update") await this.update(old!, r, news);
        else if (step === "same") EngineModel.same(old!, r, news);
        else if (step === "replace" && deleteFirst[r.name]) {
          await this.remove(stack, old!, r.retainOnDelete);
          await this.create(stack, r, news);
        } else if (step === "replace") {
          await this.create(stack, r, news, old);
          if (r.retainOnDelete) {
            this.retained.push(old!.id);
            stack.pendingDeletes = stack.pendingDeletes.filter((e) => e !== old);
          }
        }
      });
      await this.generateDeletes(stack, program, removed);
    });
  }

  /**
   * `pulumi up --skip-preview`: no preview, so no check of every declaration before the first
   * step; the update in its own process ({@link EngineOptions.updateProcess}), each step running
   * while the next registration is checked and diffed.
   */
  async upSkippingPreview(
    stack: Stack<I, O>,
    program: DeclaredResource<I>[],
    replaceTargets: string[] = [],
    removed: Record<string, RetainOption> = {},
  ): Promise<Outcome> {
    if (!this.options.updateProcess) throw new Error("the model runs up --skip-preview with an update process of its own (EngineOptions.updateProcess)");
    const thrown = programFailure(program);
    if (thrown) return thrown;
    return this.updateInRegistrationOrder(stack, program, replaceTargets, removed, true);
  }

  /**
   * GenerateDeletes, once the program has run: the pending deletes (an earlier run's, then this
   * run's create-first replacements'), then the resources the program no longer declares.
   */
  private async generateDeletes(stack: Stack<I, O>, program: DeclaredResource<I>[], removed: Record<string, RetainOption>): Promise<void> {
    await this.ensureProviders([...stack.pendingDeletes, ...stack.entries.filter((e) => !program.some((r) => r.name === e.name))]);
    const dropped = [...stack.entries].reverse().filter((e) => !program.some((r) => r.name === e.name));
    await this.deleteAll(stack, dropped, (e) => removed[e.name]?.retainOnDelete === true);
  }

  /**
   * The pending deletes, then `entries` (or, those `retain` says, only dropped from the state):
   * one after the other, or at once ({@link EngineOptions.deletesAtOnce}), as GenerateDeletes
   * lists both and ScheduleDeletes makes one delete chain of them here, nothing ordering them.
   */
  private deleteAll(stack: Stack<I, O>, entries: StateEntry<I, O>[], retain: (e: StateEntry<I, O>) => boolean): Promise<void> {
    const pending = (old: StateEntry<I, O>) => async () => {
      await this.call({ resource: old.name, method: "delete", id: old.id }, () => this.stepProvider(old).delete(old.id, old.outputs));
      stack.pendingDeletes = stack.pendingDeletes.filter((e) => e !== old);
    };
    const deletes = [...[...stack.pendingDeletes].map(pending), ...entries.map((e) => () => this.remove(stack, e, retain(e)))];
    return this.each(deletes, this.options.deletesAtOnce === true, (run) => run());
  }

  /**
   * `step` of each of `items`, one after the other (the first failure stops the rest), or `atOnce`:
   * every step runs to its end, and the first failure (a crash first) is thrown after them.
   */
  private async each<T>(items: readonly T[], atOnce: boolean, step: (item: T) => Promise<void>): Promise<void> {
    if (!atOnce) {
      for (const item of items) await step(item);
      return;
    }
    const failed = failuresOf(await Promise.all(items.map((item) => settled(step(item)))));
    if (failed.length > 0) throw failed[0];
  }

  /**
   * The update of `pulumi up` in its own process, after its preview passed: each resource
   * checked, diffed (a targeted replace asks no diff and no second check) and stepped in
   * registration order, then the deletes. A check or diff that refuses stops it there.
   * `pipelined`: each step runs while the engine checks and diffs the next registration, as the
   * step executor runs a step while the program goes on registering (deployment_executor.go:
   * each RegisterResourceEvent's steps go to `stepExec.ExecuteSerial`, which does not wait for
   * them): the check and diff of the resource after it come before its step, or, with
   * {@link EngineOptions.duringStep}, while its first API request is held. `pulumi up --skip-preview`
   * always overlaps; a previewed `up` only with `duringStep`, else one step at a time.
   */
  private async updateInRegistrationOrder(
    stack: Stack<I, O>,
    program: DeclaredResource<I>[],
    replaceTargets: string[],
    removed: Record<string, RetainOption>,
    pipelined = false,
  ): Promise<Outcome> {
    this.stepsOf = providerOfEither(this.options.updateProcess as EngineProvider<I, O> | ProviderOf<I, O>);
    const failures = (r: DeclaredResource<I>, fs: { property: string; reason: string }[]) => fs.map((f) => `${r.name}: property ${f.property}: ${f.reason}`);
    /** Checks and diffs `r`, and gives its step to run. */
    const stepOf = async (r: DeclaredResource<I>): Promise<() => Promise<void>> => {
      const p = this.stepProvider(r);
      const old = stack.entries.find((e) => e.name === r.name);
      // A --replace target is checked as a creation, with no old inputs (step_generator.go).
      const targeted = old !== undefined && replaceTargets.includes(r.name);
      const checked = await p.check(targeted ? ({} as I) : (old?.inputs ?? ({} as I)), r.inputs);
      if (checked.failures?.length)
        throw new Refused({ kind: "checkFailed", failures: failures(r, checked.failures), ...(targeted ? { replacing: r.name } : {}) });
      let news = checked.inputs ?? r.inputs;
      if (!old) return () => this.create(stack, r, news);
      let replace = replaceTargets.includes(r.name);
      let changes = replace;
      let deleteFirst = r.deleteBeforeReplace ?? false;
      if (!replace) {
        let diff: DiffResult;
        try {
          diff = await p.diff(old.id, old.outputs, news);
        } catch (e) {
          throw new Refused({ kind: "diffFailed", resource: r.name, error: e instanceof Error ? e.message : String(e) });
        }
        replace = (diff.replaces?.length ?? 0) > 0;
        changes = diff.changes === true;
        deleteFirst = r.deleteBeforeReplace ?? diff.deleteBeforeReplace === true;
        if (replace) {
          const again = await p.check({} as I, r.inputs);
          if (again.failures?.length) throw new Refused({ kind: "checkFailed", failures: failures(r, again.failures), replacing: r.name });
          news = again.inputs ?? r.inputs;
        }
      }
      return async () => {
        if (replace && deleteFirst) {
          await this.remove(stack, old, r.retainOnDelete);
          await this.create(stack, r, news);
        } else if (replace) {
          await this.create(stack, r, news, old);
          if (r.retainOnDelete) {
            this.retained.push(old.id);
            stack.pendingDeletes = stack.pendingDeletes.filter((e) => e !== old);
          }
        } else if (changes) await this.update(old, r, news);
        else EngineModel.same(old, r, news);
      };
    };
    return this.guard(async () => {
      if (!pipelined && this.options.stepsAtOnce) {
        await this.stepsAtOnce(program, stepOf);
        await this.generateDeletes(stack, program, removed);
        return;
      }
      let dispatched: (() => Promise<void>) | undefined;
      for (const r of program) {
        if (!pipelined) {
          await (await stepOf(r))();
          continue;
        }
        const running = dispatched ?? (async () => {});
        let next: (() => Promise<void>) | undefined;
        const checkNext = async () => {
          next = await stepOf(r);
        };
        let ran: PromiseSettledResult<void>;
        let checked: PromiseSettledResult<void>;
        if (this.options.duringStep) [ran, checked] = await this.options.duringStep(running, checkNext);
        else {
          checked = await settled(checkNext());
          ran = await settled(running());
        }
        // A check or diff that refuses cancels the steps not started yet, and the engine waits for
        // the one it started (deployment_executor.go `Execute`: `cancel()`, then
        // `stepExec.WaitForCompletion()`): the refusal is the outcome, unless the step crashed.
        for (const result of [ran, checked]) if (result.status === "rejected" && result.reason instanceof Crash) throw result.reason;
        for (const result of [checked, ran]) if (result.status === "rejected") throw result.reason;
        dispatched = next;
      }
      await dispatched?.();
      await this.generateDeletes(stack, program, removed);
    });
  }

  /**
   * The update's registrations checked and diffed in order ({@link EngineOptions.stepsAtOnce}),
   * each one's step started at once and not waited for: a check or diff that refuses stops the
   * registrations after it, and the engine waits for the steps it started (deployment_executor.go
   * `Execute`: `cancel()`, then `stepExec.WaitForCompletion()`). A crash is the outcome first,
   * then the refusal, then the first step that failed.
   */
  private async stepsAtOnce(program: DeclaredResource<I>[], stepOf: (r: DeclaredResource<I>) => Promise<() => Promise<void>>): Promise<void> {
    const started: Promise<PromiseSettledResult<void>>[] = [];
    let refused: unknown;
    for (const r of program) {
      try {
        started.push(settled((await stepOf(r))()));
      } catch (e) {
        refused = e;
        break;
      }
    }
    const failed = failuresOf(await Promise.all(started));
    if (failed[0] instanceof Crash) throw failed[0];
    if (refused !== undefined) throw refused;
    if (failed.length > 0) throw failed[0];
  }

  async refresh(stack: Stack<I, O>): Promise<Outcome> {
    return this.guard(async () => {
      for (const e of [...stack.entries]) {
        const read = await this.call({ resource: e.name, method: "read", id: e.id }, () => this.stepProvider(e).read(e.id, e.outputs));
        if (!read.id) stack.entries = stack.entries.filter((x) => x !== e);
        else Object.assign(e, { id: read.id, outputs: read.props ?? e.outputs });
      }
    });
  }

  /**
   * `pulumi import` of one resource (`r`: its name, type and instance; `urn`), whose Google name is
   * `id`: the provider reads it, the state records it with the outputs read, and the engine writes
   * the inputs answered into the program (pulumi/pulumi pkg/resource/deploy/step.go `ImportStep`;
   * the generated code declares them). The inputs, or the failure.
   */
  async import(stack: Stack<I, O>, r: { name: string; type?: string; instance?: string }, id: string, urn: string): Promise<{ outcome: Outcome; inputs?: I }> {
    let inputs: I | undefined;
    const outcome = await this.guard(async () => {
      const provider = this.stepProvider(r);
      if (!provider.importState) throw new Error(`${r.name}: the provider of ${r.type ?? "this type"} imports nothing`);
      const read = await this.call({ resource: r.name, method: "import", id }, () => provider.importState!(id, urn));
      stack.entries.push({
        name: r.name,
        ...(r.type ? { type: r.type } : {}),
        ...(r.instance !== undefined ? { instance: r.instance } : {}),
        id: read.id,
        inputs: read.inputs,
        outputs: read.props,
      });
      inputs = read.inputs;
    });
    return { outcome, ...(inputs ? { inputs } : {}) };
  }

  /** The providers of the resources a deployment deletes, configured before the first delete runs (the engine's `EnsureProvider`). */
  private async ensureProviders(deleted: readonly StateEntry<I, O>[]): Promise<void> {
    for (const e of deleted) await this.stepProvider(e).ensure?.();
  }

  async destroy(stack: Stack<I, O>, options: Record<string, RetainOption>): Promise<Outcome> {
    return this.guard(async () => {
      await this.ensureProviders([...stack.pendingDeletes, ...stack.entries]);
      await this.deleteAll(stack, [...stack.entries].reverse(), (e) => options[e.name]?.retainOnDelete === true);
    });
  }

  private async guard(run: () => Promise<void>): Promise<Outcome> {
    try {
      await run();
      return { kind: "ok" };
    } catch (e) {
      if (e instanceof Crash) return { kind: "crashed", after: e.call };
      if (e instanceof Refused) return e.outcome;
      return { kind: "failed", error: e instanceof Error ? e.message : String(e) };
    }
  }

  private async create(stack: Stack<I, O>, r: DeclaredResource<I>, news: I, replacing?: StateEntry<I, O>): Promise<void> {
    const { name, type } = r;
    // The replaced resource stays in the checkpoint, marked for deletion, from the moment its replacement exists.
    const put = (id: string, outputs: O) => {
      stack.entries = stack.entries.filter((e) => e.name !== name && e !== replacing);
      stack.entries.push({ name, ...(type ? { type } : {}), ...(r.instance !== undefined ? { instance: r.instance } : {}), id, inputs: news, outputs });
      if (replacing) stack.pendingDeletes.push(replacing);
    };
    try {
      const { id, outs } = await this.call({ resource: name, method: "create" }, () => this.stepProvider(r).create(news));
      put(id, outs!);
    } catch (e) {
      const partial = e as { id?: string; properties?: O };
      if (!(e instanceof Crash) && partial.id) put(partial.id, stripProvider(partial.properties!));
      throw e;
    }
  }

  /** An update, by the instance the registration `r` names, which the state then records. */
  private async update(old: StateEntry<I, O>, r: DeclaredResource<I>, news: I): Promise<void> {
    try {
      const { outs } = await this.call({ resource: old.name, method: "update", id: old.id }, () => this.stepProvider(r).update(old.id, old.outputs, news));
      Object.assign(old, { inputs: news, outputs: outs ?? ({} as O) });
      EngineModel.servedBy(old, r);
    } catch (e) {
      const partial = e as { id?: string; properties?: O };
      if (!(e instanceof Crash) && partial.id) {
        Object.assign(old, { inputs: news, outputs: stripProvider(partial.properties!) });
        EngineModel.servedBy(old, r);
      }
      throw e;
    }
  }

  private async remove(stack: Stack<I, O>, old: StateEntry<I, O>, retain: boolean): Promise<void> {
    if (retain) this.retained.push(old.id);
    else await this.call({ resource: old.name, method: "delete", id: old.id }, () => this.stepProvider(old).delete(old.id, old.outputs));
    stack.entries = stack.entries.filter((e) => e !== old);
  }
}

/** The failures of steps that ran at once, a crash first (the engine died: it is the outcome), then in their order. */
function failuresOf(outcomes: readonly PromiseSettledResult<void>[]): unknown[] {
  const failed = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
  return [...failed.filter((e) => e instanceof Crash), ...failed.filter((e) => !(e instanceof Crash))];
}

/** How a promise ended, without throwing. */
export const settled = (p: Promise<void>): Promise<PromiseSettledResult<void>> =>
  p.then(
    () => ({ status: "fulfilled", value: undefined }),
    (reason: unknown) => ({ status: "rejected", reason }),
  );

/** A provider per type, from either one provider or a provider per type. */
function providerOfEither<I, O>(provider: EngineProvider<I, O> | ProviderOf<I, O>): ProviderOf<I, O> {
  return typeof provider === "function" ? provider : () => provider;
}

/** The engine stores `__provider` with the inputs; outputs here are compared without it. */
function stripProvider<O>(properties: O): O {
  const { __provider: _p, ...outs } = properties as O & { __provider?: string };
  return outs as O;
}

/** An outcome as one line of a transcript. */
export function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case "ok":
      return "ok";
    case "checkFailed":
      return `check failed: ${o.failures.join("; ")}`;
    case "diffFailed":
      return `diff of ${o.resource} failed: ${o.error}`;
    case "failed":
      return `failed: ${o.error}`;
    case "crashed":
      return `crashed after ${o.after.resource} ${o.after.method}`;
  }
}
