/**
 * One process's deployment share (core/deployment-share.ts), read by several of its parts: the
 * member claims (members/claims.ts), what its refreshes found changed (members/refresh-findings.ts)
 * and its ChatMemberships' delete-first replacements (membership/delete-first.ts).
 * The share's `receive` hands each record a sibling published to this process once, to whichever
 * part asks first; here every part is given each record it takes, whichever part's call read it,
 * and a part made later (the dynamic-provider host builds each resource type's provider when a
 * resource of that type first needs it) is given the records no part took before it.
 */
import type { DeploymentShare } from "./deployment-share";

/** What one part of a process publishes to, and receives from, the deployment's other provider processes. */
export interface SharedRecords {
  /** Appends a record of this process for the others (DeploymentShare.publish): never a credential. */
  publish(record: unknown): void;
  /** The records this part takes that the deployment's other live processes published since its last call, in their order. */
  receive(): unknown[];
}

/** The parts of one process reading one share. */
export class ShareReaders {
  private readonly readers: { readonly takes: (record: unknown) => boolean; readonly pending: unknown[] }[] = [];
  /** Records received that no part took yet: a part's not made yet, or another version's. */
  private readonly untaken: unknown[] = [];

  constructor(private readonly share: DeploymentShare) {}

  /**
   * A part's reader: it receives the records `takes` accepts (the shapes this part reads; another
   * part's, or another version's, are left), those no part took before it was made first.
   */
  reader(takes: (record: unknown) => boolean): SharedRecords {
    const own = { takes, pending: this.untaken.filter(takes) };
    this.untaken.splice(0, this.untaken.length, ...this.untaken.filter((record) => !takes(record)));
    this.readers.push(own);
    return {
      publish: (record) => this.share.publish(record),
      receive: () => {
        for (const record of this.share.receive()) {
          const takers = this.readers.filter((reader) => reader.takes(record));
          for (const reader of takers) reader.pending.push(record);
          if (takers.length === 0) this.untaken.push(record);
        }
        return own.pending.splice(0);
      },
    };
  }
}

/** One {@link ShareReaders} per share: the process's parts, wherever they are made, read it together. */
const readersByShare = new WeakMap<DeploymentShare, ShareReaders>();

/** The readers of `share`, one set per share; none without a share (outside an engine). */
export function readersOf(share: DeploymentShare | undefined): ShareReaders | undefined {
  if (!share) return undefined;
  let readers = readersByShare.get(share);
  if (!readers) readersByShare.set(share, (readers = new ShareReaders(share)));
  return readers;
}
