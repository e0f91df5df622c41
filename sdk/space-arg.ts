/**
 * The `space` argument of {@link ChatMembership} and {@link ChatSpaceMembers}, and what each
 * sends for it.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ChatSpace, deletesSpaceInChat } from "./chat-space";

/** A space: a ChatSpace of the program (best), or a space's name `spaces/{space}` (a ChatSpace's `id` or `name` output, or text). */
export type SpaceArg = pulumi.Input<string> | ChatSpace;

/**
 * The space's name as a membership or roster sends it: a ChatSpace's `id` (which is its
 * `spaces/{space}`), else the value given.
 *
 * The id, not the `name` output: the engine keeps an existing resource's id through an in-place
 * update (only a replacement changes it), so a preview knows it whenever the space is kept, while
 * an output such as `name` is unknown in the preview of any in-place change of the space. Given
 * `eng.name`, a roster previews as a replacement (its space unknown, possibly another) on every
 * edit of its space: the plan summary says it removes every member (and, beside it, what the
 * update the `up` then makes removes), and `pulumi up --plan` fails once the space's PATCH is
 * applied ("expected resource operations ... but none were seen": the space is the same, so the
 * roster has nothing to replace).
 */
export function spaceIdOf(space: SpaceArg): pulumi.Input<string> {
  return space instanceof ChatSpace ? space.id : space;
}

/**
 * The resource options of a membership or roster of `space`: the program's, with Pulumi's
 * `deletedWith: space` added when `space` is a ChatSpace whose delete deletes the space in Chat
 * ({@link deletesSpaceInChat}), unless the program gave `deletedWith` itself (`deletedWith:
 * undefined` included, which deletes each member on its own).
 *
 * Why: Google deletes a space's memberships with it (v1.d.ts `spaces.delete`: "Always performs a
 * cascading delete ... memberships in the space—are also deleted"). Removing each member first
 * costs a call each, and can't always be done: the space's last owner can't be removed, and a
 * historical membership's removal asks for `chat.import`, which serves import-mode spaces only
 * (v1.d.ts `members.delete`). Either refusal left the space itself undeleted.
 *
 * What the engine does with it (pulumi/pulumi v3.274.1, pkg/resource/deploy):
 * - step.go `DeleteStep.Apply`: a delete skips the provider's Delete when the resource it is
 *   deletedWith is among the deployment's deletions (`isDeletedWith`): on `pulumi destroy`, or
 *   when the space and its memberships leave the program together, the membership leaves the
 *   state without a call, and the space's one DELETE removes its members. Any delete step of the
 *   space counts, even one that deletes nothing in Chat, hence no default for a space read with
 *   ChatSpace.get or with `retainOnDelete`: its members are removed one by one, as before.
 * - A membership removed from the program while its space stays is deleted on its own (one
 *   members.delete), as before.
 * - step_generator.go: a resource whose deletedWith resource is replaced is replaced too. A
 *   replaced space's memberships are replaced with it (its new id would replace them anyway):
 *   the old ones go with the old space, without a members.delete, and the new ones are added to
 *   the new space.
 * - Dependents are deleted before what they depend on: a membership whose delete is skipped has
 *   left the state when its space's delete runs. Should that delete fail, the members are still
 *   in the space, and the next `up` takes each over (ALREADY_EXISTS) instead of adding it.
 */
export function deletedWithSpace(space: SpaceArg, opts: pulumi.CustomResourceOptions): pulumi.CustomResourceOptions {
  if ("deletedWith" in opts || !(space instanceof ChatSpace) || !deletesSpaceInChat(space)) return opts;
  return { ...opts, deletedWith: space };
}
