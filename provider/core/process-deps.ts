/**
 * What a provider process gives its providers: the real clock, a monotonic stopwatch, sleep,
 * randomness, its environment, where its log lines go, and what it shares with the other
 * provider processes of its deployment. One home for both processes that serve the providers,
 * Pulumi's dynamic-provider host (provider/index.ts) and the provider plugin (plugin/main.ts), so
 * that a provider behaves the same under either.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { ProviderDeps } from "./configured-provider";
import { deploymentShare } from "./deployment-share";
import type { Log } from "./engine-log";
import { watchEngine } from "./engine-presence";

/**
 * The deps of a provider process. The stopwatch is `performance.now`: what only times a call (the
 * retry deadline, a create's age, space/replay.ts) must not move with a step of the wall clock.
 * `engineAddress`: the address the engine started the process with, the key of its deployment
 * (core/deployment-share.ts), watched so that the process stops sharing once its engine is gone;
 * without one, the process shares nothing.
 */
export function processDeps(env: Record<string, string | undefined>, log: Log, engineAddress?: string): ProviderDeps {
  // Present from the start: a sibling the engine closes before this process publishes keeps its records for it.
  const share = engineAddress ? deploymentShare({ engineAddress, log, present: true }) : undefined;
  // An engine killed leaves this process running: what it shared must not reach a later deployment.
  if (engineAddress && share) watchEngine(engineAddress, () => share.abandon());
  return { env, now: Date.now, stopwatch: () => performance.now(), sleep: (ms) => sleep(ms), random: Math.random, log, share };
}
