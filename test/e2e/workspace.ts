/**
 * An example run as a user runs it, from its own folder with the `pulumi` CLI: the
 * `pulumi stack init` and `pulumi config set` lines of docs/getting-started.md, then `pulumi up`, each in the folder, so the
 * engine loads and checks the folder's Pulumi.yaml (its config schema included) and the stack's
 * config. The program runs in its own process through its own @pulumi/pulumi, started by a
 * stand-in for the Node.js language host (language-host.ts): that Go binary cannot be had on this
 * machine (docs/engine.md).
 *
 * The folder is a copy of the example's files (no node_modules, no stack files), so that the
 * stack files `pulumi config set` writes stay out of the repository's tree; its node_modules is
 * one that `npm install` made for an example (installedExample).
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { ServiceAccountKey } from "../../emulator";
import { type EmulatorProcess, REPO } from "./harness";
import type { LanguageHost } from "./language-host";

/** The documentation page whose section under {@link RECIPE_HEADING} holds the recipe for the CLI against the emulator. */
export const RECIPE_PAGE = "docs/getting-started.md";
/** The section whose first `sh` block is the recipe. */
export const RECIPE_HEADING = "## The `pulumi` CLI against the emulator";
/** The emulator's address and credentials folder as the recipe spells them. */
const RECIPE_EMULATOR_URL = "http://127.0.0.1:8085";
const RECIPE_CREDENTIALS = "../../.emulator/credentials";

/** A documentation page's text, by its path in the repository (the recipe's page by default). */
export function docPage(page = RECIPE_PAGE): string {
  return readFileSync(join(REPO, page), "utf8");
}

/** The command lines of the recipe for the CLI against the emulator, comments left out. */
export function docRecipe(): string[] {
  const section = docPage().split(RECIPE_HEADING)[1];
  const block = section && /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error(`${RECIPE_PAGE} has no sh block under "${RECIPE_HEADING}"`);
  return block
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** The first `ts` block of a page's section under `heading` (a whole line, such as "## Example"). */
export function docProgram(page: string, heading: string): string {
  const section = docPage(page).split(`\n${heading}\n`)[1];
  const block = section && /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error(`${page} has no ts block under "${heading}"`);
  return block;
}

export interface ExampleFolder {
  /** The folder: a copy of examples/<name>. */
  dir: string;
  /** Runs a command line of the docs in the folder with bash, as a user's shell would; returns its output. */
  run(line: string): string;
  /** `pulumi up` in the folder; returns the stack's outputs. */
  up(): Promise<Record<string, unknown>>;
  /** `pulumi preview --json` in the folder; returns what it printed, parsed. */
  preview(): Promise<{ changeSummary: Record<string, number>; steps: { op: string; urn: string }[] }>;
  /** Any `pulumi` command that runs the program (preview, up, destroy), in the folder, with `env` added; returns its standard output. */
  pulumi(args: string[], env?: Record<string, string>): Promise<string>;
}

/**
 * Copies the program folder `source` to `to` without what installing and running it adds
 * (node_modules, the lock file, bin/, the stack files `pulumi config set` writes, the SDKs
 * generated into sdks/).
 */
export function copyProgramFolder(source: string, to: string): void {
  cpSync(source, to, { recursive: true, filter: (path) => !/\/(node_modules|bin|sdks|package-lock\.json|Pulumi\.[^/]+\.yaml)$/.test(path) });
}

/** The example's files, without what installing and running it adds. */
const copyExample = (name: string, to: string) => copyProgramFolder(join(REPO, "examples", name), to);

/**
 * The environment the `pulumi` CLI runs with for a program folder under `home`: a file://
 * backend in `home`/state (made here), its own PULUMI_HOME, a passphrase for secrets and no
 * update check; of this process's environment only PATH, so that no credential of the machine's
 * reaches the engine.
 */
export function cliEnvironment(home: string): NodeJS.ProcessEnv {
  mkdirSync(join(home, "state"), { recursive: true });
  return {
    PATH: process.env.PATH,
    HOME: home,
    PULUMI_HOME: join(home, "pulumi-home"),
    PULUMI_BACKEND_URL: `file://${join(home, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
}

/**
 * A copy of examples/<name> installed with `npm install`, its dependency on the repository
 * (`file:../..`) spelled as the repository's path from where the copy is. `--ignore-scripts`: the
 * repository's `prepare` (a build) would rewrite dist/ under the other suites; `npm test` has
 * built it, as the root's `npm install` has for a user. `beforeInstall` prepares the copy first
 * (a generated SDK its package.json names).
 */
export function installedExample(name: string, options: { beforeInstall?: (dir: string) => void } = {}): { dir: string; npmOutput: string } {
  const dir = join(mkdtempSync(join(tmpdir(), "chatspace-install-")), name);
  copyExample(name, dir);
  options.beforeInstall?.(dir);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  manifest.dependencies["pulumi-googlechat"] = `file:${REPO}`;
  writeFileSync(join(dir, "package.json"), JSON.stringify(manifest));
  const install = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], { cwd: dir, encoding: "utf8" });
  if (install.status !== 0) throw new Error(`npm install in a copy of examples/${name} failed:\n${install.stderr}`);
  return { dir, npmOutput: install.stdout + install.stderr };
}

/**
 * examples/<name> in a folder of its own with `nodeModules` (an installed example's), against
 * `emulator`: the recipe's emulator address becomes this emulator's, and its credentials folder
 * holds `key` as service-account.json. `host` runs the program.
 */
export function exampleFolder(
  name: string,
  options: { emulator: EmulatorProcess; key: ServiceAccountKey; nodeModules: string; host: LanguageHost },
): ExampleFolder {
  const home = mkdtempSync(join(tmpdir(), `chatspace-example-${name}-`));
  const dir = join(home, name);
  copyExample(name, dir);
  symlinkSync(options.nodeModules, join(dir, "node_modules"), "dir");
  const credentials = join(home, "credentials");
  mkdirSync(credentials);
  writeFileSync(join(credentials, "service-account.json"), JSON.stringify(options.key, null, 2), { mode: 0o600 });
  const env = cliEnvironment(home);
  const run = (line: string) =>
    execFileSync("bash", ["-c", line.replaceAll(RECIPE_EMULATOR_URL, options.emulator.url).replaceAll(RECIPE_CREDENTIALS, credentials)], {
      cwd: dir,
      encoding: "utf8",
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
  // Asynchronous: the language host answers the engine from this process.
  const pulumi = (args: string[], extra: Record<string, string> = {}) =>
    promisify(execFile)("pulumi", [...args, `--client=${options.host.address}`], { cwd: dir, env: { ...env, ...extra }, maxBuffer: 64 * 1024 * 1024 }).then(
      ({ stdout }) => stdout,
      (error) => {
        throw new Error(`pulumi ${args[0]} failed:\n${error.stdout}${error.stderr}\nthe program: ${options.host.output()}`);
      },
    );
  return {
    dir,
    run,
    up: async () => {
      await pulumi(["up", "--yes", "--skip-preview"]);
      return JSON.parse(run("pulumi stack output --json"));
    },
    preview: async () => JSON.parse(await pulumi(["preview", "--json"])),
    pulumi,
  };
}
