/**
 * `spaces.search` (v1.d.ts Params$Resource$Spaces$Search): with admin access (`useAdminAccess=true`)
 * the organisation's spaces; without it, the spaces the calling user has joined. The query, its
 * ordering and its pages.
 *
 * The query (v1.d.ts `query`), as Google documents it for `useAdminAccess=true`:
 * - `customer = "customers/my_customer"` and `space_type = "SPACE"` are required, each once,
 *   with no AND or OR of their own;
 * - `display_name:"..."` (HAS): each token of the text is a case-insensitive prefix of some word
 *   of the display name (`Fun Eve` matches `Fun event` and `The evening was fun`, not
 *   `notFun event`); terms joined by OR only;
 * - `external_user_allowed = "true"|"false"` and `space_history_state = "HISTORY_ON"|...`: `=`,
 *   terms joined by OR only;
 * - `create_time` and `last_active_time`: RFC 3339 with `=`, `<`, `>`, `<=`, `>=`, joined by OR,
 *   or by AND to make an interval (two bounds);
 * - across fields only AND; a group of several terms of one field is parenthesised; at most
 *   1,000 characters. Anything else is refused with 400 INVALID_ARGUMENT.
 *
 * `orderBy` (v1.d.ts `orderBy`): `membership_count.joined_direct_human_user_count`,
 * `last_active_time` or `create_time`, then `ASC` (the default) or `DESC`. Google does not say
 * how ties or spaces without a `last_active_time` are ordered: here ties go by space name, and a
 * space with no activity comes before every active one in ascending order.
 *
 * `pageSize`: 100 when unset, at most 1000 (larger values are lowered), negative refused.
 * Import-mode spaces are not found ("isn't visible to users", v1.d.ts Space.importMode).
 *
 * Without admin access (v1.d.ts `Resource$Spaces.search`: user authentication with
 * `chat.spaces.readonly` or `chat.spaces`): "the results are limited to spaces where the calling
 * user is a joined member"; the query takes `display_name`, `external_user_allowed` and
 * `space_type` only (`space_type = "SPACE"` still required), and without `display_name` the
 * answer is empty; `orderBy` is `create_time DESC` or `relevance DESC` only (Google does not
 * define relevance: here it is newest first, as is an unset `orderBy`); `pageSize` at most 100;
 * `nextPageToken` and `totalSize` are "only populated when useAdminAccess is set to true", so the
 * answer is one page, and a page token is refused.
 *
 * Across fields only AND: a parenthesised group of AND across fields, as in v1.d.ts's example
 * `(external_user_allowed = "true" AND display_name:"Hello" AND space_type = "SPACE")`, is the
 * same as its terms at the top level.
 */
import type { chat_v1 } from "@googleapis/chat";
import { invalidArgument, permissionDenied } from "../errors";
import type { Caller, StoredMembership, StoredSpace } from "../model";
import { proto3 } from "./render";
import { sameCustomer } from "./space-rules";
import type { ChatStore } from "./store";

/** v1.d.ts `query`: "The maximum query length is 1,000 characters." */
export const MAX_QUERY_LENGTH = 1000;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;
/** v1.d.ts `pageSize`: "The maximum value is 1000 when `useAdminAccess` is set to `true`. Otherwise, the maximum value is 100." */
const MAX_USER_PAGE_SIZE = 100;

/** A field a search query tests (v1.d.ts `query`). */
export type Field = "customer" | "space_type" | "display_name" | "external_user_allowed" | "space_history_state" | "create_time" | "last_active_time";
type Operator = ":" | "=" | "<" | ">" | "<=" | ">=";

interface Term {
  field: Field;
  operator: Operator;
  value: string;
}

/** One clause of the top-level AND: terms of one field, joined by `join`. */
interface Clause {
  field: Field;
  join: "AND" | "OR";
  terms: Term[];
}

const TIME_FIELDS: readonly Field[] = ["create_time", "last_active_time"];
const OPERATORS_OF: Record<Field, readonly Operator[]> = {
  customer: ["="],
  space_type: ["="],
  display_name: [":"],
  external_user_allowed: ["="],
  space_history_state: ["="],
  create_time: ["=", "<", ">", "<=", ">="],
  last_active_time: ["=", "<", ">", "<=", ">="],
};

/** What a space is searched by: its stored record and its joined direct human members. */
export interface SearchCandidate {
  space: StoredSpace;
  members: StoredMembership[];
}

/** A parsed query: whether a space matches it, and the fields it tests. */
export interface SpaceQuery {
  matches(candidate: SearchCandidate): boolean;
  /** The fields the query tests. */
  readonly fields: ReadonlySet<Field>;
}

/** v1.d.ts `query`: the fields "when `useAdminAccess` is set to `false`". */
const USER_FIELDS: readonly Field[] = ["display_name", "external_user_allowed", "space_type"];

const invalid = (query: string, why: string) => invalidArgument(`Invalid query "${query}": ${why}`);

/**
 * Parses a search query, with admin access or without (`adminAccess`); throws INVALID_ARGUMENT
 * with the reason for anything Google does not support.
 */
export function parseSpaceQuery(query: string | undefined, adminAccess: boolean): SpaceQuery {
  if (!query || query.trim() === "") {
    throw invalidArgument(
      adminAccess
        ? 'query is required: start with customer = "customers/my_customer" AND space_type = "SPACE".'
        : 'query is required: start with space_type = "SPACE".',
    );
  }
  if ([...query].length > MAX_QUERY_LENGTH) throw invalid(query.slice(0, 40) + "...", `it is longer than ${MAX_QUERY_LENGTH} characters.`);
  const clauses = splitClauses(tokenize(query), query);
  const seen = new Set<Field>();
  for (const clause of clauses) {
    if (seen.has(clause.field)) throw invalid(query, `${clause.field} can only appear in one clause; join its terms with OR in parentheses.`);
    seen.add(clause.field);
    if (!adminAccess && !USER_FIELDS.includes(clause.field)) {
      throw invalid(query, `${clause.field} is a search field with useAdminAccess only: without it use ${USER_FIELDS.join(", ")}.`);
    }
  }
  const customer = clauses.find((c) => c.field === "customer");
  if (adminAccess && customer?.terms[0].value !== "customers/my_customer") {
    throw invalid(query, 'customer = "customers/my_customer" is required with useAdminAccess, and the only supported value.');
  }
  const spaceType = clauses.find((c) => c.field === "space_type");
  if (spaceType?.terms[0].value !== "SPACE") throw invalid(query, 'space_type = "SPACE" is required, and the only valid value.');
  return { matches: (candidate) => clauses.every((clause) => clauseMatches(clause, candidate)), fields: seen };
}

type Token = { kind: "(" | ")" | "AND" | "OR" } | { kind: "term"; term: Term };

/** Terms (`field op "value"`), parentheses and the words AND and OR. */
function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  const term = /^([a-z_]+)\s*(<=|>=|=|<|>|:)\s*"([^"]*)"/;
  let rest = query.trim();
  while (rest.length > 0) {
    let match: RegExpExecArray | null;
    if (rest[0] === "(" || rest[0] === ")") {
      tokens.push({ kind: rest[0] });
      rest = rest.slice(1);
    } else if ((match = /^(AND|OR)\b/.exec(rest))) {
      tokens.push({ kind: match[1] as "AND" | "OR" });
      rest = rest.slice(match[0].length);
    } else if ((match = term.exec(rest))) {
      tokens.push({ kind: "term", term: checkTerm(match[1], match[2] as Operator, match[3], query) });
      rest = rest.slice(match[0].length);
    } else {
      throw invalid(query, `can't read "${rest.slice(0, 30)}": write terms as field operator "value", joined by AND or OR.`);
    }
    rest = rest.trimStart();
  }
  return tokens;
}

function checkTerm(name: string, operator: Operator, value: string, query: string): Term {
  if (!(name in OPERATORS_OF)) {
    throw invalid(query, `${name} is not a search field: use ${Object.keys(OPERATORS_OF).join(", ")}.`);
  }
  const field = name as Field;
  if (!OPERATORS_OF[field].includes(operator)) {
    throw invalid(query, `${field} takes ${OPERATORS_OF[field].map((o) => (o === ":" ? "HAS (:)" : o)).join(", ")}, not ${operator}.`);
  }
  if (TIME_FIELDS.includes(field) && (Number.isNaN(Date.parse(value)) || !/^\d{4}-\d\d-\d\dT/.test(value))) {
    throw invalid(query, `${field} takes an RFC 3339 timestamp such as "2022-01-01T00:00:00+00:00", not "${value}".`);
  }
  if (field === "external_user_allowed" && value !== "true" && value !== "false")
    throw invalid(query, `external_user_allowed takes "true" or "false", not "${value}".`);
  if (field === "space_history_state" && value !== "HISTORY_ON" && value !== "HISTORY_OFF") {
    throw invalid(query, `space_history_state takes "HISTORY_ON" or "HISTORY_OFF", not "${value}".`);
  }
  return { field, operator, value };
}

/** The top level is clauses joined by AND; a clause is a term or a parenthesised group of one field's terms. */
function splitClauses(tokens: Token[], query: string): Clause[] {
  const clauses: Clause[] = [];
  let i = 0;
  const expectTerm = (): Term => {
    const token = tokens[i++];
    if (token?.kind !== "term") throw invalid(query, "a term is missing: AND, OR and parentheses join terms.");
    return token.term;
  };
  while (i < tokens.length) {
    if (tokens[i].kind === "(") {
      i++;
      const terms = [expectTerm()];
      let join: "AND" | "OR" | undefined;
      while (tokens[i]?.kind === "AND" || tokens[i]?.kind === "OR") {
        const op = tokens[i++].kind as "AND" | "OR";
        if (join && join !== op) throw invalid(query, "AND and OR can't be mixed inside one pair of parentheses.");
        join = op;
        terms.push(expectTerm());
      }
      if (tokens[i++]?.kind !== ")") throw invalid(query, "a parenthesis is not closed.");
      // (a AND b) of different fields is a AND b: v1.d.ts's own example wraps the whole query so.
      if (join === "AND" && terms.some((t) => t.field !== terms[0].field)) clauses.push(...terms.map((t) => groupClause([t], "OR", query)));
      else clauses.push(groupClause(terms, join ?? "OR", query));
    } else {
      clauses.push(groupClause([expectTerm()], "OR", query));
    }
    if (i === tokens.length) break;
    const op = tokens[i++];
    if (op.kind === "OR") throw invalid(query, "only AND is supported across fields; put OR between terms of one field, in parentheses.");
    if (op.kind !== "AND") throw invalid(query, "join clauses with AND.");
    if (i === tokens.length) throw invalid(query, "the query ends with AND.");
  }
  return clauses;
}

function groupClause(terms: Term[], join: "AND" | "OR", query: string): Clause {
  const field = terms[0].field;
  if (terms.some((t) => t.field !== field)) throw invalid(query, "only AND is supported across fields; a parenthesised group tests one field.");
  if (terms.length > 1 && (field === "customer" || field === "space_type")) throw invalid(query, `${field} doesn't support AND or OR.`);
  if (join === "AND" && terms.length > 1) {
    // "AND can only be used to represent an interval" (v1.d.ts): one lower and one upper bound of a time field.
    if (!TIME_FIELDS.includes(field)) throw invalid(query, `${field} only supports OR.`);
    const lower = terms.filter((t) => t.operator === ">" || t.operator === ">=").length;
    const upper = terms.filter((t) => t.operator === "<" || t.operator === "<=").length;
    if (terms.length !== 2 || lower !== 1 || upper !== 1)
      throw invalid(query, `AND of ${field} can only represent an interval: one lower and one upper bound.`);
  }
  return { field, join, terms };
}

function clauseMatches(clause: Clause, candidate: SearchCandidate): boolean {
  const test = (t: Term) => termMatches(t, candidate.space);
  return clause.join === "AND" ? clause.terms.every(test) : clause.terms.some(test);
}

function termMatches(term: Term, space: StoredSpace): boolean {
  switch (term.field) {
    case "customer":
    case "space_type":
      // Checked when parsed: every searched space is of the caller's organisation, and a SPACE.
      return true;
    case "display_name":
      return hasTokens(space.displayName, term.value);
    case "external_user_allowed":
      return String(space.externalUserAllowed) === term.value;
    case "space_history_state":
      return space.spaceHistoryState === term.value;
    default: {
      const at = term.field === "create_time" ? space.createTime : space.lastActiveTime;
      // A space with no such time (createTime is set only for spaces created in Chat; stored as "") matches no range.
      if (!at) return false;
      return compare(Date.parse(at), term.operator, Date.parse(term.value));
    }
  }
}

/** v1.d.ts `display_name`: each token of the text prefix-matches, case-insensitively, some word of the name. */
export function hasTokens(displayName: string, text: string): boolean {
  const words = displayName
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  const tokens = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return tokens.every((token) => words.some((word) => word.startsWith(token)));
}

function compare(a: number, operator: Operator, b: number): boolean {
  switch (operator) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    default:
      return a === b;
  }
}

const ORDER_KEYS = {
  "membership_count.joined_direct_human_user_count": (c: SearchCandidate) => joinedHumans(c.members),
  last_active_time: (c: SearchCandidate) => (c.space.lastActiveTime ? Date.parse(c.space.lastActiveTime) : -Infinity),
  create_time: (c: SearchCandidate) => (c.space.createTime ? Date.parse(c.space.createTime) : -Infinity),
} as const;

const joinedHumans = (members: StoredMembership[]) => members.filter((m) => m.state === "JOINED" && m.type === "HUMAN").length;

/** Sorts by `orderBy` (v1.d.ts: one attribute, then ASC, the default, or DESC); by create_time when unset. */
export function orderCandidates(candidates: SearchCandidate[], orderBy: string | undefined): SearchCandidate[] {
  const [attribute = "create_time", direction = "ASC", ...extra] = (orderBy ?? "").trim().split(/\s+/).filter(Boolean);
  const key = ORDER_KEYS[attribute as keyof typeof ORDER_KEYS];
  if (!key || (direction !== "ASC" && direction !== "DESC") || extra.length > 0) {
    throw invalidArgument(`Invalid order_by "${orderBy}": use ${Object.keys(ORDER_KEYS).join(", ")}, optionally followed by ASC or DESC.`);
  }
  const sign = direction === "DESC" ? -1 : 1;
  return [...candidates].sort((a, b) => sign * (key(a) - key(b)) || (a.space.id < b.space.id ? -1 : a.space.id > b.space.id ? 1 : 0));
}

/**
 * Sorts a search without admin access: `create_time DESC` or `relevance DESC` only (v1.d.ts
 * `orderBy`). Google does not define relevance: here it, and an unset `orderBy`, are newest first.
 */
export function orderUserCandidates(candidates: SearchCandidate[], orderBy: string | undefined): SearchCandidate[] {
  const order = (orderBy ?? "").trim().split(/\s+/).filter(Boolean).join(" ");
  if (order !== "" && order !== "create_time DESC" && order !== "relevance DESC") {
    throw invalidArgument(`Invalid order_by "${orderBy}": without useAdminAccess use create_time DESC or relevance DESC.`);
  }
  return orderCandidates(candidates, "create_time DESC");
}

/** `pageSize` of a search: 100 when unset or 0, at most 1000 with admin access and 100 without. */
export function searchPageSize(raw: string | undefined, adminAccess: boolean): number {
  const size = raw === undefined ? DEFAULT_PAGE_SIZE : Number(raw);
  if (!Number.isInteger(size) || size < 0) throw invalidArgument("page_size must be a non-negative integer.");
  return Math.min(size || DEFAULT_PAGE_SIZE, adminAccess ? MAX_PAGE_SIZE : MAX_USER_PAGE_SIZE);
}

/**
 * A page token: where the next page starts, bound to the query and order it was made for. v1.d.ts
 * says other parameters "should match the call that provided the page token"; a token used with
 * another query is refused rather than answering a page of a different search.
 */
export function encodePageToken(offset: number, query: string, orderBy: string | undefined): string {
  return Buffer.from(JSON.stringify([offset, query, orderBy ?? ""])).toString("base64url");
}

export function decodePageToken(token: string | undefined, query: string, orderBy: string | undefined): number {
  if (!token) return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString());
  } catch {
    throw invalidArgument("Invalid page_token.");
  }
  const [offset, madeFor, order] = Array.isArray(parsed) ? parsed : [];
  if (!Number.isInteger(offset) || offset < 0) throw invalidArgument("Invalid page_token.");
  if (madeFor !== query || order !== (orderBy ?? "")) throw invalidArgument("The page_token was made for another query or order_by: repeat them unchanged.");
  return offset;
}

/** The answer of one page (v1.d.ts Schema$SearchSpacesResponse: `results`, the deprecated `spaces`, `totalSize`). */
export function searchAnswer(page: chat_v1.Schema$Space[], totalSize: number, nextPageToken: string | undefined): chat_v1.Schema$SearchSpacesResponse {
  return proto3({ results: page.map((space) => ({ space })), spaces: page, nextPageToken, totalSize });
}

/**
 * With admin access, the organisation's spaces an administrator searches: SPACEs out of import
 * mode, of its own customer; without it, the SPACEs the calling user has joined.
 */
export function searchSpaces(store: ChatStore, caller: Caller, query: { query?: string; orderBy?: string; pageSize?: string; pageToken?: string }) {
  if (caller.grant !== "admin") return searchJoinedSpaces(store, caller, query);
  if (caller.principal.kind !== "user" || !caller.principal.user.admin) {
    throw permissionDenied("useAdminAccess requires a Google Workspace administrator.");
  }
  const text = query.query ?? "";
  const parsed = parseSpaceQuery(text, true);
  const pageSize = searchPageSize(query.pageSize, true);
  const offset = decodePageToken(query.pageToken, text, query.orderBy);
  const candidates = Object.values(store.state.spaces)
    .filter((space) => space.spaceType === "SPACE" && !space.importMode && sameCustomer(space.customer, store.world.customer, store.world))
    .map((space) => ({ space, members: store.members(space.id) }))
    .filter((candidate) => parsed.matches(candidate));
  const ordered = orderCandidates(candidates, query.orderBy);
  const page = ordered.slice(offset, offset + pageSize).map((c) => store.render(c.space, caller));
  const next = offset + pageSize < ordered.length ? encodePageToken(offset + pageSize, text, query.orderBy) : undefined;
  return searchAnswer(page, ordered.length, next);
}

/** A search without admin access: the SPACEs the calling user has joined, one page, no `totalSize`. */
function searchJoinedSpaces(store: ChatStore, caller: Caller, query: { query?: string; orderBy?: string; pageSize?: string; pageToken?: string }) {
  const parsed = parseSpaceQuery(query.query, false);
  const pageSize = searchPageSize(query.pageSize, false);
  // No answer without admin access carries a nextPageToken, so none is valid.
  if (query.pageToken) throw invalidArgument("Invalid page_token.");
  const candidates = Object.values(store.state.spaces)
    .filter((space) => space.spaceType === "SPACE" && !space.importMode && store.membershipOf(space.id, caller.principal))
    .map((space) => ({ space, members: store.members(space.id) }))
    .filter((candidate) => parsed.matches(candidate));
  const ordered = orderUserCandidates(candidates, query.orderBy);
  // "display_name is required to retrieve meaningful results. Otherwise, the default behavior is to return an empty response."
  if (!parsed.fields.has("display_name")) return {};
  const page = ordered.slice(0, pageSize).map((c) => store.render(c.space, caller));
  return proto3({ results: page.map((space) => ({ space })), spaces: page });
}
