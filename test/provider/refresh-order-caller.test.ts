/**
 * Whether a provider process knows the calling user's users/{id} when a roster is read depends on
 * which resources it read before: `pulumi up --refresh` reads the stack's resources in parallel,
 * once for its preview and again, in another provider process, for the update. So a refresh keeps
 * the roster's record of its caller for the same calling user (space-members/provider.ts
 * `readRoster`), whatever its process learnt, and the update plans from the caller its preview
 * did: it removes no member its preview showed kept, even where the email now names another
 * person (the update confirms the caller with Google before a person leaves: `sparingCaller`).
 */
import assert from "node:assert/strict";
import type { ProviderDeps } from "../../provider/core/configured-provider";
import { ChatSpaceMembersProvider } from "../../provider/space-members/provider";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, emulatorConfig, logMark } from "../helpers/provider";
import { addressGivenToNewOwnerOf } from "./membership-helpers";
import { rosterInputs } from "./space-members-helpers";

describe("a refresh's order decides the roster's caller", () => {
  const t = useEmulator();

  /** One provider process of a deployment with two provider instances acting as admin@example.com: the default one, and one with admin access. */
  const process = async () => {
    const logs: string[] = [];
    let slept = 0;
    const deps: ProviderDeps = {
      env: {},
      now: () => Date.now() + slept,
      sleep: async (ms) => void (slept += ms),
      random: () => 0.5,
      log: (m) => void logs.push(m),
    };
    const instance = async (useAdminAccess: boolean) => {
      const provider = new ChatSpaceMembersProvider(deps);
      const config = emulatorConfig(t, { useAdminAccess });
      await provider.configure({ config: { get: (k) => config[k], require: (k) => config[k] } });
      return provider;
    };
    return { plain: await instance(false), admin: await instance(true), logs };
  };

  it("the update removes no member its preview showed kept, whichever roster its refresh read first", async () => {
    const alice = t.asDelegatedUser("alice@example.com", ["chat.spaces.create"]);
    // The team's space, admin an owner: its roster, authoritative, made as admin, records her as the caller.
    const s = (await alice.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Team" } })).data.name!;
    await t.control.addMember(s, "admin@example.com", "ROLE_MANAGER");
    await t.control.addMember(s, "bob@example.com", "ROLE_MEMBER");
    // Another space, admin no member: its roster, managed with admin access, records her as no member ("").
    const s2 = (await alice.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Other" } })).data.name!;
    const made = await process();
    const team = rosterInputs("team", { space: s, mode: "addOnly", members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }] });
    const other = rosterInputs("other", { space: s2, mode: "addOnly", members: [{ user: "alice@example.com", role: "ROLE_MANAGER" }] });
    const teamOuts = (await made.plain.create(team)).outs as ChatSpaceMembersOutputs;
    const otherOuts = (await made.admin.create(other)).outs as ChatSpaceMembersOutputs;
    assert.deepEqual(teamOuts.__caller, { user: "admin@example.com", member: "users/110000000000000000001" });
    assert.deepEqual(otherOuts.__caller, { user: "admin@example.com", member: "" });

    // admin@example.com given to a new administrator, whom alice makes an owner of the team's space.
    await addressGivenToNewOwnerOf(t, s);
    // The program makes the team's roster authoritative: alice and the new admin declared.
    const declared = rosterInputs("team", {
      space: s,
      members: [
        { user: "alice@example.com", role: "ROLE_MANAGER" },
        { user: "users/110000000000000000010", role: "ROLE_MANAGER" },
      ],
    });

    // pulumi up --refresh: its preview reads the team's roster first, then the other one.
    const preview = await process();
    const previewTeam = (await preview.plain.read(s, teamOuts)).props as ChatSpaceMembersOutputs;
    await preview.admin.read(s2, otherOuts);
    await preview.plain.diff(s, previewTeam, declared);
    const announced = preview.logs.filter((l) => l.includes(", removed")).map((l) => /users\/\d+/.exec(l)![0]);

    // Its update, another process, reads them the other way round, then applies.
    const up = await process();
    await up.admin.read(s2, otherOuts);
    const upTeam = (await up.plain.read(s, teamOuts)).props as ChatSpaceMembersOutputs;
    await up.plain.diff(s, upTeam, declared);
    const mark = await logMark(t);
    await up.plain.update(s, upTeam, declared);
    const removed = (await apiCalls(t, mark)).filter((c) => c.startsWith("DELETE")).map((c) => `users/${/members\/(\d+)/.exec(c)![1]}`);
    assert.deepEqual(
      removed.filter((m) => !announced.includes(m)),
      [],
      `the update removed members its preview did not announce (preview: ${preview.logs.join(" | ")}; update: ${up.logs.join(" | ")})`,
    );
  });
});
