import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chat } from "@googleapis/chat";
import type { LocalWorkspace } from "@pulumi/pulumi/automation";
import { createAuthClient } from "../../provider/core/google-auth";
import { apiCalls, logMark } from "../helpers/provider";
import { inlineStack, useEngineAndEmulator } from "./harness";
import { readSpace, spaces } from "./programs";

describe("e2e: drift, spaces deleted outside Pulumi, adoption and ChatSpace.get", () => {
  const t = useEngineAndEmulator();
  /** Someone working in Google Chat, outside Pulumi. */
  const outside = () =>
    chat({
      version: "v1",
      rootUrl: `${t.emulator.url}/`,
      auth: createAuthClient({
        credentials: { ...t.key },
        scopes: ["https://www.googleapis.com/auth/chat.spaces", "https://www.googleapis.com/auth/chat.delete"],
        subject: "admin@example.com",
        tokenEndpoint: t.emulator.tokenUrl,
      }),
    });
  const stackOf = (program: ReturnType<typeof spaces>, name = "dev") =>
    inlineStack("chat-drift", name, program, { emulator: t.emulator, key: t.key, impersonateUser: "admin@example.com" });

  it("shows a space edited outside Pulumi on refresh, and the next up puts it back", async () => {
    const stack = await stackOf(spaces({ eng: { displayName: "Eng" } }));
    const id = (await stack.up({})).outputs.engName.value;
    await outside().spaces.patch({ name: id, updateMask: "display_name", requestBody: { displayName: "Renamed by hand" } });
    const mark = await logMark(t.emulator);
    const refresh = await stack.refresh({});
    assert.deepEqual(refresh.summary.resourceChanges, { same: 1, update: 1 });
    assert.deepEqual(await apiCalls(t.emulator, mark), [`GET /v1/${id} 200`], "one GET per space");
    const preview = await stack.preview({});
    assert.deepEqual(preview.changeSummary, { same: 1, update: 1 }, "drift shows as an update, never a replace");
    const mark2 = await logMark(t.emulator);
    await stack.up({});
    assert.deepEqual(await apiCalls(t.emulator, mark2), [`PATCH /v1/${id} display_name 200`]);
    assert.equal((await t.emulator.control.state()).spaces[id.slice(7)].displayName, "Eng");
  });

  it("keeps a space that answers 404 on refresh, since it may only be hidden, and says how to remove it; after pulumi state delete the next up creates it again", async () => {
    const stack = await stackOf(spaces({ eng: { displayName: "Eng" } }));
    const up0 = await stack.up({});
    const id = up0.outputs.engName.value;
    await outside().spaces.delete({ name: id });
    const refresh = await stack.refresh({});
    assert.deepEqual(refresh.summary.resourceChanges, { same: 2 });
    assert.match(refresh.stdout, /Google answers 404 Not Found: the space was deleted, or these credentials can no longer see it/);
    const urn = (await stack.exportStack()).deployment.resources.find((r: { type: string }) => r.type.endsWith("googlechat:ChatSpace")).urn;
    // The recovery the message names, with the CLI as a user runs it.
    const workspace = stack.workspace as LocalWorkspace;
    execFileSync("pulumi", ["state", "delete", urn, "--yes", "--stack", stack.name], {
      cwd: workspace.workDir,
      env: { ...process.env, ...workspace.envVars, PULUMI_HOME: workspace.pulumiHome },
      stdio: "pipe",
    });
    const mark = await logMark(t.emulator);
    const up = await stack.up({});
    assert.deepEqual(up.summary.resourceChanges, { same: 1, create: 1 });
    assert.deepEqual(await apiCalls(t.emulator, mark), ["POST /v1/spaces 200"]);
    const recreated = up.outputs.engName.value;
    assert.notEqual(recreated, id);
    assert.deepEqual(Object.keys((await t.emulator.control.state()).spaces), [recreated.slice(7)]);
  });

  it("drops a space deleted outside Pulumi on refresh when admin access can tell it is gone; the next up creates it again", async () => {
    const stack = await inlineStack("chat-drift", "admin", spaces({ eng: { displayName: "Eng" } }), {
      emulator: t.emulator,
      key: t.key,
      impersonateUser: "admin@example.com",
      config: { "googlechat:useAdminAccess": "true" },
    });
    const id = (await stack.up({})).outputs.engName.value;
    await outside().spaces.delete({ name: id });
    const refresh = await stack.refresh({});
    assert.deepEqual(refresh.summary.resourceChanges, { same: 1, delete: 1 });
    const mark = await logMark(t.emulator);
    const up = await stack.up({});
    assert.deepEqual(up.summary.resourceChanges, { same: 1, create: 1 });
    assert.deepEqual(await apiCalls(t.emulator, mark), ["POST /v1/spaces 200"]);
  });

  it("adopts an existing space without creating one, and keeps it when the stack is destroyed with retainOnDelete", async () => {
    const { data: legacy } = await outside().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Legacy" } });
    const stack = await stackOf(
      spaces({ legacy: { adoptSpace: legacy.name!, displayName: "Legacy", spaceDetails: { description: "Managed now" } } }, { retainOnDelete: true }),
    );
    const mark = await logMark(t.emulator);
    const up = await stack.up({});
    assert.equal(up.outputs.legacyName.value, legacy.name);
    assert.deepEqual(await apiCalls(t.emulator, mark), [`GET /v1/${legacy.name} 200`, `PATCH /v1/${legacy.name} space_details 200`]);
    const mark2 = await logMark(t.emulator);
    await stack.destroy({});
    assert.deepEqual(await apiCalls(t.emulator, mark2), [], "retainOnDelete: the space stays");
    assert.ok((await t.emulator.control.state()).spaces[legacy.name!.slice(7)]);
  });

  it("reads a space with ChatSpace.get", async () => {
    const { data: existing } = await outside().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Read me" } });
    const stack = await inlineStack("chat-drift", "get", readSpace(existing.name!), { emulator: t.emulator, key: t.key, impersonateUser: "admin@example.com" });
    const mark = await logMark(t.emulator);
    const up = await stack.up({});
    assert.equal(up.outputs.displayName.value, "Read me");
    assert.equal(up.outputs.spaceUri.value, existing.spaceUri);
    assert.deepEqual(await apiCalls(t.emulator, mark), [`GET /v1/${existing.name} 200`]);
  });
});
