/**
 * The provider's layout is its architecture: the shared foundations (core/) import no resource;
 * the member vocabulary (members/) imports only the foundations; each resource's folder imports
 * only those two, never a sibling resource. Only the servings (plugin/, index.ts) bring the
 * resources together.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const PROVIDER = join(__dirname, "../../provider");

/** The provider folders each folder may import from, besides its own. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  core: [],
  members: ["core"],
  membership: ["core", "members"],
  space: ["core"],
  "space-members": ["core", "members"],
};

/** The provider folders `folder`'s TypeScript files import from (`../{folder}/…`), by file. */
function importsOf(folder: string): { file: string; from: string }[] {
  return readdirSync(join(PROVIDER, folder))
    .filter((file) => file.endsWith(".ts"))
    .flatMap((file) =>
      [...readFileSync(join(PROVIDER, folder, file), "utf8").matchAll(/from "\.\.\/([\w-]+)(?:\/[^"]*)?"/g)].map(([, from]) => ({
        file: `${folder}/${file}`,
        from,
      })),
    );
}

describe("provider: the layout of its folders", () => {
  it("names every folder of provider/ but the servings' (plugin/)", () => {
    const folders = readdirSync(PROVIDER, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== "plugin")
      .map((entry) => entry.name)
      .sort();
    assert.deepEqual(folders, Object.keys(MAY_IMPORT).sort());
  });

  for (const [folder, allowed] of Object.entries(MAY_IMPORT)) {
    it(`${folder}/ imports ${allowed.length ? `only ${allowed.map((f) => `${f}/`).join(" and ")}` : "no other folder of provider/"}`, () => {
      const outside = importsOf(folder).filter(({ from }) => !allowed.includes(from));
      assert.deepEqual(
        outside.map(({ file, from }) => `${file} imports ${from}/`),
        [],
      );
    });
  }
});
