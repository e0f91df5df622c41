/**
 * The roster of each imported space, as a `ChatSpaceMembers` declaration that adopts it as it is
 * (provider/space-members/declaration.ts): one `spaces.members.list` per space (pages of 1000,
 * groups and invited users included, invitations under user authentication only; v1.d.ts
 * Params$Resource$Spaces$Members$List), through the
 * provider's Chat client and its read quota.
 */
import type { chat_v1 } from "@googleapis/chat";
import type { ChatSpacesApi } from "../../provider/core/chat-api";
import type { Authentication } from "../../provider/core/settings";
import { entryOf } from "../../provider/members/memberships";
import { declareRoster, type RosterDeclaration } from "../../provider/space-members/declaration";
import type { ListingProgress } from "./progress";

export type { RosterDeclaration } from "../../provider/space-members/declaration";

/** How many rosters are read at once: the rate limiter paces them, this bounds what waits. */
const IN_FLIGHT = 8;
/** members.list's largest page (v1.d.ts pageSize). */
const PAGE_SIZE = 1000;
/** Required with admin access (v1.d.ts members.list `filter`): apps excluded, groups kept. */
const ADMIN_FILTER = 'member.type != "BOT"';

/** One listing per space, `IN_FLIGHT` at a time; answers the rosters by space. */
export async function readRosters(
  api: ChatSpacesApi,
  spaces: readonly string[],
  admin: boolean,
  auth: Authentication,
  progress: ListingProgress,
): Promise<Map<string, RosterDeclaration>> {
  const rosters = new Map<string, RosterDeclaration>();
  let next = 0;
  let failed = false;
  const worker = async () => {
    // After a failure, the other workers stop at their next space: the command reports it and ends.
    while (!failed && next < spaces.length) {
      const space = spaces[next++];
      try {
        rosters.set(space, await readRoster(api, space, admin, auth));
      } catch (error) {
        failed = true;
        throw error;
      }
      progress.update(rosters.size, spaces.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, spaces.length) }, worker));
  progress.finish();
  return rosters;
}

/** `auth`: how the listing is made (with app authentication Google lists no invitation: declaration.ts). */
export async function readRoster(api: ChatSpacesApi, space: string, admin: boolean, auth: Authentication): Promise<RosterDeclaration> {
  const memberships: chat_v1.Schema$Membership[] = [];
  let pageToken: string | undefined;
  do {
    const page = await api.listMembers(
      space,
      { pageSize: PAGE_SIZE, pageToken, showGroups: true, showInvited: true, ...(admin ? { filter: ADMIN_FILTER } : {}) },
      admin ? { adminAccess: true } : { userAccess: true },
    );
    memberships.push(...(page.memberships ?? []));
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
  return declareRoster(space, memberships.map(entryOf), auth);
}
