/**
 * The emulated Chat data and the space methods: create, get, list, patch, delete and
 * completeImport, with the rules that need stored data (names in use, membership,
 * who created what, requestIds). No HTTP here: errors are {@link ApiError}s.
 */

import { randomBytes } from "node:crypto";
import type { chat_v1 } from "@googleapis/chat";
import { insufficientScope } from "../auth/auth-errors";
import type { ChatMethod } from "../auth/scopes";
import { ApiError, alreadyExists, failedPrecondition, invalidArgument, notFound, permissionDenied } from "../errors";
import { type Caller, type EmulatorState, type Principal, principalKey, type StoredMembership, type StoredSpace } from "../model";
import { proto3, renderSpace } from "./render";
import { initialPermissions, sameCustomer, validateCreate } from "./space-rules";
import { parseUpdateMask, planPatch } from "./update-mask";

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const IMPORT_MODE_LIFETIME_MS = 90 * 24 * 3600 * 1000;
const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 100;

/** Real space ids are 11 characters (`AAAAPhMsFf0`); the `AAAA` prefix is what new ones look like. */
function newSpaceId(): string {
  const bytes = randomBytes(7);
  return "AAAA" + [...bytes].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join("");
}

/** The `{member}` id of a Chat app's membership: its service account's numeric client id. */
export function memberIdOf(principal: Principal, state: EmulatorState): string {
  if (principal.kind === "user") return principal.user.id;
  return state.serviceAccounts[principal.email]?.clientId ?? principal.email;
}

export class ChatStore {
  constructor(
    public state: EmulatorState,
    private readonly onChange: () => void = () => {},
    readonly now: () => number = Date.now,
  ) {}

  get world() {
    return this.state.settings;
  }

  members(spaceId: string): StoredMembership[] {
    return (this.state.memberships[spaceId] ??= []);
  }

  /**
   * The principal's membership that makes it a member: a `JOINED` one. An invited user has not
   * joined yet ("must accept the space invitation before joining", v1.d.ts members.create) and a
   * historical membership of import mode has ended, so neither sees the space nor holds a role.
   */
  membershipOf(spaceId: string, principal: Principal): StoredMembership | undefined {
    const id = memberIdOf(principal, this.state);
    return this.members(spaceId).find((m) => m.memberId === id && m.state === "JOINED");
  }

  /** Marks the data changed, so `--data` writes it before the answer leaves. */
  changed(): void {
    this.onChange();
  }

  render(space: StoredSpace, caller: Caller, listing = false): chat_v1.Schema$Space {
    return renderSpace(space, { caller, members: this.members(space.id), listing });
  }

  /**
   * The space a caller may act on. A missing space is 404 NOT_FOUND; one that exists but that the
   * caller cannot see answers as the `invisibleSpaceStatus` setting says (404 by default, the same
   * answer as a missing space, or 403). Google's rule: a user or a Chat app sees the spaces it is
   * a member of; an administrator using admin access sees every space of its organisation
   * (v1.d.ts `useAdminAccess`); an import-mode space has no members and "isn't visible to users"
   * (v1.d.ts Space.importMode), so only the user who is importing it reaches it.
   */
  visibleSpace(name: string | undefined, caller: Caller, method: ChatMethod): StoredSpace {
    const id = /^spaces\/([^/]+)$/.exec(name ?? "")?.[1];
    if (!id) throw invalidArgument(`Invalid space name "${name}": use the format spaces/{space}.`);
    const space = this.state.spaces[id];
    if (!space) throw notFound();
    if (caller.grant === "admin" && (caller.principal.kind !== "user" || !caller.principal.user.admin)) {
      throw permissionDenied("useAdminAccess requires a Google Workspace administrator.");
    }
    if (!this.canSee(space, caller)) {
      throw this.world.invisibleSpaceStatus === 403 ? permissionDenied() : notFound();
    }
    if (caller.grant === "importOnly" && !space.importMode) throw insufficientScope(method, caller);
    return space;
  }

  private canSee(space: StoredSpace, caller: Caller): boolean {
    if (caller.grant === "admin") return sameCustomer(space.customer, this.world.customer, this.world);
    if (this.membershipOf(space.id, caller.principal)) return true;
    return space.importMode && space.creator === principalKey(caller.principal);
  }

  createSpace(caller: Caller, body: chat_v1.Schema$Space, requestId?: string): chat_v1.Schema$Space {
    if (caller.grant === "importOnly" && body.importMode !== true) {
      throw insufficientScope("spaces.create", caller);
    }
    const replayed = requestId ? this.replay(caller, requestId) : undefined;
    if (replayed) return renderSpace(replayed, { caller, members: this.state.memberships[replayed.id] ?? [] });

    const now = this.now();
    const input = validateCreate(body, caller, this.world, now);
    if (input.spaceType === "SPACE") this.checkNameFree(input.displayName, input.customer ?? this.world.customer);

    const space: StoredSpace = {
      id: this.freshId(),
      spaceType: input.spaceType,
      displayName: input.displayName,
      description: input.description,
      guidelines: input.guidelines,
      spaceHistoryState: input.spaceHistoryState,
      externalUserAllowed: input.externalUserAllowed,
      importMode: input.importMode,
      importModeExpireTime: input.importMode ? new Date(now + IMPORT_MODE_LIFETIME_MS).toISOString() : undefined,
      createTime: input.createTime ?? new Date(now).toISOString(),
      customer: input.customer ?? (caller.principal.kind === "user" ? this.world.customer : undefined),
      audience: input.audience,
      permissionSettings: initialPermissions(input.predefined),
      creator: principalKey(caller.principal),
    };
    this.state.spaces[space.id] = space;
    // Import mode creates no members; otherwise the caller joins: a user as manager, an app as a plain member.
    this.state.memberships[space.id] = input.importMode ? [] : [this.creatorMembership(caller.principal, now)];
    if (requestId) {
      this.state.requestIds[this.requestKey(caller, requestId)] = {
        spaceId: space.id,
        principal: principalKey(caller.principal),
      };
    }
    this.changed();
    return this.render(space, caller);
  }

  /**
   * A requestId already used by this project: the same principal gets the space in its current
   * state (AIP-155 "stale success") without any check; another principal gets an error.
   */
  private replay(caller: Caller, requestId: string): StoredSpace | undefined {
    const record = this.state.requestIds[this.requestKey(caller, requestId)];
    if (!record) return undefined;
    if (record.principal !== principalKey(caller.principal)) {
      throw new ApiError(this.world.requestIdOtherPrincipalStatus, `Request ID ${requestId} was already used by a different authenticated user.`);
    }
    if (record.deleted) {
      if (this.world.requestIdAfterDelete === "notFound") throw notFound();
      return this.world.requestIdAfterDelete === "stale" ? record.deleted : undefined;
    }
    return this.state.spaces[record.spaceId];
  }

  private requestKey(caller: Caller, requestId: string): string {
    return `${caller.principal.project} ${requestId}`;
  }

  /** An id no space has. */
  freshId(): string {
    let id = newSpaceId();
    while (this.state.spaces[id]) id = newSpaceId();
    return id;
  }

  private checkNameFree(displayName: string, customer: string, except?: string): void {
    const taken = Object.values(this.state.spaces).some(
      (s) => s.id !== except && s.spaceType === "SPACE" && s.displayName === displayName && sameCustomer(s.customer, customer, this.world),
    );
    if (taken) {
      throw alreadyExists(`A space named "${displayName}" already exists in this Google Workspace organization. Try a different displayName.`);
    }
  }

  private creatorMembership(principal: Principal, now: number): StoredMembership {
    const memberId = memberIdOf(principal, this.state);
    return {
      memberId,
      memberName: `users/${memberId}`,
      type: principal.kind === "app" ? "BOT" : "HUMAN",
      role: principal.kind === "app" ? "ROLE_MEMBER" : "ROLE_MANAGER",
      state: "JOINED",
      createTime: new Date(now).toISOString(),
    };
  }

  getSpace(caller: Caller, name: string): chat_v1.Schema$Space {
    return this.render(this.visibleSpace(name, caller, "spaces.get"), caller);
  }

  listSpaces(caller: Caller, query: { pageSize?: string; pageToken?: string; filter?: string }) {
    const types = parseSpaceTypeFilter(query.filter);
    const visible = Object.values(this.state.spaces).filter(
      (s) =>
        !s.importMode &&
        // GROUP_CHATs and DMs are listed only after their first message (v1.d.ts spaces.list): the
        // emulator keeps no messages, and a lastActiveTime stands for one.
        (s.spaceType === "SPACE" || s.lastActiveTime !== undefined) &&
        (!types || types.includes(s.spaceType)) &&
        this.membershipOf(s.id, caller.principal) !== undefined,
    );
    const { items, nextPageToken } = paginate(visible, query);
    return proto3({ spaces: items.map((s) => this.render(s, caller, true)), nextPageToken });
  }

  patchSpace(caller: Caller, name: string, updateMask: string | undefined, body: chat_v1.Schema$Space) {
    const space = this.visibleSpace(name, caller, "spaces.patch");
    const paths = parseUpdateMask(updateMask);
    const change = planPatch(paths, {
      space,
      body,
      caller,
      world: this.world,
      callerRole: this.membershipOf(space.id, caller.principal)?.role,
      callerIsCreator: space.creator === principalKey(caller.principal),
    });
    this.applyChange(space, change);
    return this.render(space, caller);
  }

  /** Stores a planned change: a new display name must be free in the organisation. */
  applyChange(space: StoredSpace, change: Partial<StoredSpace>): void {
    if (change.displayName !== undefined && change.displayName !== space.displayName) {
      this.checkNameFree(change.displayName, space.customer ?? this.world.customer, space.id);
    }
    Object.assign(space, change);
    if (change.audience === undefined && "audience" in change) delete space.audience;
    this.changed();
  }

  deleteSpace(caller: Caller, name: string): Record<string, never> {
    const space = this.visibleSpace(name, caller, "spaces.delete");
    const key = principalKey(caller.principal);
    if (caller.principal.kind === "app" && space.creator !== key) {
      throw permissionDenied("A Chat app can only delete spaces it created.");
    }
    if (caller.grant === "regular" && caller.principal.kind === "user") {
      const role = this.membershipOf(space.id, caller.principal)?.role;
      // An import-mode space has no members: its importer deletes it.
      if (role !== "ROLE_MANAGER" && !(space.importMode && space.creator === key)) {
        throw permissionDenied("Only a space manager can delete the space.");
      }
    }
    this.removeSpace(space);
    return {};
  }

  /** Deletes a space with its memberships (v1.d.ts spaces.delete: "Always performs a cascading delete"). */
  removeSpace(space: StoredSpace): void {
    delete this.state.spaces[space.id];
    delete this.state.memberships[space.id];
    // By default deleting a space frees its requestId: reusing it creates a new space.
    for (const record of Object.values(this.state.requestIds)) {
      if (record.spaceId === space.id) record.deleted = space;
    }
    this.changed();
  }

  completeImport(caller: Caller, name: string): { space: chat_v1.Schema$Space } {
    if (caller.principal.kind !== "user" || !caller.principal.delegated) {
      throw permissionDenied("spaces.completeImport requires user authentication with domain-wide delegation.");
    }
    const space = this.visibleSpace(name, caller, "spaces.completeImport");
    if (!space.importMode) throw failedPrecondition(`Space ${name} is not in import mode.`);
    this.finishImport(space);
    return { space: this.render(space, caller) };
  }

  /**
   * Ends import mode, which "makes it visible to users" (v1.d.ts spaces.completeImport). With
   * `importCreatorJoinsOnComplete`, the importing user becomes a manager of the space.
   */
  finishImport(space: StoredSpace): void {
    space.importMode = false;
    delete space.importModeExpireTime;
    const importer = this.world.users
      .map((user): Principal => ({ kind: "user", user, project: "", delegated: false }))
      .find((principal) => principalKey(principal) === space.creator);
    if (this.world.importCreatorJoinsOnComplete && importer && !this.membershipOf(space.id, importer)) {
      // A historical membership of the importer (one it left) gives way to the new one: one membership per member.
      const members = this.members(space.id);
      const past = members.findIndex((m) => m.memberId === memberIdOf(importer, this.state));
      if (past >= 0) members.splice(past, 1);
      members.push(this.creatorMembership(importer, this.now()));
    }
    this.changed();
  }
}

/** `filter` of spaces.list may only test the space type, joined with OR (v1.d.ts Params$Resource$Spaces$List). */
function parseSpaceTypeFilter(filter: string | undefined): string[] | undefined {
  if (!filter || filter.trim() === "") return undefined;
  const types: string[] = [];
  for (const term of filter.split(/\s+OR\s+/)) {
    const match = /^\s*(spaceType|space_type)\s*=\s*"(SPACE|GROUP_CHAT|DIRECT_MESSAGE)"\s*$/.exec(term);
    if (!match) throw invalidArgument(`Invalid filter "${filter}": only space_type = "..." terms joined by OR are supported.`);
    types.push(match[2]);
  }
  return types;
}

/** Page tokens are opaque offsets; `pageSize` defaults to 100 and is capped at 1000. */
export function paginate<T>(all: T[], query: { pageSize?: string; pageToken?: string }) {
  const size = query.pageSize === undefined ? DEFAULT_PAGE_SIZE : Number(query.pageSize);
  if (!Number.isInteger(size) || size < 0) throw invalidArgument("page_size must be a non-negative integer.");
  const pageSize = Math.min(size || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  let offset = 0;
  if (query.pageToken) {
    offset = Number(Buffer.from(query.pageToken, "base64url").toString());
    if (!Number.isInteger(offset) || offset < 0) throw invalidArgument("Invalid page_token.");
  }
  const items = all.slice(offset, offset + pageSize);
  const next = offset + pageSize;
  return { items, nextPageToken: next < all.length ? Buffer.from(String(next)).toString("base64url") : undefined };
}
