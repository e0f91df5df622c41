/**
 * `npm run bench`: what a deployment costs, each figure beside its lower bound or a baseline
 * measured in the same run, with the real Pulumi engine against the emulator. Prints one table
 * and writes it to bench/results/latest.json. It measures; it never fails on a threshold.
 * `npm run bench -- quota` (or `latency`, `scale`, `import`, `memberships`, `rosters`, `servings`) measures that part
 * alone and updates its part.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { chat } from "@googleapis/chat";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { isChatApiCall, type ServiceAccountKey } from "../emulator";
import { createAuthClient } from "../provider/core/google-auth";
import { dynamicToken } from "../provider/tokens";
import { ChatSpace, type ChatSpaceArgs } from "../sdk";
import { type EmulatorProcess, googleLimitsConfig, inlineStack, startEmulatorProcess, useEngine } from "../test/e2e/harness";
import { importAtScale } from "./import";
import { type CallRow, callRows, callTableRow, floorProgram, callsDuring as measureCalls, round, spanSeconds, stateBytes, tableRow, timed } from "./measure";
import { type BenchContext, membershipHeadlines, membershipRows, membershipsBench } from "./memberships";
import { rosterHeadlines, rosterRows, rostersBench } from "./rosters";
import { isTrial, servingsBench, servingsCounts, servingsHeadlines, servingsRows } from "./servings";

const PARALLEL = 8;
const TIME_SCALE = 4;
const LATENCY_MS = 100;
const NO_LIMITS = googleLimitsConfig(0);

let emulator: EmulatorProcess;
let key: ServiceAccountKey;

function spacesProgram(count: number, args: (i: number) => ChatSpaceArgs = (i) => ({ displayName: `Bench ${i}` })): PulumiFn {
  return async () => {
    for (let i = 0; i < count; i++) new ChatSpace(`s${i}`, args(i));
  };
}

const stackOf = (name: string, program: PulumiFn, config: Record<string, string> = NO_LIMITS) =>
  inlineStack("chat-bench", name, program, { emulator, key, impersonateUser: "admin@example.com", config });

const context = (): BenchContext => ({ emulator, key, parallel: PARALLEL, stackOf });

const callsDuring = (run: () => Promise<unknown>) => measureCalls(emulator, run);

/** 1. API calls per operation, against their lower bounds. */
async function callsPerOperation(): Promise<CallRow[]> {
  const { rows, row } = callRows();
  const stack = await stackOf("calls", spacesProgram(1));
  row("create", await callsDuring(() => stack.up({ parallel: PARALLEL })), 1);
  row("no-op up", await callsDuring(() => stack.up({ parallel: PARALLEL })), 0);
  row("preview", await callsDuring(() => stack.preview({ parallel: PARALLEL })), 0);
  stack.workspace.program = spacesProgram(1, () => ({ displayName: "Bench renamed" }));
  row("update, one mask group", await callsDuring(() => stack.up({ parallel: PARALLEL })), 1);
  stack.workspace.program = spacesProgram(1, () => ({
    displayName: "Bench renamed again",
    spaceHistoryState: "HISTORY_OFF",
    permissionSettings: { manageApps: { managersAllowed: true } },
  }));
  row("update, three mask groups", await callsDuring(() => stack.up({ parallel: PARALLEL })), 3);
  row("refresh", await callsDuring(() => stack.refresh({ parallel: PARALLEL })), 1);
  row("delete", await callsDuring(() => stack.destroy({ parallel: PARALLEL })), 1);

  const existing = await emulatorCreate("Adopt me");
  const adopt = await stackOf(
    "adopt",
    spacesProgram(1, () => ({ adoptSpace: existing, displayName: "Adopt me" })),
  );
  row("adopt", await callsDuring(() => adopt.up({ parallel: PARALLEL })), 1, "the GET that reads the space; a PATCH only where it differs");
  return rows;
}

/** A space made outside Pulumi, as an existing space to adopt is. */
async function emulatorCreate(displayName: string): Promise<string> {
  const auth = createAuthClient({
    credentials: { ...key },
    scopes: ["https://www.googleapis.com/auth/chat.spaces.create"],
    subject: "admin@example.com",
    tokenEndpoint: emulator.tokenUrl,
  });
  const { data } = await chat({ version: "v1", auth, rootUrl: `${emulator.url}/` }).spaces.create({ requestBody: { spaceType: "SPACE", displayName } });
  return data.name!;
}

/**
 * 2. Quota pacing: 120 spaces at Google's quotas, time-scaled, against the emulator's strict
 * sliding-window counting (the strictest reading of "60 a minute"). The write span runs from the
 * first write's arrival to the last one's answer; its bound is the time the quota needs for the
 * writes (the 120th write can't come before 119 / 4 s, the last answer a moment later).
 */
async function quotaPacing() {
  await emulator.control.reset();
  await emulator.control.setQuotas({ enabled: true, mode: "slidingWindow", timeScale: TIME_SCALE });
  const stack = await stackOf("quota", spacesProgram(120), googleLimitsConfig(TIME_SCALE));
  const { result, seconds } = await timed(() => stack.up({ parallel: PARALLEL }));
  const calls = (await emulator.control.requests()).filter(isChatApiCall);
  const writes = calls.filter((r) => r.method !== "GET");
  const writeSpanS = spanSeconds(writes);
  const boundS = writes.filter((r) => r.status !== 429).length / TIME_SCALE;
  await emulator.control.setQuotas({ enabled: false });
  return {
    failed: result.summary.result === "succeeded" ? 0 : 1,
    throttled: calls.filter((r) => r.status === 429).length,
    writes: writes.length,
    seconds,
    writeSpanS,
    boundS,
    ratio: writeSpanS / boundS,
  };
}

/**
 * 3. Latency hiding: the same 200 creates (no quotas) with 100 ms added to every call and with
 * none; their ratio is what the latency costs (1 = hidden entirely). Beside it, the same
 * deployment against 200 do-nothing dynamic resources: the provider's cost per resource above
 * the engine's own.
 */
async function latencyHiding() {
  const deploy = async (name: string, latencyMs: number) => {
    await emulator.control.reset();
    if (latencyMs > 0) await emulator.control.addFault({ action: { kind: "latency", ms: latencyMs } });
    const stack = await stackOf(name, spacesProgram(200));
    const { seconds } = await timed(() => stack.up({ parallel: PARALLEL }));
    const calls = (await emulator.control.requests()).filter(isChatApiCall).length;
    await emulator.control.clearFaults();
    return { seconds, calls };
  };
  const slow = await deploy("latency", LATENCY_MS);
  const fast = await deploy("no-latency", 0);
  const floor = await stackOf("latency-floor", floorProgram(200));
  const floorSeconds = (await timed(() => floor.up({ parallel: PARALLEL }))).seconds;
  return {
    calls: slow.calls,
    seconds: slow.seconds,
    noLatencySeconds: fast.seconds,
    ratio: slow.seconds / fast.seconds,
    floorSeconds,
    engineOverhead: fast.seconds / floorSeconds,
  };
}

/** 4 to 6: a thousand unchanged spaces against a thousand do-nothing dynamic resources; state size; memory. */
async function atScale() {
  await emulator.control.reset();
  const spaces = await stackOf("thousand", spacesProgram(1000));
  const memory = watchProviderMemory();
  await spaces.up({ parallel: PARALLEL });
  const peakRssMB = memory.stop();
  const floor = await stackOf("floor", floorProgram(1000));
  const floorMemory = watchProviderMemory();
  await floor.up({ parallel: PARALLEL });
  const floorPeakRssMB = floorMemory.stop();

  const measure = async (stack: Stack) => ({
    preview: (await timed(() => stack.preview({ parallel: PARALLEL }))).seconds,
    noopUp: (await timed(() => stack.up({ parallel: PARALLEL }))).seconds,
  });
  const chat = await measure(spaces);
  const base = await measure(floor);

  const state = await stateBytes(spaces, 1000, dynamicToken("space"));
  // One copy of `__provider` (the state holds it twice, in the inputs and the outputs).
  const providerBytes = state.providerBytes / 2;
  return { chat, base, providerBytes, entryBytes: state.entryBytes, dataBytes: state.dataBytes, engineBytes: state.engineBytes, peakRssMB, floorPeakRssMB };
}

/** Samples the peak resident memory of the dynamic-provider process(es) while a deployment runs. */
function watchProviderMemory() {
  let peakKB = 0;
  const sample = () => {
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("dynamic-provider")) continue;
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
        if (hwm) peakKB = Math.max(peakKB, Number(hwm[1]));
      } catch {
        // the process ended between the listing and the read
      }
    }
  };
  const timer = setInterval(sample, 200);
  return {
    stop: () => {
      sample();
      clearInterval(timer);
      return Math.round(peakKB / 1024);
    },
  };
}

/** Time from the dynamic-provider process's start to its first Chat API request, for a one-space create. */
async function startup(): Promise<number> {
  await emulator.control.reset();
  const stack = await stackOf(
    "startup",
    spacesProgram(1, () => ({ displayName: "Startup" })),
  );
  let startedAt: number | undefined;
  const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));
  const timer = setInterval(() => {
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        if (startedAt || !readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("dynamic-provider")) continue;
        const sinceBoot = Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[19]) / ticks;
        const uptime = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
        startedAt = Date.now() - (uptime - sinceBoot) * 1000;
      } catch {
        // ended meanwhile
      }
    }
  }, 20);
  await stack.up({});
  clearInterval(timer);
  const first = (await emulator.control.requests()).find((r) => r.rpc === "spaces.create");
  return startedAt && first ? Date.parse(first.time) - startedAt : NaN;
}

async function main() {
  const part = process.argv[2] as Part;
  if (!PARTS.includes(part) && isTrial(servingsCounts())) {
    throw new Error(
      `The whole bench runs the servings part with its full counts: unset BENCH_SERVINGS_* (now ${JSON.stringify(servingsCounts())}), ` +
        "or try `npm run bench -- servings` alone.",
    );
  }
  useEngine();
  emulator = await startEmulatorProcess();
  key = await emulator.control.serviceAccount();
  const started = Date.now();
  try {
    if (PARTS.includes(part)) return await alone(part);
    const calls = await callsPerOperation();
    const quota = await quotaPacing();
    const latency = await latencyHiding();
    const scale = await atScale();
    const startupMs = await startup();
    const imported = await importAtScale(emulator, key, TIME_SCALE, PARALLEL);
    const memberships = await membershipsBench(context());
    const rosters = await rostersBench(context());
    const servings = await servingsBench(context());
    // Preview and no-op `up` of both servings have a bound of 0 calls: every call they make is extra.
    const extraCalls =
      [...calls, ...memberships.calls, ...rosters.calls].reduce((sum, r) => sum + Math.max(0, r.calls - r.bound), 0) +
      servingsHeadlines(servings).servings.apiCalls;
    const pulumiVersion = execFileSync("pulumi", ["version"], { encoding: "utf8" }).trim();
    const results = {
      date: new Date().toISOString(),
      machine: `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, Pulumi ${pulumiVersion}`,
      quotaPacing: round(quota.ratio),
      latencyHiding: round(latency.ratio),
      createOverhead: round(latency.engineOverhead),
      previewOverhead: round(scale.chat.preview / scale.base.preview),
      noopUpOverhead: round(scale.chat.noopUp / scale.base.noopUp),
      providerBytes: scale.providerBytes,
      peakRssMB: scale.peakRssMB,
      ...membershipHeadlines(memberships),
      ...rosterHeadlines(rosters),
      ...servingsHeadlines(servings),
      extraCalls,
      details: {
        calls,
        quota,
        latency,
        scale,
        startupMs: Math.round(startupMs),
        import: imported,
        memberships,
        rosters,
        servings,
        benchSeconds: Math.round((Date.now() - started) / 1000),
      },
    };
    mkdirSync(join(__dirname, "results"), { recursive: true });
    writeFileSync(join(__dirname, "results", "latest.json"), JSON.stringify(results, null, 2) + "\n");
    console.log(table(results));
  } finally {
    await emulator.stop();
  }
}

const PARTS = ["quota", "latency", "scale", "import", "memberships", "rosters", "servings"] as const;
type Part = (typeof PARTS)[number];

/**
 * `npm run bench -- quota` (or `latency`, `scale`, `import`, `memberships`, `rosters`, `servings`): that part alone, printed and
 * written over its part of latest.json (with the date of this run beside it), the rest of the
 * file as it was.
 */
async function alone(section: Part) {
  const file = join(__dirname, "results", "latest.json");
  const results = JSON.parse(readFileSync(file, "utf8"));
  const date = new Date().toISOString();
  if (section === "quota") {
    const quota = await quotaPacing();
    Object.assign(results, { quotaPacing: round(quota.ratio) });
    results.details.quota = { ...quota, date };
  } else if (section === "scale") {
    const scale = await atScale();
    Object.assign(results, {
      previewOverhead: round(scale.chat.preview / scale.base.preview),
      noopUpOverhead: round(scale.chat.noopUp / scale.base.noopUp),
      providerBytes: scale.providerBytes,
      peakRssMB: scale.peakRssMB,
    });
    results.details.scale = { ...scale, date };
  } else if (section === "import") {
    results.details.import = { ...(await importAtScale(emulator, key, TIME_SCALE, PARALLEL)), date };
  } else if (section === "memberships") {
    const memberships = await membershipsBench(context());
    Object.assign(results, membershipHeadlines(memberships));
    results.details.memberships = { ...memberships, date };
    console.log(membershipRows(memberships).join("\n"));
  } else if (section === "rosters") {
    const rosters = await rostersBench(context());
    Object.assign(results, rosterHeadlines(rosters));
    results.details.rosters = { ...rosters, date };
    console.log(rosterRows(rosters).join("\n"));
  } else if (section === "servings") {
    const servings = await servingsBench(context());
    if (isTrial(servings.counts)) {
      console.log(`${servingsRows(servings).join("\n")}\n\nA try with smaller counts (${JSON.stringify(servings.counts)}): latest.json is left as it was.`);
      return;
    }
    Object.assign(results, servingsHeadlines(servings));
    results.details.servings = { ...servings, date };
    console.log(servingsRows(servings).join("\n"));
  } else {
    const latency = await latencyHiding();
    Object.assign(results, { latencyHiding: round(latency.ratio), createOverhead: round(latency.engineOverhead) });
    results.details.latency = { ...latency, date };
  }
  writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
  console.log(JSON.stringify(results.details[section], null, 2));
}

/** The `import` part's rows: the command's reads and time, then the adopting up's. */
function importRow(i: Awaited<ReturnType<typeof importAtScale>>): string {
  return [
    tableRow(
      `Import: program for ${i.spaces} spaces × ${i.membersPerSpace} members, reads quota ×${TIME_SCALE}`,
      `${i.generateReads} reads in ${i.generateSeconds.toFixed(1)} s`,
      `${i.generateBound} (search pages, one member listing per space), ${i.generateQuotaSeconds.toFixed(1)} s of read quota`,
      "= bound",
    ),
    tableRow(
      "Import: pulumi up adopting them and their rosters",
      `${i.adoptReads} reads (${i.adoptCallerReads} of them the caller's membership, once per deployment), ` +
        `${i.adoptWrites} writes, ${i.adoptThrottled} answered 429, ${i.adoptSeconds.toFixed(1)} s (${i.adoptResult})`,
      `${i.adoptReadBound} reads, 0 writes, ${i.adoptQuotaSeconds.toFixed(1)} s of read quota`,
      "= bound",
    ),
  ].join("\n");
}

function table(r: any): string {
  const d = r.details;
  const lines = [
    `Benchmark, ${r.date} — ${r.machine}`,
    "",
    "| Figure | Measured | Lower bound or baseline | Target |",
    "|---|---|---|---|",
    ...d.calls.map(callTableRow),
    tableRow(
      `Quota pacing: 120 spaces, quotas ×${TIME_SCALE}, strict sliding window`,
      `writes took ${d.quota.writeSpanS.toFixed(1)} s (pulumi up ${d.quota.seconds.toFixed(1)} s), ${d.quota.throttled} answered 429, ${d.quota.failed} failed`,
      `${d.quota.boundS.toFixed(1)} s (${d.quota.writes} writes at ${TIME_SCALE}/s): **${r.quotaPacing}**`,
      "≤ 1.05, no 429",
    ),
    tableRow(
      `Latency hiding: 200 creates, ${LATENCY_MS} ms a call, parallel ${PARALLEL}`,
      `${d.latency.seconds.toFixed(1)} s (${d.latency.calls} calls)`,
      `${d.latency.noLatencySeconds.toFixed(1)} s with no latency: **${r.latencyHiding}**`,
      "≤ 1.1",
    ),
    tableRow(
      "Engine overhead: 200 creates, no latency",
      `${d.latency.noLatencySeconds.toFixed(1)} s`,
      `${d.latency.floorSeconds.toFixed(1)} s for 200 do-nothing dynamic resources: **${r.createOverhead}**`,
      "≤ 1.2",
    ),
    tableRow(
      "Engine overhead: preview of 1,000 unchanged spaces",
      `${d.scale.chat.preview.toFixed(1)} s`,
      `${d.scale.base.preview.toFixed(1)} s for 1,000 do-nothing dynamic resources: **${r.previewOverhead}**`,
      "≤ 1.2",
    ),
    tableRow(
      "Engine overhead: no-op up of 1,000 spaces",
      `${d.scale.chat.noopUp.toFixed(1)} s`,
      `${d.scale.base.noopUp.toFixed(1)} s: **${r.noopUpOverhead}**`,
      "≤ 1.2",
    ),
    tableRow("State: `__provider` per space", `${r.providerBytes} bytes`, "", "≤ 2,048"),
    tableRow(
      "State: whole resource entry per space",
      `${d.scale.entryBytes} bytes${d.scale.dataBytes ? ` (inputs and outputs ${d.scale.dataBytes}, the engine's own fields ${d.scale.engineBytes})` : ""}`,
    ),
    tableRow("Peak resident memory of the provider, 1,000 spaces", `${r.peakRssMB} MB`, `${d.scale.floorPeakRssMB} MB for the do-nothing provider`, "≤ 150 MB"),
    tableRow("Provider start to its first Chat API request", `${d.startupMs} ms`),
    ...(d.import ? [importRow(d.import)] : []),
    ...(d.memberships ? membershipRows(d.memberships) : []),
    ...(d.rosters ? rosterRows(d.rosters) : []),
    ...(d.servings ? servingsRows(d.servings) : []),
    "",
    `Extra API calls above the bounds: ${r.extraCalls}. The benchmark took ${d.benchSeconds} s.`,
  ];
  return lines.join("\n");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
