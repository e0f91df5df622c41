/**
 * Provider plugins as the bench runs them: installed into a PULUMI_HOME's plugin cache as a user
 * installs a plugin alone (`pulumi plugin install --file`), and declared by an inline TypeScript
 * program as a generated Node.js SDK declares them: a `pulumi.CustomResource` of the schema's
 * token, its outputs registered as undefined, the plugin's version in its options. The engine
 * starts a plugin from the cache in the program's folder, where it resolves this package
 * (bin/pulumi-resource-googlechat) and @pulumi/pulumi.
 *
 * Two plugins: `pulumi-resource-googlechat`, this package's; and the bench's do-nothing plugin
 * (floor-plugin/), the floor of a provider plugin written in Node.js.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { outputPropertiesOf } from "../provider/plugin/package-schema";
import { PACKAGE, RESOURCES } from "../provider/tokens";
import { REPO } from "../test/e2e/harness";

/** This package's version: its plugin's, as a generated SDK pins it. */
export const PLUGIN_VERSION: string = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version;

/** The do-nothing plugin: its package, version and one resource type. */
const FLOOR = { package: "benchfloor", version: "0.0.1", token: "benchfloor:index:Nothing" } as const;

/** Installs a resource plugin's executable into the plugin cache of `home`/pulumi-home (inlineStack's PULUMI_HOME for that home). */
function install(home: string, name: string, version: string, file: string): void {
  execFileSync("pulumi", ["plugin", "install", "resource", name, version, "--file", file], {
    env: { ...process.env, PULUMI_HOME: join(home, "pulumi-home") },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/** Installs this package's plugin and the do-nothing plugin for the stacks of `home`. */
export function installPlugins(home: string): void {
  install(home, PACKAGE, PLUGIN_VERSION, join(REPO, "bin", `pulumi-resource-${PACKAGE}`));
  install(home, FLOOR.package, FLOOR.version, join(__dirname, "floor-plugin", `pulumi-resource-${FLOOR.package}`));
}

/**
 * A resource's registered properties as a generated Node.js SDK sends them: every output of the
 * schema as undefined, then the inputs; and its options, with the plugin's version.
 */
function registration(token: string, inputs: pulumi.Inputs, opts: pulumi.CustomResourceOptions = {}): [pulumi.Inputs, pulumi.CustomResourceOptions] {
  const outputs = Object.fromEntries(outputPropertiesOf(token).map((key) => [key, undefined]));
  return [
    { ...outputs, ...inputs },
    { version: PLUGIN_VERSION, ...opts },
  ];
}

/**
 * A `googlechat:index:Space`. Each class extends pulumi.CustomResource itself, as a generated
 * SDK's does (and the TypeScript SDK's): the stack trace the state keeps has one frame of it.
 */
export class PluginSpace extends pulumi.CustomResource {
  constructor(name: string, inputs: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(RESOURCES.space.plugin, name, ...registration(RESOURCES.space.plugin, inputs, opts));
  }
}

/**
 * A `googlechat:index:Membership` of `space`, given its id and deleted with it, as the TypeScript
 * SDK's ChatMembership given its ChatSpace is (sdk/space-arg.ts): both servings' entries then
 * hold the same engine fields.
 */
export class PluginMembership extends pulumi.CustomResource {
  constructor(name: string, space: PluginSpace, inputs: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(RESOURCES.membership.plugin, name, ...registration(RESOURCES.membership.plugin, { ...inputs, space: space.id }, { deletedWith: space, ...opts }));
  }
}

/** A resource of the do-nothing plugin. */
class NothingPlugged extends pulumi.CustomResource {
  constructor(name: string, index: number) {
    super(FLOOR.token, name, { index }, { version: FLOOR.version });
  }
}

/** `count` resources of the do-nothing plugin: the baseline of a plugin's deployment of as many resources. */
export function pluginFloorProgram(count: number): PulumiFn {
  return async () => {
    for (let i = 0; i < count; i++) new NothingPlugged(`f${i}`, i);
  };
}
