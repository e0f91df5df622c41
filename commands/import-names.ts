/**
 * Pulumi resource names for imported spaces: readable, unique, and the same on every run, so
 * that importing again gives the same program (a changed name would be a new resource to Pulumi).
 *
 * - A SPACE is named after its display name (unique in an organisation): lowercase words joined
 *   by `-`, at most {@link MAX_SLUG} characters.
 * - Where two display names give the same slug, or a space has no name (a group chat), the space
 *   id follows the slug: `eng-AAAAPhMsFf0`, `group-chat-AAAAxyz1234`. Ids never change, so the
 *   rule depends only on the spaces that share the slug.
 */

export const MAX_SLUG = 48;

/** Lowercase letters and digits, other runs of characters as one `-`. */
export function slugOf(displayName: string): string {
  const slug = displayName
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, MAX_SLUG)
    .replace(/^-+|-+$/g, "");
  return slug;
}

/** One name per space, `spaces/{id}` → resource name. */
export function resourceNames(spaces: readonly { name: string; displayName: string }[]): Map<string, string> {
  const bySlug = new Map<string, string[]>();
  for (const space of spaces) {
    const slug = slugOf(space.displayName) || "group-chat";
    bySlug.set(slug, [...(bySlug.get(slug) ?? []), space.name]);
  }
  const names = new Map<string, string>();
  for (const [slug, members] of bySlug) {
    const shared = members.length > 1 || slug === "group-chat";
    for (const name of members) names.set(name, shared ? `${slug}-${name.replace(/^spaces\//, "")}` : slug);
  }
  return names;
}
