/**
 * `check` of a ChatSpaceMembers: the space, the mode, and each member by the shared member rules
 * (provider/members/check.ts `checkMember`), named `members[i].field`; a member twice is refused.
 * Pure: no I/O, so invalid input fails at preview with zero API calls.
 */
import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import { BOOKKEEPING_INPUTS, known } from "../core/engine-values";
import { namesAsMeant, unknownName } from "../core/unseen-characters";
import { checkMember, checkSpace, checkValue, MEMBER_ENTRY, type MembershipCheckContext, type ValueRule } from "../members/check";
import { knownMemberKeyOf } from "../members/member-ref";
import { type ChatSpaceMembersInputs, DECLARED_ROSTER_INPUTS, DEFAULT_ROSTER_MODE, ROSTER_MEMBER_FIELDS, ROSTER_MODES } from "./types";

const DECLARED: readonly string[] = DECLARED_ROSTER_INPUTS;
const KNOWN_INPUTS = new Set<string>([...DECLARED, ...BOOKKEEPING_INPUTS]);
const MEMBER_FIELDS = new Set<string>(ROSTER_MEMBER_FIELDS);
const MODE: ValueRule = {
  what: ROSTER_MODES.map((mode) => (mode === DEFAULT_ROSTER_MODE ? `${mode} (the default)` : mode)).join(" or "),
  accepts: (v) => (ROSTER_MODES as readonly unknown[]).includes(v),
};

export function checkRoster(declared: ChatSpaceMembersInputs, ctx: MembershipCheckContext): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  for (const key of Object.keys(declared)) {
    if (!KNOWN_INPUTS.has(key)) fail(key, `unknown property ${unknownName(key, KNOWN_INPUTS)}: ChatSpaceMembers takes ${DECLARED.join(", ")}.`);
  }
  const { space, members, mode } = namesAsMeant(declared, KNOWN_INPUTS);
  checkSpace(space, fail);
  checkValue("mode", mode, MODE, fail);
  if (members === undefined || members === null) {
    fail("members", "is required: the members of the space (an empty list with mode authoritative removes everyone but the caller).");
    return failures;
  }
  if (!known(members)) return failures;
  if (!Array.isArray(members)) return [...failures, { property: "members", reason: "must be a list of members." }];

  const firstIndexOf = new Map<string, number>();
  members.forEach((entry, i) => {
    const at = `members[${i}]`;
    if (!checkValue(at, entry, MEMBER_ENTRY, fail)) return;
    for (const key of Object.keys(entry)) {
      if (!MEMBER_FIELDS.has(key)) fail(`${at}.${key}`, `unknown field ${unknownName(key, MEMBER_FIELDS)}: a member takes user, group, chatApp and role.`);
    }
    const member = namesAsMeant(entry, MEMBER_FIELDS);
    checkMember(member, ctx, (field, reason) => fail(`${at}.${field}`, reason), "one entry is one member: declare the other in an entry of its own");
    const key = knownMemberKeyOf(member);
    if (key === undefined) return;
    const first = firstIndexOf.get(key);
    if (first === undefined) firstIndexOf.set(key, i);
    else fail(at, `${key} is already declared as members[${first}]: declare each member once, with one role; remove one of the two entries.`);
  });
  return failures;
}
