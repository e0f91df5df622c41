/**
 * `diff`: whether a declaration changes the space, and whether Google can apply the change in
 * place. Pure: no I/O.
 *
 * Replace decisions are the identity rules of identity.ts: declared values compared with
 * the previous declaration (kept in the outputs as `__declared`), never with refreshed values, and
 * an undeclared field is never a replacement. In-place changes compare the live space with the
 * declaration (see update-plan.ts), so drift shows in the next preview.
 */
import type { DiffResult } from "@pulumi/pulumi/dynamic";
import { type DetailedDiff, UNKNOWN } from "../core/engine-values";
import { DELETE_BEFORE_REPLACE, REPLACE_ONLY, type ReplaceOnlyField, replacedFields } from "./identity";
import { CREATION_ONLY_INPUTS } from "./inputs";
import { declarationOf, unfinished } from "./state";
import type { ChatSpaceInputs, ChatSpaceOutputs } from "./types";
import { planUpdate } from "./update-plan";

export interface SpaceDiff extends DiffResult {
  readonly changes: boolean;
  /** The replace-only fields the declaration changes (identity.ts). */
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
  /** The properties an in-place update would change, for messages and tests. */
  readonly updates: string[];
  /**
   * Each declared property the change concerns, by path: the replace-only fields replaced, and
   * the fields the update plan's calls change (update-plan.ts `fields`); `add` where the previous
   * declaration left the property out.
   */
  readonly detailedDiff: DetailedDiff;
}

export function diffSpace(olds: ChatSpaceOutputs, news: ChatSpaceInputs): SpaceDiff {
  const previous = declarationOf(olds);
  const unknownFields = Object.entries(news)
    .filter(([, v]) => containsUnknown(v))
    .map(([k]) => k);
  const knownNews = Object.fromEntries(Object.entries(news).filter(([k]) => !unknownFields.includes(k))) as ChatSpaceInputs;
  const isReplaceOnly = (k: string) => (REPLACE_ONLY as readonly string[]).includes(k);
  // Unknown until apply: say so honestly, as a possible replacement.
  const replaces = [...replacedFields(previous, knownNews, olds), ...(unknownFields.filter(isReplaceOnly) as ReplaceOnlyField[])];
  const plan = planUpdate(olds, knownNews, previous);
  const updates = [
    ...(plan.completeImport ? ["importMode"] : []),
    ...plan.patches.flatMap((p) => p.updateMask.split(",")),
    ...unknownFields.filter((k) => !isReplaceOnly(k) && !CREATION_ONLY_INPUTS.includes(k)),
  ];
  const changed = [
    ...replaces,
    ...(plan.completeImport ? ["importMode"] : []),
    ...plan.patches.flatMap((p) => p.fields),
    ...unknownFields.filter((k) => !isReplaceOnly(k) && !CREATION_ONLY_INPUTS.includes(k)),
  ];
  const detailedDiff: DetailedDiff = Object.fromEntries(changed.map((path) => [path, topLevel(path) in previous ? "update" : "add"]));
  return {
    // An unfinished state is read by the update, whatever the declaration.
    changes: replaces.length > 0 || updates.length > 0 || unfinished(olds),
    replaces,
    deleteBeforeReplace: replaces.length > 0 && DELETE_BEFORE_REPLACE,
    updates,
    detailedDiff,
  };
}

/** The property a path starts with: `spaceDetails` of `spaceDetails.description`. */
const topLevel = (path: string) => path.split(/[.[]/)[0];

/**
 * Why a diff must refuse a declaration whose adoptSpace names another space than the one this
 * resource manages (`id`): a program whose resource names moved, such as a later import that
 * gives `eng` to a newer space. An update would write that space's declaration onto this one.
 * Undefined when the declaration names no space, one not known yet (a preview), the resource's
 * own space (a space the provider created, declared by its own id later), or the space the
 * previous declaration named: after a replacement deleted an adopted space and made a new one,
 * the declaration still names the deleted space (provider.ts create), and that is no move.
 * `resource`: the resource's name, for the message.
 */
export function movedAdoption(resource: string, id: string, olds: ChatSpaceOutputs, news: ChatSpaceInputs): string | undefined {
  const adopt = news.adoptSpace;
  if (adopt === undefined || containsUnknown(adopt) || adopt === id || adopt === declarationOf(olds).adoptSpace) return undefined;
  return (
    `ChatSpace ${resource}: adoptSpace is ${adopt}, but this resource manages ${id}: the name now belongs to another space, ` +
    `and an update would write ${adopt}'s declaration onto ${id}. ` +
    "Keep the resource names of the program you deployed (from a later import, add only the blocks of spaces the stack doesn't manage yet), " +
    `or give this resource's state the name that now declares ${id} (\`pulumi state rename\`); to stop managing ${id}, ` +
    "`pulumi state delete` this resource (the space stays in Chat) and run up again."
  );
}

/** Whether a value is, or holds, a value the engine does not know yet (a preview). */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}
