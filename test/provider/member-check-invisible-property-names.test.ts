/**
 * A property name holding a zero-width space (U+200B), as a key pasted into a YAML program or an
 * object literal may carry: `user\u200b` for `user`. Check refuses it as an unknown property or
 * field, but quotes the name as it is (`unknown field "user"`), so the message names a field the
 * member does take, and a second failure asks for the user the entry seems to declare. A value
 * holding such a character is refused naming it (members/check.ts `checkValue`: `it holds
 * U+200B, which can't be seen`) and showing it escaped; a property name must be too.
 */
import assert from "node:assert/strict";
import { checkMembership } from "../../provider/membership/check";
import type { ChatMembershipInputs } from "../../provider/membership/types";
import { checkRoster } from "../../provider/space-members/check";
import type { ChatSpaceMembersInputs } from "../../provider/space-members/types";

const S = "spaces/AAA";
const ctx = { auth: "user" as const, now: Date.parse("2026-12-01T00:00:00Z") };
const namesTheCharacter = (reason: string | undefined) => (reason?.includes("U+200B") && reason.includes("\\u200b")) === true;

describe("provider: a property name with a character that can't be seen names it in its failure", () => {
  it("a roster entry's field user\\u200b: the unknown-field failure names U+200B and shows it escaped", () => {
    const failures = checkRoster({ space: S, members: [{ "user\u200b": "alice@example.com" }] } as unknown as ChatSpaceMembersInputs, ctx);
    const reason = failures.find((f) => f.reason.startsWith("unknown field"))?.reason;
    assert.ok(namesTheCharacter(reason), JSON.stringify(failures));
  });

  it("a ChatMembership's property user\\u200b: the unknown-property failure names U+200B and shows it escaped", () => {
    const failures = checkMembership({ space: S, "user\u200b": "alice@example.com" } as unknown as ChatMembershipInputs, ctx);
    const reason = failures.find((f) => f.reason.startsWith("unknown property"))?.reason;
    assert.ok(namesTheCharacter(reason), JSON.stringify(failures));
  });
});
