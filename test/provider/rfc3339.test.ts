/** The one rule for the RFC 3339 times a declaration or a command flag gives (core/rfc3339.ts). */
import assert from "node:assert/strict";
import { isRfc3339Time } from "../../provider/core/rfc3339";

describe("provider: RFC 3339 times", () => {
  it("takes a date-time of the calendar, in UTC or at an offset, with or without a fraction of a second", () => {
    for (const text of [
      "2019-01-01T00:00:00Z",
      "2020-02-29T23:59:59Z",
      "2019-12-31T10:00:00.123456789+05:30",
      "2024-03-01T00:00:00-12:00",
      "0099-01-01T00:00:00Z",
    ])
      assert.equal(isRfc3339Time(text), true, text);
  });

  it("refuses a day the month has not, an hour past 23, a minute or second past 59, an offset past a day, and any other shape", () => {
    for (const text of [
      "2019-02-29T00:00:00Z",
      "2100-02-29T00:00:00Z",
      "2019-04-31T00:00:00Z",
      "2019-13-01T00:00:00Z",
      "2019-00-10T00:00:00Z",
      "2019-01-00T00:00:00Z",
      "2019-01-01T24:00:00Z",
      "2019-01-01T10:60:00Z",
      "2019-01-01T10:00:60Z",
      "2019-01-01T10:00:00+24:00",
      "2019-01-01T10:00:00",
      "2019-01-01",
      "2019-01-01 10:00:00Z",
      "2019-01-01t10:00:00z",
      "0000-01-01T00:00:00Z",
      "2019-01-01T10:00:00.1234567890Z",
    ])
      assert.equal(isRfc3339Time(text), false, text);
  });
});
