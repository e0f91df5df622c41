/**
 * How the preview log lines of rosters and memberships say what only the up knows: a value that is
 * another resource's output, unknown at preview (such as a ChatSpace's `name` while that space
 * changes). Written by the providers' diffs, read back by the plan summary. Imports nothing: the
 * plan command loads it without the provider (or @pulumi/pulumi).
 */

/** What a role unknown at preview reads as, in a line and in the plan summary. */
export const KNOWN_AT_UP = "known only at up";

/** What a {@link SameAtUp} time not declared reads as. */
export const UNDECLARED = "none";

/**
 * The identity a resource's state records, where its declaration's is unknown at preview: its
 * space; a membership's member and import-mode times too ({@link UNDECLARED} for a time not declared). The
 * preview plans a replacement, and the up, each the same, an update: the plan of that update holds
 * only then.
 */
export interface SameAtUp {
  readonly space?: string;
  readonly member?: string;
  readonly createTime?: string;
  readonly deleteTime?: string;
}

/** How a line names each {@link SameAtUp} field, in the order it names them. */
const NAMED: Readonly<Record<keyof SameAtUp, string>> = { space: "the space", member: "the member", createTime: "createTime", deleteTime: "deleteTime" };
const FIELDS = Object.keys(NAMED) as (keyof SameAtUp)[];

/**
 * When a plan made against {@link SameAtUp} does not happen: `the space is another than spaces/…`,
 * `the member is another than users/…`, `createTime is another than …`, joined by `or`, then
 * `at up (known only then)`.
 */
export function anotherAtUp(same: SameAtUp): string {
  const parts = FIELDS.filter((field) => same[field] !== undefined).map((field) => `${NAMED[field]} is another than ${same[field]}`);
  return `${parts.join(" or ")} at up (known only then)`;
}

const NAMES = Object.values(NAMED).join("|");

/** {@link anotherAtUp} as a regular expression's source, its one group the condition before `at up`. */
export const ANOTHER_AT_UP = `((?:${NAMES}) is another than \\S+(?: or (?:${NAMES}) is another than \\S+)*) at up \\(known only then\\)`;

/** The {@link SameAtUp} an {@link ANOTHER_AT_UP} match's group names. */
export function sameAtUpOf(condition: string): SameAtUp {
  const named = Object.fromEntries(FIELDS.map((field) => [NAMED[field], field]));
  return Object.fromEntries([...condition.matchAll(new RegExp(`(${NAMES}) is another than (\\S+)`, "g"))].map(([, name, value]) => [named[name], value]));
}
