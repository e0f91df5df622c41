/**
 * The lifecycle fuzzer for memberships: generated ChatMemberships of one space, changes in
 * Chat, refresh or not, admin access or not, faults and lost answers, crashes and operations,
 * run through the engine model against the real provider and the emulator, with
 * membership-invariants.ts checked after each step.
 *
 * FUZZ_MEMBERSHIP_RUNS=n scales it (default 200); FUZZ_SEED and FUZZ_PATH replay a failure;
 * FUZZ_MEMBERSHIP_OPEN=1 also generates the paths of findings still open;
 * FUZZ_FIXTURE=file.json replays one printed membership fixture. Counterexamples found are
 * saved as fixtures/membership-*.json and replayed by name.
 */
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { useEmulator } from "../helpers/emulator";
import type { MembershipFixture } from "./membership-fixture";
import { membershipFixtureArbitrary } from "./membership-generate";
import { MEMBERSHIP_INVARIANTS } from "./membership-invariants";
import { runMembershipCase } from "./membership-run";
import { fuzzSeed } from "./run-case";

const FIXTURES = join(__dirname, "fixtures");
/** Membership counterexamples still open: skipped, by name. */
const OPEN: string[] = ["membership-destroy-removes-caller-first", "membership-replace-own-membership", "membership-role-change-after-removed-in-chat"];

describe("lifecycle fuzzer: ChatMembership keeps its promises under generated cases", function () {
  this.timeout(600_000);
  const t = useEmulator();
  const runs = Number(process.env.FUZZ_MEMBERSHIP_RUNS ?? 200);

  async function property(fixture: MembershipFixture): Promise<void> {
    const { violations, transcript } = await runMembershipCase(t, fixture);
    if (violations.length === 0) return;
    throw new Error(
      [...violations.map((v) => `${v.invariant} (${MEMBERSHIP_INVARIANTS[v.invariant]}): ${v.detail}`), "fixture:", JSON.stringify(fixture), "calls:", ...transcript].join("\n"),
    );
  }

  for (const file of readdirSync(FIXTURES).filter((f) => f.startsWith("membership-") && f.endsWith(".json")).sort()) {
    const { finding, fixture } = JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as { finding: string; fixture: MembershipFixture };
    const name = file.replace(/\.json$/, "");
    (OPEN.includes(name) ? it.skip : it)(`replays ${name} (${finding})`, () => property(fixture));
  }

  it(`holds every invariant over ${runs} cases`, async () => {
    if (process.env.FUZZ_FIXTURE) return property(JSON.parse(readFileSync(process.env.FUZZ_FIXTURE, "utf8")) as MembershipFixture);
    await fc.assert(fc.asyncProperty(membershipFixtureArbitrary(process.env.FUZZ_MEMBERSHIP_OPEN === "1"), property), {
      numRuns: runs,
      seed: fuzzSeed(),
      path: process.env.FUZZ_PATH,
      endOnFailure: process.env.FUZZ_NO_SHRINK === "1",
    });
  });
});
