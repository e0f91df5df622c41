/** Small Pulumi programs for the end-to-end suite, run inline. */

import type * as pulumi from "@pulumi/pulumi";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { ChatSpace, type ChatSpaceArgs } from "../../sdk";
import { DYNAMIC, type Serving } from "./servings";

/** One space per entry, declared as `serving` declares it; exports each space's name and URI as `<key>Name` / `<key>Uri`. */
export function spaces(declarations: Record<string, ChatSpaceArgs>, opts: pulumi.CustomResourceOptions = {}, serving: Serving = DYNAMIC): PulumiFn {
  return async () => {
    const outputs: Record<string, pulumi.Output<string>> = {};
    for (const [key, args] of Object.entries(declarations)) {
      const space = serving.space(key, args, opts);
      outputs[`${key}Name`] = space.name;
      outputs[`${key}Uri`] = space.spaceUri;
    }
    return outputs;
  };
}

/** Reads an existing space with ChatSpace.get. */
export function readSpace(id: string): PulumiFn {
  return async () => {
    const space = ChatSpace.get("existing", id);
    return { displayName: space.displayName, spaceUri: space.spaceUri };
  };
}
