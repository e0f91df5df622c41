/**
 * The provider plugin pulumi-resource-googlechat under the real engine: examples/yaml, a Pulumi
 * YAML program, run as a user runs it from its own folder (`npm install`, `pulumi stack init`,
 * `pulumi config set`, `pulumi up`), the engine finding the plugin through the folder's
 * `packages:` entry and the YAML language host typing the program with the plugin's schema.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { apiCalls, logMark } from "../helpers/provider";
import { filesUnder, useEngineAndEmulator } from "./harness";
import { cliEnvironment, installedExample } from "./workspace";

describe("e2e: examples/yaml through the provider plugin", function () {
  this.timeout(600_000);
  const t = useEngineAndEmulator();
  let dir: string;
  let home: string;
  let env: NodeJS.ProcessEnv;
  // Asynchronous, as the emulator's control connection must stay served while the engine runs.
  const run = (args: string[]) =>
    promisify(execFile)("pulumi", [...args, "--non-interactive"], { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 }).catch((error) => {
      throw new Error(`pulumi ${args.join(" ")} failed:\n${error.stdout}${error.stderr}`);
    });
  /** A command's whole output. */
  const pulumi = async (...args: string[]) => {
    const { stdout, stderr } = await run(args);
    return `${stdout}${stderr}`;
  };
  /** A command's JSON answer. */
  const json = async (...args: string[]): Promise<any> => JSON.parse((await run(args)).stdout);

  before(() => {
    dir = installedExample("yaml").dir;
    home = join(dir, "..");
    env = cliEnvironment(home);
    assert.ok(
      existsSync(join(dir, "node_modules/pulumi-googlechat/bin/pulumi-resource-googlechat")),
      "npm install puts the plugin where Pulumi.yaml's packages entry says",
    );
  });

  it("previews with no call, creates, previews no change with no call, updates a space in place, and destroys; no credential in the state or the output", async () => {
    const key = JSON.stringify(t.key);
    await pulumi("stack", "init", "dev");
    const config: [string, string, boolean][] = [
      ["googlechat:credentials", key, true],
      ["appCredentials", key, true],
      ["googlechat:apiEndpoint", t.emulator.url, false],
      ["googlechat:tokenEndpoint", t.emulator.tokenUrl, false],
      ["googlechat:impersonateUser", "admin@example.com", false],
    ];
    for (const [name, value, secret] of config) {
      // The value on standard input, as a user pastes a key: never on a command line.
      const child = execFile("pulumi", ["config", "set", secret ? "--secret" : "--plaintext", name, "--non-interactive"], { cwd: dir, env });
      child.stdin!.end(value);
      const code = await new Promise((resolve) => child.on("exit", resolve));
      assert.equal(code, 0, `pulumi config set ${name}`);
    }
    const outputs: string[] = [];

    let mark = await logMark(t.emulator);
    const preview = await json("preview", "--json");
    assert.deepEqual(preview.changeSummary, { create: 5 }, "the stack, the explicit provider, two spaces and a roster");
    assert.deepEqual(await apiCalls(t.emulator, mark), [], "a preview calls nothing");

    mark = await logMark(t.emulator);
    outputs.push(await pulumi("up", "--yes", "--skip-preview"));
    const calls = await apiCalls(t.emulator, mark);
    assert.equal(calls.filter((c) => c === "POST /v1/spaces 200").length, 2, calls.join("\n"));
    const stackOutputs = await json("stack", "output", "--json");
    const spaces = (await t.emulator.control.state()).spaces as Record<string, { displayName: string }>;
    assert.deepEqual(
      Object.values(spaces)
        .map((s) => s.displayName)
        .sort(),
      ["Engineering", "Production alerts"],
    );
    assert.match(stackOutputs.engineering, /^spaces\//);
    assert.match(stackOutputs.alerts, /^spaces\//);
    assert.equal(stackOutputs.engineeringUrl, `https://chat.google.com/room/${stackOutputs.engineering.slice(7)}?cls=11`);
    // The roster as listed, by users/{id} (emulator/model.ts): the creator (admin@example.com) and the two declared.
    assert.deepEqual(
      (stackOutputs.members as { member: string; role: string }[]).map((m) => [m.member, m.role]),
      [
        ["users/110000000000000000001", "ROLE_MANAGER"],
        ["users/110000000000000000002", "ROLE_MANAGER"],
        ["users/110000000000000000003", "ROLE_MEMBER"],
      ],
    );

    mark = await logMark(t.emulator);
    const same = await json("preview", "--json", "--expect-no-changes");
    assert.deepEqual(same.changeSummary, { same: 5 });
    assert.deepEqual(await apiCalls(t.emulator, mark), [], "a no-change preview calls nothing");

    const program = readFileSync(join(dir, "Pulumi.yaml"), "utf8");
    writeFileSync(join(dir, "Pulumi.yaml"), program.replace("displayName: Engineering\n", "displayName: Platform engineering\n"));
    mark = await logMark(t.emulator);
    const edit = await json("preview", "--json", "--diff");
    assert.deepEqual(edit.changeSummary, { same: 4, update: 1 });
    assert.deepEqual(await apiCalls(t.emulator, mark), []);
    outputs.push(await pulumi("up", "--yes", "--skip-preview"));
    assert.deepEqual(await apiCalls(t.emulator, mark), [`PATCH /v1/${stackOutputs.engineering} display_name 200`]);
    assert.equal((await json("stack", "output", "--json")).engineering, stackOutputs.engineering, "updated in place, not replaced");

    const state = JSON.stringify(await json("stack", "export"));
    const files = filesUnder(join(home, "state"));
    for (const text of [state, files, ...outputs]) {
      assert.ok(!text.includes(t.key.private_key_id), "the key's id");
      assert.doesNotMatch(text, /PRIVATE KEY/);
    }
    assert.match(state, /"ciphertext"/, "the credentials are kept encrypted");

    mark = await logMark(t.emulator);
    await pulumi("destroy", "--yes", "--skip-preview");
    const deletes = (await apiCalls(t.emulator, mark)).filter((c) => c.startsWith("DELETE"));
    assert.deepEqual(deletes.filter((c) => /^DELETE \/v1\/spaces\/[^/]+ 200$/.test(c)).length, 2, deletes.join("\n"));
    assert.deepEqual(Object.keys((await t.emulator.control.state()).spaces), []);
    assert.deepEqual((await json("stack", "export")).deployment.resources ?? [], []);
  });

  it("runs with the plugin installed alone into Pulumi's plugin cache (`pulumi plugin install --file`), no packages entry, no PATH", async () => {
    const program = readFileSync(join(dir, "Pulumi.yaml"), "utf8");
    const withoutPackages = program.replace(/^packages:\n {2}googlechat: .*\n/m, "");
    assert.notEqual(withoutPackages, program);
    writeFileSync(join(dir, "Pulumi.yaml"), withoutPackages);
    await pulumi("plugin", "install", "resource", "googlechat", "0.1.0", "--file", join(dir, "node_modules/pulumi-googlechat/bin/pulumi-resource-googlechat"));
    assert.ok(existsSync(join(home, "pulumi-home/plugins/resource-googlechat-v0.1.0/pulumi-resource-googlechat")));
    const mark = await logMark(t.emulator);
    const preview = await run(["preview", "--json"]);
    assert.deepEqual(JSON.parse(preview.stdout).changeSummary, { create: 5 });
    assert.doesNotMatch(preview.stderr, /\$PATH/);
    assert.deepEqual(await apiCalls(t.emulator, mark), []);
  });

  it("`pulumi import googlechat:index:Space` adopts a space made in Chat with one read, and writes its YAML declaration", async () => {
    const [id] = await t.emulator.control.seed([{ displayName: "Made in Chat" }]);
    const mark = await logMark(t.emulator);
    const imported = await pulumi("import", "googlechat:index:Space", "adopted", id, "--yes");
    // A preview and the import, each one Read: one GET each, nothing written.
    assert.deepEqual(await apiCalls(t.emulator, mark), [`GET /v1/${id} 200`, `GET /v1/${id} 200`]);
    // The declaration of what was found (provider/space/declaration.ts), as the YAML host prints it.
    const code = imported.split("\nresources:\n")[1] ?? "";
    assert.match(code, /^ {2}adopted:\n {4}type: googlechat:Space\n {4}properties:\n/, imported);
    assert.match(code, /\n {6}displayName: Made in Chat\n/);
    assert.match(code, /\n {4}options:\n {6}protect: true\n$/);
    const resource = (await json("stack", "export")).deployment.resources.find((r: { type: string }) => r.type === "googlechat:index:Space");
    assert.deepEqual([resource.id, resource.inputs.displayName, resource.outputs.name, resource.protect], [id, "Made in Chat", id, true]);

    // The declaration copied into the program, as the CLI asks: the space is then the same, with no call.
    const program = readFileSync(join(dir, "Pulumi.yaml"), "utf8");
    writeFileSync(join(dir, "Pulumi.yaml"), program.replace("\nresources:\n", `\nresources:\n${code}`));
    const after = await logMark(t.emulator);
    const preview = await json("preview", "--json");
    // The stack and the adopted space are the same; the example's four others, destroyed above, are to create.
    assert.deepEqual(preview.changeSummary, { create: 4, same: 2 });
    assert.deepEqual(
      preview.steps.filter((step: { op: string; urn: string }) => step.urn.endsWith("::adopted") && step.op !== "same"),
      [],
    );
    assert.deepEqual(
      (await apiCalls(t.emulator, after)).filter((c) => c.includes(id)),
      [],
      "nothing of the adopted space is called",
    );
  });
});
