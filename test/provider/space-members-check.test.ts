/** check of a ChatSpaceMembers: exact failures named `members[i].field`, and zero API calls. */
import assert from "node:assert/strict";
import { UNKNOWN } from "../../provider/core/engine-values";
import { checkRoster } from "../../provider/space-members/check";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const S = "spaces/AAA";
const ctx = { auth: "user" as const, now: Date.parse("2026-11-27T00:00:00Z") };
const reasons = (inputs: object, c: Parameters<typeof checkRoster>[1] = ctx) => checkRoster(inputs, c).map((f) => `${f.property} ${f.reason}`);

describe("provider: ChatSpaceMembers check", () => {
  const cases: [string, object, string[]][] = [
    [
      "a valid roster",
      {
        space: S,
        members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }, { user: "users/123" }, { group: "groups/devs" }, { chatApp: true }],
        mode: "addOnly",
      },
      [],
    ],
    ["an empty authoritative roster", { space: S, members: [] }, []],
    [
      "no space, no members",
      {},
      [
        "space is required: a ChatSpace (the resource itself), its id, or spaces/{space}.",
        "members is required: the members of the space (an empty list with mode authoritative removes everyone but the caller).",
      ],
    ],
    [
      "a bad space and mode",
      { space: "AAA", members: [], mode: "all" },
      ['space must be spaces/{space}, not "AAA".', 'mode must be authoritative (the default) or addOnly, not "all".'],
    ],
    [
      "an entry with no member",
      { space: S, members: [{ role: "ROLE_MEMBER" }] },
      ["members[0].user one of user, group or chatApp: true is required: the member of the space."],
    ],
    [
      "an entry with two members",
      { space: S, members: [{ user: "alice@example.com", group: "groups/devs" }] },
      [
        "members[0].group only one of user, group and chatApp may be set, not user and group: one entry is one member: declare the other in an entry of its own.",
      ],
    ],
    ["a bad email", { space: S, members: [{ user: "alice" }] }, ['members[0].user must be an email (alice@example.com) or users/{id}, not "alice".']],
    ["a bad group", { space: S, members: [{ group: "devs" }] }, ['members[0].group must be groups/{group}, not "devs".']],
    [
      "an unknown role",
      { space: S, members: [{ user: "alice@example.com", role: "OWNER" }] },
      [
        'members[0].role must be one of ROLE_MEMBER, ROLE_ASSISTANT_MANAGER, ROLE_MANAGER (ROLE_ASSISTANT_MANAGER is shown as Manager in Chat, ROLE_MANAGER as Owner), not "OWNER".',
      ],
    ],
    [
      "a role on a group",
      { space: S, members: [{ group: "groups/devs", role: "ROLE_MEMBER" }] },
      ["members[0].role can't be set on a Google Group's membership: Google gives groups no role. Leave it out."],
    ],
    [
      "a member twice, by other letter cases",
      { space: S, members: [{ user: "alice@example.com" }, { user: "bob@example.com" }, { user: "Alice@Example.com", role: "ROLE_MANAGER" }] },
      ["members[2] users/alice@example.com is already declared as members[0]: declare each member once, with one role; remove one of the two entries."],
    ],
    [
      "an unknown field",
      { space: S, members: [{ user: "alice@example.com", email: "x" }] },
      ['members[0].email unknown field "email": a member takes user, group, chatApp and role.'],
    ],
    ["unknown values at preview", { space: UNKNOWN, members: [{ user: UNKNOWN }, UNKNOWN], mode: UNKNOWN }, []],
  ];
  for (const [title, inputs, expected] of cases) {
    it(`${title}: ${expected.length} failure(s)`, () => assert.deepEqual(reasons(inputs), expected));
  }

  it("with app authentication, refuses groups and the app", () => {
    assert.deepEqual(reasons({ space: S, members: [{ group: "groups/devs" }, { chatApp: true }] }, { ...ctx, auth: "app" }), [
      "members[0].group needs user authentication: a Chat app can't add or remove Google Groups (googlechat:impersonateUser); or leave it out: a group already in the space stays, as under app authentication none is removed.",
      "members[1].chatApp can't be added with app authentication: a Chat app can't add Chat apps. Add it with user authentication (googlechat:impersonateUser).",
    ]);
  });

  describe("through the provider", () => {
    const t = useEmulator();
    it("fails check, and a create of invalid inputs, with zero API calls", async () => {
      const { provider } = await spaceMembersProvider(t);
      const mark = await logMark(t);
      const inputs = rosterInputs("eng-members", { space: S, members: [{ user: "alice@example.com" }, { user: "alice@example.com" }] });
      assert.deepEqual(await provider.check({}, inputs), {
        failures: [
          {
            property: "members[1]",
            reason: "users/alice@example.com is already declared as members[0]: declare each member once, with one role; remove one of the two entries.",
          },
        ],
      });
      await assert.rejects(provider.create(inputs), {
        message:
          "ChatSpaceMembers eng-members: members[1] users/alice@example.com is already declared as members[0]: declare each member once, with one role; remove one of the two entries.",
      });
      assert.deepEqual(await apiCalls(t, mark), []);
    });
  });
});
