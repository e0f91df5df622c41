/**
 * Writes that may take an owner from a space (remove one, or demote one), one at a time per
 * space. The last-owner rule (owners.ts) reads the joined owners, then writes: two such writes at
 * once would each read the other's owner still there, and both pass. The engine runs them at once:
 * the deletes of one antichain in parallel (pulumi/pulumi pkg/resource/deploy/deployment_executor.go
 * `ExecuteParallel` of each delete chain), and the steps of independent resources too. So:
 *
 * - within one provider process, they run one after the other per space: each reads the owners
 *   once the one before it has written;
 * - across the deployment's processes (an explicit provider instance is a process of its own:
 *   core/deployment-share.ts), each announces the memberships it may take before it reads the
 *   owners (a record on disk when `publish` returns), and counts those the others announced and
 *   have not finished with as leaving. Of two writes that overlap, the later to announce sees the
 *   earlier's announcement; one that finished before another announced has written before that
 *   one reads. At worst both refuse, never both pass.
 *
 * A record holds a space, membership names and a random id: never a credential.
 */
import { randomUUID } from "node:crypto";
import type { SharedRecords } from "../core/share-readers";

/** What one provider process tells the deployment's others: a write that may take the owners `names` from `space` begins, or has ended. */
type OwnerLossRecord =
  | { readonly ownerLossBegun: { readonly id: string; readonly space: string; readonly names: readonly string[] } }
  | { readonly ownerLossEnded: { readonly id: string } };

/** The owner-taking writes of one provider process, and those the deployment's other processes announced. */
export class OwnerLosses {
  /** By space (lower-cased): the end of the last write queued. */
  private readonly queues = new Map<string, Promise<void>>();
  /** The other processes' writes under way, by id. */
  private readonly elsewhere = new Map<string, { readonly space: string; readonly names: readonly string[] }>();

  /** `share`: the deployment's other provider processes (none outside an engine). */
  constructor(private readonly share?: SharedRecords) {}

  /**
   * Runs `write`, which may remove or demote the memberships `names` of `space`, once this
   * process's earlier such writes to the space are done, and tells the deployment's other
   * processes while it runs. `write` is given the memberships of the space that their writes
   * under way may take: the last-owner rule counts them as leaving (owners.ts compares them in any capitals).
   */
  async alone<T>(space: string, names: readonly string[], write: (takenElsewhere: readonly string[]) => Promise<T>): Promise<T> {
    const key = space.toLowerCase();
    const before = this.queues.get(key) ?? Promise.resolve();
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const mine = before.then(() => finished);
    this.queues.set(key, mine);
    await before;
    const id = randomUUID();
    try {
      this.share?.publish({ ownerLossBegun: { id, space, names } } satisfies OwnerLossRecord);
      return await write(this.takenElsewhere(key));
    } finally {
      this.share?.publish({ ownerLossEnded: { id } } satisfies OwnerLossRecord);
      done();
      if (this.queues.get(key) === mine) this.queues.delete(key);
    }
  }

  /** The memberships of `space` (its key: lower-cased) the other processes' writes under way may take, as announced up to now. */
  private takenElsewhere(space: string): string[] {
    for (const record of this.share?.receive() ?? []) {
      if (!isOwnerLossRecord(record)) continue;
      if ("ownerLossBegun" in record) this.elsewhere.set(record.ownerLossBegun.id, record.ownerLossBegun);
      else this.elsewhere.delete(record.ownerLossEnded.id);
    }
    return [...this.elsewhere.values()].filter((w) => w.space.toLowerCase() === space).flatMap((w) => w.names);
  }
}

/** Whether a record another process published is an owner-loss record of the shape this version reads; any other is skipped. */
export function isOwnerLossRecord(value: unknown): value is OwnerLossRecord {
  if (typeof value !== "object" || value === null) return false;
  if ("ownerLossBegun" in value) {
    const begun = (value as { ownerLossBegun: unknown }).ownerLossBegun;
    if (typeof begun !== "object" || begun === null) return false;
    const b = begun as Record<string, unknown>;
    return typeof b.id === "string" && typeof b.space === "string" && Array.isArray(b.names) && b.names.every((n) => typeof n === "string");
  }
  if ("ownerLossEnded" in value) {
    const ended = (value as { ownerLossEnded: unknown }).ownerLossEnded;
    return typeof ended === "object" && ended !== null && typeof (ended as Record<string, unknown>).id === "string";
  }
  return false;
}
