/**
 * `check` of a ChatSpaceMembers: the space, the mode, and each member by the shared member rules
 * (provider/members/check.ts `checkMember`), named `members[i].field`; a member twice is refused.
 * Pure: no I/O, so invalid input fails at preview with zero API calls.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { BOOKKEEPING_INPUTS, known, UNKNOWN } from "../core/engine-values";
import { checkMember, checkSpace, type MembershipCheckContext } from "../members/check";
import { memberKeyOf } from "../members/member-ref";
import { type ChatSpaceMembersInputs, DECLARED_ROSTER_INPUTS, ROSTER_MEMBER_FIELDS, ROSTER_MODES } from "./types";

const DECLARED: readonly string[] = DECLARED_ROSTER_INPUTS;
const KNOWN_INPUTS = new Set<string>([...DECLARED, ...BOOKKEEPING_INPUTS]);
const MEMBER_FIELDS = new Set<string>(ROSTER_MEMBER_FIELDS);

export function checkRoster(inputs: ChatSpaceMembersInputs, ctx: MembershipCheckContext): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  for (const key of Object.keys(inputs)) {
    if (!KNOWN_INPUTS.has(key)) fail(key, `unknown property "${key}": ChatSpaceMembers takes ${DECLARED.join(", ")}.`);
  }
  const { space, members, mode } = inputs;
  checkSpace(space, fail);
  if (known(mode) && !ROSTER_MODES.includes(mode)) {
    fail("mode", `must be ${ROSTER_MODES.join(" or ")} (the default), not ${JSON.stringify(mode)}.`);
  }
  if (members === undefined || members === null) {
    fail("members", "is required: the members of the space (an empty list with mode authoritative removes everyone but the caller).");
    return failures;
  }
  if (!known(members)) return failures;
  if (!Array.isArray(members)) return [...failures, { property: "members", reason: "must be a list of members." }];

  const firstIndexOf = new Map<string, number>();
  members.forEach((member, i) => {
    const at = `members[${i}]`;
    if (!known(member)) return;
    if (typeof member !== "object") return fail(at, "must be an object: { user }, { group } or { chatApp: true }, with a role.");
    for (const key of Object.keys(member)) {
      if (!MEMBER_FIELDS.has(key)) fail(`${at}.${key}`, `unknown field "${key}": a member takes user, group, chatApp and role.`);
    }
    checkMember(member, ctx, (field, reason) => fail(`${at}.${field}`, reason), "one entry is one member: declare the other in an entry of its own");
    const key = Object.values(member).includes(UNKNOWN) ? undefined : memberKeyOf(member);
    if (key === undefined) return;
    const first = firstIndexOf.get(key);
    if (first === undefined) firstIndexOf.set(key, i);
    else fail(at, `${key} is already declared as members[${first}]: declare each member once, with one role; remove one of the two entries.`);
  });
  return failures;
}
