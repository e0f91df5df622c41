/**
 * The mutation table (scripts/mutants.ts) stays runnable: every anchor is in its file exactly
 * once, so a change that moves a rule's text fails here, in `npm test`, not an hour into
 * `npm run mutants`.
 */
import assert from "node:assert/strict";
import { checkAnchors, MUTANTS } from "../../scripts/mutants";

describe("the mutation table", () => {
  it("anchors every mutation on exactly one text of its file", () => {
    assert.doesNotThrow(() => checkAnchors(MUTANTS));
  });

  it("names each mutation once", () => {
    const ids = MUTANTS.map((m) => m.id);
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
    );
  });
});
