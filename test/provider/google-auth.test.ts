/**
 * google-auth.ts on its own: the provider's transporter carries every request of an
 * `external_account` client, its STS exchange included, which the library would send through a
 * gaxios of its own.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { IdentityPoolClient } from "google-auth-library";
import { authTransporter, exchangeThroughProvider } from "../../provider/core/google-auth";

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
      const transporter = authTransporter({ timeoutMs: 5_000 });
      const sent: string[] = [];
      transporter.interceptors.request.add({ resolved: async (options) => (sent.push(`${options.method} ${options.url} timeout=${options.timeout}`), options) });
      const client = new IdentityPoolClient({
        type: "external_account",
        audience: "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/ci",
        subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
        token_url: tokenUrl,
        subject_token_supplier: { getSubjectToken: async () => "subject-token" },
        transporter,
      });
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
