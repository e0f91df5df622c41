/**
 * The engine a provider process was started by, as seen from the process: which listening socket
 * is its (so one deployment is told from a later one at the same address), and whether it still
 * listens (so a process whose engine is gone stops sharing).
 *
 * A provider process outlives its engine when the `pulumi` CLI is killed: the engine stops its
 * plugins only when it closes (pulumi/pulumi pkg/host/host.go `defaultHost.Close`), and plugins
 * run in process groups of their own (sdk/go/common/util/cmdutil/child_unix.go), so nothing ends
 * them. The engine's address (`127.0.0.1:{port}`, core/engine-address.ts) may then be given to a
 * later deployment's engine, whose processes must not take the orphan's records for their own.
 */
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { endianness } from "node:os";

/** `/proc/net/tcp`'s state of a listening socket (include/net/tcp_states.h `TCP_LISTEN`). */
const LISTEN = "0A";

/**
 * The inode of the socket listening at `address` (`{ipv4}:{port}`), on Linux: from
 * `/proc/net/tcp` (proc(5): `local_address` as hex `{ip}:{port}`, the address in the host's byte
 * order; `st`; `inode`, the tenth field), read in this process's network namespace, which the
 * engine that started it shares. A socket's inode is not reused while the system runs, so a later
 * engine listening at the same address has another. The kernel hands the table out a page per
 * read, resuming at a hash bucket and an offset in it, so a socket opened or closed meanwhile (a
 * sibling plugin starting) may repeat a line or skip one: one inode listed twice is that socket,
 * and a table where none is found is read again, up to {@link LISTEN_READS} times. Undefined
 * elsewhere, for another form of address, or when no one socket listens there (an engine gone,
 * or an address no engine gave).
 */
export function listeningSocket(address: string, procNetTcp: () => string = () => readFileSync("/proc/net/tcp", "utf8")): string | undefined {
  const parsed = /^(\d+)\.(\d+)\.(\d+)\.(\d+):(\d+)$/.exec(address);
  if (!parsed) return undefined;
  const octets = parsed.slice(1, 5).map((n) => Number(n).toString(16).padStart(2, "0").toUpperCase());
  const ip = (endianness() === "LE" ? octets.reverse() : octets).join("");
  const port = Number(parsed[5]);
  for (let read = 1; read <= LISTEN_READS; read++) {
    let table: string;
    try {
      table = procNetTcp();
    } catch {
      // Not Linux, or no /proc.
      return undefined;
    }
    const inodes = new Set(
      table
        .split("\n")
        .slice(1)
        .map((line) => line.trim().split(/\s+/))
        .filter(([, local, , state]) => {
          const [localIp, localPort] = (local ?? "").split(":");
          // An engine listening on every address (0.0.0.0) answers at 127.0.0.1 too.
          return state === LISTEN && parseInt(localPort ?? "", 16) === port && (localIp === ip || localIp === "00000000");
        })
        .map((fields) => fields[9] ?? ""),
    );
    if (inodes.size > 1) return undefined;
    const [inode] = inodes;
    if (inode !== undefined && /^[1-9]\d*$/.test(inode)) return inode;
  }
  return undefined;
}

/** How many times {@link listeningSocket} reads a table that lists no socket at the address. */
export const LISTEN_READS = 3;

/** How often a process looks whether its engine still listens. */
export const ENGINE_WATCH_INTERVAL_MS = 5_000;

/**
 * Calls `gone` once when the engine at `address` no longer accepts a connection (refused: nothing
 * listens there; the engine listens until every process it started has exited, so a refusal means
 * it is gone). Another failure (a timeout under load) proves nothing and is ignored. `every`
 * schedules the look: by default every {@link ENGINE_WATCH_INTERVAL_MS}, on a timer that keeps no
 * process alive. Returns what stops the watch.
 */
export function watchEngine(
  address: string,
  gone: () => void,
  every: (look: () => Promise<void>) => () => void = (look) => {
    const timer = setInterval(() => void look(), ENGINE_WATCH_INTERVAL_MS);
    timer.unref();
    return () => clearInterval(timer);
  },
): () => void {
  const at = /^(.*):(\d+)$/.exec(address);
  if (!at) return () => {};
  const host = at[1].replace(/^\[(.*)\]$/, "$1");
  let stopped = false;
  let stop = () => {};
  stop = every(async () => {
    if (stopped || !(await refused(host, Number(at[2])))) return;
    stopped = true;
    stop();
    gone();
  });
  return () => {
    stopped = true;
    stop();
  };
}

/** Whether a TCP connection to `host:port` is refused: nothing listens there. */
function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(ENGINE_WATCH_INTERVAL_MS);
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}
