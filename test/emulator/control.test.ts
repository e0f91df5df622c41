import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chat } from "@googleapis/chat";
import { EmulatorControl, isChatApiCall, startEmulator } from "../../emulator";
import { createAuthClient } from "../../provider/core/google-auth";
import { googleError, SCOPE, useEmulator } from "../helpers/emulator";

describe("emulator: control surface", () => {
  const t = useEmulator();
  const admin = () => t.asDelegatedUser("admin@example.com", ["chat.spaces", "chat.delete"]);
  const create = (displayName: string) => admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName } });

  it("logs every request with method, path, query, principal and status, and counts them", async () => {
    const { data } = await create("Logged");
    await admin().spaces.patch({ name: data.name!, updateMask: "display_name", requestBody: { displayName: "Logged 2" } });
    const log = (await t.control.requests()).filter(isChatApiCall);
    assert.deepEqual(
      log.map(({ method, path, query, principal, status, rpc }) => ({ method, path, query, principal, status, rpc })),
      [
        { method: "POST", path: "/v1/spaces", query: {}, principal: "user:110000000000000000001", status: 200, rpc: "spaces.create" },
        {
          method: "PATCH",
          path: `/v1/${data.name}`,
          query: { updateMask: "display_name" },
          principal: "user:110000000000000000001",
          status: 200,
          rpc: "spaces.patch",
        },
      ],
    );
    const counters = await t.control.counters();
    assert.deepEqual(counters.byRpc["spaces.patch"], { total: 1, byStatus: { 200: 1 } });
    const since = log[0].seq;
    assert.deepEqual(
      (await t.control.requests(since)).map((r) => r.rpc),
      ["oauth2.token", "spaces.patch"],
    );
  });

  it("answers the next N matching requests with an injected status and Retry-After", async () => {
    await t.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "error", status: 429, retryAfterSeconds: 7 }, count: 1 });
    await assert.rejects(create("Busy"), (error: any) => {
      googleError(429, "RESOURCE_EXHAUSTED")(error);
      assert.equal(error.response.headers.get("retry-after"), "7");
      return true;
    });
    await create("Busy");
    assert.equal(Object.keys((await t.control.state()).spaces).length, 1, "the faulted request created nothing");
  });

  it("injects faults into the token endpoint only when a rule names oauth2.token", async () => {
    const askForToken = () =>
      fetch(t.emulator.tokenUrl, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "grant_type=unknown" });
    await t.control.addFault({ action: { kind: "error", status: 503 } });
    assert.equal((await askForToken()).status, 400, "a rule for every Chat call leaves the token endpoint alone");
    await t.control.clearFaults();
    await t.control.addFault({ match: { methods: ["oauth2.token"] }, action: { kind: "error", status: 503, retryAfterSeconds: 2 }, count: 1 });
    const faulted = await askForToken();
    assert.deepEqual(
      [faulted.status, faulted.headers.get("retry-after"), await faulted.json()],
      [503, "2", { error: "temporarily_unavailable", error_description: "The service is currently unavailable." }],
      "the token endpoint's OAuth error body (RFC 6749 §5.2), not Chat's error envelope",
    );
    assert.equal((await askForToken()).status, 400, "the fault was used up");
    const tokens = (await t.control.requests()).filter((r) => r.rpc === "oauth2.token").map((r) => [r.status, r.faults]);
    assert.deepEqual(tokens, [
      [400, undefined],
      [503, ["error 503"]],
      [400, undefined],
    ]);
  });

  it("injects 503 into reads, which the Google client retries on its own", async () => {
    const { data } = await create("Flaky");
    await t.control.addFault({ match: { methods: ["spaces.get"] }, action: { kind: "error", status: 503 }, count: 2 });
    const got = await admin().spaces.get({ name: data.name! });
    assert.equal(got.data.name, data.name);
    const gets = (await t.control.requests()).filter((r) => r.rpc === "spaces.get").map((r) => r.status);
    assert.deepEqual(gets, [503, 503, 200]);
  });

  it("commits a write, then drops the connection without an answer", async () => {
    await t.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "dropAfterCommit" }, count: 1 });
    await assert.rejects(create("Lost answer"), (error: any) => error.status === undefined);
    const spaces = Object.values((await t.control.state()).spaces);
    assert.deepEqual(
      spaces.map((s) => s.displayName),
      ["Lost answer"],
    );
    const [entry] = (await t.control.requests()).filter((r) => r.rpc === "spaces.create");
    assert.deepEqual([entry.status, entry.faults], [0, ["dropAfterCommit"]]);
  });

  it("commits a write, then holds the answer until released", async () => {
    await t.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "holdAfterCommit" }, count: 1 });
    let answered = false;
    const pending = create("Held").then((r) => ((answered = true), r));
    for (let i = 0; i < 50 && Object.keys((await t.control.state()).spaces).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(Object.keys((await t.control.state()).spaces).length, 1, "committed while held");
    assert.equal(answered, false);
    await t.control.clearFaults();
    assert.equal((await pending).data.displayName, "Held");
  });

  it("holds a request before it runs until released, the fault used up and the other faults kept", async () => {
    const held = await t.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "holdBeforeRun" }, count: 1 });
    await t.control.addFault({ match: { methods: ["spaces.list"] }, action: { kind: "error", status: 503 }, count: 1 });
    let answered = false;
    const pending = create("Held before").then((r) => ((answered = true), r));
    while ((await t.control.faults()).some((f) => f.id === held.id)) await new Promise((r) => setImmediate(r));
    assert.deepEqual(Object.keys((await t.control.state()).spaces), [], "not run while held");
    assert.equal(answered, false);
    await t.control.releaseHeld();
    assert.equal((await pending).data.displayName, "Held before");
    assert.deepEqual(
      (await t.control.faults()).map((f) => f.action),
      [{ kind: "error", status: 503 }],
    );
    const [entry] = (await t.control.requests()).filter((r) => r.rpc === "spaces.create");
    assert.deepEqual([entry.status, entry.faults], [200, ["holdBeforeRun"]]);
  });

  it("takes one fault away by its id, the others kept", async () => {
    const hold = await t.control.addFault({ action: { kind: "holdBeforeRun" }, count: 1 });
    await t.control.addFault({ match: { methods: ["spaces.list"] }, action: { kind: "error", status: 503 }, count: 1 });
    await t.control.removeFault(hold.id);
    assert.deepEqual(
      (await t.control.faults()).map((f) => f.action),
      [{ kind: "error", status: 503 }],
    );
    assert.equal((await create("Not held")).data.displayName, "Not held");
  });

  it("commits a write, then answers with the name alone", async () => {
    await t.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "nameOnlyAfterCommit" }, count: 1 });
    const { data } = await create("Partial");
    assert.deepEqual(Object.keys(data), ["name"]);
    assert.equal((await t.control.state()).spaces[data.name!.slice(7)].displayName, "Partial");
  });

  it("adds latency to matching requests", async () => {
    await t.control.addFault({ match: { methods: ["spaces.list"] }, action: { kind: "latency", ms: 150 }, count: 1 });
    const started = Date.now();
    await admin().spaces.list({});
    assert.ok(Date.now() - started >= 150);
  });

  it("refuses a fault it cannot inject", async () => {
    await assert.rejects(t.control.addFault({ action: { kind: "error", status: 418 } }), /Unsupported fault status 418/);
  });

  it("enforces the per-project space write quota when turned on, with Google's 429 body", async () => {
    await t.control.setQuotas({ enabled: true, limits: { projectSpaceWritesPerMinute: 2 } });
    await create("Q1");
    await create("Q2");
    await assert.rejects(create("Q3"), (error: any) => {
      googleError(429, "RESOURCE_EXHAUSTED")(error);
      assert.equal(error.response.data.error.details[0].reason, "RATE_LIMIT_EXCEEDED");
      assert.equal(error.response.data.error.details[0].metadata.quota_limit_value, "2");
      assert.equal(error.response.headers.get("retry-after"), null, "Google sends no Retry-After");
      return true;
    });
  });

  it("reset clears spaces, log and faults but keeps credentials", async () => {
    await create("Before reset");
    await t.control.addFault({ action: { kind: "error", status: 500 } });
    await t.control.reset();
    assert.deepEqual((await t.control.state()).spaces, {});
    assert.deepEqual(await t.control.requests(), []);
    await create("After reset");
  });
});

describe("emulator: quotas on the emulator's clock", () => {
  // A stopped clock, moved on by the test alone: the quota refills only when the test says so.
  const t = useEmulator({ now: () => Date.parse("2026-12-01T00:00:00Z") });
  const admin = () => t.asDelegatedUser("admin@example.com", ["chat.spaces", "chat.delete"]);

  it("enforces one write per second per space, and a time scale refills it faster", async () => {
    const { data } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Per space" } });
    await t.control.setQuotas({ enabled: true, timeScale: 20, retryAfter: true });
    const rename = (displayName: string) => admin().spaces.patch({ name: data.name!, updateMask: "display_name", requestBody: { displayName } });
    await rename("P1");
    const refused = (error: any) => {
      googleError(429, "RESOURCE_EXHAUSTED")(error);
      assert.equal(error.response.headers.get("retry-after"), "1");
      return true;
    };
    await assert.rejects(rename("P2"), refused);
    t.advanceClock(49); // not yet 1 s of quota at 20x
    await assert.rejects(rename("P2"), refused);
    t.advanceClock(1); // 50 ms: 1 s of quota at 20x
    await rename("P3");
  });
});

describe("emulator: --data persistence and the command line", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "chat-emulator-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps spaces and credentials across a restart", async () => {
    const dataFile = join(dir, "state.json");
    const first = await startEmulator({ dataFile });
    const key = await new EmulatorControl(first.url).serviceAccount();
    const client = (url: string, tokenEndpoint: string) =>
      chat({
        version: "v1",
        rootUrl: `${url}/`,
        auth: createAuthClient({ credentials: { ...key }, scopes: [SCOPE("chat.spaces")], subject: "admin@example.com", tokenEndpoint }),
      });
    const { data } = await client(first.url, first.tokenUrl).spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Kept" } });
    await first.stop();
    assert.equal(JSON.parse(readFileSync(dataFile, "utf8")).spaces[data.name!.slice(7)].displayName, "Kept");
    const second = await startEmulator({ dataFile });
    try {
      const got = await client(second.url, second.tokenUrl).spaces.get({ name: data.name! });
      assert.equal(got.data.displayName, "Kept");
    } finally {
      await second.stop();
    }
  });

  it("npm run emulator prints its URL, writes credentials and answers", async function () {
    this.timeout(30000);
    const credentials = join(dir, "creds");
    const child = spawn(process.execPath, [require.resolve("ts-node/dist/bin.js"), "emulator/cli.ts", "--port", "0", "--credentials", credentials], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = "";
        child.stdout.on("data", (d) => {
          text += d;
          if (text.includes("user credentials:")) resolve(text);
        });
        child.on("exit", (code) => reject(new Error(`emulator exited with ${code}: ${text}`)));
      });
      const url = /listening on (http:\/\/\S+)/.exec(output)![1];
      const key = JSON.parse(readFileSync(join(credentials, "service-account.json"), "utf8"));
      assert.equal(key.type, "service_account");
      assert.equal(key.token_uri, `${url}/token`);
      const user = JSON.parse(readFileSync(join(credentials, "authorized-user.json"), "utf8"));
      const client = chat({
        version: "v1",
        rootUrl: `${url}/`,
        auth: createAuthClient({ credentials: user, scopes: [SCOPE("chat.spaces")], tokenEndpoint: `${url}/token` }),
      });
      const { data } = await client.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "From the CLI" } });
      assert.equal(data.displayName, "From the CLI");
    } finally {
      child.kill("SIGTERM");
    }
  });
});
