/**
 * A member's `user` or `group` holding a character that can't be seen: a zero-width space
 * (U+200B), a zero-width joiner (U+200D), a soft hyphen (U+00AD) or a word joiner (U+2060), as
 * text copied from a web page or a chat often carries. No Google account address or resource name
 * holds one, so such a value names no member, and check must refuse it, naming the property, as it
 * refuses a space around an address.
 * JavaScript's `\s`, which the email rule excludes, covers U+00A0 and U+FEFF but none of these.
 *
 * Unrefused, such a value would pass check (its key, `users/alice@example.com\u200b`, is not
 * alice's, so no other declaration of her matches it), and the first the program heard of it
 * would be Google's 404 at `up`, after the writes of the resources before it, with an address
 * whose fault can't be seen in the message. So check refuses it, naming the property and the
 * character (U+200B), and showing the value with that character escaped where it stands.
 */
import assert from "node:assert/strict";
import { checkMembership } from "../../provider/membership/check";
import type { ChatMembershipInputs, ChatMembershipOutputs } from "../../provider/membership/types";
import { checkRoster } from "../../provider/space-members/check";
import type { ChatSpaceMembersInputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { adminsSpaceWithAlice, membershipInputs, oneProcess } from "./membership-helpers";

const S = "spaces/AAA";
const ctx = { auth: "user" as const, now: Date.parse("2026-12-01T00:00:00Z") };
const INVISIBLE = { "a zero-width space": "\u200b", "a zero-width joiner": "\u200d", "a soft hyphen": "\u00ad", "a word joiner": "\u2060" };

describe("provider: a member spelt with a character that can't be seen fails check", () => {
  for (const [what, c] of Object.entries(INVISIBLE)) {
    it(`a ChatMembership's user with ${what} at its end is refused, naming user`, () => {
      const failures = checkMembership({ space: S, user: `alice@example.com${c}` } as ChatMembershipInputs, ctx);
      assert.deepEqual(
        failures.map((f) => f.property),
        ["user"],
        `check passed users/alice@example.com${JSON.stringify(c).slice(1, -1)}: ${JSON.stringify(failures)}`,
      );
    });

    it(`a roster entry's user with ${what} inside its address, and a group with one, are refused, naming members[i]`, () => {
      const failures = checkRoster(
        {
          space: S,
          members: [{ user: `ali${c}ce@example.com` }, { user: `users/1100000000000000000${c}02` }, { group: `groups/devs${c}` }],
        } as ChatSpaceMembersInputs,
        ctx,
      );
      assert.deepEqual(
        failures.map((f) => f.property),
        ["members[0].user", "members[1].user", "members[2].group"],
        JSON.stringify(failures),
      );
    });
  }
});

describe("provider: the failure of a value with a character that can't be seen names each one, and shows it escaped", () => {
  const reasonOf = (inputs: Record<string, unknown>) =>
    checkMembership({ space: S, ...inputs } as ChatMembershipInputs, ctx).map((f) => `${f.property} ${f.reason}`);
  const UNSEEN_ADVICE = "which can't be seen (text copied from a web page or a chat may carry such characters).";

  it("two of them, and a control character, are each named once", () => {
    assert.deepEqual(reasonOf({ group: "groups/de\u00advs\u2060\u00ad", role: undefined }), [
      `group must be groups/{group}, not "groups/de\\u00advs\\u2060\\u00ad": it holds U+00AD, U+2060, ${UNSEEN_ADVICE} ` +
        "Delete them, or type the value again rather than paste it.",
    ]);
    assert.deepEqual(reasonOf({ user: "alice@example.com\u0085" }), [
      `user must be an email (alice@example.com) or users/{id}, not "alice@example.com\\u0085": it holds U+0085, ${UNSEEN_ADVICE} ` +
        "Delete it, or type the value again rather than paste it.",
    ]);
  });

  it("a space that isn't the space (a no-break space, an ideographic space) is named as one that only looks like a space, and escaped", () => {
    assert.deepEqual(reasonOf({ user: "alice@example.com\u00a0" }), [
      'user must be an email (alice@example.com) or users/{id}, not "alice@example.com\\u00a0": it holds U+00A0, ' +
        "which looks like a space but isn't one (text copied from a web page or a chat may carry such characters). " +
        "Delete it, or type the value again rather than paste it.",
    ]);
    assert.deepEqual(reasonOf({ group: "groups/\u3000de\u200bvs\u202f" }), [
      'group must be groups/{group}, not "groups/\\u3000de\\u200bvs\\u202f": it holds U+200B, which can\'t be seen, and U+3000, U+202F, ' +
        "which look like spaces but aren't (text copied from a web page or a chat may carry such characters). " +
        "Delete them, or type the value again rather than paste it.",
    ]);
    // A line or paragraph separator breaks the line, or shows nothing: named as what it is.
    assert.deepEqual(reasonOf({ user: "alice@example.com\u2028" }), [
      'user must be an email (alice@example.com) or users/{id}, not "alice@example.com\\u2028": it holds U+2028, ' +
        "which is a line or paragraph separator (text copied from a web page or a chat may carry such characters). " +
        "Delete it, or type the value again rather than paste it.",
    ]);
    // The space itself is no such character: a value with one gets its rule's failure as before.
    assert.deepEqual(reasonOf({ user: "alice@example.com " }), ['user must be an email (alice@example.com) or users/{id}, not "alice@example.com ".']);
  });

  it("a role with one is refused so too; a value still wrong without it gets its rule's failure, the character shown escaped", () => {
    const [role] = reasonOf({ user: "alice@example.com", role: "ROLE_MANAGER\u200b" });
    assert.match(role, /^role must be one of .*, not "ROLE_MANAGER\\u200b": it holds U\+200B, which can't be seen /);
    assert.deepEqual(reasonOf({ user: "alice@\u200b" }), ['user must be an email (alice@example.com) or users/{id}, not "alice@\\u200b".']);
  });
});

describe("provider: a ChatMembership of an address with a zero-width space, against the emulator", () => {
  const t = useEmulator();

  it("fails its check with no API call, rather than its create with Google's 404", async () => {
    const s = await adminsSpaceWithAlice(t, "ROLE_MEMBER");
    const { memberships } = await oneProcess(t);
    const declared = membershipInputs("alice", { space: s, user: "alice@example.com\u200b" });
    const mark = await logMark(t);
    const checked = await memberships.check({} as never, declared);
    const failures = (checked.failures ?? []).map((f) => f.property);
    let created: string | undefined;
    if (failures.length === 0) {
      created = await memberships
        .create(declared)
        .then((r) => `created ${(r.outs as ChatMembershipOutputs).member}`)
        .catch((e: Error) => e.message);
    }
    assert.deepEqual(failures, ["user"], `check passed it; the create then: ${created}; calls: ${(await apiCalls(t, mark)).join("; ")}`);
    assert.deepEqual(await apiCalls(t, mark), []);
    assert.deepEqual(checked.failures, [
      {
        property: "user",
        reason:
          'must be an email (alice@example.com) or users/{id}, not "alice@example.com\\u200b": it holds U+200B, which can\'t be seen ' +
          "(text copied from a web page or a chat may carry such characters). Delete it, or type the value again rather than paste it.",
      },
    ]);
  });
});
