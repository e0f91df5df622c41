import assert from "node:assert/strict";
import type { chat_v1 } from "@googleapis/chat";
import { googleError, useEmulator } from "../helpers/emulator";

describe("emulator: historical memberships of import mode", () => {
  const t = useEmulator();
  const importer = () => t.asDelegatedUser("alice@example.com", ["chat.import"]);
  const as = (email: string) => t.asDelegatedUser(email, ["chat.spaces", "chat.memberships"]);
  let space: chat_v1.Schema$Space;
  const add = (name: string, times: { createTime?: string; deleteTime?: string }) =>
    importer().spaces.members.create({ parent: space.name!, requestBody: { member: { name, type: "HUMAN" }, ...times } });

  beforeEach(async () => {
    ({ data: space } = await importer().spaces.create({
      requestBody: { spaceType: "SPACE", displayName: "Imported", importMode: true, createTime: "2020-01-01T00:00:00Z" },
    }));
  });

  it("writes members with createTime and former members with deleteTime; after completion members see the space, former members don't", async () => {
    const { data: left } = await add("users/bob@example.com", { createTime: "2020-02-01T00:00:00Z", deleteTime: "2021-03-01T00:00:00Z" });
    assert.deepEqual(left, {
      name: `${space.name}/members/110000000000000000003`,
      state: "NOT_A_MEMBER",
      role: "ROLE_MEMBER",
      member: { name: "users/110000000000000000003", type: "HUMAN" },
      createTime: "2020-02-01T00:00:00.000Z",
      deleteTime: "2021-03-01T00:00:00.000Z",
    });
    const { data: stays } = await add("users/admin@example.com", { createTime: "2020-01-02T00:00:00Z" });
    assert.deepEqual([stays.state, stays.createTime, stays.deleteTime], ["JOINED", "2020-01-02T00:00:00.000Z", undefined]);
    const listed = await importer().spaces.members.list({ parent: space.name! });
    assert.deepEqual(
      listed.data.memberships?.map((m) => [m.member?.name, m.state]),
      [
        ["users/110000000000000000003", "NOT_A_MEMBER"],
        ["users/110000000000000000001", "JOINED"],
      ],
    );

    await importer().spaces.completeImport({ name: space.name! });
    assert.equal((await as("admin@example.com").spaces.get({ name: space.name! })).data.membershipCount?.joinedDirectHumanUserCount, 2);
    await assert.rejects(as("bob@example.com").spaces.get({ name: space.name! }), googleError(404, "NOT_FOUND"));
  });

  it("refuses times outside the space's history, and Google Groups", async () => {
    const refused = (times: { createTime?: string; deleteTime?: string }, message: string) =>
      assert.rejects(add("users/bob@example.com", times), googleError(400, "INVALID_ARGUMENT", message));
    await refused({ createTime: "2019-12-31T00:00:00Z" }, "membership.create_time must be between the space's create_time and now.");
    await refused(
      { createTime: "2020-02-01T00:00:00Z", deleteTime: "2020-01-15T00:00:00Z" },
      "membership.delete_time must be after membership.create_time and not after now.",
    );
    await refused({ deleteTime: "2020-02-01T00:00:00Z" }, "membership.delete_time requires membership.create_time.");
    await refused({ createTime: "yesterday" }, 'Invalid membership.create_time "yesterday": use an RFC 3339 timestamp.');
    await assert.rejects(
      importer().spaces.members.create({ parent: space.name!, requestBody: { groupMember: { name: "groups/eng" } } }),
      googleError(400, "INVALID_ARGUMENT", "An import mode space takes only memberships of human users."),
    );
  });

  it("lets the importer take the place of its own historical membership as manager when the import completes", async () => {
    await add("users/alice@example.com", { createTime: "2020-02-01T00:00:00Z", deleteTime: "2020-03-01T00:00:00Z" });
    await importer().spaces.completeImport({ name: space.name! });
    const { data } = await as("alice@example.com").spaces.members.get({ name: `${space.name}/members/alice@example.com` });
    assert.deepEqual([data.state, data.role, data.deleteTime], ["JOINED", "ROLE_MANAGER", undefined]);
  });
});
