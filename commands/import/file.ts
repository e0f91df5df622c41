/**
 * The resources file `pulumi import --file` takes: `{"nameTable"?, "resources": [{"type",
 * "name", "id", "parent"?, "logicalName"?, "inputs"?, "outputs"?}]}`
 * (https://www.pulumi.com/docs/iac/cli/commands/pulumi_import/; the engine's reader is
 * pulumi/pulumi pkg/cmd/pulumi/operations/import.go `importFile`, `importSpec`), for the provider
 * plugin's types (provider/tokens.ts). The engine imports each one with the plugin's Read and
 * Check (never Create, Update or Delete), or, for an entry with `outputs`, from those values with
 * no Read at all (pkg/resource/deploy/step.go `ImportStep.Apply`).
 */

import { RESOURCES } from "../../provider/tokens";
import { namedDeclarations, rosterName, type SpaceDeclaration } from "./declaration";

/** One resource to import. */
export interface ImportSpec {
  /** The plugin's type token, `googlechat:index:<Name>`. */
  readonly type: string;
  /** Its name in the file and in the code `pulumi import` generates; unique in the file. */
  readonly name: string;
  /** The resource's name in its URN, where it is not `name`. */
  readonly logicalName?: string;
  /** What the plugin's Read takes (`spaces/{space}`, `spaces/{space}/members/{member}`). */
  readonly id: string;
  /** The `name` of its parent, in this file or in `nameTable`; none: the stack. */
  readonly parent?: string;
  /** The inputs to record, in the state's serialized form: the engine keeps them instead of Read's. */
  readonly inputs?: Record<string, unknown>;
  /** The outputs to record, in the state's serialized form: the engine then skips Read. */
  readonly outputs?: Record<string, unknown>;
}

/** The whole file. */
export interface ImportFile {
  /** Names of resources already in the stack (parents) to their URNs. */
  readonly nameTable?: Record<string, string>;
  readonly resources: ImportSpec[];
}

/** The file's text: JSON, two-space indented, one final newline. */
export function importFileText(file: ImportFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * The import of the spaces found: each declared space as a `googlechat:index:Space`, named as the
 * TypeScript program names it, and unless `spacesOnly` its roster, a `googlechat:index:SpaceMembers`
 * `<name>-members` of the same id. The plugin reads each one as it imports it (one GET, one
 * member listing) and declares it as it is, as the program would: nothing is listed here.
 */
export function liveImportFile(spaces: readonly SpaceDeclaration[], spacesOnly: boolean): ImportFile {
  const resources = namedDeclarations(spaces).flatMap(({ space, name }): ImportSpec[] => [
    { type: RESOURCES.space.plugin, name, id: space },
    ...(spacesOnly ? [] : [{ type: RESOURCES.roster.plugin, name: rosterName(name), id: space }]),
  ]);
  return { resources };
}
