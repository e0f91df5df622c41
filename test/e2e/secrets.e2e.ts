import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AuthorizedUserCredentials, ServiceAccountKey } from "../../emulator";
import { DEMO_USER_SCOPES } from "../../emulator";
import { type EmulatorProcess, inlineStack, startEmulatorProcess, useEngine } from "./harness";
import { spaces } from "./programs";

/** Everything an operation wrote: its output, and the engine's debug log (verbosity 9, gRPC payloads included). */
function capture() {
  const text: string[] = [];
  return {
    options: { logToStdErr: true, logVerbosity: 9, onOutput: (s: string) => void text.push(s), onError: (s: string) => void text.push(s) },
    text: () => text.join(""),
  };
}

function filesUnder(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), "utf8"))
    .join("\n");
}

describe("e2e: no credential in state, logs or the serialized provider", () => {
  let emulator: EmulatorProcess;
  before(async () => {
    useEngine();
    emulator = await startEmulatorProcess();
  });
  after(() => emulator?.stop());

  /** The strings that must never appear: key material, and every access and refresh token the emulator issued. */
  async function secretsOf(key: ServiceAccountKey, user?: AuthorizedUserCredentials): Promise<string[]> {
    const body = key.private_key.split("\n").filter((line) => line && !line.startsWith("-----"));
    const tokens = Object.keys((await (await fetch(`${emulator.url}/emulator/v1/state`)).json() as any).accessTokens ?? {});
    return ["PRIVATE KEY", ...body, ...(user ? [user.refresh_token, user.client_secret] : []), ...tokens, "ya29."];
  }

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

      // The emulator's access tokens: read from its state endpoint (which leaves them out) and its data.
      const secrets = await secretsOf(key, user);
      const tokens = (await emulator.control.requests()).filter((r) => r.rpc === "oauth2.token").length;
      assert.ok(tokens > 0, "tokens were issued, so there was something to leak");
      for (const secret of secrets) {
        assert.equal(state.includes(secret) || afterDestroy.includes(secret), false, `state contains ${secret.slice(0, 12)}...`);
        assert.equal(logs.text().includes(secret), false, `logs contain ${secret.slice(0, 12)}...`);
      }
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
