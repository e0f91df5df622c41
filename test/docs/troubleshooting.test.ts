/**
 * docs/troubleshooting.md has an entry for every message the provider can raise: each message's
 * longest written part (scripts/error-messages.ts) is quoted there. A new or reworded message
 * fails here until the page says it.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { comparable, errorMessages, MESSAGE_BUILDERS } from "../../scripts/error-messages";

const PAGE = comparable(readFileSync(join(__dirname, "../../docs/troubleshooting.md"), "utf8"));

describe("docs/troubleshooting.md", function () {
  this.timeout(60_000);
  const messages = errorMessages();

  it("finds the messages: thrown errors, check failures and the advice of each refusal", () => {
    const fragments = messages.map((m) => m.fragment);
    for (const known of [
      "derived requestIds are spent (their spaces were deleted): set a new requestId on the resource.", // thrown
      "characters long; Google Chat allows at most", // a check failure
      "A space with this displayName already exists in your Google Workspace organization", // advice for ALREADY_EXISTS
      "the token endpoint", // a service a token request goes to
    ]) {
      assert.ok(
        fragments.some((f) => f.includes(known)),
        `the scan finds "${known}"`,
      );
    }
    assert.ok(Object.keys(MESSAGE_BUILDERS).length > 0);
  });

  it("quotes every message the provider can raise", () => {
    const missing = messages.filter((m) => !PAGE.includes(m.fragment)).map((m) => `${m.file}:${m.line}: ${m.fragment}`);
    assert.deepEqual(missing, []);
  });
});
