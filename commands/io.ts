/** What a command reads and writes: injected, so tests run commands in-process and read what they print. */
export interface CommandIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** `isTTY`: nothing is piped in (a command that reads its input from stdin says so instead of waiting). */
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}
