import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { CHAT_MEMBERSHIP_TYPE, ChatMembership, ChatSpace, ChatSpaceMembers } from "../../sdk";
import { clearClaims } from "../../sdk/member-claims";
import { registerUnderMocks } from "./mocks";

/** Runs `program` under Pulumi's mocks: a membership's id is `{space}/members/{name}`, a space's `spaces/{name}`. */
const register = (program: () => void) =>
  registerUnderMocks((args) => {
    const id = args.type === CHAT_MEMBERSHIP_TYPE ? `${args.inputs.space}/members/${args.name}` : `spaces/${args.name}`;
    return { id, state: { ...args.inputs, name: id } };
  }, program);

describe("sdk: ChatMembership under Pulumi's mocks", () => {
  it("registers the type token pulumi-nodejs:dynamic/googlechat:ChatMembership, with the URN that names it in messages", async () => {
    const [m] = await register(() => new ChatMembership("alice", { space: "spaces/AAA", user: "alice@example.com" }));
    assert.equal(m.type, "pulumi-nodejs:dynamic/googlechat:ChatMembership");
    assert.equal(m.inputs.__urn, `urn:pulumi:dev::chat-project::${CHAT_MEMBERSHIP_TYPE}::alice`);
    assert.equal(m.inputs.__organization, undefined);
  });

  it("passes the declared inputs, and takes the space from a ChatSpace (its id) or its name output", async () => {
    const registered = await register(() => {
      const eng = new ChatSpace("eng", { displayName: "Engineering" });
      new ChatMembership("alice", { space: eng, user: "alice@example.com", role: "ROLE_MANAGER" });
      new ChatMembership("devs", { space: eng.name, group: "groups/devs" });
      new ChatMembership("app", { space: eng.name, chatApp: true });
    });
    const inputs = registered
      .filter((r) => r.type === CHAT_MEMBERSHIP_TYPE)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(({ name, inputs: { space, user, group, chatApp, role } }) => ({ name, space, user, group, chatApp, role }));
    assert.deepEqual(inputs, [
      { name: "alice", space: "spaces/eng", user: "alice@example.com", group: undefined, chatApp: undefined, role: "ROLE_MANAGER" },
      { name: "app", space: "spaces/eng", user: undefined, group: undefined, chatApp: true, role: undefined },
      { name: "devs", space: "spaces/eng", user: undefined, group: "groups/devs", chatApp: undefined, role: undefined },
    ]);
  });

  it("a space, its membership and its roster under one component parent: the program finishes, each URN under the parent", async () => {
    // A dependency on a component is one on each of its children: a __urn derived from the
    // parent's URN made the space and its membership wait for each other forever.
    clearClaims();
    const program = register(() => {
      const team = new pulumi.ComponentResource("test:index:Team", "team", {}, {});
      const eng = new ChatSpace("eng", { displayName: "Engineering" }, { parent: team });
      const ops = new ChatSpace("ops", { displayName: "Ops" }, { parent: team });
      new ChatMembership("alice", { space: eng, user: "alice@example.com" }, { parent: team });
      new ChatSpaceMembers("ops-members", { space: ops, members: [{ user: "bob@example.com" }] }, { parent: team });
    });
    const finished = await Promise.race([program, new Promise<"never finished">((resolve) => setTimeout(() => resolve("never finished"), 5000).unref())]);
    clearClaims();
    assert.notEqual(finished, "never finished");
    const urns = Object.fromEntries((finished as Awaited<typeof program>).map((r) => [r.name, r.inputs.__urn]));
    const under = "urn:pulumi:dev::chat-project::test:index:Team$pulumi-nodejs:dynamic/googlechat";
    assert.deepEqual(urns, {
      team: undefined,
      eng: `${under}:ChatSpace::eng`,
      ops: `${under}:ChatSpace::ops`,
      alice: `${under}:ChatMembership::alice`,
      "ops-members": `${under}:ChatSpaceMembers::ops-members`,
    });
  });

  describe("a resource is told by its URN: two of one name under parents of two types are two resources", () => {
    /** Runs `program` and answers the messages it failed with: a claim under a parent is matched once the parent's URN is known. */
    const failuresOf = async (program: () => void) => {
      const failures: string[] = [];
      const onRejection = (e: unknown) => void failures.push((e as Error).message);
      process.on("unhandledRejection", onRejection);
      try {
        await register(program);
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        process.off("unhandledRejection", onRejection);
      }
      return [...new Set(failures)];
    };
    beforeEach(clearClaims);
    afterEach(clearClaims);

    it("one member declared by a ChatMembership of each fails the program, naming both by their parents", async () => {
      const failures = await failuresOf(() => {
        const leads = new pulumi.ComponentResource("test:index:Leads", "leads", {}, {});
        const owners = new pulumi.ComponentResource("test:index:Owners", "owners", {}, {});
        new ChatMembership("alice", { space: "spaces/AAA", user: "alice@example.com" }, { parent: leads });
        new ChatMembership("alice", { space: "spaces/AAA", user: "alice@example.com", role: "ROLE_MANAGER" }, { parent: owners });
      });
      assert.deepEqual(failures, [
        "ChatMembership alice (under test:index:Owners): user users/alice@example.com is also declared by ChatMembership alice (under test:index:Leads) in spaces/AAA: a member is declared once, or the two would undo each other. " +
          "Remove one of the two declarations: the member stays in the space, held by the other.",
      ]);
    });

    it("the same program run again in the same process conflicts with nothing of its earlier run", async () => {
      const program = () => {
        const leads = new pulumi.ComponentResource("test:index:Leads", "leads", {}, {});
        new ChatMembership("alice", { space: "spaces/AAA", user: "alice@example.com" }, { parent: leads });
        new ChatMembership("bob", { space: "spaces/AAA", user: "bob@example.com" });
      };
      assert.deepEqual(await failuresOf(program), []);
      assert.deepEqual(await failuresOf(program), []);
    });
  });

  it("refuses the deleteBeforeReplace: true resource option while the program runs, naming the resource: its delete would run before the resources declared after it; false and none register", async () => {
    // Refused before anything is claimed or registered.
    assert.throws(() => new ChatMembership("lead", { space: "spaces/AAA", user: "bob@example.com" }, { deleteBeforeReplace: true }), {
      message:
        "ChatMembership lead: the resource option deleteBeforeReplace: true is refused. Pulumi runs a delete-first replacement's delete as soon as the resource is registered, " +
        "before the resources the program declares after it, so a member moved to one of them would be removed from the space. " +
        "Remove the option: a replacement then creates first, and the old resource's delete, after the program has run, keeps every member another resource declares.",
    });
    const registered = await register(() => {
      new ChatMembership("alice", { space: "spaces/AAA", user: "alice@example.com" }, { deleteBeforeReplace: false });
      new ChatMembership("bob", { space: "spaces/AAA", user: "bob@example.com" });
    });
    assert.deepEqual(
      registered.map((r) => r.name),
      ["alice", "bob"],
    );
  });

  it("two ChatMemberships of one member of a new space fail the program at preview, naming both: the provider can't know the space yet", () => {
    clearClaims();
    try {
      const eng = new ChatSpace("eng", { displayName: "Engineering" });
      new ChatMembership("alice", { space: eng, user: "alice@example.com" });
      assert.throws(() => new ChatMembership("alice-again", { space: eng, user: "Alice@Example.com", role: "ROLE_MANAGER" }), {
        message:
          "ChatMembership alice-again: user users/alice@example.com is also declared by ChatMembership alice in the same ChatSpace: a member is declared once, or the two would undo each other. " +
          "Remove one of the two declarations: the member stays in the space, held by the other.",
      });
    } finally {
      clearClaims();
    }
  });
});
