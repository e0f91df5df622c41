/**
 * A Pulumi program folder run with the `pulumi` CLI as a pipeline runs it: a copy of the folder
 * beside a file:// backend, the provider configured through the environment as a CI job
 * configures it (GOOGLE_APPLICATION_CREDENTIALS and GOOGLECHAT_*), and the program run by the
 * stand-in language host (test/e2e/language-host.ts). The plan summary's fixture recorder
 * (fixtures/record.ts) runs its program through it.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { ServiceAccountKey } from "../../emulator";
import type { EmulatorProcess } from "../e2e/harness";
import { REPO } from "../e2e/harness";
import type { LanguageHost } from "../e2e/language-host";
import { cliEnvironment, copyProgramFolder } from "../e2e/workspace";

/** The commands that run the program, and so need the language host's address. */
const RUNS_PROGRAM = new Set(["preview", "up", "refresh"]);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliFolder {
  /** The copy of the program folder the CLI runs in. */
  readonly dir: string;
  /** The environment every command gets. */
  readonly env: NodeJS.ProcessEnv;
  /** `pulumi <args>` in the folder; never throws on a non-zero exit. */
  pulumi(args: readonly string[]): Promise<CliResult>;
  /** `pulumi <args>` in the folder; throws with the output on a non-zero exit. */
  ok(args: readonly string[]): Promise<string>;
}

export interface CliFolderOptions {
  emulator: EmulatorProcess;
  key: ServiceAccountKey;
  host: LanguageHost;
  /** Act as this user through domain-wide delegation; absent: app auth. */
  impersonateUser?: string;
  /** Holds the backend (`state/`); a new temporary directory by default. Two folders given one home share a backend. */
  home?: string;
  /** Extra environment: more provider settings. */
  env?: Record<string, string>;
}

/** Copies `source` (without node_modules or stack files) and prepares it to run against the emulator. */
export function cliFolder(source: string, options: CliFolderOptions): CliFolder {
  const home = options.home ?? mkdtempSync(join(tmpdir(), "chatspace-cli-"));
  const dir = mkdtempSync(join(home, `${basename(source)}-`));
  copyProgramFolder(source, dir);
  symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"), "dir");
  const keyFile = join(dir, "..", `key-${basename(dir)}.json`);
  writeFileSync(keyFile, JSON.stringify(options.key), { mode: 0o600 });
  const env: NodeJS.ProcessEnv = {
    ...cliEnvironment(home),
    GOOGLE_APPLICATION_CREDENTIALS: keyFile,
    GOOGLECHAT_API_ENDPOINT: options.emulator.url,
    GOOGLECHAT_TOKEN_ENDPOINT: options.emulator.tokenUrl,
    ...(options.impersonateUser ? { GOOGLECHAT_IMPERSONATE_USER: options.impersonateUser } : {}),
    ...options.env,
  };
  const pulumi = (args: readonly string[]) =>
    new Promise<CliResult>((resolve) => {
      const full = RUNS_PROGRAM.has(args[0]) ? [...args, `--client=${options.host.address}`] : [...args];
      execFile("pulumi", full, { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
      );
    });
  return {
    dir,
    env,
    pulumi,
    ok: async (args) => {
      const result = await pulumi(args);
      if (result.code !== 0)
        throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.stdout}${result.stderr}\nthe program: ${options.host.output()}`);
      return result.stdout;
    },
  };
}
