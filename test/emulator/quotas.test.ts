import assert from "node:assert/strict";
import type { ChatMethod } from "../../emulator/auth/scopes";
import { QuotaEnforcer } from "../../emulator/control/quotas";
import { ApiError, type ErrorInfo } from "../../emulator/errors";

/** An enforcer on a clock the test moves; `at` answers "ok" or the 429's quota metric and Retry-After. */
function enforcer(change: Parameters<QuotaEnforcer["configure"]>[0]) {
  let now = 0;
  const quotas = new QuotaEnforcer(() => now);
  quotas.configure({ enabled: true, retryAfter: true, ...change });
  return {
    at(ms: number, method: ChatMethod, space?: string): string {
      now = ms;
      try {
        quotas.consume(method, "p", space);
        return "ok";
      } catch (error) {
        assert.ok(error instanceof ApiError);
        return `429 ${(error.details[0] as ErrorInfo | undefined)?.metadata?.quota_metric} after ${error.headers["Retry-After"]} s`;
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
      ["ok", "ok", "429 chat.googleapis.com/space_write_requests after 1 s", "ok", "429 chat.googleapis.com/space_write_requests after 59 s"],
    );
  });

  it("counts a per-space window of a second, sped up by timeScale", () => {
    const q = enforcer({ mode: "slidingWindow", timeScale: 4 });
    assert.deepEqual(
      [q.at(0, "spaces.patch", "A"), q.at(249, "spaces.patch", "A"), q.at(249, "spaces.patch", "B"), q.at(251, "spaces.patch", "A")],
      ["ok", "429 chat.googleapis.com/per_space_write_requests after 1 s", "ok", "ok"],
    );
  });

  it("lets a token bucket take a burst a sliding window would refuse, by default", () => {
    const q = enforcer({ limits: { projectSpaceWritesPerMinute: 2, projectSpaceCreatesPerMinute: 2 } });
    assert.deepEqual([q.at(0, "spaces.create"), q.at(30_000, "spaces.create"), q.at(59_999, "spaces.create")], ["ok", "ok", "ok"]);
  });

  for (const mode of ["tokenBucket", "slidingWindow"] as const) {
    it(`counts membership writes and reads in their own project quotas, apart from the space quotas (${mode})`, () => {
      const q = enforcer({
        mode,
        limits: { projectMemberWritesPerMinute: 3, projectMemberReadsPerMinute: 2, projectSpaceWritesPerMinute: 1, projectSpaceReadsPerMinute: 1 },
      });
      // Each call addresses its own space, so only the per-project quotas count. A bucket refills a
      // token in a minute / limit; a window frees a call when the oldest one is a minute old.
      const wait = mode === "tokenBucket" ? { writes: 20, reads: 30 } : { writes: 60, reads: 60 };
      assert.deepEqual(
        [
          q.at(0, "spaces.patch", "S"),
          q.at(1, "spaces.members.create", "A"),
          q.at(2, "spaces.members.patch", "B"),
          q.at(3, "spaces.members.delete", "C"),
          q.at(4, "spaces.members.create", "D"),
          q.at(5, "spaces.members.list", "E"),
          q.at(6, "spaces.members.get", "F"),
          q.at(7, "spaces.members.get", "G"),
          q.at(8, "spaces.get", "H"),
          q.at(9, "spaces.delete", "I"),
        ],
        [
          "ok",
          "ok",
          "ok",
          "ok",
          `429 chat.googleapis.com/membership_write_requests after ${wait.writes} s`,
          "ok",
          "ok",
          `429 chat.googleapis.com/membership_read_requests after ${wait.reads} s`,
          "ok",
          "429 chat.googleapis.com/space_write_requests after 60 s",
        ],
      );
    });
  }

  it("refuses an unknown mode", () => {
    assert.throws(() => new QuotaEnforcer().configure({ mode: "leakyBucket" as never }), {
      message: 'mode must be tokenBucket or slidingWindow, not "leakyBucket".',
    });
  });
});
