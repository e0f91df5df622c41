/** Preview states as `pulumi preview --json --show-sames` gives them, for tests of the plan summary's claims beside the providers'. */
import type { ResourceState } from "../../commands/plan/preview-json";
import { dynamicToken, kindOfToken } from "../../provider/tokens";
import { membershipUrn } from "./membership-helpers";
import { rosterUrn } from "./space-members-helpers";

/** Which of this package's resources a type token is, as the plan command reads it. */
export const kinds = (type: string) => kindOfToken(type) ?? "other";

/** A ChatMembership's state named `name`: its inputs, and, once created, its id and outputs. */
export const mState = (name: string, inputs: object, id?: string, outputs?: object): ResourceState => ({
  urn: membershipUrn(name),
  type: dynamicToken("membership"),
  inputs: inputs as Record<string, unknown>,
  ...(outputs ? { id, outputs: outputs as Record<string, unknown> } : {}),
});

/** A ChatSpaceMembers' state named `name`: its inputs, and, once created, its id and outputs. */
export const rState = (name: string, inputs: object, id?: string, outputs?: object): ResourceState => ({
  urn: rosterUrn(name),
  type: dynamicToken("roster"),
  inputs: inputs as Record<string, unknown>,
  ...(outputs ? { id, outputs: outputs as Record<string, unknown> } : {}),
});
