/**
 * An example run as a user runs it, from its own folder: the `pulumi` CLI makes the stack and
 * sets its config with the README's lines, in the folder, so the engine loads and checks the
 * folder's Pulumi.yaml (its config schema included) as `pulumi stack init` does for a user. The
 * deployment then runs through the Automation API with that folder as its work directory and the
 * folder's index.ts as the program: the engine again takes the project and the stack's config
 * from the folder. Only the program's host differs from a user's `pulumi up`: the Node.js
 * language host cannot be had on this machine (README, "The engine"), so @pulumi/pulumi serves
 * the program itself (inline mode).
 *
 * The folder is a copy of the example's files (no node_modules, no stack files), so that the
 * stack files `pulumi config set` writes stay out of the repository's tree; its node_modules is
 * the repository's, where `pulumi-googlechat` is this package (scripts/link-self.js).
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import type { ServiceAccountKey } from "../../emulator";
import { type EmulatorProcess, REPO } from "./harness";

/** The README section whose first `sh` block is the recipe for the CLI against the emulator. */
export const RECIPE_HEADING = "## The `pulumi` CLI against the emulator";
/** The emulator's address and credentials folder as the recipe spells them. */
const RECIPE_EMULATOR_URL = "http://127.0.0.1:8085";
const RECIPE_CREDENTIALS = "../../.emulator/credentials";

/** The README's text. */
export function readme(): string {
  return readFileSync(join(REPO, "README.md"), "utf8");
}

/** The command lines of the README's recipe for the CLI against the emulator, comments left out. */
export function readmeRecipe(): string[] {
  const section = readme().split(RECIPE_HEADING)[1];
  const block = section && /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error(`README.md has no sh block under "${RECIPE_HEADING}"`);
  return block
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

export interface ExampleFolder {
  /** The folder: a copy of examples/<name>. */
  dir: string;
  /** Runs a command line of the README in the folder with bash, as a user's shell would; returns its output. */
  run(line: string): string;
  /** The stack the CLI made, deployed through the Automation API from the folder, index.ts as the program. */
  stack(stackName: string): Promise<Stack>;
}

/**
 * examples/<name> in a folder of its own, against `emulator`: the recipe's emulator address
 * becomes this emulator's, and its credentials folder holds `key` as service-account.json.
 */
export function exampleFolder(name: string, emulator: EmulatorProcess, key: ServiceAccountKey): ExampleFolder {
  const home = mkdtempSync(join(tmpdir(), `chatspace-example-${name}-`));
  const dir = join(home, name);
  cpSync(join(REPO, "examples", name), dir, {
    recursive: true,
    filter: (source) => !/\/(node_modules|package-lock\.json|Pulumi\.[^/]+\.yaml)$/.test(source),
  });
  symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"), "dir");
  const credentials = join(home, "credentials");
  mkdirSync(credentials);
  writeFileSync(join(credentials, "service-account.json"), JSON.stringify(key, null, 2), { mode: 0o600 });
  mkdirSync(join(home, "state"));
  const pulumiEnv = {
    PULUMI_BACKEND_URL: `file://${join(home, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  const pulumiHome = join(home, "pulumi-home");
  return {
    dir,
    run: (line) =>
      execFileSync("bash", ["-c", line.replaceAll(RECIPE_EMULATOR_URL, emulator.url).replaceAll(RECIPE_CREDENTIALS, credentials)], {
        cwd: dir,
        encoding: "utf8",
        env: { PATH: process.env.PATH, HOME: home, PULUMI_HOME: pulumiHome, ...pulumiEnv },
        stdio: ["ignore", "pipe", "pipe"],
      }),
    stack: (stackName) => {
      const projectName = /^name:\s*(\S+)/m.exec(readFileSync(join(dir, "Pulumi.yaml"), "utf8"))![1];
      const program = async () => {
        const file = join(dir, "index.ts");
        delete require.cache[require.resolve(file)];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require(file);
      };
      return LocalWorkspace.selectStack({ stackName, projectName, program }, { workDir: dir, pulumiHome, envVars: pulumiEnv });
    },
  };
}
