/**
 * `npx pulumi-googlechat forget-migrated`: the last step of moving a stack to the provider
 * plugin's types (docs/migrating-to-plugin.md). Removes from the stack's state the ChatSpace,
 * ChatMembership and ChatSpaceMembers entries whose plugin resource `pulumi import` has put in
 * (stack-migration.ts forgetPlan), with `pulumi state delete`: an edit of the state alone, so no
 * provider is called and their Delete never runs. An entry without its plugin resource stays.
 */
import { parseArgs } from "node:util";
import type { CommandIo } from "../io";
import { forgetPlan } from "./stack-migration";
import { deleteFromState, exportStack, type StackLocation } from "./stack-state";

const USAGE = `usage: pulumi-googlechat forget-migrated [options]

Removes from the stack's state each ChatSpace, ChatMembership and ChatSpaceMembers that
\`pulumi import --file\` of \`pulumi-googlechat import --from-stack\` has moved to the provider
plugin's types (the plugin resource is in the state, with the same id and declaration), and the
dynamic provider entry none of the rest uses: \`pulumi state delete\`, which calls nothing, so
their Delete never runs. Any other entry stays, with the reason. The whole move:
docs/migrating-to-plugin.md.

  --cwd DIR       the stack's Pulumi project folder (default: .)
  --stack NAME    that stack (default: the selected one)
  --dry-run       only say what would be removed
  --force         also entries marked protected
`;

export async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        help: { type: "boolean", short: "h" },
        cwd: { type: "string" },
        stack: { type: "string" },
        "dry-run": { type: "boolean" },
        force: { type: "boolean" },
      },
    }));
  } catch (error) {
    io.stderr.write(`pulumi-googlechat forget-migrated: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const at: StackLocation = { cwd: values.cwd ?? process.cwd(), ...(values.stack !== undefined ? { stack: values.stack } : {}) };
  const exported = await exportStack(at, io.env);
  if ("error" in exported) {
    io.stderr.write(`pulumi-googlechat forget-migrated: ${exported.error}.\n`);
    return 1;
  }
  const force = values.force === true;
  const { forget, kept } = forgetPlan(exported.state, force);
  if (forget.length > 0 && !values["dry-run"]) {
    const deleted = await deleteFromState(at, io.env, forget, force);
    if ("error" in deleted) {
      io.stderr.write(`pulumi-googlechat forget-migrated: ${deleted.error}\n`);
      return 1;
    }
  }
  io.stderr.write(
    `${values["dry-run"] ? "Would remove" : "Removed"} ${forget.length} entries from the ` +
      `state${forget.length > 0 ? ":" : "."}\n${forget.map((urn) => `  ${urn}\n`).join("")}`,
  );
  if (kept.length > 0) io.stderr.write(`Kept:\n${kept.map((k) => `  ${k.urn} ${k.reason}.\n`).join("")}`);
  return kept.length > 0 ? 1 : 0;
}
