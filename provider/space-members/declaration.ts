/**
 * A space's roster as Google lists it, turned into the `ChatSpaceMembers` declaration that adopts
 * it as it is. Used by the `import` command (the program it writes) and by the provider plugin's
 * import (`pulumi import googlechat:index:SpaceMembers`: the inputs it records).
 *
 * What a roster can't declare is said, with the reason, and makes the roster `addOnly`: an
 * `authoritative` roster removes whoever it does not declare, and adopting must write nothing.
 * - A Chat app other than the calling one: a roster declares only `chatApp: true` (`users/app`),
 *   and a listing does not say which app is the caller's, so every app membership is left out.
 * - With admin access, Google lists no app memberships at all (v1.d.ts members.list `filter`:
 *   apps must be excluded); a roster read with admin access does not see them either, so it
 *   can still be authoritative.
 * - A historical membership of import mode (NOT_A_MEMBER) has ended: not a member.
 * - With app authentication, Google lists no invitation (v1.d.ts members.list `showInvited`:
 *   "Currently requires user authentication"): a pending invitation can't be declared, and an
 *   authoritative roster would remove that person once she accepts.
 * - A member whose declaration check refuses with the credentials that listed it (members/check.ts
 *   `checkMember`): with app authentication, a Google Group, which Google lists to a Chat app but
 *   a Chat app can neither add nor remove (v1.d.ts members.create and members.delete: "App
 *   authentication is not supported for [...] a Google Group"). Declared, it would fail the first
 *   preview of the adopted roster; left out, an addOnly roster keeps it.
 */
import type { Authentication } from "../core/settings";
import { checkMember } from "../members/check";
import type { MemberEntry } from "../members/memberships";
import type { MembershipRole } from "../members/roles";
import type { RosterMode } from "./types";

/** One declared member: exactly one of `user` and `group`; `role` for people. */
export interface RosterMember {
  readonly user?: string;
  readonly group?: string;
  readonly role?: MembershipRole;
}

export interface RosterDeclaration {
  /** The space, `spaces/{space}`. */
  readonly space: string;
  readonly members: RosterMember[];
  readonly mode: RosterMode;
  /** What the roster leaves out, and why; one sentence each. */
  readonly notExpressed: string[];
}

/**
 * The roster of `listed` (members/memberships.ts `entryOf` of each listed membership), its members
 * sorted by name. `auth`: how it was listed; with app authentication the listing shows no invitation.
 */
export function declareRoster(space: string, listed: readonly MemberEntry[], auth: Authentication): RosterDeclaration {
  const members: RosterMember[] = [];
  const apps: string[] = [];
  const refused: string[] = [];
  for (const m of listed) {
    if (m.state === "NOT_A_MEMBER" || !m.member) continue;
    if (m.memberType === "BOT") {
      apps.push(m.member);
      continue;
    }
    const member: RosterMember = m.memberType === "GROUP" ? { group: m.member } : { user: m.member, role: (m.role || "ROLE_MEMBER") as MembershipRole };
    const refusals = refusalsOf(member, auth);
    if (refusals.length > 0) refused.push(`${m.member}: ${refusals.join("; ")}`);
    else members.push(member);
  }
  const notExpressed = [
    ...apps.map((app) => `Chat app ${app}: a roster declares only the calling app (chatApp: true), which a listing does not identify`),
    ...refused,
    ...(auth === "app" ? ["invitations: Google lists none to a Chat app (app authentication), so a pending one can't be declared"] : []),
  ];
  const key = (m: RosterMember) => m.group ?? m.user ?? "";
  members.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return {
    space,
    members,
    mode: notExpressed.length > 0 ? "addOnly" : "authoritative",
    notExpressed: notExpressed.length > 0 ? [...notExpressed, "so the roster is addOnly: it adds and keeps, never removes"] : [],
  };
}

/** Why check refuses `member` with `auth` (members/check.ts `checkMember`), each as "field reason"; none when it passes. */
function refusalsOf(member: RosterMember, auth: Authentication): string[] {
  const refusals: string[] = [];
  checkMember(member, { auth }, (field, reason) => refusals.push(`${field} ${reason.replace(/\.$/, "")}`), "one entry is one member");
  return refusals;
}
