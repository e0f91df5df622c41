/**
 * The relative links and `#anchors` of Markdown files, and whether each resolves: a file or
 * folder that exists, and for a Markdown target an anchor that one of its headings (or an
 * `<a id>`/`<a name>`) makes, the way GitHub renders them. External links (`https:`,
 * `mailto:`, ...) are not followed: nothing here reaches the network.
 *
 * GitHub's heading anchors (the rule github-slugger implements, github.com/Flet/github-slugger):
 * the heading's text, lower-cased, with every character that is not a letter, mark, number,
 * connector punctuation (`_`), space or hyphen removed, spaces made hyphens; a heading whose
 * anchor is already taken gets `-1`, `-2`, ... in order.
 *
 *   npx ts-node scripts/markdown-links.ts [FILE.md ...]   # prints every broken link; exit 1 if any
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** One link of a Markdown file. */
export interface MarkdownLink {
  /** As written: `docs/x.md#part`, `#part`, `../emulator/`. */
  readonly target: string;
  /** 1-based line of the file it is on. */
  readonly line: number;
}

/** A link that does not resolve, and why. */
export interface BrokenLink extends MarkdownLink {
  /** The Markdown file the link is in, relative to the root given to {@link checkLinks}. */
  readonly file: string;
  readonly reason: string;
}

/** A heading's anchor without the duplicate suffix, as github-slugger's `slug` makes it. */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** `markdown` with its fenced code blocks blanked out (their lines kept, so line numbers hold). */
function withoutCodeBlocks(markdown: string): string[] {
  const lines = markdown.split("\n");
  let fence: string | undefined;
  return lines.map((line) => {
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === undefined) {
      if (open) fence = open[1];
      return open ? "" : line;
    }
    if (open && open[1][0] === fence[0] && open[1].length >= fence.length && line.trim() === open[1]) fence = undefined;
    return "";
  });
}

/** A line with its code spans blanked out: a link-like text in code is no link. */
const withoutCodeSpans = (line: string) => line.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, (span) => " ".repeat(span.length));

/** The text a heading renders: links by their text, images and HTML tags left out. */
function headingText(raw: string): string {
  return raw
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, "$1")
    .replace(/<[^>]+>/g, "")
    .replace(/\s+#+\s*$/, "")
    .trim();
}

/** A line that continues a paragraph, so that a `---` or `===` under it makes it a setext heading. */
const isParagraphLine = (line: string) => line.trim() !== "" && !/^ {0,3}([-*+>|#]|\d+[.)]\s)/.test(line);

/** Every anchor a Markdown text defines: its headings' (ATX and setext) and its HTML `id`s and `name`s. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  // github-slugger's occurrences: a taken anchor gets the next free `-n` of its base.
  const occurrences = new Map<string, number>();
  const addHeading = (text: string) => {
    const base = slug(headingText(text));
    let anchor = base;
    while (occurrences.has(anchor)) {
      const n = (occurrences.get(base) ?? 0) + 1;
      occurrences.set(base, n);
      anchor = `${base}-${n}`;
    }
    occurrences.set(anchor, 0);
    anchors.add(anchor);
  };
  const lines = withoutCodeBlocks(markdown);
  lines.forEach((line, i) => {
    const atx = /^ {0,3}#{1,6}(?:\s+(.*))?$/.exec(line);
    if (atx) addHeading(atx[1] ?? "");
    else if (/^ {0,3}(=+|-+)\s*$/.test(line) && i > 0 && isParagraphLine(lines[i - 1])) addHeading(lines[i - 1]);
    for (const [, id] of line.matchAll(/<a\s+(?:[^>]*\s)?(?:id|name)="([^"]+)"/g)) anchors.add(id);
  });
  return anchors;
}

/** Every link of a Markdown text: inline links and images, reference definitions, HTML `href`s and `src`s; none in code. */
export function linksOf(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  withoutCodeBlocks(markdown).forEach((raw, i) => {
    const line = withoutCodeSpans(raw);
    const add = (target: string) => links.push({ target: target.replace(/^<(.*)>$/, "$1"), line: i + 1 });
    // [text](target "title"): the target ends at whitespace or the closing parenthesis (balanced once).
    for (const [, target] of line.matchAll(/\]\(\s*(<[^>]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+"[^"]*")?\s*\)/g)) add(target);
    const definition = /^ {0,3}\[[^\]]+\]:\s*(\S+)/.exec(line);
    if (definition) add(definition[1]);
    for (const [, target] of line.matchAll(/\b(?:href|src)="([^"]*)"/g)) add(target);
  });
  return links;
}

/** Whether a link leaves the repository: a URL with a scheme (`https:`, `mailto:`) or a protocol-relative one. */
const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//");

/**
 * The links of `files` (paths relative to `root`) that do not resolve: a relative target that
 * does not exist, an anchor no heading of its Markdown file makes, or an anchor on a file that
 * is not Markdown (line anchors break with every edit).
 */
export function checkLinks(root: string, files: readonly string[]): BrokenLink[] {
  const texts = new Map<string, string>();
  const read = (path: string) => {
    if (!texts.has(path)) texts.set(path, readFileSync(path, "utf8"));
    return texts.get(path)!;
  };
  const anchors = new Map<string, Set<string>>();
  const anchorsIn = (path: string) => {
    if (!anchors.has(path)) anchors.set(path, anchorsOf(read(path)));
    return anchors.get(path)!;
  };
  const broken: BrokenLink[] = [];
  for (const file of files) {
    const path = resolve(root, file);
    for (const link of linksOf(read(path))) {
      const fail = (reason: string) => broken.push({ ...link, file, reason });
      if (link.target === "" || isExternal(link.target)) continue;
      const hash = link.target.indexOf("#");
      const pathPart = decodeURI(hash < 0 ? link.target : link.target.slice(0, hash)).replace(/\?.*$/, "");
      const anchor = hash < 0 ? undefined : decodeURIComponent(link.target.slice(hash + 1));
      const target = pathPart === "" ? path : pathPart.startsWith("/") ? join(root, pathPart) : resolve(dirname(path), pathPart);
      if (!existsSync(target)) {
        fail(`${relative(root, target)} does not exist`);
        continue;
      }
      if (anchor === undefined) continue;
      if (statSync(target).isDirectory() || !/\.md$/i.test(target)) {
        fail(`an anchor on ${relative(root, target) || "."}, which is not a Markdown file`);
        continue;
      }
      if (!anchorsIn(target).has(anchor)) fail(`${relative(root, target)} has no heading whose anchor is #${anchor}`);
    }
  }
  return broken;
}

/** The Markdown files git tracks under `root` (node_modules and other untracked files left out). */
export function trackedMarkdown(root: string): string[] {
  return execFileSync("git", ["ls-files", "-z", "--", "*.md", "*.MD"], { cwd: root, encoding: "utf8" })
    .split("\0")
    .filter((f) => f !== "");
}

if (require.main === module) {
  const root = join(__dirname, "..");
  const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => relative(root, resolve(f))) : trackedMarkdown(root);
  const broken = checkLinks(root, files);
  for (const b of broken) console.error(`${b.file}:${b.line}: ${b.target}: ${b.reason}`);
  console.log(`${files.length} Markdown files, ${broken.length} broken links`);
  process.exit(broken.length > 0 ? 1 : 0);
}
