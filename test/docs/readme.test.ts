/**
 * The README stays the short front page: at most about 200 lines, the two commands a clone
 * needs, and a layout section that names the repository's real folders.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, trackedPaths } from "../helpers/tracked-files";

const README = readFileSync(join(REPO, "README.md"), "utf8");
const tracked = trackedPaths();
/** The folders holding tracked files directly under `dir` ("" for the root), dot folders left out. */
const foldersUnder = (dir: string) =>
  [...new Set(tracked.filter((f) => f.startsWith(dir) && f.slice(dir.length).includes("/")).map((f) => f.slice(dir.length).split("/")[0]))].filter(
    (d) => !d.startsWith("."),
  );

describe("README.md", () => {
  it("is at most about 200 lines", () => {
    assert.ok(README.split("\n").length <= 210, `README.md has ${README.split("\n").length} lines: move the detail into docs/`);
  });

  it("states the two commands, and npm test", () => {
    for (const command of ["npm install", "npm run demo", "npm test"]) assert.ok(README.includes(command), command);
  });

  describe("its layout section", () => {
    const layout = README.split("\n## Layout\n")[1]?.split("\n## ")[0] ?? "";

    it("names every top-level folder and every folder of provider/", () => {
      for (const folder of foldersUnder("")) assert.ok(layout.includes(`\`${folder}/\``), `the layout names ${folder}/`);
      for (const folder of foldersUnder("provider/")) assert.ok(layout.includes(`\`${folder}/\``), `the layout names provider/${folder}/`);
    });

    it("names only folders and files that exist", () => {
      const named = [...layout.matchAll(/`([\w.-]+\/?)`/g)].map(([, name]) => name).filter((name) => /\/$|\.(ts|js|json|ya?ml|md)$/.test(name));
      // A folder or file of that name anywhere in the tree: the layout names `space/` under provider/.
      const exists = (name: string) => existsSync(join(REPO, name)) || tracked.some((f) => `/${f}`.includes(`/${name}`));
      assert.deepEqual(
        named.filter((name) => !exists(name)),
        [],
      );
    });
  });
});
