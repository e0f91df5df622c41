/**
 * What a provider process gives its providers: the real clock, a monotonic stopwatch, sleep,
 * randomness, its environment and where its log lines go. One home for both processes that serve
 * the providers, Pulumi's dynamic-provider host (provider/index.ts) and the provider plugin
 * (plugin/main.ts), so that a provider behaves the same under either.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { ProviderDeps } from "./configured-provider";
import type { Log } from "./engine-log";

/**
 * The deps of a provider process. The stopwatch is `performance.now`: what only times a call (the
 * retry deadline, a create's age, space/replay.ts) must not move with a step of the wall clock.
 */
export function processDeps(env: Record<string, string | undefined>, log: Log): ProviderDeps {
  return { env, now: Date.now, stopwatch: () => performance.now(), sleep: (ms) => sleep(ms), random: Math.random, log };
}
