/**
 * Who the calling user is (provider/core/caller-identity.ts), through the provider's Chat client
 * against the emulator over HTTP: with a user's own credentials, the email of their access token
 * from tokeninfo, asked once per process and credentials; with domain-wide delegation and app
 * authentication, no request; the missing email scope's message; tokeninfo's failures retried and
 * worded like every token request's; and no access token in any message or log line.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AuthorizedUserCredentials, EmulatorControl, type RunningEmulator, startEmulator } from "../../emulator";
import { CallerUnknown } from "../../provider/core/caller-identity";
import { type ChatApiDeps, ChatSpacesApi, type Target } from "../../provider/core/chat-api";
import { ChatApiError, explain } from "../../provider/core/errors";
import { resolveSettings } from "../../provider/core/settings";
import { SCOPE, useEmulator } from "../helpers/emulator";

const ALICE_ID = "110000000000000000002";
const BOB_ID = "110000000000000000003";
const TARGET: Target = { label: "eng", resource: "ChatSpaceMembers", urn: "urn:pulumi:test::proj::pulumi-nodejs:dynamic/googlechat:ChatSpaceMembers::eng" };
const MEMBERSHIPS = SCOPE("chat.memberships");

describe("provider: the calling user's identity", () => {
  const t = useEmulator();

  /** The provider's Chat client as configured by `config` against `emulator` (rate limiter off); `deps` replace its clock, sleep and log. */
  function chatApi(config: Record<string, string>, deps: Partial<ChatApiDeps> = {}, emulator: RunningEmulator = t.emulator): ChatSpacesApi {
    const all: Record<string, string> = {
      "googlechat:apiEndpoint": emulator.url,
      "googlechat:tokenEndpoint": emulator.tokenUrl,
      "googlechat:membershipReadsPerMinute": "0",
      "googlechat:perSpaceReadsPerSecond": "0",
      ...config,
    };
    let process = processes.get(deps);
    if (!process) processes.set(deps, (process = { now: Date.now, sleep: async () => {}, random: () => 0.5, log: () => {}, ...deps }));
    return new ChatSpacesApi(
      resolveSettings((key) => all[key], {}),
      process,
    );
  }
  /** The process of each `deps` given to {@link chatApi}: clients made with one object are one process's, which share what it learnt. */
  const processes = new WeakMap<Partial<ChatApiDeps>, ChatApiDeps>();
  /** `user`'s own credentials as `gcloud auth application-default login` writes them. */
  const ownCredentials = (user: AuthorizedUserCredentials) => ({ "googlechat:credentials": JSON.stringify(user) });
  /** `user`'s refresh token as an `external_account_authorized_user` file (workforce identity federation), refreshed at `tokenUrl`. */
  const workforceCredentials = (user: AuthorizedUserCredentials, tokenUrl = t.emulator.tokenUrl) => ({
    "googlechat:credentials": JSON.stringify({
      type: "external_account_authorized_user",
      audience: "//iam.googleapis.com/locations/global/workforcePools/w/providers/r",
      client_id: user.client_id,
      client_secret: user.client_secret,
      refresh_token: user.refresh_token,
      token_url: tokenUrl,
    }),
  });
  const alice = () => t.control.authorizedUser("alice@example.com", [MEMBERSHIPS]);
  /** Every request the emulator answered since `from`, as "rpc status [principal]". */
  const requests = async (from = 0, control: EmulatorControl = t.control) =>
    (await control.requests(from)).map((r) => `${r.rpc} ${r.status}${r.principal ? ` ${r.principal}` : ""}`);
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

  describe("with a user's own credentials", () => {
    it("authorized_user: learns the email from one tokeninfo request, with the token the client holds for its calls", async () => {
      const api = chatApi(ownCredentials(await alice()));
      assert.equal(await api.callerEmail({ target: TARGET }), "alice@example.com");
      await assert.rejects(api.listMembers("spaces/AAAAnothere", {}), { httpStatus: 404 });
      assert.deepEqual(await requests(), ["oauth2.token 200", `oauth2.tokeninfo 200 user:${ALICE_ID}`, `spaces.members.list 404 user:${ALICE_ID}`]);
    });

    it("external_account_authorized_user: learns the email from one tokeninfo request beside googlechat:tokenEndpoint", async () => {
      const api = chatApi(workforceCredentials(await alice()));
      assert.equal(await api.callerEmail(), "alice@example.com");
      assert.deepEqual(await requests(), ["oauth2.token 200", `oauth2.tokeninfo 200 user:${ALICE_ID}`]);
    });

    it("asks once per process and credentials: again, from another provider of the process configured alike, and concurrently; another process asks again", async () => {
      const credentials = ownCredentials(await alice());
      // One process: its providers share its deps (provider/index.ts).
      const process = {};
      const first = chatApi(credentials, process);
      const second = chatApi(credentials, process);
      assert.deepEqual(await Promise.all([first.callerEmail(), second.callerEmail(), first.callerEmail()]), [
        "alice@example.com",
        "alice@example.com",
        "alice@example.com",
      ]);
      assert.equal(await chatApi(credentials, process).callerEmail(), "alice@example.com");
      assert.deepEqual(await requests(), ["oauth2.token 200", `oauth2.tokeninfo 200 user:${ALICE_ID}`]);
      const bob = await t.control.authorizedUser("bob@example.com", [MEMBERSHIPS]);
      const mark = (await t.control.requests(0)).length;
      assert.equal(await chatApi(ownCredentials(bob), process).callerEmail(), "bob@example.com", "other credentials are asked about on their own");
      assert.equal(await chatApi(credentials).callerEmail(), "alice@example.com", "another process asks again");
      assert.deepEqual((await requests()).slice(mark), [
        "oauth2.token 200",
        `oauth2.tokeninfo 200 user:${BOB_ID}`,
        "oauth2.token 200",
        `oauth2.tokeninfo 200 user:${ALICE_ID}`,
      ]);
    });

    it("says which scope to add and the gcloud line that adds it when the token has no email, and asks no more", async () => {
      await t.control.setSettings({ usersWithoutEmailScope: ["alice@example.com"] });
      const api = chatApi(ownCredentials(await alice()));
      const expected =
        `The calling user can't be told: with credentials of type "authorized_user" (a user's own) the provider learns the caller's email from Google's tokeninfo (${t.emulator.tokenInfoUrl}), ` +
        "which answers it only for an access token with the scope https://www.googleapis.com/auth/userinfo.email, and these credentials were signed in without it. " +
        "The provider must know the caller, whom it never removes or demotes. " +
        "Sign in again adding that scope to yours: gcloud auth application-default login --client-id-file=client_secret.json " +
        "--scopes=openid,https://www.googleapis.com/auth/userinfo.email,https://www.googleapis.com/auth/cloud-platform,https://www.googleapis.com/auth/chat.memberships " +
        "(client_secret.json: your desktop OAuth client's); or act as the user through domain-wide delegation (googlechat:impersonateUser).";
      await assert.rejects(api.callerEmail(), (error: Error) => error instanceof CallerUnknown && error.message === expected);
      await assert.rejects(chatApi(ownCredentials(await alice())).callerEmail(), CallerUnknown);
      await assert.rejects(api.callerEmail(), { message: expected });
      assert.deepEqual(await requests(), [
        "oauth2.token 200",
        `oauth2.tokeninfo 200 user:${ALICE_ID}`,
        "oauth2.token 200",
        `oauth2.tokeninfo 200 user:${ALICE_ID}`,
      ]);
    });

    it("gives workforce credentials their own gcloud line (--login-config)", async () => {
      await t.control.setSettings({ usersWithoutEmailScope: ["alice@example.com"] });
      await assert.rejects(chatApi(workforceCredentials(await alice())).callerEmail(), {
        message:
          `The calling user can't be told: with credentials of type "external_account_authorized_user" (a user's own) the provider learns the caller's email from Google's tokeninfo (${t.emulator.tokenInfoUrl}), ` +
          "which answers it only for an access token with the scope https://www.googleapis.com/auth/userinfo.email, and these credentials were signed in without it. " +
          "The provider must know the caller, whom it never removes or demotes. " +
          "Sign in again adding that scope to yours: gcloud auth application-default login --login-config=LOGIN_CONFIG_FILE " +
          "--scopes=openid,https://www.googleapis.com/auth/userinfo.email,https://www.googleapis.com/auth/cloud-platform,https://www.googleapis.com/auth/chat.memberships; " +
          "or act as the user through domain-wide delegation (googlechat:impersonateUser).",
      });
    });
  });

  describe("without a request", () => {
    it("domain-wide delegation: googlechat:impersonateUser", async () => {
      const api = chatApi({ "googlechat:credentials": JSON.stringify(t.serviceAccount), "googlechat:impersonateUser": "admin@example.com" });
      assert.equal(await api.callerEmail(), "admin@example.com");
      assert.deepEqual(await requests(), []);
    });

    it("domain-wide delegation: googlechat:impersonateUser in capitals acts as that user, named as Google stores her email (lower-cased)", async () => {
      const api = chatApi({ "googlechat:credentials": JSON.stringify(t.serviceAccount), "googlechat:impersonateUser": "Admin@Example.COM" });
      assert.equal(await api.callerEmail(), "admin@example.com");
      await assert.rejects(api.listMembers("spaces/AAAAnothere", {}), { httpStatus: 404 });
      assert.deepEqual(await requests(), ["oauth2.token 200", "spaces.members.list 404 user:110000000000000000001"]);
    });

    it("app authentication: no user to learn", async () => {
      const api = chatApi({ "googlechat:credentials": JSON.stringify(t.serviceAccount) });
      assert.equal(await api.callerEmail(), undefined);
      assert.deepEqual(await requests(), []);
    });
  });

  describe("when tokeninfo fails", () => {
    it("a 503 is retried by the provider's policy, on its clock, with a log line naming the resource: one request per try", async () => {
      await t.control.addFault({ match: { methods: ["oauth2.tokeninfo"] }, action: { kind: "error", status: 503 }, count: 1 });
      const { seen, deps } = clock();
      const api = chatApi(ownCredentials(await alice()), deps);
      assert.equal(await api.callerEmail({ target: TARGET }), "alice@example.com");
      assert.deepEqual(seen.slept, [375]);
      assert.deepEqual(seen.logged, ["ChatSpaceMembers eng: oauth2.tokeninfo: token request: 503 temporarily_unavailable; waiting 0.4 s before retry 1"]);
      assert.deepEqual(await requests(), ["oauth2.token 200", "oauth2.tokeninfo 503", `oauth2.tokeninfo 200 user:${ALICE_ID}`]);
    });

    it("a tokeninfo that never answers times out after googlechat:requestTimeoutSeconds, and is asked again", async () => {
      await t.control.addFault({ match: { methods: ["oauth2.tokeninfo"] }, action: { kind: "holdAfterCommit" }, count: 1 });
      const { seen, deps } = clock();
      const api = chatApi({ ...ownCredentials(await alice()), "googlechat:requestTimeoutSeconds": "0.2" }, deps);
      assert.equal(await api.callerEmail({ target: TARGET }), "alice@example.com");
      assert.deepEqual(seen.logged, ["ChatSpaceMembers eng: oauth2.tokeninfo: token request: no answer (timed out); waiting 0.4 s before retry 1"]);
      // The held answer goes out (to no one) when the fault is cleared, and is logged then.
      await t.control.clearFaults();
      while ((await requests()).length < 3) await new Promise((done) => setTimeout(done, 10));
      assert.deepEqual(await requests(), ["oauth2.token 200", `oauth2.tokeninfo 200 user:${ALICE_ID}`, `oauth2.tokeninfo 200 user:${ALICE_ID}`]);
    });

    it("past the deadline, names tokeninfo and where its URL comes from; the failure is not kept", async () => {
      await t.control.addFault({ match: { methods: ["oauth2.tokeninfo"] }, action: { kind: "error", status: 503 } });
      const { seen, deps } = clock();
      const api = chatApi({ ...ownCredentials(await alice()), "googlechat:retryDeadlineSeconds": "2" }, deps);
      const error = await api.callerEmail({ target: TARGET }).then(
        () => assert.fail("expected the deadline"),
        (e: unknown) => e,
      );
      assert.ok(error instanceof ChatApiError);
      assert.deepEqual(seen.slept, [375, 750]);
      assert.equal(
        explain(TARGET.label, error, "user", "ChatSpaceMembers"),
        "ChatSpaceMembers eng: oauth2.tokeninfo failed (token request: 503 temporarily_unavailable: The service is currently unavailable. (gave up after 3 tries over 1.1 s)). " +
          `The tokeninfo endpoint ${t.emulator.tokenInfoUrl} did not answer successfully even after retries: run pulumi up again later; googlechat:requestTimeoutSeconds sets how long one request waits.`,
      );
      await t.control.clearFaults();
      assert.equal(await api.callerEmail(), "alice@example.com");
      assert.deepEqual(
        (await requests()).filter((r) => r.startsWith("oauth2.tokeninfo")),
        ["oauth2.tokeninfo 503", "oauth2.tokeninfo 503", "oauth2.tokeninfo 503", `oauth2.tokeninfo 200 user:${ALICE_ID}`],
      );
    });

    it("a refused refresh on the way is the token endpoint's failure, with its advice", async () => {
      const user = await alice();
      const api = chatApi(ownCredentials({ ...user, refresh_token: "1//revoked" }));
      const error = await api.callerEmail({ target: TARGET }).then(
        () => assert.fail("expected a refusal"),
        (e: unknown) => e,
      );
      assert.match(
        explain(TARGET.label, error, "user", "ChatSpaceMembers"),
        /^ChatSpaceMembers eng: oauth2\.tokeninfo failed \(token request: 400 invalid_grant: Token has been expired or revoked\.\)\. The credentials were refused: a refresh token that expired or was revoked/,
      );
      assert.deepEqual(await requests(), ["oauth2.token 400"]);
    });
  });

  it("puts no access token in any message or log line: the emulator's own, the provider's retries, its errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "caller-identity-"));
    const dataFile = join(dir, "state.json");
    const emulator = await startEmulator({ port: 0, dataFile });
    try {
      const control = new EmulatorControl(emulator.url);
      const seen: string[] = [];
      const deps = { ...clock().deps, log: (line: string) => void seen.push(line) };
      const api = (user: AuthorizedUserCredentials, config: Record<string, string> = {}) => chatApi({ ...ownCredentials(user), ...config }, deps, emulator);
      const message = (p: Promise<unknown>) =>
        p.then(
          () => assert.fail("expected a failure"),
          (e: Error) => void seen.push(e.message, String(e.stack), JSON.stringify(e), explain("eng", e, "user", "ChatSpaceMembers")),
        );

      await control.addFault({ match: { methods: ["oauth2.tokeninfo"] }, action: { kind: "error", status: 503 }, count: 1 });
      await api(await control.authorizedUser("alice@example.com", [MEMBERSHIPS])).callerEmail({ target: TARGET });
      await control.addFault({ match: { methods: ["oauth2.tokeninfo"] }, action: { kind: "error", status: 400 }, count: 1 });
      await message(api(await control.authorizedUser("bob@example.com", [MEMBERSHIPS])).callerEmail({ target: TARGET }));
      await control.setSettings({ usersWithoutEmailScope: ["admin@example.com"] });
      await message(api(await control.authorizedUser("admin@example.com", [MEMBERSHIPS])).callerEmail({ target: TARGET }));
      const log = await control.requests();
      for (const request of log) seen.push(JSON.stringify(request));

      const issued = Object.keys((JSON.parse(readFileSync(dataFile, "utf8")) as { accessTokens: Record<string, unknown> }).accessTokens);
      assert.equal(issued.length, 3, "one token per user, kept by the emulator's data file");
      assert.deepEqual(
        log.map((r) => `${r.rpc} ${r.status}`),
        [
          "oauth2.token 200",
          "oauth2.tokeninfo 503",
          "oauth2.tokeninfo 200",
          "oauth2.token 200",
          "oauth2.tokeninfo 400",
          "oauth2.token 200",
          "oauth2.tokeninfo 200",
        ],
      );
      assert.ok(seen.length > log.length + 6, "the retry's log line and each failure's texts were seen");
      for (const token of issued)
        assert.deepEqual(
          seen.filter((line) => line.includes(token)),
          [],
          "no line holds an access token",
        );
    } finally {
      await emulator.stop();
    }
  });
});
