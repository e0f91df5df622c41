/**
 * The end-to-end harness: the real Pulumi engine (scripts/ensure-pulumi), a file:// backend
 * and a passphrase secrets provider in a temporary directory, and the emulator in a separate
 * process, as the engine's provider process is.
 *
 * Programs run through the Automation API's inline mode, in which @pulumi/pulumi itself
 * serves the program to the engine: the Node.js language host (pulumi-language-nodejs) is a Go
 * module this machine's module proxy does not serve (README, "The engine").
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { LocalWorkspace, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";
import { EmulatorControl, type ServiceAccountKey } from "../../emulator";

export const REPO = resolve(__dirname, "../..");

/** Puts the engine (with the dynamic-provider shim beside it) and Node 22 first on PATH; fails when the engine is missing. */
export function useEngine(): void {
  const bin = execFileSync(join(REPO, "scripts/ensure-pulumi"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
    .trim()
    .split("\n")
    .pop()!;
  process.env.PATH = [bin, join(REPO, "node_modules/.bin"), process.env.PATH].join(":");
  process.env.PULUMI_SKIP_UPDATE_CHECK = "true";
  process.env.PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK = "true";
}

export interface EmulatorProcess {
  url: string;
  tokenUrl: string;
  control: EmulatorControl;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The emulator in its own process (the compiled CLI), as a user would start it; `dataFile` keeps its state. */
export async function startEmulatorProcess(dataFile?: string): Promise<EmulatorProcess> {
  const args = [join(REPO, "dist/emulator/cli.js"), "--port", "0", ...(dataFile ? ["--data", dataFile] : [])];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let text = "";
    child.stdout!.on("data", (d) => {
      text += d;
      const match = /listening on (http:\/\/\S+)/.exec(text);
      if (match) resolveUrl(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return {
    url,
    tokenUrl: `${url}/token`,
    control: new EmulatorControl(url),
    child,
    stop: () =>
      new Promise((done) => {
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}

export interface StackOptions {
  emulator: EmulatorProcess;
  key: ServiceAccountKey;
  /** Act as this user through domain-wide delegation; absent: app auth. */
  impersonateUser?: string;
  config?: Record<string, string>;
  /** The directory holding the backend and work directory; a fresh one by default. */
  home?: string;
  /**
   * Configure the provider through the environment (GOOGLE_APPLICATION_CREDENTIALS and
   * GOOGLECHAT_*) instead of stack config: nothing about the credentials reaches the state.
   */
  viaEnvironment?: boolean;
}

/** A stack of an inline program against the emulator. Its work directory resolves this package like a user's. */
export async function inlineStack(projectName: string, stackName: string, program: PulumiFn, options: StackOptions): Promise<Stack> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), "chatspace-e2e-"));
  const workDir = join(home, "work");
  const backend = join(home, "state");
  mkdirSync(backend, { recursive: true });
  mkdirSync(workDir, { recursive: true });
  try {
    symlinkSync(join(REPO, "node_modules"), join(workDir, "node_modules"), "dir");
  } catch {
    // already linked: the same home, another stack
  }
  const { emulator, key } = options;
  let providerEnv: Record<string, string> = {};
  if (options.viaEnvironment) {
    const keyFile = join(home, "service-account.json");
    writeFileSync(keyFile, JSON.stringify(key), { mode: 0o600 });
    providerEnv = {
      GOOGLE_APPLICATION_CREDENTIALS: keyFile,
      GOOGLECHAT_API_ENDPOINT: emulator.url,
      GOOGLECHAT_TOKEN_ENDPOINT: emulator.tokenUrl,
      ...(options.impersonateUser ? { GOOGLECHAT_IMPERSONATE_USER: options.impersonateUser } : {}),
    };
  }
  const stack = await LocalWorkspace.createOrSelectStack(
    { projectName, stackName, program },
    {
      workDir,
      pulumiHome: join(home, "pulumi-home"),
      envVars: {
        PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        ...providerEnv,
      },
      projectSettings: { name: projectName, runtime: "nodejs", backend: { url: `file://${backend}` } },
    },
  );
  if (options.viaEnvironment) return stack;
  await stack.setAllConfig({
    "googlechat:credentials": { value: JSON.stringify(key), secret: true },
    "googlechat:apiEndpoint": { value: emulator.url },
    "googlechat:tokenEndpoint": { value: emulator.tokenUrl },
    ...(options.impersonateUser ? { "googlechat:impersonateUser": { value: options.impersonateUser } } : {}),
    ...Object.fromEntries(Object.entries(options.config ?? {}).map(([k, value]) => [k, { value }])),
  });
  return stack;
}

export function removeHome(home: string): void {
  rmSync(home, { recursive: true, force: true });
}
