/**
 * core/share-readers.ts: one process's deployment share read by several of its parts (the member
 * claims, the refresh findings), each given every record it takes, whichever part's call read it.
 */
import assert from "node:assert/strict";
import type { DeploymentShare } from "../../provider/core/deployment-share";
import { ShareReaders } from "../../provider/core/share-readers";

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

  it("a part's published record goes to the share as it is", () => {
    const { share, published } = fakeShare();
    const findings = new ShareReaders(share).reader(has("refreshFound"));
    findings.publish({ refreshFound: { space: "spaces/AAAA", joined: [], roleChanged: [] } });
    assert.deepEqual(published, [{ refreshFound: { space: "spaces/AAAA", joined: [], roleChanged: [] } }]);
  });
});
