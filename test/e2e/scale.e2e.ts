import assert from "node:assert/strict";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import fc from "fast-check";
import { isChatApiCall, type LoggedRequest, type ServiceAccountKey } from "../../emulator";
import { ChatSpaceProvider } from "../../provider/space/provider";
import { ChatSpace } from "../../sdk";
import {
  assertNoSecrets,
  type EmulatorProcess,
  filesUnder,
  googleLimitsConfig,
  inlineStack,
  killProcessTree,
  secretsOf,
  startEmulatorProcess,
  until,
  useEngine,
} from "./harness";
import { invalidChatSpaceArgs } from "./invalid-args";
import { spaces } from "./programs";

/** A minute of Google's quota passes in 60 / TIME_SCALE seconds, at the emulator and in the provider's limiter alike. */
const TIME_SCALE = 4;
const SPACES = 120;

const hundredTwenty = (): PulumiFn =>
  spaces(Object.fromEntries(Array.from({ length: SPACES }, (_, i) => [`s${String(i).padStart(3, "0")}`, { displayName: `Space ${i}` }])));

describe("e2e: many spaces under Google's quotas and faults", () => {
  let emulator: EmulatorProcess;
  let key: ServiceAccountKey;
  let home: string;
  let output: string;
  const dataFile = join(mkdtempSync(join(tmpdir(), "scale-emulator-")), "emulator.json");

  before(async () => {
    useEngine();
    emulator = await startEmulatorProcess(dataFile);
    key = await emulator.control.serviceAccount();
  });
  beforeEach(async () => {
    await emulator.control.reset();
    await emulator.control.setQuotas({ enabled: true, timeScale: TIME_SCALE });
    home = mkdtempSync(join(tmpdir(), "scale-"));
    output = "";
  });
  // Every scenario ends with a search of the state and the logs for key material and tokens.
  afterEach(function () {
    if (this.currentTest?.state !== "passed") return;
    const secrets = secretsOf(key, undefined, dataFile);
    if (existsSync(join(home, "state"))) assertNoSecrets("the state", filesUnder(join(home, "state")), secrets);
    assertNoSecrets("the output", output, secrets);
  });
  after(() => emulator?.stop());

  const log = { onOutput: (s: string) => void (output += s) };
  const newStack = (name: string) =>
    inlineStack("chat-scale", name, hundredTwenty(), { emulator, key, impersonateUser: "admin@example.com", config: googleLimitsConfig(TIME_SCALE), home });

  async function assertOneSpacePerResource(stack: Stack) {
    const live = Object.values((await emulator.control.state()).spaces);
    assert.equal(live.length, SPACES, "one space per resource");
    assert.equal(new Set(live.map((s) => s.displayName)).size, SPACES);
    const owned = (await stack.exportStack()).deployment.resources
      .filter((r: any) => r.type === "pulumi-nodejs:dynamic/googlechat:ChatSpace")
      .map((r: any) => r.id)
      .sort();
    assert.deepEqual(owned, live.map((s) => `spaces/${s.id}`).sort(), "state and emulator agree");
  }

  function figures(requests: LoggedRequest[]) {
    const api = requests.filter(isChatApiCall);
    return {
      requests: api.length,
      throttled: api.filter((r) => r.status === 429).length,
      faulted: api.filter((r) => r.faults?.length).length,
    };
  }

  // How long the writes take against their quota bound depends on the machine: that figure is the
  // benchmark's (bench/run.ts, "Quota pacing"). This test keeps what does not: no 429 at all.
  it(`creates ${SPACES} spaces once each at Google's quotas without one 429 from a strict sliding-window server`, async () => {
    await emulator.control.setQuotas({ enabled: true, mode: "slidingWindow", timeScale: TIME_SCALE });
    const stack = await newStack("quota");
    const up = await stack.up(log);
    assert.equal(up.summary.result, "succeeded");
    await assertOneSpacePerResource(stack);
    const requests = await emulator.control.requests();
    assert.deepEqual(
      requests.filter(isChatApiCall).map((r) => `${r.rpc} ${r.status}`),
      Array.from({ length: SPACES }, () => "spaces.create 200"),
      "one create per space, none answered 429",
    );
  });

  it("announces a long wait for quota in pulumi's output", async () => {
    // Five creates at 30 a minute: the fourth waits about six seconds, past the five a wait must exceed to be told.
    const stack = await inlineStack(
      "chat-scale",
      "announce",
      spaces(Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`a${i}`, { displayName: `Announced ${i}` }]))),
      {
        emulator,
        key,
        impersonateUser: "admin@example.com",
        config: { "googlechat:spaceWritesPerMinute": "30", "googlechat:spaceCreatesPerMinute": "30" },
        home,
      },
    );
    await stack.up(log);
    assert.match(
      output,
      /ChatSpace a[1-5]: waiting [56]\.\d s for the Chat API quota \(30 space writes a minute, 1 a second per space; googlechat:spaceWritesPerMinute changes it\)/,
    );
  });

  it("survives 20% of writes answered 503 or 429 and 10% of creates whose answer is lost: one space per resource, no manual step", async () => {
    const writes = ["spaces.create", "spaces.patch", "spaces.delete"] as const;
    await emulator.control.addFault({ match: { methods: [...writes] }, action: { kind: "error", status: 503 }, probability: 0.1 });
    await emulator.control.addFault({ match: { methods: [...writes] }, action: { kind: "error", status: 429 }, probability: 0.1 });
    await emulator.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "dropAfterCommit" }, probability: 0.1 });
    const stack = await newStack("faults");
    const up = await stack.up(log);
    assert.equal(up.summary.result, "succeeded");
    await assertOneSpacePerResource(stack);
    const requests = await emulator.control.requests();
    const dropped = requests.filter((r) => r.status === 0).length;
    const f = figures(requests);
    console.log(
      `      faults: ${f.faulted} of ${f.requests} requests faulted, ${dropped} creates committed with their answer dropped; ${f.throttled} answered 429 in all`,
    );
    assert.ok(dropped > 0 && f.faulted > 0, "faults were injected");
  });

  it("recovers from kill -9 of pulumi up in the middle of the deployment: refresh, then up, one space per resource", async () => {
    const stack = await newStack("killed");
    const up = stack.up(log).then(
      () => "finished",
      (error: Error) => error.message,
    );
    await until("a third of the spaces", async () => (Object.keys((await emulator.control.state()).spaces).length >= SPACES / 3 ? true : undefined));
    assert.ok(killProcessTree("--stack killed") >= 1);
    assert.notEqual(await up, "finished");
    const before = Object.keys((await emulator.control.state()).spaces).length;
    assert.ok(before < SPACES, `killed while ${before} of ${SPACES} existed`);
    await stack.cancel();
    await stack.refresh({ clearPendingCreates: true, ...log });
    const again = await stack.up(log);
    assert.equal(again.summary.result, "succeeded");
    await assertOneSpacePerResource(stack);
  });

  it("check: 200 generated invalid argument sets each fail naming the property, and the emulator hears nothing", async () => {
    const provider = new ChatSpaceProvider({ env: {}, now: Date.now, sleep: async () => {}, random: Math.random, log: () => {} });
    const config: Record<string, string> = {
      "googlechat:credentials": JSON.stringify(key),
      "googlechat:impersonateUser": "admin@example.com",
      "googlechat:apiEndpoint": emulator.url,
      "googlechat:tokenEndpoint": emulator.tokenUrl,
    };
    await provider.configure({ config: { get: (k) => config[k], require: (k) => config[k] } });
    await fc.assert(
      fc.asyncProperty(invalidChatSpaceArgs, async ({ args, property }) => {
        const result = await provider.check({}, { ...(args as object), resourceName: "generated", requestIdBase: "b" } as never);
        assert.ok(
          result.failures?.some((f) => f.property === property),
          `${JSON.stringify(args).slice(0, 200)} should fail on ${property}: ${JSON.stringify(result.failures)}`,
        );
        assert.equal(result.inputs, undefined);
      }),
      { numRuns: 200, seed: 20261127 },
    );
    assert.deepEqual(await emulator.control.requests(), []);
  });

  it("check: a deployment of 200 invalid spaces fails before any request reaches the API", async () => {
    const cases = fc.sample(invalidChatSpaceArgs, { numRuns: 200, seed: 20261127 });
    const stack = await inlineStack("chat-scale", "invalid", async () => void cases.forEach((c, i) => new ChatSpace(`bad-${i}`, c.args)), {
      emulator,
      key,
      impersonateUser: "admin@example.com",
      home,
    });
    await assert.rejects(stack.up({ continueOnError: true, ...log }), /has a problem/);
    assert.deepEqual(await emulator.control.requests(), []);
  });
});
