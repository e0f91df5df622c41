import assert from "node:assert/strict";
import { createSign } from "node:crypto";
import { googleError, SCOPE, useEmulator } from "../helpers/emulator";

describe("emulator: authentication and scopes", () => {
  const t = useEmulator();

  async function tokenRequests() {
    return (await t.control.requests()).filter((r) => r.rpc === "oauth2.token");
  }

  it("issues app tokens for the JWT-bearer grant without sub, with expires_in", async () => {
    const app = t.asApp(["chat.app.spaces.create"]);
    await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "A", customer: "customers/my_customer" } });
    const log = await t.control.requests();
    assert.deepEqual(
      log.map((r) => [r.rpc, r.status]),
      [
        ["oauth2.token", 200],
        ["spaces.create", 200],
      ],
    );
    assert.match(log[1].principal!, /^app:chat-app-[0-9a-f]{6}@emulator-project\.iam\.gserviceaccount\.com$/);
  });

  it("answers the token endpoint the way Google does, expires_in included", async () => {
    const key = t.serviceAccount;
    const now = Math.floor(Date.now() / 1000);
    const assertion = jws(key.private_key, {
      iss: key.client_email,
      scope: SCOPE("chat.bot"),
      aud: "https://oauth2.googleapis.com/token",
      iat: now,
      exp: now + 3600,
    });
    const res = await fetch(t.emulator.tokenUrl, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }),
    });
    const body: any = await res.json();
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(body).sort(), ["access_token", "expires_in", "scope", "token_type"]);
    assert.equal(body.expires_in, 3599);
    assert.equal(body.token_type, "Bearer");
  });

  it("refuses an assertion signed with another key as invalid_grant", async () => {
    const other = await t.control.serviceAccount();
    const now = Math.floor(Date.now() / 1000);
    const assertion = jws(other.private_key, {
      iss: t.serviceAccount.client_email,
      scope: SCOPE("chat.bot"),
      aud: "https://oauth2.googleapis.com/token",
      iat: now,
      exp: now + 3600,
    });
    const res = await fetch(t.emulator.tokenUrl, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }),
    });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: "invalid_grant", error_description: "Invalid JWT Signature." });
  });

  it("makes a user of a service account with sub (domain-wide delegation)", async () => {
    const alice = t.asDelegatedUser("alice@example.com", ["chat.spaces.create"]);
    await alice.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Alice's" } });
    const [, call] = await t.control.requests();
    assert.equal(call.principal, "user:110000000000000000002");
  });

  it("refuses delegation when the organisation has not authorised it (401 unauthorized_client)", async () => {
    await t.control.setSettings({ domainWideDelegation: false });
    const alice = t.asDelegatedUser("alice@example.com", ["chat.spaces"]);
    await assert.rejects(alice.spaces.list({}), (error: any) => {
      assert.equal(error.status, 401);
      assert.equal(error.response.data.error, "unauthorized_client");
      return true;
    });
  });

  it("exchanges an authorized_user refresh token for a user token", async () => {
    const bob = await t.asUser("bob@example.com", ["chat.spaces"]);
    await bob.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Bob's" } });
    const log = await t.control.requests();
    assert.deepEqual(
      log.map((r) => [r.rpc, r.principal ?? null, r.status]),
      [
        ["oauth2.token", null, 200],
        ["spaces.create", "user:110000000000000000003", 200],
      ],
    );
  });

  it("refuses a revoked or unknown refresh token as invalid_grant", async () => {
    const res = await fetch(t.emulator.tokenUrl, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: "1//nope", client_id: "x", client_secret: "y" }),
    });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: "invalid_grant", error_description: "Token has been expired or revoked." });
  });

  it("accepts a self-signed JWT (useJWTAccessWithScope) without any token request", async () => {
    const app = t.asApp(["chat.app.spaces.create"], { selfSignedJwt: true });
    await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Signed", customer: "customers/my_customer" } });
    assert.deepEqual(await tokenRequests(), []);
    const [call] = await t.control.requests();
    assert.equal(call.status, 200);
    assert.match(call.principal!, /^app:/);
  });

  it("answers a request without a token with Google's 401", async () => {
    const res = await fetch(`${t.emulator.url}/v1/spaces`);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="https://accounts.google.com/"');
    const body: any = await res.json();
    assert.equal(body.error.status, "UNAUTHENTICATED");
    assert.match(body.error.message, /^Request is missing required authentication credential\./);
  });

  it("answers a bad token with Google's 401 invalid credentials", async () => {
    const res = await fetch(`${t.emulator.url}/v1/spaces`, { headers: { Authorization: "Bearer ya29.forged" } });
    assert.equal(res.status, 401);
    assert.match(((await res.json()) as any).error.message, /^Request had invalid authentication credentials\./);
  });

  it("answers a missing scope with 403 ACCESS_TOKEN_SCOPE_INSUFFICIENT naming the method", async () => {
    const reader = t.asDelegatedUser("admin@example.com", ["chat.spaces.readonly"]);
    await assert.rejects(reader.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "R" } }), (error: any) => {
      googleError(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes.")(error);
      assert.deepEqual(error.response.data.error.details, [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
          domain: "googleapis.com",
          metadata: { service: "chat.googleapis.com", method: "google.chat.v1.ChatService.CreateSpace" },
        },
      ]);
      assert.match(error.response.headers.get("www-authenticate"), /error="insufficient_scope", scope=".*chat\.spaces\.create/);
      return true;
    });
  });

  it("does not count chat.app.* scopes for a user, nor user scopes for an app", async () => {
    const user = t.asDelegatedUser("admin@example.com", ["chat.app.spaces"]);
    await assert.rejects(user.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "U" } }), googleError(403, "PERMISSION_DENIED"));
    const app = t.asApp(["chat.spaces"]);
    await assert.rejects(
      app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "U", customer: "customers/my_customer" } }),
      googleError(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes."),
    );
  });

  it("refuses chat.app.* scopes until an administrator approves the app", async () => {
    await t.control.setSettings({ appAuthApproved: false });
    await assert.rejects(
      t.asApp(["chat.app.spaces.create"]).spaces.create({ requestBody: { spaceType: "SPACE", displayName: "N", customer: "customers/my_customer" } }),
      googleError(403, "PERMISSION_DENIED", "This Chat app is not approved for app authentication: an administrator must approve the chat.app.* scopes."),
    );
  });

  it("lets an app delete only the spaces it created", async () => {
    const app = t.asApp(["chat.app.spaces.create", "chat.app.delete"]);
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces", "chat.memberships.app"]);
    const { data: usersSpace } = await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Users" } });
    await admin.spaces.members.create({ parent: usersSpace.name!, requestBody: { member: { name: "users/app", type: "BOT" } } });
    await assert.rejects(app.spaces.delete({ name: usersSpace.name! }), googleError(403, "PERMISSION_DENIED", "A Chat app can only delete spaces it created."));
    const { data: own } = await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Own", customer: "customers/my_customer" } });
    await app.spaces.delete({ name: own.name! });
  });

  it("uses admin scopes only with useAdminAccess and an administrator", async () => {
    const owner = t.asDelegatedUser("alice@example.com", ["chat.spaces"]);
    const { data } = await owner.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Alice only" } });
    const admin = t.asDelegatedUser("admin@example.com", ["chat.admin.spaces.readonly"]);
    await assert.rejects(admin.spaces.get({ name: data.name! }), googleError(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes."));
    assert.equal((await admin.spaces.get({ name: data.name!, useAdminAccess: true })).data.displayName, "Alice only");
    const bob = t.asDelegatedUser("bob@example.com", ["chat.admin.spaces.readonly"]);
    await assert.rejects(
      bob.spaces.get({ name: data.name!, useAdminAccess: true }),
      googleError(403, "PERMISSION_DENIED", "useAdminAccess requires a Google Workspace administrator."),
    );
  });
});

/** An RS256 JWS, as gtoken makes it. */
function jws(privateKey: string, claims: object): string {
  const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const unsigned = `${encode({ alg: "RS256", typ: "JWT" })}.${encode(claims)}`;
  const signature = createSign("RSA-SHA256").update(unsigned).sign(privateKey).toString("base64url");
  return `${unsigned}.${signature}`;
}
