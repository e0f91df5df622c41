import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveSettings } from "../../provider/core/settings";

const SA = { type: "service_account", client_email: "a@p.iam.gserviceaccount.com", private_key: "not a key: settings only read the JSON" };
const USER = { type: "authorized_user", client_id: "c", client_secret: "s", refresh_token: "r" };
const from = (config: Record<string, string>, env: Record<string, string> = {}) => resolveSettings((k) => config[k], env);

describe("provider: settings", () => {
  it("defaults to Google's endpoint, Application Default Credentials and user auth", () => {
    const s = from({});
    assert.deepEqual([s.apiEndpoint, s.tokenEndpoint, s.credentials, s.auth, s.useAdminAccess], ["https://chat.googleapis.com/", undefined, undefined, "user", false]);
    assert.equal(s.retry.deadlineMs, 300_000);
  });

  it("chooses app auth for a service account, user auth when it impersonates someone", () => {
    assert.equal(from({ "googlechat:credentials": JSON.stringify(SA) }).auth, "app");
    assert.equal(from({ "googlechat:credentials": JSON.stringify(SA), "googlechat:impersonateUser": "a@example.com" }).auth, "user");
    assert.equal(from({ "googlechat:credentials": JSON.stringify(USER) }).auth, "user");
  });

  it("reads the file GOOGLE_APPLICATION_CREDENTIALS names, config winning over it", () => {
    const file = join(mkdtempSync(join(tmpdir(), "settings-")), "key.json");
    writeFileSync(file, JSON.stringify(SA));
    assert.equal(from({}, { GOOGLE_APPLICATION_CREDENTIALS: file }).auth, "app");
    assert.equal(from({ "googlechat:credentials": JSON.stringify(USER) }, { GOOGLE_APPLICATION_CREDENTIALS: file }).auth, "user");
  });

  it("takes endpoints from config or the environment, config first", () => {
    const s = from({ "googlechat:apiEndpoint": "http://127.0.0.1:1" }, { GOOGLECHAT_API_ENDPOINT: "http://ignored", GOOGLECHAT_TOKEN_ENDPOINT: "http://127.0.0.1:1/token" });
    assert.equal(s.apiEndpoint, "http://127.0.0.1:1/");
    assert.equal(s.tokenEndpoint, "http://127.0.0.1:1/token");
  });

  it("takes the request timeout and the retry deadline in seconds, fractions included", () => {
    const s = from({ "googlechat:requestTimeoutSeconds": "0.5" }, { GOOGLECHAT_RETRY_DEADLINE_SECONDS: "90" });
    assert.deepEqual([s.requestTimeoutMs, s.retry.deadlineMs], [500, 90_000]);
    assert.equal(from({}).requestTimeoutMs, 60_000);
    assert.throws(() => from({ "googlechat:requestTimeoutSeconds": "0" }), { message: 'googlechat:requestTimeoutSeconds must be a positive number, not "0".' });
  });

  it("takes the membership quotas from config or the environment, over Google's 300 writes and 3000 reads a minute", () => {
    const d = from({}).rateLimits;
    assert.deepEqual([d.membershipWritesPerMinute, d.membershipReadsPerMinute], [300, 3000]);
    const s = from({ "googlechat:membershipWritesPerMinute": "150" }, { GOOGLECHAT_MEMBERSHIP_READS_PER_MINUTE: "0" }).rateLimits;
    assert.deepEqual([s.membershipWritesPerMinute, s.membershipReadsPerMinute, s.spaceWritesPerMinute], [150, 0, 60]);
  });

  it("refuses bad settings without quoting the credentials", () => {
    assert.throws(() => from({ "googlechat:credentials": "{not json" }), { message: "googlechat:credentials is not valid JSON: give a service account key or authorized_user credentials." });
    assert.throws(() => from({ "googlechat:credentials": JSON.stringify({ type: "external_account" }) }), {
      message: 'googlechat:credentials has type "external_account": give a service_account key or authorized_user credentials.',
    });
    assert.throws(() => from({ "googlechat:credentials": JSON.stringify(USER), "googlechat:impersonateUser": "a@example.com" }), /needs service account credentials/);
    assert.throws(() => from({ "googlechat:auth": "robot" }), { message: 'googlechat:auth must be app or user, not "robot".' });
    assert.throws(() => from({ "googlechat:useAdminAccess": "yes" }), { message: 'googlechat:useAdminAccess must be true or false, not "yes".' });
    assert.throws(() => from({}, { GOOGLE_APPLICATION_CREDENTIALS: "/nonexistent/key.json" }), { message: "GOOGLE_APPLICATION_CREDENTIALS (/nonexistent/key.json) can't be read: ENOENT." });
  });
});
