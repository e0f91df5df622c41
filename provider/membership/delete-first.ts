/**
 * What a ChatMembership's delete-first replacement carries from its delete to its create, in one
 * provider process: the role the member had when the delete removed her.
 *
 * The diff replaces a membership delete-first when only its import-mode times change (identity.ts
 * `deletesBeforeReplacing`: Google sets them only on a new membership, and a space holds one
 * membership per member). The engine then deletes the old membership and creates the new one,
 * one step after the other, in the process that diffed it (pulumi/pulumi
 * pkg/resource/deploy/step_generator.go: a `DeleteReplacementStep`, then a
 * `CreateReplacementStep`). Neither step is given what the other knows: a provider's delete gets the
 * membership's id and old state (`dynamic.ResourceProvider.delete`), its create only the new inputs
 * (pkg/resource/plugin/provider.go `CreateRequest`). The member's role may have been raised in Chat since the state was read,
 * which the preview could not show; the delete reads it, and the create gives it back, as a
 * create-first replacement's create does (provider.ts `recreated`).
 *
 * It is kept in memory only: should the update stop between the two steps, the engine records the
 * old resource as `PendingReplacement` (step.go `DeleteStep.Apply`) and the next update only
 * creates, in a new process, which does not know the role. The delete says it in the log instead.
 */
import type { ChatMembershipInputs } from "./types";

/** A delete-first replacement the diff planned: the resource whose create follows the delete, and what it declares. */
export interface PlannedReplacement {
  /** The resource's URN: its create takes what the delete carried by it. */
  readonly urn: string;
  /** The new declaration. */
  readonly declared: ChatMembershipInputs;
}

/** What a delete carried to its resource's create: the membership it removed, and her role then. */
export interface CarriedRole {
  /** The membership's name: made again for the same member, it keeps it. */
  readonly name: string;
  readonly role: string;
}

/** The delete-first replacements of one process's ChatMemberships, from their diff through their delete to their create. */
export class DeleteFirstReplacements {
  /** By the replaced membership's name (the delete's id). */
  private readonly planned = new Map<string, PlannedReplacement>();
  /** By the resource's URN. */
  private readonly carried = new Map<string, CarriedRole>();

  /** The diff of `id` replaces it delete-first (`replacement`), or not (undefined). */
  diffed(id: string, replacement: PlannedReplacement | undefined): void {
    if (replacement) this.planned.set(id, replacement);
    else this.planned.delete(id);
  }

  /** The replacement whose delete of `id` runs now, if the diff planned one; asked once. */
  deleting(id: string): PlannedReplacement | undefined {
    const planned = this.planned.get(id);
    this.planned.delete(id);
    return planned;
  }

  /** The delete of a planned replacement removed the membership `name`, whose member had `role`. */
  removed(urn: string, name: string, role: string): void {
    this.carried.set(urn, { name, role });
  }

  /** What the delete of the resource `urn` carried to its create; taken once. */
  creating(urn: string | undefined): CarriedRole | undefined {
    if (!urn) return undefined;
    const carried = this.carried.get(urn);
    this.carried.delete(urn);
    return carried;
  }
}
