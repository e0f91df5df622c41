import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiCalls, logMark } from "../helpers/provider";
import { type EmulatorProcess, inlineStack, startEmulatorProcess, useEngine } from "./harness";
import { upgradeProgram } from "./fixtures/upgrade-program";

/**
 * Every release keeps the exported state its code wrote (fixtures/<release>/, written by
 * fixtures/write-upgrade-fixture.ts); the current code must read, update and delete those spaces.
 */
const RELEASES = ["v0.1.0"];

for (const release of RELEASES) {
  describe(`e2e: upgrade from the state ${release} wrote`, () => {
    let emulator: EmulatorProcess;
    const fixture = join(__dirname, "fixtures", release);
    before(async () => {
      useEngine();
      const dataFile = join(mkdtempSync(join(tmpdir(), "upgrade-")), "emulator.json");
      copyFileSync(join(fixture, "emulator.json"), dataFile);
      emulator = await startEmulatorProcess(dataFile);
    });
    after(() => emulator?.stop());

    it("refreshes, updates and deletes the spaces with the current code", async () => {
      const deployment = JSON.parse(readFileSync(join(fixture, "stack.json"), "utf8"));
      const ids = deployment.deployment.resources
        .filter((r: any) => r.type === "pulumi-nodejs:dynamic/googlechat:ChatSpace")
        .map((r: any) => r.id)
        .sort();
      assert.equal(ids.length, 2);
      const key = await emulator.control.serviceAccount();
      const stack = await inlineStack("chat-upgrade", "fixture", upgradeProgram(), { emulator, key, impersonateUser: "admin@example.com", viaEnvironment: true });
      await stack.importStack(deployment);

      const mark = await logMark(emulator);
      const refresh = await stack.refresh({});
      assert.deepEqual(refresh.summary.resourceChanges, { same: 3 });
      assert.deepEqual((await apiCalls(emulator, mark)).sort(), ids.map((id: string) => `GET /v1/${id} 200`));
      assert.deepEqual((await stack.preview({})).changeSummary, { same: 3 }, "the current code sees no change in the old state");

      stack.workspace.program = upgradeProgram("Engineering, upgraded");
      const mark2 = await logMark(emulator);
      const up = await stack.up({});
      assert.deepEqual(up.summary.resourceChanges, { same: 2, update: 1 });
      const eng = up.outputs.engName.value;
      assert.deepEqual(await apiCalls(emulator, mark2), [`PATCH /v1/${eng} display_name 200`]);

      const mark3 = await logMark(emulator);
      await stack.destroy({});
      assert.deepEqual((await apiCalls(emulator, mark3)).sort(), ids.map((id: string) => `DELETE /v1/${id} 200`));
      assert.deepEqual((await emulator.control.state()).spaces, {});
    });
  });
}
