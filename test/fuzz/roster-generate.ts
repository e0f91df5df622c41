/**
 * fast-check arbitraries for roster fuzz cases (roster-fixture.ts): rosters drawn from the
 * members of membership-generate.ts (a person by email, in any capitals, or by id, the caller,
 * an invited person, a user of another organisation in a space open to her, a Google Group, the
 * Chat app), each mode, edits between deployments (members added, removed, their roles changed,
 * the mode flipped, invalid values), changes in Chat (someone joining since the last refresh
 * among them), members added before the roster, faults, a crash, refresh or not, admin access or
 * not, one operation.
 */
import fc from "fast-check";
import type { MembershipRole } from "../../provider/membership/types";
import type { RosterMemberArgs, RosterMode } from "../../provider/space-members/types";
import type { OperationKind } from "./fixture";
import type { MemberDivergence } from "./membership-fixture";
import { ALICE_ID, ERIN, divergenceArbitrary, faultArbitrary, inCapitals, personOf } from "./membership-generate";
import type { RosterDeclaration, RosterFixture } from "./roster-fixture";

const ROLES: MembershipRole[] = ["ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER", "ROLE_MANAGER"];
const role = fc.constantFrom<MembershipRole | undefined>(undefined, ...ROLES);

/**
 * One declared member; the caller with any role (a roster keeps it an owner without admin
 * access); emails in capitals too (Google compares them case-insensitively); the user of another
 * organisation only where the space allows her, without admin access (which can't add her).
 */
const member = (adminAccess: boolean, externalSpace: boolean): fc.Arbitrary<RosterMemberArgs> =>
  fc.oneof(
    role.map((r) => ({ user: "alice@example.com", ...(r ? { role: r } : {}) })),
    role.map((r) => ({ user: inCapitals("alice@example.com"), ...(r ? { role: r } : {}) })),
    role.map((r) => ({ user: ALICE_ID, ...(r ? { role: r } : {}) })),
    role.map((r) => ({ user: "bob@example.com", ...(r ? { role: r } : {}) })),
    role.map((r) => ({ user: "admin@example.com", role: r ?? "ROLE_MANAGER" })),
    role.map((r) => ({ user: inCapitals("admin@example.com"), role: r ?? "ROLE_MANAGER" })),
    fc.constant({ group: "groups/devs" }),
    ...(adminAccess ? [] : [fc.constant({ chatApp: true })]),
    ...(externalSpace && !adminAccess ? [role.map((r) => ({ user: ERIN, ...(r ? { role: r } : {}) }))] : []),
  );

/** Members with one entry per person. */
const roster = (adminAccess: boolean, externalSpace: boolean): fc.Arbitrary<RosterDeclaration> =>
  fc
    .record({
      members: fc.uniqueArray(member(adminAccess, externalSpace), { maxLength: 4, selector: personOf }),
      mode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative", "addOnly"),
    })
    .map(({ members, mode }) => ({ members, ...(mode ? { mode } : {}) }));

/**
 * The same roster written otherwise: alice by email where her id was and by id where her email
 * was, other emails in the other capitals. An email not matched to its id yet is added (ALREADY_EXISTS
 * names the member) before any removal, so its member stays.
 */
function respelled(d: RosterDeclaration): RosterDeclaration {
  const respell = (user: string) =>
    user === ALICE_ID ? "alice@example.com" : user.toLowerCase() === "alice@example.com" ? ALICE_ID : user === user.toLowerCase() ? inCapitals(user) : user.toLowerCase();
  return { ...d, members: d.members.map((m) => (m.user ? { ...m, user: respell(m.user) } : m)) };
}

/** Who may join the space in Chat after the roster was deployed: a person or group the roster did not declare then. */
const JOINERS = ["alice@example.com", "bob@example.com", "groups/devs"];

type Invalid = "none" | "badEmail" | "twice" | "twiceInCapitals" | "unknownRole" | "groupRole" | "badMode";
const INVALID: Record<Exclude<Invalid, "none">, (d: RosterDeclaration) => RosterDeclaration> = {
  badEmail: (d) => ({ ...d, members: [...d.members, { user: "bob@" }] }),
  twice: (d) => ({ ...d, members: [...d.members, { user: "carol@example.com" }, { user: "carol@example.com", role: "ROLE_MANAGER" }] }),
  twiceInCapitals: (d) => ({ ...d, members: [...d.members, { user: "carol@example.com" }, { user: inCapitals("carol@example.com"), role: "ROLE_MANAGER" }] }),
  groupRole: (d) => ({ ...d, members: [...d.members.filter((m) => !m.group), { group: "groups/devs", role: "ROLE_MEMBER" }] }),
  unknownRole: (d) => ({ ...d, members: [...d.members, { user: "carol@example.com", role: "ROLE_OWNER" as MembershipRole }] }),
  badMode: (d) => ({ ...d, mode: "sync" as RosterMode }),
};

/**
 * Roster cases, with the paths of every fixed finding: among them a crash during `up --replace`,
 * and, with admin access, a starting roster that demotes the caller.
 */
export function rosterFixtureArbitrary(): fc.Arbitrary<RosterFixture> {
  return fc.tuple(fc.boolean(), fc.boolean()).chain(([adminAccess, externalSpace]) =>
    fc
      .record({
        adminAccess: fc.constant(adminAccess),
        externalSpace: fc.constant(externalSpace),
        keepLastManager: fc.boolean(),
        bobInvited: fc.boolean(),
        preexisting: fc.array(divergenceArbitrary.filter((d): d is Extract<MemberDivergence, { kind: "add" }> => d.kind === "add"), { maxLength: 2 }),
        presence: fc.constantFrom("both", "both", "both", "new", "removed"),
        start: roster(adminAccess, externalSpace),
        next: roster(adminAccess, externalSpace),
        same: fc.constantFrom("same", "respelled", "other", "other"),
        invalid: fc.constantFrom<Invalid>("none", "none", "none", "none", "none", "none", "badEmail", "twice", "twiceInCapitals", "unknownRole", "groupRole", "badMode"),
        divergence: fc.array(divergenceArbitrary, { maxLength: 2 }),
        joined: fc.option(fc.record({ pick: fc.nat(), role: fc.constantFrom<MembershipRole>(...ROLES) }), { nil: undefined, freq: 2 }),
        refreshFirst: fc.boolean(),
        operation: fc.constantFrom<OperationKind>("preview", "up", "up", "up", "replace", "refresh", "destroy"),
        faults: fc.array(faultArbitrary, { maxLength: 2 }),
        crash: fc.option(fc.record({ after: fc.integer({ min: 1, max: 2 }), countDeletes: fc.boolean() }), { nil: undefined, freq: 4 }),
      })
      .map(({ presence, start, next, same, invalid, operation, crash, joined, divergence, refreshFirst, ...f }): RosterFixture => {
        const declared = same === "same" ? start : same === "respelled" ? respelled(start) : next;
        const bad = invalid !== "none" && presence === "both" ? INVALID[invalid] : undefined;
        // A forced replacement needs a roster before and after.
        const op = operation === "replace" && presence !== "both" ? "up" : operation;
        // Someone the deployed roster did not declare joins in Chat, and no refresh follows: the
        // state does not know her, so no up may remove her before a preview lists her.
        const joiners = JOINERS.filter((m) => presence === "new" || !start.members.some((d) => personOf(d) === m));
        const joiner = joined && joiners.length > 0 ? { kind: "add" as const, member: joiners[joined.pick % joiners.length], ...(joiners[joined.pick % joiners.length].startsWith("groups/") ? {} : { role: joined.role }) } : undefined;
        return {
          ...f,
          divergence: joiner ? [joiner, ...divergence] : divergence,
          refreshFirst: joiner ? false : refreshFirst,
          ...(presence !== "new" ? { start } : {}),
          ...(presence !== "removed" ? { next: bad ? bad(declared) : declared } : {}),
          ...(bad ? { invalid } : {}),
          operation: op,
          ...(crash && op !== "preview" ? { crash } : {}),
        };
      }),
  );
}
