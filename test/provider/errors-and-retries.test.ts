import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createTcpServer, type Socket } from "node:net";
import { ChatApiError, explain, isTransient } from "../../provider/core/errors";
import { tokenServiceOf } from "../../provider/core/google-auth";
import { ChatSpaceProvider } from "../../provider/space/provider";
import { type TestEmulator, useEmulator } from "../helpers/emulator";
import { apiCalls, configuredProvider, logMark, type ProviderConfig, sdkInputs } from "../helpers/provider";

/**
 * {@link configuredProvider} on a clock that moves only when the provider sleeps: the waits and
 * deadlines these tests assert come out the same on a loaded machine as on an idle one.
 */
async function onVirtualClock(t: TestEmulator, options: ProviderConfig = {}) {
  const waits: number[] = [];
  const logs: string[] = [];
  let now = Date.parse("2026-11-27T12:00:00Z");
  const deps = {
    env: {},
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    random: () => 0.5,
    log: (m: string) => void logs.push(m),
  };
  const provider = new ChatSpaceProvider(deps);
  const config: Record<string, string> = {
    "googlechat:credentials": JSON.stringify(options.key ?? t.serviceAccount),
    "googlechat:apiEndpoint": t.emulator.url,
    "googlechat:tokenEndpoint": t.emulator.tokenUrl,
    ...(options.app ? {} : { "googlechat:impersonateUser": "admin@example.com" }),
    "googlechat:spaceWritesPerMinute": "0",
    "googlechat:spaceCreatesPerMinute": "0",
    "googlechat:perSpaceWritesPerSecond": "0",
    ...options.config,
  };
  const configure = () => provider.configure({ config: { get: (k) => config[k], require: (k) => config[k] } });
  await configure();
  return { provider, waits, logs, configure };
}

/** A local HTTP server answering with `handler`; `url` is its root, and every request is counted. */
async function localServer(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server: Server = createServer((req, res) => {
    requests++;
    handler(req, res);
  });
  let requests = 0;
  // A try cut short by its timeout may end before its request is parsed, on a loaded machine: its connection is counted anyway.
  let connections = 0;
  server.on("connection", () => void connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests: () => requests,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** A loopback URL where nothing listens: the port was free a moment ago. */
async function nothingListening(): Promise<string> {
  const server = await localServer(() => {});
  await server.close();
  return server.url;
}

/** A loopback TCP server serving each connection with `serve`; `url` is its root, and `connections` counts them. */
async function tcpServer(serve: (socket: Socket) => void) {
  let connections = 0;
  const server = createTcpServer((socket) => {
    connections++;
    serve(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback URL whose server answers every connection with bytes that aren't HTTP. */
const notHttp = () => tcpServer((socket) => socket.end("NOT HTTP\r\n\r\n", () => socket.destroy()));

/** Runs `body` with HTTPS_PROXY set to `proxy` (NO_PROXY emptied); the variables are restored after. */
async function throughProxy(proxy: string, body: () => Promise<void>): Promise<void> {
  const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
  process.env.HTTPS_PROXY = proxy;
  process.env.NO_PROXY = "";
  delete process.env.no_proxy;
  try {
    await body();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/**
 * Runs `body` with HTTPS_PROXY naming a local proxy that closes every connection once it has read
 * the CONNECT, as a proxy dropping a tunnel does. Returns how many connections the proxy took.
 */
async function behindAClosingProxy(body: () => Promise<void>): Promise<number> {
  const proxy = await tcpServer((socket) => socket.once("data", () => socket.end()));
  try {
    await throughProxy(new URL(proxy.url).origin, body);
  } finally {
    await proxy.close();
  }
  return proxy.connections();
}

describe("provider: Google errors and retries", () => {
  const t = useEmulator();

  it("retries a create answered 503 with the same requestId, and creates one space", async () => {
    const { provider, waits, logs } = await configuredProvider(t);
    await t.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "error", status: 503 }, count: 2 });
    const { outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    const creates = (await t.control.requests()).filter((r) => r.rpc === "spaces.create");
    assert.deepEqual(
      creates.map((r) => r.status),
      [503, 503, 200],
    );
    assert.equal(new Set(creates.map((r) => r.query.requestId)).size, 1);
    assert.equal(outs!.displayName, "Eng");
    assert.deepEqual(waits, [375, 750], "full-jitter backoff from 500 ms, doubling (random fixed at 0.5)");
    assert.match(logs[0], /^ChatSpace eng: spaces.create: 503 UNAVAILABLE; waiting 0.4 s before retry 1$/);
  });

  it("honours Retry-After on 429", async () => {
    const { provider, waits } = await configuredProvider(t);
    await t.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "error", status: 429, retryAfterSeconds: 7 }, count: 1 });
    await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    assert.deepEqual(waits, [7000]);
  });

  it("gets the space a lost answer created by retrying with the same requestId, saying the connection was reset", async () => {
    const { provider, logs } = await configuredProvider(t);
    await t.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "dropAfterCommit" }, count: 1 });
    const { id } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    const state = await t.control.state();
    assert.deepEqual(Object.keys(state.spaces), [id.slice(7)]);
    assert.deepEqual(
      (await t.control.requests()).filter((r) => r.rpc === "spaces.create").map((r) => r.status),
      [0, 200],
    );
    assert.deepEqual(
      logs.filter((l) => l.includes("retry")),
      ["ChatSpace eng: spaces.create: no answer (ECONNRESET); waiting 0.4 s before retry 1"],
    );
  });

  it("retries PATCH and DELETE too (the Google client never retries PATCH), saying which space waits", async () => {
    const { provider, logs } = await configuredProvider(t);
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    await t.control.addFault({ match: { methods: ["spaces.patch"] }, action: { kind: "error", status: 500 }, count: 1 });
    await t.control.addFault({ match: { methods: ["spaces.delete"] }, action: { kind: "error", status: 500 }, count: 1 });
    const mark = await logMark(t);
    const { outs: after } = await provider.update(id, outs!, sdkInputs("eng", { displayName: "Eng 2" }));
    // A later `pulumi destroy` runs in a provider process of its own.
    const destroy = await configuredProvider(t);
    await destroy.provider.delete(id, after!);
    assert.deepEqual(await apiCalls(t, mark), [
      `PATCH /v1/${id} display_name 500`,
      `PATCH /v1/${id} display_name 200`,
      `DELETE /v1/${id} 500`,
      `DELETE /v1/${id} 200`,
    ]);
    assert.deepEqual(
      [...logs, ...destroy.logs],
      [
        `ChatSpace eng: spaces.patch ${id}: 500 INTERNAL; waiting 0.4 s before retry 1`,
        `ChatSpace "Eng 2" (${id}): spaces.delete ${id}: 500 INTERNAL; waiting 0.4 s before retry 1`,
      ],
    );
  });

  it("gives up at the deadline with a message that says what to do", async () => {
    const { provider } = await onVirtualClock(t, { config: { "googlechat:retryDeadlineSeconds": "1" } });
    await t.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "error", status: 429 } });
    await assert.rejects(provider.create(sdkInputs("busy", { displayName: "Busy" })), (error: Error) => {
      assert.match(
        error.message,
        /^ChatSpace busy: spaces.create failed \(429 RESOURCE_EXHAUSTED: Resource has been exhausted \(e\.g\. check quota\)\. \(gave up after 2 tries over 0\.4 s\)\)\. The Chat API quota is exhausted even after waiting: lower the parallelism \(pulumi up --parallel N\)/,
      );
      return true;
    });
  });

  it("explains ALREADY_EXISTS: choose another displayName or adopt the space, or let a replacement that creates first delete first", async () => {
    const { provider } = await configuredProvider(t);
    await provider.create(sdkInputs("a", { displayName: "Taken" }));
    await assert.rejects(provider.create(sdkInputs("b", { displayName: "Taken" })), {
      message:
        'ChatSpace b: spaces.create failed (409 ALREADY_EXISTS: A space named "Taken" already exists in this Google Workspace organization. Try a different displayName.). A space with this displayName already exists in your Google Workspace organization: choose another displayName, or take the existing space over with adoptSpace. ' +
        "If that space is the one this resource replaces, a replacement that creates the new space first (deleteBeforeReplace: false) can't take its name: let the replacement delete it first (remove deleteBeforeReplace: false; the ChatSpace class sets true), or declare another displayName with the change.",
    });
  });

  it("explains PERMISSION_DENIED for app auth: admin approval, customer, own spaces", async () => {
    await t.control.setSettings({ appAuthApproved: false });
    const { provider } = await configuredProvider(t, { app: true });
    await assert.rejects(provider.create(sdkInputs("bot", { displayName: "Bot", customer: "customers/my_customer" })), (error: Error) => {
      assert.match(error.message, /^ChatSpace bot: spaces.create failed \(403 PERMISSION_DENIED: This Chat app is not approved for app authentication/);
      assert.match(
        error.message,
        /With app authentication the service account needs the chat\.app\.\* scopes approved by a Workspace administrator \(admin approval\), `customer` set on create/,
      );
      assert.match(error.message, / The call asked for the scope https:\/\/www\.googleapis\.com\/auth\/chat\.app\.spaces\.create\.$/);
      return true;
    });
  });

  it("explains the Chat API not enabled in the project (SERVICE_DISABLED) and the Chat app not configured, for a space and a membership alike, before any other advice", async () => {
    await t.control.setSettings({ chatApiDisabledProjects: ["emulator-project"] });
    const { provider } = await configuredProvider(t);
    const page = "https://console.developers.google.com/apis/api/chat.googleapis.com/overview?project=emulator-project";
    const disabled = `The Chat API is not enabled in the Cloud project emulator-project: enable it at ${page} (or gcloud services enable chat.googleapis.com --project=emulator-project), wait a few minutes, and run again.`;
    await assert.rejects(provider.create(sdkInputs("eng", { displayName: "Eng" })), (error: Error) => {
      assert.ok(
        error.message.startsWith("ChatSpace eng: spaces.create failed (403 PERMISSION_DENIED: Google Chat API has not been used in project emulator-project"),
        error.message,
      );
      assert.ok(error.message.endsWith(`). ${disabled}`), error.message);
      return true;
    });
    const api = ChatApiError.from(
      { method: "spaces.members.create", space: "spaces/A" },
      {
        status: 403,
        response: {
          status: 403,
          data: {
            error: {
              status: "PERMISSION_DENIED",
              message: "m",
              details: [
                {
                  "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                  reason: "SERVICE_DISABLED",
                  metadata: { consumer: "projects/p", activationUrl: "https://example.test/enable" },
                },
              ],
            },
          },
        },
      },
    );
    assert.equal(api.errorInfo?.reason, "SERVICE_DISABLED");
    assert.equal(
      explain("alice", api, "user", "ChatMembership"),
      "ChatMembership alice: spaces.members.create of spaces/A failed (403 PERMISSION_DENIED: m). The Chat API is not enabled in the Cloud project p: enable it at https://example.test/enable (or gcloud services enable chat.googleapis.com --project=p), wait a few minutes, and run again.",
    );
    await t.control.setSettings({ chatApiDisabledProjects: [], chatAppUnconfiguredProjects: ["emulator-project"] });
    await assert.rejects(provider.create(sdkInputs("eng", { displayName: "Eng" })), {
      message:
        "ChatSpace eng: spaces.create failed (404 NOT_FOUND: Google Chat app not found. To create a Chat app, you must turn on the Chat API and configure the app in the Google Cloud console.). " +
        "The Cloud project of the credentials has no configured Chat app, which every Chat API call needs (user authentication too): open the Chat API's Configuration page (https://console.cloud.google.com/apis/api/chat.googleapis.com/hangouts-chat) in that project, fill in the app name, avatar URL and description, and save.",
    });
  });

  it("never takes the Chat app not configured (404 for every call) for a space that is gone: a read fails, a delete fails, and the state keeps them", async () => {
    const { id, outs } = await (await configuredProvider(t)).provider.create(sdkInputs("eng", { displayName: "Eng" }));
    await t.control.setSettings({ chatAppUnconfiguredProjects: ["emulator-project"] });
    // A later run's provider (one that did not create the space).
    const { provider } = await configuredProvider(t, { config: { "googlechat:useAdminAccess": "true" } });
    await assert.rejects(provider.read(id, outs!), /Google Chat app not found.*no configured Chat app/);
    await assert.rejects(provider.delete(id, outs!), /Google Chat app not found.*no configured Chat app/);
    const log = await t.control.requests();
    assert.deepEqual(
      log.filter((r) => r.rpc.startsWith("spaces.")).map((r) => `${r.rpc} ${r.status}`),
      ["spaces.create 200", "spaces.get 404", "spaces.delete 404"],
    );
  });

  it("explains a requestId used by other credentials", async () => {
    const inputs = sdkInputs("eng", { displayName: "Eng", requestId: "fixed-id" });
    await (await configuredProvider(t)).provider.create(inputs);
    const otherUser = await configuredProvider(t, { config: { "googlechat:impersonateUser": "alice@example.com" } });
    await assert.rejects(otherUser.provider.create(inputs), (error: Error) => {
      assert.match(
        error.message,
        /was already used by a different authenticated user\.\)\. This requestId was already used with other credentials: run with the credentials that first created the space, or set a new requestId on the resource\.$/,
      );
      return true;
    });
  });

  it("uses the least scope each call needs", async () => {
    const { provider } = await configuredProvider(t, { app: true });
    const { id, outs } = await provider.create(
      sdkInputs("bot", { displayName: "Bot", customer: "customers/my_customer", permissionSettings: { manageApps: { managersAllowed: true } } }),
    );
    await provider.read(id, outs!);
    // A later `pulumi destroy` runs in a provider process of its own.
    await (await configuredProvider(t, { app: true })).provider.delete(id, outs!);
    const tokens = (await t.control.requests()).filter((r) => r.rpc === "oauth2.token").map((r) => r.status);
    assert.deepEqual(tokens, [200, 200, 200], "one token each for chat.app.spaces.create, chat.app.spaces and chat.app.delete");
  });

  it("acts with administrator privileges when useAdminAccess is set", async () => {
    const alice = t.asDelegatedUser("alice@example.com", ["chat.spaces"]);
    const { data } = await alice.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Alice's" } });
    const { provider } = await configuredProvider(t, { useAdminAccess: true });
    const read = await provider.read(data.name!, { declared: {} } as never);
    assert.equal((read.props as any).displayName, "Alice's");
    const [get] = (await t.control.requests()).filter((r) => r.rpc === "spaces.get");
    assert.deepEqual(get.query, { useAdminAccess: "true" });
  });
});

describe("provider: quotas", () => {
  const t = useEmulator();

  it("spaces the PATCHes of a split update a second apart, as Google allows one write a second per space", async () => {
    const { provider, waits } = await onVirtualClock(t, { config: { "googlechat:perSpaceWritesPerSecond": "1" } });
    const { id, outs } = await provider.create(sdkInputs("eng", { displayName: "Eng" }));
    waits.length = 0;
    await provider.update(
      id,
      outs!,
      sdkInputs("eng", { displayName: "Eng 2", spaceHistoryState: "HISTORY_OFF", permissionSettings: { manageApps: { managersAllowed: true } } }),
    );
    assert.deepEqual(waits, [1100, 1100], "a second and the limiter's margin of 100 ms");
  });

  it("keeps one pace for the process when the provider is configured again (a second serialized provider in the state)", async () => {
    const { provider, waits, configure } = await onVirtualClock(t, {
      config: { "googlechat:spaceWritesPerMinute": "60", "googlechat:spaceCreatesPerMinute": "60" },
    });
    await provider.create(sdkInputs("a", { displayName: "A" }));
    await configure();
    await provider.create(sdkInputs("b", { displayName: "B" }));
    assert.deepEqual(waits, [1020], "the second create waits for the first one's slot");
  });
});

describe("provider: token requests and endpoints", () => {
  const t = useEmulator();
  const userScope = "https://www.googleapis.com/auth/chat.spaces.create";

  it("gives a hung token endpoint the request timeout, retries it, and then says which endpoint did not answer", async () => {
    const hung = await localServer(() => {});
    try {
      const tokenEndpoint = `${hung.url}/token`;
      const { provider, waits } = await onVirtualClock(t, {
        config: { "googlechat:tokenEndpoint": tokenEndpoint, "googlechat:requestTimeoutSeconds": "0.05", "googlechat:retryDeadlineSeconds": "1" },
      });
      await assert.rejects(provider.create(sdkInputs("eng", { displayName: "Eng" })), {
        message: `ChatSpace eng: spaces.create failed (token request: no answer (timed out): The operation was aborted due to timeout (gave up after 2 tries over 0.4 s)). The token endpoint ${tokenEndpoint} did not answer successfully even after retries: run pulumi up again later; googlechat:requestTimeoutSeconds sets how long one request waits.`,
      });
      assert.equal(hung.connections(), 2, "one connection a try");
      assert.deepEqual(waits, [375]);
      assert.deepEqual(await t.control.requests(), [], "no Chat API call without a token");
    } finally {
      await hung.close();
    }
  });

  it("retries a token request answered 503 like an API call, then creates the space", async () => {
    let tries = 0;
    const flaky = await localServer((req, res) => {
      if (tries++ === 0) return void res.writeHead(503, { "Content-Type": "application/json" }).end('{"error":"temporarily_unavailable"}');
      const chunks: Buffer[] = [];
      req
        .on("data", (c: Buffer) => chunks.push(c))
        .on("end", async () => {
          const answer = await fetch(t.emulator.tokenUrl, {
            method: "POST",
            headers: { "Content-Type": req.headers["content-type"] ?? "" },
            body: Buffer.concat(chunks),
          });
          res.writeHead(answer.status, { "Content-Type": "application/json" }).end(await answer.text());
        });
    });
    try {
      const { provider, waits, logs } = await onVirtualClock(t, { config: { "googlechat:tokenEndpoint": `${flaky.url}/token` } });
      await provider.create(sdkInputs("eng", { displayName: "Eng" }));
      assert.equal(flaky.requests(), 2);
      assert.deepEqual(waits, [375]);
      assert.deepEqual(logs, ["ChatSpace eng: spaces.create: token request: 503 temporarily_unavailable; waiting 0.4 s before retry 1"]);
      assert.deepEqual(await apiCalls(t), ["POST /v1/spaces 200"]);
    } finally {
      await flaky.close();
    }
  });

  it("tells a user whose refresh token expired to sign in again, without retrying", async () => {
    const user = await t.control.authorizedUser("alice@example.com", [userScope]);
    const { provider, waits } = await onVirtualClock(t, {
      app: true,
      config: { "googlechat:credentials": JSON.stringify({ ...user, refresh_token: "revoked" }) },
    });
    await assert.rejects(provider.create(sdkInputs("eng", { displayName: "Eng" })), {
      message:
        "ChatSpace eng: spaces.create failed (token request: 400 invalid_grant: Token has been expired or revoked.). The credentials were refused: a refresh token that expired or was revoked, or a service account key that was deleted. Sign in again (gcloud auth application-default login, with your OAuth client) or create a new key, and point googlechat:credentials or GOOGLE_APPLICATION_CREDENTIALS at it; for a key that still exists, check the machine's clock.",
    });
    assert.deepEqual(waits, []);
    assert.deepEqual(
      (await t.control.requests()).map((r) => `${r.rpc} ${r.status}`),
      ["oauth2.token 400"],
    );
  });

  it("names the scope an administrator must authorise for domain-wide delegation when the token endpoint refuses it", async () => {
    await t.control.setSettings({ domainWideDelegation: false });
    const { provider } = await onVirtualClock(t);
    await assert.rejects(provider.create(sdkInputs("eng", { displayName: "Eng" })), (error: Error) => {
      assert.match(error.message, /^ChatSpace eng: spaces\.create failed \(token request: 401 unauthorized_client: Client is unauthorized/);
      assert.ok(
        error.message.endsWith(
          `The service account may not act for googlechat:impersonateUser with ${userScope}: a Workspace administrator must authorise the service account's client ID for domain-wide delegation with the scope ${userScope} in the Admin console (Security > Access and data control > API controls > Domain-wide delegation), and the user must belong to that organisation.`,
        ),
        error.message,
      );
      return true;
    });
  });

  it("sends no token request with self-signed JWTs", async () => {
    const { provider } = await onVirtualClock(t, { app: true, config: { "googlechat:selfSignedJwt": "true" } });
    await provider.create(sdkInputs("bot", { displayName: "Bot", customer: "customers/my_customer" }));
    assert.deepEqual(
      (await t.control.requests()).map((r) => `${r.rpc} ${r.status}`),
      ["spaces.create 200"],
    );
  });

  it("fails at once when nothing answers at the Chat API endpoint, naming the setting", async () => {
    const apiEndpoint = `${await nothingListening()}/`;
    const { provider, waits } = await onVirtualClock(t, { config: { "googlechat:apiEndpoint": apiEndpoint } });
    await assert.rejects(provider.create(sdkInputs("eng", { displayName: "Eng" })), (error: Error) => {
      assert.match(error.message, /^ChatSpace eng: spaces\.create failed \(no answer \(ECONNREFUSED\): /);
      assert.ok(
        error.message.endsWith(
          `. Nothing answers at the Chat API endpoint ${apiEndpoint}: check googlechat:apiEndpoint (GOOGLECHAT_API_ENDPOINT), or leave it unset for Google's https://chat.googleapis.com/.`,
        ),
        error.message,
      );
      return true;
    });
    assert.deepEqual(waits, [], "not retried");
  });

  it("names the proxy variable, never its value, when nothing answers through the proxy HTTPS_PROXY names: the proxy may be what refused", async () => {
    const { provider, waits } = await onVirtualClock(t, { app: true, config: { "googlechat:selfSignedJwt": "true" } });
    const closed = new URL(await nothingListening());
    await throughProxy(`http://someone:proxy-secret@${closed.host}`, async () => {
      await assert.rejects(provider.create(sdkInputs("bot", { displayName: "Bot", customer: "customers/my_customer" })), (error: Error) => {
        assert.match(error.message, /^ChatSpace bot: spaces\.create failed \(no answer \(ECONNREFUSED\): /);
        assert.ok(
          error.message.endsWith(
            `. Nothing answers at the Chat API endpoint ${t.emulator.url}/, or at the proxy HTTPS_PROXY names, which requests go through unless NO_PROXY lists their host: ` +
              "check HTTPS_PROXY; otherwise check googlechat:apiEndpoint (GOOGLECHAT_API_ENDPOINT), or leave it unset for Google's https://chat.googleapis.com/.",
          ),
          error.message,
        );
        assert.ok(!error.message.includes("proxy-secret"), error.message);
        return true;
      });
    });
    assert.deepEqual(waits, [], "not retried");
    assert.deepEqual(await t.control.requests(), [], "nothing reached the Chat API");
  });

  it("fails at once, without a retry, when the Chat API endpoint's reply isn't HTTP: only an answer lost on the way is retried", async () => {
    const server = await notHttp();
    try {
      const { provider, waits } = await onVirtualClock(t, { config: { "googlechat:apiEndpoint": server.url } });
      await assert.rejects(provider.create(sdkInputs("eng", { displayName: "Eng" })), (error: Error) => {
        assert.match(error.message, /^ChatSpace eng: spaces\.create failed \(no answer \(HPE_INVALID_CONSTANT\): /);
        assert.ok(
          error.message.endsWith(
            `. The request to the Chat API endpoint ${server.url} failed before any answer came, and trying again would fail alike: check googlechat:apiEndpoint (GOOGLECHAT_API_ENDPOINT), or leave it unset for Google's https://chat.googleapis.com/.`,
          ),
          error.message,
        );
        return true;
      });
      assert.deepEqual(waits, [], "not retried");
      assert.equal(server.connections(), 1);
    } finally {
      await server.close();
    }
  });

  it("retries a call, and a token request, whose proxy (HTTPS_PROXY) closed the connection before its CONNECT answer: lost on the way", async () => {
    const app = await onVirtualClock(t, { app: true, config: { "googlechat:selfSignedJwt": "true" } });
    const callTries = await behindAClosingProxy(async () => {
      await assert.rejects(app.provider.create(sdkInputs("bot", { displayName: "Bot", customer: "customers/my_customer" })), (error: Error) => {
        assert.match(
          error.message,
          /^ChatSpace bot: spaces\.create failed \(no answer: .*Proxy connection ended before receiving CONNECT response \(gave up after \d+ tries/,
        );
        return true;
      });
    });
    assert.ok(app.waits.length > 0 && callTries === app.waits.length + 1, `retried: ${callTries} tries, waits ${app.waits}`);
    const user = await onVirtualClock(t);
    const tokenTries = await behindAClosingProxy(async () => {
      await assert.rejects(user.provider.create(sdkInputs("eng", { displayName: "Eng" })), (error: Error) => {
        assert.match(
          error.message,
          /^ChatSpace eng: spaces\.create failed \(token request: no answer: .*Proxy connection ended before receiving CONNECT response \(gave up after \d+ tries/,
        );
        return true;
      });
    });
    assert.ok(user.waits.length > 0 && tokenTries === user.waits.length + 1, `retried: ${tokenTries} tries, waits ${user.waits}`);
  });

  it("fails at once when nothing answers at the token endpoint, naming the setting", async () => {
    const tokenEndpoint = `${await nothingListening()}/token`;
    const { provider, waits } = await onVirtualClock(t, { config: { "googlechat:tokenEndpoint": tokenEndpoint } });
    await assert.rejects(provider.create(sdkInputs("eng", { displayName: "Eng" })), (error: Error) => {
      assert.match(error.message, /^ChatSpace eng: spaces\.create failed \(token request: no answer \(ECONNREFUSED\): /);
      assert.ok(
        error.message.endsWith(
          `. Nothing answers at the token endpoint ${tokenEndpoint}: check googlechat:tokenEndpoint (GOOGLECHAT_TOKEN_ENDPOINT), or leave it unset for Google's https://oauth2.googleapis.com/token.`,
        ),
        error.message,
      );
      return true;
    });
    assert.deepEqual(waits, [], "not retried");
  });

  it("tells which service a token request goes to from the credentials' URLs, IAM Credentials' and the metadata server's paths, and a Chat call from them all", () => {
    const credentials = {
      type: "impersonated_service_account",
      source_credentials: {
        type: "external_account",
        token_url: "https://sts.example/v1/token",
        credential_source: { url: "https://ci.example/id?api-version=2" },
      },
    };
    const settings = { credentials, iamCredentialsEndpoint: "https://iam.example" };
    assert.deepEqual(
      [
        "https://sts.example/v1/token",
        "https://ci.example/id?audience=x",
        "https://iam.example/v1/projects/-/serviceAccounts/a@b:generateAccessToken",
        "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/a%40b:signJwt",
        "http://169.254.169.254/computeMetadata/v1/instance/service-accounts/default/token",
        "https://oauth2.googleapis.com/token",
        "https://chat.googleapis.com/v1/spaces",
        // A member name written with a stray % (not valid percent-encoding): a Chat call, not a URIError.
        "https://chat.googleapis.com/v1/spaces/AAAA/members/a%e0b@x.com",
      ].map((url) => tokenServiceOf(settings, url)),
      ["sts", "subjectToken", "iamCredentials", "iamCredentials", "metadata", "oauth", undefined, undefined],
    );
  });

  it("sends a metadata server that nothing answers at to GCE_METADATA_HOST", () => {
    const endpoint = "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token";
    const error = ChatApiError.from(
      { method: "spaces.create" },
      Object.assign(new Error("getaddrinfo ENOTFOUND metadata.google.internal"), { code: "ENOTFOUND" }),
      {
        endpoint: `${endpoint}?scopes=x`,
        tokenRequest: true,
        tokenService: "metadata",
      },
    );
    assert.equal(
      explain("bot", error, "app"),
      `ChatSpace bot: spaces.create failed (token request: no answer (ENOTFOUND): getaddrinfo ENOTFOUND metadata.google.internal). Nothing answers at the metadata server ${endpoint}: check GCE_METADATA_HOST, or run where a metadata server answers (Compute Engine, Cloud Run, GKE, Cloud Build).`,
    );
  });

  it("takes an unknown host for a wrong endpoint, a reset or a timeout for a passing trouble, and any other failure without an answer for one that lasts", () => {
    const call = { method: "spaces.get", space: "spaces/A" };
    const failure = (code: string | undefined) =>
      ChatApiError.from(call, Object.assign(new Error(`request failed, reason: ${code}`), { code }), { endpoint: "https://chat.example.invalid/" });
    assert.deepEqual(
      ["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "EPIPE", "TimeoutError", "ETIMEDOUT", "ENETUNREACH"].map((code) => isTransient(failure(code))),
      [false, false, false, true, true, true, true, true],
    );
    // A reply that isn't HTTP, a certificate not trusted, the client refusing the request (no code): each fails alike on every try.
    assert.deepEqual(
      ["HPE_INVALID_CONSTANT", "DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN", "ERR_TLS_CERT_ALTNAME_INVALID", undefined].map((code) =>
        isTransient(failure(code)),
      ),
      [false, false, false, false, false],
    );
    assert.equal(
      explain("eng", failure("EAI_AGAIN"), "user"),
      "ChatSpace eng: spaces.get of spaces/A failed (no answer (EAI_AGAIN): request failed, reason: EAI_AGAIN). " +
        "The name of the Chat API endpoint https://chat.example.invalid/ could not be resolved now (a DNS failure): check this machine's network and DNS, and run again; " +
        "otherwise check googlechat:apiEndpoint (GOOGLECHAT_API_ENDPOINT), or leave it unset for Google's https://chat.googleapis.com/.",
    );
    // The server refusing this client's certificate is no certificate of the server's to trust.
    assert.doesNotMatch(explain("eng", failure("ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE"), "user"), /NODE_EXTRA_CA_CERTS/);
    assert.match(explain("eng", failure("INVALID_CA"), "user"), /is not trusted \(INVALID_CA\): .*NODE_EXTRA_CA_CERTS/);
    assert.equal(
      explain("eng", failure("SELF_SIGNED_CERT_IN_CHAIN"), "user"),
      "ChatSpace eng: spaces.get of spaces/A failed (no answer (SELF_SIGNED_CERT_IN_CHAIN): request failed, reason: SELF_SIGNED_CERT_IN_CHAIN). " +
        "The TLS certificate presented for the Chat API endpoint https://chat.example.invalid/ is not trusted (SELF_SIGNED_CERT_IN_CHAIN): " +
        "behind a proxy that inspects TLS, give Node its certificate authority (NODE_EXTRA_CA_CERTS=/path/to/ca.pem); " +
        "otherwise check googlechat:apiEndpoint (GOOGLECHAT_API_ENDPOINT), or leave it unset for Google's https://chat.googleapis.com/.",
    );
    assert.equal(
      explain("alice", failure("ECONNRESET"), "user", "ChatMembership"),
      "ChatMembership alice: spaces.get of spaces/A failed (no answer (ECONNRESET): request failed, reason: ECONNRESET). " +
        "Google Chat did not answer successfully even after retries: run pulumi up again later; a membership a lost answer had created is taken over then.",
    );
    assert.equal(
      explain("eng", failure("ENOTFOUND"), "user"),
      "ChatSpace eng: spaces.get of spaces/A failed (no answer (ENOTFOUND): request failed, reason: ENOTFOUND). Nothing answers at the Chat API endpoint https://chat.example.invalid/: check googlechat:apiEndpoint (GOOGLECHAT_API_ENDPOINT), or leave it unset for Google's https://chat.googleapis.com/.",
    );
  });
});
