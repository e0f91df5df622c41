/**
 * The `pulumi` CLI as the commands run it: in a project folder, found on the environment's PATH,
 * never interactive. Its error is its stderr (in short, the first line): never its stdout, which
 * may hold secrets (`pulumi config --show-secrets`).
 */
import { execFile } from "node:child_process";

/** What a `pulumi` command answered. */
export type PulumiResult = { ok: true; stdout: string } | { ok: false; error: string; stderr: string };

/** Runs `pulumi <args> --non-interactive` in `cwd` with `env`. */
export function runPulumi(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<PulumiResult> {
  return new Promise((resolve) => {
    execFile("pulumi", [...args, "--non-interactive"], { cwd, env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve({ ok: true, stdout });
      const line = String(stderr)
        .split("\n")
        .find((l) => l.trim() !== "")
        ?.trim();
      resolve({
        ok: false,
        error: line ?? ((error as NodeJS.ErrnoException).code === "ENOENT" ? "the pulumi CLI is not on PATH" : error.message),
        stderr: String(stderr),
      });
    });
  });
}
