/**
 * Nothing the repository ships cites the team's private reference notes, which users don't
 * have: a fact the code relies on is cited from Google's documentation (v1.d.ts), Pulumi's
 * source, or the page of docs/ that states it. The names are spelt in pieces here, so that this
 * file does not hold them either.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const REPO = join(__dirname, "../..");

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
    const files = execFileSync("git", ["ls-files", "-z"], { cwd: REPO, encoding: "utf8" })
      .split("\0")
      .filter((f) => f !== "");
    const found: string[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(join(REPO, file), "utf8");
      } catch {
        continue; // listed by git but deleted in the work tree
      }
      text.split("\n").forEach((line, i) => {
        for (const name of PRIVATE) if (line.includes(name)) found.push(`${file}:${i + 1}: ${name}`);
      });
    }
    assert.deepEqual(found, []);
  });
});
