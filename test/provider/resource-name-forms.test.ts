/**
 * What a space's and a membership's name may be (provider/core/resource-names.ts), as every check
 * and import takes it: a name the Chat client would send as another path ("..", "."), or cut at a
 * URL's query or fragment ("?", "#"), or decode ("%"), fails at check naming the property, with no
 * call: the client refuses dot segments with an error of no HTTP status, which was retried for
 * minutes and then blamed on Google.
 */
import assert from "node:assert/strict";
import { isMembershipName, isSpaceName } from "../../provider/core/resource-names";
import { checkMembership } from "../../provider/membership/check";
import type { ChatMembershipInputs } from "../../provider/membership/types";
import { checkInputs } from "../../provider/space/check";
import type { ChatSpaceInputs } from "../../provider/space/types";
import { checkRoster } from "../../provider/space-members/check";

const now = Date.parse("2026-12-06T00:00:00Z");
const reasons = (failures: { property: string; reason: string }[]) => failures.map((f) => `${f.property} ${f.reason}`);

const NOT_SPACES = ["spaces/..", "spaces/.", "spaces/AAAA#x", "spaces/AAAA?alt=json", "spaces/AA%2F..", "spaces/AAAA:undelete", "spaces/AAAA.1"];

describe("provider: the forms of a space's and a membership's name", () => {
  for (const name of NOT_SPACES)
    it(`${JSON.stringify(name)} is no space's name: adoptSpace, a ChatMembership's and a roster's space, and an import id refuse it`, () => {
      assert.equal(isSpaceName(name), false);
      assert.equal(isMembershipName(`${name}/members/110000000000000000002`), false);
      assert.deepEqual(reasons(checkInputs({ displayName: "X", adoptSpace: name } as ChatSpaceInputs, { creating: true, now })), [
        `adoptSpace must name an existing space as spaces/{space}, not ${JSON.stringify(name)}.`,
      ]);
      assert.deepEqual(reasons(checkMembership({ space: name, user: "alice@example.com" } as ChatMembershipInputs, { auth: "user", now })), [
        `space must be spaces/{space}, not ${JSON.stringify(name)}.`,
      ]);
      assert.deepEqual(reasons(checkRoster({ space: name, members: [] }, { auth: "user", now })), [
        `space must be spaces/{space}, not ${JSON.stringify(name)}.`,
      ]);
    });

  for (const member of ["..", ".", "alice@example.com#x", "110?x=1", "a%2Fb"])
    it(`spaces/AAAA/members/${member} is no membership's name`, () => assert.equal(isMembershipName(`spaces/AAAA/members/${member}`), false));

  for (const name of ["spaces/AAAAPhMsFf0", "spaces/AAAA_-9z"])
    it(`${name} is a space's name, and its members' names are memberships' names`, () => {
      assert.equal(isSpaceName(name), true);
      for (const member of ["110000000000000000002", "alice@example.com", "app"]) assert.equal(isMembershipName(`${name}/members/${member}`), true);
    });
});
