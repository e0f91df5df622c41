/**
 * Google's published Chat API quotas (https://developers.google.com/workspace/chat/limits;
 * docs/google-chat-api.md "Quotas"), off unless a test turns them on. `timeScale` speeds time up for
 * the quotas only: at 60, a minute of quota refills in a second.
 *
 * Google does not say how it counts "per minute", so the counting is a setting (`mode`):
 * - `tokenBucket` (the default): each quota is a bucket of `limit` tokens refilled evenly over
 *   the window; a burst of up to `limit` calls passes.
 * - `slidingWindow`: the strictest reading: a call is refused 429 when the window that ends
 *   with it (the last 60 s, or 1 s for a per-space quota) already holds `limit` calls. A
 *   client pacing at exactly the limit draws 429s here as soon as its calls arrive unevenly.
 */

import type { ChatMethod } from "../auth/scopes";
import { ApiError, errorInfo } from "../errors";

export interface QuotaLimits {
  /** spaces.create, spaces.patch, spaces.delete (and spaces.setup) per project per minute. */
  projectSpaceWritesPerMinute: number;
  /** spaces.create per project per minute; Google publishes no separate figure, so it defaults to the write limit. */
  projectSpaceCreatesPerMinute: number;
  /** spaces.get and spaces.list per project per minute. */
  projectSpaceReadsPerMinute: number;
  /**
   * members.create, members.delete and members.patch per project per minute. Google's table names
   * create and delete; a role change is a membership write too, so it draws on the same quota.
   */
  projectMemberWritesPerMinute: number;
  /** members.get and members.list per project per minute. */
  projectMemberReadsPerMinute: number;
  /** Writes to one space (patch, delete, membership writes) per second, shared by every caller. */
  perSpaceWritesPerSecond: number;
  /** Reads of one space per second, shared by every caller. */
  perSpaceReadsPerSecond: number;
}

/** How a quota counts its window: see the file's comment. */
export type QuotaMode = "tokenBucket" | "slidingWindow";

export interface QuotaConfig {
  enabled: boolean;
  /** How calls are counted against a limit. @default "tokenBucket" */
  mode: QuotaMode;
  /** How much faster than real time the buckets refill. */
  timeScale: number;
  /** Whether 429 answers carry `Retry-After` (Google's do not, as far as is documented). */
  retryAfter: boolean;
  limits: QuotaLimits;
}

export const GOOGLE_LIMITS: QuotaLimits = {
  projectSpaceWritesPerMinute: 60,
  projectSpaceCreatesPerMinute: 60,
  projectSpaceReadsPerMinute: 3000,
  projectMemberWritesPerMinute: 300,
  projectMemberReadsPerMinute: 3000,
  perSpaceWritesPerSecond: 1,
  perSpaceReadsPerSecond: 15,
};

export const DEFAULT_QUOTAS: QuotaConfig = { enabled: false, mode: "tokenBucket", timeScale: 1, retryAfter: false, limits: GOOGLE_LIMITS };

interface BucketSpec {
  limit: keyof QuotaLimits;
  windowMs: number;
  metric: string;
  scope: "project" | "space";
}

/** A per-minute quota of the project, or a per-second quota of one space; `metric` names it in the 429. */
const perProjectMinute = (limit: keyof QuotaLimits, metric: string): BucketSpec => ({
  limit,
  windowMs: 60_000,
  metric: `chat.googleapis.com/${metric}`,
  scope: "project",
});
const perSpaceSecond = (limit: keyof QuotaLimits, metric: string): BucketSpec => ({
  limit,
  windowMs: 1000,
  metric: `chat.googleapis.com/${metric}`,
  scope: "space",
});

const SPACE_WRITES = perProjectMinute("projectSpaceWritesPerMinute", "space_write_requests");
const SPACE_READS = perProjectMinute("projectSpaceReadsPerMinute", "space_read_requests");
const CREATES = perProjectMinute("projectSpaceCreatesPerMinute", "space_create_requests");
const MEMBER_WRITES = perProjectMinute("projectMemberWritesPerMinute", "membership_write_requests");
const MEMBER_READS = perProjectMinute("projectMemberReadsPerMinute", "membership_read_requests");
const PER_SPACE_WRITES = perSpaceSecond("perSpaceWritesPerSecond", "per_space_write_requests");
const PER_SPACE_READS = perSpaceSecond("perSpaceReadsPerSecond", "per_space_read_requests");

const BUCKETS_OF: Record<ChatMethod, BucketSpec[]> = {
  "spaces.create": [SPACE_WRITES, CREATES],
  "spaces.patch": [SPACE_WRITES, PER_SPACE_WRITES],
  "spaces.delete": [SPACE_WRITES, PER_SPACE_WRITES],
  "spaces.get": [SPACE_READS, PER_SPACE_READS],
  "spaces.list": [SPACE_READS],
  "spaces.search": [SPACE_READS],
  "spaces.completeImport": [PER_SPACE_WRITES],
  "spaces.members.create": [MEMBER_WRITES, PER_SPACE_WRITES],
  "spaces.members.delete": [MEMBER_WRITES, PER_SPACE_WRITES],
  "spaces.members.patch": [MEMBER_WRITES, PER_SPACE_WRITES],
  "spaces.members.get": [MEMBER_READS, PER_SPACE_READS],
  "spaces.members.list": [MEMBER_READS, PER_SPACE_READS],
};

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** The calls a sliding window holds: their instants, oldest first. */
type Window = number[];

export class QuotaEnforcer {
  private config: QuotaConfig = structuredClone(DEFAULT_QUOTAS);
  private buckets = new Map<string, Bucket>();
  private windows = new Map<string, Window>();

  constructor(private readonly now: () => number = Date.now) {}

  configure(change: Partial<Omit<QuotaConfig, "limits">> & { limits?: Partial<QuotaLimits> }): QuotaConfig {
    this.config = {
      ...this.config,
      ...change,
      limits: { ...this.config.limits, ...change.limits },
    };
    if (!(this.config.timeScale > 0)) throw new Error("timeScale must be a positive number.");
    if (this.config.mode !== "tokenBucket" && this.config.mode !== "slidingWindow") {
      throw new Error(`mode must be tokenBucket or slidingWindow, not ${JSON.stringify(this.config.mode)}.`);
    }
    this.buckets.clear();
    this.windows.clear();
    return this.config;
  }

  get settings(): QuotaConfig {
    return this.config;
  }

  /**
   * Counts the call against every quota it draws on, or against none and throws Google's 429.
   * `spaceId` is absent for calls that address no existing space (create, list).
   */
  consume(method: ChatMethod, project: string, spaceId: string | undefined): void {
    if (!this.config.enabled) return;
    const now = this.now();
    const specs = BUCKETS_OF[method].filter((spec) => spec.scope === "project" || spaceId);
    const keyOf = (spec: BucketSpec) => `${spec.limit} ${spec.scope === "project" ? project : spaceId!}`;
    if (this.config.mode === "slidingWindow") {
      this.countInWindows(
        specs.map((spec) => ({ spec, key: keyOf(spec) })),
        project,
        now,
      );
      return;
    }
    const buckets = specs.map((spec) => ({ spec, bucket: this.refill(spec, spec.scope === "project" ? project : spaceId!, now) }));
    const empty = buckets.find(({ bucket }) => bucket.tokens < 1);
    if (empty) throw this.exhausted(empty.spec, empty.bucket, project);
    for (const { bucket } of buckets) bucket.tokens -= 1;
  }

  /** Strict sliding windows: refused when any window ending now already holds its limit. */
  private countInWindows(quotas: { spec: BucketSpec; key: string }[], project: string, now: number): void {
    const windows = quotas.map(({ spec, key }) => {
      const lengthMs = spec.windowMs / this.config.timeScale;
      const window = (this.windows.get(key) ?? []).filter((at) => at > now - lengthMs);
      this.windows.set(key, window);
      return { spec, window, lengthMs };
    });
    const full = windows.find(({ spec, window }) => window.length >= this.config.limits[spec.limit]);
    if (full) {
      const waitMs = full.window.length > 0 ? full.window[full.window.length - this.config.limits[full.spec.limit]] + full.lengthMs - now : full.lengthMs;
      throw this.refusal(full.spec, waitMs, project);
    }
    for (const { window } of windows) window.push(now);
  }

  private refill(spec: BucketSpec, key: string, now: number): Bucket {
    const capacity = this.config.limits[spec.limit];
    const id = `${spec.limit} ${key}`;
    const bucket = this.buckets.get(id) ?? { tokens: capacity, updatedAt: now };
    const perMs = (capacity / spec.windowMs) * this.config.timeScale;
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updatedAt) * perMs);
    bucket.updatedAt = now;
    this.buckets.set(id, bucket);
    return bucket;
  }

  private exhausted(spec: BucketSpec, bucket: Bucket, project: string): ApiError {
    const perMs = (this.config.limits[spec.limit] / spec.windowMs) * this.config.timeScale;
    return this.refusal(spec, (1 - bucket.tokens) / perMs, project);
  }

  /** Google's 429 for `spec`, with `Retry-After` (whole seconds, at least 1) when the setting asks for it. */
  private refusal(spec: BucketSpec, waitMs: number, project: string): ApiError {
    const value = this.config.limits[spec.limit];
    const waitS = Math.max(1, Math.ceil(waitMs / 1000));
    const unit = spec.windowMs === 1000 ? "second" : "minute";
    return new ApiError(
      "RESOURCE_EXHAUSTED",
      `Quota exceeded for quota metric '${spec.metric}' and limit '${spec.limit}' (${value} per ${unit}) of service 'chat.googleapis.com' for ` +
        `consumer 'project:${project}'.`,
      [
        errorInfo("RATE_LIMIT_EXCEEDED", "googleapis.com", {
          quota_metric: spec.metric,
          quota_limit: spec.limit,
          quota_limit_value: String(value),
          service: "chat.googleapis.com",
          consumer: `projects/${project}`,
        }),
      ],
      this.config.retryAfter ? { "Retry-After": String(waitS) } : {},
    );
  }
}
