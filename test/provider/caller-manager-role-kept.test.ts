/**
 * A calling user who is a manager of the space (ROLE_ASSISTANT_MANAGER, "Manager" in Chat: she
 * manages the members as the space's permission settings allow) is never demoted without admin
 * access, as an owner is not (members/caller.ts `keepsCallersRole`): demoted, her provider's
 * removals would fail 403. Another provider instance's roster or ChatMembership declaring her
 * lower keeps her role, and so does her own provider.
 */
import assert from "node:assert/strict";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { adminsSpace, alicesSpaceWithAdmin, membershipInputs, membershipProvider, membershipUrn, useDeployments } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

const [ADMIN, BOB] = ["users/110000000000000000001", "users/110000000000000000003"];
const BOBS_PROVIDER_KEEPS =
  "it is the calling user of another provider instance of this deployment, which is never demoted " +
  "without googlechat:useAdminAccess (that provider could no longer manage the members: every later change would fail)";

describe("a calling user who is a manager (ROLE_ASSISTANT_MANAGER) keeps her role", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);
  const membersOf = async (s: string) => (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => `${m.memberName} ${m.role}`).sort();
  const writesSince = async (mark: number) => (await apiCalls(t, mark)).filter((call) => !call.startsWith("GET "));

  /** admin's space with bob a manager, and alice's ChatMembership served by a provider acting as bob. */
  const bobManagesAlice = async (engine: string) => {
    const s = await adminsSpace(t);
    await t.control.addMember(s, "bob@example.com", "ROLE_ASSISTANT_MANAGER");
    const asBob = await deployment(engine).process({ user: "bob@example.com" });
    const alice = membershipInputs("alice", { space: s, user: "alice@example.com" });
    await asBob.memberships.check({}, alice);
    const made = await asBob.memberships.create(alice);
    return { s, alice: made as { id: string; outs: ChatMembershipOutputs } };
  };

  it("caller-manager-kept-by-roster: admin's roster lowering bob, the manager other instance's caller, keeps his role (said in the preview); bob's provider then removes alice", async () => {
    const { s, alice } = await bobManagesAlice("127.0.0.1:40101");
    const before = rosterInputs("eng", {
      space: s,
      mode: "addOnly",
      members: [
        { user: "admin@example.com", role: "ROLE_MANAGER" },
        { user: BOB, role: "ROLE_ASSISTANT_MANAGER" },
      ],
    });
    const first = await deployment("127.0.0.1:40102").process();
    await first.rosters.check({}, before);
    const roster = (await first.rosters.create(before)).outs as ChatSpaceMembersOutputs;
    // The up: the roster lowers bob; alice's ChatMembership (bob's provider) is dropped.
    const up = deployment("127.0.0.1:40103");
    const asAdmin = await up.process();
    const asBob = await up.process({ user: "bob@example.com" });
    const after = rosterInputs("eng", { space: s, mode: "addOnly", members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: BOB }] });
    await asAdmin.rosters.check(before, after);
    const mark = await logMark(t);
    const diff = await asAdmin.rosters.diff(s, roster, after);
    assert.deepEqual(asAdmin.logs, [`ChatSpaceMembers eng: = members[1] ${BOB}: role ROLE_ASSISTANT_MANAGER kept, not ROLE_MEMBER: ${BOBS_PROVIDER_KEEPS}`]);
    if (diff.changes) await asAdmin.rosters.update(s, roster, after);
    assert.deepEqual(await writesSince(mark), []);
    await asBob.memberships.delete(alice.id, alice.outs);
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER`, `${BOB} ROLE_ASSISTANT_MANAGER`]);
  });

  it("caller-manager-kept-by-membership: admin's ChatMembership of bob lowered to ROLE_MEMBER keeps his role, said in the preview", async () => {
    const { s } = await bobManagesAlice("127.0.0.1:40104");
    const first = await deployment("127.0.0.1:40105").process();
    const asManager = membershipInputs("bob", { space: s, user: "bob@example.com", role: "ROLE_ASSISTANT_MANAGER" });
    await first.memberships.check({}, asManager);
    const made = await first.memberships.create(asManager);
    const up = deployment("127.0.0.1:40106");
    const asAdmin = await up.process();
    await up.process({ user: "bob@example.com" });
    const lowered = membershipInputs("bob", { space: s, user: "bob@example.com" });
    await asAdmin.memberships.check(asManager, lowered);
    const mark = await logMark(t);
    const diff = await asAdmin.memberships.diff(made.id, made.outs as ChatMembershipOutputs, lowered);
    assert.deepEqual(
      { changes: diff.changes, logs: asAdmin.logs },
      { changes: false, logs: [`ChatMembership bob: = ${BOB}: role ROLE_ASSISTANT_MANAGER kept, not ROLE_MEMBER: ${BOBS_PROVIDER_KEEPS}`] },
    );
    assert.deepEqual(await writesSince(mark), []);
    assert.deepEqual(await membersOf(s), [`${ADMIN} ROLE_MANAGER`, "users/110000000000000000002 ROLE_MEMBER", `${BOB} ROLE_ASSISTANT_MANAGER`]);
  });

  it("caller-manager-kept-own: bob's own ChatMembership, declared lower by his provider, keeps his role as the calling user's", async () => {
    const { s } = await bobManagesAlice("127.0.0.1:40107");
    const asBob = await deployment("127.0.0.1:40108").process({ user: "bob@example.com" });
    const asManager = membershipInputs("bob", { space: s, user: "bob@example.com", role: "ROLE_ASSISTANT_MANAGER" });
    await asBob.memberships.check({}, asManager);
    const made = await asBob.memberships.create(asManager);
    const again = await deployment("127.0.0.1:40109").process({ user: "bob@example.com" });
    const lowered = membershipInputs("bob", { space: s, user: "bob@example.com" });
    await again.memberships.check(asManager, lowered);
    const mark = await logMark(t);
    const diff = await again.memberships.diff(made.id, made.outs as ChatMembershipOutputs, lowered);
    assert.equal(diff.changes, false);
    assert.match(
      again.logs.at(-1) ?? "",
      /^ChatMembership bob: = users\/110000000000000000003: role ROLE_ASSISTANT_MANAGER kept, not ROLE_MEMBER: it is the calling user, /,
    );
    assert.deepEqual(await writesSince(mark), []);
  });

  it("caller-manager-since-imported: the caller's own membership imported (no caller recorded) as an owner, made a manager in Chat since: declared lower, the up reads her role, keeps it as the calling user's, and sends no PATCH", async () => {
    const s = await alicesSpaceWithAdmin(t, "ROLE_MANAGER");
    const { provider: importer } = await membershipProvider(t);
    const imported = await importer.importMembership(`${s}/members/110000000000000000001`, membershipUrn("admin-seat"));
    assert.equal(imported.props.__caller, undefined);
    await t.control.setRole(s, ADMIN, "ROLE_ASSISTANT_MANAGER");
    const lowered = membershipInputs("admin-seat", { ...imported.inputs, role: "ROLE_MEMBER" });
    const { provider, logs } = await membershipProvider(t);
    await provider.check(imported.inputs as never, lowered);
    assert.equal((await provider.diff(imported.id, imported.props, lowered)).changes, true);
    const mark = await logMark(t);
    const { outs } = await provider.update(imported.id, imported.props, lowered);
    assert.deepEqual(await writesSince(mark), []);
    assert.deepEqual(
      { role: outs?.role, caller: outs?.__caller, live: (await membersOf(s)).find((m) => m.startsWith(ADMIN)) },
      { role: "ROLE_ASSISTANT_MANAGER", caller: "admin@example.com", live: `${ADMIN} ROLE_ASSISTANT_MANAGER` },
    );
    assert.match(
      logs.at(-1) ?? "",
      /^ChatMembership admin-seat: = users\/110000000000000000001: role ROLE_ASSISTANT_MANAGER kept, not ROLE_MEMBER: it is the calling user, /,
    );
  });
});
