import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveSettings, SettingError } from "../../provider/core/settings";

const SA = { type: "service_account", client_email: "a@p.iam.gserviceaccount.com", private_key: "not a key: settings only read the JSON" };
const USER = { type: "authorized_user", client_id: "c", client_secret: "s", refresh_token: "r" };
const WIF = {
  type: "external_account",
  audience: "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/r",
  subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
  token_url: "https://sts.googleapis.com/v1/token",
  credential_source: { file: "/var/run/token" },
};
const WIF_AS_SA = {
  ...WIF,
  service_account_impersonation_url: "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/sa@p.iam.gserviceaccount.com:generateAccessToken",
};
const IMPERSONATED = {
  type: "impersonated_service_account",
  service_account_impersonation_url: WIF_AS_SA.service_account_impersonation_url,
  source_credentials: USER,
  delegates: [],
};
const WORKFORCE_USER = {
  type: "external_account_authorized_user",
  audience: "//iam.googleapis.com/locations/global/workforcePools/w/providers/r",
  refresh_token: "r",
  token_url: "https://sts.googleapis.com/v1/oauthtoken",
};
const from = (config: Record<string, string>, env: Record<string, string> = {}) => resolveSettings((k) => config[k], env);

describe("provider: settings", () => {
  it("defaults to Google's endpoints and, with no credentials file, the metadata server's service account as the app", () => {
    const s = from({});
    assert.deepEqual(
      [s.apiEndpoint, s.tokenEndpoint, s.iamCredentialsEndpoint, s.credentials, s.auth, s.useAdminAccess],
      ["https://chat.googleapis.com/", undefined, undefined, undefined, "app", false],
    );
    assert.equal(s.retry.deadlineMs, 300_000);
  });

  it("chooses app auth for a service account, user auth when it impersonates someone", () => {
    assert.equal(from({ "googlechat:credentials": JSON.stringify(SA) }).auth, "app");
    assert.equal(from({ "googlechat:credentials": JSON.stringify(SA), "googlechat:impersonateUser": "a@example.com" }).auth, "user");
    assert.equal(from({ "googlechat:credentials": JSON.stringify(USER) }).auth, "user");
  });

  it("tells app from user by the credentials' type: service accounts are the app, users' own credentials a user", () => {
    const auth = (json: object, config: Record<string, string> = {}) => from({ "googlechat:credentials": JSON.stringify(json), ...config }).auth;
    assert.deepEqual([auth(WIF_AS_SA), auth(IMPERSONATED), auth(WORKFORCE_USER)], ["app", "app", "user"]);
    assert.deepEqual(
      [
        auth(USER, { "googlechat:impersonateServiceAccount": "sa@p.iam.gserviceaccount.com" }),
        auth(WIF_AS_SA, { "googlechat:impersonateUser": "a@example.com" }),
      ],
      ["app", "user"],
    );
    const s = from(
      { "googlechat:credentials": JSON.stringify(WIF) },
      {
        GOOGLECHAT_AUTH: "app",
        GOOGLECHAT_IMPERSONATE_SERVICE_ACCOUNT: "sa@p.iam.gserviceaccount.com",
        GOOGLECHAT_IAM_CREDENTIALS_ENDPOINT: "http://127.0.0.1:1/iam/",
      },
    );
    assert.deepEqual(
      [s.auth, s.impersonateServiceAccount, s.iamCredentialsEndpoint, s.credentials],
      ["app", "sa@p.iam.gserviceaccount.com", "http://127.0.0.1:1/iam", WIF],
    );
  });

  it("asks for googlechat:auth where the credentials can't tell, and hands unknown types on as they are", () => {
    assert.throws(() => from({ "googlechat:credentials": JSON.stringify(WIF) }), {
      message:
        'The provider can\'t tell whether credentials of type "external_account" without service_account_impersonation_url (a federated identity) act as the Chat app or as a user: set googlechat:auth (GOOGLECHAT_AUTH) to app or user.',
    });
    assert.equal(from({ "googlechat:credentials": JSON.stringify(WIF), "googlechat:auth": "user" }).auth, "user");
    const future = { type: "some_future_type", anything: 1 };
    assert.throws(
      () => from({ "googlechat:credentials": JSON.stringify(future) }),
      /credentials of type "some_future_type" act as the Chat app or as a user: set googlechat:auth/,
    );
    assert.deepEqual(from({ "googlechat:credentials": JSON.stringify(future), "googlechat:auth": "app" }).credentials, future);
  });

  it("reads gcloud's ADC file when GOOGLE_APPLICATION_CREDENTIALS is unset: CLOUDSDK_CONFIG, else ~/.config/gcloud", () => {
    const home = mkdtempSync(join(tmpdir(), "settings-home-"));
    mkdirSync(join(home, ".config", "gcloud"), { recursive: true });
    writeFileSync(join(home, ".config", "gcloud", "application_default_credentials.json"), JSON.stringify(IMPERSONATED));
    const other = mkdtempSync(join(tmpdir(), "settings-sdk-"));
    writeFileSync(join(other, "application_default_credentials.json"), JSON.stringify(USER));
    assert.deepEqual(from({}, { HOME: home }).credentials, IMPERSONATED);
    assert.deepEqual(from({}, { HOME: home, CLOUDSDK_CONFIG: other }).credentials, USER);
    assert.equal(from({}, { HOME: join(home, "nothing-here") }).credentials, undefined);
  });

  it("says where Application Default Credentials' search found the credentials, in its order", () => {
    const home = mkdtempSync(join(tmpdir(), "settings-home-"));
    mkdirSync(join(home, ".config", "gcloud"), { recursive: true });
    const adc = join(home, ".config", "gcloud", "application_default_credentials.json");
    writeFileSync(adc, JSON.stringify(USER));
    const file = join(mkdtempSync(join(tmpdir(), "settings-")), "key.json");
    writeFileSync(file, JSON.stringify(SA));
    const source = (config: Record<string, string>, env: Record<string, string>) => from(config, env).credentialsSource;
    assert.deepEqual(
      [
        source({ "googlechat:credentials": JSON.stringify(SA) }, { GOOGLE_APPLICATION_CREDENTIALS: file, HOME: home }),
        source({}, { GOOGLE_APPLICATION_CREDENTIALS: file, HOME: home }),
        source({}, { HOME: home }),
        source({}, { HOME: join(home, "nothing-here") }),
      ],
      [
        "googlechat:credentials",
        `GOOGLE_APPLICATION_CREDENTIALS (${file})`,
        `gcloud's ADC file (${adc})`,
        "the metadata server (no credentials file was found)",
      ],
    );
  });

  it("reads the file GOOGLE_APPLICATION_CREDENTIALS names, config winning over it", () => {
    const file = join(mkdtempSync(join(tmpdir(), "settings-")), "key.json");
    writeFileSync(file, JSON.stringify(SA));
    assert.equal(from({}, { GOOGLE_APPLICATION_CREDENTIALS: file }).auth, "app");
    assert.equal(from({ "googlechat:credentials": JSON.stringify(USER) }, { GOOGLE_APPLICATION_CREDENTIALS: file }).auth, "user");
  });

  it("takes endpoints from config or the environment, config first", () => {
    const s = from(
      { "googlechat:apiEndpoint": "http://127.0.0.1:1" },
      { GOOGLECHAT_API_ENDPOINT: "http://ignored", GOOGLECHAT_TOKEN_ENDPOINT: "http://127.0.0.1:1/token" },
    );
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
    const notCredentials =
      'googlechat:credentials is not credential JSON (an object with a "type"): give the JSON of a key, of gcloud\'s ADC file, or of a workload identity federation configuration.';
    assert.throws(() => from({ "googlechat:credentials": "{not json" }), { message: notCredentials });
    assert.throws(() => from({ "googlechat:credentials": "[1]" }), { message: notCredentials });
    assert.throws(() => from({ "googlechat:credentials": JSON.stringify(WORKFORCE_USER), "googlechat:impersonateUser": "a@example.com" }), {
      message:
        'googlechat:impersonateUser needs a service account (domain-wide delegation), but the provider has credentials of type "external_account_authorized_user" (a user\'s own): use a service account key, googlechat:impersonateServiceAccount, or keyless credentials that act as a service account.',
    });
    assert.throws(() => from({ "googlechat:credentials": JSON.stringify(WIF), "googlechat:impersonateUser": "a@example.com" }), {
      message:
        'googlechat:impersonateUser needs a service account (domain-wide delegation), and credentials of type "external_account" without service_account_impersonation_url (a federated identity) don\'t say which one: set googlechat:impersonateServiceAccount to the service account that signs the delegation.',
    });
    assert.throws(() => from({ "googlechat:credentials": JSON.stringify(USER), "googlechat:auth": "app" }), {
      message:
        "googlechat:auth app needs a service account (the Chat app), but the provider has credentials of type \"authorized_user\" (a user's own): use the app's service account, or googlechat:impersonateServiceAccount.",
    });
    assert.throws(() => from({ "googlechat:credentials": JSON.stringify(SA), "googlechat:auth": "user" }), {
      message:
        'googlechat:auth user with credentials of type "service_account" needs googlechat:impersonateUser (the user the service account acts as, through domain-wide delegation).',
    });
    assert.throws(() => from({ "googlechat:auth": "robot" }), { message: 'googlechat:auth must be app or user, not "robot".' });
    assert.throws(() => from({ "googlechat:useAdminAccess": "yes" }), { message: 'googlechat:useAdminAccess must be true or false, not "yes".' });
    assert.throws(() => from({}, { GOOGLE_APPLICATION_CREDENTIALS: "/nonexistent/key.json" }), {
      message: "GOOGLE_APPLICATION_CREDENTIALS (/nonexistent/key.json) can't be read: ENOENT.",
    });
  });

  it("names the setting at fault in every failure (a provider plugin's CheckConfig names it as the property)", () => {
    const keyOf = (config: Record<string, string>, env: Record<string, string> = {}) => {
      try {
        from(config, env);
      } catch (error) {
        assert.ok(error instanceof SettingError, String(error));
        return error.key;
      }
      return "(no failure)";
    };
    const credentials = (json: object) => ({ "googlechat:credentials": JSON.stringify(json) });
    assert.deepEqual(
      [
        keyOf({ "googlechat:useAdminAccess": "yes" }),
        keyOf({ "googlechat:selfSignedJwt": "1" }),
        keyOf({ "googlechat:auth": "robot" }),
        keyOf({ "googlechat:spaceWritesPerMinute": "-1" }),
        keyOf({ "googlechat:requestTimeoutSeconds": "0" }),
        keyOf({ "googlechat:credentials": "{not json" }),
        keyOf({}, { GOOGLE_APPLICATION_CREDENTIALS: "/nonexistent/key.json" }),
        keyOf({ ...credentials(USER), "googlechat:impersonateUser": "a@example.com" }),
        keyOf({ ...credentials(SA), "googlechat:auth": "app", "googlechat:impersonateUser": "a@example.com" }),
        keyOf({ ...credentials(USER), "googlechat:auth": "app" }),
        keyOf({ ...credentials(SA), "googlechat:auth": "user" }),
        keyOf(credentials(WIF)),
      ],
      [
        "useAdminAccess",
        "selfSignedJwt",
        "auth",
        "spaceWritesPerMinute",
        "requestTimeoutSeconds",
        "credentials",
        "credentials",
        "impersonateUser",
        "auth",
        "auth",
        "auth",
        "auth",
      ],
    );
  });
});
