/**
 * Memberships as Google has them (v1.d.ts `Schema$Membership`), read and written the same way
 * by a ChatMembership and a ChatSpaceMembers roster: what one member of a space is, what
 * `members.create` is sent, a write's answer completed, the membership an add met as
 * ALREADY_EXISTS, and a space's whole roster.
 */
import type { chat_v1 } from "@googleapis/chat";
import type { ChatSpacesApi, Target } from "../core/chat-api";
import { type MemberRef, sameMember } from "./member-ref";

/** One membership in a few short strings: what a roster keeps per member, and what a ChatMembership outputs. */
export interface MemberEntry {
  /** The membership's canonical resource name, `spaces/{space}/members/{member}`. */
  readonly name: string;
  /** The canonical member: `users/{id}` (a person or an app) or `groups/{id}`. */
  readonly member: string;
  /** HUMAN, BOT or GROUP. */
  readonly memberType: string;
  /** The role as Google last answered; empty for a group. */
  readonly role: string;
  /** JOINED, INVITED (a person who has not accepted yet) or NOT_A_MEMBER (historical). */
  readonly state: string;
}

/**
 * A membership as Google answered it, in its short strings. proto3 JSON leaves out empty values
 * (a group's `MEMBERSHIP_ROLE_UNSPECIFIED` role among them), which are stated as empty text.
 */
export function entryOf(membership: chat_v1.Schema$Membership): MemberEntry {
  const group = membership.groupMember?.name;
  const role = membership.role && !membership.role.endsWith("_UNSPECIFIED") ? membership.role : "";
  return {
    name: membership.name ?? "",
    member: group ?? membership.member?.name ?? "",
    memberType: group ? "GROUP" : (membership.member?.type ?? ""),
    role,
    state: membership.state ?? "",
  };
}

/** The space of a membership's name, `spaces/{space}`. */
export const spaceOfMembership = (name: string): string => name.split("/members/")[0];

/** The person a person's membership name names, `users/{id}`: Google names it by her id (v1.d.ts `Membership.name`: `spaces/{space}/members/{member}`). */
export const personOfMembership = (name: string): string => `users/${name.split("/members/")[1]}`;

/**
 * Whether two membership names (`spaces/{space}/members/{member}`) name one membership: the same
 * space (its id as Google writes it) and the same member in any capitals (member-ref.ts `sameMember`).
 */
export function sameMembership(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const [spaceA, memberA] = a.split("/members/");
  const [spaceB, memberB] = b.split("/members/");
  return spaceA === spaceB && sameMember(memberA, memberB);
}

/** The historical times of import mode a membership is created with (v1.d.ts: "Immutable"). */
export interface HistoricalTimes {
  readonly createTime?: string;
  readonly deleteTime?: string;
}

/** Whether two RFC 3339 times are one instant (their text varies); two absent times are equal. */
export const sameInstant = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined ? Date.parse(a) === Date.parse(b) : a === b;

/** A membership's import-mode times as Google answered them. */
export const timesOf = (membership: chat_v1.Schema$Membership): HistoricalTimes => ({
  createTime: membership.createTime ?? undefined,
  deleteTime: membership.deleteTime ?? undefined,
});

/**
 * Where a membership's times differ from a declaration's, as readable sentences: Google sets them
 * only when the membership is created, so an existing membership taken over must have them.
 * Undeclared times are not managed.
 */
export function timesConflicts(live: HistoricalTimes, declared: HistoricalTimes | undefined): string[] {
  return (["createTime", "deleteTime"] as const).flatMap((field) => {
    const wanted = declared?.[field];
    if (wanted === undefined || sameInstant(live[field], wanted)) return [];
    return [`${field} is ${JSON.stringify(live[field] ?? null)}, declared ${JSON.stringify(wanted)}`];
  });
}

/** What `members.create` is sent: the member, and the historical times where declared. */
export function createBody(ref: MemberRef, times: HistoricalTimes = {}): chat_v1.Schema$Membership {
  const member = ref.kind === "group" ? { groupMember: { name: ref.name } } : { member: { name: ref.name, type: ref.kind === "app" ? "BOT" : "HUMAN" } };
  return { ...member, createTime: times.createTime, deleteTime: times.deleteTime };
}

/**
 * A write's answer as a whole membership: an answer holding less than the member and its state
 * (a partly filled body, as a proxy or a retried lost answer may give) is read again, so the
 * state never records an empty member, role or state.
 */
export async function completeMembership(api: ChatSpacesApi, answer: chat_v1.Schema$Membership, target: Target): Promise<chat_v1.Schema$Membership> {
  if (answer.state && (answer.member || answer.groupMember)) return answer;
  return api.getMember(answer.name!, { target });
}

/** members.list's largest page (v1.d.ts pageSize: at most 1000). */
export const ROSTER_PAGE_SIZE = 1000;

/** Required with admin access (v1.d.ts members.list `filter`): apps excluded, groups kept. */
export const ADMIN_MEMBER_FILTER = 'member.type != "BOT"';

/**
 * The whole roster of a space: `spaces.members.list` page after page (v1.d.ts
 * Params$Resource$Spaces$Members$List), the largest pages, groups and invitations included.
 */
export async function listRoster(api: ChatSpacesApi, space: string, useAdminAccess: boolean, target: Target): Promise<chat_v1.Schema$Membership[]> {
  const memberships: chat_v1.Schema$Membership[] = [];
  let pageToken: string | undefined;
  do {
    const page = await api.listMembers(
      space,
      { pageSize: ROSTER_PAGE_SIZE, pageToken, showGroups: true, showInvited: true, filter: useAdminAccess ? ADMIN_MEMBER_FILTER : undefined },
      { target },
    );
    memberships.push(...(page.memberships ?? []));
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
  return memberships;
}

/**
 * The membership an add met as ALREADY_EXISTS: the same member of the same space, by its
 * `{member}` alias, or for a group (which has no alias) by listing the space.
 */
export async function existingMembership(
  api: ChatSpacesApi,
  space: string,
  ref: MemberRef,
  useAdminAccess: boolean,
  target: Target,
): Promise<chat_v1.Schema$Membership> {
  if (ref.alias) return api.getMember(`${space}/members/${ref.alias}`, { target });
  const found = (await listRoster(api, space, useAdminAccess, target)).find((m) => m.groupMember?.name?.toLowerCase() === ref.name.toLowerCase());
  if (!found) throw new Error(`Google answered that ${ref.name} is already a member of ${space}, but no listed membership is that group's.`);
  return found;
}
