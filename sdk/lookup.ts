/**
 * Finding an existing space from a program that only refers to it (to add a membership, say),
 * without managing it: {@link lookupSpace}, also `ChatSpace.lookup`. It signs in as the
 * program's ChatSpace provider does: the stack's `googlechat:` config and the environment,
 * resolved by the provider's own resolveSettings, and calls Google through the provider's
 * Chat client (retries, read quotas). Each lookup runs once per process, so once per
 * deployment, however often the program asks.
 */
import * as pulumi from "@pulumi/pulumi";
import type { chat_v1 } from "@googleapis/chat";
import { searchQuery } from "../commands/import-source";
import { ChatSpacesApi } from "../provider/core/chat-api";
import { engineLog } from "../provider/core/engine-log";
import { type ProviderSettings, resolveSettings } from "../provider/core/settings";

/** spaces.list's and spaces.search's largest page (v1.d.ts pageSize). */
const PAGE_SIZE = 1000;

/** What to look a space up by. */
export interface ChatSpaceLookupArgs {
  /**
   * The space's display name, exactly (unique in an organisation).
   * @example "Engineering"
   */
  readonly displayName: string;
}

/** The space found. */
export interface ChatSpaceLookupResult {
  /** The space's resource name, `spaces/{space}`: what `ChatMembership`'s `space` takes. */
  readonly name: string;
  readonly displayName: string;
  /** The link people open the space with. */
  readonly spaceUri: string;
  readonly spaceType: string;
  readonly externalUserAllowed: boolean;
  /** The organisation's `customers/{id}`, when Google returns it. */
  readonly customer?: string;
}

/** Lookups of this process, by what they ask and whom they ask as. */
const lookups = new Map<string, Promise<ChatSpaceLookupResult>>();

/**
 * The space named `args.displayName`. With `googlechat:useAdminAccess`, among the organisation's
 * spaces (`spaces.search` with admin access); otherwise among the spaces the configured caller
 * is a member of (`spaces.list`). Rejects when no space, or more than one, has that name.
 */
export function lookupSpace(args: ChatSpaceLookupArgs): Promise<ChatSpaceLookupResult> {
  // Checked before the cache key reads the name: a JavaScript caller may pass nothing at all.
  if (typeof args?.displayName !== "string" || args.displayName.trim() === "") {
    return Promise.reject(new Error("ChatSpace.lookup: give the space's displayName."));
  }
  const config = new pulumi.Config("googlechat");
  const settings = resolveSettings((key) => config.get(key.slice("googlechat:".length)), process.env);
  const key = JSON.stringify([args.displayName, settings.apiEndpoint, settings.auth, settings.impersonateUser ?? "", settings.useAdminAccess]);
  let found = lookups.get(key);
  if (!found) {
    found = find(args, settings);
    lookups.set(key, found);
  }
  return found;
}

async function find(args: ChatSpaceLookupArgs, settings: ProviderSettings): Promise<ChatSpaceLookupResult> {
  const api = new ChatSpacesApi(settings, {
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    log: engineLog(),
  });
  const where = settings.useAdminAccess ? "the organisation's spaces (spaces.search with admin access)" : "the spaces the configured caller is a member of (spaces.list)";
  const matches: chat_v1.Schema$Space[] = [];
  let pageToken: string | undefined;
  do {
    let page: chat_v1.Schema$Space[];
    if (settings.useAdminAccess) {
      // display_name HAS matches the name's words (a `"` can't be sent: displayNameTerm); the
      // exact name is picked from what it finds. With no word to search for, every space is read.
      const query = searchQuery({ admin: true, spaceTypes: [], displayNames: [args.displayName], historyStates: [], pageSize: PAGE_SIZE });
      const answer = await api.searchSpaces({ query, pageSize: PAGE_SIZE, pageToken });
      page = answer.results?.map((r) => r.space ?? {}) ?? answer.spaces ?? [];
      pageToken = answer.nextPageToken ?? undefined;
    } else {
      const answer = await api.listSpaces({ filter: 'space_type = "SPACE"', pageSize: PAGE_SIZE, pageToken });
      page = answer.spaces ?? [];
      pageToken = answer.nextPageToken ?? undefined;
    }
    matches.push(...page.filter((space) => space.displayName === args.displayName));
  } while (pageToken);
  if (matches.length === 0) {
    throw new Error(
      `ChatSpace.lookup: no space is named "${args.displayName}" among ${where}. Check the name (it must match exactly), or the credentials${settings.useAdminAccess ? "" : ": add the caller to the space, or set googlechat:useAdminAccess as a Workspace administrator"}.`,
    );
  }
  if (matches.length > 1) {
    throw new Error(
      `ChatSpace.lookup: ${matches.length} spaces are named "${args.displayName}" among ${where}: ${matches.map((s) => `${s.name} (${s.customer ?? "no customer"})`).join(", ")}. Refer to the one you mean by its name instead.`,
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
