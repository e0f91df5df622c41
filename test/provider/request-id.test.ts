import assert from "node:assert/strict";
import { deriveRequestId, requestIdBase, uuidv5 } from "../../provider/request-id";

describe("provider: requestIds", () => {
  it("computes RFC 9562 version-5 UUIDs (the RFC's own example)", () => {
    assert.equal(uuidv5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  it("derives the same id for the same URN, inputs and attempt, and another for any change", () => {
    const base = requestIdBase("urn:pulumi:dev::proj::pulumi-nodejs:dynamic/googlechat:ChatSpace::eng");
    const id = deriveRequestId(base, { displayName: "Eng" }, 0);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(deriveRequestId(base, { displayName: "Renamed" }, 0), id, "in-place fields do not change it");
    const others = [
      deriveRequestId(base, { displayName: "Eng" }, 1),
      deriveRequestId(base, { displayName: "Eng", customer: "customers/C1" }, 0),
      deriveRequestId(base, { displayName: "Eng", externalUserAllowed: true }, 0),
      deriveRequestId(base, { displayName: "Eng", importMode: true }, 0),
      deriveRequestId(base, { displayName: "Eng", spaceType: "GROUP_CHAT" }, 0),
      deriveRequestId(base, { displayName: "Eng", createTime: "2020-01-01T00:00:00Z" }, 0),
      deriveRequestId(requestIdBase("urn:pulumi:prod::proj::pulumi-nodejs:dynamic/googlechat:ChatSpace::eng"), { displayName: "Eng" }, 0),
    ];
    assert.equal(new Set([id, ...others]).size, 8);
  });
});
