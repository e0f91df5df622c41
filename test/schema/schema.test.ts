import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { SCHEMA_FILE, schemaText } from "../../scripts/gen-schema";

describe("the plugin's schema (provider/plugin/schema.json)", function () {
  // One TypeScript program over the contract types: a few seconds.
  this.timeout(120_000);

  it("is what the contract types generate: npm run gen-schema after changing them", () => {
    const fresh = schemaText();
    const committed = readFileSync(SCHEMA_FILE, "utf8");
    assert.ok(committed === fresh, `${relative(process.cwd(), SCHEMA_FILE)} differs from a fresh generation: run npm run gen-schema and commit the result.`);
  });
});
