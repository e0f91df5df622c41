/**
 * A stand-in for Pulumi's Node.js language host (`pulumi-language-nodejs`, which this machine
 * cannot have: docs/engine.md), so that `pulumi up --client=<address>` runs a program as the
 * CLI runs it for a user: in a process of its own, started in the program's folder, through the
 * program's own `@pulumi/pulumi/cmd/run` (which compiles TypeScript with ts-node and the program's
 * own `typescript`), with the stack's config in `PULUMI_CONFIG`. That is what the Go host does
 * (pulumi/pulumi `sdk/nodejs/cmd/pulumi-language-nodejs/main.go`, `Run`); this one leaves out only
 * what the examples do not use (debugging, tracing, query mode, installing dependencies).
 *
 * The gRPC service is @pulumi/pulumi's own (`proto/language_grpc_pb`), as the Automation API's
 * inline language server (`automation/server.ts`) uses it.
 */
import { spawn } from "node:child_process";
import * as grpc from "@grpc/grpc-js";

const langrpc = require("@pulumi/pulumi/proto/language_grpc_pb");
const langproto = require("@pulumi/pulumi/proto/language_pb");
const plugproto = require("@pulumi/pulumi/proto/plugin_pb");

/** The exit code with which `cmd/run` says it has already reported the program's error. */
const BAIL_EXIT_CODE = 32;

export interface LanguageHost {
  /** The address to give `pulumi up --client`. */
  address: string;
  /** What the last run of the program printed. */
  output(): string;
  stop(): void;
}

/** Starts the stand-in language host on a loopback port. */
export async function startLanguageHost(): Promise<LanguageHost> {
  let output = "";
  const server = new grpc.Server();
  server.addService(langrpc.LanguageRuntimeService, {
    getRequiredPlugins: (_call: unknown, callback: (error: null, response: unknown) => void) => {
      callback(null, new langproto.GetRequiredPluginsResponse());
    },
    getPluginInfo: (_call: unknown, callback: (error: null, response: unknown) => void) => {
      callback(null, new plugproto.PluginInfo().setVersion("1.0.0"));
    },
    run: (call: { request: RunRequest }, callback: (error: null, response: unknown) => void) => {
      const request = call.request;
      const pwd = request.getPwd();
      const config = Object.fromEntries(request.getConfigMap().entries());
      // The engine sends its own address as the first argument to a language host it connects to.
      const [engine] = request.getArgsList();
      const args = [
        require.resolve("@pulumi/pulumi/cmd/run", { paths: [pwd] }),
        "--monitor",
        request.getMonitorAddress(),
        ...(engine ? ["--engine", engine] : []),
        "--organization",
        request.getOrganization(),
        "--project",
        request.getProject(),
        "--stack",
        request.getStack(),
        "--pwd",
        pwd,
        "--parallel",
        String(request.getParallel()),
        ...(request.getInfo()?.getRootDirectory() ? ["--root-directory", request.getInfo()!.getRootDirectory()] : []),
        ...(request.getDryrun() ? ["--dry-run"] : []),
        request.getProgram() || ".",
      ];
      output = "";
      const child = spawn(process.execPath, args, {
        cwd: pwd,
        env: {
          ...process.env,
          PULUMI_CONFIG: JSON.stringify(config),
          PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(request.getConfigsecretkeysList()),
          PULUMI_NODEJS_TYPESCRIPT: "true",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.stdout.on("data", (chunk) => (output += chunk));
      child.stderr.on("data", (chunk) => (output += chunk));
      child.on("close", (code) => {
        const response = new langproto.RunResponse();
        if (code === BAIL_EXIT_CODE) response.setBail(true);
        else if (code !== 0) response.setError(`the program exited with ${code}: ${output}`);
        callback(null, response);
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { address: `127.0.0.1:${port}`, output: () => output, stop: () => server.forceShutdown() };
}

/** The fields of the engine's RunRequest (proto/language_pb) this host reads. */
interface RunRequest {
  getPwd(): string;
  getProgram(): string;
  getArgsList(): string[];
  getConfigMap(): { entries(): Iterable<[string, string]> };
  getConfigsecretkeysList(): string[];
  getMonitorAddress(): string;
  getOrganization(): string;
  getProject(): string;
  getStack(): string;
  getParallel(): number;
  getDryrun(): boolean;
  getInfo(): { getRootDirectory(): string } | undefined;
}
