/**
 * What a ChatMembership's delete-first replacement carries from its delete to its create: the role
 * the member had when the delete removed her.
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
 * The three steps may run in two provider processes: a resource moved to another provider instance
 * in the same update is diffed and created under the instance the program declares now
 * (step_generator.go `providerChanged`: a `DiffConfig` that asks no replacement leaves the
 * resource's diff to the new provider), and deleted under the one its old state names (step.go
 * `DeleteStep.Apply`: `s.Provider()` is the old state's). So the plan and the role also go through
 * the deployment share (core/deployment-share.ts): the diff publishes the plan, by the old
 * membership's name; the delete in another process takes it from there, and publishes the role
 * it read; the create takes that. A record holds a membership's name, its resource's URN, its
 * declaration and a role: never a credential.
 *
 * Nothing outlives the deployment: should the update stop between the two steps, the engine records
 * the old resource as `PendingReplacement` (step.go `DeleteStep.Apply`) and the next update only
 * creates, in a new deployment, which does not know the role. The delete says it in the log instead.
 */
import type { ProviderDeps } from "../core/configured-provider";
import { readersOf, type SharedRecords } from "../core/share-readers";
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

/** What one provider process tells the deployment's others of a delete-first replacement: its plan (the diff's), or the role its delete read. */
type DeleteFirstRecord =
  | { readonly deleteFirstPlanned: { readonly name: string } & PlannedReplacement }
  | { readonly deleteFirstRemoved: { readonly urn: string } & CarriedRole };

/** The delete-first replacements of one process's ChatMemberships, from their diff through their delete to their create. */
export class DeleteFirstReplacements {
  /** By the replaced membership's name (the delete's id). */
  private readonly planned = new Map<string, PlannedReplacement>();
  /** By the resource's URN. */
  private readonly carried = new Map<string, CarriedRole>();

  /** `share`: the deployment's other provider processes (none outside an engine). */
  constructor(private readonly share?: SharedRecords) {}

  /** The diff of `id` replaces it delete-first (`replacement`), or not (undefined); a plan is told to the deployment's other processes. */
  diffed(id: string, replacement: PlannedReplacement | undefined): void {
    if (!replacement) {
      this.planned.delete(id);
      return;
    }
    this.planned.set(id, replacement);
    this.share?.publish({ deleteFirstPlanned: { name: id, urn: replacement.urn, declared: replacement.declared } } satisfies DeleteFirstRecord);
  }

  /** The replacement whose delete of `id` runs now, if a diff of this deployment planned one; asked once. */
  deleting(id: string): PlannedReplacement | undefined {
    this.takeShared();
    const planned = this.planned.get(id);
    this.planned.delete(id);
    return planned;
  }

  /** The delete of a planned replacement removed the membership `name`, whose member had `role`: told to the process that creates it too. */
  removed(urn: string, name: string, role: string): void {
    this.carried.set(urn, { name, role });
    this.share?.publish({ deleteFirstRemoved: { urn, name, role } } satisfies DeleteFirstRecord);
  }

  /** What the delete of the resource `urn`, in this process or another of the deployment, carried to its create; taken once. */
  creating(urn: string | undefined): CarriedRole | undefined {
    if (!urn) return undefined;
    this.takeShared();
    const carried = this.carried.get(urn);
    this.carried.delete(urn);
    return carried;
  }

  /** Takes in what the deployment's other processes published since the last look. */
  private takeShared(): void {
    for (const record of this.share?.receive() ?? []) {
      if (!isDeleteFirstRecord(record)) continue;
      if ("deleteFirstPlanned" in record) {
        const { name, urn, declared } = record.deleteFirstPlanned;
        this.planned.set(name, { urn, declared });
      } else {
        const { urn, name, role } = record.deleteFirstRemoved;
        this.carried.set(urn, { name, role });
      }
    }
  }
}

/** Whether a record another process published is a delete-first record of the shape this version reads; any other is skipped. */
export function isDeleteFirstRecord(value: unknown): value is DeleteFirstRecord {
  if (typeof value !== "object" || value === null) return false;
  const texts = (o: Record<string, unknown>, ...keys: string[]) => keys.every((k) => typeof o[k] === "string");
  if ("deleteFirstPlanned" in value) {
    const planned = (value as { deleteFirstPlanned: unknown }).deleteFirstPlanned;
    if (typeof planned !== "object" || planned === null) return false;
    const p = planned as Record<string, unknown>;
    return texts(p, "name", "urn") && typeof p.declared === "object" && p.declared !== null;
  }
  if ("deleteFirstRemoved" in value) {
    const removed = (value as { deleteFirstRemoved: unknown }).deleteFirstRemoved;
    return typeof removed === "object" && removed !== null && texts(removed as Record<string, unknown>, "urn", "name", "role");
  }
  return false;
}

/** By the process's deps (provider/index.ts builds one for every provider of the process; a test, one per simulated process). */
const processes = new WeakMap<ProviderDeps, DeleteFirstReplacements>();

/** The delete-first replacements of the ChatMemberships of the process `deps` serves, shared with the deployment's other processes. */
export function deleteFirstOf(deps: ProviderDeps): DeleteFirstReplacements {
  let replacements = processes.get(deps);
  if (!replacements) processes.set(deps, (replacements = new DeleteFirstReplacements(readersOf(deps.share)?.reader(isDeleteFirstRecord))));
  return replacements;
}
