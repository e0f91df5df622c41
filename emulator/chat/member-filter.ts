/**
 * The `filter` of spaces.members.list (v1.d.ts Params$Resource$Spaces$Members$List `filter`):
 * `role = "..."` and `member.type = "..."` (or `member.type != "..."`) terms, joined with AND
 * across fields and OR within or across fields. OR binds tighter than AND, as in AIP-160, so
 * `member.type = "HUMAN" AND (role = "ROLE_MANAGER" OR role = "ROLE_MEMBER")` is one AND of two
 * clauses. Google's invalid examples, `member.type = "HUMAN" AND member.type = "BOT"` and
 * `role = "ROLE_MANAGER" AND role = "ROLE_MEMBER"`, test one field in two AND clauses: refused.
 */
import { invalidArgument } from "../errors";
import type { StoredMembership } from "../model";

/** Google lists ROLE_MEMBER and ROLE_MANAGER; ROLE_ASSISTANT_MANAGER is a role of the same enum, so it is taken too. */
const ROLES = ["ROLE_MEMBER", "ROLE_MANAGER", "ROLE_ASSISTANT_MANAGER"];
const TYPES = ["HUMAN", "BOT"];

interface Term {
  field: "role" | "member.type";
  negated: boolean;
  value: string;
}

/** What a parsed filter tests, and whether it is the filter admin access requires. */
export interface MemberFilter {
  matches(m: StoredMembership): boolean;
  /**
   * Whether one AND clause is exactly `member.type = "HUMAN"` or `member.type != "BOT"`: "required
   * when use_admin_access is set to true" (v1.d.ts members.list `filter`).
   */
  excludesApps: boolean;
}

export function parseMemberFilter(filter: string | undefined): MemberFilter {
  if (!filter || filter.trim() === "") return { matches: () => true, excludesApps: false };
  const invalid = (why: string) => invalidArgument(`Invalid filter "${filter}": ${why}`);
  const clauses = filter.split(/\s+AND\s+/).map((clause) => {
    const inner = /^\s*\((.*)\)\s*$/.exec(clause)?.[1] ?? clause;
    return inner.split(/\s+OR\s+/).map((text) => parseTerm(text, invalid));
  });
  const seen = new Set<string>();
  for (const clause of clauses) {
    const fields = new Set(clause.map((t) => t.field));
    for (const field of fields) {
      if (seen.has(field)) throw invalid(`${field} can't be tested in two clauses joined by AND.`);
      seen.add(field);
    }
  }
  const fieldValue = (m: StoredMembership, field: Term["field"]) => (field === "role" ? m.role : m.type);
  return {
    matches: (m) => clauses.every((terms) => terms.some((t) => (fieldValue(m, t.field) === t.value) !== t.negated)),
    excludesApps: clauses.some(
      ([term, ...more]) =>
        more.length === 0 && term.field === "member.type" && ((term.value === "HUMAN" && !term.negated) || (term.value === "BOT" && term.negated)),
    ),
  };
}

function parseTerm(text: string, invalid: (why: string) => Error): Term {
  const match = /^\s*(role|member\.type)\s*(=|!=)\s*"([A-Z_]+)"\s*$/.exec(text);
  if (!match) throw invalid(`use role = "..." or member.type = "..." terms joined by AND or OR.`);
  const [, field, operator, value] = match as unknown as [string, Term["field"], string, string];
  if (field === "role" && operator === "!=") throw invalid("only member.type can be tested with !=.");
  const allowed = field === "role" ? ROLES : TYPES;
  if (!allowed.includes(value)) throw invalid(`${field} must be one of ${allowed.join(", ")}.`);
  return { field, negated: operator === "!=", value };
}
