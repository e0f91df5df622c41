/**
 * fast-check arbitraries for fuzz cases. Generators are grouped in areas: `core` is every
 * path expected to hold; each other area opens the paths of one rule ChatSpace must keep, so the
 * fuzzer can run green while a counterexample of it is open and be pointed at it (FUZZ_AREAS=all).
 */
import fc from "fast-check";
import { DEFAULT_SETTINGS } from "../../emulator/model";
import { ADOPT, type Declaration, type Divergence, type FaultCase, type Fixture, type OperationKind, type ResourceCase } from "./fixture";

export const AREAS = {
  core: "in-place changes, replace-only changes (a customer moved to a second organisation and back), removals, edits in Chat, 429/503, lost answers, crashes, every operation",
  adoption: "adoptSpace, then a replacement",
  undeclare: "a replace-only field taken out of the declaration",
  import: "import mode, completing it (in Pulumi, in Chat, with lost answers), entering it (a replacement)",
  appAudience: "a private space declared (accessSettings: {}) where the audience can't be read",
  visibility: "the app removed from its space, or credentials that lost access",
  requestId: "a program-set requestId shared by two resources",
  halfDetails: "half of spaceDetails declared (and changed), the other half edited in Chat",
  dbrFalse: "deleteBeforeReplace: false (a replacement creates before it deletes)",
  checkEdges: "GROUP_CHAT without import mode, customer with user auth (refused at check when creating)",
  staleDelete: "an up that changes a space deleted in Chat since the last refresh",
  adminAccess: "user auth with googlechat:useAdminAccess (the PATCH masks Google refuses under admin access)",
  lostDelete: "a crash or a lost answer right after a DELETE",
  partialAnswers: "a GET or PATCH answered with the space's name alone",
  fastReplace: "an operation within a second of the create (no time passes between them)",
  groupToSpace: "a migrated GROUP_CHAT made a SPACE (a PATCH of space_type that can't be repeated)",
  appSwitch: "a stack deployed with user credentials, the Chat app added to its spaces, then run as the app (permission settings it can't read)",
  partnerAdmin:
    "a stack the Chat app deployed in a second organisation, then run by a member of its spaces with admin access (which reaches only its own organisation)",
} as const;
export type Area = keyof typeof AREAS;

/** `FUZZ_AREAS=all`, or a comma-separated list; `core` is always on. */
export function areasFrom(spec: string | undefined, defaults: Area[]): Set<Area> {
  if (!spec) return new Set<Area>(["core", ...defaults]);
  if (spec === "all") return new Set(Object.keys(AREAS) as Area[]);
  const names = spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) if (!(n in AREAS)) throw new Error(`Unknown fuzz area "${n}": use ${Object.keys(AREAS).join(", ")} or all.`);
  return new Set<Area>(["core", ...(names as Area[])]);
}

const IMPORT_TIME = "2021-03-04T05:06:07Z";
const OTHER_TIME = "2020-01-02T03:04:05Z";

/** The emulated organisation's own customer id, and its alias (v1.d.ts Schema$Space.customer). */
const OWN_ORG = DEFAULT_SETTINGS.customer;
const OWN_ALIAS = "customers/my_customer";
/**
 * A second organisation: the one the emulator's external user belongs to, which the app is
 * installed in too (run-case.ts lets app auth create spaces there: emulator `appCustomers`).
 */
export const OTHER_ORG = DEFAULT_SETTINGS.users.find((u) => u.customer !== undefined)!.customer!;

type Kind = "space" | "importSpace" | "importGroup";

interface StartSpec {
  kind: Kind;
  details: "none" | "both" | "description" | "guidelines";
  history?: "HISTORY_ON" | "HISTORY_OFF";
  access?: "private" | "default";
  perms?: "managers" | "everyone";
  external?: boolean;
  customer?: string;
  /** `importMode: false` declared on a space that is not in import mode. */
  noImport: boolean;
  requestId?: string;
  adopt: boolean;
}

const pick = <T>(core: T[], extra: T[], on: boolean) => fc.constantFrom(...(on ? [...core, ...extra] : core));

/**
 * Who deployed a stack whose later steps run with other credentials: a user, for a stack then run
 * as the app (Fixture.deployedByUser); or the app, in the second organisation, for a stack then
 * run by a user with admin access (Fixture.deployedByPartnerApp).
 */
type Deployer = "user" | "partnerApp";

/**
 * The starting declaration of a space made by `auth`. `deployer`, for a stack that switches
 * credentials after it: a user's space is a plain SPACE of the user's own organisation (no
 * import mode, no audience, which only user authentication changes, nothing adopted); the app's
 * is a plain SPACE of the second organisation.
 */
function startSpec(auth: Fixture["auth"], a: Set<Area>, deployer?: Deployer): fc.Arbitrary<StartSpec> {
  const user = auth === "user";
  return fc
    .record({
      kind: pick<Kind>(["space"], ["importSpace", "importGroup"], user && a.has("import")),
      details: pick<StartSpec["details"]>(["none", "both"], ["description", "guidelines"], a.has("halfDetails")),
      history: fc.constantFrom(undefined, "HISTORY_ON" as const, "HISTORY_OFF" as const),
      access: pick<StartSpec["access"]>(user ? [undefined, "private", "default"] : [undefined], ["private"], a.has("appAudience")),
      perms: fc.constantFrom(undefined, "managers" as const, "everyone" as const),
      external: fc.constantFrom(undefined, false, true),
      customer: user ? fc.constant(undefined) : fc.constantFrom(OWN_ALIAS, OWN_ORG, OTHER_ORG),
      noImport: fc.boolean(),
      requestId: pick<string | undefined>([undefined], ["team-override"], a.has("requestId")),
      adopt: pick([false], [true], user && a.has("adoption")),
    })
    .map((s) => {
      if (deployer === "user") return { ...s, kind: "space" as const, access: undefined, adopt: false };
      if (deployer === "partnerApp") return { ...s, kind: "space" as const, access: undefined, adopt: false, customer: OTHER_ORG };
      // Import mode: no audience (Google refuses it), no permission settings, nothing adopted.
      if (s.kind !== "space") return { ...s, access: a.has("appAudience") && s.access === "private" ? s.access : undefined, perms: undefined, adopt: false };
      // A space is adopted as it is: its replace-only fields are the ones a person's space has.
      if (s.adopt && s.external) return { ...s, external: undefined };
      return s;
    });
}

const PERMS = {
  managers: { manageApps: { managersAllowed: true }, useAtMentionAll: { managersAllowed: true } },
  everyone: { manageApps: { managersAllowed: true, membersAllowed: true }, useAtMentionAll: { managersAllowed: true, membersAllowed: true } },
};

export function buildDeclaration(index: number, s: StartSpec): Declaration {
  const d: Record<string, unknown> = {};
  if (s.adopt) d.adoptSpace = ADOPT;
  if (s.kind === "importGroup") d.spaceType = "GROUP_CHAT";
  else d.displayName = `Space ${index} A`;
  if (s.kind !== "space") Object.assign(d, { importMode: true, createTime: IMPORT_TIME });
  if (s.details === "both") d.spaceDetails = { description: "About", guidelines: "Rules" };
  if (s.details === "description") d.spaceDetails = { description: "About" };
  if (s.details === "guidelines") d.spaceDetails = { guidelines: "Rules" };
  if (s.history) d.spaceHistoryState = s.history;
  if (s.access) d.accessSettings = s.access === "default" ? { audience: "audiences/default" } : {};
  if (s.perms && s.kind === "space") d.permissionSettings = PERMS[s.perms];
  if (s.external !== undefined) d.externalUserAllowed = s.external;
  if (s.customer) d.customer = s.customer;
  if (s.noImport && s.kind === "space") d.importMode = false;
  if (s.requestId) d.requestId = s.requestId;
  return d as Declaration;
}

/** One edit of the program between the last deployment and this operation. */
type Mutation =
  | "rename"
  | "describe"
  | "history"
  | "perms"
  | "access"
  | "flipExternal"
  | "dropExternal"
  | "dropCustomer"
  | "dropCreateTime"
  | "changeCreateTime"
  | "leaveImport"
  | "enterImport"
  | "changeCustomer"
  | "rehalf"
  | "groupToSpace"
  | "invalidName"
  | "invalidHistory"
  | "invalidGroupChat"
  | "userCustomer";

function mutations(a: Set<Area>): Mutation[] {
  return [
    "rename",
    "describe",
    "history",
    "perms",
    "access",
    "flipExternal",
    "changeCustomer",
    "invalidName",
    "invalidHistory",
    ...(a.has("undeclare") ? (["dropExternal", "dropCustomer", "dropCreateTime"] as const) : []),
    ...(a.has("halfDetails") ? (["rehalf"] as const) : []),
    // Entering import mode weighs more: it changes only the spaces of user auth that are not in it.
    ...(a.has("import") ? (["leaveImport", "changeCreateTime", "enterImport", "enterImport", "enterImport"] as const) : []),
    ...(a.has("import") && a.has("groupToSpace") ? (["groupToSpace"] as const) : []),
    ...(a.has("checkEdges") ? (["invalidGroupChat", "userCustomer"] as const) : []),
  ];
}

/** Applies one mutation; returns the new declaration and, for an invalid one, why check must refuse it. */
export function mutate(index: number, d: Declaration, m: Mutation, auth: Fixture["auth"]): { decl: Declaration; invalid?: string } {
  const x: Record<string, any> = structuredClone(d);
  const group = x.spaceType === "GROUP_CHAT";
  switch (m) {
    case "rename":
      if (!group) x.displayName = x.displayName === `Space ${index} B` ? `Space ${index} A` : `Space ${index} B`;
      break;
    case "describe": {
      const details = x.spaceDetails ?? {};
      // Core keeps spaceDetails whole: both parts declared (a half is the halfDetails area's).
      x.spaceDetails = { ...details, description: details.description === "Changed" ? "About" : "Changed" };
      if (!d.spaceDetails) x.spaceDetails.guidelines = "Rules";
      break;
    }
    case "history":
      x.spaceHistoryState = x.spaceHistoryState === "HISTORY_OFF" ? "HISTORY_ON" : "HISTORY_OFF";
      break;
    case "perms":
      if (!group && !x.importMode) x.permissionSettings = x.permissionSettings?.manageApps?.membersAllowed ? PERMS.managers : PERMS.everyone;
      break;
    case "access":
      if (auth === "user" && !x.importMode && !group) x.accessSettings = x.accessSettings?.audience ? {} : { audience: "audiences/default" };
      break;
    case "flipExternal":
      x.externalUserAllowed = !(x.externalUserAllowed ?? false);
      break;
    case "dropExternal":
      delete x.externalUserAllowed;
      break;
    case "dropCustomer":
      delete x.customer;
      break;
    case "dropCreateTime":
      delete x.createTime;
      break;
    case "changeCreateTime":
      if (!x.importMode) break;
      x.createTime = OTHER_TIME;
      break;
    case "leaveImport":
      if (x.importMode) x.importMode = false;
      break;
    case "enterImport":
      // A space not in import mode declared in it (importMode undeclared or false before): a
      // replacement, created in import mode (user auth only), without what import mode refuses.
      // No createTime: a new one would force the replacement by itself.
      if (auth !== "user" || x.importMode || group) break;
      x.importMode = true;
      delete x.accessSettings;
      delete x.permissionSettings;
      break;
    case "rehalf": {
      // Half of spaceDetails declared: that half changes, and the PATCH carries the other half,
      // maybe edited in Chat (halfDetails' divergence), which must stay as it is.
      const details = x.spaceDetails;
      if (!details || (details.description === undefined) === (details.guidelines === undefined)) break;
      if (details.description !== undefined) x.spaceDetails = { description: details.description === "Changed" ? "About" : "Changed" };
      else x.spaceDetails = { guidelines: details.guidelines === "Changed rules" ? "Rules" : "Changed rules" };
      break;
    }
    case "changeCustomer":
      // App auth: the space moves to the second organisation, or back to its own by id (the
      // alias is the app's own organisation, which a space of another one is never declared with).
      if (auth === "app") x.customer = x.customer === OTHER_ORG ? OWN_ORG : OTHER_ORG;
      break;
    case "groupToSpace":
      if (group) Object.assign(x, { spaceType: "SPACE", displayName: `Space ${index} B`, importMode: false });
      break;
    case "invalidName":
      return { decl: { ...x, spaceType: undefined, displayName: "x".repeat(129) } as Declaration, invalid: "displayName is 129 characters long" };
    case "invalidHistory":
      return { decl: { ...x, spaceHistoryState: "HISTORY_MAYBE" } as unknown as Declaration, invalid: "spaceHistoryState is not HISTORY_ON or HISTORY_OFF" };
    case "invalidGroupChat": {
      // A SPACE declared a GROUP_CHAT outside import mode: a replacement Google would refuse.
      if (x.importMode !== undefined || group) break;
      const { displayName: _n, permissionSettings: _p, accessSettings: _a, ...rest } = x;
      return { decl: { ...rest, spaceType: "GROUP_CHAT" } as Declaration, invalid: "GROUP_CHAT needs import mode" };
    }
    case "userCustomer":
      // v1.d.ts Schema$Space.customer: "For user authentication, this field should not be set" when
      // creating; on an existing space it is compared, not refused (docs/reference/space.md, "What a change does"),
      // and the organisation's own is no change. A replacement is a creation: its check refuses it.
      if (auth === "user") x.customer = "customers/my_customer";
      break;
  }
  return { decl: x as Declaration };
}

/**
 * The edits an app can make to a space a user created, which it can't delete (so nothing that
 * replaces it) and whose permission settings it can neither read nor change (v1.d.ts
 * `Schema$Space.permissionSettings`: "Only populated and settable when the Chat app created the
 * space"); the audience is user authentication's alone.
 */
const SWITCHED_MUTATIONS: Mutation[] = ["rename", "describe", "history", "invalidName", "invalidHistory"];

/**
 * The edits of a stack the app deployed in the second organisation, once run by a user with admin
 * access: in place only (a replacement deletes first, which admin access can't do there), and
 * `customer` always taken out ({@link resourceCase}).
 */
const PARTNER_MUTATIONS: Mutation[] = ["rename", "describe", "history", "perms", "invalidName", "invalidHistory"];

function divergences(a: Set<Area>, auth: Fixture["auth"], adminAccess: boolean, start: Declaration, op: OperationKind): Divergence[] {
  const half = start.spaceDetails && (start.spaceDetails.description === undefined) !== (start.spaceDetails.guidelines === undefined);
  const out: Divergence[] = ["rename", "toggleHistory"];
  // Editing the undeclared half of spaceDetails is the halfDetails area's; both halves declared is drift.
  if (!half || a.has("halfDetails")) out.push("editDescription", "editGuidelines");
  // Only admin access tells a deleted space from one these credentials can't see: both may answer 404 (docs/google-chat-api.md, Spaces).
  const told = adminAccess || a.has("visibility");
  if (told && (a.has("staleDelete") || ["preview", "refresh", "destroy"].includes(op))) out.push("delete");
  if (a.has("import") && start.importMode) out.push("completeImport");
  if (a.has("visibility") && auth === "app") out.push("removeApp");
  return out;
}

/**
 * One resource's case. `deployer`: who deployed it, when the stack switched credentials since.
 * Deployed by a user, run as the app (Fixture.deployedByUser), which can only keep and change it
 * in place. Deployed by the app in the second organisation, run by a user with admin access
 * (Fixture.deployedByPartnerApp), kept, changed in place or taken out of the program, with its
 * `customer` taken out: user authentication can't declare it for a new space (v1.d.ts
 * `Schema$Space.customer`), and the space may have to be made again.
 */
function resourceCase(index: number, auth: Fixture["auth"], adminAccess: boolean, a: Set<Area>, op: OperationKind, deployer?: Deployer) {
  const switched = deployer === "user";
  const partner = deployer === "partnerApp";
  const presences = switched ? ["both"] : partner ? ["both", "both", "both", "removed"] : ["both", "both", "both", "both", "new", "removed"];
  return fc
    .record({
      presence: fc.constantFrom(...presences),
      spec: startSpec(switched ? "user" : partner ? "app" : auth, a, deployer),
      edits: fc.array(fc.constantFrom(...(switched ? SWITCHED_MUTATIONS : partner ? PARTNER_MUTATIONS : mutations(a))), { maxLength: 2 }),
      divergencePicks: fc.array(fc.nat(), { maxLength: 2 }),
      dbrFalse: pick([false], [true], a.has("dbrFalse")),
      retainOnDelete: fc.boolean(),
    })
    .map(({ presence, spec, edits, divergencePicks, dbrFalse, retainOnDelete }): ResourceCase => {
      const name = `r${index}`;
      const start = buildDeclaration(index, spec);
      // A new resource starts from its declaration: adopting is the only way to meet an existing space.
      if (presence === "new") return { name, next: start, divergence: [], retainOnDelete: false };
      let next: Declaration | undefined = partner ? mutate(index, start, "dropCustomer", auth).decl : start;
      let invalid: string | undefined;
      for (const m of edits) {
        if (invalid) break;
        const edit = mutate(index, next, m, auth);
        [next, invalid] = [edit.decl, edit.invalid];
      }
      if (presence === "removed") [next, invalid] = [undefined, undefined];
      // The adopted space's id stays in the declaration: Pulumi programs keep adoptSpace after the first up.
      // A space the app did not create is kept as it is: not deleted, and the app not removed.
      const options = divergences(a, auth, adminAccess, start, op).filter((d) => !switched || !["delete", "removeApp"].includes(d));
      const divergence = [...new Set(divergencePicks.map((p) => options[p % options.length]))];
      // retainOnDelete is exercised where the engine would delete: a removal or a destroy.
      const retain = retainOnDelete && (next === undefined || op === "destroy");
      return { name, start, next, invalid, divergence, ...(dbrFalse ? { deleteBeforeReplace: false } : {}), retainOnDelete: retain };
    });
}

function fault(a: Set<Area>): fc.Arbitrary<FaultCase> {
  const methods: FaultCase["method"][] = ["spaces.create", "spaces.get", "spaces.patch", "spaces.delete"];
  if (a.has("import")) methods.push("spaces.completeImport");
  const allowed = (f: FaultCase) =>
    (f.action !== "nameOnly" || f.method === "spaces.create" || a.has("partialAnswers")) &&
    (f.action !== "drop" || f.method !== "spaces.delete" || a.has("lostDelete"));
  return fc
    .record({
      method: fc.constantFrom(...methods),
      action: fc.constantFrom("429" as const, "503" as const, "drop" as const, "nameOnly" as const),
      count: fc.integer({ min: 1, max: 2 }),
    })
    .map((f) => (allowed(f) ? f : { ...f, action: "503" as const }));
}

export function fixtureArbitrary(a: Set<Area>): fc.Arbitrary<Fixture> {
  return fc
    .record({
      auth: fc.constantFrom("user" as const, "app" as const),
      adminAccess: pick([false], [true], a.has("adminAccess")),
      operation: fc.constantFrom<OperationKind>("preview", "up", "up", "up", "replace", "replace", "refresh", "destroy"),
      count: fc.integer({ min: 1, max: 2 }),
      // Drawn only with the area on, so that the cases of the other areas stay as they were.
      ...(a.has("appSwitch") ? { switched: fc.constantFrom(false, false, false, true) } : {}),
      ...(a.has("partnerAdmin") ? { partner: fc.oneof({ weight: 11, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }) } : {}),
    })
    .chain(({ auth: drawn, adminAccess: admin, operation: picked, count, switched: switchedPick = false, partner = false }) => {
      // Deployed by the app in the second organisation, then run by admin@example.com, a member of its spaces, with admin access.
      const auth = partner ? "user" : drawn;
      const adminAccess = partner || (auth === "user" && admin);
      // Deployed by a user, then run as the app: which can't delete the user's space, so no replacement and no destroy.
      const switched = auth === "app" && switchedPick;
      const deployer: Deployer | undefined = switched ? "user" : partner ? "partnerApp" : undefined;
      // Admin access can't delete the second organisation's spaces either: a replacement is one more failing delete.
      const operation = (switched && ["replace", "destroy"].includes(picked)) || (partner && picked === "replace") ? "up" : picked;
      return fc.record({
        auth: fc.constant(auth),
        adminAccess: fc.constant(adminAccess),
        ...(switched ? { deployedByUser: fc.constant(true), refreshFirst: fc.boolean() } : {}),
        ...(partner ? { deployedByPartnerApp: fc.constant(true), refreshFirst: fc.boolean() } : {}),
        afterDelete: fc.constantFrom("new" as const, "stale" as const, "notFound" as const),
        resources: fc.tuple(...Array.from({ length: count }, (_, i) => resourceCase(i, auth, adminAccess, a, operation, deployer))),
        operation: fc.constant(operation),
        replacePick: fc.nat(),
        accessLost: pick([false], [true], a.has("visibility") && auth === "user" && !partner),
        faults: fc.array(fault(a), { maxLength: 2 }),
        crash: fc.option(fc.record({ after: fc.integer({ min: 1, max: 3 }), countDeletes: pick([false], [true], a.has("lostDelete")) }), {
          nil: undefined,
          freq: 4,
        }),
        clockAheadMs: pick([3_600_000], [0], a.has("fastReplace")),
      });
    })
    .map(({ replacePick, resources, ...f }): Fixture => {
      const rs = resources as ResourceCase[];
      const candidates = rs.filter((r) => r.start && r.next);
      let operation = f.operation;
      let replaceTarget: string | undefined;
      if (operation === "replace") {
        if (candidates.length === 0) operation = "up";
        else replaceTarget = candidates[replacePick % candidates.length].name;
      }
      // Lost access is about spaces that exist: an operation that creates would make spaces as the outsider.
      const accessLost = f.accessLost && ["preview", "refresh", "destroy"].includes(operation);
      // A refresh that dies after reading a space deleted in Chat leaves the next up to change a deleted space: staleDelete's.
      const staleAfterCrash = operation === "refresh" && rs.some((r) => r.divergence.includes("delete")) && !a.has("staleDelete");
      const crash = operation === "preview" || staleAfterCrash ? undefined : f.crash;
      return { ...f, resources: rs, operation, replaceTarget, accessLost, crash };
    });
}
