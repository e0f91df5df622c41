import assert from "node:assert/strict";
import { PERMISSION_KEYS } from "../../emulator/model";
import { googleError, useEmulator } from "../helpers/emulator";

const ALL_SETTINGS = [...PERMISSION_KEYS, "postMessages"];

describe("emulator: spaces.create", () => {
  const t = useEmulator();
  const admin = () => t.asDelegatedUser("admin@example.com", ["chat.spaces", "chat.delete", "chat.memberships"]);
  const app = () => t.asApp(["chat.app.spaces", "chat.app.spaces.create", "chat.app.memberships"]);
  const importer = () => t.asDelegatedUser("admin@example.com", ["chat.import"]);
  const create = (requestBody: object) => admin().spaces.create({ requestBody });

  it("creates a space for a user, who joins as its manager, and fills the server fields", async () => {
    const before = Date.now();
    const { data: space } = await create({
      spaceType: "SPACE",
      displayName: "Engineering",
      spaceDetails: { description: "Platform" },
    });
    assert.match(space.name!, /^spaces\/AAAA[A-Za-z0-9_-]{7}$/);
    const id = space.name!.slice("spaces/".length);
    assert.equal(space.spaceUri, `https://chat.google.com/room/${id}?cls=11`);
    assert.ok(Date.parse(space.createTime!) >= before - 5);
    const { name, spaceUri, createTime, ...rest } = space;
    assert.deepEqual(rest, {
      type: "ROOM",
      spaceType: "SPACE",
      threaded: true,
      spaceThreadingState: "THREADED_MESSAGES",
      displayName: "Engineering",
      spaceDetails: { description: "Platform" },
      spaceHistoryState: "HISTORY_ON",
      customer: "customers/C03emu1at",
      membershipCount: { joinedDirectHumanUserCount: 1 },
      accessSettings: { accessState: "PRIVATE" },
      permissionSettings: Object.fromEntries(ALL_SETTINGS.map((k) => [k, { managersAllowed: true, membersAllowed: true }])),
    });
    const members = await admin().spaces.members.list({ parent: space.name! });
    assert.deepEqual(
      members.data.memberships?.map((m) => [m.member?.name, m.role, m.state]),
      [["users/110000000000000000001", "ROLE_MANAGER", "JOINED"]],
    );
  });

  it("omits proto3 defaults: no importMode, no externalUserAllowed false", async () => {
    const { data } = await create({ spaceType: "SPACE", displayName: "Plain", externalUserAllowed: false, importMode: false });
    assert.equal("importMode" in data, false);
    assert.equal("externalUserAllowed" in data, false);
    assert.equal("importModeExpireTime" in data, false);
  });

  it("fills permission settings from ANNOUNCEMENT_SPACE: managers only, replies open to members", async () => {
    const { data } = await create({
      spaceType: "SPACE",
      displayName: "News",
      predefinedPermissionSettings: "ANNOUNCEMENT_SPACE",
    });
    assert.deepEqual(data.permissionSettings?.postMessages, { managersAllowed: true });
    assert.deepEqual(data.permissionSettings?.manageApps, { managersAllowed: true });
    assert.deepEqual(data.permissionSettings?.replyMessages, { managersAllowed: true, membersAllowed: true });
    assert.equal("predefinedPermissionSettings" in data, false);
  });

  it("creates a space with app auth: the app joins as a plain member, not a manager", async () => {
    const { data } = await app().spaces.create({
      requestBody: { spaceType: "SPACE", displayName: "Bots", customer: "customers/my_customer" },
    });
    assert.equal(data.customer, "customers/C03emu1at");
    assert.deepEqual(data.membershipCount, {});
    const state = await t.control.state();
    const id = data.name!.slice("spaces/".length);
    assert.deepEqual(
      state.memberships[id].map((m) => [m.type, m.role]),
      [["BOT", "ROLE_MEMBER"]],
    );
    const members = await app().spaces.members.list({ parent: data.name! });
    assert.equal(members.data.memberships, undefined, "app auth lists no app memberships, its own included");
  });

  it("creates an import-mode GROUP_CHAT with a historical createTime, no members, and a 90-day expiry", async () => {
    const before = Date.now();
    const { data } = await importer().spaces.create({
      requestBody: { spaceType: "GROUP_CHAT", importMode: true, createTime: "2019-05-01T10:00:00Z" },
    });
    assert.equal(data.importMode, true);
    assert.equal(data.createTime, "2019-05-01T10:00:00.000Z");
    assert.equal(data.spaceThreadingState, "UNTHREADED_MESSAGES");
    const expiry = Date.parse(data.importModeExpireTime!) - before;
    assert.ok(Math.abs(expiry - 90 * 24 * 3600 * 1000) < 5000, `expiry ${expiry}`);
    assert.deepEqual((await t.control.state()).memberships[data.name!.slice(7)], []);
  });

  it("ignores createTime outside import mode", async () => {
    const { data } = await create({ spaceType: "SPACE", displayName: "Now", createTime: "2001-01-01T00:00:00Z" });
    assert.notEqual(data.createTime, "2001-01-01T00:00:00.000Z");
  });

  it("counts characters as code points: 128 emoji are a valid display name", async () => {
    const { data } = await create({ spaceType: "SPACE", displayName: "😀".repeat(128) });
    assert.equal([...data.displayName!].length, 128);
  });

  const invalid: [string, object, string][] = [
    ["no spaceType", { displayName: "X" }, "space.space_type is required: use SPACE, or GROUP_CHAT in import mode."],
    ["a DM", { spaceType: "DIRECT_MESSAGE" }, "Direct messages can't be created with spaces.create; use spaces.setup."],
    ["a GROUP_CHAT outside import mode", { spaceType: "GROUP_CHAT" }, "A GROUP_CHAT can only be created in import mode."],
    ["an unknown type", { spaceType: "ROOM", displayName: "X" }, 'Invalid value for space.space_type: "ROOM".'],
    ["a SPACE without displayName", { spaceType: "SPACE" }, "space.display_name is required when space_type is SPACE."],
    ["a blank displayName", { spaceType: "SPACE", displayName: "  " }, "space.display_name is required when space_type is SPACE."],
    [
      "a 129-character displayName",
      { spaceType: "SPACE", displayName: "x".repeat(129) },
      "space.display_name is 129 characters long; it supports up to 128 characters.",
    ],
    [
      "a 151-character description",
      { spaceType: "SPACE", displayName: "X", spaceDetails: { description: "d".repeat(151) } },
      "space.space_details.description is 151 characters long; it supports up to 150 characters.",
    ],
    [
      "5001 characters of guidelines",
      { spaceType: "SPACE", displayName: "X", spaceDetails: { guidelines: "g".repeat(5001) } },
      "space.space_details.guidelines is 5001 characters long; it supports up to 5000 characters.",
    ],
    [
      "permissionSettings",
      { spaceType: "SPACE", displayName: "X", permissionSettings: { manageApps: { managersAllowed: true } } },
      "space.permission_settings can't be set when creating a space; set predefined_permission_settings, then update permission_settings with spaces.patch.",
    ],
    [
      "an unknown predefined setting",
      { spaceType: "SPACE", displayName: "X", predefinedPermissionSettings: "OPEN" },
      'Invalid value for space.predefined_permission_settings: "OPEN". Use COLLABORATION_SPACE or ANNOUNCEMENT_SPACE.',
    ],
    [
      "an unknown history state",
      { spaceType: "SPACE", displayName: "X", spaceHistoryState: "ON" },
      'Invalid value for space.space_history_state: "ON". Use HISTORY_ON or HISTORY_OFF.',
    ],
    [
      "another organisation's customer with user auth",
      { spaceType: "SPACE", displayName: "X", customer: "customers/C0other" },
      "space.customer should not be set with user authentication.",
    ],
    [
      "a malformed audience",
      { spaceType: "SPACE", displayName: "X", accessSettings: { audience: "everyone" } },
      'Invalid space.access_settings.audience "everyone": use the format audiences/{audience}.',
    ],
  ];
  for (const [what, body, message] of invalid) {
    it(`refuses ${what} with 400 INVALID_ARGUMENT`, async () => {
      await assert.rejects(create(body), googleError(400, "INVALID_ARGUMENT", message));
    });
  }

  it("refuses an import-mode createTime before 2000 or in the future", async () => {
    const message = "space.create_time of an import mode space must be between 2000-01-01 and now.";
    for (const createTime of ["1999-12-31T23:59:59Z", new Date(Date.now() + 3600_000).toISOString()]) {
      await assert.rejects(
        importer().spaces.create({ requestBody: { spaceType: "GROUP_CHAT", importMode: true, createTime } }),
        googleError(400, "INVALID_ARGUMENT", message),
      );
    }
  });

  it("refuses a displayName on an import-mode GROUP_CHAT", async () => {
    await assert.rejects(
      importer().spaces.create({ requestBody: { spaceType: "GROUP_CHAT", importMode: true, displayName: "X" } }),
      googleError(400, "INVALID_ARGUMENT", "space.display_name must not be set when space_type is GROUP_CHAT."),
    );
  });

  it("requires customer, in customers/... form, for app auth of a SPACE", async () => {
    const create = (customer?: string) => app().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Y", customer } });
    await assert.rejects(create(undefined), googleError(400, "INVALID_ARGUMENT", "space.customer is required when creating a SPACE with app authentication."));
    await assert.rejects(create("C03emu1at"), googleError(400, "INVALID_ARGUMENT", 'Invalid space.customer "C03emu1at": use the format customers/{customer}.'));
    await assert.rejects(create("customers/C0other"), googleError(403, "PERMISSION_DENIED", "The caller can't create spaces for customers/C0other."));
  });

  it("creates an app's space in another organisation that approved the app (appCustomers), by its id; users still can't", async () => {
    await t.control.setSettings({ appCustomers: ["customers/C09partner"] });
    const { data } = await app().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Partners", customer: "customers/C09partner" } });
    assert.equal(data.customer, "customers/C09partner");
    // Display names are unique per organisation: the same name is free in the app's own.
    const { data: own } = await app().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Partners", customer: "customers/my_customer" } });
    assert.equal(own.customer, "customers/C03emu1at");
    const user = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    await assert.rejects(
      user.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Theirs", customer: "customers/C09partner" } }),
      googleError(400, "INVALID_ARGUMENT", "space.customer should not be set with user authentication."),
    );
  });

  it("refuses import mode with app auth (403)", async () => {
    await assert.rejects(
      app().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "I", importMode: true, customer: "customers/my_customer" } }),
      googleError(403, "PERMISSION_DENIED", "Import mode spaces can only be created with user authentication."),
    );
  });

  it("refuses a non-import space with only the chat.import scope (403 scope error)", async () => {
    await assert.rejects(
      importer().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Z" } }),
      googleError(403, "PERMISSION_DENIED", "Request had insufficient authentication scopes."),
    );
  });

  it("answers ALREADY_EXISTS (409) for a displayName a live space of the organisation uses, and frees it on delete", async () => {
    const { data } = await create({ spaceType: "SPACE", displayName: "Ops" });
    await assert.rejects(
      app().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Ops", customer: "customers/my_customer" } }),
      googleError(409, "ALREADY_EXISTS", 'A space named "Ops" already exists in this Google Workspace organization. Try a different displayName.'),
    );
    await admin().spaces.delete({ name: data.name! });
    await create({ spaceType: "SPACE", displayName: "Ops" });
  });

  it("sends nothing to the store when validation fails", async () => {
    await assert.rejects(create({ spaceType: "SPACE" }));
    assert.deepEqual((await t.control.state()).spaces, {});
  });

  it("keeps customers/my_customer as sent when canonicalisation is off", async () => {
    await t.control.setSettings({ canonicalizeMyCustomer: false });
    const { data } = await app().spaces.create({
      requestBody: { spaceType: "SPACE", displayName: "Raw", customer: "customers/my_customer" },
    });
    assert.equal(data.customer, "customers/my_customer");
  });
});
