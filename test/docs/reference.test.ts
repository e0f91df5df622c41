/**
 * The reference pages (docs/reference/*.md): their generated parts are what the plugin's schema
 * generates (scripts/gen-reference.ts), and each resource's hand-written "What a change does"
 * table names exactly the schema's input properties, saying "replace(s)" for exactly those every
 * change of which replaces the resource (willReplaceOnChanges, from the provider's own lists).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RESOURCES } from "../../provider/tokens";
import { PAGES, referencePages, stalePages } from "../../scripts/gen-reference";
import { type PackageSpec, type PropertySpec, SCHEMA_FILE } from "../../scripts/gen-schema";

const REPO = join(__dirname, "../..");
const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as PackageSpec;
const page = (path: string) => readFileSync(join(REPO, path), "utf8");

interface Table {
  /** The `## ` section it is in. */
  readonly section: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** Every Markdown table of a page, with the section it is in. */
function tables(markdown: string): Table[] {
  const found: Table[] = [];
  let section = "";
  const lines = markdown.split("\n");
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, "")
      .split("|")
      .map((c) => c.trim());
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
 * The property paths a text names in code: `a`, `a.b`, `.b` (a sibling of the path before),
 * `a.<placeholder>`, `chatApp: true` (the name before its value). Code that is a value (`SPACE`,
 * `spaces/{id}`) is not a name.
 */
function namedPaths(text: string): string[][] {
  const paths: string[][] = [];
  for (const [, code] of text.matchAll(/`([^`]+)`/g)) {
    const name = code.replace(/: .*$/, "");
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

describe("the reference pages (docs/reference)", function () {
  this.timeout(60_000);

  it("are what the schema generates: npm run gen-reference after changing a contract's doc comments", () => {
    assert.deepEqual(stalePages(), [], "run npm run gen-reference and commit the pages");
  });

  it("each page's generated parts hold every property of the schema, by name", () => {
    const pages = referencePages();
    for (const [path, subject] of Object.entries(PAGES)) {
      const names =
        "resource" in subject
          ? [...Object.keys(schema.resources[subject.resource].inputProperties), ...Object.keys(schema.resources[subject.resource].properties)]
          : "function" in subject
            ? [...Object.keys(schema.functions[subject.function].inputs.properties), ...Object.keys(schema.functions[subject.function].outputs.properties)]
            : Object.keys(schema.config.variables).map((key) => `googlechat:${key}`);
      for (const name of names) assert.ok(pages[path].includes(`- \`${name}\` (`), `${path} documents ${name}`);
    }
  });

  const resources = [
    { path: "docs/reference/space.md", token: RESOURCES.space.plugin },
    { path: "docs/reference/membership.md", token: RESOURCES.membership.plugin },
    { path: "docs/reference/space-members.md", token: RESOURCES.roster.plugin },
  ];
  for (const { path, token } of resources) {
    describe(`${path}: "What a change does"`, () => {
      const resource = schema.resources[token];
      const table = () => {
        const found = tables(page(path)).find((t) => t.section === "What a change does" && t.header[0] === "Argument");
        assert.ok(found, `${path} has no Argument table under "What a change does"`);
        return found;
      };

      it("each row's arguments are input properties, their nested paths too, and every input property has a row", () => {
        const named = table().rows.flatMap((row) => namedPaths(leadingPart(row[0])));
        assert.deepEqual(named.map((p) => missing(p, resource.inputProperties)).filter(Boolean), []);
        assert.deepEqual([...new Set(named.map((p) => p[0]))].sort(), Object.keys(resource.inputProperties).sort());
      });

      it('a row says "replace(s)" first exactly for the arguments whose every change replaces the resource (willReplaceOnChanges)', () => {
        const saysReplace = table().rows.flatMap((row) => {
          const replaces = /^(\*\*replace\*\*|replaces\b)/.test(row[1]);
          return [...new Set(namedPaths(leadingPart(row[0])).map((p) => p[0]))].map((name) => [name, replaces]);
        });
        assert.deepEqual(
          Object.fromEntries(saysReplace),
          Object.fromEntries(Object.entries(resource.inputProperties).map(([name, p]) => [name, p.willReplaceOnChanges === true])),
        );
      });
    });
  }
});
