/**
 * examples/gitops: its workflow parsed and linted (actionlint, scripts/ensure-actionlint),
 * and the workflow's own run scripts run as written, from a copy of the example's folder installed
 * with npm, against the emulator: a pull request's preview and plan summary, the check that refuses
 * a deletion without the `allow-destroy` label, and the merge's deploy.
 *
 * No key: each job's credentials are the `external_account` file google-github-actions/auth
 * writes (the CI's ID token from a URL with the job's request token, exchanged at STS, then
 * generateAccessToken for the service account the job's auth step names: the read-only one for a
 * pull request, the deployer for a push to main), and user authentication is keyless domain-wide
 * delegation (signJwt), through the emulator's stand-ins (emulator/keyless/keyless.ts). The IAM bindings
 * are docs/guides/gitops.md's: only main's subject may act as the deployer, and a pull request's may not.
 *
 * What runs in GitHub only is stood in for: the Actions variables and outputs are environment
 * variables and files (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY); Google's endpoints are the emulator's
 * (GOOGLECHAT_API_ENDPOINT, GOOGLECHAT_TOKEN_ENDPOINT, GOOGLECHAT_IAM_CREDENTIALS_ENDPOINT, and the
 * credential file's URLs); the gs:// bucket is a file:// backend
 * with a passphrase secrets provider; `pulumi` is the real CLI behind a wrapper that adds the
 * stand-in language host's address (test/e2e/language-host.ts). The steps that call GitHub's API
 * (the pull request comment, the merged pull request's labels) are not run.
 */
import assert from "node:assert/strict";
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GaxiosError } from "gaxios";
import { IdentityPoolClient } from "google-auth-library";
import { externalAccountCredentials, KeylessControl, TOKEN_CREATOR, WORKLOAD_IDENTITY_USER } from "../../emulator";
import { IAM_PREFIX, STS_PATH } from "../../emulator/keyless/keyless";
import { apiCalls, logMark } from "../helpers/provider";
import { assertNoSecrets, filesUnder, REPO, useEngineAndEmulator } from "./harness";
import { type LanguageHost, startLanguageHost } from "./language-host";
import { installedExample } from "./workspace";

// js-yaml comes with @pulumi/pulumi (its dependency), so the parse check needs no package of its own.
const yaml: { load(text: string): unknown } = require("js-yaml");

const WORKFLOW_PATH = "examples/gitops/.github/workflows/chat-spaces.yml";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  if?: string;
}
interface Job {
  if: string;
  permissions: Record<string, string>;
  concurrency: { group: string; "cancel-in-progress": boolean };
  strategy: { matrix: { stack: string[] } };
  steps: Step[];
}
interface Workflow {
  on: Record<string, { branches: string[]; types?: string[] }>;
  permissions: Record<string, string>;
  env: Record<string, string>;
  jobs: Record<"preview" | "deploy", Job>;
}

const workflow = () => yaml.load(readFileSync(join(REPO, WORKFLOW_PATH), "utf8")) as Workflow;

/** GitHub's OIDC subjects (`sub`) of the two jobs: a pull request's, and a push to main's (no `environment:`). */
const SUBJECTS = { preview: "repo:octo/chat-spaces:pull_request", deploy: "repo:octo/chat-spaces:ref:refs/heads/main" } as const;

/** The Actions variable a job's google-github-actions/auth step takes its `service_account` from (through the workflow's env). */
function serviceAccountVariable(job: "preview" | "deploy"): string {
  const w = workflow();
  const input = w.jobs[job].steps.find((s) => s.uses?.startsWith("google-github-actions/auth@"))?.with?.service_account ?? "";
  const env = /^\$\{\{ env\.(\w+) \}\}$/.exec(input)?.[1];
  const variable = env && /^\$\{\{ vars\.(\w+) \}\}$/.exec(w.env[env] ?? "")?.[1];
  if (!variable) throw new Error(`${WORKFLOW_PATH}: job ${job}'s auth step takes service_account from no Actions variable (${input})`);
  return variable;
}

/** The run script of the step of `job` named `name`. */
function script(job: "preview" | "deploy", name: string): string {
  const step = workflow().jobs[job].steps.find((s) => s.name === name);
  if (!step?.run) throw new Error(`${WORKFLOW_PATH}: job ${job} has no step "${name}" with a run script`);
  return step.run;
}

describe("e2e: GitOps, examples/gitops and its workflow", () => {
  it("the workflow parses: pull requests preview, pushes to main deploy, keyless auth, one run per stack", () => {
    const w = workflow();
    assert.deepEqual(w.on, {
      pull_request: { branches: ["main"], types: ["opened", "synchronize", "reopened", "labeled", "unlabeled"] },
      push: { branches: ["main"] },
    });
    assert.equal(w.permissions["id-token"], "write", "the OIDC token Workload Identity Federation exchanges");
    assert.equal(w.env.PULUMI_BACKEND_URL, "gs://${{ vars.PULUMI_STATE_BUCKET }}");
    for (const [name, job] of Object.entries(w.jobs)) {
      const auth = job.steps.find((s) => s.uses?.startsWith("google-github-actions/auth@"));
      assert.deepEqual(Object.keys(auth?.with ?? {}).sort(), ["service_account", "workload_identity_provider"], `${name}: no key, only federation`);
      assert.deepEqual(job.strategy.matrix.stack, ["prod"]);
    }
    // A pull request runs its own code: it never gets the deploy account.
    assert.deepEqual([serviceAccountVariable("preview"), serviceAccountVariable("deploy")], ["GOOGLE_PREVIEW_SERVICE_ACCOUNT", "GOOGLE_SERVICE_ACCOUNT"]);
    // The deploy runs the plan it checked, nothing more.
    assert.match(script("deploy", "Deploy"), /pulumi preview [^\n]*--save-plan plan\.json[^\n]*\n[\s\S]*pulumi up [^\n]*--plan plan\.json\n$/);
    assert.deepEqual(w.jobs.deploy.concurrency, { group: "chat-spaces-deploy-${{ matrix.stack }}", "cancel-in-progress": false });
    assert.equal(w.jobs.preview.concurrency.group, "chat-spaces-preview-${{ matrix.stack }}-${{ github.event.pull_request.number }}");
    assert.ok(!readFileSync(join(REPO, WORKFLOW_PATH), "utf8").includes("credentials_json"), "no service account key");
  });

  it("actionlint finds nothing in the workflow", function () {
    this.timeout(600_000);
    const actionlint = execFileSync(join(REPO, "scripts/ensure-actionlint"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
      .trim()
      .split("\n")
      .pop()!;
    const lint = spawnSync(actionlint, ["-no-color", WORKFLOW_PATH], { cwd: REPO, encoding: "utf8" });
    assert.equal(lint.stdout + lint.stderr, "");
    assert.equal(lint.status, 0);
    // It does find what is wrong: the same workflow with an unknown context.
    const broken = join(mkdtempSync(join(tmpdir(), "actionlint-")), "broken.yml");
    writeFileSync(
      broken,
      readFileSync(join(REPO, WORKFLOW_PATH), "utf8").replace("${{ matrix.stack }}-${{ github.event.pull_request.number }}", "${{ matrix.stacks }}"),
    );
    const refused = spawnSync(actionlint, ["-no-color", broken], { encoding: "utf8" });
    assert.equal(refused.status, 1);
    assert.match(refused.stdout, /property "stacks" is not defined in object type \{stack: string\}/);
  });

  describe("the workflow's run scripts, from the example's folder", () => {
    const t = useEngineAndEmulator({ resetEachTest: false });
    let host: LanguageHost;
    let folder: string;
    let env: NodeJS.ProcessEnv;
    let github: string;
    let state: string;
    /** Everything the steps printed or wrote to their summaries. */
    let transcript = "";
    let credentials: Record<"preview" | "deploy", string>;
    /** A folder whose `pulumi` previews as the workflow's does, then exits 7: a failed preview whose JSON holds no error. */
    let failingPreview: string;
    /** The two service accounts of the set-up, by the Actions variable that names each. */
    let accounts: Record<string, string>;
    /** The `external_account` credentials google-github-actions/auth writes for a job of `subject` acting as `serviceAccount`. */
    let credentialsOf: (subject: string, serviceAccount: string) => Promise<Record<string, unknown>>;
    /** Every subject token, federated token, signed assertion and access token issued so far. */
    let issued: () => Promise<string[]>;
    before(async function () {
      this.timeout(600_000);
      folder = installedExample("gitops").dir;
      host = await startLanguageHost();
      const home = mkdtempSync(join(tmpdir(), "chatspace-gitops-"));
      // `pulumi` as the workflow calls it; the program runs through the stand-in language host.
      const bin = join(home, "bin");
      mkdirSync(bin);
      const pulumi = execFileSync("bash", ["-c", "command -v pulumi"], { encoding: "utf8" }).trim();
      writeFileSync(
        join(bin, "pulumi"),
        `#!/usr/bin/env bash\ncase "$1" in preview|up|refresh) exec ${pulumi} "$@" --client=${host.address} ;; *) exec ${pulumi} "$@" ;; esac\n`,
      );
      chmodSync(join(bin, "pulumi"), 0o755);
      failingPreview = join(home, "failing-preview");
      mkdirSync(failingPreview);
      writeFileSync(
        join(failingPreview, "pulumi"),
        `#!/usr/bin/env bash\ncase "$1" in preview) ${join(bin, "pulumi")} "$@"; exit 7 ;; *) exec ${join(bin, "pulumi")} "$@" ;; esac\n`,
      );
      chmodSync(join(failingPreview, "pulumi"), 0o755);
      mkdirSync(join(home, "state"));
      state = join(home, "state");
      // The one-time set-up (docs/guides/gitops.md): two service accounts without keys, a pool
      // provider trusting the CI's tokens; only main's subject may act as the deployer, which
      // signs its own delegation assertions; every identity of the pool (the repository's, by the
      // provider's condition) may act as the read-only account, which has no Chat access.
      const keyless = new KeylessControl(t.emulator.url);
      const pool = await keyless.workloadIdentityProvider();
      const deployer = await keyless.serviceAccount("chat-deployer");
      const reader = await keyless.serviceAccount("chat-previewer");
      await keyless.bind({ serviceAccount: deployer.email, member: `${pool.principalPrefix}${SUBJECTS.deploy}`, role: WORKLOAD_IDENTITY_USER });
      await keyless.bind({ serviceAccount: deployer.email, member: `serviceAccount:${deployer.email}`, role: TOKEN_CREATOR });
      await keyless.bind({ serviceAccount: reader.email, member: pool.poolMember, role: WORKLOAD_IDENTITY_USER });
      accounts = { GOOGLE_SERVICE_ACCOUNT: deployer.email, GOOGLE_PREVIEW_SERVICE_ACCOUNT: reader.email };
      // What google-github-actions/auth writes for a job: its ID token from the job's request URL.
      credentialsOf = async (subject, serviceAccount) => {
        const ci = await keyless.ciJob({ subject });
        return externalAccountCredentials({
          audience: pool.audience,
          stsUrl: `${t.emulator.url}${STS_PATH}`,
          source: { url: `${ci.requestUrl}&audience=${encodeURIComponent(pool.allowedAudiences[0])}`, headers: { Authorization: `Bearer ${ci.requestToken}` } },
          impersonate: { serviceAccount, iamUrl: `${t.emulator.url}${IAM_PREFIX}` },
        });
      };
      const credentialsFor = async (job: "preview" | "deploy") => {
        const file = join(home, `${job}-credentials.json`);
        writeFileSync(file, JSON.stringify(await credentialsOf(SUBJECTS[job], accounts[serviceAccountVariable(job)])), { mode: 0o600 });
        return file;
      };
      credentials = { preview: await credentialsFor("preview"), deploy: await credentialsFor("deploy") };
      issued = async () => {
        const tokens = await keyless.issued();
        // The emulator's access tokens all start "ya29." (emulator/auth/auth.ts), as Google's do.
        return [...tokens.subjectTokens, ...tokens.federatedTokens, ...tokens.signedJwts, "ya29."];
      };
      github = join(home, "github");
      mkdirSync(github);
      env = {
        PATH: [bin, process.env.PATH].join(":"),
        HOME: home,
        PULUMI_HOME: join(home, "pulumi-home"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        // The workflow's env, with a local bucket and secrets provider.
        PULUMI_BACKEND_URL: `file://${join(home, "state")}`,
        PULUMI_SECRETS_PROVIDER: "passphrase",
        PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
        GOOGLECHAT_IMPERSONATE_USER: "admin@example.com",
        // Google's endpoints. GOOGLE_APPLICATION_CREDENTIALS is each job's (google-github-actions/auth).
        GOOGLECHAT_API_ENDPOINT: t.emulator.url,
        GOOGLECHAT_TOKEN_ENDPOINT: t.emulator.tokenUrl,
        GOOGLECHAT_IAM_CREDENTIALS_ENDPOINT: `${t.emulator.url}${IAM_PREFIX}`,
      };
      // The stack is made once at set-up, by an administrator: the preview's read-only account can't.
      execFileSync(join(bin, "pulumi"), ["stack", "init", "prod", "--secrets-provider", env.PULUMI_SECRETS_PROVIDER!], { cwd: folder, env, stdio: "pipe" });
    });
    after(() => host?.stop());

    /**
     * Runs a step's script as Actions does (`bash --noprofile --norc -eo pipefail`), with the
     * step's env; answers its exit code, outputs and summary. Asynchronous: the language host
     * answers the engine from this process.
     */
    async function step(job: "preview" | "deploy", name: string, stepEnv: Record<string, string>) {
      return runScript(job, script(job, name), stepEnv);
    }

    /** Runs `text` as a run script of `job` (see `step`). */
    async function runScript(job: "preview" | "deploy", text: string, stepEnv: Record<string, string>) {
      const output = join(github, "output");
      const summary = join(github, "summary");
      writeFileSync(output, "");
      writeFileSync(summary, "");
      const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(
          "bash",
          ["--noprofile", "--norc", "-eo", "pipefail", "-c", text],
          {
            cwd: folder,
            env: { ...env, GOOGLE_APPLICATION_CREDENTIALS: credentials[job], GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, ...stepEnv },
            maxBuffer: 64 * 1024 * 1024,
          },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
        ),
      );
      transcript += `${run.stdout}${run.stderr}${readFileSync(summary, "utf8")}`;
      const outputs = Object.fromEntries(
        readFileSync(output, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((line) => line.split("=", 2) as [string, string]),
      );
      return { ...run, outputs, summary: readFileSync(summary, "utf8"), log: () => `${run.stdout}${run.stderr}\n${host.output()}` };
    }

    /** The preview job of a pull request: preview, plan summary, then the check; answers the summary and the check's outcome. */
    async function pullRequest(labels: { allowDestroy: boolean }) {
      const preview = await step("preview", "Preview", { STACK: "prod" });
      assert.equal(preview.code, 0, preview.log());
      const plan = await step("preview", "Plan summary", { ALLOW_DESTROY: String(labels.allowDestroy), PREVIEW_STATUS: preview.outputs.status });
      assert.equal(plan.code, 0, plan.log());
      assert.equal(readFileSync(join(folder, "plan.md"), "utf8"), plan.summary, "the comment is the step summary");
      const check = await step("preview", "Refuse a deletion or replacement without the allow-destroy label", { STATUS: plan.outputs.status });
      return { summary: plan.summary, status: plan.outputs.status, check, preview: `${readFileSync(join(folder, "preview.json"), "utf8")}\n${preview.log()}` };
    }

    const members = async () => {
      const state = await t.emulator.control.state();
      return Object.values(state.spaces)
        .flatMap((space) => state.memberships[space.id].filter((m) => m.type === "HUMAN").map((m) => `${space.displayName}: ${m.memberName} ${m.role}`))
        .sort();
    };

    it("the program compiles with the TypeScript the example installs", () => {
      const tsc = spawnSync(join(folder, "node_modules/.bin/tsc"), ["--noEmit", "-p", folder], { encoding: "utf8" });
      assert.equal(tsc.stdout + tsc.stderr, "");
      assert.equal(tsc.status, 0);
    });

    it("first pull request: the preview calls nothing and the summary lists what will be made; the merge deploys it", async () => {
      const mark = await logMark(t.emulator);
      const pr = await pullRequest({ allowDestroy: false });
      assert.deepEqual(await apiCalls(t.emulator, mark), [], "a preview of new spaces reads and writes nothing");
      assert.equal(pr.status, "0");
      assert.equal(pr.check.code, 0);
      assert.equal(
        pr.summary,
        [
          "### Pulumi plan for stack `prod`",
          "",
          "6 to create",
          "",
          "#### Spaces",
          "",
          "| | Resource | What | Changes |",
          "|---|---|---|---|",
          '| Create | `incidents` | "Platform incidents" |  |',
          '| Create | `platform` | "Platform team" |  |',
          "",
          "#### Members",
          "",
          "| | Resource | What | Changes |",
          "|---|---|---|---|",
          '| Create | `incidents-alice` | alice@example.com in "Platform incidents" |  |',
          '| Create | `incidents-bob` | bob@example.com in "Platform incidents" |  |',
          '| Create | `platform-alice` | alice@example.com in "Platform team" |  |',
          '| Create | `platform-bob` | bob@example.com in "Platform team" |  |',
          "",
        ].join("\n"),
        pr.preview,
      );

      const deploy = await step("deploy", "Deploy", { STACK: "prod", ALLOW_DESTROY: "false" });
      assert.equal(deploy.code, 0, deploy.log());
      assert.equal(deploy.summary, pr.summary, "the merge checks the same plan");
      assert.deepEqual(await members(), [
        "Platform incidents: users/110000000000000000001 ROLE_MANAGER",
        "Platform incidents: users/110000000000000000002 ROLE_MANAGER",
        "Platform incidents: users/110000000000000000003 ROLE_MEMBER",
        "Platform team: users/110000000000000000001 ROLE_MANAGER",
        "Platform team: users/110000000000000000002 ROLE_MANAGER",
        "Platform team: users/110000000000000000003 ROLE_MEMBER",
      ]);
    });

    it("a pull request removing a person: refused without the label, in bold with what is lost; with it, previewed and deployed", async () => {
      const program = join(folder, "index.ts");
      writeFileSync(program, readFileSync(program, "utf8").replace('  "bob@example.com": "ROLE_MEMBER",\n', ""));
      const spaces = Object.fromEntries(Object.values((await t.emulator.control.state()).spaces).map((s) => [s.displayName, `spaces/${s.id}`]));
      // Space ids are random: one like AAAA__2z is written AAAA_\_2z, an underscore that could open emphasis escaped.
      const shown = (name: string) => spaces[name].replace(/(?<![\p{L}\p{N}])_/gu, "\\_");
      const bold = [
        `- **Delete membership \`incidents-bob\`: removes bob@example.com from "Platform incidents" (${shown("Platform incidents")})**`,
        `- **Delete membership \`platform-bob\`: removes bob@example.com from "Platform team" (${shown("Platform team")})**`,
      ];

      const refused = await pullRequest({ allowDestroy: false });
      assert.equal(refused.status, "1");
      assert.equal(
        refused.summary,
        [
          "### Pulumi plan for stack `prod`",
          "",
          "2 to delete",
          "",
          "> [!CAUTION]",
          "> 2 deletion(s), replacement(s) or removal(s): not deployed unless allowed (--allow-destroy).",
          "",
          ...bold,
          "",
        ].join("\n"),
      );
      assert.equal(refused.check.code, 1);
      assert.equal(
        refused.check.stdout,
        "::error::This change deletes or replaces spaces or memberships. A maintainer adds the allow-destroy label to allow it.\n",
      );

      // Merged without the label (the check was not required): the deploy refuses too, and removes no one.
      const before = await members();
      const blocked = await step("deploy", "Deploy", { STACK: "prod", ALLOW_DESTROY: "false" });
      assert.equal(blocked.code, 1, blocked.log());
      assert.match(blocked.stdout, /::error::Not deployed: see the plan summary \(pulumi-googlechat plan exit 1\)\./);
      assert.deepEqual(await members(), before);

      const allowed = await pullRequest({ allowDestroy: true });
      assert.equal(allowed.status, "0");
      assert.equal(allowed.check.code, 0);
      assert.ok(
        allowed.summary.includes("> 2 deletion(s), replacement(s) or removal(s), allowed for this change (--allow-destroy).\n\n" + bold.join("\n")),
        allowed.summary,
      );

      const mark = await logMark(t.emulator);
      const deploy = await step("deploy", "Deploy", { STACK: "prod", ALLOW_DESTROY: "true" });
      assert.equal(deploy.code, 0, deploy.log());
      const bobOf = (space: string) => `DELETE /v1/${spaces[space]}/members/110000000000000000003 200`;
      assert.deepEqual(
        (await apiCalls(t.emulator, mark)).filter((call) => / \/v1\/spaces/.test(call) && !call.startsWith("GET")).sort(),
        [bobOf("Platform incidents"), bobOf("Platform team")].sort(),
      );
      assert.deepEqual(
        await members(),
        before.filter((m) => !m.endsWith("users/110000000000000000003 ROLE_MEMBER")),
      );
    });

    it("the deploy runs only the plan it checked: `pulumi up --plan` refuses a step its saved plan does not hold, and changes nothing", async () => {
      // plan.json is the last deploy's (it removed bob); the program now adds carol, which that plan does not hold.
      const program = join(folder, "index.ts");
      const declared = readFileSync(program, "utf8");
      writeFileSync(
        program,
        declared.replace('  "alice@example.com": "ROLE_MANAGER",\n', '  "alice@example.com": "ROLE_MANAGER",\n  "carol@example.com": "ROLE_MEMBER",\n'),
      );
      const before = await members();
      const mark = await logMark(t.emulator);
      const up = await runScript("deploy", "pulumi up --stack prod --yes --skip-preview --plan plan.json", { PULUMI_EXPERIMENTAL: "true" });
      writeFileSync(program, declared);
      assert.notEqual(up.code, 0, up.log());
      assert.match(up.stdout + up.stderr, /violates plan|not allowed by the plan/, up.log());
      assert.deepEqual(
        (await apiCalls(t.emulator, mark)).filter((call) => !call.startsWith("GET")),
        [],
        "no write to Chat",
      );
      assert.deepEqual(await members(), before);
    });

    it("a preview that exits non-zero though its JSON holds no error: both jobs fail it (exit 3), the summary says so, nothing is deployed", async () => {
      const failing = { PATH: `${failingPreview}:${env.PATH}` };
      const preview = await step("preview", "Preview", { STACK: "prod", ...failing });
      assert.deepEqual([preview.code, preview.outputs.status], [0, "7"], preview.log());
      assert.doesNotMatch(readFileSync(join(folder, "preview.json"), "utf8"), /"severity": "error"/, "the JSON alone tells no failure");
      const plan = await step("preview", "Plan summary", { ALLOW_DESTROY: "false", PREVIEW_STATUS: preview.outputs.status });
      assert.equal(plan.outputs.status, "3");
      const caution = "\n> [!CAUTION]\n> **pulumi preview failed** (exit 7): nothing can be deployed from it; see the job log.\n";
      assert.ok(plan.summary.endsWith(caution), plan.summary);
      const check = await step("preview", "Refuse a deletion or replacement without the allow-destroy label", { STATUS: plan.outputs.status });
      assert.deepEqual([check.code, check.stdout], [1, "::error::pulumi preview failed: see the plan summary.\n"]);

      const mark = await logMark(t.emulator);
      const deploy = await step("deploy", "Deploy", { STACK: "prod", ALLOW_DESTROY: "false", ...failing });
      assert.equal(deploy.code, 3, deploy.log());
      assert.ok(deploy.summary.endsWith(caution), deploy.summary);
      assert.match(deploy.stdout, /::error::pulumi preview failed \(exit 7\)\./);
      assert.deepEqual(
        (await apiCalls(t.emulator, mark)).filter((call) => !call.startsWith("GET")),
        [],
        "no write to Chat",
      );
    });

    it("a pull request's identity may act as the read-only account only: IAM refuses it the deployer; main's gets the deployer", async () => {
      const token = async (subject: string, serviceAccount: string) => {
        // The constructor of the file's source (a URL), as the library advises over ExternalAccountClient.fromJSON, which prints a notice each time.
        const client = new IdentityPoolClient({
          ...(await credentialsOf(subject, serviceAccount)),
          scopes: ["https://www.googleapis.com/auth/cloud-platform"],
        } as never);
        return client.getAccessToken().then(
          () => "granted",
          (error: unknown) => {
            assert.ok(error instanceof GaxiosError, String(error));
            return `${error.response?.status} ${(error.response?.data as { error: { message: string } } | undefined)?.error.message}`;
          },
        );
      };
      const { GOOGLE_SERVICE_ACCOUNT: deployer, GOOGLE_PREVIEW_SERVICE_ACCOUNT: reader } = accounts;
      assert.equal(await token(SUBJECTS.preview, deployer), "403 Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).");
      // A pull request from a branch of the repository is still not main: refused too.
      assert.equal(
        await token("repo:octo/chat-spaces:ref:refs/heads/feature", deployer),
        "403 Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
      );
      assert.equal(await token(SUBJECTS.preview, reader), "granted");
      assert.equal(await token(SUBJECTS.deploy, deployer), "granted");
      // The previews ran as the read-only account: the credentials the preview job was given impersonate it.
      assert.match(
        JSON.parse(readFileSync(credentials.preview, "utf8")).service_account_impersonation_url,
        new RegExp(`/serviceAccounts/${reader}:generateAccessToken$`),
      );
    });

    it("the chain was keyless end to end, and none of its tokens reached the state, the preview, the summaries or the logs", async () => {
      const rpcs = new Set<string>((await t.emulator.control.requests()).map((r) => r.rpc));
      for (const rpc of [
        "ci.oidcToken",
        "sts.token",
        "iamcredentials.generateAccessToken",
        "iamcredentials.signJwt",
        "oauth2.token",
        "spaces.create",
        "spaces.members.delete",
      ]) {
        assert.ok(rpcs.has(rpc), `the pipeline went through ${rpc}`);
      }
      const secrets = await issued();
      assert.ok(secrets.length > 4, "the chain issued tokens");
      assertNoSecrets("the state", filesUnder(state), secrets);
      assertNoSecrets("the preview JSON", readFileSync(join(folder, "preview.json"), "utf8"), secrets);
      assertNoSecrets("the steps' output and summaries", transcript, secrets);
      assert.ok(transcript.length > 1000, "the steps' output was captured");
      // google-auth-library's notices for unvalidated configurations reached every run's diagnostics once.
      assert.doesNotMatch(transcript, /does not validate the credential configuration/);
    });
  });
});
