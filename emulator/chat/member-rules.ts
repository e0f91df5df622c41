/**
 * Membership rules that need no stored data: the historical times of import mode and who
 * counts as a user outside the organisation.
 */
import type { chat_v1 } from "@googleapis/chat";
import { invalidArgument } from "../errors";
import type { StoredMembership, StoredSpace, UserFixture, WorldSettings } from "../model";
import { sameCustomer } from "./space-rules";

/**
 * `createTime` and `deleteTime` of a new membership (v1.d.ts Schema$Membership: "output only,
 * except when used to import historical memberships in import mode spaces"). Outside import mode
 * sending either is refused rather than ignored, so a caller that means history learns it is
 * not written. Google is silent on the bounds; these are the ones that make a history: the
 * membership starts no earlier than the space and no later than now, and ends after it starts.
 * A membership with a `deleteTime` has ended: it is kept as `NOT_A_MEMBER`.
 */
export function historicalTimes(
  space: StoredSpace,
  body: chat_v1.Schema$Membership,
  now: number,
): Pick<StoredMembership, "createTime" | "deleteTime" | "state"> | undefined {
  if (!body.createTime && !body.deleteTime) return undefined;
  if (!space.importMode) {
    throw invalidArgument("membership.create_time and membership.delete_time can only be set in an import mode space.");
  }
  if (!body.createTime) throw invalidArgument("membership.delete_time requires membership.create_time.");
  const created = timestamp(body.createTime, "membership.create_time");
  if (created < Date.parse(space.createTime) || created > now) {
    throw invalidArgument("membership.create_time must be between the space's create_time and now.");
  }
  if (!body.deleteTime) return { createTime: new Date(created).toISOString(), state: "JOINED" };
  const deleted = timestamp(body.deleteTime, "membership.delete_time");
  if (deleted <= created || deleted > now) {
    throw invalidArgument("membership.delete_time must be after membership.create_time and not after now.");
  }
  return { createTime: new Date(created).toISOString(), deleteTime: new Date(deleted).toISOString(), state: "NOT_A_MEMBER" };
}

function timestamp(value: string, field: string): number {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw invalidArgument(`Invalid ${field} "${value}": use an RFC 3339 timestamp.`);
  return time;
}

/**
 * The user a `users/{member}` segment names: by id, or by email compared case-insensitively
 * (v1.d.ts Schema$User.name: "you can use the user's email as an alias"; email addresses are
 * case-insensitive in Google Workspace, so Alice@Example.com is alice@example.com).
 */
export function findUser(users: readonly UserFixture[], idOrEmail: string): UserFixture | undefined {
  const email = idOrEmail.toLowerCase();
  return users.find((u) => u.id === idOrEmail || u.email.toLowerCase() === email);
}

/** A user of another organisation than the emulated one (`UserFixture.customer`). */
export function isExternal(user: UserFixture, world: WorldSettings): boolean {
  return user.customer !== undefined && !sameCustomer(user.customer, world.customer, world);
}
