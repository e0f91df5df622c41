/**
 * `npx pulumi-googlechat import [options]`: finds existing spaces and writes what adopts them as
 * they are: the TypeScript program of the dynamic resources (`pulumi import` can't import into a
 * dynamic provider, pulumi/pulumi#16175, so the program declares `adoptSpace`), or the resources
 * file `pulumi import --file` takes for the provider plugin's types (file.ts). With
 * `--from-stack`, the import file that moves a stack of the dynamic resources to the plugin's
 * types, from its state (../migrate/stack-migration.ts), with no call to Google.
 *
 * It signs in as a program's provider would: the `googlechat:` settings from `--config` flags
 * and the environment (provider-settings.ts), and calls Google through the
 * provider's Chat client, with its retries and read quotas (provider/core/chat-api.ts).
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { ChatSpacesApi } from "../../provider/core/chat-api";
import { ChatApiError } from "../../provider/core/errors";
import { isRfc3339Time } from "../../provider/core/rfc3339";
import { displayNameTerm, SEARCH_ONLY, type SpaceFilter } from "../../provider/space/search";
import type { CommandIo } from "../io";
import { importFromStack } from "../migrate/from-stack";
import { commandSettings, configFlags } from "../provider-settings";
import { declareSpace, type SpaceDeclaration } from "./declaration";
import { importFileText, liveImportFile } from "./file";
import { notExpressed, renderProgram } from "./program";
import { ListingProgress } from "./progress";
import { readRosters } from "./roster";
import { findSpaces } from "./source";

const USAGE = `usage: pulumi-googlechat import [options]

Finds spaces and writes a TypeScript Pulumi program with one ChatSpace per space and its
roster (ChatSpaceMembers), adopting them as they are (pulumi up reads each space and each
roster once and writes nothing); or, with --format import-file, the resources file of
\`pulumi import --file\` for the provider plugin's googlechat:index:Space and SpaceMembers.

Where to look:
  --admin                 the organisation's spaces (spaces.search with admin access; needs a
                          Workspace administrator and the chat.admin.spaces.readonly scope).
                          Without it: the spaces the caller is a member of (spaces.list).
  --customer C            with --admin: customers/my_customer, the only value Google takes
  --space-type T          SPACE, GROUP_CHAT or DIRECT_MESSAGE; repeat for several (--admin: SPACE only)
With --admin only (Google's search fields):
  --display-name TEXT     display names with these words (word prefixes, any case); repeat: any of them
  --external-users B      true or false
  --history-state S       HISTORY_ON or HISTORY_OFF
  --created-after T, --created-before T, --active-after T, --active-before T
                          RFC 3339 times, such as 2024-01-01T00:00:00Z
Output:
  --format F              program (default): the TypeScript program; import-file: the JSON file of
                          \`pulumi import --file\` (the plugin reads each space and roster as it
                          imports it, so this lists no members)
  --dry-run               only count the spaces found; write nothing
  --skip-members          declare the spaces only, without their rosters (no member listing)
  --out FILE              write there (default: standard output)
  --page-size N           spaces per page (default 1000, Google's most)
From a stack of ChatSpace, ChatMembership and ChatSpaceMembers (docs/migrating-to-plugin.md):
  --from-stack            the import file that moves the stack's resources to the plugin's types,
                          from its state (pulumi stack export): no call to Google, no credentials
  --cwd DIR               the stack's Pulumi project folder (default: .)
  --stack NAME            that stack (default: the selected one)
Credentials (as the program's provider reads them):
  -c, --config googlechat:KEY=VALUE
                          a provider setting, as in \`pulumi config set\`; the environment
                          (GOOGLE_APPLICATION_CREDENTIALS, GOOGLECHAT_*) supplies the rest
`;

const TIME_FLAGS = {
  "created-after": "createdAfter",
  "created-before": "createdBefore",
  "active-after": "activeAfter",
  "active-before": "activeBefore",
} as const;

/** A mistake on the command line: usage is printed, exit code 2. */
class UsageError extends Error {}

export async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(argv);
  } catch (error) {
    io.stderr.write(`pulumi-googlechat import: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (options.fromStack) return importFromStack(options.fromStack, options.out, io);
  const settings = commandSettings(options.config, io.env);
  if (options.filter.admin && settings.auth === "app") {
    io.stderr.write(
      "pulumi-googlechat import: --admin needs a Workspace administrator (user authentication): set googlechat:impersonateUser, " +
        "or use authorized_user credentials.\n",
    );
    return 2;
  }
  const api = new ChatSpacesApi(settings, {
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    log: (message) => io.stderr.write(`${message}\n`),
  });
  const progress = new ListingProgress(io.stderr, "spaces");
  let spaces;
  try {
    spaces = await findSpaces(api, options.filter, progress);
  } catch (error) {
    if (!(error instanceof ChatApiError)) throw error;
    progress.finish();
    io.stderr.write(`pulumi-googlechat import: ${error.message.replace(/\.?$/, ".")} ${listingAdvice(error, options.filter.admin)}\n`);
    return 1;
  }
  if (options.dryRun) {
    io.stdout.write(`${spaces.length} spaces found\n`);
    return 0;
  }
  const now = Date.now();
  const declared = spaces.map((space) => declareSpace(space, { auth: settings.auth, now }));
  const adoptedSpaces = declared.filter((d) => d.declaration).map((d) => d.space);
  if (options.format === "import-file") return writeImportFile(declared, spaces.length, options, io);
  let rosters;
  if (!options.skipMembers) {
    const rosterProgress = new ListingProgress(io.stderr, "rosters");
    try {
      rosters = await readRosters(api, adoptedSpaces, options.filter.admin, settings.auth, rosterProgress);
    } catch (error) {
      if (!(error instanceof ChatApiError)) throw error;
      rosterProgress.finish();
      io.stderr.write(`pulumi-googlechat import: ${error.message.replace(/\.?$/, ".")} ${rosterAdvice(error, options.filter.admin)}\n`);
      return 1;
    }
  }
  const command = ["pulumi-googlechat import", ...headerArguments(argv)].join(" ");
  const program = renderProgram({ spaces: declared, command, rosters, adminAccess: options.filter.admin });
  if (options.out) writeFileSync(options.out, program);
  else io.stdout.write(program);
  const adopted = adoptedSpaces.length;
  const notes = notExpressed(declared, rosters);
  io.stderr.write(`${adopted} of ${spaces.length} spaces declared${options.out ? ` in ${options.out}` : ""}.\n`);
  if (notes.length > 0) io.stderr.write(`Not expressed (also listed at the end of the program):\n${notes.map((n) => `  ${n}\n`).join("")}`);
  return 0;
}

/**
 * The `pulumi import --file` resources of the declared spaces, and their rosters unless
 * `--skip-members`: the plugin lists each roster as it imports it, so nothing more is read here.
 */
function writeImportFile(declared: readonly SpaceDeclaration[], found: number, options: { skipMembers: boolean; out?: string }, io: CommandIo): number {
  const file = liveImportFile(declared, options.skipMembers);
  const text = importFileText(file);
  if (options.out) writeFileSync(options.out, text);
  else io.stdout.write(text);
  const adopted = declared.filter((d) => d.declaration).length;
  const notes = notExpressed(declared);
  io.stderr.write(`${adopted} of ${found} spaces to import${options.skipMembers ? "" : " with their rosters"}${options.out ? ` in ${options.out}` : ""}.\n`);
  if (notes.length > 0) io.stderr.write(`Not expressed:\n${notes.map((n) => `  ${n}\n`).join("")}`);
  io.stderr.write(
    `Next, in the plugin program's folder, with the stack's credentials: pulumi import --file ${options.out ?? "FILE"} (reads only, ` +
      "nothing written; what a roster could not express is printed there).\n",
  );
  return 0;
}

/** What to do when Google refused a page of the listing. */
function listingAdvice(error: ChatApiError, admin: boolean): string {
  if (error.httpStatus === 403 || error.httpStatus === 401) {
    return admin
      ? '--admin needs a Google Workspace administrator with the "manage Chat and spaces conversations" privilege, ' +
          "and the chat.admin.spaces.readonly scope (for a service account: authorised for its client id in the Admin console, " +
          "domain-wide delegation)."
      : "Listing your spaces needs the chat.spaces.readonly scope (user authentication), or chat.bot (a Chat app).";
  }
  if (error.httpStatus === 429) return "Google's read quota ran out: lower googlechat:spaceReadsPerMinute, and run the command again.";
  return "Run the command again; if it keeps failing, check googlechat:apiEndpoint and the credentials.";
}

/** What to do when Google refused a roster's listing. */
function rosterAdvice(error: ChatApiError, admin: boolean): string {
  if (error.httpStatus === 403 || error.httpStatus === 401) {
    return admin
      ? "Rosters with --admin need the chat.admin.memberships.readonly scope; or leave them out with --skip-members."
      : "Rosters need the chat.memberships.readonly scope; or leave them out with --skip-members.";
  }
  if (error.httpStatus === 429) return "Google's read quota ran out: lower googlechat:membershipReadsPerMinute, and run the command again.";
  return "Run the command again, or leave the rosters out with --skip-members.";
}

/**
 * The arguments as the program's header shows them: without `-c`/`--config` and their values (they
 * may hold credentials; `-cVALUE` too, as parseArgs takes it), each one that is not a plain word
 * quoted, with every line terminator escaped: the header is a `//` comment, and a display name
 * holding a newline or U+2028 would otherwise end it and put the rest in the program as code.
 */
export function headerArguments(argv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-c" || arg === "--config") i++;
    else if (arg.startsWith("--config=") || (arg.startsWith("-c") && !arg.startsWith("--"))) continue;
    else kept.push(/^[\w./:=@,+-]+$/.test(arg) ? arg : JSON.stringify(arg).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`));
  }
  return kept;
}

function parseOptions(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      help: { type: "boolean", short: "h" },
      admin: { type: "boolean" },
      customer: { type: "string" },
      "space-type": { type: "string", multiple: true },
      "display-name": { type: "string", multiple: true },
      "external-users": { type: "string" },
      "history-state": { type: "string", multiple: true },
      "created-after": { type: "string" },
      "created-before": { type: "string" },
      "active-after": { type: "string" },
      "active-before": { type: "string" },
      "dry-run": { type: "boolean" },
      "skip-members": { type: "boolean" },
      out: { type: "string" },
      "page-size": { type: "string" },
      config: { type: "string", short: "c", multiple: true },
      format: { type: "string" },
      "from-stack": { type: "boolean" },
      cwd: { type: "string" },
      stack: { type: "string" },
    },
  });
  const format = values.format ?? "program";
  if (format !== "program" && format !== "import-file") throw new UsageError(`--format takes program or import-file, not "${format}".`);
  const fromStack = values["from-stack"] === true;
  if (fromStack) {
    const others = Object.keys(values).filter((key) => !["from-stack", "cwd", "stack", "out", "format", "help"].includes(key));
    if (others.length > 0) throw new UsageError(`--from-stack reads the stack's state, not Google: it takes --cwd, --stack and --out, not --${others[0]}.`);
    if (format !== "import-file" && values.format !== undefined) throw new UsageError("--from-stack writes an import file: --format program does not apply.");
  } else if (values.cwd !== undefined || values.stack !== undefined) {
    throw new UsageError(`--${values.cwd !== undefined ? "cwd" : "stack"} goes with --from-stack.`);
  }
  const config = configFlags(values.config ?? []);
  const admin = values.admin === true;
  if (values.customer !== undefined && values.customer !== "customers/my_customer") {
    throw new UsageError(`--customer: Google's search takes customers/my_customer only (the administrator's own organisation), not "${values.customer}".`);
  }
  const spaceTypes = values["space-type"] ?? [];
  for (const type of spaceTypes) {
    const allowed = admin ? ["SPACE"] : ["SPACE", "GROUP_CHAT", "DIRECT_MESSAGE"];
    if (!allowed.includes(type))
      throw new UsageError(`--space-type ${type}: ${admin ? "with --admin, Google searches SPACE only" : `use ${allowed.join(", ")}`}.`);
  }
  for (const text of values["display-name"] ?? []) {
    if (displayNameTerm(text) === undefined)
      throw new UsageError(`--display-name ${JSON.stringify(text)}: it has no letter or digit, and Google matches display names by their words.`);
  }
  const external = values["external-users"];
  if (external !== undefined && external !== "true" && external !== "false") throw new UsageError(`--external-users takes true or false, not "${external}".`);
  const historyStates = values["history-state"] ?? [];
  for (const state of historyStates) {
    if (state !== "HISTORY_ON" && state !== "HISTORY_OFF") throw new UsageError(`--history-state takes HISTORY_ON or HISTORY_OFF, not "${state}".`);
  }
  const times: Partial<Record<(typeof TIME_FLAGS)[keyof typeof TIME_FLAGS], string>> = {};
  for (const [flag, key] of Object.entries(TIME_FLAGS)) {
    const value = values[flag as keyof typeof TIME_FLAGS];
    if (value === undefined) continue;
    if (!isRfc3339Time(value)) throw new UsageError(`--${flag} takes an RFC 3339 time such as 2024-01-01T00:00:00Z, not "${value}".`);
    times[key] = value;
  }
  const pageSize = values["page-size"] === undefined ? 1000 : Number(values["page-size"]);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000)
    throw new UsageError(`--page-size takes a whole number from 1 to 1000, not "${values["page-size"]}".`);
  const filter: SpaceFilter = {
    admin,
    spaceTypes,
    displayNames: values["display-name"] ?? [],
    ...(external !== undefined ? { externalUserAllowed: external === "true" } : {}),
    historyStates,
    ...times,
    pageSize,
  };
  if (!admin) {
    const used = SEARCH_ONLY.filter((key) => (Array.isArray(filter[key]) ? (filter[key] as unknown[]).length > 0 : filter[key] !== undefined));
    if (used.length > 0)
      throw new UsageError("--display-name, --external-users, --history-state and the time filters need --admin: spaces.list filters by space type only.");
  }
  return {
    help: values.help === true,
    filter,
    format,
    fromStack: fromStack ? { cwd: values.cwd ?? process.cwd(), ...(values.stack !== undefined ? { stack: values.stack } : {}) } : undefined,
    dryRun: values["dry-run"] === true,
    skipMembers: values["skip-members"] === true,
    out: values.out,
    config,
  };
}
