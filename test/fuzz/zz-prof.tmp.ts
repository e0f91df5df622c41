import fc from "fast-check";
import { useEmulator } from "../helpers/emulator";
import { areasFrom, fixtureArbitrary } from "../fuzz/generate";
import { runCase } from "../fuzz/run-case";
describe("prof", function () {
  this.timeout(600000);
  const t = useEmulator();
  it("runs", async () => {
    const cases = fc.sample(fixtureArbitrary(areasFrom(undefined, [])), { numRuns: 200, seed: 1 });
    const t0 = Date.now();
    let reqs = 0;
    for (const f of cases) { await runCase(t, f); reqs += (await t.control.requests()).length; }
    console.log("ms/case", (Date.now() - t0) / cases.length, "requests/case", reqs / cases.length);
  });
});
