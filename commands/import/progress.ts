/**
 * Progress of a long listing, on stderr: a bar redrawn in place on a terminal, plain lines
 * elsewhere (CI logs keep every line, and a carriage return would garble them).
 */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

const BAR_WIDTH = 30;

export class ListingProgress {
  private shown = false;

  constructor(
    private readonly stream: ProgressStream,
    /** What is counted, plural: "spaces". */
    private readonly what: string,
  ) {}

  /** `done` items so far, of `total` when Google says (spaces.search's totalSize). */
  update(done: number, total?: number): void {
    const count = total !== undefined ? `${done}/${total} ${this.what}` : `${done} ${this.what}`;
    if (!this.stream.isTTY) {
      this.stream.write(`listed ${count}\n`);
      return;
    }
    const filled = total ? Math.round((Math.min(done, total) / total) * BAR_WIDTH) : 0;
    const bar = total ? `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ` : "";
    this.stream.write(`\r${bar}${count}`);
    this.shown = true;
  }

  /** Ends the bar's line, so that what follows starts on its own. */
  finish(): void {
    if (this.shown) this.stream.write("\n");
    this.shown = false;
  }
}
