/**
 * The plan summary's model: what a `pulumi preview --json` digest (preview-json.ts) will do to
 * Google Chat, per resource, in words a reviewer reads before approving a pull request. Rendering
 * is markdown.ts; the command is index.ts.
 *
 * The dynamic-provider host reports no per-property diff (@pulumi/pulumi
 * cmd/dynamic-provider/index.js `diff` sets only changes, replaces and deleteBeforeReplace), so
 * the engine's `detailedDiff` and `diffReasons` are empty for every resource of this package:
 * what changes is read from the old and new inputs, as the engine's own display does then.
 */

import { UNKNOWN } from "../../provider/core/engine-values";
import { typeOfUrn } from "../../provider/core/urn";
import { KNOWN_AT_UP, type SameAtUp, UNDECLARED } from "../../provider/members/known-at-up";
import { parseKeptRoleLine, parseRoleLine } from "../../provider/membership/role-lines";
import { kindOfToken } from "../../provider/tokens";
import { heldByMembership, heldByRoster, ProgramClaims } from "./claims";
import { type PreviewDigest, type PreviewStep, type ResourceState, resourceName, stackOf } from "./preview-json";
import { declaredMembers, pendingRemovals, rosterLoss, rosterUpdate } from "./roster";

/**
 * What happens to one resource. `forget`: managed, dropped from the state with nothing done in Chat
 * (a deletion with `retainOnDelete`, or a deletion already done); `discard`: read with `.get`, no
 * longer read (nothing in Chat either).
 */
export type Action = "create" | "update" | "replace" | "delete" | "import" | "forget" | "discard";

/** The resources the summary names in words; any other resource is `other`. */
export type Kind = "space" | "membership" | "roster" | "other";

/** One input that changes: its old and new value, `undefined` when absent. */
export interface FieldChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
}

/** One resource the preview changes. */
export interface PlannedChange {
  readonly action: Action;
  readonly kind: Kind;
  /** The resource's name in the program (its URN's last part). */
  readonly resource: string;
  /** What it is: `"Engineering" (spaces/AAAA)`, `alice@example.com in "Engineering" (spaces/AAAA)`. */
  readonly subject: string;
  /** The inputs that change (an update, a replacement). */
  readonly fields: readonly FieldChange[];
  /** The inputs the provider names as the cause of a replacement. */
  readonly replaceReasons: readonly string[];
  /** Why a replacement happens when no input causes it: the program reads or imports another resource under this name. */
  readonly cause?: string;
  /** A roster's members added or changed: `adds dan@example.com (ROLE_MEMBER)`. */
  readonly notes: readonly string[];
  /** What a replacement, a deletion or a roster's removal loses, in words; undefined: nothing. */
  readonly loss?: string;
  /**
   * A roster or membership replaced because its space (or a membership's member) is unknown at
   * preview: what the update the up makes instead, if they are the same, removes and changes (its
   * provider's lines), said with the loss, or beside the note that another resource keeps the member.
   */
  readonly ifSameAtUp?: string;
}

/** The whole preview, as the summary tells it. */
export interface PlanSummary {
  /** The stack previewed, from the steps' URNs. */
  readonly stack?: string;
  /** Every change, deletions and replacements first (byReadingOrder). */
  readonly changes: readonly PlannedChange[];
  /** Resources read (`.get`) without being managed. */
  readonly reads: number;
  /** The preview's error diagnostics: non-empty, the preview failed. */
  readonly errors: readonly string[];
}

/**
 * A preview always lists the stack's own step, changed or not (pkg/backend/display/json.go shows
 * the root stack whatever the options): a digest without steps comes from a preview that failed
 * before planning (the program could not start, the backend refused), and prints `{}`.
 */
export const NOTHING_PLANNED = "The preview planned nothing, not even the stack: it failed before planning (see its log).";

/** A replacement, a deletion or a roster's removal of a member: what `--allow-destroy` must allow. */
export const isDestructive = (change: PlannedChange): boolean => change.loss !== undefined;

/** The engine's own resources: the stack and its providers change nothing in Chat. */
const ENGINE_TYPES = /^pulumi:(pulumi:Stack|providers:)/;

/**
 * Each step op, by what it means for the resource; ops absent here change nothing in Chat (same,
 * read, refresh) or never reach the digest (diff, extend-parameterize: preview-json.ts `StepOp`).
 * The replacement ops are refined by howReplaced: the engine replaces a resource by creating,
 * reading or importing another under its name, and a replaced resource that was only read
 * (`discard-replaced`) is not deleted in Chat (step.go `DeleteStep.Op`: an external resource's
 * deletion is a discard).
 */
const ACTION_OF: Partial<Record<PreviewStep["op"], Action>> = {
  create: "create",
  update: "update",
  delete: "delete",
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
  "read-replacement": "replace",
  "discard-replaced": "replace",
  "import-replacement": "replace",
  import: "import",
  discard: "discard",
  // A deleteBeforeReplace replacement whose create failed leaves the deleted resource in the state,
  // pendingReplacement; removed from the program, the engine drops it without calling the provider
  // (step.go `RemovePendingReplaceStep.Apply`). Nothing is lost now: the deletion was the earlier
  // update's, previewed then. Not destructive, so it needs no --allow-destroy. (The engine keeps
  // this step out of the digest, preview-json.ts `StepOp`; a digest that shows it is told the truth.)
  "remove-pending-replace": "forget",
};

/** The steps that make a resource's replacement in this run (its `delete-replaced` step deletes the old one). */
const REPLACEMENT_OPS: readonly PreviewStep["op"][] = ["replace", "create-replacement", "read-replacement", "import-replacement", "discard-replaced"];

/**
 * The steps of one resource (one URN) that delete a resource an earlier update left pending
 * deletion: its replacement was made, its own delete did not happen. The engine deletes it beside
 * this run's step for the resource (step_generator.go `GenerateDeletes`: a `delete-replaced` step,
 * no new state; older engines a `delete`). This run's own replacement marks its old resource so
 * too (step.go `CreateStep.Apply`): the delete of that one, by id, is the replacement's.
 */
function pendingDeletesOf(steps: readonly PreviewStep[]): PreviewStep[] {
  const replacing = steps.find((s) => REPLACEMENT_OPS.includes(s.op) && s.oldState);
  return steps.filter(
    (s) =>
      s.oldState?.delete === true &&
      !s.newState &&
      (s.op === "delete-replaced" || s.op === "delete") &&
      (replacing === undefined || (replacing.oldState!.id !== undefined && s.oldState.id !== replacing.oldState!.id)),
  );
}

/** A resource's steps decide one action: a replacement shows as up to three steps, a refreshed resource as a refresh and its change. */
const PRECEDENCE: readonly Action[] = ["replace", "delete", "update", "import", "create", "discard", "forget"];

/**
 * How a replacement makes the new resource: `create` (the usual), `read` (the program now reads
 * another resource with `.get` under this name: a `read-replacement`, or a `replace` whose new state
 * is external), `import` (the `import` option names another id: `import-replacement`), or
 * `takeover`: the old resource was only read, and a managed one is created in its place, the read one
 * merely dropped (step_generator.go "Case 2: wasExternal"; `discard-replaced`). A read resource read
 * again with another id is no replacement: the engine plans a `read` step (step_generator.go
 * `GenerateReadSteps` replaces only an old resource that is not external), counted as a read.
 */
type Replacement = "create" | "read" | "import" | "takeover";

function howReplaced(steps: readonly PreviewStep[]): Replacement {
  if (steps.some((s) => s.op === "discard-replaced" || s.oldState?.external === true)) return "takeover";
  if (steps.some((s) => s.op === "read-replacement" || s.newState?.external === true)) return "read";
  // A dynamic provider cannot import (pulumi/pulumi#3550): the preview fails after the import-replacement step, before any replace step.
  if (steps.some((s) => s.op === "import-replacement")) return "import";
  return "create";
}

/** Builds the summary of a preview digest. */
export function summarizePlan(digest: PreviewDigest): PlanSummary {
  const steps = (digest.steps ?? []).filter((step) => !ENGINE_TYPES.test(typeOf(step)));
  const byUrn = new Map<string, PreviewStep[]>();
  for (const step of steps) byUrn.set(step.urn, [...(byUrn.get(step.urn) ?? []), step]);
  const pendingDeletes = new Set([...byUrn.values()].flatMap(pendingDeletesOf));
  const spaces = new SpaceLabels(steps, pendingDeletes);
  const context: Context = { spaces, emails: emailsOf(steps), log: logOf(digest), claims: new ProgramClaims(steps, kindOf) };

  const changes: PlannedChange[] = [];
  for (const [urn, steps] of byUrn) {
    // A resource an earlier update left pending deletion is deleted beside this run's change of the resource: a change of its own.
    const resourceSteps = steps.filter((s) => !pendingDeletes.has(s));
    for (const s of steps) if (pendingDeletes.has(s)) changes.push(changeOf("delete", urn, [s], s, s.oldState, context));
    const actions = resourceSteps.map((step) => ACTION_OF[step.op]);
    const action = PRECEDENCE.find((candidate) => actions.includes(candidate));
    if (!action) continue;
    const step = resourceSteps.find((s) => s.op === "replace") ?? resourceSteps.find((s) => ACTION_OF[s.op] === action)!;
    // The state the change starts from: a refresh step's old state is the one before the refresh.
    const old = step.oldState ?? resourceSteps.find((s) => s.oldState && s.op !== "refresh")?.oldState;
    changes.push(changeOf(action, urn, resourceSteps, step, old, context));
  }
  const rootUrn = digest.steps?.[0]?.urn;
  return {
    stack: rootUrn ? stackOf(rootUrn) : undefined,
    changes: changes.sort(byReadingOrder),
    reads: steps.filter((step) => step.op === "read").length,
    errors: digest.steps?.length ? (digest.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => (d.message ?? "").trim()) : [NOTHING_PLANNED],
  };
}

/**
 * Deletions and replacements first; then spaces, members, other resources; then by action and
 * name: the engine lists steps in the order its parallel walk reached them, which varies.
 */
function byReadingOrder(a: PlannedChange, b: PlannedChange): number {
  const rank = (change: PlannedChange) => [isDestructive(change) ? 0 : 1, KINDS.indexOf(change.kind), ACTIONS.indexOf(change.action)];
  const [ra, rb] = [rank(a), rank(b)];
  const differing = ra.findIndex((value, i) => value !== rb[i]);
  return differing >= 0 ? ra[differing] - rb[differing] : a.resource.localeCompare(b.resource);
}
const KINDS: readonly Kind[] = ["space", "membership", "roster", "other"];
const ACTIONS: readonly Action[] = ["delete", "replace", "create", "update", "import", "forget", "discard"];

function typeOf(step: PreviewStep): string {
  return step.newState?.type ?? step.oldState?.type ?? typeOfUrn(step.urn);
}

/** What describing one resource needs from the whole preview. */
interface Context {
  readonly spaces: SpaceLabels;
  /** `users/{id}` → the email a ChatMembership of the preview declares for it. */
  readonly emails: ReadonlyMap<string, string>;
  /** The preview's log lines, by resource URN, each once. */
  readonly log: ReadonlyMap<string, string[]>;
  /** Which declared resource of the new program holds which member. */
  readonly claims: ProgramClaims;
}

function emailsOf(steps: readonly PreviewStep[]): Map<string, string> {
  const emails = new Map<string, string>();
  for (const state of steps.flatMap((step) => [step.oldState, step.newState])) {
    if (state && kindOf(state.type) === "membership" && typeof state.outputs?.member === "string" && typeof state.inputs?.user === "string") {
      emails.set(state.outputs.member, state.inputs.user);
    }
  }
  return emails;
}

function logOf(digest: PreviewDigest): Map<string, string[]> {
  const log = new Map<string, string[]>();
  for (const { urn, message } of digest.diagnostics ?? []) {
    if (!urn || !message) continue;
    const lines = log.get(urn) ?? [];
    for (const line of message.split("\n").filter(Boolean)) if (!lines.includes(line)) lines.push(line);
    log.set(urn, lines);
  }
  return log;
}

/** This package's resources by type token, either serving's (provider/tokens.ts, which loads no @pulumi/pulumi). */
const kindOf = (type: string): Kind => kindOfToken(type) ?? "other";

/** Why a replacement that reads or imports another resource happens, and what it puts in the old one's place. */
const OTHER_RESOURCE = {
  read: {
    cause: "because the program reads another id under this name with .get",
    tail: (next: string) => `, and reads ${next} in its place, without managing it`,
  },
  import: { cause: "because the program imports another id under this name", tail: (next: string) => `, and adopts ${next} in its place` },
};

function describe(
  action: Action,
  urn: string,
  step: PreviewStep,
  old: ResourceState | undefined,
  { spaces, emails, log, claims }: Context,
  replacement: Exclude<Replacement, "takeover"> = "create",
): PlannedChange {
  const kind = kindOf(typeOf(step));
  const next = action === "delete" ? undefined : step.newState;
  const other = replacement === "create" ? undefined : OTHER_RESOURCE[replacement];
  const nextLabel = () => otherLabel(kind, urn, next, replacement, spaces);
  // A membership's update logs the role change it makes, from the role as last read (a refresh may have found it changed in Chat).
  const roleChanges = kind === "membership" ? (log.get(urn) ?? []).map(parseRoleLine).filter((line) => line !== undefined) : [];
  const logged = action === "update" ? roleChanges.filter((r) => !r.sameAtUp).map((r) => ({ field: "role", from: r.from, to: r.to ?? UNKNOWN })) : [];
  // A role its update keeps (the `= … kept` line: a caller's, say) is not changed by it, whatever the declaration says;
  // a role line says a change (a label, any text, could read as a kept line: the role line wins).
  const keptRoles =
    kind === "membership" && action === "update" && roleChanges.length === 0
      ? (log.get(urn) ?? []).map(parseKeptRoleLine).filter((line) => line !== undefined)
      : [];
  const fields =
    kind !== "roster" && !other && (action === "update" || action === "replace")
      ? changedFields(old, next, logged).filter((change) => !(keptRoles.length > 0 && change.field === "role"))
      : [];
  // An import names the resource it adopts only in `importID`: the new state has no id until it runs.
  const notes = [
    ...(action === "import" && next?.importID ? [`adopts ${next.importID}`] : []),
    ...keptRoles.map((k) => `keeps ${k.member} at ${k.role}, not ${k.declared}, for this up`),
  ];
  const base = {
    action,
    kind,
    resource: resourceName(urn),
    fields,
    replaceReasons: step.replaceReasons ?? [],
    notes,
    ...(other ? { cause: other.cause } : {}),
  };
  if (kind === "roster") {
    const state = old ?? next!;
    const space = spaces.labelOfSpaceInput(state);
    // A replacement whose space is unknown at preview logs the plan of an update too, which the up makes if the space is the same.
    const sameSpacePlan = action === "replace" && (log.get(urn) ?? []).length > 0;
    const change =
      action === "update" || sameSpacePlan
        ? rosterUpdate(log.get(urn) ?? [], emails, old, next)
        : { notes: action === "create" ? declaredMembers(next).map((m) => `adds ${m}`) : [], removals: [], caveats: [] };
    // A deletion or replacement leaves the members another declared resource (or the replacement) holds.
    const leaving =
      old && (action === "delete" || action === "replace")
        ? heldByRoster(old).map((m) => ({ ...m, holder: claims.holderOf(urn, old, m.held, action === "replace") }))
        : [];
    const staying = leaving
      .filter((m) => m.holder)
      .map((m) => `${declaredMembers({ ...old!, inputs: { members: [m.entry] } })[0]} stays in ${space}: ${m.holder} declares it`);
    const removed = leaving.length ? { ...old!, inputs: { ...old!.inputs, members: leaving.filter((m) => !m.holder).map((m) => m.entry) } } : old;
    // Members an update that dropped them failed to remove: the state still declares them, so the roster's delete removes them too.
    const pending = old && (action === "delete" || action === "replace") ? pendingRemovals(old) : [];
    const replaced =
      leaving.length && staying.length === leaving.length && !pending.length
        ? undefined
        : rosterLoss(
            action,
            space,
            removed,
            sameSpacePlan ? { notes: [], removals: [], caveats: [] } : change,
            next ? spaces.labelOfSpaceInput(next, "new") : space,
            pending,
          );
    const sameSpaceChanges = sameSpacePlan
      ? [...change.notes.filter((note) => note.includes(" → ")), ...(change.removals.length ? [`removes ${change.removals.join(", ")}`] : [])]
      : [];
    const ifSameAtUp = ifStillAtUp({ space }, sameSpaceChanges);
    const loss = clauses(replaced, ifSameAtUp);
    return { ...base, subject: `the members of ${space}`, notes: [...base.notes, ...change.notes, ...staying], loss, ...(ifSameAtUp ? { ifSameAtUp } : {}) };
  }
  if (kind === "space") {
    // A space an earlier update left pending deletion is named by its own state (its URN names the live one).
    const subject = old?.delete === true && !step.newState ? spaceLabel(old) : spaces.label(urn, action === "create" ? "new" : "old");
    const deletes = "deletes the space and all its messages";
    const loss = { delete: deletes, replace: `${deletes}${other ? other.tail(nextLabel()) : ", then creates a new, empty one"}` }[
      action as "delete" | "replace"
    ];
    return { ...base, subject, loss };
  }
  if (kind === "membership") {
    const state = old ?? next!;
    const member = memberOf(state);
    const subject = `${member} in ${spaces.labelOfSpaceInput(state)}`;
    // A deletion or replacement leaves a member another declared resource (or the replacement) holds.
    const holder = old && (action === "delete" || action === "replace") ? claims.holderOf(urn, old, heldByMembership(old), action === "replace") : undefined;
    // A replacement whose identity (space, member, times) is unknown at preview logs the role change of the update the up makes if it is the same.
    const [conditional] = action === "replace" ? roleChanges.filter((r) => r.sameAtUp) : [];
    const sameAtUp = conditional?.sameAtUp;
    const ifSameAtUp = sameAtUp
      ? ifStillAtUp({ ...sameAtUp, ...(sameAtUp.space ? { space: spaces.labelOfSpaceInput(state) } : {}), ...(sameAtUp.member ? { member } : {}) }, [
          `${member}: ${conditional.from} → ${conditional.to ?? KNOWN_AT_UP}`,
        ])
      : undefined;
    if (holder) {
      const stays = `${member} stays in ${spaces.labelOfSpaceInput(old!)}: ${holder} declares it`;
      return { ...base, subject, notes: [...base.notes, stays, ...(ifSameAtUp ? [ifSameAtUp] : [])], ...(ifSameAtUp ? { ifSameAtUp } : {}) };
    }
    const removal = `removes ${member} from ${spaces.labelOfSpaceInput(state)}`;
    const added = () => (other ? other.tail(nextLabel()) : `, then adds ${memberOf(next!)} to ${spaces.labelOfSpaceInput(next!, "new")}`);
    const loss = action === "delete" ? removal : action === "replace" ? clauses(`${removal}${added()}`, ifSameAtUp) : undefined;
    return { ...base, subject, loss, ...(ifSameAtUp ? { ifSameAtUp } : {}) };
  }
  const subject = `${(old ?? next)!.type} ${resourceName(urn)}${old?.id ? ` (${old.id})` : ""}`;
  const loss = { delete: "deletes it", replace: `deletes it${other ? other.tail(nextLabel()) : ", then creates a new one"}` }[action as "delete" | "replace"];
  return { ...base, subject, loss };
}

/** What replaces the old resource when the program reads or imports another: the one read (its id; a space by its label) or the id imported. */
function otherLabel(kind: Kind, urn: string, next: ResourceState | undefined, replacement: Replacement, spaces: SpaceLabels): string {
  if (replacement === "import") return String(next?.importID);
  return kind === "space" ? spaces.label(urn, "new") : String(next?.id);
}

/** What keeping the old resource of a replacement (`retainOnDelete`) leaves in Chat. */
export const NO_LONGER_MANAGED = "stays in Chat, no longer managed (retainOnDelete)";

/**
 * A replacement of a resource with `retainOnDelete`: the engine's delete of the old one does
 * nothing, `delete-replaced` included (step.go `DeleteStep.Apply`: "Deleting a "drop on delete" is
 * a no-op"), so the old space, membership or roster's members stay in Chat, unmanaged. Created
 * anew, the replacement is a second space (or membership) beside the old one: destructive, for
 * --allow-destroy to allow. Read or imported instead, nothing is made or lost.
 */
function retainedReplacement(
  urn: string,
  step: PreviewStep,
  old: ResourceState,
  context: Context,
  replacement: Exclude<Replacement, "takeover">,
): PlannedChange {
  const change = describe("replace", urn, step, old, context, replacement);
  const { spaces } = context;
  const next = step.newState;
  const made = replacement !== "create";
  let replaced: string;
  let kept: string;
  if (change.kind === "space") {
    replaced = made
      ? `${replacement === "read" ? "reads" : "adopts"} ${otherLabel("space", urn, next, replacement, spaces)} in its place`
      : `creates a new space ${spaces.label(urn, "new")}`;
    kept = `the old one (${old.id}) ${NO_LONGER_MANAGED}`;
  } else if (change.kind === "membership") {
    replaced = made
      ? `${replacement === "read" ? "reads" : "adopts"} ${otherLabel("membership", urn, next, replacement, spaces)} in its place`
      : `adds ${memberOf(next!)} to ${spaces.labelOfSpaceInput(next!, "new")}`;
    kept = `the old membership (${memberOf(old)} in ${spaces.labelOfSpaceInput(old)}) ${NO_LONGER_MANAGED}`;
  } else if (change.kind === "roster") {
    replaced = `adds the declared members to ${spaces.labelOfSpaceInput(next!, "new")}`;
    kept = `the members it declared (${declaredMembers(old).join(", ")}) stay in ${spaces.labelOfSpaceInput(old)}, no longer managed (retainOnDelete)`;
  } else {
    replaced = made
      ? `${replacement === "read" ? "reads" : "adopts"} ${otherLabel("other", urn, next, replacement, spaces)} in its place`
      : "creates a new one";
    kept = `the old one${old.id ? ` (${old.id})` : ""} ${NO_LONGER_MANAGED}`;
  }
  // Said once: beside the note that another resource keeps the member, the clause is a note already.
  const ifSameAtUp = change.ifSameAtUp && !change.notes.includes(change.ifSameAtUp) ? change.ifSameAtUp : undefined;
  const text = clauses(`${replaced}; ${kept}`, ifSameAtUp)!;
  return made ? { ...change, notes: [...change.notes, text], loss: undefined } : { ...change, loss: text };
}

/**
 * What a replacement planned because its identity is unknown at preview does instead if the up
 * finds it the same (an update: `changes`, from its provider's lines): `space` (its label) still
 * its space, `member` still its member, the import-mode times still those; undefined for none.
 */
function ifStillAtUp({ space, member, createTime, deleteTime }: SameAtUp, changes: readonly string[]): string | undefined {
  const still = [
    space === undefined ? [] : [`${space} is still its space`],
    member === undefined ? [] : [`${member} is still its member`],
    createTime === undefined ? [] : [`its createTime is still ${createTime === UNDECLARED ? "undeclared" : createTime}`],
    deleteTime === undefined ? [] : [`its deleteTime is still ${deleteTime === UNDECLARED ? "undeclared" : deleteTime}`],
  ].flat();
  return changes.length ? `or, if ${still.join(" and ")} at up, updates it: ${changes.join("; ")}` : undefined;
}

/** The parts given, one clause each: undefined when none is. */
const clauses = (...parts: (string | undefined)[]): string | undefined => parts.filter((part) => part !== undefined).join("; ") || undefined;

/** What a deletion with `retainOnDelete` does: nothing in Chat, so nothing is lost. */
export const STAYS_IN_CHAT = "stops managing it; it stays in Chat";

/** What dropping a resource left pending replacement does: its deletion happened in the update that failed. */
export const ALREADY_DELETED = "already deleted by an earlier update whose replacement failed; only removed from the state";

/** The same with `retainOnDelete`: that update's deletion did nothing in Chat (step.go `DeleteStep.Apply`), so the resource is still there. */
export const KEPT_PENDING =
  "left by an earlier update whose replacement failed, which kept it in Chat (retainOnDelete): only removed from the state; it stays in Chat";

/** What deleting or replacing a component resource does in Chat. */
export const COMPONENT = "a component: nothing of its own in Chat (its resources have their own steps)";

/** What no longer reading a resource (`.get`) does. */
export const STILL_IN_CHAT = "was only read (.get), never managed: dropped from the state; it stays in Chat";

/** One resource's change from its steps: the action, refined where a step's states say more than its op. */
function changeOf(
  action: Action,
  urn: string,
  steps: readonly PreviewStep[],
  step: PreviewStep,
  old: ResourceState | undefined,
  context: Context,
): PlannedChange {
  // A resource with `retainOnDelete` is only dropped from the state (the engine's delete step skips the provider's delete).
  if (action === "delete" && old?.retainOnDelete === true) return unchanged("forget", urn, step, old, context, STAYS_IN_CHAT);
  if (action === "forget") return unchanged("forget", urn, step, old!, context, old?.retainOnDelete === true ? KEPT_PENDING : ALREADY_DELETED);
  if (action === "discard") return unchanged("discard", urn, step, old!, context, STILL_IN_CHAT);
  // A component calls no provider when deleted (step.go `DeleteStep.Apply`: only `Custom` resources); its children have their own steps.
  if ((action === "delete" || action === "replace") && old?.custom === false)
    return { ...describe(action, urn, step, old, context), notes: [COMPONENT], loss: undefined };
  if (action !== "replace") return describe(action, urn, step, old, context);
  const replacement = howReplaced(steps);
  if (replacement === "takeover") {
    const was = kindOf(old!.type) === "space" ? context.spaces.label(urn) : (old!.id ?? resourceName(urn));
    return { ...describe("create", urn, step, undefined, context), notes: [`takes the place of ${was}, which was only read (.get): it stays in Chat`] };
  }
  if (old?.retainOnDelete === true) return retainedReplacement(urn, step, old, context, replacement);
  return describe(action, urn, step, old, context, replacement);
}

/** A resource dropped from the state with nothing done in Chat: named as its deletion would be, `note` saying why nothing is lost. */
function unchanged(action: "forget" | "discard", urn: string, step: PreviewStep, old: ResourceState, context: Context, note: string): PlannedChange {
  return { ...describe("delete", urn, step, old, context), action, notes: [note], loss: undefined };
}

/** The member of a ChatMembership as the program declares it, or as Google named it. */
function memberOf(state: ResourceState): string {
  const inputs = state.inputs ?? {};
  if (inputs.user === UNKNOWN || inputs.group === UNKNOWN) return "a member known only after the update";
  if (typeof inputs.user === "string") return inputs.user;
  if (typeof inputs.group === "string") return inputs.group;
  if (inputs.chatApp === true) return "the Chat app";
  return typeof state.outputs?.member === "string" ? state.outputs.member : "a member";
}

/**
 * The inputs that differ, the provider's own (`__*`) left out, in name order; a field the provider
 * logged the change of (`logged`: a membership's role, from the role as last read) as logged. When
 * none does, the update restores what was changed in Chat (a refresh read it): the declared values
 * that differ from the resource as last read, from that value to the declared one.
 */
function changedFields(old: ResourceState | undefined, next: ResourceState | undefined, logged: readonly FieldChange[] = []): FieldChange[] {
  const olds = old?.inputs ?? {};
  const news = next?.inputs ?? {};
  const declared = (inputs: Record<string, unknown>) => Object.keys(inputs).filter((field) => !field.startsWith("__"));
  const differ = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
  const isLogged = (field: string) => logged.some((change) => change.field === field);
  const changed = [...new Set([...declared(olds), ...declared(news)])]
    .filter((field) => !isLogged(field) && differ(olds[field], news[field]))
    .map((field) => ({ field, from: olds[field], to: news[field] }));
  if (changed.length || logged.length) return [...changed, ...logged].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  const live = old?.outputs ?? {};
  return declared(news)
    .sort()
    .filter((field) => typeof news[field] !== "object" && differ(live[field], news[field]))
    .map((field) => ({ field, from: live[field], to: news[field] }));
}

/** How the summary names a space: by display name and `spaces/{id}`, from whichever step knows them. */
class SpaceLabels {
  private readonly spaces = new Map<string, { old?: ResourceState; next?: ResourceState; replaced: boolean }>();
  private readonly urnById = new Map<string, string>();
  /** Spaces an earlier update left pending deletion, by id: named by their own state, not their URN's live one. */
  private readonly pendingById = new Map<string, ResourceState>();

  /** `pendingDeletes`: the preview's deletes of resources an earlier update left pending deletion ({@link pendingDeletesOf}). */
  constructor(steps: readonly PreviewStep[], pendingDeletes: ReadonlySet<PreviewStep>) {
    const spaceSteps = steps.filter((step) => kindOf(typeOf(step)) === "space");
    for (const step of spaceSteps) if (pendingDeletes.has(step) && step.oldState?.id) this.pendingById.set(step.oldState.id, step.oldState);
    for (const step of spaceSteps) {
      // Any step of a space pending deletion (its delete, or the refresh of `up --refresh`) is not its URN's live space.
      if (pendingDeletes.has(step) || (step.oldState?.delete === true && this.pendingById.has(String(step.oldState.id)))) continue;
      const space = this.spaces.get(step.urn) ?? { replaced: false };
      space.old ??= step.oldState;
      // A refresh step's new state is the space as read, not as the program declares it.
      if (step.newState && step.op !== "refresh") space.next = step.newState;
      space.replaced ||= ACTION_OF[step.op] === "replace";
      this.spaces.set(step.urn, space);
      if (step.oldState?.id) this.urnById.set(step.oldState.id, step.urn);
    }
  }

  /** The space as it is now (`old`), or as it will be (`new`: a replacement's has no id yet). */
  label(urn: string, which: "old" | "new" = "old"): string {
    const space = this.spaces.get(urn);
    if (!space) return resourceName(urn);
    if (which === "new" && space.next) return spaceLabel(space.next, space.replaced ? undefined : space.old);
    return spaceLabel((space.old ?? space.next)!);
  }

  /** The space a membership's `space` input names: the ChatSpace it depends on, or the id it gives. */
  labelOfSpaceInput(state: ResourceState, which: "old" | "new" = "old"): string {
    // A resource read with `.get` has no inputs: its space is the one Google answered.
    const space = state.external === true ? state.outputs?.space : state.inputs?.space;
    const pending = typeof space === "string" ? this.pendingById.get(space) : undefined;
    if (pending) return spaceLabel(pending);
    const urn = state.propertyDependencies?.space?.[0] ?? this.urnById.get(String(space));
    if (urn && this.spaces.has(urn)) return this.label(urn, which);
    return typeof space === "string" && space !== UNKNOWN ? space : "a space known only after the update";
  }
}

/** `"Display name" (spaces/ID)`: the id once the space exists (the state's, or the space it updates: `old`). */
function spaceLabel(state: ResourceState, old?: ResourceState): string {
  const displayName = [state.inputs?.displayName, state.outputs?.displayName].find(
    (name): name is string => typeof name === "string" && name !== UNKNOWN && name !== "",
  );
  const id = state.id ?? old?.id;
  if (displayName === undefined) return id ?? resourceName(state.urn);
  return id ? `"${displayName}" (${id})` : `"${displayName}"`;
}
