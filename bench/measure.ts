/**
 * What every bench part measures with: durations, the Chat API calls a step makes (from the
 * emulator's request log), and the do-nothing dynamic resource that is the engine's floor.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import type { LoggedRequest } from "../emulator";
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
  return (await emulator.control.requests(mark)).filter((r) => r.rpc !== "oauth2.token");
}

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
