/**
 * The plugin's schema as the real Pulumi CLI reads it: `pulumi schema check` binds it (the
 * JSON-schema metaschema, then every type reference, token and language section) offline, and
 * `pulumi package get-schema` decodes it into the engine's own PackageSpec.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SCHEMA_FILE } from "../../scripts/gen-schema";
import { useEngine } from "./harness";

describe("e2e: the plugin's schema under pulumi schema check", () => {
  before(useEngine);

  const check = (file: string) =>
    spawnSync("pulumi", ["schema", "check", file], {
      encoding: "utf8",
      env: { ...process.env, PULUMI_HOME: mkdtempSync(join(tmpdir(), "schema-check-")) },
    });

  it("passes with no error or warning", () => {
    const result = check(SCHEMA_FILE);
    assert.equal(result.status, 0, result.stderr + result.stdout);
    assert.equal((result.stderr + result.stdout).trim(), "");
  });

  // get-schema decodes a schema file into the engine's PackageSpec and prints it again
  // (cmd/pulumi/packages/packages.go SchemaFromSchemaSource): a key the engine does not know would be dropped.
  it("reads back unchanged through pulumi package get-schema: every key is one of the engine's PackageSpec", () => {
    const result = spawnSync("pulumi", ["package", "get-schema", SCHEMA_FILE], {
      encoding: "utf8",
      env: { ...process.env, PULUMI_HOME: mkdtempSync(join(tmpdir(), "schema-get-")) },
    });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), JSON.parse(readFileSync(SCHEMA_FILE, "utf8")));
  });

  it("fails a type reference the schema does not define, so a pass means something", () => {
    const broken = JSON.parse(readFileSync(SCHEMA_FILE, "utf8"));
    broken.resources["googlechat:index:Space"].inputProperties.spaceType.$ref = "#/types/googlechat:index:Nope";
    const file = join(mkdtempSync(join(tmpdir(), "schema-broken-")), "schema.json");
    writeFileSync(file, JSON.stringify(broken));
    const result = check(file);
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /type googlechat:index:Nope not found in package googlechat/);
  });
});
