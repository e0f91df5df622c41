import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { CHAT_SPACE_MEMBERS_TYPE, ChatMembership, ChatSpace, ChatSpaceMembers } from "../../sdk";
import { clearClaims } from "../../sdk/member-claims";
import { registerUnderMocks } from "./mocks";

/** Runs `program` under Pulumi's mocks: a space's id is `spaces/{name}`, a roster's its space's name. */
const register = (program: () => void) =>
  registerUnderMocks((args) => {
    const id = args.type.endsWith("ChatSpace") ? `spaces/${args.name}` : `${args.inputs.space}`;
    return { id, state: { ...args.inputs, name: id } };
  }, program);

describe("sdk: ChatSpaceMembers under Pulumi's mocks", () => {
  beforeEach(clearClaims);
  afterEach(clearClaims);

  it("registers pulumi-nodejs:dynamic/googlechat:ChatSpaceMembers with its inputs", async () => {
    const [r] = await register(
      () =>
        new ChatSpaceMembers("eng-members", {
          space: "spaces/AAA",
          members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }, { group: "groups/devs" }],
          mode: "addOnly",
        }),
    );
    assert.equal(r.type, "pulumi-nodejs:dynamic/googlechat:ChatSpaceMembers");
    assert.equal(r.inputs.__urn, `urn:pulumi:dev::chat-project::pulumi-nodejs:dynamic/googlechat:ChatSpaceMembers::eng-members`);
    assert.deepEqual(r.inputs.members, [{ user: "alice@example.com", role: "ROLE_MANAGER" }, { group: "groups/devs" }]);
    assert.equal(r.inputs.mode, "addOnly");
  });

  it("takes the space from a ChatSpace itself: its id (known at preview while the space is kept), not its name output", async () => {
    // The space's name output differs from its id here, so the test tells which one is sent.
    const registered = await registerUnderMocks(
      (args) =>
        args.type.endsWith(":ChatSpace")
          ? { id: `spaces/${args.name}`, state: { ...args.inputs, name: `spaces/name-of-${args.name}` } }
          : { id: `${args.inputs.space}`, state: args.inputs },
      () => {
        const eng = new ChatSpace("eng", { displayName: "Engineering" });
        new ChatSpaceMembers("eng-members", { space: eng, members: [{ user: "alice@example.com" }] });
      },
    );
    const roster = registered.find((r) => r.type === CHAT_SPACE_MEMBERS_TYPE)!;
    assert.equal(roster.inputs.space, "spaces/eng");
  });

  describe("a member managed by a roster and a ChatMembership fails the program, naming both", () => {
    it("the same member of a literal space, by another letter case", () => {
      new ChatSpaceMembers("eng-members", { space: "spaces/AAA", members: [{ user: "alice@example.com" }], mode: "addOnly" });
      assert.throws(() => new ChatMembership("alice", { space: "spaces/AAA", user: "Alice@example.com" }), {
        message:
          "ChatMembership alice: user users/alice@example.com is also declared by ChatSpaceMembers eng-members in spaces/AAA: a member is declared once, or the two would undo each other. " +
          "Remove one of the two declarations: the member stays in the space, held by the other.",
      });
    });

    it("a space not created yet: the ChatSpace itself and its name output are the same space", () => {
      const eng = new ChatSpace("eng", { displayName: "Engineering" });
      new ChatMembership("devs", { space: eng, group: "groups/devs" });
      assert.throws(() => new ChatSpaceMembers("eng-members", { space: eng.name, members: [{ group: "groups/devs" }], mode: "addOnly" }), {
        message: /^ChatSpaceMembers eng-members: members\[0\] groups\/devs is also declared by ChatMembership devs in the same ChatSpace: /,
      });
    });

    it("a roster given the ChatSpace itself, and a ChatMembership given its name output", () => {
      const eng = new ChatSpace("eng", { displayName: "Engineering" });
      new ChatSpaceMembers("eng-members", { space: eng, members: [{ group: "groups/devs" }], mode: "addOnly" });
      assert.throws(() => new ChatMembership("devs", { space: eng.name, group: "groups/devs" }), {
        message: /^ChatMembership devs: group groups\/devs is also declared by ChatSpaceMembers eng-members in the same ChatSpace: /,
      });
    });

    it("an authoritative roster and a ChatMembership of a member it doesn't declare", () => {
      new ChatMembership("bob", { space: "spaces/AAA", user: "bob@example.com" });
      assert.throws(() => new ChatSpaceMembers("eng-members", { space: "spaces/AAA", members: [{ user: "alice@example.com" }] }), {
        message:
          'ChatSpaceMembers eng-members: mode authoritative (the default) would remove users/bob@example.com, which ChatMembership bob declares in spaces/AAA. Move the member into the roster (and remove the ChatMembership: the member stays), or set mode: "addOnly" on the roster.',
      });
    });

    describe("the calling user, whom an authoritative roster never removes", () => {
      // The program's provider acts as admin@example.com (googlechat:impersonateUser, here by its environment variable).
      const saved = process.env.GOOGLECHAT_IMPERSONATE_USER;
      beforeEach(() => void (process.env.GOOGLECHAT_IMPERSONATE_USER = "admin@example.com"));
      afterEach(() => {
        if (saved === undefined) delete process.env.GOOGLECHAT_IMPERSONATE_USER;
        else process.env.GOOGLECHAT_IMPERSONATE_USER = saved;
      });

      it("a ChatMembership of the impersonated user beside an authoritative roster that does not declare it is no conflict", () => {
        const eng = new ChatSpace("eng", { displayName: "Engineering" });
        new ChatMembership("admin", { space: eng, user: "Admin@example.com", role: "ROLE_MANAGER" });
        new ChatSpaceMembers("eng-members", { space: eng, members: [{ user: "alice@example.com" }] });
      });

      it("another person's ChatMembership beside it still fails the program", () => {
        const eng = new ChatSpace("eng", { displayName: "Engineering" });
        new ChatMembership("bob", { space: eng, user: "bob@example.com" });
        assert.throws(() => new ChatSpaceMembers("eng-members", { space: eng, members: [{ user: "alice@example.com" }] }), {
          message:
            /^ChatSpaceMembers eng-members: mode authoritative \(the default\) would remove users\/bob@example\.com, which ChatMembership bob declares in the same ChatSpace\./,
        });
      });

      describe("settings the provider refuses (googlechat:useAdminAccess not true or false)", () => {
        const savedFlag = process.env.GOOGLECHAT_USE_ADMIN_ACCESS;
        beforeEach(() => void (process.env.GOOGLECHAT_USE_ADMIN_ACCESS = "maybe"));
        afterEach(() => {
          if (savedFlag === undefined) delete process.env.GOOGLECHAT_USE_ADMIN_ACCESS;
          else process.env.GOOGLECHAT_USE_ADMIN_ACCESS = savedFlag;
        });

        it("the impersonated user's ChatMembership beside an authoritative roster is no conflict: the program leaves the pair to the provider, which refuses the settings", () => {
          const eng = new ChatSpace("eng", { displayName: "Engineering" });
          new ChatMembership("admin", { space: eng, user: "admin@example.com", role: "ROLE_MANAGER" });
          new ChatSpaceMembers("eng-members", { space: eng, members: [{ user: "alice@example.com" }] });
        });

        it("another person's ChatMembership beside it is left to the provider too: who the caller is can't be told from settings the provider refuses", () => {
          const eng = new ChatSpace("eng", { displayName: "Engineering" });
          new ChatMembership("bob", { space: eng, user: "bob@example.com" });
          new ChatSpaceMembers("eng-members", { space: eng, members: [{ user: "alice@example.com" }] });
        });

        it("one member declared twice still fails the program: that conflict does not depend on the caller", () => {
          const eng = new ChatSpace("eng", { displayName: "Engineering" });
          new ChatMembership("alice", { space: eng, user: "alice@example.com" });
          assert.throws(() => new ChatSpaceMembers("eng-members", { space: eng, members: [{ user: "alice@example.com" }] }), {
            message: /^ChatSpaceMembers eng-members: members\[0\] users\/alice@example\.com is also declared by ChatMembership alice in the same ChatSpace: /,
          });
        });
      });
    });

    it("two rosters of one space", () => {
      new ChatSpaceMembers("a", { space: "spaces/AAA", members: [], mode: "addOnly" });
      assert.throws(() => new ChatSpaceMembers("b", { space: "spaces/AAA", members: [], mode: "addOnly" }), {
        message:
          "ChatSpaceMembers b: space spaces/AAA is also the space of ChatSpaceMembers a: two rosters of one space would undo each other. Declare one ChatSpaceMembers per space.",
      });
    });

    it("no conflict: an addOnly roster and a ChatMembership of another member, or of another space", () => {
      const eng = new ChatSpace("eng", { displayName: "Engineering" });
      const ops = new ChatSpace("ops", { displayName: "Ops" });
      new ChatSpaceMembers("eng-members", { space: eng.name, members: [{ user: "alice@example.com" }], mode: "addOnly" });
      new ChatMembership("bob", { space: eng, user: "bob@example.com" });
      new ChatMembership("alice-ops", { space: ops, user: "alice@example.com" });
      new ChatSpaceMembers("ops-members", { space: ops.name, members: [{ user: "bob@example.com" }], mode: "addOnly" });
    });
  });

  it("refuses the deleteBeforeReplace: true resource option while the program runs, naming the resource: its delete would run before the resources declared after it", () => {
    // Refused before anything is claimed or registered.
    assert.throws(() => new ChatSpaceMembers("eng-members", { space: "spaces/AAA", members: [{ user: "alice@example.com" }] }, { deleteBeforeReplace: true }), {
      message:
        "ChatSpaceMembers eng-members: the resource option deleteBeforeReplace: true is refused. Pulumi runs a delete-first replacement's delete as soon as the resource is registered, " +
        "before the resources the program declares after it, so a member moved to one of them would be removed from the space. " +
        "Remove the option: a replacement then creates first, and the old resource's delete, after the program has run, keeps every member another resource declares.",
    });
  });

  it("a program run again in the same process (Automation API inline programs) conflicts with nothing of its earlier run", async () => {
    const program = () => {
      new ChatSpaceMembers("eng-members", { space: "spaces/AAA", members: [{ user: "alice@example.com" }] });
      new ChatSpaceMembers("ops-members", { space: "spaces/BBB", members: [] });
    };
    await register(program);
    assert.equal((await register(program)).length, 2);
  });

  it("members given as an Output are matched when they resolve: the program fails then", async () => {
    const failures: string[] = [];
    const onRejection = (e: unknown) => void failures.push((e as Error).message);
    process.on("unhandledRejection", onRejection);
    try {
      await register(() => {
        new ChatMembership("alice", { space: "spaces/AAA", user: "alice@example.com" });
        new ChatSpaceMembers("eng-members", { space: "spaces/AAA", members: pulumi.output([{ user: "alice@example.com" }]), mode: "addOnly" });
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off("unhandledRejection", onRejection);
    }
    // The rejection reaches each promise derived from the Output: one message.
    assert.deepEqual(
      [...new Set(failures.map((m) => m.split(":  a member")[0].split(" in spaces/")[0]))],
      ["ChatSpaceMembers eng-members: members[0] users/alice@example.com is also declared by ChatMembership alice"],
    );
  });
});
