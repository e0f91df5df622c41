/**
 * A pipeline with nothing but federated identity creates, previews and
 * updates a space as the Chat app, under the real engine against the emulator. The Chat app is
 * a service account without a key; the pipeline's identity acts as it through IAM Credentials
 * `generateAccessToken` (googlechat:impersonateServiceAccount, as pulumi-gcp's
 * gcp:impersonateServiceAccount; docs/google-chat-api.md "Keyless credentials on the wire").
 *
 * The credentials are what google-github-actions/auth writes and points
 * GOOGLE_APPLICATION_CREDENTIALS at when it is given no `service_account`: an `external_account`
 * file whose subject token is the CI's ID token from a URL with the job's request token,
 * exchanged at STS; no `service_account_impersonation_url`, the stack's config names the app's
 * account. The harness's service account key is never used: GOOGLE_APPLICATION_CREDENTIALS is
 * the pipeline's file, and the request log shows no key's token grant (`oauth2.token`).
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { externalAccountCredentials, KeylessControl, WORKLOAD_IDENTITY_USER } from "../../emulator";
import { IAM_PREFIX, STS_PATH } from "../../emulator/keyless/keyless";
import { apiCalls, logMark } from "../helpers/provider";
import { assertNoSecrets, filesUnder, inlineStack, secretsOf, useEngineAndEmulator } from "./harness";
import { spaces } from "./programs";

/** GitHub's OIDC subject (`sub`) of a push to main. */
const SUBJECT = "repo:octo/chat-spaces:ref:refs/heads/main";

describe("e2e: keyless app authentication through an impersonated service account", () => {
  // The emulator keeps its data in a file, so the test can read every access token it issued.
  const dataFile = join(mkdtempSync(join(tmpdir(), "keyless-app-emulator-")), "emulator.json");
  const t = useEngineAndEmulator({ dataFile });

  it("creates, previews and updates a space as the app's keyless service account: STS then generateAccessToken, no key, no token in the state", async () => {
    const keyless = new KeylessControl(t.emulator.url);
    const pool = await keyless.workloadIdentityProvider();
    const app = await keyless.serviceAccount("chat-app");
    const federated = `${pool.principalPrefix}${SUBJECT}`;
    await keyless.bind({ serviceAccount: app.email, member: federated, role: WORKLOAD_IDENTITY_USER });
    const job = await keyless.ciJob({ subject: SUBJECT });

    const home = mkdtempSync(join(tmpdir(), "chatspace-keyless-app-"));
    const credentialsFile = join(home, "gha-creds.json");
    writeFileSync(
      credentialsFile,
      JSON.stringify(
        externalAccountCredentials({
          audience: pool.audience,
          stsUrl: `${t.emulator.url}${STS_PATH}`,
          source: {
            url: `${job.requestUrl}&audience=${encodeURIComponent(pool.allowedAudiences[0])}`,
            headers: { Authorization: `Bearer ${job.requestToken}` },
          },
        }),
      ),
      { mode: 0o600 },
    );
    const stack = await inlineStack("chat-keyless-app", "prod", spaces({ eng: { displayName: "Engineering", customer: "customers/my_customer" } }), {
      emulator: t.emulator,
      key: t.key,
      home,
      viaEnvironment: true,
    });
    stack.workspace.envVars.GOOGLE_APPLICATION_CREDENTIALS = credentialsFile;
    await stack.setAllConfig({
      "googlechat:auth": { value: "app" },
      "googlechat:impersonateServiceAccount": { value: app.email },
      "googlechat:iamCredentialsEndpoint": { value: `${t.emulator.url}${IAM_PREFIX}` },
    });
    /** Every request since `from`, as "rpc status [principal]". */
    const requests = async (from: number) =>
      (await t.emulator.control.requests(from)).map((r) => `${r.rpc} ${r.status}${r.principal ? ` ${r.principal}` : ""}`);
    /** The chain a provider process goes through once, then `call` as the app. */
    const asApp = (call: string) => [
      "ci.oidcToken 200",
      `sts.token 200 ${federated}`,
      `iamcredentials.generateAccessToken 200 ${federated}`,
      `${call} 200 app:${app.email}`,
    ];

    let mark = await logMark(t.emulator);
    const up = await stack.up({});
    assert.deepEqual(up.summary.resourceChanges, { create: 2 });
    assert.deepEqual(await requests(mark), asApp("spaces.create"));
    const [space] = Object.values((await t.emulator.control.state()).spaces);
    assert.deepEqual([`spaces/${space.id}`, space.displayName, space.creator], [up.outputs.engName.value, "Engineering", `app:${app.email}`]);

    // diff works from the stored outputs: no token, no read, no write.
    mark = await logMark(t.emulator);
    const preview = await stack.preview({});
    assert.deepEqual(preview.changeSummary, { same: 2 });
    assert.deepEqual(await t.emulator.control.requests(mark), []);

    stack.workspace.program = spaces({ eng: { displayName: "Engineering team", customer: "customers/my_customer" } });
    mark = await logMark(t.emulator);
    const update = await stack.up({});
    assert.deepEqual(update.summary.resourceChanges, { same: 1, update: 1 });
    assert.deepEqual(await requests(mark), asApp("spaces.patch"));
    assert.deepEqual(await apiCalls(t.emulator, mark).then((calls) => calls.filter((c) => c.includes("/v1/spaces"))), [
      `PATCH /v1/spaces/${space.id} display_name 200`,
    ]);
    assert.equal((await t.emulator.control.state()).spaces[space.id].displayName, "Engineering team");

    // The engine shows what the provider prints: google-auth-library's notice that its
    // Impersonated client does not validate a configuration was in every run's diagnostics.
    for (const run of [up, preview, update]) assert.doesNotMatch(`${run.stdout}${run.stderr}`, /does not validate the credential configuration/);

    // Tokens of every kind were issued, and none reached the state: the exported deployment
    // (secrets decrypted) nor any checkpoint, backup or history file on disk.
    const issued = await keyless.issued();
    assert.ok(
      issued.subjectTokens.length >= 2 && issued.federatedTokens.length >= 2,
      `the chain ran twice: ${JSON.stringify({ subject: issued.subjectTokens.length, federated: issued.federatedTokens.length })}`,
    );
    const secrets = [...secretsOf(t.key, undefined, dataFile), ...issued.subjectTokens, ...issued.federatedTokens, job.requestToken];
    const state = `${JSON.stringify(await stack.exportStack())}\n${filesUnder(join(home, "state"))}`;
    assert.match(state, new RegExp(space.id), "the state holds the space");
    assertNoSecrets("the state", state, secrets);
  });
});
