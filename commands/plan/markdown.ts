/**
 * The plan summary as Markdown for a pull request (a comment, or the job's step summary):
 * deletions and replacements first, each in bold with what it loses, then what is created,
 * changed or imported, in a table per kind of resource.
 */

import { UNKNOWN } from "../../provider/core/engine-values";
import { type Action, type FieldChange, isDestructive, type Kind, type PlannedChange, type PlanSummary } from "./summary";

/** How the summary reads the label a workflow turns into `--allow-destroy`. */
export interface RenderOptions {
  /** Deletions and replacements are allowed (the command's `--allow-destroy`). */
  readonly allowDestroy: boolean;
}

const VERB: Record<Action, string> = {
  create: "Create",
  update: "Change",
  replace: "Replace",
  delete: "Delete",
  import: "Import",
  forget: "Stop managing",
  discard: "Stop reading",
};
const NOUN: Record<Kind, string> = { space: "space", membership: "membership", roster: "roster", other: "resource" };
const TABLES: readonly [Kind, string][] = [
  ["space", "Spaces"],
  ["membership", "Members"],
  ["roster", "Rosters"],
  ["other", "Other resources"],
];

/** The Markdown summary of a plan. */
export function renderPlan(plan: PlanSummary, options: RenderOptions): string {
  const lines = [`### Pulumi plan${plan.stack ? ` for stack \`${plan.stack}\`` : ""}`];
  const count = (action: Action) => plan.changes.filter((change) => change.action === action).length;
  const counts = [
    [count("create"), "to create"],
    [count("update"), "to change"],
    [count("replace"), "to replace"],
    [count("delete"), "to delete"],
    [count("import"), "to import"],
    [count("forget"), "to stop managing"],
    [count("discard"), "to stop reading"],
  ].filter(([n]) => n !== 0);
  // Each paragraph after a blank line: a failed preview may have no counts, and reads, before its error.
  if (counts.length) lines.push("", counts.map(([n, what]) => `${n} ${what}`).join(" · "));
  else if (!plan.errors.length) lines.push("", "No changes.");
  if (plan.reads) lines.push("", `${plan.reads} read without being managed.`);

  if (plan.errors.length) {
    lines.push("", "> [!CAUTION]", "> **The preview failed.** Nothing can be deployed from it:", ">");
    for (const error of plan.errors) lines.push(...error.split("\n").map((line) => `> ${escapeMarkdown(line)}`));
  }

  const destructive = plan.changes.filter(isDestructive);
  if (destructive.length) {
    lines.push(
      "",
      options.allowDestroy
        ? `> [!WARNING]\n> ${destructive.length} deletion(s), replacement(s) or removal(s), allowed for this change (--allow-destroy).`
        : `> [!CAUTION]\n> ${destructive.length} deletion(s), replacement(s) or removal(s): not deployed unless allowed (--allow-destroy).`,
      "",
    );
    for (const change of destructive) lines.push(`- ${destructiveLine(change)}`);
  }

  for (const [kind, title] of TABLES) {
    const rows = plan.changes.filter((change) => change.kind === kind && !isDestructive(change));
    if (!rows.length) continue;
    lines.push("", `#### ${title}`, "", "| | Resource | What | Changes |", "|---|---|---|---|");
    for (const change of rows)
      lines.push(`| ${VERB[change.action]} | \`${change.resource}\` | ${escapeMarkdown(change.subject)} | ${escapeMarkdown(changesText(change))} |`);
  }
  return `${lines.join("\n")}\n`;
}

/** `**Delete space `old` "Old projects" (spaces/A): deletes the space and all its messages**`, and a replacement's cause or a roster's other changes. */
function destructiveLine(change: PlannedChange): string {
  const cause = change.action === "replace" ? ` (${replaceCause(change)})` : change.notes.length ? ` (also: ${change.notes.join("; ")})` : "";
  // A membership's or roster's loss names the members and the space already.
  const subject = change.kind === "membership" || change.kind === "roster" ? "" : ` ${escapeMarkdown(change.subject)}`;
  return `**${VERB[change.action]} ${NOUN[change.kind]} \`${change.resource}\`${subject}: ${escapeMarkdown(change.loss ?? "")}**${escapeMarkdown(cause)}`;
}

function replaceCause(change: PlannedChange): string {
  if (change.cause) return change.cause;
  if (change.replaceReasons.length) return `because ${change.replaceReasons.join(", ")} changes`;
  return change.fields.length ? `because ${fieldsText(change.fields)}` : "as the provider asks";
}

/** What a table row says changes: the fields, or a roster's members. */
function changesText(change: PlannedChange): string {
  return [fieldsText(change.fields), ...change.notes].filter(Boolean).join("; ");
}

/** `role: ROLE_MANAGER → ROLE_MEMBER; displayName: "Eng" → "Engineering"`. */
function fieldsText(fields: readonly FieldChange[]): string {
  return fields.map(({ field, from, to }) => `${field}: ${valueText(from)} → ${valueText(to)}`).join("; ");
}

function valueText(value: unknown): string {
  if (value === undefined) return "(none)";
  if (value === UNKNOWN) return "(known after the update)";
  if (typeof value === "string") return /^[A-Z_]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

/**
 * Text from the program or Google, made inert in Markdown (a display name may hold `|`, `*`, `<`...):
 * - Markdown's punctuation is backslash-escaped (CommonMark §2.4), `~` too (GFM strikethrough);
 * - `_` only where it may open emphasis, after no letter or digit: one after a letter or digit
 *   never opens (CommonMark §6.2 flanking rules: ROLE_MEMBER, an id ending `…Fi_`), and without
 *   an opener no `_` closes, so those stay as written;
 * - `@` that starts a word gets a WORD JOINER (U+2060) after it: GitHub finds mentions
 *   (`@octo/security`) in the rendered text, after escapes are gone (github/html-pipeline
 *   MentionFilter), so only a character between `@` and the name stops the ping. An email
 *   (`alice@example.com`: a letter before the `@`) is no mention and stays as is.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*[\]<>|#~]/g, (c) => `\\${c}`)
    .replace(/(?<![\p{L}\p{N}])_/gu, "\\_")
    .replace(/(?<![\p{L}\p{N}_])@/gu, "@\u2060");
}
