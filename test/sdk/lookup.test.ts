import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { isChatApiCall } from "../../emulator";
import { ChatMembership, ChatSpace } from "../../sdk";
import { useEmulator } from "../helpers/emulator";
import { seedOrganisation } from "../helpers/organisation";
import { apiCalls, emulatorConfig } from "../helpers/provider";

describe("sdk: ChatSpace.lookup, under Pulumi's mocks, against the emulator", () => {
  const t = useEmulator();
  // The config is the process's: other suites run without it.
  after(() => pulumi.runtime.setAllConfig({}));

  /** The program's `googlechat:` config, as `pulumi config set` would give it; the key as a secret. */
  async function program(options: { useAdminAccess?: boolean; user?: string } = {}) {
    pulumi.runtime.setAllConfig(emulatorConfig(t, options), ["googlechat:credentials"]);
    const registered: Record<string, any>[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(args.inputs);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      "chat-project",
      "dev",
      false,
    );
    return registered;
  }

  it("finds the caller's space by its exact display name with spaces.list, once per deployment", async () => {
    const [eng] = await t.control.seed([{ displayName: "Engineering" }, { displayName: "Engineering ops" }, { displayName: "Sales" }]);
    const registered = await program();
    const first = ChatSpace.lookup({ displayName: "Engineering" });
    new ChatMembership("alice", { space: first.then((s) => s.name), user: "alice@example.com" });
    const again = await ChatSpace.lookup({ displayName: "Engineering" });
    assert.deepEqual(await first, {
      name: eng,
      displayName: "Engineering",
      spaceUri: `https://chat.google.com/room/${eng.slice("spaces/".length)}?cls=11`,
      spaceType: "SPACE",
      externalUserAllowed: false,
      customer: "customers/C03emu1at",
    });
    assert.equal(again, await first);
    await pulumi.runtime.disconnect();
    assert.equal(registered[0].space, eng);
    // One page for both lookups; filtered to named spaces.
    assert.deepEqual(await apiCalls(t), ["GET /v1/spaces 200"]);
    const [list] = (await t.control.requests()).filter((r) => r.rpc === "spaces.list");
    assert.deepEqual(list.query, { filter: 'space_type = "SPACE"', pageSize: "1000" });
  });

  it("searches the organisation with admin access when the provider is configured for it", async () => {
    // alice's space: the administrator is not in it, and finds it all the same.
    const [, sales] = await t.control.seed([{ displayName: "Sales team" }, { displayName: "Sales", creator: "users/alice@example.com" }]);
    await program({ useAdminAccess: true });
    assert.equal((await ChatSpace.lookup({ displayName: "Sales" })).name, sales);
    const [search] = (await t.control.requests()).filter((r) => r.rpc === "spaces.search");
    assert.deepEqual(search.query, {
      query: 'customer = "customers/my_customer" AND space_type = "SPACE" AND display_name:"Sales"',
      pageSize: "1000",
      useAdminAccess: "true",
    });
    assert.deepEqual(await apiCalls(t), ["GET /v1/spaces:search 200"]);
  });

  it("with admin access, finds a name holding a quote: searched by its words (Google's query has no escape), the exact name picked from what it finds", async () => {
    const [quoted, plain] = await t.control.seed([
      { displayName: 'Say "hi"' },
      { displayName: "Say hi", creator: "users/alice@example.com" },
      { displayName: "Say hello" },
    ]);
    await program({ useAdminAccess: true });
    assert.equal((await ChatSpace.lookup({ displayName: 'Say "hi"' })).name, quoted);
    assert.equal((await ChatSpace.lookup({ displayName: "Say hi" })).name, plain);
    const searches = (await t.control.requests()).filter((r) => r.rpc === "spaces.search").map((r) => r.query.query);
    assert.deepEqual(searches, Array(2).fill('customer = "customers/my_customer" AND space_type = "SPACE" AND display_name:"Say hi"'));
    assert.deepEqual(await apiCalls(t), Array(2).fill("GET /v1/spaces:search 200"));
  });

  it("with admin access, finds a name with no letter or digit among every space: no word to search for", async () => {
    const [dash] = await t.control.seed([{ displayName: '"-"' }, { displayName: "Sales" }]);
    await program({ useAdminAccess: true });
    assert.equal((await ChatSpace.lookup({ displayName: '"-"' })).name, dash);
    const [search] = (await t.control.requests()).filter((r) => r.rpc === "spaces.search");
    assert.equal(search.query.query, 'customer = "customers/my_customer" AND space_type = "SPACE"');
  });

  it("says so when no space, or more than one, has the name", async () => {
    const [ours, theirs] = await t.control.seed([
      { displayName: "Partners", members: [{ member: "users/bob@example.com" }] },
      { displayName: "Partners", customer: "customers/C09partner", creator: "users/erin@partner.example", members: [{ member: "users/bob@example.com" }] },
    ]);
    await program({ user: "bob@example.com" });
    await assert.rejects(ChatSpace.lookup({ displayName: "Partners" }), {
      message: `ChatSpace.lookup: 2 spaces are named "Partners" among the spaces the configured caller is a member of (spaces.list): ${ours} (customers/C03emu1at), ${theirs} (customers/C09partner). Refer to the one you mean by its name instead.`,
    });
    await assert.rejects(ChatSpace.lookup({ displayName: "Partner" }), {
      message:
        'ChatSpace.lookup: no space is named "Partner" among the spaces the configured caller is a member of (spaces.list). Check the name (it must match exactly), or the credentials: add the caller to the space, or set googlechat:useAdminAccess as a Workspace administrator.',
    });
    await assert.rejects(ChatSpace.lookup({ displayName: " " }), { message: "ChatSpace.lookup: give the space's displayName." });
  });

  it("in an organisation of 300 spaces, finds a space by its exact name among those whose words match, with one search page or one listing page", async () => {
    const names = await seedOrganisation(t.control, await t.control.serviceAccount(), 300);
    // "Team 21 Sales" also word-matches "Team 211 Sales" (display_name HAS prefix-matches words);
    // the administrator is not a member of space 19 ("Team 19 Design": adminIsMember).
    assert.equal(names.length, 300);
    await program({ useAdminAccess: true });
    assert.equal((await ChatSpace.lookup({ displayName: "Team 21 Sales" })).name, names[21]);
    assert.equal((await ChatSpace.lookup({ displayName: "Team 19 Design" })).name, names[19]);
    assert.equal((await ChatSpace.lookup({ displayName: "OPS" })).name, names[107]);
    assert.deepEqual(await apiCalls(t), Array(3).fill("GET /v1/spaces:search 200"));
    const mark = (await t.control.requests()).length;
    await program({ user: "admin@example.com" });
    assert.equal((await ChatSpace.lookup({ displayName: "Team 211 Sales" })).name, names[211]);
    await assert.rejects(ChatSpace.lookup({ displayName: "Team 19 Design" }), {
      message:
        'ChatSpace.lookup: no space is named "Team 19 Design" among the spaces the configured caller is a member of (spaces.list). Check the name (it must match exactly), or the credentials: add the caller to the space, or set googlechat:useAdminAccess as a Workspace administrator.',
    });
    const lists = (await t.control.requests())
      .slice(mark)
      .filter(isChatApiCall)
      .map((r) => `${r.rpc} ${r.status}`);
    assert.deepEqual(lists, ["spaces.list 200", "spaces.list 200"]);
  });

  it("asks for a display name, with no call to Google, when a JavaScript program passes no argument or no name", async () => {
    await program({ user: "bob@example.com" });
    const rejected = { message: "ChatSpace.lookup: give the space's displayName." };
    await assert.rejects(ChatSpace.lookup(undefined as never), rejected);
    await assert.rejects(ChatSpace.lookup({} as never), rejected);
    await assert.rejects(ChatSpace.lookup({ displayName: 7 } as never), rejected);
    assert.deepEqual(await apiCalls(t), []);
  });
});
