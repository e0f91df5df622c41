/**
 * How the preview log lines of rosters and memberships say what only the up knows: a value that is
 * another resource's output, unknown at preview (such as a ChatSpace's `name` while that space
 * changes). Written by the providers' diffs, read back by the plan summary. Imports nothing: the
 * plan command loads it without the provider (or @pulumi/pulumi).
 */

/** What a role unknown at preview reads as, in a line and in the plan summary. */
export const KNOWN_AT_UP = "known only at up";

/**
 * The space and member a resource's state records, where its declaration's are unknown at preview:
 * the preview plans a replacement, and the up, each the same, an update. The plan of that update
 * holds only then.
 */
export interface SameAtUp {
  readonly space?: string;
  readonly member?: string;
}

/**
 * When a plan made against {@link SameAtUp} does not happen: `the space is another than spaces/…`,
 * `the member is another than users/…`, or both joined by `or`, then `at up (known only then)`.
 */
export function anotherAtUp({ space, member }: SameAtUp): string {
  const parts = [
    space === undefined ? [] : [`the space is another than ${space}`],
    member === undefined ? [] : [`the member is another than ${member}`],
  ].flat();
  return `${parts.join(" or ")} at up (known only then)`;
}

/** {@link anotherAtUp} as a regular expression's source: group 1 the space, 2 or 3 the member. */
export const ANOTHER_AT_UP =
  "(?:the space is another than (\\S+)(?: or the member is another than (\\S+))?|the member is another than (\\S+)) at up \\(known only then\\)";

/** The {@link SameAtUp} of an {@link ANOTHER_AT_UP} match's groups (from its first). */
export function sameAtUpOf(groups: readonly (string | undefined)[]): SameAtUp {
  const [space, member, memberAlone] = groups;
  return { ...(space !== undefined ? { space } : {}), ...((member ?? memberAlone) !== undefined ? { member: member ?? memberAlone } : {}) };
}
