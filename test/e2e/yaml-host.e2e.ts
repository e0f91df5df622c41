import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { filesUnder, useEngine } from "./harness";

/** A Pulumi YAML program with no provider: a config value, a secret and outputs computed from them. */
const PROGRAM = `name: yaml-host
runtime: yaml
config:
  greeting:
    type: string
  token:
    type: string
    secret: true
variables:
  message: \${greeting}, world
outputs:
  message: \${message}
  project: \${pulumi.project}
  token: \${token}
`;

/**
 * The YAML language host that scripts/ensure-pulumi builds (pulumi-language-yaml) runs a
 * `runtime: yaml` program through the real CLI, offline, against a file:// backend.
 */
describe("e2e: a Pulumi YAML program through the CLI and the YAML language host", () => {
  let home: string;
  let program: string;
  const pulumi = (...args: string[]) => {
    const run = spawnSync("pulumi", [...args, "--non-interactive"], {
      cwd: program,
      encoding: "utf8",
      env: {
        PATH: process.env.PATH,
        HOME: home,
        PULUMI_HOME: join(home, "pulumi-home"),
        PULUMI_BACKEND_URL: `file://${join(home, "state")}`,
        PULUMI_CONFIG_PASSPHRASE: "yaml-host",
        PULUMI_SKIP_UPDATE_CHECK: "true",
      },
    });
    assert.equal(run.status, 0, `pulumi ${args.join(" ")}:\n${run.stdout}\n${run.stderr}`);
    return `${run.stdout}${run.stderr}`;
  };
  before(() => {
    useEngine();
    home = mkdtempSync(join(tmpdir(), "chatspace-yaml-"));
    program = join(home, "program");
    mkdirSync(program);
    mkdirSync(join(home, "state"));
    writeFileSync(join(program, "Pulumi.yaml"), PROGRAM);
  });

  it("up creates the stack with its outputs, preview then finds no change, destroy deletes it", () => {
    pulumi("stack", "init", "dev");
    pulumi("config", "set", "greeting", "hi");
    pulumi("config", "set", "--secret", "token", "yaml-host-token");

    const up = pulumi("up", "--yes");
    // The CLI took the host beside itself (no "using pulumi-language-yaml from $PATH" warning).
    assert.doesNotMatch(up, /pulumi-language-yaml/);
    assert.deepEqual(JSON.parse(pulumi("stack", "output", "--json", "--show-secrets")), {
      message: "hi, world",
      project: "yaml-host",
      token: "yaml-host-token",
    });
    assert.deepEqual(JSON.parse(pulumi("stack", "output", "--json")).token, "[secret]");
    const state = filesUnder(join(home, "state"));
    assert.match(state, /"ciphertext"/, "the secret output is stored encrypted");
    assert.doesNotMatch(`${state}${readFileSync(join(program, "Pulumi.dev.yaml"), "utf8")}`, /yaml-host-token/, "the secret in plain text");

    const preview = JSON.parse(pulumi("preview", "--expect-no-changes", "--json"));
    assert.deepEqual(preview.changeSummary, { same: 1 });

    pulumi("destroy", "--yes");
    const [destroy, create] = JSON.parse(pulumi("stack", "history", "--json"));
    assert.deepEqual([create.kind, create.result, create.resourceChanges], ["update", "succeeded", { create: 1 }]);
    assert.deepEqual([destroy.kind, destroy.result, destroy.resourceChanges], ["destroy", "succeeded", { delete: 1 }]);
    assert.deepEqual(JSON.parse(pulumi("stack", "export")).deployment.resources ?? [], []);
  });
});
