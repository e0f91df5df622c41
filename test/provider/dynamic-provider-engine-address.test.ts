/**
 * core/engine-log.ts `dynamicProviderEngineAddress`: the key of the deployment the dynamic-provider
 * host shares member claims under (core/deployment-share.ts). The engine starts every plugin,
 * the dynamic-provider host included, with its own flags before the address when the user runs
 * `pulumi up --logflow --logtostderr -v=9` or `pulumi up --tracing <endpoint>` (pulumi/pulumi
 * sdk/go/common/resource/plugin/plugin.go `buildPluginArguments`: flags first, then the plugin's
 * arguments, the engine's address last). The host must still find the address, or it shares no
 * claim with the plugin processes of its deployment, and a member moved between a dynamic
 * resource and a plugin resource is removed by the old resource's delete.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engineAddressArgument } from "../../provider/core/engine-address";

const REPO = join(__dirname, "../..");
const ADDRESS = "127.0.0.1:45678";

describe("provider: the dynamic-provider host finds its engine's address", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "dynhost-"));
    // A script at the path Pulumi's dynamic-provider host has (…/dynamic-provider/index.js), as require.main.
    mkdirSync(join(dir, "dynamic-provider"));
    writeFileSync(
      join(dir, "dynamic-provider", "index.js"),
      `require(${JSON.stringify(join(REPO, "node_modules/ts-node/register/transpile-only"))});\n` +
        `const { dynamicProviderEngineAddress } = require(${JSON.stringify(join(REPO, "provider/core/engine-log.ts"))});\n` +
        "process.stdout.write(String(dynamicProviderEngineAddress()));\n",
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** What the host takes as its engine's address, started with `args`. */
  const addressWith = (args: string[]): string => {
    const run = spawnSync(process.execPath, [join(dir, "dynamic-provider", "index.js"), ...args], { encoding: "utf8", cwd: REPO });
    assert.equal(run.status, 0, run.stderr);
    return run.stdout;
  };

  it("started with the address alone", () => {
    assert.equal(addressWith([ADDRESS]), ADDRESS);
  });

  it("started by `pulumi up --logflow --logtostderr -v=9`: the engine's flags come before the address", () => {
    assert.equal(addressWith(["--logtostderr", "-v=9", ADDRESS]), ADDRESS);
  });

  it("started by `pulumi up --tracing <endpoint>`: the tracing flag and its endpoint come before the address", () => {
    assert.equal(addressWith(["--tracing", "file:/tmp/up.trace", ADDRESS]), ADDRESS);
  });
});

describe("provider: the engine's address, one home for the plugin and the dynamic-provider host", () => {
  it("is the last argument, after the engine's flags; none without arguments", () => {
    assert.equal(engineAddressArgument([ADDRESS]), ADDRESS);
    assert.equal(engineAddressArgument(["--logtostderr", "-v=9", ADDRESS]), ADDRESS);
    assert.equal(engineAddressArgument(["--tracing", "file:/tmp/up.trace", ADDRESS]), ADDRESS);
    assert.equal(engineAddressArgument([]), undefined);
  });
});
