/**
 * What every bench part measures with: durations, the Chat API calls a step makes (from the
 * emulator's request log), the state's bytes, and the do-nothing dynamic resource that is the
 * engine's floor.
 */
import { gzipSync } from "node:zlib";
import * as pulumi from "@pulumi/pulumi";
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { isChatApiCall, type LoggedRequest } from "../emulator";
import type { EmulatorProcess } from "../test/e2e/harness";

/** The floor of any dynamic provider: a resource whose provider does nothing. */
export class Nothing extends pulumi.dynamic.Resource {
  constructor(name: string, index: number) {
    super({ create: async () => ({ id: "floor", outs: {} }) }, name, { index }, {}, "bench", "Nothing");
  }
}

/** `count` do-nothing resources: the baseline of a deployment of as many resources. */
export function floorProgram(count: number): PulumiFn {
  return async () => {
    for (let i = 0; i < count; i++) new Nothing(`f${i}`, i);
  };
}

export async function timed<T>(run: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const result = await run();
  return { result, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** The Chat API calls `run` makes (token requests left out: one per scope per deployment). */
export async function callsDuring(emulator: EmulatorProcess, run: () => Promise<unknown>): Promise<LoggedRequest[]> {
  const before = await emulator.control.requests();
  const mark = before.length ? before[before.length - 1].seq : 0;
  await run();
  return (await emulator.control.requests(mark)).filter(isChatApiCall);
}

/** One row of the printed table: the figure, what was measured, its lower bound or baseline, and the target. */
export const tableRow = (figure: string, measured: string, bound = "", target = ""): string =>
  `|${[figure, measured, bound, target].map((cell) => (cell ? ` ${cell} ` : " ")).join("|")}|`;

/** A call row as the table prints it. */
export const callTableRow = (c: CallRow): string => tableRow(`API calls: ${c.operation}`, `${c.calls} (${c.detail || "none"})`, String(c.bound), "= bound");

/** One row of API calls against its lower bound. */
export interface CallRow {
  operation: string;
  calls: number;
  bound: number;
  detail: string;
}

/** A table of call rows, each added with the calls measured, its bound and why the bound is what it is. */
export function callRows() {
  const rows: CallRow[] = [];
  const row = (operation: string, calls: LoggedRequest[], bound: number, why = "") =>
    rows.push({ operation, calls: calls.length, bound, detail: [summarise(calls), why].filter(Boolean).join("; ") });
  return { rows, row };
}

/** "2 POST spaces.members.create, 1 PATCH spaces.members.patch". */
export function summarise(calls: LoggedRequest[]): string {
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(`${c.method} ${c.rpc}`, (counts.get(`${c.method} ${c.rpc}`) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
}

/** From the first call's arrival to the last one's answer, in seconds. */
export function spanSeconds(calls: LoggedRequest[]): number {
  const started = Math.min(...calls.map((r) => Date.parse(r.time)));
  const ended = Math.max(...calls.map((r) => Date.parse(r.time) + r.durationMs));
  return (ended - started) / 1000;
}

export const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Runs `run` with the engine saving the state only at the end (PULUMI_SKIP_CHECKPOINTS): with
 * a checkpoint after every step, each of which rewrites the whole state, creating thousands of
 * resources slows as the state grows (2,000 ChatMemberships went from 5 to under 1 create a
 * second), which is the engine's cost, not the provider's.
 */
export async function withoutCheckpoints<T>(stack: Stack, run: () => Promise<T>): Promise<T> {
  stack.workspace.envVars.PULUMI_SKIP_CHECKPOINTS = "true";
  try {
    return await run();
  } finally {
    delete stack.workspace.envVars.PULUMI_SKIP_CHECKPOINTS;
  }
}

/** Preview and no-op `up` durations of a deployed stack. */
export async function unchanged(stack: Stack, parallel: number) {
  return {
    preview: (await timed(() => stack.preview({ parallel }))).seconds,
    noopUp: (await timed(() => stack.up({ parallel }))).seconds,
  };
}

/**
 * Bytes of the exported deployment (compact JSON, and gzipped as the file backend can store it),
 * per member; and of one entry of `type` on average: whole, its inputs and outputs (what the SDK
 * and the provider write, the two `__provider` copies among them), and the rest, which the
 * engine writes for any resource (URN, type, id, parent, provider reference, dependencies,
 * deletedWith, times, the program's source position and stack trace).
 */
export async function stateBytes(stack: Stack, members: number, type: string) {
  const deployment = (await stack.exportStack()).deployment;
  const json = JSON.stringify(deployment);
  const entries = deployment.resources.filter((r: any) => r.type === type);
  const parts = entryParts(entries);
  return {
    resources: deployment.resources.length,
    perMember: Math.round(Buffer.byteLength(json) / members),
    gzipPerMember: Math.round(gzipSync(json).length / members),
    entryBytes: parts.entry,
    dataBytes: parts.data,
    engineBytes: parts.entry - parts.data,
    providerBytes: parts.provider,
    parts,
  };
}

/** The engine's own fields of a resource entry, in groups (pulumi/pulumi sdk/go/common/apitype `ResourceV3`). */
const ENGINE_FIELDS = {
  identity: ["urn", "custom", "id", "type"],
  parent: ["parent"],
  providerReference: ["provider"],
  dependencies: ["dependencies", "propertyDependencies", "deletedWith"],
  times: ["created", "modified"],
  source: ["sourcePosition", "stackTrace"],
} as const;

/** Bytes of `fields` of an entry as its JSON holds them (`"key":value` and the commas between). */
function fieldBytes(entry: Record<string, unknown>, fields: readonly string[]): number {
  const present = Object.fromEntries(fields.filter((f) => entry[f] !== undefined).map((f) => [f, entry[f]]));
  return Object.keys(present).length ? Buffer.byteLength(JSON.stringify(present)) - 2 : 0;
}

/**
 * Where the bytes of state entries go, on average: the whole entry; its inputs and outputs
 * (`data`), among them the serialized provider's copies (`provider`, the dynamic provider's
 * `__provider`) and the declaration the outputs keep (`declared`, `__declared`); and the engine's
 * own fields by group ({@link ENGINE_FIELDS}), which any resource of the same options has.
 */
export function entryParts(entries: readonly Record<string, any>[]) {
  const average = (bytes: (r: Record<string, any>) => number) =>
    entries.length ? Math.round(entries.reduce((sum, r) => sum + bytes(r), 0) / entries.length) : 0;
  const text = (value: unknown) => (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value)));
  return {
    entry: average((r) => text(r)),
    data: average((r) => fieldBytes(r, ["inputs", "outputs"])),
    inputs: average((r) => text(r.inputs)),
    outputs: average((r) => text(r.outputs)),
    provider: average(
      (r) =>
        (r.inputs?.__provider === undefined ? 0 : Buffer.byteLength(r.inputs.__provider)) +
        (r.outputs?.__provider === undefined ? 0 : Buffer.byteLength(r.outputs.__provider)),
    ),
    declared: average((r) => text(r.outputs?.__declared)),
    engine: Object.fromEntries(Object.entries(ENGINE_FIELDS).map(([group, fields]) => [group, average((r) => fieldBytes(r, fields))])) as Record<
      keyof typeof ENGINE_FIELDS,
      number
    >,
  };
}

/** A program at scale, measured by {@link measureAtScale}. */
export interface ScaleCase {
  /** The stack's name; its floor's is `${name}-floor`. */
  name: string;
  program: PulumiFn;
  /** Members the program declares, for the state's bytes per member. */
  members: number;
  /** The resource type whose state entries are measured. */
  type: string;
  /** How many do-nothing dynamic resources make the floor: as many as the program's resources. */
  floorResources: number;
  /** Creates (the program's and the floor's) run with the engine's checkpoints skipped. @default false */
  skipCheckpoints?: boolean;
}

/**
 * A program at scale against a floor of as many do-nothing dynamic resources, measured in the
 * same run: create, preview and no-op `up` seconds, the state's bytes, and the overheads over the floor.
 */
export async function measureAtScale(ctx: { parallel: number; stackOf: (name: string, program: PulumiFn) => Promise<Stack> }, c: ScaleCase) {
  const create = (stack: Stack) => {
    const up = () => timed(() => stack.up({ parallel: ctx.parallel }));
    return c.skipCheckpoints ? withoutCheckpoints(stack, up) : up();
  };
  const stack = await ctx.stackOf(c.name, c.program);
  const created = await create(stack);
  const times = await unchanged(stack, ctx.parallel);
  const state = await stateBytes(stack, c.members, c.type);
  const floor = await ctx.stackOf(`${c.name}-floor`, floorProgram(c.floorResources));
  const floorCreateSeconds = (await create(floor)).seconds;
  const base = await unchanged(floor, ctx.parallel);
  return {
    createSeconds: created.seconds,
    createResult: created.result.summary.result,
    ...times,
    state,
    floor: { resources: c.floorResources, createSeconds: floorCreateSeconds, ...base },
    previewOverhead: times.preview / base.preview,
    noopUpOverhead: times.noopUp / base.noopUp,
  };
}
