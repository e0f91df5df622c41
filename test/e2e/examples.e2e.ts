import assert from "node:assert/strict";
import { join } from "node:path";
import { apiCalls } from "../helpers/provider";
import { REPO, inlineStack, useEngineAndEmulator } from "./harness";

/** Runs an example's index.ts as the program; its exports become the stack's outputs. */
const example = (name: string) => async () => {
  const file = join(REPO, "examples", name, "index.ts");
  delete require.cache[require.resolve(file)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file);
};

describe("e2e: the examples", () => {
  const t = useEngineAndEmulator();

  it("basic: one space with user auth, its permission setting applied after the create", async () => {
    const stack = await inlineStack("example-basic", "dev", example("basic"), { emulator: t.emulator, key: t.key, impersonateUser: "admin@example.com" });
    const { outputs } = await stack.up({});
    assert.match(outputs.url.value, /^https:\/\/chat\.google\.com\/room\/AAAA/);
    assert.deepEqual(await apiCalls(t.emulator), ["POST /v1/spaces 200", `PATCH /v1/${outputs.name.value} permission_settings.manageApps 200`]);
  });

  it("app-auth: the app creates an announcement space for its organisation", async () => {
    const stack = await inlineStack("example-app-auth", "dev", example("app-auth"), { emulator: t.emulator, key: t.key });
    const { outputs } = await stack.up({});
    const [space] = Object.values((await t.emulator.control.state()).spaces);
    assert.equal(`spaces/${space.id}`, outputs.name.value);
    assert.equal(space.creator, `app:${t.key.client_email}`);
    assert.deepEqual(space.permissionSettings.postMessages, { managersAllowed: true, assistantManagersAllowed: false, membersAllowed: false });
  });

  it("import-mode: created in import mode, then completed in place when importDone is set", async () => {
    const stack = await inlineStack("example-import-mode", "dev", example("import-mode"), { emulator: t.emulator, key: t.key, impersonateUser: "admin@example.com" });
    const first = await stack.up({});
    assert.ok(first.outputs.importModeExpireTime.value);
    await stack.setConfig("example-import-mode:importDone", { value: "true" });
    const done = await stack.up({});
    assert.deepEqual(done.summary.resourceChanges, { same: 1, update: 1 });
    assert.equal(done.outputs.importModeExpireTime, undefined);
    const [space] = Object.values((await t.emulator.control.state()).spaces);
    assert.deepEqual([space.importMode, space.createTime], [false, "2019-05-01T10:00:00.000Z"]);
  });
});
