/**
 * Generates the SDKs of the provider plugin `pulumi-resource-googlechat` from its package schema
 * (provider/plugin/schema.json), for the languages whose Pulumi programs use the plugin through
 * an SDK (Pulumi YAML needs none):
 *
 *   npm run gen-sdk                      # sdk-gen/go, sdk-gen/python, sdk-gen/nodejs, each replaced
 *   npm run gen-sdk -- nodejs DIR        # one language into DIR, which must not exist or be empty
 *
 * The generator is googlechat-gen-sdk (scripts/gen-sdk/main.go, built by scripts/ensure-gen-sdk):
 * the code generators of pulumi/pulumi pkg/v3 that `pulumi package gen-sdk` reaches through the
 * language hosts, called directly, so that it runs with no language host installed. What each
 * language's SDK is named comes from the schema's `language` section (scripts/gen-schema.ts).
 *
 * .NET is not generated here: its generator is part of the .NET language host
 * (pulumi-language-dotnet), not of pkg/v3, and no Go module holding it is served to this
 * repository's builds. `pulumi package add` in a .NET project, with a Pulumi installation that
 * ships that host, generates it (docs/languages.md).
 *
 * The SDKs are not committed: the tests generate them from the committed schema each run
 * (test/e2e/generated-sdks.e2e.ts), so they can't drift from it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { SCHEMA_FILE } from "./gen-schema";

const REPO = join(__dirname, "..");

/** The languages googlechat-gen-sdk writes an SDK for. */
export const LANGUAGES = ["go", "python", "nodejs"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Where `npm run gen-sdk` writes, one folder per language (not committed). */
export const SDK_ROOT = join(REPO, "sdk-gen");

let generatorPath: string | undefined;

/** The path of googlechat-gen-sdk, built on the first call of a machine (minutes) and cached. */
export function generator(): string {
  generatorPath ??= execFileSync(join(REPO, "scripts/ensure-gen-sdk"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
    .trim()
    .split("\n")
    .pop()!;
  return generatorPath;
}

/** Writes `language`'s SDK from the schema (the committed one unless `schema` says) into `dir`, which must not exist or be empty. */
export function generateSdk(language: Language, dir: string, schema: string = SCHEMA_FILE): void {
  execFileSync(generator(), [schema, language, dir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function main(args: string[]): void {
  if (args.length === 0) {
    for (const language of LANGUAGES) {
      const dir = join(SDK_ROOT, language);
      rmSync(dir, { recursive: true, force: true });
      generateSdk(language, dir);
      console.log(`${language}: ${relative(REPO, dir)}`);
    }
    console.log("dotnet: not generated here (no .NET generator without its language host): see docs/languages.md");
    return;
  }
  const [language, dir] = args;
  if (language === "dotnet") {
    console.error(
      "dotnet: not generated here (no .NET generator without its language host): `pulumi package add` in the .NET project generates it (docs/languages.md).",
    );
    process.exit(2);
  }
  if (args.length !== 2 || !(LANGUAGES as readonly string[]).includes(language)) {
    console.error(`usage: npm run gen-sdk [-- <${LANGUAGES.join("|")}> <dir>]`);
    process.exit(2);
  }
  const target = resolve(process.env.INIT_CWD ?? process.cwd(), dir);
  if (existsSync(target) && readdirSync(target).length > 0) {
    console.error(`${dir} is not empty: remove it first, so that no file of an older SDK stays.`);
    process.exit(1);
  }
  generateSdk(language as Language, target);
  console.log(`${language}: ${target}`);
}

if (require.main === module) main(process.argv.slice(2));
