/**
 * `npx pulumi-googlechat plan [preview.json] [--out FILE] [--allow-destroy]`: the plan summary
 * people read on a pull request before approving it. Reads `pulumi preview --json`
 * (a file, or standard input), writes Markdown (markdown.ts), and exits non-zero on any
 * deletion, replacement or member removal unless it is allowed, so a pipeline stops there.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { CommandIo } from "../io";
import { renderPlan } from "./markdown";
import { parsePreview } from "./preview-json";
import { isDestructive, summarizePlan } from "./summary";

/** The exit codes, for a pipeline's `if:`. */
export const EXIT = {
  /** Nothing destructive, or it was allowed. */
  OK: 0,
  /** A deletion, replacement or member removal that --allow-destroy did not allow. */
  DESTRUCTIVE: 1,
  /** Bad arguments or input. */
  USAGE: 2,
  /** The preview itself failed: nothing can be deployed from it. */
  PREVIEW_FAILED: 3,
} as const;

const USAGE = `usage: pulumi-googlechat plan [PREVIEW_JSON] [options]

Summarises \`pulumi preview --json\` in Markdown for a pull request: the spaces and members to
create, change, replace and delete, every deletion, replacement and member removal first and in
bold with what it loses (a space's messages, a person's membership).

  PREVIEW_JSON        the preview's output (default: standard input), e.g.
                        pulumi preview --json --show-sames > preview.json
                        pulumi-googlechat plan preview.json
                      (--show-sames: the unchanged spaces too, so that a member's removal
                      names the space by its display name, not only its id)
  --out FILE          write the summary there (default: standard output)
  --allow-destroy     deletions, replacements and member removals are allowed (a workflow
                      sets it from a pull request label); without it they make the command exit 1

Exit codes: 0 nothing destructive (or allowed), 1 a deletion, replacement or removal not allowed,
2 bad arguments or input, 3 the preview failed. The summary is written in every case but 2.`;

export async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { out: { type: "string" }, "allow-destroy": { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    const unknown = /^Unknown option '([^']+)'/.exec((error as Error).message)?.[1];
    return usageError(io, unknown ? `unknown option ${unknown}` : (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.OK;
  }
  if (positionals.length > 1) return usageError(io, `one preview file at most, got ${positionals.length}: ${positionals.join(" ")}`);
  const [file] = positionals;
  if (!file && io.stdin.isTTY) return usageError(io, "no input: pipe `pulumi preview --json` into the command, or name the file it wrote");

  let digest;
  try {
    const text = file ? readFileSync(file, "utf8") : await readAll(io.stdin);
    digest = parsePreview(text, file ?? "standard input");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return usageError(io, code === "ENOENT" ? `${file} does not exist` : (error as Error).message);
  }

  const plan = summarizePlan(digest);
  const markdown = renderPlan(plan, { allowDestroy: values["allow-destroy"] });
  if (values.out) writeFileSync(values.out, markdown);
  else io.stdout.write(markdown);

  if (plan.errors.length) {
    io.stderr.write("pulumi-googlechat plan: the preview failed; fix its errors before deploying.\n");
    return EXIT.PREVIEW_FAILED;
  }
  const destructive = plan.changes.filter(isDestructive).length;
  if (destructive && !values["allow-destroy"]) {
    io.stderr.write(`pulumi-googlechat plan: ${destructive} deletion(s), replacement(s) or removal(s); rerun with --allow-destroy to allow them.\n`);
    return EXIT.DESTRUCTIVE;
  }
  return EXIT.OK;
}

function usageError(io: CommandIo, message: string): number {
  io.stderr.write(`pulumi-googlechat plan: ${message}\n\n${USAGE}\n`);
  return EXIT.USAGE;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk;
  return text;
}
