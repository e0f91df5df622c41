/**
 * `npx pulumi-googlechat import --from-stack`: the `pulumi import --file` resources that move a
 * stack of ChatSpace, ChatMembership and ChatSpaceMembers to the provider plugin's types, from
 * the stack's state (stack-migration.ts). Reads the state only (`pulumi stack export`): no call to
 * Google, no credentials.
 */
import { writeFileSync } from "node:fs";
import { importFileText } from "../import/file";
import type { CommandIo } from "../io";
import { migrationImportFile, nameOfUrn } from "./stack-migration";
import { exportStack, type StackLocation } from "./stack-state";

export async function importFromStack(at: StackLocation, out: string | undefined, io: CommandIo): Promise<number> {
  const exported = await exportStack(at, io.env);
  if ("error" in exported) {
    io.stderr.write(`pulumi-googlechat import: ${exported.error}.\n`);
    return 1;
  }
  const { file, reads, refused } = migrationImportFile(exported.state);
  if (refused.length > 0) {
    io.stderr.write(`pulumi-googlechat import: the stack is not settled; no file written:\n${refused.map((r) => `  ${r.urn} ${r.reason}.\n`).join("")}`);
    return 1;
  }
  if (file.resources.length === 0) {
    io.stderr.write("pulumi-googlechat import: the stack holds no ChatSpace, ChatMembership or ChatSpaceMembers to move; no file written.\n");
    return 1;
  }
  const text = importFileText(file);
  if (out) writeFileSync(out, text);
  else io.stdout.write(text);
  const counts = new Map<string, number>();
  for (const r of file.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  io.stderr.write(`${file.resources.length} resources to move (${[...counts].map(([type, n]) => `${n} ${type}`).join(", ")})${out ? ` in ${out}` : ""}.\n`);
  if (reads.length > 0) {
    io.stderr.write(
      `Read only (ChatSpace.get), not imported: ${reads.map(nameOfUrn).join(", ")}: declare them in the new program as reads (\`get\`), ` +
        "or look them up with googlechat:index:getSpace.\n",
    );
  }
  io.stderr.write(
    [
      "Next, in the plugin program's folder, on this stack, with nothing run in between:",
      `  pulumi import --file ${out ?? "FILE"}         # takes each resource's state from the file: no call to Google`,
      "  npx pulumi-googlechat forget-migrated   # removes the dynamic entries from the state: their Delete never runs",
      "  pulumi preview                          # no changes, once the program declares what the TypeScript one did",
      "",
    ].join("\n"),
  );
  return 0;
}
