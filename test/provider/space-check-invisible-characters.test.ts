/**
 * A ChatSpace's resource names (`customer`, `adoptSpace`, `accessSettings.audience`) holding a
 * zero-width space (U+200B), as a value copied from a web page, a document or a chat may carry.
 * Check refuses each (their patterns take no such character) and, as for a member's values
 * (provider/core/unseen-characters.ts), names the character (`it holds U+200B, which can't be
 * seen`) and shows the value with it escaped: quoted as it is, the value would look right.
 * (Its texts are not judged so: a display name may hold a zero-width joiner in an emoji sequence.)
 */
import assert from "node:assert/strict";
import { checkInputs } from "../../provider/space/check";
import type { ChatSpaceInputs } from "../../provider/space/types";

const now = Date.parse("2026-12-01T00:00:00Z");
const check = (inputs: Record<string, unknown>, auth: "app" | "user") => checkInputs(inputs as ChatSpaceInputs, { creating: true, auth, now });
const reasonsOf = (failures: { property: string; reason: string }[], property: string) => failures.filter((f) => f.property === property).map((f) => f.reason);

describe("provider: a ChatSpace's resource name with a character that can't be seen names it in its failure", () => {
  it("customer with a zero-width space: the failure names U+200B and shows it escaped", () => {
    const [reason] = reasonsOf(check({ displayName: "Bot", spaceType: "SPACE", customer: "customers/my_customer\u200b" }, "app"), "customer");
    assert.ok(reason?.includes("U+200B") && reason.includes("\\u200b"), `customer: ${JSON.stringify(reason)}`);
  });

  it("adoptSpace with a zero-width space: the failure names U+200B and shows it escaped", () => {
    const [reason] = reasonsOf(check({ adoptSpace: "spaces/AAAAPhMsFf0\u200b" }, "user"), "adoptSpace");
    assert.ok(reason?.includes("U+200B") && reason.includes("\\u200b"), `adoptSpace: ${JSON.stringify(reason)}`);
  });

  it("accessSettings.audience with a zero-width space: the failure names U+200B and shows it escaped", () => {
    const failures = check({ displayName: "Eng", spaceType: "SPACE", accessSettings: { audience: "audiences/default\u200b" } }, "user");
    const reason = failures.map((f) => f.reason).find((r) => r.includes("must look like audiences/"));
    assert.ok(reason?.includes("U+200B") && reason.includes("\\u200b"), `accessSettings.audience: ${JSON.stringify(failures)}`);
  });

  it("a display name with a zero-width joiner in an emoji sequence passes, as it should", () => {
    assert.deepEqual(check({ displayName: "Family \u{1F468}\u200d\u{1F469}\u200d\u{1F467}", spaceType: "SPACE" }, "user"), []);
  });
});
