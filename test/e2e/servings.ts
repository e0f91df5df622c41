/**
 * The two ways this package serves its resources, for end-to-end tests that run one program
 * under each: a test declares its spaces through a {@link Serving}, and runs once per entry of
 * {@link SERVINGS}.
 *
 * - `dynamic`: the TypeScript SDK's classes (sdk/), Pulumi dynamic resources served by the
 *   dynamic-provider host, configured from the stack's `googlechat:` config.
 * - `plugin`: the provider plugin `pulumi-resource-googlechat` (bin/), its `googlechat:index:*`
 *   resources registered as plain `pulumi.CustomResource`s with the package's version, as a
 *   generated Node.js SDK registers them, and the plugin found by the engine in the Pulumi home's
 *   plugin cache, where `pulumi plugin install --file` puts it. Its default provider takes the
 *   stack's `googlechat:` config (pulumi/pulumi pkg/resource/deploy/providers/registry.go); an
 *   explicit provider its arguments.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { SETTING_KEYS } from "../../provider/plugin/config";
import { outputPropertiesOf } from "../../provider/plugin/package-schema";
import { dynamicToken, PACKAGE, RESOURCES } from "../../provider/tokens";
import { ChatSpace, type ChatSpaceArgs } from "../../sdk";
import { REPO } from "./harness";

export type ServingName = "dynamic" | "plugin";

/** What a test reads of a declared space. */
export interface DeclaredSpace {
  readonly name: pulumi.Output<string>;
  readonly spaceUri: pulumi.Output<string>;
}

/** One way of serving the resources, as a program and a Pulumi home see it. */
export interface Serving {
  readonly name: ServingName;
  /** How a test's title says it: "served <title>". */
  readonly title: string;
  /** The type token the engine records for a space: in its URNs, state and events. */
  readonly spaceType: string;
  /** Declares a space as a program of this serving writes it. */
  space(name: string, args: ChatSpaceArgs, opts?: pulumi.CustomResourceOptions): DeclaredSpace;
  /** Makes the provider findable by the engine that runs with `pulumiHome` as its Pulumi home. */
  install(pulumiHome: string): void;
}

/** The package's version: what a generated SDK pins its resources' plugin to. */
export const PACKAGE_VERSION: string = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).version;

/** The plugin's executable, as the package ships it. */
const PLUGIN_EXECUTABLE = join(REPO, "bin", `pulumi-resource-${PACKAGE}`);

export const DYNAMIC: Serving = {
  name: "dynamic",
  title: "as dynamic resources",
  spaceType: dynamicToken("space"),
  space: (name, args, opts) => new ChatSpace(name, args, opts),
  install: () => {},
};

/**
 * A resource of the plugin, registered as a generated Node.js SDK registers it: the arguments,
 * every output of the schema as undefined (so the engine fills them in), and the plugin's version.
 */
class PluginResource extends pulumi.CustomResource {
  constructor(token: string, name: string, args: object, opts: pulumi.CustomResourceOptions = {}) {
    const outputs = Object.fromEntries(outputPropertiesOf(token).map((key) => [key, undefined]));
    super(token, name, opts.id ? outputs : { ...outputs, ...args }, { version: PACKAGE_VERSION, ...opts });
  }
}

/** A resource of the plugin of type `token` (provider/tokens.ts `RESOURCES`), registered as a generated Node.js SDK registers it. */
export function pluginResource(token: string, name: string, args: object, opts?: pulumi.CustomResourceOptions): pulumi.CustomResource {
  return new PluginResource(token, name, args, opts);
}

export const PLUGIN: Serving = {
  name: "plugin",
  title: "by the provider plugin",
  spaceType: RESOURCES.space.plugin,
  space: (name, args, opts) => new PluginResource(RESOURCES.space.plugin, name, args, opts) as unknown as DeclaredSpace,
  install: (pulumiHome) => {
    if (existsSync(join(pulumiHome, "plugins", `resource-${PACKAGE}-v${PACKAGE_VERSION}`, `pulumi-resource-${PACKAGE}`))) return;
    execFileSync("pulumi", ["plugin", "install", "resource", PACKAGE, PACKAGE_VERSION, "--file", PLUGIN_EXECUTABLE], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PULUMI_HOME: pulumiHome, PULUMI_SKIP_UPDATE_CHECK: "true" },
      stdio: ["ignore", "ignore", "pipe"],
    });
  },
};

/** Both servings, the dynamic one first. */
export const SERVINGS: readonly Serving[] = [DYNAMIC, PLUGIN];

/**
 * An explicit provider of the plugin, as a generated SDK's `Provider` registers it: `credentials`
 * a secret, every other argument as given.
 */
export class PluginProvider extends pulumi.ProviderResource {
  /** `plainCredentials`: the credentials as given, not made a secret, as a registration that bypasses such an SDK (a YAML program's `fn::readFile`) sends them. */
  constructor(name: string, args: Record<string, pulumi.Input<string>>, options: { plainCredentials?: boolean } = {}) {
    const inputs = Object.fromEntries(
      Object.entries(args).map(([key, value]) => [key, key === "credentials" && !options.plainCredentials ? pulumi.secret(value) : value]),
    );
    super(PACKAGE, name, inputs, { version: PACKAGE_VERSION });
  }

  /** An explicit provider given every setting the stack's `googlechat:` config sets, as a program passes them on. */
  static fromStackConfig(name: string, options: { plainCredentials?: boolean } = {}): PluginProvider {
    const config = new pulumi.Config(PACKAGE);
    const args: Record<string, pulumi.Input<string>> = {};
    for (const key of SETTING_KEYS) {
      const value = key === "credentials" && !options.plainCredentials ? config.getSecret(key) : config.get(key);
      if (value !== undefined) args[key] = value;
    }
    return new PluginProvider(name, args, options);
  }
}
