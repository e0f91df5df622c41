/**
 * `pulumi-googlechat doctor` against the emulator over HTTP, with the provider's own clients: the
 * default set-up passes with exact lines, a user's own token passes with any scope Google accepts
 * for each call, and each set-up failure Google can answer (a scope the Admin console did not
 * authorise, the Chat API not enabled, the Chat app not configured, a Chat app no administrator
 * approved, a user who is not an administrator with admin access, each hop of a keyless chain
 * refused) fails with the exact fix. The emulator's request log shows that the doctor writes nothing.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gcpMetadata } from "google-auth-library";
import { externalAccountCredentials, KeylessControl, TOKEN_CREATOR, WORKLOAD_IDENTITY_USER, type WorkloadIdentityProvider } from "../../emulator";
import type { LoggedRequest } from "../../emulator/control/request-log";
import { ChatSpacesApi } from "../../provider/core/chat-api";
import { resolveSettings } from "../../provider/core/settings";
import { runCli } from "../helpers/cli";
import { SCOPE, useEmulator } from "../helpers/emulator";
import { configuredProvider, emulatorConfig, logMark, sdkInputs } from "../helpers/provider";

/** Runs the CLI in this process; answers the exit code, what it printed, and its lines. */
async function runDoctorCli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const run = await runCli(argv, env);
  return { ...run, lines: run.out.trimEnd().split("\n") };
}

/** The Chat methods and OAuth endpoints that read: anything else in the log is a write. */
const READS = new Set([
  "oauth2.token",
  "oauth2.tokeninfo",
  "spaces.get",
  "spaces.list",
  "spaces.search",
  "sts.token",
  "iamcredentials.generateAccessToken",
  "iamcredentials.signJwt",
  "ci.oidcToken",
  "metadata.token",
  "metadata.get",
]);
const writesIn = (log: LoggedRequest[]) => log.filter((r) => !READS.has(r.rpc)).map((r) => `${r.method} ${r.path}`);

const DELEGATION_CONSOLE = "the Admin console (Security > Access and data control > API controls > Domain-wide delegation)";
/** The space the app-approval read asks for when the app is in none: no space has this name. */
const NO_SPACE = "spaces/AAAAAAAAAAA";
const APPROVAL_FIX =
  "a Workspace administrator must approve the Chat app for app authentication, the chat.app.* scopes the provider asks for (chat.app.spaces.create, chat.app.spaces, chat.app.delete, chat.app.memberships): " +
  "in the Admin console (Apps > Google Workspace Marketplace apps), or see https://support.google.com/a?p=chat-app-auth; or use user authentication (googlechat:impersonateUser).";
/** Every scope a stack of ChatSpaces and memberships takes as a delegated user, with admin access, in the doctor's order. */
const USER_SCOPES = ["chat.spaces.create", "chat.spaces.readonly", "chat.spaces", "chat.memberships", "chat.memberships.readonly", "chat.delete"];
const IMPORT_SCOPES = ["chat.import", "chat.spaces.readonly", "chat.memberships.readonly"];
const ADMIN_SCOPES = ["chat.admin.spaces.readonly", "chat.admin.spaces", "chat.admin.delete", "chat.admin.memberships", "chat.admin.memberships.readonly"];

describe("pulumi-googlechat doctor", () => {
  const t = useEmulator();
  const noProject = mkdtempSync(join(tmpdir(), "doctor-"));
  const endpoints = () => [
    "-c",
    `googlechat:apiEndpoint=${t.emulator.url}`,
    "-c",
    `googlechat:tokenEndpoint=${t.emulator.tokenUrl}`,
    "-c",
    `googlechat:iamCredentialsEndpoint=${t.emulator.iamUrl}`,
  ];
  /** A service account key acting as `user` through domain-wide delegation, with admin access when asked. */
  const delegated = (user = "admin@example.com", adminAccess = true) => [
    "--cwd",
    noProject,
    "-c",
    `googlechat:credentials=${JSON.stringify(t.serviceAccount)}`,
    ...endpoints(),
    "-c",
    `googlechat:impersonateUser=${user}`,
    ...(adminAccess ? ["-c", "googlechat:useAdminAccess=true"] : []),
  ];
  const settingsLine = `OK   settings: -c flags and the environment (no Pulumi project in ${noProject})`;
  const sa = () => t.serviceAccount.client_email;
  const client = () => `client ID ${t.serviceAccount.client_id}`;
  const allDelegated = [...new Set([...USER_SCOPES, ...IMPORT_SCOPES, ...ADMIN_SCOPES])];

  /** Where the doctor's requests start in the emulator's log: a test that sets something up first moves it on. */
  let doctorFrom = 0;
  beforeEach(() => (doctorFrom = 0));
  afterEach(async () => assert.deepEqual(writesIn(await t.control.requests(doctorFrom)), []));

  it("passes on the emulator's default set-up (a key delegating to an administrator with admin access): one token request per scope and no other, one spaces.list page and one spaces.search page, exit 0", async () => {
    const { code, lines, err } = await runDoctorCli(["doctor", ...delegated()]);
    assert.equal(code, 0, err);
    assert.deepEqual(lines, [
      settingsLine,
      'OK   credentials: credentials of type "service_account", from googlechat:credentials',
      `OK   acts as: the user admin@example.com through domain-wide delegation by ${sa()} (user authentication)`,
      "OK   create spaces: chat.spaces.create, chat.spaces.readonly, chat.spaces: a token granted for each",
      "OK   memberships: chat.memberships, chat.memberships.readonly: a token granted for each",
      "OK   delete: chat.delete: a token granted for each",
      "OK   import mode: chat.import, chat.spaces.readonly, chat.memberships.readonly: a token granted for each",
      `OK   admin access: ${ADMIN_SCOPES.join(", ")}: a token granted for each`,
      `OK   domain-wide delegation: ${client()} is authorised for every scope the stack needs`,
      `OK   chat api: ${t.emulator.url}/ answered spaces.list (chat.spaces.readonly)`,
      "OK   admin privilege: admin@example.com searched the organisation's spaces with admin access",
    ]);
    const log = await t.control.requests();
    assert.deepEqual(
      log.map((r) => `${r.rpc} ${r.status}`),
      [...allDelegated.map(() => "oauth2.token 200"), "spaces.list 200", "spaces.search 200"],
    );
    assert.deepEqual([log.at(-2)!.query.pageSize, log.at(-1)!.query.pageSize, log.at(-1)!.query.useAdminAccess], ["1", "1", "true"]);
    assert.match(err, /^doctor: reading the stack's config in .*\ndoctor: asking for a token with chat.spaces.create\n/);
  });

  it("passes as the Chat app (a key without a user): the chat.app scopes, spaces.list with chat.bot, then the approval read with chat.app.spaces (404 for a space no one has)", async () => {
    const { code, lines } = await runDoctorCli([
      "doctor",
      "--cwd",
      noProject,
      "-c",
      `googlechat:credentials=${JSON.stringify(t.serviceAccount)}`,
      ...endpoints(),
    ]);
    assert.equal(code, 0);
    assert.deepEqual(lines, [
      settingsLine,
      'OK   credentials: credentials of type "service_account", from googlechat:credentials',
      `OK   acts as: the Chat app, as ${sa()} (app authentication)`,
      "OK   create spaces: chat.app.spaces.create, chat.app.spaces: a token granted for each",
      "OK   memberships: chat.app.memberships: a token granted for each",
      "OK   delete: chat.app.delete: a token granted for each",
      `OK   chat api: ${t.emulator.url}/ answered spaces.list (chat.bot)`,
      `OK   app approval: spaces.get with chat.app.spaces reached the space lookup (404 for ${NO_SPACE}, which no space is): an administrator approved the Chat app for app authentication`,
    ]);
    assert.deepEqual(
      (await t.control.requests()).filter((r) => r.rpc !== "oauth2.token").map((r) => `${r.rpc} ${r.path} ${r.status}`),
      ["spaces.list /v1/spaces 200", `spaces.get /v1/${NO_SPACE} 404`],
    );
  });

  it("an app an administrator has not approved for app authentication: the one read with chat.app.spaces is refused, and the approval to give, exit 1", async () => {
    await t.control.setSettings({ appAuthApproved: false });
    const { code, lines } = await runDoctorCli([
      "doctor",
      "--cwd",
      noProject,
      "-c",
      `googlechat:credentials=${JSON.stringify(t.serviceAccount)}`,
      ...endpoints(),
    ]);
    assert.equal(code, 1);
    assert.deepEqual(lines.slice(-2), [
      `OK   chat api: ${t.emulator.url}/ answered spaces.list (chat.bot)`,
      `FAIL app approval: spaces.get ${NO_SPACE} failed: 403 PERMISSION_DENIED This Chat app is not approved for app authentication: an administrator must approve the chat.app.* scopes. ` +
        `Fix: ${APPROVAL_FIX}`,
    ]);
    assert.deepEqual(
      (await t.control.requests()).filter((r) => r.rpc !== "oauth2.token").map((r) => `${r.rpc} ${r.path} ${r.status}`),
      ["spaces.list /v1/spaces 200", `spaces.get /v1/${NO_SPACE} 403`],
    );
  });

  it("the Chat app a member of a space: its approval read is that space's spaces.get with chat.app.spaces, 200", async () => {
    const app = t.asApp(["chat.app.spaces.create"]);
    const { data } = await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "App's", customer: "customers/my_customer" } });
    doctorFrom = await logMark(t);
    const { code, lines } = await runDoctorCli([
      "doctor",
      "--cwd",
      noProject,
      "-c",
      `googlechat:credentials=${JSON.stringify(t.serviceAccount)}`,
      ...endpoints(),
    ]);
    assert.equal(code, 0);
    assert.equal(lines.at(-1), `OK   app approval: the Chat app read ${data.name} with chat.app.spaces: an administrator approved it for app authentication`);
    const reads = (await t.control.requests(doctorFrom)).filter((r) => r.rpc === "spaces.get");
    assert.deepEqual(
      reads.map((r) => `${r.path} ${r.status}`),
      [`/v1/${data.name} 200`],
    );
  });

  it("scopes the Admin console did not authorise for the client ID: unauthorized_client for each, and the exact scope line to paste; no Chat call for them", async () => {
    const authorised = allDelegated.filter((s) => !["chat.memberships", "chat.admin.delete"].includes(s)).map(SCOPE);
    await t.control.setSettings({ delegatedScopes: { [t.serviceAccount.client_id]: authorised } });
    const { code, lines } = await runDoctorCli(["doctor", ...delegated()]);
    assert.equal(code, 1);
    assert.deepEqual(lines.slice(3, 9), [
      "OK   create spaces: chat.spaces.create, chat.spaces.readonly, chat.spaces: a token granted for each",
      "FAIL memberships: no token for chat.memberships (token endpoint: unauthorized_client) Fix: authorise them for domain-wide delegation (the Admin console line below).",
      "OK   delete: chat.delete: a token granted for each",
      "OK   import mode: chat.import, chat.spaces.readonly, chat.memberships.readonly: a token granted for each",
      "FAIL admin access: no token for chat.admin.delete (token endpoint: unauthorized_client) Fix: authorise them for domain-wide delegation (the Admin console line below).",
      `FAIL domain-wide delegation: ${client()} is not authorised for chat.memberships, chat.admin.delete Fix: in ${DELEGATION_CONSOLE}, set the OAuth scopes of ${client()} to: ${allDelegated.map(SCOPE).join(",")}`,
    ]);
    const tokens = (await t.control.requests()).filter((r) => r.rpc === "oauth2.token").map((r) => r.status);
    assert.deepEqual(
      tokens.slice(0, allDelegated.length),
      allDelegated.map((s) => (["chat.memberships", "chat.admin.delete"].includes(s) ? 401 : 200)),
    );
  });

  it("the Chat API not enabled in the project: SERVICE_DISABLED, the project and the page that enables it", async () => {
    await t.control.setSettings({ chatApiDisabledProjects: ["emulator-project"] });
    const { code, lines } = await runDoctorCli(["doctor", ...delegated()]);
    assert.equal(code, 1);
    const page = "https://console.developers.google.com/apis/api/chat.googleapis.com/overview?project=emulator-project";
    assert.deepEqual(lines.slice(-1), [
      `FAIL chat api: spaces.list failed: 403 PERMISSION_DENIED Google Chat API has not been used in project emulator-project before or it is disabled. Enable it by visiting ${page} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry. ` +
        `Fix: The Chat API is not enabled in the Cloud project emulator-project: enable it at ${page} (or gcloud services enable chat.googleapis.com --project=emulator-project), wait a few minutes, and run again.`,
    ]);
  });

  it("the Chat app not configured: Google's 404, and where to configure it", async () => {
    await t.control.setSettings({ chatAppUnconfiguredProjects: ["emulator-project"] });
    const { code, lines } = await runDoctorCli(["doctor", ...delegated()]);
    assert.equal(code, 1);
    assert.deepEqual(lines.slice(-1), [
      "FAIL chat api: spaces.list failed: 404 NOT_FOUND Google Chat app not found. To create a Chat app, you must turn on the Chat API and configure the app in the Google Cloud console. " +
        "Fix: The Cloud project of the credentials has no configured Chat app, which every Chat API call needs (user authentication too): open the Chat API's Configuration page (https://console.cloud.google.com/apis/api/chat.googleapis.com/hangouts-chat) in that project, fill in the app name, avatar URL and description, and save.",
    ]);
  });

  it("admin access by a user who is not an administrator: one spaces.search page of one refused, and the privilege to give", async () => {
    const { code, lines } = await runDoctorCli(["doctor", ...delegated("alice@example.com")]);
    assert.equal(code, 1);
    assert.deepEqual(lines.slice(-2), [
      `OK   chat api: ${t.emulator.url}/ answered spaces.list (chat.spaces.readonly)`,
      "FAIL admin privilege: spaces.search failed: 403 PERMISSION_DENIED useAdminAccess requires a Google Workspace administrator. " +
        'Fix: alice@example.com is not a Workspace administrator with the "Manage Chat and spaces conversations" privilege: give them an admin role with it (Admin console > Account > Admin roles), or unset googlechat:useAdminAccess.',
    ]);
    assert.deepEqual(
      (await t.control.requests()).filter((r) => r.rpc === "spaces.search").map((r) => [r.status, r.query.pageSize]),
      [[403, "1"]],
    );
  });

  it("a user's own credentials: the scopes their token holds (tokeninfo), and the sign-in that adds the missing ones", async () => {
    const credentials = await t.control.authorizedUser(
      "bob@example.com",
      ["chat.spaces.create", "chat.spaces.readonly", "chat.spaces", "chat.delete"].map(SCOPE),
    );
    const { code, lines } = await runDoctorCli(["doctor", "--cwd", noProject, "-c", `googlechat:credentials=${JSON.stringify(credentials)}`, ...endpoints()]);
    assert.equal(code, 1);
    const needed = [
      "openid",
      "https://www.googleapis.com/auth/userinfo.email",
      "https://www.googleapis.com/auth/cloud-platform",
      ...USER_SCOPES.map(SCOPE),
    ].join(",");
    assert.deepEqual(lines.slice(1), [
      'OK   credentials: credentials of type "authorized_user" (a user\'s own), from googlechat:credentials',
      "OK   acts as: bob@example.com with their own credentials (user authentication)",
      "OK   create spaces: chat.spaces.create, chat.spaces.readonly, chat.spaces: held by the token (tokeninfo)",
      "FAIL memberships: the token lacks a scope for spaces.members.create, spaces.members.patch and spaces.members.delete (chat.memberships); for spaces.members.get and spaces.members.list (chat.memberships.readonly or chat.memberships) (tokeninfo) " +
        `Fix: sign in again consenting to the least scope of each call the stack makes: gcloud auth application-default login --client-id-file=client_secret.json --scopes=${needed} (client_secret.json: your desktop OAuth client's)`,
      "OK   delete: chat.delete: held by the token (tokeninfo)",
      "WARN add the calling app: the token lacks a scope for spaces.members.create and spaces.members.delete (chat.memberships.app or chat.memberships) (tokeninfo) " +
        `Fix: sign in again consenting to the least scope of each call the stack makes: gcloud auth application-default login --client-id-file=client_secret.json --scopes=${needed},${SCOPE("chat.memberships.app")} (client_secret.json: your desktop OAuth client's)`,
      `OK   chat api: ${t.emulator.url}/ answered spaces.list (chat.spaces.readonly)`,
    ]);
    assert.deepEqual(
      (await t.control.requests()).slice(0, 2).map((r) => r.rpc),
      ["oauth2.token", "oauth2.tokeninfo"],
    );
  });

  it("a user's own credentials consented for the broader scopes Google also takes (chat.spaces, chat.memberships, chat.delete): pulumi up works with them, and so does every operation, exit 0", async () => {
    const credentials = await t.control.authorizedUser("admin@example.com", ["chat.spaces", "chat.delete", "chat.memberships"].map(SCOPE));
    const config = emulatorConfig(t, { app: true, config: { "googlechat:credentials": JSON.stringify(credentials) } });
    const { provider } = await configuredProvider(t, { app: true, config });
    const { id } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    // The calling app added as a ChatMembership with chatApp: true adds it: the provider asks for chat.memberships.app, Google takes the token's chat.memberships.
    const api = new ChatSpacesApi(
      resolveSettings((key) => config[key], {}),
      { now: Date.now, sleep: async () => {}, random: Math.random, log: () => {} },
    );
    await api.createMember(id, { member: { name: "users/app", type: "BOT" } }, { appMember: true });
    doctorFrom = await logMark(t);
    const { code, lines, err } = await runDoctorCli([
      "doctor",
      "--cwd",
      noProject,
      "-c",
      `googlechat:credentials=${JSON.stringify(credentials)}`,
      ...endpoints(),
    ]);
    assert.equal(code, 0, lines.join("\n") + err);
    assert.deepEqual(lines.slice(2), [
      "OK   acts as: admin@example.com with their own credentials (user authentication)",
      "OK   create spaces: chat.spaces: held by the token (tokeninfo)",
      "OK   memberships: chat.memberships: held by the token (tokeninfo)",
      "OK   delete: chat.delete: held by the token (tokeninfo)",
      "OK   add the calling app: chat.memberships: held by the token (tokeninfo)",
      `OK   chat api: ${t.emulator.url}/ answered spaces.list (chat.spaces)`,
    ]);
  });

  it("a user's own token without the email scope: the caller can't be told, and the sign-in that adds it", async () => {
    await t.control.setSettings({ usersWithoutEmailScope: ["bob@example.com"] });
    const credentials = await t.control.authorizedUser("bob@example.com", [...USER_SCOPES].map(SCOPE));
    const { code, lines } = await runDoctorCli(["doctor", "--cwd", noProject, "-c", `googlechat:credentials=${JSON.stringify(credentials)}`, ...endpoints()]);
    assert.equal(code, 1);
    const scopes = [
      "openid",
      "https://www.googleapis.com/auth/userinfo.email",
      "https://www.googleapis.com/auth/cloud-platform",
      ...USER_SCOPES.map(SCOPE),
    ].join(",");
    assert.equal(
      lines[2],
      "FAIL acts as: a user whose token carries no email: memberships need to know the caller Fix: The calling user can't be told: with credentials of type \"authorized_user\" (a user's own) the provider learns the caller's email from Google's tokeninfo " +
        `(${t.emulator.tokenInfoUrl}), which answers it only for an access token with the scope https://www.googleapis.com/auth/userinfo.email, and these credentials were signed in without it. ` +
        `The provider must know the caller, whom it never removes or demotes. Sign in again adding that scope to yours: gcloud auth application-default login --client-id-file=client_secret.json --scopes=${scopes} (client_secret.json: your desktop OAuth client's); ` +
        "or act as the user through domain-wide delegation (googlechat:impersonateUser).",
    );
  });

  it("import mode is checked but not required unless --import-mode: a scope it lacks warns (exit 0), and fails with --import-mode", async () => {
    const authorised = allDelegated.filter((s) => s !== "chat.import").map(SCOPE);
    await t.control.setSettings({ delegatedScopes: { [t.serviceAccount.client_id]: authorised } });
    const without = await runDoctorCli(["doctor", ...delegated("admin@example.com", false)]);
    assert.equal(without.code, 0, without.out);
    assert.ok(
      without.lines.includes(
        "WARN import mode: no token for chat.import (token endpoint: unauthorized_client) Fix: authorise them for domain-wide delegation (the Admin console line below).",
      ),
      without.out,
    );
    const every = (...more: string[]) =>
      [...USER_SCOPES, ...more, ...IMPORT_SCOPES]
        .filter((s, i, all) => all.indexOf(s) === i)
        .map(SCOPE)
        .join(",");
    assert.equal(
      without.lines.at(-2),
      `OK   domain-wide delegation: ${client()} is authorised for every scope the stack needs; for the operations warned above too, set its OAuth scopes in ${DELEGATION_CONSOLE} to: ${every("chat.memberships.app")}`,
    );
    const needed = await runDoctorCli(["doctor", "--import-mode", ...delegated("admin@example.com", false)]);
    assert.equal(needed.code, 1);
    assert.ok(
      needed.lines.includes(
        "FAIL import mode: no token for chat.import (token endpoint: unauthorized_client) Fix: authorise them for domain-wide delegation (the Admin console line below).",
      ),
      needed.out,
    );
    assert.equal(
      needed.lines.at(-2),
      `FAIL domain-wide delegation: ${client()} is not authorised for chat.import Fix: in ${DELEGATION_CONSOLE}, set the OAuth scopes of ${client()} to: ${every()}`,
    );
  });

  it("add the calling app (chatApp: true) is checked for user authentication, a warning unless --chat-app, a failure with it", async () => {
    const credentials = await t.control.authorizedUser("bob@example.com", ["chat.spaces", "chat.delete", "chat.memberships.readonly"].map(SCOPE));
    const own = (...more: string[]) =>
      runDoctorCli(["doctor", ...more, "--cwd", noProject, "-c", `googlechat:credentials=${JSON.stringify(credentials)}`, ...endpoints()]);
    const needed = (...more: string[]) =>
      [
        "openid",
        "https://www.googleapis.com/auth/userinfo.email",
        "https://www.googleapis.com/auth/cloud-platform",
        ...[...USER_SCOPES, ...more].map(SCOPE),
      ].join(",");
    const lacks = "the token lacks a scope for spaces.members.create and spaces.members.delete (chat.memberships.app or chat.memberships) (tokeninfo)";
    const signIn = (scopes: string) =>
      `sign in again consenting to the least scope of each call the stack makes: gcloud auth application-default login --client-id-file=client_secret.json --scopes=${scopes} (client_secret.json: your desktop OAuth client's)`;
    const optional = await own();
    assert.equal(optional.lines[6], `WARN add the calling app: ${lacks} Fix: ${signIn(needed("chat.memberships.app"))}`);
    const required = await own("--chat-app");
    assert.equal(required.code, 1);
    assert.equal(required.lines[6], `FAIL add the calling app: ${lacks} Fix: ${signIn(needed("chat.memberships.app"))}`);

    const authorised = USER_SCOPES.map(SCOPE);
    await t.control.setSettings({ delegatedScopes: { [t.serviceAccount.client_id]: authorised } });
    const delegation = await runDoctorCli(["doctor", "--chat-app", ...delegated("admin@example.com", false)]);
    assert.equal(delegation.code, 1);
    assert.ok(
      delegation.lines.includes(
        "FAIL add the calling app: no token for chat.memberships.app (token endpoint: unauthorized_client) Fix: authorise them for domain-wide delegation (the Admin console line below).",
      ),
      delegation.out,
    );
    assert.ok(
      delegation.lines.includes(
        `FAIL domain-wide delegation: ${client()} is not authorised for chat.memberships.app Fix: in ${DELEGATION_CONSOLE}, set the OAuth scopes of ${client()} to: ${[...USER_SCOPES, "chat.memberships.app"].map(SCOPE).join(",")}`,
      ),
      delegation.out,
    );
  });

  it("--chat-app where the provider refuses chatApp: true (app authentication, admin access): the check's refusal, exit 1", async () => {
    const app = await runDoctorCli([
      "doctor",
      "--chat-app",
      "--cwd",
      noProject,
      "-c",
      `googlechat:credentials=${JSON.stringify(t.serviceAccount)}`,
      ...endpoints(),
    ]);
    assert.equal(app.code, 1);
    assert.ok(
      app.lines.includes(
        "FAIL add the calling app: a Chat app can't add Chat apps, so chatApp: true can't be declared with app authentication Fix: add the app with user authentication (googlechat:impersonateUser).",
      ),
      app.out,
    );
    const admin = await runDoctorCli(["doctor", "--chat-app", ...delegated()]);
    assert.equal(admin.code, 1);
    assert.ok(
      admin.lines.includes(
        "FAIL add the calling app: admin access doesn't reach Chat apps' memberships, so chatApp: true can't be declared with googlechat:useAdminAccess Fix: declare it in a stack without googlechat:useAdminAccess.",
      ),
      admin.out,
    );
  });

  it("--json: the same checks as a document, and only progress on stderr", async () => {
    const { code, out, err } = await runDoctorCli(["doctor", "--json", ...delegated("alice@example.com")]);
    assert.equal(code, 1);
    const doc = JSON.parse(out);
    assert.equal(doc.ok, false);
    assert.deepEqual(
      doc.checks.map((c: { check: string; status: string }) => `${c.status} ${c.check}`),
      [
        "ok settings",
        "ok credentials",
        "ok acts as",
        "ok create spaces",
        "ok memberships",
        "ok delete",
        "ok import mode",
        "ok admin access",
        "ok domain-wide delegation",
        "ok chat api",
        "fail admin privilege",
      ],
    );
    assert.ok(
      err
        .split("\n")
        .filter(Boolean)
        .every((l) => l.startsWith("doctor: ")),
      err,
    );
  });

  it("reads the selected stack's googlechat config with pulumi config --json (flags and environment unused)", async () => {
    const project = mkdtempSync(join(tmpdir(), "doctor-stack-"));
    writeFileSync(join(project, "Pulumi.yaml"), "name: chat\nruntime: nodejs\n");
    const bin = mkdtempSync(join(tmpdir(), "doctor-bin-"));
    const config = {
      "googlechat:credentials": { value: JSON.stringify(t.serviceAccount), secret: true },
      "googlechat:apiEndpoint": { value: t.emulator.url, secret: false },
      "googlechat:tokenEndpoint": { value: t.emulator.tokenUrl, secret: false },
      "chat:other": { value: "x", secret: false },
    };
    writeFileSync(join(bin, "config.json"), JSON.stringify(config));
    // A stand-in for the pulumi CLI: the stack's name, and its config as `pulumi config --json --show-secrets` prints it.
    writeFileSync(
      join(bin, "pulumi"),
      `#!/bin/sh\ncase "$1 $2 $3" in\n  "stack --show-name --non-interactive") echo dev ;;\n  "config --json --show-secrets") cat "${join(bin, "config.json")}" ;;\n  *) echo "unexpected: $*" >&2; exit 3 ;;\nesac\n`,
    );
    chmodSync(join(bin, "pulumi"), 0o755);
    const { code, lines, err } = await runDoctorCli(["doctor", "--cwd", project], { PATH: `${bin}:${process.env.PATH}` });
    assert.equal(code, 0, err);
    assert.deepEqual(lines.slice(0, 3), [
      "OK   settings: the stack dev's config (pulumi config), then the environment",
      'OK   credentials: credentials of type "service_account", from googlechat:credentials',
      `OK   acts as: the Chat app, as ${sa()} (app authentication)`,
    ]);
  });

  describe("a keyless chain refused at one hop", () => {
    let keyless: KeylessControl;
    let pool: WorkloadIdentityProvider;
    const SUBJECT = "repo:octo/chat-spaces:ref:refs/heads/main";
    const dir = mkdtempSync(join(tmpdir(), "doctor-keyless-"));
    before(async () => {
      keyless = new KeylessControl(t.emulator.url);
      pool = await keyless.workloadIdentityProvider();
    });
    const tokenFile = async () => {
      const file = join(dir, `subject-${Math.random().toString(36).slice(2)}`);
      writeFileSync(file, await keyless.subjectToken({ audience: pool.allowedAudiences[0], subject: SUBJECT }));
      return file;
    };
    const wif = (source: { file: string } | { url: string; headers: Record<string, string> }, serviceAccount: string, audience = pool.audience) =>
      JSON.stringify(externalAccountCredentials({ audience, stsUrl: t.emulator.stsUrl, source, impersonate: { serviceAccount, iamUrl: t.emulator.iamUrl } }));
    const doctor = (credentials: string, ...more: string[]) =>
      runDoctorCli(["doctor", "--cwd", noProject, "-c", `googlechat:credentials=${credentials}`, ...endpoints(), ...more]);
    const stsLine = () => `STS exchange (${t.emulator.stsUrl}, audience ${pool.audience})`;
    const impersonation = (email: string) => `IAM Credentials generateAccessToken of ${email} (service_account_impersonation_url)`;

    it("every hop works: one line each", async () => {
      const app = await keyless.serviceAccount("chat-app");
      await keyless.bind({ serviceAccount: app.email, member: pool.poolMember, role: WORKLOAD_IDENTITY_USER });
      const file = await tokenFile();
      const { code, lines } = await doctor(wif({ file }, app.email));
      assert.equal(code, 0);
      assert.deepEqual(lines.slice(2, 6), [
        `OK   chain 1/3: CI token (subject token from file ${file})`,
        `OK   chain 2/3: ${stsLine()}`,
        `OK   chain 3/3: ${impersonation(app.email)}`,
        `OK   acts as: the Chat app, as ${app.email} (app authentication)`,
      ]);
    });

    it("no credentials file: the metadata server's service account as the Chat app, one line for its hop", async () => {
      const runner = await keyless.serviceAccount("runner");
      await keyless.metadata(runner.email);
      const saved = process.env.GCE_METADATA_HOST;
      // google-auth-library finds the metadata server from the process environment, and remembers whether it did.
      process.env.GCE_METADATA_HOST = t.emulator.metadataHost;
      gcpMetadata.resetIsAvailableCache();
      try {
        const { code, lines } = await runDoctorCli(["doctor", "--cwd", noProject, ...endpoints()]);
        assert.equal(code, 0, lines.join("\n"));
        assert.deepEqual(lines.slice(1, 4), [
          "OK   credentials: the metadata server's service account, from the metadata server (no credentials file was found)",
          "OK   chain 1/1: the metadata server's token",
          `OK   acts as: the Chat app, as the metadata server's service account (no credentials file was found) (app authentication)`,
        ]);
      } finally {
        if (saved === undefined) delete process.env.GCE_METADATA_HOST;
        else process.env.GCE_METADATA_HOST = saved;
        gcpMetadata.resetIsAvailableCache();
      }
    });

    it("the CI token refused (no valid job request token): the hop and what the job needs", async () => {
      const app = await keyless.serviceAccount("chat-app");
      const job = await keyless.ciJob({ subject: SUBJECT });
      const url = `${job.requestUrl}&audience=${encodeURIComponent(pool.allowedAudiences[0])}`;
      const { code, lines } = await doctor(wif({ url, headers: { Authorization: "Bearer wrong" } }, app.email));
      assert.equal(code, 1);
      const ci = new URL(job.requestUrl);
      assert.deepEqual(lines.slice(2, 5), [
        `FAIL chain 1/3: CI token (subject token from URL ${ci.origin}${ci.pathname}): token request: 401: Request failed with status code 401 ` +
          `Fix: The CI system refused the job its ID token at ${ci.origin}${ci.pathname}: check that the job may ask for one (on GitHub Actions, permissions: id-token: write) and the credentials' credential_source (its url and headers).`,
        `SKIP chain 2/3: ${stsLine()}: not reached`,
        `SKIP chain 3/3: ${impersonation(app.email)}: not reached`,
      ]);
    });

    it("STS refused (an audience that names no pool provider): the hop and the provider's settings to check", async () => {
      const app = await keyless.serviceAccount("chat-app");
      const audience = "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/none/providers/ci";
      const { code, lines } = await doctor(wif({ file: await tokenFile() }, app.email, audience));
      assert.equal(code, 1);
      assert.deepEqual(lines.slice(3, 4), [
        `FAIL chain 2/3: STS exchange (${t.emulator.stsUrl}, audience ${audience}): token request: 400 invalid_target: The target service indicated by the "audience" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn't exist. ` +
          `Fix: The Security Token Service ${t.emulator.stsUrl} refused to exchange the CI system's token: check the credentials' audience and token_url, and that the workload identity pool provider (the audience names it) accepts this job's token: its issuer, allowed audiences and attribute condition (the repository, branch or environment the token's claims name).`,
      ]);
    });

    it("impersonation refused (no role on the service account): the role to grant", async () => {
      const app = await keyless.serviceAccount("chat-app");
      const { code, lines } = await doctor(wif({ file: await tokenFile() }, app.email));
      assert.equal(code, 1);
      assert.equal(
        lines[4],
        `FAIL chain 3/3: ${impersonation(app.email)}: The credentials may not act as the service account ${app.email} (IAM Credentials generateAccessToken: 403 PERMISSION_DENIED: Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).). ` +
          `Grant the credentials' principal ${TOKEN_CREATOR} on ${app.email} (gcloud iam service-accounts add-iam-policy-binding ${app.email} --member=PRINCIPAL --role=${TOKEN_CREATOR}); a workload identity pool's principals may have ${WORKLOAD_IDENTITY_USER} instead, and check that the service account exists.`,
      );
      assert.equal(lines[5], "SKIP acts as: the Chat app, as " + app.email + " (app authentication)");
    });

    it("signJwt refused for keyless domain-wide delegation (workloadIdentityUser lets act, not sign): the hop and the role to grant", async () => {
      const app = await keyless.serviceAccount("chat-app");
      await keyless.bind({ serviceAccount: app.email, member: pool.poolMember, role: WORKLOAD_IDENTITY_USER });
      const { code, lines } = await doctor(wif({ file: await tokenFile() }, app.email), "-c", "googlechat:impersonateUser=admin@example.com");
      assert.equal(code, 1);
      assert.equal(lines[4], `OK   chain 3/5: ${impersonation(app.email)}`);
      assert.equal(
        lines[5],
        `FAIL chain 4/5: IAM Credentials signJwt as ${app.email} (the delegation's assertion): The credentials may not sign the domain-wide delegation assertion as the service account ${app.email} (IAM Credentials signJwt: 403 PERMISSION_DENIED: Permission 'iam.serviceAccounts.signJwt' denied on resource (or it may not exist).). ` +
          `Grant the credentials' principal ${TOKEN_CREATOR} on ${app.email} (gcloud iam service-accounts add-iam-policy-binding ${app.email} --member=PRINCIPAL --role=${TOKEN_CREATOR}), and check that the service account exists.`,
      );
      assert.equal(lines[6], `SKIP chain 5/5: token endpoint exchange as admin@example.com (domain-wide delegation): not reached`);
    });
  });
});
