/**
 * A space is never left without an owner (ROLE_MANAGER, shown as Owner in Chat): the rule a
 * ChatMembership and a ChatSpaceMembers roster apply before any write that removes or demotes
 * an owner. The state can't tell whether owners were made or left in Chat since, so the owners
 * are read from Google just before that write.
 */
import type { chat_v1 } from "@googleapis/chat";
import type { ChatSpacesApi, Target } from "../core/chat-api";
import type { MemberEntry } from "./memberships";
import { OWNER } from "./roles";

/** The space's owners; admin access may list them too, since it requires a member.type term (v1.d.ts members.list `filter`). */
export const OWNERS_FILTER = `member.type = "HUMAN" AND role = "${OWNER}"`;

/** An owner who can act as one: joined, not invited (an invited owner is none until they accept) nor historical. */
export const isActingOwner = (m: Pick<MemberEntry, "role" | "state">): boolean => m.role === OWNER && m.state === "JOINED";

/**
 * The space's JOINED owners, every page: members.list lists no invitation without showInvited,
 * and an invited owner can't keep a space.
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

/** Whether Google lists a joined owner of `space` other than the memberships named in `leaving`. */
export async function anotherOwnerStays(api: ChatSpacesApi, space: string, leaving: readonly string[], target: Target): Promise<boolean> {
  return (await listJoinedOwners(api, space, target)).some((m) => !leaving.includes(m.name ?? ""));
}
