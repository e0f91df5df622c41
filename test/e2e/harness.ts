/**
 * The end-to-end harness: the real Pulumi engine (scripts/ensure-pulumi), a file:// backend
 * and a passphrase secrets provider in a temporary directory, and the emulator in a separate
 * process, as the engine's provider process is.
 *
 * Programs run through the Automation API's inline mode, in which @pulumi/pulumi itself
 * serves the program to the engine: the Node.js language host (pulumi-language-nodejs) is a Go
 * module this machine's module proxy does not serve (docs/engine.md).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { LocalWorkspace, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";
import { EmulatorControl, type ServiceAccountKey } from "../../emulator";
import { GOOGLE_RATE_LIMITS } from "../../provider/core/rate-limiter";
import type { Serving } from "./servings";

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
  /** The serving whose provider the engine must find (servings.ts); the dynamic one needs nothing. */
  serving?: Serving;
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
  const pulumiHome = join(home, "pulumi-home");
  options.serving?.install(pulumiHome);
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
      pulumiHome,
      envVars: {
        PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        ...providerEnv,
      },
      projectSettings: { name: projectName, runtime: "nodejs", backend: { url: `file://${backend}` } },
    },
  );
  if (options.viaEnvironment) return retryingTransportFailures(stack);
  await stack.setAllConfig({
    "googlechat:credentials": { value: JSON.stringify(key), secret: true },
    "googlechat:apiEndpoint": { value: emulator.url },
    "googlechat:tokenEndpoint": { value: emulator.tokenUrl },
    ...(options.impersonateUser ? { "googlechat:impersonateUser": { value: options.impersonateUser } } : {}),
    ...Object.fromEntries(Object.entries(options.config ?? {}).map(([k, value]) => [k, { value }])),
  });
  return retryingTransportFailures(stack);
}

/** What the Node.js runtime of an inline program reports when its gRPC channel to the engine never connected. */
const ENGINE_UNREACHED = "14 UNAVAILABLE: No connection established";

/**
 * `stack`, whose commands are run once more where the inline program's runtime could not reach
 * the engine (pulumi/pulumi#14841: @grpc/grpc-js fails a call on a channel that has not connected
 * yet, now and then, on an idle machine too). That is neither the provider's answer nor the
 * program's, and a user would run the command again; the retry is said on stderr. Any other
 * failure, or this one twice, is the command's.
 */
function retryingTransportFailures(stack: Stack): Stack {
  for (const command of ["up", "preview", "refresh", "destroy"] as const) {
    const run = stack[command].bind(stack) as (opts?: unknown) => Promise<unknown>;
    (stack as unknown as Record<string, unknown>)[command] = async (opts?: unknown) => {
      try {
        return await run(opts);
      } catch (error) {
        if (!String((error as Error)?.message ?? error).includes(ENGINE_UNREACHED)) throw error;
        console.warn(`e2e harness: pulumi ${command} could not reach the engine (${ENGINE_UNREACHED}); running it once more`);
        return await run(opts);
      }
    };
  }
  return stack;
}

/** Kills (SIGKILL) every process whose command line contains `marker`, and all their descendants; returns how many. */
export function killProcessTree(marker: string): number {
  const rows = execFileSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, pid, ppid, args]) => ({ pid: Number(pid), ppid: Number(ppid), args }));
  const found = new Set(rows.filter((r) => r.args.includes(marker) && r.pid !== process.pid).map((r) => r.pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of rows) {
      if (found.has(r.ppid) && !found.has(r.pid)) {
        found.add(r.pid);
        grew = true;
      }
    }
  }
  for (const pid of found) process.kill(pid, "SIGKILL");
  return found.size;
}

/** Polls `probe` until it returns a value. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The text of every file below `dir`. */
export function filesUnder(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), "utf8"))
    .join("\n");
}

/**
 * The strings that must never appear in state or logs: the key's private material, the user's
 * refresh token and client secret, and every access token the emulator issued (read from its
 * data file when it has one).
 */
export function secretsOf(key: ServiceAccountKey, user?: { refresh_token: string; client_secret: string }, emulatorDataFile?: string): string[] {
  const body = key.private_key.split("\n").filter((line) => line && !line.startsWith("-----"));
  const tokens = emulatorDataFile ? Object.keys(JSON.parse(readFileSync(emulatorDataFile, "utf8")).accessTokens ?? {}) : [];
  return ["PRIVATE KEY", ...body, ...(user ? [user.refresh_token, user.client_secret] : []), ...tokens, "ya29."];
}

/** Fails naming the first secret found in `text`. */
export function assertNoSecrets(where: string, text: string, secrets: string[]): void {
  for (const secret of secrets) {
    if (text.includes(secret)) throw new Error(`${where} contains ${secret.slice(0, 12)}...`);
  }
}

export interface E2EContext {
  emulator: EmulatorProcess;
  /** A service account key the emulator knows: app auth, or a user through delegation. */
  key: ServiceAccountKey;
}

/**
 * The usual suite set-up: the engine on PATH, an emulator process with a service account, and,
 * unless told otherwise, a reset emulator before each test.
 */
export function useEngineAndEmulator(options: { dataFile?: string; resetEachTest?: boolean } = {}): E2EContext {
  const ctx = {} as E2EContext;
  before(async () => {
    useEngine();
    ctx.emulator = await startEmulatorProcess(options.dataFile);
    ctx.key = await ctx.emulator.control.serviceAccount();
  });
  if (options.resetEachTest !== false) beforeEach(() => ctx.emulator.control.reset());
  after(() => ctx.emulator?.stop());
  return ctx;
}

/**
 * Google's published quotas sped up by `timeScale`, as googlechat: config for the provider's
 * limiter (matching the emulator's time-scaled quotas); 0 turns every limit off.
 */
export function googleLimitsConfig(timeScale: number): Record<string, string> {
  return Object.fromEntries(Object.entries(GOOGLE_RATE_LIMITS).map(([key, limit]) => [`googlechat:${key}`, String(limit * timeScale)]));
}
