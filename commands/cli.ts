#!/usr/bin/env node
/**
 * `npx pulumi-googlechat <command> ...`: the package's commands, one module each in this folder.
 * Each module exports `run(argv, io)`, returning the process exit code; this file only picks one.
 */
import type { CommandIo } from "./io";

interface Command {
  /** One line for the usage text. */
  readonly summary: string;
  readonly load: () => Promise<{ run(argv: readonly string[], io: CommandIo): Promise<number> }>;
}

/** Every command of the package. Loaded on use, so one command's dependencies never slow another. */
const COMMANDS: Record<string, Command> = {
  import: {
    summary: "write a Pulumi program, or a `pulumi import` file, that adopts existing spaces; or one that moves a stack to the provider plugin",
    load: () => import("./import"),
  },
  "forget-migrated": {
    summary: "remove from the state the dynamic resources `pulumi import` has moved to the provider plugin; nothing is called",
    load: () => import("./migrate/forget-migrated"),
  },
  doctor: { summary: "check the credentials, scopes and Google set-up the stack needs, with the fix for each; no writes", load: () => import("./doctor") },
  plan: { summary: "summarise `pulumi preview --json` in Markdown; exit 1 on a deletion, replacement or removal", load: () => import("./plan") },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(16)} ${c.summary}`);
  return ["usage: pulumi-googlechat <command> [options]", "", "commands:", ...lines, "", "Run a command with --help for its options."].join("\n");
}

export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    io.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`pulumi-googlechat: unknown command "${name}".\n${usage()}\n`);
    return 2;
  }
  return (await command.load()).run(rest, io);
}

if (require.main === module) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, stdin: process.stdin }).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`pulumi-googlechat: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
