import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { PROVIDER_TEXT } from "../../provider/core/stub";
import { CHAT_MEMBERSHIP_TYPE, CHAT_SPACE_MEMBERS_TYPE, CHAT_SPACE_TYPE, ChatMembership, ChatSpace, ChatSpaceMembers } from "../../sdk";
import { clearClaims } from "../../sdk/member-claims";
import { registerUnderMocks } from "./mocks";

/** What Pulumi's dynamic-provider host evaluates `__provider` with: its own dependency require-from-string. */
const requireFromString: (code: string) => { handler(): unknown } = require(
  require.resolve("require-from-string", { paths: [dirname(require.resolve("@pulumi/pulumi/package.json"))] }),
);
const installed = require("pulumi-googlechat/provider");

describe("sdk: the __provider text of each resource type (provider/core/stub.ts)", () => {
  beforeEach(clearClaims);
  afterEach(clearClaims);

  it("each resource registers its type's dynamic type token and its text, a one-line module holding no credential", async () => {
    // Shaped like key material, without being a key (none is committed).
    const key = ["-----BEGIN", "PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END", "PRIVATE KEY-----\n"].join(" ");
    pulumi.runtime.setAllConfig({ "googlechat:credentials": JSON.stringify({ type: "service_account", private_key: key }) }, ["googlechat:credentials"]);
    const registered = await registerUnderMocks(
      (args) => ({ id: args.type === CHAT_SPACE_TYPE ? `spaces/${args.name}` : args.name, state: args.inputs }),
      () => {
        const eng = new ChatSpace("eng", { displayName: "Engineering" });
        new ChatMembership("alice", { space: eng, user: "alice@example.com" });
        new ChatSpaceMembers("eng-members", { space: "spaces/OPS", members: [{ user: "bob@example.com" }] });
        ChatSpace.get("read", "spaces/READ");
        ChatMembership.get("read-member", "spaces/READ/members/1");
      },
    );
    assert.deepEqual(
      registered.map((r) => [r.name, r.type, r.inputs.__provider]).sort(([a], [b]) => a.localeCompare(b)),
      [
        ["alice", CHAT_MEMBERSHIP_TYPE, PROVIDER_TEXT.ChatMembership],
        ["eng", CHAT_SPACE_TYPE, PROVIDER_TEXT.ChatSpace],
        ["eng-members", CHAT_SPACE_MEMBERS_TYPE, PROVIDER_TEXT.ChatSpaceMembers],
        // A read sends the text too: the host finds the provider of a Get in its inputs.
        ["read", CHAT_SPACE_TYPE, PROVIDER_TEXT.ChatSpace],
        ["read-member", CHAT_MEMBERSHIP_TYPE, PROVIDER_TEXT.ChatMembership],
      ],
    );
    for (const text of Object.values(PROVIDER_TEXT)) {
      assert.ok(Buffer.byteLength(text) <= 100, `${text} is ${Buffer.byteLength(text)} bytes`);
      assert.equal(text.includes("PRIVATE KEY"), false);
    }
  });

  it("evaluated as the host evaluates it, each text's handler() is the installed package's provider of that type", () => {
    assert.equal(requireFromString(PROVIDER_TEXT.ChatSpace).handler(), installed.instance());
    assert.equal(requireFromString(PROVIDER_TEXT.ChatMembership).handler(), installed.membershipInstance());
    assert.equal(requireFromString(PROVIDER_TEXT.ChatSpaceMembers).handler(), installed.spaceMembersInstance());
  });

  it("an earlier version's closure stub, as the engine recorded it in a state, still hands each method to the installed provider of its type", async () => {
    const stubs: Record<string, string> = JSON.parse(readFileSync(join(__dirname, "fixtures/closure-stubs.json"), "utf8")).stubs;
    const factories = { ChatSpace: "instance", ChatMembership: "membershipInstance", ChatSpaceMembers: "spaceMembersInstance" } as const;
    for (const [type, factory] of Object.entries(factories)) {
      const stub = stubs[type];
      assert.ok(stub.includes(`.${factory}().read(`) && Buffer.byteLength(stub) > 2000, `${type}: an earlier closure stub`);
      const provider = installed[factory]();
      const read = provider.read;
      provider.read = async (...args: unknown[]) => ({ id: `read by the installed ${type} provider`, props: { args } });
      try {
        const answer = await (requireFromString(stub).handler() as { read(...a: unknown[]): Promise<unknown> }).read("spaces/A", { space: "spaces/A" });
        assert.deepEqual(answer, { id: `read by the installed ${type} provider`, props: { args: ["spaces/A", { space: "spaces/A" }] } });
      } finally {
        provider.read = read;
      }
    }
  });
});
