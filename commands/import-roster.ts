/**
 * The roster of each imported space, as a `ChatSpaceMembers` declaration that adopts it as it is:
 * one `spaces.members.list` per space (pages of 1000, groups and invited users included; v1.d.ts
 * Params$Resource$Spaces$Members$List), through the provider's Chat client and its read quota.
 *
 * What a roster can't declare is said, with the reason, and makes the roster `addOnly`: an
 * `authoritative` roster removes whoever it does not declare, and adopting must write nothing.
 * - A Chat app other than the calling one: a roster declares only `chatApp: true` (`users/app`),
 *   and a listing does not say which app is the caller's, so every app membership is left out.
 * - With admin access, Google lists no app memberships at all (v1.d.ts members.list `filter`:
 *   apps must be excluded); a roster read with admin access does not see them either, so it
 *   can still be authoritative.
 */
import type { chat_v1 } from "@googleapis/chat";
import type { ChatSpacesApi } from "../provider/core/chat-api";
import type { MembershipRole } from "../provider/membership/types";
import type { ListingProgress } from "./import-progress";

/** One declared member: exactly one of `user` and `group`; `role` for people. */
export interface RosterMember {
  readonly user?: string;
  readonly group?: string;
  readonly role?: MembershipRole;
}

export interface RosterDeclaration {
  /** The space, `spaces/{space}`. */
  readonly space: string;
  readonly members: RosterMember[];
  readonly mode: "authoritative" | "addOnly";
  /** What the roster leaves out, and why; one sentence each. */
  readonly notExpressed: string[];
}

/** How many rosters are read at once: the rate limiter paces them, this bounds what waits. */
const IN_FLIGHT = 8;
/** members.list's largest page (v1.d.ts pageSize). */
const PAGE_SIZE = 1000;
/** Required with admin access (v1.d.ts members.list `filter`): apps excluded, groups kept. */
const ADMIN_FILTER = 'member.type != "BOT"';

/** One listing per space, `IN_FLIGHT` at a time; answers the rosters by space. */
export async function readRosters(api: ChatSpacesApi, spaces: readonly string[], admin: boolean, progress: ListingProgress): Promise<Map<string, RosterDeclaration>> {
  const rosters = new Map<string, RosterDeclaration>();
  let next = 0;
  let failed = false;
  const worker = async () => {
    // After a failure, the other workers stop at their next space: the command reports it and ends.
    while (!failed && next < spaces.length) {
      const space = spaces[next++];
      try {
        rosters.set(space, await readRoster(api, space, admin));
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

export async function readRoster(api: ChatSpacesApi, space: string, admin: boolean): Promise<RosterDeclaration> {
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
  return declareRoster(space, memberships);
}

/** The roster of `memberships` as listed. */
export function declareRoster(space: string, memberships: readonly chat_v1.Schema$Membership[]): RosterDeclaration {
  const members: RosterMember[] = [];
  const apps: string[] = [];
  for (const m of memberships) {
    // Historical memberships of import mode have ended: not members.
    if (m.state === "NOT_A_MEMBER") continue;
    if (m.groupMember?.name) members.push({ group: m.groupMember.name });
    else if (m.member?.type === "BOT") apps.push(m.member.name ?? "");
    else if (m.member?.name) members.push({ user: m.member.name, role: (m.role as MembershipRole | undefined) ?? "ROLE_MEMBER" });
  }
  const notExpressed = apps.map((app) => `Chat app ${app}: a roster declares only the calling app (chatApp: true), which a listing does not identify`);
  const key = (m: RosterMember) => m.group ?? m.user ?? "";
  members.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return {
    space,
    members,
    mode: apps.length > 0 ? "addOnly" : "authoritative",
    notExpressed: notExpressed.length > 0 ? [...notExpressed, "so the roster is addOnly: it adds and keeps, never removes"] : [],
  };
}
