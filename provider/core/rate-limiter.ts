/**
 * One client-side rate limiter for every space of a deployment (the provider process serves
 * them all), at Google's published Chat API quotas
 * (https://developers.google.com/workspace/chat/limits): per project 60 space writes
 * (create, patch, delete) and 3000 space reads a minute, 300 membership writes (create, patch,
 * delete) and 3000 membership reads (get, list) a minute, each its own quota; per space 1 write
 * and 15 reads a second, whatever the call writes or reads. Calls wait for their turn instead
 * of being answered 429.
 *
 * Each quota is a GCRA pacer. A call first waits for its own space (one space's calls go one
 * after the other), and only then books the project's earliest free instant, which is the
 * instant it goes: a call that waits on its own busy space holds no project slot, so it never
 * delays the other spaces. Writes are paced without a burst (Google does not say how it counts
 * a minute; an even pace never overdraws any window); reads may burst by a second's worth.
 *
 * Every pacer keeps a margin under its limit: Google counts a call when it arrives, and arrival
 * instants differ from send instants by network and event-loop delays that vary from call to
 * call. Paced at exactly the limit, a call that arrives a millisecond earlier than its slot makes
 * a window of a strict sliding-window counter hold one call too many (that drew 429s). So any
 * limit-plus-one calls span at least a window plus {@link slackMs} of it.
 */
import type { Target } from "./chat-api";
import type { Log } from "./engine-log";

/**
 * The quotas the limiter keeps to, each the most calls it makes in its window; 0: no limit.
 * Google's published ones are {@link GOOGLE_RATE_LIMITS}.
 */
export interface RateLimits {
  /** spaces.create, patch and delete calls a minute, for the project. 0: no limit. */
  spaceWritesPerMinute: number;
  /** spaces.create calls a minute, for the project (Google publishes no separate figure). 0: no limit. */
  spaceCreatesPerMinute: number;
  /** spaces.get calls a minute, for the project. 0: no limit. */
  spaceReadsPerMinute: number;
  /** Writes to one space a second. 0: no limit. */
  perSpaceWritesPerSecond: number;
  /** Reads of one space a second. 0: no limit. */
  perSpaceReadsPerSecond: number;
  /**
   * spaces.members create, patch and delete calls a minute, for the project. 0: no limit.
   * Google's table names create and delete; a patch is counted too, so that a pace kept here is
   * never overdrawn whichever way Google counts it.
   */
  membershipWritesPerMinute: number;
  /** spaces.members get and list calls a minute, for the project. 0: no limit. */
  membershipReadsPerMinute: number;
}

export const GOOGLE_RATE_LIMITS: RateLimits = {
  spaceWritesPerMinute: 60,
  spaceCreatesPerMinute: 60,
  spaceReadsPerMinute: 3000,
  perSpaceWritesPerSecond: 1,
  perSpaceReadsPerSecond: 15,
  membershipWritesPerMinute: 300,
  membershipReadsPerMinute: 3000,
};

/**
 * What a call draws on: a space `create`, `write` or `read`, or a membership write or read
 * (`memberWrite`, `memberRead`), which have project quotas of their own and share the space's.
 */
export type CallKind = "create" | "write" | "read" | "memberWrite" | "memberRead";

export interface LimiterClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * The margin a pacer keeps in each window: 2% of it (1.2 s a minute), and at least 100 ms
 * (a second's window: more than the spread of round trips to Google between two calls).
 */
export function slackMs(windowMs: number): number {
  return Math.max(0.02 * windowMs, 100);
}

/** Generic cell rate: up to `burst` calls at once, then one per interval. */
class Pacer {
  /** The theoretical arrival time of the next call. */
  private next = 0;
  private readonly intervalMs: number;

  /** At most `perWindow` calls in any window of `windowMs`, with the margin, even after a burst. */
  constructor(
    perWindow: number,
    windowMs: number,
    private readonly burst: number,
  ) {
    this.intervalMs = (windowMs + slackMs(windowMs)) / (perWindow - burst + 1);
  }

  /** The earliest instant at or after `at` this pacer allows a call. */
  earliest(at: number): number {
    return Math.max(at, this.next - (this.burst - 1) * this.intervalMs);
  }

  /** Books a call going at `at`. */
  take(at: number): void {
    this.next = Math.max(this.next, at) + this.intervalMs;
  }
}

const pacer = (perWindow: number, windowMs: number, burst: number) =>
  perWindow > 0 ? new Pacer(perWindow, windowMs, Math.max(1, Math.min(Math.floor(burst), perWindow))) : undefined;

/** A wait longer than this is announced. */
const ANNOUNCE_AFTER_MS = 5_000;
/** Announcements are at most this frequent, however many calls wait. */
const ANNOUNCE_EVERY_MS = 10_000;

export class RateLimiter {
  private readonly writes: Pacer | undefined;
  private readonly creates: Pacer | undefined;
  private readonly reads: Pacer | undefined;
  private readonly memberWrites: Pacer | undefined;
  private readonly memberReads: Pacer | undefined;
  private readonly perSpace = new Map<string, Pacer | undefined>();
  /** The last call in line for each space and kind: the next one goes after it. */
  private readonly lines = new Map<string, Promise<void>>();
  private lastAnnounced = -Infinity;

  constructor(
    private readonly limits: RateLimits,
    private readonly clock: LimiterClock,
    private readonly log: Log,
  ) {
    this.writes = pacer(limits.spaceWritesPerMinute, 60_000, 1);
    this.creates = pacer(limits.spaceCreatesPerMinute, 60_000, 1);
    this.reads = pacer(limits.spaceReadsPerMinute, 60_000, limits.spaceReadsPerMinute / 60);
    this.memberWrites = pacer(limits.membershipWritesPerMinute, 60_000, 1);
    this.memberReads = pacer(limits.membershipReadsPerMinute, 60_000, limits.membershipReadsPerMinute / 60);
  }

  /**
   * Waits until every quota `kind` draws on (for `space`, when it exists) allows one more call,
   * and books it: the call must go as soon as this resolves. `target` is the waiting resource,
   * named in the announcement of a long wait, which is attached to it.
   */
  async acquire(kind: CallKind, space?: string, target?: Target): Promise<void> {
    const project = this.projectPacers(kind);
    const spaceKind = SPACE_KIND[kind];
    const own = spaceKind && space ? this.spacePacer(spaceKind, space) : undefined;
    if (!own) return this.go(project, kind, target);
    // One line per space and per kind of its own quota: a membership write waits behind the space's writes.
    const key = `${spaceKind} ${space}`;
    const ahead = this.lines.get(key);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    this.lines.set(key, mine);
    try {
      // Awaits only what there is to wait for: a call with nothing ahead books at once, in arrival order.
      if (ahead) await ahead;
      // The space's own turn first, holding nothing of the project's quota meanwhile.
      const ownWait = own.earliest(this.clock.now()) - this.clock.now();
      if (ownWait > 0) await this.wait(ownWait, kind, target);
      await this.go([...project, own], kind, target);
    } finally {
      if (this.lines.get(key) === mine) this.lines.delete(key);
      done();
    }
  }

  /** The project quotas a call of this kind draws on. */
  private projectPacers(kind: CallKind): Pacer[] {
    const pacers = {
      create: [this.writes, this.creates],
      write: [this.writes],
      read: [this.reads],
      memberWrite: [this.memberWrites],
      memberRead: [this.memberReads],
    }[kind];
    return pacers.filter((p): p is Pacer => p !== undefined);
  }

  /** Books the earliest instant all `pacers` allow, and waits for it. */
  private async go(pacers: Pacer[], kind: CallKind, target: Target | undefined): Promise<void> {
    const now = this.clock.now();
    const at = pacers.reduce((t, p) => p.earliest(t), now);
    for (const p of pacers) p.take(at);
    await this.wait(at - now, kind, target);
  }

  private async wait(ms: number, kind: CallKind, target: Target | undefined): Promise<void> {
    if (ms <= 0) return;
    const now = this.clock.now();
    if (ms > ANNOUNCE_AFTER_MS && now - this.lastAnnounced >= ANNOUNCE_EVERY_MS) {
      this.lastAnnounced = now;
      this.log(
        `${target ? `${target.resource ?? "ChatSpace"} ${target.label}: ` : ""}waiting ${(ms / 1000).toFixed(1)} s for the Chat API quota ` +
          `(${quotaText(kind, this.limits)})`,
        target?.urn,
      );
    }
    await this.clock.sleep(ms);
  }

  private spacePacer(kind: "write" | "read", space: string): Pacer | undefined {
    const key = `${kind} ${space}`;
    if (!this.perSpace.has(key)) {
      const { perSpaceWritesPerSecond: w, perSpaceReadsPerSecond: r } = this.limits;
      this.perSpace.set(key, kind === "write" ? pacer(w, 1000, 1) : pacer(r, 1000, r));
    }
    return this.perSpace.get(key);
  }
}

/** The per-space quota each kind of call shares: a space create has no space yet. */
const SPACE_KIND: Record<CallKind, "write" | "read" | undefined> = {
  create: undefined,
  write: "write",
  read: "read",
  memberWrite: "write",
  memberRead: "read",
};

/** The quota a long wait is for, and the config key that changes it. */
function quotaText(kind: CallKind, limits: RateLimits): string {
  const { perSpaceWritesPerSecond: w, perSpaceReadsPerSecond: r } = limits;
  switch (kind) {
    case "read":
      return `${limits.spaceReadsPerMinute} space reads a minute, ${r} a second per space; googlechat:spaceReadsPerMinute changes it`;
    case "memberRead":
      return `${limits.membershipReadsPerMinute} membership reads a minute, ${r} reads a second per space; googlechat:membershipReadsPerMinute changes it`;
    case "memberWrite":
      return `${limits.membershipWritesPerMinute} membership writes a minute, ${w} write a second per space; googlechat:membershipWritesPerMinute changes it`;
    default:
      return `${limits.spaceWritesPerMinute} space writes a minute, ${w} a second per space; googlechat:spaceWritesPerMinute changes it`;
  }
}

/** The limiters of this process, by clock and limits: {@link sharedRateLimiter}. */
const registry = new WeakMap<LimiterClock["sleep"], Map<string, RateLimiter>>();

/**
 * The one limiter of this process for these limits and this clock. Pulumi's dynamic-provider
 * host configures the provider once for each distinct serialized provider in the state (an older
 * release's stub is one more), and each configure builds a new Chat client: sharing the limiter
 * keeps one pace for every space of the deployment. The clock is part of the key only so that
 * tests with a fake clock each get their own.
 */
export function sharedRateLimiter(limits: RateLimits, clock: LimiterClock, log: Log): RateLimiter {
  let byLimits = registry.get(clock.sleep);
  if (!byLimits) registry.set(clock.sleep, (byLimits = new Map()));
  const key = JSON.stringify(Object.keys(GOOGLE_RATE_LIMITS).map((k) => limits[k as keyof RateLimits]));
  let limiter = byLimits.get(key);
  if (!limiter) byLimits.set(key, (limiter = new RateLimiter(limits, clock, log)));
  return limiter;
}
