/**
 * Writes the generated parts of the reference pages (docs/reference/*.md) from the plugin's
 * package schema, provider/plugin/schema.json, which scripts/gen-schema.ts generates from the
 * provider's contract types: each argument's and output's description, type, whether it is
 * required and whether every change of it replaces the resource, the object and enum types they
 * use, the getSpace function, and the `googlechat:` configuration. The descriptions are written
 * once, as doc comments of the contract types; nothing here restates one.
 *
 *   npm run gen-reference            # rewrites the generated parts
 *   npm run gen-reference -- --check   # exits 1 when a page differs from a fresh generation
 *
 * A page holds hand-written text (examples, what Pulumi does with the resource) around marked
 * parts, which only this script writes:
 *
 *   <!-- gen:arguments -->
 *   ...
 *   <!-- /gen:arguments -->
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { FUNCTIONS, PACKAGE, RESOURCES } from "../provider/tokens";
import type { ComplexTypeSpec, ObjectSpec, PackageSpec, PropertySpec, ResourceSpec, TypeRef } from "./gen-schema";
import { SCHEMA_FILE } from "./gen-schema";

const REPO = join(__dirname, "..");

/** What each page documents: a resource (by its plugin token), the function, or the configuration. */
type PageSubject = { resource: string } | { function: string } | { config: true };

/** The reference pages, relative to the repository. */
export const PAGES: Record<string, PageSubject> = {
  "docs/reference/space.md": { resource: RESOURCES.space.plugin },
  "docs/reference/membership.md": { resource: RESOURCES.membership.plugin },
  "docs/reference/space-members.md": { resource: RESOURCES.roster.plugin },
  "docs/reference/get-space.md": { function: FUNCTIONS.getSpace },
  "docs/reference/configuration.md": { config: true },
};

/** The name a type token is shown by: `googlechat:index:SpaceDetails` → `SpaceDetails`. */
const shortName = (token: string) => token.split(":").pop()!;
const tokenOf = (ref: string) => ref.replace("#/types/", "");

/** A text as the body of a list item: its later lines indented under the item. */
const indented = (text: string, by = "  ") => text.replace(/\n(?=.)/g, `\n${by}`);

class Renderer {
  constructor(private readonly schema: PackageSpec) {}

  /** A property's type in words, object and enum types linked to their section of the page. */
  type(ref: TypeRef): string {
    if (ref.$ref) return `[${shortName(tokenOf(ref.$ref))}](#${shortName(tokenOf(ref.$ref)).toLowerCase()})`;
    if (ref.type === "array" && ref.items) return `list of ${this.type(ref.items)}`;
    if (ref.type === "object" && ref.additionalProperties) return `map of ${this.type(ref.additionalProperties)}`;
    return ref.type ?? "any";
  }

  /** One property as a list item: name, type, required or not, whether it replaces; its description below. */
  property(name: string, spec: PropertySpec, required: boolean, input: boolean): string {
    const facts = [this.type(spec), required ? "required" : "optional"];
    if (input && spec.willReplaceOnChanges) facts.push("every change replaces the resource");
    if (spec.secret) facts.push("secret");
    const head = `- \`${name}\` (${facts.join("; ")})`;
    return spec.description ? `${head}: ${indented(spec.description)}` : head;
  }

  properties(spec: ObjectSpec | ResourceSpec, which: "inputs" | "outputs"): string {
    const properties = "inputProperties" in spec ? (which === "inputs" ? spec.inputProperties : spec.properties) : spec.properties;
    const required = "inputProperties" in spec ? (which === "inputs" ? spec.requiredInputs : spec.required) : spec.required;
    return Object.entries(properties)
      .map(([name, p]) => this.property(name, p, required?.includes(name) ?? false, which === "inputs"))
      .join("\n");
  }

  /** Every object and enum type the properties use, directly or through another type, by token, in the order met. */
  typesUsed(...groups: Record<string, PropertySpec>[]): string[] {
    const found: string[] = [];
    const visit = (ref: TypeRef | undefined) => {
      if (!ref) return;
      if (ref.$ref) {
        const token = tokenOf(ref.$ref);
        if (found.includes(token)) return;
        found.push(token);
        for (const p of Object.values(this.schema.types[token]?.properties ?? {})) visit(p);
      }
      visit(ref.items);
      visit(ref.additionalProperties);
    };
    for (const group of groups) for (const p of Object.values(group)) visit(p);
    return found;
  }

  /** A type's section: its description, then its properties or its values. */
  typeSection(token: string): string {
    const type: ComplexTypeSpec = this.schema.types[token];
    const parts = [`### ${shortName(token)}`];
    // An enum's description lists its values as bullets, which the values' own list below says.
    const description = type.enum ? withoutValueBullets(type.description) : type.description;
    if (description) parts.push(description);
    if (type.enum) {
      parts.push(type.enum.map((v) => `- \`${v.value}\`${v.description ? `: ${v.description}` : ""}`).join("\n"));
    } else {
      parts.push(this.properties({ properties: type.properties ?? {}, required: type.required }, "outputs"));
    }
    return parts.join("\n\n");
  }

  types(tokens: readonly string[]): string {
    return tokens.length === 0 ? "No object or enum types." : tokens.map((t) => this.typeSection(t)).join("\n\n");
  }

  /** The generated parts of a page, by name. */
  parts(subject: PageSubject): Record<string, string> {
    if ("resource" in subject) {
      const resource = this.schema.resources[subject.resource];
      if (!resource) throw new Error(`gen-reference: the schema has no resource ${subject.resource}.`);
      return {
        description: `${resource.description ?? ""}\n\nPlugin token: \`${subject.resource}\`.`,
        arguments: this.properties(resource, "inputs"),
        outputs: this.properties(resource, "outputs"),
        types: this.types(this.typesUsed(resource.inputProperties, resource.properties)),
      };
    }
    if ("function" in subject) {
      const fn = this.schema.functions[subject.function];
      if (!fn) throw new Error(`gen-reference: the schema has no function ${subject.function}.`);
      return {
        description: `${fn.description ?? ""}\n\nPlugin token: \`${subject.function}\`.`,
        arguments: this.properties(fn.inputs, "outputs"),
        outputs: this.properties(fn.outputs, "outputs"),
        types: this.types(this.typesUsed(fn.inputs.properties, fn.outputs.properties)),
      };
    }
    const variables = this.schema.config.variables;
    return {
      config: Object.entries(variables)
        .map(([key, p]) => this.property(`${PACKAGE}:${key}`, p, false, false))
        .join("\n"),
      types: this.types(this.typesUsed(variables)),
    };
  }
}

/** An enum's description without its "- `VALUE`: text" lines; the sentence that introduced them ends with a full stop. */
function withoutValueBullets(description: string | undefined): string | undefined {
  if (!description) return undefined;
  const text = description
    .split("\n")
    .filter((line) => !/^- `[^`]+`: /.test(line))
    .join("\n")
    .replace(/:(?=\n\n|\n?$)/g, ".")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return text || undefined;
}

const MARKER = /<!-- gen:([a-z]+) -->\n[\s\S]*?\n?<!-- \/gen:\1 -->/g;

/** `page` with each marked part replaced by its fresh text; fails on a part the page lacks or one it has that is not generated. */
export function regenerate(page: string, text: string, parts: Record<string, string>): string {
  const seen = new Set<string>();
  const out = text.replace(MARKER, (_, name: string) => {
    if (!(name in parts)) throw new Error(`gen-reference: ${page} marks a part "${name}", which is not generated (${Object.keys(parts).join(", ")}).`);
    seen.add(name);
    return `<!-- gen:${name} -->\n${parts[name]}\n<!-- /gen:${name} -->`;
  });
  const missing = Object.keys(parts).filter((name) => !seen.has(name));
  if (missing.length > 0) throw new Error(`gen-reference: ${page} has no marked part ${missing.map((m) => `<!-- gen:${m} -->`).join(", ")}.`);
  return out;
}

/** Every page as it should be, by its path relative to the repository. */
export function referencePages(schemaText = readFileSync(SCHEMA_FILE, "utf8")): Record<string, string> {
  const renderer = new Renderer(JSON.parse(schemaText) as PackageSpec);
  return Object.fromEntries(
    Object.entries(PAGES).map(([page, subject]) => [page, regenerate(page, readFileSync(join(REPO, page), "utf8"), renderer.parts(subject))]),
  );
}

/** The pages that differ from a fresh generation. */
export function stalePages(): string[] {
  return Object.entries(referencePages())
    .filter(([page, fresh]) => readFileSync(join(REPO, page), "utf8") !== fresh)
    .map(([page]) => page);
}

if (require.main === module) {
  if (process.argv.includes("--check")) {
    const stale = stalePages();
    for (const page of stale) console.error(`${page} is not what ${relative(REPO, SCHEMA_FILE)} generates: run npm run gen-reference.`);
    process.exit(stale.length > 0 ? 1 : 0);
  }
  for (const [page, text] of Object.entries(referencePages())) {
    writeFileSync(join(REPO, page), text);
    console.log(`wrote ${page}`);
  }
}
