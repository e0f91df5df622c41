/**
 * The provider plugin's service started in this process on a loopback port, driven as the engine
 * drives it: a gRPC client built from @pulumi/pulumi's protocol files, requests encoded as the
 * engine encodes them (Configure's secrets wrapped), and a stand-in for the engine's Log RPC that
 * records the log lines the plugin sends.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as engineproto from "@pulumi/pulumi/proto/engine_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { engineLogAt } from "../../provider/core/engine-log";
import { emptypb } from "../../provider/plugin/runtime";
import { type RunningPlugin, startPlugin } from "../../provider/plugin/server";
import { fromStruct, SECRET_SIG, SIG_KEY, toStruct } from "../../provider/plugin/values";

/** One log line the engine received. */
export interface EngineLogLine {
  readonly severity: number;
  readonly urn: string;
  readonly message: string;
}

/** A property of a detailed diff, as the engine reads it. */
export interface DiffEntry {
  readonly kind: keyof typeof provproto.PropertyDiff.Kind;
  readonly inputDiff: boolean;
}

/** A Diff or DiffConfig answer, decoded. */
export interface DiffAnswer {
  readonly changes: "DIFF_UNKNOWN" | "DIFF_NONE" | "DIFF_SOME";
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
  readonly diffs: string[];
  readonly hasDetailedDiff: boolean;
  readonly detailedDiff: Record<string, DiffEntry>;
}

/** A failed call, decoded: the message, and an ErrorResourceInitFailed detail when there is one. */
export interface PluginError {
  readonly code: number;
  readonly message: string;
  readonly initFailed?: { id: string; properties: Record<string, unknown>; reasons: string[] };
}

type Values = Record<string, unknown>;

/** The plugin under test, and the engine's side of it. */
export interface TestPlugin {
  readonly plugin: RunningPlugin;
  readonly client: provrpc.ResourceProviderClient;
  /** The URN of a resource of `type` (a plugin token) named `name`, in stack `test` of project `proj`. */
  urn(type: string, name: string): string;
  /** Every answer the plugin gave, as JSON text: what a test searches for credentials. */
  readonly answers: string[];
  /** The log lines the engine received, once every line the plugin sent has arrived. */
  engineLog(atLeast?: number): Promise<EngineLogLine[]>;
  call<Req, Res>(method: keyof provrpc.IResourceProviderClient, request: Req): Promise<Res>;
  handshake(): Promise<provproto.ProviderHandshakeResponse>;
  checkConfig(news: Values, olds?: Values): Promise<{ inputs?: Values; failures: { property: string; reason: string }[] }>;
  diffConfig(olds: Values, news: Values): Promise<DiffAnswer>;
  /** Configure as the engine sends it: `args` with `secretKeys` wrapped as secrets. */
  configure(args: Values, secretKeys?: string[]): Promise<provproto.ConfigureResponse>;
  check(type: string, name: string, olds: Values, news: Values): Promise<{ inputs?: Values; failures: { property: string; reason: string }[] }>;
  diff(type: string, name: string, id: string, olds: Values, oldInputs: Values, news: Values): Promise<DiffAnswer>;
  create(type: string, name: string, properties: Values, preview?: boolean): Promise<{ id: string; properties: Values }>;
  read(type: string, name: string, id: string, properties?: Values, inputs?: Values): Promise<{ id: string; properties: Values; inputs?: Values }>;
  update(type: string, name: string, id: string, olds: Values, oldInputs: Values, news: Values, preview?: boolean): Promise<Values>;
  delete(type: string, name: string, id: string, properties: Values, oldInputs?: Values): Promise<void>;
  invoke(tok: string, args: Values): Promise<Values>;
  /** A call's failure, decoded (rejects if the call succeeds). */
  failure(call: Promise<unknown>): Promise<PluginError>;
  stop(): Promise<void>;
}

/** The `google.rpc.Status` trailer a failed call carries, decoded. */
function decodeError(error: grpc.ServiceError): PluginError {
  const statusproto = require("@pulumi/pulumi/proto/status_pb");
  const [details] = error.metadata?.get("grpc-status-details-bin") ?? [];
  if (!details) return { code: error.code, message: error.details };
  const status = statusproto.Status.deserializeBinary(details as Buffer);
  const any = status.getDetailsList()[0];
  const detail = any?.unpack(
    provproto.ErrorResourceInitFailed.deserializeBinary,
    "pulumirpc.ErrorResourceInitFailed",
  ) as provproto.ErrorResourceInitFailed | null;
  return {
    code: error.code,
    message: error.details,
    ...(detail ? { initFailed: { id: detail.getId(), properties: fromStruct(detail.getProperties()), reasons: detail.getReasonsList() } } : {}),
  };
}

function decodeDiff(response: provproto.DiffResponse): DiffAnswer {
  const kinds = Object.fromEntries(Object.entries(provproto.PropertyDiff.Kind).map(([name, value]) => [value, name])) as Record<number, DiffEntry["kind"]>;
  const changes = Object.fromEntries(Object.entries(provproto.DiffResponse.DiffChanges).map(([name, value]) => [value, name])) as Record<
    number,
    DiffAnswer["changes"]
  >;
  const detailedDiff: Record<string, DiffEntry> = {};
  response.getDetaileddiffMap().forEach((entry, path) => {
    detailedDiff[path] = { kind: kinds[entry.getKind()], inputDiff: entry.getInputdiff() };
  });
  return {
    changes: changes[response.getChanges()],
    replaces: response.getReplacesList(),
    deleteBeforeReplace: response.getDeletebeforereplace(),
    diffs: response.getDiffsList(),
    hasDetailedDiff: response.getHasdetaileddiff(),
    detailedDiff,
  };
}

/** The plugin as the engine starts it: the executable, with flags before the engine's address. */
export interface SpawnOptions {
  /** The process's environment (PATH is this process's). */
  readonly env: Record<string, string>;
  /** What it wrote to stdout and stderr so far. */
  readonly output?: { stdout: string; stderr: string };
}

/** The executable bin/pulumi-resource-googlechat (it loads dist/: build first), started as the engine starts it (pulumi/pulumi sdk/go/common/resource/plugin/plugin.go). */
async function spawnPlugin(engineAddress: string, options: SpawnOptions): Promise<RunningPlugin> {
  const child = spawn(join(__dirname, "../../bin/pulumi-resource-googlechat"), ["--logtostderr", "-v=9", engineAddress], {
    env: { PATH: process.env.PATH, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = options.output ?? { stdout: "", stderr: "" };
  child.stderr!.on("data", (d) => (output.stderr += d));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      output.stdout += d;
      const line = /^(\d+)\n/.exec(output.stdout);
      if (line) resolve(Number(line[1]));
    });
    child.on("exit", (code) => reject(new Error(`the plugin exited with ${code}: ${output.stderr}`)));
  });
  return {
    port,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}

/**
 * Starts the plugin with `deps`-like test doubles: no environment, waits that pass at once, and
 * log lines sent to a stand-in engine. `version`: what GetPluginInfo answers. `process`: the
 * real executable in its own process instead, with its own clock and environment.
 */
export async function startTestPlugin(options: { version?: string; now?: () => number; process?: SpawnOptions } = {}): Promise<TestPlugin> {
  const received: EngineLogLine[] = [];
  const engine = new grpc.Server();
  engine.addService(enginerpc.EngineService, {
    log: (call: grpc.ServerUnaryCall<engineproto.LogRequest, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      received.push({ severity: call.request.getSeverity(), urn: call.request.getUrn(), message: call.request.getMessage() });
      callback(null, new emptypb.Empty());
    },
  });
  const enginePort = await new Promise<number>((resolve, reject) =>
    engine.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
  );
  const forward = engineLogAt(`127.0.0.1:${enginePort}`);
  let sent = 0;
  let slept = 0;
  const now = options.now ?? Date.now;
  const plugin = options.process
    ? await spawnPlugin(`127.0.0.1:${enginePort}`, options.process)
    : await startPlugin({
        version: options.version ?? "0.0.0-test",
        deps: {
          env: {},
          now: () => now() + slept,
          sleep: async (ms) => void (slept += ms),
          random: () => 0.5,
          log: (message, urn) => {
            sent++;
            forward(message, urn);
          },
        },
      });
  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${plugin.port}`, grpc.credentials.createInsecure());
  const answers: string[] = [];
  const urn = (type: string, name: string) => `urn:pulumi:test::proj::${type}::${name}`;

  const call = <Req, Res>(method: keyof provrpc.IResourceProviderClient, request: Req): Promise<Res> =>
    new Promise((resolve, reject) => {
      const invoke = client[method] as unknown as (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => void;
      invoke.call(client, request, (error, response) => {
        if (error) {
          answers.push(JSON.stringify({ code: error.code, details: error.details, metadata: error.metadata?.toJSON() }));
          reject(error);
          return;
        }
        answers.push(JSON.stringify((response as { toObject(): unknown }).toObject()));
        resolve(response);
      });
    });

  const failuresOf = (response: provproto.CheckResponse) => response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }));

  return {
    plugin,
    client,
    urn,
    answers,
    async engineLog(atLeast = 0) {
      const deadline = Date.now() + 5_000;
      while (received.length < Math.max(sent, atLeast) && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
      return [...received];
    },
    call,
    handshake: () => call("handshake", new provproto.ProviderHandshakeRequest().setEngineAddress(`127.0.0.1:${enginePort}`)),
    async checkConfig(news, olds = {}) {
      const request = new provproto.CheckRequest().setUrn(urn("pulumi:providers:googlechat", "default")).setOlds(toStruct(olds)).setNews(toStruct(news));
      const response = await call<provproto.CheckRequest, provproto.CheckResponse>("checkConfig", request);
      return { inputs: response.hasInputs() ? fromStruct(response.getInputs()) : undefined, failures: failuresOf(response) };
    },
    async diffConfig(olds, news) {
      const request = new provproto.DiffRequest()
        .setUrn(urn("pulumi:providers:googlechat", "default"))
        .setOlds(toStruct(olds))
        .setOldInputs(toStruct(olds))
        .setNews(toStruct(news));
      return decodeDiff(await call("diffConfig", request));
    },
    configure(args, secretKeys = ["credentials"]) {
      const wrapped = Object.fromEntries(
        Object.entries(args).map(([key, value]) => [key, secretKeys.includes(key) ? { [SIG_KEY]: SECRET_SIG, value } : value]),
      );
      const request = new provproto.ConfigureRequest()
        .setArgs(toStruct(wrapped))
        .setAcceptsecrets(true)
        .setAcceptresources(true)
        .setUrn(urn("pulumi:providers:googlechat", "default"));
      return call("configure", request);
    },
    async check(type, name, olds, news) {
      const request = new provproto.CheckRequest().setUrn(urn(type, name)).setName(name).setType(type).setOlds(toStruct(olds)).setNews(toStruct(news));
      const response = await call<provproto.CheckRequest, provproto.CheckResponse>("check", request);
      return { inputs: response.hasInputs() ? fromStruct(response.getInputs()) : undefined, failures: failuresOf(response) };
    },
    async diff(type, name, id, olds, oldInputs, news) {
      const request = new provproto.DiffRequest()
        .setUrn(urn(type, name))
        .setName(name)
        .setType(type)
        .setId(id)
        .setOlds(toStruct(olds))
        .setOldInputs(toStruct(oldInputs))
        .setNews(toStruct(news));
      return decodeDiff(await call("diff", request));
    },
    async create(type, name, properties, preview = false) {
      const request = new provproto.CreateRequest().setUrn(urn(type, name)).setName(name).setType(type).setProperties(toStruct(properties)).setPreview(preview);
      const response = await call<provproto.CreateRequest, provproto.CreateResponse>("create", request);
      return { id: response.getId(), properties: fromStruct(response.getProperties()) };
    },
    async read(type, name, id, properties = {}, inputs) {
      const request = new provproto.ReadRequest().setUrn(urn(type, name)).setName(name).setType(type).setId(id).setProperties(toStruct(properties));
      if (inputs) request.setInputs(toStruct(inputs));
      const response = await call<provproto.ReadRequest, provproto.ReadResponse>("read", request);
      return {
        id: response.getId(),
        properties: fromStruct(response.getProperties()),
        ...(response.hasInputs() ? { inputs: fromStruct(response.getInputs()) } : {}),
      };
    },
    async update(type, name, id, olds, oldInputs, news, preview = false) {
      const request = new provproto.UpdateRequest()
        .setUrn(urn(type, name))
        .setName(name)
        .setType(type)
        .setId(id)
        .setOlds(toStruct(olds))
        .setOldInputs(toStruct(oldInputs))
        .setNews(toStruct(news))
        .setPreview(preview);
      return fromStruct((await call<provproto.UpdateRequest, provproto.UpdateResponse>("update", request)).getProperties());
    },
    async delete(type, name, id, properties, oldInputs = {}) {
      const request = new provproto.DeleteRequest()
        .setUrn(urn(type, name))
        .setName(name)
        .setType(type)
        .setId(id)
        .setProperties(toStruct(properties))
        .setOldInputs(toStruct(oldInputs));
      await call("delete", request);
    },
    async invoke(tok, args) {
      const response = await call<provproto.InvokeRequest, provproto.InvokeResponse>(
        "invoke",
        new provproto.InvokeRequest().setTok(tok).setArgs(toStruct(args)),
      );
      return fromStruct(response.getReturn());
    },
    async failure(pending) {
      try {
        await pending;
      } catch (error) {
        return decodeError(error as grpc.ServiceError);
      }
      throw new Error("the call succeeded");
    },
    async stop() {
      client.close();
      await plugin.stop();
      engine.forceShutdown();
    },
  };
}

/** The provider arguments (the `googlechat:` config without its namespace) of {@link emulatorConfig}. */
export function pluginArgs(config: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key.replace(/^googlechat:/, ""), value]));
}
