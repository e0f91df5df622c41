/**
 * One process's deployment share (core/deployment-share.ts), read by several of its parts: the
 * member claims (members/claims.ts), what its refreshes found changed (members/refresh-findings.ts)
 * and its ChatMemberships' delete-first replacements (membership/delete-first.ts).
 * The share's `receive` hands each record a sibling published to this process once, to whichever
 * part asks first; here every part is given each record it takes, whichever part's call read it.
 */
import type { DeploymentShare } from "./deployment-share";

/** What one part of a process publishes to, and receives from, the deployment's other provider processes. */
export interface SharedRecords {
  /** Appends a record of this process for the others (DeploymentShare.publish): never a credential. */
  publish(record: unknown): void;
  /** The records this part takes that the deployment's other live processes published since its last call, in their order. */
  receive(): unknown[];
}

/** The parts of one process reading one share: make every part's reader before the first receive. */
export class ShareReaders {
  private readonly readers: { readonly takes: (record: unknown) => boolean; readonly pending: unknown[] }[] = [];

  constructor(private readonly share: DeploymentShare) {}

  /**
   * A part's reader: it receives the records `takes` accepts (the shapes this part reads; another
   * part's, or another version's, are left) from the share's receives from now on.
   */
  reader(takes: (record: unknown) => boolean): SharedRecords {
    const own = { takes, pending: [] as unknown[] };
    this.readers.push(own);
    return {
      publish: (record) => this.share.publish(record),
      receive: () => {
        const received = this.share.receive();
        for (const reader of this.readers) for (const record of received) if (reader.takes(record)) reader.pending.push(record);
        return own.pending.splice(0);
      },
    };
  }
}
