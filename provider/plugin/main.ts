/**
 * The executable `pulumi-resource-googlechat` (bin/): the engine starts it with its own address
 * as the last argument (flags such as `--logtostderr`, `-v=N` or `--tracing X` may come first:
 * pulumi/pulumi sdk/go/common/resource/plugin/plugin.go), reads one line from its stdout, the
 * port it serves on, and calls it there. Nothing else may reach stdout. Log lines go to the
 * engine's Log RPC, attached to the resource they concern.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ProviderDeps } from "../core/configured-provider";
import { engineAddressArgument } from "../core/engine-address";
import { engineLogAt } from "../core/engine-log";
import { processDeps } from "../core/process-deps";
import { settingsEnvironment } from "./config";
import { startPlugin } from "./server";

/** This package's version: its package.json, found from this file up (in the repository and installed alike). */
function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (!existsSync(manifest)) continue;
    const { name, version } = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version?: string };
    if (name === "pulumi-googlechat" && version) return version;
  }
  return "";
}

/**
 * The providers' deps in a plugin process: a provider process's (core/process-deps.ts), with the
 * engine's Log RPC, the environment without the stack config, and the claims shared with the
 * deployment's other provider processes, keyed by the engine's address.
 */
export function pluginDeps(engineAddress: string, env: NodeJS.ProcessEnv): ProviderDeps {
  return processDeps(settingsEnvironment(env), engineLogAt(engineAddress), engineAddress);
}

export async function main(argv: readonly string[]): Promise<void> {
  const engineAddress = engineAddressArgument(argv);
  if (!engineAddress) {
    process.stderr.write("pulumi-resource-googlechat: the Pulumi engine starts this plugin with its address as the last argument.\n");
    process.exit(1);
  }
  const plugin = await startPlugin({
    version: packageVersion(),
    deps: pluginDeps(engineAddress, process.env),
  });
  process.stdout.write(`${plugin.port}\n`);
}

if (require.main === module) void main(process.argv.slice(2));
