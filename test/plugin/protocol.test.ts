/**
 * The provider plugin's protocol and configuration: Handshake, GetPluginInfo, GetSchema,
 * CheckConfig, DiffConfig, Configure, Cancel, and the RPCs it leaves unimplemented, driven over
 * gRPC as the engine drives them.
 */
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { UNKNOWN } from "../../provider/core/engine-values";
import { pluginDeps } from "../../provider/plugin/main";
import { emptypb } from "../../provider/plugin/runtime";
import { SECRET_SIG, SIG_KEY, toStruct } from "../../provider/plugin/values";
import { FUNCTIONS, RESOURCES } from "../../provider/tokens";
import { useEmulator } from "../helpers/emulator";
import { pluginArgs, startTestPlugin, type TestPlugin } from "../helpers/plugin";
import { apiCalls, emulatorConfig } from "../helpers/provider";

const VERSION = JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")).version as string;

describe("plugin: protocol and configuration", () => {
  const t = useEmulator();
  let plugin: TestPlugin;
  beforeEach(async () => {
    plugin = await startTestPlugin({ version: VERSION });
  });
  afterEach(() => plugin.stop());

  it("declines secrets, resource references and output values in its handshake, and configures as supporting previews", async () => {
    const handshake = await plugin.handshake();
    assert.deepEqual(
      [handshake.getAcceptSecrets(), handshake.getAcceptResources(), handshake.getAcceptOutputs(), handshake.getSupportsAutonamingConfiguration()],
      [false, false, false, false],
    );
    const configured = await plugin.configure(pluginArgs(emulatorConfig(t)));
    assert.deepEqual(
      [configured.getAcceptsecrets(), configured.getSupportspreview(), configured.getAcceptresources(), configured.getAcceptoutputs()],
      [false, true, false, false],
    );
  });

  it("answers the package's version and serves the schema of every token of the one table, with no call to Google", async () => {
    const info = await plugin.call<unknown, { getVersion(): string }>("getPluginInfo", new emptypb.Empty());
    assert.equal(info.getVersion(), VERSION);
    const response = await plugin.call<provproto.GetSchemaRequest, provproto.GetSchemaResponse>("getSchema", new provproto.GetSchemaRequest());
    const schema = JSON.parse(response.getSchema());
    assert.equal(schema.name, "googlechat");
    assert.deepEqual(
      Object.keys(schema.resources).sort(),
      Object.values(RESOURCES)
        .map((r) => r.plugin)
        .sort(),
    );
    assert.deepEqual(Object.keys(schema.functions), [FUNCTIONS.getSpace]);
    assert.equal(schema.provider.inputProperties.credentials.secret, true);
    assert.deepEqual(await apiCalls(t), []);
  });

  it("answers Cancel, and UNIMPLEMENTED for what it does not serve (Construct, Call, Parameterize, GetMapping)", async () => {
    await plugin.call("cancel", new emptypb.Empty());
    for (const [method, request] of [
      ["construct", new provproto.ConstructRequest()],
      ["call", new provproto.CallRequest()],
      ["parameterize", new provproto.ParameterizeRequest()],
      ["getMapping", new provproto.GetMappingRequest()],
    ] as const) {
      const error = await plugin.failure(plugin.call(method, request));
      assert.equal(error.code, grpc.status.UNIMPLEMENTED, method);
    }
  });

  describe("CheckConfig", () => {
    it("accepts the stack config as text and an explicit provider's typed arguments alike, and answers the arguments as they came", async () => {
      const args = pluginArgs(emulatorConfig(t));
      const text = await plugin.checkConfig({ ...args, useAdminAccess: "true", retryDeadlineSeconds: "2", version: "0.1.0" });
      assert.deepEqual(text, { inputs: { ...args, useAdminAccess: "true", retryDeadlineSeconds: "2", version: "0.1.0" }, failures: [] });
      const typed = await plugin.checkConfig({ ...args, useAdminAccess: true, retryDeadlineSeconds: 2, spaceWritesPerMinute: 0 });
      assert.deepEqual(typed.failures, []);
      assert.deepEqual(await apiCalls(t), [], "no call: the config is checked by its rules alone");
    });

    it("names the argument at fault, with the provider's own words for what to do", async () => {
      const args = pluginArgs(emulatorConfig(t));
      assert.deepEqual((await plugin.checkConfig({ ...args, useAdminAccess: "yes" })).failures, [
        { property: "useAdminAccess", reason: 'googlechat:useAdminAccess must be true or false, not "yes".' },
      ]);
      assert.deepEqual((await plugin.checkConfig({ ...args, requestTimeoutSeconds: 0 })).failures, [
        { property: "requestTimeoutSeconds", reason: 'googlechat:requestTimeoutSeconds must be a positive number, not "0".' },
      ]);
      // A secret setting is named in the reason alone: the engine prints a named property's value beside it.
      assert.deepEqual((await plugin.checkConfig({ ...args, credentials: "{not json" })).failures, [
        {
          property: "",
          reason:
            'googlechat:credentials is not credential JSON (an object with a "type"): give the JSON of a key, of gcloud\'s ADC file, or of a workload identity federation configuration.',
        },
      ]);
      assert.deepEqual((await plugin.checkConfig({ ...args, auth: "app" })).failures, [
        { property: "auth", reason: "googlechat:auth app can't go with googlechat:impersonateUser (acting as a user is user auth): remove one." },
      ]);
      const { inputs, failures } = await plugin.checkConfig({ ...args, apiEndpoitn: "https://example.com" });
      assert.equal(inputs, undefined);
      assert.deepEqual(failures, [
        {
          property: "apiEndpoitn",
          reason:
            'unknown setting "apiEndpoitn": the googlechat provider takes credentials, auth, impersonateUser, impersonateServiceAccount, iamCredentialsEndpoint, useAdminAccess, apiEndpoint, tokenEndpoint, selfSignedJwt, retryDeadlineSeconds, requestTimeoutSeconds, spaceWritesPerMinute, spaceCreatesPerMinute, spaceReadsPerMinute, perSpaceWritesPerSecond, perSpaceReadsPerSecond, membershipWritesPerMinute, membershipReadsPerMinute.',
        },
      ]);
    });

    it("never quotes the credentials in a failure", async () => {
      const args = pluginArgs(emulatorConfig(t));
      // A key made for this test alone: credentials without their type, which CheckConfig refuses.
      const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
      const { failures } = await plugin.checkConfig({ ...args, credentials: JSON.stringify({ private_key: privateKey }) });
      assert.equal(failures.length, 1);
      const said = JSON.stringify(failures);
      assert.doesNotMatch(said, /PRIVATE KEY/);
      assert.equal(said.includes(privateKey.split("\n")[1]), false, "no line of the key's body");
    });

    it("answers a secret setting as a secret however it came, so the engine keeps it encrypted even from plaintext stack config", async () => {
      const args = pluginArgs(emulatorConfig(t));
      const request = new provproto.CheckRequest().setUrn(plugin.urn("pulumi:providers:googlechat", "default")).setNews(toStruct(args)).setOlds(toStruct({}));
      const response = await plugin.call<provproto.CheckRequest, provproto.CheckResponse>("checkConfig", request);
      const { credentials, ...rest } = args;
      assert.deepEqual(response.getInputs()?.toJavaScript(), { ...rest, credentials: { [SIG_KEY]: SECRET_SIG, value: credentials } });
      // Already a secret (the engine keeps stack config secrets wrapped where a plugin accepts them): wrapped once.
      const wrapped = new provproto.CheckRequest()
        .setUrn(request.getUrn())
        .setNews(toStruct({ ...rest, credentials: { [SIG_KEY]: SECRET_SIG, value: credentials } }))
        .setOlds(toStruct({}));
      const again = await plugin.call<provproto.CheckRequest, provproto.CheckResponse>("checkConfig", wrapped);
      assert.deepEqual(again.getInputs()?.toJavaScript(), { ...rest, credentials: { [SIG_KEY]: SECRET_SIG, value: credentials } });
    });

    it("checks arguments not known yet (a preview) by name only", async () => {
      const args = pluginArgs(emulatorConfig(t));
      assert.deepEqual((await plugin.checkConfig({ ...args, credentials: UNKNOWN, auth: "app" })).failures, []);
      assert.deepEqual(
        (await plugin.checkConfig({ ...args, credentials: UNKNOWN, athu: "app" })).failures.map((f) => f.property),
        ["athu"],
      );
    });
  });

  describe("DiffConfig", () => {
    it("says which settings changed, by name, and never replaces (that would replace every resource of the provider)", async () => {
      const args = pluginArgs(emulatorConfig(t));
      const same = await plugin.diffConfig(args, { ...args });
      assert.deepEqual([same.changes, same.replaces, same.detailedDiff], ["DIFF_NONE", [], {}]);
      const { impersonateUser: _user, ...asApp } = args;
      const changed = await plugin.diffConfig(args, { ...asApp, auth: "app", apiEndpoint: "http://127.0.0.1:1" });
      assert.deepEqual(changed, {
        changes: "DIFF_SOME",
        replaces: [],
        deleteBeforeReplace: false,
        diffs: ["apiEndpoint", "auth", "impersonateUser"],
        hasDetailedDiff: true,
        detailedDiff: {
          apiEndpoint: { kind: "UPDATE", inputDiff: true },
          auth: { kind: "ADD", inputDiff: true },
          impersonateUser: { kind: "DELETE", inputDiff: true },
        },
      });
      const typed = await plugin.diffConfig({ ...args, useAdminAccess: "true" }, { ...args, useAdminAccess: true });
      assert.equal(typed.changes, "DIFF_NONE", 'true and "true" are one setting');
    });
  });

  it("Configure takes its secrets wrapped, as the engine always sends them, and a bad setting fails it naming the setting", async () => {
    await plugin.configure(pluginArgs(emulatorConfig(t)));
    const error = await plugin.failure(plugin.configure({ ...pluginArgs(emulatorConfig(t)), auth: "robot" }));
    assert.equal(error.message, 'googlechat:auth must be app or user, not "robot".');
  });

  it("gives its providers a provider process's deps, as the dynamic-provider host does: a stopwatch a step of the wall clock does not move, and no stack config", () => {
    const deps = pluginDeps("127.0.0.1:1", { PULUMI_CONFIG: "{}", GOOGLECHAT_AUTH: "app" });
    assert.deepEqual(deps.env, { GOOGLECHAT_AUTH: "app" });
    const wallClock = Date.now;
    try {
      const started = deps.stopwatch!();
      // NTP steps the clock an hour forward while a call runs: what times the call must not see it.
      Date.now = () => wallClock() + 3_600_000;
      assert.ok(deps.stopwatch!() - started < 60_000);
    } finally {
      Date.now = wallClock;
    }
  });

  describe("the executable bin/pulumi-resource-googlechat, as the engine starts it", () => {
    let real: TestPlugin;
    const output = { stdout: "", stderr: "" };
    afterEach(() => real?.stop());

    it("prints its port alone, serves over it, configures from Configure and never from PULUMI_CONFIG, and logs through the engine's Log RPC under the resource", async () => {
      // The engine gives every plugin process the stack's config, secrets decrypted: never read.
      real = await startTestPlugin({
        version: VERSION,
        process: { env: { PULUMI_CONFIG: JSON.stringify({ "googlechat:apiEndpoint": "http://127.0.0.1:1" }) }, output },
      });
      assert.match(output.stdout, /^\d+\n$/);
      await real.handshake();
      const info = await real.call<unknown, { getVersion(): string }>("getPluginInfo", new emptypb.Empty());
      assert.equal(info.getVersion(), VERSION, "the package's version, from its package.json");
      await real.configure(pluginArgs(emulatorConfig(t)));
      const space = RESOURCES.space.plugin;
      const created = await real.create(space, "eng", { displayName: "Eng" });
      assert.deepEqual(await apiCalls(t), ["POST /v1/spaces 200"]);
      // One process never deletes what it made (a replacement may have got the same space back): it says so.
      await real.delete(space, "eng", created.id, created.properties, { displayName: "Eng" });
      const [line, ...more] = await real.engineLog(1);
      assert.deepEqual(more, []);
      assert.equal(line.urn, real.urn(space, "eng"), "shown under the resource the request is for");
      assert.equal(
        line.message,
        `ChatSpace "Eng" (${created.id}): the replacement kept the same space (its requestId or adoptSpace returned it), so it is not deleted. For a new space, let the replacement delete first (the resource option deleteBeforeReplace: true, which the ChatSpace class sets) or set a new requestId.`,
      );
      assert.match(output.stdout, /^\d+\n$/, "nothing but the port on stdout");
      const key = t.serviceAccount as unknown as { private_key_id: string };
      assert.ok(![output.stdout, output.stderr, line.message, ...real.answers].join("\n").includes(key.private_key_id));
    });
  });
});
