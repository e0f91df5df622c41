/**
 * A fixed sample of the lifecycle fuzzer's cases (test/fuzz/) under the real Pulumi engine:
 * the same set-up, divergence, faults and operation, run with `pulumi up / preview / refresh /
 * destroy` through the Automation API, and the same promises checked from the emulator's state
 * and log and the stack's exported state. Crashes are left to crash-recovery.e2e.ts (a kill -9)
 * and to the fuzzer's engine model. FUZZ_FIXTURE=file.json runs one printed fixture instead.
 *
 * Each case runs served both ways (servings.ts): as the TypeScript SDK's dynamic resources and as
 * the provider plugin's resources. Both keep every promise, make the same Chat API calls and fail
 * with the same words, but for what a serving decides by itself: the ChatSpace class sets the
 * resource option `deleteBeforeReplace: true`, which a program of the plugin's resources sets
 * only itself, and the engine reads only that option on `pulumi up --replace`.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { chat } from "@googleapis/chat";
import type { EngineEvent, PulumiFn, Stack } from "@pulumi/pulumi/automation";
import fc from "fast-check";
import { createAuthClient } from "../../provider/core/google-auth";
import type { SdkInputs } from "../../provider/space/provider";
import type { ChatSpaceOutputs } from "../../provider/space/types";
import type { ChatSpaceArgs } from "../../sdk";
import type { Stack as ModelStack } from "../fuzz/engine";
import { ADOPT, type Declaration, type Fixture } from "../fuzz/fixture";
import { areasFrom, fixtureArbitrary } from "../fuzz/generate";
import { checkAgree, checkNoOrphan, checkOneSpace, type Violation } from "../fuzz/invariants";
import { spaceWorld } from "../fuzz/run-case";
import { installFaults, Person } from "../fuzz/world";
import { apiCalls } from "../helpers/provider";
import { inlineStack, useEngineAndEmulator } from "./harness";
import { SERVINGS, type Serving, type ServingName } from "./servings";

/**
 * The sample: from a fixed seed's cases that need no crash and no lost access, the first up,
 * up --replace, refresh and destroy, and the second up.
 */
const POOL = fc.sample(fixtureArbitrary(areasFrom(undefined, [])), { seed: 20261127, numRuns: 400 }).filter((f) => !f.crash && !f.accessLost);
const SAMPLE: Fixture[] = process.env.FUZZ_FIXTURE
  ? [JSON.parse(readFileSync(process.env.FUZZ_FIXTURE, "utf8"))]
  : (["up", "replace", "refresh", "destroy", "up"] as const).map((op, i) => POOL.filter((f) => f.operation === op)[i === 4 ? 1 : 0]);

/** What one serving's run of a case did. */
interface Run {
  violations: Violation[];
  /** Every Chat API call of the run, set-up included, each space named by its part in the case ({@link roleOf}), sorted. */
  calls: string[];
  /** The error diagnostics of every command of the run, the same way, sorted. */
  errors: string[];
  /** The info lines the provider attached to each resource, by resource name. */
  notes: Map<string, string[]>;
  /** The stack's ChatSpaces before and after the operation. */
  before: ModelStack;
  after: ModelStack;
}

describe("e2e: a fixed sample of the lifecycle fuzzer's cases under the real engine", () => {
  const t = useEngineAndEmulator();
  const person = () =>
    new Person(
      chat({
        version: "v1",
        rootUrl: `${t.emulator.url}/`,
        auth: createAuthClient({
          credentials: { ...t.key },
          scopes: Person.SCOPES.map((s) => `https://www.googleapis.com/auth/${s}`),
          subject: "admin@example.com",
          tokenEndpoint: t.emulator.tokenUrl,
        }),
      }),
      t.emulator.control,
      t.key.client_email,
    );

  SAMPLE.forEach((fixture, n) => {
    it(`case ${n + 1}: ${fixture.operation} of ${fixture.resources.length} resource(s) (${fixture.auth} auth) keeps every promise served both ways, with the same calls and errors`, async function () {
      this.timeout(900_000);
      const runs = new Map<ServingName, Run>();
      for (const serving of SERVINGS) {
        await t.emulator.control.reset();
        const run = await runUnderEngine(fixture, person(), serving);
        assert.deepEqual(run.violations, [], `served ${serving.name}; fixture: ${JSON.stringify(fixture)}`);
        runs.set(serving.name, run);
      }
      const dynamic = runs.get("dynamic")!;
      const plugin = runs.get("plugin")!;
      assert.deepEqual(plugin.errors, dynamic.errors, "the same error text, naming the same resources");
      const kept = keptByPluginReplace(fixture);
      if (!kept) {
        assert.deepEqual(plugin.calls, dynamic.calls, "the same Chat API calls");
        return;
      }
      // `up --replace` of a space no option tells to delete first: the engine creates the
      // replacement first (pulumi/pulumi pkg/resource/deploy/step_generator.go), whose create gets
      // the old space back by its requestId; the provider keeps it, and says so under the resource.
      const idOf = (stack: ModelStack) => stack.entries.find((e) => e.name === kept)?.id;
      assert.notEqual(idOf(dynamic.after), idOf(dynamic.before), "served as ChatSpace, the replacement is a new space");
      assert.ok(dynamic.calls.includes("DELETE /v1/spaces/{before} 200"), dynamic.calls.join("\n"));
      assert.equal(idOf(plugin.after), idOf(plugin.before), "served by the plugin, the replacement keeps the space");
      assert.deepEqual(
        plugin.calls.filter((c) => c.startsWith("DELETE")),
        [],
        plugin.calls.join("\n"),
      );
      const old = plugin.before.entries.find((e) => e.name === kept)!;
      assert.deepEqual(
        plugin.notes.get(kept)?.filter((line) => line.includes("kept the same space")),
        [
          `ChatSpace "${old.outputs.displayName}" (${old.id}): the replacement kept the same space (its requestId or adoptSpace returned it), so it is not deleted. For a new space, let the replacement delete first (the resource option deleteBeforeReplace: true, which the ChatSpace class sets) or set a new requestId.`,
        ],
      );
    });
  });

  async function runUnderEngine(f: Fixture, chatPerson: Person, serving: Serving): Promise<Run> {
    const start = await lastSeq();
    const diagnostics: NonNullable<EngineEvent["diagnosticEvent"]>[] = [];
    const events = { onEvent: (e: EngineEvent) => void (e.diagnosticEvent && diagnostics.push(e.diagnosticEvent)) };
    await t.emulator.control.setSettings(spaceWorld(f));
    const adopted = new Map<string, string>();
    for (const r of f.resources) {
      if (r.start?.adoptSpace === ADOPT || r.next?.adoptSpace === ADOPT) adopted.set(r.name, await chatPerson.makeSpace(`Space ${r.name.slice(1)} A`));
    }
    const program =
      (pick: (r: Fixture["resources"][number]) => Declaration | undefined): PulumiFn =>
      async () => {
        for (const r of f.resources) {
          const d = pick(r);
          if (!d) continue;
          const args = d.adoptSpace === ADOPT ? { ...d, adoptSpace: adopted.get(r.name) } : d;
          serving.space(r.name, args as ChatSpaceArgs, {
            retainOnDelete: r.retainOnDelete,
            ...(r.deleteBeforeReplace !== undefined ? { deleteBeforeReplace: r.deleteBeforeReplace } : {}),
          });
        }
      };
    const stack = await inlineStack(
      "chat-fuzz",
      "dev",
      program((r) => r.start),
      {
        emulator: t.emulator,
        key: t.key,
        ...(f.auth === "user" ? { impersonateUser: "admin@example.com" } : {}),
        serving,
      },
    );
    await stack.up(events);

    for (const r of f.resources) {
      const id = (await exported(stack, serving)).entries.find((e) => e.name === r.name)?.id;
      if (id) for (const change of r.divergence) await chatPerson.diverge(id, Number(r.name.slice(1)), change);
    }

    const violations: Violation[] = [];
    const before = await exported(stack, serving);
    stack.workspace.program = program((r) => r.next);
    const invalid = f.resources.some((r) => r.next && r.invalid);
    const replace = f.replaceTarget ? [`urn:pulumi:dev::chat-fuzz::${serving.spaceType}::${f.replaceTarget}`] : undefined;
    // What the preview of this operation lists as delete or replace.
    const listed = new Set<string>();
    const listen = (e: EngineEvent) => {
      events.onEvent(e);
      const step = e.resourcePreEvent?.metadata;
      if (step && /delete|replace/.test(step.op)) listed.add(step.urn.split("::").pop()!);
    };
    if (f.operation === "destroy") f.resources.forEach((r) => listed.add(r.name));
    else if (f.operation !== "refresh") {
      const preview = await stack.preview({ onEvent: listen, replace }).then(
        () => "ok",
        (e: Error) => e.message,
      );
      if (invalid !== (preview !== "ok")) violations.push({ invariant: invalid ? "checkRefuses" : "checkAccepts", detail: preview });
      if (invalid) return { violations, ...(await outcome(before, before)) };
    }

    const mark = await lastSeq();
    await installFaults(t.emulator.control, f.faults);
    const run = f.operation === "refresh" ? stack.refresh(events) : f.operation === "destroy" ? stack.destroy(events) : stack.up({ ...events, replace });
    const failed = await run.then(
      () => undefined,
      (e: Error) => e.message,
    );
    await t.emulator.control.clearFaults();

    const allowed = new Set(before.entries.filter((e) => listed.has(e.name)).map((e) => e.id));
    for (const r of await t.emulator.control.requests(mark)) {
      const space = /^\/v1\/(spaces\/[^/:]+)$/.exec(r.path)?.[1];
      if (r.method === "DELETE" && r.status !== 404 && space && !allowed.has(space)) {
        violations.push({ invariant: "deleteAsPreviewed", detail: `DELETE ${space}, which the preview did not list` });
      }
    }
    // After a failure, the same command again, as its user would run it (a forced replacement forced again).
    if (failed) {
      const again = await (f.operation === "destroy" ? stack.destroy(events) : stack.up({ ...events, replace })).then(
        () => undefined,
        (e: Error) => e.message,
      );
      if (again) violations.push({ invariant: "recovers", detail: `after ${failed}: ${again}` });
    }
    const state = await exported(stack, serving);
    const emulator = await t.emulator.control.state();
    const retained = new Set(f.resources.filter((r) => r.retainOnDelete).flatMap((r) => before.entries.filter((e) => e.name === r.name).map((e) => e.id)));
    const made = new Set(
      Object.values(emulator.requestIds)
        .filter((rec) => !rec.deleted && emulator.spaces[rec.spaceId])
        .map((rec) => `spaces/${rec.spaceId}`),
    );
    const owners = new Map<string, Set<string>>([["the stack", made], ...state.entries.map((e) => [e.name, new Set([e.id])] as [string, Set<string>])]);
    violations.push(...checkNoOrphan(owners, state, retained), ...checkOneSpace(new Map(state.entries.map((e) => [e.name, new Set([e.id])])), retained));
    if (f.operation === "up" || f.operation === "replace") {
      const diverged = new Set(f.resources.filter((r) => r.divergence.length > 0).map((r) => r.name));
      for (const e of state.entries) {
        const decl = f.resources.find((r) => r.name === e.name)?.next;
        if (decl && !diverged.has(e.name))
          violations.push(...checkAgree(e.name, decl.adoptSpace === ADOPT ? { ...decl, adoptSpace: adopted.get(e.name) } : decl, e.outputs, emulator));
      }
    }
    return { violations, ...(await outcome(before, state)) };

    /** The run's calls, errors and notes, each space named by its part in the case. */
    async function outcome(beforeOp: ModelStack, afterOp: ModelStack): Promise<Omit<Run, "violations">> {
      const adoptedIds = new Set(adopted.values());
      const ids = (stackOf: ModelStack) => new Set(stackOf.entries.map((e) => e.id));
      const [was, is] = [ids(beforeOp), ids(afterOp)];
      const roleOf = (id: string) => [adoptedIds.has(id) && "adopted", was.has(id) && "before", is.has(id) && "after"].filter(Boolean).join(",") || "other";
      const named = (text: string) =>
        text
          .replace(/spaces\/[A-Za-z0-9_-]+/g, (space) => `spaces/{${roleOf(space)}}`)
          .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "{requestId}");
      const notes = new Map<string, string[]>();
      for (const d of diagnostics) {
        if (d.severity !== "info" || !d.urn) continue;
        const name = d.urn.split("::").pop()!;
        notes.set(name, [...(notes.get(name) ?? []), d.message.trimEnd()]);
      }
      return {
        calls: (await apiCalls(t.emulator, start)).map(named).sort(),
        errors: diagnostics
          .filter((d) => d.severity === "error")
          .map((d) => `${d.urn?.split("::").pop() ?? "(the stack)"}: ${named(d.message.trimEnd())}`)
          .sort(),
        notes,
        before: beforeOp,
        after: afterOp,
      };
    }
  }

  async function lastSeq(): Promise<number> {
    const log = await t.emulator.control.requests();
    return log.length ? log[log.length - 1].seq : 0;
  }
});

/**
 * The resource `up --replace` targets, when the plugin's program keeps its space where the SDK's
 * replaces it: neither the program nor (served by the plugin) a class sets `deleteBeforeReplace`,
 * and the old space is still there for the replacement's create to get back.
 */
function keptByPluginReplace(f: Fixture): string | undefined {
  const target = f.resources.find((r) => r.name === f.replaceTarget);
  if (f.operation !== "replace" || !target || target.deleteBeforeReplace !== undefined || target.divergence.includes("delete")) return undefined;
  return target.name;
}

/** The stack's spaces as the engine saved them, in the fuzzer's shape. */
async function exported(stack: Stack, serving: Serving): Promise<ModelStack> {
  const { deployment } = await stack.exportStack();
  const resources = (deployment.resources ?? []) as { type: string; urn: string; id: string; inputs: SdkInputs; outputs: ChatSpaceOutputs; delete?: boolean }[];
  const spaces = resources.filter((r) => r.type === serving.spaceType);
  const entry = (r: (typeof spaces)[number]) => ({ name: r.urn.split("::").pop()!, id: r.id, inputs: r.inputs, outputs: r.outputs });
  return { entries: spaces.filter((r) => !r.delete).map(entry), pendingDeletes: spaces.filter((r) => r.delete).map(entry) };
}
