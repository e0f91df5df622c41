import assert from "node:assert/strict";
import { googleError, useEmulator } from "../helpers/emulator";

describe("emulator: spaces.create", () => {
  const t = useEmulator();
  const admin = () => t.asDelegatedUser("admin@example.com", ["chat.spaces", "chat.delete", "chat.memberships"]);

  it("creates a space for a user, who joins as its manager, and fills the server fields", async () => {
    const before = Date.now();
    const { data: space } = await admin().spaces.create({
      requestBody: { spaceType: "SPACE", displayName: "Engineering", spaceDetails: { description: "Platform" } },
    });
    assert.match(space.name!, /^spaces\/AAAA[A-Za-z0-9_-]{7}$/);
    const id = space.name!.slice("spaces/".length);
    assert.equal(space.spaceUri, `https://chat.google.com/room/${id}?cls=11`);
    assert.ok(Date.parse(space.createTime!) >= before - 5);
    assert.deepEqual(
      { ...space, name: undefined, spaceUri: undefined, createTime: undefined },
      {
        name: undefined,
        spaceUri: undefined,
        createTime: undefined,
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
        permissionSettings: Object.fromEntries(
          [
            "manageMembersAndGroups",
            "modifySpaceDetails",
            "toggleHistory",
            "useAtMentionAll",
            "manageApps",
            "manageWebhooks",
            "replyMessages",
            "postMessages",
          ].map((k) => [k, { managersAllowed: true, membersAllowed: true }]),
        ),
      },
    );
    const members = await admin().spaces.members.list({ parent: space.name! });
    assert.deepEqual(
      members.data.memberships?.map((m) => [m.member?.name, m.role, m.state]),
      [["users/110000000000000000001", "ROLE_MANAGER", "JOINED"]],
    );
  });
});
