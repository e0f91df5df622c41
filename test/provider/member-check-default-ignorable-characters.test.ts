/**
 * A member's `user` holding a character that can't be seen but is no format or control character:
 * Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt) also holds the combining
 * grapheme joiner (U+034F), the variation selectors (U+FE0F), the Mongolian free variation
 * selectors (U+180B) and the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), none of them \p{Cf}
 * nor \p{Cc}. A renderer shows none of them, no Google account address or resource name holds one,
 * and each is a known disguise for a "blank" or look-alike name. Check refuses each, naming it as
 * it names a zero-width space, so that the program hears of it at preview, not from Google's 404 at
 * `up` over an address whose fault can't be seen.
 */
import assert from "node:assert/strict";
import { checkMembership } from "../../provider/membership/check";
import type { ChatMembershipInputs } from "../../provider/membership/types";

const S = "spaces/AAA";
const ctx = { auth: "user" as const, now: Date.parse("2026-12-01T00:00:00Z") };
const DEFAULT_IGNORABLE = {
  "a combining grapheme joiner (U+034F)": "\u034f",
  "a variation selector (U+FE0F)": "\ufe0f",
  "a Mongolian free variation selector (U+180B)": "\u180b",
  "a Hangul choseong filler (U+115F)": "\u115f",
  "a Hangul filler (U+3164)": "\u3164",
  "a halfwidth Hangul filler (U+FFA0)": "\uffa0",
};

describe("provider: a member spelt with a default-ignorable character that is no format character fails check", () => {
  for (const [what, c] of Object.entries(DEFAULT_IGNORABLE)) {
    const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    it(`a ChatMembership's user with ${what} inside its address is refused, naming user and ${code}`, () => {
      const failures = checkMembership({ space: S, user: `ali${c}ce@example.com` } as ChatMembershipInputs, ctx);
      assert.deepEqual(
        failures.map((f) => f.property),
        ["user"],
        `check passed ali(${code})ce@example.com: ${JSON.stringify(failures)}`,
      );
      assert.ok(failures[0].reason.includes(`it holds ${code}, which can't be seen`), failures[0].reason);
    });
  }
});
