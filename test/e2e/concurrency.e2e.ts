/**
 * Pipelines at once, under the real engine against one emulator project
 * with Google's quotas on:
 * - two stacks deploying at the same time share the project's quotas, which each provider's
 *   limiter keeps to on its own: together they overrun it, and the 429s are retried within the
 *   retry deadline; both finish, each space made once;
 * - the same stack started twice: the backend's lock refuses the second, and the first finishes
 *   with nothing lost or made twice.
 *
 * Overlap is made, not hoped for: each test closes a gate (an injected 429 on every space create,
 * with `Retry-After: 1`, which the providers retry) and opens it only once every stack it waits
 * for has been refused there. No stack can create a space, let alone finish, before the others
 * are deploying, however fast or slow the machine; once it opens, every stack resumes within the
 * second its `Retry-After` asks for. A gated create retries against the retry deadline from its
 * first try (provider/core/retry.ts), so the deadline is longer than the gate can stay closed:
 * a stack that arrives late finds the others still waiting, and a stack that never arrives
 * fails the test at the gate, with its name, rather than the other stack's deadline.
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import type { LoggedRequest } from "../../emulator/control/request-log";
import { googleLimitsConfig, inlineStack, until, useEngineAndEmulator } from "./harness";
import { spaces } from "./programs";

/** A minute of Google's quota passes in 60 / TIME_SCALE seconds, at the emulator and in the provider's limiter alike. */
const TIME_SCALE = 6;
/** Each stack alone stays within a minute's 60 space creates; the two together (80) overrun it. */
const PER_STACK = 40;
/** The longest the gate stays closed waiting for every stack to arrive; then the test fails. */
const GATE_WAIT_MS = 120_000;
/**
 * How long one call may keep retrying 429s (googlechat:retryDeadlineSeconds, the default): more
 * than the gate's wait and its Retry-After, so no create gives up at a closed gate.
 */
const RETRY_DEADLINE_SECONDS = 300;

const program = (team: string) =>
  spaces(Object.fromEntries(Array.from({ length: PER_STACK }, (_, i) => [`s${String(i).padStart(2, "0")}`, { displayName: `${team} ${i}` }])));

describe("e2e: pipelines at once, one project", () => {
  const t = useEngineAndEmulator();
  // A strict sliding window, as the scale suite's: one provider alone meets no 429 under it.
  beforeEach(() => t.emulator.control.setQuotas({ enabled: true, mode: "slidingWindow", timeScale: TIME_SCALE }));

  /** A pipeline's stack, acting as `user` (domain-wide delegation): the user tells its requests from another pipeline's in the emulator's log. */
  const stackOf = (project: string, name: string, team: string, home: string, user = "admin@example.com") =>
    inlineStack(project, name, program(team), {
      emulator: t.emulator,
      key: t.key,
      impersonateUser: user,
      home,
      config: { ...googleLimitsConfig(TIME_SCALE), "googlechat:retryDeadlineSeconds": String(RETRY_DEADLINE_SECONDS) },
    });

  /** The spaces of `stack`'s state, by id. */
  const owned = async (stack: Stack) =>
    (await stack.exportStack()).deployment.resources
      .filter((r: { type: string }) => r.type === "pulumi-nodejs:dynamic/googlechat:ChatSpace")
      .map((r: { id: string }) => r.id)
      .sort();

  /** The gate: every space create is refused 429 with `Retry-After: 1` until the faults are cleared. */
  const closeGate = () =>
    t.emulator.control.addFault({
      match: { methods: ["spaces.create"] },
      action: { kind: "error", status: 429, retryAfterSeconds: 1, message: "The gate of the test is closed." },
    });
  /** Every space create the emulator answered, in order. */
  const createsLogged = async () => (await t.emulator.control.requests()).filter((r) => r.method === "POST" && r.path === "/v1/spaces");
  /** Whether the gate, not a quota, refused the request. */
  const atGate = (r: LoggedRequest) => r.faults?.includes("error 429") ?? false;
  /** Waits until creates of `principals` (all of them) have been refused at the gate. */
  const refusedAtGate = (principals: string[]) =>
    until(
      `creates refused at the gate from ${principals.join(" and ")}`,
      async () => {
        const refused = new Set((await createsLogged()).filter(atGate).map((r) => r.principal));
        return principals.every((p) => refused.has(p)) ? true : undefined;
      },
      GATE_WAIT_MS,
    );
  /**
   * Starts `ups` behind a closed gate, runs `whileClosed`, then opens the gate and gives the ups'
   * results. Whatever fails, the gate is opened and every up is waited for, so no deployment
   * runs on into the next test; a failure of `whileClosed` is the one thrown, then.
   */
  async function behindGate<T>(ups: () => Promise<T>[], whileClosed: () => Promise<unknown>): Promise<T[]> {
    await closeGate();
    // Settled from the start: an up that fails while the gate is closed is no unhandled rejection.
    const settled = Promise.allSettled(ups());
    try {
      await whileClosed();
    } finally {
      await t.emulator.control.clearFaults();
      await settled;
    }
    return (await settled).map((result) => {
      if (result.status === "rejected") throw result.reason;
      return result.value;
    });
  }
  const userId = async (email: string) => (await t.emulator.control.state()).settings.users.find((u) => u.email === email)!.id;

  it("two stacks deploying at once: both finish, every space made once, the quota's 429s retried", async () => {
    // Two pipelines: each its own checkout, state and Workspace user, one Google project (the same service account's).
    const red = await stackOf("chat-red", "prod", "Red", mkdtempSync(join(tmpdir(), "concurrency-")), "admin@example.com");
    const blue = await stackOf("chat-blue", "prod", "Blue", mkdtempSync(join(tmpdir(), "concurrency-")), "alice@example.com");
    const principals = [`user:${await userId("admin@example.com")}`, `user:${await userId("alice@example.com")}`];
    const [upRed, upBlue] = await behindGate(
      () => [red.up(), blue.up()],
      () => refusedAtGate(principals),
    );
    assert.deepEqual([upRed.summary.result, upBlue.summary.result], ["succeeded", "succeeded"]);

    const live = Object.values((await t.emulator.control.state()).spaces);
    assert.equal(live.length, 2 * PER_STACK, "one space per resource");
    assert.equal(new Set(live.map((s) => s.displayName)).size, 2 * PER_STACK, "no space made twice");
    const idsOf = (team: string) =>
      live
        .filter((s) => s.displayName.startsWith(`${team} `))
        .map((s) => `spaces/${s.id}`)
        .sort();
    assert.deepEqual(await owned(red), idsOf("Red"));
    assert.deepEqual(await owned(blue), idsOf("Blue"));

    // They overlapped: both were refused at the gate before either created a space.
    const creates = await createsLogged();
    const firstCreated = creates.findIndex((r) => r.status === 200);
    for (const principal of principals)
      assert.ok(
        creates.slice(0, firstCreated).some((r) => r.principal === principal && atGate(r)),
        `${principal} was deploying before the first space was made`,
      );
    // From the gate on, each limiter paced its 40 creates at the whole project's quota, so
    // together they overran it (80 in less than a window of 60): the emulator answered 429s,
    // and the providers retried each one, as they did the gate's, into a success.
    const gated = creates.filter(atGate).length;
    const throttled = creates.filter((r) => r.status === 429 && !atGate(r)).length;
    assert.ok(throttled > 0, "the two stacks overran the project's quota");
    assert.equal(creates.filter((r) => r.status === 200).length, 2 * PER_STACK);
    assert.equal(creates.length, 2 * PER_STACK + gated + throttled, "nothing but 200s and retried 429s");
    console.log(`      two stacks: ${creates.length} space creates, ${gated} refused at the gate and ${throttled} by the quota, all retried`);
  });

  it("the same stack started twice: the backend's lock refuses the second; the first finishes, nothing lost or made twice", async () => {
    const home = mkdtempSync(join(tmpdir(), "concurrency-"));
    // Two workspaces of one stack in one backend: two pipelines of the same stack.
    const first = await stackOf("chat-team", "prod", "Team", home);
    const second = await stackOf("chat-team", "prod", "Team", home);
    // The first is held at the gate while the second starts: it is deploying, holding the lock, however long the second takes to start.
    const [firstUp] = await behindGate(
      () => [first.up()],
      async () => {
        await until("the first up's first create", async () => ((await createsLogged()).some(atGate) ? true : undefined), GATE_WAIT_MS);
        await assert.rejects(second.up(), /the stack is currently locked by 1 lock\(s\)/);
      },
    );
    assert.equal(firstUp.summary.result, "succeeded");

    const live = Object.values((await t.emulator.control.state()).spaces);
    assert.equal(live.length, PER_STACK);
    assert.equal(new Set(live.map((s) => s.displayName)).size, PER_STACK, "no space made twice");
    assert.deepEqual(await owned(first), live.map((s) => `spaces/${s.id}`).sort(), "the state holds every space");

    // The refused pipeline run again later: nothing left to do.
    const again = await second.up();
    assert.deepEqual(again.summary.resourceChanges, { same: PER_STACK + 1 });
  });
});
