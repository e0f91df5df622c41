/**
 * Generates the package schema of the provider plugin `pulumi-resource-googlechat`
 * (provider/plugin/schema.json, which the plugin serves through GetSchema) from the provider's
 * own contract types, with the TypeScript compiler API:
 *
 *   npm run gen-schema           # writes provider/plugin/schema.json
 *   npm run gen-schema -- --check  # exits 1 when the committed file differs from a fresh generation
 *
 * Where each part comes from (nothing is restated here):
 * - resources: each kind of provider/tokens.ts RESOURCES, from its `<Name>Contract` interface in
 *   the kind's types.ts: the interface's doc comment is the resource's description, its
 *   `inputs` and `outputs` members' types the input and output properties, with their doc
 *   comments (`@default`, `@example` rendered into the description), their optionality
 *   (required inputs and outputs), and their types: strings, booleans, numbers, arrays, maps
 *   (`Record<string, T>`), named interfaces as object types and string-literal unions named by a
 *   type alias as enums (a value's description is the alias comment's bullet "- `VALUE`: text"),
 *   both under `types`, named after the TypeScript name (an `Args` suffix dropped).
 *   `__`-prefixed and `@internal` properties are bookkeeping and left out.
 * - `willReplaceOnChanges` on the input properties every change of which replaces the resource:
 *   the provider's replace rules, provider/space/identity.ts (ALWAYS_REPLACED: REPLACE_ONLY less
 *   the fields Google also changes in place), provider/membership/identity.ts (REPLACING_INPUTS,
 *   from MEMBERSHIP_IDENTITY) and provider/space-members/types.ts (ROSTER_IDENTITY). It is
 *   documentation only ("indicates that the provider will replace the resource when this
 *   property is changed", pulumi/pulumi pkg/codegen/schema/schema.go PropertySpec); never
 *   `replaceOnChanges`, which generated SDKs pass as the resource option of that name (codegen
 *   nodejs/gen.go), under which the engine replaces for any change the diff reports in the
 *   property, one the provider makes in place too (pkg/resource/deploy/step_generator.go
 *   applyReplaceOnChanges): the diff stays the one home of what replaces.
 * - the function getSpace: provider/space/lookup.ts, `lookupSpace`'s doc comment and its
 *   `SpaceLookupArgs` and `SpaceLookupResult` types.
 * - the configuration (`config.variables`) and the explicit provider's inputs: the
 *   GoogleChatConfig interface of provider/core/settings.ts, and its CONFIG_KEYS table
 *   (environment variable, default, secret), which resolveSettings reads too.
 *
 * `@default` values go into descriptions only, never into the schema's `default`: generated SDKs
 * send a schema default for an argument left out, and a left-out argument is not managed here
 * (an adopted space with external users would be replaced for a `false` sent in its name), and a
 * config default sent by an explicit provider would hide the key's environment variable.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as ts from "typescript";
import { CONFIG_KEYS, type ConfigKeySpec } from "../provider/core/settings";
import { REPLACING_INPUTS } from "../provider/membership/identity";
import { ALWAYS_REPLACED } from "../provider/space/identity";
import { ROSTER_IDENTITY } from "../provider/space-members/types";
import { FUNCTIONS, PACKAGE, RESOURCES, type ResourceKind } from "../provider/tokens";

const REPO = join(__dirname, "..");

/** The file the plugin serves, and the tests compare with a fresh generation. */
export const SCHEMA_FILE = join(REPO, "provider/plugin/schema.json");

/** Where each resource's contract is, and which of its inputs replace it when changed. */
const CONTRACTS: Record<ResourceKind, { readonly file: string; readonly contract: string; readonly replacing: readonly string[] }> = {
  space: { file: "provider/space/types.ts", contract: "ChatSpaceContract", replacing: ALWAYS_REPLACED },
  membership: { file: "provider/membership/types.ts", contract: "ChatMembershipContract", replacing: REPLACING_INPUTS },
  roster: { file: "provider/space-members/types.ts", contract: "ChatSpaceMembersContract", replacing: ROSTER_IDENTITY },
};

const LOOKUP_FILE = "provider/space/lookup.ts";
const SETTINGS_FILE = "provider/core/settings.ts";

/** What the schema takes from this package's package.json. */
interface Manifest {
  version: string;
  license: string;
  keywords: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/**
 * How each language's SDK is named and built (read by the code generators of pulumi/pulumi
 * pkg/codegen/<language>, importer.go). Go: the module path of the repository's
 * `sdk/go/googlechat`, in Pulumi's `github.com/<owner>/pulumi-<package>/sdk/go/<package>` layout
 * (no major-version suffix below 2.0). Node.js: a scoped name, since `pulumi-googlechat` is this
 * package (the dynamic provider's SDK); the same @pulumi/pulumi and TypeScript as this package,
 * so that a program holding both installs one @pulumi/pulumi (resources register with the one
 * runtime the program loads). Python: Pulumi's `pulumi_<package>`, with a pyproject.toml. .NET:
 * a root namespace of its own, not `Pulumi` (Pulumi's own packages').
 */
function languages(manifest: Manifest) {
  return {
    csharp: { rootNamespace: "PulumiGoogleChat", namespaces: { [PACKAGE]: "GoogleChat" }, respectSchemaVersion: true },
    go: {
      importBasePath: `github.com/pulumi-googlechat/pulumi-googlechat/sdk/go/${PACKAGE}`,
      generateResourceContainerTypes: true,
      respectSchemaVersion: true,
    },
    nodejs: {
      packageName: `@pulumi-googlechat/${PACKAGE}`,
      dependencies: { "@pulumi/pulumi": manifest.dependencies["@pulumi/pulumi"] },
      typescriptVersion: manifest.devDependencies.typescript,
      respectSchemaVersion: true,
    },
    python: { packageName: `pulumi_${PACKAGE}`, pyproject: { enabled: true }, respectSchemaVersion: true },
  };
}

// The parts of Pulumi's package schema this package uses (pulumi/pulumi pkg/codegen/schema/schema.go, PackageSpec).
export interface TypeRef {
  type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
  $ref?: string;
  items?: TypeRef;
  additionalProperties?: TypeRef;
}
export interface PropertySpec extends TypeRef {
  description?: string;
  secret?: boolean;
  willReplaceOnChanges?: boolean;
}
export interface ObjectSpec {
  description?: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
}
export interface ComplexTypeSpec {
  type: "object" | "string";
  description?: string;
  properties?: Record<string, PropertySpec>;
  required?: string[];
  enum?: { value: string; description?: string }[];
}
export interface ResourceSpec {
  description?: string;
  inputProperties: Record<string, PropertySpec>;
  requiredInputs?: string[];
  properties: Record<string, PropertySpec>;
  required?: string[];
}
export interface PackageSpec {
  name: string;
  displayName: string;
  version: string;
  description: string;
  keywords: string[];
  license: string;
  config: { variables: Record<string, PropertySpec> };
  provider: ResourceSpec;
  resources: Record<string, ResourceSpec>;
  functions: Record<string, { description?: string; inputs: ObjectSpec; outputs: ObjectSpec }>;
  types: Record<string, ComplexTypeSpec>;
  language: ReturnType<typeof languages>;
}

/** The schema, generated afresh. */
export function generateSchema(): PackageSpec {
  const files = [...Object.values(CONTRACTS).map((c) => c.file), LOOKUP_FILE, SETTINGS_FILE].map((f) => join(REPO, f));
  const program = ts.createProgram(files, { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, skipLibCheck: true, noEmit: true });
  const errors = ts.getPreEmitDiagnostics(program);
  if (errors.length > 0) throw new Error(`gen-schema: the contract types do not compile:\n${ts.formatDiagnosticsWithColorAndContext(errors, host())}`);
  const gen = new Generator(program.getTypeChecker());
  const source = (file: string) => program.getSourceFile(join(REPO, file))!;

  const resources: PackageSpec["resources"] = {};
  for (const kind of Object.keys(RESOURCES) as ResourceKind[]) {
    const { file, contract, replacing } = CONTRACTS[kind];
    const where = `${file} ${contract}`;
    const symbol = gen.exported(source(file), contract);
    const members = gen.checker.getDeclaredTypeOfSymbol(symbol);
    const member = (name: string) => {
      const prop = members.getProperty(name);
      if (!prop) throw new Error(`gen-schema: ${where} has no \`${name}\` member.`);
      return gen.declaredType(prop);
    };
    const inputs = gen.object(member("inputs").type, `${where}.inputs`);
    const outputs = gen.object(member("outputs").type, `${where}.outputs`, inputs);
    for (const name of replacing) {
      if (!inputs.properties[name]) throw new Error(`gen-schema: ${name} replaces a ${kind} but is no input of ${where}.`);
      inputs.properties[name].willReplaceOnChanges = true;
    }
    resources[RESOURCES[kind].plugin] = {
      description: gen.description(symbol),
      inputProperties: inputs.properties,
      ...(inputs.required ? { requiredInputs: inputs.required } : {}),
      properties: outputs.properties,
      ...(outputs.required ? { required: outputs.required } : {}),
    };
  }

  const lookup = source(LOOKUP_FILE);
  const functions: PackageSpec["functions"] = {
    [FUNCTIONS.getSpace]: {
      description: gen.description(gen.exported(lookup, "lookupSpace")),
      inputs: gen.object(gen.checker.getDeclaredTypeOfSymbol(gen.exported(lookup, "SpaceLookupArgs")), `${LOOKUP_FILE} SpaceLookupArgs`),
      outputs: gen.object(
        gen.checker.getDeclaredTypeOfSymbol(gen.exported(lookup, "SpaceLookupResult")),
        `${LOOKUP_FILE} SpaceLookupResult`,
        resources[RESOURCES.space.plugin] && { properties: resources[RESOURCES.space.plugin].properties },
      ),
    },
  };

  const configSymbol = gen.exported(source(SETTINGS_FILE), "GoogleChatConfig");
  const config = gen.object(gen.checker.getDeclaredTypeOfSymbol(configSymbol), `${SETTINGS_FILE} GoogleChatConfig`);
  const keys = CONFIG_KEYS as Record<string, ConfigKeySpec<unknown>>;
  for (const [key, spec] of Object.entries(config.properties)) {
    const source = keys[key];
    if (!source) throw new Error(`gen-schema: googlechat:${key} is not in ${SETTINGS_FILE} CONFIG_KEYS.`);
    const notes = [
      source.default !== undefined ? `Default: \`${source.default}\`.` : undefined,
      source.env !== undefined ? `Environment: \`${source.env}\`.` : undefined,
    ].filter((n) => n !== undefined);
    if (notes.length > 0) spec.description = [spec.description, notes.join(" ")].filter(Boolean).join("\n\n");
    if (source.secret) spec.secret = true;
  }

  const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as Manifest;
  return {
    name: PACKAGE,
    displayName: "Google Chat",
    version: pkg.version,
    description: "Google Chat spaces, their members and their settings, as code.",
    keywords: [...pkg.keywords, "category/utility"],
    license: pkg.license,
    config: { variables: config.properties },
    provider: {
      description: `The provider of Google Chat resources. Its arguments are the \`${PACKAGE}:\` configuration's keys.`,
      inputProperties: config.properties,
      properties: config.properties,
    },
    resources,
    functions,
    types: Object.fromEntries(Object.entries(gen.types).sort(([a], [b]) => a.localeCompare(b))),
    language: languages(pkg),
  };
}

/** The schema as the committed file holds it. */
export function schemaText(): string {
  return `${JSON.stringify(generateSchema(), null, 2)}\n`;
}

/** TypeScript types to schema types, collecting the object and enum types met on the way. */
class Generator {
  readonly types: Record<string, ComplexTypeSpec> = {};

  constructor(readonly checker: ts.TypeChecker) {}

  exported(file: ts.SourceFile, name: string): ts.Symbol {
    const symbol = this.checker.getExportsOfModule(this.checker.getSymbolAtLocation(file)!).find((s) => s.name === name);
    if (!symbol) throw new Error(`gen-schema: ${relative(REPO, file.fileName)} exports no ${name}.`);
    return symbol;
  }

  /** A property's type as written (without the `undefined` an optional property adds), and its type node. */
  declaredType(symbol: ts.Symbol): { type: ts.Type; node?: ts.TypeNode } {
    const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
    const node = decl && ts.isPropertySignature(decl) ? decl.type : undefined;
    const type = node ? this.checker.getTypeFromTypeNode(node) : this.checker.getTypeOfSymbol(symbol);
    return { type: this.checker.getNonNullableType(type), node };
  }

  /**
   * The properties of an object type, bookkeeping left out; `where` names it in errors. A
   * property with no doc comment of its own takes the one of its namesake in `fallback` (an
   * output, the input's).
   */
  object(type: ts.Type, where: string, fallback?: ObjectSpec): ObjectSpec {
    const properties: Record<string, PropertySpec> = {};
    const required: string[] = [];
    for (const symbol of inDeclarationOrder(this.checker.getPropertiesOfType(type))) {
      if (symbol.name.startsWith("__") || symbol.getJsDocTags(this.checker).some((t) => t.name === "internal")) continue;
      const { type: propertyType, node } = this.declaredType(symbol);
      const spec: PropertySpec = { ...this.typeRef(propertyType, `${where}.${symbol.name}`, node) };
      const description = this.description(symbol) ?? fallback?.properties[symbol.name]?.description;
      if (description) spec.description = description;
      properties[symbol.name] = spec;
      if (!(symbol.flags & ts.SymbolFlags.Optional)) required.push(symbol.name);
    }
    return { properties, ...(required.length > 0 ? { required } : {}) };
  }

  /** The schema type of a TypeScript type; `node`, where known, is how it is written (the name of an alias). */
  typeRef(type: ts.Type, where: string, node?: ts.TypeNode): TypeRef {
    const { checker } = this;
    while (node && (ts.isTypeOperatorNode(node) || ts.isParenthesizedTypeNode(node))) node = node.type;
    if (type.flags & ts.TypeFlags.String) return { type: "string" };
    if (type.flags & ts.TypeFlags.Number) return { type: "number" };
    if (type.flags & ts.TypeFlags.Boolean || type.flags & ts.TypeFlags.BooleanLiteral) return { type: "boolean" };
    if (type.isUnion() && type.types.every((t) => t.isStringLiteral())) return this.enumRef(type, where);
    if (checker.isArrayType(type)) {
      const element = node && ts.isArrayTypeNode(node) ? node.elementType : undefined;
      return { type: "array", items: this.typeRef(checker.getTypeArguments(type as ts.TypeReference)[0], `${where}[]`, element) };
    }
    if (type.aliasSymbol && ["Required", "Readonly", "Partial"].includes(type.aliasSymbol.name) && type.aliasTypeArguments?.length === 1) {
      return this.typeRef(type.aliasTypeArguments[0], where);
    }
    const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
    if (index && checker.getPropertiesOfType(type).length === 0) return { type: "object", additionalProperties: this.typeRef(index.type, `${where}[key]`) };
    if (type.flags & ts.TypeFlags.Object) {
      // An alias of an interface names the type as the contract writes it (RosterMemberState).
      const written = node && ts.isTypeReferenceNode(node) ? checker.getSymbolAtLocation(node.typeName) : undefined;
      const symbol = written && written.flags & ts.SymbolFlags.TypeAlias ? written : (type.aliasSymbol ?? type.getSymbol());
      if (!symbol || symbol.name.startsWith("__"))
        throw new Error(`gen-schema: ${where} has an unnamed object type: name it (an interface), the schema needs a type token.`);
      return this.objectRef(type, symbol);
    }
    throw new Error(`gen-schema: ${where} has a type the schema can't say: ${checker.typeToString(type)}.`);
  }

  private token(name: string): string {
    return `${PACKAGE}:index:${name.replace(/Args$/, "")}`;
  }

  private objectRef(type: ts.Type, symbol: ts.Symbol): TypeRef {
    const token = this.token(symbol.name);
    if (!this.types[token]) {
      this.types[token] = { type: "object" }; // before the properties: a type may refer to itself
      const { properties, required } = this.object(type, symbol.name);
      const description = this.description(symbol);
      this.types[token] = { type: "object", ...(description ? { description } : {}), properties, ...(required ? { required } : {}) };
    }
    return { $ref: `#/types/${token}` };
  }

  private enumRef(type: ts.UnionType, where: string): TypeRef {
    const alias = type.aliasSymbol;
    if (!alias) throw new Error(`gen-schema: ${where} is a union of strings without a name: declare it as a type alias, the schema needs a type token.`);
    const token = this.token(alias.name);
    if (!this.types[token]) {
      const { text, bullets } = splitBullets(this.rawDescription(alias));
      // In the order the alias lists them (the checker's union is in its own order).
      const declaration = alias.declarations?.find(ts.isTypeAliasDeclaration);
      const written = declaration && ts.isUnionTypeNode(declaration.type) ? declaration.type.types : [];
      const order = written.map((n) => (ts.isLiteralTypeNode(n) && ts.isStringLiteral(n.literal) ? n.literal.text : ""));
      const values = type.types.map((t) => (t as ts.StringLiteralType).value).sort((a, b) => order.indexOf(a) - order.indexOf(b));
      this.types[token] = {
        type: "string",
        ...(text ? { description: text } : {}),
        enum: values.map((value) => ({ value, ...(bullets[value] ? { description: bullets[value] } : {}) })),
      };
    }
    return { $ref: `#/types/${token}` };
  }

  /** A symbol's doc comment as written, `{@link}`s as code. */
  rawDescription(symbol: ts.Symbol): string {
    return ts
      .displayPartsToString(symbol.getDocumentationComment(this.checker))
      .replace(/\{@link(?:code|plain)?\s+([^}|\s]+)\s*(?:\|\s*([^}]*?)\s*)?\}/g, (_, target: string, label?: string) => label || `\`${target}\``)
      .trim();
  }

  /** A symbol's doc comment, paragraphs unwrapped, with its `@default` and `@example` tags as sentences. */
  description(symbol: ts.Symbol): string | undefined {
    const text = unwrap(this.rawDescription(symbol));
    const notes: string[] = [];
    for (const tag of symbol.getJsDocTags(this.checker)) {
      const value = ts.displayPartsToString(tag.text).trim();
      if (tag.name === "default") notes.push(`Default: ${literal(value)}.`);
      if (tag.name === "example" && !value.includes("\n")) notes.push(`Example: ${literal(value)}.`);
    }
    const all = [text, notes.join(" ")].filter(Boolean).join("\n\n");
    return all || undefined;
  }
}

/**
 * Properties in the order their declarations are written: an intersection (`WithRequired`) lists
 * its parts' properties part by part. Each file's properties stay together, in the order the
 * files first come.
 */
function inDeclarationOrder(symbols: readonly ts.Symbol[]): ts.Symbol[] {
  const where = (s: ts.Symbol) => s.declarations?.[0];
  const files = [...new Set(symbols.map((s) => where(s)?.getSourceFile().fileName))];
  const key = (s: ts.Symbol) => [files.indexOf(where(s)?.getSourceFile().fileName), where(s)?.pos ?? 0];
  return [...symbols].sort((a, b) => key(a)[0]! - key(b)[0]! || key(a)[1]! - key(b)[1]!);
}

/**
 * Text with its hard line breaks removed: each paragraph one line, each list item one line (a
 * line that begins with "- " starts an item; an indented line continues it).
 */
function unwrap(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) =>
      paragraph.split("\n").reduce((out, line, i) => (i === 0 ? line.trim() : /^\s*- /.test(line) ? `${out}\n${line.trim()}` : `${out} ${line.trim()}`), ""),
    )
    .join("\n\n");
}

/** A value as code: a JSON string as its text, anything else as written. */
function literal(value: string): string {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed === "string") return `\`${parsed}\``;
  } catch {
    // not JSON: as written
  }
  return `\`${value}\``;
}

/**
 * An enum comment as the type's description (its bullets kept: the text around them reads as
 * one), and each bullet "- `VALUE`: description" by value, for the enum value's own description.
 */
function splitBullets(doc: string): { text: string; bullets: Record<string, string> } {
  const bullets: Record<string, string> = {};
  let current: string | undefined;
  for (const line of doc.split("\n")) {
    const bullet = /^- `([^`]+)`: (.*)$/.exec(line.trim());
    if (bullet) {
      current = bullet[1];
      bullets[current] = bullet[2];
    } else if (current !== undefined && /^\s+\S/.test(line)) {
      bullets[current] += ` ${line.trim()}`;
    } else {
      current = undefined;
    }
  }
  // Each a sentence of its own: "- `ROLE_MEMBER`: a member." describes ROLE_MEMBER as "A member."
  for (const [value, text] of Object.entries(bullets)) bullets[value] = text.charAt(0).toUpperCase() + text.slice(1);
  return { text: unwrap(doc.trim()), bullets };
}

function host(): ts.FormatDiagnosticsHost {
  return { getCanonicalFileName: (f) => f, getCurrentDirectory: () => REPO, getNewLine: () => "\n" };
}

if (require.main === module) {
  const fresh = schemaText();
  if (process.argv.includes("--check")) {
    const committed = readFileSync(SCHEMA_FILE, "utf8");
    if (committed !== fresh) {
      console.error(`${relative(REPO, SCHEMA_FILE)} is not what the contract types generate: run npm run gen-schema.`);
      process.exit(1);
    }
  } else {
    writeFileSync(SCHEMA_FILE, fresh);
    console.log(`wrote ${relative(REPO, SCHEMA_FILE)}`);
  }
}
