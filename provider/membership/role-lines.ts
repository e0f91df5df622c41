/**
 * The preview log line of a ChatMembership's role change that only the up decides: its `space`
 * unknown at preview (another resource's output, such as a ChatSpace's `name` while that space
 * changes), the preview plans a replacement, and the up, the space the same, an update that gives
 * the member the declared role (diff.ts `sameSpaceRole`). A dynamic provider passes no detailed
 * diff to the engine, so the line is what the preview shows, and what the plan summary reads back
 * (commands/plan/summary.ts).
 */

/** The line: `ChatMembership <label>: ~ <member>: role <from> => <to> unless the space is another than <space> at up (known only then)`. */
export const sameSpaceRoleLine = (label: string, member: string, from: string, to: string, space: string): string =>
  `ChatMembership ${label}: ~ ${member}: role ${from} => ${to} unless the space is another than ${space} at up (known only then)`;

const SAME_SPACE_ROLE = /: ~ (\S+): role (\w+) => (\w+) unless the space is another than \S+ at up \(known only then\)$/;

/** A {@link sameSpaceRoleLine} read back: the member, and the role she has and would be given; undefined for any other line. */
export function parseSameSpaceRoleLine(line: string): { member: string; from: string; to: string } | undefined {
  const match = SAME_SPACE_ROLE.exec(line);
  return match ? { member: match[1], from: match[2], to: match[3] } : undefined;
}
