/**
 * Every relative link and `#anchor` of the repository's Markdown resolves (scripts/markdown-links.ts),
 * and the checker itself finds what it must: GitHub's anchors, duplicates, code left alone.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { anchorsOf, checkLinks, linksOf, slug, trackedMarkdown } from "../../scripts/markdown-links";

const REPO = join(__dirname, "../..");

describe("Markdown links", () => {
  it("every relative link and anchor of the tracked Markdown files resolves", () => {
    const files = trackedMarkdown(REPO);
    for (const required of ["README.md", "CONTRIBUTING.md", "emulator/README.md", "test/fuzz/README.md", "docs/README.md", "examples/yaml/README.md"]) {
      assert.ok(files.includes(required), `${required} is checked`);
    }
    const broken = checkLinks(REPO, files).map((b) => `${b.file}:${b.line}: ${b.target}: ${b.reason}`);
    assert.deepEqual(broken, []);
  });

  describe("the checker (scripts/markdown-links.ts)", () => {
    it("makes GitHub's anchors: lower case, punctuation dropped, spaces as hyphens, letters of any script kept", () => {
      assert.equal(slug("The `pulumi` CLI against the emulator"), "the-pulumi-cli-against-the-emulator");
      assert.equal(slug("Quotas, retries, and an interrupted `pulumi up`"), "quotas-retries-and-an-interrupted-pulumi-up");
      assert.equal(slug("Last step: `npx pulumi-googlechat doctor`"), "last-step-npx-pulumi-googlechat-doctor");
      assert.equal(slug("snake_case and Straße, Инженеры"), "snake_case-and-straße-инженеры");
      assert.equal(slug("ChatSpace / Space"), "chatspace--space");
    });

    it("numbers a repeated heading's anchor, and takes links and HTML ids as anchors too", () => {
      const anchors = anchorsOf('# A\n\n## Memberships\n\n### Memberships\n\nText\n---\n\n<a id="here"></a>\n\n## [Linked](x.md) heading\n');
      assert.deepEqual([...anchors].sort(), ["a", "here", "linked-heading", "memberships", "memberships-1", "text"]);
    });

    it("reads no heading or link inside code", () => {
      const text = "```md\n# Not a heading\n[no](missing.md)\n```\n\nUse `[no](missing.md)` and [yes](real.md).\n";
      assert.deepEqual([...anchorsOf(text)], []);
      assert.deepEqual(linksOf(text), [{ target: "real.md", line: 6 }]);
    });

    it("finds inline links with titles, reference definitions and HTML hrefs", () => {
      const text = '[a](docs/a.md "A") ![i](img.png)\n[ref]: ../b.md#part\n<a href="c/">c</a> [ext](https://example.com)\n';
      assert.deepEqual(
        linksOf(text).map((l) => l.target),
        ["docs/a.md", "img.png", "../b.md#part", "https://example.com", "c/"],
      );
    });

    it("reports a missing file, a missing anchor and an anchor on a file that is not Markdown; external links are not followed", () => {
      const root = mkdtempSync(join(tmpdir(), "links-"));
      mkdirSync(join(root, "docs"));
      writeFileSync(join(root, "docs/guide.md"), "# Guide\n\n## Set-up\n");
      writeFileSync(join(root, "code.ts"), "");
      writeFileSync(
        join(root, "README.md"),
        [
          "[ok](docs/guide.md#set-up)",
          "[ok](#readme)",
          "[gone](docs/none.md)",
          "[bad](docs/guide.md#setup)",
          "[line](code.ts#L1)",
          "[web](https://example.com/x#y)",
          "# Readme",
        ].join("\n"),
      );
      assert.deepEqual(
        checkLinks(root, ["README.md"]).map((b) => [b.line, b.reason]),
        [
          [3, "docs/none.md does not exist"],
          [4, "docs/guide.md has no heading whose anchor is #setup"],
          [5, "an anchor on code.ts, which is not a Markdown file"],
        ],
      );
    });
  });
});
