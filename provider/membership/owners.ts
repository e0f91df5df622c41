/**
 * The space's owners as Google has them now: one rule for ChatMembership and ChatSpaceMembers,
 * read just before a write that removes or demotes a ROLE_MANAGER (the state can't tell whether
 * owners were made or left in Chat since), so a space is never left without one (issue 11).
 */
import type { chat_v1 } from "@googleapis/chat";
import type { ChatSpacesApi, Target } from "../core/chat-api";

/** ROLE_MANAGER: shown as Owner in Chat (v1.d.ts Schema$Membership.role). */
export const OWNER = "ROLE_MANAGER";

/** The space's owners; admin access may list them too, since it requires a member.type term (v1.d.ts members.list `filter`). */
export const OWNERS_FILTER = `member.type = "HUMAN" AND role = "${OWNER}"`;

/**
 * The space's JOINED owners, every page: members.list lists no invitation without showInvited,
 * and an invited owner can't keep a space (fuzz fixture roster-delete-leaves-invited-owner).
 */
export async function listJoinedOwners(api: ChatSpacesApi, space: string, target: Target): Promise<chat_v1.Schema$Membership[]> {
  const owners: chat_v1.Schema$Membership[] = [];
  let pageToken: string | undefined;
  do {
    const page = await api.listMembers(space, { filter: OWNERS_FILTER, pageSize: 1000, pageToken }, { target });
    owners.push(...(page.memberships ?? []).filter((m) => m.state === undefined || m.state === null || m.state === "JOINED"));
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
  return owners;
}
