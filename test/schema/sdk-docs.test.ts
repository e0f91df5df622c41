/**
 * Each argument and output of the TypeScript SDK is the contract's property, with the contract's
 * doc comment (provider/<kind>/types.ts, which the schema is generated from too): what an editor
 * shows on `new ChatSpace(..., { displayName })` is the declaration in the provider's types, so
 * a comment is written once. The SDK's own declarations are only its `space` arguments (a
 * ChatSpace or its id, which the schema's string can't say).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as ts from "typescript";
import { RESOURCES, type ResourceKind } from "../../provider/tokens";
import { type PackageSpec, SCHEMA_FILE } from "../../scripts/gen-schema";

const REPO = join(__dirname, "../..");
const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as PackageSpec;

/** Each resource's SDK file, its class and its args interface. */
const SDK: Record<ResourceKind, { readonly file: string; readonly resource: string; readonly args: string }> = {
  space: { file: "sdk/chat-space.ts", resource: "ChatSpace", args: "ChatSpaceArgs" },
  membership: { file: "sdk/chat-membership.ts", resource: "ChatMembership", args: "ChatMembershipArgs" },
  roster: { file: "sdk/chat-space-members.ts", resource: "ChatSpaceMembers", args: "ChatSpaceMembersArgs" },
};

/** The SDK's own arguments, declared in the SDK file: the space, which takes a ChatSpace too. */
const SDK_OWN_ARGS = ["space"];

describe("the SDK's arguments and outputs are the contract's properties, with its doc comments", function () {
  // One TypeScript program over the SDK: a few seconds.
  this.timeout(120_000);

  let program: ts.Program;
  let checker: ts.TypeChecker;
  before(() => {
    program = ts.createProgram(
      Object.values(SDK).map((s) => join(REPO, s.file)),
      { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, skipLibCheck: true, noEmit: true, esModuleInterop: true },
    );
    checker = program.getTypeChecker();
  });

  /** Each property of an exported type of an SDK file: where it is declared, and its doc comment. */
  function propertiesOf(file: string, name: string): { name: string; declaredIn: string; doc: string }[] {
    const module = checker.getSymbolAtLocation(program.getSourceFile(join(REPO, file))!)!;
    const symbol = checker.getExportsOfModule(module).find((s) => s.name === name);
    assert.ok(symbol, `${file} exports no ${name}`);
    // The class's instance type, or the interface; Pulumi's own properties (id, urn) left out.
    return checker
      .getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))
      .filter((p) => p.declarations?.length && !p.declarations[0].getSourceFile().fileName.includes("/node_modules/"))
      .map((p) => ({
        name: p.name,
        declaredIn: relative(REPO, p.declarations![0].getSourceFile().fileName),
        doc: ts.displayPartsToString(p.getDocumentationComment(checker)).trim(),
      }));
  }

  for (const [kind, { file, resource, args }] of Object.entries(SDK) as [ResourceKind, (typeof SDK)[ResourceKind]][]) {
    const token = RESOURCES[kind].plugin;
    const contractFile = `provider/${kind === "roster" ? "space-members" : kind}/types.ts`;

    it(`${args}: the schema's input properties of ${token}, each declared and documented in ${contractFile}, but space`, () => {
      const properties = propertiesOf(file, args);
      assert.deepEqual(properties.map((p) => p.name).sort(), Object.keys(schema.resources[token].inputProperties).sort());
      for (const p of properties) {
        assert.equal(p.declaredIn, SDK_OWN_ARGS.includes(p.name) ? file : contractFile, `${args}.${p.name}`);
        assert.notEqual(p.doc, "", `${args}.${p.name} has no doc comment`);
      }
    });

    it(`${resource}'s output properties: the schema's properties of ${token}, each declared and documented in ${contractFile}`, () => {
      const properties = propertiesOf(file, resource);
      assert.deepEqual(properties.map((p) => p.name).sort(), Object.keys(schema.resources[token].properties).sort());
      for (const p of properties) {
        assert.equal(p.declaredIn, contractFile, `${resource}.${p.name}`);
        assert.notEqual(p.doc, "", `${resource}.${p.name} has no doc comment`);
      }
    });
  }
});
