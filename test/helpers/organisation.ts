/**
 * An emulator organisation that has used Chat for years: hundreds of spaces made by people and
 * Chat apps, with every kind of setting and member, seeded through the control surface
 * (emulator/control/seed.ts) so that no API call of the seeding is in the request log. Deterministic:
 * space `i` always gets the same settings, so tests can say what each one is.
 */
import type { EmulatorControl, MemberRole, ServiceAccountKey, SpaceSeed, UserFixture } from "../../emulator";
import { DEFAULT_SETTINGS } from "../../emulator";

/** The emulated people: the default ones, and `PEOPLE` more employees. */
const PEOPLE = 40;
export const EMPLOYEES: UserFixture[] = Array.from({ length: PEOPLE }, (_, i) => ({
  id: `1200000000000000${String(i).padStart(5, "0")}`,
  email: `person${i}@example.com`,
  admin: false,
}));
const EXTERNAL = DEFAULT_SETTINGS.users.find((u) => u.customer !== undefined)!;
const COLLIDING: Record<number, string> = { 7: "Ops!", 57: "Ops?", 107: "OPS" };
/** Names in other scripts: Pulumi names keep their letters (commands/import/names.ts). */
const NON_LATIN: Record<number, string> = { 13: "Инженеры", 17: "開発チーム" };
/** A space made before Chat (migrated): Google answers it with no createTime. */
const WITHOUT_CREATE_TIME = 12;
const ROLES: MemberRole[] = ["ROLE_MEMBER", "ROLE_MEMBER", "ROLE_ASSISTANT_MANAGER", "ROLE_MANAGER"];

/** What kind of space number `i` is: the mix an organisation has. */
export function kindOf(i: number): "space" | "groupChat" | "directMessage" | "importing" | "appSpace" {
  if (i % 23 === 5) return "importing";
  if (i % 19 === 3) return "directMessage";
  if (i % 11 === 4) return "groupChat";
  if (i % 9 === 2) return "appSpace";
  return "space";
}

/**
 * Whether the administrator (the caller of the tests' stacks) is a member of space `i`: an
 * organisation's administrator belongs to few of its spaces; here every 13th plain space was made
 * by an employee, and the administrator is not in it (admin access sees it, spaces.list does not).
 */
export function adminIsMember(i: number): boolean {
  return !(kindOf(i) === "space" && i % 13 === 6);
}

/** Space number `i`. `app`: the Chat app's service account, creator of app spaces and a member of some. */
export function spaceSeed(i: number, app: ServiceAccountKey, members = 4): SpaceSeed {
  const kind = kindOf(i);
  const person = (n: number) => `users/${EMPLOYEES[(i * 7 + n) % EMPLOYEES.length].email}`;
  const people = Array.from({ length: members }, (_, n) => ({ member: person(n), role: ROLES[(i + n) % ROLES.length] }));
  const day = (d: number) => new Date(Date.UTC(2018, 0, 1) + d * 86_400_000).toISOString();
  const lastActiveTime = i % 4 === 0 ? undefined : day(1500 + ((i * 37) % 800));
  if (kind === "directMessage") return { spaceType: "DIRECT_MESSAGE", lastActiveTime: day(2000), members: [{ member: person(0) }] };
  if (kind === "groupChat") {
    return {
      spaceType: "GROUP_CHAT",
      createTime: day(i),
      lastActiveTime: day(2100),
      spaceHistoryState: i % 2 ? "HISTORY_OFF" : "HISTORY_ON",
      members: people.map((p) => ({ member: p.member })),
    };
  }
  // Three names that slug alike ("ops"), to show how names stay unique.
  const displayName = COLLIDING[i] ?? NON_LATIN[i] ?? `Team ${i} ${["Platform", "Sales", "Fun event", "Ünïcode näme", "Design"][i % 5]}`;
  const externalUserAllowed = i % 6 === 1;
  return {
    displayName,
    description: i % 3 === 0 ? `What team ${i} does` : "",
    guidelines: i % 5 === 0 ? `Be kind (rule ${i})` : "",
    spaceHistoryState: i % 2 ? "HISTORY_OFF" : "HISTORY_ON",
    externalUserAllowed,
    createTime: i === WITHOUT_CREATE_TIME ? null : day(i),
    lastActiveTime,
    importMode: kind === "importing",
    ...(i % 3 === 1 ? { audience: "audiences/default" } : {}),
    ...(i % 5 === 2 ? { accessPermissions: { discover: ["audiences/default", "audiences/eng"], join: ["audiences/eng"] } } : {}),
    predefinedPermissionSettings: i % 7 === 3 ? "ANNOUNCEMENT_SPACE" : "COLLABORATION_SPACE",
    ...(i % 4 === 1 ? { permissionSettings: { manageApps: { managersAllowed: true, assistantManagersAllowed: false, membersAllowed: false } } } : {}),
    ...(kind === "appSpace" ? { creator: app.client_email } : !adminIsMember(i) ? { creator: person(members) } : {}),
    members: [
      ...people,
      // A person invited who has not joined yet, and one who left before the space's import completed.
      ...(i % 12 === 7 && kind === "space" ? [{ member: person(members + 1), state: "INVITED" as const }] : []),
      ...(i % 14 === 9 && kind === "space" ? [{ member: person(members + 2), state: "NOT_A_MEMBER" as const }] : []),
      ...(i % 8 === 0 ? [{ member: "groups/engineering" }] : []),
      ...(i % 10 === 0 && kind !== "appSpace" ? [{ member: app.client_email }] : []),
      ...(externalUserAllowed ? [{ member: `users/${EXTERNAL.email}` }] : []),
      // App spaces have no human creator: the administrator manages them (and lists them).
      ...(kind === "appSpace" ? [{ member: "users/admin@example.com", role: "ROLE_MANAGER" as MemberRole }] : []),
    ],
  };
}

/** Seeds `count` spaces (and the people they need); answers their names, space `i` at index `i`. */
export async function seedOrganisation(control: EmulatorControl, app: ServiceAccountKey, count: number, membersPerSpace = 4): Promise<string[]> {
  await control.setSettings({ users: [...DEFAULT_SETTINGS.users, ...EMPLOYEES] });
  const names: string[] = [];
  // In batches: one request of thousands of members would be a long single event-loop turn.
  for (let start = 0; start < count; start += 100) {
    const seeds = Array.from({ length: Math.min(100, count - start) }, (_, k) => spaceSeed(start + k, app, membersPerSpace));
    names.push(...(await control.seed(seeds)));
  }
  return names;
}
