/**
 * Bench part `servings`: the same resources served both ways, in one run, with the real engine
 * against the emulator: the TypeScript SDK's dynamic resources (ChatSpace, ChatMembership) and
 * the provider plugin's (googlechat:index:Space, googlechat:index:Membership, declared as a
 * generated Node.js SDK declares them: plugin.ts).
 * - State: the bytes of a space's and a membership's entry, and where they go (measure.ts
 *   entryParts).
 * - Preview and no-op `up` of 1,000 unchanged spaces, and of 2,000 memberships (20 spaces × 100
 *   members), each against a do-nothing baseline of as many resources measured in the same
 *   rounds: do-nothing dynamic resources for the dynamic provider, and a do-nothing provider
 *   plugin's resources for the plugin, each serving's own floor (what any provider served that way
 *   costs); the plugin is also set against the do-nothing dynamic resources, and against the
 *   dynamic provider itself.
 * - The rounds alternate (floor, dynamic, plugin floor, plugin; again), so that a load that
 *   comes and goes on the machine falls on every serving alike; each ratio is the median of the
 *   rounds', with their minimum and maximum.
 * - The Chat API calls of every preview and no-op `up` (none expected), and their changes (none).
 *
 * Smaller counts for a try: BENCH_SERVINGS_SPACES (1000), BENCH_SERVINGS_MEMBER_SPACES (20),
 * BENCH_SERVINGS_MEMBERS (100 a space, at most the bench's 100 people), BENCH_SERVINGS_ROUNDS (3).
 */
import { mkdtempSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { isChatApiCall } from "../emulator";
import { dynamicToken, RESOURCES } from "../provider/tokens";
import { ChatMembership, ChatSpace } from "../sdk";
import { googleLimitsConfig, inlineStack } from "../test/e2e/harness";
import { entryParts, floorProgram, round, tableRow, timed, withoutCheckpoints } from "./measure";
import { type BenchContext, PEOPLE, withPeople } from "./memberships";
import { installPlugins, PluginMembership, PluginSpace, pluginFloorProgram } from "./plugin";

/** The counts of a run. */
export interface ServingsCounts {
  spaces: number;
  memberSpaces: number;
  membersPerSpace: number;
  rounds: number;
}

/** The counts from the environment (see the module's comment), {@link FULL_COUNTS} by default. */
export function servingsCounts(env: NodeJS.ProcessEnv = process.env): ServingsCounts {
  const count = (name: string, fallback: number, max = Infinity) => {
    const value = env[name] === undefined ? fallback : Number(env[name]);
    if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be a whole number from 1 to ${max}, not ${env[name]}`);
    return value;
  };
  return {
    spaces: count("BENCH_SERVINGS_SPACES", FULL_COUNTS.spaces),
    memberSpaces: count("BENCH_SERVINGS_MEMBER_SPACES", FULL_COUNTS.memberSpaces),
    membersPerSpace: count("BENCH_SERVINGS_MEMBERS", FULL_COUNTS.membersPerSpace, PEOPLE.length),
    rounds: count("BENCH_SERVINGS_ROUNDS", FULL_COUNTS.rounds),
  };
}

/** The counts the results are measured with: 1,000 spaces; 2,000 memberships in 20 spaces; 3 rounds. */
export const FULL_COUNTS: ServingsCounts = { spaces: 1000, memberSpaces: 20, membersPerSpace: 100, rounds: 3 };

/** Whether `counts` are a try's, smaller than the results' (whose figures then stay as they are). */
export const isTrial = (counts: ServingsCounts) => (Object.keys(FULL_COUNTS) as (keyof ServingsCounts)[]).some((key) => counts[key] < FULL_COUNTS[key]);

/** The programs measured, in the order of every round. */
const SERVINGS = ["floor", "dynamic", "pluginFloor", "plugin"] as const;
type Serving = (typeof SERVINGS)[number];
/** The two ways of serving the provider (the other two are their floors). */
const PROVIDER_SERVINGS = ["dynamic", "plugin"] as const;

/** What each serving declares: `spaces` spaces; or `spaces` spaces with `members` members each, one membership resource each. */
const PROGRAMS: Record<Serving, { spaces(count: number): PulumiFn; memberships(spaces: number, members: number): PulumiFn }> = {
  floor: {
    spaces: (count) => floorProgram(count),
    memberships: (spaces, members) => floorProgram(spaces * (1 + members)),
  },
  pluginFloor: {
    spaces: (count) => pluginFloorProgram(count),
    memberships: (spaces, members) => pluginFloorProgram(spaces * (1 + members)),
  },
  dynamic: {
    spaces: (count) => async () => {
      for (let i = 0; i < count; i++) new ChatSpace(`s${i}`, { displayName: `Dynamic ${i}` });
    },
    memberships: (spaces, members) => async () => {
      for (let s = 0; s < spaces; s++) {
        const space = new ChatSpace(`s${s}`, { displayName: `Dynamic members ${s}` });
        for (const person of PEOPLE.slice(0, members)) new ChatMembership(`s${s}-${person.email.split("@")[0]}`, { space, user: person.email });
      }
    },
  },
  plugin: {
    spaces: (count) => async () => {
      for (let i = 0; i < count; i++) new PluginSpace(`s${i}`, { displayName: `Plugin ${i}` });
    },
    memberships: (spaces, members) => async () => {
      for (let s = 0; s < spaces; s++) {
        const space = new PluginSpace(`s${s}`, { displayName: `Plugin members ${s}` });
        for (const person of PEOPLE.slice(0, members)) new PluginMembership(`s${s}-${person.email.split("@")[0]}`, space, { user: person.email });
      }
    },
  },
};

/** Each serving's type tokens. */
const TYPES = {
  dynamic: { space: dynamicToken("space"), membership: dynamicToken("membership") },
  plugin: { space: RESOURCES.space.plugin, membership: RESOURCES.membership.plugin },
} as const;

/** One timed preview or no-op `up`: its seconds, the Chat API calls it made, and the resources it changed. */
interface Timing {
  seconds: number;
  calls: number;
  changed: number;
}

const OPERATIONS = ["preview", "noopUp"] as const;
type Operation = (typeof OPERATIONS)[number];

/** The changes a preview or an up reports, other than `same`. */
const changedOf = (summary: Record<string, number> | undefined) => Object.entries(summary ?? {}).reduce((sum, [op, n]) => sum + (op === "same" ? 0 : n), 0);

/** A preview or a no-op `up` of `stack`, timed, with the Chat API calls it made (from the emulator's request log). */
async function measure(ctx: BenchContext, stack: Stack, operation: Operation): Promise<Timing> {
  const before = await ctx.emulator.control.requests();
  const mark = before.length ? before[before.length - 1].seq : 0;
  const { result, seconds } = await timed(async () =>
    operation === "preview"
      ? (await stack.preview({ parallel: ctx.parallel })).changeSummary
      : (await stack.up({ parallel: ctx.parallel })).summary.resourceChanges,
  );
  const calls = (await ctx.emulator.control.requests(mark)).filter(isChatApiCall).length;
  return { seconds, calls, changed: changedOf(result as Record<string, number>) };
}

/** The median of a list of ratios, with its minimum and maximum, and every round's. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median: round(median), min: round(sorted[0]), max: round(sorted[sorted.length - 1]), runs: values.map(round) };
}

/**
 * One scale (the spaces, or the memberships): every serving's stack created, the state of the
 * two servings measured, then `rounds` rounds of preview and no-op `up` of each, in order.
 */
async function scale(ctx: BenchContext, home: string, name: string, programOf: (serving: Serving) => PulumiFn, rounds: number, kind: "space" | "membership") {
  const stacks = {} as Record<Serving, Stack>;
  const creates = {} as Record<Serving, { seconds: number; result: string }>;
  for (const serving of SERVINGS) {
    const stack = await inlineStack("chat-bench", `${name}-${serving}`, programOf(serving), {
      emulator: ctx.emulator,
      key: ctx.key,
      impersonateUser: "admin@example.com",
      config: NO_LIMITS,
      home,
    });
    const { result, seconds } = await withoutCheckpoints(stack, () => timed(() => stack.up({ parallel: ctx.parallel })));
    stacks[serving] = stack;
    creates[serving] = { seconds: round(seconds), result: result.summary.result };
  }
  const state = {} as Record<(typeof PROVIDER_SERVINGS)[number], { space: ReturnType<typeof entryParts>; membership?: ReturnType<typeof entryParts> }>;
  for (const serving of PROVIDER_SERVINGS) {
    const resources = (await stacks[serving].exportStack()).deployment.resources as Record<string, unknown>[];
    const ofType = (type: string) => resources.filter((r) => r.type === type);
    state[serving] = {
      space: entryParts(ofType(TYPES[serving].space)),
      ...(kind === "membership" ? { membership: entryParts(ofType(TYPES[serving].membership)) } : {}),
    };
  }
  const timings = Object.fromEntries(SERVINGS.map((s) => [s, { preview: [] as Timing[], noopUp: [] as Timing[] }])) as Record<
    Serving,
    Record<Operation, Timing[]>
  >;
  for (let r = 0; r < rounds; r++) {
    for (const serving of SERVINGS) {
      for (const operation of OPERATIONS) timings[serving][operation].push(await measure(ctx, stacks[serving], operation));
    }
  }
  const ratio = (over: Serving, under: Serving, operation: Operation) =>
    spread(timings[over][operation].map((t, i) => t.seconds / timings[under][operation][i].seconds));
  const operations = Object.fromEntries(
    OPERATIONS.map((operation) => [
      operation,
      {
        seconds: Object.fromEntries(SERVINGS.map((s) => [s, spread(timings[s][operation].map((t) => t.seconds))])) as Record<Serving, Spread>,
        calls: Object.fromEntries(SERVINGS.map((s) => [s, timings[s][operation].reduce((sum, t) => sum + t.calls, 0)])) as Record<Serving, number>,
        changed: Object.fromEntries(SERVINGS.map((s) => [s, timings[s][operation].reduce((sum, t) => sum + t.changed, 0)])) as Record<Serving, number>,
        dynamicOverFloor: ratio("dynamic", "floor", operation),
        pluginOverPluginFloor: ratio("plugin", "pluginFloor", operation),
        pluginOverFloor: ratio("plugin", "floor", operation),
        pluginOverDynamic: ratio("plugin", "dynamic", operation),
      },
    ]),
  ) as Record<Operation, ServingsOperation>;
  return { creates, state, ...operations };
}

/** A preview's or a no-op `up`'s figures at one scale. */
export interface ServingsOperation {
  /** Each serving's seconds over the rounds. */
  seconds: Record<Serving, Spread>;
  /** Chat API calls over every round (none expected). */
  calls: Record<Serving, number>;
  /** Resources changed over every round (none expected). */
  changed: Record<Serving, number>;
  dynamicOverFloor: Spread;
  pluginOverPluginFloor: Spread;
  pluginOverFloor: Spread;
  pluginOverDynamic: Spread;
}

/** No quotas: the engine's and the providers' cost alone. */
const NO_LIMITS = googleLimitsConfig(0);

/** The part's figures. */
export async function servingsBench(ctx: BenchContext, counts: ServingsCounts = servingsCounts()) {
  const loadAtStart = loadavg().map(round);
  await withPeople(ctx);
  const home = mkdtempSync(join(tmpdir(), "chat-bench-servings-"));
  installPlugins(home);
  const spaces = await scale(ctx, home, "spaces", (s) => PROGRAMS[s].spaces(counts.spaces), counts.rounds, "space");
  const memberships = await scale(
    ctx,
    home,
    "members",
    (s) => PROGRAMS[s].memberships(counts.memberSpaces, counts.membersPerSpace),
    counts.rounds,
    "membership",
  );
  // The machine's load average (1, 5 and 15 minutes) before and after: the seconds depend on it, the ratios less.
  return { counts, loadAverage: { start: loadAtStart, end: loadavg().map(round) }, spaces, memberships };
}

export type ServingsFigures = Awaited<ReturnType<typeof servingsBench>>;

/** The plugin's target for a resource's state entry, in bytes. */
const PLUGIN_ENTRY_TARGET = 1024;

/** The headline figures this part adds to latest.json's top level: entry bytes, and the ratios' medians. */
export function servingsHeadlines(f: ServingsFigures) {
  const medians = (o: ServingsOperation) => ({
    dynamic: o.dynamicOverFloor.median,
    plugin: o.pluginOverPluginFloor.median,
    pluginOverDynamic: o.pluginOverDynamic.median,
  });
  return {
    servings: {
      spaceEntryBytes: { dynamic: f.spaces.state.dynamic.space.entry, plugin: f.spaces.state.plugin.space.entry },
      membershipEntryBytes: { dynamic: f.memberships.state.dynamic.membership!.entry, plugin: f.memberships.state.plugin.membership!.entry },
      spacesPreviewOverhead: medians(f.spaces.preview),
      spacesNoopUpOverhead: medians(f.spaces.noopUp),
      membershipsPreviewOverhead: medians(f.memberships.preview),
      membershipsNoopUpOverhead: medians(f.memberships.noopUp),
      apiCalls: [f.spaces, f.memberships].reduce((sum, s) => sum + PROVIDER_SERVINGS.reduce((n, v) => n + s.preview.calls[v] + s.noopUp.calls[v], 0), 0),
    },
  };
}

const n = (value: number) => value.toLocaleString("en");
const ratioText = (s: Spread) => `**${s.median}** (${s.min}–${s.max})`;
const secondsText = (s: Spread) => `${s.median.toFixed(1)} s (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;

/** An entry's bytes and where they go. */
function entryText(p: ReturnType<typeof entryParts>): string {
  const e = p.engine;
  const engine = e.identity + e.parent + e.providerReference + e.dependencies + e.times + e.source;
  const among = [p.declared ? `\`__declared\` ${p.declared}` : "", p.provider ? `the two \`__provider\` copies ${p.provider}` : ""].filter(Boolean).join(", ");
  return (
    `${n(p.entry)} bytes: inputs ${p.inputs} and outputs ${n(p.outputs)}${among ? ` (${among})` : ""}; ` +
    `the engine's own fields about ${n(engine)} (URN, type and id ${e.identity}, parent ${e.parent}, provider reference ${e.providerReference}, ` +
    `dependencies ${e.dependencies}, times ${e.times}, the program's source position and stack trace ${e.source})`
  );
}

/** The part's rows of the printed table. */
export function servingsRows(f: ServingsFigures): string[] {
  const { counts: c } = f;
  const members = c.memberSpaces * c.membersPerSpace;
  const rows: string[] = [];
  const label = { dynamic: "dynamic provider", plugin: "provider plugin" } as const;
  for (const serving of PROVIDER_SERVINGS) {
    const target = serving === "plugin" ? `≤ ${n(PLUGIN_ENTRY_TARGET)}` : "";
    rows.push(tableRow(`Servings, ${label[serving]}: state entry of a space`, entryText(f.spaces.state[serving].space), "", target));
    rows.push(tableRow(`Servings, ${label[serving]}: state entry of a membership`, entryText(f.memberships.state[serving].membership!), "", target));
  }
  const scales = [
    [`${n(c.spaces)} unchanged spaces`, f.spaces, c.spaces],
    [`${n(members)} unchanged memberships (${c.memberSpaces} spaces × ${c.membersPerSpace})`, f.memberships, c.memberSpaces + members],
  ] as const;
  for (const [what, s, resources] of scales) {
    for (const operation of OPERATIONS) {
      const o = s[operation];
      const op = operation === "preview" ? "preview" : "no-op up";
      const calls = (v: Serving) => `${o.calls[v]} API calls, ${o.changed[v]} changes`;
      const title = (serving: string) => `Servings, ${serving}: ${op} of ${what}, median of ${c.rounds} rounds (min–max)`;
      rows.push(
        tableRow(
          title("dynamic provider"),
          `${secondsText(o.seconds.dynamic)}; ${calls("dynamic")}`,
          `${secondsText(o.seconds.floor)} for ${n(resources)} do-nothing dynamic resources: ${ratioText(o.dynamicOverFloor)}`,
          "≤ 1.2",
        ),
      );
      rows.push(
        tableRow(
          title("provider plugin"),
          `${secondsText(o.seconds.plugin)}; ${calls("plugin")}`,
          `${secondsText(o.seconds.pluginFloor)} for ${n(resources)} do-nothing plugin resources: ${ratioText(o.pluginOverPluginFloor)}; ` +
            `against the do-nothing dynamic resources ${ratioText(o.pluginOverFloor)}; against the dynamic provider ${ratioText(o.pluginOverDynamic)}`,
          "≤ 1.2",
        ),
      );
    }
  }
  rows.push(
    tableRow(
      "Servings: the machine's load average (1, 5, 15 minutes)",
      `${f.loadAverage.start.join(", ")} at the start, ${f.loadAverage.end.join(", ")} at the end`,
    ),
  );
  return rows;
}
