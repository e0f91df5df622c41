/**
 * A provider instance registered after an authoritative roster is configured after the roster's
 * diff, in the preview as in the update, but while the roster's update runs: its caller, published
 * when it is configured (members/claims.ts `acts`), is kept by the update, which says so, with
 * the advice to declare that provider first (space-members/provider.ts `keptAtDiff`), since its
 * preview announced her removal (docs/guides/memberships.md, the limit).
 */
import assert from "node:assert/strict";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { useDeployments } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

const BOB = "users/110000000000000000003";

describe("provider: a provider instance's caller published on configure, kept in a space its provider declares nothing in", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);

  it("two ups of one program (roster first, then bob's provider for another space): the update that does not make the removal its preview announced says so, with the advice to declare the provider first", async () => {
    const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
    const s = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng acts" } })).data.name!;
    await t.control.addMember(s, "bob@example.com", "ROLE_MEMBER");
    const first = await deployment("127.0.0.1:40001").process();
    const initial = rosterInputs("eng-members", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }, { user: "bob@example.com" }] });
    await first.rosters.check({}, initial);
    let { outs } = (await first.rosters.create(initial)) as { outs: ChatSpaceMembersOutputs };
    // The program now drops bob from the roster, and declares (after it) bob's explicit provider, used for another space.
    const roster = rosterInputs("eng-members", { space: s, members: [{ user: "admin@example.com", role: "ROLE_MANAGER" }] });
    // Each up: the roster checked and diffed, then bob's provider configured (after the diff in the preview; while the update runs).
    for (const port of [40010, 40020]) {
      const preview = deployment(`127.0.0.1:${port}`);
      const asAdminP = await preview.process();
      await asAdminP.rosters.check(initial, roster);
      assert.deepEqual((await asAdminP.rosters.diff(s, outs, roster)).detailedDiff, { [`members["${BOB}"]`]: "delete" }, "the preview announces bob's removal");
      await preview.process({ user: "bob@example.com" });
      const update = deployment(`127.0.0.1:${port + 1}`);
      const asAdmin = await update.process();
      await asAdmin.rosters.check(initial, roster);
      assert.equal((await asAdmin.rosters.diff(s, outs, roster)).changes, true);
      await update.process({ user: "bob@example.com" });
      asAdmin.logs.length = 0;
      const mark = await logMark(t);
      outs = (await asAdmin.rosters.update(s, outs, roster)).outs as ChatSpaceMembersOutputs;
      // At most a read of bob's id (his provider published his email); no write.
      assert.deepEqual(
        (await apiCalls(t, mark)).filter((call) => call !== `GET /v1/${s}/members/bob%40example.com 200`),
        [],
      );
      assert.deepEqual(asAdmin.logs, [
        `ChatSpaceMembers eng-members: ${BOB} stays in ${s}, although this update's plan removed it: it is the calling user of another provider instance of this deployment, ` +
          "which never removes it (that provider would lose sight of the space and of every later change). " +
          "The roster's state keeps it. Declare that resource before the roster (or give the roster dependsOn it), so that the roster's preview shows it kept.",
      ]);
      assert.ok(
        outs.members.some((m) => m.member === BOB),
        "the state keeps bob",
      );
    }
  });
});
