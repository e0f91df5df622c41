/**
 * One roster fuzz case, as plain JSON (the ChatSpaceMembers side of membership-fixture.ts): a
 * space a person made (admin@example.com, the caller, its one owner), members people added
 * before the roster existed, the roster of the last deployment, the changes made in Chat since,
 * maybe a refresh, the next roster, the faults, and one operation.
 */
import type { RosterMemberArgs, RosterMode } from "../../provider/space-members/types";
import type { OperationKind } from "./fixture";
import type { MemberDivergence, MembershipFault } from "./membership-fixture";

/** A roster as a program declares it, without its `space`. */
export interface RosterDeclaration {
  members: RosterMemberArgs[];
  mode?: RosterMode;
}

export interface RosterFixture {
  adminAccess: boolean;
  /** Whether the emulator itself refuses to leave a space without a ROLE_MANAGER: off, the provider's guard is all there is. */
  keepLastManager: boolean;
  /** bob@example.com's auto-accept is off: an add invites him (INVITED). */
  bobInvited: boolean;
  /** The space allows users outside the organisation (externalUserAllowed), so another organisation's user can be declared. */
  externalSpace?: boolean;
  /** Members people added in Chat before the roster's first deployment. */
  preexisting: Extract<MemberDivergence, { kind: "add" }>[];
  /** The roster of the last deployment; absent: new in this operation's program. */
  start?: RosterDeclaration;
  /** The roster of this operation's program; absent: removed from the program. */
  next?: RosterDeclaration;
  /** Why `next` must fail at check, when it must. */
  invalid?: string;
  divergence: MemberDivergence[];
  refreshFirst: boolean;
  /** `replace` is `up --replace` of the roster. */
  operation: OperationKind;
  faults: MembershipFault[];
  crash?: { after: number; countDeletes: boolean };
}
