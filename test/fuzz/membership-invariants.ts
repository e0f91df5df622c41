/**
 * The promises ChatMembership keeps, checked from the emulator's state and request
 * log after an operation, as invariants.ts does for spaces. Each returns the violations found.
 */
import type { PublicState } from "../../emulator/control/control";
import type { StoredMembership } from "../../emulator/model";
import { demotes } from "../../provider/members/roles";
import type { MembershipSdkInputs } from "../../provider/membership/inputs";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { Plan, Stack } from "./engine";
import { managesMembers } from "./members-invariants";
import type { MemberDeclaration } from "./membership-fixture";
import type { TaggedRequest } from "./world";

export const MEMBERSHIP_INVARIANTS = {
  removedAsPreviewed: "no member leaves the space unless the preview of that operation listed its resource as delete or replace",
  replaceOnlyWhenNeeded:
    "a membership previews as a replacement only when up --replace asks, or its member or times change (an email in other capitals is the same member)",
  oneMembership: "no membership is held by two resources, and a space holds one membership per member",
  agree: "after a successful up, state, emulator and declaration agree on the member, its role and its state",
  lastOwner: "the space never loses its last owner (a JOINED person with ROLE_MANAGER)",
  ownerRefusalJustified: "a last-owner refusal happens only when no other owner is there",
  noOrphan: "no membership the stack created or took over is left in the space outside the state",
  recovers: "after a failure (a crash included), the next up (or destroy) succeeds",
  checkRefuses: "invalid input fails at check, with zero API calls",
  checkAccepts: "a valid declaration passes check",
  previewReadsNothing: "preview makes no Chat API call",
} as const;
export type MembershipInvariant = keyof typeof MEMBERSHIP_INVARIANTS;

export interface MembershipViolation {
  invariant: MembershipInvariant;
  detail: string;
}

export type MembershipStack = Stack<MembershipSdkInputs, ChatMembershipOutputs>;

const OWNER = "ROLE_MANAGER";
const memberIdOf = (name: string) => name.slice(name.indexOf("/members/") + "/members/".length);

/** The memberships of the space now; none when the space is gone. */
export const membersOf = (emulator: PublicState, space: string): StoredMembership[] => emulator.memberships[space.slice("spaces/".length)] ?? [];

/** Members gone from the space during the operation, against the resources its preview listed as delete or replace. */
export function checkRemovedAsPreviewed(
  before: StoredMembership[],
  after: StoredMembership[],
  stack: MembershipStack,
  plan: Plan | "all" | "none",
  opLog: TaggedRequest[],
): MembershipViolation[] {
  const allowed = new Set(stack.pendingDeletes.map((e) => memberIdOf(e.id)));
  for (const e of stack.entries) {
    const step = plan === "all" ? "delete" : plan === "none" ? "same" : plan.steps[e.name];
    if (step === "delete" || step === "replace") allowed.add(memberIdOf(e.id));
  }
  const gone = before.filter((m) => !after.some((a) => a.memberId === m.memberId)).map((m) => m.memberId);
  const deleted = opLog.filter((e) => e.request.method === "DELETE" && e.request.status === 200).map((e) => memberIdOf(decodeURIComponent(e.request.path)));
  return [...new Set([...gone, ...deleted])]
    .filter((id) => !allowed.has(id))
    .map((id) => ({
      invariant: "removedAsPreviewed" as const,
      detail: `member ${id} left the space, and the preview listed no resource of it as delete or replace`,
    }));
}

export function checkOneMembership(stack: MembershipStack, members: StoredMembership[]): MembershipViolation[] {
  const out: MembershipViolation[] = [];
  const holders = new Map<string, string[]>();
  for (const e of stack.entries) holders.set(e.id, [...(holders.get(e.id) ?? []), e.name]);
  for (const [id, names] of holders) if (names.length > 1) out.push({ invariant: "oneMembership", detail: `${id} is held by ${names.join(" and ")}` });
  const ids = members.map((m) => m.memberId);
  for (const id of new Set(ids))
    if (ids.filter((x) => x === id).length > 1) out.push({ invariant: "oneMembership", detail: `the space holds member ${id} twice` });
  return out;
}

const isOwner = (m: StoredMembership) => m.type === "HUMAN" && m.role === OWNER && m.state === "JOINED";

/** The space had an owner before the operation (people in Chat may have left it with none) and has none now. */
export function checkLastOwner(before: StoredMembership[], members: StoredMembership[], spaceExists: boolean): MembershipViolation[] {
  if (!spaceExists || !before.some(isOwner) || members.some(isOwner)) return [];
  const roles = members.map((m) => `${m.memberName} ${m.role} ${m.state}`).join(", ");
  return [{ invariant: "lastOwner", detail: `the space has no JOINED owner left: ${roles}` }];
}

/** A refusal naming `member` as the last owner: no other JOINED owner may be in the space. */
export function checkOwnerRefusal(error: string, members: StoredMembership[]): MembershipViolation[] {
  const refused = /(users\/\d+) is the last owner/.exec(error)?.[1];
  if (!refused) return [];
  const others = members.filter((m) => m.memberName !== refused && isOwner(m));
  if (others.length === 0) return [];
  return [
    {
      invariant: "ownerRefusalJustified",
      detail: `${refused} was refused as the last owner while ${others.map((m) => m.memberName).join(", ")} owns the space`,
    },
  ];
}

/**
 * Whether a new declaration needs a new membership, by the rule docs/reference/membership.md
 * states (written here apart from provider/membership/identity.ts, as the model it is checked
 * against): another kind of member, group, or person; a person's email compares case-insensitively;
 * a person declared by email before and by her users/{id} now is the same member, while the
 * reverse can't be told without a call and is a replacement; declared times compare as instants.
 */
export function membershipNeedsReplacement(previous: MemberDeclaration, next: MemberDeclaration, users: { id: string; email: string }[]): boolean {
  const times = (["createTime", "deleteTime"] as const).some((k) => next[k] !== undefined && Date.parse(next[k]!) !== Date.parse(previous[k] ?? ""));
  if (times) return true;
  if (previous.chatApp || next.chatApp) return previous.chatApp !== next.chatApp;
  if (previous.group || next.group) return previous.group !== next.group;
  const [was, now] = [previous.user!, next.user!];
  if (was.toLowerCase() === now.toLowerCase()) return false;
  const byEmailThenId = was.includes("@") && !now.includes("@") && expectedMember(previous, users) === now;
  return !byEmailThenId;
}

/** The canonical member a declaration names, as the emulator stores it; the app is told by its type. */
export function expectedMember(d: MemberDeclaration, users: { id: string; email: string }[]): string | "BOT" {
  if (d.chatApp) return "BOT";
  if (d.group) return d.group;
  const bare = d.user!.replace(/^users\//, "");
  // Emails compare case-insensitively, as Google compares them.
  return `users/${users.find((u) => u.email.toLowerCase() === bare.toLowerCase())?.id ?? bare}`;
}

/** The calling user of the fuzzer's providers (admin@example.com, through delegation), and whether with admin access. */
export interface FuzzCaller {
  readonly member: string;
  readonly adminAccess: boolean;
}

export function checkMembershipAgree(
  resource: string,
  d: MemberDeclaration,
  outs: ChatMembershipOutputs,
  emulator: PublicState,
  caller: FuzzCaller,
  createdNow = false,
): MembershipViolation[] {
  const live = membersOf(emulator, outs.space).find((m) => m.memberId === memberIdOf(outs.name));
  if (!live) return [{ invariant: "agree", detail: `${resource}'s state holds ${outs.name}, which is not in the space` }];
  const out: MembershipViolation[] = [];
  const fail = (what: string) => out.push({ invariant: "agree", detail: `${resource} ${what}` });
  const member = expectedMember(d, emulator.settings.users);
  if (member === "BOT" ? live.type !== "BOT" : live.memberName !== member) fail(`declares ${member}, the membership is ${live.memberName} (${live.type})`);
  const role = d.group ? "MEMBERSHIP_ROLE_UNSPECIFIED" : (d.role ?? "ROLE_MEMBER");
  // The caller, an owner or a manager, declared lower keeps her role without admin access.
  const callersOwnRole = live.memberName === caller.member && !caller.adminAccess && managesMembers(live.role) && demotes(live.role, role);
  // A create that met its member already there at a higher role keeps it: its preview announced an add, and the next one announces the demotion.
  const demotionDeferred = createdNow && demotes(live.role, role);
  if (live.role !== role && !callersOwnRole && !demotionDeferred) fail(`role: declared ${role}, Google has ${live.role}`);
  if ((outs.role || "MEMBERSHIP_ROLE_UNSPECIFIED") !== live.role) fail(`role: state has ${outs.role}, Google has ${live.role}`);
  if (outs.state !== live.state) fail(`state: state has ${outs.state}, Google has ${live.state}`);
  if (outs.member !== live.memberName) fail(`member: state has ${outs.member}, Google has ${live.memberName}`);
  return out;
}

/**
 * Memberships the stack created or took over, live in the space, held by no state entry and not
 * let go deliberately: retained, or the calling user's, which a delete keeps in the space.
 */
export function checkMembershipOrphans(
  everHeld: Map<string, string>,
  stack: MembershipStack,
  retained: Set<string>,
  members: StoredMembership[],
  caller: string,
): MembershipViolation[] {
  const held = new Set([...stack.entries, ...stack.pendingDeletes].map((e) => e.id));
  return [...everHeld]
    .filter(([id]) => !held.has(id) && !retained.has(id) && members.some((m) => m.memberId === memberIdOf(id) && m.memberName !== caller))
    .map(([id, resource]) => ({ invariant: "noOrphan" as const, detail: `${id} (${resource}'s) is in the space but not in the state` }));
}
