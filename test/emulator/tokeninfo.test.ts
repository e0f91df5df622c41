/**
 * Token introspection as Google serves it (emulator/auth/tokeninfo.ts): what a valid token answers,
 * the email only with the email scope, Google's refusals, the three ways the token may come,
 * what user credentials are consented for, and how the request log keeps these requests apart
 * from Chat API calls.
 */
import assert from "node:assert/strict";
import { createSign } from "node:crypto";
import { OAuth2Client } from "google-auth-library";
import { GCLOUD_ADC_SCOPES, isChatApiCall } from "../../emulator";
import { tokenInfo } from "../../emulator/auth/tokeninfo";
import { emptyState } from "../../emulator/model";
import { SCOPE, useEmulator } from "../helpers/emulator";

const ALICE_ID = "110000000000000000002";

describe("emulator: tokeninfo", () => {
  const t = useEmulator();

  /** A fresh access token from `alice@example.com`'s own credentials (a refresh, as google-auth-library sends it), and those credentials. */
  async function aliceToken(scopes = [SCOPE("chat.spaces")]) {
    const credentials = await t.control.authorizedUser("alice@example.com", scopes);
    const res = await fetch(t.emulator.tokenUrl, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: credentials.refresh_token,
        client_id: credentials.client_id,
        client_secret: credentials.client_secret,
      }),
    });
    const body = (await res.json()) as { access_token: string; scope: string };
    return { token: body.access_token, scope: body.scope, credentials };
  }
  /** A token of the emulator's service account acting as `sub` (or as itself), with `scope`, from the jwt-bearer grant. */
  async function serviceAccountToken(scope: string, sub?: string) {
    const key = t.serviceAccount;
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: key.client_email, ...(sub ? { sub } : {}), scope, aud: "https://oauth2.googleapis.com/token", iat: now, exp: now + 3600 };
    const assertion = jws(key.private_key, claims);
    const res = await fetch(t.emulator.tokenUrl, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  }
  const get = async (token: string) => {
    const res = await fetch(`${t.emulator.tokenInfoUrl}?access_token=${encodeURIComponent(token)}`);
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };

  it("consents a user's own credentials for gcloud's default scopes and the Chat scopes asked for", async () => {
    const { scope } = await aliceToken([SCOPE("chat.spaces"), SCOPE("chat.memberships")]);
    assert.deepEqual(GCLOUD_ADC_SCOPES, ["openid", SCOPE("userinfo.email"), SCOPE("cloud-platform")]);
    assert.equal(scope, ["openid", SCOPE("userinfo.email"), SCOPE("cloud-platform"), SCOPE("chat.spaces"), SCOPE("chat.memberships")].join(" "));
  });

  it("answers a user's token with Google's fields, as strings: the OAuth client, the user's id and email, offline access", async () => {
    const before = Math.floor(Date.now() / 1000);
    const { token, scope, credentials } = await aliceToken();
    const { status, body } = await get(token);
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body), ["azp", "aud", "sub", "scope", "exp", "expires_in", "email", "email_verified", "access_type"]);
    const { exp, expires_in, ...rest } = body;
    assert.deepEqual(rest, {
      azp: credentials.client_id,
      aud: credentials.client_id,
      sub: ALICE_ID,
      scope,
      email: "alice@example.com",
      email_verified: "true",
      access_type: "offline",
    });
    assert.ok(Number(exp) >= before + 3598 && Number(exp) <= Math.floor(Date.now() / 1000) + 3599, `exp ${exp}`);
    assert.ok(Number(expires_in) >= 3597 && Number(expires_in) <= 3599, `expires_in ${expires_in}`);
  });

  it("answers the same to a POST form and to google-auth-library's getTokenInfo (a POST with the token as bearer)", async () => {
    const { token } = await aliceToken();
    const posted = await fetch(t.emulator.tokenInfoUrl, { method: "POST", body: new URLSearchParams({ access_token: token }) });
    const info = await new OAuth2Client({ endpoints: { tokenInfoUrl: t.emulator.tokenInfoUrl } }).getTokenInfo(token);
    const { body } = await get(token);
    assert.equal(posted.status, 200);
    const withoutExpiry = ({ exp, expires_in, ...rest }: Record<string, unknown>) => rest;
    assert.deepEqual(withoutExpiry((await posted.json()) as Record<string, string>), withoutExpiry(body));
    assert.equal(info.email, "alice@example.com");
    assert.deepEqual(info.scopes, body.scope.split(" "));
  });

  it("leaves email out for a user whose credentials lack the email scope (usersWithoutEmailScope)", async () => {
    await t.control.setSettings({ usersWithoutEmailScope: ["alice@example.com"] });
    const { token, scope } = await aliceToken();
    assert.equal(scope, ["openid", SCOPE("cloud-platform"), SCOPE("chat.spaces")].join(" "));
    const { status, body } = await get(token);
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body), ["azp", "aud", "sub", "scope", "exp", "expires_in", "access_type"]);
  });

  it("refuses a refresh that asks for the email scope the user's credentials lack", async () => {
    await t.control.setSettings({ usersWithoutEmailScope: ["alice@example.com"] });
    const credentials = await t.control.authorizedUser("alice@example.com", [SCOPE("chat.spaces")]);
    const res = await fetch(t.emulator.tokenUrl, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: credentials.refresh_token,
        client_id: credentials.client_id,
        client_secret: credentials.client_secret,
        scope: SCOPE("userinfo.email"),
      }),
    });
    assert.deepEqual([res.status, await res.json()], [400, { error: "invalid_scope", error_description: "Some requested scopes were invalid." }]);
  });

  it("tells the email of a delegated user's token only with the email scope, or its OpenID alias email", async () => {
    const withAlias = (await get(await serviceAccountToken(`email ${SCOPE("chat.spaces")}`, "alice@example.com"))).body;
    const without = (await get(await serviceAccountToken(SCOPE("chat.spaces"), "alice@example.com"))).body;
    const clientId = t.serviceAccount.client_id;
    assert.deepEqual([withAlias.sub, withAlias.azp, withAlias.email, withAlias.access_type], [ALICE_ID, clientId, "alice@example.com", "online"]);
    assert.deepEqual([without.sub, without.email, without.access_type], [ALICE_ID, undefined, "online"]);
  });

  it("answers an app's token with the service account's client id, and its email only with the email scope", async () => {
    const { body } = await get(await serviceAccountToken(`${SCOPE("chat.bot")} ${SCOPE("userinfo.email")}`));
    const clientId = t.serviceAccount.client_id;
    assert.deepEqual([body.azp, body.aud, body.sub, body.email, body.access_type], [clientId, clientId, clientId, t.serviceAccount.client_email, "online"]);
  });

  it("refuses an unknown token as Google does (400 invalid_token), and a request without one (400 invalid_request)", async () => {
    assert.deepEqual(await get("ya29.forged"), { status: 400, body: { error: "invalid_token", error_description: "Invalid Value" } });
    const none = await fetch(t.emulator.tokenInfoUrl, { method: "POST" });
    assert.deepEqual(
      [none.status, await none.json()],
      [400, { error: "invalid_request", error_description: "Either access_token, id_token, or token_handle required" }],
    );
  });

  it("refuses a token that has expired as invalid_token, and counts expires_in down to it", () => {
    const state = emptyState();
    const user = state.settings.users[1];
    state.accessTokens["ya29.t"] = {
      principal: { kind: "user", user, project: "p", delegated: false },
      scopes: [SCOPE("userinfo.email")],
      expiresAt: 10_000_000,
      clientId: "c",
    };
    const ask = (now: number) => tokenInfo(state, now, { query: new URLSearchParams(), form: new URLSearchParams(), authorization: "Bearer ya29.t" });
    assert.deepEqual([ask(9_000_500).body.exp, ask(9_000_500).body.expires_in], ["10000", "999"]);
    assert.deepEqual(ask(10_000_000), { status: 400, body: { error: "invalid_token", error_description: "Invalid Value" } });
  });

  it("logs tokeninfo as oauth2.tokeninfo with the token's principal and no token in its query, apart from the Chat API calls", async () => {
    const { token } = await aliceToken();
    await get(token);
    await get("ya29.forged");
    const log = await t.control.requests();
    assert.deepEqual(
      log.map(({ method, path, query, rpc, principal, status }) => ({ method, path, query, rpc, principal, status })),
      [
        { method: "POST", path: "/token", query: {}, rpc: "oauth2.token", principal: undefined, status: 200 },
        { method: "GET", path: "/tokeninfo", query: { access_token: "[redacted]" }, rpc: "oauth2.tokeninfo", principal: `user:${ALICE_ID}`, status: 200 },
        { method: "GET", path: "/tokeninfo", query: { access_token: "[redacted]" }, rpc: "oauth2.tokeninfo", principal: undefined, status: 400 },
      ],
    );
    assert.ok(!JSON.stringify(log).includes(token));
    assert.deepEqual(log.filter(isChatApiCall), []);
  });

  it("injects faults into tokeninfo only when a rule names oauth2.tokeninfo, with the OAuth error body", async () => {
    const { token } = await aliceToken();
    await t.control.addFault({ action: { kind: "error", status: 503 } });
    assert.equal((await get(token)).status, 200, "a rule for every Chat call leaves tokeninfo alone");
    await t.control.clearFaults();
    await t.control.addFault({ match: { methods: ["oauth2.tokeninfo"] }, action: { kind: "error", status: 503 }, count: 1 });
    assert.deepEqual(await get(token), { status: 503, body: { error: "temporarily_unavailable", error_description: "The service is currently unavailable." } });
    assert.equal((await get(token)).status, 200, "the fault was used up");
    const infos = (await t.control.requests()).filter((r) => r.rpc === "oauth2.tokeninfo").map((r) => [r.status, r.faults]);
    assert.deepEqual(infos, [
      [200, undefined],
      [503, ["error 503"]],
      [200, undefined],
    ]);
  });
});

function jws(privateKey: string, claims: object): string {
  const encode = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const input = `${encode({ alg: "RS256", typ: "JWT" })}.${encode(claims)}`;
  return `${input}.${createSign("RSA-SHA256").update(input).sign(privateKey).toString("base64url")}`;
}
