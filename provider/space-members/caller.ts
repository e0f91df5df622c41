/**
 * The calling user's own member in a roster (`__caller`, which a roster never removes or demotes),
 * learnt once per process instead of read once per roster (issue 13: adopting rosters costs
 * "only reads: one per space and per roster").
 *
 * A roster knows the caller by email (googlechat:impersonateUser), a listing names members by
 * `users/{id}` only. Google answers the caller's membership by its email alias (v1.d.ts
 * members.get: "you can use the user's email as an alias for {member}"), and that `users/{id}` is
 * the user's, not the space's (the People API id), so once one space answered it, every other
 * roster finds the caller in the listing it reads anyway: absent there, it is not a member.
 *
 * The first roster asks its own space. When the caller is not a member there (404: the usual
 * answer for a Workspace administrator with admin access, who belongs to few of the
 * organisation's spaces), the id is learnt from a space the caller is in: `spaces.list` "lists
 * spaces the caller is a member of" (v1.d.ts), one page of one, then that space's members.get,
 * once per process (chat.spaces.readonly and chat.memberships.readonly, the provider's own read
 * scopes for a user). If that can't tell (a caller in no space, or a refusal), nothing is
 * learnt, and each roster reads its own space's membership of the caller, as before: the caller
 * may be added to a space during the deployment, so "in no space" is never remembered.
 */
import type { chat_v1 } from "@googleapis/chat";
import { isNotFound } from "../core/errors";
import { rosterEntry } from "./state";
import type { RosterMemberState } from "./types";

/** The reads the caller's id is learnt with. */
export interface CallerReads {
  /** The caller's membership of `space`, by its email alias; rejects 404 when it has none. */
  readonly own: (space: string) => Promise<chat_v1.Schema$Membership>;
  /** A space the caller is a member of (spaces.list, one page of one), or undefined when none is listed. */
  readonly anySpace: () => Promise<string | undefined>;
  /** Says why the id could not be learnt beyond the roster's own space (a refused spaces.list): each roster then costs one more read. */
  readonly refused: (error: unknown) => void;
}

/** Each calling user's `users/{id}`, by endpoint and email, as learnt in this process. */
export class CallerIds {
  private readonly ids = new Map<string, string>();
  /** The read under way that may learn an id: later rosters wait for it instead of reading too. */
  private readonly learning = new Map<string, Promise<void>>();
  /** Callers whose id was looked for beyond their rosters' spaces (spaces.list): done once per process. */
  private readonly searched = new Set<string>();

  /** The caller's `users/{id}`, when this process knows it. */
  known(endpoint: string, user: string): string | undefined {
    return this.ids.get(keyOf(endpoint, user));
  }

  /** Records the caller's `users/{id}` as Google answered it elsewhere (a roster's add of the caller). */
  learn(endpoint: string, user: string, member: string): void {
    if (member) this.ids.set(keyOf(endpoint, user), member);
  }

  /**
   * The caller's canonical member among `listed` (`space`'s roster as just listed), or "" when it
   * is not a member. Reads only while the caller's id is unknown; concurrent rosters wait for the
   * read under way instead of each making its own.
   */
  async memberIn(endpoint: string, user: string, space: string, listed: readonly RosterMemberState[], reads: CallerReads): Promise<string> {
    const key = keyOf(endpoint, user);
    // Awaited only when there is a read to wait for: the first roster registers its read before
    // it yields, so the others wait for it.
    const pending = this.learning.get(key);
    if (pending) await pending;
    const known = this.ids.get(key);
    if (known) return listed.find((m) => m.member.toLowerCase() === known.toLowerCase())?.member ?? "";
    const read = this.read(key, space, reads);
    this.learning.set(
      key,
      read.then(
        () => undefined,
        () => undefined,
      ),
    );
    return read;
  }

  /** The caller's member in `space` by its email alias; on 404, the id learnt elsewhere, once. */
  private async read(key: string, space: string, reads: CallerReads): Promise<string> {
    try {
      const member = rosterEntry(await reads.own(space)).member;
      if (member) this.ids.set(key, member);
      return member;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    if (!this.searched.has(key)) {
      this.searched.add(key);
      try {
        const other = await reads.anySpace();
        const member = other ? rosterEntry(await reads.own(other)).member : "";
        if (member) this.ids.set(key, member);
      } catch (error) {
        // Only a saving: without the id, each roster reads its own space's membership of the caller.
        reads.refused(error);
      }
    }
    return "";
  }
}

function keyOf(endpoint: string, user: string): string {
  return `${endpoint} ${user.toLowerCase()}`;
}
