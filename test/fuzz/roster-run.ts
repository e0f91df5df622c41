/**
 * Runs one roster fuzz case (roster-fixture.ts) against the emulator, as membership-run.ts does
 * for ChatMembership, and checks the roster's promises (issue 11): no member removed unless the
 * preview listed it (`members["users/…"]: delete` in the diff, or a declared member of a roster
 * being deleted); never the calling user; never the last owner; one membership per member;
 * after a successful up, state, Chat and declaration agree (authoritative: nothing undeclared but
 * the caller); a failed or crashed step repeated converges; invalid input fails at check; a
 * preview reads nothing.
 */
import type { PublicState } from "../../emulator/control";
import type { StoredMembership } from "../../emulator/model";
import { ChatSpaceMembersProvider, type SpaceMembersSdkInputs } from "../../provider/space-members/provider";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import type { TestEmulator } from "../helpers/emulator";
import { type DeclaredResource, EngineModel, type Outcome, type Plan, type ProviderCall, type Stack, describeOutcome, emptyStack } from "./engine";
import { type MembershipViolation, checkLastOwner, checkOneMembership, checkOwnerRefusal, expectedMember, membersOf } from "./membership-invariants";
import { diverge, personFor } from "./membership-run";
import type { RosterDeclaration, RosterFixture } from "./roster-fixture";
import { ApiLog, type Caller, installFaults, operationProviderOf } from "./world";

type RosterStack = Stack<SpaceMembersSdkInputs, ChatSpaceMembersOutputs>;

export const ROSTER_INVARIANTS = {
  removedAsPreviewed: "no member leaves the space unless the preview listed it as removed, or the roster that declares it is deleted",
  callerKept: "a roster never removes the calling user",
  agree: "after a successful up, the space has every declared member at its declared role (authoritative: nothing else but the caller), and the state says what the space has",
  oneMembership: "a space holds one membership per member",
  lastOwner: "the space never loses its last owner (a JOINED person with ROLE_MANAGER)",
  ownerRefusalJustified: "a last-owner refusal happens only when no other owner is there",
  recovers: "after a failure (a crash included), the next up (or destroy) succeeds",
  checkRefuses: "invalid input fails at check, with zero API calls",
  checkAccepts: "a valid declaration passes check",
  previewReadsNothing: "preview makes no Chat API call",
} as const;
export interface RosterViolation {
  invariant: keyof typeof ROSTER_INVARIANTS;
  detail: string;
}

const CALLER = "users/110000000000000000001";
const NAME = "roster";
const URN = `urn:pulumi:fuzz::proj::pulumi-nodejs:dynamic/googlechat:ChatSpaceMembers::${NAME}`;
const LAST_OWNER = /last owner|without an owner/;

const operationRosterProvider = (t: TestEmulator, caller: Caller) => operationProviderOf((deps) => new ChatSpaceMembersProvider(deps), t, caller, 0);

export async function runRosterCase(t: TestEmulator, f: RosterFixture): Promise<{ violations: RosterViolation[]; transcript: string[] }> {
  await t.control.reset();
  await t.control.setSettings({ keepLastManager: f.keepLastManager, autoAcceptOff: f.bobInvited ? ["bob@example.com"] : [] });
  const run = new RosterCaseRun(t, f);
  await run.all();
  return { violations: run.violations, transcript: run.transcript };
}

/**
 * Whether applying the roster would leave the space without a JOINED owner: it declares none, and
 * no owner it leaves undeclared stays (addOnly keeps them all; authoritative only the caller).
 */
function leavesNoOwner(d: RosterDeclaration, members: StoredMembership[], users: { id: string; email: string }[], autoAcceptOff: readonly string[]): boolean {
  // A declared owner is one once joined: not one invited, nor one whose add will be an invitation (R-2).
  const invited = (member: string) => {
    const live = members.find((m) => m.memberName === member);
    const user = users.find((u) => `users/${u.id}` === member);
    return live ? live.state === "INVITED" : user !== undefined && autoAcceptOff.includes(user.email);
  };
  if (d.members.some((m) => m.user && m.role === "ROLE_MANAGER" && !invited(expectedMember(m, users)))) return false;
  const declared = new Set(d.members.map((m) => expectedMember(m, users)));
  const authoritative = (d.mode ?? "authoritative") === "authoritative";
  return !members.some((m) => m.type === "HUMAN" && m.role === "ROLE_MANAGER" && m.state === "JOINED" && !declared.has(m.memberName) && (!authoritative || m.memberName === CALLER));
}

class RosterCaseRun {
  readonly violations: RosterViolation[] = [];
  readonly transcript: string[] = [];
  private readonly log: ApiLog;
  private readonly stack: RosterStack = emptyStack();
  /** Whether Chat changed since the state last read the roster. */
  private stale = false;
  private space = "";

  constructor(
    private readonly t: TestEmulator,
    private readonly f: RosterFixture,
  ) {
    this.log = new ApiLog(t);
  }

  async all(): Promise<void> {
    const f = this.f;
    this.space = await personFor(this.t).makeSpace("Team");
    for (const d of f.preexisting) this.transcript.push(`before: ${JSON.stringify(d)}${(await diverge(this.t, this.space, d)) ? "" : " (refused by Chat)"}`);
    await this.log.take("set-up", "person");
    const startProgram = this.program(f.start);
    const setup = await this.engine("set-up").up(this.stack, startProgram);
    // A starting roster Chat can't take (it would leave no owner, say) is not this case's matter.
    if (setup.kind !== "ok") return void this.transcript.push(`set-up: ${describeOutcome(setup)}`);
    this.afterUp("set-up", f.start, await this.t.control.state(), true);

    for (const d of f.divergence) {
      const applied = await diverge(this.t, this.space, d);
      this.stale ||= applied;
      this.transcript.push(`diverge ${JSON.stringify(d)}${applied ? "" : " (refused by Chat)"}`);
    }
    if (f.refreshFirst) {
      const refreshed = await this.engine("refresh").refresh(this.stack);
      this.transcript.push(`refresh: ${describeOutcome(refreshed)}`);
      if (refreshed.kind !== "ok") return this.violate("recovers", `a refresh after changes in Chat failed: ${describeOutcome(refreshed)}`);
      this.stale = false;
    }

    const program = this.program(f.next);
    const targets = f.operation === "replace" ? [NAME] : [];
    let plan: Plan | "all" | "none" = f.operation === "destroy" ? "all" : "none";
    if (["preview", "up", "replace"].includes(f.operation)) {
      const preview = await this.engine("preview").preview(this.stack, program, targets);
      const calls = await this.log.take("preview", "check+diff");
      if (calls.length > 0) this.violate("previewReadsNothing", `the preview made ${calls.length} API calls: ${calls.map(ApiLog.line).join("; ")}`);
      if (f.invalid && preview.outcome.kind === "ok") this.violate("checkRefuses", `check accepted the roster (${f.invalid})`);
      if (!f.invalid && preview.outcome.kind !== "ok" && !this.justifiedStop(preview.outcome, await this.t.control.state())) {
        this.violate("checkAccepts", describeOutcome(preview.outcome));
      }
      this.transcript.push(`preview: ${preview.plan ? JSON.stringify(preview.plan) : describeOutcome(preview.outcome)}`);
      if (f.operation === "preview" || !preview.plan) return;
      plan = preview.plan;
    }

    const outcome = await this.operation(plan, f.operation, program, targets, true);
    if (outcome.kind === "ok") return;
    const recovery = this.program(f.invalid ? f.start : f.next);
    let nextPlan: Plan | "all" = "all";
    if (f.operation !== "destroy") {
      const preview = await this.engine("next preview").preview(this.stack, recovery, targets);
      await this.log.take("next preview", "check+diff");
      if (!preview.plan) {
        if (!this.justifiedStop(preview.outcome, await this.t.control.state())) this.violate("recovers", `after ${describeOutcome(outcome)}, the next preview: ${describeOutcome(preview.outcome)}`);
        return;
      }
      nextPlan = preview.plan;
    }
    const again = await this.operation(nextPlan, f.operation === "destroy" ? "destroy" : "up", recovery, targets, false);
    if (again.kind !== "ok" && !this.justifiedStop(again, await this.t.control.state())) {
      this.violate("recovers", `after the ${f.operation} failed (${describeOutcome(outcome)}), the next ${f.operation === "destroy" ? "destroy" : "up"} failed too: ${describeOutcome(again)}`);
    }
  }

  /** A last-owner refusal is a deliberate stop when no other owner is there. */
  private justifiedStop(o: Outcome, emulator: PublicState): boolean {
    const error = o.kind === "failed" ? o.error : o.kind === "diffFailed" ? o.error : undefined;
    if (!error || !LAST_OWNER.test(error)) return false;
    // The diff judges from the state: an owner added in Chat since the last refresh is not known (its message says to refresh).
    if (this.stale) return true;
    const d = this.f.invalid ? this.f.start : this.f.next;
    return d !== undefined && leavesNoOwner(d, membersOf(emulator, this.space), emulator.settings.users, this.f.bobInvited ? ["bob@example.com"] : []);
  }

  private async operation(plan: Plan | "all" | "none", kind: string, program: DeclaredResource<SpaceMembersSdkInputs>[], targets: string[], faulty: boolean): Promise<Outcome> {
    const phase = faulty ? "operation" : "next";
    const before = structuredClone(this.stack);
    const membersBefore = membersOf(await this.t.control.state(), this.space);
    if (faulty) await installFaults(this.t.control, this.f.faults);
    const engine = this.engine(phase, faulty ? this.f.crash : undefined);
    const outcome = kind === "refresh" ? await engine.refresh(this.stack) : kind === "destroy" ? await engine.destroy(this.stack, {}) : await engine.up(this.stack, program, targets, {});
    await this.t.control.clearFaults();
    await this.log.take(phase, "-");
    this.transcript.push(`${phase} ${kind}: ${describeOutcome(outcome)}`);
    if (kind === "refresh" && outcome.kind === "ok") this.stale = false;
    if (outcome.kind === "crashed") this.stale = true;

    const emulator = await this.t.control.state();
    const members = membersOf(emulator, this.space);
    this.violations.push(...this.removedAsPreviewed(membersBefore, members, before, plan));
    this.violations.push(...(checkLastOwner(membersBefore, members, true) as RosterViolation[]), ...(checkOneMembership(emptyStack(), members) as RosterViolation[]));
    if (outcome.kind === "failed") this.violations.push(...(checkOwnerRefusal(outcome.error, members) as MembershipViolation[] as RosterViolation[]));
    if (outcome.kind === "ok" && kind !== "refresh" && kind !== "destroy") this.afterUp(phase, program.length > 0 ? (this.f.invalid && !faulty ? this.f.start : this.f.next) : undefined, emulator, before.entries.length === 0 || (plan !== "all" && plan !== "none" && plan.steps[NAME] === "replace"));
    return outcome;
  }

  /** Members gone: each listed as removed by the preview, or declared by a roster being deleted; never the caller. */
  private removedAsPreviewed(before: StoredMembership[], after: StoredMembership[], stack: RosterStack, plan: Plan | "all" | "none"): RosterViolation[] {
    const gone = before.filter((m) => !after.some((a) => a.memberId === m.memberId));
    const entry = stack.entries[0];
    const step = plan === "all" ? "delete" : plan === "none" ? "same" : plan.steps[NAME];
    const listed = new Set(
      Object.entries((plan !== "all" && plan !== "none" && (plan.diffs?.[NAME] as { detailedDiff?: Record<string, string> } | undefined)?.detailedDiff) || {})
        .filter(([, change]) => change === "delete")
        .map(([path]) => /^members\["(.+)"\]$/.exec(path)?.[1]),
    );
    // What the roster being deleted declared: its canonical members, and any app as BOT.
    const declaredKeys = Object.entries(entry?.outputs.__declared ?? {});
    const declared = new Set([...declaredKeys.map(([, canonical]) => canonical), ...(declaredKeys.some(([key]) => key === "users/app") ? ["BOT"] : [])]);
    const out: RosterViolation[] = [];
    for (const m of gone) {
      if (m.memberName === CALLER) out.push({ invariant: "callerKept", detail: `the roster removed the calling user ${CALLER}` });
      else if (!listed.has(m.memberName) && !((step === "delete" || step === "replace") && (declared.has(m.memberName) || (m.type === "BOT" && declared.has("BOT"))))) {
        out.push({ invariant: "removedAsPreviewed", detail: `${m.memberName} left the space; the preview (${step}) did not list it as removed` });
      }
    }
    return out;
  }

  private engine(phase: string, crash?: RosterFixture["crash"]): EngineModel<SpaceMembersSdkInputs, ChatSpaceMembersOutputs> {
    return new EngineModel(operationRosterProvider(this.t, this.f.adminAccess ? "admin" : "user"), {
      crash,
      afterCall: async (call: ProviderCall) => {
        const requests = await this.log.take(phase, call.method, call.resource);
        this.transcript.push(`${phase} ${call.resource} ${call.method}: ${call.error ? `${call.partial ? "partial failure" : "error"}: ${call.error}` : call.result ?? "ok"}`);
        this.transcript.push(...requests.map((e) => `    ${ApiLog.line(e)}`));
      },
    });
  }

  private program(d: RosterDeclaration | undefined): DeclaredResource<SpaceMembersSdkInputs>[] {
    if (!d) return [];
    return [{ name: NAME, inputs: { space: this.space, ...d, __urn: URN, __provider: "fuzz-serialized-provider" }, deleteBeforeReplace: false, retainOnDelete: false }];
  }

  /**
   * After a successful up: every declared member at its role; authoritative, nothing else but the
   * caller (and, with admin access, apps it can't see), unless the roster was created in it, a
   * replacement's included (a create removes nobody: R-1, R-3); the state as the space.
   */
  private afterUp(phase: string, d: RosterDeclaration | undefined, emulator: PublicState, created: boolean): void {
    const entry = this.stack.entries[0];
    if (!d || !entry || this.stale) return;
    const members = membersOf(emulator, this.space);
    const fail = (detail: string) => this.violate("agree", `after ${phase}: ${detail}`);
    const wanted = new Map(d.members.map((m) => [expectedMember(m, emulator.settings.users), m.group ? "MEMBERSHIP_ROLE_UNSPECIFIED" : (m.role ?? "ROLE_MEMBER")]));
    for (const [member, role] of wanted) {
      const live = members.find((m) => (member === "BOT" ? m.type === "BOT" : m.memberName === member));
      if (!live) fail(`${member} is declared and not in the space`);
      // The caller, an owner, declared lower keeps ROLE_MANAGER without admin access (R-4).
      else if (live.role !== role && !(member === CALLER && !this.f.adminAccess && live.role === "ROLE_MANAGER")) fail(`${member}: declared ${role}, Google has ${live.role}`);
    }
    if ((d.mode ?? "authoritative") === "authoritative" && !created) {
      for (const m of members) {
        const declared = wanted.has(m.memberName) || (m.type === "BOT" && wanted.has("BOT"));
        if (!declared && m.memberName !== CALLER && !(m.type === "BOT" && this.f.adminAccess)) fail(`${m.memberName} is not declared and still in the space (authoritative)`);
      }
    }
    const line = (member: string, role: string, state: string) => `${member} ${role || "MEMBERSHIP_ROLE_UNSPECIFIED"} ${state}`;
    const live = members.filter((m) => !(m.type === "BOT" && this.f.adminAccess)).map((m) => line(m.memberName, m.role, m.state)).sort();
    const state = entry.outputs.members.map((m) => line(m.member, m.role, m.state)).sort();
    if (JSON.stringify(live) !== JSON.stringify(state)) fail(`the state holds [${state.join(", ")}], the space [${live.join(", ")}]`);
  }

  private violate(invariant: RosterViolation["invariant"], detail: string): void {
    this.violations.push({ invariant, detail });
  }
}
