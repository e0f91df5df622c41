import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ChatMembership, ChatSpace, ChatSpaceMembers } from "../../sdk";
import { clearClaims } from "../../sdk/member-claims";
import { registerUnderMocks } from "./mocks";

/** A space's id is `spaces/{name}`; a membership's or roster's, its name. */
const answer = (args: pulumi.runtime.MockResourceArgs) => ({ id: args.type.endsWith(":ChatSpace") ? `spaces/${args.name}` : args.name, state: args.inputs });

/**
 * Runs `program` with every resource under one parent whose transformation (inherited by its
 * children) records the `deletedWith` option each membership and roster registers with.
 */
async function deletedWithOf(program: (parent: pulumi.Resource) => void): Promise<Map<string, pulumi.Resource | undefined>> {
  const seen = new Map<string, pulumi.Resource | undefined>();
  await registerUnderMocks(answer, () => {
    const record: pulumi.ResourceTransformation = (args) => {
      if (!args.type.endsWith(":ChatSpace") && args.type !== "test:index:Team") seen.set(args.name, args.opts.deletedWith);
      return undefined;
    };
    program(new pulumi.ComponentResource("test:index:Team", "team", {}, { transformations: [record] }));
  });
  return seen;
}

describe("sdk: a membership or roster is deleted with its space (deletedWith)", () => {
  beforeEach(clearClaims);
  afterEach(clearClaims);

  it("given a ChatSpace the program declares, gets deletedWith: that space", async () => {
    let eng: ChatSpace | undefined;
    let ops: ChatSpace | undefined;
    const seen = await deletedWithOf((parent) => {
      eng = new ChatSpace("eng", { displayName: "Engineering" }, { parent });
      ops = new ChatSpace("ops", { displayName: "Ops" }, { parent });
      new ChatMembership("alice", { space: eng, user: "alice@example.com" }, { parent });
      new ChatSpaceMembers("ops-members", { space: ops, members: [{ user: "bob@example.com" }] }, { parent });
    });
    assert.equal(seen.get("alice"), eng);
    assert.equal(seen.get("ops-members"), ops);
  });

  it("keeps the deletedWith the program gives, undefined included (each member removed on its own)", async () => {
    let other: pulumi.Resource | undefined;
    const seen = await deletedWithOf((parent) => {
      const eng = new ChatSpace("eng", { displayName: "Engineering" }, { parent });
      const ops = new ChatSpace("ops", { displayName: "Ops" }, { parent });
      other = new ChatSpace("other", { displayName: "Other" }, { parent });
      new ChatMembership("alice", { space: eng, user: "alice@example.com" }, { parent, deletedWith: undefined });
      new ChatMembership("carol", { space: eng, user: "carol@example.com" }, { parent, deletedWith: other });
      new ChatSpaceMembers("ops-members", { space: ops, members: [{ user: "bob@example.com" }] }, { parent, deletedWith: undefined });
    });
    assert.deepEqual(
      [seen.has("alice"), seen.get("alice"), seen.get("carol"), seen.has("ops-members"), seen.get("ops-members")],
      [true, undefined, other, true, undefined],
    );
  });

  it("none for a space whose delete leaves it in Chat (read with ChatSpace.get, or retainOnDelete), nor for a space given by name", async () => {
    const seen = await deletedWithOf((parent) => {
      const read = ChatSpace.get("read", "spaces/READ", { parent });
      const kept = new ChatSpace("kept", { displayName: "Kept" }, { parent, retainOnDelete: true });
      const eng = new ChatSpace("eng", { displayName: "Engineering" }, { parent });
      new ChatMembership("in-read", { space: read, user: "alice@example.com" }, { parent });
      new ChatMembership("in-kept", { space: kept, user: "alice@example.com" }, { parent });
      new ChatMembership("by-name", { space: eng.name, user: "alice@example.com" }, { parent });
      new ChatMembership("by-id", { space: "spaces/OPS", user: "alice@example.com" }, { parent });
      new ChatSpaceMembers("kept-members", { space: kept, members: [{ user: "bob@example.com" }], mode: "addOnly" }, { parent });
    });
    assert.deepEqual([...seen].map(([name, deletedWith]) => `${name} ${deletedWith}`).sort(), [
      "by-id undefined",
      "by-name undefined",
      "in-kept undefined",
      "in-read undefined",
      "kept-members undefined",
    ]);
  });
});
