/**
 * Path: space-members/provider.ts `callerConfirmed`, in `diff` (preview) and in `apply` (update),
 * where the plan from the state refuses a change as leaving no owner. The state records its caller
 * as the former holder of the caller's address; the new holder joined as an owner in Chat since
 * the last listing. Whether the plan counts her depends on what the provider process learnt
 * before: a process that already knows the caller's users/{id} (any resource of the deployment
 * asked it first) finds her missing from the listing, reads her membership and counts her as an
 * owner who stays; a process that does not reads her by email, records her as the caller, and
 * does not add her membership, so the plan still refuses. A preview whose process learnt the id
 * from another roster announces the demotion; the update (`pulumi up` runs it in other provider
 * processes, which diff each resource again before its update), where this roster's diff runs
 * before the other roster's, refuses it. The same diff run twice in one process answers a refusal
 * first and a change then.
 *
 * Promise broken: the update plans as its preview did (what a preview shows is what `pulumi up`
 * does): the same roster, state and declaration are planned differently by two processes.
 */
import assert from "node:assert/strict";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { addressGivenToNewOwnerOf, adminsSpaceWithAlice, alicesSpaceWithAdmin, NEW_ADMIN, oneProcess } from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const FORMER = "users/110000000000000000001";

describe("a roster's no-owner refusal confirmed by the caller's membership", () => {
  const t = useEmulator();

  it("plans alike whatever its process learnt first: the update makes the demotion its preview announced", async () => {
    // Another roster (space `other`), whose declared demotion of the former holder makes its plan ask who the caller is.
    const other = await adminsSpaceWithAlice(t, "ROLE_MEMBER");
    // This roster (space `s`): alice its owner, the former holder a member.
    const s = await alicesSpaceWithAdmin(t, "ROLE_MEMBER");
    const { provider: first } = await spaceMembersProvider(t);
    const otherStart = rosterInputs("other", { space: other, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "alice@example.com" }] });
    const otherOuts = (await first.create(otherStart)).outs as ChatSpaceMembersOutputs;
    const outs = (await first.create(rosterInputs("r", { space: s, members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }] })))
      .outs as ChatSpaceMembersOutputs;

    // admin@example.com given to a new administrator, whom alice makes an owner of her space in Chat (no refresh).
    await addressGivenToNewOwnerOf(t, s);
    const otherDeclared = rosterInputs("other", { space: other, members: [{ user: FORMER, role: "ROLE_MEMBER" }, { user: "alice@example.com" }] });
    const declared = rosterInputs("r", {
      space: s,
      members: [
        { user: "alice@example.com", role: "ROLE_MEMBER" },
        { user: FORMER, role: "ROLE_MEMBER" },
      ],
    });

    // The preview's process diffs the other roster first, this one then: it announces alice's demotion.
    const preview = await oneProcess(t);
    await preview.rosters.diff(other, otherOuts, otherDeclared);
    assert.equal((await preview.rosters.diff(s, outs, declared)).changes, true);
    assert.ok(
      preview.logs.some((l) => l.includes("users/110000000000000000002: role ROLE_MANAGER => ROLE_MEMBER")),
      preview.logs.join("\n"),
    );

    // The update's process: this roster's diff, then its update, run before the other roster's.
    const up = await oneProcess(t);
    const refused = (error: Error) => assert.fail(`the up refused what its preview announced: ${error.message}`);
    assert.equal((await up.rosters.diff(s, outs, declared).catch(refused)).changes, true);
    await up.rosters.update(s, outs, declared).catch(refused);
    const roles = Object.fromEntries((await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => [m.memberName, m.role]));
    assert.deepEqual([roles["users/110000000000000000002"], roles[NEW_ADMIN]], ["ROLE_MEMBER", "ROLE_MANAGER"]);
  });
});
