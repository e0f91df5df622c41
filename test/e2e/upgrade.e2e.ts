import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { PROVIDER_TEXT } from "../../provider/core/stub";
import { apiCalls, logMark } from "../helpers/provider";
import { type FixtureProgram, programOf, readFixtureEmulatorData, readFixtureProgram } from "./fixtures/fixture-program";
import { type EmulatorProcess, inlineStack, startEmulatorProcess, useEngine } from "./harness";

/**
 * Existing stacks keep working. Each fixture folder holds state that earlier code
 * wrote (fixtures/write-upgrade-fixture.ts; the folder's README.md says which commit): the
 * current code must refresh it, preview it with no change, update it in place and destroy it.
 * `rename` is the space whose display name the in-place update changes.
 */
const FIXTURES = [
  { name: "v0.1.0", rename: "eng" },
  { name: "main-0519e91", rename: "plain" },
];

const CHAT_SPACE = "pulumi-nodejs:dynamic/googlechat:ChatSpace";

/** The emulator, started on a copy of a fixture's data (the emulator writes to its data file). */
async function startFixtureEmulator(dir: string): Promise<EmulatorProcess> {
  const dataFile = join(mkdtempSync(join(tmpdir(), "upgrade-")), "emulator.json");
  copyFileSync(join(dir, "emulator.json"), dataFile);
  return startEmulatorProcess(dataFile);
}

/** A stack of the fixture's own program, configured as when it was written (user auth, through the environment). */
async function fixtureStack(emulator: EmulatorProcess, program: FixtureProgram, spaces = program.spaces): Promise<Stack> {
  const key = await emulator.control.serviceAccount();
  return inlineStack(program.project, program.stack, programOf(spaces), { emulator, key, impersonateUser: "admin@example.com", viaEnvironment: true });
}

/** The ChatSpaces a deployment holds: Pulumi name, space name, and whether the engine leaves the space on delete. */
function ownedSpaces(deployment: any): { key: string; id: string; retained: boolean }[] {
  return deployment.deployment.resources
    .filter((r: any) => r.type === CHAT_SPACE)
    .map((r: any) => ({ key: r.urn.split("::").pop(), id: r.id, retained: r.retainOnDelete === true }));
}

const sorted = (values: string[]) => [...values].sort();

for (const { name, rename } of FIXTURES) {
  describe(`e2e: upgrade from the state ${name} wrote`, () => {
    const dir = join(__dirname, "fixtures", name);
    const program = readFixtureProgram(dir);
    const fixture = JSON.parse(readFileSync(join(dir, "stack.json"), "utf8"));
    const owned = ownedSpaces(fixture);
    // Every space of the stack, and the stack resource itself.
    const unchanged = { same: owned.length + 1 };
    let emulator: EmulatorProcess;
    let stack: Stack;

    before(async () => {
      useEngine();
      emulator = await startFixtureEmulator(dir);
      stack = await fixtureStack(emulator, program);
      await stack.importStack(fixture);
    });
    after(() => emulator?.stop());

    it("holds every space its program declares", () => {
      assert.deepEqual(sorted(owned.map((s) => s.key)), sorted(Object.keys(program.spaces)));
    });

    it("refreshes with one GET per space, changing and dropping nothing", async () => {
      const mark = await logMark(emulator);
      const refresh = await stack.refresh({});
      assert.deepEqual(refresh.summary.resourceChanges, unchanged);
      assert.deepEqual(sorted(await apiCalls(emulator, mark)), sorted(owned.map((s) => `GET /v1/${s.id} 200`)));
      assert.deepEqual(ownedSpaces(await stack.exportStack()), owned);
    });

    it("previews the program that wrote the state with no change and no API call", async () => {
      const mark = await logMark(emulator);
      assert.deepEqual((await stack.preview({})).changeSummary, unchanged);
      assert.deepEqual(await apiCalls(emulator, mark), []);
    });

    it("renames one space in place with one PATCH", async () => {
      const space = owned.find((s) => s.key === rename)!;
      const declared = program.spaces[rename];
      stack.workspace.program = programOf({
        ...program.spaces,
        [rename]: { ...declared, args: { ...declared.args, displayName: `${declared.args.displayName}, upgraded` } },
      });
      const mark = await logMark(emulator);
      const up = await stack.up({});
      assert.deepEqual(up.summary.resourceChanges, { same: owned.length, update: 1 });
      assert.deepEqual(await apiCalls(emulator, mark), [`PATCH /v1/${space.id} display_name 200`]);
      assert.equal((await emulator.control.state()).spaces[space.id.slice("spaces/".length)].displayName, `${declared.args.displayName}, upgraded`);
      // The program's one-line __provider text replaces the earlier version's closure stub in
      // every resource's inputs, and in the outputs of the space the update wrote.
      const resources = (await stack.exportStack()).deployment.resources.filter((r: any) => r.type === CHAT_SPACE);
      assert.deepEqual(new Set(resources.map((r: any) => r.inputs.__provider)), new Set([PROVIDER_TEXT.ChatSpace]));
      assert.equal(resources.find((r: any) => r.id === space.id).outputs.__provider, PROVIDER_TEXT.ChatSpace);
    });

    it("destroys with one DELETE per space not retained, and leaves the retained ones", async () => {
      const deleted = owned.filter((s) => !s.retained).map((s) => s.id);
      const kept = Object.keys(readFixtureEmulatorData(dir).spaces).filter((id) => !deleted.includes(`spaces/${id}`));
      const mark = await logMark(emulator);
      await stack.destroy({});
      assert.deepEqual(sorted(await apiCalls(emulator, mark)), sorted(deleted.map((id) => `DELETE /v1/${id} 200`)));
      assert.deepEqual(sorted(Object.keys((await emulator.control.state()).spaces)), sorted(kept));
    });
  });

  const crashed = join(__dirname, "fixtures", name, "crashed-create");
  if (!existsSync(crashed)) continue;

  describe(`e2e: a create that crashed under ${name}, run again by the current code`, () => {
    const program = readFixtureProgram(crashed);
    const made = Object.entries(readFixtureEmulatorData(crashed).spaces);
    let emulator: EmulatorProcess;
    // Each resource on its own: a SPACE repeated under another requestId fails on its display
    // name, which would hide what a GROUP_CHAT, which has none, does.
    beforeEach(async () => {
      useEngine();
      emulator = await startFixtureEmulator(crashed);
    });
    afterEach(() => emulator?.stop());

    for (const [key, declared] of Object.entries(program.spaces)) {
      const { spaceType = "SPACE", displayName = "", importMode } = declared.args;
      it(`${key}, a ${spaceType}${importMode ? " in import mode" : ""}, gets back the space its crashed create made and makes no second one`, async () => {
        // The space the crashed create made: the only one of its type and display name.
        const mine = made.filter(([, s]) => s.spaceType === spaceType && (s.displayName ?? "") === displayName).map(([id]) => id);
        assert.equal(mine.length, 1, `the fixture holds one space for ${key}`);
        const stack = await fixtureStack(emulator, program, { [key]: declared });
        const up = await stack.up({});
        assert.deepEqual(up.summary.resourceChanges, { create: 2 });
        assert.equal(up.outputs[`${key}Name`].value, `spaces/${mine[0]}`);
        assert.deepEqual(sorted(Object.keys((await emulator.control.state()).spaces)), sorted(made.map(([id]) => id)), "no second space");
      });
    }
  });
}
