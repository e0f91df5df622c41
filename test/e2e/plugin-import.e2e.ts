/**
 * `pulumi import` of the provider plugin's types under the real engine, in a Pulumi YAML project:
 * the resources file `pulumi-googlechat import --format import-file` writes, fed to
 * `pulumi import --file`, adopts an organisation's spaces and rosters with reads only, and the
 * code the CLI prints for them is a program whose preview shows no change; and `pulumi import`
 * of one membership or roster by its id, with the ids the plugin takes and the errors for others.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isChatApiCall } from "../../emulator";
import { runCli } from "../helpers/cli";
import { kindOf, seedOrganisation } from "../helpers/organisation";
import { apiCalls, logMark } from "../helpers/provider";
import { useEngineAndEmulator } from "./harness";
import { type PluginFolder, pluginFolder } from "./plugin-folder";

/** The resources block of the code `pulumi import` prints (the YAML language host's): the lines after `resources:`. */
function printedResources(output: string): string {
  const code = output.split("\nresources:\n")[1];
  assert.ok(code, `pulumi import printed no code:\n${output}`);
  return code.trimEnd() + "\n";
}

describe("e2e: pulumi import of the provider plugin's types", function () {
  this.timeout(900_000);
  const t = useEngineAndEmulator();

  /** A YAML project against the emulator, acting as admin@example.com, with a stack `dev`. */
  async function project(config: Record<string, string> = {}): Promise<PluginFolder> {
    const folder = pluginFolder(mkdtempSync(join(tmpdir(), "chatspace-plugin-import-")), "program", "adopted");
    folder.writeProgram("resources: {}\n");
    await folder.pulumi("stack", "init", "dev");
    await folder.setConfig("googlechat:credentials", JSON.stringify(t.key), true);
    for (const [key, value] of Object.entries({
      "googlechat:apiEndpoint": t.emulator.url,
      "googlechat:tokenEndpoint": t.emulator.tokenUrl,
      "googlechat:impersonateUser": "admin@example.com",
      ...config,
    })) {
      await folder.setConfig(key, value);
    }
    return folder;
  }

  it("the import file of an organisation's spaces adopts every space and roster under `pulumi import --file` with reads only, and the code printed previews no change with no call", async () => {
    const names = await seedOrganisation(t.emulator.control, t.key, 40);
    const searchable = names.filter((_, i) => kindOf(i) === "space" || kindOf(i) === "appSpace");
    const folder = await project({ "googlechat:useAdminAccess": "true" });
    const file = join(folder.dir, "resources.json");
    const credentials = [
      "-c",
      `googlechat:credentials=${JSON.stringify(t.key)}`,
      "-c",
      `googlechat:apiEndpoint=${t.emulator.url}`,
      "-c",
      `googlechat:tokenEndpoint=${t.emulator.tokenUrl}`,
    ];

    let mark = await logMark(t.emulator);
    const written = await runCli([
      "import",
      "--admin",
      "--format",
      "import-file",
      "--out",
      file,
      ...credentials,
      "-c",
      "googlechat:impersonateUser=admin@example.com",
    ]);
    assert.equal(written.code, 0, written.err);
    // The search alone: the plugin lists each roster as it imports it.
    assert.deepEqual(await apiCalls(t.emulator, mark), ["GET /v1/spaces:search 200"]);
    const { resources } = JSON.parse(readFileSync(file, "utf8")) as { resources: { type: string; name: string; id: string }[] };
    assert.equal(resources.length, 2 * searchable.length);
    assert.deepEqual(
      resources
        .filter((r) => r.type === "googlechat:index:Space")
        .map((r) => r.id)
        .sort(),
      [...searchable].sort(),
    );
    // Each space, then its roster, named as the TypeScript program names them.
    for (let i = 0; i < resources.length; i += 2) {
      assert.deepEqual(
        [resources[i + 1].type, resources[i + 1].name, resources[i + 1].id],
        ["googlechat:index:SpaceMembers", `${resources[i].name}-members`, resources[i].id],
      );
    }
    assert.deepEqual(resources.find((r) => r.id === names[7])?.name, "ops");
    assert.match(written.err, /Next, .*pulumi import --file /);

    const before = await t.emulator.control.state();
    mark = await logMark(t.emulator);
    const imported = await folder.pulumi("import", "--file", file, "--yes");
    const calls = await apiCalls(t.emulator, mark);
    // Reads only: each space read and each roster listed once in the import's preview and once in
    // the import, and the caller's own membership once in each (a roster never removes the caller).
    const callerReads = calls.filter((c) => /^GET \/v1\/spaces\/[^/]+\/members\/admin%40example\.com 200$/.test(c));
    assert.equal(callerReads.length, 2, calls.join("\n"));
    assert.deepEqual(
      calls.filter((c) => !callerReads.includes(c)).sort(),
      searchable.flatMap((name) => [`GET /v1/${name} 200`, `GET /v1/${name} 200`, `GET /v1/${name}/members 200`, `GET /v1/${name}/members 200`]).sort(),
    );
    const reads = (await t.emulator.control.requests(mark)).filter(isChatApiCall);
    assert.ok(
      reads.filter((r) => r.rpc !== "spaces.list").every((r) => r.query.useAdminAccess === "true"),
      "with admin access, as the stack says",
    );
    const after = await t.emulator.control.state();
    assert.deepEqual([after.spaces, after.memberships], [before.spaces, before.memberships], "nothing changed in Chat");
    const state = (await folder.json("stack", "export")).deployment.resources as { type: string; id?: string; protect?: boolean }[];
    assert.equal(state.filter((r) => r.type.startsWith("googlechat:index:")).length, 2 * searchable.length);
    assert.ok(
      state.filter((r) => r.type.startsWith("googlechat:index:")).every((r) => r.protect === true),
      "imported protected, as `pulumi import` does by default",
    );

    // The code the CLI printed, as the program: the stack then has nothing to do, and calls nothing.
    const code = printedResources(imported);
    folder.writeProgram(`resources:\n${code}`);
    mark = await logMark(t.emulator);
    const preview = await folder.json("preview", "--json", "--expect-no-changes");
    assert.deepEqual(preview.changeSummary, { same: 2 * searchable.length + 1 });
    assert.deepEqual(await apiCalls(t.emulator, mark), []);

    // The generator refers each space's adoptSpace to its roster's id (the same value); the other
    // way round, as docs/import.md says to write it, is the same declaration.
    const idOf = new Map(resources.map((r) => [r.name, r.id]));
    const nameOf = new Map(resources.filter((r) => r.type === "googlechat:index:Space").map((r) => [r.id, r.name]));
    const references = code.match(/adoptSpace: \$\{\["[^"]+-members"\]\.id\}/g) ?? [];
    assert.equal(references.length, searchable.length, code.slice(0, 2000));
    const turned = code
      .replace(/adoptSpace: \$\{\["([^"]+)-members"\]\.id\}/g, (_, name: string) => `adoptSpace: ${idOf.get(name)}`)
      .replace(/^( {6}space: )(spaces\/\S+)$/gm, (_, key: string, id: string) => `${key}\${[${JSON.stringify(nameOf.get(id))}].name}`);
    assert.equal(turned.match(/space: \$\{\["/g)?.length, searchable.length);
    folder.writeProgram(`resources:\n${turned}`);
    mark = await logMark(t.emulator);
    assert.deepEqual((await folder.json("preview", "--json", "--expect-no-changes")).changeSummary, { same: 2 * searchable.length + 1 });
    assert.deepEqual(await apiCalls(t.emulator, mark), []);
  });

  it("`pulumi import` takes a membership by its name (the member's id, or a person's email) and a roster by its space's; other ids fail naming the resource and the form, with no call", async () => {
    const [team, other] = await t.emulator.control.seed([
      {
        displayName: "Memberships",
        members: [{ member: "users/alice@example.com", role: "ROLE_MANAGER" }, { member: "users/bob@example.com" }, { member: "groups/engineering" }],
      },
      { displayName: "Roster", members: [{ member: "users/alice@example.com", role: "ROLE_ASSISTANT_MANAGER" }, { member: "groups/engineering" }] },
    ]);
    const memberships = (await t.emulator.control.state()).memberships;
    const group = (memberships[team] ?? memberships[team.slice("spaces/".length)]).find((m) => m.type === "GROUP")!;
    const stored = { name: `${team}/members/${group.memberId}`, member: group.memberName };
    const folder = await project();
    const blocks: string[] = [];
    const importOne = async (type: string, name: string, id: string) => {
      const mark = await logMark(t.emulator);
      const printed = await folder.pulumi("import", type, name, id, "--yes");
      blocks.push(printedResources(printed));
      return apiCalls(t.emulator, mark);
    };
    const encoded = (id: string) => id.replace("@", "%40");

    // A person by email, as Google takes it: one read in the preview and one in the import, and the state keeps the canonical name.
    const byEmail = `${team}/members/alice@example.com`;
    assert.deepEqual(await importOne("googlechat:index:Membership", "alice", byEmail), [`GET /v1/${encoded(byEmail)} 200`, `GET /v1/${encoded(byEmail)} 200`]);
    // By the member's id, and a group's.
    const byId = `${team}/members/110000000000000000003`;
    assert.deepEqual(await importOne("googlechat:index:Membership", "bob", byId), [`GET /v1/${byId} 200`, `GET /v1/${byId} 200`]);
    assert.deepEqual(await importOne("googlechat:index:Membership", "engineering", stored.name), [`GET /v1/${stored.name} 200`, `GET /v1/${stored.name} 200`]);
    // A roster by its space's name: its listing.
    const rosterCalls = await importOne("googlechat:index:SpaceMembers", "roster", other);
    assert.deepEqual(
      rosterCalls.filter((c) => !c.startsWith("GET ")),
      [],
    );
    assert.ok(rosterCalls.includes(`GET /v1/${other}/members 200`), rosterCalls.join("\n"));

    const state = (await folder.json("stack", "export")).deployment.resources as { type: string; urn: string; id: string; inputs: Record<string, unknown> }[];
    const byName = (name: string) => state.find((r) => r.urn.endsWith(`::${name}`))!;
    assert.deepEqual(
      [byName("alice").id, byName("alice").inputs],
      [`${team}/members/110000000000000000002`, { space: team, user: "users/110000000000000000002", role: "ROLE_MANAGER" }],
    );
    assert.deepEqual([byName("bob").id, byName("bob").inputs], [byId, { space: team, user: "users/110000000000000000003", role: "ROLE_MEMBER" }]);
    assert.deepEqual([byName("engineering").id, byName("engineering").inputs], [stored.name, { space: team, group: stored.member }]);
    assert.deepEqual([byName("roster").id, byName("roster").inputs.space, byName("roster").inputs.mode], [other, other, "authoritative"]);

    // The printed code of the four, as the program: no change, no call.
    folder.writeProgram(`resources:\n${blocks.join("")}`);
    let mark = await logMark(t.emulator);
    assert.deepEqual((await folder.json("preview", "--json", "--expect-no-changes")).changeSummary, { same: 5 });
    assert.deepEqual(await apiCalls(t.emulator, mark), []);

    // Ids of another form: refused before any call, naming the resource and the form it takes.
    const refused: [string, string, string, RegExp][] = [
      [
        "googlechat:index:Membership",
        "by-email-only",
        "alice@example.com",
        /ChatMembership by-email-only: can't import "alice@example\.com": a membership is imported by its name, spaces\/\{space\}\/members\/\{member\}/,
      ],
      [
        "googlechat:index:Membership",
        "with-prefix",
        `${team}/members/users/110000000000000000002`,
        /ChatMembership with-prefix: can't import ".*": a membership is imported by its name, spaces\/\{space\}\/members\/\{member\}, \{member\} being the member's id \(users\/\{id\} or groups\/\{id\} without the prefix\)/,
      ],
      [
        "googlechat:index:SpaceMembers",
        "of-a-membership",
        byId,
        /ChatSpaceMembers of-a-membership: can't import ".*": a roster is imported by its space's name, spaces\/\{space\}/,
      ],
      [
        "googlechat:index:Space",
        "bare-id",
        team.slice("spaces/".length),
        /ChatSpace bare-id: can't import ".*": a space is imported by its name, spaces\/\{space\}/,
      ],
    ];
    for (const [type, name, id, message] of refused) {
      mark = await logMark(t.emulator);
      const run = await folder.attempt(["import", type, name, id, "--yes"]);
      assert.notEqual(run.code, 0, `${name} imported`);
      assert.match(run.stdout + run.stderr, message);
      assert.deepEqual(await apiCalls(t.emulator, mark), [], name);
    }
    // A name of the right form that Google does not know: its one read, and Google's answer under the resource's name.
    mark = await logMark(t.emulator);
    const missing = await folder.attempt(["import", "googlechat:index:Membership", "nobody", `${team}/members/nobody@example.com`, "--yes"]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stdout + missing.stderr, /ChatMembership nobody: spaces\.members\.get of spaces\/[\w-]+ failed \(404 NOT_FOUND/);
    assert.deepEqual(await apiCalls(t.emulator, mark), [`GET /v1/${team}/members/nobody%40example.com 404`]);
    const after = (await folder.json("stack", "export")).deployment.resources as unknown[];
    assert.equal(after.length, state.length, "nothing refused is in the stack");
  });
});
