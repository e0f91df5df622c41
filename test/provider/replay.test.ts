import assert from "node:assert/strict";
import { madeBeforeThisCall, SERVER_CLOCK_SPREAD_MS } from "../../provider/space/replay";

/** Google's clock when the answer was made, and the Date header it sends: the milliseconds cut off. */
const MADE = Date.parse("2026-12-04T09:00:07.800Z");
const DATE = Date.parse("2026-12-04T09:00:07Z");
const iso = (ms: number) => new Date(ms).toISOString();

describe("provider: a create's answer made before the call started (replay.ts)", () => {
  it("takes a space made during the call for this call's, however long the call took", () => {
    for (const elapsedMs of [0, 300, 60_000]) {
      const callStart = MADE - elapsedMs;
      assert.equal(madeBeforeThisCall({ createTime: iso(callStart), serverDate: DATE, elapsedMs }), false, `a call of ${elapsedMs} ms`);
      assert.equal(madeBeforeThisCall({ createTime: iso(MADE), serverDate: DATE, elapsedMs }), false);
    }
  });

  it("takes a space made more than the servers' clock spread and the Date's lost second before the call for an earlier request's", () => {
    const earliestSure = DATE - SERVER_CLOCK_SPREAD_MS;
    assert.equal(madeBeforeThisCall({ createTime: iso(earliestSure - 1), serverDate: DATE, elapsedMs: 0 }), true);
    assert.equal(madeBeforeThisCall({ createTime: iso(earliestSure), serverDate: DATE, elapsedMs: 0 }), false, "within the spread: this call's");
    assert.equal(madeBeforeThisCall({ createTime: iso(MADE - 2 * 1000 - 1), serverDate: DATE, elapsedMs: 0 }), true, "two seconds old is always told");
    assert.equal(madeBeforeThisCall({ createTime: "2020-01-02T03:04:05Z", serverDate: DATE, elapsedMs: 0 }), true, "an import-mode space's historical time");
  });

  it("reads the local clock only as a stopwatch: a call that took long moves the start back, a negative time counts as none", () => {
    assert.equal(madeBeforeThisCall({ createTime: iso(DATE - 5_000), serverDate: DATE, elapsedMs: 10_000 }), false);
    assert.equal(madeBeforeThisCall({ createTime: iso(DATE - 5_000), serverDate: DATE, elapsedMs: -10_000 }), true);
    assert.equal(madeBeforeThisCall({ createTime: iso(DATE), serverDate: DATE, elapsedMs: -10_000 }), false);
  });

  it("counts an answer without a Date header, or a createTime it can't read, as an earlier request's: read again", () => {
    assert.equal(madeBeforeThisCall({ createTime: iso(MADE), serverDate: undefined, elapsedMs: 0 }), true);
    assert.equal(madeBeforeThisCall({ createTime: undefined, serverDate: DATE, elapsedMs: 0 }), true);
    assert.equal(madeBeforeThisCall({ createTime: "yesterday-ish", serverDate: DATE, elapsedMs: 0 }), true);
  });
});
