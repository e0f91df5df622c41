/**
 * `pulumi-googlechat import` under the real engine (issue 13): the program it writes for an
 * organisation of several hundred existing spaces adopts every one of them with one read each
 * and no write, and the preview after it shows no change.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { main } from "../../commands/cli";
import { apiCalls, logMark } from "../helpers/provider";
import { kindOf, seedOrganisation } from "../helpers/organisation";
import { inlineStack, useEngineAndEmulator } from "./harness";

const SPACES = 300;

describe("e2e: pulumi-googlechat import", () => {
  const t = useEngineAndEmulator();

  /** Runs the command in this process, acting as the administrator; answers the program written. */
  async function importProgram(out: string, flags = ["--admin"]): Promise<{ program: string; err: string }> {
    const stderr = new PassThrough();
    let err = "";
    stderr.on("data", (d) => (err += d));
    const config = {
      "googlechat:credentials": JSON.stringify(t.key),
      "googlechat:apiEndpoint": t.emulator.url,
      "googlechat:tokenEndpoint": t.emulator.tokenUrl,
      "googlechat:impersonateUser": "admin@example.com",
    };
    const argv = ["import", ...flags, "--out", out, ...Object.entries(config).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
    const code = await main(argv, { stdout: new PassThrough(), stderr, stdin: new PassThrough(), env: {} });
    assert.equal(code, 0, err);
    return { program: readFileSync(out, "utf8"), err };
  }

  /** A stack whose program is the generated module at `file`, loaded afresh for each run. */
  async function generatedStack(home: string, file: string, useAdminAccess: boolean) {
    return inlineStack(
      "imported",
      "dev",
      async () => {
        delete require.cache[require.resolve(file)];
        require(file);
      },
      { emulator: t.emulator, key: t.key, impersonateUser: "admin@example.com", home, config: { "googlechat:useAdminAccess": String(useAdminAccess) } },
    );
  }

  it("adopts several hundred spaces with one read each and no write; the next preview shows no change", async () => {
    const names = await seedOrganisation(t.emulator.control, t.key, SPACES);
    const searchable = names.filter((_, i) => kindOf(i) === "space" || kindOf(i) === "appSpace");
    const home = mkdtempSync(join(tmpdir(), "chatspace-import-"));
    const file = join(home, "work", "generated.ts");
    const stack = await generatedStack(home, file, true);

    let mark = await logMark(t.emulator);
    const { program } = await importProgram(file);
    assert.equal(program.match(/^new ChatSpace\(/gm)?.length, searchable.length);
    assert.deepEqual(await apiCalls(t.emulator, mark), Array(1).fill("GET /v1/spaces:search 200"));
    const before = await t.emulator.control.state();

    mark = await logMark(t.emulator);
    const up = await stack.up();
    assert.deepEqual(up.summary.resourceChanges, { create: searchable.length + 1 });
    const calls = await apiCalls(t.emulator, mark);
    // One read per space, with admin access as configured; nothing else.
    assert.deepEqual([...calls].sort(), searchable.map((name) => `GET /v1/${name} 200`).sort());
    const reads = (await t.emulator.control.requests(mark)).filter((r) => r.rpc === "spaces.get");
    assert.ok(reads.every((r) => r.query.useAdminAccess === "true"));
    assert.deepEqual((await t.emulator.control.state()).spaces, before.spaces, "no space changed");

    mark = await logMark(t.emulator);
    const preview = await stack.preview();
    assert.deepEqual(preview.changeSummary, { same: searchable.length + 1 });
    assert.deepEqual(await apiCalls(t.emulator, mark), []);

    // Importing again gives the same program: names are stable across runs.
    const again = join(home, "again.ts");
    assert.equal((await importProgram(again)).program.replace(again, file), program);
  });

  it("adopts the caller's own spaces and group chats (spaces.list) the same way, and leaves DMs out", async () => {
    const names = await seedOrganisation(t.emulator.control, t.key, SPACES);
    // spaces.list: the administrator's spaces, group chats with a message, out of import mode.
    const adoptable = names.filter((_, i) => ["space", "appSpace", "groupChat"].includes(kindOf(i)));
    const dms = names.filter((_, i) => kindOf(i) === "directMessage");
    const home = mkdtempSync(join(tmpdir(), "chatspace-import-"));
    const file = join(home, "work", "generated.ts");
    const stack = await generatedStack(home, file, false);

    let mark = await logMark(t.emulator);
    const { program, err } = await importProgram(file, []);
    assert.deepEqual(await apiCalls(t.emulator, mark), ["GET /v1/spaces 200"]);
    assert.equal(program.match(/^new ChatSpace\(/gm)?.length, adoptable.length);
    assert.equal(program.match(/spaceType: "GROUP_CHAT"/g)?.length, names.filter((_, i) => kindOf(i) === "groupChat").length);
    for (const dm of dms) assert.ok(err.includes(`  ${dm}: a direct message`), dm);

    mark = await logMark(t.emulator);
    const up = await stack.up();
    assert.deepEqual(up.summary.resourceChanges, { create: adoptable.length + 1 });
    assert.deepEqual([...(await apiCalls(t.emulator, mark))].sort(), adoptable.map((name) => `GET /v1/${name} 200`).sort());

    mark = await logMark(t.emulator);
    assert.deepEqual((await stack.preview()).changeSummary, { same: adoptable.length + 1 });
    assert.deepEqual(await apiCalls(t.emulator, mark), []);
  });
});
