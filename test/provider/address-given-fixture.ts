/**
 * The set-up the address-given plan-parity tests share: bob@example.com declared by his address in
 * admin's space, until the address is given to dana (membership-helpers.ts `bobsAddressGivenToDana`),
 * and the plan summary's word on who stays, read from preview states (preview-states.ts).
 */
import { heldByMembership, ProgramClaims } from "../../commands/plan/claims";
import type { PreviewStep, ResourceState } from "../../commands/plan/preview-json";
import { DEFAULT_SETTINGS } from "../../emulator/model";
import type { TestEmulator } from "../helpers/emulator";
import { adminsSpace, NEW_ADMIN_BEFORE } from "./membership-helpers";
import { kinds } from "./preview-states";

export const ADMIN = "users/110000000000000000001";
export const BOB = "users/110000000000000000003";
/** bob's address, given to dana in the tests. */
export const ADDRESS = "bob@example.com";

/** The members of space `s`, sorted. */
export const membersOf = async (t: TestEmulator, s: string): Promise<string[]> =>
  (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => m.memberName).sort();

/** admin's space, in a directory that knows dana, whom bob's address can then be given to. */
export async function adminsSpaceBeforeTheAddressMoves(t: TestEmulator): Promise<string> {
  await t.control.setSettings({ users: [...DEFAULT_SETTINGS.users, NEW_ADMIN_BEFORE] });
  return adminsSpace(t);
}

/** {@link adminsSpaceBeforeTheAddressMoves}, and a second space of admin's ("Two"). */
export async function adminsTwoSpacesBeforeTheAddressMoves(t: TestEmulator): Promise<{ s: string; two: string }> {
  const s = await adminsSpaceBeforeTheAddressMoves(t);
  const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
  const two = (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Two" } })).data.name!;
  return { s, two };
}

/** The plan summary's word on the member of the ChatMembership `oldState`: the resource it names as holding her, or undefined (her removal announced). */
export const planHolderOf = (steps: PreviewStep[], oldState: ResourceState): string | undefined =>
  new ProgramClaims(steps, kinds).holderOf(oldState.urn, oldState, heldByMembership(oldState));
