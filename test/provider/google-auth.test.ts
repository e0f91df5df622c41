/**
 * google-auth.ts on its own: the provider's transporter carries every request of an
 * `external_account` client, its STS exchange included, which the library would send through a
 * gaxios of its own; what an impersonated_service_account file acts as; where tokeninfo is.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { IdentityPoolClient } from "google-auth-library";
import {
  authTransporter,
  createAuthClient,
  exchangeThroughProvider,
  impersonationTarget,
  tokenInfoUrlOf,
  tokenServiceOf,
} from "../../provider/core/google-auth";

describe("google-auth: the STS exchange", () => {
  it("goes through the provider's transporter, tried once: a 503 from STS is one request, and the failure is the caller's to retry", async () => {
    let received = 0;
    const sts = createServer((req, res) => {
      received++;
      req.resume().on("end", () => res.writeHead(503, { "Content-Type": "application/json" }).end('{"error":"temporarily_unavailable"}'));
    });
    await new Promise<void>((done) => sts.listen(0, "127.0.0.1", done));
    try {
      const tokenUrl = `http://127.0.0.1:${(sts.address() as AddressInfo).port}/v1/token`;
      const credentials = {
        type: "external_account",
        audience: "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/ci",
        subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
        token_url: tokenUrl,
      };
      const transporter = authTransporter({ credentials, timeoutMs: 5_000 });
      const sent: string[] = [];
      transporter.interceptors.request.add({
        resolved: async (options) => (sent.push(`${options.method} ${options.url} timeout=${options.timeout}`), options),
      });
      const client = new IdentityPoolClient({ ...credentials, subject_token_supplier: { getSubjectToken: async () => "subject-token" }, transporter });
      await assert.rejects(exchangeThroughProvider(client, transporter).getAccessToken(), { status: 503 });
      assert.equal(received, 1, "the library's StsCredentials.RETRY_CONFIG (3 more tries with its own sleeps) is off");
      assert.deepEqual(sent, [`POST ${tokenUrl} timeout=5000`]);
    } finally {
      sts.close();
    }
  });

  it("is refused, naming the library's version, when the client keeps no STS transporter the provider can replace", () => {
    const version = (require("google-auth-library/package.json") as { version: string }).version;
    class RenamedClient {}
    assert.throws(() => exchangeThroughProvider(new RenamedClient() as never, authTransporter({})), {
      message: `google-auth-library ${version} has no stsCredential.transporter on its RenamedClient: the provider can't give the STS token exchange its timeout and retries. Install the version package.json pins (npm ci), or adapt provider/core/google-auth.ts exchangeThroughProvider to this one.`,
    });
  });
});

describe("google-auth: an impersonated_service_account file", () => {
  const file = (url: string) => ({ type: "impersonated_service_account", service_account_impersonation_url: url, source_credentials: {} });

  it("acts as the service account its service_account_impersonation_url names", () => {
    assert.equal(
      impersonationTarget(file("https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/app@p.iam.gserviceaccount.com:generateAccessToken")),
      "app@p.iam.gserviceaccount.com",
    );
  });

  it("refuses a service_account_impersonation_url longer than the 256 characters google-auth-library takes, before reading it", () => {
    const url = `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${"a".repeat(20_000)}`;
    assert.throws(() => impersonationTarget(file(url)), {
      message: `The impersonated_service_account credentials' service_account_impersonation_url is longer than the 256 characters google-auth-library takes (${url.length}).`,
    });
  });
});

describe("google-auth: tokeninfo", () => {
  it("is beside the token endpoint: Google's, the emulator's, a private one under a path (its query dropped)", () => {
    assert.deepEqual(
      [undefined, "http://127.0.0.1:8085/token", "https://proxy.example/google/token?tenant=a", "http://127.0.0.1:8085", "not a url"].map((tokenEndpoint) =>
        tokenInfoUrlOf({ tokenEndpoint }),
      ),
      [
        "https://oauth2.googleapis.com/tokeninfo",
        "http://127.0.0.1:8085/tokeninfo",
        "https://proxy.example/google/tokeninfo",
        "http://127.0.0.1:8085/tokeninfo",
        "https://oauth2.googleapis.com/tokeninfo",
      ],
    );
  });

  it("is a token service of its own, tried once, and the token endpoint stays oauth", () => {
    const settings = { tokenEndpoint: "https://proxy.example/google/token" };
    assert.deepEqual(
      [
        "https://proxy.example/google/tokeninfo",
        "https://oauth2.googleapis.com/tokeninfo",
        "https://proxy.example/google/token",
        "https://oauth2.googleapis.com/token",
      ].map((url) => tokenServiceOf(settings, url)),
      ["tokenInfo", "tokenInfo", "oauth", "oauth"],
    );
  });

  it("is where every client of a user's own credentials asks, through the provider's transporter: a 503 is one request", async () => {
    let received = 0;
    const server = createServer((req, res) => {
      received++;
      req.resume().on("end", () => res.writeHead(503, { "Content-Type": "application/json" }).end('{"error":"temporarily_unavailable"}'));
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    try {
      const tokenEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
      const user = { type: "authorized_user", client_id: "c", client_secret: "s", refresh_token: "r" };
      const workforce = {
        type: "external_account_authorized_user",
        audience: "//iam.googleapis.com/locations/global/workforcePools/w/providers/r",
        refresh_token: "r",
        token_url: tokenEndpoint,
      };
      for (const credentials of [user, workforce]) {
        const client = createAuthClient({ credentials, scopes: [], tokenEndpoint, timeoutMs: 5_000 });
        assert.equal(client.endpoints.tokenInfoUrl, tokenInfoUrlOf({ tokenEndpoint }));
        received = 0;
        await assert.rejects(client.getTokenInfo("ya29.x"), { status: 503 });
        assert.equal(received, 1, "the library's RETRY_CONFIG (retries with its own sleeps) is off");
      }
    } finally {
      server.close();
    }
  });
});
