/**
 * The provider's configuration as a plugin receives it: the `googlechat:` settings of
 * core/settings.ts, each one an argument of the provider resource (the default provider's come
 * from the stack's `googlechat:` config, an explicit provider's from its registration).
 *
 * Values arrive typed as the program wrote them, or as text: stack config reaches the default
 * provider as strings, and the Node.js and Python SDKs send every non-string provider input as
 * JSON text (pulumi/pulumi pkg/resource/deploy/target.go; pkg/codegen/nodejs/gen.go). Either
 * way the settings read text, as they read the stack config and the environment, so `true`,
 * `"true"`, `2` and `"2"` mean the same, by the provider's own rules (settings.ts).
 */

import { type DetailedDiff, hasUnknown, UNKNOWN } from "../core/engine-values";
import { GOOGLE_RATE_LIMITS } from "../core/rate-limiter";
import { CONFIG_KEYS, type ConfigKeySpec, type ConfigSource, resolveSettings, SettingError } from "../core/settings";

/** Every setting a provider takes, as its argument's name (the config key without `googlechat:`). */
export const SETTING_KEYS: readonly string[] = [
  "credentials",
  "auth",
  "impersonateUser",
  "impersonateServiceAccount",
  "iamCredentialsEndpoint",
  "useAdminAccess",
  "apiEndpoint",
  "tokenEndpoint",
  "selfSignedJwt",
  "retryDeadlineSeconds",
  "requestTimeoutSeconds",
  ...Object.keys(GOOGLE_RATE_LIMITS),
];

/**
 * The settings that are secrets (settings.ts CONFIG_KEYS): CheckConfig answers them as secrets,
 * so the engine keeps them encrypted in the provider's state entry however the stack config or
 * the program gave them (it keeps a secret the answer marks: pulumi/pulumi
 * sdk/go/common/resource/plugin/provider_plugin.go, CheckConfig's KeepSecrets).
 */
export const SECRET_SETTING_KEYS: readonly string[] = Object.entries(CONFIG_KEYS as Record<string, ConfigKeySpec<unknown>>)
  .filter(([, spec]) => spec.secret === true)
  .map(([key]) => key);

/**
 * Inputs the engine itself adds to a provider resource: a pinned plugin `version` and
 * `pluginDownloadURL` (pkg/resource/deploy/providers/registry.go). Not settings.
 */
const ENGINE_INPUTS = ["version", "pluginDownloadURL"];

/** One failure of a provider's configuration: the argument at fault, and what to do. */
export interface ConfigFailure {
  /**
   * The argument at fault; empty for a secret one, which the reason names: the engine prints a
   * named property's value beside the reason, and a secret's only where the config marked it
   * secret (pkg/resource/deploy/step_generator.go issueCheckFailures).
   */
  readonly property: string;
  readonly reason: string;
}

/** An argument's value as the settings read it: text; undefined when not set. */
function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "boolean" || typeof value === "number") return String(value);
  return JSON.stringify(value);
}

/** The settings' config source (`googlechat:<key>` to text) over a provider's arguments. */
export function configSourceOf(args: Readonly<Record<string, unknown>>): ConfigSource {
  return (key) => {
    const name = key.startsWith("googlechat:") ? key.slice("googlechat:".length) : undefined;
    return name !== undefined && SETTING_KEYS.includes(name) ? textOf(args[name]) : undefined;
  };
}

/**
 * CheckConfig: every argument a setting, and the settings valid by the provider's own rules
 * (settings.ts resolveSettings), each failure naming the argument. Arguments not known yet (a
 * preview's) are checked by name only: the rules between settings wait for their values.
 * `env`: what the settings fall back on (the environment of the provider's process).
 */
export function checkConfig(args: Readonly<Record<string, unknown>>, env: Record<string, string | undefined>): ConfigFailure[] {
  const unknownKeys = Object.keys(args).filter((key) => !SETTING_KEYS.includes(key) && !ENGINE_INPUTS.includes(key));
  const failures = unknownKeys.map((key) => ({
    property: key,
    reason: `unknown setting "${key}": the googlechat provider takes ${SETTING_KEYS.join(", ")}.`,
  }));
  if (failures.length > 0 || hasUnknown(args)) return failures;
  try {
    resolveSettings(configSourceOf(args), env);
    return [];
  } catch (error) {
    if (error instanceof SettingError) return [{ property: SECRET_SETTING_KEYS.includes(error.key) ? "" : error.key, reason: error.message }];
    return [{ property: "", reason: error instanceof Error ? error.message : String(error) }];
  }
}

/**
 * DiffConfig: the settings whose text changed. Never a replacement: the engine would replace
 * every resource of the provider (pkg/resource/deploy/step_generator.go), and a setting only
 * changes how the provider calls Google. An unknown argument is a change.
 */
export function diffConfig(olds: Readonly<Record<string, unknown>>, news: Readonly<Record<string, unknown>>): DetailedDiff {
  const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter((key) => !ENGINE_INPUTS.includes(key)).sort();
  const diff: DetailedDiff = {};
  for (const key of keys) {
    const before = textOf(olds[key]);
    const after = textOf(news[key]);
    if (before === after && after !== UNKNOWN) continue;
    diff[key] = before === undefined ? "add" : after === undefined ? "delete" : "update";
  }
  return diff;
}

/**
 * The environment the settings fall back on: the process's, without the stack config the engine also puts there
 * (`PULUMI_CONFIG`), which the plugin never reads.
 */
export function settingsEnvironment(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const { PULUMI_CONFIG: _config, ...rest } = env;
  return rest;
}
