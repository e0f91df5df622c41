/**
 * The provider settings a command signs in with, as a program's provider would have them
 * (provider/core/settings.ts resolveSettings): `-c googlechat:KEY=VALUE` flags over the selected
 * stack's config (where the command reads it), over the environment.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type ProviderSettings, resolveSettings } from "../provider/core/settings";
import { runPulumi } from "./pulumi-cli";

/** The `-c`/`--config` flags' `googlechat:KEY=VALUE` entries, by key; throws naming an entry of another form. */
export function configFlags(entries: readonly string[]): Map<string, string> {
  const config = new Map<string, string>();
  for (const entry of entries) {
    const match = /^(googlechat:[A-Za-z]+)=(.*)$/s.exec(entry);
    if (!match) throw new Error(`--config takes googlechat:KEY=VALUE, not "${entry.split("=")[0]}=..."`);
    config.set(match[1], match[2]);
  }
  return config;
}

/** Settings from the flags, then `stack` (the stack's `googlechat:` config, if read), then the environment. */
export function commandSettings(flags: ReadonlyMap<string, string>, env: NodeJS.ProcessEnv, stack?: ReadonlyMap<string, string>): ProviderSettings {
  return resolveSettings((key) => flags.get(key) ?? stack?.get(key), env);
}

/** The selected stack's config as `pulumi config` has it, or why there is none here. */
export type StackConfig = { stack: string; config: Map<string, string> } | { stack?: undefined; reason: string };

/**
 * The `googlechat:` config of the stack selected in `cwd` (`pulumi stack --show-name`, then
 * `pulumi config --json --show-secrets`: the values the provider would get, secrets decrypted, kept
 * in memory only); none when `cwd` holds no Pulumi project, no stack is selected, or the pulumi CLI
 * can't be run. `pulumi` is found on the environment's PATH.
 */
export async function readStackConfig(cwd: string, env: NodeJS.ProcessEnv): Promise<StackConfig> {
  if (!["Pulumi.yaml", "Pulumi.yml"].some((f) => existsSync(join(cwd, f)))) return { reason: `no Pulumi project in ${cwd}` };
  const stack = await runPulumi(["stack", "--show-name"], cwd, env);
  if (!stack.ok) return { reason: `no stack selected (pulumi stack --show-name: ${stack.error})` };
  const json = await runPulumi(["config", "--json", "--show-secrets"], cwd, env);
  if (!json.ok) return { reason: `pulumi config --json failed: ${json.error}` };
  let parsed: Record<string, { value?: unknown }>;
  try {
    parsed = JSON.parse(json.stdout) as Record<string, { value?: unknown }>;
  } catch {
    return { reason: "pulumi config --json printed no JSON" };
  }
  const config = new Map<string, string>();
  for (const [key, entry] of Object.entries(parsed)) {
    if (key.startsWith("googlechat:") && typeof entry?.value === "string") config.set(key, entry.value);
  }
  return { stack: stack.stdout.trim(), config };
}
