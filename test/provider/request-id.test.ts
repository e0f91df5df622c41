import assert from "node:assert/strict";
import { deriveRequestId, legacyRequestIdBase, requestIdBase, uuidv5 } from "../../provider/space/request-id";
import { urnOf } from "../helpers/provider";

const base = (urn: string, organization = "organization", requestId?: string) =>
  requestIdBase({ __urn: urn, __organization: organization, requestId, displayName: "Eng" })!;

describe("provider: requestIds", () => {
  it("computes RFC 9562 version-5 UUIDs (the RFC's own example)", () => {
    assert.equal(uuidv5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  it("derives the same id for the same resource, inputs and attempt, and another for any change", () => {
    const eng = base(urnOf("eng"));
    const id = deriveRequestId(eng, { displayName: "Eng" }, 0);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(deriveRequestId(base(urnOf("eng")), { displayName: "Renamed" }, 0), id, "in-place fields do not change it");
    const others = [
      deriveRequestId(eng, { displayName: "Eng" }, 1),
      deriveRequestId(eng, { displayName: "Eng", customer: "customers/C1" }, 0),
      deriveRequestId(eng, { displayName: "Eng", externalUserAllowed: true }, 0),
      deriveRequestId(eng, { displayName: "Eng", importMode: true }, 0),
      deriveRequestId(eng, { displayName: "Eng", spaceType: "GROUP_CHAT" }, 0),
      deriveRequestId(eng, { displayName: "Eng", createTime: "2020-01-01T00:00:00Z" }, 0),
      deriveRequestId(base(urnOf("eng", "prod")), { displayName: "Eng" }, 0),
    ];
    assert.equal(new Set([id, ...others]).size, 8);
  });

  it("keys on the Pulumi organisation, which the URN leaves out", () => {
    assert.notEqual(base(urnOf("eng"), "acme"), base(urnOf("eng"), "globex"));
  });

  it("mixes a program-set requestId with the URN: two stacks with the same override never share ids", () => {
    const dev = base(urnOf("eng", "dev"), "organization", "fixed");
    const prod = base(urnOf("eng", "prod"), "organization", "fixed");
    assert.notEqual(dev, prod);
    assert.notEqual(dev, base(urnOf("eng", "dev")), "the override still breaks away from the URN's ids");
  });

  it("still computes 0.1.0's base (URN or override alone) for creates that crashed under 0.1.0", () => {
    assert.equal(legacyRequestIdBase({ __urn: urnOf("eng") }), uuidv5(urnOf("eng"), "3d2a8fcc-d72e-50c2-9cab-798b218867f6"));
    assert.equal(legacyRequestIdBase({ __urn: urnOf("eng"), requestId: "fixed" }), uuidv5("fixed", "3d2a8fcc-d72e-50c2-9cab-798b218867f6"));
  });

  it("has no base without the SDK's URN", () => {
    assert.equal(requestIdBase({}), undefined);
  });
});

describe("provider: requestIds of a nameless GROUP_CHAT", () => {
  it("keep 0.1.0's base, the only way to find a group chat whose create crashed under 0.1.0", () => {
    const inputs = { __urn: urnOf("chat"), __organization: "acme", spaceType: "GROUP_CHAT" as const, importMode: true };
    assert.equal(requestIdBase(inputs), legacyRequestIdBase(inputs));
    assert.notEqual(
      requestIdBase({ ...inputs, requestId: "fixed" }),
      legacyRequestIdBase({ ...inputs, requestId: "fixed" }),
      "not with a program-set requestId",
    );
  });
});
