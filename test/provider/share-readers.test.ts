/**
 * core/share-readers.ts: one process's deployment share read by several of its parts (the member
 * claims, the refresh findings, the delete-first replacements), each given every record it takes,
 * whichever part's call read it, and a part made later the records no part took before.
 */
import assert from "node:assert/strict";
import type { DeploymentShare } from "../../provider/core/deployment-share";
import { readersOf, ShareReaders } from "../../provider/core/share-readers";

/** A share whose siblings' records are `incoming`, each handed out once, and whose published records land in `published`. */
function fakeShare() {
  const incoming: unknown[] = [];
  const published: unknown[] = [];
  const share: DeploymentShare = { publish: (record) => void published.push(record), receive: () => incoming.splice(0), close: () => {}, abandon: () => {} };
  return { share, incoming, published };
}

const has = (key: string) => (record: unknown) => typeof record === "object" && record !== null && key in record;

describe("provider: one process's parts reading the deployment share", () => {
  it("each part receives every record it takes, whichever part's receive read it from the share, once, in order", () => {
    const { share, incoming } = fakeShare();
    const readers = new ShareReaders(share);
    const claims = readers.reader(has("declare"));
    const findings = readers.reader(has("refreshFound"));
    incoming.push({ declare: 1 }, { refreshFound: 1 }, { declare: 2 }, { other: 1 });
    assert.deepEqual(claims.receive(), [{ declare: 1 }, { declare: 2 }]);
    incoming.push({ refreshFound: 2 });
    assert.deepEqual(findings.receive(), [{ refreshFound: 1 }, { refreshFound: 2 }]);
    assert.deepEqual(findings.receive(), []);
    assert.deepEqual(claims.receive(), []);
  });

  it("a part made after a receive is given the records of its shape no part took, once; another's, or another version's, stay untaken", () => {
    const { share, incoming } = fakeShare();
    const readers = new ShareReaders(share);
    const claims = readers.reader(has("declare"));
    incoming.push({ declare: 1 }, { deleteFirstPlanned: 1 }, { other: 1 });
    assert.deepEqual(claims.receive(), [{ declare: 1 }]);
    const deleteFirst = readers.reader(has("deleteFirstPlanned"));
    incoming.push({ deleteFirstPlanned: 2 });
    assert.deepEqual(deleteFirst.receive(), [{ deleteFirstPlanned: 1 }, { deleteFirstPlanned: 2 }]);
    assert.deepEqual(deleteFirst.receive(), []);
    assert.deepEqual(readers.reader(has("other")).receive(), [{ other: 1 }]);
  });

  it("one set of readers per share: parts made in different folders read it together", () => {
    const { share, incoming } = fakeShare();
    const claims = readersOf(share)!.reader(has("declare"));
    const findings = readersOf(share)!.reader(has("refreshFound"));
    incoming.push({ declare: 1 }, { refreshFound: 1 });
    assert.deepEqual(claims.receive(), [{ declare: 1 }]);
    assert.deepEqual(findings.receive(), [{ refreshFound: 1 }]);
    assert.equal(readersOf(undefined), undefined);
  });

  it("a part's published record goes to the share as it is", () => {
    const { share, published } = fakeShare();
    const findings = new ShareReaders(share).reader(has("refreshFound"));
    findings.publish({ refreshFound: { space: "spaces/AAAA", joined: [], roleChanged: [] } });
    assert.deepEqual(published, [{ refreshFound: { space: "spaces/AAAA", joined: [], roleChanged: [] } }]);
  });
});
