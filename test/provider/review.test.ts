/**
 * Named regressions (each failed before its fix): partial failures that recorded values never
 * applied, the 0.1.0 fallback, adoption refusals, and access settings on a group chat.
 */
import assert from "node:assert/strict";
import { deriveRequestId, legacyRequestIdBase } from "../../provider/space/request-id";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, configuredProvider, logMark, sdkInputs } from "../helpers/provider";

describe("provider: reverting a failed change, requestIds shared across stacks, adoption and replace-only fields", () => {
  const t = useEmulator();
  const bob = () => t.asDelegatedUser("bob@example.com", ["chat.spaces", "chat.spaces.create"]);

  it("a failed completeImport, then reverting to importMode: true, previews no replacement", async () => {
    const { provider } = await configuredProvider(t);
    const base = { displayName: "Imp", createTime: "2019-01-01T00:00:00Z" };
    const { id, outs } = await provider.create(sdkInputs("imp", { ...base, importMode: true }));
    await t.control.addFault({ match: { methods: ["spaces.completeImport"] }, action: { kind: "error", status: 403, message: "denied" } });
    const error: any = await provider.update(id, outs!, { ...sdkInputs("imp", { ...base, importMode: false }), __provider: "p" }).catch((e) => e);
    assert.equal(error.id, id, "partial failure");
    assert.equal(error.properties.importMode, true, "live still in import mode");
    await t.control.clearFaults();
    // The user reverts the program: the import is not ready after all.
    const d = await provider.diff(id, error.properties, sdkInputs("imp", { ...base, importMode: true }));
    assert.deepEqual(d.replaces, [], "the space is live in import mode exactly as declared; a replacement deletes it");
  });

  it("a failed GROUP_CHAT to SPACE PATCH, then reverting, previews no replacement", async () => {
    const { provider } = await configuredProvider(t);
    const gc = { spaceType: "GROUP_CHAT" as const, importMode: true };
    const { id, outs } = await provider.create(sdkInputs("gc", gc));
    const { outs: done } = await provider.update(id, outs!, sdkInputs("gc", { spaceType: "GROUP_CHAT", importMode: false }));
    assert.equal(done!.importMode, false);
    await t.control.addFault({ match: { methods: ["spaces.patch"] }, action: { kind: "error", status: 400, message: "bad" } });
    const error: any = await provider
      .update(id, done!, { ...sdkInputs("gc", { spaceType: "SPACE", displayName: "Now a space", importMode: false }), __provider: "p" })
      .catch((e) => e);
    assert.equal(error.id, id);
    assert.equal(error.properties.spaceType, "GROUP_CHAT");
    await t.control.clearFaults();
    const d = await provider.diff(id, error.properties, sdkInputs("gc", { spaceType: "GROUP_CHAT", importMode: false }));
    assert.deepEqual(d.replaces, [], "still a GROUP_CHAT as declared");
  });

  it("another stack's 0.1.0 space made with the same program-set requestId is never taken over", async () => {
    // Stack A, under 0.1.0: requestId "shared" hashed alone.
    const declared = { displayName: "Eng", requestId: "shared" };
    const legacyId = deriveRequestId(legacyRequestIdBase({ requestId: "shared" })!, declared, 0);
    const { data: stackA } = await t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]).spaces.create({
      requestId: legacyId,
      requestBody: { spaceType: "SPACE", displayName: "Eng" },
    });
    // Stack B (another stack, this release), same program.
    const { provider } = await configuredProvider(t);
    const inputsB = { ...declared, __urn: "urn:pulumi:prod::proj::pulumi-nodejs:dynamic/googlechat:ChatSpace::eng", __organization: "org" };
    const mark = await logMark(t);
    const result = await provider.create(inputsB).then(
      (r) => r.id,
      (e) => `error: ${e.message}`,
    );
    assert.notEqual(result, stackA.name, "stack B now owns stack A's space; destroying B deletes it");
    assert.deepEqual(await apiCalls(t, mark), ["POST /v1/spaces 409"], "the name is taken: no 0.1.0 id is tried for a program-set requestId");
  });

  it("changing adoptSpace together with a replace-only field is refused as a replacement of the adopted space", async () => {
    const { data: x } = await bob().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "X" } });
    const { data: y } = await bob().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Y" } });
    await t.control.addMember(x.name!, "admin@example.com", "ROLE_MANAGER");
    await t.control.addMember(y.name!, "admin@example.com", "ROLE_MANAGER");
    const { provider } = await configuredProvider(t);
    const { id, outs } = await provider.create(sdkInputs("a", { adoptSpace: x.name!, displayName: "X" }));
    const d = await provider.diff(id, outs!, sdkInputs("a", { adoptSpace: y.name!, displayName: "Y", externalUserAllowed: true })).then(
      (d) => JSON.stringify(d),
      (e) => e.message,
    );
    assert.match(
      d,
      /^ChatSpace a: changing externalUserAllowed would replace spaces\/\S+, which this resource adopted/,
      "the preview replaces (deletes) adopted spaces/X",
    );
  });

  it("accessSettings on a GROUP_CHAT is refused at check", async () => {
    const { provider } = await configuredProvider(t);
    const decl = { spaceType: "GROUP_CHAT" as const, importMode: false, accessSettings: { audience: "audiences/default" } };
    const c = await provider.check(sdkInputs("gc", { spaceType: "GROUP_CHAT", importMode: false }), sdkInputs("gc", decl));
    assert.deepEqual(c.failures, [{ property: "accessSettings", reason: "only applies to a SPACE." }]);
  });

  it("an adoption under app auth declares customer too, since a forced replacement of it creates a space", async () => {
    const { provider } = await configuredProvider(t, { app: true });
    const { failures } = await provider.check({}, sdkInputs("alerts", { adoptSpace: "spaces/AAAA1", displayName: "Alerts" }));
    assert.deepEqual(failures, [
      { property: "customer", reason: "is required with app authentication: set it to customers/my_customer, or to your organisation's customers/{id}." },
    ]);
    assert.deepEqual(await apiCalls(t), []);
  });
});
