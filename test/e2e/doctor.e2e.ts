/**
 * `npx pulumi-googlechat doctor` as a user runs it: the built CLI in a Pulumi project folder whose
 * selected stack (the real pulumi CLI, a file:// backend) holds the googlechat config, the
 * credentials as a secret; against the emulator. It reads the stack's config, passes, names the
 * fix when the project has not enabled the Chat API or no administrator approved the Chat app,
 * passes a user's own credentials with broader scopes, and prints no credential.
 */
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmulatorControl, type RunningEmulator, type ServiceAccountKey, startEmulator } from "../../emulator";
import { SCOPE } from "../helpers/emulator";
import { REPO, useEngine } from "./harness";
import { cliEnvironment } from "./workspace";

describe("e2e: pulumi-googlechat doctor in a stack's folder", () => {
  let emulator: RunningEmulator;
  let control: EmulatorControl;
  let key: ServiceAccountKey;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let pulumi: (...args: string[]) => Buffer;

  before(async () => {
    useEngine();
    emulator = await startEmulator({ port: 0 });
    control = new EmulatorControl(emulator.url);
    key = await control.serviceAccount();
    dir = mkdtempSync(join(tmpdir(), "doctor-e2e-"));
    env = cliEnvironment(join(dir, "home"));
    writeFileSync(join(dir, "Pulumi.yaml"), "name: chat\nruntime: nodejs\n");
    pulumi = (...args: string[]) => execFileSync("pulumi", [...args, "--non-interactive"], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    pulumi("stack", "init", "dev");
    pulumi("config", "set", "--secret", "googlechat:credentials", JSON.stringify(key));
    pulumi("config", "set", "--plaintext", "googlechat:apiEndpoint", emulator.url);
    pulumi("config", "set", "--plaintext", "googlechat:tokenEndpoint", emulator.tokenUrl);
    pulumi("config", "set", "googlechat:impersonateUser", "admin@example.com");
  });
  after(() => emulator.stop());

  const doctor = () =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [join(REPO, "dist/commands/cli.js"), "doctor"], { cwd: dir, env }, (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }),
      );
    });

  it("reads the selected stack's config (the secret decrypted in memory), passes with exit 0, and prints no credential", async () => {
    const { code, stdout, stderr } = await doctor();
    assert.equal(code, 0, stdout + stderr);
    const lines = stdout.trimEnd().split("\n");
    assert.deepEqual(lines.slice(0, 3), [
      "OK   settings: the stack dev's config (pulumi config), then the environment",
      'OK   credentials: credentials of type "service_account", from googlechat:credentials',
      `OK   acts as: the user admin@example.com through domain-wide delegation by ${key.client_email} (user authentication)`,
    ]);
    assert.equal(lines.at(-1), `OK   chat api: ${emulator.url}/ answered spaces.list (chat.spaces.readonly)`);
    for (const secret of [key.private_key, key.private_key.split("\n")[1], key.private_key_id]) {
      assert.ok(!stdout.includes(secret) && !stderr.includes(secret), "a credential was printed");
    }
    const log = await control.requests();
    assert.deepEqual([...new Set(log.map((r) => r.rpc))], ["oauth2.token", "spaces.list"]);
  });

  it("exits 1 naming the page that enables the Chat API when the project has not", async () => {
    await control.setSettings({ chatApiDisabledProjects: [key.project_id] });
    const { code, stdout } = await doctor();
    assert.equal(code, 1);
    assert.match(
      stdout.trimEnd().split("\n").at(-1)!,
      /^FAIL chat api: spaces\.list failed: 403 PERMISSION_DENIED Google Chat API has not been used in project emulator-project .* Fix: The Chat API is not enabled in the Cloud project emulator-project: enable it at https:\/\/console\.developers\.google\.com\/apis\/api\/chat\.googleapis\.com\/overview\?project=emulator-project /,
    );
  });

  it("a user's own credentials in the stack's config, consented for chat.spaces, chat.delete and chat.memberships: every operation passes with those broader scopes, exit 0, and no credential printed", async () => {
    await control.reset();
    const user = await control.authorizedUser("admin@example.com", ["chat.spaces", "chat.delete", "chat.memberships"].map(SCOPE));
    pulumi("config", "set", "--secret", "googlechat:credentials", JSON.stringify(user));
    pulumi("config", "rm", "googlechat:impersonateUser");
    const { code, stdout, stderr } = await doctor();
    assert.equal(code, 0, stdout + stderr);
    assert.deepEqual(stdout.trimEnd().split("\n").slice(2), [
      "OK   acts as: admin@example.com with their own credentials (user authentication)",
      "OK   create spaces: chat.spaces: held by the token (tokeninfo)",
      "OK   memberships: chat.memberships: held by the token (tokeninfo)",
      "OK   delete: chat.delete: held by the token (tokeninfo)",
      "OK   add the calling app: chat.memberships: held by the token (tokeninfo)",
      `OK   chat api: ${emulator.url}/ answered spaces.list (chat.spaces)`,
    ]);
    for (const secret of [user.refresh_token, user.client_secret]) assert.ok(!stdout.includes(secret) && !stderr.includes(secret), "a credential was printed");
  });

  it("the Chat app, which no administrator approved for app authentication: exit 1 with the approval to give", async () => {
    await control.reset();
    await control.setSettings({ appAuthApproved: false });
    pulumi("config", "set", "--secret", "googlechat:credentials", JSON.stringify(key));
    const { code, stdout } = await doctor();
    assert.equal(code, 1, stdout);
    assert.match(
      stdout.trimEnd().split("\n").at(-1)!,
      /^FAIL app approval: spaces\.get spaces\/AAAAAAAAAAA failed: 403 PERMISSION_DENIED This Chat app is not approved for app authentication.* Fix: a Workspace administrator must approve the Chat app for app authentication/,
    );
  });
});
