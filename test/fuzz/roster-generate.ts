/**
 * fast-check arbitraries for roster fuzz cases (roster-fixture.ts): rosters drawn from the
 * members of membership-generate.ts (a person by email or id, the caller, an invited person, a
 * Google Group, the Chat app), each mode, edits between deployments (members added, removed,
 * their roles changed, the mode flipped, invalid values), changes in Chat, members added before
 * the roster, faults, a crash, refresh or not, admin access or not, one operation.
 */
import fc from "fast-check";
import type { MembershipRole } from "../../provider/membership/types";
import type { RosterMemberArgs, RosterMode } from "../../provider/space-members/types";
import type { OperationKind } from "./fixture";
import type { MemberDivergence } from "./membership-fixture";
import { divergenceArbitrary, faultArbitrary, personOf } from "./membership-generate";
import type { RosterDeclaration, RosterFixture } from "./roster-fixture";

const ROLES: MembershipRole[] = ["ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER", "ROLE_MANAGER"];
const role = fc.constantFrom<MembershipRole | undefined>(undefined, ...ROLES);

/** One declared member; the caller with any role (R-4: a roster keeps it an owner without admin access). */
const member = (adminAccess: boolean): fc.Arbitrary<RosterMemberArgs> =>
  fc.oneof(
    role.map((r) => ({ user: "alice@example.com", ...(r ? { role: r } : {}) })),
    role.map((r) => ({ user: "users/110000000000000000002", ...(r ? { role: r } : {}) })),
    role.map((r) => ({ user: "bob@example.com", ...(r ? { role: r } : {}) })),
    role.map((r) => ({ user: "admin@example.com", role: r ?? "ROLE_MANAGER" })),
    fc.constant({ group: "groups/devs" }),
    ...(adminAccess ? [] : [fc.constant({ chatApp: true })]),
  );

/** Members with one entry per person. */
const roster = (adminAccess: boolean): fc.Arbitrary<RosterDeclaration> =>
  fc
    .record({ members: fc.uniqueArray(member(adminAccess), { maxLength: 4, selector: personOf }), mode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative", "addOnly") })
    .map(({ members, mode }) => ({ members, ...(mode ? { mode } : {}) }));

type Invalid = "none" | "badEmail" | "twice" | "unknownRole" | "badMode";
const INVALID: Record<Exclude<Invalid, "none">, (d: RosterDeclaration) => RosterDeclaration> = {
  badEmail: (d) => ({ ...d, members: [...d.members, { user: "bob@" }] }),
  twice: (d) => ({ ...d, members: [...d.members, { user: "carol@example.com" }, { user: "carol@example.com", role: "ROLE_MANAGER" }] }),
  unknownRole: (d) => ({ ...d, members: [...d.members, { user: "carol@example.com", role: "ROLE_OWNER" as MembershipRole }] }),
  badMode: (d) => ({ ...d, mode: "sync" as RosterMode }),
};

/**
 * Roster cases, the paths of the fixed findings R-1..R-4 included. `open`: also generate the path
 * of the finding still open (FUZZ_ROSTER_OPEN=1): a crash during `up --replace`.
 */
export function rosterFixtureArbitrary(open = false): fc.Arbitrary<RosterFixture> {
  return fc.boolean().chain((adminAccess) =>
    fc
      .record({
        adminAccess: fc.constant(adminAccess),
        keepLastManager: fc.boolean(),
        bobInvited: fc.boolean(),
        preexisting: fc.array(divergenceArbitrary.filter((d): d is Extract<MemberDivergence, { kind: "add" }> => d.kind === "add"), { maxLength: 2 }),
        presence: fc.constantFrom("both", "both", "both", "new", "removed"),
        start: roster(adminAccess),
        next: roster(adminAccess),
        same: fc.boolean(),
        invalid: fc.constantFrom<Invalid>("none", "none", "none", "none", "none", "none", "badEmail", "twice", "unknownRole", "badMode"),
        divergence: fc.array(divergenceArbitrary, { maxLength: 2 }),
        refreshFirst: fc.boolean(),
        operation: fc.constantFrom<OperationKind>("preview", "up", "up", "up", "replace", "refresh", "destroy"),
        faults: fc.array(faultArbitrary, { maxLength: 2 }),
        crash: fc.option(fc.record({ after: fc.integer({ min: 1, max: 2 }), countDeletes: fc.boolean() }), { nil: undefined, freq: 4 }),
      })
      .map(({ presence, start, next, same, invalid, operation, crash, ...f }): RosterFixture => {
        const declared = same ? start : next;
        const bad = invalid !== "none" && presence === "both" ? INVALID[invalid] : undefined;
        // A forced replacement needs a roster before and after.
        const op = operation === "replace" && presence !== "both" ? "up" : operation;
        return {
          ...f,
          ...(presence !== "new" ? { start } : {}),
          ...(presence !== "removed" ? { next: bad ? bad(declared) : declared } : {}),
          ...(bad ? { invalid } : {}),
          operation: op,
          // no crash during a forced replacement while it is open.
          ...(crash && op !== "preview" && (op !== "replace" || open) ? { crash } : {}),
        };
      }),
  );
}
