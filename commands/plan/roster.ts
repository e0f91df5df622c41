/**
 * What a ChatSpaceMembers (a space's whole roster) step does, member by member. Pulumi passes a
 * dynamic provider's detailed diff nowhere, so the roster's provider writes its plan to the
 * preview's log, one line per member (provider/space-members/plan-lines.ts, written by diff.ts `describePlan`), and the
 * digest keeps those lines as the resource's `info` diagnostics: they are read here. A create,
 * a deletion and a replacement have no such lines (the provider's diff runs for updates only);
 * their members are the declared ones, as the SDK documents (sdk/chat-space-members.ts: deleting
 * the roster removes the members it declared, except the calling user and the last owner).
 */
import { canonicalOf, isAppKey, isEmailKey, memberKeyOf } from "../../provider/members/member-ref";
import { parsePlanLine, type RosterPlanLine } from "../../provider/space-members/plan-lines";
import type { RosterMemberArgs } from "../../provider/space-members/types";
import type { ResourceState } from "./preview-json";
import type { Action } from "./summary";

/** A roster change in words: what it adds and changes (`notes`), what it removes, and the provider's caveats about removals. */
export interface RosterChange {
  readonly notes: string[];
  readonly removals: string[];
  /** `unless it is users/dan@example.com, declared but not matched to an id yet: then it stays`. */
  readonly caveats: string[];
  /** An update without the provider's plan: the members it may remove (not declared any more), which the preview log alone can confirm. */
  readonly unexplained?: string[];
}

/**
 * The members of a roster's old state (`outputs.members[].member`, `users/{id}`) that the new
 * declaration does not account for: not declared (by id, by email through `__declared`, the
 * provider's email → id map), not the calling user (`__caller`, never removed), and not a Chat app
 * when one is declared. An `addOnly` roster removes no one; a declaration not known yet names no one.
 */
function undeclaredMembers(old: ResourceState | undefined, next: ResourceState | undefined): string[] {
  const inputs = next?.inputs ?? {};
  if (inputs.mode === "addOnly") return [];
  const live = old?.outputs?.members;
  if (!Array.isArray(live)) return [];
  const resolved = (old?.outputs?.__declared ?? {}) as Record<string, string>;
  const declared = Array.isArray(inputs.members) ? (inputs.members as RosterMemberArgs[]) : [];
  const covered = new Set<string>();
  // The provider's own rule for what a declared entry stands for (its key, lower-cased, then the member it resolved to).
  for (const key of declared.map(memberKeyOf)) if (key !== undefined) covered.add((canonicalOf(key, resolved) ?? key).toLowerCase());
  const caller = (old?.outputs?.__caller as { member?: string } | undefined)?.member;
  const appDeclared = declared.some((entry) => entry.chatApp === true);
  return live
    .filter((m: { member?: string; memberType?: string }) => typeof m?.member === "string")
    .filter(
      (m: { member: string; memberType?: string }) => m.member !== caller && !covered.has(m.member.toLowerCase()) && !(appDeclared && m.memberType === "BOT"),
    )
    .map((m: { member: string }) => m.member);
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

/**
 * The members a roster's state still records as declared though its inputs no longer declare them:
 * an update that dropped them failed before removing them (space-members/provider.ts
 * `declareAsApplied` keeps them for the next apply), so the roster's delete removes them too.
 * Named by their declared key ({@link keyName}).
 */
export function pendingRemovals(state: ResourceState): string[] {
  const members = state.inputs?.members;
  if (!Array.isArray(members)) return [];
  const declaredNow = new Set(members.map((entry: RosterMemberArgs) => memberKeyOf(entry)));
  const recorded = (state.outputs?.__declared ?? {}) as Record<string, string>;
  return Object.keys(recorded)
    .filter((key) => recorded[key] && !declaredNow.has(key))
    .map(keyName);
}

/** A declared key as the summary names its member: `bob@example.com`, `the Chat app`, or `users/{id}` and `groups/{id}` as they are. */
const keyName = (key: string): string => (isAppKey(key) ? "the Chat app" : isEmailKey(key) ? key.slice("users/".length) : key);

/**
 * An update's per-member plan, from the provider's log lines for the resource (plan-lines.ts).
 * Without any (a digest whose diagnostics were cut, a provider that logged nothing, a resource
 * whose only lines are the program's own `pulumi.log` messages), the removals cannot be read: the
 * members of the old state that the new declaration does not name are `unexplained`, and the
 * summary counts the update as destructive rather than read it as removing no one.
 */
export function rosterUpdate(lines: readonly string[], emails: ReadonlyMap<string, string>, old?: ResourceState, next?: ResourceState): RosterChange {
  const plan = lines.map(parsePlanLine).filter((line): line is RosterPlanLine => line !== undefined);
  if (!plan.length) {
    const unexplained = undeclaredMembers(old, next).map((member) => personName(member, emails));
    return { notes: [], removals: [], caveats: [], ...(unexplained.length ? { unexplained } : {}) };
  }
  const notes: string[] = [];
  const removals: string[] = [];
  /** The removals by caveat ("": none), in the order the plan first gives each. */
  const byCaveat = new Map<string, string[]>();
  for (const line of plan) {
    if (line.kind === "add") notes.push(`adds ${personName(line.member, emails)}${line.role ? ` (${line.role})` : ""}`);
    else if (line.kind === "role") notes.push(`${personName(line.member, emails)}: ${line.from} → ${line.to}`);
    else if (line.kind === "remove") {
      const who = personName(line.member, emails);
      removals.push(who);
      byCaveat.set(line.caveat ?? "", [...(byCaveat.get(line.caveat ?? "") ?? []), who]);
    }
  }
  // A caveat every removal shares is said once; otherwise each says whose removals it is of.
  const shared = byCaveat.size === 1;
  const caveats = [...byCaveat].filter(([caveat]) => caveat !== "").map(([caveat, whose]) => (shared ? caveat : `${whose.join(", ")}: ${caveat}`));
  return { notes, removals, caveats };
}

/** What a roster's deletion or replacement loses, or an update's removals; undefined: nothing. */
export function rosterLoss(
  action: Action,
  space: string,
  old: ResourceState | undefined,
  change: RosterChange,
  newSpace: string,
  pending: readonly string[] = [],
): string | undefined {
  const declared = [declaredMembers(old).join(", "), ...(pending.length ? [`${pending.join(", ")}, whose removal an earlier update left pending`] : [])]
    .filter(Boolean)
    .join("; and ");
  const kept = "except the calling user and the space's last owner";
  if (action === "delete") return `removes the members it declared (${declared}) from ${space}, ${kept}`;
  if (action === "replace") return `removes the members it declared (${declared}) from ${space}, ${kept}, then adds the declared members to ${newSpace}`;
  if (change.unexplained) {
    return (
      "can't tell what it removes: read the preview log (the provider's plan for it is missing; not declared any more: " +
      `${change.unexplained.join(", ")} in ${space})`
    );
  }
  if (change.removals.length) return [`removes ${change.removals.join(", ")} from ${space}`, ...change.caveats].join("; ");
  return undefined;
}
