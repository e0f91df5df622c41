import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { DEMO_USER_SCOPES, externalAccountCredentials, KeylessControl, TOKEN_CREATOR, WORKLOAD_IDENTITY_USER } from "../../emulator";
import { IAM_PREFIX, STS_PATH } from "../../emulator/keyless/keyless";
import { PROVIDER_TEXT } from "../../provider/core/stub";
import { SECRET_SIG, SIG_KEY } from "../../provider/plugin/values";
import { assertNoSecrets, type EmulatorProcess, filesUnder, inlineStack, secretsOf, startEmulatorProcess, useEngine } from "./harness";
import { PACKAGE_VERSION, PluginProvider, SERVINGS, type Serving } from "./servings";

/** The provider resources of the plugin's default provider and of the program's explicit one. */
const PLUGIN_PROVIDERS = [`default_${PACKAGE_VERSION.replaceAll(".", "_")}`, "explicit"];

/**
 * Two spaces through the default provider; served by the plugin, the second through an explicit
 * provider given the stack's `googlechat:` config instead, so both ways of configuring the plugin
 * are checked. `plainCredentials`: the explicit provider gets the credentials as plain text.
 */
function program(label: string, serving: Serving, options: { plainCredentials?: boolean } = {}): PulumiFn {
  return async () => {
    serving.space("eng", { displayName: `Secrets ${label}` });
    serving.space("ops", { displayName: `Ops ${label}` }, serving.name === "plugin" ? { provider: PluginProvider.fromStackConfig("explicit", options) } : {});
  };
}

/**
 * Where in the checkpoint files of the backend in `home` (every state file but the update
 * history) any of `secrets` is: "<resource type> <inputs|outputs>.<property>" of a resource or a
 * pending operation's, or "elsewhere".
 */
function secretPlaces(home: string, secrets: string[]): string[] {
  const places = new Set<string>();
  const walk = (value: unknown, where: string, deeper: (key: string) => string) => {
    if (typeof value === "string") {
      if (secrets.some((secret) => value.includes(secret))) places.add(where);
    } else if (value && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) walk(inner, deeper(key), () => deeper(key));
    }
  };
  const dir = join(home, "state");
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.json(\.bak)?$/.test(entry.name) || entry.name.endsWith(".history.json")) continue;
    const file = JSON.parse(readFileSync(join(entry.parentPath, entry.name), "utf8"));
    const deployment = file.checkpoint?.latest ?? {};
    const pending = (deployment.pending_operations ?? []).map((operation: { resource: unknown }) => operation.resource);
    for (const resource of [...(deployment.resources ?? []), ...pending]) {
      for (const part of ["inputs", "outputs"]) walk(resource[part], `${resource.type} ${part}`, (key) => `${resource.type} ${part}.${key}`);
    }
    walk(
      { ...file, checkpoint: { ...file.checkpoint, latest: { ...deployment, resources: undefined, pending_operations: undefined } } },
      "elsewhere",
      () => "elsewhere",
    );
  }
  return [...places].sort();
}

/** Everything an operation wrote: its output, and the engine's debug log (verbosity 9, gRPC payloads included). */
function capture() {
  const text: string[] = [];
  return {
    options: { logToStdErr: true, logVerbosity: 9, onOutput: (s: string) => void text.push(s), onError: (s: string) => void text.push(s) },
    text: () => text.join(""),
  };
}

/** up, preview, refresh and destroy, keeping what each wrote: the state files on disk after up and after destroy, the logs, and the spaces and the plugin's providers as exported. */
async function lifecycle(stack: Stack, home: string, serving: Serving) {
  const logs = capture();
  await stack.up(logs.options);
  await stack.preview(logs.options);
  await stack.refresh(logs.options);
  // The state as the backend keeps it: every checkpoint, backup and history file, read from disk
  // (the Automation API's exportStack shows secrets decrypted).
  const state = filesUnder(join(home, "state"));
  const exported = (await stack.exportStack()).deployment.resources;
  const resources = exported.filter((r: any) => r.type === serving.spaceType);
  const providers = exported.filter((r: any) => r.type === "pulumi:providers:googlechat");
  await stack.destroy(logs.options);
  return { state: state + filesUnder(join(home, "state")), logs: logs.text(), resources, providers };
}

/**
 * What each serving keeps beside a space's own values. Served as dynamic resources: the one-line
 * text that loads the installed provider (nothing captured, so nothing to leak), and no provider
 * resource of the package. Served by the plugin: no such text, and the default and explicit
 * provider resources, whose credentials the state keeps as secrets.
 */
function assertProviderEntries(serving: Serving, resources: any[], providers: any[]): void {
  assert.equal(resources.length, 2);
  if (serving.name === "dynamic") {
    for (const resource of resources) {
      assert.equal(resource.outputs.__provider, PROVIDER_TEXT.ChatSpace);
      assert.equal(resource.inputs.__provider, PROVIDER_TEXT.ChatSpace);
    }
    assert.deepEqual(providers, []);
    console.log(
      `      __provider: ${Buffer.byteLength(resources[0].outputs.__provider)} bytes; whole resource entry: ${JSON.stringify(resources[0]).length} bytes`,
    );
    return;
  }
  for (const resource of resources) {
    assert.equal("__provider" in resource.inputs || "__provider" in resource.outputs, false);
  }
  assert.deepEqual(providers.map((p) => p.urn.split("::").pop()).sort(), PLUGIN_PROVIDERS);
  for (const provider of providers) {
    // The Automation API's export shows a secret decrypted, still marked as one.
    assert.equal(provider.inputs.credentials?.[SIG_KEY], SECRET_SIG, `${provider.urn}'s credentials input is a secret`);
    assert.equal(provider.outputs.credentials?.[SIG_KEY], SECRET_SIG, `${provider.urn}'s credentials output is a secret`);
  }
}

describe("e2e: no credential in state, logs or the serialized provider", () => {
  let emulator: EmulatorProcess;
  // The emulator keeps its data in a file, so the test can read every token it issued.
  const dataFile = join(mkdtempSync(join(tmpdir(), "secrets-emulator-")), "emulator.json");
  before(async () => {
    useEngine();
    emulator = await startEmulatorProcess(dataFile);
  });
  after(() => emulator?.stop());

  for (const serving of SERVINGS)
    describe(`served ${serving.title}`, () => {
      for (const mode of ["a service account acting as a user", "authorized_user credentials"] as const) {
        it(`keeps ${mode} out of the exported state, the engine's debug log and the provider's output`, async () => {
          const home = mkdtempSync(join(tmpdir(), "chatspace-secrets-"));
          const key = await emulator.control.serviceAccount();
          const user = mode === "authorized_user credentials" ? await emulator.control.authorizedUser("admin@example.com", DEMO_USER_SCOPES) : undefined;
          const stack = await inlineStack("chat-secrets", mode.startsWith("a service") ? "sa" : "user", program(mode, serving), {
            emulator,
            key,
            impersonateUser: user ? undefined : "admin@example.com",
            home,
            serving,
          });
          if (user) await stack.setConfig("googlechat:credentials", { value: JSON.stringify(user), secret: true });
          const { state, logs, resources, providers } = await lifecycle(stack, home, serving);

          const secrets = secretsOf(key, user, dataFile);
          const tokens = (await emulator.control.requests()).filter((r) => r.rpc === "oauth2.token").length;
          assert.ok(tokens > 0, "tokens were issued, so there was something to leak");
          assert.ok(secrets.length > 30, "the key, and the tokens the emulator issued, are known");
          assertNoSecrets("the state", state, secrets);
          assertNoSecrets("the logs", logs, secrets);
          assert.ok(logs.length > 100_000, `the debug log was captured (${logs.length} bytes)`);

          assert.match(state, /"ciphertext"/, "the configured credentials are kept encrypted");
          assertProviderEntries(serving, resources, providers);
        });
      }

      it("keeps credentials given in plaintext out of every checkpoint entry of the package's", async () => {
        const home = mkdtempSync(join(tmpdir(), "chatspace-secrets-"));
        const key = await emulator.control.serviceAccount();
        const stack = await inlineStack("chat-secrets", "plain", program("plaintext config", serving, { plainCredentials: true }), {
          emulator,
          key,
          impersonateUser: "admin@example.com",
          home,
          serving,
        });
        // `pulumi config set` without --secret: the stack's config file, Pulumi's update history and
        // the engine's debug log show it as set (it was not told it is a secret).
        await stack.setConfig("googlechat:credentials", { value: JSON.stringify(key), secret: false });
        const { resources, providers } = await lifecycle(stack, home, serving);
        const secrets = secretsOf(key, undefined, dataFile);
        // Served as dynamic resources, the default provider is Pulumi's dynamic-provider host, whose
        // entry the engine fills with the whole stack config as set (the host has no CheckConfig:
        // @pulumi/pulumi cmd/dynamic-provider): that one place is Pulumi's, not the package's. The
        // plugin answers its credentials as a secret, from the config and from a program alike.
        assert.deepEqual(
          secretPlaces(home, secrets),
          serving.name === "dynamic"
            ? ["pulumi:providers:pulumi-nodejs inputs.googlechat:credentials", "pulumi:providers:pulumi-nodejs outputs.googlechat:credentials"]
            : [],
        );
        assertProviderEntries(serving, resources, providers);
      });

      it("keeps a keyless chain out of them: the CI's request and subject tokens, federated tokens, signed delegation assertions and access tokens", async () => {
        const home = mkdtempSync(join(tmpdir(), "chatspace-secrets-"));
        const keyless = new KeylessControl(emulator.url);
        const pool = await keyless.workloadIdentityProvider();
        const sa = await keyless.serviceAccount("pipeline");
        await keyless.bind({ serviceAccount: sa.email, member: pool.poolMember, role: WORKLOAD_IDENTITY_USER });
        await keyless.bind({ serviceAccount: sa.email, member: `serviceAccount:${sa.email}`, role: TOKEN_CREATOR });
        // What google-github-actions/auth writes: the subject token comes from a URL with the job's request token.
        const job = await keyless.ciJob({ subject: "repo:octo/chat-spaces:ref:refs/heads/main" });
        const credentials = externalAccountCredentials({
          audience: pool.audience,
          stsUrl: `${emulator.url}${STS_PATH}`,
          source: {
            url: `${job.requestUrl}&audience=${encodeURIComponent(pool.allowedAudiences[0])}`,
            headers: { Authorization: `Bearer ${job.requestToken}` },
          },
          impersonate: { serviceAccount: sa.email, iamUrl: `${emulator.url}${IAM_PREFIX}` },
        });
        const key = await emulator.control.serviceAccount();
        const stack = await inlineStack("chat-secrets", "keyless", program("keyless", serving), {
          emulator,
          key,
          impersonateUser: "admin@example.com",
          home,
          config: { "googlechat:iamCredentialsEndpoint": `${emulator.url}${IAM_PREFIX}` },
          serving,
        });
        await stack.setConfig("googlechat:credentials", { value: JSON.stringify(credentials), secret: true });
        const from = (await emulator.control.requests()).at(-1)?.seq ?? 0;
        const { state, logs, resources, providers } = await lifecycle(stack, home, serving);

        const rpcs = new Set((await emulator.control.requests(from)).map((r) => r.rpc));
        for (const step of [
          "ci.oidcToken",
          "sts.token",
          "iamcredentials.generateAccessToken",
          "iamcredentials.signJwt",
          "oauth2.token",
          "spaces.create",
        ] as const) {
          assert.ok(rpcs.has(step), `the chain went through ${step}`);
        }
        const issued = await keyless.issued();
        const secrets = [...secretsOf(key, undefined, dataFile), ...issued.subjectTokens, ...issued.federatedTokens, ...issued.signedJwts];
        assert.ok(
          issued.subjectTokens.length > 1 && issued.federatedTokens.length > 0 && issued.signedJwts.length > 0,
          "the chain issued tokens of every kind",
        );
        assertNoSecrets("the state", state, secrets);
        assertNoSecrets("the logs", logs, secrets);
        assert.ok(logs.length > 100_000, `the debug log was captured (${logs.length} bytes)`);
        assert.match(state, /"ciphertext"/, "the configured credentials are kept encrypted");
        assertProviderEntries(serving, resources, providers);
      });
    });
});
