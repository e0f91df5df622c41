/**
 * `npx pulumi-googlechat doctor [options]`: checks, before a first `pulumi up`, that what the
 * stack needs of Google works: the credentials and who they act as, each hop of a keyless chain,
 * the scopes of every operation the stack's resources make (with domain-wide delegation or app
 * authentication, a token with the least scope of each; with a user's own credentials, a scope
 * Google accepts for each call in the token tokeninfo describes), the Chat API reached with one
 * read, with app authentication the administrator's approval of the app (one read with an app
 * scope), and with admin access the administrator's privilege. One line per check, with the fix;
 * zero writes; exit 0 when all the stack needs works, 1 otherwise.
 *
 * It reads the settings a program's provider would get: the selected stack's `googlechat:` config
 * (`pulumi config`) in the folder, under `-c` flags, over the environment (provider-settings.ts).
 */
import { parseArgs } from "node:util";
import { JWT } from "google-auth-library";
import { CallerUnknown, GCLOUD_ADC_SCOPES } from "../../provider/core/caller-identity";
import { acceptedScopes, ChatSpacesApi, leastScope } from "../../provider/core/chat-api";
import { adviceFor, ChatApiError, outcome, projectSetupAdvice } from "../../provider/core/errors";
import { createAuthClient, DELEGATION_CONSOLE, isKeyless } from "../../provider/core/google-auth";
import { identityOf, type ProviderSettings } from "../../provider/core/settings";
import { searchQuery } from "../../provider/space/search";
import type { CommandIo } from "../io";
import { commandSettings, configFlags, readStackConfig } from "../provider-settings";
import { failedHop, type Hop, hopsOf } from "./chain";
import { ADD_THE_APP, appMembershipRefusal, callsLacking, type StackOperation, scopesUsed, shortScope, stackOperations } from "./operations";
import { asJson, type Finding, healthy, line } from "./report";
import { probeScopes, type ScopeProbe, userTokenInfo } from "./tokens";

const USAGE = `usage: pulumi-googlechat doctor [options]

Checks what the stack needs of Google, without changing anything: the credentials and who they
act as, each hop of a keyless chain, the scopes of each operation (create spaces, memberships,
delete, add the calling app, import mode, admin access), the Chat API reached with one read, with
app authentication the administrator's approval of the app, and with googlechat:useAdminAccess
the administrator's privilege. One line per check, with the fix.

  --json                  print the checks as JSON
  --import-mode           the stack creates import-mode spaces: their scope (chat.import) is required
  --chat-app              the stack adds the calling Chat app as a member (chatApp: true): its
                          scope (chat.memberships.app, or chat.memberships) is required
  --cwd DIR               the Pulumi project folder whose selected stack's config is read (default: .)
  -c, --config googlechat:KEY=VALUE
                          a provider setting, over the stack's config; the environment
                          (GOOGLE_APPLICATION_CREDENTIALS, GOOGLECHAT_*) supplies the rest

Exit codes: 0 everything the stack needs works, 1 something does not (each FAIL line says what
to do), 2 bad arguments. Progress goes to standard error.
`;

interface Options {
  json: boolean;
  importMode: boolean;
  chatApp: boolean;
  cwd: string;
  config: Map<string, string>;
}

export async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  let options: Options;
  try {
    const { values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        help: { type: "boolean", short: "h" },
        json: { type: "boolean" },
        "import-mode": { type: "boolean" },
        "chat-app": { type: "boolean" },
        cwd: { type: "string" },
        config: { type: "string", short: "c", multiple: true },
      },
    });
    if (values.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    options = {
      json: values.json === true,
      importMode: values["import-mode"] === true,
      chatApp: values["chat-app"] === true,
      cwd: values.cwd ?? process.cwd(),
      config: configFlags(values.config ?? []),
    };
  } catch (error) {
    io.stderr.write(`pulumi-googlechat doctor: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const progress = (message: string) => io.stderr.write(`doctor: ${message}\n`);
  const findings: Finding[] = [];
  const report = (finding: Finding) => {
    findings.push(finding);
    if (!options.json) io.stdout.write(`${line(finding)}\n`);
  };

  progress(`reading the stack's config in ${options.cwd}`);
  const stack = await readStackConfig(options.cwd, io.env);
  let settings: ProviderSettings | undefined;
  try {
    settings = commandSettings(options.config, io.env, stack.stack === undefined ? undefined : stack.config);
  } catch (error) {
    report({
      check: "settings",
      status: "fail",
      message: (error as Error).message,
      fix: "correct the setting it names (pulumi config set googlechat:KEY VALUE, or -c googlechat:KEY=VALUE).",
    });
  }
  if (settings) {
    report({
      check: "settings",
      status: "ok",
      message:
        stack.stack !== undefined
          ? `the stack ${stack.stack}'s config (pulumi config)${options.config.size > 0 ? " under -c flags" : ""}, then the environment`
          : `-c flags and the environment (${stack.reason})`,
    });
    await diagnose(settings, options, report, progress);
  }
  if (options.json) io.stdout.write(asJson(findings));
  return healthy(findings) ? 0 : 1;
}

/** Every check after the settings, reported in order. */
async function diagnose(settings: ProviderSettings, options: Options, report: (f: Finding) => void, progress: (m: string) => void): Promise<void> {
  // ADC's order (settings.ts): googlechat:credentials, GOOGLE_APPLICATION_CREDENTIALS, gcloud's ADC file, the metadata server.
  const found = settings.credentials ? identityOf(settings.credentials).describe : "the metadata server's service account";
  report({ check: "credentials", status: "ok", message: `${found}, from ${settings.credentialsSource}` });
  const appRefusal = options.chatApp ? appMembershipRefusal(settings) : undefined;
  if (appRefusal) report({ check: ADD_THE_APP, status: "fail", ...appRefusal });

  const operations = stackOperations(settings, options);
  const scopes = [...new Set(operations.flatMap((o) => o.scopes))];
  const hops = isKeyless(settings) ? hopsOf(settings) : [];
  const ownUser = settings.auth === "user" && !settings.impersonateUser;
  // One Chat client for every check: its auth clients keep the token each scope was had for.
  const api = new ChatSpacesApi(settings, {
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    log: progress,
  });

  let user = settings.impersonateUser;
  let held: string[] | undefined;
  if (ownUser) {
    progress("asking for a token and what it holds (tokeninfo)");
    let info: { scopes: string[]; email?: string } | undefined;
    try {
      info = await userTokenInfo(settings, api, scopes[0]);
    } catch (error) {
      reportChain(hops, error, report);
      report({ check: "acts as", status: "skip", message: "a user's own credentials (no token was had)" });
      return skipOperations(operations, report);
    }
    reportChain(hops, undefined, report);
    user = info.email;
    if (info.email) report({ check: "acts as", status: "ok", message: `${info.email} with their own credentials (user authentication)` });
    else await reportUnknownCaller(api, report);
    held = info.scopes;
    reportUserScopes(settings, operations, held, report);
  } else if (settings.selfSignedJwt && !settings.impersonateUser && settings.credentials?.type === "service_account") {
    report({
      check: "acts as",
      status: "ok",
      message: `the Chat app, as ${serviceAccountOf(settings, hops)} (app authentication, self-signed JWTs: no token request)`,
    });
    for (const o of operations)
      report({ check: o.name, status: "ok", message: `${o.scopes.map(shortScope).join(", ")}: signed locally, no token request to check` });
  } else {
    const probe = await probeScopes(settings, api, scopes, (scope) => progress(`asking for a token with ${shortScope(scope)}`));
    reportChain(hops, probe.chainError, report, probe);
    const sa = serviceAccountOf(settings, hops);
    report({
      check: "acts as",
      status: probe.chainError ? "skip" : "ok",
      message: settings.impersonateUser
        ? `the user ${settings.impersonateUser} through domain-wide delegation by ${sa} (user authentication)`
        : `the Chat app, as ${sa} (app authentication)`,
    });
    if (probe.chainError) return skipOperations(operations, report);
    reportProbedScopes(operations, probe, report);
    if (settings.impersonateUser) reportDelegation(settings, operations, probe, sa, report);
  }
  await reportChatApi(settings, api, { user, held }, report, progress);
}

/**
 * A user's own token without the email scope: the provider can't tell the caller, whom memberships
 * never remove or demote, and refuses them; its refusal (caller-identity.ts) says how to sign in.
 */
async function reportUnknownCaller(api: ChatSpacesApi, report: (f: Finding) => void): Promise<void> {
  try {
    const email = await api.callerEmail();
    report({ check: "acts as", status: "ok", message: `${email} with their own credentials (user authentication)` });
  } catch (error) {
    if (!(error instanceof CallerUnknown)) throw error;
    report({ check: "acts as", status: "fail", message: "a user whose token carries no email: memberships need to know the caller", fix: error.message });
  }
}

/** The service account the calls act as or delegate from, as far as the clients and the configuration tell. */
function serviceAccountOf(settings: ProviderSettings, hops: readonly Hop[]): string {
  if (settings.impersonateServiceAccount) return settings.impersonateServiceAccount;
  const client = settings.credentials?.type === "service_account" ? createAuthClient({ credentials: settings.credentials, scopes: [] }) : undefined;
  if (client instanceof JWT && client.email) return client.email;
  return [...hops].reverse().find((h) => h.serviceAccount && h.kind === "impersonation")?.serviceAccount ?? identityOf(settings.credentials).describe;
}

/** One line per hop of a keyless chain: those before the refusal worked, the refused one says what is missing, the rest were not reached. */
function reportChain(hops: readonly Hop[], error: unknown, report: (f: Finding) => void, probe?: ScopeProbe): void {
  const failed = error === undefined ? undefined : failedHop(hops, error);
  if (error !== undefined && failed === undefined) {
    report({ check: "token", status: "fail", message: messageOf(error), fix: fixOf(error) });
  }
  hops.forEach((hop, i) => {
    const check = `chain ${i + 1}/${hops.length}`;
    if (failed !== undefined && i === failed) return report({ check, status: "fail", message: `${hop.label}: ${messageOf(error)}`, fix: fixOf(error) });
    if (error !== undefined && (failed === undefined || i > failed)) return report({ check, status: "skip", message: `${hop.label}: not reached` });
    // The delegation's exchange worked when any scope got a token; refusals of single scopes are reported with the scopes.
    if (hop.kind === "delegation" && probe && probe.granted.size === 0) {
      return report({ check, status: "fail", message: `${hop.label}: refused for every scope`, fix: "see the domain-wide delegation line below." });
    }
    report({ check, status: "ok", message: hop.label });
  });
}

/** A refusal in a line: what the service answered (its status and words), or the provider's own message. */
const messageOf = (error: unknown) =>
  error instanceof ChatApiError ? `${outcome(error)}: ${error.googleMessage}` : error instanceof Error ? error.message : String(error);

/** What to do about a refused token request: the provider's advice for its service, or the refusal's own words (which name the role or setting). */
const fixOf = (error: unknown) => (error instanceof ChatApiError ? adviceFor(error, "app") : undefined);

function skipOperations(operations: readonly StackOperation[], report: (f: Finding) => void): void {
  for (const o of operations) report({ check: o.name, status: "skip", message: `${o.scopes.map(shortScope).join(", ")}: not checked (no token could be had)` });
}

/**
 * Each operation against the scopes a user's own token holds: it passes when, for each call, the
 * token holds a scope Google accepts for the call's method (chat-api.ts acceptedScopes: the least
 * one or a broader one, as chat.spaces for spaces.create), since such a token carries every scope
 * the user consented to whichever the provider asks for. The fix signs in again with the least
 * scope of every operation the stack needs, and of the one that failed.
 */
function reportUserScopes(settings: ProviderSettings, operations: readonly StackOperation[], held: readonly string[], report: (f: Finding) => void): void {
  const needed = operations.filter((o) => o.required).flatMap((o) => o.scopes);
  const signIn = (o: StackOperation) => {
    const scopes = [...new Set([...GCLOUD_ADC_SCOPES, ...needed, ...o.scopes])].join(",");
    return settings.credentials?.type === "external_account_authorized_user"
      ? `gcloud auth application-default login --login-config=LOGIN_CONFIG_FILE --scopes=${scopes}`
      : `gcloud auth application-default login --client-id-file=client_secret.json --scopes=${scopes} (client_secret.json: your desktop OAuth client's)`;
  };
  for (const o of operations) {
    const lacking = callsLacking(o, held);
    if (lacking.length === 0) {
      report({ check: o.name, status: "ok", message: `${scopesUsed(o, held).map(shortScope).join(", ")}: held by the token (tokeninfo)` });
      continue;
    }
    const what = lacking.map((l) => `${listed(l.methods, "and")} (${listed(l.scopes.map(shortScope), "or")})`).join("; for ");
    report({
      check: o.name,
      status: o.required ? "fail" : "warn",
      message: `the token lacks a scope for ${what} (tokeninfo)`,
      fix: `sign in again consenting to the least scope of each call the stack makes: ${signIn(o)}`,
    });
  }
}

/** `a`, `a and b`, `a, b and c`. */
const listed = (items: readonly string[], word: "and" | "or") =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} ${word} ${items.at(-1)}`;

/** Each operation's scopes against the token requests' answers. */
function reportProbedScopes(operations: readonly StackOperation[], probe: ScopeProbe, report: (f: Finding) => void): void {
  for (const o of operations) {
    const refused = o.scopes.filter((s) => probe.refused.has(s));
    if (refused.length === 0) report({ check: o.name, status: "ok", message: `${o.scopes.map(shortScope).join(", ")}: a token granted for each` });
    else
      report({
        check: o.name,
        status: o.required ? "fail" : "warn",
        message: `no token for ${refused.map(shortScope).join(", ")} (token endpoint: unauthorized_client)`,
        fix: "authorise them for domain-wide delegation (the Admin console line below).",
      });
  }
}

/** The exact line to paste in the Admin console for the client ID: every scope the stack needs, and those already granted (pasting replaces the list). */
function reportDelegation(
  settings: ProviderSettings,
  operations: readonly StackOperation[],
  probe: ScopeProbe,
  serviceAccount: string,
  report: (f: Finding) => void,
): void {
  const key = settings.credentials?.type === "service_account" && !settings.impersonateServiceAccount ? settings.credentials.client_id : undefined;
  const client =
    typeof key === "string"
      ? `client ID ${key}`
      : `the client ID of ${serviceAccount} (gcloud iam service-accounts describe ${serviceAccount} --format='value(uniqueId)')`;
  const scopes = operations
    .flatMap((o) => o.scopes)
    .filter((s, i, all) => all.indexOf(s) === i && (operations.some((o) => o.required && o.scopes.includes(s)) || probe.granted.has(s)));
  const refused = [...probe.refused.keys()].filter((s) => scopes.includes(s));
  if (refused.length === 0) {
    // Scopes of operations the stack may not need (import mode) may still be refused: the line that adds them too.
    const every = [...new Set(operations.flatMap((o) => o.scopes))];
    const optional = every.some((s) => probe.refused.has(s))
      ? `; for the operations warned above too, set its OAuth scopes in ${DELEGATION_CONSOLE} to: ${every.join(",")}`
      : "";
    report({ check: "domain-wide delegation", status: "ok", message: `${client} is authorised for every scope the stack needs${optional}` });
    return;
  }
  report({
    check: "domain-wide delegation",
    status: "fail",
    message: `${client} is not authorised for ${refused.map(shortScope).join(", ")}`,
    fix: `in ${DELEGATION_CONSOLE}, set the OAuth scopes of ${client} to: ${scopes.join(",")}`,
  });
}

/**
 * One cheap read (a page of one of spaces.list); with app authentication one spaces.get with an
 * app scope, which shows whether an administrator approved the app; with admin access one page of
 * one of spaces.search. `caller.held`: the scopes of a user's own token, which name the one
 * Google took for spaces.list.
 */
async function reportChatApi(
  settings: ProviderSettings,
  api: ChatSpacesApi,
  caller: { user?: string; held?: readonly string[] },
  report: (f: Finding) => void,
  progress: (m: string) => void,
): Promise<void> {
  const least = leastScope(settings.auth, "list")!;
  const listScope = shortScope((caller.held && acceptedScopes(settings.auth, "list")!.find((s) => caller.held!.includes(s))) ?? least);
  progress(`reading one page of spaces.list (${listScope})`);
  let firstSpace: string | undefined;
  try {
    firstSpace = (await api.listSpaces({ pageSize: 1 })).spaces?.[0]?.name ?? undefined;
    report({ check: "chat api", status: "ok", message: `${settings.apiEndpoint} answered spaces.list (${listScope})` });
  } catch (error) {
    if (!(error instanceof ChatApiError)) throw error;
    if (error.tokenRequest && (error.googleStatus === "unauthorized_client" || error.googleStatus === "invalid_scope")) {
      report({ check: "chat api", status: "skip", message: `not checked: no token for ${listScope} (see above)` });
    } else {
      report({ check: "chat api", status: "fail", message: error.message, fix: projectSetupAdvice(error) ?? adviceFor(error, settings.auth) });
    }
    return;
  }
  if (settings.auth === "app") await reportAppApproval(api, firstSpace, report, progress);
  if (!settings.useAdminAccess) return;
  const who = caller.user ?? "the calling user";
  progress("reading one page of spaces.search with admin access");
  try {
    await api.searchSpaces({ query: searchQuery({ admin: true, spaceTypes: [], displayNames: [], historyStates: [], pageSize: 1 }), pageSize: 1 });
    report({ check: "admin privilege", status: "ok", message: `${who} searched the organisation's spaces with admin access` });
  } catch (error) {
    if (!(error instanceof ChatApiError)) throw error;
    const refused = error.httpStatus === 403 && !error.tokenRequest;
    report({
      check: "admin privilege",
      status: "fail",
      message: error.message,
      fix: refused
        ? `${who} is not a Workspace administrator with the "Manage Chat and spaces conversations" privilege: ` +
          "give them an admin role with it (Admin console > Account > Admin roles), or unset googlechat:useAdminAccess."
        : adviceFor(error, settings.auth),
    });
  }
}

/** The space the app-approval read asks for when the app is in none: well formed, and no space's name. */
const NO_SPACE = "spaces/AAAAAAAAAAA";

/** The chat.app.* scopes the provider asks for, which an administrator's approval of the app covers. */
const APP_SCOPES = ["create", "read", "delete", "memberCreate"] as const;

/**
 * Whether a Workspace administrator approved the Chat app for app authentication: the token
 * endpoint grants a service account a token for any chat.app.* scope, and spaces.list takes
 * chat.bot, which needs no approval (v1.d.ts spaces.list); only a call with a chat.app.* scope
 * meets the refusal (v1.d.ts: "App authentication with administrator approval"). One spaces.get
 * with chat.app.spaces: of a space the app is in, which answers 200 once approved; else of a
 * space no one has, which answers 404 once approved (Google checks the credentials and their
 * scopes before it looks the space up). 403: not approved.
 */
async function reportAppApproval(api: ChatSpacesApi, space: string | undefined, report: (f: Finding) => void, progress: (m: string) => void): Promise<void> {
  const scope = shortScope(leastScope("app", "read")!);
  const name = space ?? NO_SPACE;
  progress(`reading ${name} with ${scope} (the app's approval)`);
  try {
    await api.get(name);
    report({ check: "app approval", status: "ok", message: `the Chat app read ${name} with ${scope}: an administrator approved it for app authentication` });
  } catch (error) {
    if (!(error instanceof ChatApiError)) throw error;
    if (!space && error.httpStatus === 404 && !error.tokenRequest) {
      report({
        check: "app approval",
        status: "ok",
        message:
          `spaces.get with ${scope} reached the space lookup (404 for ${NO_SPACE}, which no space is): ` +
          "an administrator approved the Chat app for app authentication",
      });
      return;
    }
    const appScopes = APP_SCOPES.map((o) => shortScope(leastScope("app", o)!)).join(", ");
    report({
      check: "app approval",
      status: "fail",
      message: error.message,
      fix:
        error.httpStatus === 403 && !error.tokenRequest
          ? "a Workspace administrator must approve the Chat app for app authentication, " +
            `the chat.app.* scopes the provider asks for (${appScopes}): in the Admin console (Apps > Google Workspace Marketplace apps), ` +
            "or see https://support.google.com/a?p=chat-app-auth; or use user authentication (googlechat:impersonateUser)."
          : adviceFor(error, "app"),
    });
  }
}
