/**
 * The product's code stays within the formatter's width: Biome (biome.jsonc lineWidth) breaks code
 * but never a string or a comment, so a long message is joined with `+` at a clause boundary and
 * a long comment wrapped by hand. Tests are left out: their expected error texts stay whole.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, trackedPaths } from "../helpers/tracked-files";

const WIDTH = 160;
const PRODUCT = /^(provider|sdk|commands|emulator|scripts|bench)\/.*\.(ts|js)$/;

/** `file:line: N characters` for each line of a product file over the width. */
function overWidth(files: string[], read: (file: string) => string): string[] {
  return files.flatMap((file) =>
    read(file)
      .split("\n")
      .flatMap((line, i) => ([...line].length > WIDTH ? [`${file}:${i + 1}: ${[...line].length} characters`] : [])),
  );
}

describe("line width of the product's code", () => {
  it(`keeps every line of provider/, sdk/, commands/, emulator/, scripts/ and bench/ within ${WIDTH} characters`, () => {
    const files = trackedPaths().filter((f) => PRODUCT.test(f));
    assert.ok(files.length > 100, `found ${files.length} product files`);
    assert.deepEqual(
      overWidth(files, (f) => readFileSync(join(REPO, f), "utf8")),
      [],
    );
  });

  it("counts characters, not bytes, and names the file and line", () => {
    const text = `ok\n${"≤".repeat(WIDTH)}\n${"x".repeat(WIDTH + 1)}`;
    assert.deepEqual(
      overWidth(["provider/x.ts"], () => text),
      [`provider/x.ts:3: ${WIDTH + 1} characters`],
    );
  });
});
