/**
 * `check` of a ChatMembership: every declared value validated before anything reaches Google,
 * so invalid input fails at preview with zero API calls. Pure: no I/O; returns failures.
 *
 * What can't be known here: whether the space is in import mode (the space's `name` is all the
 * membership gets). `createTime` and `deleteTime` are refused where import mode is impossible
 * (app authentication, admin access); elsewhere Google refuses them outside import mode.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { BOOKKEEPING_INPUTS } from "../core/engine-values";
import { isRfc3339Time } from "../core/rfc3339";
import { namesAsMeant, unknownName } from "../core/unseen-characters";
import { checkMember, checkSpace, checkValue, type MembershipCheckContext, type ValueRule } from "../members/check";
import { DECLARED_MEMBERSHIP_INPUTS } from "./inputs";
import type { ChatMembershipInputs } from "./types";

const KNOWN_INPUTS = new Set<string>([...DECLARED_MEMBERSHIP_INPUTS, ...BOOKKEEPING_INPUTS]);
const TIME: ValueRule = {
  what: "an RFC 3339 time such as 2019-01-01T00:00:00Z",
  accepts: (v) => typeof v === "string" && isRfc3339Time(v),
};

export function checkMembership(declared: ChatMembershipInputs, ctx: MembershipCheckContext): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });

  for (const key of Object.keys(declared)) {
    if (!KNOWN_INPUTS.has(key)) fail(key, `unknown property ${unknownName(key, KNOWN_INPUTS)}: ChatMembership takes ${DECLARED_MEMBERSHIP_INPUTS.join(", ")}.`);
  }

  const inputs = namesAsMeant(declared, KNOWN_INPUTS);
  const { space, createTime, deleteTime } = inputs;
  checkSpace(space, fail);
  checkMember(inputs, ctx, fail, "one ChatMembership is one member");

  /** The times that are there, known and RFC 3339 times. */
  const read: { createTime?: string; deleteTime?: string } = {};
  for (const [field, value] of [
    ["createTime", createTime],
    ["deleteTime", deleteTime],
  ] as const) {
    if (!checkValue(field, value, TIME, fail)) continue;
    read[field] = value;
    if (Date.parse(value!) > ctx.now) fail(field, `${value} is in the future: historical memberships are in the past.`);
    else if (ctx.auth === "app" || ctx.useAdminAccess) {
      fail(field, "is for import mode only, which needs user authentication through domain-wide delegation (chat.import), without googlechat:useAdminAccess.");
    }
  }
  if (deleteTime !== undefined && deleteTime !== null && createTime === undefined) fail("deleteTime", "needs createTime: a historical membership has both.");
  if (read.createTime && read.deleteTime && Date.parse(read.deleteTime) < Date.parse(read.createTime)) {
    fail("deleteTime", `${read.deleteTime} is before createTime ${read.createTime}.`);
  }
  return failures;
}
