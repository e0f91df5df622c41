/**
 * One membership fuzz case, as plain JSON (the membership side of fixture.ts): a space a person
 * made (admin@example.com, its one owner), the ChatMemberships of the last deployment, the
 * changes people made in Chat since, maybe a refresh, the next program, the faults, and one
 * operation. A failing case prints this object; fixtures/<name>.json replays it by name.
 */
import type { ChatMembershipInputs } from "../../provider/membership/types";
import type { OperationKind } from "./fixture";

/** A declaration without its `space`, which the run fills in with the person's space. */
export type MemberDeclaration = Omit<ChatMembershipInputs, "space">;

/** A change made in Chat between the last deployment and the operation (emulator/control/outside.ts). `member`: an email or `groups/{id}`. */
export type MemberDivergence =
  | { kind: "remove"; member: string }
  | { kind: "setRole"; member: string; role: "ROLE_MEMBER" | "ROLE_ASSISTANT_MANAGER" | "ROLE_MANAGER" }
  | { kind: "accept"; member: string }
  | { kind: "add"; member: string; role?: "ROLE_MEMBER" | "ROLE_ASSISTANT_MANAGER" | "ROLE_MANAGER" };

export interface MembershipResourceCase {
  name: string;
  /** The declaration of the last deployment; absent: new in this operation's program. */
  start?: MemberDeclaration;
  /** The declaration of this operation's program; absent: removed from the program. */
  next?: MemberDeclaration;
  /** Why `next` must fail at check, when it must. */
  invalid?: string;
  retainOnDelete: boolean;
}

export interface MembershipFault {
  method: "spaces.members.create" | "spaces.members.get" | "spaces.members.list" | "spaces.members.patch" | "spaces.members.delete" | "spaces.get";
  /**
   * 429 and 503 answer without running the method; `drop` commits and loses the answer; `nameOnly`
   * commits and answers the name alone; `slow` runs the method a moment late (Google slow to
   * answer: the steps running at the same time go on meanwhile).
   */
  action: "429" | "503" | "drop" | "nameOnly" | "slow";
  count: number;
}

export interface MembershipFixture {
  /** admin@example.com through delegation, with `googlechat:useAdminAccess` or without. */
  adminAccess: boolean;
  /**
   * Whether the emulator itself refuses to leave a space without a ROLE_MANAGER (Google documents
   * no such rule for the API): off, the provider's own last-owner guard is all there is.
   */
  keepLastManager: boolean;
  /** bob@example.com's auto-accept is off: members.create invites him (INVITED) until he accepts. */
  bobInvited: boolean;
  /** The person's space allows users outside the organisation (externalUserAllowed), so another organisation's user can be added. */
  externalSpace?: boolean;
  resources: MembershipResourceCase[];
  divergence: MemberDivergence[];
  /** `pulumi refresh` (no faults) after the changes in Chat, before the operation. */
  refreshFirst: boolean;
  operation: OperationKind;
  replaceTarget?: string;
  faults: MembershipFault[];
  /** The engine dies after the `after`-th provider call of the operation (deletes counted only with `countDeletes`). */
  crash?: { after: number; countDeletes: boolean };
}
