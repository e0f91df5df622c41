/**
 * Retries as data plus pure functions. The Google client never retries POST or PATCH and
 * ignores `Retry-After` (gaxios retry.js), so the provider turns the client's retries off and
 * retries every method itself: rate limits, server errors and lost answers, with exponential
 * backoff and full jitter, honouring `Retry-After`, until a total deadline. A create is safe to
 * retry because its requestId returns the space a lost answer had created. Token requests are
 * retried the same way (the auth client's own retries are off: google-auth.ts). A failure with
 * no answer is retried only when the answer was lost on the way (a reset, a timeout); a refused
 * connection, an unknown host or a certificate not trusted fails at once (errors.ts isTransient).
 */
import { ChatApiError, isTransient } from "./errors";

export interface RetryPolicy {
  /** Delay before the first retry. @default 500 */
  initialDelayMs: number;
  /** Longest delay between two tries. @default 30000 */
  maxDelayMs: number;
  /** Growth of the delay from one retry to the next. @default 2 */
  multiplier: number;
  /** Give up when the next try would start after this long since the first. @default 300000 */
  deadlineMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { initialDelayMs: 500, maxDelayMs: 30_000, multiplier: 2, deadlineMs: 300_000 };

/** How long to wait before retry number `retry` (1, 2, ...): Google's `Retry-After`, or backoff with full jitter. */
export function retryDelayMs(policy: RetryPolicy, retry: number, retryAfterSeconds: number | undefined, random: () => number): number {
  if (retryAfterSeconds !== undefined) return Math.min(retryAfterSeconds * 1000, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export interface RetryEnvironment {
  now: () => number;
  /**
   * A monotonic clock in milliseconds (`performance.now`), for what only times a call: a step of
   * the wall clock (NTP) during the call does not move it. `now` stands in where none is given.
   */
  stopwatch?: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Told before each wait, so a long wait can say what it waits for. */
  onRetry?: (error: ChatApiError, delayMs: number, retry: number) => void;
}

export class RetryDeadlineExceeded extends ChatApiError {
  constructor(last: ChatApiError, tries: number, elapsedMs: number) {
    super(
      last.call,
      last.httpStatus,
      last.googleStatus,
      `${last.googleMessage} (gave up after ${tries} tries over ${(elapsedMs / 1000).toFixed(1)} s)`,
      last.retryAfterSeconds,
      last.context,
    );
  }
}

/** Runs `attempt` until it succeeds, fails for good, or the deadline passes. */
export async function withRetries<T>(attempt: () => Promise<T>, policy: RetryPolicy, env: RetryEnvironment): Promise<T> {
  const started = env.now();
  for (let retry = 1; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isTransient(error)) throw error;
      const chatError = error as ChatApiError;
      const delay = retryDelayMs(policy, retry, chatError.retryAfterSeconds, env.random);
      const elapsed = env.now() - started;
      if (elapsed + delay > policy.deadlineMs) throw new RetryDeadlineExceeded(chatError, retry, elapsed);
      env.onRetry?.(chatError, delay, retry);
      await env.sleep(delay);
    }
  }
}
