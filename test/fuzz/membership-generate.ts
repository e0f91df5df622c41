/**
 * fast-check arbitraries for membership fuzz cases (membership-fixture.ts): up to three
 * ChatMemberships of one space, each a distinct member (a person by email, in any capitals, or
 * by `users/{id}`, the caller herself, an invited person, a user of another organisation in a
 * space that allows them, a Google Group, the Chat app), their roles, program edits (role changes
 * in place, another member, the same person by id or in other capitals, invalid values), changes
 * in Chat, faults, a crash, refresh or not, admin access or not, and one operation.
 */
import fc from "fast-check";
import { DEFAULT_SETTINGS } from "../../emulator/model";
import type { MembershipRole } from "../../provider/membership/types";
import type { OperationKind } from "./fixture";
import type { MemberDeclaration, MemberDivergence, MembershipFault, MembershipFixture, MembershipResourceCase } from "./membership-fixture";

/**
 * The people, group and app a declaration may name; `admin` is the caller and the space's owner;
 * `erin` is a user of another organisation (emulator/model.ts), declared only where the space
 * allows external users and without admin access (v1.d.ts members.create: admin access can't add them).
 */
const PERSONS = ["alice", "bob", "admin", "devs", "app", "erin"] as const;
type Person = (typeof PERSONS)[number];

export const ALICE_ID = "users/110000000000000000002";
/** The user of another organisation, by email. */
export const ERIN = DEFAULT_SETTINGS.users.find((u) => u.customer !== undefined)!.email;

/** How a declaration spells a person: by email, by email in capitals (Alice@Example.com), or by `users/{id}` (alice only). */
export type Spelling = "email" | "capitals" | "id";
const SPELLINGS: Spelling[] = ["email", "capitals", "id"];

/** An email with its parts capitalised (alice@example.com -> Alice@Example.com): Google compares emails case-insensitively. */
export const inCapitals = (email: string) => email.replace(/(^|[@.])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());

/** The other spelling of an email: in capitals, or back in lower case. */
const recased = (email: string) => (email === email.toLowerCase() ? inCapitals(email) : email.toLowerCase());

/** Which persons a case may declare: the external user only in a space open to her, without admin access; no app with admin access. */
export const personsFor = (adminAccess: boolean, externalSpace: boolean): Person[] =>
  PERSONS.filter((p) => (p !== "app" || !adminAccess) && (p !== "erin" || (externalSpace && !adminAccess)));
const ROLES: MembershipRole[] = ["ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER", "ROLE_MANAGER"];

/** The declaration of a person with a role (none for a group; the app is always a member). */
function declare(person: Person, role: MembershipRole | undefined, spelling: Spelling): MemberDeclaration {
  const email = (e: string) => (spelling === "capitals" ? inCapitals(e) : e);
  switch (person) {
    case "alice":
      return { user: spelling === "id" ? ALICE_ID : email("alice@example.com"), ...(role ? { role } : {}) };
    case "bob":
      return { user: email("bob@example.com"), ...(role ? { role } : {}) };
    case "admin":
      return { user: email("admin@example.com"), ...(role ? { role } : {}) };
    case "erin":
      return { user: email(ERIN), ...(role ? { role } : {}) };
    case "devs":
      return { group: "groups/devs" };
    case "app":
      return { chatApp: true, ...(role === "ROLE_MEMBER" ? { role } : {}) };
  }
}

/** Who a declaration names, as one key: alice by email (in any capitals) and by id are one person. */
export function personOf(d: MemberDeclaration): string {
  if (d.chatApp) return "app";
  if (d.group) return d.group;
  return d.user === ALICE_ID ? "alice@example.com" : (d.user?.toLowerCase() ?? "?");
}

type Edit =
  | "role"
  | "member"
  | "byId"
  | "capitals"
  | "invalidEmail"
  | "twoMembers"
  | "unknownRole"
  | "roleOnGroup"
  | "appManager"
  | "appWithAdminAccess"
  | "nullUser"
  | "numberUser";
const VALID_EDITS: Edit[] = ["role", "member", "byId", "capitals"];
const INVALID_EDITS: Edit[] = ["invalidEmail", "twoMembers", "unknownRole", "roleOnGroup", "appManager", "appWithAdminAccess", "nullUser", "numberUser"];
/** Mostly valid edits, so that most cases reach the operation; one in eight is invalid. */
const editKind = fc.oneof({ weight: 7, arbitrary: fc.constantFrom(...VALID_EDITS) }, { weight: 1, arbitrary: fc.constantFrom(...INVALID_EDITS) });

/** Applies one program edit; an invalid one says why check must refuse it. */
function edit(
  d: MemberDeclaration,
  e: Edit,
  person: Person,
  role: MembershipRole | undefined,
  adminAccess: boolean,
): { decl: MemberDeclaration; invalid?: string } {
  switch (e) {
    case "role":
      return { decl: d.user ? { ...d, role: role ?? "ROLE_MEMBER" } : d };
    case "member":
      return { decl: declare(person, role, "email") };
    case "byId":
      // The same person: by id where her email was (no change), by email where her id was (a replacement: it can't be told without a call).
      return { decl: d.user?.toLowerCase() === "alice@example.com" ? { ...d, user: ALICE_ID } : d.user === ALICE_ID ? { ...d, user: "alice@example.com" } : d };
    case "capitals":
      // The same person in other capitals (Alice@Example.com): the same member, changed in no way.
      return { decl: d.user?.includes("@") ? { ...d, user: recased(d.user) } : d };
    case "invalidEmail":
      return { decl: { user: "alice@", role: d.role }, invalid: "a malformed email" };
    case "twoMembers":
      return { decl: { user: "alice@example.com", group: "groups/devs" }, invalid: "both user and group" };
    case "unknownRole":
      return { decl: { user: "bob@example.com", role: "ROLE_OWNER" as MembershipRole }, invalid: "an unknown role" };
    case "roleOnGroup":
      return { decl: { group: "groups/devs", role: "ROLE_MEMBER" }, invalid: "a role on a group" };
    case "appManager":
      return { decl: { chatApp: true, role: "ROLE_MANAGER" }, invalid: "a manager role for the Chat app" };
    case "appWithAdminAccess":
      return adminAccess ? { decl: { chatApp: true }, invalid: "chatApp with admin access" } : { decl: d };
    // What a program's `user: cond ? email : null`, or a value of the wrong type from other code, sends.
    case "nullUser":
      return { decl: { user: null as unknown as string, role: d.role }, invalid: "a null user" };
    case "numberUser":
      return { decl: { user: 42 as unknown as string, role: d.role }, invalid: "a user that is a number" };
  }
}

const role = fc.constantFrom<MembershipRole | undefined>(undefined, ...ROLES);

function resourceCase(index: number, start: Person, adminAccess: boolean, persons: Person[]) {
  return fc
    .record({
      presence: fc.constantFrom("both", "both", "both", "both", "new", "removed"),
      startRole: role,
      spelling: fc.constantFrom(...SPELLINGS),
      edits: fc.array(fc.record({ edit: editKind, person: fc.constantFrom(...persons), role }), { maxLength: 2 }),
      retainOnDelete: fc.boolean(),
    })
    .map(({ presence, startRole, spelling, edits, retainOnDelete }): MembershipResourceCase => {
      // The caller stays the owner at set-up: a start that demotes the last owner is refused (tested below, not set up).
      const first = declare(start, start === "admin" ? "ROLE_MANAGER" : startRole, spelling);
      const name = `m${index}`;
      if (presence === "new") return { name, next: first, retainOnDelete: false };
      let next = first;
      let invalid: string | undefined;
      for (const e of edits) {
        if (invalid) break;
        ({ decl: next, invalid } = edit(next, e.edit, e.person, e.role, adminAccess));
      }
      if (presence === "removed") return { name, start: first, retainOnDelete };
      return { name, start: first, next, ...(invalid ? { invalid } : {}), retainOnDelete: false };
    });
}

/** A change in Chat between deployments (also the roster fuzzer's). */
export const divergenceArbitrary: fc.Arbitrary<MemberDivergence> = fc.oneof(
  fc.record({ kind: fc.constant("remove" as const), member: fc.constantFrom("alice@example.com", "bob@example.com", "groups/devs", "app") }),
  fc.record({ kind: fc.constant("setRole" as const), member: fc.constantFrom("alice@example.com", "bob@example.com"), role: fc.constantFrom(...ROLES) }),
  fc.record({ kind: fc.constant("accept" as const), member: fc.constant("bob@example.com") }),
  fc.record({
    kind: fc.constant("add" as const),
    member: fc.constantFrom("alice@example.com", "bob@example.com", "groups/devs"),
    role: fc.constantFrom(...ROLES),
  }),
);

/** A fault on a membership call (also the roster fuzzer's). */
export const faultArbitrary: fc.Arbitrary<MembershipFault> = fc
  .record({
    method: fc.constantFrom(
      "spaces.members.create",
      "spaces.members.get",
      "spaces.members.list",
      "spaces.members.patch",
      "spaces.members.delete",
      "spaces.get",
    ) as fc.Arbitrary<MembershipFault["method"]>,
    action: fc.constantFrom("429" as const, "503" as const, "drop" as const, "nameOnly" as const),
    count: fc.integer({ min: 1, max: 2 }),
  })
  // A read's answer lost is a read retried: only writes commit something an answer can lose.
  .map((f) => (f.action !== "429" && f.action !== "503" && !/create|patch|delete/.test(f.method) ? { ...f, action: "503" as const } : f));

/**
 * Membership cases, with the paths of every saved counterexample (fixtures/membership-*.json): a
 * replacement or deletion of the caller's own membership, an up without a refresh after a member
 * was removed or made an owner in Chat, the caller declared lower, a crash while a member moves
 * from one resource to another.
 */
export function membershipFixtureArbitrary(): fc.Arbitrary<MembershipFixture> {
  return fc
    .record({
      adminAccess: fc.boolean(),
      externalSpace: fc.boolean(),
      count: fc.integer({ min: 1, max: 3 }),
      operation: fc.constantFrom<OperationKind>("preview", "up", "up", "up", "replace", "replace", "refresh", "destroy"),
    })
    .chain(({ adminAccess, externalSpace, count, operation }) => {
      // Admin access doesn't reach Chat apps' memberships: the app is declared only as an invalid edit.
      const persons = personsFor(adminAccess, externalSpace);
      return fc.shuffledSubarray([...persons], { minLength: count, maxLength: count }).chain((starts) =>
        fc.record({
          adminAccess: fc.constant(adminAccess),
          externalSpace: fc.constant(externalSpace),
          keepLastManager: fc.boolean(),
          bobInvited: fc.boolean(),
          resources: fc.tuple(...starts.map((p, i) => resourceCase(i, p, adminAccess, persons))),
          divergence: fc.array(divergenceArbitrary, { maxLength: 2 }),
          refreshFirst: fc.boolean(),
          operation: fc.constant(operation),
          replacePick: fc.nat(),
          faults: fc.array(faultArbitrary, { maxLength: 2 }),
          crash: fc.option(fc.record({ after: fc.integer({ min: 1, max: 3 }), countDeletes: fc.boolean() }), { nil: undefined, freq: 4 }),
        }),
      );
    })
    .map(({ replacePick, resources, crash: drawnCrash, ...f }): MembershipFixture => {
      // One resource per member in a program: a member may move from one resource to another, never be declared twice.
      // An invalid declaration's resource keeps its start in the next up: its member stays taken.
      const taken = new Set((resources as MembershipResourceCase[]).flatMap((r) => (r.invalid && r.start ? [personOf(r.start)] : [])));
      const rs = (resources as MembershipResourceCase[]).map((r) => {
        if (!r.next || r.invalid) return r;
        if (taken.has(personOf(r.next))) return { name: r.name, start: r.start, retainOnDelete: r.retainOnDelete };
        taken.add(personOf(r.next));
        return r;
      });
      // A forced replacement of a resource that holds the caller's membership now, or will after the up.
      const candidates = rs.filter((r) => r.start && r.next);
      let operation = f.operation;
      let replaceTarget: string | undefined;
      if (operation === "replace") {
        if (candidates.length === 0) operation = "up";
        else replaceTarget = candidates[replacePick % candidates.length].name;
      }
      const crash = operation === "preview" ? undefined : drawnCrash;
      const refreshFirst = f.refreshFirst;
      return { ...f, resources: rs, operation, refreshFirst, ...(replaceTarget ? { replaceTarget } : {}), ...(crash ? { crash } : {}) };
    });
}
