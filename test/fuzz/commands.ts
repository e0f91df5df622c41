/**
 * Model-based commands (fast-check `asyncModelRun`): a stack lives through a generated
 * sequence of `up`s of changing programs, `up --replace`, refreshes, edits and deletions in
 * Chat, faulty `up`s and destroys. The model is what the user has declared and what happened
 * in Chat since the last refresh; after each command the same promises as the single-operation
 * fuzzer are checked (invariants.ts). Sequences find what one operation cannot: a resource
 * replaced back and forth, a refresh after several edits, a destroy after a faulty up.
 */
import fc from "fast-check";
import type { SdkInputs } from "../../provider/space/provider";
import type { TestEmulator } from "../helpers/emulator";
import { sdkInputs } from "../helpers/provider";
import { type DeclaredResource, EngineModel, emptyStack, type Outcome, type ProviderCall, type Stack } from "./engine";
import type { Declaration, Divergence, FaultCase } from "./fixture";
import { checkAgree, checkDeleteAsPreviewed, checkNoOrphan, checkOneSpace, INVARIANTS, spacesByResource, type Violation } from "./invariants";
import { deleteBeforeReplaceOf } from "./sdk-options";
import { ApiLog, type Caller, installFaults, operationProvider, type Person } from "./world";

/** The declarations a resource moves between: in place (A, B, H) and by replacement (A and X differ in externalUserAllowed). */
export const VARIANTS = ["A", "B", "H", "X"] as const;
export type Variant = (typeof VARIANTS)[number];

export function declarationOf(index: number, variant: Variant, auth: "user" | "app"): Declaration {
  const customer = auth === "app" ? { customer: "customers/my_customer" } : {};
  switch (variant) {
    case "A":
      return { displayName: `Space ${index} A`, ...customer };
    case "B":
      return { displayName: `Space ${index} B`, spaceDetails: { description: "About", guidelines: "Rules" }, ...customer };
    case "H":
      return { displayName: `Space ${index} A`, spaceHistoryState: "HISTORY_OFF", ...customer };
    case "X":
      return { displayName: `Space ${index} A`, externalUserAllowed: true, ...customer };
  }
}

/** The model: the last program an up applied, and the resources changed (or deleted) in Chat since the state last read them. */
export interface Model {
  program: Record<string, Variant | undefined>;
  stale: Set<string>;
  deleted: Set<string>;
  adminAccess: boolean;
}

/** Variants one PATCH apart: an in-place update, which a space deleted in Chat can't take before a refresh. */
const IN_PLACE: readonly Variant[] = ["A", "B", "H"];

/** The real system: the emulator, the stack's state as the engine model keeps it, and what the checks need. */
export class Real {
  readonly stack: Stack = emptyStack();
  readonly log: ApiLog;
  readonly everHeld = new Map<string, string>();
  readonly transcript: string[] = [];
  readonly violations: Violation[] = [];
  private clock = 0;

  readonly auth: "user" | "app";

  /** `admin`: user auth with useAdminAccess, the one caller that tells a deleted space from a hidden one. */
  constructor(
    readonly t: TestEmulator,
    readonly person: Person,
    readonly caller: "user" | "admin" | "app",
  ) {
    this.log = new ApiLog(t);
    this.auth = caller === "app" ? "app" : "user";
  }

  /** A new operation, a day after the last one: Google's clock and the provider's move on as the days of real use do. */
  engine(phase: string): EngineModel {
    this.clock += 86_400_000;
    return this.engineNow(phase);
  }

  /**
   * An operation at the time of the last one. `stack`: another stack's, whose calls are logged
   * under its resources' names prefixed by it, so that what it holds is told from this stack's.
   */
  engineNow(phase: string, stack?: string): EngineModel {
    const caller: Caller = this.caller;
    const resourceOf = (name: string) => (stack ? `${stack} ${name}` : name);
    return new EngineModel(operationProvider(this.t, caller, this.clock), {
      afterCall: async (call: ProviderCall) => {
        const resource = resourceOf(call.resource);
        const requests = await this.log.take(phase, call.method, resource);
        this.transcript.push(`${phase} ${resource} ${call.method}${call.id ? `(${call.id})` : ""}: ${call.error ?? call.result ?? "ok"}`);
        this.transcript.push(...requests.map((e) => `    ${ApiLog.line(e)}`));
        if (call.result && !stack) this.everHeld.set(call.result, call.resource);
      },
    });
  }

  /** The resources of a program; `organization`: the Pulumi organisation that deploys it (the SDK's `pulumi.getOrganization()`). */
  program(p: Model["program"], organization?: string): DeclaredResource[] {
    return Object.entries(p).flatMap(([name, v]) =>
      v
        ? [
            {
              name,
              inputs: { ...sdkInputs(name, declarationOf(Number(name.slice(1)), v, this.auth), organization), __provider: "fuzz" } as SdkInputs,
              deleteBeforeReplace: deleteBeforeReplaceOf("ChatSpace"),
              retainOnDelete: false,
            },
          ]
        : [],
    );
  }

  /** The promises that hold after any command that did not crash. */
  async checkSpaces(): Promise<void> {
    const emulator = await this.t.control.state();
    for (const e of this.stack.entries) this.everHeld.set(e.id, e.name);
    const owners = spacesByResource(emulator, this.log.entries, this.everHeld);
    this.violations.push(...checkOneSpace(owners, new Set()), ...checkNoOrphan(owners, this.stack, new Set()));
  }

  async checkAgree(m: Model): Promise<void> {
    const emulator = await this.t.control.state();
    for (const e of this.stack.entries) {
      const v = m.program[e.name];
      if (v && !m.stale.has(e.name)) this.violations.push(...checkAgree(e.name, declarationOf(Number(e.name.slice(1)), v, this.auth), e.outputs, emulator));
    }
  }

  fail(invariant: Violation["invariant"], detail: string): void {
    this.violations.push({ invariant, detail });
  }

  /** Stops the sequence at the command that broke a promise, so fast-check shrinks to it. */
  stopOnViolation(): void {
    if (this.violations.length === 0) return;
    throw new Error([...this.violations.map((v) => `${v.invariant} (${INVARIANTS[v.invariant]}): ${v.detail}`), "calls:", ...this.transcript].join("\n"));
  }
}

const describe = (o: Outcome) => (o.kind === "ok" ? "ok" : JSON.stringify(o).slice(0, 400));

/** `pulumi up` of a program; with a fault, a failure must leave a stack the next clean up fixes. */
class Up implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly program: Model["program"],
    readonly replace: string | undefined,
    readonly fault: FaultCase | undefined,
  ) {}
  /** A space deleted in Chat takes a removal, a replacement or no change before a refresh; an in-place update needs the refresh first. */
  check = (m: Readonly<Model>) =>
    ![...m.deleted].some((n) => {
      const [was, now] = [m.program[n], this.program[n]];
      return was !== undefined && now !== undefined && was !== now && IN_PLACE.includes(was) && IN_PLACE.includes(now) && this.replace !== n;
    });
  async run(m: Model, r: Real): Promise<void> {
    const program = r.program(this.program);
    const targets = this.replace && r.stack.entries.some((e) => e.name === this.replace) && this.program[this.replace] ? [this.replace] : [];
    const before = structuredClone(r.stack);
    const preview = await r.engine("preview").preview(r.stack, program, targets);
    if (!preview.plan) {
      r.fail("checkAccepts", `the preview refused a valid program: ${describe(preview.outcome)}`);
      return r.stopOnViolation();
    }
    if (this.fault) await installFaults(r.t.control, [this.fault]);
    const outcome = await r.engine("up").up(r.stack, program, targets);
    await r.t.control.clearFaults();
    r.transcript.push(`${this.toString()}: ${describe(outcome)}`);
    r.violations.push(
      ...checkDeleteAsPreviewed(
        r.log.in("up").filter((e) => !seen.has(e)),
        before,
        preview.plan,
      ),
    );
    r.log.in("up").forEach((e) => seen.add(e));
    if (outcome.kind !== "ok") {
      const again = await r.engine("next").up(r.stack, program, targets);
      r.transcript.push(`next up: ${describe(again)}`);
      if (again.kind !== "ok") r.fail("recovers", `after ${describe(outcome)}, the next up: ${describe(again)}`);
    }
    m.program = { ...this.program };
    // An up without a refresh leaves Chat's edits of unchanged resources in place.
    for (const name of Object.keys(preview.plan.steps)) {
      if (["create", "replace", "delete"].includes(preview.plan.steps[name])) [m.stale, m.deleted].forEach((set) => set.delete(name));
    }
    await r.checkSpaces();
    await r.checkAgree(m);
    r.stopOnViolation();
  }
  toString = () =>
    `up ${JSON.stringify(this.program)}${this.replace ? ` --replace ${this.replace}` : ""}${this.fault ? ` with ${JSON.stringify(this.fault)}` : ""}`;
}

/** The API requests each check has already judged, so a later check looks only at its own. */
const seen = new WeakSet<object>();

class Refresh implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const outcome = await r.engine("refresh").refresh(r.stack);
    r.transcript.push(`refresh: ${describe(outcome)}`);
    if (outcome.kind !== "ok") r.fail("recovers", `refresh failed: ${describe(outcome)}`);
    m.stale.clear();
    m.deleted.clear();
    await r.checkSpaces();
    r.stopOnViolation();
  }
  toString = () => "refresh";
}

class Diverge implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly resource: string,
    readonly change: Divergence,
  ) {}
  /** Only admin access tells a space deleted in Chat from one the credentials can't see (docs/google-chat-api.md, Spaces: both may answer 404). */
  check = (m: Readonly<Model>) => m.program[this.resource] !== undefined && (this.change !== "delete" || m.adminAccess);
  async run(m: Model, r: Real): Promise<void> {
    const entry = r.stack.entries.find((e) => e.name === this.resource);
    if (!entry) return;
    if (await r.person.diverge(entry.id, Number(this.resource.slice(1)), this.change)) {
      m.stale.add(this.resource);
      if (this.change === "delete") m.deleted.add(this.resource);
    }
    await r.log.take("diverge", "person");
    r.transcript.push(`${this.toString()}`);
  }
  toString = () => `${this.change} ${this.resource} in Chat`;
}

class Destroy implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const outcome = await r.engine("destroy").destroy(r.stack, {});
    r.transcript.push(`destroy: ${describe(outcome)}`);
    if (outcome.kind !== "ok") r.fail("recovers", `destroy failed: ${describe(outcome)}`);
    m.program = {};
    m.stale.clear();
    m.deleted.clear();
    await r.checkSpaces();
    r.stopOnViolation();
  }
  toString = () => "destroy";
}

/**
 * The same program deployed, at the same time, by a stack of the same project and stack name in
 * another Pulumi organisation, with the same Google credentials; then destroyed. Its spaces are
 * its own: none is one this stack holds, and this stack's spaces outlive its destroy.
 */
class OtherOrganisationUp implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => Object.values(m.program).some((v) => v !== undefined);
  async run(m: Model, r: Real): Promise<void> {
    const other = emptyStack();
    // Google keeps a space's displayName unique within the Workspace organisation (v1.d.ts Schema$Space.displayName).
    const program = r
      .program(m.program, "another-organization")
      .map((d) => ({ ...d, inputs: { ...d.inputs, displayName: `${d.inputs.displayName} (elsewhere)` } }));
    const up = await r.engineNow("other organisation up", OTHER_STACK).up(other, program);
    r.transcript.push(`${this.toString()}: ${describe(up)}`);
    if (up.kind !== "ok") r.fail("recovers", `the other organisation's up failed: ${describe(up)}`);
    const ours = new Set(r.stack.entries.map((e) => e.id));
    for (const e of other.entries) if (ours.has(e.id)) r.fail("oneSpace", `${OTHER_STACK} ${e.name} holds ${e.id}, which this stack's ${e.name} holds`);
    const destroyed = await r.engineNow("other organisation destroy", OTHER_STACK).destroy(other, {});
    r.transcript.push(`other organisation destroy: ${describe(destroyed)}`);
    const live = (await r.t.control.state()).spaces;
    for (const e of r.stack.entries) {
      if (!m.deleted.has(e.name) && !live[e.id.replace(/^spaces\//, "")])
        r.fail("oneSpace", `${e.name}'s ${e.id} was deleted by the other organisation's destroy`);
    }
    await r.checkSpaces();
    r.stopOnViolation();
  }
  toString = () => "the same program deployed by another Pulumi organisation, then destroyed";
}

/** How the other organisation's stack is named in the transcript and the request log. */
const OTHER_STACK = "another-organization/";

const program = fc.record({
  r0: fc.option(fc.constantFrom(...VARIANTS), { nil: undefined, freq: 5 }),
  r1: fc.option(fc.constantFrom(...VARIANTS), { nil: undefined, freq: 2 }),
});
const fault = fc.option(
  fc.record({
    method: fc.constantFrom("spaces.create" as const, "spaces.patch" as const, "spaces.get" as const),
    action: fc.constantFrom("429" as const, "503" as const, "drop" as const),
    count: fc.constant(1),
  }),
  { nil: undefined, freq: 3 },
);

/** The commands a sequence is made of. */
export const commandArbitraries = [
  fc.tuple(program, fc.option(fc.constantFrom("r0", "r1"), { nil: undefined, freq: 4 }), fault).map(([p, replace, f]) => new Up(p, replace, f)),
  fc.constant(new Refresh()),
  fc.constant(new OtherOrganisationUp()),
  fc.constant(new Destroy()),
  fc
    .tuple(fc.constantFrom("r0", "r1"), fc.constantFrom<Divergence>("rename", "editDescription", "toggleHistory", "delete"))
    .map(([res, c]) => new Diverge(res, c)),
];
