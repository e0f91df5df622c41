/**
 * Times as Google's APIs take them: a `createTime` or `deleteTime` (v1.d.ts: a space's, a
 * membership's) is a google.protobuf.Timestamp, whose JSON form is RFC 3339 ("Uses RFC 3339,
 * where generated output will always be Z-normalized and uses 0, 3, 6 or 9 fractional digits.
 * Offsets other than "Z" are also accepted", google/protobuf/timestamp.proto), from year 1 to 9999.
 * Pure: no I/O.
 */

/** `2019-01-01T00:00:00Z`, `2019-01-01T00:00:00.5+01:00`: RFC 3339 §5.6's date-time, with its `T` and `Z` in capitals, to nanoseconds. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Whether `text` is an RFC 3339 date-time that names an instant a Timestamp holds: a day of the
 * calendar (no February 30th, nor April 31st) from year 1, hours to 23, minutes and seconds to 59,
 * an offset within a day. Date.parse alone takes `2019-02-30T00:00:00Z` as March 2nd, and
 * `T24:00:00Z` as the next day.
 */
export function isRfc3339Time(text: string): boolean {
  const parts = DATE_TIME.exec(text);
  if (!parts) return false;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map(Number);
  const [offsetHours, offsetMinutes] = parts.slice(7).map((p) => Number(p ?? 0));
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last of this one; setUTCFullYear keeps years below 100 as written.
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month, 0);
  return day <= lastDay.getUTCDate() && hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= 23 && offsetMinutes <= 59;
}
