/**
 * `npm run demo`: starts the emulator, deploys the root example (Pulumi.yaml's `main`) with the
 * real Pulumi engine, and prints the space it made. State is kept in .emulator/ (the emulator's
 * data and a file:// Pulumi backend), so a second run finds the space already there and changes
 * nothing. The provider is configured through the environment, exactly as against Google:
 * GOOGLE_APPLICATION_CREDENTIALS names a service account key (written by the emulator), and
 * GOOGLECHAT_API_ENDPOINT / GOOGLECHAT_TOKEN_ENDPOINT point at the emulator.
 *
 * The program runs through the Automation API's inline mode, in which @pulumi/pulumi serves
 * it to the engine, so no separate Node.js language host is needed (docs/engine.md).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { EmulatorControl, startEmulator } from "../emulator";

const ROOT = resolve(__dirname, "..");
const STATE = join(ROOT, ".emulator");
const DEMO_USER = "admin@example.com";

async function main(): Promise<void> {
  const engine = execFileSync(join(ROOT, "scripts/ensure-pulumi"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
    .trim()
    .split("\n")
    .pop()!;
  process.env.PATH = `${engine}:${process.env.PATH}`;
  mkdirSync(join(STATE, "pulumi"), { recursive: true });

  const emulator = await startEmulator({ port: 0, dataFile: join(STATE, "emulator.json") });
  console.log(`Google Chat API emulator: ${emulator.url}`);
  try {
    const keyFile = join(STATE, "service-account.json");
    if (!existsSync(keyFile)) {
      writeFileSync(keyFile, JSON.stringify(await new EmulatorControl(emulator.url).serviceAccount(), null, 2), { mode: 0o600 });
    }
    const main = /^main:\s*(\S+)/m.exec(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8"))?.[1] ?? "index.ts";
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "demo", projectName: "googlechat-demo", program: async () => require(join(ROOT, main)) },
      {
        workDir: ROOT,
        envVars: {
          PULUMI_BACKEND_URL: `file://${join(STATE, "pulumi")}`,
          PULUMI_CONFIG_PASSPHRASE: "demo",
          PULUMI_SKIP_UPDATE_CHECK: "true",
          GOOGLE_APPLICATION_CREDENTIALS: keyFile,
          GOOGLECHAT_IMPERSONATE_USER: DEMO_USER,
          GOOGLECHAT_API_ENDPOINT: emulator.url,
          GOOGLECHAT_TOKEN_ENDPOINT: emulator.tokenUrl,
        },
      },
    );
    const result = await stack.up({ onOutput: (text) => process.stdout.write(text) });
    console.log(`\nThe space: ${result.outputs.name.value}\n           ${result.outputs.url.value}`);
  } finally {
    await emulator.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
