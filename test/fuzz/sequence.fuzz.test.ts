/**
 * The lifecycle fuzzer's model-based half: generated sequences of commands (commands.ts) on one
 * stack, with the promises checked after each command. FUZZ_SEQUENCE_RUNS=n scales it
 * (default 100 sequences of up to 8 commands); FUZZ_SEED and FUZZ_PATH replay a failure.
 */
import fc from "fast-check";
import { useEmulator } from "../helpers/emulator";
import { commandArbitraries, type Model, Real } from "./commands";
import { fuzzSeed } from "./run-case";
import { Person } from "./world";

describe("lifecycle fuzzer: sequences of operations on one stack keep ChatSpace's promises", function () {
  this.timeout(600_000);
  const t = useEmulator();
  const runs = Number(process.env.FUZZ_SEQUENCE_RUNS ?? 100);

  it(`holds every invariant over ${runs} generated sequences`, async () => {
    let person: Person | undefined;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("user" as const, "admin" as const, "app" as const),
        fc.constantFrom("new" as const, "stale" as const, "notFound" as const),
        fc.commands(commandArbitraries, { maxCommands: 8 }),
        async (caller, afterDelete, commands) => {
          await t.control.reset();
          await t.control.setSettings({ requestIdAfterDelete: afterDelete });
          person ??= Person.of(t);
          const real = new Real(t, person, caller);
          const model: Model = { program: {}, stale: new Set(), deleted: new Set(), adminAccess: caller === "admin" };
          await fc.asyncModelRun(() => ({ model, real }), commands);
        },
      ),
      {
        numRuns: runs,
        seed: fuzzSeed(),
        path: process.env.FUZZ_PATH,
      },
    );
  });
});
