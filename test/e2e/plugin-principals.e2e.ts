/**
 * Two providers of the plugin in one stack act as two principals: examples/yaml's default
 * provider, configured by the stack as a user (a service account's domain-wide delegation,
 * googlechat:impersonateUser), and its explicit `pulumi:providers:googlechat` as the Chat app
 * (auth: app), here with another service account's key. The emulator records the principal of
 * every request it answers (emulator/control/request-log.ts `principal`: `user:<id>` or `app:<email>`):
 * each call is made by the provider of the resource it is for. Neither key, nor any token the
 * emulator issued, reaches the state, its checkpoints or the engine's `-v=9` log.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isChatApiCall, type ServiceAccountKey } from "../../emulator";
import { logMark } from "../helpers/provider";
import { assertNoSecrets, type EmulatorProcess, filesUnder, REPO, secretsOf, startEmulatorProcess, useEngine } from "./harness";
import { pluginFolder } from "./plugin-folder";

/** The administrator the default provider acts as (emulator/model.ts DEFAULT_SETTINGS). */
const ADMIN = "user:110000000000000000001";

describe("e2e: two providers of the plugin in one stack, two principals", function () {
  this.timeout(600_000);
  let emulator: EmulatorProcess;
  // The emulator keeps its data in a file, so the test can read every token it issued.
  const dataFile = join(mkdtempSync(join(tmpdir(), "principals-emulator-")), "emulator.json");
  before(async () => {
    useEngine();
    emulator = await startEmulatorProcess(dataFile);
  });
  after(() => emulator?.stop());

  it("examples/yaml: the default provider's calls are the user's, the explicit provider's the app's; no key or token in the state, its checkpoints or a -v=9 log", async () => {
    const userKey = await emulator.control.serviceAccount();
    const appKey: ServiceAccountKey = await emulator.control.serviceAccount({ name: "chat-app" });
    assert.notEqual(appKey.client_email, userKey.client_email);
    const app = `app:${appKey.client_email}`;

    const home = mkdtempSync(join(tmpdir(), "chatspace-principals-"));
    const folder = pluginFolder(home, "yaml", "googlechat-yaml");
    // The example as it is, the plugin from this repository instead of an installed package.
    const example = readFileSync(join(REPO, "examples/yaml/Pulumi.yaml"), "utf8");
    const program = example.replace(/^packages:\n {2}googlechat: .*$/m, `packages:\n  googlechat: ${join(REPO, "bin")}`);
    assert.notEqual(program, example);
    writeFileSync(join(folder.dir, "Pulumi.yaml"), program);
    await folder.pulumi("stack", "init", "dev");
    await folder.setConfig("googlechat:credentials", JSON.stringify(userKey), true);
    await folder.setConfig("appCredentials", JSON.stringify(appKey), true);
    await folder.setConfig("googlechat:apiEndpoint", emulator.url);
    await folder.setConfig("googlechat:tokenEndpoint", emulator.tokenUrl);
    await folder.setConfig("googlechat:impersonateUser", "admin@example.com");

    // The engine's debug log. Not --logflow, which passes -v=9 on to the language host as well:
    // Pulumi's YAML host then logs every property it sends at level 9, the explicit provider's
    // credentials included (pulumi/pulumi sdk/go/common/resource/plugin/rpc.go MarshalProperties).
    const debug = ["-v=9", "--logtostderr"];
    const logs: string[] = [];
    let mark = await logMark(emulator);
    const up = await folder.attempt(["up", "--yes", "--skip-preview", ...debug]);
    logs.push(up.stdout, up.stderr);
    assert.equal(up.code, 0, up.stdout + up.stderr.slice(-5000));
    const { engineering, alerts } = await folder.json("stack", "output", "--json");
    const spaces = (await emulator.control.state()).spaces as Record<string, { displayName: string; creator: string }>;
    // Who made each space, as Chat records it.
    assert.deepEqual(
      Object.values(spaces)
        .map((s) => [s.displayName, s.creator])
        .sort(),
      [
        ["Engineering", ADMIN],
        ["Production alerts", app],
      ],
    );
    /** Each Chat call since `from` as [principal, method, the space it is for]. */
    const callers = async (from: number) =>
      (await emulator.control.requests(from))
        .filter(isChatApiCall)
        .map((r) => [r.principal, r.rpc, /^\/v1\/(spaces\/[^/:]+)/.exec(r.path)?.[1] ?? "(none)"] as const);
    const created = await callers(mark);
    // One spaces.create each (POST /v1/spaces names no space); every other call is for the user's
    // space and made by the user: its details, its roster's listing and the two members added.
    assert.deepEqual(
      created
        .filter(([, rpc]) => rpc === "spaces.create")
        .map(([principal]) => principal)
        .sort(),
      [ADMIN, app].sort(),
    );
    const others = created.filter(([, rpc]) => rpc !== "spaces.create");
    assert.deepEqual(
      others.filter(([principal, , space]) => principal !== ADMIN || space !== engineering),
      [],
      "every other call is the user's, for the user's space",
    );
    assert.equal(others.filter(([, rpc]) => rpc === "spaces.members.create").length, 2, "alice and bob added");

    // destroy: each space deleted by its own provider's principal (app auth deletes only the spaces it created).
    mark = await logMark(emulator);
    const destroy = await folder.attempt(["destroy", "--yes", "--skip-preview", ...debug]);
    logs.push(destroy.stdout, destroy.stderr);
    assert.equal(destroy.code, 0, destroy.stdout + destroy.stderr.slice(-5000));
    const deletes = (await callers(mark)).filter(([, rpc]) => rpc === "spaces.delete");
    assert.deepEqual(
      deletes.map(([principal, , space]) => [space, principal]).sort(),
      [
        [alerts, app],
        [engineering, ADMIN],
      ].sort(),
    );

    // No credential anywhere: both keys, and every access token the emulator issued to either.
    const secrets = [...secretsOf(userKey, undefined, dataFile), ...secretsOf(appKey)];
    const issued = Object.keys(JSON.parse(readFileSync(dataFile, "utf8")).accessTokens ?? {});
    assert.ok(issued.length >= 2, "tokens were issued to both principals, so there was something to leak");
    const log = logs.join("");
    assert.ok(log.length > 50_000, `the -v=9 log was captured (${log.length} bytes)`);
    assertNoSecrets("the -v=9 log", log, secrets);
    const state = filesUnder(join(home, "state"));
    assertNoSecrets("the state's checkpoints, backups and history", state, secrets);
    assertNoSecrets("the exported state", JSON.stringify(await folder.json("stack", "export")), secrets);
    assert.match(state, /"ciphertext"/, "the two keys are kept encrypted");
  });
});
