/**
 * A Pulumi YAML project that uses the provider plugin of this repository: `Pulumi.yaml` names
 * `bin/` under `packages:` (the engine then runs bin/pulumi-resource-googlechat, which loads
 * dist/), run with the `pulumi` CLI from its folder as a user runs it, against a file:// backend
 * in `home` (workspace.ts cliEnvironment). Several folders given one home share the backend, so
 * a YAML project of the same name sees the stacks a TypeScript one made there.
 */
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO } from "./harness";
import { cliEnvironment } from "./workspace";

export interface PulumiRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface PluginFolder {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  /** Writes Pulumi.yaml: the project, the plugin's package entry, and `body` (config, resources, outputs). */
  writeProgram(body: string): void;
  /** `pulumi <args> --non-interactive`; never throws. Asynchronous: the emulator's control connection stays served. */
  attempt(args: readonly string[]): Promise<PulumiRun>;
  /** `pulumi <args>`; throws with its output on failure; answers stdout and stderr together. */
  pulumi(...args: string[]): Promise<string>;
  /** `pulumi <args>`'s standard output, parsed. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json(...args: string[]): Promise<any>;
  /** `pulumi config set`, the value on standard input as a user pastes a key: never on a command line. */
  setConfig(name: string, value: string, secret?: boolean): Promise<void>;
}

/** A folder `home/<folder>` holding the YAML project `project`. */
export function pluginFolder(home: string, folder: string, project: string): PluginFolder {
  const dir = join(home, folder);
  mkdirSync(dir, { recursive: true });
  const env = cliEnvironment(home);
  const attempt = (args: readonly string[]) =>
    promisify(execFile)("pulumi", [...args, "--non-interactive"], { cwd: dir, env, maxBuffer: 256 * 1024 * 1024 }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: typeof error.code === "number" ? error.code : 1,
        stdout: error.stdout ?? "",
        stderr: error.stderr ?? "",
      }),
    );
  const ok = async (args: readonly string[]) => {
    const run = await attempt(args);
    if (run.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed (${run.code}):\n${run.stdout}${run.stderr}`);
    return run;
  };
  return {
    dir,
    env,
    writeProgram: (body) => writeFileSync(join(dir, "Pulumi.yaml"), `name: ${project}\nruntime: yaml\npackages:\n  googlechat: ${join(REPO, "bin")}\n${body}`),
    attempt,
    pulumi: async (...args) => {
      const { stdout, stderr } = await ok(args);
      return `${stdout}${stderr}`;
    },
    json: async (...args) => JSON.parse((await ok(args)).stdout),
    setConfig: async (name, value, secret = false) => {
      const child = execFile("pulumi", ["config", "set", secret ? "--secret" : "--plaintext", name, "--non-interactive"], { cwd: dir, env });
      child.stdin!.end(value);
      const code = await new Promise((resolve) => child.on("exit", resolve));
      if (code !== 0) throw new Error(`pulumi config set ${name} exited with ${code}`);
    },
  };
}
