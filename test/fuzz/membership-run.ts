/**
 * Runs one membership fuzz case through the shared step loop (case-run.ts), giving what is
 * ChatMembership's: a person's space made first, the changes made in Chat to its members, and
 * the invariants of membership-invariants.ts checked after each step.
 */
import type { PublicState } from "../../emulator/control/control";
import type { StoredMembership } from "../../emulator/model";
import type { MembershipSdkInputs } from "../../provider/membership/inputs";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { TestEmulator } from "../helpers/emulator";
import { type CaseResult, CaseRun, type ProgramStage, personFor, readsWhoTheCallerIs, SERIALIZED_PROVIDER, type Step } from "./case-run";
import { type DeclaredResource, describeOutcome, type EngineProvider, type Outcome, type Plan, type ProviderCall } from "./engine";
import type { MemberDivergence, MembershipFixture } from "./membership-fixture";
import { personOf } from "./membership-generate";
import {
  checkLastOwner,
  checkMembershipAgree,
  checkMembershipOrphans,
  checkOneMembership,
  checkOwnerRefusal,
  checkRemovedAsPreviewed,
  type MembershipStack,
  type MembershipViolation,
  membershipNeedsReplacement,
  membersOf,
} from "./membership-invariants";
import { deleteBeforeReplaceOf } from "./sdk-options";
import { CALLER, CALLER_EMAIL, operationMembershipProvider, type TaggedRequest } from "./world";

const urnOf = (name: string) => `urn:pulumi:fuzz::proj::pulumi-nodejs:dynamic/googlechat:ChatMembership::${name}`;
/** The provider's refusal to leave a space without an owner: a deliberate stop, judged by checkOwnerRefusal. */
const LAST_OWNER = /is the last owner/;
/** A deliberate stop that names its way out: a membership removed in Chat since the last refresh (the role change is not turned into an add). */
const REFRESH_FIRST = /is no longer a member of .* Run `pulumi refresh`/;

/** Applies one change in Chat (emulator/control/outside.ts); false when Chat refuses it (not a member, no invitation pending). */
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

/** Runs one membership case through the shared step loop (case-run.ts). */
export const runMembershipCase = (t: TestEmulator, f: MembershipFixture): Promise<CaseResult<MembershipViolation>> => new MembershipCaseRun(t, f).run();

/** The stack and the space's members before an operation, to judge it by. */
interface Before {
  stack: MembershipStack;
  members: StoredMembership[];
}

/** A ChatMembership case: its resources' memberships of one space a person makes first. */
class MembershipCaseRun extends CaseRun<MembershipSdkInputs, ChatMembershipOutputs, MembershipFixture, MembershipViolation, Before> {
  /** Memberships the stack has held, and for which resource. */
  private readonly everHeld = new Map<string, string>();
  /** Members changed in Chat since the state last read them. */
  private readonly stale = new Set<string>();
  /** Resources created (or replaced) since the last step began: the preview of their create could not show a role their member had already. */
  private readonly created = new Set<string>();
  private space = "";

  protected settings() {
    return { keepLastManager: this.f.keepLastManager, autoAcceptOff: this.f.bobInvited ? ["bob@example.com"] : [] };
  }

  protected async prepare(): Promise<void> {
    this.space = await personFor(this.t).makeSpace("Team", this.f.externalSpace === true);
  }

  protected provider(): EngineProvider<MembershipSdkInputs, ChatMembershipOutputs> {
    return operationMembershipProvider(this.t, this.f.adminAccess ? "admin" : "user", 0);
  }

  protected override previewMayRead(call: TaggedRequest): boolean {
    return readsWhoTheCallerIs(call, [CALLER_EMAIL]);
  }

  protected async afterSetUp(program: DeclaredResource<MembershipSdkInputs>[]): Promise<void> {
    this.afterUp("set-up", program, await this.t.control.state());
  }

  protected async diverge(): Promise<void> {
    for (const d of this.f.divergence) {
      const applied = await diverge(this.t, this.space, d);
      if (applied) this.stale.add(d.member === "app" ? "app" : d.member);
      this.transcript.push(`diverge ${JSON.stringify(d)}${applied ? "" : " (refused by Chat)"}`);
    }
  }

  protected async judgePreview(preview: { outcome: Outcome; plan?: Plan }): Promise<void> {
    const invalid = this.f.resources.filter((r) => r.next && r.invalid);
    if (invalid.length > 0 && preview.outcome.kind === "ok")
      this.violate("checkRefuses", `check accepted ${invalid.map((r) => `${r.name} (${r.invalid})`).join(", ")}`);
    // Refused with check failures naming the property, not a check that threw (a TypeError is no message a user can act on).
    else if (invalid.length > 0 && preview.outcome.kind === "failed")
      this.violate("checkRefuses", `check threw on ${invalid.map((r) => `${r.name} (${r.invalid})`).join(", ")}: ${preview.outcome.error}`);
    if (invalid.length === 0 && preview.outcome.kind !== "ok") this.violate("checkAccepts", describeOutcome(preview.outcome));
    const users = (await this.t.control.state()).settings.users;
    for (const r of this.f.resources) {
      if (!r.start || !r.next || r.invalid || r.name === this.f.replaceTarget || preview.plan?.steps[r.name] !== "replace") continue;
      if (!membershipNeedsReplacement(r.start, r.next, users)) {
        this.violate(
          "replaceOnlyWhenNeeded",
          `the preview replaces ${r.name} (${JSON.stringify(r.start)} -> ${JSON.stringify(r.next)}), whose member and times are the same`,
        );
      }
    }
  }

  protected async beforeStep(): Promise<Before> {
    this.created.clear();
    return { stack: structuredClone(this.stack), members: membersOf(await this.t.control.state(), this.space) };
  }

  protected async judge({ phase, kind, plan, program, outcome }: Step<MembershipSdkInputs>, before: Before): Promise<void> {
    const emulator = await this.t.control.state();
    const members = membersOf(emulator, this.space);
    this.violations.push(...checkRemovedAsPreviewed(before.members, members, before.stack, plan, this.log.in(phase)));
    this.violations.push(...checkLastOwner(before.members, members, emulator.spaces[this.space.slice("spaces/".length)] !== undefined));
    if (outcome.kind === "failed") this.violations.push(...checkOwnerRefusal(outcome.error, members));
    // A failed up may leave a member moving between two resources held by both, as Pulumi would: judged once an up succeeds.
    if (outcome.kind === "ok") this.violations.push(...checkOneMembership(this.stack, members));
    if (outcome.kind !== "crashed") this.violations.push(...checkMembershipOrphans(this.everHeld, this.stack, this.retained, members, CALLER));
    if (outcome.kind === "ok" && kind !== "refresh" && kind !== "destroy") this.afterUp(phase, program, emulator);
  }

  protected fresh(): void {
    this.stale.clear();
  }

  protected override crashed(after: ProviderCall): void {
    if (["update", "delete"].includes(after.method)) this.stale.add(this.personOfResource(after.resource));
  }

  /** A next preview that refuses stops there; the provider's refusal to leave a space without an owner is judged by checkOwnerRefusal. */
  protected async stopIsJustified(o: Outcome, stage: "next preview" | "next"): Promise<boolean> {
    return stage === "next preview" || (o.kind === "failed" && (LAST_OWNER.test(o.error) || REFRESH_FIRST.test(o.error)));
  }

  protected override onCall(call: ProviderCall): void {
    if (call.result) this.everHeld.set(call.result, call.resource);
    if (call.method === "create" && call.result) this.created.add(call.resource);
    if (call.method === "create" && call.result) this.stale.delete(this.personOfResource(call.resource));
  }

  /** The program: each resource's declaration, in the person's space, as the SDK sends it. */
  protected program(stage: ProgramStage): DeclaredResource<MembershipSdkInputs>[] {
    return this.f.resources.flatMap((r) => {
      const d = stage === "start" ? r.start : stage === "next" || !r.invalid ? r.next : r.start;
      if (!d) return [];
      const inputs: MembershipSdkInputs = { space: this.space, ...d, __urn: urnOf(r.name), __provider: SERIALIZED_PROVIDER };
      return [{ name: r.name, inputs, deleteBeforeReplace: deleteBeforeReplaceOf("ChatMembership"), retainOnDelete: r.retainOnDelete }];
    });
  }

  private afterUp(phase: string, program: DeclaredResource<MembershipSdkInputs>[], emulator: PublicState): void {
    for (const e of this.stack.entries) this.everHeld.set(e.id, e.name);
    for (const e of this.stack.entries) {
      const declared = program.find((r) => r.name === e.name);
      if (!declared || this.stale.has(personOf(declared.inputs))) continue;
      const { space: _s, __urn: _u, __provider: _p, ...d } = declared.inputs;
      this.violations.push(
        ...checkMembershipAgree(e.name, d, e.outputs, emulator, { member: CALLER, adminAccess: this.f.adminAccess }, this.created.has(e.name)).map((v) => ({
          ...v,
          detail: `after ${phase}: ${v.detail}`,
        })),
      );
    }
  }

  /** The member a resource's state names, as the stale set keys it. */
  private personOfResource(name: string): string {
    const e = this.stack.entries.find((x) => x.name === name);
    return e ? personOf(e.inputs) : name;
  }
}
