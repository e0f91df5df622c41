/** What `npm run build` and `npm run package` leave for a user of this checkout. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO = join(__dirname, "../..");
const { bin } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { bin: Record<string, string> };

describe("npm run build and npm run package", () => {
  it("leaves every command package.json's bin names executable, after a rebuild too (an example's npx pulumi-googlechat links to it)", () => {
    const cli = join(REPO, bin["pulumi-googlechat"]);
    const before = statSync(cli).mode;
    try {
      chmodSync(cli, 0o644); // what tsc writes
      execFileSync(process.execPath, [join(REPO, "scripts/executable-bins.js")]);
      for (const [name, file] of Object.entries(bin)) assert.equal(statSync(join(REPO, file)).mode & 0o111, 0o111, `${name} (${file})`);
    } finally {
      chmodSync(cli, before | 0o111);
    }
  });

  it("packs into a folder that does not exist yet, making it", function () {
    this.timeout(120_000);
    const scratch = mkdtempSync(join(tmpdir(), "pack-test-"));
    try {
      const destination = join(scratch, "not", "there");
      const printed = execFileSync(process.execPath, [join(REPO, "scripts/pack.js"), destination], { encoding: "utf8" }).trim();
      assert.match(printed, /^\/.*\/not\/there\/pulumi-googlechat-[\d.]+\.tgz$/);
      assert.ok(existsSync(printed), printed);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
