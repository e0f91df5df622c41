/**
 * The whole roster of a space: `spaces.members.list` page after page (v1.d.ts
 * Params$Resource$Spaces$Members$List): the largest page, groups and invitations included.
 */
import type { chat_v1 } from "@googleapis/chat";
import type { ChatSpacesApi, Target } from "../core/chat-api";

/** members.list's largest page (v1.d.ts pageSize: at most 1000). */
export const ROSTER_PAGE_SIZE = 1000;
/** Required with admin access (v1.d.ts members.list `filter`): apps excluded, groups kept. */
export const ADMIN_MEMBER_FILTER = 'member.type != "BOT"';

export async function listRoster(api: ChatSpacesApi, space: string, useAdminAccess: boolean, target: Target): Promise<chat_v1.Schema$Membership[]> {
  const memberships: chat_v1.Schema$Membership[] = [];
  let pageToken: string | undefined;
  do {
    const page = await api.listMembers(
      space,
      { pageSize: ROSTER_PAGE_SIZE, pageToken, showGroups: true, showInvited: true, filter: useAdminAccess ? ADMIN_MEMBER_FILTER : undefined },
      { target },
    );
    memberships.push(...(page.memberships ?? []));
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
  return memberships;
}
