/**
 * A roster's delete reads who the calling user is before a person leaves (space-members/provider.ts
 * `delete`: `callerIn`). With a user's own credentials lacking the email scope, the caller can't be
 * named: the delete must remove nobody, and say which scope to add.
 */
import assert from "node:assert/strict";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const SCOPE = (name: string) => `https://www.googleapis.com/auth/${name}`;

describe("a roster's delete under a user's own credentials without the email scope", () => {
  const t = useEmulator();

  it("removes nobody, the caller least, and names the scope to add", async () => {
    const aliceApi = t.asDelegatedUser("alice@example.com", ["chat.spaces.create"]);
    const s = (await aliceApi.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Alice's" } })).data.name!;
    await t.control.addMember(s, "bob@example.com", "ROLE_MEMBER");
    await t.control.setSettings({ usersWithoutEmailScope: ["alice@example.com"] });
    const own = await t.control.authorizedUser("alice@example.com", [SCOPE("chat.memberships")]);
    const options = { app: true, config: { "googlechat:credentials": JSON.stringify(own) } };
    const declared = rosterInputs("r", {
      space: s,
      mode: "addOnly",
      members: [
        { user: "users/110000000000000000002", role: "ROLE_MANAGER" },
        { user: "bob@example.com", role: "ROLE_MEMBER" },
      ],
    });
    const { provider: first } = await spaceMembersProvider(t, options);
    const { outs } = await first.create(declared);
    const { provider, logs } = await spaceMembersProvider(t, options);
    const mark = await logMark(t);
    let message = "";
    await provider.delete(s, outs as ChatSpaceMembersOutputs).catch((e: Error) => void (message = e.message));
    const calls = await apiCalls(t, mark);
    assert.ok(!calls.some((c) => c.startsWith("DELETE")), `the delete removed members: ${calls.join("; ")} (log: ${logs.join(" | ")})`);
    assert.match(message, /email/, `the delete did not name the scope: ${message}`);
  });
});
