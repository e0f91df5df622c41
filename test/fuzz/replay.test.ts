import assert from "node:assert/strict";
import { propertyOf } from "./replay";

describe("fuzz replay: propertyOf, the property each half checks of a fixture", () => {
  const invariants = { oneSpace: "one space per resource", recovers: "the next up recovers" } as const;

  it("holds for a case that broke no promise, running it once", async () => {
    const ran: unknown[] = [];
    const property = propertyOf(async (fixture: { seed: number }) => {
      ran.push(fixture);
      return { violations: [], transcript: ["up create(r0): ok"] };
    }, invariants);
    await property({ seed: 1 });
    assert.deepEqual(ran, [{ seed: 1 }]);
  });

  it("fails with each violation and its promise, then the fixture and the calls, one a line", async () => {
    const property = propertyOf(
      async (_fixture: { seed: number }) => ({
        violations: [
          { invariant: "oneSpace" as const, detail: "r0 owns spaces/A and spaces/B" },
          { invariant: "recovers" as const, detail: "after up: r0 failed" },
        ],
        transcript: ["up create(r0): ok", "    POST /v1/spaces 200"],
      }),
      invariants,
    );
    await assert.rejects(property({ seed: 2 }), {
      message: [
        "oneSpace (one space per resource): r0 owns spaces/A and spaces/B",
        "recovers (the next up recovers): after up: r0 failed",
        "fixture:",
        '{"seed":2}',
        "calls:",
        "up create(r0): ok",
        "    POST /v1/spaces 200",
      ].join("\n"),
    });
  });
});
