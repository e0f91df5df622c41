/**
 * One client-side rate limiter for every space of a deployment (the provider process serves
 * them all), at Google's published Chat API quotas
 * (https://developers.google.com/workspace/chat/limits): per project 60 space writes
 * (create, patch, delete) and 3000 space reads a minute; per space 1 write and 15 reads a
 * second. Calls wait for their turn instead of being answered 429.
 *
 * Each quota is a GCRA pacer: a call reserves the earliest instant every quota it draws on
 * allows, in arrival order, so waiting callers are served first come, first served. Writes
 * are paced without a burst (Google does not say how it counts a minute; an even pace never
 * overdraws any window); reads may burst by a second's worth.
 */

export interface RateLimits {
  /** spaces.create, patch and delete per minute, for the project. 0: no limit. @default 60 */
  spaceWritesPerMinute: number;
  /** spaces.create per minute, for the project. Google publishes no separate figure. @default 60 */
  spaceCreatesPerMinute: number;
  /** spaces.get per minute, for the project. @default 3000 */
  spaceReadsPerMinute: number;
  /** Writes to one space per second. @default 1 */
  perSpaceWritesPerSecond: number;
  /** Reads of one space per second. @default 15 */
  perSpaceReadsPerSecond: number;
}

export const GOOGLE_RATE_LIMITS: RateLimits = {
  spaceWritesPerMinute: 60,
  spaceCreatesPerMinute: 60,
  spaceReadsPerMinute: 3000,
  perSpaceWritesPerSecond: 1,
  perSpaceReadsPerSecond: 15,
};

/** What a call draws on. */
export type CallKind = "create" | "write" | "read";

export interface LimiterClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** Generic cell rate: one call per `intervalMs`, up to `burst` at once. */
class Pacer {
  /** The theoretical arrival time of the next call. */
  private next = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly burst: number,
  ) {}

  /** The earliest instant at or after `at` this pacer allows a call. */
  earliest(at: number): number {
    return Math.max(at, this.next - (this.burst - 1) * this.intervalMs);
  }

  take(at: number): void {
    this.next = Math.max(this.next, at) + this.intervalMs;
  }
}

const pacer = (perWindow: number, windowMs: number, burst: number) =>
  perWindow > 0 ? new Pacer(windowMs / perWindow, Math.max(1, burst)) : undefined;

/** A wait longer than this is announced. */
const ANNOUNCE_AFTER_MS = 5_000;
/** Announcements are at most this frequent, however many calls wait. */
const ANNOUNCE_EVERY_MS = 10_000;

export class RateLimiter {
  private readonly writes: Pacer | undefined;
  private readonly creates: Pacer | undefined;
  private readonly reads: Pacer | undefined;
  private readonly perSpace = new Map<string, { writes?: Pacer; reads?: Pacer }>();
  private lastAnnounced = -Infinity;

  constructor(
    private readonly limits: RateLimits,
    private readonly clock: LimiterClock,
    private readonly log: (message: string) => void,
  ) {
    this.writes = pacer(limits.spaceWritesPerMinute, 60_000, 1);
    this.creates = pacer(limits.spaceCreatesPerMinute, 60_000, 1);
    this.reads = pacer(limits.spaceReadsPerMinute, 60_000, limits.spaceReadsPerMinute / 60);
  }

  /** Waits until every quota `kind` draws on (for `space`, when it exists) allows one more call. */
  async acquire(kind: CallKind, space?: string): Promise<void> {
    const wait = this.reserve(kind, space);
    if (wait <= 0) return;
    const now = this.clock.now();
    if (wait > ANNOUNCE_AFTER_MS && now - this.lastAnnounced >= ANNOUNCE_EVERY_MS) {
      this.lastAnnounced = now;
      this.log(
        `waiting ${(wait / 1000).toFixed(1)} s for the Chat API quota (${this.limits.spaceWritesPerMinute} space writes a minute, ${this.limits.perSpaceWritesPerSecond} a second per space; googlechat:spaceWritesPerMinute changes it)`,
      );
    }
    await this.clock.sleep(wait);
  }

  /** Books the call's turn now, in arrival order, and returns how long it must wait for it (ms). */
  reserve(kind: CallKind, space?: string): number {
    const pacers = this.pacersFor(kind, space);
    const now = this.clock.now();
    const at = pacers.reduce((t, p) => p.earliest(t), now);
    for (const p of pacers) p.take(at);
    return at - now;
  }

  private pacersFor(kind: CallKind, space: string | undefined): Pacer[] {
    const own = space ? this.spacePacers(space) : {};
    const list = kind === "create" ? [this.writes, this.creates] : kind === "write" ? [this.writes, own.writes] : [this.reads, own.reads];
    return list.filter((p): p is Pacer => p !== undefined);
  }

  private spacePacers(space: string) {
    let pacers = this.perSpace.get(space);
    if (!pacers) {
      const { perSpaceWritesPerSecond: w, perSpaceReadsPerSecond: r } = this.limits;
      pacers = { writes: pacer(w, 1000, 1), reads: pacer(r, 1000, r) };
      this.perSpace.set(space, pacers);
    }
    return pacers;
  }
}
