/**
 * Runs one fuzz case against the emulator: set-up (an `up` of the starting declarations),
 * the divergence made in Chat, the preview of the operation, the operation under faults
 * (and maybe a crash), then, after a failure, the next `up`; the invariants are checked
 * after each of them.
 */
import type { TestEmulator } from "../helpers/emulator";
import { sdkInputs } from "../helpers/provider";
import type { SdkInputs } from "../../provider/space/provider";
import { type DeclaredResource, EngineModel, type Plan, type ProviderCall, type Stack, describeOutcome, emptyStack } from "./engine";
import { ADOPT, type Declaration, type Fixture, type ResourceCase } from "./fixture";
import {
  type Violation,
  checkAgree,
  checkDeleteAsPreviewed,
  checkNoOrphan,
  checkOneSpace,
  checkUntouched,
  needsReplacement,
  spacesByResource,
} from "./invariants";
import { ApiLog, type Caller, Person, installFaults, operationProvider } from "./world";

export interface CaseResult {
  violations: Violation[];
  /** Every provider call and the API requests it made, in order. */
  transcript: string[];
}

/** The serialized provider the engine adds to inputs; a partial failure hands it back. */
const SERIALIZED_PROVIDER = "fuzz-serialized-provider";

const indexOf = (r: ResourceCase) => Number(r.name.slice(1));

/** One person per emulator: their Chat client keeps its token across cases (a reset keeps tokens). */
const people = new WeakMap<TestEmulator, Person>();

export async function runCase(t: TestEmulator, f: Fixture): Promise<CaseResult> {
  await t.control.reset();
  await t.control.setSettings({ requestIdAfterDelete: f.afterDelete });
  const run = new CaseRun(t, f);
  await run.all();
  return { violations: run.violations, transcript: run.transcript };
}

class CaseRun {
  readonly violations: Violation[] = [];
  readonly transcript: string[] = [];
  private readonly log: ApiLog;
  private readonly person: Person;
  /** Spaces the stack has held, and for which resource. */
  private readonly everHeld = new Map<string, string>();
  private readonly retained = new Set<string>();
  /** Resources whose space changed in Chat since the state last read it. */
  private readonly stale = new Set<string>();
  private readonly stack: Stack = emptyStack();
  private readonly adopted = new Map<string, string>();

  constructor(
    private readonly t: TestEmulator,
    private readonly f: Fixture,
  ) {
    this.log = new ApiLog(t);
    this.person = people.get(t) ?? people.set(t, Person.of(t)).get(t)!;
  }

  async all(): Promise<void> {
    const f = this.f;
    const main: Caller = f.auth === "app" ? "app" : f.adminAccess ? "admin" : "user";
    for (const r of f.resources) {
      if (r.start?.adoptSpace === ADOPT || r.next?.adoptSpace === ADOPT) this.adopted.set(r.name, await this.person.makeSpace(`Space ${indexOf(r)} A`));
    }
    await this.log.take("set-up", "person");

    const startProgram = this.program((r) => r.start);
    const setup = await this.engine(main, "set-up").up(this.stack, startProgram);
    if (setup.kind !== "ok") {
      this.violate("checkAccepts", `set-up: the starting declarations did not deploy: ${describeOutcome(setup)}`);
      return;
    }
    await this.afterUp("set-up", startProgram);

    for (const r of f.resources) {
      const entry = this.stack.entries.find((e) => e.name === r.name);
      if (!entry) continue;
      for (const change of r.divergence) {
        if (await this.person.diverge(entry.id, indexOf(r), change)) this.stale.add(r.name);
        this.transcript.push(`diverge ${r.name}: ${change}`);
      }
    }
    await this.log.take("diverge", "person");

    const before = structuredClone(this.stack);
    const { spaces: liveBefore, settings: { customer: emulatorOrg } } = await this.t.control.state();
    const program = this.program((r) => r.next);
    const invalid = f.resources.filter((r) => r.next && r.invalid);
    const runsProgram = ["preview", "up", "replace"].includes(f.operation);
    const targets = f.replaceTarget ? [f.replaceTarget] : [];
    const opCaller: Caller = f.accessLost ? "outsider" : main;

    // The preview of the operation: what the engine shows before it runs (`pulumi up` previews too).
    let plan: Plan | "all" | "none" = f.operation === "destroy" ? "all" : "none";
    if (runsProgram) {
      const preview = await this.engine(opCaller, "preview").preview(this.stack, program, targets);
      const previewCalls = await this.log.take("preview", "check+diff");
      if (previewCalls.length > 0) this.violate("previewReadsNothing", `the preview made ${previewCalls.length} API calls: ${previewCalls.map(ApiLog.line).join("; ")}`);
      // Refused at check, or at diff, the preview stops before any call: either keeps the promise.
      if (invalid.length > 0 && preview.outcome.kind === "ok") {
        this.violate("checkRefuses", `check accepted ${invalid.map((r) => `${r.name} (${r.invalid})`).join(", ")}`);
      }
      // A replacement is a creation: a declaration valid for the space it has may be refused for a new one, before any call.
      if (invalid.length === 0 && preview.outcome.kind === "checkFailed" && !preview.outcome.replacing) this.violate("checkAccepts", preview.outcome.failures.join("; "));
      // Refusing to replace a space the program adopted is a deliberate stop; any other refusal is not.
      const refused = preview.outcome.kind === "diffFailed" ? preview.outcome : undefined;
      if (refused && !program.find((r) => r.name === refused.resource)?.inputs.adoptSpace) this.violate("checkAccepts", `diff refused ${refused.resource}: ${refused.error}`);
      if (preview.plan) plan = preview.plan;
      for (const r of f.resources) {
        const was = before.entries.find((e) => e.name === r.name);
        const replaces = r.start && r.next && was && needsReplacement(r.start, r.next, liveBefore[was.id.slice(7)], emulatorOrg);
        if (preview.plan?.steps[r.name] === "replace" && r.start && !replaces && r.name !== f.replaceTarget) {
          this.violate("replaceOnlyWhenNeeded", `the preview replaces ${r.name}, whose declaration changes no replace-only field`);
        }
      }
      this.transcript.push(`preview: ${preview.plan ? JSON.stringify(preview.plan.steps) : describeOutcome(preview.outcome)}`);
      if (f.operation === "preview" || preview.outcome.kind !== "ok") return;
    }

    await installFaults(this.t.control, f.faults);
    const op = this.engine(opCaller, "operation", f.crash);
    const options = Object.fromEntries(f.resources.map((r) => [r.name, { retainOnDelete: r.retainOnDelete }]));
    const outcome =
      f.operation === "refresh"
        ? await op.refresh(this.stack)
        : f.operation === "destroy"
          ? await op.destroy(this.stack, options)
          : await op.up(this.stack, program, targets, options);
    await this.t.control.clearFaults();
    await this.log.take("operation", "-");
    this.transcript.push(`operation ${f.operation}: ${describeOutcome(outcome)}`);
    op.retained.forEach((s) => this.retained.add(s));
    if (f.operation === "refresh" && outcome.kind === "ok") this.stale.clear();
    // A write whose state write was lost: the state no longer says what the space is, as after a change in Chat.
    if (outcome.kind === "crashed" && ["update", "delete"].includes(outcome.after.method)) this.stale.add(outcome.after.resource);

    const emulator = await this.t.control.state();
    this.violations.push(...checkDeleteAsPreviewed(this.log.in("operation"), before, plan));
    if (outcome.kind !== "crashed") this.checkSpaces(emulator);
    if (runsProgram) {
      for (const r of f.resources) {
        const [was, now] = [before.entries.find((e) => e.name === r.name), this.stack.entries.find((e) => e.name === r.name)];
        if (!r.next || !was || was.id !== now?.id) continue;
        this.violations.push(...checkUntouched(r.name, r.next, liveBefore[was.id.slice(7)], emulator.spaces[was.id.slice(7)]));
      }
      if (outcome.kind === "ok") this.checkAgreement(emulator, program);
    }

    if (outcome.kind === "ok") return;
    // The same command again (`up` after a refresh), with the stack's own credentials and no faults:
    // a forced replacement that died is forced again, as its user would run it again.
    const next = this.engine(main, "next");
    const recovery = this.program((r) => (r.invalid ? r.start : r.next));
    const again = f.operation === "destroy" ? await next.destroy(this.stack, options) : await next.up(this.stack, recovery, targets, options);
    this.transcript.push(`next ${f.operation === "destroy" ? "destroy" : "up"}: ${describeOutcome(again)}`);
    next.retained.forEach((s) => this.retained.add(s));
    // A program refused before any call (check, or a diff that will not replace an adopted space) is the program's matter, not the failure's.
    if (again.kind === "checkFailed" || again.kind === "diffFailed") return;
    if (again.kind !== "ok") {
      this.violate("recovers", `after the ${f.operation} failed (${describeOutcome(outcome)}), the next ${f.operation === "destroy" ? "destroy" : "up"} failed too: ${describeOutcome(again)}`);
      return;
    }
    if (f.operation !== "destroy") await this.afterUp("next", recovery);
    else this.checkSpaces(await this.t.control.state());
  }

  private engine(caller: Caller, phase: string, crash?: Fixture["crash"]): EngineModel {
    const provider = operationProvider(this.t, caller, phase === "set-up" ? 0 : this.f.clockAheadMs);
    return new EngineModel(provider, {
      crash,
      afterCall: async (call: ProviderCall) => {
        const requests = await this.log.take(phase, call.method, call.resource);
        this.transcript.push(`${phase} ${call.resource} ${call.method}${call.id ? `(${call.id})` : ""}: ${call.error ? `${call.partial ? "partial failure" : "error"}: ${call.error}` : call.result ?? "ok"}`);
        this.transcript.push(...requests.map((e) => `    ${ApiLog.line(e)}`));
        if (call.result) this.everHeld.set(call.result, call.resource);
        if (call.method === "create" && call.result) this.stale.delete(call.resource);
      },
    });
  }

  /** The program: each resource's declaration as the SDK sends it. */
  private program(pick: (r: ResourceCase) => Declaration | undefined): DeclaredResource[] {
    return this.f.resources.flatMap((r) => {
      const d = pick(r);
      if (!d) return [];
      const declared = d.adoptSpace === ADOPT ? { ...d, adoptSpace: this.adopted.get(r.name) } : d;
      const inputs = { ...sdkInputs(r.name, declared), __provider: SERIALIZED_PROVIDER } as SdkInputs;
      return [{ name: r.name, inputs, deleteBeforeReplace: r.deleteBeforeReplace, retainOnDelete: r.retainOnDelete }];
    });
  }

  private async afterUp(phase: string, program: DeclaredResource[]): Promise<void> {
    const emulator = await this.t.control.state();
    for (const e of this.stack.entries) this.everHeld.set(e.id, e.name);
    this.checkSpaces(emulator);
    this.checkAgreement(emulator, program, phase);
  }

  private checkSpaces(emulator: Awaited<ReturnType<TestEmulator["control"]["state"]>>): void {
    const owners = spacesByResource(emulator, this.log.entries, this.everHeld);
    this.violations.push(...checkOneSpace(owners, this.retained), ...checkNoOrphan(owners, this.stack, this.retained));
  }

  private checkAgreement(emulator: Awaited<ReturnType<TestEmulator["control"]["state"]>>, program: DeclaredResource[], phase = "operation"): void {
    for (const e of this.stack.entries) {
      const declared = program.find((r) => r.name === e.name);
      if (!declared || this.stale.has(e.name)) continue;
      const found = checkAgree(e.name, stripBookkeeping(declared.inputs), e.outputs, emulator);
      this.violations.push(...found.map((v) => ({ ...v, detail: `after ${phase}: ${v.detail}` })));
    }
  }

  private violate(invariant: Violation["invariant"], detail: string): void {
    this.violations.push({ invariant, detail });
  }
}

function stripBookkeeping(inputs: SdkInputs): Declaration {
  const { requestIdBase: _b, resourceName: _n, __provider: _p, ...declared } = inputs;
  return declared;
}

/**
 * The seed of a fuzz run: FUZZ_SEED when set (`random` for a new one each run, printed on
 * failure), else a fixed one, so `npm test` and CI check the same cases every time.
 */
export function fuzzSeed(): number | undefined {
  const seed = process.env.FUZZ_SEED;
  if (seed === "random") return undefined;
  return seed !== undefined ? Number(seed) : 20261127;
}
