/**
 * What identifies a space: the fields Google sets only when it creates a space, and so can't
 * change in place (v1.d.ts `Schema$Space`: `customer`, `externalUserAllowed`, `createTime` and
 * `importMode` are "Immutable" or input-only at creation; `spaceType` only changes from
 * GROUP_CHAT to SPACE, `spaces.completeImport` only leaves import mode).
 *
 * Every decision that depends on these fields takes its rules from here: check (the creation
 * rules), diff (what forces a replacement), the requestId derivation (what a create is keyed
 * on), the create and adopt conflict checks, and the update plan (what leaves import mode).
 *
 * The one rule for an undeclared field: it is not managed. It never forces a replacement, never
 * conflicts with an adopted space, and never completes an import. A create that does not send a
 * field gets Google's default for it ({@link GOOGLE_DEFAULTS}), which is what a space created by
 * that create must have.
 */
import type { ChatSpaceInputs, SpaceType } from "./types";

/** The fields a space gets at creation and keeps; a changed declaration of one replaces the space. */
export const REPLACE_ONLY = ["customer", "externalUserAllowed", "createTime", "spaceType", "importMode"] as const;
export type ReplaceOnlyField = (typeof REPLACE_ONLY)[number];

/** Google's values for the replace-only fields a create leaves out (v1.d.ts `Schema$Space`). */
export const GOOGLE_DEFAULTS = { spaceType: "SPACE" as SpaceType, externalUserAllowed: false, importMode: false } as const;

/**
 * The alias of the caller's own organisation (v1.d.ts `customer`). Google answers with the
 * canonical `customers/{id}`, so the alias equals whichever id the space already has.
 */
export const OWN_CUSTOMER = "customers/my_customer";

/**
 * Replacements always delete the old space first. Display names are unique in an organisation,
 * and a replacement's create derives the same requestId as the space it replaces when `pulumi up
 * --replace` keeps every replace-only input: deleting first means Google can't hand back the
 * space that is about to be deleted. The SDK sets it as the resource option (the engine reads
 * only that on a targeted `--replace`) and diff reports it.
 */
export const DELETE_BEFORE_REPLACE = true;

/** The replace-only fields of a space as Google returns it. */
export interface LiveIdentity {
  readonly customer?: string | null;
  readonly externalUserAllowed?: boolean | null;
  readonly createTime?: string | null;
  readonly spaceType?: string | null;
  readonly importMode?: boolean | null;
}

/** Whether one field's two values mean the same space to Google. */
export function sameValue(field: ReplaceOnlyField, a: unknown, b: unknown): boolean {
  switch (field) {
    case "customer":
      return a === b || a === OWN_CUSTOMER || b === OWN_CUSTOMER;
    case "createTime":
      // RFC 3339 text varies in precision and offset: compare instants.
      return typeof a === "string" && typeof b === "string" ? Date.parse(a) === Date.parse(b) : a === b;
    default:
      return (a ?? defaultOf(field)) === (b ?? defaultOf(field));
  }
}

function defaultOf(field: ReplaceOnlyField): unknown {
  return (GOOGLE_DEFAULTS as Record<string, unknown>)[field];
}

/**
 * The changes of replace-only fields Google makes in place: a GROUP_CHAT becomes a SPACE
 * (v1.d.ts `spaces.patch` `space_type`); `spaces.completeImport` leaves import mode. Any other
 * change of these fields replaces the space; the other replace-only fields always do.
 */
export const IN_PLACE_CHANGES: { readonly [F in ReplaceOnlyField]?: readonly { readonly from: unknown; readonly to: unknown }[] } = {
  spaceType: [{ from: "GROUP_CHAT", to: "SPACE" }],
  importMode: [{ from: true, to: false }],
};

/** The replace-only fields every change of which replaces the space. */
export const ALWAYS_REPLACED: readonly ReplaceOnlyField[] = REPLACE_ONLY.filter((field) => IN_PLACE_CHANGES[field] === undefined);

/** Whether Google makes this change of a replace-only field in place ({@link IN_PLACE_CHANGES}). */
export function changesInPlace(field: ReplaceOnlyField, from: unknown, to: unknown): boolean {
  return (IN_PLACE_CHANGES[field] ?? []).some((change) => (from ?? defaultOf(field)) === change.from && to === change.to);
}

/**
 * The replace-only fields whose new declaration the space can't take in place. An undeclared
 * field is not managed. A declared one compares with its previous declaration or, where there
 * was none, with the space as last read (an adopted space, or a field declared only now); never
 * with a refreshed value when a declaration exists, so a refresh can't cause a replacement.
 * `customers/my_customer` declared before stands for the id the space has.
 */
export function replacedFields(previous: ChatSpaceInputs, next: ChatSpaceInputs, live: LiveIdentity): ReplaceOnlyField[] {
  return REPLACE_ONLY.filter((field) => {
    const wanted = next[field];
    if (wanted === undefined) return false;
    // The space already has it (a failed update recorded a value it never applied, say): nothing
    // to replace. Live values only ever avoid a replacement here, never cause one.
    if (live[field] !== undefined && live[field] !== null && sameValue(field, live[field], wanted)) return false;
    let had: unknown = previous[field] !== undefined ? previous[field] : (live[field] ?? undefined);
    if (field === "customer" && had === OWN_CUSTOMER && live.customer) had = live.customer;
    if (sameValue(field, had, wanted)) return false;
    return !changesInPlace(field, had ?? defaultOf(field), wanted);
  });
}

/**
 * Where a space differs from a declaration in the fields Google sets at creation, as readable
 * sentences. `created`: the space came back from this declaration's create, so an undeclared
 * field must have Google's default (a space keyed on this declaration's requestId but made
 * otherwise is not this create's; one it made that changed in place since is
 * {@link changedInPlaceSince}'s to say). `adopted`: undeclared fields are not managed.
 */
export function identityConflicts(space: LiveIdentity, declared: ChatSpaceInputs, how: "created" | "adopted"): string[] {
  const conflicts: string[] = [];
  for (const field of REPLACE_ONLY) {
    let wanted: unknown = declared[field];
    if (wanted === undefined && how === "created") wanted = defaultOf(field);
    if (field === "createTime" && (how === "created" ? !sendsCreateTime(declared) : wanted === undefined)) continue;
    if (wanted === undefined) continue;
    const has = space[field] ?? defaultOf(field);
    // Google may leave customer out of an answer (consumer accounts, DMs): nothing to compare.
    if (field === "customer" && has === undefined) continue;
    if (sameValue(field, has, wanted)) continue;
    conflicts.push(`${field} is ${JSON.stringify(has ?? null)}, declared ${JSON.stringify(wanted)}`);
  }
  return conflicts;
}

/**
 * The replace-only fields in which a space this declaration's create made has changed in place
 * since (its import completed, a group chat made a space), as readable sentences: Google makes
 * neither change the other way ({@link IN_PLACE_CHANGES}), so the space can no longer be what the
 * declaration creates. Undeclared fields count at Google's defaults, as in a create.
 */
export function changedInPlaceSince(space: LiveIdentity, declared: ChatSpaceInputs): string[] {
  return REPLACE_ONLY.filter((field) => {
    const wanted = declared[field] ?? defaultOf(field);
    return wanted !== undefined && changesInPlace(field, wanted, space[field] ?? defaultOf(field));
  }).map((field) => `${field} is ${JSON.stringify(space[field] ?? defaultOf(field))}, declared ${JSON.stringify(declared[field] ?? defaultOf(field))}`);
}

/**
 * The replace-only values a create with this declaration sends, with Google's defaults for the
 * undeclared ones, as text: mixed into every derived requestId, so a replacement never reuses
 * the id of the space it replaces. The text is unchanged since 0.1.0: ids derived by earlier
 * releases can still be recomputed.
 */
export function identityKey(declared: ChatSpaceInputs): string {
  return JSON.stringify([
    declared.customer ?? "",
    declared.externalUserAllowed ?? GOOGLE_DEFAULTS.externalUserAllowed,
    declared.createTime ?? "",
    declared.spaceType ?? GOOGLE_DEFAULTS.spaceType,
    declared.importMode ?? GOOGLE_DEFAULTS.importMode,
  ]);
}

/**
 * Whether a create sends the declared `createTime`: only in import mode (v1.d.ts
 * `Schema$Space.createTime`: "output only, except when used in import mode spaces").
 */
export function sendsCreateTime(declared: ChatSpaceInputs): boolean {
  return declared.importMode === true;
}

/** Whether the declaration completes an import: only an explicit `importMode: false` does. */
export function leavesImportMode(liveImportMode: boolean, declared: ChatSpaceInputs): boolean {
  return liveImportMode && declared.importMode === false;
}
