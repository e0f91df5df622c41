/**
 * Pipelines at once (issue 12, "Reliability"), under the real engine against one emulator project
 * with Google's quotas on:
 * - two stacks deploying at the same time share the project's quotas, which each provider's
 *   limiter keeps to on its own: together they overrun it, and the 429s are retried within the
 *   retry deadline; both finish, each space made once;
 * - the same stack started twice: the backend's lock refuses the second, and the first finishes
 *   with nothing lost or made twice.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { googleLimitsConfig, inlineStack, until, useEngineAndEmulator } from "./harness";
import { spaces } from "./programs";

/** A minute of Google's quota passes in 60 / TIME_SCALE seconds, at the emulator and in the provider's limiter alike. */
const TIME_SCALE = 6;
/** Each stack alone stays within a minute's 60 space creates; the two together (80) overrun it. */
const PER_STACK = 40;
/** How long one call may keep retrying 429s (googlechat:retryDeadlineSeconds): well under the default 300. */
const RETRY_DEADLINE_SECONDS = 60;

const program = (team: string) =>
  spaces(Object.fromEntries(Array.from({ length: PER_STACK }, (_, i) => [`s${String(i).padStart(2, "0")}`, { displayName: `${team} ${i}` }])));

describe("e2e: pipelines at once, one project", () => {
  const t = useEngineAndEmulator();
  // A strict sliding window, as the scale suite's: one provider alone meets no 429 under it.
  beforeEach(() => t.emulator.control.setQuotas({ enabled: true, mode: "slidingWindow", timeScale: TIME_SCALE }));

  const stackOf = (project: string, name: string, team: string, home: string) =>
    inlineStack(project, name, program(team), {
      emulator: t.emulator,
      key: t.key,
      impersonateUser: "admin@example.com",
      home,
      config: { ...googleLimitsConfig(TIME_SCALE), "googlechat:retryDeadlineSeconds": String(RETRY_DEADLINE_SECONDS) },
    });

  /** The spaces of `stack`'s state, by id. */
  const owned = async (stack: Stack) =>
    (await stack.exportStack()).deployment.resources
      .filter((r: { type: string }) => r.type === "pulumi-nodejs:dynamic/googlechat:ChatSpace")
      .map((r: { id: string }) => r.id)
      .sort();

  it("two stacks deploying at once: both finish, every space made once, the quota's 429s retried", async () => {
    // Two pipelines: each its own checkout and state, one Google project (the same service account's).
    const red = await stackOf("chat-red", "prod", "Red", mkdtempSync(join(tmpdir(), "concurrency-")));
    const blue = await stackOf("chat-blue", "prod", "Blue", mkdtempSync(join(tmpdir(), "concurrency-")));
    const [upRed, upBlue] = await Promise.all([red.up(), blue.up()]);
    assert.deepEqual([upRed.summary.result, upBlue.summary.result], ["succeeded", "succeeded"]);

    const live = Object.values((await t.emulator.control.state()).spaces);
    assert.equal(live.length, 2 * PER_STACK, "one space per resource");
    assert.equal(new Set(live.map((s) => s.displayName)).size, 2 * PER_STACK, "no space made twice");
    const idsOf = (team: string) => live.filter((s) => s.displayName.startsWith(`${team} `)).map((s) => `spaces/${s.id}`).sort();
    assert.deepEqual(await owned(red), idsOf("Red"));
    assert.deepEqual(await owned(blue), idsOf("Blue"));

    // Each limiter kept to the whole project's quota, so together they overran it: the emulator
    // answered 429s, and the providers retried each one into a success.
    const creates = (await t.emulator.control.requests()).filter((r) => r.method === "POST" && r.path === "/v1/spaces");
    const throttled = creates.filter((r) => r.status === 429).length;
    assert.ok(throttled > 0, "the two stacks overran the project's quota");
    assert.equal(creates.filter((r) => r.status === 200).length, 2 * PER_STACK);
    assert.equal(creates.length, 2 * PER_STACK + throttled, "nothing but 200s and retried 429s");
    console.log(`      two stacks: ${creates.length} space creates, ${throttled} answered 429 and retried`);
  });

  it("the same stack started twice: the backend's lock refuses the second; the first finishes, nothing lost or made twice", async () => {
    const home = mkdtempSync(join(tmpdir(), "concurrency-"));
    // Two workspaces of one stack in one backend: two pipelines of the same stack.
    const first = await stackOf("chat-team", "prod", "Team", home);
    const second = await stackOf("chat-team", "prod", "Team", home);
    const firstUp = first.up();
    // The second starts once the first is deploying (its first space exists).
    await until("the first up's first create", async () => ((await t.emulator.control.requests()).some((r) => r.path === "/v1/spaces" && r.status === 200) ? true : undefined));
    await assert.rejects(second.up(), /the stack is currently locked by 1 lock\(s\)/);
    assert.equal((await firstUp).summary.result, "succeeded");

    const live = Object.values((await t.emulator.control.state()).spaces);
    assert.equal(live.length, PER_STACK);
    assert.equal(new Set(live.map((s) => s.displayName)).size, PER_STACK, "no space made twice");
    assert.deepEqual(await owned(first), live.map((s) => `spaces/${s.id}`).sort(), "the state holds every space");

    // The refused pipeline run again later: nothing left to do.
    const again = await second.up();
    assert.deepEqual(again.summary.resourceChanges, { same: PER_STACK + 1 });
  });
});
