/**
 * Runs one membership fuzz case against the emulator, as run-case.ts does for spaces: set-up
 * (a person's space and an `up` of the starting ChatMemberships), the changes made in Chat,
 * maybe a refresh, the preview of the operation, the operation under faults (and maybe a
 * crash), then, after a failure, the next `up` (or destroy); the invariants of
 * membership-invariants.ts are checked after each.
 */
import type { PublicState } from "../../emulator/control";
import type { MembershipSdkInputs } from "../../provider/membership/inputs";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { TestEmulator } from "../helpers/emulator";
import { type DeclaredResource, EngineModel, type Outcome, type Plan, type ProviderCall, describeOutcome, emptyStack } from "./engine";
import type { MemberDeclaration, MemberDivergence, MembershipFixture, MembershipResourceCase } from "./membership-fixture";
import { personOf } from "./membership-generate";
import {
  type MembershipStack,
  type MembershipViolation,
  checkLastOwner,
  checkMembershipAgree,
  checkMembershipOrphans,
  checkOneMembership,
  checkOwnerRefusal,
  checkRemovedAsPreviewed,
  membersOf,
} from "./membership-invariants";
import { ApiLog, Person, installFaults, operationMembershipProvider } from "./world";

export interface MembershipCaseResult {
  violations: MembershipViolation[];
  transcript: string[];
}

const SERIALIZED_PROVIDER = "fuzz-serialized-provider";
const urnOf = (name: string) => `urn:pulumi:fuzz::proj::pulumi-nodejs:dynamic/googlechat:ChatMembership::${name}`;
/** The provider's refusal to leave a space without an owner: a deliberate stop, judged by checkOwnerRefusal. */
const LAST_OWNER = /is the last owner/;

const people = new WeakMap<TestEmulator, Person>();

/** The person who makes the space, one per emulator (a reset keeps tokens). */
export const personFor = (t: TestEmulator): Person => people.get(t) ?? people.set(t, Person.of(t)).get(t)!;

/** Applies one change in Chat (emulator/outside.ts); false when Chat refuses it (not a member, no invitation pending). */
export async function diverge(t: TestEmulator, space: string, d: MemberDivergence): Promise<boolean> {
  const member = d.member === "app" ? t.serviceAccount.client_email : d.member;
  try {
    if (d.kind === "remove") await t.control.removeMember(space, member);
    if (d.kind === "setRole") await t.control.setRole(space, member, d.role);
    if (d.kind === "accept") await t.control.acceptInvitation(space, member);
    if (d.kind === "add") await t.control.addMember(space, member, d.role);
    return true;
  } catch {
    return false;
  }
}

export async function runMembershipCase(t: TestEmulator, f: MembershipFixture): Promise<MembershipCaseResult> {
  await t.control.reset();
  await t.control.setSettings({ keepLastManager: f.keepLastManager, autoAcceptOff: f.bobInvited ? ["bob@example.com"] : [] });
  const run = new MembershipCaseRun(t, f);
  await run.all();
  return { violations: run.violations, transcript: run.transcript };
}

class MembershipCaseRun {
  readonly violations: MembershipViolation[] = [];
  readonly transcript: string[] = [];
  private readonly log: ApiLog;
  private readonly person: Person;
  private readonly stack: MembershipStack = emptyStack();
  /** Memberships the stack has held, and for which resource. */
  private readonly everHeld = new Map<string, string>();
  private readonly retained = new Set<string>();
  /** Members changed in Chat since the state last read them. */
  private readonly stale = new Set<string>();
  private space = "";

  constructor(
    private readonly t: TestEmulator,
    private readonly f: MembershipFixture,
  ) {
    this.log = new ApiLog(t);
    this.person = personFor(t);
  }

  async all(): Promise<void> {
    const f = this.f;
    this.space = await this.person.makeSpace("Team");
    await this.log.take("set-up", "person");

    const startProgram = this.program((r) => r.start);
    const setup = await this.engine("set-up").up(this.stack, startProgram);
    if (setup.kind !== "ok") return this.violate("checkAccepts", `set-up: the starting declarations did not deploy: ${describeOutcome(setup)}`);
    await this.afterUp("set-up", startProgram, await this.t.control.state());

    for (const d of f.divergence) {
      const applied = await diverge(this.t, this.space, d);
      if (applied) this.stale.add(d.member === "app" ? "app" : d.member);
      this.transcript.push(`diverge ${JSON.stringify(d)}${applied ? "" : " (refused by Chat)"}`);
    }
    if (f.refreshFirst) {
      const refreshed = await this.engine("refresh").refresh(this.stack);
      this.transcript.push(`refresh: ${describeOutcome(refreshed)}`);
      if (refreshed.kind !== "ok") return this.violate("recovers", `a refresh after changes in Chat failed: ${describeOutcome(refreshed)}`);
      this.stale.clear();
    }

    const program = this.program((r) => r.next);
    const invalid = f.resources.filter((r) => r.next && r.invalid);
    const runsProgram = ["preview", "up", "replace"].includes(f.operation);
    const targets = f.replaceTarget ? [f.replaceTarget] : [];
    let plan: Plan | "all" | "none" = f.operation === "destroy" ? "all" : "none";
    if (runsProgram) {
      const preview = await this.engine("preview").preview(this.stack, program, targets);
      const calls = await this.log.take("preview", "check+diff");
      if (calls.length > 0) this.violate("previewReadsNothing", `the preview made ${calls.length} API calls: ${calls.map(ApiLog.line).join("; ")}`);
      if (invalid.length > 0 && preview.outcome.kind === "ok") this.violate("checkRefuses", `check accepted ${invalid.map((r) => `${r.name} (${r.invalid})`).join(", ")}`);
      if (invalid.length === 0 && preview.outcome.kind !== "ok") this.violate("checkAccepts", describeOutcome(preview.outcome));
      this.transcript.push(`preview: ${preview.plan ? JSON.stringify(preview.plan.steps) : describeOutcome(preview.outcome)}`);
      if (f.operation === "preview" || !preview.plan) return;
      plan = preview.plan;
    }

    const outcome = await this.operation(plan, f.operation, program, targets, f);
    if (outcome.kind === "ok") return;
    // The same command again, with no faults: a crashed or failed step repeated converges.
    const recovery = this.program((r) => (r.invalid ? r.start : r.next));
    let nextPlan: Plan | "all" = "all";
    if (f.operation !== "destroy") {
      const preview = await this.engine("next preview").preview(this.stack, recovery, targets);
      await this.log.take("next preview", "check+diff");
      if (!preview.plan) return;
      nextPlan = preview.plan;
    }
    const again = await this.operation(nextPlan, f.operation === "destroy" ? "destroy" : "up", recovery, targets);
    if (again.kind !== "ok" && !(again.kind === "failed" && LAST_OWNER.test(again.error))) {
      this.violate("recovers", `after the ${f.operation} failed (${describeOutcome(outcome)}), the next ${f.operation === "destroy" ? "destroy" : "up"} failed too: ${describeOutcome(again)}`);
    }
  }

  /** Runs one operation (under the case's faults and crash when `fault` is given) and checks what it left. */
  private async operation(plan: Plan | "all" | "none", kind: string, program: DeclaredResource<MembershipSdkInputs>[], targets: string[], fault?: MembershipFixture): Promise<Outcome> {
    const phase = fault ? "operation" : "next";
    const before = structuredClone(this.stack);
    const membersBefore = membersOf(await this.t.control.state(), this.space);
    if (fault) await installFaults(this.t.control, fault.faults);
    const engine = this.engine(phase, fault?.crash);
    const options = Object.fromEntries(this.f.resources.map((r) => [r.name, { retainOnDelete: r.retainOnDelete }]));
    const outcome =
      kind === "refresh" ? await engine.refresh(this.stack) : kind === "destroy" ? await engine.destroy(this.stack, options) : await engine.up(this.stack, program, targets, options);
    await this.t.control.clearFaults();
    await this.log.take(phase, "-");
    engine.retained.forEach((id) => this.retained.add(id));
    this.transcript.push(`${phase} ${kind}: ${describeOutcome(outcome)}`);
    if (kind === "refresh" && outcome.kind === "ok") this.stale.clear();
    if (outcome.kind === "crashed" && ["update", "delete"].includes(outcome.after.method)) this.stale.add(this.personOfResource(outcome.after.resource));

    const emulator = await this.t.control.state();
    const members = membersOf(emulator, this.space);
    this.violations.push(...checkRemovedAsPreviewed(membersBefore, members, before, plan, this.log.in(phase)));
    this.violations.push(...checkLastOwner(membersBefore, members, emulator.spaces[this.space.slice("spaces/".length)] !== undefined));
    if (outcome.kind === "failed") this.violations.push(...checkOwnerRefusal(outcome.error, members));
    // A failed up may leave a member moving between two resources held by both, as Pulumi would: judged once an up succeeds.
    if (outcome.kind === "ok") this.violations.push(...checkOneMembership(this.stack, members));
    if (outcome.kind !== "crashed") this.violations.push(...checkMembershipOrphans(this.everHeld, this.stack, this.retained, members));
    if (outcome.kind === "ok" && kind !== "refresh" && kind !== "destroy") await this.afterUp(phase, program, emulator);
    return outcome;
  }

  private engine(phase: string, crash?: MembershipFixture["crash"]): EngineModel<MembershipSdkInputs, ChatMembershipOutputs> {
    const caller = this.f.adminAccess ? "admin" : "user";
    return new EngineModel(operationMembershipProvider(this.t, caller, 0), {
      crash,
      afterCall: async (call: ProviderCall) => {
        const requests = await this.log.take(phase, call.method, call.resource);
        this.transcript.push(`${phase} ${call.resource} ${call.method}${call.id ? `(${call.id})` : ""}: ${call.error ? `${call.partial ? "partial failure" : "error"}: ${call.error}` : call.result ?? "ok"}`);
        this.transcript.push(...requests.map((e) => `    ${ApiLog.line(e)}`));
        if (call.result) this.everHeld.set(call.result, call.resource);
        if (call.method === "create" && call.result) this.stale.delete(this.personOfResource(call.resource));
      },
    });
  }

  /** The program: each resource's declaration, in the person's space, as the SDK sends it. */
  private program(pick: (r: MembershipResourceCase) => MemberDeclaration | undefined): DeclaredResource<MembershipSdkInputs>[] {
    return this.f.resources.flatMap((r) => {
      const d = pick(r);
      if (!d) return [];
      const inputs: MembershipSdkInputs = { space: this.space, ...d, __urn: urnOf(r.name), __provider: SERIALIZED_PROVIDER };
      return [{ name: r.name, inputs, deleteBeforeReplace: true, retainOnDelete: r.retainOnDelete }];
    });
  }

  private async afterUp(phase: string, program: DeclaredResource<MembershipSdkInputs>[], emulator: PublicState): Promise<void> {
    for (const e of this.stack.entries) this.everHeld.set(e.id, e.name);
    for (const e of this.stack.entries) {
      const declared = program.find((r) => r.name === e.name);
      if (!declared || this.stale.has(personOf(declared.inputs))) continue;
      const { space: _s, __urn: _u, __provider: _p, ...d } = declared.inputs;
      this.violations.push(...checkMembershipAgree(e.name, d, e.outputs, emulator).map((v) => ({ ...v, detail: `after ${phase}: ${v.detail}` })));
    }
  }

  /** The member a resource's state names, as the stale set keys it. */
  private personOfResource(name: string): string {
    const e = this.stack.entries.find((x) => x.name === name);
    return e ? personOf(e.inputs) : name;
  }

  private violate(invariant: MembershipViolation["invariant"], detail: string): void {
    this.violations.push({ invariant, detail });
  }
}
