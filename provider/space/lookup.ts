/**
 * Finding one existing space by its display name, without managing it: the lookup a program's
 * `ChatSpace.lookup` and the plugin's `googlechat:index:getSpace` make. With admin access, among
 * the organisation's spaces (`spaces.search`); otherwise among the spaces the caller is a member
 * of (`spaces.list`). Google matches `display_name` by words (search.ts `displayNameTerm`); the
 * exact name is picked from what it answers.
 */
import type { chat_v1 } from "@googleapis/chat";
import type { ChatSpacesApi } from "../core/chat-api";
import { searchQuery } from "./search";

/** spaces.list's and spaces.search's largest page (v1.d.ts pageSize). */
const PAGE_SIZE = 1000;

/** What to look a space up by. */
export interface SpaceLookupArgs {
  /**
   * The space's display name, exactly (unique in an organisation).
   * @example "Engineering"
   */
  readonly displayName: string;
}

/** The space found. */
export interface SpaceLookupResult {
  /** The space's resource name, `spaces/{space}`: what a membership's `space` takes. */
  readonly name: string;
  readonly displayName: string;
  /** The link people open the space with. */
  readonly spaceUri: string;
  readonly spaceType: string;
  readonly externalUserAllowed: boolean;
  /** The organisation's `customers/{id}`, when Google returns it. */
  readonly customer?: string;
}

/**
 * Finds an existing space by its exact display name, without managing it: with
 * `googlechat:useAdminAccess`, among the organisation's spaces; otherwise among the spaces the
 * configured caller is a member of. Fails when no space, or more than one, has that name.
 * @param who the caller, named in messages: `ChatSpace.lookup`, `getSpace`.
 */
export async function lookupSpace(api: ChatSpacesApi, useAdminAccess: boolean, args: SpaceLookupArgs, who: string): Promise<SpaceLookupResult> {
  if (typeof args?.displayName !== "string" || args.displayName.trim() === "") throw new Error(`${who}: give the space's displayName.`);
  const where = useAdminAccess
    ? "the organisation's spaces (spaces.search with admin access)"
    : "the spaces the configured caller is a member of (spaces.list)";
  const matches = await spacesNamed(api, useAdminAccess, args.displayName);
  if (matches.length === 0) {
    throw new Error(
      `${who}: no space is named "${args.displayName}" among ${where}. Check the name (it must match exactly), ` +
        `or the credentials${useAdminAccess ? "" : ": add the caller to the space, or set googlechat:useAdminAccess as a Workspace administrator"}.`,
    );
  }
  if (matches.length > 1) {
    throw new Error(
      `${who}: ${matches.length} spaces are named "${args.displayName}" among ${where}: ` +
        `${matches.map((s) => `${s.name} (${s.customer ?? "no customer"})`).join(", ")}. Refer to the one you mean by its name instead.`,
    );
  }
  const [space] = matches;
  return {
    name: space.name ?? "",
    displayName: space.displayName ?? "",
    spaceUri: space.spaceUri ?? "",
    spaceType: space.spaceType ?? "",
    externalUserAllowed: space.externalUserAllowed === true,
    ...(space.customer ? { customer: space.customer } : {}),
  };
}

/**
 * Every SPACE named exactly `displayName`: with admin access among the organisation's spaces
 * (`spaces.search`), otherwise among the spaces the caller is a member of (`spaces.list`, which
 * leaves out spaces in import mode: v1.d.ts `Schema$Space.importMode`, "aren't visible to users").
 */
export async function spacesNamed(api: ChatSpacesApi, useAdminAccess: boolean, displayName: string): Promise<chat_v1.Schema$Space[]> {
  const matches: chat_v1.Schema$Space[] = [];
  let pageToken: string | undefined;
  do {
    let page: chat_v1.Schema$Space[];
    if (useAdminAccess) {
      // display_name HAS matches the name's words (a `"` can't be sent: displayNameTerm); the
      // exact name is picked from what it finds. With no word to search for, every space is read.
      const query = searchQuery({ admin: true, spaceTypes: [], displayNames: [displayName], historyStates: [], pageSize: PAGE_SIZE });
      const answer = await api.searchSpaces({ query, pageSize: PAGE_SIZE, pageToken });
      page = answer.results?.map((r) => r.space ?? {}) ?? answer.spaces ?? [];
      pageToken = answer.nextPageToken ?? undefined;
    } else {
      const answer = await api.listSpaces({ filter: 'space_type = "SPACE"', pageSize: PAGE_SIZE, pageToken });
      page = answer.spaces ?? [];
      pageToken = answer.nextPageToken ?? undefined;
    }
    matches.push(...page.filter((space) => space.displayName === displayName));
  } while (pageToken);
  return matches;
}
