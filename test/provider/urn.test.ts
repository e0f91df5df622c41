import assert from "node:assert/strict";
import { resourceNameOfUrn, typeOfUrn, urnParts } from "../../provider/core/urn";

describe("provider/core/urn: the parts of a Pulumi URN", () => {
  it("reads stack, type chain and name, the parents' types first", () => {
    assert.deepEqual(urnParts("urn:pulumi:dev::chat::my:index:Team$googlechat:index:Space::eng"), {
      prefix: "urn:pulumi:dev::chat",
      stack: "dev",
      types: ["my:index:Team", "googlechat:index:Space"],
      name: "eng",
    });
    assert.equal(typeOfUrn("urn:pulumi:dev::chat::my:index:Team$googlechat:index:Space::eng"), "googlechat:index:Space");
  });

  it("keeps a name that holds `::` whole, as the engine does", () => {
    assert.equal(resourceNameOfUrn("urn:pulumi:dev::chat::googlechat:index:Space::team::eng"), "team::eng");
  });

  it("answers nothing for no URN", () => {
    assert.equal(resourceNameOfUrn(undefined), undefined);
  });
});
