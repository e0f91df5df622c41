import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { DEMO_USER_SCOPES, KeylessControl, TOKEN_CREATOR, WORKLOAD_IDENTITY_USER, externalAccountCredentials } from "../../emulator";
import { IAM_PREFIX, STS_PATH } from "../../emulator/keyless";
import { assertNoSecrets, type EmulatorProcess, filesUnder, inlineStack, secretsOf, startEmulatorProcess, useEngine } from "./harness";
import { PROVIDER_TEXT } from "../../provider/core/stub";
import { spaces } from "./programs";

/** Everything an operation wrote: its output, and the engine's debug log (verbosity 9, gRPC payloads included). */
function capture() {
  const text: string[] = [];
  return {
    options: { logToStdErr: true, logVerbosity: 9, onOutput: (s: string) => void text.push(s), onError: (s: string) => void text.push(s) },
    text: () => text.join(""),
  };
}

/** up, preview, refresh and destroy, keeping what each wrote: the state files on disk after up and after destroy, the logs, and the resources as exported. */
async function lifecycle(stack: Stack, home: string) {
  const logs = capture();
  await stack.up(logs.options);
  await stack.preview(logs.options);
  await stack.refresh(logs.options);
  // The state as the backend keeps it: every checkpoint, backup and history file, read from disk
  // (the Automation API's exportStack shows secrets decrypted).
  const state = filesUnder(join(home, "state"));
  const resources = (await stack.exportStack()).deployment.resources.filter((r: any) => r.type === "pulumi-nodejs:dynamic/googlechat:ChatSpace");
  await stack.destroy(logs.options);
  return { state: state + filesUnder(join(home, "state")), logs: logs.text(), resources };
}

function assertSmallProvider(resources: any[]): void {
  for (const resource of resources) {
    // The one-line text that loads the installed provider: nothing captured, so nothing to leak.
    assert.equal(resource.outputs.__provider, PROVIDER_TEXT.ChatSpace);
    assert.equal(resource.inputs.__provider, PROVIDER_TEXT.ChatSpace);
  }
  console.log(`      __provider: ${Buffer.byteLength(resources[0].outputs.__provider)} bytes; whole resource entry: ${JSON.stringify(resources[0]).length} bytes`);
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

  for (const mode of ["a service account acting as a user", "authorized_user credentials"] as const) {
    it(`keeps ${mode} out of the exported state, the engine's debug log and the provider's output`, async () => {
      const home = mkdtempSync(join(tmpdir(), "chatspace-secrets-"));
      const key = await emulator.control.serviceAccount();
      const user = mode === "authorized_user credentials" ? await emulator.control.authorizedUser("admin@example.com", DEMO_USER_SCOPES) : undefined;
      const stack = await inlineStack("chat-secrets", mode.startsWith("a service") ? "sa" : "user", spaces({ eng: { displayName: `Secrets ${mode}` }, ops: { displayName: `Ops ${mode}` } }), {
        emulator,
        key,
        impersonateUser: user ? undefined : "admin@example.com",
        home,
      });
      if (user) await stack.setConfig("googlechat:credentials", { value: JSON.stringify(user), secret: true });
      const { state, logs, resources } = await lifecycle(stack, home);

      const secrets = secretsOf(key, user, dataFile);
      const tokens = (await emulator.control.requests()).filter((r) => r.rpc === "oauth2.token").length;
      assert.ok(tokens > 0, "tokens were issued, so there was something to leak");
      assert.ok(secrets.length > 30, "the key, and the tokens the emulator issued, are known");
      assertNoSecrets("the state", state, secrets);
      assertNoSecrets("the logs", logs, secrets);
      assert.ok(logs.length > 100_000, `the debug log was captured (${logs.length} bytes)`);

      assert.match(state, /"ciphertext"/, "the configured credentials are kept encrypted");
      assertSmallProvider(resources);
    });
  }

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
      source: { url: `${job.requestUrl}&audience=${encodeURIComponent(pool.allowedAudiences[0])}`, headers: { Authorization: `Bearer ${job.requestToken}` } },
      impersonate: { serviceAccount: sa.email, iamUrl: `${emulator.url}${IAM_PREFIX}` },
    });
    const key = await emulator.control.serviceAccount();
    const stack = await inlineStack("chat-secrets", "keyless", spaces({ eng: { displayName: "Secrets keyless" }, ops: { displayName: "Ops keyless" } }), {
      emulator,
      key,
      impersonateUser: "admin@example.com",
      home,
      config: { "googlechat:iamCredentialsEndpoint": `${emulator.url}${IAM_PREFIX}` },
    });
    await stack.setConfig("googlechat:credentials", { value: JSON.stringify(credentials), secret: true });
    const from = (await emulator.control.requests()).at(-1)?.seq ?? 0;
    const { state, logs, resources } = await lifecycle(stack, home);

    const rpcs = new Set((await emulator.control.requests(from)).map((r) => r.rpc));
    for (const step of ["ci.oidcToken", "sts.token", "iamcredentials.generateAccessToken", "iamcredentials.signJwt", "oauth2.token", "spaces.create"] as const) {
      assert.ok(rpcs.has(step), `the chain went through ${step}`);
    }
    const issued = await keyless.issued();
    const secrets = [...secretsOf(key, undefined, dataFile), ...issued.subjectTokens, ...issued.federatedTokens, ...issued.signedJwts];
    assert.ok(issued.subjectTokens.length > 1 && issued.federatedTokens.length > 0 && issued.signedJwts.length > 0, "the chain issued tokens of every kind");
    assertNoSecrets("the state", state, secrets);
    assertNoSecrets("the logs", logs, secrets);
    assert.ok(logs.length > 100_000, `the debug log was captured (${logs.length} bytes)`);
    assert.match(state, /"ciphertext"/, "the configured credentials are kept encrypted");
    assertSmallProvider(resources);
  });
});
