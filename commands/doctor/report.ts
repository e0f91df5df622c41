/**
 * The doctor's findings: one per check, each with what was found and, when it fails, what to do;
 * printed one line each, or as JSON (`--json`).
 */

/** How a check came out: `fail` makes the command exit 1; `warn` is something the stack may not need. */
export type Status = "ok" | "fail" | "warn" | "skip";

export interface Finding {
  /** What was checked, such as `credentials`, `create spaces`, `chain 2/3`. */
  readonly check: string;
  readonly status: Status;
  /** What was found. */
  readonly message: string;
  /** What to do, when something is wrong. */
  readonly fix?: string;
}

const MARK: Record<Status, string> = { ok: "OK  ", fail: "FAIL", warn: "WARN", skip: "SKIP" };

/** One line: `FAIL memberships: … Fix: …`. */
export const line = (f: Finding) => `${MARK[f.status]} ${f.check}: ${f.message}${f.fix ? ` Fix: ${f.fix}` : ""}`;

/** Whether everything the stack needs works: no finding failed. */
export const healthy = (findings: readonly Finding[]) => findings.every((f) => f.status !== "fail");

/** The `--json` document: `ok` and the findings in order. */
export const asJson = (findings: readonly Finding[]) => `${JSON.stringify({ ok: healthy(findings), checks: findings }, null, 2)}\n`;
