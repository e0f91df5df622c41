/**
 * A space is never left without an owner (ROLE_MANAGER, shown as Owner in Chat): the rule a
 * ChatMembership and a ChatSpaceMembers roster apply before any write that removes or demotes
 * an owner. The state can't tell whether owners were made or left in Chat since (a role the state
 * records may be out of date), so the owners are read from Google just before that write.
 */
import type { chat_v1 } from "@googleapis/chat";
import type { ChatSpacesApi, Target } from "../core/chat-api";
import { type MemberEntry, personOfMembership } from "./memberships";
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

/**
 * A space's joined owners at one moment, by membership name (`spaces/{space}/members/{member}`),
 * and those of them that other writes under way may take (owner-losses.ts): they count as leaving.
 */
export class JoinedOwners {
  /** By the name lower-cased: the name as Google lists it. */
  private readonly names: ReadonlyMap<string, string>;

  constructor(
    names: Iterable<string>,
    private readonly takenElsewhere: ReadonlySet<string> = new Set(),
  ) {
    this.names = new Map([...names].map((name) => [name.toLowerCase(), name]));
  }

  /** The owners as Google lists them now (one listing, every page). */
  static async read(api: ChatSpacesApi, space: string, target: Target): Promise<JoinedOwners> {
    return new JoinedOwners((await listJoinedOwners(api, space, target)).map((m) => m.name ?? ""));
  }

  /** The owners of a roster just listed (a create's): no call. */
  static of(listed: readonly MemberEntry[]): JoinedOwners {
    return new JoinedOwners(listed.filter(isActingOwner).map((m) => m.name));
  }

  /** These owners, the memberships `names` counted as leaving: other writes under way may take them (owner-losses.ts). */
  leavingElsewhere(names: readonly string[]): JoinedOwners {
    return names.length === 0 ? this : new JoinedOwners(this.names.values(), new Set([...this.takenElsewhere, ...names.map((name) => name.toLowerCase())]));
  }

  /** The owners other writes under way may take, but those named in `leaving`: for messages. */
  goingElsewhere(leaving: readonly string[]): string[] {
    const own = new Set(leaving.map((name) => name.toLowerCase()));
    return [...this.names].filter(([key]) => this.takenElsewhere.has(key) && !own.has(key)).map(([, name]) => name);
  }

  /** Whether the membership `name` is one of them. */
  has(name: string): boolean {
    return this.names.has(name.toLowerCase());
  }

  /** Whether one of them stays once the memberships named in `leaving`, and those other writes may take, are gone or demoted. */
  anotherThan(leaving: readonly string[]): boolean {
    const gone = new Set(leaving.map((name) => name.toLowerCase()));
    return [...this.names.keys()].some((key) => !gone.has(key) && !this.takenElsewhere.has(key));
  }
}

/**
 * What a last-owner refusal of the memberships `leaving` says of the other `owners` that other writes under way may
 * take (owner-losses.ts), which leave the space with none: they run in another provider process (an explicit provider
 * instance) at the same time. Empty where none does.
 */
export function besidesOwnersGoing(owners: JoinedOwners, leaving: readonly string[]): string {
  const going = owners.goingElsewhere(leaving);
  if (going.length === 0) return "";
  return ` besides ${going.map(personOfMembership).join(", ")}, whom another provider instance of this deployment is removing or demoting now`;
}
