/**
 * Each kind of credential Application Default Credentials takes, configured on the provider as a
 * user would, against the emulator's stand-ins over real HTTP: the exact token requests the
 * provider's clients send, the Chat call succeeding as the right principal, and the messages of
 * refusals.
 */
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gcpMetadata } from "google-auth-library";
import {
  DEFAULT_SETTINGS,
  externalAccountCredentials,
  KeylessControl,
  type KeylessServiceAccount,
  type SubjectTokenSource,
  TOKEN_CREATOR,
  WORKLOAD_IDENTITY_USER,
  type WorkloadIdentityProvider,
} from "../../emulator";
import { ChatSpaceProvider } from "../../provider/space/provider";
import { useEmulator } from "../helpers/emulator";
import { sdkInputs } from "../helpers/provider";

const CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";
const SUBJECT = "repo:octo/chat-spaces:ref:refs/heads/main";
const ADMIN_ID = DEFAULT_SETTINGS.users.find((u) => u.email === "admin@example.com")!.id;
const APP_SPACE = { displayName: "Bot", customer: "customers/my_customer" };

describe("provider: keyless credentials against the emulator", () => {
  const t = useEmulator();
  let keyless: KeylessControl;
  let pool: WorkloadIdentityProvider;
  let federated: string;
  const dir = mkdtempSync(join(tmpdir(), "credentials-"));
  const savedEnv: Record<string, string | undefined> = {};
  const setEnv = (name: string, value: string) => {
    if (!(name in savedEnv)) savedEnv[name] = process.env[name];
    process.env[name] = value;
  };

  before(async () => {
    keyless = new KeylessControl(t.emulator.url);
    pool = await keyless.workloadIdentityProvider();
    federated = `${pool.principalPrefix}${SUBJECT}`;
  });
  afterEach(() => {
    for (const [name, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
      delete savedEnv[name];
    }
  });

  /** A provider configured as a stack would be, against the emulator (rate limiter off), with no environment; `deps` replace its clock, sleep and log. */
  async function provider(config: Record<string, string>, deps: Partial<ConstructorParameters<typeof ChatSpaceProvider>[0]> = {}): Promise<ChatSpaceProvider> {
    const p = new ChatSpaceProvider({ env: {}, now: Date.now, sleep: async () => {}, random: () => 0.5, log: () => {}, ...deps });
    const all: Record<string, string> = {
      "googlechat:apiEndpoint": t.emulator.url,
      "googlechat:tokenEndpoint": t.emulator.tokenUrl,
      "googlechat:iamCredentialsEndpoint": t.emulator.iamUrl,
      "googlechat:spaceWritesPerMinute": "0",
      "googlechat:spaceCreatesPerMinute": "0",
      "googlechat:perSpaceWritesPerSecond": "0",
      ...config,
    };
    await p.configure({ config: { get: (k) => all[k], require: (k) => all[k] } });
    return p;
  }
  const mark = async () => (await t.control.requests()).at(-1)?.seq ?? 0;
  /** Every request since `from`, as "rpc status [principal]". */
  const requests = async (from: number) => (await t.control.requests(from)).map((r) => `${r.rpc} ${r.status}${r.principal ? ` ${r.principal}` : ""}`);
  const subjectTokenFile = async () => {
    const file = join(dir, `subject-${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, await keyless.subjectToken({ audience: pool.allowedAudiences[0], subject: SUBJECT }));
    return file;
  };
  const wif = (source: SubjectTokenSource, serviceAccount?: string) =>
    JSON.stringify(
      externalAccountCredentials({
        audience: pool.audience,
        stsUrl: t.emulator.stsUrl,
        source,
        impersonate: serviceAccount ? { serviceAccount, iamUrl: t.emulator.iamUrl } : undefined,
      }),
    );
  /** Points google-auth-library at the emulator's metadata server, forgetting whether it found one before (gcp-metadata caches that per process). */
  const useMetadataServer = () => {
    setEnv("GCE_METADATA_HOST", t.emulator.metadataHost);
    gcpMetadata.resetIsAvailableCache();
  };
  /** Every request since `from`, as "rpc path[?scopes] status [principal]". */
  const paths = async (from: number) =>
    (await t.control.requests(from)).map(
      (r) => `${r.rpc} ${r.path}${r.query.scopes ? `?scopes=${r.query.scopes}` : ""} ${r.status}${r.principal ? ` ${r.principal}` : ""}`,
    );
  /** The Chat app's service account, without keys, which the pipeline's identity may act as. */
  const appAccount = async (role = WORKLOAD_IDENTITY_USER as typeof WORKLOAD_IDENTITY_USER | typeof TOKEN_CREATOR): Promise<KeylessServiceAccount> => {
    const sa = await keyless.serviceAccount("chat-app");
    await keyless.bind({ serviceAccount: sa.email, member: pool.poolMember, role });
    return sa;
  };

  /** Creates an app-authenticated space; the requests it took. */
  const createAsApp = async (p: ChatSpaceProvider) => {
    const from = await mark();
    await p.create(sdkInputs("bot", APP_SPACE));
    return requests(from);
  };
  /** A pipeline's identity becoming the app: the exchange at STS, the service account's token, the call. */
  const federatedAppChain = (sa: KeylessServiceAccount) => [
    `sts.token 200 ${federated}`,
    `iamcredentials.generateAccessToken 200 ${federated}`,
    `spaces.create 200 app:${sa.email}`,
  ];

  describe("app authentication", () => {
    it("external_account with a file subject token and service account impersonation: STS, generateAccessToken, then the call as the app", async () => {
      const sa = await appAccount();
      const p = await provider({ "googlechat:credentials": wif({ file: await subjectTokenFile() }, sa.email) });
      assert.deepEqual(await createAsApp(p), federatedAppChain(sa));
    });

    it("external_account with a URL subject token and a header, as GitHub Actions writes it", async () => {
      const sa = await appAccount();
      const job = await keyless.ciJob({ subject: SUBJECT });
      const url = `${job.requestUrl}&audience=${encodeURIComponent(pool.allowedAudiences[0])}`;
      const p = await provider({ "googlechat:credentials": wif({ url, headers: { Authorization: `Bearer ${job.requestToken}` } }, sa.email) });
      assert.deepEqual(await createAsApp(p), ["ci.oidcToken 200", ...federatedAppChain(sa)]);
    });

    it("external_account with an executable subject token (GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1)", async () => {
      const sa = await appAccount();
      const output = join(dir, "executable-response.json");
      const token = await keyless.subjectToken({ audience: pool.allowedAudiences[0], subject: SUBJECT });
      writeFileSync(
        output,
        JSON.stringify({
          version: 1,
          success: true,
          token_type: "urn:ietf:params:oauth:token-type:jwt",
          id_token: token,
          expiration_time: Math.floor(Date.now() / 1000) + 600,
        }),
      );
      const script = join(dir, "subject-token.sh");
      writeFileSync(script, `#!/bin/sh\ncat '${output}'\n`);
      chmodSync(script, 0o755);
      setEnv("GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES", "1");
      const p = await provider({ "googlechat:credentials": wif({ executable: script }, sa.email) });
      assert.deepEqual(await createAsApp(p), federatedAppChain(sa));
    });

    it("impersonated_service_account (gcloud's ADC file after --impersonate-service-account): the user's token, then generateAccessToken", async () => {
      const sa = await keyless.serviceAccount("chat-app");
      await keyless.bind({ serviceAccount: sa.email, member: "user:admin@example.com", role: TOKEN_CREATOR });
      const user = await t.control.authorizedUser("admin@example.com", [CLOUD_PLATFORM]);
      const adcFile = {
        type: "impersonated_service_account",
        service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${sa.email}:generateAccessToken`,
        source_credentials: user,
        delegates: [],
      };
      const p = await provider({ "googlechat:credentials": JSON.stringify(adcFile) });
      const from = await mark();
      await p.create(sdkInputs("bot", APP_SPACE));
      assert.deepEqual(await requests(from), [
        "oauth2.token 200",
        "iamcredentials.generateAccessToken 200 user:admin@example.com",
        `spaces.create 200 app:${sa.email}`,
      ]);
    });

    it("googlechat:impersonateServiceAccount over a service account key: the key's token, then generateAccessToken for the app", async () => {
      const sa = await keyless.serviceAccount("chat-app");
      const deployer = await t.control.serviceAccount({ name: "deployer" });
      await keyless.bind({ serviceAccount: sa.email, member: `serviceAccount:${deployer.client_email}`, role: TOKEN_CREATOR });
      const p = await provider({ "googlechat:credentials": JSON.stringify(deployer), "googlechat:impersonateServiceAccount": sa.email });
      const from = await mark();
      await p.create(sdkInputs("bot", APP_SPACE));
      assert.deepEqual(await requests(from), [
        "oauth2.token 200",
        `iamcredentials.generateAccessToken 200 serviceAccount:${deployer.client_email}`,
        `spaces.create 200 app:${sa.email}`,
      ]);
    });

    it("the metadata server when no credentials file is found (GCE_METADATA_HOST)", async () => {
      const sa = await keyless.serviceAccount("runner");
      await keyless.metadata(sa.email);
      useMetadataServer();
      const p = await provider({});
      const from = await mark();
      await p.create(sdkInputs("bot", APP_SPACE));
      // Whether a metadata server answers (gcp-metadata isAvailable), then the token.
      assert.deepEqual(await paths(from), [
        "metadata.get /computeMetadata/v1/instance 200",
        `metadata.token /computeMetadata/v1/instance/service-accounts/default/token?scopes=https://www.googleapis.com/auth/chat.app.spaces.create 200 app:${sa.email}`,
        `spaces.create /v1/spaces 200 app:${sa.email}`,
      ]);
    });
  });

  describe("what the provider prints", () => {
    /** What `run` printed through console.warn or process.emitWarning (where a library's notices go: the provider's stderr, which the engine shows in every run's diagnostics). */
    const warnings = async (run: () => Promise<unknown>): Promise<string[]> => {
      const printed: string[] = [];
      const { warn } = console;
      const { emitWarning } = process;
      console.warn = (...args: unknown[]) => printed.push(args.map(String).join(" "));
      process.emitWarning = ((warning: string | Error) => printed.push(String(warning))) as typeof process.emitWarning;
      try {
        await run();
      } finally {
        console.warn = warn;
        process.emitWarning = emitWarning;
      }
      return printed;
    };

    it("no warning from google-auth-library for an impersonated service account, from a file or from googlechat:impersonateServiceAccount", async () => {
      const sa = await keyless.serviceAccount("chat-app");
      await keyless.bind({ serviceAccount: sa.email, member: "user:admin@example.com", role: TOKEN_CREATOR });
      await keyless.bind({ serviceAccount: sa.email, member: pool.poolMember, role: WORKLOAD_IDENTITY_USER });
      const user = await t.control.authorizedUser("admin@example.com", [CLOUD_PLATFORM]);
      const adcFile = {
        type: "impersonated_service_account",
        service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${sa.email}:generateAccessToken`,
        source_credentials: { type: "external_account", ...JSON.parse(wif({ file: await subjectTokenFile() })) },
        delegates: [],
      };
      const printed = await warnings(async () => {
        await createAsApp(await provider({ "googlechat:credentials": JSON.stringify(adcFile) }));
        await createAsApp(await provider({ "googlechat:credentials": JSON.stringify(user), "googlechat:impersonateServiceAccount": sa.email }));
        await createAsApp(
          await provider({ "googlechat:credentials": wif({ file: await subjectTokenFile() }), "googlechat:impersonateServiceAccount": sa.email }),
        );
      });
      assert.deepEqual(printed, []);
    });
  });

  describe("token exchanges that fail: STS, a workforce identity's refresh", () => {
    /**
     * A stand-in in front of the emulator's token endpoint `target` (its STS, or its OAuth token
     * endpoint): each request it receives is answered by `answer` (the number of the request,
     * from 1): a status and OAuth error body, "hang" (no answer ever), or "pass" (`target` answers).
     */
    async function inFrontOf(target: string, answer: (exchange: number) => number | OAuthRefusal | "hang" | "pass") {
      let received = 0;
      const server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", async () => {
          const what = answer(++received);
          if (what === "hang") return;
          if (what !== "pass") {
            const { status, ...body } = typeof what === "number" ? { status: what, ...UNAVAILABLE } : what;
            res.writeHead(status, { "Content-Type": "application/json" });
            return void res.end(JSON.stringify(body));
          }
          const headers = {
            "Content-Type": String(req.headers["content-type"]),
            ...(req.headers.authorization ? { Authorization: req.headers.authorization } : {}),
          };
          const passed = await fetch(target, { method: "POST", headers, body: Buffer.concat(chunks) });
          res.writeHead(passed.status, { "Content-Type": "application/json" });
          res.end(await passed.text());
        });
      });
      await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
      servers.push(server);
      return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/token`, received: () => received };
    }
    /** A token endpoint's refusal: an HTTP status and the OAuth error body (RFC 6749 §5.2). */
    type OAuthRefusal = { status: number; error: string; error_description: string };
    const UNAVAILABLE = { error: "temporarily_unavailable", error_description: "The service is currently unavailable." };
    /** A loopback URL with `path` where nothing listens: the port was free a moment ago. */
    const nothingAt = async (path: string) => {
      const server = createServer();
      await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
      const { port } = server.address() as AddressInfo;
      await new Promise((done) => server.close(done));
      return `http://127.0.0.1:${port}${path}`;
    };
    /** The message of the create that `p` was expected to fail. */
    const failure = (p: ChatSpaceProvider) =>
      p.create(sdkInputs("bot", APP_SPACE)).then(
        () => assert.fail("expected a failure"),
        (e: Error) => e.message,
      );
    const servers: Server[] = [];
    afterEach(() => {
      for (const server of servers.splice(0)) {
        server.closeAllConnections();
        server.close();
      }
    });
    /** A pipeline's credentials whose exchanges go to `stsUrl`, impersonating the app's service account. */
    const credentialsVia = async (stsUrl: string, sa: KeylessServiceAccount) =>
      JSON.stringify(
        externalAccountCredentials({
          audience: pool.audience,
          stsUrl,
          source: { file: await subjectTokenFile() },
          impersonate: { serviceAccount: sa.email, iamUrl: t.emulator.iamUrl },
        }),
      );
    /** The provider's clock, moved on by its sleeps only; what it slept and logged. */
    const clock = () => {
      const seen = { now: 0, slept: [] as number[], logged: [] as string[] };
      const deps = {
        now: () => seen.now,
        sleep: async (ms: number) => void (seen.slept.push(ms), (seen.now += ms)),
        log: (line: string) => void seen.logged.push(line),
      };
      return { seen, deps };
    };

    it("a 503 from STS is retried by the provider's policy: one exchange per try, its backoff on its clock, then the call", async () => {
      const sa = await appAccount();
      const sts = await inFrontOf(t.emulator.stsUrl, (n) => (n <= 2 ? 503 : "pass"));
      const { seen, deps } = clock();
      const p = await provider({ "googlechat:credentials": await credentialsVia(sts.url, sa) }, deps);
      const from = await mark();
      await p.create(sdkInputs("bot", APP_SPACE));
      assert.equal(sts.received(), 3, "gaxios' own retries (3 more tries per exchange) are off");
      assert.deepEqual(seen.slept, [375, 750]);
      assert.deepEqual(seen.logged, [
        "ChatSpace bot: spaces.create: token request: 503 temporarily_unavailable; waiting 0.4 s before retry 1",
        "ChatSpace bot: spaces.create: token request: 503 temporarily_unavailable; waiting 0.8 s before retry 2",
      ]);
      assert.deepEqual(await requests(from), federatedAppChain(sa));
    });

    it("an STS that never answers times out after googlechat:requestTimeoutSeconds, and the exchange is tried again", async () => {
      const sa = await appAccount();
      const sts = await inFrontOf(t.emulator.stsUrl, (n) => (n === 1 ? "hang" : "pass"));
      const { seen, deps } = clock();
      const p = await provider({ "googlechat:credentials": await credentialsVia(sts.url, sa), "googlechat:requestTimeoutSeconds": "0.2" }, deps);
      await p.create(sdkInputs("bot", APP_SPACE));
      assert.equal(sts.received(), 2);
      assert.deepEqual(seen.logged, ["ChatSpace bot: spaces.create: token request: no answer (timed out); waiting 0.4 s before retry 1"]);
    });

    it("an STS that answers 429 until the deadline: the provider gives up at googlechat:retryDeadlineSeconds with what it got", async () => {
      const sa = await appAccount();
      const sts = await inFrontOf(t.emulator.stsUrl, () => 429);
      const { seen, deps } = clock();
      const p = await provider({ "googlechat:credentials": await credentialsVia(sts.url, sa), "googlechat:retryDeadlineSeconds": "60" }, deps);
      const error = await p.create(sdkInputs("bot", APP_SPACE)).then(
        () => assert.fail("expected the deadline"),
        (e: Error) => e,
      );
      assert.equal(sts.received(), seen.slept.length + 1);
      assert.deepEqual(seen.slept, [375, 750, 1500, 3000, 6000, 12000, 22500]);
      assert.equal(
        error.message,
        "ChatSpace bot: spaces.create failed (token request: 429 temporarily_unavailable: The service is currently unavailable. (gave up after 8 tries over 46.1 s)). " +
          `The Security Token Service ${sts.url} did not answer successfully even after retries: run pulumi up again later; googlechat:requestTimeoutSeconds sets how long one request waits.`,
        "the message names the STS that refused, not googlechat:tokenEndpoint",
      );
    });

    it("names the Security Token Service and the credentials' token_url when nothing answers at STS, not googlechat:tokenEndpoint", async () => {
      const sa = await appAccount();
      const stsUrl = await nothingAt("/v1/token");
      const p = await provider({ "googlechat:credentials": await credentialsVia(stsUrl, sa) });
      assert.equal(
        await failure(p),
        `ChatSpace bot: spaces.create failed (token request: no answer (ECONNREFUSED): request to ${stsUrl} failed, reason: connect ECONNREFUSED ${new URL(stsUrl).host}). ` +
          `Nothing answers at the Security Token Service ${stsUrl}: check the credentials' token_url (Google's is https://sts.googleapis.com/v1/token).`,
      );
    });

    it("sends a refused exchange to the workload identity pool provider's audience and attribute condition, not to an expired refresh token", async () => {
      const sa = await appAccount();
      const refusal = { status: 400, error: "invalid_grant", error_description: "The audience in ID Token does not match the expected audience." };
      const sts = await inFrontOf(t.emulator.stsUrl, () => refusal);
      const p = await provider({ "googlechat:credentials": await credentialsVia(sts.url, sa) });
      assert.equal(
        await failure(p),
        "ChatSpace bot: spaces.create failed (token request: 400 invalid_grant: The audience in ID Token does not match the expected audience.). " +
          `The Security Token Service ${sts.url} refused to exchange the CI system's token: check the credentials' audience and token_url, and that the workload identity pool provider (the audience names it) accepts this job's token: its issuer, allowed audiences and attribute condition (the repository, branch or environment the token's claims name).`,
      );
      assert.equal(sts.received(), 1, "a refusal is not retried");
    });

    it("names the CI's ID-token URL when it does not answer, without the URL's query anywhere in the message", async () => {
      const sa = await appAccount();
      const source = await nothingAt("/idtoken");
      const p = await provider({ "googlechat:credentials": wif({ url: `${source}?api-version=2.0&secret=abc`, headers: {} }, sa.email) });
      assert.equal(
        await failure(p),
        `ChatSpace bot: spaces.create failed (token request: no answer (ECONNREFUSED): request to ${source} failed, reason: connect ECONNREFUSED ${new URL(source).host}). ` +
          `Nothing answers at the subject token source ${source}: check the credentials' credential_source.url, and that the CI system gives this job an ID token (on GitHub Actions, the job's permissions: id-token: write).`,
      );
    });

    it("quotes no user info or query of an ID-token URL that fetch refuses to send", async () => {
      const sa = await appAccount();
      const source = await nothingAt("/idtoken");
      const p = await provider({
        "googlechat:credentials": wif({ url: `${source.replace("http://", "http://ci:hunter2@")}?secret=abc`, headers: {} }, sa.email),
      });
      assert.equal(await failure(p), `ChatSpace bot: ${source} is an url with embedded credentials.`);
    });

    it("says the CI system refused the job its ID token, naming its URL without the query", async () => {
      const sa = await appAccount();
      const job = await keyless.ciJob({ subject: SUBJECT });
      const url = `${job.requestUrl}&audience=${encodeURIComponent(pool.allowedAudiences[0])}`;
      const p = await provider({ "googlechat:credentials": wif({ url, headers: { Authorization: "Bearer wrong" } }, sa.email) });
      const message = await failure(p);
      assert.equal(
        message,
        "ChatSpace bot: spaces.create failed (token request: 401: Request failed with status code 401). " +
          `The CI system refused the job its ID token at ${url.split("?")[0]}: check that the job may ask for one (on GitHub Actions, permissions: id-token: write) and the credentials' credential_source (its url and headers).`,
      );
    });

    it("logs a retried ID-token request without its URL: a 503 from the CI, then the chain", async () => {
      const sa = await appAccount();
      const job = await keyless.ciJob({ subject: SUBJECT });
      let received = 0;
      const ci = createServer(async (req, res) => {
        if (++received === 1) return void res.writeHead(503, { "Content-Type": "application/json" }).end("{}");
        const passed = await fetch(`${job.requestUrl}&audience=${encodeURIComponent(pool.allowedAudiences[0])}`, {
          headers: { Authorization: String(req.headers.authorization) },
        });
        res.writeHead(passed.status, { "Content-Type": "application/json" }).end(await passed.text());
      });
      await new Promise<void>((done) => ci.listen(0, "127.0.0.1", done));
      servers.push(ci);
      const url = `http://127.0.0.1:${(ci.address() as AddressInfo).port}/idtoken?api-version=2.0&secret=abc`;
      const { seen, deps } = clock();
      const p = await provider({ "googlechat:credentials": wif({ url, headers: { Authorization: `Bearer ${job.requestToken}` } }, sa.email) }, deps);
      const from = await mark();
      await p.create(sdkInputs("bot", APP_SPACE));
      assert.deepEqual(seen.logged, ["ChatSpace bot: spaces.create: token request: 503; waiting 0.4 s before retry 1"]);
      assert.deepEqual(await requests(from), ["ci.oidcToken 200", ...federatedAppChain(sa)]);
    });

    it("says the CI's subject token file can't be read, at once: no token endpoint is blamed, nothing retried", async () => {
      const sa = await appAccount();
      const missing = join(dir, "never-written");
      const { seen, deps } = clock();
      const p = await provider({ "googlechat:credentials": wif({ file: missing }, sa.email) }, deps);
      const from = await mark();
      assert.equal(
        await failure(p),
        `ChatSpace bot: The credentials' subject token file can't be read (The file at ${missing} does not exist, or it is not a file. ENOENT: no such file or directory, lstat '${missing}'): check credential_source.file, and that the CI step that writes the job's ID token there ran first (on GitHub Actions, google-github-actions/auth, with the job's permissions: id-token: write).`,
      );
      assert.deepEqual([seen.logged, await requests(from)], [[], []]);
    });

    it("names googlechat:iamCredentialsEndpoint when nothing answers at IAM Credentials", async () => {
      const sa = await appAccount();
      const iamUrl = await nothingAt("/iam");
      const p = await provider({
        "googlechat:credentials": wif({ file: await subjectTokenFile() }),
        "googlechat:impersonateServiceAccount": sa.email,
        "googlechat:iamCredentialsEndpoint": iamUrl,
      });
      const call = `${iamUrl}/v1/projects/-/serviceAccounts/${sa.email}:generateAccessToken`;
      assert.equal(
        await failure(p),
        `ChatSpace bot: spaces.create failed (token request: no answer (ECONNREFUSED): unable to impersonate: Error: request to ${call} failed, reason: connect ECONNREFUSED ${new URL(iamUrl).host}). ` +
          `Nothing answers at IAM Credentials ${call}: check googlechat:iamCredentialsEndpoint (GOOGLECHAT_IAM_CREDENTIALS_ENDPOINT) and the credentials' service_account_impersonation_url, or leave them to Google's https://iamcredentials.googleapis.com.`,
      );
    });

    it("a 503 to an external_account_authorized_user refresh is retried by the provider's policy: one refresh per try", async () => {
      const user = await t.control.authorizedUser("admin@example.com", ["https://www.googleapis.com/auth/chat.spaces.create"]);
      const tokenUrl = await inFrontOf(t.emulator.tokenUrl, (n) => (n === 1 ? 503 : "pass"));
      const workforce = workforceCredentials(user, tokenUrl.url);
      const { seen, deps } = clock();
      const p = await provider({ "googlechat:credentials": JSON.stringify(workforce) }, deps);
      const from = await mark();
      await p.create(sdkInputs("eng", { displayName: "Eng" }));
      assert.equal(tokenUrl.received(), 2, "gaxios' own retries are off");
      assert.deepEqual(seen.logged, ["ChatSpace eng: spaces.create: token request: 503 temporarily_unavailable; waiting 0.4 s before retry 1"]);
      assert.deepEqual(await requests(from), ["oauth2.token 200", `spaces.create 200 user:${ADMIN_ID}`]);
    });
  });

  describe("user authentication", () => {
    it("external_account_authorized_user (workforce identity federation): the refresh grant with HTTP Basic client credentials", async () => {
      const user = await t.control.authorizedUser("admin@example.com", ["https://www.googleapis.com/auth/chat.spaces.create"]);
      const workforce = workforceCredentials(user, t.emulator.tokenUrl);
      const p = await provider({ "googlechat:credentials": JSON.stringify(workforce) });
      const from = await mark();
      await p.create(sdkInputs("eng", { displayName: "Eng" }));
      assert.deepEqual(await requests(from), ["oauth2.token 200", `spaces.create 200 user:${ADMIN_ID}`]);
    });

    it("domain-wide delegation without a key, from external_account: the service account signs the claims with signJwt, then the jwt-bearer exchange; one subject token exchange for every scope", async () => {
      const sa = await appAccount(TOKEN_CREATOR);
      // The service account signs as itself: it needs the token creator role on itself.
      await keyless.bind({ serviceAccount: sa.email, member: `serviceAccount:${sa.email}`, role: TOKEN_CREATOR });
      const p = await provider({
        "googlechat:credentials": wif({ file: await subjectTokenFile() }, sa.email),
        "googlechat:impersonateUser": "admin@example.com",
      });
      const from = await mark();
      const { id, outs } = await p.create(sdkInputs("eng", { displayName: "Eng" }));
      await p.read(id, outs!);
      assert.deepEqual(await requests(from), [
        `sts.token 200 ${federated}`,
        `iamcredentials.generateAccessToken 200 ${federated}`,
        `iamcredentials.signJwt 200 serviceAccount:${sa.email}`,
        "oauth2.token 200",
        `spaces.create 200 user:${ADMIN_ID}`,
        `iamcredentials.signJwt 200 serviceAccount:${sa.email}`,
        "oauth2.token 200",
        `spaces.get 200 user:${ADMIN_ID}`,
      ]);
    });

    it("domain-wide delegation without a key, from googlechat:impersonateServiceAccount: the federated identity signs for the service account", async () => {
      const sa = await appAccount(TOKEN_CREATOR);
      const p = await provider({
        "googlechat:credentials": wif({ file: await subjectTokenFile() }),
        "googlechat:impersonateServiceAccount": sa.email,
        "googlechat:impersonateUser": "admin@example.com",
      });
      const from = await mark();
      await p.create(sdkInputs("eng", { displayName: "Eng" }));
      assert.deepEqual(await requests(from), [
        `sts.token 200 ${federated}`,
        `iamcredentials.signJwt 200 ${federated}`,
        "oauth2.token 200",
        `spaces.create 200 user:${ADMIN_ID}`,
      ]);
    });

    it("domain-wide delegation without a key, from the metadata server's service account", async () => {
      const sa = await keyless.serviceAccount("runner");
      await keyless.bind({ serviceAccount: sa.email, member: `serviceAccount:${sa.email}`, role: TOKEN_CREATOR });
      await keyless.metadata(sa.email);
      useMetadataServer();
      const p = await provider({ "googlechat:impersonateUser": "admin@example.com" });
      const from = await mark();
      await p.create(sdkInputs("eng", { displayName: "Eng" }));
      assert.deepEqual(await paths(from), [
        "metadata.get /computeMetadata/v1/instance 200",
        `metadata.get /computeMetadata/v1/instance/service-accounts/default/email 200 app:${sa.email}`,
        `metadata.token /computeMetadata/v1/instance/service-accounts/default/token?scopes=${CLOUD_PLATFORM} 200 app:${sa.email}`,
        `iamcredentials.signJwt /iam/v1/projects/-/serviceAccounts/${sa.email}:signJwt 200 serviceAccount:${sa.email}`,
        "oauth2.token /token 200",
        `spaces.create /v1/spaces 200 user:${ADMIN_ID}`,
      ]);
    });
  });

  describe("refusals", () => {
    const refusal = async (config: Record<string, string>, inputs = sdkInputs("eng", { displayName: "Eng" })) => {
      const p = await provider(config);
      const error = await p.create(inputs).then(
        () => assert.fail("expected a refusal"),
        (e: Error) => e,
      );
      return error.message;
    };

    it("names the role to grant when the pipeline's identity may not act as the service account, and works once it is granted", async () => {
      const sa = await keyless.serviceAccount("chat-app");
      const p = await provider({ "googlechat:credentials": wif({ file: await subjectTokenFile() }, sa.email) });
      assert.equal(
        await p.create(sdkInputs("bot", APP_SPACE)).then(
          () => "created",
          (e: Error) => e.message,
        ),
        `ChatSpace bot: The credentials may not act as the service account ${sa.email} (IAM Credentials generateAccessToken: 403 PERMISSION_DENIED: Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).). Grant the credentials' principal roles/iam.serviceAccountTokenCreator on ${sa.email} (gcloud iam service-accounts add-iam-policy-binding ${sa.email} --member=PRINCIPAL --role=roles/iam.serviceAccountTokenCreator); a workload identity pool's principals may have roles/iam.workloadIdentityUser instead, and check that the service account exists.`,
      );
      // Nothing of the refusal is kept: the same provider gets a token once the role is there.
      await keyless.bind({ serviceAccount: sa.email, member: pool.poolMember, role: WORKLOAD_IDENTITY_USER });
      assert.deepEqual(await createAsApp(p), federatedAppChain(sa));
    });

    it("names the role to grant when the credentials may not sign the delegation", async () => {
      const sa = await appAccount(WORKLOAD_IDENTITY_USER);
      assert.equal(
        await refusal({
          "googlechat:credentials": wif({ file: await subjectTokenFile() }),
          "googlechat:impersonateServiceAccount": sa.email,
          "googlechat:impersonateUser": "admin@example.com",
        }),
        `ChatSpace eng: The credentials may not sign the domain-wide delegation assertion as the service account ${sa.email} (IAM Credentials signJwt: 403 PERMISSION_DENIED: Permission 'iam.serviceAccounts.signJwt' denied on resource (or it may not exist).). Grant the credentials' principal roles/iam.serviceAccountTokenCreator on ${sa.email} (gcloud iam service-accounts add-iam-policy-binding ${sa.email} --member=PRINCIPAL --role=roles/iam.serviceAccountTokenCreator), and check that the service account exists.`,
      );
    });

    it("names the client ID and scopes to authorise in the Admin console when delegation is refused", async () => {
      const sa = await appAccount(TOKEN_CREATOR);
      await t.control.setSettings({ domainWideDelegation: false });
      assert.equal(
        await refusal({
          "googlechat:credentials": wif({ file: await subjectTokenFile() }),
          "googlechat:impersonateServiceAccount": sa.email,
          "googlechat:impersonateUser": "admin@example.com",
        }),
        `ChatSpace eng: Domain-wide delegation was refused for ${sa.email} acting as admin@example.com (token endpoint: unauthorized_client: Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.). A Workspace administrator must authorise the service account's client ID (its unique ID: gcloud iam service-accounts describe ${sa.email} --format='value(uniqueId)') for the scopes https://www.googleapis.com/auth/chat.spaces.create in the Admin console (Security > Access and data control > API controls > Domain-wide delegation), and admin@example.com must be a user of that organisation.`,
      );
    });

    it("says where it looked when there are no credentials and no metadata server", async () => {
      // gcp-metadata's own switch: no probing of 169.254.169.254 from a test.
      setEnv("METADATA_SERVER_DETECTION", "none");
      gcpMetadata.resetIsAvailableCache();
      assert.equal(
        await refusal({}, sdkInputs("bot", APP_SPACE)),
        "ChatSpace bot: No credentials found: googlechat:credentials and GOOGLE_APPLICATION_CREDENTIALS are unset, there is no gcloud ADC file (gcloud auth application-default login), and no metadata server answers (GCE_METADATA_HOST). Give one of them.",
      );
    });

    it("asks for googlechat:auth for a federated identity without a service account, at configure", async () => {
      await assert.rejects(provider({ "googlechat:credentials": wif({ file: join(dir, "unused") }) }), {
        message:
          'The provider can\'t tell whether credentials of type "external_account" without service_account_impersonation_url (a federated identity) act as the Chat app or as a user: set googlechat:auth (GOOGLECHAT_AUTH) to app or user.',
      });
    });
  });
});

/** An `external_account_authorized_user` file (workforce identity federation) for an emulator user, refreshed at `tokenUrl`. */
function workforceCredentials(user: { client_id: string; client_secret: string; refresh_token: string }, tokenUrl: string) {
  return {
    type: "external_account_authorized_user",
    audience: "//iam.googleapis.com/locations/global/workforcePools/w/providers/r",
    client_id: user.client_id,
    client_secret: user.client_secret,
    refresh_token: user.refresh_token,
    token_url: tokenUrl,
  };
}
