/**
 * Where the provider's log lines go. In Pulumi's dynamic-provider host, `pulumi.log` never
 * reaches the engine: the host receives the engine's address as its first argument but does not
 * connect the SDK's log to it (pulumi/pulumi#6065), so lines would be lost in the plugin's stdout.
 * This sends them over the engine's own Log RPC instead, with the protocol files and gRPC
 * library @pulumi/pulumi ships; elsewhere (tests, programs) it falls back to `pulumi.log`.
 */
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import { engineAddressArgument } from "./engine-address";

/** One log line; `urn` attaches it to the resource it concerns (without one, to the stack). */
export type Log = (message: string, urn?: string) => void;

/** The engine's address when this process is Pulumi's dynamic-provider host: its last argument, as for every plugin (core/engine-address.ts). */
export function dynamicProviderEngineAddress(): string | undefined {
  const host = require.main?.filename ?? "";
  const address = engineAddressArgument();
  return /[/\\]dynamic-provider[/\\]index\.js$/.test(host) && /^[\w.[\]:-]+:\d+$/.test(address ?? "") ? address : undefined;
}

export function engineLog(): Log {
  const address = dynamicProviderEngineAddress();
  return address ? engineLogAt(address) : (message) => void pulumi.log.info(message);
}

/**
 * Log lines sent to the engine at `address` over its Log RPC, at info severity: what a provider
 * plugin (its engine address is its last argument) and the dynamic-provider host use.
 */
export function engineLogAt(address: string): Log {
  const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));
  const grpc = fromPulumi("@grpc/grpc-js");
  const { EngineClient } = fromPulumi("./proto/engine_grpc_pb");
  const { LogRequest, LogSeverity } = fromPulumi("./proto/engine_pb");
  const engine = new EngineClient(address, grpc.credentials.createInsecure());
  return (message, urn) => {
    const request = new LogRequest().setSeverity(LogSeverity.INFO).setMessage(message);
    if (urn) request.setUrn(urn);
    engine.log(request, () => {
      // A lost log line must never fail an operation.
    });
  };
}
