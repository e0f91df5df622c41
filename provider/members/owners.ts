/**
 * A space is never left without an owner (ROLE_MANAGER, shown as Owner in Chat): the rule a
 * ChatMembership and a ChatSpaceMembers roster apply before any write that removes or demotes
 * an owner. The state can't tell whether owners were made or left in Chat since (a role the state
 * records may be out of date), so the owners are read from Google just before that write.
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

/** A space's joined owners at one moment, by membership name (`spaces/{space}/members/{member}`). */
export class JoinedOwners {
  private readonly names: ReadonlySet<string>;

  constructor(names: Iterable<string>) {
    this.names = new Set([...names].map((name) => name.toLowerCase()));
  }

  /** The owners as Google lists them now (one listing, every page). */
  static async read(api: ChatSpacesApi, space: string, target: Target): Promise<JoinedOwners> {
    return new JoinedOwners((await listJoinedOwners(api, space, target)).map((m) => m.name ?? ""));
  }

  /** The owners of a roster just listed (a create's): no call. */
  static of(listed: readonly MemberEntry[]): JoinedOwners {
    return new JoinedOwners(listed.filter(isActingOwner).map((m) => m.name));
  }

  /** Whether the membership `name` is one of them. */
  has(name: string): boolean {
    return this.names.has(name.toLowerCase());
  }

  /** Whether one of them stays once the memberships named in `leaving` are gone or demoted. */
  anotherThan(leaving: readonly string[]): boolean {
    const gone = new Set(leaving.map((name) => name.toLowerCase()));
    return [...this.names].some((name) => !gone.has(name));
  }
}

/** Whether Google lists a joined owner of `space` other than the memberships named in `leaving`. */
export async function anotherOwnerStays(api: ChatSpacesApi, space: string, leaving: readonly string[], target: Target): Promise<boolean> {
  return (await JoinedOwners.read(api, space, target)).anotherThan(leaving);
}
