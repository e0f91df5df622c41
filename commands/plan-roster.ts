/**
 * What a ChatSpaceMembers (a space's whole roster) step does, member by member. Pulumi passes a
 * dynamic provider's detailed diff nowhere, so the roster's provider writes its plan to the
 * preview's log, one line per member (provider/space-members/diff.ts `describePlan`), and the
 * digest keeps those lines as the resource's `info` diagnostics: they are read here. A create,
 * a deletion and a replacement have no such lines (the provider's diff runs for updates only);
 * their members are the declared ones, as the SDK documents (sdk/chat-space-members.ts: deleting
 * the roster removes the members it declared, except the calling user and the last owner).
 */
import type { Action } from "./plan-summary";
import type { ResourceState } from "./preview-json";

/** The lines of describePlan: `+ members[i] MEMBER (ROLE): added`, `~ members[i] MEMBER: role A => B`, `- MEMBER (ROLE): not declared, removed[ unless …]`. */
const ADDED = /: \+ members\[\d+\] (\S+)(?: \((\w+)\))?: added$/;
const ROLE = /: ~ members\[\d+\] (\S+): role (\w+) => (\w+)$/;
const REMOVED = /: - (\S+)(?: \((\w+)\))?: not declared, removed(?: (unless .*))?$/;

/** A roster change in words: what it adds and changes (`notes`), what it removes, and the provider's caveats about removals. */
export interface RosterChange {
  readonly notes: string[];
  readonly removals: string[];
  /** `unless it is users/dan@example.com, declared but not matched to an id yet: then it stays`. */
  readonly caveats: string[];
}

/**
 * The roster's members as the summary names them: a person's email where a membership of the
 * preview shows which `users/{id}` it is, `users/alice@example.com` as `alice@example.com`.
 */
export function personName(member: string, emails: ReadonlyMap<string, string>): string {
  const email = emails.get(member);
  if (email) return `${email} (${member})`;
  return member.startsWith("users/") && member.includes("@") ? member.slice("users/".length) : member;
}

/** The declared members of a roster's inputs: `alice@example.com (ROLE_MANAGER)`, `groups/x`, `the Chat app`. */
export function declaredMembers(state: ResourceState | undefined): string[] {
  const members = state?.inputs?.members;
  if (!Array.isArray(members)) return [];
  return members.map((entry: { user?: string; group?: string; chatApp?: boolean; role?: string }) => {
    const who = entry.user ?? entry.group ?? (entry.chatApp ? "the Chat app" : "a member");
    return entry.role ? `${who} (${entry.role})` : who;
  });
}

/** An update's per-member plan, from the provider's log lines for the resource. */
export function rosterUpdate(lines: readonly string[], emails: ReadonlyMap<string, string>): RosterChange {
  const notes: string[] = [];
  const removals: string[] = [];
  const caveats: string[] = [];
  for (const line of lines) {
    const added = ADDED.exec(line);
    const role = ROLE.exec(line);
    const removed = REMOVED.exec(line);
    if (added) notes.push(`adds ${personName(added[1], emails)}${added[2] ? ` (${added[2]})` : ""}`);
    else if (role) notes.push(`${personName(role[1], emails)}: ${role[2]} → ${role[3]}`);
    else if (removed) {
      removals.push(personName(removed[1], emails));
      if (removed[3] && !caveats.includes(removed[3])) caveats.push(removed[3]);
    }
  }
  return { notes, removals, caveats };
}

/** What a roster's deletion or replacement loses, or an update's removals; undefined: nothing. */
export function rosterLoss(action: Action, space: string, old: ResourceState | undefined, change: RosterChange, newSpace: string): string | undefined {
  const declared = declaredMembers(old).join(", ");
  const kept = "except the calling user and the space's last owner";
  if (action === "delete") return `removes the members it declared (${declared}) from ${space}, ${kept}`;
  if (action === "replace") return `removes the members it declared (${declared}) from ${space}, ${kept}, then adds the declared members to ${newSpace}`;
  if (change.removals.length) return [`removes ${change.removals.join(", ")} from ${space}`, ...change.caveats].join("; ");
  return undefined;
}
