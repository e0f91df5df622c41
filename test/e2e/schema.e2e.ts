/**
 * The plugin's schema as the real Pulumi CLI reads it: `pulumi schema check` binds it (the
 * JSON-schema metaschema, then every type reference, token and language section) offline.
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
