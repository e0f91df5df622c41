import assert from "node:assert/strict";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ChatSpaceProvider } from "../../provider/space/provider";
import { deriveRequestId } from "../../provider/space/request-id";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, baseOf, emulatorConfig, logMark, sdkInputs } from "../helpers/provider";

/**
 * The time of the world, which both clocks read: the provider's is it, Google's (the emulator's)
 * runs `clockSkewMs` apart. A quarter of a second past a whole second, which the Date header cuts off.
 */
const START = Date.parse("2026-12-04T09:00:00.250Z");
let worldTime = START;
const passTime = (ms: number) => void (worldTime += ms);
const iso = (ms: number) => new Date(ms).toISOString();

const SKEWS: [string, number][] = [
  ["5 s ahead of", 5_000],
  ["60 s ahead of", 60_000],
  ["1 h ahead of", 3_600_000],
  ["5 s behind", -5_000],
  ["60 s behind", -60_000],
  ["1 h behind", -3_600_000],
];

describe("provider: whether a create's answer is an earlier request's, told by Google's clock (Date header), whatever the local clock says", () => {
  const t = useEmulator({ now: () => worldTime });
  const inputs = sdkInputs("eng", { displayName: "Eng" });

  /** A provider process (one `pulumi up`), its clock the world's: nothing it keeps in memory outlives it. */
  async function operation(config: Record<string, string> = {}): Promise<ChatSpaceProvider> {
    const provider = new ChatSpaceProvider({ env: {}, now: () => worldTime, sleep: async (ms) => passTime(ms), random: () => 0.5, log: () => {} });
    const settings = emulatorConfig(t, { config });
    await provider.configure({ config: { get: (k) => settings[k], require: (k) => settings[k] } });
    return provider;
  }

  beforeEach(() => void (worldTime = START));

  for (const [words, skew] of SKEWS) {
    describe(`Google's clock ${words} the provider's`, () => {
      /** How long before the create its earlier request ran: less than the skew, more than the Date's second. */
      const since = Math.abs(skew) / 2;
      beforeEach(() => t.control.setSettings({ clockSkewMs: skew }));

      it("(a) a fresh create is one POST and nothing else", async () => {
        const mark = await logMark(t);
        const created = await (await operation()).create(inputs);
        assert.deepEqual(await apiCalls(t, mark), ["POST /v1/spaces 200"]);
        assert.equal(created.outs!.createTime, iso(START + skew));
        assert.equal(created.outs!.requestId, deriveRequestId(baseOf(inputs), { displayName: "Eng" }, 0));
      });

      it("(a) a create whose answer was lost is retried, and the space its first try made is not read again", async () => {
        await t.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "dropAfterCommit" }, count: 1 });
        const mark = await logMark(t);
        const created = await (await operation()).create(inputs);
        assert.deepEqual(await apiCalls(t, mark), ["POST /v1/spaces 0", "POST /v1/spaces 200"]);
        assert.equal(created.outs!.createTime, iso(START + skew));
        assert.ok(worldTime > START, "the retry's wait moved both clocks on");
      });

      it("(b) a reused requestId whose space was deleted since (Google answering the stale space) gets a new space, never the deleted one", async () => {
        await t.control.setSettings({ requestIdAfterDelete: "stale" });
        const first = await (await operation()).create(inputs);
        passTime(since);
        await t.control.deleteSpace(first.id);
        const mark = await logMark(t);
        const second = await (await operation()).create(inputs);
        assert.notEqual(second.id, first.id);
        assert.deepEqual(await apiCalls(t, mark), ["POST /v1/spaces 200", `GET /v1/${first.id} 404`, "POST /v1/spaces 200"]);
        assert.deepEqual(Object.keys((await t.control.state()).spaces), [second.id.slice("spaces/".length)]);
        assert.equal(second.outs!.requestId, deriveRequestId(baseOf(inputs), { displayName: "Eng" }, 1));
        assert.equal(second.outs!.createTime, iso(START + since + skew));
      });

      it("(c) a replay of a live space is read again, and is that space", async () => {
        const first = await (await operation()).create(inputs);
        await t.control.editSpace(first.id, { spaceDetails: { description: "Edited in Chat since" } });
        passTime(since);
        const mark = await logMark(t);
        const again = await (await operation()).create(inputs);
        assert.equal(again.id, first.id);
        assert.deepEqual(await apiCalls(t, mark), ["POST /v1/spaces 200", `GET /v1/${first.id} 200`]);
        assert.equal(again.outs!.createTime, iso(START + skew));
        assert.equal(again.outs!.spaceDetails?.description, "Edited in Chat since");
        assert.deepEqual(Object.keys((await t.control.state()).spaces), [first.id.slice("spaces/".length)]);
      });
    });
  }

  describe("an answer without a Date header (a proxy stripped it)", () => {
    let proxy: Server;
    let proxyUrl = "";
    before(async () => {
      proxy = dateStrippingProxy(t.emulator.url);
      await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
      proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

    it("is read again: without Google's time the answer can't be told fresh, and a GET is the safe side", async () => {
      const mark = await logMark(t);
      const created = await (await operation({ "googlechat:apiEndpoint": proxyUrl })).create(inputs);
      assert.deepEqual(await apiCalls(t, mark), ["POST /v1/spaces 200", `GET /v1/${created.id} 200`]);
    });
  });
});

/** An HTTP proxy in front of `target` that drops every answer's Date header, as some proxies do. */
function dateStrippingProxy(target: string): Server {
  return createServer((req, res) => {
    const upstream = request(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers }, (answer) => {
      const { date: _date, ...headers } = answer.headers;
      res.sendDate = false;
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
}

describe("provider: a create is timed by a monotonic stopwatch, not the wall clock", () => {
  const t = useEmulator({ now: () => worldTime });
  beforeEach(() => void (worldTime = START));

  it("the wall clock stepped 10 min forward during the create (NTP): a stale replay of a deleted space is still read again, and a new space made", async () => {
    const inputs = sdkInputs("eng", { displayName: "Eng" });
    /** The local wall clock, stepped 10 min forward (NTP) while Google's answer is on its way. */
    let wallStep = 0;
    const operation = async () => {
      const provider = new ChatSpaceProvider({
        env: {},
        now: () => worldTime + wallStep,
        stopwatch: () => worldTime,
        sleep: async (ms) => passTime(ms),
        random: () => 0.5,
        log: () => {},
      });
      const settings = emulatorConfig(t);
      await provider.configure({ config: { get: (k) => settings[k], require: (k) => settings[k] } });
      return provider;
    };
    await t.control.setSettings({ requestIdAfterDelete: "stale" });
    const first = await (await operation()).create(inputs);
    passTime(5_000);
    await t.control.deleteSpace(first.id);
    const provider = await operation();
    const { api } = provider as unknown as { api: { create: (...args: unknown[]) => Promise<unknown> } };
    const create = api.create.bind(api);
    api.create = async (...args) => {
      const answer = await create(...args);
      wallStep = 600_000;
      return answer;
    };
    const mark = await logMark(t);
    const second = await provider.create(inputs);
    assert.equal(wallStep, 600_000, "the wall clock stepped during the call");
    assert.notEqual(second.id, first.id);
    assert.deepEqual(await apiCalls(t, mark), ["POST /v1/spaces 200", `GET /v1/${first.id} 404`, "POST /v1/spaces 200"]);
  });
});
