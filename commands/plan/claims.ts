/**
 * Which resource of the previewed program declares which member of which space, read from the
 * preview's new states: a membership or a roster's member that another declared resource holds
 * is not removed by the deletion or replacement that drops it (the provider's rule,
 * provider/members/claims.ts: the engine deletes dropped resources after checking every declared
 * one, and the provider processes of a deployment share what they checked, whichever provider
 * serves each resource: provider/core/deployment-share.ts), so the summary says it stays. Read
 * from every step with a new state, `same` steps included: the plan command asks for
 * `pulumi preview --json --show-sames`.
 */

import { hasUnknown, UNKNOWN } from "../../provider/core/engine-values";
import { type Declaration, type HeldMember, holderName } from "../../provider/members/claims";
import { EmailIds } from "../../provider/members/email-ids";
import { emailKeyOf, isAppKey, isEmailKey, knownMemberKeyOf, type MemberDeclaration } from "../../provider/members/member-ref";
import { type HistoricalTimes, timesConflicts } from "../../provider/members/memberships";
import { type PreviewStep, type ResourceState, resourceName, SECRET_TEXT } from "./preview-json";

/**
 * Steps whose new state is a declaration of the program: not a resource read with .get, nor one
 * deleted, nor a refresh (its new state is the old inputs read again, not what the program declares).
 */
const DECLARING_OPS: ReadonlySet<PreviewStep["op"]> = new Set(["same", "create", "update", "replace", "create-replacement", "import", "import-replacement"]);

/** Which of this package's resources a type token is (summary.ts `kindOf`). */
export type KindOfType = (type: string) => "space" | "membership" | "roster" | "other";

/**
 * A space as a state names it: its `spaces/{id}`, where known. A declaration whose space is
 * unknown at preview (a space being created or replaced, or the `name` of one updated) holds
 * nothing of an existing space as far as the preview can tell: its members count as removed.
 */
function spaceKeysOf(state: ResourceState): string[] {
  const value = state.inputs?.space;
  return typeof value === "string" && value !== UNKNOWN ? [value] : [];
}

/** One member the old state of a membership or roster holds: the keys its resource declared it by, Google's canonical member, its import-mode times. */
export interface HeldInState {
  readonly keys: readonly string[];
  readonly member?: string;
  readonly times?: HistoricalTimes;
}

export class ProgramClaims {
  private readonly declarations: { readonly urn: string; readonly spaces: string[]; readonly provider?: string; readonly declaration: Declaration }[] = [];
  /** Each email key's canonical member, as the old states of the resources the preview keeps declaring record it (two records telling it apart: unknown). */
  private readonly emails = new EmailIds();
  /**
   * Some of those old states record an email the preview does not show (a secret): whom an email
   * names can't be read from the states, so no declaration holding nobody yet names a member by an email.
   */
  private opaque = false;

  constructor(
    steps: readonly PreviewStep[],
    private readonly kindOf: KindOfType,
  ) {
    // A resource the run deletes declares nothing, whatever other step it has (`pulumi destroy --run-program` gives each a
    // `same` step, then its delete: step_generator.go); a pending delete of an earlier update's is the old half of a live one.
    const deleted = new Set(steps.filter((s) => s.op === "delete" && s.oldState?.delete !== true).map((s) => s.urn));
    for (const step of steps) {
      const next = step.newState;
      if (!next || !DECLARING_OPS.has(step.op) || next.external === true || deleted.has(step.urn) || !holdsAsIs(step)) continue;
      // A resource kept (not made again) holds the members its old state records, whomever their emails name now; and what it
      // records of the emails it still declares tells whom they name, as the provider learns at its diff. A replacement's record
      // tells nothing: the engine may make it again with no diff (up --replace, a provider changed: step_generator.go `diff`).
      const kept = step.op === "same" || step.op === "update" ? step.oldState : undefined;
      if (kept) this.learn(kept, next);
      // A replacement planned because its space (or member) is unknown at preview may be the same resource at up, kept by its
      // diff, which then reads its records: whether it does, the preview can't tell.
      else if (step.oldState && step.op === "replace" && hasUnknown(next.inputs ?? {})) this.doubt(step.oldState);
      const declaration = declarationOf(step.urn, next, kindOf(next.type), kept);
      if (declaration) this.declarations.push({ urn: step.urn, spaces: spaceKeysOf(next), provider: next.provider, declaration });
    }
  }

  /**
   * The declared resource that holds the member `held` of the space of `state` (an old state):
   * another resource, or, `own` allowed, the resource's new declaration (a replacement keeping it).
   */
  holderOf(urn: string, state: ResourceState, held: HeldInState, own = false): string | undefined {
    const spaces = spaceKeysOf(state);
    for (const { urn: holderUrn, spaces: theirs, provider, declaration } of this.declarations) {
      if ((holderUrn === urn && !own) || !theirs.some((space) => spaces.includes(space))) continue;
      // The calling app of another provider instance may be another app (member-ref.ts `callingAppKeyOf`): the preview can't tell.
      const sameApp = (key: string) => !isAppKey(key) || (provider !== undefined && provider === state.provider);
      // A declaration of other import-mode times is a replacement's, which removes the old membership first.
      const readable = (m: HeldMember) => m.member !== undefined || !this.opaque || !isEmailKey(m.key);
      const names = declaration.members.some(
        (m) =>
          sameApp(m.key) &&
          readable(m) &&
          this.emails.names(m.key, held.member ?? "", held.keys, m.member) === true &&
          timesConflicts(held.times ?? {}, m.times).length === 0,
      );
      if (names) return holderName(declaration.holder);
    }
    return undefined;
  }

  /**
   * Takes in what the old state of a resource the program keeps (`next`, its new state) records
   * for the emails it may still declare, as the provider does where that resource's diff keeps it
   * (email-ids.ts `declared` records): the deletes of the up, in whatever order they run, judge by
   * those alone, so the states of resources it deletes or replaces tell nothing here. Where the
   * preview can't tell whether an email is still declared (a value unknown until apply, or a
   * secret), its record is doubted: the email names no one, and the summary announces the removal
   * the up may not make, rather than promise a member stays by a record the up may not read.
   */
  private learn(old: ResourceState, next: ResourceState): void {
    const outputs = old.outputs ?? {};
    const kind = this.kindOf(old.type);
    const declared = outputs.__declared ?? old.inputs ?? {};
    if (kind === "membership" && readableKeyOf(declared) === undefined && !isGroupOrApp(declared)) this.opaque = true;
    if (kind === "roster" && typeof outputs.__declared !== "object") this.opaque = true;
    // Its keys unknown at preview (or secrets): the up may declare them still, and read the records, or not.
    const nextKeys =
      kind === "membership" ? [readableKeyOf(next.inputs ?? {})] : Array.isArray(next.inputs?.members) ? next.inputs.members.map(readableKeyOf) : [undefined];
    const still = nextKeys.includes(undefined) ? undefined : new Set(nextKeys);
    for (const [key, member] of this.recordsOf(old)) {
      if (still === undefined) this.emails.doubt(key);
      else if (still.has(key)) this.emails.take(key, member, "declared");
    }
  }

  /** Takes the emails `old` records as disputed: whether the up reads that state's records, the preview can't tell. */
  private doubt(old: ResourceState): void {
    for (const [key] of this.recordsOf(old)) this.emails.doubt(key);
  }

  /** The emails (or keys) an old state records, each with its member: a ChatMembership's one, a roster's but its caller's email. */
  private recordsOf(old: ResourceState): [string, string][] {
    const kind = this.kindOf(old.type);
    if (kind === "roster") return recordedEmails(old);
    if (kind !== "membership") return [];
    const key = readableKeyOf(old.outputs?.__declared ?? old.inputs ?? {});
    return key && typeof old.outputs?.member === "string" ? [[key, old.outputs.member]] : [];
  }
}

/**
 * Whether an unchanged (`same`) step is a resource that exists and stays: not one never created (a
 * destroy that runs the program gives a declared resource missing from the state a skipped create,
 * a `same` step with no id: step_generator.go `NewSkippedCreateStep`), nor one an earlier update
 * left pending deletion (`--target` leaves it untargeted as `same`, its state still marked).
 */
const holdsAsIs = (step: PreviewStep): boolean => step.op !== "same" || (step.oldState?.id !== undefined && step.oldState.delete !== true);

/**
 * A declaration's member key as the preview shows it: none where its member is unknown until
 * apply or a secret ({@link SECRET_TEXT}: two secrets read alike, and may be two people).
 */
function readableKeyOf(declared: unknown): string | undefined {
  const { user, group } = (typeof declared === "object" && declared !== null ? declared : {}) as Record<string, unknown>;
  return user === SECRET_TEXT || group === SECRET_TEXT ? undefined : knownMemberKeyOf(declared);
}

/** Whether a declaration names a Google Group or the Chat app: no email. */
const isGroupOrApp = (declared: unknown): boolean => typeof declared === "object" && declared !== null && ("group" in declared || "chatApp" in declared);

/** The member a ChatMembership's old state holds. */
export function heldByMembership(state: ResourceState): HeldInState {
  const key = readableKeyOf(state.inputs ?? {});
  const outputs = state.outputs ?? {};
  return { keys: key ? [key] : [], member: typeof outputs.member === "string" ? outputs.member : undefined, times: timesOf(outputs) };
}

/**
 * The members a roster's state records for its keys, but its calling user's email: who she is, the
 * provider asks Google, never taking the state's record of her address (space-members/provider.ts `diff`).
 */
function recordedEmails(state: ResourceState): [string, string][] {
  const caller = state.outputs?.__caller as { user?: unknown } | undefined;
  const callersEmail = typeof caller?.user === "string" ? emailKeyOf(caller.user) : undefined;
  return Object.entries((state.outputs?.__declared ?? {}) as Record<string, string>).filter(([key, member]) => member && key !== callersEmail);
}

/** A held member's canonical name, lower-cased, where it is one. */
const heldAs = (member: unknown): { member?: string } =>
  typeof member === "string" && member !== "" && member !== UNKNOWN ? { member: member.toLowerCase() } : {};

/** The import-mode times a state holds or declares, where they are text. */
function timesOf(values: Record<string, unknown>): HistoricalTimes {
  const text = (v: unknown) => (typeof v === "string" && v !== UNKNOWN ? v : undefined);
  return { createTime: text(values.createTime), deleteTime: text(values.deleteTime) };
}

/** The members a roster's old state declares, with their canonical member where its state learnt it. */
export function heldByRoster(state: ResourceState): { readonly entry: MemberDeclaration; readonly held: HeldInState }[] {
  const members = state.inputs?.members;
  const declared = (state.outputs?.__declared ?? {}) as Record<string, string>;
  if (!Array.isArray(members)) return [];
  return members.map((entry: MemberDeclaration) => {
    const key = readableKeyOf(entry);
    return { entry, held: { keys: key ? [key] : [], member: key ? declared[key] : undefined } };
  });
}

/**
 * A membership's or roster's new state as a declaration; none for another kind, or members not
 * known yet. `kept`: the old state of a resource the step keeps, whose members it holds
 * (claims.ts `HeldMember.member`) for the keys it declared before.
 */
function declarationOf(urn: string, state: ResourceState, kind: ReturnType<KindOfType>, kept?: ResourceState): Declaration | undefined {
  const inputs = state.inputs ?? {};
  const holder = (type: Declaration["holder"]["type"]) => ({ type, urn, name: resourceName(urn) });
  if (kind === "membership") {
    // Import-mode times unknown at preview may be other ones at up, which remove the old membership first: it holds nobody the preview can name.
    if (inputs.createTime === UNKNOWN || inputs.deleteTime === UNKNOWN) return undefined;
    const key = readableKeyOf(inputs);
    const held = kept && readableKeyOf(kept.inputs ?? {}) === key ? heldByMembership(kept).member : undefined;
    return key
      ? { holder: holder("ChatMembership"), space: String(inputs.space), members: [{ key, property: "member", times: timesOf(inputs), ...heldAs(held) }] }
      : undefined;
  }
  if (kind === "roster" && Array.isArray(inputs.members)) {
    const recorded = new Map(kept ? recordedEmails(kept) : []);
    const members = (inputs.members as MemberDeclaration[]).flatMap((entry, i) => {
      const key = readableKeyOf(entry);
      return key ? [{ key, property: `members[${i}]`, ...heldAs(recorded.get(key)) }] : [];
    });
    return { holder: holder("ChatSpaceMembers"), space: String(inputs.space), wholeSpace: inputs.mode !== "addOnly", members };
  }
  return undefined;
}
