/**
 * How the preview log lines of rosters and memberships say what only the up knows: a value that is
 * another resource's output, unknown at preview (such as a ChatSpace's `name` while that space
 * changes). Written by the providers' diffs, read back by the plan summary. Imports nothing: the
 * plan command loads it without the provider (or @pulumi/pulumi).
 */

/** What a role unknown at preview reads as, in a line and in the plan summary. */
export const KNOWN_AT_UP = "known only at up";

/**
 * `the space is another than <space> at up (known only then)`: when a plan made against the state's
 * space while `space` is unknown at preview does not happen. The preview plans a replacement, and
 * the up, the space the same, an update: the plan is that update's.
 */
export const anotherSpaceAtUp = (space: string): string => `the space is another than ${space} at up (known only then)`;

/** {@link anotherSpaceAtUp} as a regular expression's source, any space. */
export const ANOTHER_SPACE_AT_UP = "the space is another than \\S+ at up \\(known only then\\)";
