/**
 * Nothing the repository ships cites the team's private reference notes, which users don't
 * have: a fact the code relies on is cited from Google's documentation (v1.d.ts), Pulumi's
 * source, or the page of docs/ that states it. The names are spelt in pieces here, so that this
 * file does not hold them either.
 */
import assert from "node:assert/strict";
import { findInTrackedLines } from "../helpers/tracked-files";

/** The notes' file names, and the folder they live in. */
const PRIVATE = [
  "chat-api-" + "behaviour",
  "keyless-" + "auth",
  "pulumi-dynamic-" + "providers",
  "spaces-" + "create.md",
  "code-" + "style.md",
  "shared/" + "reference",
];

describe("no citation of the team's private notes", () => {
  it("no tracked file names them", () => {
    const found = findInTrackedLines((line) => PRIVATE.filter((name) => line.includes(name)));
    assert.deepEqual(found, []);
  });
});
