/**
 * The lifecycle fuzzer for rosters (ChatSpaceMembers): generated rosters of one space, changes
 * in Chat, refresh or not, admin access or not, faults and lost answers, crashes and operations,
 * with roster-run.ts's promises checked after each step.
 *
 * FUZZ_ROSTER_RUNS=n scales it (default 200); FUZZ_SEED and FUZZ_PATH replay a failure;
 * FUZZ_ROSTER_OPEN=1 also generates the paths of findings still open;
 * FUZZ_FIXTURE=file.json replays one printed roster fixture. Counterexamples are saved as
 * fixtures/roster-*.json and replayed by name.
 */
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { useEmulator } from "../helpers/emulator";
import type { RosterFixture } from "./roster-fixture";
import { rosterFixtureArbitrary } from "./roster-generate";
import { ROSTER_INVARIANTS, runRosterCase } from "./roster-run";
import { fuzzSeed } from "./run-case";

const FIXTURES = join(__dirname, "fixtures");
/** Roster counterexamples still open: skipped, by name. */
const OPEN: string[] = [
  "roster-create-removes-unlisted-members",
  "roster-delete-leaves-invited-owner",
  "roster-demotes-caller-then-delete",
  "roster-forced-replace-removes-members",
];

describe("lifecycle fuzzer: ChatSpaceMembers keeps its promises under generated cases", function () {
  this.timeout(600_000);
  const t = useEmulator();
  const runs = Number(process.env.FUZZ_ROSTER_RUNS ?? 200);

  async function property(fixture: RosterFixture): Promise<void> {
    const { violations, transcript } = await runRosterCase(t, fixture);
    if (violations.length === 0) return;
    throw new Error([...violations.map((v) => `${v.invariant} (${ROSTER_INVARIANTS[v.invariant]}): ${v.detail}`), "fixture:", JSON.stringify(fixture), "calls:", ...transcript].join("\n"));
  }

  for (const file of readdirSync(FIXTURES).filter((f) => f.startsWith("roster-") && f.endsWith(".json")).sort()) {
    const { finding, fixture } = JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as { finding: string; fixture: RosterFixture };
    const name = file.replace(/\.json$/, "");
    (OPEN.includes(name) ? it.skip : it)(`replays ${name} (${finding})`, () => property(fixture));
  }

  it(`holds every invariant over ${runs} cases`, async () => {
    if (process.env.FUZZ_FIXTURE) return property(JSON.parse(readFileSync(process.env.FUZZ_FIXTURE, "utf8")) as RosterFixture);
    await fc.assert(fc.asyncProperty(rosterFixtureArbitrary(process.env.FUZZ_ROSTER_OPEN === "1"), property), {
      numRuns: runs,
      seed: fuzzSeed(),
      path: process.env.FUZZ_PATH,
      endOnFailure: process.env.FUZZ_NO_SHRINK === "1",
    });
  });
});
