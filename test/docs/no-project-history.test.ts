/**
 * Comments, strings and docs say the rule and its source, not the project's history: a reader
 * needs "Google answers 404 for a space these credentials can't see (v1.d.ts)", not the number
 * of the ticket or the review that found it. History belongs in commit messages (CONTRIBUTING.md, "House rules for code").
 *
 * The patterns are the tags that history leaves behind, kept tight enough that no rule or
 * citation matches them: an upstream issue is cited as `owner/repo#N`, which none matches.
 */
import assert from "node:assert/strict";
import { findInTrackedLines } from "../helpers/tracked-files";

/** Each tag of project history, and what to write instead. */
const HISTORY: readonly { pattern: RegExp; instead: string }[] = [
  { pattern: /\bissues? #?\d/i, instead: "the rule and its source (an upstream issue as owner/repo#N)" },
  { pattern: /\bfindings? \d/i, instead: "the behaviour the test or code guards" },
  { pattern: /\b(?:final|adversarial) review\b|\(review\)/i, instead: "the behaviour the test or code guards" },
  { pattern: /\bstop \d/i, instead: "the behaviour, not the work session's step" },
  { pattern: /\b[FRM]-[A-Z]?\d+\b|\bF-[A-Z]\d?\b/, instead: "what the fuzzer's counterexample shows, not its label" },
];

/** What in `line` is a history tag: the line, with what to write instead, once per tag. */
function historyTags(line: string): string[] {
  return HISTORY.filter(({ pattern }) => pattern.test(line)).map(({ instead }) => `${line.trim()} (write ${instead})`);
}

describe("no project history in code, tests or docs", () => {
  it("no tracked file carries an issue number, a review finding, a work step or a fuzz label", () => {
    const found = findInTrackedLines(historyTags);
    assert.deepEqual(found, []);
  });

  // Spelt in pieces, so that this file holds none of the tags it looks for.
  const planted: readonly [string, string][] = [
    ["an issue number", "// Retried (iss" + "ue 9): Google may answer 503."],
    ["a capitalised one", " * Iss" + "ue 12, 'Done when': a pipeline"],
    ["a review finding", `it("keys on the organisation (fin` + `ding 7)")`],
    ["the last round of a review", "// (final rev" + "iew)"],
    ["a review tag", `it("R1 (rev` + `iew): a failed completeImport")`],
    ["a work step", "// added at st" + "op 3"],
    ["a roster fuzz label", "// a create removes nobody: R" + "-1, R" + "-3"],
    ["a lifecycle fuzz label", `it("F` + `-B2: a create answered with the name alone")`],
    ["a membership fuzz label", "no member is added back (fuzz M" + "-4)"],
    ["a fuzz label cited", "// see fuzz fixture R" + "-3"],
  ];
  for (const [what, line] of planted) {
    it(`finds ${what}`, () => assert.equal(historyTags(line).length > 0, true, line));
  }

  const clean: readonly [string, string][] = [
    ["an upstream issue cited as owner/repo#N", "// A dynamic provider cannot import (pulumi/pulumi#3550)"],
    ["the doctor's findings", "/** The doctor's findings: one per check */"],
    ["a preview", "// the preview announces its removal"],
    ["UTF-8", "readFileSync(file, 'utf-8')"],
    ["a counterexample's file", "// fixtures/roster-replace-crash-pending-delete.json"],
  ];
  for (const [what, line] of clean) {
    it(`leaves ${what} alone`, () => assert.deepEqual(historyTags(line), []));
  }
});
