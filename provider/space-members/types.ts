/**
 * The contract of a ChatSpaceMembers, the whole roster of one space: what a program declares
 * and what Pulumi keeps. Members follow the Chat API's Membership resource
 * (node_modules/@googleapis/chat/build/v1.d.ts, `Schema$Membership`); the per-member rules
 * (member references, roles, the owner rule, the caller) are the shared ones of provider/members.
 *
 * Lifecycle rules, enforced by the provider:
 * - The preview is the contract: `diff` compares the declaration with the roster in the state
 *   (as create, update or refresh last read it) and makes no API call; `update` does only what
 *   that diff showed (adds, role patches, and removals of members the state holds).
 * - `authoritative` removes undeclared members, never the calling principal; `addOnly` never removes.
 * - A space is never left without an owner (`ROLE_MANAGER`).
 */
import { allKeysOf, type WithRequired } from "../core/keys";
import type { MemberDeclaration } from "../members/member-ref";
import type { MemberEntry } from "../members/memberships";
import type { MembershipRole } from "../members/roles";

/**
 * How a roster treats members it does not declare:
 * - `authoritative`: they are removed, except the calling principal (the app with app
 *   authentication, the user with user authentication) and what Google lets these credentials not
 *   remove (Chat apps with app authentication or admin access, Google Groups with app
 *   authentication), each kept and said so in the preview.
 * - `addOnly`: nobody is removed; declared members are added and their roles kept.
 */
export type RosterMode = "authoritative" | "addOnly";

export const ROSTER_MODES: readonly RosterMode[] = ["authoritative", "addOnly"];

/** The mode when none is declared. */
export const DEFAULT_ROSTER_MODE: RosterMode = "authoritative";

/** One declared member: exactly one of `user`, `group` and `chatApp`, with its role. A member may be declared once only. */
export interface RosterMemberArgs extends MemberDeclaration {
  /** A person, by email (`alice@example.com`) or `users/{id}`. */
  readonly user?: string;
  /** A Google Group, `groups/{group}`: spaces only, with user authentication. Groups have no role. */
  readonly group?: string;
  /** `true`: the calling Chat app itself (`users/app`), added by a user. */
  readonly chatApp?: boolean;
  /**
   * The member's role; none for groups. `ROLE_ASSISTANT_MANAGER` is shown as Manager in Chat,
   * `ROLE_MANAGER` as Owner.
   * @default "ROLE_MEMBER"
   */
  readonly role?: MembershipRole;
}

/**
 * What a program declares: the arguments of a ChatSpaceMembers (sdk/chat-space-members.ts) and
 * of the plugin's `googlechat:index:SpaceMembers`, as the provider receives them.
 */
export interface ChatSpaceMembersInputs {
  /** The space, `spaces/{space}`. Changing it replaces the roster. */
  readonly space?: string;
  /**
   * Every member of the space: each exactly one of `user` (an email or `users/{id}`), `group`
   * (`groups/{id}`, no role) and `chatApp: true`, with a `role` (default `ROLE_MEMBER`). A member
   * may be declared once only.
   */
  readonly members?: RosterMemberArgs[];
  /**
   * What happens to members the roster does not declare: `authoritative` removes them (never the
   * calling principal, nor what Google lets these credentials not remove: Chat apps with app
   * authentication or admin access, Google Groups with app authentication), `addOnly` removes nobody.
   * @default "authoritative"
   */
  readonly mode?: RosterMode;
}

/** Every input a program may declare. */
export const DECLARED_ROSTER_INPUTS = allKeysOf<ChatSpaceMembersInputs>()(["space", "members", "mode"]);

/** Every field of one declared member. */
export const ROSTER_MEMBER_FIELDS = allKeysOf<RosterMemberArgs>()(["user", "group", "chatApp", "role"]);

/** What identifies a roster: another space's roster is another resource, so changing `space` replaces it. */
export const ROSTER_IDENTITY = ["space"] as const satisfies readonly (keyof ChatSpaceMembersInputs)[];

/** One member of the roster as last read or applied: a few short strings, nothing more. */
export type RosterMemberState = MemberEntry;

/** What Pulumi keeps and exports for one roster. */
export interface ChatSpaceMembersOutputs {
  /** The space, `spaces/{space}`. */
  readonly space: string;
  /** The mode the roster was applied with. */
  readonly mode: RosterMode;
  /** The whole roster of the space, as last read or applied, declared or not. */
  readonly members: RosterMemberState[];
  /**
   * Each declared member (lower-cased `users/{email|id}`, `groups/{id}`, `users/app`) and its
   * canonical `users/{id}` or `groups/{id}` once known: how a preview matches an email to the
   * roster without calling Google, and what a delete removes.
   */
  readonly __declared: Record<string, string>;
  /**
   * The calling user (googlechat:impersonateUser, or the owner of the credentials) the roster was
   * last read or updated as, and its canonical member (empty when it is not a member): never
   * removed. A refresh asks Google who she is (her email may name another person since). A diff
   * under another caller, or where none is recorded, that removes or demotes people
   * reads the caller's own membership first, and keeps the recorded one for that up
   * (members/caller.ts `formerCallerOf`). Absent with app authentication (no user calls), and
   * where whether the user is a member is not known (a read of its membership failed); a delete
   * then reads it.
   */
  readonly __caller?: { readonly user: string; readonly member: string };
}

/**
 * The whole roster of one Google Chat space.
 *
 * The preview is the contract: it compares the declaration with the roster as last read (by an
 * update or a refresh), calling Google only to ask who the calling user is where a change depends
 * on her, and lists every member it adds, every role it
 * changes and (in `authoritative` mode) every member it removes; the update does only that. A
 * space is never left without an owner (`ROLE_MANAGER`), and the calling principal is never
 * removed. Deleting the roster removes the members it declared (and those whose removal a failed
 * update left pending, which the plan summary names), except the calling principal and the space's
 * last owner.
 */
export interface ChatSpaceMembersContract {
  /** A declaration check accepts: `space` and `members` given. */
  readonly inputs: WithRequired<ChatSpaceMembersInputs, "space" | "members">;
  readonly outputs: ChatSpaceMembersOutputs;
}
