/**
 * The parts of a Pulumi URN, `urn:pulumi:<stack>::<project>::<parent type>$…$<type>::<name>`. A
 * resource's name may itself hold `::`: the engine's `URN.Name()` is everything from the third
 * `::` on (pulumi sdk/go/common/resource/urn/urn.go). Imports nothing, so the commands that read
 * previews use it too.
 */
export interface UrnParts {
  /** `urn:pulumi:<stack>::<project>`. */
  prefix: string;
  /** The stack's name. */
  stack: string;
  /** The type chain: the parents' types, then the resource's own, last. */
  types: string[];
  /** The resource's name in the program. */
  name: string;
}

export function urnParts(urn: string): UrnParts {
  const parts = urn.split("::");
  return {
    prefix: parts.slice(0, 2).join("::"),
    stack: parts[0].slice("urn:pulumi:".length),
    types: parts[2]?.split("$") ?? [],
    // Not a URN of four parts: its last part, as a name of no `::` reads.
    name: parts.length >= 4 ? parts.slice(3).join("::") : (parts.at(-1) ?? urn),
  };
}

/** The resource's Pulumi name, for messages. */
export const resourceNameOfUrn = (urn: string | undefined): string | undefined => (urn === undefined ? undefined : urnParts(urn).name);

/** The resource's own type token: the last of its URN's type chain. */
export const typeOfUrn = (urn: string): string => urnParts(urn).types.at(-1) ?? "";
