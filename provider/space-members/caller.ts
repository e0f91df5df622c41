/**
 * The calling user's own member in a roster (`__caller`, which a roster never removes or demotes),
 * learnt with one read per process instead of one per roster (issue 13: adopting rosters costs
 * "only reads: one per space and per roster").
 *
 * A roster knows the caller by email (googlechat:impersonateUser), a listing names members by
 * `users/{id}` only. Google answers the caller's membership by its email alias (v1.d.ts
 * members.get: "you can use the user's email as an alias for {member}"), and that `users/{id}` is
 * the user's, not the space's (the People API id), so once one space answered it, every other
 * roster finds the caller in the listing it reads anyway: absent there, it is not a member.
 * Until then (the caller a member of none of the spaces read so far: 404) each roster reads it.
 */
import type { chat_v1 } from "@googleapis/chat";
import { isNotFound } from "../core/errors";
import { rosterEntry } from "./state";
import type { RosterMemberState } from "./types";

/** Reads the caller's membership of a space by its email alias; rejects 404 when it has none. */
export type ReadOwnMembership = () => Promise<chat_v1.Schema$Membership>;

/** Each calling user's `users/{id}`, by endpoint and email, as learnt in this process. */
export class CallerIds {
  /** The read that learns (or is learning) an id; settled to undefined when it met 404. */
  private readonly learning = new Map<string, Promise<string | undefined>>();

  /**
   * The caller's canonical member among `listed` (the space's roster as just listed), or "" when
   * it is not a member. Reads `readOwn` only while the caller's id is unknown; concurrent rosters
   * wait for one read instead of each making its own.
   */
  async memberIn(endpoint: string, user: string, listed: readonly RosterMemberState[], readOwn: ReadOwnMembership): Promise<string> {
    const key = `${endpoint} ${user.toLowerCase()}`;
    // Awaited only when there is a read to wait for: the first roster registers its read before
    // it yields, so the others wait for it.
    const pending = this.learning.get(key);
    const known = pending ? await pending : undefined;
    if (known) return listed.find((m) => m.member.toLowerCase() === known.toLowerCase())?.member ?? "";
    const read = readOwn().then(
      (own) => rosterEntry(own).member,
      (error: unknown) => {
        if (isNotFound(error)) return "";
        throw error;
      },
    );
    // A 404 or a failure teaches nothing (the waiting promise settles to undefined, never
    // rejects): the next roster reads again.
    this.learning.set(
      key,
      read.then(
        (member) => member || undefined,
        () => undefined,
      ),
    );
    return read;
  }
}
