/**
 * Google's queries for finding spaces (v1.d.ts Params$Resource$Spaces$Search `query`,
 * Params$Resource$Spaces$List `filter`): the one home of how a display name and the other
 * filters are asked for, used by the lookup (space/lookup.ts), the plugin's getSpace and the
 * import command.
 */

/** The spaces to find. Search-only filters need `admin`. */
export interface SpaceFilter {
  /** Search the organisation with admin access (spaces.search) instead of listing the caller's spaces. */
  admin: boolean;
  /** spaces.list: SPACE, GROUP_CHAT, DIRECT_MESSAGE (any of them); spaces.search takes SPACE only. */
  spaceTypes: string[];
  /** Any of these texts, matched as Google matches `display_name:` (token prefixes); each needs a letter or digit ({@link displayNameTerm}). */
  displayNames: string[];
  externalUserAllowed?: boolean;
  historyStates: string[];
  createdAfter?: string;
  createdBefore?: string;
  activeAfter?: string;
  activeBefore?: string;
  pageSize: number;
}

/** The search's own fields, for the refusal of a listing that names them. */
export const SEARCH_ONLY: readonly (keyof SpaceFilter)[] = [
  "displayNames",
  "externalUserAllowed",
  "historyStates",
  "createdAfter",
  "createdBefore",
  "activeAfter",
  "activeBefore",
];

/**
 * The `display_name:` term that finds the display names holding `text`'s words, or none when it
 * has no letter or digit (no word to search for). Google documents no escape inside a query's
 * quoted value (v1.d.ts spaces.search `query`), so a `"` can't be sent as written, nor a `\` or a
 * line break (JSON's escapes would reach Google as letters). None of them is part of a word:
 * Google tokenizes the text and prefix-matches each token against the display name's words
 * (`Fun Eve` matches `The evening was fun`), so each run of them becomes one space, and the term
 * finds what the text's own words find: `Say "hi"` → `display_name:"Say hi"`. A caller that needs
 * the exact name keeps it by filtering what Google answers (sdk/lookup.ts).
 */
export function displayNameTerm(text: string): string | undefined {
  const words = text.replace(/["\\\p{Cc}\s]+/gu, " ").trim();
  return /[\p{L}\p{N}]/u.test(words) ? `display_name:"${words}"` : undefined;
}

/** Google's search query for `filter` (admin access): the required terms, then one clause per filter. */
export function searchQuery(filter: SpaceFilter): string {
  const quote = (s: string) => JSON.stringify(s);
  const anyOf = (terms: string[]) => (terms.length === 1 ? terms[0] : `(${terms.join(" OR ")})`);
  const names = filter.displayNames.map(displayNameTerm).filter((term): term is string => term !== undefined);
  const interval = (field: string, after?: string, before?: string) => {
    const bounds = [...(after ? [`${field} > ${quote(after)}`] : []), ...(before ? [`${field} < ${quote(before)}`] : [])];
    return bounds.length === 2 ? `(${bounds.join(" AND ")})` : bounds[0];
  };
  const clauses = [
    'customer = "customers/my_customer"',
    'space_type = "SPACE"',
    names.length > 0 ? anyOf(names) : undefined,
    filter.externalUserAllowed !== undefined ? `external_user_allowed = ${quote(String(filter.externalUserAllowed))}` : undefined,
    filter.historyStates.length > 0 ? anyOf(filter.historyStates.map((state) => `space_history_state = ${quote(state)}`)) : undefined,
    interval("create_time", filter.createdAfter, filter.createdBefore),
    interval("last_active_time", filter.activeAfter, filter.activeBefore),
  ];
  return clauses.filter((c): c is string => c !== undefined).join(" AND ");
}

/** spaces.list's filter for the space types, or none for every type. */
export function listFilter(filter: SpaceFilter): string | undefined {
  return filter.spaceTypes.length > 0 ? filter.spaceTypes.map((t) => `space_type = ${JSON.stringify(t)}`).join(" OR ") : undefined;
}
