/**
 * A stack's state through the `pulumi` CLI (pulumi-cli.ts), in a project folder: read with
 * `pulumi stack export` (secrets stay encrypted: never `--show-secrets`), and entries removed with
 * `pulumi state delete`, which edits the state only and calls no provider.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runPulumi } from "../pulumi-cli";
import type { StackExport } from "./stack-migration";

/** Where the state is: a project folder, and a stack of it (none: the selected one). */
export interface StackLocation {
  readonly cwd: string;
  readonly stack?: string;
}

const stackFlags = (at: StackLocation) => (at.stack ? ["--stack", at.stack] : []);

/** The state of the stack, or why it can't be read. */
export async function exportStack(at: StackLocation, env: NodeJS.ProcessEnv): Promise<{ state: StackExport } | { error: string }> {
  if (!["Pulumi.yaml", "Pulumi.yml"].some((f) => existsSync(join(at.cwd, f))))
    return { error: `no Pulumi project in ${at.cwd}: run the command in the stack's project folder, or name it with --cwd` };
  const exported = await runPulumi(["stack", "export", ...stackFlags(at)], at.cwd, env);
  if (!exported.ok) return { error: `pulumi stack export failed: ${exported.error}` };
  try {
    return { state: JSON.parse(exported.stdout) as StackExport };
  } catch {
    return { error: "pulumi stack export printed no JSON" };
  }
}

/** Removes `urns` from the state in one edit (`pulumi state delete`, dependents first); `force`: protected ones too. */
export async function deleteFromState(
  at: StackLocation,
  env: NodeJS.ProcessEnv,
  urns: readonly string[],
  force: boolean,
): Promise<{ ok: true } | { error: string }> {
  const deleted = await runPulumi(["state", "delete", "--yes", ...(force ? ["--force"] : []), ...stackFlags(at), ...urns], at.cwd, env);
  return deleted.ok ? { ok: true } : { error: `pulumi state delete failed: ${deleted.stderr.trim() || deleted.error}` };
}
