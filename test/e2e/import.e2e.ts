/**
 * `pulumi-googlechat import` under the real engine: the program it writes for an
 * organisation of several hundred existing spaces, with members of every kind and role, adopts
 * every space and roster with reads only and no write, and the preview after it shows no change.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { main } from "../../commands/cli";
import { isChatApiCall } from "../../emulator";
import { adminIsMember, kindOf, seedOrganisation } from "../helpers/organisation";
import { apiCalls, logMark } from "../helpers/provider";
import { inlineStack, useEngineAndEmulator } from "./harness";

const SPACES = 300;

/**
 * What the up of a generated program reads: each space once, each roster's listing once, and
 * ChatSpaceMembers' learning of the calling user's users/{id}, once per deployment
 * (provider/space-members/caller.ts), by whichever roster comes first: its own space's
 * membership of the caller (200); or, when the caller is not in that space (404), one space the
 * caller is in (spaces.list, a page of one) and its membership there (200). Nothing else: no
 * write. `withCaller`: the spaces the caller is a member of.
 */
const CALLER_READ = /^GET \/v1\/(spaces\/[^/]+)\/members\/admin%40example\.com (200|404)$/;
const SPACES_LIST = "GET /v1/spaces 200";
function assertAdoptionReads(calls: readonly string[], spaces: readonly string[], withCaller: ReadonlySet<string>): void {
  const learning = calls.filter((c) => CALLER_READ.test(c) || c === SPACES_LIST);
  const [first, listing, elsewhere] = learning.map((c) => CALLER_READ.exec(c) ?? [c, "", ""]);
  assert.ok(spaces.includes(first?.[1] ?? ""), `the first caller read is a roster's: ${learning.join(", ")}`);
  if (first[2] === "200") {
    assert.deepEqual(learning, [first[0]], "one read of the caller's membership per deployment");
    assert.ok(withCaller.has(first[1]), first[0]);
  } else {
    assert.ok(!withCaller.has(first[1]), first[0]);
    assert.deepEqual(
      [learning.length, listing[0], elsewhere?.[2]],
      [3, SPACES_LIST, "200"],
      `404, then spaces.list and a read where the caller is: ${learning.join(", ")}`,
    );
  }
  assert.deepEqual(
    calls.filter((c) => !CALLER_READ.test(c) && c !== SPACES_LIST).sort(),
    spaces.flatMap((name) => [`GET /v1/${name} 200`, `GET /v1/${name}/members 200`]).sort(),
  );
}

describe("e2e: pulumi-googlechat import", function () {
  // Several hundred spaces and as many rosters, adopted and previewed: minutes, not seconds.
  this.timeout(900_000);
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

  it("adopts several hundred spaces and their rosters with reads only (one per space, one per roster, and the caller's users/{id} learnt once per deployment, though the administrator is not in every space) and no write; the next preview shows no change", async () => {
    const names = await seedOrganisation(t.emulator.control, t.key, SPACES);
    const searchable = names.filter((_, i) => kindOf(i) === "space" || kindOf(i) === "appSpace");
    // The administrator is not in some of them (made by employees): admin access finds them all.
    assert.ok(searchable.some((name) => !adminIsMember(names.indexOf(name))));
    const withCaller = new Set(names.filter((_, i) => adminIsMember(i)));
    const home = mkdtempSync(join(tmpdir(), "chatspace-import-"));
    const file = join(home, "work", "generated.ts");
    const stack = await generatedStack(home, file, true);

    let mark = await logMark(t.emulator);
    const { program } = await importProgram(file);
    assert.equal(program.match(/^new ChatSpace\(/gm)?.length, searchable.length);
    assert.equal(program.match(/^new ChatSpaceMembers\(/gm)?.length, searchable.length);
    // Names in other scripts keep their letters; a space without createTime (made before Chat) is adopted like any other.
    assert.ok(program.includes('new ChatSpace("инженеры", {\n  adoptSpace: "' + names[13] + '"'), "инженеры");
    assert.ok(program.includes('new ChatSpace("開発チーム", {\n  adoptSpace: "' + names[17] + '"'), "開発チーム");
    assert.ok(program.includes(`adoptSpace: "${names[12]}"`), "the space without createTime");
    const listed = await apiCalls(t.emulator, mark);
    assert.deepEqual(listed.slice(0, 1), ["GET /v1/spaces:search 200"]);
    assert.deepEqual(listed.slice(1).sort(), searchable.map((name) => `GET /v1/${name}/members 200`).sort());
    const before = await t.emulator.control.state();

    mark = await logMark(t.emulator);
    const up = await stack.up();
    assert.deepEqual(up.summary.resourceChanges, { create: 2 * searchable.length + 1 });
    const calls = await apiCalls(t.emulator, mark);
    // One read per space and one listing per roster (and the caller's learning once), with admin access as configured, and no write.
    assertAdoptionReads(calls, searchable, withCaller);
    const reads = await t.emulator.control.requests(mark);
    // spaces.list takes no admin access: it lists the caller's own spaces.
    assert.ok(reads.filter((r) => isChatApiCall(r) && r.rpc !== "spaces.list").every((r) => r.query.useAdminAccess === "true"));
    const after = await t.emulator.control.state();
    assert.deepEqual(after.spaces, before.spaces, "no space changed");
    assert.deepEqual(after.memberships, before.memberships, "no membership changed");

    mark = await logMark(t.emulator);
    const preview = await stack.preview();
    assert.deepEqual(preview.changeSummary, { same: 2 * searchable.length + 1 });
    assert.deepEqual(await apiCalls(t.emulator, mark), []);

    // Importing again gives the same program: names are stable across runs.
    const again = join(home, "again.ts");
    assert.equal((await importProgram(again)).program.replace(again, file), program);
  });

  it("adopts the caller's own spaces and group chats (spaces.list) the same way, and leaves DMs out", async () => {
    const names = await seedOrganisation(t.emulator.control, t.key, 200);
    // spaces.list: the administrator's spaces, group chats with a message, out of import mode.
    const adoptable = names.filter((_, i) => ["space", "appSpace", "groupChat"].includes(kindOf(i)) && adminIsMember(i));
    const dms = names.filter((_, i) => kindOf(i) === "directMessage");
    const home = mkdtempSync(join(tmpdir(), "chatspace-import-"));
    const file = join(home, "work", "generated.ts");
    const stack = await generatedStack(home, file, false);

    let mark = await logMark(t.emulator);
    const { program, err } = await importProgram(file, []);
    const listed = await apiCalls(t.emulator, mark);
    assert.deepEqual(listed.slice(0, 1), ["GET /v1/spaces 200"]);
    assert.deepEqual(listed.slice(1).sort(), adoptable.map((name) => `GET /v1/${name}/members 200`).sort());
    assert.equal(program.match(/^new ChatSpace\(/gm)?.length, adoptable.length);
    assert.equal(program.match(/spaceType: "GROUP_CHAT"/g)?.length, names.filter((_, i) => kindOf(i) === "groupChat").length);
    for (const dm of dms) assert.ok(err.includes(`  ${dm}: a direct message`), dm);
    // Spaces with the Chat app as a member (the app's own, and some others): their rosters can't declare it, so they only add.
    const withApp = names.filter((_, i) => adminIsMember(i) && (kindOf(i) === "appSpace" || (i % 10 === 0 && kindOf(i) === "space")));
    assert.equal(program.match(/mode: "addOnly"/g)?.length, withApp.length);

    const before = await t.emulator.control.state();
    mark = await logMark(t.emulator);
    const up = await stack.up();
    assert.deepEqual(up.summary.resourceChanges, { create: 2 * adoptable.length + 1 });
    assertAdoptionReads(await apiCalls(t.emulator, mark), adoptable, new Set(adoptable));
    assert.deepEqual((await t.emulator.control.state()).memberships, before.memberships, "no membership changed");

    mark = await logMark(t.emulator);
    assert.deepEqual((await stack.preview()).changeSummary, { same: 2 * adoptable.length + 1 });
    assert.deepEqual(await apiCalls(t.emulator, mark), []);
  });
});
