import assert from "node:assert/strict";
import type { Target } from "../../provider/core/chat-api";
import { type CallKind, GOOGLE_RATE_LIMITS, RateLimiter, type RateLimits, sharedRateLimiter } from "../../provider/core/rate-limiter";

type Call = [kind: CallKind, space?: string, target?: Target];

/**
 * A limiter on a virtual clock: time moves only when every waiting call sleeps, straight to the
 * next wake-up. `goes` runs the calls in arrival order and returns the instant each one went.
 */
function limiter(limits: Partial<RateLimits> = {}) {
  let now = 0;
  const timers: { at: number; wake: () => void }[] = [];
  const logs: string[] = [];
  const clock = { now: () => now, sleep: (ms: number) => new Promise<void>((wake) => void timers.push({ at: now + ms, wake })) };
  const limiter = new RateLimiter({ ...GOOGLE_RATE_LIMITS, ...limits }, clock, (m, urn) => void logs.push(urn ? `${m} [${urn}]` : m));
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  async function goes(calls: Call[]): Promise<number[]> {
    const went: number[] = [];
    let pending = calls.length;
    calls.forEach((call, i) => void limiter.acquire(...call).then(() => ((went[i] = now), pending--)));
    for (await settle(); pending > 0; await settle()) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift();
      assert.ok(next, "a call waits for nothing");
      now = Math.max(now, next.at);
      next.wake();
    }
    return went;
  }
  return { limiter, logs, goes, clock };
}

// Each window of `limit` calls holds the pacer's margin: 2% of a minute, 100 ms of a second.
const MINUTE_SLOT = 61_200 / 60;

describe("provider: rate limiter", () => {
  it("paces creates at Google's 60 space writes a minute with a margin of 1.2 s a minute, first come first served", async () => {
    assert.deepEqual(await limiter().goes([["create"], ["create"], ["create"]]), [0, MINUTE_SLOT, 2 * MINUTE_SLOT]);
  });

  it("keeps any 61 writes more than a minute apart, so a strict sliding window never holds a 61st", async () => {
    const went = await limiter().goes(Array.from({ length: 61 }, (): Call => ["create"]));
    assert.equal(went[60] - went[0], 61_200);
  });

  it("paces writes to one space at one a second with a margin of 100 ms, other spaces only at the project's rate", async () => {
    const went = await limiter({ spaceWritesPerMinute: 600 }).goes([
      ["write", "spaces/A"],
      ["write", "spaces/A"],
      ["write", "spaces/B"],
    ]);
    assert.deepEqual(went, [0, 1100, 102]);
  });

  it("books no project slot for a call that waits on its own busy space: the other spaces go first", async () => {
    // Three writes to A, then one to each of B and C: A's second and third wait on A alone, so
    // B and C take the project's next slots (510, 1020) and A's second comes after them.
    const went = await limiter({ spaceWritesPerMinute: 120 }).goes([
      ["write", "spaces/A"],
      ["write", "spaces/A"],
      ["write", "spaces/A"],
      ["write", "spaces/B"],
      ["write", "spaces/C"],
    ]);
    assert.deepEqual(went, [0, 1530, 2630, 510, 1020]);
  });

  it("keeps one space's calls in their order even when the project's quota holds them back", async () => {
    // Project 6 writes a minute: A's second write waits for its own second, then for the project's next slot.
    const went = await limiter({ spaceWritesPerMinute: 6, spaceCreatesPerMinute: 6 }).goes([["write", "spaces/A"], ["create"], ["write", "spaces/A"]]);
    assert.deepEqual(went, [0, 10_200, 20_400]);
  });

  it("counts creates and other writes against the same project write quota", async () => {
    const went = await limiter({ spaceWritesPerMinute: 120, spaceCreatesPerMinute: 60 }).goes([["create"], ["write", "spaces/A"], ["create"]]);
    assert.deepEqual(went, [0, 510, MINUTE_SLOT]);
  });

  it("lets reads burst by a second's worth, then paces them so that no window holds more than the limit", async () => {
    const went = await limiter({ spaceReadsPerMinute: 600, perSpaceReadsPerSecond: 100 }).goes(Array.from({ length: 12 }, (): Call => ["read", "spaces/A"]));
    // 10 at once, then one per 61.2 s / (600 - 10 + 1) calls.
    const slot = 61_200 / 591;
    assert.deepEqual(went.map(Math.round), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, slot, 2 * slot].map(Math.round));
  });

  it("does not limit a quota set to 0", async () => {
    assert.deepEqual(await limiter({ spaceWritesPerMinute: 0, spaceCreatesPerMinute: 0 }).goes([["create"], ["create"], ["create"]]), [0, 0, 0]);
  });

  it("says when a wait is long, naming the resource that waits, at most once every ten seconds", async () => {
    const l = limiter();
    await l.goes(Array.from({ length: 8 }, (_, i): Call => ["create", undefined, { label: `s${i}`, urn: `urn:s${i}` }]));
    assert.deepEqual(l.logs, [
      "ChatSpace s5: waiting 5.1 s for the Chat API quota (60 space writes a minute, 1 a second per space; googlechat:spaceWritesPerMinute changes it) [urn:s5]",
    ]);
  });

  it("names the read quota when a read waits", async () => {
    const l = limiter({ spaceReadsPerMinute: 6 });
    await l.goes([
      ["read", "spaces/A", { label: "a" }],
      ["read", "spaces/B", { label: "b" }],
    ]);
    assert.deepEqual(l.logs, [
      "ChatSpace b: waiting 10.2 s for the Chat API quota (6 space reads a minute, 15 a second per space; googlechat:spaceReadsPerMinute changes it)",
    ]);
  });

  it("paces membership writes at Google's 300 a minute on their own quota, apart from space writes", async () => {
    const slot = 61_200 / 300;
    const went = await limiter().goes([["memberWrite", "spaces/A"], ["create"], ["memberWrite", "spaces/B"], ["memberWrite", "spaces/C"]]);
    assert.deepEqual(went, [0, 0, slot, 2 * slot]);
  });

  it("puts a membership write to a space in line with the space's own writes: one a second per space", async () => {
    const went = await limiter().goes([
      ["write", "spaces/A"],
      ["memberWrite", "spaces/A"],
      ["memberRead", "spaces/A"],
    ]);
    assert.deepEqual(went, [0, 1100, 0]);
  });

  it("lets membership reads burst by a second's worth of their 3000 a minute, then paces them", async () => {
    const went = await limiter({ membershipReadsPerMinute: 600, perSpaceReadsPerSecond: 100 }).goes(
      Array.from({ length: 11 }, (): Call => ["memberRead", "spaces/A"]),
    );
    assert.deepEqual(went.map(Math.round), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Math.round(61_200 / 591)]);
  });

  it("names the membership quota and its config key when a membership write waits", async () => {
    const l = limiter({ membershipWritesPerMinute: 6 });
    await l.goes([
      ["memberWrite", "spaces/A", { label: "a", resource: "ChatMembership" }],
      ["memberWrite", "spaces/B", { label: "b", resource: "ChatMembership" }],
    ]);
    assert.deepEqual(l.logs, [
      "ChatMembership b: waiting 10.2 s for the Chat API quota (6 membership writes a minute, 1 write a second per space; googlechat:membershipWritesPerMinute changes it)",
    ]);
  });

  it("is one limiter per process for the same limits and clock, whatever configures it", () => {
    const clock = { now: () => 0, sleep: async () => {} };
    const first = sharedRateLimiter({ ...GOOGLE_RATE_LIMITS }, clock, () => {});
    assert.equal(
      sharedRateLimiter({ ...GOOGLE_RATE_LIMITS }, { ...clock }, () => {}),
      first,
    );
    assert.notEqual(
      sharedRateLimiter({ ...GOOGLE_RATE_LIMITS, spaceWritesPerMinute: 30 }, clock, () => {}),
      first,
    );
    assert.notEqual(
      sharedRateLimiter({ ...GOOGLE_RATE_LIMITS }, { now: () => 0, sleep: async () => {} }, () => {}),
      first,
    );
  });
});
