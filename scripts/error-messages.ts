/**
 * Every message text the provider can raise, found in its source with the TypeScript compiler
 * API, so that a test can check that docs/troubleshooting.md has an entry for each:
 * - the text given to an error's constructor (`new Error(...)`, `new SettingError(...)`, any
 *   class named `...Error`, `...Failure`, `...Refused`, `...Unreadable`, `...Unknown`), where
 *   it is thrown;
 * - the reason of a check failure (`fail(property, reason)` or `failures.fail(property, reason)`, or an object's `reason:`), which a
 *   preview prints as `property P value V has a problem: REASON`;
 * - the texts of the functions and tables that word a refusal or its advice for a thrower
 *   elsewhere ({@link MESSAGE_BUILDERS}).
 *
 * A message is a template: the parts written in the source, with `${...}` between them. Its
 * `fragment` is its longest written part, which an entry of the troubleshooting page quotes.
 *
 *   npx ts-node scripts/error-messages.ts     # lists every message, with where it is raised
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import * as ts from "typescript";

const REPO = join(__dirname, "..");

/** The folders whose messages reach users: the providers (both servings) and the SDK. */
export const MESSAGE_ROOTS = ["provider", "sdk"];

/**
 * Functions and tables (by file and name) that word a message a thrower elsewhere raises: every
 * text in them is part of a message. A name no longer found fails the scan, so that the list
 * follows a rename.
 */
export const MESSAGE_BUILDERS: Record<string, readonly string[]> = {
  "provider/core/errors.ts": [
    "membershipAdvice",
    "TOKEN_SERVICES",
    "CHAT_API_SERVICE",
    "noAnswerAdvice",
    "tokenAdvice",
    "refusalAdvice",
    "projectSetupAdvice",
    "apiAdvice",
  ],
  "provider/core/configured-provider.ts": ["notVisible"],
  "provider/core/admin-access-reach.ts": ["beyondAdminAccess"],
  "provider/space/provider.ts": ["NOT_VISIBLE", "BEYOND_ADMIN_ACCESS"],
  "provider/membership/provider.ts": ["NOT_VISIBLE", "APP_OUT_OF_ADMIN_REACH"],
  "provider/members/member-provider.ts": ["BEYOND_ADMIN_ACCESS", "SPACE_DELETED", "spaceDeleted"],
  "provider/core/caller-identity.ts": ["missingEmailScope"],
  "provider/core/google-auth.ts": ["NO_CREDENTIALS", "iamRefusal", "unreadableSubjectToken"],
  "provider/core/retry.ts": ["RetryDeadlineExceeded"],
  "provider/space-members/plan.ts": ["lastOwnerRefusal"],
  "provider/space-members/provider.ts": ["addFailure"],
  "provider/space/check.ts": ["NEEDS_USER_AUTH", "NOT_IN_IMPORT_MODE"],
  "provider/core/unseen-characters.ts": ["notAccepted", "unknownName", "described"],
  "provider/members/check.ts": ["SPACE", "USER", "GROUP_NAME", "CHAT_APP", "ROLE", "MEMBER_ENTRY"],
  "provider/membership/check.ts": ["TIME"],
  "provider/space-members/check.ts": ["MODE"],
};

/** Texts shorter than this (a separator, a status name) say nothing on their own. */
const MIN_FRAGMENT = 16;

const ERROR_CLASS = /^(Error|[A-Z]\w*(Error|Failure|Refused|Unreadable|Unknown))$/;

export interface ErrorMessage {
  /** Where it is raised, relative to the repository. */
  readonly file: string;
  readonly line: number;
  /** The message as written, `${...}` shown as `…`. */
  readonly template: string;
  /** Its longest written part. */
  readonly fragment: string;
}

/** The written parts of a text expression (a literal, a template, a `+` of them, either side of a `?:`), each run of adjacent parts joined. */
function writtenParts(node: ts.Expression): string[][] {
  if (ts.isParenthesizedExpression(node)) return writtenParts(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [[node.text]];
  if (ts.isTemplateExpression(node)) return [[node.head.text, ...node.templateSpans.flatMap((s) => ["\u0000", s.literal.text])]];
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const [left, right] = [writtenParts(node.left), writtenParts(node.right)];
    if (left.length === 1 && right.length === 1) return [[...left[0], ...right[0]]];
    return [...left, ...right];
  }
  if (ts.isConditionalExpression(node)) return [...writtenParts(node.whenTrue), ...writtenParts(node.whenFalse)];
  return [];
}

/** A message from its written parts (`\u0000` marks a `${...}`). */
function messageOf(parts: readonly string[]): { template: string; fragment: string } {
  const template = parts.map((p) => (p === "\u0000" ? "…" : p)).join("");
  const fragment = template
    .split("…")
    .map((p) => p.replace(/\s+/g, " ").trim())
    .reduce((a, b) => (b.length > a.length ? b : a), "");
  return { template: template.replace(/\s+/g, " ").trim(), fragment };
}

const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/** Whether a literal is a value compared with, not a text shown. */
function isCompared(node: ts.Node): boolean {
  const parent = node.parent;
  return (ts.isBinaryExpression(parent) && EQUALITY.has(parent.operatorToken.kind)) || ts.isCaseClause(parent);
}

/** The text expressions of a node that are messages: maximal ones, not inside another's `+` or template. */
function textExpressions(node: ts.Node): ts.Expression[] {
  const found: ts.Expression[] = [];
  const visit = (n: ts.Node) => {
    // A value compared with (`status === "ALREADY_EXISTS"`, a `case`) is no message.
    if (isCompared(n)) return;
    if (
      ts.isStringLiteral(n) ||
      ts.isNoSubstitutionTemplateLiteral(n) ||
      ts.isTemplateExpression(n) ||
      (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.PlusToken)
    ) {
      if (writtenParts(n as ts.Expression).length > 0) {
        found.push(n as ts.Expression);
        // A template's or a sum's own parts are this message; texts inside its `${...}` are not.
        return;
      }
    }
    // Property names, imports and type positions hold no message.
    if (ts.isImportDeclaration(n) || ts.isTypeNode(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** Every message the provider can raise, in file order. */
export function errorMessages(root = REPO): ErrorMessage[] {
  const messages: ErrorMessage[] = [];
  const builders = new Map(Object.entries(MESSAGE_BUILDERS).map(([file, names]) => [file, new Set(names)]));
  const builtFound = new Set<string>();
  for (const path of MESSAGE_ROOTS.flatMap((r) => tsFiles(join(root, r)))) {
    const file = relative(root, path);
    const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.ES2022, true);
    const add = (expression: ts.Expression) => {
      for (const parts of writtenParts(expression)) {
        const { template, fragment } = messageOf(parts);
        if (fragment.length < MIN_FRAGMENT) continue;
        const line = source.getLineAndCharacterOfPosition(expression.getStart()).line + 1;
        messages.push({ file, line, template, fragment });
      }
    };
    const mine = builders.get(file);
    const visit = (node: ts.Node) => {
      const name =
        (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name
          ? node.name.text
          : ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)
            ? node.name.text
            : ts.isMethodDeclaration(node) && ts.isIdentifier(node.name)
              ? node.name.text
              : undefined;
      if (name && mine?.has(name)) {
        builtFound.add(`${file} ${name}`);
        textExpressions(node).forEach(add);
        return;
      }
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && ERROR_CLASS.test(node.expression.text)) {
        for (const arg of node.arguments ?? []) textExpressions(arg).forEach(add);
      }
      if (ts.isCallExpression(node) && calleeName(node.expression) === "fail" && node.arguments.length === 2) {
        textExpressions(node.arguments[1]).forEach(add);
      }
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === "reason") {
        textExpressions(node.initializer).forEach(add);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  const missing = Object.entries(MESSAGE_BUILDERS).flatMap(([file, names]) => names.filter((n) => !builtFound.has(`${file} ${n}`)).map((n) => `${file} ${n}`));
  if (missing.length > 0) throw new Error(`error-messages: no such message builder: ${missing.join(", ")}.`);
  // The same text raised in two places is one message.
  const seen = new Set<string>();
  return messages.filter((m) => !seen.has(m.fragment) && seen.add(m.fragment));
}

/** The name a call is made by: `fail` for `fail(...)` and for `failures.fail(...)`. */
const calleeName = (callee: ts.Expression): string | undefined =>
  ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;

/** Markdown as the troubleshooting page is compared: whitespace collapsed, backslash escapes and `&lt;`/`&gt;` undone. */
export const comparable = (text: string) =>
  text
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, "$1")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ");

if (require.main === module) {
  for (const m of errorMessages()) console.log(`${m.file}:${m.line}\n  ${m.template}\n`);
}
