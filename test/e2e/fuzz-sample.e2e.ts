/**
 * A fixed sample of the lifecycle fuzzer's cases (test/fuzz/) under the real Pulumi engine:
 * the same set-up, divergence, faults and operation, run with `pulumi up / preview / refresh /
 * destroy` through the Automation API, and the same promises checked from the emulator's state
 * and log and the stack's exported state. Crashes are left to crash-recovery.e2e.ts (a kill -9)
 * and to the fuzzer's engine model. FUZZ_FIXTURE=file.json runs one printed fixture instead.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { chat } from "@googleapis/chat";
import fc from "fast-check";
import type { EngineEvent, PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { createAuthClient } from "../../provider/core/google-auth";
import type { SdkInputs } from "../../provider/space/provider";
import type { ChatSpaceOutputs } from "../../provider/space/types";
import { ChatSpace, type ChatSpaceArgs } from "../../sdk";
import type { Stack as ModelStack } from "../fuzz/engine";
import { ADOPT, type Declaration, type Fixture } from "../fuzz/fixture";
import { areasFrom, fixtureArbitrary } from "../fuzz/generate";
import { type Violation, checkAgree, checkNoOrphan, checkOneSpace } from "../fuzz/invariants";
import { spaceWorld } from "../fuzz/run-case";
import { Person, installFaults } from "../fuzz/world";
import { inlineStack, useEngineAndEmulator } from "./harness";

/**
 * The sample: from a fixed seed's cases that need no crash and no lost access, the first up,
 * up --replace, refresh and destroy, and the second up.
 */
const POOL = fc
  .sample(fixtureArbitrary(areasFrom(undefined, [])), { seed: 20261127, numRuns: 400 })
  .filter((f) => !f.crash && !f.accessLost);
const SAMPLE: Fixture[] = process.env.FUZZ_FIXTURE
  ? [JSON.parse(readFileSync(process.env.FUZZ_FIXTURE, "utf8"))]
  : (["up", "replace", "refresh", "destroy", "up"] as const).map((op, i) => POOL.filter((f) => f.operation === op)[i === 4 ? 1 : 0]);

const TYPE = "pulumi-nodejs:dynamic/googlechat:ChatSpace";

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
    it(`case ${n + 1}: ${fixture.operation} of ${fixture.resources.length} resource(s) (${fixture.auth} auth) keeps every promise`, async function () {
      this.timeout(600_000);
      const violations = await runUnderEngine(fixture, person());
      assert.deepEqual(violations, [], `fixture: ${JSON.stringify(fixture)}`);
    });
  });

  async function runUnderEngine(f: Fixture, chatPerson: Person): Promise<Violation[]> {
    await t.emulator.control.setSettings(spaceWorld(f));
    const adopted = new Map<string, string>();
    for (const r of f.resources) {
      if (r.start?.adoptSpace === ADOPT || r.next?.adoptSpace === ADOPT) adopted.set(r.name, await chatPerson.makeSpace(`Space ${r.name.slice(1)} A`));
    }
    const program = (pick: (r: Fixture["resources"][number]) => Declaration | undefined): PulumiFn => async () => {
      for (const r of f.resources) {
        const d = pick(r);
        if (!d) continue;
        const args = d.adoptSpace === ADOPT ? { ...d, adoptSpace: adopted.get(r.name) } : d;
        new ChatSpace(r.name, args as ChatSpaceArgs, { retainOnDelete: r.retainOnDelete, ...(r.deleteBeforeReplace !== undefined ? { deleteBeforeReplace: r.deleteBeforeReplace } : {}) });
      }
    };
    const stack = await inlineStack("chat-fuzz", "dev", program((r) => r.start), {
      emulator: t.emulator,
      key: t.key,
      ...(f.auth === "user" ? { impersonateUser: "admin@example.com" } : {}),
    });
    await stack.up({});

    for (const r of f.resources) {
      const id = (await exported(stack)).entries.find((e) => e.name === r.name)?.id;
      if (id) for (const change of r.divergence) await chatPerson.diverge(id, Number(r.name.slice(1)), change);
    }

    const violations: Violation[] = [];
    const before = await exported(stack);
    stack.workspace.program = program((r) => r.next);
    const invalid = f.resources.some((r) => r.next && r.invalid);
    const replace = f.replaceTarget ? [`urn:pulumi:dev::chat-fuzz::${TYPE}::${f.replaceTarget}`] : undefined;
    // What the preview of this operation lists as delete or replace.
    const listed = new Set<string>();
    const listen = (e: EngineEvent) => {
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
      if (invalid) return violations;
    }

    const mark = await lastSeq();
    await installFaults(t.emulator.control, f.faults);
    const run = f.operation === "refresh" ? stack.refresh({}) : f.operation === "destroy" ? stack.destroy({}) : stack.up({ replace });
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
      const again = await (f.operation === "destroy" ? stack.destroy({}) : stack.up({ replace })).then(
        () => undefined,
        (e: Error) => e.message,
      );
      if (again) violations.push({ invariant: "recovers", detail: `after ${failed}: ${again}` });
    }
    const state = await exported(stack);
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
        if (decl && !diverged.has(e.name)) violations.push(...checkAgree(e.name, decl.adoptSpace === ADOPT ? { ...decl, adoptSpace: adopted.get(e.name) } : decl, e.outputs, emulator));
      }
    }
    return violations;
  }

  async function lastSeq(): Promise<number> {
    const log = await t.emulator.control.requests();
    return log.length ? log[log.length - 1].seq : 0;
  }
});

/** The stack's ChatSpaces as the engine saved them, in the fuzzer's shape. */
async function exported(stack: Stack): Promise<ModelStack> {
  const { deployment } = await stack.exportStack();
  const resources = (deployment.resources ?? []) as { type: string; urn: string; id: string; inputs: SdkInputs; outputs: ChatSpaceOutputs; delete?: boolean }[];
  const spaces = resources.filter((r) => r.type === TYPE);
  const entry = (r: (typeof spaces)[number]) => ({ name: r.urn.split("::").pop()!, id: r.id, inputs: r.inputs, outputs: r.outputs });
  return { entries: spaces.filter((r) => !r.delete).map(entry), pendingDeletes: spaces.filter((r) => r.delete).map(entry) };
}
