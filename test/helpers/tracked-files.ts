/** The repository's tracked files, for the tests that check every one of them. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const REPO = join(__dirname, "../..");

/** The paths git tracks, relative to the repository's root. */
export function trackedPaths(): string[] {
  return execFileSync("git", ["ls-files", "-z"], { cwd: REPO, encoding: "utf8" })
    .split("\0")
    .filter((f) => f !== "");
}

/** Each tracked file's lines, as `file:line: ` plus what `match` finds in the line. */
export function findInTrackedLines(match: (line: string) => string[]): string[] {
  const found: string[] = [];
  for (const file of trackedPaths()) {
    let text: string;
    try {
      text = readFileSync(join(REPO, file), "utf8");
    } catch {
      continue; // listed by git but deleted in the work tree
    }
    text.split("\n").forEach((line, i) => {
      for (const what of match(line)) found.push(`${file}:${i + 1}: ${what}`);
    });
  }
  return found;
}
