/**
 * The SDKs `npm run gen-sdk` generates from the plugin's committed schema (scripts/gen-sdk.ts),
 * each compiled by its own language's tools: the Go SDK built and vetted against the SDK module
 * the CLI was built from, with the Go module proxy turned off (scripts/ensure-gen-sdk fetched the
 * modules once); every Python file byte-compiled; the Node.js SDK type-checked against this
 * repository's @pulumi/pulumi. A program using the Node.js SDK runs under the engine in
 * typescript-plugin.e2e.ts.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { SCHEMA_FILE } from "../../scripts/gen-schema";
import { generateSdk, generator } from "../../scripts/gen-sdk";
import { REPO } from "./harness";

const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8"));
const manifest = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8"));

/** Runs a command, failing with its output unless it exits 0; returns its output. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8" });
  assert.equal(result.status, 0, `${command} ${args.join(" ")} in ${cwd}:\n${result.stdout}${result.stderr}${result.error ?? ""}`);
  return result.stdout + result.stderr;
}

/** The first `language` code block under the heading `heading` (a whole line) of docs/languages.md. */
function docsBlock(heading: string, language: string): string {
  const section = readFileSync(join(REPO, "docs/languages.md"), "utf8").split(`\n${heading}\n`)[1];
  const block = section && new RegExp("```" + language + "\\n([\\s\\S]*?)```").exec(section)?.[1];
  if (!block) throw new Error(`docs/languages.md has no ${language} block under "${heading}"`);
  return block;
}

/** Every file below `dir`, relative to it. */
const filesIn = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();

describe("e2e: the generated SDKs compile", function () {
  // The first run on a machine builds the generator (minutes); later ones take seconds.
  this.timeout(900_000);
  let root: string;
  before(() => {
    generator();
    root = mkdtempSync(join(tmpdir(), "googlechat-sdks-"));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("Go: a module at the schema's import base path, less its package, that builds and vets offline against the CLI's SDK module", () => {
    const dir = join(root, "go");
    generateSdk("go", dir);
    const importBasePath: string = schema.language.go.importBasePath;
    const goMod = readFileSync(join(dir, "go.mod"), "utf8");
    assert.match(goMod, new RegExp(`^module ${dirname(importBasePath)}\n`));
    // The version scripts/ensure-pulumi builds the CLI from (scripts/pulumi-versions).
    const pulumiVersion = /PULUMI_VERSION:-([0-9.]+)/.exec(readFileSync(join(REPO, "scripts/pulumi-versions"), "utf8"))![1];
    assert.match(goMod, new RegExp(`\nrequire github.com/pulumi/pulumi/sdk/v3 v${pulumiVersion.replaceAll(".", "\\.")}\n`));
    const files = filesIn(dir).filter((f) => f.endsWith(".go"));
    for (const file of ["space.go", "membership.go", "spaceMembers.go", "getSpace.go", "provider.go", "config/config.go"]) {
      assert.ok(files.includes(`googlechat/${file}`), `googlechat/${file} in ${files.join(", ")}`);
    }
    const offline = { ...process.env, GOPROXY: "off" };
    run("go", ["mod", "tidy"], dir, offline);
    run("go", ["build", "./..."], dir, offline);
    run("go", ["vet", "./..."], dir, offline);
    // The docs' Go start, in a main package of the SDK's module (its imports as the docs list them).
    mkdirSync(join(dir, "cmd/docs"), { recursive: true });
    writeFileSync(
      join(dir, "cmd/docs/main.go"),
      `package main\n\nimport (\n\t"${importBasePath}"\n\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"\n)\n\nfunc main() {\n${docsBlock("### Go, the plugin", "go")}}\n`,
    );
    run("go", ["vet", "./cmd/docs"], dir, offline);
  });

  it("Python: the package named by the schema, with a pyproject.toml, every file of which byte-compiles", () => {
    const dir = join(root, "python");
    generateSdk("python", dir);
    const packageName: string = schema.language.python.packageName;
    assert.match(readFileSync(join(dir, "pyproject.toml"), "utf8"), new RegExp(`\n\\s*name = "${packageName}"\n`));
    const files = filesIn(dir).filter((f) => f.endsWith(".py"));
    for (const file of ["__init__.py", "space.py", "membership.py", "space_members.py", "get_space.py", "provider.py"]) {
      assert.ok(files.includes(`${packageName}/${file}`), `${packageName}/${file} in ${files.join(", ")}`);
    }
    writeFileSync(join(dir, "docs_start.py"), docsBlock("### Python, the plugin", "python"));
    run("python3", ["-m", "py_compile", ...files, "docs_start.py"], dir, { ...process.env, PYTHONPYCACHEPREFIX: join(root, "pycache") });
  });

  it("Node.js: the package named by the schema, on this package's @pulumi/pulumi, which type-checks against it", () => {
    const dir = join(root, "nodejs");
    generateSdk("nodejs", dir);
    const sdk = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    assert.equal(sdk.name, schema.language.nodejs.packageName);
    assert.equal(sdk.dependencies["@pulumi/pulumi"], manifest.dependencies["@pulumi/pulumi"]);
    assert.equal(sdk.main, "bin/index.js", "a local SDK, compiled by its postinstall");
    symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"), "dir");
    assert.equal(run(join(REPO, "node_modules/.bin/tsc"), ["--noEmit", "-p", dir], dir).trim(), "");
    // The docs' TypeScript start, the SDK's package name mapped to its sources.
    const start = join(root, "docs-start");
    mkdirSync(start);
    writeFileSync(join(start, "index.ts"), docsBlock("### TypeScript, the plugin", "ts"));
    writeFileSync(
      join(start, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "ES2022",
          types: ["node"],
          typeRoots: [join(REPO, "node_modules/@types")],
          paths: { [sdk.name]: [join(dir, "index.ts")] },
        },
        files: ["index.ts"],
      }),
    );
    assert.equal(run(join(REPO, "node_modules/.bin/tsc"), ["-p", start], start).trim(), "");
  });

  it("the generator writes into no folder that holds files, so that no file of an older SDK stays", () => {
    const dir = join(root, "stale");
    mkdirSync(dir);
    writeFileSync(join(dir, "old.ts"), "");
    assert.throws(() => generateSdk("nodejs", dir), /stale is not empty: remove it first, so that no file of an older SDK stays/);
    assert.deepEqual(readdirSync(dir), ["old.ts"]);
  });
});
