/**
 * Runs one case of memberships across resources (members-fixture.ts) through the shared step
 * loop (case-run.ts): the spaces a person made first and the members people added, a program of
 * ChatMemberships and rosters served by a provider process per provider instance (the default
 * provider, and the explicit one the resources may name) and per engine run (both providers on
 * one process's deps, each resource's calls handed to its type's provider; the processes of one
 * run share their claims through files, keyed by that run's engine address), the credentials of
 * the last deployment and of the operation, the changes in Chat, and members-invariants.ts
 * checked after each step.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConfigureRequest } from "@pulumi/pulumi/dynamic";
import type { PublicState } from "../../emulator/control/control";
import { DEFAULT_SETTINGS, type StoredMembership } from "../../emulator/model";
import { type DeploymentShare, deploymentShare } from "../../provider/core/deployment-share";
import { hasUnknown, UNKNOWN } from "../../provider/core/engine-values";
import type { MembershipSdkInputs } from "../../provider/membership/inputs";
import { ChatMembershipProvider } from "../../provider/membership/provider";
import type { ChatMembershipInputs, ChatMembershipOutputs } from "../../provider/membership/types";
import { ChatSpaceMembersProvider, type SpaceMembersSdkInputs } from "../../provider/space-members/provider";
import type { ChatSpaceMembersInputs, ChatSpaceMembersOutputs, RosterMemberArgs } from "../../provider/space-members/types";
import { dynamicToken } from "../../provider/tokens";
import type { TestEmulator } from "../helpers/emulator";
import { SCOPE } from "../helpers/emulator";
import { addressGivenToNewAdmin, bobsAddressGivenToDana, NEW_ADMIN, NEW_ADMIN_BEFORE } from "../provider/membership-helpers";
import { type CaseResult, CaseRun, type ProgramStage, personFor, readsWhoTheCallerIs, SERIALIZED_PROVIDER, type Step } from "./case-run";
import {
  type DeclaredResource,
  describeOutcome,
  type EngineModel,
  type Outcome,
  type Plan,
  type ProviderCall,
  type ProviderOf,
  type RetainOption,
} from "./engine";
import type { InvalidDeclaration, MembersCredentials, MembersFixture, MembersResource, SpaceChange } from "./members-fixture";
import { EMAILS, IMPORT_SPACE_TIME, userIdOf } from "./members-generate";
import {
  announcedRemovals,
  callerUntoldRefusal,
  checkAnnouncedRemovalsDone,
  checkAuthoritativeAnnounced,
  checkCallerKept,
  checkCallerNotAnnounced,
  checkCallerRecord,
  checkCallersOwnDelete,
  checkConflictNamed,
  checkDeclaredInSpace,
  checkDemotions,
  checkImportedKept,
  checkKeptAsSummarized,
  checkLastOwner,
  checkOneMembership,
  checkOneWrite,
  checkOptionRefused,
  checkOrphans,
  checkOwnerRefusal,
  checkOwnerRefusedAtPreview,
  checkOwnMembershipRefreshed,
  checkRemovals,
  checkRosterOrphans,
  checkRosterOwnerRefusal,
  declaredBy,
  deferredDemotions,
  detailedDiffOf,
  type Exemptions,
  entryOfPath,
  expectedOptionRefusal,
  isRoster,
  type MembersInputs,
  type MembersOutputs,
  type MembersStack,
  type MembersViolation,
  memberOfPath,
  ownersKept,
  removedIn,
  retimedBy,
  rosterRemovals,
  type SpaceMembers,
  type StepCaller,
  spaceOfEntry,
  summarizedStays,
  type Users,
  withoutRemovalsOfAnUnknownMode,
  withSameAtUp,
} from "./members-invariants";
import { expectedMember } from "./membership-invariants";
import { diverge } from "./membership-run";
import { registrationOf } from "./sdk-options";
import { ApiLog, configOf, type MakeProvider, operationProcessOf, type TaggedRequest } from "./world";

const TYPES = { ChatMembership: dynamicToken("membership"), ChatSpaceMembers: dynamicToken("roster") } as const;

/**
 * The private folder (mode 0700, as mkdtemp makes it) holding every engine run's shared claims,
 * one for this test process, removed when it exits; each run's folder in it goes when its last
 * process closes its share.
 */
let shareRoot: string | undefined;
const shareRootOf = (): string => {
  if (!shareRoot) {
    const root = mkdtempSync(join(tmpdir(), "fuzz-member-claims-"));
    process.once("exit", () => rmSync(root, { recursive: true, force: true }));
    shareRoot = root;
  }
  return shareRoot;
};
/** Engine runs so far in this test process: each run's engine address is another. */
let engineRuns = 0;
const urnOf = (r: MembersResource) => `urn:pulumi:fuzz::proj::${TYPES[r.type]}::${r.name}`;

/** What a user's own credentials are consented for: the Chat scopes the provider asks (gcloud adds the email scope by default). */
const OWN_SCOPES = ["chat.spaces", "chat.memberships", "chat.admin.memberships", "chat.admin.spaces"].map(SCOPE);

/** A refusal to leave a space without an owner: judged by checkOwnerRefusal where it names the member. */
const LAST_OWNER = /is the last owner|without an owner|no other joined owner|last space manager/;
/** A stop for a member removed in Chat since the last refresh, naming its way out. */
const REMOVED_IN_CHAT = /is no longer a member of .*(Run `pulumi refresh`|run pulumi up again)/;
/** A create's refusal to remove a membership with other import-mode times to make it again (membership/provider.ts `recreated`). */
const RETIMED_CREATE = /A create removes a membership only as the replacement of it that its preview announced/;
/** A roster's refusal, at its preview, of a change its state shows leaves no joined owner. */
const ROSTER_NO_OWNER = /^diff of .*: ChatSpaceMembers .*: this change would leave the space without an owner/;
/** A stop for credentials that can't name their owner (no email scope), before a removal or a demotion, naming the scope to add. */
const CALLER_UNKNOWN =
  /The calling user can't be told: .* answers it only for an access token with the scope https:\/\/www\.googleapis\.com\/auth\/userinfo\.email/;
/** A 404 of admin access in a space of another organisation, which the calling user sees: whether the member is there can't be told. */
const BEYOND_ADMIN_ACCESS = /: Google answers 404 Not Found with googlechat:useAdminAccess, yet the calling user sees /;
/** The organisation of a partner space (`partnerSpace`): another than the emulated one, which installed the Chat app. */
const PARTNER_CUSTOMER = "customers/C09partner";
/** A 404 the provider can't tell from lost access: the caller is no longer in the space. */
const NOT_VISIBLE = /these credentials (can )?no longer see the space|these credentials no longer see it/;

/** What an invalid declaration is, for messages. */
const INVALID_WORDS: Record<InvalidDeclaration, string> = {
  groupWithRole: "a Google Group with a role",
  appWithAdminAccess: "the Chat app under googlechat:useAdminAccess",
};

/** Runs one case through the shared step loop (case-run.ts). */
export const runMembersCase = (t: TestEmulator, f: MembersFixture): Promise<CaseResult<MembersViolation>> => new MembersCaseRun(t, f).run();

/** The stack and each space's members before an operation, to judge it by. */
interface Before {
  stack: MembersStack;
  members: SpaceMembers;
}

/** The phase of the preview that planned a step's phase (case-run.ts: "preview" before the operation, "next preview" before the command after a failure). */
const PREVIEW_OF: Record<Step<MembersInputs>["phase"], string> = { operation: "preview", next: "next preview" };

class MembersCaseRun extends CaseRun<MembersInputs, MembersOutputs, MembersFixture, MembersViolation, Before> {
  /** The person's spaces, `spaces/{id}`, by the fixture's index. */
  private spaces: string[] = [];
  /** Each deployment's credentials, made once the emulator is reset; `explicit`: the explicit instance's, when they differ. */
  private configs: (Record<"start" | "next", ConfigureRequest> & { explicit?: ConfigureRequest }) | undefined;
  /** Memberships a ChatMembership created or took over, and for which resource. */
  private readonly everHeld = new Map<string, string>();
  /** Members changed in Chat (or by a write whose state was lost) since the state last read them: `space member`, or a whole space. */
  private readonly stale = new Set<string>();
  /** Whether the state's rosters were read as the operation's caller (a refresh since the credentials changed). */
  private readFresh = false;
  /** The spaces in import mode: admin, their importer, reaches them without being a member. */
  private readonly importing = new Set<string>();
  /**
   * Members changed in Chat since the state was written, before an `up --refresh` or between its
   * two refreshes (`space member`): its refreshes find them changed, and its preview and update
   * leave their removal or demotion to the next preview, which announces it.
   */
  private readonly foundByUpRefresh = new Set<string>();
  /** What `pulumi import` wrote for each imported roster (by name): its members and mode, which the programs declare. */
  private readonly importedAs = new Map<string, Pick<ChatSpaceMembersInputs, "members" | "mode">>();
  /** The people in each space of an imported roster at its import, joined or invited (canonical, lower-cased). */
  private readonly atImport = new Map<string, Set<string>>();
  /** The provider processes' shares of their engine runs, closed when the case ends. */
  private readonly shares: DeploymentShare[] = [];
  /** The providers' log lines, by phase: what a preview said. */
  private readonly logged = new Map<string, string[]>();

  /** The log lines of `phase` so far. */
  private linesOf(phase: string): string[] {
    const lines = this.logged.get(phase) ?? [];
    this.logged.set(phase, lines);
    return lines;
  }

  override async run(): Promise<CaseResult<MembersViolation>> {
    try {
      return await super.run();
    } finally {
      for (const share of this.shares.splice(0)) share.close();
    }
  }

  protected settings() {
    const withoutEmail = [this.f.credentials.start, this.f.credentials.next]
      .filter((c) => c.via === "own" && c.emailScope === false)
      .map((c) => EMAILS[c.user]);
    return {
      keepLastManager: this.f.keepLastManager,
      autoAcceptOff: this.f.bobInvited ? ["bob@example.com"] : [],
      ...(this.f.partnerSpace ? { appCustomers: [PARTNER_CUSTOMER] } : {}),
      usersWithoutEmailScope: [...new Set(withoutEmail)],
      ...(this.f.groupsShownToApps ? { groupsShownToApps: this.f.groupsShownToApps } : {}),
      // The person given admin's address later is a colleague with an address of her own until then.
      ...(this.f.addressReassigned || this.bobsAddressMoves() ? { users: [...DEFAULT_SETTINGS.users, NEW_ADMIN_BEFORE] } : {}),
    };
  }

  protected async prepare(): Promise<void> {
    const person = personFor(this.t);
    this.spaces = [];
    this.importing.clear();
    for (let i = 0; i < this.f.spaces; i++)
      this.spaces.push(
        i < (this.f.importSpaces ?? 0)
          ? await this.importSpace(i)
          : i === 0 && this.f.appSpace
            ? await this.appSpace()
            : i === 0 && this.f.partnerSpace
              ? await this.partnerSpace()
              : await person.makeSpace(i === 0 ? "Team" : "Team 2", this.f.externalSpace),
      );
    for (const d of this.f.preexisting) this.transcript.push(`before: ${JSON.stringify(d)}${(await this.change(d)) ? "" : " (refused by Chat)"}`);
    const config = async (c: MembersCredentials) =>
      configOf(this.t, {
        ...(c.via === "app" ? {} : { impersonate: EMAILS[c.user] }),
        adminAccess: c.adminAccess,
        ...(c.via === "own" ? { own: await this.t.control.authorizedUser(EMAILS[c.user], OWN_SCOPES) } : {}),
      });
    const start = await config(this.f.credentials.start);
    const same = JSON.stringify(this.f.credentials.start) === JSON.stringify(this.f.credentials.next);
    const explicit = this.f.explicitCredentials;
    this.configs = { start, next: same ? start : await config(this.f.credentials.next), ...(explicit ? { explicit: await config(explicit) } : {}) };
    // A state written by credentials that could not name their owner records no caller: for ones that can, it was read as another.
    const { start: first, next: then } = this.f.credentials;
    this.readFresh = first.user === then.user && (first.via === "app") === (then.via === "app") && (first.emailScope !== false || then.emailScope === false);
  }

  /**
   * A space the Chat app made (app authentication), which added admin and made her its owner, as an
   * app sets a space up with its people: the app is a member of it (BOT, ROLE_MEMBER), the space's creator.
   */
  private async appSpace(): Promise<string> {
    const [name] = await this.t.control.seed([
      {
        displayName: "Team",
        creator: this.t.serviceAccount.client_email,
        externalUserAllowed: this.f.externalSpace,
        members: [{ member: `users/${EMAILS.admin}`, role: "ROLE_MANAGER" }],
      },
    ]);
    return name;
  }

  /** A space the Chat app made for another organisation that installed it (emulator `appCustomers`), admin its owner. */
  private async partnerSpace(): Promise<string> {
    const [name] = await this.t.control.seed([
      {
        displayName: "Partners",
        customer: PARTNER_CUSTOMER,
        creator: this.t.serviceAccount.client_email,
        members: [{ member: `users/${EMAILS.admin}`, role: "ROLE_MANAGER" }],
      },
    ]);
    return name;
  }

  /** The `index`th space, a migration under way in it: made in import mode by admin, with chat.import, long ago; no members yet. */
  private async importSpace(index: number): Promise<string> {
    const [name] = await this.t.control.seed([
      {
        displayName: index === 0 ? "Team" : "Team 2",
        importMode: true,
        createTime: IMPORT_SPACE_TIME,
        creator: `users/${EMAILS.admin}`,
        externalUserAllowed: this.f.externalSpace,
      },
    ]);
    this.importing.add(name);
    return name;
  }

  /** Whether the caller is the importer of `space` in import mode, which Google lets it reach and manage without being a member. */
  private imports(space: string, caller: StepCaller): boolean {
    return this.importing.has(space) && !caller.adminAccess && caller.member === userIdOf(EMAILS.admin);
  }

  /**
   * One engine run (a deployment) of the phase's credentials: a provider process for each
   * provider instance, the default one and the explicit one (configured alike), each serving both
   * resource types with claims of its own, shared with the run's other process through files
   * keyed by the run's engine address (provider/core/deployment-share.ts), as the engine starts a
   * plugin process per instance with the address of the run's host.
   */
  protected provider(phase: string): ProviderOf<MembersInputs, MembersOutputs> {
    const makers: Record<string, MakeProvider<MembersInputs, MembersOutputs>> = {
      ChatMembership: (deps) => new ChatMembershipProvider(deps) as unknown as ReturnType<MakeProvider<MembersInputs, MembersOutputs>>,
      ChatSpaceMembers: (deps) => {
        const roster = new ChatSpaceMembersProvider(deps);
        // The plugin's import of a roster (provider/plugin/resources.ts): a Read with no state.
        return Object.assign(roster, { importState: (id: string, urn: string) => roster.importRoster(id, urn) }) as unknown as ReturnType<
          MakeProvider<MembersInputs, MembersOutputs>
        >;
      },
    };
    const config = this.configs![phase.startsWith("set-up") ? "start" : "next"];
    const engineAddress = `127.0.0.1:${++engineRuns}`;
    const twoInstances = this.resources().some((r) => r.provider === "explicit");
    const processOf = (instance: string) => {
      const configured = instance === "explicit" ? (this.configs!.explicit ?? config) : config;
      // The providers' log lines (who stays, and why) go into the transcript, each under the call that made it.
      const log = (line: string) => {
        this.transcript.push(`    | ${twoInstances ? `[${instance}] ` : ""}${line}`);
        this.linesOf(phase).push(line);
      };
      const share = () => {
        const made = deploymentShare({ engineAddress, log, root: shareRootOf() });
        this.shares.push(made);
        return made;
      };
      return operationProcessOf(makers, this.t, configured, 0, log, share);
    };
    const processes = { default: processOf("default"), explicit: processOf("explicit") };
    return (type, instance) => (instance === "explicit" ? processes.explicit : processes.default)(type);
  }

  /**
   * The reads a preview makes: a check that can't tell whether a member beside an authoritative
   * roster is that roster's calling user reads the caller's membership by its email (its
   * users/{id}): its own process's caller, or the published caller of another instance's roster;
   * where she is not a member of that space, one spaces.list and her membership of a space she is in.
   */
  protected override previewMayRead(call: TaggedRequest): boolean {
    const callers = [this.f.credentials.start, this.f.credentials.next, this.f.explicitCredentials].flatMap((c) =>
      c && c.via !== "app" ? [`${c.user}@example.com`] : [],
    );
    return readsWhoTheCallerIs(call, callers);
  }

  /** `pulumi up` updates in a process of its own, after its preview's, in registration order, as the engine does. */
  protected override updateProcess(phase: string): ProviderOf<MembersInputs, MembersOutputs> {
    return this.provider(phase);
  }

  /**
   * `pulumi import` of each roster of the starting program that says so, with the last deployment's
   * credentials, in a provider process of its own: the state takes it in, and the programs declare
   * what the import wrote. The people in its space then are noted, to judge its later steps by.
   */
  protected override async importFirst(): Promise<boolean> {
    for (const r of this.f.start) {
      if (r.type !== "ChatSpaceMembers" || !r.imported) continue;
      const space = this.spaces[r.space];
      const { outcome, inputs } = await this.engine("set-up import").import(this.stack, { name: r.name, type: r.type, instance: r.provider }, space, urnOf(r));
      this.transcript.push(`import ${r.name}: ${describeOutcome(outcome)}${inputs ? ` ${JSON.stringify(inputs)}` : ""}`);
      if (!inputs) {
        this.violate("importedKept", `the import of ${r.name} failed: ${describeOutcome(outcome)}`);
        return false;
      }
      const { members, mode } = inputs as ChatSpaceMembersInputs;
      this.importedAs.set(r.name, { members, mode });
      const emulator = await this.t.control.state();
      const people = (this.membersBySpace(emulator).get(space) ?? []).filter((m) => m.type === "HUMAN" && m.state !== "NOT_A_MEMBER");
      this.atImport.set(space, new Set(people.map((m) => m.memberName.toLowerCase())));
    }
    return true;
  }

  /** An imported roster's members: the import's, each declared again by `members` at its role, then the others `members` adds. */
  private importedMembers(name: string, members: RosterMemberArgs[]): RosterMemberArgs[] {
    const keyOf = (m: RosterMemberArgs) => (m.user ?? m.group ?? "").toLowerCase();
    const imported = this.importedAs.get(name)?.members ?? [];
    const again = (m: RosterMemberArgs) => members.find((x) => keyOf(x) === keyOf(m));
    return [...imported.map((m) => again(m) ?? m), ...members.filter((m) => !imported.some((x) => keyOf(x) === keyOf(m)))];
  }

  /** The program of a stage, each declaration as the SDK sends it. */
  protected program(stage: ProgramStage): DeclaredResource<MembersInputs>[] {
    return this.programOf(stage === "start" ? this.f.start : stage === "recovery" ? (this.f.afterCrash?.program ?? this.f.next) : this.f.next, stage);
  }

  /** Whether bob's address is given to dana in the case: before the operation, or after it crashed. */
  private bobsAddressMoves(): boolean {
    return this.f.bobsAddressGiven === true || this.f.afterCrash !== undefined;
  }

  /** Resources of the fixture as the SDK registers them in a stage. */
  private programOf(resources: MembersResource[], stage: ProgramStage): DeclaredResource<MembersInputs>[] {
    return resources.map((r) => {
      const declared =
        r.type === "ChatMembership"
          ? r.member
          : r.imported
            ? { members: this.importedMembers(r.name, r.members), mode: this.importedAs.get(r.name)?.mode }
            : { members: r.members, ...(r.mode ? { mode: r.mode } : {}) };
      const inputs = { space: this.spaces[r.space], ...declared, __urn: urnOf(r), __provider: SERIALIZED_PROVIDER } as MembersInputs;
      return {
        name: r.name,
        type: r.type,
        ...(r.provider === "explicit" ? { instance: "explicit" } : {}),
        inputs,
        ...(r.unknownAtPreview && stage === "next" ? { atPreview: unknownAtPreview(inputs, r) } : {}),
        // Through the SDK class's own option check: a refused option fails the program (engine.ts `programError`).
        ...registrationOf(r.type, r.name, r.deleteBeforeReplace),
        retainOnDelete: r.retainOnDelete === true,
      };
    });
  }

  /** Every resource any of the case's programs declares: the start's, the deployment's after the move, the operation's. */
  private resources(): MembersResource[] {
    return [...this.f.start, ...(this.f.afterMove ?? []), ...this.f.next, ...(this.f.afterCrash?.program ?? [])];
  }

  /** A dropped resource keeps the retainOnDelete of its last registration, the start's. */
  protected override retainOptions(): Record<string, RetainOption> {
    return Object.fromEntries(this.resources().map((r) => [r.name, { retainOnDelete: r.retainOnDelete === true }]));
  }

  protected override targets(): string[] {
    return this.f.replaceTarget ? [this.f.replaceTarget] : [];
  }

  protected override describePlan(plan: Plan): string {
    const detailed = Object.fromEntries(
      Object.entries(plan.diffs ?? {}).flatMap(([name, d]) =>
        (d as { detailedDiff?: object }).detailedDiff ? [[name, (d as { detailedDiff?: object }).detailedDiff]] : [],
      ),
    );
    return JSON.stringify({ steps: plan.steps, ...(Object.keys(detailed).length ? { detailedDiff: detailed } : {}) });
  }

  /**
   * A starting program that did not deploy breaks a promise, but for credentials that can't name
   * their owner stopping, as designed, before a change that needs the caller (a ChatMembership
   * taking over a member at a higher role, whom it would demote): not this case's matter.
   */
  protected override setUpRefused(setup: Outcome): void {
    const error = setup.kind === "failed" ? setup.error : "";
    if (this.f.credentials.start.emailScope === false && CALLER_UNKNOWN.test(error)) this.transcript.push(`set-up: ${describeOutcome(setup)}`);
    else super.setUpRefused(setup);
  }

  protected async afterSetUp(program: DeclaredResource<MembersInputs>[]): Promise<void> {
    for (const e of this.stack.entries) if (!isRoster(e)) this.everHeld.set(e.id, e.name);
    const emulator = await this.t.control.state();
    const caller = this.callerOf("set-up", emulator);
    const members = this.membersBySpace(emulator);
    // Every roster of the set-up is created by it.
    const created = () => true;
    this.violations.push(
      ...checkDeclaredInSpace(program, members, emulator.settings.users, caller, this.exemptions(members, emulator.settings.users, caller, created)).map(
        (v) => ({
          ...v,
          detail: `after set-up: ${v.detail}`,
        }),
      ),
    );
    await this.checkConverges("set-up", program, new Set(), created);
  }

  protected async diverge(): Promise<void> {
    if (this.f.addressReassigned) {
      await addressGivenToNewAdmin(this.t);
      // The state was written as the address's former holder.
      this.readFresh = false;
      this.transcript.push(`diverge: ${EMAILS.admin} given to ${NEW_ADMIN}`);
    }
    if (this.f.bobsAddressGiven) {
      await bobsAddressGivenToDana(this.t);
      this.transcript.push(`diverge: ${EMAILS.bob} given to ${NEW_ADMIN}`);
    }
    if (this.f.afterMove) {
      const deployed = await this.engine("set-up after the move").up(this.stack, this.programOf(this.f.afterMove, "start"));
      this.transcript.push(`set-up after the move up: ${describeOutcome(deployed)}`);
      if (deployed.kind !== "ok") this.violate("checkAccepts", `the deployment after the move did not deploy: ${describeOutcome(deployed)}`);
    }
    for (const d of this.f.divergence) {
      const applied = await this.change(d);
      if (applied) this.stale.add(`${this.spaces[d.space]} ${this.memberOf(d.member)}`);
      if (applied && this.f.upRefresh) this.foundByUpRefresh.add(`${this.spaces[d.space]} ${this.memberOf(d.member)}`);
      this.transcript.push(`diverge ${JSON.stringify(d)}${applied ? "" : " (refused by Chat)"}`);
    }
    if (this.f.spaceDeletedInChat) {
      await this.t.control.deleteSpace(this.spaces[0]);
      this.stale.add(this.spaces[0]);
      this.transcript.push(`diverge: ${this.spaces[0]} deleted`);
    }
  }

  protected override async beforeRecovery(): Promise<void> {
    if (!this.f.afterCrash) return;
    await bobsAddressGivenToDana(this.t);
    this.transcript.push(`before the next up: ${EMAILS.bob} given to ${NEW_ADMIN}`);
  }

  /** The changes made in Chat between an `up --refresh`'s two refreshes, now in `before` too: its update reads them, its preview did not. */
  protected override async betweenRefreshes(before: Before): Promise<void> {
    for (const d of this.f.betweenRefreshes ?? []) {
      const applied = await this.change(d);
      if (applied) {
        const key = `${this.spaces[d.space]} ${this.memberOf(d.member)}`;
        this.stale.add(key);
        this.foundByUpRefresh.add(key);
      }
      this.transcript.push(`between the refreshes: ${JSON.stringify(d)}${applied ? "" : " (refused by Chat)"}`);
    }
    await this.log.take("between refreshes", "person");
    before.members = this.membersBySpace(await this.t.control.state());
  }

  protected async judgePreview(
    preview: Awaited<ReturnType<EngineModel<MembersInputs, MembersOutputs>["preview"]>>,
    program: DeclaredResource<MembersInputs>[],
  ): Promise<void> {
    if (this.optionRefusal) return this.judgeOptionRefused(preview.outcome, program);
    const conflict = this.f.conflict;
    if (conflict?.atPreview && !conflict.atCheck) {
      // Refused at check or at a diff, naming both declarations, before any write.
      if (preview.plan)
        this.violate(
          "conflictRefused",
          `the preview of a program which declares a member twice (${conflict.kind}) planned: ${this.describePlan(preview.plan)}`,
        );
      else if (preview.outcome.kind === "checkFailed") this.violations.push(...checkConflictNamed(preview.outcome.failures, program));
      else if (preview.outcome.kind === "diffFailed")
        this.violations.push(...checkConflictNamed([`${preview.outcome.resource}: property diff: ${preview.outcome.error}`], program));
      else
        this.violate("conflictRefused", `the preview of a program which declares a member twice (${conflict.kind}) ended ${describeOutcome(preview.outcome)}`);
      return;
    }
    const refused = this.refusedAtCheck();
    if (refused) {
      if (preview.outcome.kind !== "checkFailed")
        this.violate("checkRefuses", `check accepted the program, which ${refused}: ${describeOutcome(preview.outcome)}`);
      else if (conflict?.atCheck) this.violations.push(...checkConflictNamed(preview.outcome.failures, program));
      if (preview.plan || this.f.operation === "preview") return;
      // The up of the same program: refused again by its check, before any call.
      const up = await this.engine("operation").up(this.stack, program, this.targets(), this.retainOptions());
      // Its checks may read as a preview's do (who the caller is), and nothing else.
      const calls = (await this.log.take("operation", "-")).filter((call) => !this.previewMayRead(call));
      this.transcript.push(`operation up (refused program): ${describeOutcome(up)}`);
      if (up.kind !== "checkFailed" || calls.length > 0) {
        this.violate(
          "conflictRefused",
          `the up of a program which ${refused} ended ${describeOutcome(up)} after ${calls.length} API calls: ${calls.map(ApiLog.line).join("; ")}`,
        );
      }
      return;
    }
    if (conflict) return;
    const emulator = await this.t.control.state();
    this.violations.push(...this.wrongOwnerRefusals(preview.outcome, emulator, program));
    if (preview.outcome.kind !== "ok" && !this.justified(preview.outcome, emulator, program)) this.violate("checkAccepts", describeOutcome(preview.outcome));
    if (!preview.plan) return;
    const caller = this.callerOf("operation", emulator);
    const members = this.membersBySpace(emulator);
    const ex = this.exemptions(members, emulator.settings.users, caller, () => false);
    this.violations.push(...checkCallerNotAnnounced(preview.plan, program, caller, ex));
    if (this.f.refreshFirst && this.stale.size === 0)
      this.violations.push(...checkAuthoritativeAnnounced(this.stack, preview.plan, program, members, emulator.settings.users, caller, ex));
  }

  protected async beforeStep(): Promise<Before> {
    return { stack: structuredClone(this.stack), members: this.membersBySpace(await this.t.control.state()) };
  }

  protected async judge({ phase, kind, plan, program, outcome }: Step<MembersInputs>, before: Before): Promise<void> {
    const emulator = await this.t.control.state();
    const members = this.membersBySpace(emulator);
    const users = emulator.settings.users;
    const caller = this.callerOf(phase, emulator);
    const kept = before.stack.entries.filter((e) => plan === "all" || plan === "none" || plan.steps[e.name] !== "replace").map((e) => e.name);
    // The resources the step deletes: a destroy's, those its program dropped or replaces, and the pending deletes.
    const deletedBy = (stack: MembersStack) =>
      kind === "refresh"
        ? []
        : [
            ...stack.entries.filter(
              (e) => kind === "destroy" || !program.some((r) => r.name === e.name) || (plan !== "none" && plan !== "all" && plan.steps[e.name] === "replace"),
            ),
            ...stack.pendingDeletes,
          ];
    // Owners made in Chat since the state read them, who kept their role through the step: its preview could not show their demotion.
    const ownersKeptIn = new Map(
      this.spaces.map((space) => [space, ownersKept({ space, before: before.members.get(space) ?? [], after: members.get(space) ?? [] }, before.stack)]),
    );
    const declaresKeptOwner = (resource: string, index: number) => {
      const r = program.find((x) => x.name === resource);
      if (!r) return false;
      const d: RosterMemberArgs | undefined = isRoster(r) ? (r.inputs as SpaceMembersSdkInputs).members?.[index] : (r.inputs as MembershipSdkInputs);
      return d !== undefined && (ownersKeptIn.get(r.inputs.space!)?.has(expectedMember(d, users).toLowerCase()) ?? false);
    };
    // A roster entry unknown at its preview (or in a list unknown then), which that preview planned from the known entries alone.
    const unknownAtItsPreview = (resource: string, index: number) => {
      const seen = program.find((x) => x.name === resource && isRoster(x))?.atPreview as SpaceMembersSdkInputs | undefined;
      return seen !== undefined && (!Array.isArray(seen.members) || hasUnknown(seen.members[index]));
    };
    // A roster entry its preview planned as an add, or of a roster the step created (or replaced), or an owner made in Chat
    // since whom the entry declares lower, or unknown at its preview: the preview did not show its member's role.
    const unannounced = (resource: string, index: number) => {
      if (!kept.includes(resource) || declaresKeptOwner(resource, index) || unknownAtItsPreview(resource, index)) return true;
      return plan !== "all" && plan !== "none" && detailedDiffOf(plan, resource)[`members[${index}]`] === "add";
    };
    // A roster or ChatMembership whose recorded caller the step changed (a ChatMembership's: dropped) kept the one its state was
    // written as, for that step (members/caller.ts `formerCallerOf`).
    const recordedCallerOf = (stack: MembersStack, name: string) => {
      const entry = stack.entries.find((e) => e.name === name);
      if (!entry) return undefined;
      if (isRoster(entry)) return (entry.outputs as ChatSpaceMembersOutputs).__caller?.member.toLowerCase();
      const outs = entry.outputs as ChatMembershipOutputs;
      return outs.__caller ? outs.member?.toLowerCase() : undefined;
    };
    const formerCaller = (name: string) => {
      const was = recordedCallerOf(before.stack, name);
      return was && was !== recordedCallerOf(this.stack, name) ? was : undefined;
    };
    // An entry of the caller's address a roster's plan left as it was still names the member its state records (until a refresh).
    // A plan that changes the entry's role asks Google whom the address names (space-members/provider.ts `callerConfirmed`), and
    // one where another entry declares that member makes it an add, which Google answers (plan.ts `declaredTwice`).
    const recordedEntry = (name: string, key: string) => {
      if (!this.f.addressReassigned || key !== `users/${EMAILS.admin}`) return undefined;
      const after = this.stack.entries.find((e) => e.name === name && isRoster(e))?.outputs as ChatSpaceMembersOutputs | undefined;
      const was = before.stack.entries.find((e) => e.name === name && isRoster(e))?.outputs as ChatSpaceMembersOutputs | undefined;
      const member = after?.__declared?.[key]?.toLowerCase();
      if (!member || member !== was?.__declared?.[key]?.toLowerCase()) return undefined;
      const entries = (program.find((r) => r.name === name && isRoster(r))?.inputs as SpaceMembersSdkInputs | undefined)?.members ?? [];
      const entry = entries.find((d) => `users/${(d.user ?? "").toLowerCase()}` === key);
      const recordedRole = was.members.find((m) => m.member.toLowerCase() === member)?.role;
      const roleChanged = entry?.role !== undefined && entry.role !== recordedRole;
      const declaredElsewhere = entries.some((d) => expectedMember(d, users).toLowerCase() === member);
      return roleChanged || declaredElsewhere ? undefined : member;
    };
    // A resource declaring bob's address that the step left holding whom it held (a ChatMembership its membership, a roster
    // its entry's member) holds the member its state records, bob, whom the address named when it was made: a resource is
    // made again to follow an address (docs/guides/memberships.md).
    const heldSinceMove = (name: string, key: string) => {
      if (!this.bobsAddressMoves() || key !== `users/${EMAILS.bob}`) return undefined;
      const heldIn = (stack: MembersStack) => {
        const e = stack.entries.find((x) => x.name === name);
        if (!e) return undefined;
        if (isRoster(e)) return (e.outputs as ChatSpaceMembersOutputs).__declared?.[key]?.toLowerCase();
        const outs = e.outputs as ChatMembershipOutputs;
        return `${outs.name} ${outs.member?.toLowerCase()}`;
      };
      const [was, after] = [heldIn(before.stack), heldIn(this.stack)];
      return was !== undefined && was === after ? after.split(" ").at(-1) : undefined;
    };
    // What the plan summary of the preview says stays, and the removals the rosters' previews announced.
    const summarized =
      plan === "all" || plan === "none" ? undefined : { stays: summarizedStays(before.stack, plan, program), byRosters: rosterRemovals(before.stack, plan) };
    // A member the plan summary said stays, whose resource the step deletes recorded her by an address the directory gives another
    // person now, which the program declares in her space: the delete keeps her, held by no resource (members/claims.ts `byFormerAddress`).
    const idOf = (key: string) => users.find((u) => `users/${u.email.toLowerCase()}` === key)?.id;
    const recordedKeys = (e: MembersStack["entries"][number]): [string, string][] =>
      isRoster(e)
        ? Object.entries((e.outputs as ChatSpaceMembersOutputs).__declared ?? {}).map(([key, member]) => [key.toLowerCase(), member.toLowerCase()])
        : [[`users/${((e.inputs as MembershipSdkInputs).user ?? "").toLowerCase()}`, ((e.outputs as ChatMembershipOutputs).member ?? "").toLowerCase()]];
    const declaresIn = (space: string, key: string) =>
      program.some(
        (r) =>
          r.inputs.space === space &&
          (isRoster(r) ? ((r.inputs as SpaceMembersSdkInputs).members ?? []) : [r.inputs as MembershipSdkInputs]).some(
            (m) => `users/${(m.user ?? "").toLowerCase()}` === key,
          ),
      );
    const keptByFormerAddress = (space: string, member: string) =>
      kind !== "destroy" &&
      summarized?.stays.get(space)?.has(member) === true &&
      deletedBy(before.stack).some(
        (e) =>
          spaceOfEntry(e) === space &&
          recordedKeys(e).some(
            ([key, recorded]) => recorded === member && idOf(key) !== undefined && `users/${idOf(key)}` !== member && declaresIn(space, key),
          ),
      );
    const ex = { ...this.exemptions(members, users, caller, unannounced), formerCaller, recordedEntry, heldSinceMove, keptByFormerAddress };
    const announced = announcedRemovals(before.stack, plan);
    // What the step's program declares: a destroy declares nothing.
    const declared = declaredBy(kind === "destroy" ? [] : program, users, heldSinceMove);
    // Members the program declares with other import-mode times, in a resource its preview planned as a replacement of
    // that very membership (that member, in that space): it re-creates them.
    const replaced = (r: DeclaredResource<MembersInputs>) => {
      if (plan === "none" || plan === "all" || plan.steps[r.name] !== "replace") return false;
      const was = before.stack.entries.find((e) => e.name === r.name && !isRoster(e))?.outputs as ChatMembershipOutputs | undefined;
      const declared = r.inputs as MembershipSdkInputs;
      return was?.member !== undefined && was.space === declared.space && was.member.toLowerCase() === expectedMember(declared, users).toLowerCase();
    };
    const retimed = retimedBy(kind === "destroy" ? [] : program.filter(replaced), before.members, users);
    const log = this.log.in(phase);
    // The preview's plan with each replacement of a space or member unknown then, the same at up, as the update the up made.
    const planAtUp = withSameAtUp(plan, program, before.stack, users);
    // What the plan summary of the preview says stays, and the removals the rosters' previews announced.
    for (const space of this.spaces) {
      const step = { space, before: before.members.get(space) ?? [], after: members.get(space) ?? [] };
      const removed = removedIn(step, log);
      if (summarized) this.violations.push(...checkKeptAsSummarized(step, removed, summarized.stays.get(space), summarized.byRosters.get(space), ex));
      this.violations.push(
        ...checkCallerKept(step, removed, caller),
        ...(this.explicitCaller(users) ? checkCallerKept(step, removed, this.explicitCaller(users)!) : []),
        ...checkDemotions(step, before.stack, planAtUp, program, users, this.linesOf(PREVIEW_OF[phase])),
        ...checkRemovals(step, removed, announced.get(space), declared.get(space), caller, retimed.get(space)),
        ...checkLastOwner(step),
        ...checkOneWrite(step, log, retimed.get(space)),
        ...(kind === "destroy" ? [] : checkImportedKept(step, removed, this.atImport.get(space))),
      );
    }
    const deleted = deletedBy(before.stack);
    if (outcome.kind === "failed")
      this.violations.push(
        ...checkCallersOwnDelete(outcome.error, deleted, this.callerEmailOf(phase), caller, callerInASpace(emulator, caller.member)),
        ...checkOwnerRefusal(outcome.error, members),
        ...checkOwnerRefusedAtPreview(outcome.error, phase === "operation" && this.stateCurrent()),
      );
    if (kind === "refresh" && outcome.kind === "ok") this.violations.push(...checkOwnMembershipRefreshed(this.stack, members, caller));
    this.violations.push(
      ...checkOneMembership(members, outcome.kind === "ok" ? this.stack : undefined),
      ...checkCallerRecord(this.stack, members, this.callerEmailOf(phase), caller),
    );
    if (outcome.kind !== "crashed")
      this.violations.push(...checkOrphans(this.everHeld, this.stack, members, ex), ...checkRosterOrphans(before.stack, this.stack, members, declared, ex));
    if (this.optionRefusal && phase === "operation" && (kind === "up" || kind === "replace"))
      this.violations.push(...checkOptionRefused(`the ${kind} (no preview)`, this.optionRefusal, outcome, log));
    const writes = log.filter((e) => e.request.method !== "GET");
    if (this.f.conflict?.beforeAnyWrite && writes.length > 0)
      this.violate("conflictRefused", `the ${phase} ${kind} of a program which declares a member twice wrote: ${writes.map(ApiLog.line).join("; ")}`);
    if ((this.f.conflict || this.f.invalid) && outcome.kind === "ok" && (kind === "up" || kind === "replace")) {
      this.violate(
        "conflictRefused",
        `the ${phase} ${kind} of a program which ${this.refusedAtCheck() ?? `declares a member twice (${this.f.conflict?.kind})`} succeeded`,
      );
    }
    if (outcome.kind === "ok" && (kind === "up" || kind === "replace")) {
      const dropped = before.stack.entries.filter((e) => !program.some((r) => r.name === e.name));
      this.violations.push(
        ...checkDeclaredInSpace(program, members, users, caller, ex).map((v) => ({ ...v, detail: `after ${phase}: ${v.detail}` })),
        ...checkAnnouncedRemovalsDone(
          announcedRemovals(before.stack, withoutRemovalsOfAnUnknownMode(planAtUp, program)),
          declared,
          this.stack,
          [...dropped, ...before.stack.pendingDeletes],
          members,
          ex,
        ).map((v) => ({
          ...v,
          detail: `after ${phase}: ${v.detail}`,
        })),
      );
      await this.checkConverges(phase, program, new Set(kept), unannounced, ex.formerCaller);
    }
  }

  /**
   * After a successful up, the preview of the same program, by a new process of the same
   * credentials, plans no change and reads nothing: the up left the state and Chat agreeing. But
   * for one deliberate second step: a roster the up created (or replaced) removed no one it found
   * undeclared (its create's preview could not list the space), and its next preview announces
   * their removals; and a roster demoted no one its preview did not show at that role (its
   * create, or an add that met the member there already: `unannounced`), and its next preview
   * announces their role changes; and a roster moved to another calling user kept the one its
   * state was written as (`formerCaller`, by the roster's name: her member, lower-cased), and her
   * owner role, for that up (members/caller.ts `formerCallerOf`), and its next preview announces
   * her removal or demotion; and nothing else. `existed`: the resources of the state the up
   * neither created nor replaced.
   */
  private async checkConverges(
    phase: string,
    program: DeclaredResource<MembersInputs>[],
    existed: Set<string>,
    unannounced: (resource: string, index: number) => boolean,
    formerCaller: (roster: string) => string | undefined = () => undefined,
  ): Promise<void> {
    const stage = `${phase} again`;
    // The resources whose outputs the up's preview did not know exist now: this preview knows every value.
    const again = await this.engine(stage).preview(
      this.stack,
      program.map(({ atPreview: _, ...known }) => known),
    );
    const calls = (await this.log.take(stage, "check+diff")).filter((call) => !this.previewMayRead(call));
    const createdRoster = (name: string) => !existed.has(name) && program.some((r) => r.name === name && isRoster(r));
    const users = (await this.t.control.state()).settings.users;
    // A member an up --refresh found changed since the state: it left her removal or demotion to this preview.
    const changedBetween = (name: string, member: string | undefined) => {
      const r = program.find((x) => x.name === name);
      return member !== undefined && r !== undefined && this.foundByUpRefresh.has(`${r.inputs.space} ${member.toLowerCase()}`);
    };
    const declaredIn = (name: string, index: number) => {
      const r = program.find((x) => x.name === name);
      const d: RosterMemberArgs | undefined = !r
        ? undefined
        : isRoster(r)
          ? (r.inputs as SpaceMembersSdkInputs).members?.[index]
          : (r.inputs as MembershipSdkInputs);
      return d ? expectedMember(d, users) : undefined;
    };
    const leftByTheUp = (name: string, path: string, change: string) => {
      const listed = memberOfPath(path);
      const entry = entryOfPath(path);
      const former = formerCaller(name);
      if (former !== undefined && change === "delete" && listed?.toLowerCase() === former) return true;
      if (former !== undefined && change === "update" && entry !== undefined && declaredIn(name, entry)?.toLowerCase() === former) return true;
      if (former !== undefined && change === "update" && path === "role" && declaredIn(name, 0)?.toLowerCase() === former) return true;
      if (change === "delete" && listed !== undefined && changedBetween(name, listed)) return true;
      if (change === "update" && path === "role" && changedBetween(name, declaredIn(name, 0))) return true;
      if (change === "update" && entry !== undefined && changedBetween(name, declaredIn(name, entry))) return true;
      if (change === "delete" && listed !== undefined) return createdRoster(name);
      if (path === "role") return change === "update" && program.some((r) => r.name === name && !isRoster(r)) && unannounced(name, 0);
      return change === "update" && entry !== undefined && program.some((r) => r.name === name && isRoster(r)) && unannounced(name, entry);
    };
    const announcesWhatTheUpLeft = (name: string) => {
      const entries = again.plan ? Object.entries(detailedDiffOf(again.plan, name)) : [];
      return entries.length > 0 && entries.every(([path, change]) => leftByTheUp(name, path, change));
    };
    const changes = again.plan
      ? Object.entries(again.plan.steps).filter(([name, step]) => step !== "same" && !(step === "update" && announcesWhatTheUpLeft(name)))
      : [];
    this.transcript.push(`${stage} (preview): ${again.plan ? this.describePlan(again.plan) : describeOutcome(again.outcome)}`);
    // A demotion or removal the up left to it may be the next preview's deliberate refusal: it
    // would leave the space without a joined owner, or the credentials can't name the caller.
    const refusesWhatTheUpLeft = async () => {
      if (again.outcome.kind !== "diffFailed") return false;
      const credentials = phase.startsWith("set-up") ? this.f.credentials.start : this.f.credentials.next;
      if (CALLER_UNKNOWN.test(again.outcome.error) && credentials.emailScope === false) return true;
      if (!ROSTER_NO_OWNER.test(describeOutcome(again.outcome))) return false;
      // A roster the up created removed nobody (its preview could not list the space): when the
      // members it does not declare are the space's owners, its next preview refuses their removal.
      if (createdRoster(again.outcome.resource)) return true;
      // A roster that kept the caller its state was written as, and her owner role, for the up: its
      // next preview announces her removal or demotion, which may leave the space without an owner.
      if (formerCaller(again.outcome.resource) !== undefined) return true;
      const emulator = await this.t.control.state();
      return deferredDemotions(program, this.membersBySpace(emulator), emulator.settings.users, unannounced).length > 0;
    };
    if (!again.plan) {
      if (!(await refusesWhatTheUpLeft()))
        this.violate("converges", `after the ${phase}'s successful up, the preview of the same program: ${describeOutcome(again.outcome)}`);
    } else if (changes.length > 0)
      this.violate(
        "converges",
        `after the ${phase}'s successful up, the preview of the same program plans ${changes.map(([name, step]) => `${step} ${name}`).join(", ")}: ${this.describePlan(again.plan)}`,
      );
    if (this.stack.pendingDeletes.length > 0)
      this.violate("converges", `after the ${phase}'s successful up, pending deletes are left: ${this.stack.pendingDeletes.map((e) => e.name).join(", ")}`);
    if (calls.length > 0)
      this.violate(
        "converges",
        `after the ${phase}'s successful up, the preview of the same program made ${calls.length} API calls: ${calls.map(ApiLog.line).join("; ")}`,
      );
  }

  /** The SDK's refusal the operation's program must fail with (a member class given deleteBeforeReplace: true); undefined: none. */
  private get optionRefusal(): string | undefined {
    return expectedOptionRefusal(this.f.next);
  }

  /** The preview of a program the SDK refuses, then (but for a preview) its up: each fails with that refusal, with no API call. */
  private async judgeOptionRefused(previewed: Outcome, program: DeclaredResource<MembersInputs>[]): Promise<void> {
    const refusal = this.optionRefusal!;
    this.violations.push(
      ...checkOptionRefused(
        "the preview",
        refusal,
        previewed,
        this.log.in("preview").filter((c) => c.call === "check+diff"),
      ),
    );
    if (previewed.kind !== "failed" || this.f.operation === "preview") return;
    const up = await this.engine("operation").up(this.stack, program, this.targets(), this.retainOptions());
    await this.log.take("operation", "-");
    this.transcript.push(`operation up (refused program): ${describeOutcome(up)}`);
    this.violations.push(...checkOptionRefused("the up", refusal, up, this.log.in("operation")));
  }

  /** What the operation's program does that check must refuse, in words; undefined when check can't tell (or nothing is wrong). */
  private refusedAtCheck(): string | undefined {
    if (this.f.invalid) return `declares ${INVALID_WORDS[this.f.invalid]}`;
    return this.f.conflict?.atCheck ? `declares a member twice (${this.f.conflict.kind})` : undefined;
  }

  /** Whether the state lists the spaces as Chat has them at the operation: nothing changed them but the rosters' own writes. */
  private stateCurrent(): boolean {
    const f = this.f;
    const rostersOnly = [...f.start, ...f.next].every((r) => r.type === "ChatSpaceMembers");
    return (
      rostersOnly && !f.conflict && !f.invalid && f.divergence.length === 0 && f.faults.length === 0 && !f.crash && this.readFresh && this.stale.size === 0
    );
  }

  protected override recoveryKind(): "up" | "destroy" {
    return this.f.destroyAfterFailure ? "destroy" : super.recoveryKind();
  }

  /** The stack destroyed after the operation, when the case says so, judged as every step is. */
  protected override async afterOperation(): Promise<void> {
    if (!this.f.thenDestroy) return;
    const destroyed = await this.step("next", "destroy", "all", [], []);
    if (destroyed.kind !== "ok" && !(await this.stopIsJustified(destroyed)))
      this.violate("recovers", `the destroy after the ${this.f.operation}: ${describeOutcome(destroyed)}`);
  }

  protected fresh(): void {
    this.stale.clear();
    this.readFresh = true;
  }

  /** A write whose state write was lost: the state no longer says what Chat has for that resource's members. */
  protected override crashed(after: ProviderCall): void {
    const entry = this.stack.entries.find((e) => e.name === after.resource) ?? this.stack.pendingDeletes.find((e) => e.name === after.resource);
    const resource = [...this.f.next, ...this.resources()].find((r) => r.name === after.resource);
    const space = entry ? spaceOfEntry(entry) : resource ? this.spaces[resource.space] : undefined;
    if (space) this.stale.add(space);
  }

  protected override onCall(call: ProviderCall): void {
    if (call.result?.includes("/members/")) this.everHeld.set(call.result, call.resource);
  }

  protected async stopIsJustified(o: Outcome): Promise<boolean> {
    // The SDK's refusal stops every up of the program until the option is removed, as it says.
    if (this.optionRefusal && o.kind === "failed" && o.error === this.optionRefusal) return true;
    if (this.f.conflict !== undefined || this.f.invalid !== undefined) return true;
    const emulator = await this.t.control.state();
    const program = this.program("recovery");
    this.violations.push(...this.wrongOwnerRefusals(o, emulator, program));
    return this.justified(o, emulator, program);
  }

  /** A roster's refusal of `program` as leaving no owner while its instance's calling user, an owner, stays one (checkRosterOwnerRefusal). */
  private wrongOwnerRefusals(o: Outcome, emulator: PublicState, program: DeclaredResource<MembersInputs>[]): MembersViolation[] {
    if (o.kind !== "diffFailed") return [];
    const instance = program.find((r) => r.name === o.resource)?.instance;
    const c = instance === "explicit" ? (this.f.explicitCredentials ?? this.f.credentials.next) : this.f.credentials.next;
    const caller =
      c.via === "app" || c.emailScope === false ? undefined : { member: holderOf(EMAILS[c.user], emulator.settings.users), adminAccess: c.adminAccess };
    return checkRosterOwnerRefusal(o, this.stack, this.membersBySpace(emulator), caller);
  }

  /**
   * A refusal that is the provider's deliberate stop: the last owner kept (judged by
   * checkOwnerRefusal where it names the member); a member removed in Chat since the last refresh
   * (it says to refresh, or to run up again); or a caller who can't manage the space any more (removed
   * from it, or no longer its owner, in Chat); or check's refusal of `program` where it can't tell a
   * member from a roster's calling user, whose id can't be learnt (members-invariants.ts `callerUntoldRefusal`);
   * or, with admin access in another organisation's space (`partnerSpace`), a 404 that can't tell a gone member.
   */
  private justified(o: Outcome, emulator: PublicState, program: DeclaredResource<MembersInputs>[]): boolean {
    if (o.kind === "checkFailed") return this.callerUntold(o.failures, program, emulator);
    const error = o.kind === "failed" || o.kind === "diffFailed" ? o.error : undefined;
    if (!error) return false;
    if (LAST_OWNER.test(error)) return true;
    if (REMOVED_IN_CHAT.test(error) && this.stale.size > 0) return true;
    if (BEYOND_ADMIN_ACCESS.test(error) && this.f.partnerSpace && this.f.credentials.next.adminAccess) return true;
    if (CALLER_UNKNOWN.test(error) && this.f.credentials.next.emailScope === false) return true;
    // A create that meets a membership with other import-mode times, where no preview announced its replacement (a new
    // resource, one that declared another member, a --replace): the refused resource declares other times than its member has.
    if (RETIMED_CREATE.test(error)) {
      const refused = program.filter((r) => error.startsWith(`ChatMembership ${r.name}: `));
      return [...retimedBy(refused, this.membersBySpace(emulator), emulator.settings.users).values()].some((members) => members.size > 0);
    }
    const caller = this.callerOf("next", emulator);
    const members = this.membersBySpace(emulator);
    // The Chat app manages the members of a space it made and is in; a user, of a space she owns.
    const manages = (m: StoredMembership) => m.memberName === caller.member && (caller.app || m.role === "ROLE_MANAGER") && m.state === "JOINED";
    const cantManage = this.spaces.some((s) => !this.imports(s, caller) && !(members.get(s) ?? []).some(manages));
    return cantManage && (!caller.adminAccess || NOT_VISIBLE.test(error));
  }

  /**
   * Whether check's `failures` of `program`, by the operation's credentials, are its refusal where
   * it can't tell a member from a roster's calling user: she is no member of the roster's space,
   * and (unless a ChatMembership of another provider instance is refused: its check can't list her
   * spaces) a joined member of no space spaces.list lists her (emulator/chat/store.ts `listSpaces`).
   */
  private callerUntold(failures: readonly string[], program: DeclaredResource<MembersInputs>[], emulator: PublicState): boolean {
    const callerOf = (instance: string | undefined) => {
      const c = instance === "explicit" ? (this.f.explicitCredentials ?? this.f.credentials.next) : this.f.credentials.next;
      return c.emailScope === false || c.via === "app" ? undefined : EMAILS[c.user];
    };
    const listed = (id: string) => {
      const s = emulator.spaces[id];
      return s !== undefined && !s.importMode && (s.spaceType === "SPACE" || s.lastActiveTime !== undefined);
    };
    const learnable = (email: string, space: string, elsewhere: boolean) => {
      const member = holderOf(email, emulator.settings.users).toLowerCase();
      const of = (id: string) => (emulator.memberships[id] ?? []).filter((m) => m.memberName.toLowerCase() === member);
      return (
        of(space.slice("spaces/".length)).some((m) => m.state !== "NOT_A_MEMBER") ||
        (elsewhere && Object.keys(emulator.memberships).some((id) => listed(id) && of(id).some((m) => m.state === "JOINED")))
      );
    };
    return callerUntoldRefusal(failures, program, emulator.settings.users, callerOf, learnable);
  }

  /** The calling user's email of a phase, when its credentials name it (a user's own credentials without the email scope don't). */
  private callerEmailOf(phase: string): string | undefined {
    const c = phase.startsWith("set-up") ? this.f.credentials.start : this.f.credentials.next;
    return c.emailScope === false || c.via === "app" ? undefined : EMAILS[c.user];
  }

  /**
   * The calling user of a phase, by its credentials: the person their email names now (after
   * `addressReassigned`, another than the state's records name by it); with app authentication, the Chat app.
   */
  private callerOf(phase: string, emulator: PublicState): StepCaller {
    const c = phase.startsWith("set-up") ? this.f.credentials.start : this.f.credentials.next;
    return c.via === "app"
      ? { member: this.appMember(), adminAccess: false, app: true }
      : { member: holderOf(EMAILS[c.user], emulator.settings.users), adminAccess: c.adminAccess };
  }

  /** Whether the state's roster `name` lists `member` (in its space at its last read). */
  private listedBy(name: string, member: string): boolean {
    const outputs = this.stack.entries.find((e) => e.name === name && isRoster(e))?.outputs as ChatSpaceMembersOutputs | undefined;
    return outputs?.members.some((m) => m.member.toLowerCase() === member.toLowerCase() && m.state !== "NOT_A_MEMBER") ?? false;
  }

  /** The Chat app's member name: `users/{client id}` of the app's service account (v1.d.ts Schema$User.name). */
  private appMember(): string {
    return `users/${this.t.serviceAccount.client_id}`;
  }

  /** The explicit instance's calling user, kept as the step's is, where the case says so (`instanceCallersKept`); undefined for an app. */
  /** The explicit instance's calling user (`instanceCallersKept`): whom its user's address names in `users`, the directory now. */
  private explicitCaller(users: Users): StepCaller | undefined {
    const explicit = this.f.explicitCredentials;
    if (!this.f.instanceCallersKept || !explicit || explicit.via === "app") return undefined;
    return { member: holderOf(EMAILS[explicit.user], users), adminAccess: explicit.adminAccess };
  }

  /** `users`: the directory now, whose emails name the calling users (after `addressReassigned`, another person for admin's). */
  private exemptions(members: SpaceMembers, users: Users, caller: StepCaller, unannounced: Exemptions["unannounced"]): Exemptions {
    return {
      unannounced,
      explicitCaller: this.explicitCaller(users),
      sees: (space) => caller.adminAccess || this.imports(space, caller) || (members.get(space) ?? []).some((m) => m.memberName === caller.member),
      callers: new Set([
        ...[this.f.credentials.start, this.f.credentials.next, ...(this.f.explicitCredentials ? [this.f.explicitCredentials] : [])].map((c) =>
          (c.via === "app" ? this.appMember() : holderOf(EMAILS[c.user], users)).toLowerCase(),
        ),
        // The person given the address is in no space: her id can't be learnt, and the state's
        // record of the caller (the former holder) decides (docs/reference/membership.md, delete).
        ...(this.f.addressReassigned && ![...members.values()].some((m) => m.some((x) => x.memberName === NEW_ADMIN)) ? [userIdOf(EMAILS.admin)] : []),
      ]),
      stale: (space, member) => this.stale.has(space) || this.stale.has(`${space} ${member.toLowerCase()}`),
      appActs: caller.app === true,
      retained: this.retained,
      readdressedSinceRead: (roster, member) => this.f.addressReassigned === true && !this.readFresh && this.listedBy(roster, member),
    };
  }

  /** Each of the person's spaces' memberships now (none when the space is gone). */
  private membersBySpace(emulator: PublicState): SpaceMembers {
    return new Map(this.spaces.map((s) => [s, (emulator.memberships[s.slice("spaces/".length)] ?? []) as StoredMembership[]]));
  }

  /** A member of a change in Chat as the stale set keys it: canonical, lower-cased; the app as BOT. */
  private memberOf(member: string): string {
    if (member === "app") return "bot";
    if (member.startsWith("groups/") || member.startsWith("users/")) return member.toLowerCase();
    return userIdOf(member.toLowerCase()).toLowerCase();
  }

  private async change(d: SpaceChange): Promise<boolean> {
    const { space, ...change } = d;
    if (change.kind !== "invite") return diverge(this.t, this.spaces[space], change);
    try {
      await this.t.control.inviteMember(this.spaces[space], change.member, change.role);
      return true;
    } catch {
      return false;
    }
  }
}

/** The field of a declaration that names its member. */
const memberFieldOf = (declared: { group?: unknown; chatApp?: unknown }) =>
  declared.group !== undefined ? "group" : declared.chatApp !== undefined ? "chatApp" : "user";

/**
 * `inputs` of `resource` as a preview sees them: what its `unknownAtPreview` names another
 * resource's output, unknown until apply (members-fixture.ts {@link RosterUnknown}, {@link MembershipUnknown}).
 */
function unknownAtPreview(inputs: MembersInputs, resource: MembersResource): MembersInputs {
  const unknown = UNKNOWN as never;
  if (resource.type === "ChatMembership") {
    const which = resource.unknownAtPreview;
    const field = which === "role" || which === "space" ? which : memberFieldOf(inputs as ChatMembershipInputs);
    return { ...inputs, [field]: unknown };
  }
  const which = resource.unknownAtPreview;
  if (which === undefined) return inputs;
  if (which.of === "mode") return { ...inputs, mode: unknown };
  if (which.of === "members") return { ...inputs, members: unknown };
  if (which.of === "space") return { ...inputs, space: unknown };
  const members = [...((inputs as ChatSpaceMembersInputs).members ?? [])];
  const declared = members[which.entry];
  if (declared === undefined) return inputs;
  members[which.entry] =
    which.of === "entry" ? unknown : ({ ...declared, [which.of === "role" ? "role" : memberFieldOf(declared)]: unknown } as RosterMemberArgs);
  return { ...inputs, members } as MembersInputs;
}

/** The `users/{id}` the directory (`users`) gives `email` now: an address names a person only for a while (`addressReassigned`). */
const holderOf = (email: string, users: Users): string => expectedMember({ user: email }, users);

/** Whether `member` (the calling user's users/{id}) is a joined member of some space of the emulator: then Google can tell her id. */
function callerInASpace(emulator: { memberships: Record<string, readonly { memberName: string; state: string }[]> }, member: string): boolean {
  return Object.values(emulator.memberships).some((list) => list.some((m) => m.memberName.toLowerCase() === member.toLowerCase() && m.state === "JOINED"));
}
