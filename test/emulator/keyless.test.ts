/**
 * The keyless stand-ins driven by google-auth-library's own clients, over real HTTP: what each
 * credential sends, what the emulator answers, and that the tokens it issues work on the Chat
 * routes as the right principal.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chat } from "@googleapis/chat";
import { GaxiosError } from "gaxios";
import { type AuthClient, type BaseExternalAccountClient, Compute, ExternalAccountClient, type OAuth2Client } from "google-auth-library";
import {
  DEFAULT_SETTINGS,
  externalAccountCredentials,
  KeylessControl,
  TOKEN_CREATOR,
  WORKLOAD_IDENTITY_USER,
  type WorkloadIdentityProvider,
} from "../../emulator";
import { SCOPE, useEmulator } from "../helpers/emulator";

const CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";
const SUBJECT = "repo:octo/chat-spaces:ref:refs/heads/main";
const ADMIN_ID = DEFAULT_SETTINGS.users.find((u) => u.email === "admin@example.com")!.id;

describe("emulator: keyless credentials (STS, IAM Credentials, metadata server, CI tokens)", () => {
  const t = useEmulator();
  let keyless: KeylessControl;
  let provider: WorkloadIdentityProvider;
  const dir = mkdtempSync(join(tmpdir(), "keyless-"));

  before(async () => {
    keyless = new KeylessControl(t.emulator.url);
    provider = await keyless.workloadIdentityProvider();
  });

  const since = async () => (await t.control.requests()).at(-1)?.seq ?? 0;
  const calls = async (from: number) => (await t.control.requests(from)).map((r) => `${r.rpc} ${r.status}${r.principal ? ` ${r.principal}` : ""}`);
  const listSpacesWith = (auth: OAuth2Client | BaseExternalAccountClient) => chat({ version: "v1", auth, rootUrl: `${t.emulator.url}/` }).spaces.list();
  const tokenFile = async (audience = provider.allowedAudiences[0], lifetimeSeconds?: number) => {
    const file = join(dir, `token-${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, await keyless.subjectToken({ audience, subject: SUBJECT, lifetimeSeconds }));
    return file;
  };
  const federated = (source: Parameters<typeof externalAccountCredentials>[0]["source"], serviceAccount?: string, scopes = [SCOPE("chat.bot")]) =>
    ExternalAccountClient.fromJSON({
      ...externalAccountCredentials({
        audience: provider.audience,
        stsUrl: t.emulator.stsUrl,
        source,
        impersonate: serviceAccount ? { serviceAccount, iamUrl: t.emulator.iamUrl } : undefined,
      }),
      scopes,
    } as never)!;
  const errorOf = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => assert.fail("expected a refusal"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof GaxiosError, String(error));
    return { status: error.response?.status, body: error.response?.data };
  };

  it("exchanges a file's subject token at STS, impersonates the service account, and calls Chat as the app", async () => {
    const sa = await keyless.serviceAccount("deployer");
    await keyless.bind({ serviceAccount: sa.email, member: provider.poolMember, role: WORKLOAD_IDENTITY_USER });
    const from = await since();
    await listSpacesWith(federated({ file: await tokenFile() }, sa.email));
    assert.deepEqual(await calls(from), [
      `sts.token 200 ${provider.principalPrefix}${SUBJECT}`,
      `iamcredentials.generateAccessToken 200 ${provider.principalPrefix}${SUBJECT}`,
      `spaces.list 200 app:${sa.email}`,
    ]);
  });

  it("reads the subject token from a URL with the job's request token, as GitHub Actions serves it", async () => {
    const sa = await keyless.serviceAccount("deployer");
    await keyless.bind({ serviceAccount: sa.email, member: `${provider.principalPrefix}${SUBJECT}`, role: TOKEN_CREATOR });
    const job = await keyless.ciJob({ subject: SUBJECT });
    const url = `${job.requestUrl}&audience=${encodeURIComponent(provider.allowedAudiences[0])}`;
    const from = await since();
    await listSpacesWith(federated({ url, headers: { Authorization: `Bearer ${job.requestToken}` } }, sa.email));
    assert.deepEqual(
      (await calls(from)).map((c) => c.split(" ").slice(0, 2).join(" ")),
      ["ci.oidcToken 200", "sts.token 200", "iamcredentials.generateAccessToken 200", "spaces.list 200"],
    );
    const refused = await fetch(url, { headers: { Authorization: "Bearer not-the-job" } });
    assert.deepEqual([refused.status, await refused.json()], [401, { message: "Bad credentials: send the job's request token as a bearer token." }]);
  });

  it("refuses an unknown provider, a subject token for another audience, an expired one and a forged one with STS's errors", async () => {
    const exchange = async (audience: string, subjectToken: string) => {
      const res = await fetch(t.emulator.stsUrl, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
          audience,
          scope: CLOUD_PLATFORM,
          requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
          subject_token: subjectToken,
          subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
        }),
      });
      return [res.status, await res.json()];
    };
    const good = await keyless.subjectToken({ audience: provider.allowedAudiences[0], subject: SUBJECT });
    assert.deepEqual(await exchange(`${provider.audience}-gone`, good), [
      400,
      {
        error: "invalid_target",
        error_description:
          'The target service indicated by the "audience" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn\'t exist.',
      },
    ]);
    const other = await keyless.subjectToken({ audience: "https://example.com", subject: SUBJECT });
    assert.deepEqual(await exchange(provider.audience, other), [
      400,
      { error: "invalid_grant", error_description: "The audience in ID Token [https://example.com] does not match the expected audience." },
    ]);
    const expired = await keyless.subjectToken({ audience: provider.allowedAudiences[0], subject: SUBJECT, lifetimeSeconds: 0 });
    assert.deepEqual(await exchange(provider.audience, expired), [400, { error: "invalid_grant", error_description: "The ID Token has expired." }]);
    const [h, , s] = good.split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: "repo:evil/x", aud: provider.allowedAudiences[0], exp: 4e9 })).toString("base64url")}.${s}`;
    assert.deepEqual(await exchange(provider.audience, forged), [400, { error: "invalid_grant", error_description: "Invalid ID Token signature." }]);
  });

  it("lets no federated token onto the Chat API, and no one act as a service account without a role on it", async () => {
    const sa = await keyless.serviceAccount("deployer");
    const direct = await errorOf(listSpacesWith(federated({ file: await tokenFile() }, undefined, [CLOUD_PLATFORM])));
    assert.equal(direct.status, 401);
    const denied = await errorOf(listSpacesWith(federated({ file: await tokenFile() }, sa.email)));
    assert.deepEqual(denied, {
      status: 403,
      body: {
        error: {
          code: 403,
          message: "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
          status: "PERMISSION_DENIED",
          details: [
            {
              "@type": "type.googleapis.com/google.rpc.ErrorInfo",
              reason: "IAM_PERMISSION_DENIED",
              domain: "iam.googleapis.com",
              metadata: { permission: "iam.serviceAccounts.getAccessToken" },
            },
          ],
        },
      },
    });
  });

  describe("signJwt and the token endpoint (domain-wide delegation without a key)", () => {
    const delegationClaims = (iss: string, sub: string, scope = SCOPE("chat.spaces.readonly")) => {
      const iat = Math.floor(Date.now() / 1000);
      return { iss, sub, scope, aud: "https://oauth2.googleapis.com/token", iat, exp: iat + 3600 };
    };
    const signAs = (caller: AuthClient, sa: string, claims: object) =>
      caller.request<{ keyId: string; signedJwt: string }>({
        url: `${t.emulator.iamUrl}/v1/projects/-/serviceAccounts/${sa}:signJwt`,
        method: "POST",
        data: { payload: JSON.stringify(claims) },
      });
    const exchange = async (assertion: string) => {
      const res = await fetch(t.emulator.tokenUrl, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    };

    it("signs the delegation claims with the service account's managed key, which the token endpoint accepts as the user", async () => {
      const sa = await keyless.serviceAccount("delegate");
      await keyless.bind({ serviceAccount: sa.email, member: provider.poolMember, role: TOKEN_CREATOR });
      const caller = federated({ file: await tokenFile() }, undefined, [CLOUD_PLATFORM]);
      const signed = await signAs(caller, sa.email, delegationClaims(sa.email, "admin@example.com"));
      const [header] = signed.data.signedJwt.split(".");
      assert.deepEqual(JSON.parse(Buffer.from(header, "base64url").toString()), { alg: "RS256", typ: "JWT", kid: signed.data.keyId });
      const token = await exchange(signed.data.signedJwt);
      assert.equal(token.status, 200);
      const from = await since();
      const res = await fetch(`${t.emulator.url}/v1/spaces`, { headers: { Authorization: `Bearer ${token.body.access_token}` } });
      assert.equal(res.status, 200);
      assert.deepEqual(await calls(from), [`spaces.list 200 user:${ADMIN_ID}`]);
    });

    it("accepts no assertion the managed key did not sign, nor one naming another account", async () => {
      const sa = await keyless.serviceAccount("delegate");
      const other = await keyless.serviceAccount("other");
      await keyless.bind({ serviceAccount: sa.email, member: provider.poolMember, role: TOKEN_CREATOR });
      const caller = federated({ file: await tokenFile() }, undefined, [CLOUD_PLATFORM]);
      const { signedJwt } = (await signAs(caller, sa.email, delegationClaims(other.email, "admin@example.com"))).data;
      assert.deepEqual(await exchange(signedJwt), { status: 400, body: { error: "invalid_grant", error_description: "Invalid JWT Signature." } });
      const good = (await signAs(caller, sa.email, delegationClaims(sa.email, "admin@example.com"))).data.signedJwt.split(".");
      const tampered = [good[0], Buffer.from(JSON.stringify(delegationClaims(sa.email, "someone@example.com"))).toString("base64url"), good[2]].join(".");
      assert.deepEqual(await exchange(tampered), { status: 400, body: { error: "invalid_grant", error_description: "Invalid JWT Signature." } });
    });

    it("needs the token creator role to sign (workload identity user is not enough), and a payload whose exp is at most 12 hours ahead", async () => {
      const sa = await keyless.serviceAccount("delegate");
      await keyless.bind({ serviceAccount: sa.email, member: provider.poolMember, role: WORKLOAD_IDENTITY_USER });
      const caller = federated({ file: await tokenFile() }, undefined, [CLOUD_PLATFORM]);
      const denied = await errorOf(signAs(caller, sa.email, delegationClaims(sa.email, "admin@example.com")));
      assert.equal(denied.status, 403);
      assert.equal((denied.body as any).error.message, "Permission 'iam.serviceAccounts.signJwt' denied on resource (or it may not exist).");
      await keyless.bind({ serviceAccount: sa.email, member: provider.poolMember, role: TOKEN_CREATOR });
      const far = { ...delegationClaims(sa.email, "admin@example.com"), exp: Math.floor(Date.now() / 1000) + 13 * 3600 };
      const invalid = await errorOf(signAs(caller, sa.email, far));
      assert.deepEqual(invalid, {
        status: 400,
        body: {
          error: {
            code: 400,
            message: "Invalid JWT payload: exp must be an integer, not in the past and at most 12 hours in the future.",
            status: "INVALID_ARGUMENT",
          },
        },
      });
    });
  });

  describe("metadata server", () => {
    let saved: string | undefined;
    beforeEach(() => {
      saved = process.env.GCE_METADATA_HOST;
      process.env.GCE_METADATA_HOST = t.emulator.metadataHost;
    });
    afterEach(() => {
      if (saved === undefined) delete process.env.GCE_METADATA_HOST;
      else process.env.GCE_METADATA_HOST = saved;
    });

    it("serves the workload's service account to google-auth-library's Compute client, which calls Chat as the app", async () => {
      const sa = await keyless.serviceAccount("runner");
      await keyless.metadata(sa.email);
      const from = await since();
      await listSpacesWith(new Compute({ scopes: [SCOPE("chat.bot")] }));
      assert.deepEqual(await calls(from), [`metadata.token 200 app:${sa.email}`, `spaces.list 200 app:${sa.email}`]);
      const token = (await t.control.requests(from))[0];
      assert.deepEqual([token.path, token.query], ["/computeMetadata/v1/instance/service-accounts/default/token", { scopes: SCOPE("chat.bot") }]);
    });

    it("answers only requests with Metadata-Flavor: Google and no X-Forwarded-For, always with that header", async () => {
      const sa = await keyless.serviceAccount("runner");
      await keyless.metadata(sa.email);
      const url = `http://${t.emulator.metadataHost}/computeMetadata/v1/instance/service-accounts/default/email`;
      const plain = await fetch(url);
      assert.deepEqual([plain.status, plain.headers.get("metadata-flavor")], [403, "Google"]);
      const proxied = await fetch(url, { headers: { "Metadata-Flavor": "Google", "X-Forwarded-For": "10.0.0.1" } });
      assert.equal(proxied.status, 403);
      const ok = await fetch(url, { headers: { "Metadata-Flavor": "Google" } });
      assert.deepEqual([ok.status, ok.headers.get("metadata-flavor"), await ok.text()], [200, "Google", sa.email]);
      await keyless.metadata(undefined);
      assert.equal((await fetch(url, { headers: { "Metadata-Flavor": "Google" } })).status, 404);
    });
  });
});
