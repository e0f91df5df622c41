/**
 * Where `pulumi-googlechat import` finds spaces: the organisation's, through `spaces.search` with
 * admin access and Google's query (v1.d.ts Params$Resource$Spaces$Search), or the caller's own,
 * through `spaces.list` (filtered by space type only: v1.d.ts Params$Resource$Spaces$List).
 * Every page goes through the provider's Chat client: its retries and the shared rate limiter.
 */
import type { chat_v1 } from "@googleapis/chat";
import type { ChatSpacesApi } from "../provider/core/chat-api";
import type { ListingProgress } from "./import-progress";

/** The spaces to find. Search-only filters need `admin`. */
export interface SpaceFilter {
  /** Search the organisation with admin access (spaces.search) instead of listing the caller's spaces. */
  admin: boolean;
  /** spaces.list: SPACE, GROUP_CHAT, DIRECT_MESSAGE (any of them); spaces.search takes SPACE only. */
  spaceTypes: string[];
  /** Any of these texts, matched as Google matches `display_name:` (token prefixes). */
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
export const SEARCH_ONLY: readonly (keyof SpaceFilter)[] = ["displayNames", "externalUserAllowed", "historyStates", "createdAfter", "createdBefore", "activeAfter", "activeBefore"];

/** Google's search query for `filter` (admin access): the required terms, then one clause per filter. */
export function searchQuery(filter: SpaceFilter): string {
  const quote = (s: string) => JSON.stringify(s);
  const anyOf = (terms: string[]) => (terms.length === 1 ? terms[0] : `(${terms.join(" OR ")})`);
  const interval = (field: string, after?: string, before?: string) => {
    const bounds = [...(after ? [`${field} > ${quote(after)}`] : []), ...(before ? [`${field} < ${quote(before)}`] : [])];
    return bounds.length === 2 ? `(${bounds.join(" AND ")})` : bounds[0];
  };
  const clauses = [
    'customer = "customers/my_customer"',
    'space_type = "SPACE"',
    filter.displayNames.length > 0 ? anyOf(filter.displayNames.map((text) => `display_name:${quote(text)}`)) : undefined,
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

/** Every space the filter finds, page by page; `dryRun` still pages (the count is the answer). */
export async function findSpaces(api: ChatSpacesApi, filter: SpaceFilter, progress: ListingProgress): Promise<chat_v1.Schema$Space[]> {
  const spaces: chat_v1.Schema$Space[] = [];
  let pageToken: string | undefined;
  do {
    if (filter.admin) {
      const page = await api.searchSpaces({ query: searchQuery(filter), orderBy: "create_time ASC", pageSize: filter.pageSize, pageToken });
      spaces.push(...(page.results?.map((r) => r.space ?? {}) ?? page.spaces ?? []));
      pageToken = page.nextPageToken ?? undefined;
      progress.update(spaces.length, page.totalSize ?? undefined);
    } else {
      const page = await api.listSpaces({ filter: listFilter(filter), pageSize: filter.pageSize, pageToken });
      spaces.push(...(page.spaces ?? []));
      pageToken = page.nextPageToken ?? undefined;
      progress.update(spaces.length);
    }
  } while (pageToken);
  progress.finish();
  return spaces;
}
