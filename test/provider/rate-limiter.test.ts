import assert from "node:assert/strict";
import { GOOGLE_RATE_LIMITS, type RateLimits, RateLimiter } from "../../provider/rate-limiter";

type Call = Parameters<RateLimiter["reserve"]>;

/** A limiter on a clock standing still at 0: each reservation's wait is its start time. */
function limiter(limits: Partial<RateLimits> = {}) {
  const logs: string[] = [];
  const sleeps: number[] = [];
  const limiter = new RateLimiter({ ...GOOGLE_RATE_LIMITS, ...limits }, { now: () => 0, sleep: async (ms) => void sleeps.push(ms) }, (m) => void logs.push(m));
  return { limiter, logs, sleeps, starts: (calls: Call[]) => calls.map((call) => limiter.reserve(...call)) };
}

describe("provider: rate limiter", () => {
  it("paces creates at Google's 60 space writes a minute, first come first served", () => {
    assert.deepEqual(limiter().starts([["create"], ["create"], ["create"]]), [0, 1000, 2000]);
  });

  it("paces writes to one space at one a second, other spaces only at the project's rate", () => {
    assert.deepEqual(limiter({ spaceWritesPerMinute: 600 }).starts([["write", "spaces/A"], ["write", "spaces/A"], ["write", "spaces/B"]]), [0, 1000, 1100]);
  });

  it("counts creates and other writes against the same project write quota", () => {
    assert.deepEqual(limiter({ spaceWritesPerMinute: 120, spaceCreatesPerMinute: 60 }).starts([["create"], ["write", "spaces/A"], ["create"]]), [0, 500, 1000]);
  });

  it("lets reads burst by a second's worth", () => {
    const starts = limiter({ spaceReadsPerMinute: 600, perSpaceReadsPerSecond: 100 }).starts(Array.from({ length: 12 }, (): Call => ["read", "spaces/A"]));
    assert.deepEqual(starts, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 200]);
  });

  it("does not limit a quota set to 0", () => {
    assert.deepEqual(limiter({ spaceWritesPerMinute: 0, spaceCreatesPerMinute: 0 }).starts([["create"], ["create"], ["create"]]), [0, 0, 0]);
  });

  it("sleeps for its turn, and says so when the wait is long, at most once every ten seconds", async () => {
    const l = limiter();
    await Promise.all(Array.from({ length: 8 }, () => l.limiter.acquire("create")));
    assert.deepEqual(l.sleeps, [1000, 2000, 3000, 4000, 5000, 6000, 7000]);
    assert.deepEqual(l.logs, [
      "waiting 6.0 s for the Chat API quota (60 space writes a minute, 1 a second per space; googlechat:spaceWritesPerMinute changes it)",
    ]);
  });
});
