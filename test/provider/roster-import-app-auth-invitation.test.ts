/**
 * `pulumi import` of a roster (the provider plugin's Read with no state: space-members/provider.ts
 * `importRoster`) under app authentication, in a space where bob's invitation is pending. Google
 * lists no invitation to a Chat app (v1.d.ts members.list `showInvited`: "Currently requires user
 * authentication"), so the import's one listing can't see bob. It still declares the roster
 * authoritative, as if it had seen every member: nothing records bob, no refresh under app
 * authentication ever reads him (`invitedUnlisted` reads only the state's INVITED members), and
 * once bob accepts, the next preview would plan his removal. An import that can't see the
 * invitations can't adopt the whole roster: addOnly, saying why (as declaration.ts does for Chat apps).
 */
import assert from "node:assert/strict";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { appSpaceBobInvitable } from "./membership-helpers";
import { rosterInputs, rosterUrn, spaceMembersProvider } from "./space-members-helpers";

const BOB = "users/110000000000000000003";

describe("provider: pulumi import of a roster under app authentication, bob's invitation pending", () => {
  const t = useEmulator();

  it("declares the roster addOnly, saying why, so it never removes bob once he accepts", async () => {
    const s = await appSpaceBobInvitable(t);
    // bob invited in Chat (another tool, or an earlier addOnly roster): his invitation stands.
    const { provider: inviter } = await spaceMembersProvider(t, { app: true });
    await inviter.create(rosterInputs("inviter", { space: s, members: [{ user: "bob@example.com" }], mode: "addOnly" }));
    assert.deepEqual(
      (await t.control.state()).memberships[s.slice("spaces/".length)].filter((m) => m.memberName === BOB).map((m) => m.state),
      ["INVITED"],
    );

    const { provider, logs } = await spaceMembersProvider(t, { app: true });
    const imported = await provider.importRoster(s, rosterUrn("eng-members"));
    assert.deepEqual(imported.inputs, { space: s, members: [], mode: "addOnly" });
    assert.deepEqual(logs, [
      "ChatSpaceMembers eng-members: imported addOnly: invitations: Google lists none to a Chat app (app authentication), so a pending one can't be declared; " +
        "so the roster is addOnly: it adds and keeps, never removes",
    ]);
    // bob accepts; a `pulumi refresh` records him, and the next `pulumi up` (another deployment) plans from the imported declaration.
    await t.control.acceptInvitation(s, BOB);
    const { props } = await provider.read(s, imported.props as ChatSpaceMembersOutputs);
    assert.deepEqual(
      props?.members.map((m) => `${m.member} ${m.state}`),
      [`${BOB} JOINED`],
    );
    const { provider: nextUp } = await spaceMembersProvider(t, { app: true });
    const diff = await nextUp.diff(s, props!, rosterInputs("eng-members", imported.inputs));
    assert.deepEqual(diff.detailedDiff, {}, "addOnly: bob, who accepted, stays");
  });
});
