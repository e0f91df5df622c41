import assert from "node:assert/strict";
import { ApiError } from "../../emulator/errors";
import { QuotaEnforcer } from "../../emulator/quotas";

/** An enforcer on a clock the test moves; `call` answers "ok" or the 429's Retry-After. */
function enforcer(change: Parameters<QuotaEnforcer["configure"]>[0]) {
  let now = 0;
  const quotas = new QuotaEnforcer(() => now);
  quotas.configure({ enabled: true, retryAfter: true, ...change });
  return {
    at(ms: number, method: "spaces.create" | "spaces.patch", space?: string): string {
      now = ms;
      try {
        quotas.consume(method, "p", space);
        return "ok";
      } catch (error) {
        assert.ok(error instanceof ApiError);
        return `429 after ${error.headers["Retry-After"]} s`;
      }
    },
  };
}

describe("emulator: quotas", () => {
  it("refuses, in sliding-window mode, a call when the last minute already holds the limit", () => {
    const q = enforcer({ mode: "slidingWindow", limits: { projectSpaceWritesPerMinute: 2, projectSpaceCreatesPerMinute: 2 } });
    assert.deepEqual(
      [q.at(0, "spaces.create"), q.at(59_000, "spaces.create"), q.at(59_999, "spaces.create"), q.at(60_000, "spaces.create"), q.at(60_001, "spaces.create")],
      // At 60 s the first call has left the window; at 60.001 s the window holds the calls of 59 s and 60 s.
      ["ok", "ok", "429 after 1 s", "ok", "429 after 59 s"],
    );
  });

  it("counts a per-space window of a second, sped up by timeScale", () => {
    const q = enforcer({ mode: "slidingWindow", timeScale: 4 });
    assert.deepEqual([q.at(0, "spaces.patch", "A"), q.at(249, "spaces.patch", "A"), q.at(249, "spaces.patch", "B"), q.at(251, "spaces.patch", "A")], [
      "ok",
      "429 after 1 s",
      "ok",
      "ok",
    ]);
  });

  it("lets a token bucket take a burst a sliding window would refuse, by default", () => {
    const q = enforcer({ limits: { projectSpaceWritesPerMinute: 2, projectSpaceCreatesPerMinute: 2 } });
    assert.deepEqual([q.at(0, "spaces.create"), q.at(30_000, "spaces.create"), q.at(59_999, "spaces.create")], ["ok", "ok", "ok"]);
  });

  it("refuses an unknown mode", () => {
    assert.throws(() => new QuotaEnforcer().configure({ mode: "leakyBucket" as never }), { message: 'mode must be tokenBucket or slidingWindow, not "leakyBucket".' });
  });
});
