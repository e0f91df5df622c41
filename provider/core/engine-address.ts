/**
 * The engine's address, as every provider process the engine starts is given it: its last
 * argument, since the engine puts its own flags (`--logtostderr`, `-v=N`, `--tracing URL`) before
 * the plugin's arguments, and the plugin's argument is the address of its host's RPC server
 * (pulumi/pulumi sdk/go/common/resource/plugin/plugin.go `buildPluginArguments`;
 * provider_plugin.go `NewProvider`: `[]string{host.ServerAddr()}`). The provider plugin
 * (plugin/main.ts) and Pulumi's dynamic-provider host (core/engine-log.ts) read it here.
 */

/** The last of a process's arguments (`process.argv` without node and the script), undefined when it has none. */
export function engineAddressArgument(args: readonly string[] = process.argv.slice(2)): string | undefined {
  return args.length > 0 ? args[args.length - 1] : undefined;
}
