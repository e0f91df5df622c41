/**
 * What the provider processes of one deployment share: records one process appends and the
 * others read (the member claims, members/claims.ts, what refreshes found changed,
 * members/refresh-findings.ts, and what a ChatMembership's delete-first replacement carries from
 * its delete to its create, membership/delete-first.ts; one process's parts read them through
 * core/share-readers.ts). One deployment may have several provider
 * processes of this package: the engine starts one plugin process per provider instance, the
 * default provider and each explicit one (pulumi/pulumi pkg/host/host.go `defaultHost.Provider`
 * loads a plugin per provider; sdk/go/common/resource/plugin/plugin.go `ExecPlugin` starts it),
 * and one dynamic-provider host (`pulumi-resource-pulumi-nodejs`) for every dynamic resource.
 *
 * The deployment is told by its engine's address: the engine gives every provider process it
 * starts the address of its host's RPC server as the last argument (provider_plugin.go
 * `NewProvider`: `[]string{host.ServerAddr()}`, the dynamic-provider host included), a
 * `127.0.0.1:{port}` listened on by one host, which each deployment builds for itself
 * (pkg/engine/deployment.go `ensureHost`: a preview and the update of one `pulumi up` are two),
 * and keeps listening until every provider process it started has exited (pkg/host/host.go
 * `defaultHost.Close` closes the plugins first). The engine's pid is no key: the
 * dynamic-provider host's node process is a child of a shell script, not of the engine. A process
 * whose engine was killed outlives it (core/engine-presence.ts), and a later deployment's engine
 * may be given its address: on Linux the key holds the engine's listening socket too (its inode,
 * which no later socket has), so such an orphan shares nothing with the later deployment;
 * elsewhere, and on Linux too, a provider process watches its engine and abandons its share
 * ({@link DeploymentShare.abandon}) once nothing listens at the address.
 *
 * Each process appends its records to its own file, `{pid}-{start}-{nonce}.jsonl` (without
 * `{start}` where the system can't tell it), in a directory of its deployment under a private
 * directory of this user (mode 0700, files 0600) in the system's temporary folder,
 * synchronously: a record is on disk when `publish` returns, so before the call that made it
 * answers the engine. A reader takes the complete lines its siblings appended since it last
 * looked, after checking the directories and each file are still private, as a publisher does
 * before it writes. A provider process makes its file when it starts ({@link DeploymentShareOptions.present}),
 * so the directory shows which processes of the deployment run.
 *
 * A process closes its share when it exits, and on SIGINT, SIGTERM, SIGHUP or SIGBREAK (the
 * engine stops a plugin with SIGINT: sdk/go/common/util/cmdutil/child_unix.go
 * `InterruptChildren`; on Windows with CTRL_BREAK_EVENT, which Node receives as SIGBREAK:
 * child_windows.go). The engine closes a process before its deployment ends, too: an explicit
 * provider whose configuration changes is served by a new process, started by its `Check`, and its
 * `Update` closes the old one (pkg/resource/deploy/providers/registry.go `setProviderAndCloseOld`),
 * which may have refreshed resources the new process then diffs. So a closing process that
 * published keeps its records, renamed `{pid}-{start}-{nonce}.closed-{ms}.jsonl` with the time it
 * closed, for the siblings running then; the last process of the deployment to close removes them
 * all with the directory. A reader takes a closed file only when it closed after the reader's
 * share was made: the engine's address is taken again only after every process of its deployment
 * has exited (`defaultHost.Close`), so such a file is of the reader's deployment, and one left by
 * an earlier deployment at the same address never applies.
 *
 * A file whose process is gone without closing (killed) is ignored and removed by the next
 * process that looks, and so are the closed files of a directory where no process runs. On Linux
 * `{start}`, the process's start time, tells a killed process's file from one of a process given
 * its pid since. What a record holds is its publisher's business: it must never be a credential.
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmdirSync,
  rmSync,
  type Stats,
  writeSync,
} from "node:fs";
import { hostname, tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import type { Log } from "./engine-log";
import { listeningSocket } from "./engine-presence";

/** Records shared by the provider processes of one deployment. */
export interface DeploymentShare {
  /** Appends a record of this process (JSON): on disk when this returns. A failure is logged once, and the process shares nothing more. */
  publish(record: unknown): void;
  /** The records the deployment's other live processes appended since the last call, each process's in its order. */
  receive(): unknown[];
  /**
   * Closes this process's file: kept, marked closed, for the deployment's processes running now
   * if it holds records; removed with the directory's closed files once no process runs there.
   */
  close(): void;
  /**
   * The engine is gone: removes this process's file, records included (its deployment is over,
   * and a later one at the same address must not read them), and shares nothing more.
   */
  abandon(): void;
}

/** Where and for which deployment a process shares. */
export interface DeploymentShareOptions {
  /**
   * The engine's address, the last argument the engine starts a provider process with: the
   * deployment's key, with the engine's listening socket where the system tells it.
   */
  readonly engineAddress: string;
  /** Where a failure to share is said (once). */
  readonly log: Log;
  /** The private directory of this user holding every deployment's directory. @default {@link defaultShareRoot} */
  readonly root?: string;
  /**
   * Make this process's file now, not at its first publish: a provider process is then seen running
   * from its start, and a sibling closing before it publishes keeps its records for it. @default false
   */
  readonly present?: boolean;
  /** The wall clock, in milliseconds: when the share was made, and when a process closed. @default Date.now */
  readonly now?: () => number;
}

/** The private directory of this user that holds the shared records: `{tmpdir}/pulumi-googlechat-claims-{uid}`. */
export function defaultShareRoot(): string {
  const user = typeof process.getuid === "function" ? String(process.getuid()) : userInfo().username;
  return join(tmpdir(), `pulumi-googlechat-claims-${user}`);
}

/**
 * A file of one process: its pid, its start time where the system tells it ({@link processStart}),
 * then a nonce (two stores of one OS process, in tests, are two files).
 */
const PROCESS_FILE = /^((\d+)(?:-(\d+))?-[0-9a-f]+)\.jsonl$/;

/** The file of a process that closed its share, at `{ms}` (the wall clock): its base name, then when. */
const CLOSED_FILE = /^((\d+)(?:-\d+)?-[0-9a-f]+)\.closed-(\d+)\.jsonl$/;

/** The share of this process for the deployment of `options.engineAddress`. */
export function deploymentShare(options: DeploymentShareOptions): DeploymentShare {
  return new DirectoryShare(options);
}

class DirectoryShare implements DeploymentShare {
  private readonly root: string;
  private readonly dir: string;
  private readonly base = [process.pid, processStart(process.pid), randomBytes(4).toString("hex")].filter((part) => part !== undefined).join("-");
  private readonly file = `${this.base}.jsonl`;
  private fd?: number;
  private failed = false;
  /** Whether this process appended a record: its file is then kept when it closes. */
  private published = false;
  /** When this share was made (the wall clock): a closed file of this deployment closed after it. */
  private readonly since: number;
  private readonly now: () => number;
  /** How far each sibling's file has been read, in bytes, by its base name (a file once closed is renamed): up to the end of its last complete line. */
  private readonly offsets = new Map<string, number>();

  constructor(private readonly options: DeploymentShareOptions) {
    this.root = options.root ?? defaultShareRoot();
    // The host too: two containers sharing a temporary folder may each have an engine on 127.0.0.1:{port}.
    const key = [hostname(), options.engineAddress, listeningSocket(options.engineAddress)].filter(Boolean).join("-");
    this.dir = join(this.root, key.replace(/[^\w.-]/g, "_"));
    this.now = options.now ?? Date.now;
    this.since = this.now();
    if (options.present) this.ensureFile();
  }

  publish(record: unknown): void {
    if (this.failed || !this.ensureFile()) return;
    try {
      writeSync(this.fd!, `${JSON.stringify(record)}\n`);
      this.published = true;
    } catch (error) {
      this.fail(error);
    }
  }

  /** Makes this process's file unless it has one: false when the share failed. */
  private ensureFile(): boolean {
    if (this.failed) return false;
    try {
      if (this.fd === undefined) this.fd = this.open();
      return true;
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  receive(): unknown[] {
    if (this.failed) return [];
    const records: unknown[] = [];
    try {
      let names: string[];
      try {
        // Checked before they are read, as before a write: another user's directory, or a link, could
        // feed this process claims it never made (a member kept, a declaration refused).
        assertPrivate(this.root, lstatSync(this.root), "directory");
        assertPrivate(this.dir, lstatSync(this.dir), "directory");
        names = readdirSync(this.dir);
      } catch (error) {
        // No process of the deployment has published yet.
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw error;
      }
      for (const name of names) {
        const path = join(this.dir, name);
        const closed = CLOSED_FILE.exec(name);
        // Closed while this process ran: of this deployment (see the module's doc).
        if (closed && closed[1] !== this.base && Number(closed[3]) >= this.since) records.push(...this.newLines(path, closed[1]));
        const file = PROCESS_FILE.exec(name);
        if (name === this.file || !file) continue;
        if (!isAlive(Number(file[2]), file[3])) {
          rmSync(path, { force: true });
          this.offsets.delete(file[1]);
          continue;
        }
        records.push(...this.newLines(path, file[1]));
      }
    } catch (error) {
      this.fail(error);
      return [];
    }
    return records;
  }

  /** Shares nothing more, and says why once. */
  private fail(error: unknown): void {
    this.failed = true;
    this.options.log(
      "The member claims of this provider process can't be shared with the deployment's other provider processes " +
        `(${error instanceof Error ? error.message : String(error)}): ` +
        "a member moved between resources of two provider instances (an explicit provider and the default one, " +
        "or the dynamic provider and the plugin) may be removed by the old resource's delete, " +
        "and two of them removing a space's last owners at the same moment may both go. " +
        `Let ${this.root} be a directory of this user that only it can access (mode 0700), or point TMPDIR to a folder where it can be.`,
    );
  }

  abandon(): void {
    this.failed = true;
    this.published = false;
    this.close();
  }

  close(): void {
    OPEN.delete(this);
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    const own = join(this.dir, this.file);
    if (this.published) renameSync(own, join(this.dir, `${this.base}.closed-${this.now()}.jsonl`));
    else rmSync(own, { force: true });
    removeIfNoneRuns(this.dir);
  }

  /** Makes the private directories, sweeps what dead processes left, and creates this process's file. */
  private open(): number {
    privateDirectory(this.root);
    sweep(this.root);
    for (let attempt = 1; ; attempt++) {
      privateDirectory(this.dir);
      try {
        const fd = openSync(join(this.dir, this.file), "ax", 0o600);
        OPEN.add(this);
        removeOnExit();
        return fd;
      } catch (error) {
        // Another deployment's sweep, or the last sibling leaving, removed the directory found empty just then.
        if ((error as NodeJS.ErrnoException).code !== "ENOENT" || attempt === 3) throw error;
      }
    }
  }

  /**
   * The records of the complete lines appended to a sibling's file since the last read; a line
   * being written waits. A file gone since it was listed has none; one that is a link, another
   * user's, or open to other users stops the share.
   */
  private newLines(path: string, base: string): unknown[] {
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw new Error(`${path} can't be opened as a file of this user (${(error as NodeJS.ErrnoException).code})`);
    }
    try {
      const stat = fstatSync(fd);
      assertPrivate(path, stat, "file");
      const offset = this.offsets.get(base) ?? 0;
      const size = stat.size;
      if (size <= offset) return [];
      const bytes = Buffer.alloc(size - offset);
      const read = readSync(fd, bytes, 0, bytes.length, offset);
      const end = bytes.subarray(0, read).lastIndexOf(0x0a);
      if (end < 0) return [];
      this.offsets.set(base, offset + end + 1);
      return bytes
        .subarray(0, end)
        .toString("utf8")
        .split("\n")
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as unknown];
          } catch {
            return [];
          }
        });
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Whether the process that wrote a file runs: the process `pid` started at `start` (the file's
 * name says it, where {@link processStart} could tell), else any process `pid` (one of another
 * user's counts, EPERM: none of them publish here).
 */
function isAlive(pid: number, start?: string): boolean {
  if (start !== undefined && process.platform === "linux") return processStart(pid) === start;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** This process's start time, read once. */
let ownStart: string | undefined | null = null;

/**
 * When the process `pid` started, on Linux: field 22 of `/proc/{pid}/stat`, `starttime`, in clock
 * ticks since boot (proc(5)), after the command name in parentheses, which may hold spaces and
 * parentheses itself. With its pid, it names a process for as long as the system runs: a pid is
 * reused, its start time then differs. Undefined elsewhere, or for a process that is gone.
 */
export function processStart(pid: number): string | undefined {
  if (process.platform !== "linux") return undefined;
  if (pid === process.pid && ownStart !== null) return ownStart;
  let start: string | undefined;
  try {
    start = startTimeOf(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    // Gone (or never was).
  }
  if (pid === process.pid) ownStart = start;
  return start;
}

/** Field 22 of a `/proc/{pid}/stat` line (proc(5)): counted after the command name's last ")", field 3 first. */
export function startTimeOf(stat: string): string | undefined {
  const start = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  return start !== undefined && /^\d+$/.test(start) ? start : undefined;
}

/**
 * Makes `path` a directory only this user can access, or stops: another user's directory, or a
 * link, could feed this process claims it never made (a member kept, a declaration refused).
 */
function privateDirectory(path: string): void {
  try {
    mkdirSync(path, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  assertPrivate(path, lstatSync(path), "directory");
}

/** Stops unless `stat` (an lstat's: a link is neither) is of a `kind` of this user's that no other user can open. */
function assertPrivate(path: string, stat: Stats, kind: "directory" | "file"): void {
  const ownUid = typeof process.getuid === "function" ? process.getuid() : undefined;
  if (kind === "directory" ? !stat.isDirectory() : !stat.isFile()) throw new Error(`${path} is not a ${kind}`);
  if (ownUid !== undefined && stat.uid !== ownUid) throw new Error(`${path} belongs to another user (uid ${stat.uid})`);
  if (process.platform !== "win32" && (stat.mode & 0o077) !== 0) throw new Error(`${path} is open to other users (mode ${(stat.mode & 0o777).toString(8)})`);
}

/** Removes the files of processes that are gone (killed before they could), and the deployments' directories where no process runs. */
function sweep(root: string): void {
  for (const deployment of readdirSync(root)) removeIfNoneRuns(join(root, deployment));
}

/**
 * Removes the files of a deployment's processes that are gone without closing; and when none of
 * its processes runs, the closed files, which no one will read, and the directory.
 */
function removeIfNoneRuns(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  let running = false;
  for (const name of names) {
    const file = PROCESS_FILE.exec(name);
    if (!file) continue;
    if (isAlive(Number(file[2]), file[3])) running = true;
    else rmSync(join(dir, name), { force: true });
  }
  if (running) return;
  for (const name of names) if (CLOSED_FILE.test(name)) rmSync(join(dir, name), { force: true });
  removeIfEmpty(dir);
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Another process's file is there (ENOTEMPTY), or it is gone already.
  }
}

/** The shares of this process with a file, removed when it exits. */
const OPEN = new Set<DirectoryShare>();
let exitHookInstalled = false;

/**
 * Removes this process's files when it exits, and when a signal ends it: a signal's default
 * action skips the `exit` event. After removing them, a signal no one else handles is raised
 * again, so the process ends as it would have.
 */
function removeOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const closeAll = () => {
    for (const share of [...OPEN]) {
      try {
        share.close();
      } catch {
        // Exiting: what is left is swept by the next process.
      }
    }
  };
  process.once("exit", closeAll);
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", ...(process.platform === "win32" ? (["SIGBREAK"] as const) : [])];
  const onSignal = (signal: NodeJS.Signals) => {
    closeAll();
    for (const s of signals) process.removeListener(s, onSignal);
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  for (const signal of signals) process.on(signal, onSignal);
}
