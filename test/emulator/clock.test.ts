import assert from "node:assert/strict";
import { EmulatorControl, startEmulator } from "../../emulator";
import { useEmulator } from "../helpers/emulator";

/** The emulator's clock: fixed, a quarter of a second past a whole second (the Date header cuts that off). */
const NOW = Date.parse("2026-12-04T09:00:00.250Z");
const iso = (ms: number) => new Date(ms).toISOString();
const httpDate = (ms: number) => new Date(ms).toUTCString();
/** An answer's Date header: the client's typings say a plain object, gaxios hands a fetch Headers. */
const dateOf = (answer: { headers: unknown }) => (answer.headers as Headers).get("date");

describe("emulator: Google's clock, and the Date header of its answers", () => {
  const t = useEmulator({ now: () => NOW });
  const admin = () => t.asDelegatedUser("admin@example.com", ["chat.spaces", "chat.delete"]);
  const body = { spaceType: "SPACE", displayName: "Dated" };

  it("dates an answer by its own clock in whole seconds (RFC 9110 IMF-fixdate), not by Node's", async () => {
    const answer = await admin().spaces.create({ requestBody: body });
    assert.equal(dateOf(answer), "Fri, 04 Dec 2026 09:00:00 GMT");
    assert.equal(answer.data.createTime, "2026-12-04T09:00:00.250Z");
    const missing = await admin()
      .spaces.get({ name: "spaces/AAAAmissing" })
      .catch((e) => e);
    assert.equal(missing.status, 404);
    assert.equal(dateOf(missing.response), "Fri, 04 Dec 2026 09:00:00 GMT", "an error answer too");
    const control = await fetch(`${t.emulator.url}/emulator/v1/settings`);
    assert.equal(control.headers.get("date"), "Fri, 04 Dec 2026 09:00:00 GMT", "and the control surface");
  });

  for (const skew of [5_000, 60_000, 3_600_000, -5_000, -60_000, -3_600_000]) {
    it(`clockSkewMs ${skew} moves createTime and the Date header together, and a replay keeps its createTime`, async () => {
      assert.equal((await t.control.setSettings({ clockSkewMs: skew })).clockSkewMs, skew);
      const created = await admin().spaces.create({ requestId: "r-dated", requestBody: body });
      assert.equal(created.data.createTime, iso(NOW + skew));
      assert.equal(dateOf(created), httpDate(NOW + skew));
      t.advanceClock(90_000);
      const replayed = await admin().spaces.create({ requestId: "r-dated", requestBody: body });
      assert.equal(replayed.data.name, created.data.name);
      assert.equal(replayed.data.createTime, iso(NOW + skew), "the earlier request's space, made then");
      assert.equal(dateOf(replayed), httpDate(NOW + skew + 90_000), "answered now");
    });
  }

  it("starts with clockSkewMs 0: the clock it was given", async () => {
    assert.equal((await t.control.setSettings({})).clockSkewMs, 0);
  });
});

describe("emulator: clockSkewMs set at start", () => {
  it("skews the clock from the first answer, and a reset keeps the skew it started with", async () => {
    const emulator = await startEmulator({ port: 0, now: () => NOW, settings: { clockSkewMs: -3_600_000 } });
    try {
      const control = new EmulatorControl(emulator.url);
      const date = async () => dateOf(await fetch(`${emulator.url}/emulator/v1/settings`));
      assert.equal(await date(), httpDate(NOW - 3_600_000));
      await control.setSettings({ clockSkewMs: 60_000 });
      assert.equal(await date(), httpDate(NOW + 60_000));
      await control.reset();
      assert.equal(await date(), httpDate(NOW - 3_600_000));
    } finally {
      await emulator.stop();
    }
  });
});
