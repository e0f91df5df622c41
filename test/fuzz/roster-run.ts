/**
 * Runs one roster fuzz case (roster-fixture.ts) against the emulator, as membership-run.ts does
 * for ChatMembership, and checks the roster's promises: no member removed unless the
 * preview listed it (`members["users/…"]: delete` in the diff, or a declared member of a roster
 * being deleted); never the calling user; never the last owner; one membership per member;
 * after a successful up, state, Chat and declaration agree (authoritative: nothing undeclared but
 * the caller); a failed or crashed step repeated converges; invalid input fails at check; a
 * preview reads nothing.
 */
import type { PublicState } from "../../emulator/control/control";
import type { StoredMembership } from "../../emulator/model";
import { demotes } from "../../provider/members/roles";
import { ChatSpaceMembersProvider, type SpaceMembersSdkInputs } from "../../provider/space-members/provider";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import type { TestEmulator } from "../helpers/emulator";
import { type CaseResult, CaseRun, type ProgramStage, personFor, readsWhoTheCallerIs, SERIALIZED_PROVIDER, type Step } from "./case-run";
import { type DeclaredResource, describeOutcome, type EngineProvider, emptyStack, type Outcome, type Plan, type Stack } from "./engine";
import { managesMembers } from "./members-invariants";
import { checkLastOwner, checkOneMembership, checkOwnerRefusal, expectedMember, type MembershipViolation, membersOf } from "./membership-invariants";
import { diverge } from "./membership-run";
import type { RosterDeclaration, RosterFixture } from "./roster-fixture";
import { deleteBeforeReplaceOf } from "./sdk-options";
import { CALLER, CALLER_EMAIL, type Caller, operationProviderOf, type TaggedRequest } from "./world";

type RosterStack = Stack<SpaceMembersSdkInputs, ChatSpaceMembersOutputs>;

export const ROSTER_INVARIANTS = {
  removedAsPreviewed: "no member leaves the space unless the preview listed it as removed, or the roster that declares it is deleted",
  callerKept: "a roster never removes the calling user",
  agree:
    "after a successful up, the space has every declared member at its declared role (authoritative: nothing else but the caller), and the state says what the space has",
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

const NAME = "roster";
const URN = `urn:pulumi:fuzz::proj::pulumi-nodejs:dynamic/googlechat:ChatSpaceMembers::${NAME}`;
const LAST_OWNER = /last owner|without an owner/;
/** A deliberate stop that names its way out: a member removed in Chat since the last refresh, whose role change the up does not turn into an add. */
const REMOVED_IN_CHAT = /is no longer a member of .* \(removed in Chat since the last refresh\)/;

const operationRosterProvider = (t: TestEmulator, caller: Caller) => operationProviderOf((deps) => new ChatSpaceMembersProvider(deps), t, caller, 0);

/** Runs one roster case through the shared step loop (case-run.ts). */
export const runRosterCase = (t: TestEmulator, f: RosterFixture): Promise<CaseResult<RosterViolation>> => new RosterCaseRun(t, f).run();

/**
 * Whether applying the roster would leave the space without a JOINED owner: it declares none, and
 * no owner it leaves undeclared stays (addOnly keeps them all; authoritative only the caller).
 */
function leavesNoOwner(d: RosterDeclaration, members: StoredMembership[], users: { id: string; email: string }[], autoAcceptOff: readonly string[]): boolean {
  // A declared owner is one once joined: not one invited, nor one whose add will be an invitation.
  const invited = (member: string) => {
    const live = members.find((m) => m.memberName === member);
    const user = users.find((u) => `users/${u.id}` === member);
    return live ? live.state === "INVITED" : user !== undefined && autoAcceptOff.includes(user.email);
  };
  if (d.members.some((m) => m.user && m.role === "ROLE_MANAGER" && !invited(expectedMember(m, users)))) return false;
  const declared = new Set(d.members.map((m) => expectedMember(m, users)));
  const authoritative = (d.mode ?? "authoritative") === "authoritative";
  return !members.some(
    (m) =>
      m.type === "HUMAN" && m.role === "ROLE_MANAGER" && m.state === "JOINED" && !declared.has(m.memberName) && (!authoritative || m.memberName === CALLER),
  );
}

/** The stack and the space's members before an operation, to judge it by. */
interface Before {
  stack: RosterStack;
  members: StoredMembership[];
}

/** A roster case: one ChatSpaceMembers of a space a person makes first, with members that were there before it. */
class RosterCaseRun extends CaseRun<SpaceMembersSdkInputs, ChatSpaceMembersOutputs, RosterFixture, RosterViolation, Before> {
  /** Whether Chat changed since the state last read the roster. */
  private stale = false;
  private space = "";

  protected settings() {
    return { keepLastManager: this.f.keepLastManager, autoAcceptOff: this.f.bobInvited ? ["bob@example.com"] : [] };
  }

  protected async prepare(): Promise<void> {
    this.space = await personFor(this.t).makeSpace("Team", this.f.externalSpace === true);
    for (const d of this.f.preexisting)
      this.transcript.push(`before: ${JSON.stringify(d)}${(await diverge(this.t, this.space, d)) ? "" : " (refused by Chat)"}`);
  }

  protected provider(): EngineProvider<SpaceMembersSdkInputs, ChatSpaceMembersOutputs> {
    return operationRosterProvider(this.t, this.f.adminAccess ? "admin" : "user");
  }

  protected override previewMayRead(call: TaggedRequest): boolean {
    return readsWhoTheCallerIs(call, [CALLER_EMAIL]);
  }

  /** A starting roster Chat can't take (it would leave no owner, say) is not this case's matter. */
  protected override setUpRefused(setup: Outcome): void {
    this.transcript.push(`set-up: ${describeOutcome(setup)}`);
  }

  protected async afterSetUp(): Promise<void> {
    this.afterUp("set-up", this.f.start, await this.t.control.state(), true);
  }

  protected async diverge(): Promise<void> {
    for (const d of this.f.divergence) {
      const applied = await diverge(this.t, this.space, d);
      this.stale ||= applied;
      this.transcript.push(`diverge ${JSON.stringify(d)}${applied ? "" : " (refused by Chat)"}`);
    }
  }

  protected override targets(): string[] {
    return this.f.operation === "replace" ? [NAME] : [];
  }

  /** The roster's diff, its members' additions and removals, is what its preview shows. */
  protected override describePlan(plan: Plan): string {
    return JSON.stringify(plan);
  }

  protected async judgePreview(preview: { outcome: Outcome }): Promise<void> {
    if (this.f.invalid && preview.outcome.kind === "ok") this.violate("checkRefuses", `check accepted the roster (${this.f.invalid})`);
    if (!this.f.invalid && preview.outcome.kind !== "ok" && !this.justifiedStop(preview.outcome, await this.t.control.state())) {
      this.violate("checkAccepts", describeOutcome(preview.outcome));
    }
  }

  protected async beforeStep(): Promise<Before> {
    return { stack: structuredClone(this.stack), members: membersOf(await this.t.control.state(), this.space) };
  }

  protected async judge({ phase, kind, plan, program, outcome }: Step<SpaceMembersSdkInputs>, before: Before): Promise<void> {
    const emulator = await this.t.control.state();
    const members = membersOf(emulator, this.space);
    this.violations.push(...this.removedAsPreviewed(before.members, members, before.stack, plan));
    this.violations.push(
      ...(checkLastOwner(before.members, members, true) as RosterViolation[]),
      ...(checkOneMembership(emptyStack(), members) as RosterViolation[]),
    );
    if (outcome.kind === "failed") this.violations.push(...(checkOwnerRefusal(outcome.error, members) as MembershipViolation[] as RosterViolation[]));
    if (outcome.kind === "ok" && kind !== "refresh" && kind !== "destroy") {
      const declared = program.length > 0 ? (this.f.invalid && phase === "next" ? this.f.start : this.f.next) : undefined;
      const detailed =
        plan !== "all" && plan !== "none" ? (plan.diffs?.[NAME] as { detailedDiff?: Record<string, string> } | undefined)?.detailedDiff : undefined;
      const added = (i: number) => detailed?.[`members[${i}]`] === "add";
      this.afterUp(
        phase,
        declared,
        emulator,
        before.stack.entries.length === 0 || (plan !== "all" && plan !== "none" && plan.steps[NAME] === "replace"),
        added,
      );
    }
  }

  protected fresh(): void {
    this.stale = false;
  }

  protected override crashed(): void {
    this.stale = true;
  }

  protected async stopIsJustified(o: Outcome): Promise<boolean> {
    return this.justifiedStop(o, await this.t.control.state());
  }

  /**
   * A last-owner refusal is a deliberate stop when no other owner is there; so is the stop for a
   * member removed in Chat since the state last read the roster (a crash that lost the state
   * written by the same stop included): the up after it adds the member back.
   */
  private justifiedStop(o: Outcome, emulator: PublicState): boolean {
    const error = o.kind === "failed" ? o.error : o.kind === "diffFailed" ? o.error : undefined;
    if (error && REMOVED_IN_CHAT.test(error) && this.stale) return true;
    if (!error || !LAST_OWNER.test(error)) return false;
    // The diff judges from the state: an owner added in Chat since the last refresh is not known (its message says to refresh).
    if (this.stale) return true;
    const d = this.f.invalid ? this.f.start : this.f.next;
    return d !== undefined && leavesNoOwner(d, membersOf(emulator, this.space), emulator.settings.users, this.f.bobInvited ? ["bob@example.com"] : []);
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
      else if (
        !listed.has(m.memberName) &&
        !((step === "delete" || step === "replace") && (declared.has(m.memberName) || (m.type === "BOT" && declared.has("BOT"))))
      ) {
        out.push({ invariant: "removedAsPreviewed", detail: `${m.memberName} left the space; the preview (${step}) did not list it as removed` });
      }
    }
    return out;
  }

  /** The program: the roster's declaration, in the person's space, as the SDK sends it. */
  protected program(stage: ProgramStage): DeclaredResource<SpaceMembersSdkInputs>[] {
    const d = stage === "start" ? this.f.start : stage === "next" || !this.f.invalid ? this.f.next : this.f.start;
    if (!d) return [];
    return [
      {
        name: NAME,
        inputs: { space: this.space, ...d, __urn: URN, __provider: SERIALIZED_PROVIDER },
        deleteBeforeReplace: deleteBeforeReplaceOf("ChatSpaceMembers"),
        retainOnDelete: false,
      },
    ];
  }

  /**
   * After a successful up: every declared member at its role; authoritative, nothing else but the
   * caller (and, with admin access, apps it can't see), unless the roster was created in it, a
   * replacement's included (a create removes and demotes nobody: its preview could not list the
   * space; the next preview announces it); the state as the space. A member the preview planned
   * as an add (`added`, by the entry's index) that was there already at a higher role keeps it:
   * the preview announced an add, not a demotion.
   */
  private afterUp(
    phase: string,
    d: RosterDeclaration | undefined,
    emulator: PublicState,
    created: boolean,
    added: (index: number) => boolean = () => false,
  ): void {
    const entry = this.stack.entries[0];
    if (!d || !entry || this.stale) return;
    const members = membersOf(emulator, this.space);
    const fail = (detail: string) => this.violate("agree", `after ${phase}: ${detail}`);
    const wanted = new Map(
      d.members.map((m) => [expectedMember(m, emulator.settings.users), m.group ? "MEMBERSHIP_ROLE_UNSPECIFIED" : (m.role ?? "ROLE_MEMBER")]),
    );
    const unannounced = new Set(d.members.flatMap((m, i) => (created || added(i) ? [expectedMember(m, emulator.settings.users)] : [])));
    for (const [member, role] of wanted) {
      const live = members.find((m) => (member === "BOT" ? m.type === "BOT" : m.memberName === member));
      if (!live) fail(`${member} is declared and not in the space`);
      // The caller, an owner or a manager, declared lower keeps her role without admin access; a demotion the preview did not announce waits for the next.
      else if (
        live.role !== role &&
        !(member === CALLER && !this.f.adminAccess && managesMembers(live.role) && demotes(live.role, role)) &&
        !(unannounced.has(member) && demotes(live.role, role))
      ) {
        fail(`${member}: declared ${role}, Google has ${live.role}`);
      }
    }
    if ((d.mode ?? "authoritative") === "authoritative" && !created) {
      for (const m of members) {
        const declared = wanted.has(m.memberName) || (m.type === "BOT" && wanted.has("BOT"));
        if (!declared && m.memberName !== CALLER && !(m.type === "BOT" && this.f.adminAccess))
          fail(`${m.memberName} is not declared and still in the space (authoritative)`);
      }
    }
    const line = (member: string, role: string, state: string) => `${member} ${role || "MEMBERSHIP_ROLE_UNSPECIFIED"} ${state}`;
    const live = members
      .filter((m) => !(m.type === "BOT" && this.f.adminAccess))
      .map((m) => line(m.memberName, m.role, m.state))
      .sort();
    // A replacement's old roster is deleted after the new one listed the space: an addOnly roster
    // (which decides on none it does not declare) keeps listing, until a refresh, the members
    // that delete removed.
    const removedSinceListed = (m: { member: string }) =>
      created && d.mode === "addOnly" && !wanted.has(m.member) && !members.some((live) => live.memberName === m.member);
    const state = entry.outputs.members
      .filter((m) => !removedSinceListed(m))
      .map((m) => line(m.member, m.role, m.state))
      .sort();
    if (JSON.stringify(live) !== JSON.stringify(state)) fail(`the state holds [${state.join(", ")}], the space [${live.join(", ")}]`);
  }
}
