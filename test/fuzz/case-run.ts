/**
 * The step loop every half of the lifecycle fuzzer (spaces, memberships, rosters) runs one case
 * through, as Pulumi's own fuzzer runs its fixtures (pulumi/pulumi pkg/engine/lifecycletest/fuzzing):
 * the set-up (an `up` of the starting declarations), the changes made in Chat, maybe a refresh,
 * the preview of the operation, the operation under the case's faults (and maybe a crash), then,
 * after a failure, the same command again with no faults. Each step's API calls and provider
 * calls are recorded in the transcript; the invariants are checked after each step.
 *
 * A resource's runner (run-case.ts, membership-run.ts, roster-run.ts) gives only what differs:
 * what it makes in Chat first, its programs, its provider, the changes in Chat, and how it judges
 * the preview and each step.
 */
import type { WorldSettings } from "../../emulator/model";
import type { TestEmulator } from "../helpers/emulator";
import {
  type DeclaredResource,
  describeOutcome,
  EngineModel,
  type EngineProvider,
  emptyStack,
  type Outcome,
  type Plan,
  type ProviderCall,
  type ProviderOf,
  type RetainOption,
  type Stack,
  settled,
} from "./engine";
import type { OperationKind } from "./fixture";
import { ApiLog, installFaults, Person, type TaggedRequest } from "./world";

/** What the loop reads of a case's fixture; each half's fixture has more. */
export interface FuzzCase {
  operation: OperationKind;
  faults: Parameters<typeof installFaults>[1];
  /** The engine dies after the `after`-th provider call of the operation. */
  crash?: { after: number; countDeletes: boolean };
  /** `pulumi refresh` (no faults) after the changes in Chat, before the operation. */
  refreshFirst?: boolean;
  /** The resource `up --replace` targets. */
  replaceTarget?: string;
  /**
   * `pulumi up --refresh` (or `preview --refresh`): the preview refreshes a copy of the state in
   * its process, and the update refreshes the state again in its own (engine.ts `up`).
   */
  upRefresh?: boolean;
  /**
   * `pulumi up --skip-preview`: no preview, so nothing announced (plan "none"); the update checks,
   * diffs and steps each resource as the program registers it (engine.ts `upSkippingPreview`).
   */
  skipPreview?: boolean;
  /**
   * The operation's update overlaps its steps with the registrations after them, as the engine's
   * does: each registration is checked and diffed while the step before it waits on its first API
   * request (under `skipPreview`: not before that step starts; under a previewed `up`: not after
   * that step ended, one resource at a time). The preview is unchanged.
   */
  checkDuringStep?: boolean;
  /** The operation deletes the resources it deletes at once, as the engine runs a delete chain (EngineOptions.deletesAtOnce). */
  deletesAtOnce?: boolean;
  /** The operation's update runs the steps of the declared resources at once, as the engine's workers do (EngineOptions.stepsAtOnce). */
  stepsAtOnce?: boolean;
  /** The declared resources whose `retainOnDelete` the engine keeps for those no longer declared. */
  resources?: readonly { name: string; retainOnDelete: boolean }[];
}

/** The invariants every half checks, by the same name. */
type SharedInvariant = "checkAccepts" | "checkRefuses" | "previewReadsNothing" | "recovers";

/** What a run found: its broken promises, and every provider call and the API requests it made, in order. */
export interface CaseResult<V> {
  violations: V[];
  transcript: string[];
}

/** Which declarations a program is made of: the last deployment's, the operation's, or the next up's after a failure (a refused one's start). */
export type ProgramStage = "start" | "next" | "recovery";

/** One operation the loop ran: what a runner judges after it. */
export interface Step<I> {
  /** "operation" (under the case's faults and crash), or "next" (the same command again, after a failure). */
  phase: "operation" | "next";
  kind: OperationKind;
  /** What its preview planned ("all": a destroy deletes everything; "none": no preview). */
  plan: Plan | "all" | "none";
  program: DeclaredResource<I>[];
  outcome: Outcome;
}

/** The serialized provider the engine adds to inputs; a partial failure hands it back. */
export const SERIALIZED_PROVIDER = "fuzz-serialized-provider";

const people = new WeakMap<TestEmulator, Person>();

/** The person who makes spaces by hand, one per emulator: their Chat client keeps its token across cases (a reset keeps tokens). */
export const personFor = (t: TestEmulator): Person => people.get(t) ?? people.set(t, Person.of(t)).get(t)!;

/**
 * One case's run: inputs `I`, outputs `O`, fixture `F`, violations `V`, and `B`, what a runner
 * reads before each operation to judge it by afterwards.
 */
export abstract class CaseRun<I, O, F extends FuzzCase, V extends { invariant: string; detail: string }, B = void> {
  readonly violations: V[] = [];
  readonly transcript: string[] = [];
  protected readonly log: ApiLog;
  protected readonly stack: Stack<I, O> = emptyStack<I, O>();
  /** Ids the engine let go of without deleting them (retainOnDelete). */
  protected readonly retained = new Set<string>();
  /** Whether the next up after a failure is previewed first, its refusal judged by {@link stopIsJustified}. */
  protected readonly previewsRecovery: boolean = true;

  constructor(
    protected readonly t: TestEmulator,
    protected readonly f: F,
  ) {
    this.log = new ApiLog(t);
  }

  /** The emulator's settings for this case, set after its reset. */
  protected abstract settings(): Partial<WorldSettings>;
  /** What the case starts from in Chat, made by hand before the set-up. */
  protected abstract prepare(): Promise<void>;
  /** The program of a stage, each declaration as the SDK sends it. */
  protected abstract program(stage: ProgramStage): DeclaredResource<I>[];
  /** The provider the engine calls in a phase, with that phase's caller: one, or one per resource type of one process. */
  protected abstract provider(phase: string): EngineProvider<I, O> | ProviderOf<I, O>;
  /** The checks after the set-up's successful up. */
  protected abstract afterSetUp(program: DeclaredResource<I>[]): Promise<void>;
  /** Applies the case's changes in Chat, outside Pulumi, and notes what the state no longer knows. */
  protected abstract diverge(): Promise<void>;
  /** The checks of the operation's preview, beyond "it read nothing". */
  protected abstract judgePreview(preview: Awaited<ReturnType<EngineModel<I, O>["preview"]>>, program: DeclaredResource<I>[]): Promise<void>;
  /** Reads what {@link judge} compares the step's result with. */
  protected abstract beforeStep(): Promise<B>;
  /** The checks after one operation, against what {@link beforeStep} read. */
  protected abstract judge(step: Step<I>, before: B): Promise<void>;
  /** The state is known again: a refresh succeeded. */
  protected abstract fresh(): void;
  /** Whether the next up's (or its preview's) refusal is a deliberate stop rather than a failure to recover. */
  protected abstract stopIsJustified(o: Outcome, stage: "next preview" | "next"): Promise<boolean>;

  /**
   * The provider process of an up's update, apart from its preview's (engine.ts
   * EngineOptions.updateProcess); undefined: the model's default, one process for both.
   */
  protected updateProcess(_phase: string): EngineProvider<I, O> | ProviderOf<I, O> | undefined {
    return undefined;
  }

  /**
   * Changes made in Chat during an `up --refresh`, after its preview's refresh and before its
   * update's; `before` is what {@link judge} will compare the step's result with, read again here.
   */
  protected async betweenRefreshes(_before: B): Promise<void> {}

  /** A read the preview may make (none by default): a call of the check and diff a half's rules allow ({@link readsWhoTheCallerIs}). */
  protected previewMayRead(_call: TaggedRequest): boolean {
    return false;
  }

  /** Bookkeeping after each provider call (which ids the stack has held, what a create made fresh). */
  protected onCall(_call: ProviderCall): void {}

  /** What the transcript shows of a preview's plan. */
  protected describePlan(plan: Plan): string {
    return JSON.stringify(plan.steps);
  }

  /** A write whose state write was lost: the state no longer says what Chat has, as after a change in Chat. */
  protected crashed(_after: ProviderCall): void {}

  /** Resets the emulator and runs the case. */
  async run(): Promise<CaseResult<V>> {
    await this.t.control.reset();
    await this.t.control.setSettings(this.settings());
    await this.all();
    return { violations: this.violations, transcript: this.transcript };
  }

  private async all(): Promise<void> {
    const f = this.f;
    await this.prepare();
    await this.log.take("set-up", "person");
    if (!(await this.importFirst())) return;

    const startProgram = this.program("start");
    const setup = await this.engine("set-up").up(this.stack, startProgram);
    if (setup.kind !== "ok") return this.setUpRefused(setup);
    await this.afterSetUp(startProgram);

    await this.diverge();
    if (f.refreshFirst) {
      const refreshed = await this.engine("refresh").refresh(this.stack);
      this.transcript.push(`refresh: ${describeOutcome(refreshed)}`);
      if (refreshed.kind !== "ok") return this.violate("recovers", `a refresh after changes in Chat failed: ${describeOutcome(refreshed)}`);
      this.fresh();
    }

    const program = this.program("next");
    const targets = this.targets();
    let plan: Plan | "all" | "none" = f.operation === "destroy" ? "all" : "none";
    if (["preview", "up", "replace"].includes(f.operation) && !f.skipPreview) {
      const previewing = this.engine("preview");
      // The reads of `up --refresh`'s preview are its refresh's, taken into the transcript call by call: check and diff still read nothing.
      const preview = f.upRefresh ? await previewing.previewRefreshed(this.stack, program, targets) : await previewing.preview(this.stack, program, targets);
      const calls = (await this.log.take("preview", "check+diff")).filter((call) => !this.previewMayRead(call));
      if (calls.length > 0) this.violate("previewReadsNothing", `the preview made ${calls.length} API calls: ${calls.map(ApiLog.line).join("; ")}`);
      await this.judgePreview(preview, program);
      this.transcript.push(`preview: ${preview.plan ? this.describePlan(preview.plan) : describeOutcome(preview.outcome)}`);
      if (f.operation === "preview" || !preview.plan) return;
      plan = preview.plan;
    }

    const outcome = await this.step("operation", f.operation, plan, program, targets);
    if (outcome.kind !== "ok") await this.recover(outcome, targets);
    await this.afterOperation();
  }

  /** What the stack takes in by `pulumi import` before the set-up's up: by default nothing. False: the import failed, the case ends. */
  protected async importFirst(): Promise<boolean> {
    return true;
  }

  /** What happens in Chat after a failed operation, before the command after it ({@link recover}): by default nothing. */
  protected async beforeRecovery(): Promise<void> {}

  /** What a half's case does after its operation (and the next up after a failure): by default nothing. */
  protected async afterOperation(): Promise<void> {}

  /** A starting program that did not deploy: by default a broken promise (every valid declaration deploys). */
  protected setUpRefused(setup: Outcome): void {
    this.violate("checkAccepts", `set-up: the starting declarations did not deploy: ${describeOutcome(setup)}`);
  }

  /** The `retainOnDelete` option of each resource, as its last registration gave it: what the engine does with those no longer declared. */
  protected retainOptions(): Record<string, RetainOption> {
    return Object.fromEntries((this.f.resources ?? []).map((r) => [r.name, { retainOnDelete: r.retainOnDelete }]));
  }

  /** The resources `up --replace` targets. */
  protected targets(): string[] {
    return this.f.replaceTarget ? [this.f.replaceTarget] : [];
  }

  /**
   * What the user runs after the operation failed: by default the same command again (`up`, or
   * destroy), which must converge.
   */
  protected recoveryKind(): "up" | "destroy" {
    return this.f.operation === "destroy" ? "destroy" : "up";
  }

  /**
   * The command after a failed operation ({@link recoveryKind}), with the stack's own credentials
   * and no faults: a crashed or failed step repeated converges.
   */
  private async recover(outcome: Outcome, targets: string[]): Promise<void> {
    const f = this.f;
    await this.beforeRecovery();
    const recovery = this.program("recovery");
    const kind = this.recoveryKind();
    let plan: Plan | "all" = "all";
    if (kind === "up" && this.previewsRecovery) {
      const preview = await this.engine("next preview").preview(this.stack, recovery, targets);
      await this.log.take("next preview", "check+diff");
      if (!preview.plan) {
        if (!(await this.stopIsJustified(preview.outcome, "next preview")))
          this.violate("recovers", `after ${describeOutcome(outcome)}, the next preview: ${describeOutcome(preview.outcome)}`);
        return;
      }
      plan = preview.plan;
    }
    const again = await this.step("next", kind, plan, recovery, targets);
    if (again.kind !== "ok" && !(await this.stopIsJustified(again, "next"))) {
      this.violate("recovers", `after the ${f.operation} failed (${describeOutcome(outcome)}), the next ${kind} failed too: ${describeOutcome(again)}`);
    }
  }

  /** Runs one operation (under the case's faults and crash in the "operation" phase), records it, and judges what it left. */
  protected async step(
    phase: Step<I>["phase"],
    kind: OperationKind,
    plan: Step<I>["plan"],
    program: DeclaredResource<I>[],
    targets: string[],
  ): Promise<Outcome> {
    const before = await this.beforeStep();
    const faulty = phase === "operation";
    if (faulty) await installFaults(this.t.control, this.f.faults);
    const engine = this.engine(phase, faulty ? this.f.crash : undefined);
    const options = this.retainOptions();
    const outcome =
      kind === "refresh"
        ? await engine.refresh(this.stack)
        : kind === "destroy"
          ? await engine.destroy(this.stack, options)
          : faulty && this.f.skipPreview
            ? await engine.upSkippingPreview(this.stack, program, targets, options)
            : await engine.up(
                this.stack,
                program,
                targets,
                options,
                faulty && this.f.upRefresh ? { betweenRefreshes: () => this.betweenRefreshes(before) } : undefined,
              );
    await this.t.control.clearFaults();
    await this.log.take(phase, "-");
    engine.retained.forEach((id) => this.retained.add(id));
    this.transcript.push(`${phase} ${kind}: ${describeOutcome(outcome)}`);
    if (kind === "refresh" && outcome.kind === "ok") this.fresh();
    if (outcome.kind === "crashed") this.crashed(outcome.after);
    await this.judge({ phase, kind, plan, program, outcome }, before);
    return outcome;
  }

  /** The engine of one phase: after each provider call it takes the API requests the call made into the transcript. */
  protected engine(phase: string, crash?: FuzzCase["crash"]): EngineModel<I, O> {
    return new EngineModel(this.provider(phase), {
      updateProcess: this.updateProcess(phase) as EngineProvider<unknown, unknown> | ProviderOf<unknown, unknown> | undefined,
      ...(phase === "operation" && this.f.checkDuringStep ? { duringStep: (step, meanwhile) => this.duringStep(step, meanwhile) } : {}),
      ...(phase === "operation" && this.f.deletesAtOnce ? { deletesAtOnce: true } : {}),
      ...(phase === "operation" && this.f.stepsAtOnce ? { stepsAtOnce: true } : {}),
      crash,
      afterCall: async (call: ProviderCall) => {
        const requests = await this.log.take(phase, call.method, call.resource);
        this.transcript.push(
          `${phase} ${call.resource} ${call.method}${call.id ? `(${call.id})` : ""}: ${call.error ? `${call.partial ? "partial failure" : "error"}: ${call.error}` : (call.result ?? "ok")}`,
        );
        this.transcript.push(...requests.map((e) => `    ${ApiLog.line(e)}`));
        this.onCall(call);
      },
    });
  }

  /**
   * A step, with `meanwhile` run while the step's first Chat API request is held back by the
   * emulator (or once the step ended without one); then the request released. Both settled. A
   * hold no request took is taken away alone: the case's own faults stay for the steps after.
   */
  private async duringStep(step: () => Promise<void>, meanwhile: () => Promise<void>): Promise<[PromiseSettledResult<void>, PromiseSettledResult<void>]> {
    const held = await this.t.control.addFault({ action: { kind: "holdBeforeRun" }, count: 1 });
    let ended = false;
    const ran = settled(step()).finally(() => {
      ended = true;
    });
    // The fault is gone from the list once a request took it.
    while (!ended && (await this.t.control.faults()).some((f) => f.id === held.id)) await new Promise((resolve) => setImmediate(resolve));
    // A step that made no request leaves the hold unused: gone before `meanwhile` calls.
    if (ended) await this.t.control.removeFault(held.id);
    const checked = await settled(meanwhile());
    await this.t.control.releaseHeld();
    return [await ran, checked];
  }

  protected violate(invariant: V["invariant"] | SharedInvariant, detail: string): void {
    this.violations.push({ invariant, detail } as V);
  }
}

/**
 * Whether `call` is a read of who the calling user is, one of `callers` (emails), which a preview
 * makes where a plan depends on it (members/caller.ts `CallerIds`): her membership of a space by
 * her email, or, where she is no member of it, one spaces.list to learn her users/{id} from a
 * space she is in.
 */
export function readsWhoTheCallerIs(call: TaggedRequest, callers: readonly string[]): boolean {
  const r = call.request;
  return r.method === "GET" && (r.path === "/v1/spaces" || callers.some((email) => r.path.endsWith(`/members/${encodeURIComponent(email)}`)));
}
