import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_USER_SCOPES } from "../../emulator";
import { assertNoSecrets, type EmulatorProcess, filesUnder, inlineStack, secretsOf, startEmulatorProcess, useEngine } from "./harness";
import { spaces } from "./programs";

/** Everything an operation wrote: its output, and the engine's debug log (verbosity 9, gRPC payloads included). */
function capture() {
  const text: string[] = [];
  return {
    options: { logToStdErr: true, logVerbosity: 9, onOutput: (s: string) => void text.push(s), onError: (s: string) => void text.push(s) },
    text: () => text.join(""),
  };
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
      const logs = capture();
      await stack.up(logs.options);
      await stack.preview(logs.options);
      await stack.refresh(logs.options);
      // The state as the backend keeps it: every checkpoint, backup and history file, read from disk
      // (the Automation API's exportStack shows secrets decrypted).
      const state = filesUnder(join(home, "state"));
      const resources = (await stack.exportStack()).deployment.resources.filter((r: any) => r.type === "pulumi-nodejs:dynamic/googlechat:ChatSpace");
      await stack.destroy(logs.options);
      const afterDestroy = filesUnder(join(home, "state"));

      const secrets = secretsOf(key, user, dataFile);
      const tokens = (await emulator.control.requests()).filter((r) => r.rpc === "oauth2.token").length;
      assert.ok(tokens > 0, "tokens were issued, so there was something to leak");
      assert.ok(secrets.length > 30, "the key, and the tokens the emulator issued, are known");
      assertNoSecrets("the state", state + afterDestroy, secrets);
      assertNoSecrets("the logs", logs.text(), secrets);
      assert.ok(logs.text().length > 100_000, `the debug log was captured (${logs.text().length} bytes)`);

      assert.match(state, /"ciphertext"/, "the configured credentials are kept encrypted");
      for (const resource of resources) {
        const size = Buffer.byteLength(resource.outputs.__provider);
        assert.ok(size <= 2048, `__provider is ${size} bytes`);
        assert.equal(resource.inputs.__provider, resource.outputs.__provider);
      }
      console.log(`      __provider: ${Buffer.byteLength(resources[0].outputs.__provider)} bytes; whole resource entry: ${JSON.stringify(resources[0]).length} bytes`);
    });
  }
});
