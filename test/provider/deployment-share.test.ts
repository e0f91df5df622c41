/**
 * core/deployment-share.ts: the records the provider processes of one deployment share, through
 * one private directory per engine; and the member claims over it (members/claims.ts), two
 * stores of one deployment seeing each other's declarations, forgettings, rosters and emails.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer, type Server } from "node:net";
import { endianness, tmpdir } from "node:os";
import { join } from "node:path";
import { type DeploymentShare, deploymentShare, processStart, startTimeOf } from "../../provider/core/deployment-share";
import { listeningSocket, watchEngine } from "../../provider/core/engine-presence";
import { type Declaration, MemberClaims } from "../../provider/members/claims";

const REPO = join(__dirname, "../..");
const SPACE = "spaces/AAAA";
const ALICE = "users/110000000000000000002";
const BOB = "users/110000000000000000003";
const urn = (name: string, type = "googlechat:index:Membership") => `urn:pulumi:dev::chat::${type}::${name}`;
const aliceMembership: Declaration = {
  holder: { type: "ChatMembership", urn: urn("alice") },
  space: SPACE,
  members: [{ key: "users/alice@example.com", property: "user" }],
};
/** A resolve that fails the test: every member must be known without a call. */
const noCall = async (): Promise<string | undefined> => assert.fail("no read of Google expected");

/** A pid no process has: a child's, once it has exited. */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;

describe("provider: the records the provider processes of one deployment share", () => {
  let root: string;
  const shares: DeploymentShare[] = [];
  const share = (engineAddress = "127.0.0.1:40001", log: (m: string) => void = () => {}) => {
    const made = deploymentShare({ engineAddress, root, log });
    shares.push(made);
    return made;
  };
  /** The one deployment directory under the root. */
  const deploymentDir = () => {
    const dirs = readdirSync(root);
    assert.equal(dirs.length, 1, `one deployment's directory: ${dirs.join(", ")}`);
    return join(root, dirs[0]);
  };
  beforeEach(() => void (root = join(mkdtempSync(join(tmpdir(), "share-")), "claims")));
  afterEach(() => {
    for (const s of shares.splice(0)) s.close();
    rmSync(join(root, ".."), { recursive: true, force: true });
  });

  it("a record one process publishes reaches the deployment's others once each, its records in order; never its publisher", () => {
    const [a, b, c] = [share(), share(), share()];
    a.publish({ n: 1 });
    a.publish({ n: 2 });
    b.publish({ n: 3 });
    // Each process's records in its order; two processes' in no particular order.
    const received = c.receive() as { n: number }[];
    assert.deepEqual(
      received.filter((r) => r.n !== 3),
      [{ n: 1 }, { n: 2 }],
    );
    assert.equal(received.length, 3);
    assert.deepEqual(c.receive(), []);
    assert.deepEqual(a.receive(), [{ n: 3 }]);
    a.publish({ n: 4 });
    assert.deepEqual(b.receive(), [{ n: 1 }, { n: 2 }, { n: 4 }]);
    assert.deepEqual(c.receive(), [{ n: 4 }]);
  });

  it("processes of another engine (another deployment) share nothing", () => {
    const [ours, theirs] = [share("127.0.0.1:40001"), share("127.0.0.1:40002")];
    theirs.publish({ n: 1 });
    ours.publish({ n: 2 });
    assert.deepEqual(ours.receive(), []);
    assert.deepEqual(theirs.receive(), []);
  });

  it("lives in a directory only this user can access (0700), one file per process (0600) holding its records as JSON lines, kept marked closed while a sibling runs, removed with the directory by the last to close", () => {
    const [a, b] = [share(), share()];
    a.publish({ declare: "x" });
    b.publish({ forget: "y" });
    const dir = deploymentDir();
    assert.equal(statSync(root).mode & 0o777, 0o700);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const files = readdirSync(dir).sort();
    assert.equal(files.length, 2);
    // The pid, its start time (Linux: /proc/{pid}/stat), a nonce.
    const start = process.platform === "linux" ? `${processStart(process.pid)}-` : "";
    for (const file of files) {
      assert.match(file, new RegExp(`^${process.pid}-${start}[0-9a-f]{8}\\.jsonl$`));
      assert.equal(statSync(join(dir, file)).mode & 0o777, 0o600);
    }
    assert.deepEqual(files.map((f) => readFileSync(join(dir, f), "utf8")).sort(), ['{"declare":"x"}\n', '{"forget":"y"}\n']);
    a.close();
    const [closed] = readdirSync(dir).filter((f) => !files.includes(f));
    assert.match(closed, new RegExp(`^${process.pid}-${start}[0-9a-f]{8}\\.closed-\\d+\\.jsonl$`));
    assert.equal(readdirSync(dir).length, 2);
    b.close();
    assert.deepEqual(readdirSync(root), []);
  });

  describe("a process closed before its deployment ends (the engine closes an explicit provider's old process when its configuration changes)", () => {
    /** A share of the deployment at 127.0.0.1:40001 whose wall clock reads `at.ms`. */
    const at = { ms: 1_000 };
    beforeEach(() => void (at.ms = 1_000));
    const clocked = (present = false) => {
      const made = deploymentShare({ engineAddress: "127.0.0.1:40001", root, log: () => {}, now: () => at.ms, present });
      shares.push(made);
      return made;
    };

    it("its records stay readable to the siblings running when it closed, those it had read once not again; the last to close removes them all", () => {
      const old = clocked();
      const fresh = clocked(true);
      old.publish({ n: 1 });
      assert.deepEqual(fresh.receive(), [{ n: 1 }]);
      old.publish({ n: 2 });
      at.ms = 2_000;
      old.close();
      assert.deepEqual(
        readdirSync(deploymentDir())
          .filter((f) => f.includes(".closed-"))
          .map((f) => f.replace(/^.*\.closed-/, "")),
        ["2000.jsonl"],
      );
      assert.deepEqual(fresh.receive(), [{ n: 2 }]);
      at.ms = 3_000;
      const later = clocked();
      assert.deepEqual(later.receive(), [], "a process started after it closed does not take it: nothing tells it is of the same deployment");
      fresh.close();
      assert.deepEqual(readdirSync(root), []);
    });

    it("a sibling that has published nothing yet, present from its start, keeps the closed records for its first read", () => {
      const fresh = clocked(true);
      const old = clocked();
      old.publish({ refreshFound: "x" });
      old.close();
      assert.deepEqual(fresh.receive(), [{ refreshFound: "x" }]);
    });

    it("a closed file left at the same engine address by an earlier deployment (closed before this process's share was made) never applies, and is swept once no process runs there", () => {
      const a = clocked(true);
      const dir = deploymentDir();
      writeFileSync(join(dir, `${process.pid}-0000abcd.closed-999.jsonl`), '{"n":"earlier"}\n', { mode: 0o600 });
      assert.deepEqual(clocked().receive(), []);
      assert.deepEqual(a.receive(), []);
      // The last process of an earlier deployment killed: its closed files stay until the next process of this user sweeps.
      a.close();
      const abandoned = join(root, "abandoned-127.0.0.1_40009");
      mkdirSync(abandoned, { mode: 0o700 });
      writeFileSync(join(abandoned, `${deadPid()}-0000abcd.closed-5.jsonl`), '{"n":"stale"}\n', { mode: 0o600 });
      share("127.0.0.1:40005").publish({ n: 2 });
      assert.equal(readdirSync(root).includes("abandoned-127.0.0.1_40009"), false);
    });

    it("a process that published nothing leaves nothing when it closes", () => {
      const [a, b] = [clocked(true), clocked(true)];
      a.close();
      assert.equal(readdirSync(deploymentDir()).length, 1);
      b.close();
      assert.deepEqual(readdirSync(root), []);
    });
  });

  it("a line still being written is read once complete", () => {
    const [a, b] = [share(), share()];
    a.publish({ n: 1 });
    assert.deepEqual(b.receive(), [{ n: 1 }]);
    const sibling = join(deploymentDir(), `${process.pid}-0000abcd.jsonl`);
    writeFileSync(sibling, '{"n":2}\n{"n":', { mode: 0o600 });
    assert.deepEqual(b.receive(), [{ n: 2 }]);
    appendFileSync(sibling, "3}\n");
    assert.deepEqual(b.receive(), [{ n: 3 }]);
  });

  it("the file of a process that is gone (killed before it could remove it) is ignored and removed, here and in other deployments' directories", () => {
    const a = share();
    a.publish({ n: 1 });
    const dir = deploymentDir();
    const stale = join(dir, `${deadPid()}-0000abcd.jsonl`);
    writeFileSync(stale, '{"n":"stale"}\n');
    assert.deepEqual(share().receive(), [{ n: 1 }]);
    assert.deepEqual(readdirSync(dir).includes(stale.slice(dir.length + 1)), false);
    // An engine killed with its plugins leaves a directory no one will read: the next process to publish sweeps it.
    const abandoned = join(root, "abandoned-127.0.0.1_40009");
    mkdirSync(abandoned, { mode: 0o700 });
    writeFileSync(join(abandoned, `${deadPid()}-0000abcd.jsonl`), '{"n":"stale"}\n');
    share("127.0.0.1:40005").publish({ n: 2 });
    assert.equal(readdirSync(root).includes("abandoned-127.0.0.1_40009"), false);
  });

  describe("a process whose engine is gone (the pulumi CLI killed: its plugins run on)", () => {
    const servers: Server[] = [];
    /** An engine's RPC server listening at 127.0.0.1 (`port`: a port another engine listened at). */
    const engine = async (port = 0): Promise<{ server: Server; address: string }> => {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
      return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}` };
    };
    const stop = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
    afterEach(async () => {
      for (const server of servers.splice(0)) if (server.listening) await stop(server);
    });

    it("shares nothing with a later deployment whose engine listens at the same address: the key holds the engine's listening socket (Linux)", async function () {
      if (process.platform !== "linux") this.skip();
      const killed = await engine();
      const [orphan, sibling] = [share(killed.address), share(killed.address)];
      orphan.publish({ claim: "of the killed deployment" });
      assert.deepEqual(sibling.receive(), [{ claim: "of the killed deployment" }]);
      await stop(killed.server);
      const later = await engine(Number(killed.address.split(":")[1]));
      assert.equal(later.address, killed.address);
      const [a, b] = [share(later.address), share(later.address)];
      assert.deepEqual(a.receive(), []);
      b.publish({ claim: "of the later deployment" });
      assert.deepEqual(a.receive(), [{ claim: "of the later deployment" }]);
      assert.deepEqual(orphan.receive(), []);
    });

    it("listeningSocket: the inode of the one socket listening at the address in /proc/net/tcp (0.0.0.0 included); none for a connection, another port, two listeners or another form", () => {
      /** /proc/net/tcp (proc(5)) of these sockets: local address, remote address, state, inode. */
      const tcp =
        (...sockets: [string, string, string, string][]) =>
        () =>
          [
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            ...sockets.map(
              ([local, remote, st, inode], i) =>
                `   ${i}: ${local} ${remote} ${st} 00000000:00000000 00:00000000 00000000  1000        0 ${inode} 1 0 100 0 0 10 0`,
            ),
          ].join("\n");
      // 127.0.0.1 in the host's byte order; port 40001 is 9C41.
      const loopback = endianness() === "LE" ? "0100007F" : "7F000001";
      const listening = (ip: string, inode: string): [string, string, string, string] => [`${ip}:9C41`, "00000000:0000", "0A", inode];
      const connected: [string, string, string, string] = [`${loopback}:9C41`, `${loopback}:D431`, "01", "60001"];
      assert.equal(listeningSocket("127.0.0.1:40001", tcp(connected, listening(loopback, "51234"))), "51234");
      assert.equal(listeningSocket("127.0.0.1:40001", tcp(listening("00000000", "51235"))), "51235");
      assert.equal(listeningSocket("127.0.0.1:40001", tcp(connected)), undefined);
      assert.equal(listeningSocket("127.0.0.1:40002", tcp(listening(loopback, "51234"))), undefined);
      assert.equal(listeningSocket("127.0.0.1:40001", tcp(listening(loopback, "51234"), listening("00000000", "51235"))), undefined);
      assert.equal(listeningSocket("localhost:40001", tcp(listening(loopback, "51234"))), undefined);
      // A read that repeated the engine's line (the kernel resumes each page at a bucket and an offset) is still its one socket.
      assert.equal(listeningSocket("127.0.0.1:40001", tcp(listening(loopback, "51234"), connected, listening(loopback, "51234"))), "51234");
      // A read that skipped it is read again.
      const reads = [tcp(connected), tcp(connected, listening(loopback, "51234"))];
      assert.equal(
        listeningSocket("127.0.0.1:40001", () => (reads.shift() ?? tcp())()),
        "51234",
      );
      assert.equal(
        listeningSocket("127.0.0.1:40001", () => {
          throw new Error("ENOENT: no /proc");
        }),
        undefined,
      );
    });

    it("watchEngine: gone once nothing listens at the engine's address, not before; never again after", async () => {
      const { server, address } = await engine();
      let look: () => Promise<void> = async () => assert.fail("no look scheduled");
      let stopped = 0;
      let gone = 0;
      watchEngine(
        address,
        () => gone++,
        (scheduled) => {
          look = scheduled;
          return () => stopped++;
        },
      );
      await look();
      assert.deepEqual({ gone, stopped }, { gone: 0, stopped: 0 });
      await stop(server);
      await look();
      assert.deepEqual({ gone, stopped }, { gone: 1, stopped: 1 });
      await look();
      assert.equal(gone, 1);
    });

    it("abandoned (its engine gone), a process's file goes, records included, and it shares nothing more", () => {
      const [orphan, sibling] = [share(), share()];
      orphan.publish({ n: 1 });
      sibling.publish({ n: 2 });
      const dir = deploymentDir();
      orphan.abandon();
      assert.equal(readdirSync(dir).length, 1);
      orphan.publish({ n: 3 });
      assert.deepEqual(orphan.receive(), []);
      assert.deepEqual(sibling.receive(), []);
      const later = share();
      assert.deepEqual(later.receive(), [{ n: 2 }]);
    });
  });

  it("a directory other users can open shares nothing and says so once: records there could be anyone's", () => {
    mkdirSync(root, { mode: 0o700 });
    chmodSync(root, 0o777);
    const logs: string[] = [];
    const [a, b] = [share("127.0.0.1:40001", (m) => logs.push(m)), share()];
    a.publish({ n: 1 });
    a.publish({ n: 2 });
    assert.deepEqual(b.receive(), []);
    assert.deepEqual(readdirSync(root), []);
    assert.deepEqual(logs, [
      `The member claims of this provider process can't be shared with the deployment's other provider processes (${root} is open to other users (mode 777)): ` +
        "a member moved between resources of two provider instances (an explicit provider and the default one, or the dynamic provider and the plugin) may be removed by the old resource's delete, and two of them removing a space's last owners at the same moment may both go. " +
        `Let ${root} be a directory of this user that only it can access (mode 0700), or point TMPDIR to a folder where it can be.`,
    ]);
  });

  it("the file of a killed process whose pid another process has since (a pid reused) is dead by its start time: ignored and removed (Linux)", function () {
    if (process.platform !== "linux") this.skip();
    const a = share();
    a.publish({ n: 1 });
    const dir = deploymentDir();
    const own = readdirSync(dir)[0];
    assert.match(own, new RegExp(`^${process.pid}-${processStart(process.pid)}-[0-9a-f]{8}\\.jsonl$`));
    // This process's pid, another start time: a process killed before this one started with its pid.
    const stale = `${process.pid}-1-0000abcd.jsonl`;
    writeFileSync(join(dir, stale), '{"n":"stale"}\n', { mode: 0o600 });
    assert.deepEqual(share().receive(), [{ n: 1 }]);
    assert.deepEqual(readdirSync(dir).includes(stale), false);
  });

  it("processStart: field 22 of /proc/{pid}/stat (Linux), whatever the command name holds; none for a process that is gone", function () {
    // Fields 1 to 22 of proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime priority nice num_threads itrealvalue starttime.
    const fields = (comm: string) => `4242 (${comm}) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 50`;
    assert.equal(startTimeOf(fields("node")), "987654");
    assert.equal(startTimeOf(fields("a b) S 1 2 3")), "987654");
    assert.equal(startTimeOf("4242 (node) S 1"), undefined);
    if (process.platform !== "linux") this.skip();
    assert.match(processStart(process.pid) ?? "", /^\d+$/);
    assert.equal(processStart(deadPid()), undefined);
  });

  describe("a reader checks what it reads: another user's, or open to others, shares nothing more, said once", () => {
    /** Two processes of one deployment, the second's log lines kept; the first has published. */
    const published = () => {
      const logs: string[] = [];
      const [a, b] = [share(), share("127.0.0.1:40001", (m) => logs.push(m))];
      a.publish({ n: 1 });
      return { a, b, logs, file: join(deploymentDir(), readdirSync(deploymentDir())[0]) };
    };
    const said = (why: string) =>
      `The member claims of this provider process can't be shared with the deployment's other provider processes (${why}): ` +
      "a member moved between resources of two provider instances (an explicit provider and the default one, or the dynamic provider and the plugin) may be removed by the old resource's delete, and two of them removing a space's last owners at the same moment may both go. " +
      `Let ${root} be a directory of this user that only it can access (mode 0700), or point TMPDIR to a folder where it can be.`;

    it("a sibling's file other users can open (not 0600)", () => {
      const { b, logs, file } = published();
      chmodSync(file, 0o644);
      assert.deepEqual(b.receive(), []);
      assert.deepEqual(b.receive(), []);
      b.publish({ n: 2 });
      assert.deepEqual(readdirSync(deploymentDir()), [file.slice(deploymentDir().length + 1)], "b shares nothing more: no file of its own");
      assert.deepEqual(logs, [said(`${file} is open to other users (mode 644)`)]);
    });

    it("a link in a sibling's place", () => {
      const { b, logs } = published();
      const elsewhere = join(root, "..", "elsewhere.jsonl");
      writeFileSync(elsewhere, '{"n":"planted"}\n', { mode: 0o600 });
      const link = join(deploymentDir(), `${process.pid}-0000abcd.jsonl`);
      symlinkSync(elsewhere, link);
      assert.deepEqual(b.receive(), []);
      assert.deepEqual(logs, [said(`${link} can't be opened as a file of this user (ELOOP)`)]);
    });

    it("the deployment's directory opened to other users since the publisher made it", () => {
      const { b, logs } = published();
      chmodSync(deploymentDir(), 0o755);
      assert.deepEqual(b.receive(), []);
      assert.deepEqual(logs, [said(`${deploymentDir()} is open to other users (mode 755)`)]);
    });
  });

  describe("with another OS process", () => {
    let child: ChildProcess | undefined;
    afterEach(() => void child?.kill("SIGKILL"));
    /** A process of the deployment that publishes `{ from: "child" }`, then waits for its standard input to end. */
    const startChild = async () => {
      const script = [
        'const { deploymentShare } = require("./provider/core/deployment-share");',
        "const share = deploymentShare({ engineAddress: '127.0.0.1:40001', root: process.env.SHARE_ROOT, log: (m) => process.stderr.write(m) });",
        'share.publish({ from: "child" });',
        'process.stdout.write("published\\n");',
        "process.stdin.resume();",
        "process.stdin.on('end', () => process.exit(0));",
      ].join("\n");
      child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: REPO, env: { ...process.env, SHARE_ROOT: root } });
      await new Promise<void>((resolve, reject) => {
        child!.stdout!.once("data", () => resolve());
        child!.once("exit", (code) => reject(new Error(`the child exited (${code}) before publishing`)));
      });
      return child;
    };
    const exited = (c: ChildProcess) =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => c.once("exit", (code, signal) => resolve({ code, signal })));

    it("receives what it published; its file is removed when it exits", async () => {
      const c = await startChild();
      const ours = share();
      assert.deepEqual(ours.receive(), [{ from: "child" }]);
      const done = exited(c);
      c.stdin!.end();
      assert.deepEqual(await done, { code: 0, signal: null });
      assert.deepEqual(readdirSync(root), []);
    });

    it("stopped by SIGINT, as the engine stops a plugin, it removes its file and still dies by the signal", async () => {
      const c = await startChild();
      const done = exited(c);
      c.kill("SIGINT");
      assert.deepEqual(await done, { code: null, signal: "SIGINT" });
      assert.deepEqual(readdirSync(root), []);
    });
  });

  describe("the member claims of two processes of one deployment", () => {
    const twoProcesses = () => [new MemberClaims(share()), new MemberClaims(share())] as const;

    it("a declaration of one is a holder for the other's delete, until it is forgotten", async () => {
      const [a, b] = twoProcesses();
      assert.deepEqual(
        a.declare(aliceMembership, () => false),
        [],
      );
      a.learn("users/alice@example.com", ALICE);
      assert.deepEqual(await b.holders(SPACE, ALICE, [], {}, noCall), [{ holder: aliceMembership.holder, declares: true }]);
      a.forget(aliceMembership.holder.urn);
      assert.deepEqual(await b.holders(SPACE, ALICE, [], {}, noCall), []);
    });

    it("the members a declared authoritative roster of one lists keep the other's roster delete from removing them", async () => {
      const [a, b] = twoProcesses();
      const team = urn("team", "googlechat:index:SpaceMembers");
      a.listed(team, SPACE, [ALICE.toUpperCase()]);
      assert.deepEqual(await b.holders(SPACE, ALICE, [], {}, noCall, true), [{ holder: { type: "ChatSpaceMembers", urn: team }, declares: false }]);
      assert.deepEqual(await b.holders(SPACE, ALICE, [], {}, noCall, false), [], "a ChatMembership's delete is not a roster's");
    });

    it("an email's member learnt by one matches the other's declaration by id, with no read", () => {
      const [a, b] = twoProcesses();
      a.declare(aliceMembership, () => false);
      a.learn("users/alice@example.com", ALICE);
      const byId: Declaration = {
        holder: { type: "ChatSpaceMembers", urn: urn("eng-members", "googlechat:index:SpaceMembers") },
        space: SPACE,
        wholeSpace: false,
        members: [{ key: ALICE, property: "members[0]" }],
      };
      assert.deepEqual(
        b.declare(byId, () => false),
        [
          {
            property: "members[0]",
            reason: `${ALICE} (users/alice@example.com) is also declared by ChatMembership alice in ${SPACE}: a member is declared once, or the two would undo each other. Remove one of the two declarations: the member stays in the space, held by the other.`,
          },
        ],
      );
    });

    it("a published caller carries whether its provider uses admin access; a record whose adminAccess is no boolean is skipped", async () => {
      const [a, b] = twoProcesses();
      const seat = (name: string, caller: string, adminAccess?: unknown): Record<string, unknown> => ({
        holder: { type: "ChatMembership", urn: urn(name) },
        space: SPACE,
        members: [{ key: "users/carol@example.com", property: "user" }],
        caller: [caller],
        ...(adminAccess === undefined ? {} : { adminAccess }),
      });
      shares[0].publish({ declare: seat("by-bob", "users/110000000000000000003", "yes") });
      a.declare(seat("by-dan", "users/110000000000000000004", true) as unknown as Declaration, () => false);
      a.declare(seat("by-erin", "users/110000000000000000005") as unknown as Declaration, () => false);
      const callerOf = (key: string) => b.callerHolders(SPACE, key, [key], noCall);
      assert.equal(await callerOf("users/110000000000000000003"), undefined, "skipped");
      assert.deepEqual(await callerOf("users/110000000000000000004"), { holders: [{ type: "ChatMembership", urn: urn("by-dan") }], adminAccess: true });
      assert.deepEqual(await callerOf("users/110000000000000000005"), { holders: [{ type: "ChatMembership", urn: urn("by-erin") }], adminAccess: false });
      // Whom a process acts as, published on its own (it declares nothing in the space), carries it too.
      shares[0].publish({ acts: ["users/110000000000000000006"], adminAccess: "yes" });
      const c = new MemberClaims(share());
      c.ownCallerLearnt(["users/110000000000000000007"], true);
      assert.equal(await callerOf("users/110000000000000000006"), undefined, "skipped");
      assert.deepEqual(await callerOf("users/110000000000000000007"), { holders: [], adminAccess: true });
    });

    it("a state's record of an email never replaces what Google answered for it in the deployment, in either process", async () => {
      const [a, b] = twoProcesses();
      a.declare(aliceMembership, () => false);
      a.learn("users/alice@example.com", ALICE);
      // Another resource's state, written before the address was given to alice, records it as bob's.
      b.recall([["users/alice@example.com", BOB]]);
      for (const claims of [a, b]) {
        assert.deepEqual(await claims.holders(SPACE, ALICE, [], {}, noCall), [{ holder: aliceMembership.holder, declares: true }]);
        // Not as declared: kept, as a plan reading the states alone said (the declaration holds nobody yet, no kept state records the address).
        assert.deepEqual(
          await claims.holders(SPACE, BOB, ["users/alice@example.com"], {}, noCall),
          [{ holder: aliceMembership.holder, declares: true, address: { key: "users/alice@example.com", holds: ALICE } }],
          "not bob, though his resource declared the address",
        );
      }
    });

    it("two states recording an email for two people leave it to Google, in either process; its answer is then shared", async () => {
      const [a, b] = twoProcesses();
      a.declare(aliceMembership, () => false);
      a.recall([["users/alice@example.com", BOB]]);
      b.recall([["users/alice@example.com", ALICE]]);
      const asked: string[] = [];
      const google = async (_space: string, key: string) => (asked.push(key), ALICE);
      assert.deepEqual(await a.holders(SPACE, BOB, [], {}, google), []);
      assert.deepEqual(asked, ["users/alice@example.com"], "one read");
      for (const claims of [a, b]) {
        assert.deepEqual(await claims.holders(SPACE, ALICE, [], {}, noCall), [{ holder: aliceMembership.holder, declares: true }]);
        assert.deepEqual(await claims.holders(SPACE, BOB, [], {}, noCall), []);
      }
    });

    it("an email's member an earlier version published (`learn`, for answers and records alike) is a record: it never replaces Google's answer", async () => {
      const [a, b] = twoProcesses();
      a.declare(aliceMembership, () => false);
      a.learn("users/alice@example.com", ALICE);
      shares[0].publish({ learn: { key: "users/alice@example.com", member: BOB } });
      assert.deepEqual(await b.holders(SPACE, ALICE, [], {}, noCall), [{ holder: aliceMembership.holder, declares: true }]);
      assert.deepEqual(await b.holders(SPACE, BOB, [], {}, noCall), []);
    });

    it("the members a roster holds are shared one small record each: 500 entries, pinned, then held by another process", async () => {
      const [a, b] = twoProcesses();
      const keys = Array.from({ length: 500 }, (_, i) => `users/person${i}@example.com`);
      const roster: Declaration = {
        holder: { type: "ChatSpaceMembers", urn: urn("big", "googlechat:index:SpaceMembers") },
        space: SPACE,
        members: keys.map((key, i) => ({ key, property: `members[${i}]` })),
      };
      a.declare(roster, () => false);
      const before = readdirSync(deploymentDir()).reduce((bytes, f) => bytes + statSync(join(deploymentDir(), f)).size, 0);
      a.holds(
        roster.holder.urn,
        keys.map((key, i) => [key, `users/${2000 + i}`]),
      );
      const after = readdirSync(deploymentDir()).reduce((bytes, f) => bytes + statSync(join(deploymentDir(), f)).size, 0);
      assert.ok(after - before < 100_000, `${after - before} bytes for 500 pins`);
      assert.deepEqual(await b.holders(SPACE, "users/2007", [], {}, noCall), [{ holder: roster.holder, declares: true }]);
    });

    it("a record of another shape (another version's) is skipped", async () => {
      const [a, b] = twoProcesses();
      shares[0].publish({ declare: { holder: { urn: "x" } } });
      shares[0].publish({ something: "else" });
      a.declare(aliceMembership, () => false);
      assert.deepEqual(await b.holders(SPACE, "users/alice@example.com", ["users/alice@example.com"], {}, noCall), [
        { holder: aliceMembership.holder, declares: true },
      ]);
    });
  });
});
