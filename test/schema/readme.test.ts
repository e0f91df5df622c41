/**
 * The README's argument tables, output lists and configuration table name exactly what the
 * plugin's schema (provider/plugin/schema.json, generated from the contract types) has: a
 * property added, renamed or removed in a contract fails here until the README says so too.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_KEYS, type ConfigKeySpec } from "../../provider/core/settings";
import { RESOURCES } from "../../provider/tokens";
import { type PackageSpec, type PropertySpec, SCHEMA_FILE } from "../../scripts/gen-schema";

const README = readFileSync(join(__dirname, "../../README.md"), "utf8");
const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as PackageSpec;

interface Table {
  /** The `## ` section it is in. */
  readonly section: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Every Markdown table of the README, with the section it is in. */
function tables(markdown: string): Table[] {
  const found: Table[] = [];
  let section = "";
  const lines = markdown.split("\n");
  const cells = (line: string) => line.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim());
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith("## ")) section = lines[i].slice(3).trim();
    if (!lines[i].startsWith("|") || !/^\|[-| ]+\|$/.test(lines[i + 1] ?? "")) continue;
    const header = cells(lines[i]);
    const rows: string[][] = [];
    for (i += 2; i < lines.length && lines[i].startsWith("|"); i++) rows.push(cells(lines[i]));
    found.push({ section, header, rows });
  }
  return found;
}

/** Text without its parenthesised asides, and up to its first `: ` or `; ` outside code. */
function leadingPart(text: string): string {
  let out = text;
  for (let before = ""; before !== out; ) [before, out] = [out, out.replace(/\([^()]*\)/g, "")];
  let code = false;
  for (let i = 0; i < out.length; i++) {
    if (out[i] === "`") code = !code;
    if (!code && (out.startsWith(": ", i) || out[i] === ";")) return out.slice(0, i);
  }
  return out;
}

/**
 * The property paths a README text names in code: `a`, `a.b`, `.b` (a sibling of the path
 * before), `a.<placeholder>`, `chatApp: true` (the name before its value), `googlechat:key`
 * (the key). Code that is a value (`SPACE`, `spaces/{id}`, `{ name, ... }`) is not a name.
 */
function namedPaths(text: string): string[][] {
  const paths: string[][] = [];
  for (const [, code] of text.matchAll(/`([^`]+)`/g)) {
    const name = code.replace(/^googlechat:/, "").replace(/: .*$/, "");
    if (!/^(\.|[a-z])[A-Za-z]*(\.([A-Za-z]+|<[a-z]+>))*$/.test(name)) continue;
    const path = name.split(".");
    paths.push(path[0] === "" ? [...paths[paths.length - 1].slice(0, -1), ...path.slice(1)] : path);
  }
  return paths;
}

/** Why a path is not a property of these properties (undefined: it is), following object types; `<placeholder>` matches any. */
function missing(path: readonly string[], properties: Record<string, PropertySpec>): string | undefined {
  const [head, ...rest] = path;
  const property = properties[head];
  if (!property) return `${head} is not one of ${Object.keys(properties).join(", ")}`;
  if (rest.length === 0 || rest[0].startsWith("<")) return undefined;
  const type = property.$ref ? schema.types[property.$ref.replace("#/types/", "")] : undefined;
  if (!type?.properties) return `${head} has no properties (${property.$ref ?? property.type})`;
  const inner = missing(rest, type.properties);
  return inner && `${head}.${inner}`;
}

/** The text after "Outputs:" in a section, up to the end of its paragraph. */
function outputsText(section: string): string {
  const start = README.indexOf(`\n## ${section}\n`);
  const end = README.indexOf("\n## ", start + 1);
  const match = /Outputs: ([\s\S]*?)(\n\n|$)/.exec(README.slice(start, end));
  assert.ok(match, `README section "${section}" has no "Outputs:" list`);
  return match[1];
}

describe("README: the argument and configuration tables match the plugin's schema", () => {
  const all = tables(README);
  const argumentTables = (section: string) => all.filter((t) => t.section === section && t.header[0] === "Argument");

  const resources = [
    { section: "Using ChatSpace", token: RESOURCES.space.plugin },
    { section: "Memberships", token: RESOURCES.membership.plugin },
  ];

  for (const { section, token } of resources) {
    describe(`${token} (README "${section}")`, () => {
      const resource = schema.resources[token];

      it("each row's arguments are input properties, their nested paths too, and every input property has a row", () => {
        const [table] = argumentTables(section);
        assert.ok(table, `README section "${section}" has no Argument table`);
        const named = table.rows.flatMap((row) => namedPaths(leadingPart(row[0])));
        assert.deepEqual(named.map((path) => missing(path, resource.inputProperties)).filter(Boolean), []);
        assert.deepEqual([...new Set(named.map((path) => path[0]))].sort(), Object.keys(resource.inputProperties).sort());
      });

      it('a row says "replace(s)" exactly for the arguments whose every change replaces the resource (willReplaceOnChanges)', () => {
        const [table] = argumentTables(section);
        const saysReplace = table.rows.flatMap((row) => {
          const replaces = /^(\*\*replace\*\*|replaces\b)/.test(row[1]);
          return [...new Set(namedPaths(leadingPart(row[0])).map((path) => path[0]))].map((name) => [name, replaces]);
        });
        assert.deepEqual(
          Object.fromEntries(saysReplace),
          Object.fromEntries(Object.entries(resource.inputProperties).map(([name, p]) => [name, p.willReplaceOnChanges === true])),
        );
      });

      it("the outputs listed are the output properties", () => {
        const named = namedPaths(leadingPart(outputsText(section)).length > 0 ? outputsText(section).replace(/\([^()]*\)/g, "") : "");
        assert.deepEqual(named.map((path) => path[0]).sort(), Object.keys(resource.properties).sort());
      });
    });
  }

  it(`${RESOURCES.roster.plugin}: the outputs listed (README "Memberships") are the output properties`, () => {
    const start = README.indexOf("\n### ChatSpaceMembers\n");
    const text = /Outputs: (.*?)(, the roster|\n\n)/s.exec(README.slice(start))![1];
    assert.deepEqual(namedPaths(text).map((path) => path[0]).sort(), Object.keys(schema.resources[RESOURCES.roster.plugin].properties).sort());
  });

  it("the configuration table names every config key once, each with its own environment variable", () => {
    const table = all.find((t) => t.header[0] === "Config");
    assert.ok(table, "README has no Config table");
    const keys = table.rows.flatMap((row) => namedPaths(row[0]).map((path) => path[0]));
    assert.deepEqual([...keys].sort(), Object.keys(schema.config.variables).sort());
    const envs = CONFIG_KEYS as Record<string, ConfigKeySpec<unknown>>;
    for (const row of table.rows) {
      const rowEnvs = new Set(namedPaths(row[0]).map(([key]) => envs[key].env));
      for (const [, env] of row[1].matchAll(/`(GOOGLECHAT_[A-Z_]+)`/g)) assert.ok(rowEnvs.has(env), `${env} is not the variable of ${row[0]}`);
    }
  });
});
