/**
 * Where `pulumi-googlechat import` finds spaces: the organisation's, through `spaces.search` with
 * admin access and Google's query (v1.d.ts Params$Resource$Spaces$Search), or the caller's own,
 * through `spaces.list` (filtered by space type only: v1.d.ts Params$Resource$Spaces$List).
 * Every page goes through the provider's Chat client: its retries and the shared rate limiter.
 */
import type { chat_v1 } from "@googleapis/chat";
import type { ChatSpacesApi } from "../../provider/core/chat-api";
import { listFilter, type SpaceFilter, searchQuery } from "../../provider/space/search";
import type { ListingProgress } from "./progress";

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
