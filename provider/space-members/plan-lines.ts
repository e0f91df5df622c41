/**
 * The one home of a roster plan's preview log lines: written by the provider's diff
 * (diff.ts `describePlan`) and read back by the plan summary (commands/plan/roster.ts). Pulumi's
 * Node.js dynamic providers pass no detailed diff to the engine, so these lines are the only place
 * a preview says which members a roster update adds, changes and removes. Imports nothing of the
 * provider: the plan command loads it without @pulumi/pulumi.
 */
import { KNOWN_AT_UP } from "../members/known-at-up";

/** One line of a roster's plan, as the summary reads it back. */
export type RosterPlanLine =
  | { readonly kind: "add"; readonly member: string; readonly role?: string }
  | { readonly kind: "role"; readonly member: string; readonly from: string; readonly to: string }
  /** `caveat`: when the removal does not happen (`unless it is …`). */
  | { readonly kind: "remove"; readonly member: string; readonly role?: string; readonly caveat?: string }
  /** A member the plan keeps though the declaration would change or remove it (the calling user). */
  | { readonly kind: "keep"; readonly member: string };

const prefix = (label: string) => `ChatSpaceMembers ${label}: `;
const withRole = (member: string, role?: string) => `${member}${role ? ` (${role})` : ""}`;

/** The line of a declared entry (`members[index]`) to add. */
export const addedLine = (label: string, index: number, member: string, role?: string): string =>
  `${prefix(label)}+ members[${index}] ${withRole(member, role)}: added`;

/** The line of a declared entry whose member's role changes. */
export const roleLine = (label: string, index: number, member: string, from: string, to: string): string =>
  `${prefix(label)}~ members[${index}] ${member}: role ${from} => ${to}`;

/** Why a role is known only at up, as its line ends. */
const KNOWN_AT_UP_WHY = "an entry known only at up may declare it at another role";

/** The line of a member whose role an entry known only at up may change (a preview's entries unknown until apply). */
export const roleKnownAtUpLine = (label: string, member: string, role: string): string =>
  `${prefix(label)}~ ${member}: role ${role} => ${KNOWN_AT_UP}: ${KNOWN_AT_UP_WHY}`;

/** The line of a member not declared, to remove; `caveat` (`unless …`) says when it stays. */
export const removedLine = (label: string, member: string, role?: string, caveat?: string): string =>
  `${prefix(label)}- ${withRole(member, role)}: not declared, removed${caveat ? ` ${caveat}` : ""}`;

/** The line of a declared entry whose role is kept (the calling user), `why` saying so. */
export const keptRoleLine = (label: string, index: number, member: string, role: string, declared: string, why: string): string =>
  `${prefix(label)}= members[${index}] ${member}: role ${role} kept, not ${declared}: ${why}`;

/** The line of a member not declared but kept (the calling user), `why` saying so. */
export const keptLine = (label: string, member: string, why: string): string => `${prefix(label)}= ${member}: not declared, kept: ${why}`;

// Anchored at the end, not the start: the label is the resource's, any text. Members and roles hold no space.
const ADDED = /: \+ members\[\d+\] (\S+)(?: \((\w+)\))?: added$/;
const ROLE = /: ~ members\[\d+\] (\S+): role (\w+) => (\w+)$/;
const ROLE_KNOWN_AT_UP = new RegExp(`: ~ (\\S+): role (\\w+) => ${KNOWN_AT_UP}: ${KNOWN_AT_UP_WHY}$`);
const REMOVED = /: - (\S+)(?: \((\w+)\))?: not declared, removed(?: (unless .*))?$/;
const KEPT_ROLE = /: = members\[\d+\] (\S+): role \w+ kept, not \w+: .*$/;
const KEPT = /: = (\S+): not declared, kept: .*$/;

/** Reads one log line back; undefined: not a line of a roster's plan (any other log line of the resource). */
export function parsePlanLine(line: string): RosterPlanLine | undefined {
  let match: RegExpExecArray | null;
  if ((match = ADDED.exec(line))) return { kind: "add", member: match[1], ...(match[2] ? { role: match[2] } : {}) };
  if ((match = ROLE.exec(line))) return { kind: "role", member: match[1], from: match[2], to: match[3] };
  if ((match = ROLE_KNOWN_AT_UP.exec(line))) return { kind: "role", member: match[1], from: match[2], to: KNOWN_AT_UP };
  if ((match = REMOVED.exec(line)))
    return { kind: "remove", member: match[1], ...(match[2] ? { role: match[2] } : {}), ...(match[3] ? { caveat: match[3] } : {}) };
  if ((match = KEPT_ROLE.exec(line) ?? KEPT.exec(line))) return { kind: "keep", member: match[1] };
  return undefined;
}
