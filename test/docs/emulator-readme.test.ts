/** emulator/README.md's settings table names every setting of the emulated organisation once, with its default. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_SETTINGS } from "../../emulator/model";

const README = readFileSync(join(__dirname, "../../emulator/README.md"), "utf8");

describe("emulator/README.md", () => {
  const section = README.split("\n## Settings\n")[1]?.split("\n## ")[0] ?? "";
  const rows = section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => line.split("|").map((cell) => cell.trim()));

  it("its settings table has a row for each setting of model.ts WorldSettings, and no other", () => {
    assert.deepEqual(rows.map((row) => row[1].replace(/`/g, "")).sort(), Object.keys(DEFAULT_SETTINGS).sort());
  });

  it("each scalar setting's default is DEFAULT_SETTINGS'", () => {
    for (const row of rows) {
      const value = DEFAULT_SETTINGS[row[1].replace(/`/g, "") as keyof typeof DEFAULT_SETTINGS];
      if (typeof value === "object") continue;
      assert.equal(row[2].replace(/`/g, ""), String(value), row[1]);
    }
  });
});
