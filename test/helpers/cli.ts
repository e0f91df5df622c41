/** The `pulumi-googlechat` command line, run in this process for tests. */
import { PassThrough } from "node:stream";
import { main } from "../../commands/cli";

/** Runs the CLI in this process; answers the exit code and what it printed. `tty`: standard error is a terminal. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = {}, tty = false): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), { isTTY: tty });
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += d));
  stderr.on("data", (d) => (err += d));
  const code = await main(argv, { stdout, stderr, stdin: new PassThrough(), env });
  return { code, out, err };
}
