/**
 * The package schema the plugin serves (GetSchema): its resources, function, types and provider
 * configuration under the `googlechat:index:` tokens of provider/tokens.ts. The engine's schema
 * loader types a YAML program with it, and SDK generators read it.
 */
import schema from "./schema.json";

/** The schema as the engine receives it: JSON text. */
export const SCHEMA_TEXT = JSON.stringify(schema);

/** The output properties of each resource, by plugin token: what a preview leaves unknown where no input says it. */
export function outputPropertiesOf(token: string): string[] {
  const resource = (schema.resources as Record<string, { properties?: Record<string, unknown> }>)[token];
  return Object.keys(resource?.properties ?? {});
}

/** The input properties of each resource, by plugin token: what a program declares, and all an import records as its inputs. */
export function inputPropertiesOf(token: string): string[] {
  const resource = (schema.resources as Record<string, { inputProperties?: Record<string, unknown> }>)[token];
  return Object.keys(resource?.inputProperties ?? {});
}
