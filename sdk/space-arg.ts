/**
 * The `space` argument of {@link ChatMembership} and {@link ChatSpaceMembers}, and what each
 * sends for it.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ChatSpace } from "./chat-space";

/** A space: a ChatSpace of the program (best), or a space's name `spaces/{space}` (a ChatSpace's `id` or `name` output, or text). */
export type SpaceArg = pulumi.Input<string> | ChatSpace;

/**
 * The space's name as a membership or roster sends it: a ChatSpace's `id` (which is its
 * `spaces/{space}`), else the value given.
 *
 * The id, not the `name` output: the engine keeps an existing resource's id through an in-place
 * update (only a replacement changes it), so a preview knows it whenever the space is kept, while
 * an output such as `name` is unknown in the preview of any in-place change of the space. A
 * roster given `eng.name` was planned as a replacement (its space unknown, possibly another) on
 * every edit of its space: the plan summary said it removes every member, and `pulumi up --plan`
 * failed after the space's PATCH was applied ("expected resource operations ... but none were
 * seen": the space was the same, so the roster had nothing to replace).
 */
export function spaceIdOf(space: SpaceArg): pulumi.Input<string> {
  return space instanceof ChatSpace ? space.id : space;
}
