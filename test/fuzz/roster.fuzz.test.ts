/**
 * The lifecycle fuzzer for rosters (ChatSpaceMembers): generated rosters of one space, changes
 * in Chat, refresh or not, admin access or not, faults and lost answers, crashes and operations,
 * with roster-run.ts's promises checked after each step.
 *
 * FUZZ_ROSTER_RUNS=n scales it (default 300); FUZZ_SEED and FUZZ_PATH replay a failure;
 * FUZZ_FIXTURE=file.json replays one printed roster fixture. Counterexamples are saved as
 * fixtures/roster-*.json and replayed by name.
 */
import { useEmulator } from "../helpers/emulator";
import { propertyOf, replaySaved, runGenerated } from "./replay";
import type { RosterFixture } from "./roster-fixture";
import { rosterFixtureArbitrary } from "./roster-generate";
import { ROSTER_INVARIANTS, runRosterCase } from "./roster-run";

/**
 * Roster counterexamples still open: skipped, by name. None: every saved one (fixtures/roster-*.json)
 * replays as fixed.
 */
const OPEN: string[] = [];

describe("lifecycle fuzzer: ChatSpaceMembers keeps its promises under generated cases", function () {
  this.timeout(600_000);
  const t = useEmulator();
  const runs = Number(process.env.FUZZ_ROSTER_RUNS ?? 300);

  const property = propertyOf((fixture: RosterFixture) => runRosterCase(t, fixture), ROSTER_INVARIANTS);

  replaySaved("roster-", OPEN, property);

  it(`holds every invariant over ${runs} cases`, () => runGenerated(rosterFixtureArbitrary(), runs, property));
});
