/**
 * Runs one ChatSpace fuzz case through the shared step loop (case-run.ts), giving what is
 * ChatSpace's: adopted spaces made first, each resource's changes in Chat, its callers, and
 * invariants.ts checked after each step.
 */

import type { WorldSettings } from "../../emulator/model";
import { checkInputs } from "../../provider/space/check";
import type { SdkInputs } from "../../provider/space/provider";
import type { ChatSpaceOutputs } from "../../provider/space/types";
import type { TestEmulator } from "../helpers/emulator";
import { sdkInputs } from "../helpers/provider";
import { type CaseResult, CaseRun, type ProgramStage, personFor, SERIALIZED_PROVIDER, type Step } from "./case-run";
import type { DeclaredResource, EngineModel, EngineProvider, Outcome, ProviderCall, Stack } from "./engine";
import { emptyStack } from "./engine";
import { ADOPT, type Declaration, type Fixture, type ResourceCase } from "./fixture";
import { OTHER_ORG } from "./generate";
import {
  checkAgree,
  checkDeleteAsPreviewed,
  checkNoOrphan,
  checkOneSpace,
  checkPreviewQuiet,
  checkSmallestMasks,
  checkUntouched,
  IDENTITY_FIELDS,
  needsReplacement,
  spacesByResource,
  type Violation,
} from "./invariants";
import { deleteBeforeReplaceOf } from "./sdk-options";
import { type Caller, operationProvider, type Person } from "./world";

/** The emulator's state, as the checks read it. */
type EmulatorState = Awaited<ReturnType<TestEmulator["control"]["state"]>>;

const indexOf = (r: ResourceCase) => Number(r.name.slice(1));

/**
 * The emulator's settings for a space case: what a reused requestId answers, and the second
 * organisation the app is installed in (its spaces are created there by the case's customer).
 */
export function spaceWorld(f: Pick<Fixture, "afterDelete">): Partial<WorldSettings> {
  return { requestIdAfterDelete: f.afterDelete, appCustomers: [OTHER_ORG] };
}

/** The replace-only fields a new declaration sets to another value, as text for a message. */
function changedIdentity(start: Declaration, next: Declaration): string {
  return IDENTITY_FIELDS.filter((k) => next[k] !== undefined && next[k] !== start[k])
    .map((k) => `${k}: ${JSON.stringify(start[k] ?? null)} -> ${JSON.stringify(next[k])}`)
    .join(", ");
}

/** Runs one ChatSpace case through the shared step loop (case-run.ts). */
export const runCase = (t: TestEmulator, f: Fixture): Promise<CaseResult<Violation>> => new SpaceCaseRun(t, f).run();

/**
 * A ChatSpace case: its resources' spaces, adopted ones made by hand first; the operation's
 * caller may have lost access, and time passes after the set-up (clockAheadMs). The next up
 * after a failure runs without a preview of its own.
 */
class SpaceCaseRun extends CaseRun<SdkInputs, ChatSpaceOutputs, Fixture, Violation> {
  protected override readonly previewsRecovery = false;
  private readonly person: Person;
  /** Spaces the stack has held, and for which resource. */
  private readonly everHeld = new Map<string, string>();
  /** Resources whose space changed in Chat since the state last read it. */
  private readonly stale = new Set<string>();
  private readonly adopted = new Map<string, string>();
  /** The stack and Chat after the changes in Chat, before the preview: what the operation is judged against. */
  private before: Stack = emptyStack();
  private liveBefore: EmulatorState["spaces"] = {};
  private emulatorOrg = "";

  constructor(t: TestEmulator, f: Fixture) {
    super(t, f);
    this.person = personFor(t);
  }

  protected settings() {
    return spaceWorld(this.f);
  }

  protected async prepare(): Promise<void> {
    for (const r of this.f.resources) {
      if (r.start?.adoptSpace === ADOPT || r.next?.adoptSpace === ADOPT) this.adopted.set(r.name, await this.person.makeSpace(`Space ${indexOf(r)} A`));
    }
  }

  /**
   * The set-up runs as whoever deployed the stack, the operation and the next up as the stack's
   * caller now; the preview and the operation maybe as one who lost access.
   */
  protected provider(phase: string): EngineProvider {
    const deployer: Caller | undefined = this.f.deployedByUser ? "user" : this.f.deployedByPartnerApp ? "app" : undefined;
    const main: Caller = deployer && phase === "set-up" ? deployer : this.f.auth === "app" ? "app" : this.f.adminAccess ? "admin" : "user";
    const caller: Caller = (phase === "preview" || phase === "operation") && this.f.accessLost ? "outsider" : main;
    return operationProvider(this.t, caller, phase === "set-up" ? 0 : this.f.clockAheadMs);
  }

  protected afterSetUp(program: DeclaredResource[]): Promise<void> {
    return this.afterUp("set-up", program);
  }

  protected async diverge(): Promise<void> {
    for (const r of this.f.resources) {
      const entry = this.stack.entries.find((e) => e.name === r.name);
      if (!entry) continue;
      if (this.f.deployedByUser) {
        await this.person.addApp(entry.id);
        this.transcript.push(`diverge ${r.name}: the Chat app added`);
      }
      if (this.f.deployedByPartnerApp) {
        await this.person.addCaller(entry.id);
        this.transcript.push(`diverge ${r.name}: admin@example.com added`);
      }
      for (const change of r.divergence) {
        if (await this.person.diverge(entry.id, indexOf(r), change)) this.stale.add(r.name);
        this.transcript.push(`diverge ${r.name}: ${change}`);
      }
    }
    await this.log.take("diverge", "person");
    this.before = structuredClone(this.stack);
    ({
      spaces: this.liveBefore,
      settings: { customer: this.emulatorOrg },
    } = await this.t.control.state());
  }

  protected async judgePreview(preview: Awaited<ReturnType<EngineModel["preview"]>>, program: DeclaredResource[]): Promise<void> {
    const f = this.f;
    const invalid = f.resources.filter((r) => r.next && r.invalid);
    // Refused at check, or at diff, the preview stops before any call: either keeps the promise.
    if (invalid.length > 0 && preview.outcome.kind === "ok") {
      this.violate("checkRefuses", `check accepted ${invalid.map((r) => `${r.name} (${r.invalid})`).join(", ")}`);
    }
    // A replacement is a creation: a declaration valid for the space it has may be refused for a new one, before any call.
    if (invalid.length === 0 && preview.outcome.kind === "checkFailed" && !preview.outcome.replacing)
      this.violate("checkAccepts", preview.outcome.failures.join("; "));
    // Refusing to replace a space the program adopted is a deliberate stop; any other refusal is not.
    const refused = preview.outcome.kind === "diffFailed" ? preview.outcome : undefined;
    if (refused && !program.find((r) => r.name === refused.resource)?.inputs.adoptSpace)
      this.violate("checkAccepts", `diff refused ${refused.resource}: ${refused.error}`);
    for (const r of f.resources) {
      const was = this.before.entries.find((e) => e.name === r.name);
      const replaces = r.start && r.next && was && needsReplacement(r.start, r.next, this.liveBefore[was.id.slice(7)], this.emulatorOrg);
      const step = preview.plan?.steps[r.name];
      if (step === "replace" && r.start && !replaces && r.name !== f.replaceTarget) {
        this.violate("replaceOnlyWhenNeeded", `the preview replaces ${r.name}, whose declaration changes no replace-only field`);
      }
      if (step !== undefined && step !== "same" && r.name !== f.replaceTarget && was && r.start && r.next && !r.invalid) {
        this.violations.push(...checkPreviewQuiet(r.name, step, r.start, r.next, this.liveBefore[was.id.slice(7)], this.emulatorOrg));
      }
      if (step !== undefined && step !== "replace" && replaces) {
        this.violate(
          "replacesWhenNeeded",
          `the preview plans ${step} for ${r.name}, whose declaration changes a replace-only field (${changedIdentity(r.start!, r.next!)})`,
        );
      }
    }
  }

  /** The operation is judged against the state after the changes in Chat, read before its preview. */
  protected async beforeStep(): Promise<void> {}

  protected async judge({ phase, kind, plan, program, outcome }: Step<SdkInputs>): Promise<void> {
    if (phase === "next") {
      // The next up (or destroy) is judged once it succeeds; its refusals by stopIsJustified.
      if (outcome.kind !== "ok") return;
      if (kind !== "destroy") await this.afterUp("next", program);
      else this.checkSpaces(await this.t.control.state());
      return;
    }
    const emulator = await this.t.control.state();
    this.violations.push(...checkDeleteAsPreviewed(this.log.in("operation"), this.before, plan));
    if (outcome.kind !== "crashed") this.checkSpaces(emulator);
    if (!["preview", "up", "replace"].includes(kind)) return;
    for (const r of this.f.resources) {
      const [was, now] = [this.before.entries.find((e) => e.name === r.name), this.stack.entries.find((e) => e.name === r.name)];
      if (!r.next || !was || was.id !== now?.id) continue;
      this.violations.push(...checkUntouched(r.name, r.next, this.liveBefore[was.id.slice(7)], emulator.spaces[was.id.slice(7)]));
      // A fault (an answer lost or partly filled) leaves the provider what it could read: judged without one.
      if (this.f.faults.length > 0 || this.f.crash) continue;
      const masks = this.log
        .in("operation")
        .filter((e) => e.request.method === "PATCH" && e.request.path === `/v1/${was.id}` && e.request.query.updateMask)
        .map((e) => e.request.query.updateMask!);
      this.violations.push(...checkSmallestMasks(r.name, r.next, stripBookkeeping(was.inputs), this.liveBefore[was.id.slice(7)], masks, this.emulatorOrg));
    }
    if (outcome.kind === "ok") this.checkAgreement(emulator, program);
  }

  /**
   * A refresh read every space again; but a space of another organisation, which admin access
   * can't read, it keeps as last read (provider/space/provider.ts `read`), so those stay stale.
   */
  protected fresh(): void {
    if (!this.f.deployedByPartnerApp) this.stale.clear();
  }

  protected override crashed(after: ProviderCall): void {
    if (["update", "delete"].includes(after.method)) this.stale.add(after.resource);
  }

  /**
   * A program refused before any call (check, or a diff that will not replace an adopted space) is
   * the program's matter, not the failure's; so is a replacement the program makes create first
   * (`deleteBeforeReplace: false`) while the space it replaces holds the declared display name,
   * which Google gives one space of an organisation (v1.d.ts `Schema$Space.displayName`:
   * ALREADY_EXISTS), when the provider's message says so and nothing was deleted.
   */
  protected async stopIsJustified(o: Outcome): Promise<boolean> {
    if (o.kind === "checkFailed" || o.kind === "diffFailed") return true;
    if (o.kind !== "failed") return false;
    return (
      this.refusedAsCheckWould(o.error) ||
      (await this.nameHeldByReplacedSpace(o.error)) ||
      (await this.goneAndNamed(o.error)) ||
      (await this.adoptedSpaceGone(o.error)) ||
      (await this.beyondAdminAccess(o.error))
    );
  }

  /**
   * Whether `error` is admin access's stop for a live space of another organisation, which the
   * calling user sees: admin access reaches only the administrator's own organisation's spaces
   * (v1.d.ts `useAdminAccess`), so the provider can neither change nor delete it, and it names
   * the ways out (a provider instance without admin access, or `pulumi state delete`).
   */
  private async beyondAdminAccess(error: string): Promise<boolean> {
    const space = /^ChatSpace .*: Google answers 404 Not Found with googlechat:useAdminAccess, yet the calling user sees (spaces\/[\w-]+): /.exec(error)?.[1];
    if (!space || !this.f.adminAccess) return false;
    const { spaces, settings } = await this.t.control.state();
    const live = spaces[space.slice("spaces/".length)];
    return live !== undefined && live.customer !== settings.customer;
  }

  /**
   * Whether `error` is an adoption's refusal of a space that is gone, when no create of the
   * resource made a space either: the program names a space that no longer exists (deleted in
   * Chat, with no refresh or a refresh that crashed), which only the program can change. A
   * replacement interrupted after its create, whose space the next up must find, is not this.
   */
  private async adoptedSpaceGone(error: string): Promise<boolean> {
    const [, resource, space] = /^ChatSpace (r\d+): adoptSpace (spaces\/[\w-]+) does not exist, or these credentials can't see it\./.exec(error) ?? [];
    if (!resource) return false;
    const emulator = await this.t.control.state();
    const made = spacesByResource(emulator, this.log.entries, new Map()).get(resource) ?? new Set();
    return !(space.slice("spaces/".length) in emulator.spaces) && made.size === 0;
  }

  /**
   * Whether `error` is a create's refusal, before any write, of a declaration valid for the space
   * the resource has but not for a new one (a replacement is a creation), while that space is
   * still the resource's: the refusal at check the engine skips for a targeted `--replace`
   * (pulumi/pulumi step_generator.go checks a targeted replacement only against the old inputs),
   * made by the create instead, in a replacement that creates first; or, for an adopting
   * declaration, the adoption's refusal of a space whose replace-only values it contradicts.
   */
  private refusedAsCheckWould(error: string): boolean {
    const resource = /^ChatSpace (r\d+): /.exec(error)?.[1];
    const declared = this.program("next").find((r) => r.name === resource);
    if (!declared || !this.stack.entries.some((e) => e.name === resource)) return false;
    if (declared.inputs.adoptSpace && error.startsWith(`ChatSpace ${resource}: adoptSpace ${declared.inputs.adoptSpace} can't be taken over as declared: `))
      return true;
    const context = { creating: true, auth: this.f.auth, useAdminAccess: this.f.adminAccess, now: Date.now() + this.f.clockAheadMs };
    const failures = checkInputs(stripBookkeeping(declared.inputs), context);
    return failures.length > 0 && error === `ChatSpace ${resource}: ${failures.map((f) => `${f.property} ${f.reason}`).join(" ")}`;
  }

  /**
   * Whether `error` is the stop for a space deleted since the state last read it, which Pulumi
   * and Google leave the provider no way to get past in one step, named with its way out, for a
   * space that is gone:
   * - without admin access, a 404 can't be told from credentials that lost sight of the space
   *   (v1.d.ts `spaces.get` and `spaces.delete` document no answer for a space hidden from the
   *   caller; docs/google-chat-api.md, Spaces): a DELETE meeting it (after a crash right after an
   *   earlier DELETE, say) keeps the space in the stack and names `pulumi state delete`;
   * - with admin access, an update meeting 404 knows the space is gone, but an update can't give
   *   the resource a new space (a Pulumi update keeps the resource's id): it names `pulumi
   *   refresh`, which takes the space out of the stack, so that `pulumi up` creates it again.
   */
  private async goneAndNamed(error: string): Promise<boolean> {
    // A space is named by its display name and name, or by its name alone (a group chat has no display name).
    const hidden =
      /[( ](spaces\/[\w-]+)\)?: Google answers 404 Not Found: the space was deleted, or these credentials can no longer see it .*It was not deleted and stays in the stack\./;
    const deleted = /^ChatSpace r\d+: (spaces\/[\w-]+) was deleted outside Pulumi\. Run `pulumi refresh`/;
    const space = (this.f.adminAccess ? deleted : hidden).exec(error)?.[1];
    return space !== undefined && !(space.slice("spaces/".length) in (await this.t.control.state()).spaces);
  }

  /** Whether `error` is the create-first replacement's name refusal, for a resource whose own space holds the name. */
  private async nameHeldByReplacedSpace(error: string): Promise<boolean> {
    const resource =
      /^ChatSpace (r\d+): spaces\.create failed \(409 ALREADY_EXISTS: .* a replacement that creates the new space first \(deleteBeforeReplace: false\) can't take its name/.exec(
        error,
      )?.[1];
    const r = this.f.resources.find((x) => x.name === resource);
    const entry = this.stack.entries.find((e) => e.name === resource);
    if (!r?.next?.displayName || r.deleteBeforeReplace !== false || !entry) return false;
    const holder = Object.values((await this.t.control.state()).spaces).find((space) => space.displayName === r.next?.displayName);
    return holder !== undefined && `spaces/${holder.id}` === entry.id;
  }

  protected override onCall(call: ProviderCall): void {
    if (call.result) this.everHeld.set(call.result, call.resource);
    if (call.method === "create" && call.result) this.stale.delete(call.resource);
  }

  /** The program: each resource's declaration as the SDK sends it. */
  protected program(stage: ProgramStage): DeclaredResource[] {
    return this.f.resources.flatMap((r) => {
      const d = stage === "start" ? r.start : stage === "next" || !r.invalid ? r.next : r.start;
      if (!d) return [];
      const declared = d.adoptSpace === ADOPT ? { ...d, adoptSpace: this.adopted.get(r.name) } : d;
      const inputs = { ...sdkInputs(r.name, declared), __provider: SERIALIZED_PROVIDER } as SdkInputs;
      return [{ name: r.name, inputs, deleteBeforeReplace: deleteBeforeReplaceOf("ChatSpace", r.deleteBeforeReplace), retainOnDelete: r.retainOnDelete }];
    });
  }

  private async afterUp(phase: string, program: DeclaredResource[]): Promise<void> {
    const emulator = await this.t.control.state();
    for (const e of this.stack.entries) this.everHeld.set(e.id, e.name);
    this.checkSpaces(emulator);
    this.checkAgreement(emulator, program, phase);
  }

  private checkSpaces(emulator: EmulatorState): void {
    const owners = spacesByResource(emulator, this.log.entries, this.everHeld);
    // The old space of a create-first replacement stopped before its delete is the state's to delete (its pending delete).
    const replacedOld = new Set(this.stack.pendingDeletes.map((e) => e.id));
    this.violations.push(...checkOneSpace(owners, new Set([...this.retained, ...replacedOld])), ...checkNoOrphan(owners, this.stack, this.retained));
  }

  private checkAgreement(emulator: EmulatorState, program: DeclaredResource[], phase = "operation"): void {
    for (const e of this.stack.entries) {
      const declared = program.find((r) => r.name === e.name);
      if (!declared || this.stale.has(e.name)) continue;
      const found = checkAgree(e.name, stripBookkeeping(declared.inputs), e.outputs, emulator);
      this.violations.push(...found.map((v) => ({ ...v, detail: `after ${phase}: ${v.detail}` })));
    }
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
