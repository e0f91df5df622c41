/**
 * Pulumi's ResourceProvider gRPC service (`@pulumi/pulumi/proto/provider_grpc_pb`), served over
 * the resource providers of provider/ (resources.ts): what lets every Pulumi language use them.
 * `@pulumi/pulumi/provider`'s own server is not used: it answers CheckConfig and DiffConfig as
 * unimplemented, drops the config given to Configure, has no Handshake (so no preview
 * Create/Update), and sends no detailed diff.
 *
 * The protocol, as the engine's client side has it (pulumi/pulumi
 * sdk/go/common/resource/plugin/provider_plugin.go):
 * - Handshake declines secrets, resource references and output values: resources get plain
 *   values, and the engine keeps secretness by property name. The engine then sends preview
 *   Creates and Updates, which answer from the inputs alone, with no call to Google.
 * - CheckConfig validates the provider's arguments by the provider's own rules (config.ts) and
 *   answers the secret ones as secrets;
 *   DiffConfig never replaces; Configure configures the three providers of this process.
 * - Check, Diff, Create, Read, Update, Delete call the provider of the request's type; Read with
 *   no state is an import. A partial failure is the engine's ErrorResourceInitFailed.
 * - Invoke serves `googlechat:index:getSpace`.
 *
 * One process is one provider instance of Pulumi's (the engine starts one per default or explicit
 * provider), so what the providers share per process (the rate limiter) is shared by that
 * instance's resources only; the member claims are shared with the deployment's other provider
 * processes too (core/deployment-share.ts, keyed by the engine's address: main.ts). Nothing here
 * writes to stdout, logs a request, or reads the stack config from the environment.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type * as grpcTypes from "@grpc/grpc-js";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { ProviderDeps } from "../core/configured-provider";
import type { DetailedDiff, PropertyChange } from "../core/engine-values";
import { PartialFailure } from "../core/errors";
import { FUNCTIONS } from "../tokens";
import { checkConfig, configSourceOf, diffConfig, SECRET_SETTING_KEYS } from "./config";
import { SCHEMA_TEXT } from "./package-schema";
import { previewCreate, previewUpdate, providerSet, resourceOf, type ServedResource, servedResources, tokenOf, type Values, withUrn } from "./resources";
import { anypb, emptypb, grpc } from "./runtime";
import { fromStruct, toStruct, withSecrets } from "./values";

/** What the service needs of its process. */
export interface PluginOptions {
  /** The providers' clock, sleep, randomness, log and environment, one for the process. */
  readonly deps: ProviderDeps;
  /** The package's version, for GetPluginInfo. */
  readonly version: string;
}

/** A running service. */
export interface RunningPlugin {
  /** The loopback port it listens on: the line the engine reads. */
  readonly port: number;
  stop(): Promise<void>;
}

/** Serves the plugin on 127.0.0.1 at a free port. */
export async function startPlugin(options: PluginOptions): Promise<RunningPlugin> {
  const server = new grpc.Server();
  server.addService(provrpc.ResourceProviderService, providerService(options));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { port, stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())) };
}

/**
 * The URN of the resource whose request is being served: a provider's log line that names no
 * resource (a delete's, whose provider method is given only the id and the state) is shown under
 * this one.
 */
const servedUrn = new AsyncLocalStorage<string>();

/** The log of `deps`, each line attached to the resource being served when the provider named none. */
function attachedToRequest(deps: ProviderDeps): ProviderDeps {
  return { ...deps, log: (message, urn) => deps.log(message, urn ?? servedUrn.getStore()) };
}

/** A unary handler from a function of the request: its error answered as the engine reads one. */
function unary<Req, Res>(handle: (request: Req) => Promise<Res> | Res): grpcTypes.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const request = call.request as { getUrn?: () => string };
    const urn = typeof request.getUrn === "function" ? request.getUrn() || undefined : undefined;
    Promise.resolve()
      .then(() => (urn ? servedUrn.run(urn, () => handle(call.request)) : handle(call.request)))
      .then(
        (response) => callback(null, response),
        (error: unknown) => callback(errorOf(error)),
      );
  };
}

/**
 * A failure as the engine reads it: the message, and for a partial failure (created or changed,
 * not finished) the ErrorResourceInitFailed detail with what the resource is now, which the
 * engine keeps in the state (provider_plugin.go `parseError`). UNKNOWN, as the dynamic-provider
 * host answers: the engine can't tell what a failed call left behind.
 */
function errorOf(error: unknown): Partial<grpcTypes.ServiceError> {
  const message = error instanceof Error ? error.message : String(error);
  const metadata = new grpc.Metadata();
  if (error instanceof PartialFailure && error.id) {
    const detail = new provproto.ErrorResourceInitFailed().setId(error.id).setProperties(toStruct(error.properties)).setReasonsList(error.reasons);
    const any = new anypb.Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new statusproto.Status().setCode(grpc.status.UNKNOWN).setMessage(message).setDetailsList([any]);
    // grpc-js sends structured error details only as this trailer (google.rpc.Status).
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return { code: grpc.status.UNKNOWN, details: message, metadata };
}

const KIND = provproto.PropertyDiff.Kind;

/** A detailed diff as the engine takes it: replace kinds for the properties `replaces` names; `inputDiff` where old values are the old inputs. */
function detailedDiffMessage(
  response: provproto.DiffResponse,
  detailedDiff: DetailedDiff,
  replaces: readonly string[],
  inputDiff: (path: string, replace: boolean) => boolean,
): void {
  const kinds: Record<PropertyChange, [provproto.PropertyDiff.Kind, provproto.PropertyDiff.Kind]> = {
    add: [KIND.ADD, KIND.ADD_REPLACE],
    update: [KIND.UPDATE, KIND.UPDATE_REPLACE],
    delete: [KIND.DELETE, KIND.DELETE_REPLACE],
  };
  const map = response.getDetaileddiffMap();
  for (const [path, change] of Object.entries(detailedDiff)) {
    const replace = replaces.includes(topLevel(path));
    map.set(path, new provproto.PropertyDiff().setKind(kinds[change][replace ? 1 : 0]).setInputdiff(inputDiff(path, replace)));
  }
  const diffs = [...new Set([...Object.keys(detailedDiff).map(topLevel), ...replaces])];
  response.setDiffsList(diffs).setHasdetaileddiff(true);
}

/** The property a path starts with: `members` of `members[2]`, `spaceDetails` of `spaceDetails.description`. */
const topLevel = (path: string) => path.split(/[.[]/)[0];

const isEmpty = (values: Values) => Object.keys(values).length === 0;

/** The service's handlers, over one set of providers; the RPCs left out answer UNIMPLEMENTED (grpc-js). */
function providerService(options: PluginOptions): grpcTypes.UntypedServiceImplementation {
  const deps = attachedToRequest(options.deps);
  const providers = providerSet(deps);
  const resources = servedResources(providers);
  const resource = (type: string, urn: string): ServedResource => resourceOf(resources, tokenOf(type, urn));

  const service: Partial<provrpc.IResourceProviderServer> = {
    handshake: unary(() =>
      new provproto.ProviderHandshakeResponse()
        .setAcceptSecrets(false)
        .setAcceptResources(false)
        .setAcceptOutputs(false)
        .setSupportsAutonamingConfiguration(false),
    ),

    getPluginInfo: unary(() => new plugproto.PluginInfo().setVersion(options.version)),

    getSchema: unary(() => new provproto.GetSchemaResponse().setSchema(SCHEMA_TEXT)),

    checkConfig: unary((req: provproto.CheckRequest) => {
      const failures = checkConfig(fromStruct(req.getNews()), deps.env);
      const response = new provproto.CheckResponse().setFailuresList(
        failures.map((f) => new provproto.CheckFailure().setProperty(f.property).setReason(f.reason)),
      );
      // The arguments as they came, the secret settings as secrets: the engine keeps what the
      // answer marks, besides what the request had marked.
      const news = req.getNews();
      return failures.length > 0 || !news ? response : response.setInputs(withSecrets(news, SECRET_SETTING_KEYS));
    }),

    diffConfig: unary((req: provproto.DiffRequest) => {
      const olds = req.hasOldInputs() ? fromStruct(req.getOldInputs()) : fromStruct(req.getOlds());
      const diff = diffConfig(olds, fromStruct(req.getNews()));
      const response = new provproto.DiffResponse().setChanges(
        Object.keys(diff).length > 0 ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE,
      );
      detailedDiffMessage(response, diff, [], () => true);
      return response;
    }),

    configure: unary(async (req: provproto.ConfigureRequest) => {
      const args = req.hasArgs() ? fromStruct(req.getArgs()) : argumentsOfVariables(req.getVariablesMap().toObject());
      const config = configSourceOf(args);
      const request = { config: { get: config, require: config } } as unknown as Parameters<typeof providers.space.configure>[0];
      for (const provider of [providers.space, providers.membership, providers.roster]) await provider.configure(request);
      return new provproto.ConfigureResponse().setAcceptsecrets(false).setSupportspreview(true).setAcceptresources(false).setAcceptoutputs(false);
    }),

    check: unary(async (req: provproto.CheckRequest) => {
      const served = resource(req.getType(), req.getUrn());
      const result = await served.check(withUrn(fromStruct(req.getOlds()), req.getUrn()), withUrn(fromStruct(req.getNews()), req.getUrn()));
      const failures = (result.failures ?? []).map((f) => new provproto.CheckFailure().setProperty(f.property).setReason(f.reason));
      const response = new provproto.CheckResponse().setFailuresList(failures);
      // The inputs as declared: what Diff and Create get next, and what the state keeps.
      return failures.length > 0 ? response : response.setInputs(req.getNews());
    }),

    diff: unary(async (req: provproto.DiffRequest) => {
      const served = resource(req.getType(), req.getUrn());
      const diff = await served.diff(req.getId(), fromStruct(req.getOlds()), withUrn(fromStruct(req.getNews()), req.getUrn()));
      const replaces = diff.replaces ?? [];
      const response = new provproto.DiffResponse()
        .setChanges(diff.changes ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE)
        .setReplacesList(replaces)
        .setDeletebeforereplace(diff.deleteBeforeReplace === true);
      detailedDiffMessage(response, diff.detailedDiff, replaces, (_path, replace) => replace || !served.inPlaceAgainstOutputs);
      return response;
    }),

    create: unary(async (req: provproto.CreateRequest) => {
      const served = resource(req.getType(), req.getUrn());
      const inputs = fromStruct(req.getProperties());
      if (req.getPreview()) return new provproto.CreateResponse().setProperties(toStruct(previewCreate(served, inputs)));
      const { id, outs } = await served.create(withUrn(inputs, req.getUrn()));
      return new provproto.CreateResponse().setId(id).setProperties(toStruct(outs ?? {}));
    }),

    read: unary(async (req: provproto.ReadRequest) => {
      const served = resource(req.getType(), req.getUrn());
      const props = fromStruct(req.getProperties());
      if (isEmpty(props)) {
        // `pulumi import` (and a resource's `get`): no state yet, so the inputs come from what is found.
        const imported = await served.importState(req.getId(), req.getUrn());
        return new provproto.ReadResponse().setId(imported.id).setProperties(toStruct(imported.props)).setInputs(toStruct(imported.inputs));
      }
      const { id, props: live } = await served.read(req.getId(), props);
      // An empty id: the resource is gone, and a refresh takes it out of the stack.
      if (!id) return new provproto.ReadResponse();
      const response = new provproto.ReadResponse().setId(id).setProperties(toStruct(live ?? {}));
      // A refresh keeps the declarations: the program's inputs stay what it declared.
      return req.hasInputs() ? response.setInputs(req.getInputs() as Struct) : response;
    }),

    update: unary(async (req: provproto.UpdateRequest) => {
      const served = resource(req.getType(), req.getUrn());
      const olds = fromStruct(req.getOlds());
      const news = fromStruct(req.getNews());
      if (req.getPreview()) return new provproto.UpdateResponse().setProperties(toStruct(previewUpdate(served, olds, fromStruct(req.getOldInputs()), news)));
      const { outs } = await served.update(req.getId(), olds, withUrn(news, req.getUrn()));
      return new provproto.UpdateResponse().setProperties(toStruct(outs ?? {}));
    }),

    delete: unary(async (req: provproto.DeleteRequest) => {
      const served = resource(req.getType(), req.getUrn());
      await served.delete(req.getId(), fromStruct(req.getProperties()));
      return new emptypb.Empty();
    }),

    invoke: unary(async (req: provproto.InvokeRequest) => {
      if (req.getTok() !== FUNCTIONS.getSpace) throw new Error(`The googlechat provider has no function ${req.getTok()}: it serves ${FUNCTIONS.getSpace}.`);
      const args = fromStruct(req.getArgs()) as { displayName: string };
      return new provproto.InvokeResponse().setReturn(toStruct(await providers.space.lookup(args, "getSpace")));
    }),

    // The engine cancels at the end of every run, then stops the process: nothing is left to stop.
    cancel: unary(() => new emptypb.Empty()),
  };
  return service as grpcTypes.UntypedServiceImplementation;
}

/**
 * Configure's arguments from its older form, `variables` (`googlechat:config:<key>` to text), for
 * an engine that sends no `args`.
 */
function argumentsOfVariables(variables: [string, string][]): Values {
  const prefix = "googlechat:config:";
  return Object.fromEntries(variables.filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value]));
}
