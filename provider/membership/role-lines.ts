/**
 * The one home of a ChatMembership's preview log lines about its role: written by the provider's
 * diff and update, and read back by the plan summary (commands/plan/summary.ts). A dynamic provider
 * passes no detailed diff to the engine, so these lines are where a preview says which role an up
 * gives the member, from the role she has as last read: a refresh may have found it changed in
 * Chat, where the declaration alone (the state's inputs) would not tell. Imports nothing of the
 * provider: the plan command loads it without @pulumi/pulumi.
 */
import { ANOTHER_AT_UP, anotherAtUp, KNOWN_AT_UP, type SameAtUp, sameAtUpOf } from "../members/known-at-up";

/**
 * The line of the role an update gives the member:
 * `ChatMembership <label>: ~ <member>: role <from> => <to>`; `to` undefined, `role` unknown at
 * preview: `=> known only at up`. `sameAtUp`: the state's space and member, where the
 * declaration's are unknown at preview (and its import-mode times); the preview plans a
 * replacement, and the up, each the same, this update: the line ends `unless the space is another
 * than spaces/… at up (known only then)` (or the member, or a time, each joined by `or`).
 */
export const roleLine = (label: string, member: string, from: string, to: string | undefined, sameAtUp?: SameAtUp): string =>
  `ChatMembership ${label}: ~ ${member}: role ${from} => ${to ?? KNOWN_AT_UP}${sameAtUp ? ` unless ${anotherAtUp(sameAtUp)}` : ""}`;

/** The line of a declared role the member is not given, `why` saying so (a roster's `= members[i]` line, for one member). */
export const keptRoleLine = (label: string, member: string, role: string, declared: string, why: string): string =>
  `ChatMembership ${label}: = ${member}: role ${role} kept, not ${declared}: ${why}`;

// The label is the resource's, any text: the line's fixed words after it decide. Members and roles hold no space.
const KEPT = /^ChatMembership .*: = (\S+): role (\w+) kept, not (\w+): /;

/** A {@link keptRoleLine} read back: the member, the role she keeps, and the declared one she is not given. */
export function parseKeptRoleLine(line: string): { member: string; role: string; declared: string } | undefined {
  const match = KEPT.exec(line);
  return match ? { member: match[1], role: match[2], declared: match[3] } : undefined;
}

// Anchored at the end, not the start: the label is the resource's, any text. Members and roles hold no space.
const ROLE = new RegExp(`^ChatMembership .*: ~ (\\S+): role (\\w+) => (\\w+|${KNOWN_AT_UP})(?: unless ${ANOTHER_AT_UP})?$`);

/** A {@link roleLine} read back: the member, the role she has and is given (undefined: known only at up), and the condition it holds on. */
export function parseRoleLine(line: string): { member: string; from: string; to?: string; sameAtUp?: SameAtUp } | undefined {
  const match = ROLE.exec(line);
  if (!match) return undefined;
  return { member: match[1], from: match[2], ...(match[3] === KNOWN_AT_UP ? {} : { to: match[3] }), ...(match[4] ? { sameAtUp: sameAtUpOf(match[4]) } : {}) };
}
