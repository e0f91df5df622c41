/**
 * What each half of the fuzzer (spaces, memberships, rosters) does the same way: the property it
 * checks of a fixture, replay its saved counterexamples by name (those still open skipped,
 * named), and run its generated cases with the fixed seed, FUZZ_SEED/FUZZ_PATH replays,
 * FUZZ_NO_SHRINK, or one printed FUZZ_FIXTURE.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import type { CaseResult } from "./case-run";
import { fuzzSeed } from "./run-case";

const FIXTURES = join(__dirname, "fixtures");
/** The file prefixes of the membership, roster and cross-resource (members) halves' fixtures; the spaces' have none. */
export const HALF_PREFIXES = ["membership-", "roster-", "members-"] as const;

/**
 * The property a half checks of each fixture: `run` the case, and fail when it broke a promise,
 * with every violation and the promise its invariant names in `invariants`, then the fixture and
 * the calls: all a failure needs to be reproduced (FUZZ_FIXTURE) and read.
 */
export function propertyOf<F, I extends string>(
  run: (fixture: F) => Promise<CaseResult<{ invariant: I; detail: string }>>,
  invariants: Readonly<Record<I, string>>,
): (fixture: F) => Promise<void> {
  return async (fixture) => {
    const { violations, transcript } = await run(fixture);
    if (violations.length === 0) return;
    throw new Error(
      [...violations.map((v) => `${v.invariant} (${invariants[v.invariant]}): ${v.detail}`), "fixture:", JSON.stringify(fixture), "calls:", ...transcript].join(
        "\n",
      ),
    );
  };
}

/** One `it` per saved fixture of the half whose files start with `prefix` (the spaces': ""). */
export function replaySaved<F>(prefix: string, open: readonly string[], property: (fixture: F) => Promise<void>): void {
  const ofHalf = (f: string) => (prefix ? f.startsWith(prefix) : !HALF_PREFIXES.some((p) => f.startsWith(p)));
  for (const file of readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".json") && ofHalf(f))
    .sort()) {
    const { finding, fixture } = JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as { finding: string; fixture: F };
    const name = file.replace(/\.json$/, "");
    (open.includes(name) ? it.skip : it)(`replays ${name} (${finding})`, () => property(fixture));
  }
}

/** Runs `runs` generated cases (or the one FUZZ_FIXTURE names) through `property`. */
export async function runGenerated<F>(arbitrary: fc.Arbitrary<F>, runs: number, property: (fixture: F) => Promise<void>): Promise<void> {
  if (process.env.FUZZ_FIXTURE) return property(JSON.parse(readFileSync(process.env.FUZZ_FIXTURE, "utf8")) as F);
  await fc.assert(fc.asyncProperty(arbitrary, property), {
    numRuns: runs,
    seed: fuzzSeed(),
    path: process.env.FUZZ_PATH,
    endOnFailure: process.env.FUZZ_NO_SHRINK === "1",
  });
}
