/**
 * Finding an existing space from a program that only refers to it (to add a membership, say),
 * without managing it: {@link lookupSpace}, also `ChatSpace.lookup`. It signs in as the
 * program's ChatSpace provider does: the stack's `googlechat:` config and the environment,
 * resolved by the provider's own resolveSettings, and calls Google through the provider's
 * Chat client (retries, read quotas). Each lookup runs once per process, so once per
 * deployment, however often the program asks.
 */
import * as pulumi from "@pulumi/pulumi";
import { ChatSpacesApi } from "../provider/core/chat-api";
import { engineLog } from "../provider/core/engine-log";
import { resolveSettings } from "../provider/core/settings";
import { lookupSpace as lookupWith, type SpaceLookupArgs, type SpaceLookupResult } from "../provider/space/lookup";

/** What to look a space up by. */
export type ChatSpaceLookupArgs = SpaceLookupArgs;

/** The space found. */
export type ChatSpaceLookupResult = SpaceLookupResult;

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
    const api = new ChatSpacesApi(settings, {
      now: Date.now,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      random: Math.random,
      log: engineLog(),
    });
    found = lookupWith(api, settings.useAdminAccess, args, "ChatSpace.lookup");
    lookups.set(key, found);
  }
  return found;
}
