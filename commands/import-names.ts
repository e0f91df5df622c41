/**
 * Pulumi resource names for imported spaces: readable, unique, and stable across runs (issue 13),
 * so that importing again gives the same program. A changed name is a different resource to
 * Pulumi: a delete and a create, or with retainOnDelete a discard and a new adoption, the roster's
 * too (its name is the space's with `-members`).
 *
 * - A SPACE is named after its display name: lowercase letters and digits, other runs of
 *   characters as one `-`, at most {@link MAX_SLUG} characters (its slug).
 * - Of the spaces whose display names give one slug, the one created first keeps the bare slug
 *   (`eng`); each later one is `slug--{id}` (`eng--AAAAPhMsFf0`). A group chat has no display
 *   name: always `group-chat--{id}`. Creation time and id never change, so a space's name depends
 *   only on itself and on the spaces created before it with the same slug: a space that appears
 *   next month never renames the ones already imported. Only a space older than a named one, with
 *   its slug, takes the bare slug from it (a space the listing did not show before: another
 *   filter, or the caller added to an older space); removing the bare slug's holder gives it to
 *   the next oldest.
 * - The `--` separator keeps the two kinds of names apart whatever Google's ids look like: a slug
 *   never holds `--` (runs collapse to one `-`), so no display name (not even "eng AAAAPhMsFf0")
 *   slugs to a suffixed name, and since a slug also never ends with `-`, the first `--` of a
 *   suffixed name ends its slug: two spaces' suffixed names differ in slug or in id.
 */

export const MAX_SLUG = 48;

/** The slug of group chats, which have no display name (and of a name with no letter or digit). */
const UNNAMED = "group-chat";
/** Between a slug and a space id; never inside a slug. */
const SEPARATOR = "--";

/** What a name is derived from. */
export interface NamedSpace {
  /** `spaces/{id}`. */
  readonly name: string;
  /** Empty for a group chat. */
  readonly displayName: string;
  /** RFC 3339, as Google answers it; absent or unreadable: counted as the newest. */
  readonly createTime?: string;
}

/** Lowercase letters and digits, other runs of characters as one `-`; never holds `--`. */
export function slugOf(displayName: string): string {
  return displayName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, MAX_SLUG)
    .replace(/^-+|-+$/g, "");
}

/** One name per space, `spaces/{id}` → resource name. */
export function resourceNames(spaces: readonly NamedSpace[]): Map<string, string> {
  const bySlug = new Map<string, NamedSpace[]>();
  for (const space of spaces) {
    const slug = slugOf(space.displayName) || UNNAMED;
    bySlug.set(slug, [...(bySlug.get(slug) ?? []), space]);
  }
  const names = new Map<string, string>();
  for (const [slug, sharing] of bySlug) {
    const first = slug === UNNAMED ? undefined : [...sharing].sort(createdFirst)[0];
    for (const space of sharing) names.set(space.name, space === first ? slug : `${slug}${SEPARATOR}${space.name.replace(/^spaces\//, "")}`);
  }
  return names;
}

/** Creation time, oldest first (none: newest), then space name: an order no other space changes. */
function createdFirst(a: NamedSpace, b: NamedSpace): number {
  const at = (s: NamedSpace) => {
    const time = s.createTime === undefined ? NaN : Date.parse(s.createTime);
    return Number.isNaN(time) ? Infinity : time;
  };
  return at(a) - at(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
