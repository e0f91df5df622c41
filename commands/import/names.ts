/**
 * Pulumi resource names for imported spaces: readable, unique, and stable across runs,
 * so that importing again gives the same program. A changed name is a different resource to
 * Pulumi: a delete and a create, or with retainOnDelete a discard and a new adoption, the roster's
 * too (its name is the space's with `-members`).
 *
 * - A SPACE is named after its display name: lowercase letters (any script: Pulumi names are
 *   Unicode), digits and the marks written with them, other runs of characters as one `-`, at
 *   most {@link MAX_SLUG} characters (its slug). Accents on Latin letters are dropped (`Ünïcode`
 *   → `unicode`, as before other scripts were kept: names already imported don't change); other
 *   scripts keep theirs (`Йога` → `йога`, not `иога`, another word).
 * - Of the spaces whose display names give one slug, the one created first keeps the bare slug
 *   (`eng`); each later one is `slug--{id}` (`eng--AAAAPhMsFf0`). Google sets createTime only
 *   "for spaces created in Chat" (v1.d.ts Schema$Space.createTime): a space without one (migrated,
 *   legacy) was made before Chat existed, so it counts as the oldest (then by id), and no space
 *   made later takes the bare slug from it. A group chat has no display name: always
 *   `group-chat--{id}`; a space whose display name gives no slug (emoji only): `space--{id}`.
 *   Creation time and id never change, so a space's name depends only on itself and on the
 *   spaces created before it with the same slug: a space that appears next month never renames
 *   the ones already imported. Only a space older than a named one, with its slug, takes the bare
 *   slug from it (a space the listing did not show before: another filter, or the caller added
 *   to an older space); removing the bare slug's holder gives it to the next oldest. The command
 *   names every space it finds, declared or left out (program.ts), so a space left out
 *   today (in import mode, say) still holds its place and takes no name from another later.
 * - The `--` separator keeps the two kinds of names apart whatever Google's ids look like: a slug
 *   never holds `--` (runs collapse to one `-`), so no display name (not even "eng AAAAPhMsFf0")
 *   slugs to a suffixed name, and since a slug also never ends with `-`, the first `--` of a
 *   suffixed name ends its slug: two spaces' suffixed names differ in slug or in id.
 */

export const MAX_SLUG = 48;

/** Before a group chat's id: Google gives group chats no display name. */
const GROUP_CHAT = "group-chat";
/** Before the id of a space whose display name gives no slug. */
const UNSLUGGED_SPACE = "space";
/** Between a slug and a space id; never inside a slug. */
const SEPARATOR = "--";

/** What a name is derived from. */
export interface NamedSpace {
  /** `spaces/{id}`. */
  readonly name: string;
  /** The space's display name; a group chat's is not read. */
  readonly displayName: string;
  /** A group chat (spaceType GROUP_CHAT): named `group-chat--{id}`, whatever its display name. */
  readonly groupChat?: boolean;
  /** RFC 3339, as Google answers it; absent or unreadable: counted as the oldest. */
  readonly createTime?: string;
}

/**
 * Lowercase letters, digits and marks, other runs of characters as one `-`; never holds `--`,
 * never starts or ends with `-`, no word starts with a mark. Deterministic: toLowerCase is
 * Unicode's default case mapping, the same in every locale (but the Unicode version is the
 * JavaScript engine's: a letter newer than a Node's Unicode data is a `-` to it).
 */
export function slugOf(displayName: string): string {
  const slug = displayName
    .normalize("NFKD")
    .toLowerCase()
    .replace(/(\p{Script=Latin})[\u0300-\u036f]+/gu, "$1")
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, "-")
    // A mark with no letter or digit before it in its word (" \u0301abc") would start an invisible name.
    .replace(/(^|-)\p{M}+/gu, "$1");
  // By code points: a cut never splits a letter written as two UTF-16 units.
  return Array.from(slug)
    .slice(0, MAX_SLUG)
    .join("")
    .replace(/^-+|-+$/g, "");
}

/** One name per space, `spaces/{id}` → resource name. */
export function resourceNames(spaces: readonly NamedSpace[]): Map<string, string> {
  const names = new Map<string, string>();
  const suffixed = (prefix: string, space: NamedSpace) => `${prefix}${SEPARATOR}${space.name.replace(/^spaces\//, "")}`;
  const bySlug = new Map<string, NamedSpace[]>();
  for (const space of spaces) {
    const slug = space.groupChat ? "" : slugOf(space.displayName);
    if (slug) bySlug.set(slug, [...(bySlug.get(slug) ?? []), space]);
    else names.set(space.name, suffixed(space.groupChat ? GROUP_CHAT : UNSLUGGED_SPACE, space));
  }
  for (const [slug, sharing] of bySlug) {
    const [first] = [...sharing].sort(createdFirst);
    for (const space of sharing) names.set(space.name, space === first ? slug : suffixed(slug, space));
  }
  return names;
}

/** Creation time, oldest first (none or unreadable: oldest of all), then space name: an order no other space changes. */
function createdFirst(a: NamedSpace, b: NamedSpace): number {
  const at = (s: NamedSpace) => {
    const time = s.createTime === undefined ? NaN : Date.parse(s.createTime);
    return Number.isNaN(time) ? -Infinity : time;
  };
  return at(a) - at(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
