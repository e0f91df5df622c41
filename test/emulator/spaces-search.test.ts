import assert from "node:assert/strict";
import { googleError, useEmulator } from "../helpers/emulator";
import { kindOf, seedOrganisation } from "../helpers/organisation";

const BASE = 'customer = "customers/my_customer" AND space_type = "SPACE"';

describe("emulator: spaces.search with admin access and without, spaces.list filters", () => {
  const t = useEmulator();
  const admin = (scope = "chat.admin.spaces.readonly") => t.asDelegatedUser("admin@example.com", [scope]);
  const search = async (query: string, more: { orderBy?: string; pageSize?: number; pageToken?: string } = {}) =>
    (await admin().spaces.search({ useAdminAccess: true, query, ...more })).data;
  const names = (answer: { spaces?: { displayName?: string | null }[] }) => (answer.spaces ?? []).map((s) => s.displayName);

  beforeEach(() =>
    t.control.seed([
      {
        displayName: "Fun event",
        createTime: "2019-06-01T00:00:00Z",
        lastActiveTime: "2021-01-01T00:00:00Z",
        members: [{ member: "users/alice@example.com" }],
      },
      { displayName: "The evening was fun", createTime: "2020-06-01T00:00:00Z", externalUserAllowed: true, spaceHistoryState: "HISTORY_OFF" },
      {
        displayName: "notFun event",
        createTime: "2021-06-01T00:00:00Z",
        lastActiveTime: "2023-01-01T00:00:00Z",
        members: [{ member: "users/alice@example.com" }, { member: "users/bob@example.com" }, { member: "groups/eng" }],
      },
      { displayName: "Hidden import", importMode: true },
      { spaceType: "GROUP_CHAT", lastActiveTime: "2022-01-01T00:00:00Z", members: [{ member: "users/bob@example.com" }] },
      { spaceType: "DIRECT_MESSAGE", members: [{ member: "users/alice@example.com" }] },
    ]),
  );

  it("finds the organisation's SPACEs (not import mode, not group chats or DMs), in full, with results and totalSize", async () => {
    const answer = await search(BASE);
    assert.deepEqual(names(answer), ["Fun event", "The evening was fun", "notFun event"]);
    assert.equal(answer.totalSize, 3);
    assert.deepEqual(
      answer.results?.map((r) => r.space),
      answer.spaces,
    );
    // As spaces.get with admin access answers: permission and access settings included.
    assert.ok(answer.spaces?.[0].permissionSettings?.manageApps);
    assert.deepEqual(answer.spaces?.[0].accessSettings, { accessState: "PRIVATE" });
    assert.deepEqual(answer.spaces?.[2].membershipCount, { joinedDirectHumanUserCount: 3, joinedGroupCount: 1 });
  });

  it("matches display_name token prefixes case-insensitively, ORs within a field, ANDs across fields", async () => {
    assert.deepEqual(names(await search(`${BASE} AND display_name:"Fun Eve"`)), ["Fun event", "The evening was fun"]);
    assert.deepEqual(names(await search(`${BASE} AND display_name:"even"`)), ["Fun event", "The evening was fun", "notFun event"]);
    assert.deepEqual(names(await search(`${BASE} AND (display_name:"notfun" OR display_name:"evening")`)), ["The evening was fun", "notFun event"]);
    assert.deepEqual(names(await search(`${BASE} AND external_user_allowed = "true"`)), ["The evening was fun"]);
    assert.deepEqual(names(await search(`${BASE} AND (space_history_state = "HISTORY_ON" OR space_history_state = "HISTORY_OFF")`)).length, 3);
    assert.deepEqual(names(await search(`${BASE} AND space_history_state = "HISTORY_OFF" AND external_user_allowed = "false"`)), []);
  });

  it("leaves a space without createTime out of every create_time range, and oldest in create_time order (Google sets createTime only for spaces created in Chat)", async () => {
    await t.control.seed([{ displayName: "Legacy room", createTime: null }]);
    assert.deepEqual(names(await search(`${BASE} AND create_time < "2030-01-01T00:00:00Z"`)), ["Fun event", "The evening was fun", "notFun event"]);
    assert.deepEqual(names(await search(`${BASE} AND create_time > "1970-01-01T00:00:00Z"`)), ["Fun event", "The evening was fun", "notFun event"]);
    assert.deepEqual(names(await search(BASE, { orderBy: "create_time ASC" })), ["Legacy room", "Fun event", "The evening was fun", "notFun event"]);
    assert.deepEqual(names(await search(BASE, { orderBy: "create_time DESC" })), ["notFun event", "The evening was fun", "Fun event", "Legacy room"]);
  });

  it("pages through an organisation of 300 spaces: every SPACE not in import mode once, in create_time order, whatever the page size", async () => {
    await t.control.reset();
    const seeded = await seedOrganisation(t.control, await t.control.serviceAccount(), 300);
    const expected = seeded.filter((_, i) => kindOf(i) === "space" || kindOf(i) === "appSpace");
    const pages = async (pageSize: number) => {
      const found: string[] = [];
      let pageToken: string | undefined;
      let count = 0;
      do {
        const answer = await search(BASE, { pageSize, pageToken });
        found.push(...(answer.spaces ?? []).map((space) => space.name!));
        pageToken = answer.nextPageToken ?? undefined;
        count++;
      } while (pageToken);
      return { found, count };
    };
    const byHundred = await pages(100);
    const whole = await pages(1000);
    assert.equal(whole.count, 1);
    assert.deepEqual(byHundred.found, whole.found);
    assert.equal(byHundred.count, Math.ceil(expected.length / 100));
    // Seeded in create_time order; the space without one (number 12, a legacy space) sorts oldest.
    assert.deepEqual(whole.found, [seeded[12], ...expected.filter((name) => name !== seeded[12])]);
  });

  it("takes create_time and last_active_time comparisons, intervals with AND and alternatives with OR", async () => {
    assert.deepEqual(names(await search(`${BASE} AND (create_time > "2019-01-01T00:00:00+00:00" AND create_time < "2021-01-01T00:00:00+00:00")`)), [
      "Fun event",
      "The evening was fun",
    ]);
    assert.deepEqual(names(await search(`${BASE} AND create_time >= "2021-06-01T00:00:00Z"`)), ["notFun event"]);
    assert.deepEqual(names(await search(`${BASE} AND create_time = "2020-06-01T00:00:00Z"`)), ["The evening was fun"]);
    // A space with no activity has no last_active_time to compare.
    assert.deepEqual(names(await search(`${BASE} AND (last_active_time < "2022-01-01T00:00:00+00:00" OR last_active_time >= "2023-01-01T00:00:00Z")`)), [
      "Fun event",
      "notFun event",
    ]);
  });

  it("orders by member count, activity or creation, ASC by default, DESC on request", async () => {
    assert.deepEqual(names(await search(BASE, { orderBy: "membership_count.joined_direct_human_user_count DESC" })), [
      "notFun event",
      "Fun event",
      "The evening was fun",
    ]);
    assert.deepEqual(names(await search(BASE, { orderBy: "last_active_time" })), ["The evening was fun", "Fun event", "notFun event"]);
    assert.deepEqual(names(await search(BASE, { orderBy: "create_time DESC" })), ["notFun event", "The evening was fun", "Fun event"]);
    await assert.rejects(
      search(BASE, { orderBy: "display_name" }),
      googleError(
        400,
        "INVALID_ARGUMENT",
        'Invalid order_by "display_name": use membership_count.joined_direct_human_user_count, last_active_time, create_time, optionally followed by ASC or DESC.',
      ),
    );
  });

  it("pages with pageToken; a token is bound to its query", async () => {
    const first = await search(BASE, { pageSize: 2 });
    assert.deepEqual(names(first), ["Fun event", "The evening was fun"]);
    assert.equal(first.totalSize, 3);
    const second = await search(BASE, { pageSize: 2, pageToken: first.nextPageToken! });
    assert.deepEqual(names(second), ["notFun event"]);
    assert.equal(second.nextPageToken, undefined);
    await assert.rejects(
      search(`${BASE} AND external_user_allowed = "false"`, { pageToken: first.nextPageToken! }),
      googleError(400, "INVALID_ARGUMENT", "The page_token was made for another query or order_by: repeat them unchanged."),
    );
    await assert.rejects(search(BASE, { pageSize: -1 }), googleError(400, "INVALID_ARGUMENT", "page_size must be a non-negative integer."));
  });

  it("defaults pageSize to 100 and lowers anything above 1000 to 1000", async () => {
    await t.control.seed(Array.from({ length: 1100 }, (_, i) => ({ displayName: `Bulk ${i}` })));
    assert.equal((await search(BASE)).spaces?.length, 100);
    const big = await search(BASE, { pageSize: 5000 });
    assert.equal(big.spaces?.length, 1000);
    assert.equal(big.totalSize, 1103);
  });

  it("refuses queries Google does not support with 400 INVALID_ARGUMENT and the reason", async () => {
    const refused: [string, string][] = [
      ['space_type = "SPACE"', 'customer = "customers/my_customer" is required with useAdminAccess, and the only supported value.'],
      [
        'customer = "customers/C03emu1at" AND space_type = "SPACE"',
        'customer = "customers/my_customer" is required with useAdminAccess, and the only supported value.',
      ],
      ['customer = "customers/my_customer"', 'space_type = "SPACE" is required, and the only valid value.'],
      ['customer = "customers/my_customer" AND space_type = "GROUP_CHAT"', 'space_type = "SPACE" is required, and the only valid value.'],
      [`${BASE} OR display_name:"x"`, "only AND is supported across fields; put OR between terms of one field, in parentheses."],
      [`${BASE} AND (display_name:"a" AND display_name:"b")`, "display_name only supports OR."],
      [`${BASE} AND (display_name:"a" OR external_user_allowed = "true")`, "only AND is supported across fields; a parenthesised group tests one field."],
      [`${BASE} AND display_name = "x"`, "display_name takes HAS (:), not =."],
      [
        `${BASE} AND (create_time > "2020-01-01T00:00:00Z" AND create_time > "2021-01-01T00:00:00Z")`,
        "AND of create_time can only represent an interval: one lower and one upper bound.",
      ],
      [`${BASE} AND create_time > "yesterday"`, 'create_time takes an RFC 3339 timestamp such as "2022-01-01T00:00:00+00:00", not "yesterday".'],
      [`${BASE} AND external_user_allowed = "yes"`, 'external_user_allowed takes "true" or "false", not "yes".'],
      [`${BASE} AND display_name:"a" AND display_name:"b"`, "display_name can only appear in one clause; join its terms with OR in parentheses."],
      [
        `${BASE} AND member_count = "3"`,
        "member_count is not a search field: use customer, space_type, display_name, external_user_allowed, space_history_state, create_time, last_active_time.",
      ],
      [`${BASE} AND (display_name:"a" OR display_name:"b" AND display_name:"c")`, "AND and OR can't be mixed inside one pair of parentheses."],
    ];
    for (const [query, why] of refused) {
      await assert.rejects(search(query), googleError(400, "INVALID_ARGUMENT", `Invalid query "${query}": ${why}`), query);
    }
    await assert.rejects(search(""), googleError(400, "INVALID_ARGUMENT", /^query is required/));
    await assert.rejects(search(`${BASE} AND display_name:"${"x".repeat(1000)}"`), googleError(400, "INVALID_ARGUMENT", /is longer than 1000 characters\.$/));
  });

  it("answers the organisation's spaces only with admin access, the admin scopes and an administrator", async () => {
    assert.equal(names(await search(BASE)).length, 3);
    assert.equal(names((await admin("chat.admin.spaces").spaces.search({ useAdminAccess: true, query: BASE })).data).length, 3);
    await assert.rejects(
      t.asDelegatedUser("admin@example.com", ["chat.spaces.readonly"]).spaces.search({ query: BASE }),
      googleError(
        400,
        "INVALID_ARGUMENT",
        `Invalid query "${BASE}": customer is a search field with useAdminAccess only: without it use display_name, external_user_allowed, space_type.`,
      ),
    );
    await assert.rejects(
      t.asDelegatedUser("admin@example.com", ["chat.spaces.readonly"]).spaces.search({ useAdminAccess: true, query: BASE }),
      googleError(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes."),
    );
    await assert.rejects(
      t.asDelegatedUser("alice@example.com", ["chat.admin.spaces.readonly"]).spaces.search({ useAdminAccess: true, query: BASE }),
      googleError(403, "PERMISSION_DENIED", "useAdminAccess requires a Google Workspace administrator."),
    );
    const [search1] = (await t.control.requests()).filter((r) => r.rpc === "spaces.search");
    assert.equal(search1.path, "/v1/spaces:search");
  });

  it("without admin access, searches the SPACEs the calling user has joined (chat.spaces.readonly or chat.spaces): display_name required for results, one page of at most 100, newest first", async () => {
    const alice = (scope = "chat.spaces.readonly") => t.asDelegatedUser("alice@example.com", [scope]);
    const userSearch = async (query: string, more: { orderBy?: string; pageSize?: number; pageToken?: string } = {}, scope?: string) =>
      (await alice(scope).spaces.search({ query, ...more })).data;
    const events = await userSearch('display_name:"event" AND space_type = "SPACE"');
    assert.deepEqual(names(events), ["notFun event", "Fun event"]);
    assert.deepEqual(
      events.results?.map((r) => r.space?.displayName),
      ["notFun event", "Fun event"],
    );
    assert.equal(events.totalSize, undefined);
    assert.equal(events.nextPageToken, undefined);
    // "The evening was fun" matches, but alice is not in it.
    assert.deepEqual(names(await userSearch('space_type = "SPACE" AND display_name:"fun"', {}, "chat.spaces")), ["Fun event"]);
    // v1.d.ts's own example: the whole query in parentheses, AND across fields.
    assert.deepEqual(names(await userSearch('(external_user_allowed = "false" AND display_name:"event" AND space_type = "SPACE")')), [
      "notFun event",
      "Fun event",
    ]);
    assert.deepEqual(names(await userSearch('display_name:"event" AND space_type = "SPACE"', { orderBy: "relevance DESC" })), ["notFun event", "Fun event"]);
    assert.deepEqual(await userSearch('space_type = "SPACE" AND external_user_allowed = "false"'), {});
    await assert.rejects(
      userSearch('space_type = "SPACE" AND display_name:"event"', { orderBy: "create_time ASC" }),
      googleError(400, "INVALID_ARGUMENT", 'Invalid order_by "create_time ASC": without useAdminAccess use create_time DESC or relevance DESC.'),
    );
    await assert.rejects(
      userSearch('space_type = "SPACE" AND create_time > "2020-01-01T00:00:00Z"'),
      googleError(
        400,
        "INVALID_ARGUMENT",
        'Invalid query "space_type = "SPACE" AND create_time > "2020-01-01T00:00:00Z"": create_time is a search field with useAdminAccess only: without it use display_name, external_user_allowed, space_type.',
      ),
    );
    await assert.rejects(userSearch('display_name:"event"'), googleError(400, "INVALID_ARGUMENT", /space_type = "SPACE" is required/));
    await assert.rejects(
      userSearch('space_type = "SPACE" AND display_name:"event"', { pageToken: "x" }),
      googleError(400, "INVALID_ARGUMENT", "Invalid page_token."),
    );
    await assert.rejects(
      t.asApp(["chat.bot"]).spaces.search({ query: 'space_type = "SPACE" AND display_name:"event"' }),
      googleError(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes."),
    );
    await t.control.seed(Array.from({ length: 120 }, (_, i) => ({ displayName: `Bulk ${i}`, members: [{ member: "users/alice@example.com" }] })));
    assert.equal((await userSearch('space_type = "SPACE" AND display_name:"bulk"', { pageSize: 500 })).spaces?.length, 100);
  });

  it("lists group chats and DMs once they have a message, filtered by space type with OR", async () => {
    const bob = t.asDelegatedUser("bob@example.com", ["chat.spaces.readonly"]);
    assert.deepEqual(
      (await bob.spaces.list({})).data.spaces?.map((s) => s.spaceType),
      ["SPACE", "GROUP_CHAT"],
    );
    const alice = t.asDelegatedUser("alice@example.com", ["chat.spaces.readonly"]);
    // The DM has no message yet: not listed.
    assert.deepEqual(
      (await alice.spaces.list({})).data.spaces?.map((s) => s.displayName),
      ["Fun event", "notFun event"],
    );
    const adminUser = t.asDelegatedUser("admin@example.com", ["chat.spaces.readonly"]);
    assert.deepEqual((await adminUser.spaces.list({ filter: 'space_type = "GROUP_CHAT"' })).data.spaces?.length, 1);
    assert.deepEqual((await adminUser.spaces.list({ filter: 'spaceType = "SPACE" OR spaceType = "GROUP_CHAT"' })).data.spaces?.length, 4);
    await assert.rejects(
      adminUser.spaces.list({ filter: 'space_type = "SPACE" AND display_name = "x"' }),
      googleError(
        400,
        "INVALID_ARGUMENT",
        'Invalid filter "space_type = "SPACE" AND display_name = "x"": only space_type = "..." terms joined by OR are supported.',
      ),
    );
  });
});
