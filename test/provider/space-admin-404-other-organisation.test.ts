/**
 * googlechat:useAdminAccess reaches the spaces of the administrator's own organisation only
 * (v1.d.ts `useAdminAccess`: the user's Google Workspace administrator privileges); a space of
 * another organisation (the emulator's `appCustomers`: one the Chat app made for a partner that
 * installed it) answers 404 to admin access. So the ChatSpace provider confirms an admin-access
 * 404 by reading the space as the calling user: 404 too, it was deleted; seen, admin access
 * can't manage it, and the resource stays: a refresh keeps it as last read (a space dropped from
 * the stack would be created a second time by the next up), a delete fails saying what to do.
 */
import assert from "node:assert/strict";
import { useEmulator } from "../helpers/emulator";
import { apiCallsWithAccess, configuredProvider, logMark, sdkInputs } from "../helpers/provider";
import { partnerSpace } from "./membership-helpers";

/** What the provider says of a 404 admin access answered for `space`, which the calling user sees; `label` names the resource, `outcome` what happens to it. */
const beyondAdminAccess = (label: string, space: string, outcome: string) =>
  `ChatSpace ${label}: Google answers 404 Not Found with googlechat:useAdminAccess, yet the calling user sees ${space}: ` +
  "admin access reaches only the spaces of the administrator's own organisation, and this one belongs to another, " +
  `so admin access can't manage it. It ${outcome}. ` +
  "Manage this space with a provider instance without googlechat:useAdminAccess (the calling user is a member of the space); " +
  "to stop managing it without deleting it, take it out of the stack deliberately: `pulumi state delete <urn>` (`pulumi stack --show-urns` lists them).";

describe("provider: a ChatSpace with admin access, in a space of another organisation (appCustomers)", () => {
  const t = useEmulator();
  /** A space the Chat app made for a partner organisation, adopted by admin (a manager of it, as the user), then managed with admin access. */
  const adopted = async () => {
    const s = await partnerSpace(t);
    const imported = await (await configuredProvider(t)).provider.importSpace(s);
    return { s, props: imported.props, inputs: imported.inputs, admin: await configuredProvider(t, { useAdminAccess: true }) };
  };
  const exists = async (s: string) => Boolean((await t.control.state()).spaces[s.slice("spaces/".length)]);

  it("a refresh keeps the space the calling user sees, as last read, and says why: the next up creates no second space", async () => {
    const { s, props, admin } = await adopted();
    const mark = await logMark(t);
    const read = await admin.provider.read(s, props);
    const calls = await apiCallsWithAccess(t, mark);
    assert.equal(read.id, s, `the refresh dropped ${s} from the stack, which admin@example.com still sees (calls: ${calls.join("; ")})`);
    assert.deepEqual(read.props, props);
    assert.deepEqual(calls, [`GET /v1/${s} admin 404`, `GET /v1/${s} 200`]);
    assert.deepEqual(admin.logs, [beyondAdminAccess(`"Partners" (${s})`, s, "stays in the stack as last read")]);
    assert.ok(await exists(s));
  });

  it("a delete fails rather than count the space as deleted, and the space is still there", async () => {
    const { s, props, admin } = await adopted();
    const mark = await logMark(t);
    await assert.rejects(admin.provider.delete(s, props), { message: beyondAdminAccess(`"Partners" (${s})`, s, "was not deleted and stays in the stack") });
    assert.deepEqual(await apiCallsWithAccess(t, mark), [`DELETE /v1/${s} admin 404`, `GET /v1/${s} 200`]);
    assert.ok(await exists(s));
  });

  it("an update fails saying why, sends no PATCH, and does not advise a refresh (which would drop the space)", async () => {
    const { s, props, inputs, admin } = await adopted();
    const mark = await logMark(t);
    const failure = await admin.provider.update(s, props, sdkInputs("partners", { ...inputs, spaceDetails: { description: "Shared" } })).then(
      () => assert.fail("the update succeeded"),
      (error: Error) => error,
    );
    assert.equal(failure.message, beyondAdminAccess("partners", s, "was not changed and stays in the stack"));
    assert.deepEqual(await apiCallsWithAccess(t, mark), [`GET /v1/${s} admin 404`, `GET /v1/${s} 200`]);
  });

  it("a space deleted since, seen by neither admin access nor the calling user, leaves the stack: one read more than admin access's", async () => {
    const { s, props, admin } = await adopted();
    await t.control.deleteSpace(s);
    const mark = await logMark(t);
    assert.deepEqual(await admin.provider.read(s, props), { id: "" });
    await admin.provider.delete(s, props);
    assert.deepEqual(await apiCallsWithAccess(t, mark), [`GET /v1/${s} admin 404`, `GET /v1/${s} 404`, `DELETE /v1/${s} admin 404`, `GET /v1/${s} 404`]);
    assert.deepEqual(admin.logs, []);
  });
});
