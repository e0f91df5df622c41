/**
 * One fuzz case, as plain JSON: a starting stack and live Chat state, the divergence made
 * outside Pulumi, the next program, the faults, and one operation. A failing case prints
 * this object; `replayFixture` runs it again (see lifecycle.fuzz.test.ts).
 *
 * The shape follows Pulumi's own lifecycle fuzzer (pulumi/pulumi
 * pkg/engine/lifecycletest/fuzzing: a snapshot, a program, provider behaviours, one
 * operation), with the provider real and the Chat API emulated.
 */
import type { ChatSpaceInputs } from "../../provider/space/types";

/** What the emulator answers a reused requestId whose space was deleted (Google does not say): every answer is run. */
export type AfterDelete = "new" | "stale" | "notFound";

/** A declaration as a program writes it. `adoptSpace: "$adopt"` names the space a person made for this resource. */
export type Declaration = ChatSpaceInputs;

/** A change made in Chat, outside Pulumi, between the last deployment and the operation. */
export type Divergence =
  | "rename"
  | "editDescription"
  | "editGuidelines"
  | "toggleHistory"
  | "delete"
  /** A person completes the import of an import-mode space. */
  | "completeImport"
  /** A member removes the Chat app from an app-created space (app auth). */
  | "removeApp";

/** A fault the emulator injects during the operation (never during set-up or recovery). */
export interface FaultCase {
  method: "spaces.create" | "spaces.get" | "spaces.patch" | "spaces.delete" | "spaces.completeImport";
  /** 429 and 503 answer without running the method; `drop` commits and loses the answer; `nameOnly` commits and answers the name alone. */
  action: "429" | "503" | "drop" | "nameOnly";
  count: number;
}

export interface ResourceCase {
  /** The resource's Pulumi name. */
  name: string;
  /** The declaration of the last deployment; absent: the resource is new in this operation's program. */
  start?: Declaration;
  /** The declaration of this operation's program; absent: removed from the program. */
  next?: Declaration;
  /** Why `next` must fail at check, when it must. */
  invalid?: string;
  divergence: Divergence[];
  /** The program's own `deleteBeforeReplace` resource option, when it sets one; else the SDK's (sdk-options.ts). */
  deleteBeforeReplace?: boolean;
  retainOnDelete: boolean;
}

export type OperationKind = "preview" | "up" | "replace" | "refresh" | "destroy";

export interface Fixture {
  /** The credentials of every step after the set-up (and of the set-up, unless {@link deployedByUser}). */
  auth: "user" | "app";
  /**
   * The stack was deployed with user credentials, then a person added the Chat app to its spaces
   * and the stack switched to the app's credentials (`auth` "app"): the app can't read the
   * permission settings of spaces it did not create (v1.d.ts `Schema$Space.permissionSettings`).
   */
  deployedByUser?: boolean;
  /**
   * The stack was deployed by the Chat app in a second organisation that installed it (the
   * emulator's `appCustomers`: a partner's), then a person added admin@example.com to its spaces
   * and the stack switched to her credentials with googlechat:useAdminAccess (`auth` "user",
   * `adminAccess`): admin access reaches only the administrator's own organisation's spaces
   * (v1.d.ts `useAdminAccess`: the user's Google Workspace administrator privileges), so it
   * answers 404 for these, which the calling user, a member, still sees.
   */
  deployedByPartnerApp?: boolean;
  /** `pulumi refresh`, under the operation's credentials, after the changes in Chat and before the operation. */
  refreshFirst?: boolean;
  /** User auth with `googlechat:useAdminAccess`: the provider can tell a deleted space from one it can't see. */
  adminAccess: boolean;
  afterDelete: AfterDelete;
  resources: ResourceCase[];
  operation: OperationKind;
  /** `up --replace` targets this resource. */
  replaceTarget?: string;
  /** The operation runs with credentials that lost access (another user, not a member of the spaces). */
  accessLost: boolean;
  faults: FaultCase[];
  /**
   * The engine dies after the `after`-th provider call of the operation (deletes counted only
   * with `countDeletes`): the call ran, its state write did not.
   */
  crash?: { after: number; countDeletes: boolean };
  /**
   * How long after the set-up the operation and the next up run, on Google's clock (the
   * emulator's) and the provider's alike: operations run minutes or days apart, and the provider
   * judges a returned space's age by its createTime. Set-up runs at 0.
   */
  clockAheadMs: number;
}

/** The placeholder an adopting declaration uses for the space a person made first. */
export const ADOPT = "$adopt";
