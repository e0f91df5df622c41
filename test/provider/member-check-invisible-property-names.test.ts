/**
 * A property name holding a zero-width space (U+200B), as a key pasted into a YAML program or an
 * object literal may carry: `user\u200b` for `user`. Check refuses it as an unknown property or
 * field, showing the name escaped and naming the character, as it does a value's
 * (provider/core/unseen-characters.ts), and asks "did you mean user?" when the name without it
 * is one the resource takes. Quoted as it is, the name would read `unknown field "user"`.
 */
import assert from "node:assert/strict";
import { checkMembership } from "../../provider/membership/check";
import type { ChatMembershipInputs } from "../../provider/membership/types";
import { checkInputs } from "../../provider/space/check";
import type { ChatSpaceInputs } from "../../provider/space/types";
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

  it("a roster entry's field user\\u200b is its one failure, asking for user: no second failure asks for a member", () => {
    const failures = checkRoster({ space: S, members: [{ "user\u200b": "alice@example.com" }] } as unknown as ChatSpaceMembersInputs, ctx);
    assert.deepEqual(
      failures.map((f) => f.property),
      ["members[0].user\u200b"],
      JSON.stringify(failures),
    );
    assert.match(failures[0].reason, /did you mean user\?/);
  });

  it("a ChatMembership's property user\\u200b is its one failure, asking for user: no second failure asks for a member", () => {
    const failures = checkMembership({ space: S, "user\u200b": "alice@example.com" } as unknown as ChatMembershipInputs, ctx);
    assert.deepEqual(
      failures.map((f) => f.property),
      ["user\u200b"],
      JSON.stringify(failures),
    );
    assert.match(failures[0].reason, /did you mean user\?/);
  });

  it("a ChatSpace's property displayName\\u200b is its one failure, naming U+200B and asking for displayName", () => {
    const inputs = { "displayName\u200b": "Eng", spaceType: "SPACE" } as unknown as ChatSpaceInputs;
    const failures = checkInputs(inputs, { creating: true, auth: "user", now: ctx.now });
    assert.deepEqual(
      failures.map((f) => f.property),
      ["displayName\u200b"],
      JSON.stringify(failures),
    );
    assert.ok(namesTheCharacter(failures[0].reason), failures[0].reason);
    assert.match(failures[0].reason, /did you mean displayName\?/);
  });

  it("an unknown name with no such character is quoted as it is, with no guess", () => {
    const failures = checkMembership({ space: S, user: "alice@example.com", usr: "x" } as unknown as ChatMembershipInputs, ctx);
    assert.deepEqual(failures, [{ property: "usr", reason: `unknown property "usr": ChatMembership takes ${failures[0]?.reason.split("takes ")[1]}` }]);
  });
});
