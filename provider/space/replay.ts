/**
 * Whether a `spaces.create` answer is a space an earlier request made. A reused requestId
 * "returns the space created with that ID instead of creating a new space" (v1.d.ts
 * spaces.create `requestId`), and, as AIP-155 allows, it may be stale: a space deleted since
 * comes back as it last was. Such an answer is read again; a space this call made is not.
 *
 * The decision is taken on Google's clock alone, since the local one may be off by any amount:
 * the space's `createTime` against Google's time when the call started. That time is the
 * create answer's `Date` header less the time the call took, which the local clock measures
 * (as a stopwatch: its reading is never compared with Google's). The answer was made before it
 * arrived, and an HTTP date has whole seconds, cut off (RFC 9110 §5.6.7): so the estimate is
 * never later than the true start, and a space made during the call is never taken for an
 * earlier one, however far apart the clocks are.
 */

/**
 * How far apart the clock that stamps a space's createTime and the one that dates Google's
 * answer may be (they need not be one server's): a space made this long before the estimated
 * start still counts as this call's. With the second the Date header cuts off, an earlier
 * request's space is recognised once it is two seconds old; a space another process made and
 * then deleted within that time is not a case this rule covers (this process's own deletes are
 * known to the provider).
 */
export const SERVER_CLOCK_SPREAD_MS = 1_000;

/** What one create tells of its answer's age. */
export interface CreateTiming {
  /** The space's `createTime` as Google answered it (RFC 3339). */
  createTime: string | null | undefined;
  /** Google's clock when it made the answer, from its `Date` header (chat-api.ts CreateAnswer). */
  serverDate: number | undefined;
  /** How long the call took, from before its first try to its answer, by the local clock. */
  elapsedMs: number;
}

/**
 * Whether the answered space was made before this call started: an earlier request's, maybe
 * stale. Unknown counts as earlier (the safe side: one more GET): without a `Date` header (an
 * origin without a clock may leave it out, RFC 9110 §6.6.1, and a proxy may drop it) Google's
 * time is unknown, and only the local clock would be left, the one this rule must not trust.
 */
export function madeBeforeThisCall({ createTime, serverDate, elapsedMs }: CreateTiming): boolean {
  const created = Date.parse(createTime ?? "");
  if (serverDate === undefined || Number.isNaN(created)) return true;
  // A local clock set back during the call measures less than nothing: taken as no time at all.
  const startedAt = serverDate - Math.max(0, elapsedMs);
  return created < startedAt - SERVER_CLOCK_SPREAD_MS;
}
