/**
 * fast-check arbitraries for cases of memberships across resources (members-fixture.ts): what
 * people do with the ChatMemberships and rosters of a space. A starting program (each member in
 * a ChatMembership of its own, in the space's roster, or some in each beside an addOnly roster),
 * then the edits that make the operation's program: a member moved from a ChatMembership to the
 * roster or back, a ChatMembership or a roster renamed (a new URN), a member written in another
 * spelling (capitals, `users/{id}`), roles changed, members added and dropped, the roster dropped
 * or its mode flipped, a ChatMembership given another member; now and then the same member
 * declared twice, or a declaration no member may take (a Google Group with a role, the Chat app
 * under admin access), which check must refuse. Between the two deployments: the credentials switched
 * (admin impersonated, then bob or alice; admin's own credentials, now and then signed in without
 * the email scope; admin access on or off), changes in Chat (someone joined or was invited, a role
 * changed, a member removed, the caller removed), a refresh or not; then faults, a crash, and one
 * operation. The caller's own ChatMembership may stand beside an authoritative roster, which never
 * removes it. One case in three serves the resources by two provider instances, the default
 * provider and an explicit one, each resource on one, and the operation's program may move it.
 * One `up` (or `up --replace`) in three overlaps its update's steps with the checks and diffs of
 * the registrations after them, as the engine does (`checkDuringStep`).
 *
 * The people are membership-generate.ts's: admin (who made the spaces, their owner), alice, bob,
 * erin of another organisation (in spaces open to her, without admin access), a Google Group,
 * and the Chat app (impersonating without admin access only: admin access can't reach apps'
 * memberships, and a user's own credentials have no app of theirs).
 */
import fc from "fast-check";
import { DEFAULT_SETTINGS } from "../../emulator/model";
import { rankOf } from "../../provider/members/roles";
import type { MembershipRole } from "../../provider/membership/types";
import type { RosterMemberArgs, RosterMode } from "../../provider/space-members/types";
import { NEW_ADMIN } from "../provider/membership-helpers";
import type { OperationKind } from "./fixture";
import type {
  CallerPerson,
  Conflict,
  InvalidDeclaration,
  Invitation,
  MembersCredentials,
  MembersFixture,
  MembershipUnknown,
  MembersResource,
  ProviderInstance,
  RosterUnknown,
  SpaceChange,
  SpaceIndex,
} from "./members-fixture";
import type { MemberDeclaration, MembershipFault } from "./membership-fixture";
import { divergenceArbitrary, ERIN, faultArbitrary, inCapitals } from "./membership-generate";
import { SDK_OPTIONS } from "./sdk-options";

/** Who a declaration may name. */
export type Person = "admin" | "alice" | "bob" | "erin" | "devs" | "app";
const PEOPLE: Person[] = ["admin", "alice", "bob", "erin", "devs", "app"];

/** Each person's email; the group and the app have none. */
export const EMAILS: Record<Exclude<Person, "devs" | "app">, string> = {
  admin: "admin@example.com",
  alice: "alice@example.com",
  bob: "bob@example.com",
  erin: ERIN,
};

/** A user's `users/{id}`, as the emulator knows them. */
export const userIdOf = (email: string): string => `users/${DEFAULT_SETTINGS.users.find((u) => u.email === email)!.id}`;

/** How a declaration writes a person: by email, by email in capitals, or by `users/{id}` (admin, alice, bob). */
type Spelling = "email" | "capitals" | "id";
const ROLES: MembershipRole[] = ["ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER", "ROLE_MANAGER"];

/** One member as one resource declares it. */
interface Held {
  person: Person;
  role?: MembershipRole;
  spelling: Spelling;
}

/** What a program declares in one space: ChatMemberships, and at most one roster. */
interface SpaceProgram {
  memberships: { name: string; held: Held; retainOnDelete?: boolean }[];
  roster?: { name: string; mode?: RosterMode; members: Held[]; retainOnDelete?: boolean };
}

const SPACE_PREFIX = ["a", "b"] as const;
const membershipName = (space: SpaceIndex, person: Person) => `${SPACE_PREFIX[space]}-${person}`;
const ROSTER_NAMES = (space: SpaceIndex) => [`${SPACE_PREFIX[space]}-members`, `${SPACE_PREFIX[space]}-roster`];

/** A held member's role, as the person may have it: none for a group, ROLE_MEMBER at most for the app. */
function fitRole(person: Person, role: MembershipRole | undefined): MembershipRole | undefined {
  if (person === "devs") return undefined;
  if (person === "app") return role === "ROLE_MEMBER" ? role : undefined;
  return role;
}

/** How a person may be spelt: ids for the emulator's own users, capitals for any email. */
function fitSpelling(person: Person, spelling: Spelling): Spelling {
  if (person === "devs" || person === "app") return "email";
  if (spelling === "id" && person === "erin") return "capitals";
  return spelling;
}

/** A held member as its declaration. */
export function declarationOf(h: Held): MemberDeclaration {
  const role = fitRole(h.person, h.role);
  const withRole = role ? { role } : {};
  switch (h.person) {
    case "devs":
      return { group: "groups/devs" };
    case "app":
      return { chatApp: true, ...withRole };
    default: {
      const email = EMAILS[h.person];
      const user = h.spelling === "id" ? userIdOf(email) : h.spelling === "capitals" ? inCapitals(email) : email;
      return { user, ...withRole };
    }
  }
}

/** The program as the fixture's resources. */
function resourcesOf(program: SpaceProgram[]): MembersResource[] {
  return program.flatMap((p, i) => {
    const space = i as SpaceIndex;
    const out: MembersResource[] = p.memberships.map((m) => ({
      type: "ChatMembership",
      name: m.name,
      space,
      member: declarationOf(m.held),
      ...(m.retainOnDelete ? { retainOnDelete: true } : {}),
    }));
    if (p.roster) {
      const r = p.roster;
      out.push({
        type: "ChatSpaceMembers",
        name: r.name,
        space,
        members: r.members.map(declarationOf) as RosterMemberArgs[],
        ...(r.mode ? { mode: r.mode } : {}),
        ...(r.retainOnDelete ? { retainOnDelete: true } : {}),
      });
    }
    return out;
  });
}

const heldIn = (p: SpaceProgram): Held[] => [...p.memberships.map((m) => m.held), ...(p.roster?.members ?? [])];

/**
 * An authoritative roster can't share its space with a ChatMembership (it would remove its
 * member), unless that member is the calling user, whom it never removes: a user makes it addOnly.
 */
function normalise(p: SpaceProgram, caller: MembersCredentials): void {
  // Credentials that can't name their owner can't tell the caller's ChatMembership either.
  const told = caller.emailScope !== false;
  if (p.roster && (p.roster.mode ?? "authoritative") === "authoritative" && p.memberships.some((m) => !told || m.held.person !== caller.user))
    p.roster.mode = "addOnly";
}

type EditKind =
  | "moveToRoster"
  | "moveToMembership"
  | "renameMembership"
  | "renameRoster"
  | "respell"
  | "role"
  | "drop"
  | "add"
  | "dropRoster"
  | "flipMode"
  | "anotherMember";
const EDITS: EditKind[] = [
  "moveToRoster",
  "moveToMembership",
  "renameMembership",
  "renameRoster",
  "respell",
  "role",
  "drop",
  "add",
  "dropRoster",
  "flipMode",
  "anotherMember",
];

interface Edit {
  kind: EditKind;
  space: SpaceIndex;
  pick: number;
  person: Person;
  role?: MembershipRole;
  spelling: Spelling;
  retain: boolean;
}

/** Applies one edit a user makes to the program of a space; one that does not apply to it changes nothing. */
function applyEdit(p: SpaceProgram, e: Edit, space: SpaceIndex, persons: Person[]): void {
  const held = heldIn(p);
  const pickOf = <T>(list: T[]): T | undefined => (list.length ? list[e.pick % list.length] : undefined);
  switch (e.kind) {
    case "moveToRoster": {
      const m = pickOf(p.memberships);
      if (!m) return;
      p.memberships = p.memberships.filter((x) => x !== m);
      p.roster ??= { name: ROSTER_NAMES(space)[0], members: [] };
      p.roster.members.push(m.held);
      return;
    }
    case "moveToMembership": {
      const h = pickOf(p.roster?.members ?? []);
      if (!h) return;
      p.roster!.members = p.roster!.members.filter((x) => x !== h);
      p.memberships.push({ name: membershipName(space, h.person), held: h });
      return;
    }
    case "renameMembership": {
      const m = pickOf(p.memberships);
      if (!m) return;
      m.name = m.name.endsWith("-renamed") ? m.name.slice(0, -"-renamed".length) : `${m.name}-renamed`;
      return;
    }
    case "renameRoster": {
      if (!p.roster) return;
      const [first, second] = ROSTER_NAMES(space);
      p.roster.name = p.roster.name === first ? second : first;
      return;
    }
    case "respell": {
      const h = pickOf(held);
      if (h) h.spelling = fitSpelling(h.person, e.spelling === h.spelling ? (h.spelling === "email" ? "capitals" : "email") : e.spelling);
      return;
    }
    case "role": {
      const h = pickOf(held);
      if (h) h.role = fitRole(h.person, e.role);
      return;
    }
    case "drop": {
      const h = pickOf(held);
      if (!h) return;
      const m = p.memberships.find((x) => x.held === h);
      if (m) p.memberships = p.memberships.filter((x) => x !== m);
      else p.roster!.members = p.roster!.members.filter((x) => x !== h);
      return;
    }
    case "add": {
      if (!persons.includes(e.person) || held.some((h) => h.person === e.person)) return;
      const h: Held = { person: e.person, role: fitRole(e.person, e.role), spelling: fitSpelling(e.person, e.spelling) };
      if (p.roster && e.pick % 2 === 0) p.roster.members.push(h);
      else p.memberships.push({ name: membershipName(space, e.person), held: h });
      return;
    }
    case "dropRoster":
      p.roster = undefined;
      return;
    case "flipMode":
      if (p.roster) p.roster.mode = (p.roster.mode ?? "authoritative") === "authoritative" ? "addOnly" : "authoritative";
      return;
    case "anotherMember": {
      // The same ChatMembership (its name) given another member: a replacement.
      const m = pickOf(p.memberships);
      if (!m || !persons.includes(e.person) || held.some((h) => h.person === e.person)) return;
      m.held = { person: e.person, role: fitRole(e.person, e.role), spelling: fitSpelling(e.person, e.spelling) };
      return;
    }
  }
}

/** A second roster of one space, which a SpaceProgram has no room for: only a conflict makes one. */
interface ExtraRoster {
  space: SpaceIndex;
  name: string;
  mode: RosterMode;
  members: Held[];
}

/** `base`, or `base-2`, ...: a ChatMembership name the program of the space does not use yet (a conflict's declaration must not be dropped as a second resource of one name). */
function freeName(p: SpaceProgram, base: string): string {
  let name = base;
  for (let i = 2; p.memberships.some((m) => m.name === name); i++) name = `${base}-${i}`;
  return name;
}

/**
 * Adds two declarations of one member to the program of a space, as `kind` says (a second roster
 * goes to `extra`); undefined when it can't here. `caller`: the operation's credentials, whose
 * user an authoritative roster beside its ChatMembership never removes.
 */
function addConflict(
  p: SpaceProgram,
  kind: Conflict["kind"],
  space: SpaceIndex,
  persons: Person[],
  pick: number,
  extra: ExtraRoster[],
  caller: MembersCredentials,
): Conflict | undefined {
  const held = heldIn(p);
  const free = persons.filter((x) => !held.some((h) => h.person === x) && x !== "alice" && x !== caller.user);
  const [rosterName, otherRosterName] = ROSTER_NAMES(space);
  switch (kind) {
    case "twoMemberships": {
      const m = p.memberships[pick % Math.max(1, p.memberships.length)];
      if (!m) return undefined;
      // The same member again, in capitals where it has an email.
      const again = { ...m.held, spelling: m.held.spelling === "email" ? ("capitals" as const) : m.held.spelling };
      p.memberships.push({ name: freeName(p, `${membershipName(space, m.held.person)}-again`), held: again });
      return { kind, atCheck: true };
    }
    case "membershipAndRoster": {
      const m = p.memberships[pick % Math.max(1, p.memberships.length)];
      if (!m) return undefined;
      p.roster ??= { name: rosterName, mode: "addOnly", members: [] };
      if ((p.roster.mode ?? "authoritative") === "authoritative") p.roster.mode = "addOnly";
      p.roster.members.push({ ...m.held });
      return { kind, atCheck: true };
    }
    case "authoritativeBeside": {
      p.roster ??= { name: rosterName, members: [] };
      p.roster.mode = undefined;
      const others = () => p.memberships.filter((m) => m.held.person !== caller.user);
      if (others().length === 0) {
        const person = free[pick % Math.max(1, free.length)];
        if (!person) return undefined;
        p.memberships.push({ name: freeName(p, membershipName(space, person)), held: { person, spelling: "email" } });
      }
      // Check tells a member from the caller without a call when the provider impersonates a
      // user (its email is the caller's) and the member is no person or is spelt by email; a
      // users/{id}, or a user's own credentials, are asked before the first write.
      const toldAtCheck = caller.via === "impersonate" && others().some((m) => m.held.person === "devs" || m.held.person === "app" || m.held.spelling !== "id");
      return { kind, atCheck: toldAtCheck };
    }
    case "twoRosters": {
      // A second roster, addOnly, of a person no one declares: two rosters of one space all the same.
      const person = free[pick % Math.max(1, free.length)];
      const second = { name: otherRosterName, mode: "addOnly" as const, members: person ? [{ person, spelling: "email" as const }] : [] };
      if (!p.roster) {
        p.roster = { name: rosterName, mode: "addOnly", members: [] };
      } else if (p.roster.name === otherRosterName) second.name = rosterName;
      extra.push({ space, ...second });
      return { kind, atCheck: true };
    }
    case "byEmailAndId": {
      if (!persons.includes("alice")) return undefined;
      const h = held.find((x) => x.person === "alice");
      const other: Spelling = h ? (h.spelling === "id" ? "email" : "id") : "id";
      if (!h) p.memberships.push({ name: freeName(p, membershipName(space, "alice")), held: { person: "alice", spelling: "email" } });
      if (p.roster && pick % 2 === 0) {
        if ((p.roster.mode ?? "authoritative") === "authoritative" && p.memberships.length > 0) p.roster.mode = "addOnly";
        p.roster.members.push({ person: "alice", spelling: other });
      } else p.memberships.push({ name: freeName(p, `${membershipName(space, "alice")}-by-${other}`), held: { person: "alice", spelling: other } });
      return { kind, atCheck: false };
    }
  }
}

/** Whether the resources of `space` declare one member twice (in any spelling): the ChatMemberships and the rosters' entries. */
function declaresTwice(resources: readonly MembersResource[], space: number): boolean {
  const byId = new Map(DEFAULT_SETTINGS.users.map((u) => [`users/${u.id}`, u.email.toLowerCase()]));
  const keyOf = (d: { user?: string; group?: string; chatApp?: boolean }) =>
    d.chatApp ? "app" : d.group ? d.group : d.user ? (byId.get(d.user) ?? d.user.toLowerCase()) : undefined;
  const keys = resources
    .filter((r) => r.space === space)
    .flatMap((r) => (r.type === "ChatMembership" ? [keyOf(r.member)] : r.members.map((m) => keyOf(m))))
    .filter((k) => k !== undefined);
  return new Set(keys).size < keys.length;
}

/** Who may be declared under both deployments' credentials. */
function personsFor(creds: MembersCredentials[], externalSpace: boolean): Person[] {
  const adminAccess = creds.some((c) => c.adminAccess);
  const own = creds.some((c) => c.via === "own");
  return PEOPLE.filter((p) => (p !== "app" || (!adminAccess && !own)) && (p !== "erin" || (externalSpace && !adminAccess)));
}

const held = (persons: Person[]): fc.Arbitrary<Held> =>
  fc
    .record({
      person: fc.constantFrom(...persons),
      role: fc.constantFrom<MembershipRole | undefined>(undefined, ...ROLES),
      spelling: fc.constantFrom<Spelling>("email", "email", "capitals", "id"),
    })
    .map((h) => ({
      person: h.person,
      role: fitRole(h.person, h.role),
      spelling: fitSpelling(h.person, h.spelling),
    }));

/**
 * The program of the last deployment in one space: its members, each in a ChatMembership, in the
 * roster, or some in each beside an addOnly roster, or the calling user (admin, who runs it) in a
 * ChatMembership of its own beside a roster of the others in any mode (a roster never removes the
 * caller).
 */
const startOf = (space: SpaceIndex, persons: Person[]): fc.Arbitrary<SpaceProgram> =>
  fc
    .record({
      members: fc.uniqueArray(held(persons), { maxLength: 4, selector: (h) => h.person }),
      layout: fc.constantFrom("memberships", "memberships", "roster", "roster", "mixed", "mixed", "callerBeside"),
      mode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative", "addOnly"),
      split: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
    })
    .map(({ members, layout, mode, split }): SpaceProgram => {
      if (layout === "memberships") return { memberships: members.map((h) => ({ name: membershipName(space, h.person), held: h })) };
      if (layout === "roster") return { memberships: [], roster: { name: ROSTER_NAMES(space)[0], ...(mode ? { mode } : {}), members } };
      if (layout === "callerBeside") {
        const admin = members.find((h) => h.person === "admin") ?? { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
        return {
          memberships: [{ name: membershipName(space, "admin"), held: admin }],
          roster: { name: ROSTER_NAMES(space)[0], ...(mode ? { mode } : {}), members: members.filter((h) => h !== admin) },
        };
      }
      return {
        memberships: members.filter((_, i) => split[i]).map((h) => ({ name: membershipName(space, h.person), held: h })),
        roster: { name: ROSTER_NAMES(space)[0], mode: "addOnly", members: members.filter((_, i) => !split[i]) },
      };
    });

const EMAIL_OF_CALLER: Record<CallerPerson, string> = { admin: EMAILS.admin, alice: EMAILS.alice, bob: EMAILS.bob };

const credentialsArbitrary: fc.Arbitrary<{ start: MembersCredentials; next: MembersCredentials }> = fc
  .record({
    startOwn: fc.constantFrom(false, false, false, true),
    startAdminAccess: fc.constantFrom(false, false, true),
    // admin's own credentials now and then signed in without the email scope (the caller can't be told), in both deployments.
    emailScope: fc.constantFrom(true, true, true, false),
    switched: fc.boolean(),
    next: fc.constantFrom<MembersCredentials>(
      { user: "admin", via: "impersonate", adminAccess: false },
      { user: "admin", via: "impersonate", adminAccess: true },
      { user: "admin", via: "own", adminAccess: false },
      { user: "admin", via: "own", adminAccess: true },
      { user: "alice", via: "impersonate", adminAccess: false },
      { user: "bob", via: "impersonate", adminAccess: false },
      { user: "bob", via: "impersonate", adminAccess: false },
    ),
  })
  .map(({ startOwn, startAdminAccess, emailScope, switched, next }) => {
    const withoutEmail = (c: MembersCredentials): MembersCredentials =>
      c.via === "own" && c.user === "admin" && !emailScope ? { ...c, emailScope: false } : c;
    const start = withoutEmail({ user: "admin", via: startOwn ? "own" : "impersonate", adminAccess: startAdminAccess });
    return { start, next: switched ? withoutEmail(next) : start };
  });

/** A person invited in Chat, not joined yet. */
const invitationArbitrary: fc.Arbitrary<Invitation> = fc.record({
  kind: fc.constant("invite" as const),
  member: fc.constantFrom(EMAILS.alice, EMAILS.bob),
  role: fc.constantFrom<MembershipRole | undefined>(undefined, ...ROLES),
});

/** A change in Chat, in one of the spaces: the membership half's, or now and then an invitation. */
const changeArbitrary = (spaces: number): fc.Arbitrary<SpaceChange> =>
  fc
    .tuple(fc.oneof({ arbitrary: divergenceArbitrary, weight: 5 }, { arbitrary: invitationArbitrary, weight: 1 }), fc.nat(spaces - 1))
    .map(([d, space]) => ({ ...d, space: space as SpaceIndex }));

/** A value one time in `oneIn`, else undefined (fc.option's `freq` is the other way round: nil one time in `freq`). */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> =>
  fc.record({ roll: fc.nat(oneIn - 1), value: arbitrary }).map(({ roll, value }) => (roll === 0 ? value : undefined));

const CONFLICTS: Conflict["kind"][] = ["twoMemberships", "membershipAndRoster", "authoritativeBeside", "twoRosters", "byEmailAndId"];

/** How many resources a program may hold, at most, for the draws of their instances. */
const MAX_RESOURCES = 10;

/**
 * Which provider instance serves each resource of a program of two: the start's by its place in
 * the program, a resource kept from the start on its instance or `moved` to the other, one new in
 * the operation's program by its place (`fresh`).
 */
interface InstanceDraws {
  start: boolean[];
  moved: boolean[];
  fresh: boolean[];
}

const instancesArbitrary: fc.Arbitrary<InstanceDraws> = fc.record({
  start: fc.array(fc.boolean(), { minLength: MAX_RESOURCES, maxLength: MAX_RESOURCES }),
  moved: fc.array(fc.constantFrom(false, false, true), { minLength: MAX_RESOURCES, maxLength: MAX_RESOURCES }),
  fresh: fc.array(fc.boolean(), { minLength: MAX_RESOURCES, maxLength: MAX_RESOURCES }),
});

/** A resource served by `instance` (the default provider's written as no option at all). */
const servedBy = (r: MembersResource, instance: ProviderInstance): MembersResource => {
  const { provider: _provider, ...rest } = r;
  return instance === "explicit" ? { ...rest, provider: "explicit" } : rest;
};

/**
 * The two programs with each resource on the default provider or the explicit one, as `draws`
 * say: a member moved from one resource to another may change instance with it, and a resource
 * the programs keep may change instance alone.
 */
function serveByTwoInstances(start: MembersResource[], next: MembersResource[], draws: InstanceDraws): { start: MembersResource[]; next: MembersResource[] } {
  const of = (b: boolean): ProviderInstance => (b ? "explicit" : "default");
  const served = start.map((r, i) => servedBy(r, of(draws.start[i % MAX_RESOURCES])));
  return {
    start: served,
    next: next.map((r, i) => {
      const before = served.find((s) => s.name === r.name && s.type === r.type);
      if (!before) return servedBy(r, of(draws.fresh[i % MAX_RESOURCES]));
      const was = before.provider ?? "default";
      return servedBy(r, draws.moved[i % MAX_RESOURCES] ? (was === "explicit" ? "default" : "explicit") : was);
    }),
  };
}

/** Cases of memberships across resources. */
export function membersFixtureArbitrary(): fc.Arbitrary<MembersFixture> {
  return fc
    .record({ spaces: fc.constantFrom<1 | 2>(1, 1, 2), externalSpace: fc.boolean(), credentials: credentialsArbitrary })
    .chain(({ spaces, externalSpace, credentials }) => {
      const persons = personsFor([credentials.start, credentials.next], externalSpace);
      const edit: fc.Arbitrary<Edit> = fc.record({
        kind: fc.constantFrom(...EDITS),
        space: fc.nat(spaces - 1) as fc.Arbitrary<SpaceIndex>,
        pick: fc.nat(),
        person: fc.constantFrom(...persons),
        role: fc.constantFrom<MembershipRole | undefined>(undefined, ...ROLES),
        spelling: fc.constantFrom<Spelling>("email", "email", "capitals", "id"),
        retain: fc.constantFrom(false, false, false, false, true),
      });
      return fc.record({
        spaces: fc.constant(spaces),
        externalSpace: fc.constant(externalSpace),
        credentials: fc.constant(credentials),
        persons: fc.constant(persons),
        keepLastManager: fc.boolean(),
        bobInvited: fc.boolean(),
        preexisting: fc.array(
          changeArbitrary(spaces).filter((d): d is Extract<SpaceChange, { kind: "add" }> => d.kind === "add"),
          { maxLength: 2 },
        ),
        start: fc.tuple(...Array.from({ length: spaces }, (_, i) => startOf(i as SpaceIndex, persons))),
        edits: fc.array(edit, { minLength: 1, maxLength: 4 }),
        conflict: rarely(fc.record({ kind: fc.constantFrom(...CONFLICTS), space: fc.nat(spaces - 1), pick: fc.nat() }), 8),
        invalid: rarely(
          fc.record({
            kind: fc.constantFrom<InvalidDeclaration>("groupWithRole", "appWithAdminAccess"),
            space: fc.nat(spaces - 1) as fc.Arbitrary<SpaceIndex>,
            role: fc.constantFrom(...ROLES),
          }),
          16,
        ),
        divergence: fc.array(changeArbitrary(spaces), { maxLength: 2 }),
        callerLeaves: rarely(fc.nat(spaces - 1), 12),
        refreshFirst: fc.boolean(),
        operation: fc.constantFrom<OperationKind>("preview", "up", "up", "up", "replace", "replace", "refresh", "destroy"),
        replacePick: fc.nat(),
        faults: fc.array(faultArbitrary, { maxLength: 2 }),
        crash: rarely(fc.record({ after: fc.integer({ min: 1, max: 4 }), countDeletes: fc.boolean() }), 3),
        instances: rarely(instancesArbitrary, 3),
        overlap: rarely(fc.constant(true), 3),
      });
    })
    .map((f): MembersFixture => {
      const { credentials, persons } = f;
      const nextCaller = credentials.next.user;
      const start = f.start as SpaceProgram[];
      // The start's caller (admin, who made the spaces) stays their owner; so does the next caller,
      // made an owner in Chat before the first deployment: a caller who can't manage the members
      // could change nothing.
      for (const p of start) {
        for (const h of heldIn(p)) if (h.person === "admin" || h.person === nextCaller) h.role = "ROLE_MANAGER";
        normalise(p, credentials.start);
      }
      const preexisting: SpaceChange[] = [...f.preexisting];
      if (nextCaller !== "admin") {
        for (let s = 0; s < f.spaces; s++)
          preexisting.unshift({ kind: "add", member: EMAIL_OF_CALLER[nextCaller], role: "ROLE_MANAGER", space: s as SpaceIndex });
      }
      const next: SpaceProgram[] = structuredClone(start);
      for (const e of f.edits) {
        if (e.space < next.length) applyEdit(next[e.space], e, e.space, persons);
        // A resource dropped now may be kept in Chat by its retainOnDelete option, set on its last registration.
        if (e.retain && e.kind === "drop") markRetained(start[e.space], next[e.space]);
      }
      next.forEach((p) => normalise(p, credentials.next));
      const extraRosters: ExtraRoster[] = [];
      let conflict: Conflict | undefined;
      let operation = f.operation;
      if (f.conflict && f.conflict.space < next.length) {
        conflict = addConflict(
          next[f.conflict.space],
          f.conflict.kind,
          f.conflict.space as SpaceIndex,
          persons,
          f.conflict.pick,
          extraRosters,
          credentials.next,
        );
        // destroy and refresh check nothing: a conflict is an up's.
        if (conflict && (operation === "destroy" || operation === "refresh")) operation = "up";
      }
      const startResources = resourcesOf(start);
      const nextResources: MembersResource[] = [
        ...resourcesOf(next),
        ...extraRosters.map((r) => ({
          type: "ChatSpaceMembers" as const,
          name: r.name,
          space: r.space,
          mode: r.mode,
          members: r.members.map(declarationOf) as RosterMemberArgs[],
        })),
      ];
      // A resource renamed or moved away may still hold a name another resource takes now: one name, one resource.
      const seen = new Set<string>();
      const unique = nextResources.filter((r) => !seen.has(r.name) && seen.add(r.name));
      const kept = unique.filter((r) => startResources.some((s) => s.name === r.name && s.type === r.type));
      let replaceTarget: string | undefined;
      if (operation === "replace") {
        if (kept.length === 0) operation = "up";
        else replaceTarget = kept[f.replacePick % kept.length].name;
      }
      // A resource's type is fixed by its name: a name used for a ChatMembership and then a roster would be another resource in Pulumi, not the same.
      const typed = unique.filter((r) => !startResources.some((s) => s.name === r.name && s.type !== r.type));
      // A member declared twice one of whose declarations did not survive (one name, one resource; a type fixed by its name) is not.
      const twice: Conflict["kind"][] = ["twoMemberships", "membershipAndRoster", "byEmailAndId"];
      if (conflict && twice.includes(conflict.kind) && !declaresTwice(typed, f.conflict!.space)) conflict = undefined;
      const invalid = !conflict && f.invalid ? addInvalid(typed, startResources, f.invalid, credentials.next) : undefined;
      // destroy and refresh check nothing: an invalid declaration is an up's.
      if (invalid && (operation === "destroy" || operation === "refresh")) operation = "up";
      const divergence = [...f.divergence];
      if (f.callerLeaves !== undefined) divergence.push({ kind: "remove", member: EMAIL_OF_CALLER[nextCaller], space: f.callerLeaves as SpaceIndex });
      const served = f.instances ? serveByTwoInstances(startResources, typed, f.instances) : { start: startResources, next: typed };
      return {
        spaces: f.spaces,
        externalSpace: f.externalSpace,
        keepLastManager: f.keepLastManager,
        bobInvited: f.bobInvited && nextCaller !== "bob",
        credentials,
        preexisting,
        start: served.start,
        next: served.next,
        ...(conflict ? { conflict } : {}),
        ...(invalid ? { invalid } : {}),
        divergence,
        refreshFirst: f.refreshFirst,
        operation,
        ...(replaceTarget ? { replaceTarget } : {}),
        faults: f.faults,
        ...(f.crash && operation !== "preview" ? { crash: f.crash } : {}),
        // One up in three overlaps its update's steps with the later registrations' checks, as the engine does.
        ...(f.overlap && (operation === "up" || operation === "replace") ? { checkDuringStep: true } : {}),
      };
    });
}

/**
 * Writes into the operation's program a declaration check must refuse, as people mistype one: a
 * role on the Google Group (its declaration, or a new ChatMembership of it), or the Chat app
 * declared while the operation uses admin access. Undefined when it does not apply here (no admin
 * access for the app); `start`: the last deployment's resources, whose names keep their type.
 */
function addInvalid(
  program: MembersResource[],
  start: MembersResource[],
  invalid: { kind: InvalidDeclaration; space: SpaceIndex; role: MembershipRole },
  caller: MembersCredentials,
): InvalidDeclaration | undefined {
  const { kind, space, role } = invalid;
  const free = (base: string) => {
    let name = base;
    for (let i = 2; [...program, ...start].some((r) => r.name === name); i++) name = `${base}-${i}`;
    return name;
  };
  if (kind === "appWithAdminAccess") {
    if (!caller.adminAccess || program.some((r) => (r.type === "ChatMembership" ? r.member.chatApp : r.members.some((m) => m.chatApp)))) return undefined;
    program.push({ type: "ChatMembership", name: free(membershipName(space, "app")), space, member: { chatApp: true } });
    return kind;
  }
  const group = (m: { group?: string }) => m.group === "groups/devs";
  const holder = program.find((r) => r.space === space && (r.type === "ChatMembership" ? group(r.member) : r.members.some(group)));
  if (holder?.type === "ChatMembership") holder.member = { ...holder.member, role };
  else if (holder) holder.members = holder.members.map((m) => (group(m) ? { ...m, role } : m));
  else program.push({ type: "ChatMembership", name: free(membershipName(space, "devs")), space, member: { group: "groups/devs", role } });
  return kind;
}

/** Marks the start's resources that the program no longer declares as retained (retainOnDelete on their last registration). */
function markRetained(start: SpaceProgram | undefined, next: SpaceProgram | undefined): void {
  if (!start || !next) return;
  for (const m of start.memberships) if (!next.memberships.some((x) => x.name === m.name)) m.retainOnDelete = true;
  if (start.roster && next.roster?.name !== start.roster.name) start.roster.retainOnDelete = true;
}

/** A ChatMembership of space 0 holding `h`, named as the broad generator names it. */
const membershipOf = (h: Held, name = membershipName(0, h.person)): MembersResource => ({ type: "ChatMembership", name, space: 0, member: declarationOf(h) });

/** A case of one space, admin's, with nothing generated but what the scenario sets. */
const scenario = (over: Partial<MembersFixture> & Pick<MembersFixture, "credentials" | "start" | "next" | "operation">): MembersFixture => ({
  spaces: 1,
  externalSpace: false,
  keepLastManager: false,
  bobInvited: false,
  preexisting: [],
  divergence: [],
  refreshFirst: false,
  faults: [],
  ...over,
});

const ADMIN_WITHOUT_ADMIN_ACCESS = fc.constantFrom<MembersCredentials>(
  { user: "admin", via: "impersonate", adminAccess: false },
  { user: "admin", via: "own", adminAccess: false },
);

/**
 * The calling user removed from the space in Chat (without admin access, they no longer see it),
 * then an up, destroy, refresh or `up --replace` that drops, renames or reads ChatMemberships and
 * a roster: every membership read or removal meets 404, which is a hidden space, not a gone member;
 * now and then the read of the space that would confirm it fails too. Now and then the program
 * held the caller's own membership too (by email, in capitals or by `users/{id}`), and drops it:
 * its state says it is the caller's, so its delete leaves it, asking Chat nothing, although the
 * caller is in no space any more where its id could be read.
 */
const callerRemovedInChat: fc.Arbitrary<MembersFixture> = fc
  .record({
    credentials: ADMIN_WITHOUT_ADMIN_ACCESS,
    others: fc.uniqueArray(held(["alice", "devs"]), { minLength: 1, maxLength: 2, selector: (h) => h.person }),
    inRoster: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
    anotherOwner: fc.boolean(),
    confirmingReadFails: fc.boolean(),
    callerOwn: rarely(fc.constantFrom<Spelling>("email", "capitals", "id"), 3),
    edit: fc.constantFrom("drop", "rename", "dropRoster", "none", "dropCaller"),
    pick: fc.nat(),
    refreshFirst: fc.boolean(),
    operation: fc.constantFrom<OperationKind>("up", "up", "destroy", "refresh", "replace", "replace"),
  })
  .map((s) => {
    // The first in a ChatMembership of its own: a membership's removal or read meets the 404.
    const memberships = s.others.filter((_, i) => i === 0 || !s.inRoster[i]);
    const rostered = s.others.filter((_, i) => i > 0 && s.inRoster[i]);
    const roster = (members: Held[]): MembersResource[] =>
      members.length
        ? [{ type: "ChatSpaceMembers", name: ROSTER_NAMES(0)[0], space: 0, mode: "addOnly", members: members.map(declarationOf) as RosterMemberArgs[] }]
        : [];
    const callers = s.callerOwn ? [membershipOf({ person: "admin", role: "ROLE_MANAGER", spelling: s.callerOwn })] : [];
    const start = [...callers, ...memberships.map((h) => membershipOf(h)), ...roster(rostered)];
    const picked = memberships[s.pick % Math.max(1, memberships.length)];
    const nextMemberships = memberships.flatMap((h) =>
      h !== picked || s.edit === "none" || s.edit === "dropRoster"
        ? [membershipOf(h)]
        : s.edit === "rename"
          ? [membershipOf(h, `${membershipName(0, h.person)}-renamed`)]
          : [],
    );
    const next = [...(s.edit === "dropCaller" ? [] : callers), ...nextMemberships, ...(s.edit === "dropRoster" ? [] : roster(rostered))];
    // `up --replace` of another member's ChatMembership where one is kept: its replacement meets the hidden space.
    const keptAll = next.filter((r) => start.some((x) => x.name === r.name));
    const keptOthers = keptAll.filter((r) => !callers.includes(r));
    const kept = keptOthers.length > 0 ? keptOthers : keptAll;
    const operation = s.operation === "replace" && kept.length === 0 ? "up" : s.operation;
    return scenario({
      credentials: { start: s.credentials, next: s.credentials },
      // bob, another owner, so that Chat lets the caller go even when it keeps a manager.
      keepLastManager: s.anotherOwner,
      preexisting: s.anotherOwner ? [{ kind: "add", member: EMAILS.bob, role: "ROLE_MANAGER", space: 0 }] : [],
      start,
      next,
      divergence: [{ kind: "remove", member: EMAILS.admin, space: 0 }],
      refreshFirst: s.refreshFirst,
      operation,
      // The read of the space that would tell a hidden space from a gone member fails past the retries (40 answers outlast their 300 s deadline): nothing is confirmed.
      faults: s.confirmingReadFails ? [{ method: "spaces.get", action: "503", count: 40 }] : [],
      ...(operation === "replace" ? { replaceTarget: kept[s.pick % kept.length].name } : {}),
    });
  });

/**
 * The calling user's own ChatMembership (by email, in capitals or by `users/{id}`) dropped from
 * the program while another owner stays: its delete keeps the caller. Now and then the caller
 * left the space in Chat since (without admin access, it no longer sees it, and is in no other
 * space where its id could be read): the state says whose membership it is, so its delete still
 * leaves it, asking Chat nothing.
 */
const callerOwnMembershipDropped: fc.Arbitrary<MembersFixture> = fc
  .record({
    credentials: fc.constantFrom<MembersCredentials>(
      { user: "admin", via: "impersonate", adminAccess: false },
      { user: "admin", via: "own", adminAccess: false },
      { user: "admin", via: "impersonate", adminAccess: true },
    ),
    spelling: fc.constantFrom<Spelling>("email", "capitals", "id", "id"),
    alice: fc.boolean(),
    leftInChat: fc.boolean(),
    operation: fc.constantFrom<OperationKind>("up", "up", "destroy"),
  })
  .map((s) => {
    const admin = membershipOf({ person: "admin", role: "ROLE_MANAGER", spelling: s.spelling });
    const alice = s.alice ? [membershipOf({ person: "alice", spelling: "email" })] : [];
    const credentials: MembersCredentials = s.leftInChat && s.credentials.adminAccess ? { ...s.credentials, adminAccess: false } : s.credentials;
    return scenario({
      credentials: { start: credentials, next: credentials },
      preexisting: [{ kind: "add", member: EMAILS.bob, role: "ROLE_MANAGER", space: 0 }],
      start: [admin, ...alice],
      next: alice,
      divergence: s.leftInChat ? [{ kind: "remove", member: EMAILS.admin, space: 0 }] : [],
      operation: s.operation,
    });
  });

/**
 * The space's one joined owner (admin, with admin access, so that they may be demoted) demoted
 * by their ChatMembership or the roster, maybe beside bob invited (not joined) as an owner: an
 * invitation is not an owner, so the change is refused.
 */
const lastOwnerDemoted: fc.Arbitrary<MembersFixture> = fc
  .record({
    viaRoster: fc.boolean(),
    bobInvitedOwner: fc.constantFrom(true, true, false),
    role: fc.constantFrom<MembershipRole>("ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER"),
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "addOnly"),
  })
  .map((s) => {
    const credentials: MembersCredentials = { user: "admin", via: "impersonate", adminAccess: true };
    const bob: Held[] = s.bobInvitedOwner ? [{ person: "bob", role: "ROLE_MANAGER", spelling: "email" }] : [];
    const program = (role: MembershipRole): MembersResource[] => {
      const admin: Held = { person: "admin", role, spelling: "email" };
      if (s.viaRoster)
        return [
          {
            type: "ChatSpaceMembers",
            name: ROSTER_NAMES(0)[0],
            space: 0,
            ...(s.mode ? { mode: s.mode } : {}),
            members: [admin, ...bob].map(declarationOf) as RosterMemberArgs[],
          },
        ];
      return [admin, ...bob].map((h) => membershipOf(h));
    };
    return scenario({
      credentials: { start: credentials, next: credentials },
      bobInvited: s.bobInvitedOwner,
      start: program("ROLE_MANAGER"),
      next: program(s.role),
      operation: "up",
    });
  });

/**
 * The space's owners, alice and bob, each held by a resource of its own (a ChatMembership, or
 * one of them the roster's), on the default provider or the explicit one (a process of its own),
 * each dropped, demoted or kept in one `up`, or all destroyed: the engine runs the updates of
 * resources that depend on none of each other at once, and deletes a delete chain in parallel.
 * admin, with admin access, is no owner any more (demoted in Chat), or still one now and then;
 * Google documents no last-owner rule, so the emulator's is off. Each write reads the owners
 * before it removes or demotes one: at once, both would read the other still there; now and then
 * the first removal or role change is slow to run, so that the other's reads come meanwhile. One
 * owner always stays.
 */
const ownersLeavingAtOnce: fc.Arbitrary<MembersFixture> = fc
  .record({
    rosterHolds: fc.constantFrom<Person | undefined>(undefined, "alice", "bob"),
    instances: fc.tuple(fc.constantFrom<ProviderInstance>("default", "explicit"), fc.constantFrom<ProviderInstance>("default", "explicit")),
    edits: fc.tuple(fc.constantFrom("dropped", "demoted", "dropped", "kept"), fc.constantFrom("dropped", "demoted", "dropped", "kept")),
    adminStaysOwner: fc.constantFrom(false, false, false, true),
    operation: fc.constantFrom<OperationKind>("up", "up", "up", "destroy"),
    // The first removal or role change slow to run: the other writes' reads come meanwhile.
    slow: fc.constantFrom<MembershipFault["method"] | undefined>(undefined, "spaces.members.delete", "spaces.members.delete", "spaces.members.patch"),
  })
  .map((s) => {
    const persons = ["alice", "bob"] as const;
    const holder = (person: (typeof persons)[number], i: number, role: MembershipRole = "ROLE_MANAGER"): MembersResource => {
      const owner: Held = { person, role, spelling: "email" };
      return servedBy(s.rosterHolds === person ? rosterOf([owner], "addOnly") : membershipOf(owner), s.instances[i]);
    };
    const next = persons.flatMap((person, i) =>
      s.edits[i] === "dropped" ? [] : [holder(person, i, s.edits[i] === "demoted" ? "ROLE_MEMBER" : "ROLE_MANAGER")],
    );
    return scenario({
      credentials: { start: ADMIN_ACCESS, next: ADMIN_ACCESS },
      start: persons.map((person, i) => holder(person, i)),
      next,
      divergence: s.adminStaysOwner ? [] : [{ kind: "setRole", member: EMAILS.admin, role: "ROLE_MEMBER", space: 0 }],
      operation: s.operation,
      faults: s.slow ? [{ method: s.slow, action: "slow", count: 1 }] : [],
      stepsAtOnce: true,
      deletesAtOnce: true,
    });
  });

/**
 * A member added (by a ChatMembership or the roster) or their role changed, and Google's answer
 * to that write holding the membership's name alone (as a proxy or a retried lost answer may
 * give): the provider reads the membership again rather than record an empty member.
 */
const nameOnlyAnswer: fc.Arbitrary<MembersFixture> = fc
  .record({
    credentials: ADMIN_WITHOUT_ADMIN_ACCESS,
    added: held(["alice", "bob", "devs"]),
    viaRoster: fc.boolean(),
    roleChange: fc.boolean(),
    role: fc.constantFrom<MembershipRole>("ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER", "ROLE_MANAGER"),
  })
  .map((s) => {
    const roleChange = s.roleChange && s.added.person !== "devs";
    const program = (members: Held[]): MembersResource[] =>
      s.viaRoster
        ? [{ type: "ChatSpaceMembers", name: ROSTER_NAMES(0)[0], space: 0, mode: "addOnly", members: members.map(declarationOf) as RosterMemberArgs[] }]
        : members.map((h) => membershipOf(h));
    const changed: Held = {
      ...s.added,
      role: fitRole(s.added.person, s.role === (s.added.role ?? "ROLE_MEMBER") ? (s.role === "ROLE_MEMBER" ? "ROLE_MANAGER" : "ROLE_MEMBER") : s.role),
    };
    return scenario({
      credentials: { start: s.credentials, next: s.credentials },
      start: roleChange ? program([s.added]) : [],
      next: program([roleChange ? changed : s.added]),
      operation: "up",
      faults: [{ method: roleChange ? "spaces.members.patch" : "spaces.members.create", action: "nameOnly", count: 1 }],
    });
  });

const ADMIN_CREDENTIALS = fc.constantFrom<MembersCredentials>(
  { user: "admin", via: "impersonate", adminAccess: false },
  { user: "admin", via: "own", adminAccess: false },
  { user: "admin", via: "impersonate", adminAccess: true },
);

/** The roster of space 0, as the broad generator names it (or by `name`). */
const rosterOf = (members: Held[], mode?: RosterMode, name = ROSTER_NAMES(0)[0]): MembersResource => ({
  type: "ChatSpaceMembers",
  name,
  space: 0,
  ...(mode ? { mode } : {}),
  members: members.map(declarationOf) as RosterMemberArgs[],
});

/**
 * bob invited and not joined yet (his auto-accept is off), beside a roster of the space: invited
 * by a person in Chat, or by the roster's own add; maybe accepted since; then a refresh (or not),
 * and a program whose roster keeps or drops him. Google lists an invitation only when asked
 * (showInvited): a roster that did not ask would never see him, and an authoritative one would
 * never announce his removal.
 */
const invitationsPending: fc.Arbitrary<MembersFixture> = fc
  .record({
    credentials: ADMIN_CREDENTIALS,
    invitedBy: fc.constantFrom("chat", "roster"),
    role: fc.constantFrom<MembershipRole | undefined>(undefined, ...ROLES),
    others: fc.uniqueArray(held(["alice", "devs"]), { maxLength: 2, selector: (h) => h.person }),
    keepsBob: fc.constantFrom(false, false, true),
    accepts: fc.constantFrom(false, false, true),
    startMode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative", "addOnly"),
    nextMode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative", "authoritative", "addOnly"),
    refreshFirst: fc.constantFrom(true, true, true, false),
    operation: fc.constantFrom<OperationKind>("up", "up", "up", "preview", "destroy"),
  })
  .map((s) => {
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const bob: Held = { person: "bob", role: s.role, spelling: "email" };
    const divergence: SpaceChange[] = [
      ...(s.invitedBy === "chat" ? [{ kind: "invite" as const, member: EMAILS.bob, ...(s.role ? { role: s.role } : {}), space: 0 as const }] : []),
      ...(s.accepts ? [{ kind: "accept" as const, member: EMAILS.bob, space: 0 as const }] : []),
    ];
    return scenario({
      credentials: { start: s.credentials, next: s.credentials },
      bobInvited: true,
      start: [rosterOf([admin, ...s.others, ...(s.invitedBy === "roster" ? [bob] : [])], s.startMode)],
      next: [rosterOf([admin, ...s.others, ...(s.keepsBob ? [bob] : [])], s.nextMode)],
      divergence,
      refreshFirst: s.refreshFirst,
      operation: s.operation,
    });
  });

/**
 * A roster renamed (another URN) or replaced (`up --replace`) as addOnly, dropping a member in
 * the same edit; maybe the engine crashes after the new roster's create, or the old roster's
 * removal fails past the retries (an outage), so that the next up, another process, diffs the new
 * roster before the old one's delete; the member it keeps maybe declared by `users/{id}` now,
 * having been learnt by email (respelled). An addOnly roster decides on no member it does not
 * declare: the old roster's delete removes the dropped one, announced.
 */
const rosterMovedAsAddOnly: fc.Arbitrary<MembersFixture> = fc
  .record({
    credentials: ADMIN_CREDENTIALS,
    members: fc.uniqueArray(held(["alice", "bob", "devs"]), { minLength: 2, maxLength: 3, selector: (h) => h.person }),
    startMode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative", "addOnly"),
    how: fc.constantFrom("rename", "replace", "renameCrash", "renameDeleteFails", "renameDeleteFails"),
    respell: fc.boolean(),
  })
  .map((s) => {
    const [dropped, ...kept] = s.members;
    const learnt = kept.map((h) => ({ ...h, spelling: "email" as const }));
    const respelled = learnt.map((h) => ({ ...h, spelling: fitSpelling(h.person, s.respell ? "id" : "email") }));
    const renamed = s.how !== "replace";
    return scenario({
      credentials: { start: s.credentials, next: s.credentials },
      start: [rosterOf([...learnt, dropped], s.startMode)],
      next: [rosterOf(respelled, "addOnly", renamed ? ROSTER_NAMES(0)[1] : ROSTER_NAMES(0)[0])],
      operation: renamed ? "up" : "replace",
      ...(renamed ? {} : { replaceTarget: ROSTER_NAMES(0)[0] }),
      // The new roster's create is the operation's first counted call: the old roster's delete is left for the next up.
      ...(s.how === "renameCrash" ? { crash: { after: 1, countDeletes: false } } : {}),
      // The old roster's removal of the dropped member meets 503 past the retries' 300 s deadline.
      ...(s.how === "renameDeleteFails" ? { faults: [{ method: "spaces.members.delete", action: "503", count: 40 }] } : {}),
    });
  });

/**
 * An addOnly roster that stops declaring a member (the program drops her entry, or moves her to a
 * ChatMembership), then taken down: by a `pulumi destroy` after that up, or by a later up whose
 * program no longer has the roster. An addOnly roster removes no one it does not declare, its
 * delete included (docs/guides/rosters.md): its delete removes only the members its last
 * declaration declares, and the one it dropped stays.
 */
const addOnlyRosterDropsThenGoes: fc.Arbitrary<MembersFixture> = fc
  .record({
    credentials: ADMIN_CREDENTIALS,
    members: fc.uniqueArray(held(["alice", "bob", "devs"]), { minLength: 2, maxLength: 3, selector: (h) => h.person }),
    startMode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative", "addOnly"),
    movedToMembership: fc.boolean(),
    goes: fc.constantFrom("destroy", "laterUp"),
  })
  .map((s) => {
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const [dropped, ...kept] = s.members;
    const dropping = [rosterOf([admin, ...kept], "addOnly"), ...(s.movedToMembership ? [membershipOf(dropped)] : [])];
    const start = [rosterOf([admin, ...s.members], s.startMode)];
    const credentials = { start: s.credentials, next: s.credentials };
    if (s.goes === "destroy") return scenario({ credentials, start, next: dropping, operation: "up", thenDestroy: true });
    // The up that drops her runs between the last deployment and the operation, whose program keeps only the ChatMembership.
    return scenario({ credentials, start, afterMove: dropping, next: dropping.slice(1), operation: "up" });
  });

/**
 * The calling user changed between two ups (googlechat:impersonateUser from admin to alice or
 * bob, or their own credentials), no refresh since: the roster's state, read as admin, lists the
 * new caller (an owner made in Chat before the first deployment), undeclared or declared. A plan
 * that removes or demotes people reads the new caller's membership first and keeps her (the state
 * may call her someone else's), and keeps admin, the caller it records, for that up; the roster
 * dropped or destroyed keeps the new caller, whom its state recorded as nobody's.
 */
const callerChangedBetweenUps: fc.Arbitrary<MembersFixture> = fc
  .record({
    next: fc.constantFrom<MembersCredentials>(
      { user: "bob", via: "impersonate", adminAccess: false },
      { user: "alice", via: "impersonate", adminAccess: false },
      { user: "alice", via: "own", adminAccess: false },
    ),
    others: fc.uniqueArray(held(["alice", "bob", "devs"]), { maxLength: 2, selector: (h) => h.person }),
    edit: fc.constantFrom("none", "drop", "demote", "add", "dropRoster"),
    callerDeclared: fc.boolean(),
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative", "addOnly"),
    refreshFirst: fc.constantFrom(false, false, true),
    operation: fc.constantFrom<OperationKind>("up", "up", "destroy"),
  })
  .map((s) => {
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const caller: Held[] = s.callerDeclared ? [{ person: s.next.user, role: "ROLE_MANAGER", spelling: "email" }] : [];
    const others = [...caller, ...s.others.filter((h) => h.person !== s.next.user)];
    const devs: Held = { person: "devs", spelling: "email" };
    const next: Record<typeof s.edit, Held[] | undefined> = {
      none: [admin, ...others],
      drop: [admin, ...others.slice(1)],
      demote: [{ ...admin, role: "ROLE_MEMBER" }, ...others],
      add: [admin, ...others, ...(others.some((h) => h.person === "devs") ? [] : [devs])],
      dropRoster: undefined,
    };
    const members = next[s.edit];
    return scenario({
      credentials: { start: { user: "admin", via: "impersonate", adminAccess: false }, next: s.next },
      preexisting: [{ kind: "add", member: EMAILS[s.next.user], role: "ROLE_MANAGER", space: 0 }],
      start: [rosterOf([admin, ...others], s.mode)],
      next: members ? [rosterOf(members, s.mode)] : [],
      refreshFirst: s.refreshFirst,
      operation: s.operation,
    });
  });

/**
 * A user's own credentials signed in without the email scope (the caller can't be told): rosters
 * and ChatMemberships that only add deploy; a change that removes or demotes people stops before
 * its write, naming the scope to add.
 */
const ownCredentialsWithoutEmailScope: fc.Arbitrary<MembersFixture> = fc
  .record({
    members: fc.uniqueArray(held(["alice", "bob", "devs"]), { minLength: 1, maxLength: 3, selector: (h) => h.person }),
    layout: fc.constantFrom("roster", "memberships", "mixed"),
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "addOnly"),
    edit: fc.constantFrom("none", "drop", "role", "add"),
    operation: fc.constantFrom<OperationKind>("up", "up", "destroy", "refresh"),
  })
  .map((s) => {
    const credentials: MembersCredentials = { user: "admin", via: "own", adminAccess: false, emailScope: false };
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const program = (members: Held[]): MembersResource[] => {
      if (s.layout === "memberships") return members.map((h) => membershipOf(h));
      if (s.layout === "roster") return [rosterOf([admin, ...members], s.mode)];
      return [membershipOf(members[0]), rosterOf([admin, ...members.slice(1)], "addOnly")];
    };
    const [first, ...rest] = s.members;
    const next =
      s.edit === "drop"
        ? rest
        : s.edit === "role"
          ? [{ ...first, role: fitRole(first.person, first.role === "ROLE_MANAGER" ? "ROLE_MEMBER" : "ROLE_MANAGER") }, ...rest]
          : s.edit === "add" && !s.members.some((h) => h.person === "devs")
            ? [...s.members, { person: "devs" as const, spelling: "email" as const }]
            : s.members;
    return scenario({
      credentials: { start: credentials, next: credentials },
      start: program(s.members),
      next: next.length > 0 ? program(next) : [],
      operation: s.operation,
    });
  });

/** When the space of a migration under way was created, in its original system: its memberships' times are later. */
export const IMPORT_SPACE_TIME = "2019-01-01T00:00:00Z";
/** When people joined the migrated space, and when some of them left, as the old system recorded it. */
const JOINED_TIMES = ["2019-02-01T09:00:00Z", "2019-05-15T12:30:00Z"] as const;
const LEFT_TIMES = ["2020-03-01T17:00:00Z", "2020-06-30T08:15:00Z"] as const;

/** The same instant in other RFC 3339 text, as another export tool writes it: an hour east of UTC, with milliseconds. */
const respeltTime = (time: string): string => new Date(Date.parse(time) + 3_600_000).toISOString().replace(/\.\d{3}Z$/, ".000+01:00");

/** One person of a migration as their ChatMembership declares them: who, at what role, and their history in the space. */
interface Migrated {
  person: "alice" | "bob";
  /** The space of the migration; absent: the first. */
  space?: SpaceIndex;
  role?: MembershipRole;
  spelling: Spelling;
  createTime: string;
  /** When they left: a historical membership (NOT_A_MEMBER). */
  deleteTime?: string;
}

/** A migrated person's ChatMembership, named as the broad generator names it (or by `name`); `timed`: its times declared. */
const migratedOf = (m: Migrated, name = membershipName(0, m.person), timed = true): MembersResource => ({
  type: "ChatMembership",
  name,
  space: m.space ?? 0,
  member: {
    ...declarationOf({ person: m.person, role: m.role, spelling: m.spelling }),
    ...(timed ? { createTime: m.createTime, ...(m.deleteTime ? { deleteTime: m.deleteTime } : {}) } : {}),
  },
});

/** What a person migrating a space changes in the program of its memberships between two ups. */
type ImportEdit =
  | "none"
  | "respellTime"
  | "untime"
  | "role"
  | "rename"
  | "drop"
  | "add"
  | "anotherMember"
  | "retime"
  | "leave"
  | "moreTimes"
  | "seatGiven"
  | "spaceMoved";
/** The edits that change no membership's times. */
const SAME_TIMES_EDITS: ImportEdit[] = ["none", "respellTime", "untime", "role", "rename", "drop", "add", "anotherMember"];
/** The edits that replace a membership for its times alone (another createTime, a deleteTime now). */
const TIMES_EDITS: ImportEdit[] = ["retime", "leave", "moreTimes"];
/**
 * A ChatMembership given to the other person, who joined in Chat since (now, not at the declared
 * time): its diff plans a replacement that creates first, whose create meets her membership with
 * other times, which it must not remove (the preview announced her add).
 */
const SEAT_GIVEN: ImportEdit = "seatGiven";
/**
 * A ChatMembership moved to a second space a migration is under way in, with its times, where its
 * member joined in Chat since (now, not at the declared time), or not: the diff plans a
 * replacement (the space is replace-only), whose create may meet her membership there with other
 * times, which it must not remove (the preview announced her add to that space).
 */
const SPACE_MOVED: ImportEdit = "spaceMoved";

/**
 * Someone who joined in Chat, listed by the authoritative roster that does not declare her (its
 * create kept her; or she joined since, and a refresh read her), then written into the roster by
 * email: the plan can't tell that email is the member it lists, so it shows her add and the
 * removal of the listed member; the add meets her membership, which the roster takes over, and
 * she is not removed.
 */
const joinedThenDeclared: fc.Arbitrary<MembersFixture> = fc
  .record({
    credentials: ADMIN_CREDENTIALS,
    joined: fc.constantFrom("before", "since"),
    roleInChat: fc.constantFrom<MembershipRole | undefined>(undefined, ...ROLES),
    declared: fc.record({
      role: fc.constantFrom<MembershipRole | undefined>(undefined, ...ROLES),
      spelling: fc.constantFrom<Spelling>("email", "capitals"),
    }),
    others: fc.uniqueArray(held(["bob", "devs"]), { maxLength: 2, selector: (h) => h.person }),
    operation: fc.constantFrom<OperationKind>("up", "up", "up", "preview"),
  })
  .map((s) => {
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const alice: Held = { person: "alice", ...s.declared };
    const joins: SpaceChange = { kind: "add", member: EMAILS.alice, ...(s.roleInChat ? { role: s.roleInChat } : {}), space: 0 };
    return scenario({
      credentials: { start: s.credentials, next: s.credentials },
      preexisting: s.joined === "before" ? [joins] : [],
      start: [rosterOf([admin, ...s.others])],
      next: [rosterOf([admin, ...s.others, alice])],
      divergence: s.joined === "since" ? [joins] : [],
      refreshFirst: s.joined === "since",
      operation: s.operation,
    });
  });

/** The importer of a space: admin through domain-wide delegation, without admin access (import mode needs chat.import). */
const IMPORTER: MembersCredentials = { user: "admin", via: "impersonate", adminAccess: false };

/**
 * A migration under way: the space in import mode (admin, its importer, impersonated with
 * chat.import; admin access can't import), its people declared by ChatMemberships with the times
 * of their history, those who left with a deleteTime. Then the edits of the person migrating it:
 * a time written in other RFC 3339 text (the same instant: nothing to do), the times taken out of
 * the declaration (no longer managed: no replacement), a role changed (in place; a historical
 * membership keeps its role), a ChatMembership renamed, dropped, added, or given the other person
 * with the same times, or its resource given to the other person, who joined in Chat since (a
 * replacement that meets her membership with other times), or moved to a second space in import
 * mode, which its member joined in Chat since or not; a createTime corrected or a deleteTime added
 * or changed, which replace the membership (its times are set only when it is created): delete-first by the diff; by
 * `up --replace`, refused (the engine checks the target with no old inputs, as a new resource, so
 * its create can't tell a replacement from a new resource's, which removes no one); now and then
 * after the member's role was raised in Chat. A refresh or not, faults, a crash, and one operation.
 */
const importMigrationOf = (edits: readonly ImportEdit[], people: { maxLength: number }, raised: boolean): fc.Arbitrary<MembersFixture> =>
  fc
    .record({
      people: fc.uniqueArray(
        fc.record({
          person: fc.constantFrom<Migrated["person"]>("alice", "bob"),
          // No owner: "to delete memberships for space managers, the requester must be a space
          // manager" (v1.d.ts members.delete), which the importer, no member of the space, is not.
          role: fc.constantFrom<MembershipRole | undefined>(undefined, "ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER"),
          spelling: fc.constantFrom<Spelling>("email", "email", "capitals", "id"),
          joined: fc.nat(JOINED_TIMES.length - 1),
          left: fc.option(fc.nat(LEFT_TIMES.length - 1), { nil: undefined, freq: 3 }),
        }),
        { minLength: 1, maxLength: people.maxLength, selector: (p) => p.person },
      ),
      edit: fc.constantFrom(...edits),
      pick: fc.nat(),
      refreshFirst: fc.boolean(),
      operation: fc.constantFrom<OperationKind>("up", "up", "up", "up", "preview", "replace", "refresh", "destroy"),
      faults: fc.array(faultArbitrary, { maxLength: 1 }),
      crash: rarely(fc.record({ after: fc.integer({ min: 1, max: 3 }), countDeletes: fc.boolean() }), 4),
      // A current member's role raised in Chat since the last deployment (to a manager's, below owner:
      // the importer removes no owner), then another createTime: by `up --replace`, whose create
      // refuses to remove the membership, or by a plain `up`, whose replacement the diff makes
      // delete-first (the delete reads the role, the create adds her again, and gives it back).
      raisedThen: raised ? fc.constantFrom<"replace" | "up" | undefined>(undefined, undefined, undefined, "replace", "up") : fc.constant(undefined),
    })
    .map((s) => {
      if (s.raisedThen) {
        s.people[s.pick % s.people.length] = { ...s.people[s.pick % s.people.length], role: undefined, left: undefined };
        Object.assign(s, { edit: "retime", operation: s.raisedThen });
      }
      const people: Migrated[] = s.people.map((p) => ({
        person: p.person,
        role: p.role,
        spelling: p.spelling,
        createTime: JOINED_TIMES[p.joined],
        ...(p.left !== undefined ? { deleteTime: LEFT_TIMES[p.left] } : {}),
      }));
      const start = people.map((m) => migratedOf(m));
      const i = s.pick % people.length;
      const picked = people[i];
      const other: Migrated["person"] = picked.person === "alice" ? "bob" : "alice";
      const otherFree = !people.some((m) => m.person === other);
      const edited = (m: Migrated): MembersResource[] => {
        switch (s.edit) {
          case "respellTime":
            return [migratedOf({ ...m, createTime: respeltTime(m.createTime), ...(m.deleteTime ? { deleteTime: respeltTime(m.deleteTime) } : {}) })];
          case "untime":
            return [migratedOf(m, undefined, false)];
          case "role":
            return [migratedOf({ ...m, role: m.role === "ROLE_ASSISTANT_MANAGER" ? "ROLE_MEMBER" : "ROLE_ASSISTANT_MANAGER" })];
          case "rename":
            return [migratedOf(m, `${membershipName(0, m.person)}-migrated`)];
          case "drop":
            return [];
          case "anotherMember":
            return otherFree ? [migratedOf({ ...m, person: other })] : [migratedOf(m)];
          case "seatGiven":
            return otherFree ? [migratedOf({ ...m, person: other }, membershipName(0, m.person))] : [migratedOf(m)];
          case "spaceMoved":
            return [migratedOf({ ...m, space: 1 }, membershipName(0, m.person))];
          case "retime":
            return [migratedOf({ ...m, createTime: JOINED_TIMES.find((t) => t !== m.createTime)! })];
          case "leave":
            return [migratedOf({ ...m, deleteTime: m.deleteTime ? LEFT_TIMES.find((t) => t !== m.deleteTime) : LEFT_TIMES[0] })];
          case "moreTimes":
            return [migratedOf({ ...m, createTime: JOINED_TIMES.find((t) => t !== m.createTime)!, deleteTime: m.deleteTime ?? LEFT_TIMES[1] })];
          default:
            return [migratedOf(m)];
        }
      };
      const added = s.edit === "add" && otherFree ? [migratedOf({ person: other, spelling: "email", createTime: JOINED_TIMES[1] })] : [];
      const next = [...people.flatMap((m) => (m === picked ? edited(m) : [migratedOf(m)])), ...added];
      const kept = next.filter((r) => start.some((x) => x.name === r.name));
      const operation = s.operation === "replace" && kept.length === 0 ? "up" : s.operation;
      const raised = s.raisedThen !== undefined && operation === s.raisedThen;
      // Moved to the second space: its member joined it in Chat since, or not (`pick`'s second bit, free of the first's choice of the picked).
      const joinedThere = s.edit === SPACE_MOVED && Math.floor(s.pick / 2) % 2 === 0;
      return scenario({
        ...(s.edit === SPACE_MOVED ? { spaces: 2, importSpaces: 2 } : { importSpaces: 1 }),
        credentials: { start: IMPORTER, next: IMPORTER },
        start,
        next,
        divergence: [
          ...(raised ? [{ kind: "setRole" as const, member: EMAILS[picked.person], role: "ROLE_ASSISTANT_MANAGER" as const, space: 0 as const }] : []),
          ...(s.edit === SEAT_GIVEN && otherFree ? [{ kind: "add" as const, member: EMAILS[other], space: 0 as const }] : []),
          ...(joinedThere ? [{ kind: "add" as const, member: EMAILS[picked.person], space: 1 as const }] : []),
        ],
        refreshFirst: s.refreshFirst,
        operation,
        ...(operation === "replace" ? { replaceTarget: kept[s.pick % kept.length].name } : {}),
        faults: s.faults,
        ...(s.crash && operation !== "preview" ? { crash: s.crash } : {}),
      });
    });

/** A migration under way, edited as {@link importMigrationOf} says. */
const importMigration = importMigrationOf([...SAME_TIMES_EDITS, ...TIMES_EDITS, ...TIMES_EDITS], { maxLength: 2 }, true);

/**
 * A migration's ChatMembership given to the other person, who joined in Chat since (now, not at the
 * declared time), in one resource: the diff plans a replacement that creates first, whose create
 * meets her membership with other times, which it must not remove (its preview announced her add).
 * Run beside the focused mix, where a weight would reshuffle its cases.
 */
export const seatGivenArbitrary = (): fc.Arbitrary<MembersFixture> => importMigrationOf([SEAT_GIVEN], { maxLength: 1 }, false);

/**
 * A migration's ChatMembership moved to a second space in import mode, with its times, where its
 * member joined in Chat since or not: a replacement whose create, there, may meet her membership
 * with other times, which it must not remove (its preview announced her add to that space). Run
 * beside the focused mix, where a weight would reshuffle its cases.
 */
export const spaceMovedArbitrary = (): fc.Arbitrary<MembersFixture> => importMigrationOf([SPACE_MOVED], { maxLength: 2 }, false);

/**
 * A migration under way with a roster beside the ChatMemberships: the space in import mode, a
 * roster (addOnly) of some of its people, and ChatMemberships declaring the others with the times
 * of their history; then a member moved from the roster into a ChatMembership with times (the
 * roster dropped, renamed or kept without her), or from a ChatMembership back into the roster. The
 * new ChatMembership's create meets her membership with the roster's times, which it removes
 * nobody to change: it fails, saying the times to declare, and she stays.
 */
const importRosterBeside: fc.Arbitrary<MembersFixture> = fc
  .record({
    moved: fc.constantFrom<Migrated["person"]>("alice", "bob"),
    otherInRoster: fc.boolean(),
    otherTimed: fc.boolean(),
    joined: fc.nat(JOINED_TIMES.length - 1),
    direction: fc.constantFrom("intoMembership", "intoMembership", "intoMembership", "intoRoster"),
    roster: fc.constantFrom("dropped", "renamed", "kept"),
    role: fc.constantFrom<MembershipRole | undefined>(undefined, "ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER"),
    refreshFirst: fc.boolean(),
    operation: fc.constantFrom<OperationKind>("up", "up", "up", "preview", "destroy"),
  })
  .map((s) => {
    const other: Migrated["person"] = s.moved === "alice" ? "bob" : "alice";
    const timed: Migrated = { person: s.moved, role: s.role, spelling: "email", createTime: JOINED_TIMES[s.joined] };
    const inRoster: Held = { person: s.moved, role: s.role, spelling: "email" };
    const others: Held[] = s.otherInRoster ? [{ person: other, spelling: "email" }] : [];
    const otherMembership = !s.otherInRoster ? [migratedOf({ person: other, spelling: "email", createTime: JOINED_TIMES[1] }, undefined, s.otherTimed)] : [];
    const roster = (members: Held[], name = ROSTER_NAMES(0)[0]) => (members.length ? [rosterOf(members, "addOnly", name)] : []);
    const inTheRoster = [...otherMembership, ...roster([inRoster, ...others])];
    const rosterAfter =
      s.roster === "dropped" ? [] : s.roster === "renamed" ? roster(others, ROSTER_NAMES(0)[1]) : roster(others.length ? others : [], ROSTER_NAMES(0)[0]);
    const inAMembership = [...otherMembership, migratedOf(timed), ...rosterAfter];
    const [start, next] = s.direction === "intoMembership" ? [inTheRoster, inAMembership] : [inAMembership, inTheRoster];
    return scenario({
      importSpaces: 1,
      credentials: { start: IMPORTER, next: IMPORTER },
      start,
      next,
      refreshFirst: s.refreshFirst,
      operation: s.operation,
    });
  });

/**
 * A member moved between resources of two provider instances (the default provider and the
 * explicit one, each its own process with claims of its own, shared through files): from a
 * ChatMembership into the roster or back, a ChatMembership renamed, its member given to another
 * ChatMembership, or one resource moved to the other instance alone; now and then a crash after
 * the new resource's create (the old one's delete is left to the next up, new processes), or an
 * `up --replace` of the moved-to resource. Or, one case in three, the member declared under both
 * instances (a ChatMembership on each, or one and the roster), which check must refuse, naming both.
 * Half its ups overlap their update's steps with the later registrations' checks (`checkDuringStep`).
 */
const acrossInstances: fc.Arbitrary<MembersFixture> = fc
  .record({
    credentials: ADMIN_CREDENTIALS,
    moved: held(["alice", "bob", "devs"]),
    others: fc.uniqueArray(held(["alice", "bob", "devs"]), { maxLength: 2, selector: (h) => h.person }),
    how: fc.constantFrom("toRoster", "toMembership", "rename", "instanceOnly", "twoMemberships", "membershipAndRoster"),
    from: fc.constantFrom<ProviderInstance>("default", "explicit"),
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "addOnly"),
    conflict: fc.constantFrom(false, false, true),
    crash: fc.constantFrom(false, false, true),
    refreshFirst: fc.boolean(),
    operation: fc.constantFrom<OperationKind>("up", "up", "up", "preview", "replace", "destroy"),
    overlap: fc.boolean(),
  })
  .map((s) => {
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const to: ProviderInstance = s.from === "default" ? "explicit" : "default";
    const others = s.others.filter((h) => h.person !== s.moved.person);
    // The roster of admin (its owner) and the others, on an instance; addOnly beside a ChatMembership.
    const rosterOn = (instance: ProviderInstance, members: Held[], mode: RosterMode | undefined = "addOnly") =>
      servedBy(rosterOf([admin, ...others, ...members], mode), instance);
    const alone = (instance: ProviderInstance, name?: string) => servedBy(membershipOf(s.moved, name), instance);
    const inRoster = s.how === "toMembership";
    // The member starts in the roster on one instance, or in a ChatMembership on one beside the roster on the other.
    const start = inRoster ? [rosterOn(s.from, [s.moved], s.mode)] : [alone(s.from), rosterOn(to, [])];
    const name = membershipName(0, s.moved.person);
    let next: MembersResource[];
    let conflict: Conflict | undefined;
    if (s.conflict || s.how === "twoMemberships" || s.how === "membershipAndRoster") {
      // The member declared again, alike (check tells it with no call), under the other instance.
      const twice: Held = { ...s.moved, spelling: s.moved.spelling === "email" ? "capitals" : s.moved.spelling };
      const twiceOn = (instance: ProviderInstance, n = name) => servedBy(membershipOf(twice, n), instance);
      if (inRoster) next = [rosterOn(s.from, [s.moved]), twiceOn(to)];
      else if (s.how === "twoMemberships") next = [alone(s.from), twiceOn(to, `${name}-again`), rosterOn(to, [])];
      else next = [alone(s.from), rosterOn(to, [twice])];
      conflict = { kind: inRoster || s.how !== "twoMemberships" ? "membershipAndRoster" : "twoMemberships", atCheck: true };
    } else if (inRoster) next = [alone(to), rosterOn(s.from, [])];
    else if (s.how === "toRoster") next = [rosterOn(to, [s.moved])];
    else if (s.how === "rename") next = [alone(to, `${name}-renamed`), rosterOn(to, [])];
    else next = [alone(to), rosterOn(to, [])];
    const operation = conflict && s.operation === "destroy" ? "up" : s.operation;
    const kept = next.filter((r) => start.some((x) => x.name === r.name && x.type === r.type));
    // `up --replace` of the member's ChatMembership where the program keeps it, else of the roster.
    const holding = kept.find((r) => r.name === name) ?? kept[0];
    const replacing = operation === "replace" && holding !== undefined;
    return scenario({
      credentials: { start: s.credentials, next: s.credentials },
      start,
      next,
      ...(conflict ? { conflict } : {}),
      refreshFirst: s.refreshFirst,
      operation: operation === "replace" && !replacing ? "up" : operation,
      ...(replacing ? { replaceTarget: holding.name } : {}),
      // The first counted call is the new resource's create (or an update): the old one's delete is left to the next up.
      ...(s.crash && operation !== "preview" ? { crash: { after: 1, countDeletes: false } } : {}),
      ...(s.overlap && operation !== "preview" && operation !== "destroy" ? { checkDuringStep: true } : {}),
    });
  });

/**
 * Someone made an owner in Chat since the last refresh (alice or bob, whom the program declares
 * lower, or does not declare: added as an owner), then an up (or `up --replace`, a preview, a
 * destroy) whose program demotes or removes her, or another owner (the other person, declared an
 * owner; or admin, the caller, with admin access), by her ChatMembership, the roster, or a
 * ChatMembership renamed at a lower role; with admin access, now and then the program demotes the
 * caller too, or the ownership was handed over in Chat (admin demoted there after her promotion),
 * so that she is the space's one owner. Now and then a refresh first (the state knows her role: her
 * demotion is announced and made), a fault on the owners' listing, the emulator's own
 * last-manager rule, and two provider instances. The state's role is not hers: she keeps it,
 * logged, and the next preview announces the demotion; no write leaves the space without a joined
 * owner.
 */
const ownerMadeInChat: fc.Arbitrary<MembersFixture> = fc
  .record({
    credentials: ADMIN_CREDENTIALS,
    made: fc.constantFrom<"alice" | "bob">("alice", "bob"),
    madeDeclared: fc.constantFrom(true, true, true, false),
    madeRole: fc.constantFrom<MembershipRole | undefined>(undefined, "ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER"),
    anotherOwner: fc.boolean(),
    layout: fc.constantFrom("memberships", "roster", "mixed"),
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "addOnly"),
    adminDeclared: fc.boolean(),
    edit: fc.constantFrom("demote", "demote", "demote", "demote", "remove", "remove", "rename", "demoteOther", "removeOther"),
    to: fc.constantFrom<MembershipRole | undefined>(undefined, "ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER"),
    callerDemoted: fc.constantFrom(false, false, true),
    handedOver: fc.constantFrom(false, false, true),
    refreshFirst: fc.constantFrom(false, false, false, false, true),
    keepLastManager: fc.boolean(),
    listFails: fc.constantFrom(false, false, false, true),
    instances: rarely(instancesArbitrary, 3),
    operation: fc.constantFrom<OperationKind>("up", "up", "up", "up", "up", "preview", "replace", "destroy"),
    pick: fc.nat(),
  })
  .map((s) => {
    const caller = s.credentials;
    const otherPerson = s.made === "alice" ? "bob" : "alice";
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const made: Held = { person: s.made, role: s.madeRole, spelling: "email" };
    const other: Held = { person: otherPerson, role: s.anotherOwner ? "ROLE_MANAGER" : "ROLE_MEMBER", spelling: "email" };
    // Who the program demotes or removes: the person made an owner in Chat, or another owner.
    const target = s.edit === "demoteOther" || s.edit === "removeOther" ? (s.anotherOwner ? otherPerson : "admin") : s.made;
    // Another role than the one declared (the state's): the preview plans a change, from the state's role.
    const lower = (h: Held): Held => {
      const role = (r: MembershipRole | undefined) => r ?? "ROLE_MEMBER";
      if (role(s.to) !== role(h.role)) return { ...h, role: s.to };
      return { ...h, role: role(h.role) === "ROLE_MEMBER" ? "ROLE_ASSISTANT_MANAGER" : "ROLE_MEMBER" };
    };
    // With admin access the caller may be demoted: the program does so now and then, beside the edit.
    const callerDemoted = caller.adminAccess && s.callerDemoted;
    const edited = (h: Held): Held[] => {
      if (h.person === "admin" && callerDemoted && target !== "admin") return [{ ...h, role: "ROLE_MEMBER" }];
      if (h.person !== target) return [h];
      return s.edit.startsWith("remove") ? [] : [lower(h)];
    };
    const startPeople = [...(s.adminDeclared || s.layout !== "memberships" ? [admin] : []), ...(s.madeDeclared ? [made] : []), other];
    // One made an owner in Chat whom the program did not declare: demoted, the program declares her now, lower.
    const declaredNow = !s.madeDeclared && target === s.made && !s.edit.startsWith("remove") ? [{ ...made, role: s.to }] : [];
    const nextPeople = [...startPeople.flatMap(edited), ...declaredNow];
    // The program's layout: each person in a ChatMembership, all in the roster, or the one made an owner alone in one beside an addOnly roster.
    const program = (people: Held[], renamed: boolean): MembersResource[] => {
      const name = (h: Held) => `${membershipName(0, h.person)}${renamed && h.person === target ? "-renamed" : ""}`;
      if (s.layout === "memberships") return people.map((h) => membershipOf(h, name(h)));
      if (s.layout === "roster") return [rosterOf(people, s.mode)];
      const alone = people.filter((h) => h.person === s.made);
      return [
        ...alone.map((h) => membershipOf(h, name(h))),
        rosterOf(
          people.filter((h) => h.person !== s.made),
          "addOnly",
        ),
      ];
    };
    const start = program(startPeople, false);
    const next = program(nextPeople, s.edit === "rename");
    const divergence: SpaceChange[] = [
      s.madeDeclared
        ? { kind: "setRole", member: EMAILS[s.made], role: "ROLE_MANAGER", space: 0 }
        : { kind: "add", member: EMAILS[s.made], role: "ROLE_MANAGER", space: 0 },
      // The ownership handed over in Chat: admin is no owner any more, and she may be the space's one.
      ...(caller.adminAccess && s.handedOver ? [{ kind: "setRole" as const, member: EMAILS.admin, role: "ROLE_MEMBER" as const, space: 0 as const }] : []),
    ];
    const served = s.instances ? serveByTwoInstances(start, next, s.instances) : { start, next };
    const kept = served.next.filter((r) => served.start.some((x) => x.name === r.name && x.type === r.type));
    const operation = s.operation === "replace" && kept.length === 0 ? "up" : s.operation;
    return scenario({
      credentials: { start: caller, next: caller },
      keepLastManager: s.keepLastManager,
      start: served.start,
      next: served.next,
      divergence,
      refreshFirst: s.refreshFirst,
      operation,
      ...(operation === "replace" ? { replaceTarget: kept[s.pick % kept.length].name } : {}),
      // The listing of the owners, which tells who is one now, fails once or past the retries.
      faults: s.listFails && operation !== "preview" ? [{ method: "spaces.members.list", action: "503", count: s.pick % 2 === 0 ? 1 : 40 }] : [],
    });
  });

/**
 * The rule of {@link ownerMadeInChat} alone: alice or bob made an owner in Chat since the last
 * refresh, half the time with the ownership handed over there (admin, the caller with admin access,
 * made a member, so that she is the space's one owner); then the program, which still declares
 * her lower, removes or demotes her, by her ChatMembership or the roster, or a destroy removes
 * everything. Now and then a refresh first. Her demotion is not made; her removal is, announced,
 * unless she is the last owner (the provider reads the owners: the state's role is not hers).
 */
const ownerMadeThenLowered: fc.Arbitrary<MembersFixture> = fc
  .record({
    credentials: fc.constantFrom<MembersCredentials>(
      { user: "admin", via: "impersonate", adminAccess: true },
      { user: "admin", via: "own", adminAccess: true },
    ),
    made: fc.constantFrom<"alice" | "bob">("alice", "bob"),
    role: fc.constantFrom<MembershipRole | undefined>(undefined, "ROLE_ASSISTANT_MANAGER"),
    viaRoster: fc.boolean(),
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "addOnly"),
    // Mostly a removal after the ownership was handed over (the last-owner rule), or a demotion of an owner beside admin (the deferral).
    story: fc.constantFrom(
      { edit: "remove", handedOver: true },
      { edit: "remove", handedOver: true },
      { edit: "remove", handedOver: true },
      { edit: "demote", handedOver: false },
      { edit: "demote", handedOver: false },
      { edit: "demote", handedOver: false },
      { edit: "remove", handedOver: false },
      { edit: "demote", handedOver: true },
    ),
    refreshFirst: fc.constantFrom(false, false, false, false, false, true),
    operation: fc.constantFrom<OperationKind>("up", "up", "up", "up", "up", "destroy"),
  })
  .map((s) => {
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const made: Held = { person: s.made, role: s.role, spelling: "email" };
    const demoted: Held = { ...made, role: s.role === undefined ? "ROLE_ASSISTANT_MANAGER" : "ROLE_MEMBER" };
    const kept = s.story.edit === "remove" ? [] : [demoted];
    const program = (people: Held[]): MembersResource[] => (s.viaRoster ? [rosterOf([admin, ...people], s.mode)] : people.map((h) => membershipOf(h)));
    // Without the emulator's own last-manager rule: the provider's guard alone keeps an owner.
    return scenario({
      credentials: { start: s.credentials, next: s.credentials },
      start: program([made]),
      next: program(kept),
      divergence: [
        { kind: "setRole", member: EMAILS[s.made], role: "ROLE_MANAGER", space: 0 },
        ...(s.story.handedOver ? [{ kind: "setRole" as const, member: EMAILS.admin, role: "ROLE_MEMBER" as const, space: 0 as const }] : []),
      ],
      refreshFirst: s.refreshFirst,
      operation: s.operation,
    });
  });

/**
 * `pulumi up --refresh`, which refreshes twice (in its preview's process, then in its update's),
 * with a change in Chat between the two: alice joins the space of an authoritative roster that does
 * not declare her, or the role of alice, declared (by her ChatMembership or the roster), is raised
 * there. The update plans from a listing its preview never saw: it neither removes nor demotes
 * her (the preview announced neither), and the next preview announces it. Now and then the program
 * also drops or changes another member, a change made before the preview's refresh (which both
 * refreshes read), or two provider instances (a resource kept on its own, or moved to the other);
 * no change is undone between the refreshes (the documented limit of `up --refresh`).
 */
const changedBetweenRefreshes: fc.Arbitrary<MembersFixture> = fc
  .record({
    credentials: ADMIN_CREDENTIALS,
    story: fc.constantFrom("joins", "joins", "raised", "raised", "raised"),
    others: fc.uniqueArray(held(["bob", "devs"]), { maxLength: 2, selector: (h) => h.person }),
    joinRole: fc.constantFrom<MembershipRole | undefined>(undefined, ...ROLES),
    aliceRole: fc.constantFrom<MembershipRole | undefined>(undefined, "ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER"),
    raisedTo: fc.constantFrom<MembershipRole>("ROLE_ASSISTANT_MANAGER", "ROLE_MANAGER", "ROLE_MANAGER"),
    viaRoster: fc.boolean(),
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative", "addOnly"),
    edit: fc.constantFrom("none", "none", "dropOther", "roleOther"),
    before: rarely(fc.constantFrom<SpaceChange>({ kind: "add", member: EMAILS.bob, role: "ROLE_MEMBER", space: 0 }), 4),
    // A resource moved to the other instance is refreshed by the one its state names, and diffed and updated by the other.
    instances: rarely(instancesArbitrary, 3),
    operation: fc.constantFrom<OperationKind>("up", "up", "up", "up", "preview"),
  })
  .map((s) => {
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const alice: Held = { person: "alice", role: s.aliceRole, spelling: "email" };
    const others = s.before ? s.others.filter((h) => h.person !== "bob") : s.others;
    const edited = others.flatMap((h, i): Held[] => {
      if (i > 0 || s.edit === "none") return [h];
      if (s.edit === "dropOther") return [];
      return h.person === "devs" ? [h] : [{ ...h, role: h.role === "ROLE_MEMBER" ? "ROLE_ASSISTANT_MANAGER" : "ROLE_MEMBER" }];
    });
    let program: (people: Held[]) => MembersResource[];
    let between: SpaceChange;
    if (s.story === "joins") {
      // An authoritative roster that does not declare alice, who joins between the refreshes.
      program = (people) => [rosterOf([admin, ...people], s.mode === "addOnly" ? undefined : s.mode)];
      between = { kind: "add", member: EMAILS.alice, ...(s.joinRole ? { role: s.joinRole } : {}), space: 0 };
    } else {
      // alice declared below the role she is given between the refreshes (higher than declared).
      const raisedTo = rankOf(s.raisedTo) > rankOf(s.aliceRole ?? "ROLE_MEMBER") ? s.raisedTo : "ROLE_MANAGER";
      program = (people) =>
        s.viaRoster
          ? [rosterOf([admin, alice, ...people], s.mode)]
          : [membershipOf(alice), ...(people.length ? [rosterOf([admin, ...people], "addOnly")] : [])];
      between = { kind: "setRole", member: EMAILS.alice, role: raisedTo, space: 0 };
    }
    const start = program(others);
    const next = program(edited);
    const served = s.instances ? serveByTwoInstances(start, next, s.instances) : { start, next };
    return scenario({
      credentials: { start: s.credentials, next: s.credentials },
      start: served.start,
      next: served.next,
      divergence: s.before ? [s.before] : [],
      upRefresh: true,
      betweenRefreshes: s.operation === "preview" ? [] : [between],
      operation: s.operation,
    });
  });

/** The calling user of each provider instance in {@link callersOfTwoInstances}: admin's default provider, alice's explicit one. */
const INSTANCE_CALLER: Record<ProviderInstance, "admin" | "alice"> = { default: "admin", explicit: "alice" };

/** The calling user of each provider instance, through `via` (how that instance is configured), without admin access. */
const instanceCredentials =
  (via: (instance: ProviderInstance) => MembersCredentials["via"]) =>
  (instance: ProviderInstance): MembersCredentials => ({ user: INSTANCE_CALLER[instance], via: via(instance), adminAccess: false });

/**
 * What every scenario of the two instances shares: the steps run as the default instance, the
 * explicit one as `credentials` says, its calling user kept as the step's is, and alice, that
 * caller, an owner of admin's space.
 */
const twoInstances = (
  credentials: (instance: ProviderInstance) => MembersCredentials,
  alicesRole: "ROLE_MANAGER" | "ROLE_ASSISTANT_MANAGER" = "ROLE_MANAGER",
): Pick<MembersFixture, "credentials" | "explicitCredentials" | "instanceCallersKept" | "preexisting"> => ({
  credentials: { start: credentials("default"), next: credentials("default") },
  explicitCredentials: credentials("explicit"),
  instanceCallersKept: true,
  preexisting: [{ kind: "add", member: EMAILS.alice, role: alicesRole, space: 0 }],
});

/**
 * Two provider instances with different calling users (the explicit one impersonates alice, or
 * runs on her own credentials; the default one is admin's): an authoritative roster on one, and a
 * ChatMembership on the other of the other instance's caller (by email, in capitals, or by
 * `users/{id}`, which only a read of the roster's caller tells apart from it), which the roster
 * does not declare, so it would remove her: the preview must refuse it, naming both (at check
 * when the roster's caller is known there, else at the roster's diff, which learns it). Or, the
 * program valid, the ChatMembership of the roster's own caller, whom the roster keeps. The roster
 * made authoritative (from addOnly) or added, before or after the ChatMembership in the program;
 * or, the program valid, both deployed and the ChatMembership then dropped: its delete, in the
 * other instance's process, must keep the roster's caller (docs/guides/memberships.md, "the
 * calling user of every provider instance"), whichever instance's caller that is. Or, the program
 * valid and the ChatMembership registered first (so the roster's plan knows its provider's
 * caller), the roster made authoritative declaring that caller, an owner or a manager
 * (ROLE_ASSISTANT_MANAGER), a member: she keeps her role, as the roster's own caller would. Half its ups overlap their update's steps with
 * the later checks; one case in three is {@link rosterDropsOtherCaller}'s.
 */
const callersOfTwoInstances: fc.Arbitrary<MembersFixture> = fc
  .record({
    defaultVia: fc.constantFrom<MembersCredentials["via"]>("impersonate", "impersonate", "own"),
    explicitVia: fc.constantFrom<MembersCredentials["via"]>("impersonate", "impersonate", "own"),
    rosterOn: fc.constantFrom<ProviderInstance>("default", "explicit"),
    whose: fc.constantFrom("other", "other", "other", "own"),
    spelling: fc.constantFrom<Spelling>("email", "capitals", "id"),
    rosterDeclaresCaller: fc.boolean(),
    bob: fc.boolean(),
    membershipFirst: fc.boolean(),
    demotesOtherCaller: fc.boolean(),
    otherCallerManager: fc.boolean(),
    how: fc.constantFrom("flip", "flip", "add", "dropSeat"),
    operation: fc.constantFrom<OperationKind>("up", "up", "up", "preview"),
    overlap: fc.boolean(),
    dropsOtherCaller: rarely(fc.constant(true), 3),
  })
  .map((s) => {
    if (s.dropsOtherCaller) return rosterDropsOtherCaller(s);
    const membershipOn: ProviderInstance = s.rosterOn === "default" ? "explicit" : "default";
    const rosterCaller = INSTANCE_CALLER[s.rosterOn];
    const otherCaller = INSTANCE_CALLER[membershipOn];
    const member = s.whose === "other" ? otherCaller : rosterCaller;
    const owner = (person: "admin" | "alice", role: MembershipRole = "ROLE_MANAGER"): Held => ({ person, role, spelling: "email" });
    const bob: Held[] = s.bob ? [{ person: "bob", spelling: "email" }] : [];
    const credentialsVia = (instance: ProviderInstance) => (instance === "default" ? s.defaultVia : s.explicitVia);
    const ordered = (rs: MembersResource[]) => (s.membershipFirst ? rs : [...rs].reverse());
    // A roster added on a user's own credentials learns its caller only at its create, which removes nobody: left out.
    // The ChatMembership of the roster's caller dropped beside it: only a valid program deploys both.
    const how = s.how === "dropSeat" ? (s.whose === "own" ? "dropSeat" : "flip") : credentialsVia(s.rosterOn) === "own" ? "flip" : s.how;
    // The other caller declared a member by the roster made authoritative, her ChatMembership registered first (its check publishes her).
    const demoted = s.whose === "own" && how === "flip" && s.membershipFirst && s.demotesOtherCaller;
    // The roster declares its own caller or not (it keeps her either way); beside her own ChatMembership, the other caller instead.
    // alice, the explicit instance's caller, a manager in the space from the start (admin, the space's maker, is its owner).
    const otherCallersRole = demoted && s.otherCallerManager && s.rosterOn === "default" ? "ROLE_ASSISTANT_MANAGER" : "ROLE_MANAGER";
    const declared = (role?: MembershipRole) =>
      s.whose === "other" ? [...(s.rosterDeclaresCaller ? [owner(rosterCaller)] : []), ...bob] : [owner(otherCaller, role ?? otherCallersRole), ...bob];
    const membership = servedBy(membershipOf({ person: member, role: "ROLE_MANAGER", spelling: s.spelling }), membershipOn);
    const roster = (mode?: RosterMode, role?: MembershipRole) => servedBy(rosterOf(declared(role), mode), s.rosterOn);
    const start = ordered(how === "flip" ? [membership, roster("addOnly")] : how === "dropSeat" ? [membership, roster()] : [membership]);
    const next = how === "dropSeat" ? [roster()] : ordered([membership, roster(undefined, demoted ? "ROLE_MEMBER" : undefined)]);
    const credentials = instanceCredentials(credentialsVia);
    // The roster's caller is known at its check when its instance impersonates; learnt at its diff
    // (a user's own credentials) when its plan removes people: the roster made authoritative. A
    // users/{id} is told from it by a read (the caller's membership), so not with zero calls.
    const toldAtCheck = credentials(s.rosterOn).via === "impersonate" && s.spelling !== "id";
    const conflict: Conflict | undefined = s.whose === "other" ? { kind: "callerOfAnotherInstance", atCheck: toldAtCheck, atPreview: true } : undefined;
    return scenario({
      ...twoInstances(credentials, otherCallersRole),
      start,
      next,
      ...(conflict ? { conflict } : {}),
      operation: s.operation,
      ...(s.overlap && s.operation === "up" ? { checkDuringStep: true } : {}),
    });
  });

/**
 * The explicit instance's calling user, alice, a manager of the space (ROLE_ASSISTANT_MANAGER: she
 * manages the members), its ChatMembership of bob registered first; an addOnly roster (beside that
 * ChatMembership) or a ChatMembership of the default instance (admin's) declaring alice lowers her to
 * ROLE_MEMBER: she keeps her role, as an owner would (members/caller.ts `keepsCallersRole`).
 */
const otherCallerManagerLowered: fc.Arbitrary<MembersFixture> = fc
  .record({
    via: fc.constantFrom<MembersCredentials["via"]>("impersonate", "impersonate", "own"),
    holder: fc.constantFrom("roster", "membership"),
    operation: fc.constantFrom<OperationKind>("up", "up", "preview"),
  })
  .map((s) => {
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const alice = (role: MembershipRole): Held => ({ person: "alice", role, spelling: "email" });
    const bob = servedBy(membershipOf({ person: "bob", spelling: "email" }), "explicit");
    const holder = (role: MembershipRole) => (s.holder === "roster" ? rosterOf([admin, alice(role)], "addOnly") : membershipOf(alice(role)));
    return scenario({
      ...twoInstances(
        instanceCredentials(() => s.via),
        "ROLE_ASSISTANT_MANAGER",
      ),
      start: [bob, holder("ROLE_ASSISTANT_MANAGER")],
      next: [bob, holder("ROLE_MEMBER")],
      operation: s.operation,
    });
  });

/**
 * Beside {@link callersOfTwoInstances}: an authoritative roster that does not declare the other
 * instance's calling user (who is in the space), registered before that instance's resource (the
 * ChatMembership of the roster's own caller); now and then it drops bob too. Each instance's
 * process is configured at its first call (world.ts `operationProcessOf`), as the engine configures
 * a provider the program registers after the roster. In the update's process the roster's diff
 * can't know her yet, and plans her removal; its update, run while the
 * engine checks that later resource (`checkDuringStep`: the step's first request held), reads the
 * deployment's declarations again before each removal and keeps her (space-members/provider.ts
 * `keptAtRemoval`), though no key of the roster names her. Stepped one at a time instead, the
 * update would remove her, as the real engine's preview, which diffs the roster before it checks
 * that resource, announces (the documented limit in docs/guides/memberships.md): only the
 * overlapping update is this scenario's.
 */
function rosterDropsOtherCaller(s: {
  defaultVia: MembersCredentials["via"];
  explicitVia: MembersCredentials["via"];
  rosterOn: ProviderInstance;
  spelling: Spelling;
  bob: boolean;
  membershipFirst: boolean;
}): MembersFixture {
  const membershipOn: ProviderInstance = s.rosterOn === "default" ? "explicit" : "default";
  const rosterCaller = INSTANCE_CALLER[s.rosterOn];
  const bob: Held[] = s.bob ? [{ person: "bob", spelling: "email" }] : [];
  const membership = servedBy(membershipOf({ person: rosterCaller, role: "ROLE_MANAGER", spelling: s.spelling }), membershipOn);
  const roster = (members: Held[]) => servedBy(rosterOf(members), s.rosterOn);
  const before = [membership, roster(bob)];
  const credentials = instanceCredentials((instance) => (instance === "default" ? s.defaultVia : s.explicitVia));
  return scenario({
    ...twoInstances(credentials),
    start: s.membershipFirst ? before : [...before].reverse(),
    next: [roster([]), membership],
    operation: "up",
    checkDuringStep: true,
  });
}

/**
 * `pulumi destroy` of two provider instances with different calling users (admin's default
 * provider, alice's explicit one): a resource of one (a ChatMembership, or an addOnly roster: an
 * authoritative one would remove bob) declares the other instance's calling user, an owner, and is registered after that
 * instance's ChatMembership of bob, so the destroy, in the state's reverse order, deletes it
 * first. The engine configures both providers before the first delete (engine.ts `ensure`), and
 * each process publishes whom it acts as then (impersonated, or on the user's own credentials,
 * which Google is asked about then): the first delete keeps the other's caller, whose
 * provider then removes bob (docs/guides/memberships.md, "the calling user of every provider
 * instance"). Removed first, she could see the space no more, and bob's delete would stop on 404.
 */
const destroyKeepsOtherCaller: fc.Arbitrary<MembersFixture> = fc
  .record({
    holderOn: fc.constantFrom<ProviderInstance>("default", "explicit"),
    holder: fc.constantFrom<"membership" | "addOnly">("membership", "addOnly"),
    spelling: fc.constantFrom<Spelling>("email", "capitals", "id"),
    via: fc.tuple(fc.constantFrom<MembersCredentials["via"]>("impersonate", "own"), fc.constantFrom<MembersCredentials["via"]>("impersonate", "own")),
  })
  .map((s) => {
    const otherOn: ProviderInstance = s.holderOn === "default" ? "explicit" : "default";
    const other = INSTANCE_CALLER[otherOn];
    const declared: Held = { person: other, role: "ROLE_MANAGER", spelling: s.spelling };
    const holder = servedBy(s.holder === "membership" ? membershipOf(declared) : rosterOf([declared], s.holder), s.holderOn);
    const start = [servedBy(membershipOf({ person: "bob", spelling: "email" }), otherOn), holder];
    const credentials = instanceCredentials((instance) => s.via[instance === "default" ? 0 : 1]);
    return scenario({
      ...twoInstances(credentials),
      start,
      next: start,
      operation: "destroy",
    });
  });

/**
 * A roster moved from the default provider (admin's) to the explicit one (alice's, impersonated or
 * her own credentials), made authoritative there (from addOnly, or kept so) without declaring
 * admin, or declaring her below owner, in the `up` that drops a ChatMembership of the default
 * provider in that space: bob's beside an addOnly roster (moved into the roster, or dropped from
 * the space), admin's own beside an authoritative one. Left with only that delete, the default
 * provider is configured after the roster's update (pulumi/pulumi
 * pkg/resource/deploy/step_generator.go `GenerateDeletes`: `EnsureProvider`; engine.ts `ensure`),
 * too late to publish admin as its caller: the roster must keep her, and her owner role, for that
 * up (members/caller.ts `formerCallerOf`), or the delete meets a space admin no longer sees;
 * the next preview announces the change. Now and then the default provider keeps a resource in
 * the space (alice's ChatMembership, registered first, which publishes admin at its check), or
 * had the roster alone there. Half its ups overlap their update's steps with the later checks.
 */
const rosterMovedToOtherCaller: fc.Arbitrary<MembersFixture> = fc
  .record({
    defaultVia: fc.constantFrom<MembersCredentials["via"]>("impersonate", "impersonate", "own"),
    explicitVia: fc.constantFrom<MembersCredentials["via"]>("impersonate", "impersonate", "own"),
    mode: fc.constantFrom<RosterMode>("addOnly", "authoritative"),
    left: fc.constantFrom("deletesOnly", "deletesOnly", "deletesOnly", "kept", "rosterOnly"),
    spelling: fc.constantFrom<Spelling>("email", "capitals", "id"),
    bobIntoRoster: fc.boolean(),
    adminDeclared: fc.constantFrom<MembershipRole | undefined>(undefined, undefined, "ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER"),
    operation: fc.constantFrom<OperationKind>("up", "up", "up", "preview"),
    overlap: fc.boolean(),
  })
  .map((s) => {
    // alice's ChatMembership of the default provider beside an authoritative roster of admin's would be refused: addOnly then.
    const mode = s.left === "kept" ? "addOnly" : s.mode;
    const owner = (person: "admin" | "alice"): Held => ({ person, role: "ROLE_MANAGER", spelling: "email" });
    // An authoritative roster shares its space only with a ChatMembership of its own caller.
    const dropped = membershipOf({ person: mode === "authoritative" ? "admin" : "bob", spelling: s.spelling });
    const alice = membershipOf(owner("alice"));
    // The roster declares alice, the explicit instance's caller and an owner, unless her own ChatMembership does.
    const aliceInRoster = s.left === "kept" ? [] : [owner("alice")];
    const bob: Held[] = s.bobIntoRoster && mode === "addOnly" && s.left !== "rosterOnly" ? [{ person: "bob", spelling: s.spelling }] : [];
    const admin: Held[] = s.adminDeclared ? [{ person: "admin", role: s.adminDeclared, spelling: "email" }] : [];
    // An addOnly roster declares admin too, its provider's caller (her own ChatMembership is the authoritative one's).
    const before = rosterOf([...(mode === "addOnly" ? [owner("admin")] : []), ...aliceInRoster], mode);
    const moved = servedBy(rosterOf([...aliceInRoster, ...bob, ...admin]), "explicit");
    const start = s.left === "kept" ? [alice, before, dropped] : s.left === "rosterOnly" ? [before] : [before, dropped];
    const credentials = instanceCredentials((instance) => (instance === "default" ? s.defaultVia : s.explicitVia));
    return scenario({
      ...twoInstances(credentials),
      start,
      next: s.left === "kept" ? [alice, moved] : [moved],
      operation: s.operation,
      ...(s.overlap && s.operation === "up" ? { checkDuringStep: true } : {}),
    });
  });

/** The Chat app itself (app authentication: the service account without googlechat:impersonateUser); `user` names no one it acts as. */
const APP_AUTH: MembersCredentials = { user: "admin", via: "app", adminAccess: false };
/** admin through domain-wide delegation, without admin access (which can't reach apps' memberships). */
const ADMIN_IMPERSONATED: MembersCredentials = { user: "admin", via: "impersonate", adminAccess: false };

/**
 * A space the Chat app made (admin its owner), whose members are deployed under one kind of
 * authentication and then under the other: admin impersonated, then the app itself
 * (googlechat:impersonateUser taken out of the config), or the other way round, or the app both
 * times. Under user authentication the app may be declared (`chatApp: true`, in the roster or a
 * ChatMembership of its own) and the listing shows it among the members, so a roster's state lists
 * it, declared or not; under app authentication check refuses it, so the program drops it, and
 * Google lists no app to an app. The program then keeps, adds, drops or changes the role of
 * people, or drops the roster, or the stack is destroyed; now and then a refresh first, and a
 * destroy after. The app is the caller under app authentication: no roster, in any mode, nor any
 * delete, removes it (docs/guides/rosters.md, "Never removed"; docs/reference/membership.md).
 */
const appAuthSwitched: fc.Arbitrary<MembersFixture> = fc
  .record({
    direction: fc.constantFrom("toApp", "toApp", "toApp", "fromApp", "app"),
    layout: fc.constantFrom("roster", "roster", "memberships", "mixed"),
    mode: fc.constantFrom<RosterMode | undefined>(undefined, undefined, "authoritative", "addOnly"),
    appDeclared: fc.constantFrom(true, true, false),
    people: fc.uniqueArray(held(["alice", "bob"]), { maxLength: 2, selector: (h) => h.person }),
    edit: fc.constantFrom("none", "drop", "drop", "add", "role", "dropRoster"),
    pick: fc.nat(),
    refreshFirst: fc.constantFrom(false, false, false, true),
    operation: fc.constantFrom<OperationKind>("up", "up", "up", "up", "destroy", "replace", "preview"),
    thenDestroy: fc.constantFrom(false, false, true),
  })
  .map((s) => {
    const start = s.direction === "fromApp" || s.direction === "app" ? APP_AUTH : ADMIN_IMPERSONATED;
    const next = s.direction === "fromApp" ? ADMIN_IMPERSONATED : APP_AUTH;
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const app: Held = { person: "app", spelling: "email" };
    // The app is declared only by a user: check refuses it under app authentication.
    const withApp = (creds: MembersCredentials) => (s.appDeclared && creds.via !== "app" ? [app] : []);
    const people = s.people;
    const absent = (["alice", "bob"] as const).filter((p) => !people.some((h) => h.person === p));
    const edited: Held[] =
      s.edit === "drop"
        ? people.filter((_, i) => i !== s.pick % Math.max(people.length, 1))
        : s.edit === "add" && absent.length > 0
          ? [...people, { person: absent[s.pick % absent.length], spelling: "email" }]
          : s.edit === "role" && people.length > 0
            ? people.map((h, i) => (i === s.pick % people.length ? { ...h, role: h.role === "ROLE_MEMBER" ? "ROLE_ASSISTANT_MANAGER" : "ROLE_MEMBER" } : h))
            : people;
    const program = (held: Held[], creds: MembersCredentials, withRoster: boolean): MembersResource[] => {
      if (s.layout === "memberships") return [...held, ...withApp(creds)].map((h) => membershipOf(h));
      if (s.layout === "roster") return withRoster ? [rosterOf([admin, ...held, ...withApp(creds)], s.mode)] : [];
      // The app in a ChatMembership of its own beside an addOnly roster of the people.
      return [...withApp(creds).map((h) => membershipOf(h)), ...(withRoster ? [rosterOf([admin, ...held], "addOnly")] : [])];
    };
    const startProgram = program(people, start, true);
    const nextProgram = program(edited, next, s.edit !== "dropRoster");
    const kept = nextProgram.filter((r) => startProgram.some((x) => x.name === r.name));
    const replaced = s.operation === "replace" && kept.length > 0 ? kept[s.pick % kept.length].name : undefined;
    const operation = s.operation === "replace" && !replaced ? "up" : s.operation;
    return scenario({
      appSpace: true,
      credentials: { start, next },
      start: startProgram,
      next: nextProgram,
      refreshFirst: s.refreshFirst,
      operation,
      ...(replaced ? { replaceTarget: replaced } : {}),
      ...(s.thenDestroy && operation !== "destroy" && operation !== "preview" ? { thenDestroy: true } : {}),
    });
  });

/**
 * The ownership of a space handed over in Chat since the last refresh (alice or bob made its
 * owner there, and admin made a member), then an authoritative roster that still declares admin its
 * owner drops the new owner, or demotes her and drops the other: run by admin with admin access
 * (impersonated or her own credentials), or by the Chat app in a space it made. The state says
 * admin is an owner; Google's joined owners, read before the removal of a person, say the one
 * leaving is the last: the up stops there, and the space keeps its owner. Now and then a refresh
 * first (the preview refuses it) or a destroy after.
 */
const rosterDropsHandedOverOwner: fc.Arbitrary<MembersFixture> = fc
  .record({
    credentials: fc.constantFrom<MembersCredentials>(
      { user: "admin", via: "impersonate", adminAccess: true },
      { user: "admin", via: "own", adminAccess: true },
      APP_AUTH,
    ),
    made: fc.constantFrom<"alice" | "bob">("alice", "bob"),
    role: fc.constantFrom<MembershipRole | undefined>(undefined, "ROLE_ASSISTANT_MANAGER"),
    other: fc.boolean(),
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative"),
    refreshFirst: fc.constantFrom(false, false, false, false, true),
    operation: fc.constantFrom<OperationKind>("up", "up", "up", "up", "preview"),
  })
  .map((s) => {
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const made: Held = { person: s.made, role: s.role, spelling: "email" };
    const other: Held[] = s.other ? [{ person: s.made === "alice" ? "bob" : "alice", spelling: "email" }] : [];
    return scenario({
      appSpace: s.credentials.via === "app",
      credentials: { start: s.credentials, next: s.credentials },
      start: [rosterOf([admin, made, ...other], s.mode)],
      next: [rosterOf([admin], s.mode)],
      divergence: [
        { kind: "setRole", member: EMAILS[s.made], role: "ROLE_MANAGER", space: 0 },
        { kind: "setRole", member: EMAILS.admin, role: "ROLE_MEMBER", space: 0 },
      ],
      refreshFirst: s.refreshFirst,
      operation: s.operation,
    });
  });

/**
 * admin, with admin access, manages a space she is not a member of (she left it in Chat, bob its
 * owner), by a roster that then adds her by her `users/{id}`: the read of her own membership that
 * tells whether that member is the caller fails past the retries. The up fails with the caller
 * unrecorded; then the next up succeeds, and the stack is destroyed or not, or the user gives up on
 * the change and destroys the stack the failed up left: the roster's delete reads the caller, and
 * keeps her (docs/guides/rosters.md, "Never removed").
 */
const callerAddedByIdUnread: fc.Arbitrary<MembersFixture> = fc
  .record({
    credentials: fc.constantFrom<MembersCredentials>(
      { user: "admin", via: "impersonate", adminAccess: true },
      { user: "admin", via: "own", adminAccess: true },
    ),
    others: fc.uniqueArray(held(["alice", "devs"]), { maxLength: 2, selector: (h) => h.person }),
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative", "addOnly"),
    status: fc.constantFrom<MembershipFault["action"]>("503", "429"),
    afterwards: fc.constantFrom<"destroy" | "nothing" | "giveUp">("destroy", "destroy", "nothing", "giveUp", "giveUp"),
  })
  .map((s) => {
    const bob: Held = { person: "bob", role: "ROLE_MANAGER", spelling: "email" };
    const others = s.others.map((h) => ({ ...h, spelling: fitSpelling(h.person, "email") }));
    return scenario({
      credentials: { start: s.credentials, next: s.credentials },
      // bob made an owner, then admin left the space: admin access still manages it.
      preexisting: [
        { kind: "add", member: EMAILS.bob, role: "ROLE_MANAGER", space: 0 },
        { kind: "remove", member: EMAILS.admin, space: 0 },
      ],
      start: [rosterOf([bob, ...others], s.mode)],
      next: [rosterOf([bob, ...others, { person: "admin", spelling: "id" }], s.mode)],
      operation: "up",
      // The caller's own membership, read after her add by id, fails past the retries' deadline.
      faults: [{ method: "spaces.members.get", action: s.status, count: 40 }],
      ...(s.afterwards === "destroy" ? { thenDestroy: true } : s.afterwards === "giveUp" ? { destroyAfterFailure: true } : {}),
    });
  });

/**
 * admin's roster deployed from her own credentials signed in without the email scope, so that its
 * state records no caller (the provider could not tell who she is), then run as admin through
 * domain-wide delegation (the service account impersonating her, as CI does), whose caller is
 * known, with a program that removes people: admin herself, left out of the declaration (a roster
 * of her team that never listed her, or one she took herself out of), beside bob, another owner,
 * and maybe another member dropped. Without a refresh first the preview reads the caller's own
 * membership (one members.get by email) and plans from it; a refresh records her; either way the
 * up keeps her (docs/guides/rosters.md, "Never removed").
 */
const callerUnrecordedThenRemoval: fc.Arbitrary<MembersFixture> = fc
  .record({
    next: fc.constantFrom<MembersCredentials>(
      { user: "admin", via: "impersonate", adminAccess: false },
      { user: "admin", via: "impersonate", adminAccess: true },
    ),
    callerDeclared: fc.boolean(),
    others: fc.uniqueArray(held(["alice", "devs"]), { maxLength: 2, selector: (h) => h.person }),
    dropOther: fc.boolean(),
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative"),
    refreshFirst: fc.constantFrom(false, false, true),
  })
  .map((s) => {
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const bob: Held = { person: "bob", role: "ROLE_MANAGER", spelling: "email" };
    const others = s.others.map((h) => ({ ...h, spelling: fitSpelling(h.person, "email") }));
    return scenario({
      credentials: { start: { user: "admin", via: "own", adminAccess: false, emailScope: false }, next: s.next },
      preexisting: [{ kind: "add", member: EMAILS.bob, role: "ROLE_MANAGER", space: 0 }],
      start: [rosterOf([...(s.callerDeclared ? [admin] : []), bob, ...others], s.mode)],
      next: [rosterOf([bob, ...(s.dropOther ? others.slice(1) : others)], s.mode)],
      refreshFirst: s.refreshFirst,
      operation: "up",
    });
  });

/**
 * The Chat app declared beside people (a ChatMembership of its own, or in an authoritative roster)
 * by admin impersonated without admin access, then googlechat:useAdminAccess turned on. Admin access
 * can't reach apps' memberships (v1.d.ts members.get, members.delete `useAdminAccess`), so the
 * provider reads and removes the app's membership as the user. Between the two: alice made a
 * second owner, and now and then admin left the space in Chat (a 404 of the user's call is then
 * confirmed by nothing: the app stays in the stack), or the app was removed there (confirmed: the
 * space is in the user's sight). Then the app dropped from the program (check refuses it under
 * admin access), or the stack destroyed; a refresh first or not (a listing with admin access shows
 * no app, so a refreshed roster no longer lists it, and leaves it in the space).
 */
const appDeclaredThenAdminAccess: fc.Arbitrary<MembersFixture> = fc
  .record({
    layout: fc.constantFrom("membership", "membership", "roster"),
    alice: fc.boolean(),
    change: fc.constantFrom("none", "callerLeft", "callerLeft", "appRemoved"),
    refreshFirst: fc.constantFrom(false, true, true),
    operation: fc.constantFrom<OperationKind>("up", "up", "destroy"),
  })
  .map((s) => {
    const app: Held = { person: "app", spelling: "email" };
    const alice: Held = { person: "alice", role: "ROLE_MANAGER", spelling: "email" };
    const people: Held[] = s.alice ? [alice] : [];
    const program = (members: Held[]): MembersResource[] => (s.layout === "roster" ? [rosterOf(members)] : members.map((h) => membershipOf(h)));
    const divergence: SpaceChange[] = [];
    if (s.change === "callerLeft") divergence.push({ kind: "remove", member: EMAILS.admin, space: 0 });
    if (s.change === "appRemoved") divergence.push({ kind: "remove", member: "app", space: 0 });
    return scenario({
      credentials: {
        start: { user: "admin", via: "impersonate", adminAccess: false },
        next: { user: "admin", via: "impersonate", adminAccess: true },
      },
      preexisting: [{ kind: "add", member: EMAILS.alice, role: "ROLE_MANAGER", space: 0 }],
      start: program([app, ...people]),
      next: program(people),
      divergence,
      refreshFirst: s.refreshFirst,
      operation: s.operation,
    });
  });

/**
 * Cases of what people do that meet one membership rule head on, beside the broad generator's
 * mixes: the calling user removed from the space in Chat before a removal or a read, the caller's
 * own ChatMembership dropped, the last joined owner demoted beside an invited one, a write answered
 * with the name alone, invitations pending in Chat, a roster renamed or replaced as addOnly while
 * dropping a member, the calling user changed between ups, a user's own credentials without the
 * email scope, someone who joined in Chat written into an authoritative roster by email, a
 * migration under way (memberships of an import-mode space with their times), a member moved
 * between resources of two provider instances, or declared under both, and someone made an owner
 * in Chat since the last refresh, then demoted or removed (or another owner) by the program.
 */
/**
 * `pulumi up --skip-preview` of a member moved out of an authoritative roster into a
 * ChatMembership of her own (with the times of her history in a migration's space): a program
 * the preview refuses (the roster would remove her), run without one. The engine steps each
 * resource while it checks the next: the ChatMembership, registered after the roster, is checked
 * between the roster's diff, which plans her removal, and its update, which must read the
 * deployment's declarations again and stop before removing her; registered first, it is checked
 * before the roster is, and the roster's check refuses. Either way nobody the program declares is
 * removed, and the up fails.
 */
const skippedPreviewMove: fc.Arbitrary<MembersFixture> = fc
  .record({
    importMode: fc.boolean(),
    spelling: fc.constantFrom<Spelling>("email", "capitals"),
    bob: fc.boolean(),
    membershipFirst: fc.constantFrom(false, false, true),
    checkDuringStep: fc.boolean(),
  })
  .map((s) => {
    const bob: Held[] = s.bob ? [{ person: "bob", spelling: "email" }] : [];
    const roster = (members: Held[]) => rosterOf(members);
    const alice = s.importMode
      ? migratedOf({ person: "alice", spelling: s.spelling, createTime: JOINED_TIMES[0] })
      : membershipOf({ person: "alice", spelling: s.spelling });
    const kept = roster(bob);
    return scenario({
      ...(s.importMode ? { importSpaces: 1 as const } : {}),
      credentials: { start: IMPORTER, next: IMPORTER },
      start: [roster([{ person: "alice", spelling: "email" }, ...bob])],
      next: s.membershipFirst ? [alice, kept] : [kept, alice],
      conflict: { kind: "authoritativeBeside", atCheck: true },
      operation: "up",
      skipPreview: true,
      ...(s.checkDuringStep ? { checkDuringStep: true } : {}),
    });
  });

/**
 * A roster whose calling user it learns only at its diff, beside a ChatMembership of that caller
 * by `users/{id}`: the roster's state records no caller (deployed from admin's own credentials
 * without the email scope) or another (alice's), and the operation, as admin impersonated, keeps
 * admin in the roster by email and drops alice, so its diff reads the caller's membership (the
 * state can't say who she is) and learns her id; the ChatMembership of admin by `users/{id}`, in
 * the same space, checked before that diff (registered before or after the roster: a preview
 * checks every resource first), declares the same person, which check can't tell without her id.
 * The diff publishes the caller it learnt and must refuse the program there, naming both
 * (space-members/provider.ts, members/claims.ts `callerLearnt`): before any write, so the preview
 * fails; not at the first write of the up.
 */
const callerIdLearntAtDiff: fc.Arbitrary<MembersFixture> = fc
  .record({
    recorded: fc.constantFrom<"none" | "alice">("none", "alice"),
    // An addOnly roster's plan that drops alice removes no one: its diff would not ask who the caller is.
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative"),
    membershipFirst: fc.boolean(),
    role: fc.constantFrom<MembershipRole | undefined>("ROLE_MANAGER", undefined),
    operation: fc.constantFrom<OperationKind>("up", "up", "preview"),
    refreshFirst: fc.constantFrom(false, false, true),
  })
  .map((s) => {
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const bob: Held = { person: "bob", role: "ROLE_MANAGER", spelling: "email" };
    const alice: Held = { person: "alice", spelling: "email" };
    const start: MembersCredentials =
      s.recorded === "none" ? { user: "admin", via: "own", adminAccess: false, emailScope: false } : { user: "alice", via: "impersonate", adminAccess: false };
    const byId = membershipOf({ person: "admin", role: s.role, spelling: "id" });
    const roster = rosterOf([admin, bob], s.mode);
    return scenario({
      credentials: { start, next: { user: "admin", via: "impersonate", adminAccess: false } },
      // alice, the other recorded caller, an owner too: her roster's writes need one.
      preexisting: [
        { kind: "add", member: EMAILS.bob, role: "ROLE_MANAGER", space: 0 },
        ...(s.recorded === "alice" ? [{ kind: "add" as const, member: EMAILS.alice, role: "ROLE_MANAGER" as const, space: 0 as const }] : []),
      ],
      // admin undeclared at first: the roster's state can't know her email's id.
      start: [rosterOf([bob, alice], s.mode)],
      next: s.membershipFirst ? [byId, roster] : [roster, byId],
      conflict: { kind: "membershipAndRoster", atCheck: false, atPreview: true },
      refreshFirst: s.refreshFirst,
      operation: s.operation,
    });
  });

/**
 * `pulumi up --refresh` of a roster that adds alice by her `users/{id}`, whom its saved state does
 * not list, and who joins the space in Chat at a role higher than declared between the preview's
 * refresh and the update's. The preview, whose refresh did not list her, announced an add; the
 * update's refresh lists her, so its plan starts from a listing where that add is a role change: a
 * demotion the preview never showed. She keeps her role for that up (members/refresh-findings.ts
 * `roleFoundSince`), and the next preview announces the change. Beside others the roster keeps,
 * drops or gives another role, in any mode.
 */
const declaredJoinsBetweenRefreshes: fc.Arbitrary<MembersFixture> = fc
  .record({
    credentials: ADMIN_CREDENTIALS,
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative", "addOnly"),
    declaredRole: fc.constantFrom<MembershipRole | undefined>(undefined, "ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER"),
    joinRole: fc.constantFrom<MembershipRole>("ROLE_ASSISTANT_MANAGER", "ROLE_MANAGER", "ROLE_MANAGER"),
    others: fc.uniqueArray(held(["bob", "devs"]), { maxLength: 2, selector: (h) => h.person }),
    edit: fc.constantFrom("none", "none", "dropOther", "roleOther"),
  })
  .map((s) => {
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const alice: Held = { person: "alice", role: s.declaredRole, spelling: "id" };
    const joinRole = rankOf(s.joinRole) > rankOf(s.declaredRole ?? "ROLE_MEMBER") ? s.joinRole : "ROLE_MANAGER";
    const edited = s.others.flatMap((h, i): Held[] => {
      if (i > 0 || s.edit === "none") return [h];
      if (s.edit === "dropOther") return [];
      return h.person === "devs" ? [h] : [{ ...h, role: h.role === "ROLE_MEMBER" ? "ROLE_ASSISTANT_MANAGER" : "ROLE_MEMBER" }];
    });
    return scenario({
      credentials: { start: s.credentials, next: s.credentials },
      start: [rosterOf([admin, ...s.others], s.mode)],
      next: [rosterOf([admin, ...edited, alice], s.mode)],
      upRefresh: true,
      betweenRefreshes: [{ kind: "add", member: EMAILS.alice, role: joinRole, space: 0 }],
      operation: "up",
    });
  });

/**
 * Under app authentication, a roster of a space the Chat app made (deployed by the app, or by admin
 * impersonated before) whose add left bob (auto-accept off) INVITED; the invitation withdrawn in
 * Chat; then a refresh and an up of a program that still declares him. Google lists no invitation
 * to an app (v1.d.ts members.list `showInvited`: "Currently requires user authentication"), so the
 * refresh reads each INVITED member of the state (space-members/provider.ts `invitedUnlisted`):
 * bob is gone, the refresh drops him, and the up invites him again. Kept unread, he would stay
 * INVITED in the state and out of the space, up after up.
 */
const invitationWithdrawnUnderAppAuth: fc.Arbitrary<MembersFixture> = fc
  .record({
    deployedBy: fc.constantFrom("app", "app", "admin"),
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative", "addOnly"),
    role: fc.constantFrom<MembershipRole | undefined>(undefined, ...ROLES),
    spelling: fc.constantFrom<Spelling>("email", "capitals", "id"),
    alice: fc.constantFrom<"none" | "kept" | "added">("none", "kept", "added"),
    thenDestroy: fc.constantFrom(false, false, true),
  })
  .map((s) => {
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const bob: Held = { person: "bob", role: s.role, spelling: s.spelling };
    const alice: Held[] = [{ person: "alice", spelling: "email" }];
    return scenario({
      appSpace: true,
      bobInvited: true,
      credentials: { start: s.deployedBy === "app" ? APP_AUTH : ADMIN_IMPERSONATED, next: APP_AUTH },
      start: [rosterOf([admin, bob, ...(s.alice === "kept" ? alice : [])], s.mode)],
      next: [rosterOf([admin, bob, ...(s.alice === "none" ? [] : alice)], s.mode)],
      divergence: [{ kind: "remove", member: EMAILS.bob, space: 0 }],
      refreshFirst: true,
      operation: "up",
      ...(s.thenDestroy ? { thenDestroy: true } : {}),
    });
  });

/**
 * A Google Group in a space the Chat app made, under app authentication, which Google lets add or
 * remove no group (v1.d.ts members.create, members.delete), so check refuses declaring one: a group
 * added in Chat beside the roster the app applies, or declared by the roster while admin applied it
 * (a user), before the app took over; Google shows the app the group's membership with its group,
 * without it, or not at all. Then an up whose roster leaves the group out (check would refuse it), a
 * refresh first in half of them, or a destroy. The roster keeps the group (its preview says so), and
 * removes or keeps the others as it announces.
 */
const groupUnderAppAuth: fc.Arbitrary<MembersFixture> = fc
  .record({
    declaredAsUser: fc.boolean(),
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative", "addOnly"),
    alice: fc.constantFrom("kept", "dropped"),
    refreshFirst: fc.boolean(),
    operation: fc.constantFrom<OperationKind>("up", "up", "destroy"),
    // Google may show an app a group's membership with its group, without it, or not at all (v1.d.ts Schema$Membership.groupMember).
    shown: fc.constantFrom<"named" | "unnamed" | "hidden">("named", "named", "unnamed", "hidden"),
  })
  .map((s) => {
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const alice: Held = { person: "alice", spelling: "email" };
    const devs: Held = { person: "devs", spelling: "email" };
    return scenario({
      ...(s.shown === "named" ? {} : { groupsShownToApps: s.shown }),
      appSpace: true,
      credentials: { start: s.declaredAsUser ? ADMIN_IMPERSONATED : APP_AUTH, next: APP_AUTH },
      start: [rosterOf([admin, alice, ...(s.declaredAsUser ? [devs] : [])], s.mode)],
      next: [rosterOf([admin, ...(s.alice === "kept" ? [alice] : [])], s.mode)],
      divergence: s.declaredAsUser ? [] : [{ kind: "add", member: "groups/devs", space: 0 }],
      refreshFirst: s.refreshFirst,
      operation: s.operation,
    });
  });

/**
 * A space of another organisation, which the Chat app made there (that organisation installed it)
 * and admin owns: ChatMemberships of alice and maybe bob deployed by admin without
 * admin access, then `googlechat:useAdminAccess` turned on, which reaches only the spaces of the
 * administrator's own organisation (v1.d.ts `useAdminAccess`) and answers 404 there. Then alice
 * dropped, the stack destroyed or refreshed, now and then after a refresh: a 404 the calling user's
 * own read of the space does not confirm is no member gone (members/member-provider.ts
 * `meaningOf404`), so nothing leaves the stack while still in the space; the provider stops, naming
 * why.
 */
const partnerSpaceUnderAdminAccess: fc.Arbitrary<MembersFixture> = fc
  .record({
    bob: fc.boolean(),
    refreshFirst: fc.constantFrom(false, false, true),
    operation: fc.constantFrom<OperationKind>("up", "up", "destroy", "refresh"),
  })
  .map((s) => {
    const alice: Held = { person: "alice", spelling: "email" };
    const bob: Held[] = s.bob ? [{ person: "bob", spelling: "email" }] : [];
    const program = (people: Held[]): MembersResource[] => people.map((h) => membershipOf(h));
    return scenario({
      partnerSpace: true,
      credentials: { start: ADMIN_IMPERSONATED, next: { ...ADMIN_IMPERSONATED, adminAccess: true } },
      start: program([alice, ...bob]),
      next: program(bob),
      refreshFirst: s.refreshFirst,
      operation: s.operation,
    });
  });

/**
 * A roster (any mode) of admin's space, maybe beside a ChatMembership (of an addOnly one), deployed by admin with admin
 * access; the space then deleted in Chat; then `pulumi destroy`, or an up of a program that drops
 * them all, now and then after a refresh. With admin access in the administrator's own organisation, the owners
 * listing's 404 is confirmed by the space read as the user, 404 too (members/member-provider.ts
 * `meaningOf404`): the space is gone and took its memberships with it, so the delete removes nobody
 * and succeeds. A stop there would hold the stack until the state is edited by hand.
 */
const spaceDeletedUnderAdminAccess: fc.Arbitrary<MembersFixture> = fc
  .record({
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative", "addOnly"),
    rostered: fc.uniqueArray(held(["alice", "bob"]), { minLength: 1, maxLength: 2, selector: (h) => h.person }),
    membership: fc.boolean(),
    refreshFirst: fc.constantFrom(false, false, true),
    operation: fc.constantFrom<OperationKind>("destroy", "destroy", "up"),
  })
  .map((s) => {
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const credentials: MembersCredentials = { ...ADMIN_IMPERSONATED, adminAccess: true };
    // Beside an authoritative roster a ChatMembership would be a member declared twice.
    const memberships = s.membership && s.mode === "addOnly" ? [membershipOf({ person: "devs", spelling: "email" })] : [];
    return scenario({
      credentials: { start: credentials, next: credentials },
      start: [...memberships, rosterOf([admin, ...s.rostered], s.mode)],
      next: [],
      spaceDeletedInChat: true,
      refreshFirst: s.refreshFirst,
      operation: s.operation,
    });
  });

/**
 * Alice's own ChatMembership (by email, in capitals, or by `users/{id}`), deployed by alice, a member
 * admin added to admin's space; alice then removed in Chat, so that she no longer sees the space;
 * then a refresh by alice (a new provider process), now and then after another. She sees a space
 * exactly when she is a member of it, so her own membership's 404 says she is none
 * (members/member-provider.ts `meaningOf404`): the refresh drops it from the stack
 * (`ownMembershipRefreshed`), where another member's 404 in a space she no longer sees could not
 * tell. Declared by `users/{id}`, it is hers by the state's record of its caller: her id can't be
 * learnt while she is in no space (members/caller.ts).
 */
const ownMembershipRemovedThenRefreshed: fc.Arbitrary<MembersFixture> = fc
  .record({
    via: fc.constantFrom<MembersCredentials["via"]>("impersonate", "own"),
    // By `users/{id}`, hers only by the state's record of her (`__caller`): she, in no space, can't learn her id (members/member-provider.ts `isOwnMembership`).
    spelling: fc.constantFrom<Spelling>("email", "capitals", "id"),
    role: fc.constantFrom<MembershipRole>("ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER"),
    refreshFirst: fc.boolean(),
  })
  .map((s) => {
    const credentials: MembersCredentials = { user: "alice", via: s.via, adminAccess: false };
    const alice = [membershipOf({ person: "alice", role: s.role, spelling: s.spelling })];
    return scenario({
      credentials: { start: credentials, next: credentials },
      preexisting: [{ kind: "add", member: EMAILS.alice, role: s.role, space: 0 }],
      start: alice,
      next: alice,
      divergence: [{ kind: "remove", member: EMAILS.alice, space: 0 }],
      refreshFirst: s.refreshFirst,
      operation: "refresh",
    });
  });

/** admin through domain-wide delegation, with googlechat:useAdminAccess. */
const ADMIN_ACCESS: MembersCredentials = { ...ADMIN_IMPERSONATED, adminAccess: true };

/** A held person's declaration given another role than `role`, one that is not an owner's. */
const otherRole = (h: Held): Held => ({ ...h, role: h.role === "ROLE_ASSISTANT_MANAGER" ? "ROLE_MEMBER" : "ROLE_ASSISTANT_MANAGER" });

/**
 * `pulumi import` of the roster of a space the Chat app made, under app authentication (the
 * service account without googlechat:impersonateUser), while bob's invitation is pending there
 * (invited in Chat, his auto-accept off), alice now and then a member too; the program declares
 * what the import wrote, maybe with alice added or her role changed. Then bob accepts in Chat, and
 * a refresh (mostly) and an up, by the app or by admin impersonated, now and then a destroy after.
 * Google lists no invitation to an app (v1.d.ts members.list `showInvited`: "Currently requires
 * user authentication"), so the import could not see bob: a roster it declared authoritative would
 * remove him once a refresh lists him (`importedKept`; space-members/declaration.ts).
 */
const rosterImportedUnderAppAuth: fc.Arbitrary<MembersFixture> = fc
  .record({
    invited: fc.constantFrom(true, true, true, false),
    alice: fc.boolean(),
    aliceRole: fc.constantFrom<MembershipRole | undefined>(undefined, "ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER"),
    edit: fc.constantFrom("none", "none", "alice"),
    next: fc.constantFrom(APP_AUTH, APP_AUTH, ADMIN_IMPERSONATED),
    refreshFirst: fc.constantFrom(true, true, true, false),
    thenDestroy: fc.constantFrom(false, false, false, true),
  })
  .map((s) => {
    const alice: Held = { person: "alice", role: s.aliceRole, spelling: "id" };
    // Alice, listed by the import by her users/{id}, declared again at another role; else added.
    const edited: Held[] = s.edit === "alice" ? [s.alice ? otherRole(alice) : { ...alice, spelling: "email" }] : [];
    const roster = (members: Held[]): MembersResource => ({
      type: "ChatSpaceMembers",
      name: ROSTER_NAMES(0)[0],
      space: 0,
      members: members.map(declarationOf) as RosterMemberArgs[],
      imported: true,
    });
    return scenario({
      appSpace: true,
      bobInvited: true,
      credentials: { start: APP_AUTH, next: s.next },
      preexisting: [
        ...(s.alice ? [{ kind: "add" as const, member: EMAILS.alice, ...(s.aliceRole ? { role: s.aliceRole } : {}), space: 0 as const }] : []),
        ...(s.invited ? [{ kind: "invite" as const, member: EMAILS.bob, space: 0 as const }] : []),
      ],
      start: [roster([])],
      next: [roster(edited)],
      divergence: s.invited ? [{ kind: "accept", member: EMAILS.bob, space: 0 }] : [],
      refreshFirst: s.refreshFirst,
      operation: "up",
      ...(s.thenDestroy ? { thenDestroy: true } : {}),
    });
  });

/**
 * An authoritative roster first applied by admin without admin access in a space where the Chat
 * app is a member (added in Chat before the roster, whose create lists it and removes nobody; or
 * declared by the roster, then dropped: check refuses the app under admin access), then
 * googlechat:useAdminAccess switched on, people added, dropped or given other roles, or nothing
 * changed; mostly with no refresh first (a listing with admin access shows no app). Google neither
 * lists nor deletes an app's membership with admin access (v1.d.ts members.list, members.delete
 * `useAdminAccess`), so the roster keeps the app its state records, and its preview says so
 * (space-members/plan.ts); a removal would fail every up.
 */
const adminAccessSwitchedOn: fc.Arbitrary<MembersFixture> = fc
  .record({
    app: fc.constantFrom("chat", "chat", "declared"),
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative"),
    people: fc.uniqueArray(held(["alice", "bob", "devs"]), { maxLength: 2, selector: (h) => h.person }),
    edit: fc.constantFrom("none", "drop", "add", "role"),
    pick: fc.nat(),
    refreshFirst: fc.constantFrom(false, false, false, true),
    operation: fc.constantFrom<OperationKind>("up", "up", "up", "preview", "destroy"),
  })
  .map((s) => {
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const app: Held = { person: "app", spelling: "email" };
    const absent = (["alice", "bob"] as const).filter((p) => !s.people.some((h) => h.person === p));
    const at = s.pick % Math.max(s.people.length, 1);
    const edited: Held[] =
      s.edit === "drop"
        ? s.people.filter((_, i) => i !== at)
        : s.edit === "add" && absent.length > 0
          ? [...s.people, { person: absent[s.pick % absent.length], spelling: "email" }]
          : s.edit === "role" && s.people.length > 0 && s.people[at].person !== "devs"
            ? s.people.map((h, i) => (i === at ? otherRole(h) : h))
            : s.people;
    return scenario({
      credentials: { start: ADMIN_IMPERSONATED, next: ADMIN_ACCESS },
      preexisting: s.app === "chat" ? [{ kind: "add", member: "app", space: 0 }] : [],
      start: [rosterOf([admin, ...s.people, ...(s.app === "declared" ? [app] : [])], s.mode)],
      next: [rosterOf([admin, ...edited], s.mode)],
      refreshFirst: s.refreshFirst,
      operation: s.operation,
    });
  });

/**
 * Two provider instances of admin: the default one's roster, and the explicit one's ChatMembership
 * of the Chat app (chatApp: true), which only a provider without admin access can add (v1.d.ts
 * members.create `useAdminAccess`). The roster, addOnly, is made authoritative once
 * googlechat:useAdminAccess is switched on for the default instance (or is both from the start),
 * with people added, dropped or given other roles. With admin access it neither lists nor removes
 * the app, so check must pass the pair (members/claims.ts `conflictsBetween`), as it does beside a
 * roster acting as a Chat app.
 */
const adminRosterBesideAppMembership: fc.Arbitrary<MembersFixture> = fc
  .record({
    fromStart: fc.boolean(),
    membershipFirst: fc.boolean(),
    people: fc.uniqueArray(held(["alice", "bob"]), { maxLength: 2, selector: (h) => h.person }),
    edit: fc.constantFrom("none", "drop", "add", "role"),
    pick: fc.nat(),
    refreshFirst: fc.constantFrom(false, false, true),
    operation: fc.constantFrom<OperationKind>("up", "up", "up", "preview", "destroy"),
  })
  .map((s) => {
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const app: MembersResource = { ...membershipOf({ person: "app", spelling: "email" }), provider: "explicit" };
    const absent = (["alice", "bob"] as const).filter((p) => !s.people.some((h) => h.person === p));
    const at = s.pick % Math.max(s.people.length, 1);
    const edited: Held[] =
      s.edit === "drop"
        ? s.people.filter((_, i) => i !== at)
        : s.edit === "add" && absent.length > 0
          ? [...s.people, { person: absent[s.pick % absent.length], spelling: "email" }]
          : s.edit === "role" && s.people.length > 0
            ? s.people.map((h, i) => (i === at ? otherRole(h) : h))
            : s.people;
    const program = (roster: MembersResource) => (s.membershipFirst ? [app, roster] : [roster, app]);
    return scenario({
      credentials: { start: s.fromStart ? ADMIN_ACCESS : ADMIN_IMPERSONATED, next: ADMIN_ACCESS },
      explicitCredentials: ADMIN_IMPERSONATED,
      start: program(rosterOf([admin, ...s.people], s.fromStart ? "authoritative" : "addOnly")),
      next: program(rosterOf([admin, ...edited], "authoritative")),
      refreshFirst: s.refreshFirst,
      operation: s.operation,
    });
  });

/**
 * A roster of admin's space (any mode) declaring bob, another owner, and alice (maybe the devs
 * group, maybe admin), deployed by admin without admin access; admin then removed from the space in
 * Chat, so these credentials no longer see it; then an up that makes alice an owner, drops her (an
 * authoritative roster removes her) or drops the roster, or a destroy; a refresh first or not, and
 * now and then the read of the space that would confirm a 404 failing past the retries. A 404
 * there is a hidden space, not a member gone (members/member-provider.ts `meaningOf404`): no role
 * change or removal counts as done, and no delete leaves the members it declared in the space
 * outside the stack (`noOrphan`).
 */
const rosterCallerRemovedInChat: fc.Arbitrary<MembersFixture> = fc
  .record({
    credentials: ADMIN_WITHOUT_ADMIN_ACCESS,
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative", "addOnly"),
    aliceRole: fc.constantFrom<MembershipRole | undefined>(undefined, "ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER"),
    aliceSpelling: fc.constantFrom<Spelling>("email", "capitals", "id"),
    devs: fc.boolean(),
    callerDeclared: fc.boolean(),
    edit: fc.constantFrom("promote", "promote", "drop", "dropRoster", "destroy"),
    confirmingReadFails: fc.constantFrom(false, false, false, true),
    refreshFirst: fc.boolean(),
  })
  .map((s) => {
    const admin: Held[] = s.callerDeclared ? [{ person: "admin", role: "ROLE_MANAGER", spelling: "email" }] : [];
    const bob: Held = { person: "bob", role: "ROLE_MANAGER", spelling: "email" };
    const alice: Held = { person: "alice", role: s.aliceRole, spelling: s.aliceSpelling };
    const devs: Held[] = s.devs ? [{ person: "devs", spelling: "email" }] : [];
    const next =
      s.edit === "dropRoster" || s.edit === "destroy"
        ? []
        : [
            rosterOf(
              [...admin, bob, ...(s.edit === "drop" ? [] : [s.edit === "promote" ? { ...alice, role: "ROLE_MANAGER" as const } : alice]), ...devs],
              s.mode,
            ),
          ];
    return scenario({
      credentials: { start: s.credentials, next: s.credentials },
      keepLastManager: true,
      start: [rosterOf([...admin, bob, alice, ...devs], s.mode)],
      next,
      divergence: [{ kind: "remove", member: EMAILS.admin, space: 0 }],
      refreshFirst: s.refreshFirst,
      operation: s.edit === "destroy" ? "destroy" : "up",
      // The read of the space that would tell a hidden space from a gone member fails past the retries (40 answers outlast their 300 s deadline).
      faults: s.confirmingReadFails ? [{ method: "spaces.get", action: "503", count: 40 }] : [],
    });
  });

/** Which entry of a roster a value unknown at preview is in: its first or its last. */
type EntryAt = "first" | "last";

/** What of a roster's entry is unknown at preview: the entry as one output, or only its member. */
type EntryUnknown = { at: EntryAt; of: "entry" | "member" };

/**
 * Which entry of a roster of the operation's program is another resource's output, unknown at
 * preview (a person the program makes with another provider): none mostly, else its first or its
 * last, the entry or only its member.
 */
const unknownEntryArbitrary: fc.Arbitrary<EntryUnknown | undefined> = fc.option(
  fc.record({ at: fc.constantFrom<EntryAt>("first", "last"), of: fc.constantFrom<"entry" | "member">("entry", "member") }),
  { freq: 2 },
);

/**
 * What of each resource of a program is another resource's output, unknown at preview: of a
 * roster, its first or last entry, that entry's member or role, its mode or its whole list; of a
 * ChatMembership, its member or its role.
 */
type UnknownAtPreview = { at: EntryAt; of: "entry" | "member" | "role" } | { of: "mode" } | { of: "members" };

const unknownAtPreviewArbitrary: fc.Arbitrary<UnknownAtPreview> = fc.oneof(
  fc.record({ at: fc.constantFrom<EntryAt>("first", "last"), of: fc.constantFrom<"entry" | "member" | "role">("entry", "member", "role") }),
  fc.constantFrom<UnknownAtPreview>({ of: "mode" }, { of: "members" }),
);

/**
 * `program` with `unknown` unknown at preview in each resource it applies to (members-fixture.ts
 * `unknownAtPreview`), or in each roster alone; undefined: none.
 */
function withUnknownAtPreview(program: MembersResource[], unknown: UnknownAtPreview | undefined, only?: "rosters"): MembersResource[] {
  if (unknown === undefined) return program;
  return program.map((r): MembersResource => {
    if (r.type === "ChatMembership")
      return only !== "rosters" && (unknown.of === "role" || unknown.of === "member") ? { ...r, unknownAtPreview: unknown.of } : r;
    if (unknown.of === "mode" || unknown.of === "members") return { ...r, unknownAtPreview: unknown };
    return r.members.length > 0 ? { ...r, unknownAtPreview: { of: unknown.of, entry: unknown.at === "first" ? 0 : r.members.length - 1 } } : r;
  });
}

/**
 * An owner or manager (alice) of admin's space whose entry in the roster, its member, its role,
 * the whole list or the mode is another resource's output, unknown at preview, and whom the up
 * declares lower, at her role or higher: the preview can't see her entry, so it must announce her
 * possible demotion (or removal), which the up then makes as declared; admin, the caller, an owner
 * the roster declares, keeps his role. Or the roster's space is unknown at preview (`space:
 * eng.name` while the space changes): the preview plans a replacement, and the update the up makes
 * if the space is the same. Now and then as two ChatMemberships instead, alice's role, or her
 * membership's space or user, unknown. With admin access or not, a refresh first or not.
 */
export const ownerLoweredUnknownAtPreview: fc.Arbitrary<MembersFixture> = fc
  .record({
    viaRoster: fc.constantFrom(true, true, false),
    from: fc.constantFrom<MembershipRole>("ROLE_MANAGER", "ROLE_ASSISTANT_MANAGER"),
    to: fc.constantFrom<MembershipRole>("ROLE_MEMBER", "ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER", "ROLE_MANAGER"),
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "addOnly", "addOnly"),
    unknown: fc.constantFrom<RosterUnknown["of"]>("entry", "member", "role", "role", "members", "mode", "space", "space"),
    adminAccess: fc.boolean(),
    refreshFirst: fc.boolean(),
    operation: fc.constantFrom<OperationKind>("up", "up", "up", "preview"),
  })
  .map((s) => {
    const credentials: MembersCredentials = { user: "admin", via: "impersonate", adminAccess: s.adminAccess };
    const admin: Held = { person: "admin", role: "ROLE_MANAGER", spelling: "email" };
    const alice = (role: MembershipRole): Held => ({ person: "alice", role, spelling: "email" });
    const unknownAtPreview: RosterUnknown =
      s.unknown === "members" || s.unknown === "mode" || s.unknown === "space" ? { of: s.unknown } : { of: s.unknown, entry: 1 };
    const roster = (role: MembershipRole, unknown?: RosterUnknown): MembersResource => ({
      type: "ChatSpaceMembers",
      name: ROSTER_NAMES(0)[0],
      space: 0,
      ...(s.mode ? { mode: s.mode } : {}),
      members: [admin, alice(role)].map(declarationOf) as RosterMemberArgs[],
      ...(unknown ? { unknownAtPreview: unknown } : {}),
    });
    const memberships = (role: MembershipRole, unknown?: MembershipUnknown): MembersResource[] => [
      membershipOf(admin),
      {
        type: "ChatMembership",
        name: membershipName(0, "alice"),
        space: 0,
        member: declarationOf(alice(role)),
        ...(unknown ? { unknownAtPreview: unknown } : {}),
      },
    ];
    return scenario({
      credentials: { start: credentials, next: credentials },
      start: s.viaRoster ? [roster(s.from)] : memberships(s.from),
      next: s.viaRoster
        ? [roster(s.to, unknownAtPreview)]
        : memberships(s.to, s.unknown === "space" || s.unknown === "entry" ? "space" : s.unknown === "member" ? "member" : "role"),
      refreshFirst: s.refreshFirst,
      operation: s.operation,
    });
  });

/**
 * `cases` with a value of each resource of the operation's program another resource's output,
 * unknown at preview ({@link UnknownAtPreview}): a program that builds its memberships from what
 * it makes or reads with another provider. But where the case declares a member twice or declares
 * what check refuses: with the value unknown the refusal waits for the up's check, and those cases
 * judge the preview's.
 */
export function withUnknownsAtPreview(cases: fc.Arbitrary<MembersFixture>): fc.Arbitrary<MembersFixture> {
  return fc
    .tuple(cases, unknownAtPreviewArbitrary)
    .map(([f, unknown]) => (f.conflict || f.invalid ? f : { ...f, next: withUnknownAtPreview(f.next, unknown) }));
}

/**
 * `cases` with the `space` of each roster and ChatMembership the operation keeps in its space
 * unknown at preview, as `space: eng.name` is while the space changes in place: a replacement at
 * preview, the same space at the up, whose diff is then an update. Cases that declare a member
 * twice or refuse a value are left as they are.
 */
export function withKeptSpaceUnknownAtPreview(cases: fc.Arbitrary<MembersFixture>): fc.Arbitrary<MembersFixture> {
  return cases.map((f) => {
    if (f.conflict || f.invalid) return f;
    const kept = (r: MembersResource) => f.start.some((s) => s.type === r.type && s.name === r.name && s.space === r.space);
    const spaceUnknown = (r: MembersResource): MembersResource =>
      !kept(r) ? r : r.type === "ChatSpaceMembers" ? { ...r, unknownAtPreview: { of: "space" } } : { ...r, unknownAtPreview: "space" };
    return { ...f, next: f.next.map(spaceUnknown) };
  });
}

/** The person who held admin@example.com's address at the last deployment, by the `users/{id}` she keeps. */
const FORMER_HOLDER = userIdOf(EMAILS.admin);

/**
 * admin@example.com's account renamed and its address given to a new administrator, {@link NEW_ADMIN}
 * (`addressGivenToNewAdmin`), between the last deployment and the operation, which she runs with
 * the same credentials (the same email): the state records the caller by that email (a
 * ChatMembership's `__caller`, a roster's `__caller`), which names another person now. The space is
 * the former holder's (she made it: its owner), alice an owner or a member, bob now and then a
 * member. In Chat, the new administrator is added to the space (an owner mostly, as when an
 * administrator takes over) or not, and the former holder then demoted there or removed, or neither;
 * or she was a member already under her former address, declared by her users/{id}, which an
 * authoritative roster drops now.
 * The program, of ChatMemberships, a roster, or the former holder's ChatMembership beside a roster
 * of the others, names the former holder by her `users/{id}` now, keeping her, demoting her or
 * dropping her; declares the new holder (by the email, in capitals or by `users/{id}`) or not; keeps
 * alice or demotes her; keeps or drops bob. A refresh first or not. The provider asks Google who the
 * caller is where a decision depends on it (docs/reference/membership.md): the new holder is the
 * caller, never removed nor demoted below owner without admin access; the former holder is a member
 * like any other, removed or demoted only as the preview announced.
 *
 * The start declares the former holder by the email (in capitals or not) or by `users/{id}`, or a
 * roster never declares her (it keeps her, undeclared, as the caller its state records); the
 * next program may declare the new holder by the same email the state maps to the former holder.
 * Without admin access the new holder is always added to the space: in no space, her id can't be
 * learnt, and the state's record decides whose a 404 is (the documented limit,
 * docs/reference/membership.md); with it she may be in none, and the former holder then stays as
 * the caller the record names. In half the rosters one entry is unknown at preview
 * ({@link unknownEntryArbitrary}): that preview plans from the known entries, and may not ask Google who the caller is.
 */
const addressReassigned: fc.Arbitrary<MembersFixture> = fc
  .record({
    credentials: fc.constantFrom<MembersCredentials>(
      { user: "admin", via: "impersonate", adminAccess: false },
      { user: "admin", via: "impersonate", adminAccess: false },
      { user: "admin", via: "own", adminAccess: false },
      { user: "admin", via: "impersonate", adminAccess: true },
    ),
    shape: fc.constantFrom(
      "memberships",
      "memberships",
      "roster",
      "roster",
      "membershipBesideRoster",
      "takeover",
      "addressAtFormerRole",
      "addressMoved",
      "newHolderListedBefore",
    ),
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "authoritative", "addOnly"),
    // How the start declared the former holder, then the caller; undefined: a roster that never declared her.
    formerAtStart: fc.constantFrom<Spelling | undefined>("email", "capitals", "id", undefined),
    aliceOwner: fc.boolean(),
    bob: fc.constantFrom("none", "kept", "dropped"),
    newJoins: fc.constantFrom<MembershipRole | undefined>("ROLE_MANAGER", "ROLE_MANAGER", "ROLE_MEMBER", undefined),
    formerInChat: fc.constantFrom("stays", "stays", "stays", "demoted", "removed"),
    former: fc.constantFrom("keep", "demote", "demote", "drop"),
    newHolder: fc.constantFrom<Spelling | "undeclared">("undeclared", "email", "capitals", "id"),
    newRole: fc.constantFrom<MembershipRole>("ROLE_MANAGER", "ROLE_MEMBER"),
    aliceDemoted: fc.boolean(),
    refreshFirst: fc.boolean(),
    operation: fc.constantFrom<OperationKind>("up", "up", "up", "preview", "destroy"),
    unknownEntry: unknownEntryArbitrary,
  })
  // The new administrator takes the space over in Chat (an owner, the former holder demoted), then a
  // refresh and an authoritative roster, without admin access, that lowers the other owners to
  // members and her too: she, the caller now, keeps her owner role, so the space keeps an owner.
  // The new holder declared by the address at the former holder's role (an owner), while Chat has her a
  // member or in no space, and no refresh since: the roster's own entry of the address, or its record
  // of the caller, maps the address to the former holder, who already has that role, so only Google's
  // answer tells the entry names someone else (her add). With admin access, which lets her make herself an owner.
  .map((drawn) =>
    drawn.shape !== "addressAtFormerRole"
      ? drawn
      : {
          ...drawn,
          shape: "roster" as const,
          credentials: { ...drawn.credentials, adminAccess: true },
          former: "keep" as const,
          newHolder: drawn.newHolder === "id" || drawn.newHolder === "undeclared" ? ("email" as const) : drawn.newHolder,
          newRole: "ROLE_MANAGER" as const,
          newJoins: drawn.newJoins === undefined ? undefined : ("ROLE_MEMBER" as const),
          refreshFirst: false,
          operation: drawn.operation === "destroy" ? ("up" as const) : drawn.operation,
        },
  )
  // The former holder's ChatMembership, declared by the address, dropped for a new one of the address: the
  // new holder's; the delete removes the former holder, whom no declaration holds now.
  .map((drawn) =>
    drawn.shape !== "addressMoved"
      ? drawn
      : {
          ...drawn,
          shape: "memberships" as const,
          formerAtStart: drawn.formerAtStart === "id" || drawn.formerAtStart === undefined ? ("email" as const) : drawn.formerAtStart,
          former: "drop" as const,
          newHolder: drawn.newHolder === "id" || drawn.newHolder === "undeclared" ? ("capitals" as const) : drawn.newHolder,
          operation: drawn.operation === "destroy" ? ("up" as const) : drawn.operation,
        },
  )
  // The new holder a member of the space before she was given the address, declared by her
  // users/{id} at the start; an authoritative roster drops her, no refresh since: its plan, from the
  // state's record of the caller (the former holder), removes her; only Google's answer tells she is the caller now.
  .map((drawn) =>
    drawn.shape !== "newHolderListedBefore"
      ? { ...drawn, listedBefore: false }
      : {
          ...drawn,
          shape: "roster" as const,
          mode: "authoritative" as const,
          newHolder: "undeclared" as const,
          newJoins: undefined,
          refreshFirst: false,
          listedBefore: true,
        },
  )
  .map((drawn) =>
    drawn.shape !== "takeover"
      ? drawn
      : {
          ...drawn,
          shape: "roster" as const,
          mode: undefined,
          credentials: { ...drawn.credentials, adminAccess: false },
          newJoins: "ROLE_MANAGER" as const,
          formerInChat: "demoted" as const,
          former: "demote" as const,
          newRole: "ROLE_MEMBER" as const,
          aliceDemoted: true,
          refreshFirst: true,
          operation: drawn.operation === "destroy" ? ("up" as const) : drawn.operation,
        },
  )
  .map((s) => {
    const roster = s.shape !== "memberships";
    // A ChatMembership of the former holder needs a declaration at the start.
    const formerAtStart = s.formerAtStart ?? (s.shape === "roster" ? undefined : "id");
    // The former holder is demoted or removed in Chat only where another owner stays.
    const anotherOwner = s.newJoins === "ROLE_MANAGER" || s.aliceOwner;
    const formerInChat = anotherOwner ? s.formerInChat : "stays";
    // Without admin access she is added: in no space, her id can't be learnt, and the record decides (docs/reference/membership.md).
    const newJoins = s.listedBefore ? undefined : (s.newJoins ?? (s.credentials.adminAccess ? undefined : "ROLE_MEMBER"));
    const listedBefore: MemberDeclaration[] = s.listedBefore ? [{ user: NEW_ADMIN, role: s.newRole }] : [];
    const alice: Held = { person: "alice", role: s.aliceOwner ? "ROLE_MANAGER" : "ROLE_MEMBER", spelling: "email" };
    const bob: Held[] = s.bob === "none" ? [] : [{ person: "bob", spelling: "email" }];
    const formerStart = formerAtStart ? declarationOf({ person: "admin", role: "ROLE_MANAGER", spelling: formerAtStart }) : undefined;
    const formerNext =
      s.former === "drop" || !formerStart
        ? undefined
        : ({ user: FORMER_HOLDER, role: s.former === "keep" ? "ROLE_MANAGER" : "ROLE_MEMBER" } as MemberDeclaration);
    const newHolder: MemberDeclaration[] =
      s.newHolder === "undeclared"
        ? []
        : [{ user: s.newHolder === "id" ? NEW_ADMIN : s.newHolder === "capitals" ? inCapitals(EMAILS.admin) : EMAILS.admin, role: s.newRole }];
    const aliceNext = declarationOf(s.aliceDemoted ? { ...alice, role: "ROLE_MEMBER" } : alice);
    const bobNext = s.bob === "kept" ? bob.map(declarationOf) : [];
    const inRoster = (former: MemberDeclaration | undefined, others: MemberDeclaration[]): MembersResource[] => {
      const formerHere = s.shape === "membershipBesideRoster" ? [] : former ? [former] : [];
      const members = [...formerHere, ...others] as RosterMemberArgs[];
      const roster: MembersResource[] = members.length
        ? [{ type: "ChatSpaceMembers", name: ROSTER_NAMES(0)[0], space: 0, ...(s.mode ? { mode: s.mode } : {}), members }]
        : [];
      const formers: MembersResource[] =
        s.shape === "membershipBesideRoster" && former ? [{ type: "ChatMembership", name: membershipName(0, "admin"), space: 0, member: former }] : [];
      return [...formers, ...roster];
    };
    const asMemberships = (former: MemberDeclaration | undefined, others: { name: string; member: MemberDeclaration }[]): MembersResource[] =>
      [...(former ? [{ name: membershipName(0, "admin"), member: former }] : []), ...others].map((m) => ({ type: "ChatMembership", space: 0, ...m }));
    const start = roster
      ? inRoster(formerStart, [declarationOf(alice), ...bob.map(declarationOf), ...listedBefore])
      : asMemberships(formerStart, [
          { name: membershipName(0, "alice"), member: declarationOf(alice) },
          ...bob.map((h) => ({ name: membershipName(0, "bob"), member: declarationOf(h) })),
        ]);
    const next = roster
      ? withUnknownAtPreview(inRoster(formerNext, [aliceNext, ...bobNext, ...newHolder]), s.unknownEntry ?? undefined, "rosters")
      : asMemberships(formerNext, [
          { name: membershipName(0, "alice"), member: aliceNext },
          ...bobNext.map((member) => ({ name: membershipName(0, "bob"), member })),
          ...newHolder.map((member) => ({ name: `${membershipName(0, "admin")}-new`, member })),
        ]);
    const changedInChat: SpaceChange[] =
      formerInChat === "stays"
        ? []
        : [
            formerInChat === "demoted"
              ? { kind: "setRole", member: FORMER_HOLDER, role: "ROLE_MEMBER", space: 0 }
              : { kind: "remove", member: FORMER_HOLDER, space: 0 },
          ];
    // The former holder's ChatMembership beside an authoritative roster, which never removed her as its caller, and now would.
    const conflict: Conflict | undefined =
      s.shape === "membershipBesideRoster" && s.mode !== "addOnly" && formerNext ? { kind: "authoritativeBeside", atCheck: false, atPreview: true } : undefined;
    return scenario({
      credentials: { start: s.credentials, next: s.credentials },
      ...(conflict ? { conflict } : {}),
      preexisting: [
        { kind: "add", member: EMAILS.alice, role: alice.role, space: 0 },
        ...bob.map(() => ({ kind: "add" as const, member: EMAILS.bob, space: 0 as const })),
        ...listedBefore.map((d) => ({ kind: "add" as const, member: d.user!, role: d.role, space: 0 as const })),
      ],
      start,
      next,
      addressReassigned: true,
      divergence: [...(newJoins ? [{ kind: "add" as const, member: NEW_ADMIN, role: newJoins, space: 0 as const }] : []), ...changedInChat],
      refreshFirst: s.refreshFirst,
      operation: s.operation,
    });
  });

/**
 * What users do where the caller's access changes, beside the focused mix (a weight there would
 * reshuffle its cases): a roster imported under app authentication, then an invitation accepted in
 * Chat; googlechat:useAdminAccess switched on over an authoritative roster whose state records a
 * Chat app, or beside a ChatMembership of the app on a provider instance without it; the caller
 * removed from the space in Chat under a roster's role change or delete; and the caller's own
 * ChatMembership, by any spelling, refreshed after she was removed in Chat.
 */
export function accessChangedArbitrary(): fc.Arbitrary<MembersFixture> {
  return fc.oneof(
    { arbitrary: rosterImportedUnderAppAuth, weight: 1 },
    { arbitrary: adminAccessSwitchedOn, weight: 1 },
    { arbitrary: adminRosterBesideAppMembership, weight: 1 },
    { arbitrary: rosterCallerRemovedInChat, weight: 2 },
    { arbitrary: ownMembershipRemovedThenRefreshed, weight: 1 },
  );
}

/**
 * {@link callerIdLearntAtDiff}'s cases, run beside the focused mix rather than in it: a weight in
 * that mix would reshuffle every case after it, and some rules are met there by a handful of cases.
 */
export const callerIdLearntAtDiffArbitrary = (): fc.Arbitrary<MembersFixture> => callerIdLearntAtDiff;

/**
 * {@link ownersLeavingAtOnce}'s cases, run beside the focused mix rather than in it (a weight there
 * would reshuffle its cases).
 */
export const ownersLeavingAtOnceArbitrary = (): fc.Arbitrary<MembersFixture> => ownersLeavingAtOnce;

/**
 * bob's address given to a colleague, dana (users/110000000000000000010, `bobsAddressGiven`),
 * between two ups. The start declares bob by the address (a ChatMembership of him, or the roster's
 * entry, in capitals or not) and dana by her `users/{id}` (a ChatMembership, the roster's entry) or
 * not at all (she is in the space, undeclared). The next program declares the address in a new
 * resource, a ChatMembership or a new roster, which Google answers is dana's, and drops the old
 * resources; or keeps dana's by `users/{id}` and declares the address nowhere; bob by his
 * `users/{id}` now and then. Each old state still records the address as bob's: whom it names, the
 * up's answer from Google tells, not a state. The up's deletes run at once or one by one, on one
 * provider instance or two; now and then the engine dies between two calls, and the next up's
 * pending deletes meet the new resource's state recording the address as dana's; or the start is
 * destroyed.
 */
const bobsAddressGiven: fc.Arbitrary<MembersFixture> = fc
  .record({
    credentials: ADMIN_CREDENTIALS,
    bobBy: fc.constantFrom("membership", "roster"),
    bobSpelling: fc.constantFrom<Spelling>("email", "email", "capitals"),
    danaBy: fc.constantFrom("membership", "roster", "undeclared"),
    next: fc.constantFrom("membershipOfAddress", "membershipOfAddress", "rosterOfAddress", "danaById"),
    bobById: fc.boolean(),
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "addOnly"),
    instances: fc.tuple(fc.constantFrom<ProviderInstance>("default", "explicit"), fc.constantFrom<ProviderInstance>("default", "explicit")),
    atOnce: fc.boolean(),
    // The engine dies after the n-th call (deletes counted or not): the next up, another process, runs the pending deletes, when
    // the new resource's state records the address as dana's beside the old ones recording it as bob's.
    crash: fc.constantFrom<"none" | "lastCreate" | "firstDelete" | "anywhere">("none", "none", "lastCreate", "firstDelete", "anywhere"),
    // The start's resources in the other order: the engine deletes them in the other order too.
    startReversed: fc.boolean(),
    crashAt: fc.record({ after: fc.integer({ min: 1, max: 6 }), countDeletes: fc.boolean() }),
    refreshFirst: fc.boolean(),
    operation: fc.constantFrom<OperationKind>("up", "up", "up", "destroy"),
  })
  .map((s) => {
    const dana = { user: NEW_ADMIN };
    const [old, fresh] = s.instances;
    const bobByAddress = declarationOf({ person: "bob", spelling: s.bobSpelling });
    const oldRoster = [...(s.bobBy === "roster" ? [bobByAddress] : []), ...(s.danaBy === "roster" ? [dana] : [])];
    // Authoritative (the default) only where the roster is its program's one resource of the space (check refuses one beside
    // a ChatMembership of a member it does not list), and dana, undeclared, is not in the space to be removed at the start.
    const roster = (name: string, members: MemberDeclaration[], alone: boolean): MembersResource => ({
      type: "ChatSpaceMembers",
      name,
      space: 0,
      ...(s.mode === undefined && alone && s.danaBy !== "undeclared" ? {} : { mode: "addOnly" }),
      members: members as RosterMemberArgs[],
    });
    const start: MembersResource[] = [
      ...(s.bobBy === "membership" ? [membershipOf({ person: "bob", spelling: s.bobSpelling })] : []),
      ...(s.danaBy === "membership" ? [{ type: "ChatMembership" as const, name: "space0-dana", space: 0 as const, member: dana }] : []),
      ...(oldRoster.length > 0 ? [roster(ROSTER_NAMES(0)[0], oldRoster, s.bobBy === "roster" && s.danaBy !== "membership")] : []),
    ].map((r) => servedBy(r, old));
    const bobById = s.bobById ? [membershipOf({ person: "bob", spelling: "id" }, "space0-bob-by-id")] : [];
    const next: MembersResource[] =
      s.next === "danaById"
        ? [
            ...start.filter((r) => r.type === "ChatMembership" && s.danaBy === "membership" && r.name === "space0-dana"),
            ...(s.danaBy === "roster" ? [servedBy(roster(ROSTER_NAMES(0)[0], [dana], !s.bobById), old)] : []),
            ...bobById,
          ]
        : [
            servedBy(
              s.next === "membershipOfAddress"
                ? { type: "ChatMembership", name: "space0-bob-address", space: 0, member: { user: EMAILS.bob } }
                : roster(ROSTER_NAMES(0)[1], [{ user: EMAILS.bob }], !s.bobById),
              fresh,
            ),
            ...bobById,
          ];
    return scenario({
      credentials: { start: s.credentials, next: s.credentials },
      preexisting: s.danaBy === "undeclared" ? [{ kind: "add", member: NEW_ADMIN, space: 0 }] : [],
      start: s.startReversed ? [...start].reverse() : start,
      next,
      bobsAddressGiven: true,
      refreshFirst: s.refreshFirst,
      operation: s.operation,
      // A crash is of steps run one by one (engine.ts: which call crashes would depend on which ended first).
      ...(s.crash !== "none" && s.operation === "up"
        ? // The new resources' creates are the up's writes before its first delete: the engine dies after the last
          // create (its result lost: the next up makes it again), or after the first delete (the new resources' states recorded).
          {
            crash:
              s.crash === "lastCreate"
                ? { after: next.length, countDeletes: false }
                : s.crash === "firstDelete"
                  ? { after: next.length + 1, countDeletes: true }
                  : s.crashAt,
          }
        : s.atOnce
          ? { stepsAtOnce: true, deletesAtOnce: true }
          : {}),
    });
  });

/** {@link bobsAddressGiven}'s cases, run beside the focused mix rather than in it (a weight there would reshuffle its cases). */
export const bobsAddressGivenArbitrary = (): fc.Arbitrary<MembersFixture> => bobsAddressGiven;

/**
 * bob's address given to dana (`bobsAddressGiven`) while a resource in one space keeps declaring
 * it, unchanged: its state holds bob, whom the address named when it was made. A declaration of
 * the address names the member its resource holds, whomever Google names by it elsewhere; and
 * before a new resource of the address is written, Google names it, not a state's record. Two
 * spaces; each is one person declared twice, which must be refused, never applied as both:
 * - `newBesideDana`: the start declares the address in space b (bob) and dana by `users/{id}` in
 *   space a; the operation adds a new ChatMembership or roster of the address in space a (or an
 *   entry of it to dana's roster), which Google answers is dana's: refused before its write,
 *   naming dana's declaration.
 * - `byIdBesideKept`: the start declares the address in space a (bob); a deployment after the move
 *   (`afterMove`) adds a new resource of it in space b, which holds dana; the operation adds a
 *   ChatMembership of bob by `users/{id}` in space a: refused by the preview, naming the resource
 *   that holds him by the address; or, under `up --skip-preview`, by his check in the update, which
 *   comes after the diff of the resource that holds him (the engine checks and diffs each
 *   registration in turn).
 * - `crashMidMove`: bob moved from a resource declaring him by `users/{id}` in space a to one of the
 *   address there; the engine dies after the old one's delete, before writing its result. The
 *   address is given to dana, and the up after it adds a resource of the address in space b, which
 *   holds dana: the old one's delete again keeps bob, whom the new one in space a holds.
 */
const bobsAddressKept: fc.Arbitrary<MembersFixture> = fc
  .record({
    credentials: ADMIN_CREDENTIALS,
    shape: fc.constantFrom("newBesideDana", "byIdBesideKept", "crashMidMove"),
    keptBy: fc.constantFrom("membership", "roster"),
    keptSpelling: fc.constantFrom<Spelling>("email", "capitals"),
    danaBy: fc.constantFrom("membership", "roster"),
    newBy: fc.constantFrom("membership", "roster"),
    mode: fc.constantFrom<RosterMode | undefined>(undefined, "addOnly"),
    instances: fc.tuple(fc.constantFrom<ProviderInstance>("default", "explicit"), fc.constantFrom<ProviderInstance>("default", "explicit")),
    refreshFirst: fc.boolean(),
    skipPreview: fc.boolean(),
  })
  .map((s) => {
    const [old, fresh] = s.instances;
    const keptSpace: SpaceIndex = s.shape === "newBesideDana" ? 1 : 0;
    const otherSpace: SpaceIndex = keptSpace === 0 ? 1 : 0;
    const bobByAddress = declarationOf({ person: "bob", spelling: s.keptSpelling });
    const kept = servedBy(
      s.keptBy === "membership"
        ? { type: "ChatMembership", name: membershipName(keptSpace, "bob"), space: keptSpace, member: bobByAddress }
        : {
            type: "ChatSpaceMembers",
            name: ROSTER_NAMES(keptSpace)[0],
            space: keptSpace,
            ...(s.mode ? { mode: s.mode } : {}),
            members: [bobByAddress as RosterMemberArgs],
          },
      old,
    );
    // A new resource of the address: a ChatMembership, or an addOnly roster (beside other resources of its space).
    const ofAddress = (space: SpaceIndex): MembersResource =>
      servedBy(
        s.newBy === "membership"
          ? { type: "ChatMembership", name: `${SPACE_PREFIX[space]}-bob-address`, space, member: { user: EMAILS.bob } }
          : { type: "ChatSpaceMembers", name: ROSTER_NAMES(space)[1], space, mode: "addOnly", members: [{ user: EMAILS.bob }] },
        fresh,
      );
    if (s.shape === "newBesideDana") {
      const dana = { user: NEW_ADMIN };
      const danas = servedBy(
        s.danaBy === "membership"
          ? { type: "ChatMembership", name: "a-dana", space: 0, member: dana }
          : { type: "ChatSpaceMembers", name: ROSTER_NAMES(0)[0], space: 0, mode: "addOnly", members: [dana] },
        old,
      );
      const start = [kept, danas];
      // One roster per space: beside dana's roster, the address is a new entry of it.
      const next =
        s.danaBy === "roster" && s.newBy === "roster"
          ? [kept, { ...danas, members: [dana, { user: EMAILS.bob }] } as MembersResource]
          : [...start, ofAddress(otherSpace)];
      return scenario({
        spaces: 2,
        credentials: { start: s.credentials, next: s.credentials },
        start,
        next,
        bobsAddressGiven: true,
        conflict: { kind: "byEmailAndId", atCheck: false, beforeAnyWrite: true },
        refreshFirst: s.refreshFirst,
        operation: "up",
      });
    }
    if (s.shape === "crashMidMove") {
      // bob moved from a resource declaring him by users/{id} to `kept`: the engine dies after the old one's delete (which
      // keeps him, declared by the new one), before writing its result. The up after it, the address given since, runs it again.
      const byId = bobByAddress.user === undefined ? bobByAddress : { ...bobByAddress, user: userIdOf(EMAILS.bob) };
      const old = servedBy(
        s.danaBy === "membership"
          ? { type: "ChatMembership", name: `${SPACE_PREFIX[keptSpace]}-bob-by-id`, space: keptSpace, member: byId }
          : { type: "ChatSpaceMembers", name: ROSTER_NAMES(keptSpace)[1], space: keptSpace, mode: "addOnly", members: [byId as RosterMemberArgs] },
        fresh,
      );
      return scenario({
        spaces: 2,
        credentials: { start: s.credentials, next: s.credentials },
        start: [old],
        next: [kept],
        crash: { after: 2, countDeletes: true },
        afterCrash: { program: [kept, ofAddress(otherSpace)] },
        refreshFirst: s.refreshFirst,
        operation: "up",
      });
    }
    const afterMove = [kept, ofAddress(otherSpace)];
    const bobById = servedBy(
      { type: "ChatMembership", name: `${SPACE_PREFIX[keptSpace]}-bob-by-id`, space: keptSpace, member: { user: userIdOf(EMAILS.bob) } },
      fresh,
    );
    return scenario({
      spaces: 2,
      credentials: { start: s.credentials, next: s.credentials },
      start: [kept],
      afterMove,
      next: [...afterMove, bobById],
      bobsAddressGiven: true,
      conflict: { kind: "byEmailAndId", atCheck: false, atPreview: true, beforeAnyWrite: true },
      refreshFirst: s.refreshFirst,
      skipPreview: s.skipPreview,
      operation: "up",
    });
  });

/** {@link bobsAddressKept}'s cases, run beside the focused mix rather than in it (a weight there would reshuffle its cases). */
export const bobsAddressKeptArbitrary = (): fc.Arbitrary<MembersFixture> => bobsAddressKept;

/**
 * The address of the explicit instance's calling user, bob@example.com (it impersonates him), given
 * to dana between two ups (`bobsAddressGiven`): that instance acts as dana from then on, whom no
 * resource may remove or demote below owner. A ChatMembership of the address under the default
 * instance (admin's) in space b, made before, still records it as bob's; a caller published by
 * email names whom Google answers now, never a state's record. Two shapes:
 * - `destroy`: dana declared by `users/{id}` in space a, an owner, beside the explicit instance's
 *   ChatMembership of alice there; the one of the address, registered last, is deleted first.
 * - `roster`: an authoritative roster of space a under the default instance, which declares admin;
 *   dana made an owner of space a in Chat, then `pulumi refresh`; the next up keeps her undeclared.
 *   The explicit instance serves a ChatMembership of alice in space b.
 * The ChatMembership of the address is registered first, so its diff (or delete) reads its record first.
 */
const otherCallersAddressGiven: fc.Arbitrary<MembersFixture> = fc
  .record({ shape: fc.constantFrom("destroy", "roster"), spelling: fc.constantFrom<Spelling>("email", "capitals") })
  .map((s) => {
    const bobsAddress = { ...declarationOf({ person: "bob", spelling: s.spelling }), role: "ROLE_MANAGER" as const };
    const ofAddress: MembersResource = { type: "ChatMembership", name: "b-bob", space: 1, member: bobsAddress };
    const alice = (space: SpaceIndex): MembersResource => ({
      type: "ChatMembership",
      name: `${SPACE_PREFIX[space]}-alice`,
      space,
      member: { user: EMAILS.alice },
      provider: "explicit",
    });
    const common = {
      spaces: 2 as const,
      credentials: { start: ADMIN_IMPERSONATED, next: ADMIN_IMPERSONATED },
      explicitCredentials: { user: "bob" as const, via: "impersonate" as const, adminAccess: false },
      instanceCallersKept: true,
      bobsAddressGiven: true,
    };
    if (s.shape === "destroy") {
      const start: MembersResource[] = [
        { type: "ChatMembership", name: "a-dana", space: 0, member: { user: NEW_ADMIN, role: "ROLE_MANAGER" } },
        alice(0),
        ofAddress,
      ];
      // bob manages space a (the explicit instance adds alice there as him), and space b, where the address is declared.
      return scenario({
        ...common,
        preexisting: [0, 1].map((space) => ({ kind: "add" as const, member: EMAILS.bob, role: "ROLE_MANAGER" as const, space: space as SpaceIndex })),
        start,
        next: start,
        operation: "destroy",
      });
    }
    const start: MembersResource[] = [ofAddress, alice(1), rosterOf([{ person: "admin", role: "ROLE_MANAGER", spelling: "email" }])];
    return scenario({
      ...common,
      preexisting: [{ kind: "add", member: EMAILS.bob, role: "ROLE_MANAGER", space: 1 }],
      start,
      next: start,
      divergence: [{ kind: "add", member: NEW_ADMIN, role: "ROLE_MANAGER", space: 0 }],
      refreshFirst: true,
      operation: "up",
    });
  });

/** {@link otherCallersAddressGiven}'s cases, run beside the focused mix rather than in it (a weight there would reshuffle its cases). */
export const otherCallersAddressGivenArbitrary = (): fc.Arbitrary<MembersFixture> => otherCallersAddressGiven;

/**
 * {@link addressReassignedOf}'s cases, run beside the focused mix rather than in it (a weight there
 * would reshuffle its cases): the calling user's address given to another person between two ups.
 */
export const addressReassignedArbitrary = (): fc.Arbitrary<MembersFixture> => addressReassigned;

/**
 * {@link groupUnderAppAuth}'s cases, run beside the focused mix rather than in it (a weight there
 * would reshuffle its cases): a Google Group, which no Chat app can remove, beside a roster applied
 * under app authentication.
 */
export const groupUnderAppAuthArbitrary = (): fc.Arbitrary<MembersFixture> => groupUnderAppAuth;

export function membersScenarioArbitrary(): fc.Arbitrary<MembersFixture> {
  return fc.oneof(
    { arbitrary: callerRemovedInChat, weight: 3 },
    { arbitrary: callerOwnMembershipDropped, weight: 2 },
    { arbitrary: lastOwnerDemoted, weight: 2 },
    { arbitrary: nameOnlyAnswer, weight: 1 },
    { arbitrary: invitationsPending, weight: 3 },
    { arbitrary: rosterMovedAsAddOnly, weight: 2 },
    { arbitrary: addOnlyRosterDropsThenGoes, weight: 2 },
    { arbitrary: callerChangedBetweenUps, weight: 3 },
    { arbitrary: ownCredentialsWithoutEmailScope, weight: 1 },
    { arbitrary: importMigration, weight: 3 },
    { arbitrary: joinedThenDeclared, weight: 1 },
    { arbitrary: acrossInstances, weight: 3 },
    { arbitrary: ownerMadeInChat, weight: 5 },
    { arbitrary: ownerMadeThenLowered, weight: 5 },
    { arbitrary: changedBetweenRefreshes, weight: 4 },
    { arbitrary: callersOfTwoInstances, weight: 4 },
    { arbitrary: otherCallerManagerLowered, weight: 2 },
    { arbitrary: destroyKeepsOtherCaller, weight: 1 },
    { arbitrary: rosterMovedToOtherCaller, weight: 2 },
    { arbitrary: importRosterBeside, weight: 3 },
    { arbitrary: skippedPreviewMove, weight: 2 },
    { arbitrary: appAuthSwitched, weight: 4 },
    { arbitrary: rosterDropsHandedOverOwner, weight: 2 },
    { arbitrary: callerAddedByIdUnread, weight: 2 },
    { arbitrary: callerUnrecordedThenRemoval, weight: 1 },
    { arbitrary: appDeclaredThenAdminAccess, weight: 2 },
    { arbitrary: declaredJoinsBetweenRefreshes, weight: 2 },
    { arbitrary: invitationWithdrawnUnderAppAuth, weight: 2 },
    { arbitrary: partnerSpaceUnderAdminAccess, weight: 2 },
    { arbitrary: spaceDeletedUnderAdminAccess, weight: 2 },
    { arbitrary: ownMembershipRemovedThenRefreshed, weight: 1 },
  );
}

/**
 * `cases`, one in ten with the program's own `deleteBeforeReplace` resource option on one
 * resource of the operation's program: `true`, which the member classes refuse while the program
 * runs (sdk/member-options.ts), so the preview and the up fail with that refusal and no API call;
 * `false`, the engine's create-first replacement; or the option the SDK class itself passes
 * (sdk-options.ts: none for either member class today). The starting program sets none: it must deploy.
 */
export function withDeleteBeforeReplaceOption(cases: fc.Arbitrary<MembersFixture>): fc.Arbitrary<MembersFixture> {
  const option = rarely(fc.record({ at: fc.nat(MAX_RESOURCES - 1), value: fc.constantFrom<"true" | "false" | "sdk">("true", "true", "false", "sdk") }), 10);
  return fc.tuple(cases, option).map(([f, drawn]) => {
    if (!drawn || f.next.length === 0) return f;
    const at = drawn.at % f.next.length;
    const next = f.next.map((r, i) => {
      if (i !== at) return r;
      const sdk: { deleteBeforeReplace?: boolean } = SDK_OPTIONS[r.type];
      const value = drawn.value === "sdk" ? sdk.deleteBeforeReplace : drawn.value === "true";
      return value === undefined ? r : { ...r, deleteBeforeReplace: value };
    });
    return { ...f, next };
  });
}
