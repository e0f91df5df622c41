/**
 * Mutation testing of the providers' rules: which hand-made mutations of today's rules the
 * lifecycle fuzzer catches on its own, and which the unit tests catch.
 *
 *   npx ts-node scripts/mutants.ts                 # every mutation, both suites (npm run mutants)
 *   npx ts-node scripts/mutants.ts --only fuzz     # the fuzz files alone (or --only unit)
 *   npx ts-node scripts/mutants.ts --mutant roster-update-fresh-read,space-dbr-flipped
 *   npx ts-node scripts/mutants.ts --list          # the table, nothing run
 *   npx ts-node scripts/mutants.ts --check         # each mutation applied and compiled, nothing run
 *   npx ts-node scripts/mutants.ts --fuzz-files members --unit-files 'test/provider/member*.test.ts'
 *                                                  # narrower suites: fuzz files whose name has a part, unit globs
 *
 * Each mutation replaces one exact, short text of one file by another. The tree is never
 * changed: the files git knows (tracked and new, not ignored) are copied to a scratch directory
 * that shares node_modules, and each mutation is applied there, one at a time, and undone in a
 * `finally` before the next. An anchor text that is not in its file, or is there more than once,
 * stops the run before anything is run: re-anchor it on the file's new text.
 *
 * The suites, each with mocha's --bail (the first failure is enough):
 * - fuzz: test/fuzz/*.fuzz.test.ts and test/fuzz/replay.test.ts, with their npm-test run counts
 *   and seed (FUZZ_* variables are cleared), FUZZ_NO_SHRINK=1 (a failure is reported as found,
 *   not shrunk, to save the time);
 * - unit: every test/**\/*.test.ts but those, and but the tests that hold no rule and can't run
 *   in the copy (the docs tests, the compiled package's: NOT_OF_RULES).
 * Both suites are first run unmutated: a suite that fails then would count every mutation caught.
 * A suite that fails under a mutation is run again: a failure that does not happen twice (a
 * timing-sensitive test on a loaded machine) is not a catch, and is named as such.
 * Each mutation must compile (tsc --noEmit): the suites then run with ts-node's transpile-only mode.
 */
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { INVARIANTS } from "../test/fuzz/invariants";
import { MEMBERS_INVARIANTS } from "../test/fuzz/members-invariants";
import { MEMBERSHIP_INVARIANTS } from "../test/fuzz/membership-invariants";
import { ROSTER_INVARIANTS } from "../test/fuzz/roster-run";

/** One mutation: in `file`, the one occurrence of `find` becomes `replace`; `rule` is what it breaks. */
export interface Mutant {
  id: string;
  file: string;
  find: string;
  replace: string;
  rule: string;
}

/**
 * Rules the fuzzer reaches only through particular generators: a roster updated after someone
 * joined in Chat, a customer moved to a second organisation, import mode entered, emails in
 * capitals, and programs that take their options from the SDK's constants.
 */
const FUZZ_GAPS: Mutant[] = [
  {
    id: "roster-update-fresh-read",
    file: "provider/space-members/provider.ts",
    find: `      olds,\n      news,\n      target,\n      "update",`,
    replace:
      "      { ...olds, members: (await listRoster(this.api, olds.space, this.settings?.useAdminAccess === true, " +
      `target)).map(rosterEntry) },\n      news,\n      target,\n      "update",`,
    rule: "a roster's update removes only members the state lists (not one who joined in Chat since the last refresh)",
  },
  {
    id: "space-customer-no-replace",
    file: "provider/space/diff.ts",
    find: "...replacedFields(previous, knownNews, olds),",
    replace: `...replacedFields(previous, knownNews, olds).filter((f) => f !== "customer"),`,
    rule: "a change of customer replaces the space",
  },
  {
    id: "space-my-customer-any-org",
    file: "provider/space/identity.ts",
    find: `if (field === "customer" && had === OWN_CUSTOMER && live.customer) had = live.customer;`,
    replace: "",
    rule: "customers/my_customer declared before stands for the space's own organisation, not any",
  },
  {
    id: "space-import-entered-in-place",
    file: "provider/space/identity.ts",
    find: `importMode: [{ from: true, to: false }],`,
    replace: `importMode: [{ from: true, to: false }, { from: false, to: true }],`,
    rule: "entering import mode replaces the space (only leaving it is in place)",
  },
  {
    id: "space-dbr-flipped",
    file: "provider/space/identity.ts",
    find: "export const DELETE_BEFORE_REPLACE = true;",
    replace: "export const DELETE_BEFORE_REPLACE = false;",
    rule: "a space's replacement deletes the old space first",
  },
  {
    id: "member-key-case-sensitive",
    file: "provider/members/member-ref.ts",
    find: "return memberRefOf(declared)?.name.toLowerCase();",
    replace: "return memberRefOf(declared)?.name;",
    rule: "a declared member's email compares case-insensitively (Alice@Example.com is alice@example.com): no new member, no second one",
  },
];

/** Further rules of the three providers. */
const RULES: Mutant[] = [
  // ChatSpace
  {
    id: "space-external-in-place",
    file: "provider/space/identity.ts",
    find: `export const REPLACE_ONLY = ["customer", "externalUserAllowed", "createTime", "spaceType", "importMode"] as const;`,
    replace: `export const REPLACE_ONLY = ["customer", "createTime", "spaceType", "importMode"] as const;`,
    rule: "externalUserAllowed is replace-only",
  },
  {
    id: "space-create-time-as-text",
    file: "provider/space/identity.ts",
    find: `return typeof a === "string" && typeof b === "string" ? Date.parse(a) === Date.parse(b) : a === b;`,
    replace: "return a === b;",
    rule: "createTime compares as an instant, not as text",
  },
  {
    id: "space-undeclared-replaces",
    file: "provider/space/identity.ts",
    find: "    if (wanted === undefined) return false;\n    // The space already has it",
    replace: "    if (wanted === undefined && previous[field] === undefined) return false;\n    // The space already has it",
    rule: "a replace-only field taken out of the declaration is not managed: never a replacement",
  },
  {
    id: "space-history-mask-not-alone",
    file: "provider/space/update-plan.ts",
    find: `updateMask: "space_history_state",`,
    replace: `updateMask: "display_name,space_history_state",`,
    rule: "space_history_state is patched alone in its mask",
  },
  {
    id: "space-details-undeclared-half-blanked",
    file: "provider/space/update-plan.ts",
    find: "const description = desired.spaceDetails.description ?? live.spaceDetails.description;",
    replace: `const description = desired.spaceDetails.description ?? "";`,
    rule: "space_details keeps the half the declaration leaves out",
  },
  {
    id: "space-permission-previous-ignored",
    file: "provider/space/update-plan.ts",
    find: "const known = liveSetting ?? (live.permissionSettings ? undefined : previousSetting);",
    replace: "const known = liveSetting ?? (live.permissionSettings ? undefined : previousSetting && undefined);",
    rule: "an unreadable permission setting (app auth) is compared with the previous declaration, not re-sent",
  },
  {
    id: "space-request-id-ignores-identity",
    file: "provider/space/request-id.ts",
    find: "return uuidv5(`${identityKey(declared)}#${attempt}`, base);",
    replace: "return uuidv5(`${identityKey(declared).slice(0, 0)}#${attempt}`, base);",
    rule: "a replacement's requestId differs from the one of the space it replaces (identity in the derivation)",
  },
  {
    id: "space-request-id-ignores-organisation",
    file: "provider/space/request-id.ts",
    find: `JSON.stringify([inputs.__organization ?? "", inputs.__urn, inputs.requestId ?? null])`,
    replace: `JSON.stringify(["", inputs.__urn, inputs.requestId ?? null])`,
    rule: "requestIds derive from the Pulumi organisation too",
  },
  {
    id: "space-check-name-length",
    file: "provider/space/check.ts",
    find: "export const MAX_DISPLAY_NAME = 128;",
    replace: "export const MAX_DISPLAY_NAME = 129;",
    rule: "check refuses a displayName over 128 characters",
  },
  {
    id: "space-check-history-value",
    file: "provider/space/check.ts",
    find: `  f.oneOf("spaceHistoryState", inputs.spaceHistoryState, ["HISTORY_ON", "HISTORY_OFF"]);`,
    replace: "",
    rule: "check refuses a spaceHistoryState other than HISTORY_ON or HISTORY_OFF",
  },
  {
    id: "space-404-without-admin-gone",
    file: "provider/space/provider.ts",
    find: "    if (!this.settings?.useAdminAccess) return undefined;\n    const adminAnswered",
    replace: `    if (!this.settings?.useAdminAccess) return "gone";\n    const adminAnswered`,
    rule: "a 404 is a deleted space only with admin access (else it may be a space these credentials can't see)",
  },
  {
    id: "space-admin-404-unconfirmed",
    file: "provider/space/provider.ts",
    find: "    const byUser = adminAnswered ? () => unlessNotFound(this.api.get(id, { userAccess: true, target })) : ANSWERED_404;",
    replace: "    const byUser = adminAnswered ? ANSWERED_404 : ANSWERED_404;",
    rule: "admin access's 404 is a deleted space only if the calling user doesn't see it either (admin access reaches only its own organisation)",
  },
  {
    id: "space-partial-patch-answer-kept",
    file: "provider/space/provider.ts",
    find: "resolve(isPartial(answer) ? await this.api.get(live.name, { target }) : answer);",
    replace: "resolve(answer);",
    rule: "a PATCH answered with the name alone is read again, never written into the state",
  },
  {
    id: "space-replay-age-ignored",
    file: "provider/space/replay.ts",
    find: "return created < startedAt - SERVER_CLOCK_SPREAD_MS;",
    replace: "return created < startedAt - SERVER_CLOCK_SPREAD_MS * 1e9;",
    rule: "a space returned by an earlier request's requestId (old createTime, or deleted here) is read again",
  },
  // ChatMembership
  {
    id: "membership-last-owner-unguarded",
    file: "provider/membership/provider.ts",
    find: "if (!now.has(outs.name) || now.anotherThan([outs.name])) return;",
    replace: "if (!now.has(outs.name) || now.anotherThan([outs.name]) || true) return;",
    rule: "a membership never removes or demotes the space's last owner",
  },
  {
    id: "membership-name-only-answer-kept",
    file: "provider/members/memberships.ts",
    find: "if (answer.state && (answer.member || answer.groupMember)) return answer;",
    replace: "return answer;",
    rule: "a membership answer holding the name alone is read again",
  },
  {
    id: "membership-check-group-role",
    file: "provider/members/check.ts",
    find: 'if (declares(group)) {\n      fail("role"',
    replace: 'if (false) {\n      fail("role"',
    rule: "check refuses a role on a Google Group",
  },
  {
    id: "membership-check-null-passes",
    file: "provider/members/check.ts",
    find: "if (value === undefined || value === UNKNOWN) return false;",
    replace: "if (value === undefined || value === null || value === UNKNOWN) return false;",
    rule: "check refuses a null member, field or roster entry, naming it",
  },
  {
    id: "membership-check-type-unchecked",
    file: "provider/members/check.ts",
    find: 'const isString = (value: unknown): value is string => typeof value === "string";',
    replace: "const isString = (value: unknown): value is string => value !== undefined;",
    rule: "check refuses a value of the wrong type with a failure naming it, never a TypeError",
  },
  {
    id: "membership-check-app-admin-access",
    file: "provider/members/check.ts",
    find: "if (ctx.useAdminAccess && chatApp === true) {",
    replace: "if (false) {",
    rule: "check refuses chatApp with admin access",
  },
  // ChatSpaceMembers
  {
    id: "roster-caller-removed",
    file: "provider/space-members/plan.ts",
    find: `const leaving = mode === "authoritative" ? undeclared.filter((m) => !isCaller(m) && !otherCaller(m) && !beyondAdmin(m) && !beyondApp(m)) : [];`,
    replace: `const leaving = mode === "authoritative" ? undeclared.filter((m) => !otherCaller(m) && !beyondAdmin(m) && !beyondApp(m)) : [];`,
    rule: "an authoritative roster never removes the calling user",
  },
  {
    id: "roster-group-removed-under-app-auth",
    file: "provider/space-members/plan.ts",
    find: `undeclared.filter((m) => !isCaller(m) && !otherCaller(m) && !beyondAdmin(m) && !beyondApp(m))`,
    replace: `undeclared.filter((m) => !isCaller(m) && !otherCaller(m) && !beyondAdmin(m))`,
    rule: "an authoritative roster under app authentication keeps the Google Groups it does not declare: Google lets no Chat app remove one",
  },
  {
    id: "roster-unnamed-membership-removed",
    file: "provider/space-members/plan.ts",
    find: `const undeclared = listed.filter((m) => m.member !== "");`,
    replace: "const undeclared = listed;",
    rule: "an authoritative roster keeps a listed membership whose member Google does not name (a group's, shown to a Chat app without its group)",
  },
  {
    id: "delete-removes-group-under-app-auth",
    file: "provider/members/member-provider.ts",
    find: `if (groupBeyondApp(entry.memberType, this.settings?.auth === "app")) return APP_AUTH_KEEPS_GROUPS;`,
    replace: `if (groupBeyondApp(entry.memberType, this.settings?.auth === "user")) return APP_AUTH_KEEPS_GROUPS;`,
    rule: "a delete under app authentication keeps a Google Group's membership (Google refuses its removal to an app) and removes the others",
  },
  {
    id: "caller-not-published-at-configure",
    file: "provider/members/member-provider.ts",
    find: "    await this.learnCallerAtConfigure();\n    this.callerLearntNow();\n",
    replace: "    await this.learnCallerAtConfigure();\n",
    rule: "a provider process publishes whom it acts as when it is configured, so a destroy (which checks nothing) keeps it",
  },
  {
    id: "own-credentials-caller-not-learnt-at-configure",
    file: "provider/members/member-provider.ts",
    find: "    await this.learnCallerAtConfigure();\n",
    replace: "    void this.learnCallerAtConfigure;\n",
    rule: "a provider process on a user's own credentials asks Google whom they name when configured: a destroy (which checks nothing there) keeps her",
  },
  {
    id: "another-instance-caller-by-record",
    file: "provider/members/claims.ts",
    find: "return sameMember(isEmailKey(key) ? await this.resolved(space, key, resolve, true) : key, member);",
    replace: "return sameMember(isEmailKey(key) ? await this.resolved(space, key, resolve, false) : key, member);",
    rule: "another provider instance's caller, published by email, is whom Google answers that email names now, never a state's record of it",
  },
  {
    id: "another-instance-caller-by-record-in-roster-plan",
    file: "provider/members/claims.ts",
    find: "const id = keys.find(isUserIdKey) ?? (email ? await this.resolved(space, email, resolve, true) : undefined);",
    replace: "const id = keys.find(isUserIdKey) ?? (email ? await this.resolved(space, email, resolve, false) : undefined);",
    rule: "a roster's plan keeps another instance's caller, published by email, as whom Google answers that email names now, not a state's record",
  },
  {
    id: "another-instance-caller-removed",
    file: "provider/members/member-provider.ts",
    find: `return (await this.anotherCallerOf(space, member, spellings, memberType))?.stays;`,
    replace: `return (await this.anotherCallerOf(space, member, spellings, memberType)) && undefined;`,
    rule: "no removal takes the calling user of another provider instance of the deployment",
  },
  {
    id: "another-instance-caller-demoted",
    file: "provider/space-members/plan.ts",
    find: `return other !== undefined && keepsCallersRole(p.entry.role, p.role, other.adminAccess);`,
    replace: `return other !== undefined && keepsCallersRole(p.entry.role, p.role, true);`,
    rule: "no roster demotes the calling user of another provider instance below owner without that instance's admin access",
  },
  {
    id: "roster-space-unknown-plans-replacement-only",
    file: "provider/space-members/diff.ts",
    find: "return (news.space as string) === UNKNOWN\n",
    replace: "return (news.space as string) === UNKNOWN && replaces.length < 0\n",
    rule: "a roster whose space is unknown at preview announces the plan of the update its up makes if the space is the same",
  },
  {
    id: "membership-role-change-unlogged",
    file: "provider/membership/provider.ts",
    find: "if (roleChange) this.deps.log(",
    replace: 'if (roleChange?.from === "never") this.deps.log(',
    rule: "a ChatMembership's preview says the role change its update makes (a dynamic provider passes no detailed diff)",
  },
  {
    id: "membership-role-change-from-declaration",
    file: "provider/membership/diff.ts",
    find: "roleChange: { from: olds.role,",
    replace: 'roleChange: { from: String(previous.role ?? "ROLE_MEMBER"),',
    rule: "a ChatMembership's preview says the role change from her role as last read, not as last declared (a refresh may have found it changed in Chat)",
  },
  {
    id: "membership-space-unknown-role-change-unlogged",
    file: "provider/membership/diff.ts",
    find: 'identity.every((k) => k === "space" || k === "createTime"',
    replace: 'identity.every((k) => (k === "space" && k.length < 0) || k === "createTime"',
    rule: "a ChatMembership whose space is unknown at preview announces the role change of the update its up makes if the space is the same",
  },
  {
    id: "membership-member-unknown-role-change-unlogged",
    file: "provider/membership/diff.ts",
    find: "|| isMemberInput(k))) return undefined;",
    replace: "|| (isMemberInput(k) && k.length < 0))) return undefined;",
    rule: "a ChatMembership whose member is unknown at preview announces the role change of the update its up makes if she is the same",
  },
  {
    id: "membership-times-unknown-role-change-unlogged",
    file: "provider/membership/diff.ts",
    find: '|| k === "createTime" || k === "deleteTime" ||',
    replace: '|| ((k === "createTime" || k === "deleteTime") && k.length < 0) ||',
    rule: "a ChatMembership whose import-mode times are unknown at preview announces the role change of the update its up makes if they are the same",
  },
  {
    id: "plan-pending-removals-unnamed",
    file: "commands/plan/roster.ts",
    find: ".filter((key) => recorded[key] && !declaredNow.has(key))",
    replace: ".filter((key) => recorded[key] && !declaredNow.has(key) && key.length < 0)",
    rule: "the plan summary of a roster's delete or replacement names the members whose removal a failed update left pending",
  },
  {
    id: "plan-pending-deletes-merged",
    file: "commands/plan/summary.ts",
    find: "const replacing = steps.find((s) => REPLACEMENT_OPS.includes(s.op) && s.oldState);\n  return steps.filter(",
    replace: "const replacing = steps.find((s) => REPLACEMENT_OPS.includes(s.op) && s.oldState);\n  return steps.slice(0, 0).filter(",
    rule: "the plan summary tells a resource an earlier update left pending deletion apart from this run's change of the resource",
  },
  {
    id: "plan-deleted-resource-declares",
    file: "commands/plan/claims.ts",
    find: "|| deleted.has(step.urn) ||",
    replace: "|| (deleted.has(step.urn) && false) ||",
    rule: "a resource the run deletes (destroy --run-program: same, then delete) keeps nobody in the plan summary",
  },
  {
    id: "former-address-removed",
    file: "provider/members/claims.ts",
    find: "return found.length > 0 ? found : this.byFormerAddress(space, member, recordedBy, live);",
    replace: "return found.length > 0 || this.byFormerAddress.length > 0 ? found : [];",
    rule: "a member a plan said stays, held by a new declaration of the address its state records, stays though Google gives the address to another",
  },
  {
    id: "former-address-disputes-ignored",
    file: "provider/members/email-ids.ts",
    find: "return this.recordsDisputed.has(key) ? undefined : namesMember(key, member, spellings, this.records);",
    replace: "return namesMember(key, member, spellings, this.records);",
    rule: "an address two states record for two people names neither in the plan's reading: the removal was announced",
  },
  {
    id: "roster-addonly-release-unrecorded",
    file: "provider/space-members/diff.ts",
    find: `const released = known ? releasedBy(olds, knownEntries, declared, plan.removals) : [];`,
    replace: `const released = known && releasedBy.length < 0 ? releasedBy(olds, knownEntries, declared, plan.removals) : [];`,
    rule: "a roster's update stops declaring, in its state, a member the program no longer declares in it and it keeps: its delete leaves her",
  },
  {
    id: "roster-create-removes",
    file: "provider/space-members/provider.ts",
    find: `planRoster(before, news.members ?? [], "addOnly", acting, "deferred")`,
    replace: `planRoster(before, news.members ?? [], now.mode, acting, "deferred")`,
    rule: "a roster's create removes nobody (its preview could not list the space)",
  },
  {
    id: "roster-matched-add-removed",
    file: "provider/space-members/provider.ts",
    find: "const removals = plan.removals.filter((m) => !added.has(m.member.toLowerCase()));",
    replace: "const removals = plan.removals.filter((m) => !added.has(m.member.toLowerCase()) || true);",
    rule: "adds before removals: an email matched by its add to a member of the roster is not removed",
  },
  {
    id: "roster-last-owner-unguarded",
    file: "provider/space-members/plan.ts",
    find: "if (staying + coming > 0) return undefined;",
    replace: "if (staying + coming >= 0) return undefined;",
    rule: "a roster never leaves the space without an owner",
  },
  {
    id: "roster-invited-owner-counts",
    file: "provider/members/owners.ts",
    find: `export const isActingOwner = (m: Pick<MemberEntry, "role" | "state">): boolean => m.role === OWNER && m.state === "JOINED";`,
    replace: `export const isActingOwner = (m: Pick<MemberEntry, "role" | "state">): boolean => m.role === OWNER && m.state !== "";`,
    rule: "an invited owner is not an owner until they accept",
  },
  {
    id: "roster-caller-demoted",
    file: "provider/space-members/plan.ts",
    find: "const demotesCaller = (p: RosterPatch) => p.entry.member.toLowerCase() === caller &&",
    replace: "const demotesCaller = (p: RosterPatch) => p.entry.member.toLowerCase() === caller && false &&",
    rule: "a roster never demotes the calling user below owner without admin access",
  },
  {
    id: "roster-invitations-unlisted",
    file: "provider/members/memberships.ts",
    find: "showInvited: true,",
    replace: "showInvited: false,",
    rule: "a roster's listing includes invitations",
  },
  {
    id: "roster-withdrawn-invitation-kept",
    file: "provider/space-members/provider.ts",
    find: "stillThere.push(rosterEntry(await this.api.getMember(m.name, { target })));",
    replace: "stillThere.push(m);",
    rule: "under app authentication a roster's refresh reads each INVITED member its listing can't show (a withdrawn invitation is dropped)",
  },
];

/**
 * The rules of memberships across resources (provider/members): who keeps a member (claims.ts),
 * the calling user (caller.ts), a removal's 404, and how a membership is replaced. The
 * cross-resource fuzz half (test/fuzz/members-*.ts) is the fuzzer's side of them.
 */
const CROSS_RESOURCE: Mutant[] = [
  {
    id: "claims-holders-ignore-declarations",
    file: "provider/members/claims.ts",
    find: "if (timesConflicts(live, times).length === 0) found.push({ holder: declaration.holder, declares: true });",
    replace: "if (false && timesConflicts(live, times).length === 0) found.push({ holder: declaration.holder, declares: true });",
    rule: "a member a declared resource holds is not removed by another's delete (a move, a rename, up --replace)",
  },
  {
    id: "roster-delete-ignores-declared-times",
    file: "provider/space-members/provider.ts",
    find: "return await this.timesNow(space, entry, spellings, {}, target);",
    replace: "void [space, entry, spellings, target];\n      return {};",
    rule: "a roster's delete leaves a member a ChatMembership declares with the import-mode times the membership has",
  },
  {
    id: "roster-removal-ignores-timed-claims",
    file: "provider/members/claims.ts",
    find: ".filter(({ declaration }) => declaration.holder.urn !== roster.holder.urn)",
    replace: ".filter(({ declaration, times }) => declaration.holder.urn !== roster.holder.urn && timesConflicts({}, times).length === 0)",
    rule: "a roster's update removes no member a ChatMembership checked since its diff declares, whatever import-mode times it declares",
  },
  {
    id: "claims-listed-addonly-apply",
    file: "provider/space-members/provider.ts",
    find: `if (news.__urn && now.mode === "authoritative") this.claims.listed(`,
    replace: "if (news.__urn) this.claims.listed(",
    rule: "an addOnly roster's listing (after its create or update) keeps no one another roster's delete removes",
  },
  {
    id: "claims-listed-addonly-diff",
    file: "provider/space-members/provider.ts",
    find: `if (news.__urn && (news.mode ?? DEFAULT_ROSTER_MODE) === "authoritative")`,
    replace: "if (news.__urn)",
    rule: "an addOnly roster's state (at its diff) keeps no one another roster's delete removes",
  },
  {
    id: "claims-in-any-space",
    file: "provider/members/claims.ts",
    find: "return [...this.declarations.values()].filter((d) => d.space === space);",
    replace: "return [...this.declarations.values()].filter((d) => d.space === space || d.space !== space);",
    rule: "claims are per space: a member declared in another space neither keeps nor conflicts",
  },
  {
    id: "claims-conflicts-none",
    file: "provider/members/claims.ts",
    find: "  callerOf: (roster: Declaration) => CallerTest = () => () => false,\n): Conflict[] {\n",
    replace: "  callerOf: (roster: Declaration) => CallerTest = () => () => false,\n): Conflict[] {\n  if (other.members.length >= 0) return [];\n",
    rule:
      "two declarations of one member (two ChatMemberships, a ChatMembership and a roster, an authoritative roster beside a ChatMembership, " +
      "two rosters) are refused at check",
  },
  {
    id: "claims-caller-of-checking-process",
    file: "provider/members/claims.ts",
    find: "const rosterCaller = (roster: Declaration) => (this.mine.has(roster.holder.urn) ? isCaller : this.callerOf(roster));",
    replace: "const rosterCaller = (roster: Declaration) => (this.mine.has(roster.holder.urn) || roster ? isCaller : this.callerOf(roster));",
    rule: "an authoritative roster keeps its own provider's calling user: a ChatMembership of another provider's caller beside it is refused",
  },
  {
    id: "claims-caller-not-published-at-diff",
    file: "provider/space-members/provider.ts",
    find: "      this.publishCaller(news.__urn);\n",
    replace: "",
    rule: "a roster's caller learnt at its diff is published, and reveals a conflict with a ChatMembership checked before it",
  },
  {
    id: "claims-names-member-ignores-learned",
    file: "provider/members/email-ids.ts",
    find: "const canonical = canonicalOf(key, learned);",
    replace: "const canonical = canonicalOf(key, learned && {});",
    rule: "a declared email names the member whose id this process learnt for it (else it is read)",
  },
  {
    id: "caller-delete-keep-skipped",
    file: "provider/members/member-provider.ts",
    find: `if (entry.memberType === "HUMAN" && isCaller) return CALLER_STAYS;`,
    replace: `if (entry.memberType === "HUMAN" && isCaller && false) return CALLER_STAYS;`,
    rule: "a delete never removes the calling user (keepReason)",
  },
  {
    id: "caller-membership-delete-keep-skipped",
    file: "provider/membership/provider.ts",
    find: "(await this.recordedCallerHolds(user, props.space, props.member, target)))",
    replace: "(await this.recordedCallerHolds(user, props.space, props.member, target)) && !user)",
    rule: "a ChatMembership's delete keeps the caller's membership, told by the declared email once Google confirms it",
  },
  {
    id: "caller-role-never-kept",
    file: "provider/members/caller.ts",
    find: "!adminAccess && rankOf(from) >= rankOf(MANAGER) && to !== undefined && demotes(from, to);",
    replace: "false && !adminAccess && rankOf(from) >= rankOf(MANAGER) && to !== undefined && demotes(from, to);",
    rule: "the calling user is never demoted without admin access (keepsCallersRole)",
  },
  {
    id: "caller-manager-role-not-kept",
    file: "provider/members/caller.ts",
    find: "!adminAccess && rankOf(from) >= rankOf(MANAGER) && to !== undefined && demotes(from, to);",
    replace: "!adminAccess && rankOf(from) > rankOf(MANAGER) && to !== undefined && demotes(from, to);",
    rule: "a calling user who is a manager (ROLE_ASSISTANT_MANAGER) keeps her role too, as an owner does (keepsCallersRole)",
  },
  {
    id: "roster-delete-trusts-recorded-caller",
    file: "provider/space-members/provider.ts",
    find: '(await this.callerIn(props.space, props.members, target))?.member : "";',
    replace: 'props.__caller?.member : "";',
    rule: "a roster's delete keeps the user the provider acts as now, as Google names her, not the one its state recorded",
  },
  {
    id: "roster-caller-change-not-read",
    file: "provider/space-members/provider.ts",
    find: "if (!user || before.__caller?.user === user) return before;",
    replace: "if (!user || before.__caller !== undefined) return before;",
    rule: "a roster's change that removes or demotes people under another calling user than its state records reads the new caller's membership first",
  },
  {
    id: "roster-update-trusts-recorded-caller",
    file: "provider/space-members/provider.ts",
    find: "const caller = await this.callerIn(now.space, [...now.roster.values()], target);",
    replace: "const caller = now.caller;",
    rule: "a roster's update asks Google who the caller is before a person leaves or is demoted, not the state's record of her email",
  },
  {
    id: "membership-new-resource-recreates",
    file: "provider/membership/provider.ts",
    find: 'const replaced = sameMembership(this.replacing.get(inputs.__urn ?? ""), found.name ?? undefined);',
    replace: "const replaced = !sameMembership(undefined, undefined);",
    rule: "a new ChatMembership's create that meets a membership with other import-mode times removes no one: only an announced replacement makes it again",
  },
  {
    id: "membership-replacement-recreates-another-member",
    file: "provider/membership/provider.ts",
    find: 'const replaced = sameMembership(this.replacing.get(inputs.__urn ?? ""), found.name ?? undefined);',
    replace: 'const replaced = this.replacing.has(inputs.__urn ?? "") || sameMembership(undefined, undefined);',
    rule: "a replacement's create makes again only the membership of the member it replaces, not another member's it meets",
  },
  {
    id: "membership-replacement-recreates-in-another-space",
    file: "provider/membership/provider.ts",
    find: 'const replaced = sameMembership(this.replacing.get(inputs.__urn ?? ""), found.name ?? undefined);',
    replace:
      'const replaced = sameMembership(this.replacing.get(inputs.__urn ?? "")?.replace(/^spaces\\/[^/]+/, spaceOfMembership(found.name ?? "")), ' +
      "found.name ?? undefined);",
    rule: "a replacement's create makes again only the membership it replaces, not the member's in the space it moves to",
  },
  {
    id: "members-404-recorded-caller-trusted",
    file: "provider/members/member-provider.ts",
    find: "if (whose.recordedCaller !== user) return false;",
    replace: "if (whose.recordedCaller === user) return true;",
    rule: "a 404 counts as the calling user's own by the state's record only where Google can't tell her id",
  },
  {
    id: "membership-demotion-record-trusted",
    file: "provider/membership/provider.ts",
    find: "return !decisive || this.recordedCallerHolds(user, olds.space, olds.member, target);",
    replace: "return true;",
    rule: "a ChatMembership's preview asks Google who the caller is where the state's record of her email would keep a declared demotion",
  },
  {
    id: "membership-update-record-trusted",
    file: "provider/membership/provider.ts",
    find: "return !decisive || (await this.recordedCallerHolds(user, outs.space, outs.member, target)) ? user : undefined;",
    replace: "return user;",
    rule: "a ChatMembership's update asks Google who the caller is before it keeps a declared demotion as the caller's",
  },
  {
    id: "roster-refusal-caller-unconfirmed",
    file: "provider/space-members/provider.ts",
    find: "const caller = await this.callerIn(space, before.members, target);",
    replace: "const caller = undefined as { user: string; member: string } | undefined;",
    rule: "a roster asks Google who the caller is before it refuses a change as leaving no owner, or keeps a declared demotion as hers",
  },
  {
    id: "roster-address-declared-twice-from-state",
    file: "provider/space-members/plan.ts",
    find: "(isEmailKey(memberKeyOf(member)!) && declaredTwice(index) ? undefined : canonicals[index])",
    replace: "(isEmailKey(memberKeyOf(member)!) && declaredTwice(index) && !learned ? undefined : canonicals[index])",
    rule: "a roster entry of an email the state maps to a member another entry declares is an add, which Google answers, not the state's member",
  },
  {
    id: "roster-refresh-keeps-recorded-caller",
    file: "provider/space-members/provider.ts",
    find: 'if (id === "" || sameMember(id, caller.member)) return { members, __declared: declared, __caller: caller };',
    replace: 'if (id === "" || id !== "") return { members, __declared: declared, __caller: caller };',
    rule: "a roster's refresh records the calling user Google tells, not the state's record of her email",
  },
  {
    id: "roster-update-caller-in-last-listing",
    file: "provider/space-members/provider.ts",
    find: "const caller = await this.callerIn(now.space, [...now.roster.values()], target);",
    replace: 'const caller = await this.callerIn(now.space, [...now.roster.values()].filter((m) => m.state === "INVITED"), target);',
    rule: "an update's read of who the caller is finds her among the members its adds met, not only in the last listing",
  },
  {
    id: "membership-delete-callers-email-spelling",
    file: "provider/membership/provider.ts",
    find: "const spelling = byCallersEmail ? undefined : memberKeyOf(declared);",
    replace: "const spelling = byCallersEmail ? memberKeyOf(declared) : memberKeyOf(declared);",
    rule: "the delete of a ChatMembership declared by the caller's email, whose member is not the caller, takes no declaration of that email for hers",
  },
  {
    id: "roster-new-holder-email-from-record",
    file: "provider/space-members/provider.ts",
    find: 'return (id === "" ? recorded.member === "" : sameMember(id, recorded.member)) ? before : readdressed({ user, member: id });',
    replace: "return id === id ? before : readdressed({ user, member: id });",
    rule: "a roster's entry of its recorded caller's email names the person Google gives the address now, not the member the state records by it",
  },
  {
    id: "roster-readdressed-record-not-kept",
    file: "provider/members/caller.ts",
    find: "const readdressed = !another && confirmed !== undefined && confirmed.member.toLowerCase() !== recorded?.member.toLowerCase();",
    replace: "const readdressed = !another && confirmed !== undefined && confirmed.member.length < 0;",
    rule: "the member a roster's state recorded as the caller stays for the up that learns her address names another member now",
  },
  {
    id: "roster-former-caller-not-kept",
    file: "provider/members/caller.ts",
    find: "if (!recorded?.member || !(another || readdressed)) return new Map();",
    replace: "if (!recorded?.member || !(another || readdressed) || recorded.member.length > 0) return new Map();",
    rule: "a roster or ChatMembership moved to another calling user keeps the one its state was written as, and her owner role, for that up",
  },
  {
    id: "roster-caller-unrecorded-not-read",
    file: "provider/space-members/provider.ts",
    find: "if (!user || before.__caller?.user === user) return before;",
    replace: "if (!user || !before.__caller || before.__caller.user === user) return before;",
    rule: "a roster's change that removes or demotes people where its state records no caller reads the caller's membership first",
  },
  {
    id: "members-404-gone-unconfirmed",
    file: "provider/members/member-provider.ts",
    find: "    const ofListing = notFound instanceof ChatApiError",
    replace: '    if (notFound !== ChatApiError) return "gone";\n    const ofListing = notFound instanceof ChatApiError',
    rule: "a membership's 404 counts as gone only when confirmed (the space read with admin access, or still visible)",
  },
  {
    id: "members-404-admin-configured-gone",
    file: "provider/members/member-provider.ts",
    find: "if (notFound instanceof ChatApiError && notFound.adminAccess) {",
    replace: "if (this.settings?.useAdminAccess || (notFound instanceof ChatApiError && notFound.adminAccess)) {",
    rule: "admin access confirms a 404 only of a call sent with it (not the calling Chat app's membership, sent as the user)",
  },
  {
    id: "membership-app-read-with-admin-access",
    file: "provider/membership/provider.ts",
    find: "userAccess: isAppMembership(props) }",
    replace: "userAccess: false }",
    rule: "the calling Chat app's membership is read without admin access, which Google refuses for it",
  },
  {
    id: "members-404-hidden-space-gone",
    file: "provider/members/member-provider.ts",
    find: "    return unlessNotFound(this.api.get(space, opts));",
    replace: "    return unlessNotFound(this.api.get(space, opts)).then((read) => read ?? {});",
    rule: "a membership's 404 in a space these credentials no longer see is not counted as gone (meaningOf404)",
  },
  {
    id: "members-404-other-organisation-gone",
    file: "provider/members/member-provider.ts",
    find: "      const byUser = () => this.spaceRead(space, { userAccess: true, target });",
    replace: "      const byUser = ANSWERED_404;",
    rule: "admin access's 404 in a space the calling user sees and admin access doesn't reach (another organisation's) is not counted as gone",
  },
  {
    id: "roster-import-app-auth-authoritative",
    file: "provider/space-members/declaration.ts",
    find: '...(auth === "app" ? ["invitations:',
    replace: '...(auth !== auth ? ["invitations:',
    rule: "a roster imported under app authentication, whose listing shows no invitation, is declared addOnly (it would remove a pending invitee who accepts)",
  },
  {
    id: "roster-role-404-unconfirmed",
    file: "provider/space-members/provider.ts",
    find: 'await this.confirmGone(now.space, patch.entry.member, error, "roleChange", target);',
    replace: ";",
    rule: "a roster's role change answered 404 drops the member from its state only once the 404 is confirmed (the caller may have lost sight of the space)",
  },
  {
    id: "members-404-unconfirmed-gone",
    file: "provider/members/member-provider.ts",
    find: "notFound, about.whose);\n    } catch (error) {",
    replace: 'notFound, about.whose);\n    } catch {\n      return "gone";\n    }\n    try {} catch (error) {',
    rule: "a 404 whose confirming read of the space fails is not counted as gone (meaningOf404)",
  },
  {
    id: "roster-delete-deleted-space-stops",
    file: "provider/members/member-provider.ts",
    find: 'if (step.step === "delete") return SPACE_GONE;',
    replace: 'if (step.step === "delete") throw new Error(this.spaceDeleted(target, space, step.consequence));',
    rule: "a roster's delete whose owners listing answers 404 for a space confirmed deleted ends, removing nobody, without failing",
  },
  {
    id: "roster-delete-404-unconfirmed-gone",
    file: "provider/members/member-provider.ts",
    find: "const meaning = isNotFound(error) ? await this.membersOf404(space, error, step.consequence, target) : undefined;",
    replace:
      'const meaning = isNotFound(error) ? (step.step === "delete" ? "gone" : ' +
      "await this.membersOf404(space, error, step.consequence, target)) : undefined;",
    rule: "a roster's delete counts its owners listing's 404 as the space deleted only once confirmed (the caller may have lost sight of the space)",
  },
  {
    id: "members-404-own-membership-unseen",
    file: "provider/members/member-provider.ts",
    find: 'if (whose && (await this.isOwnMembership(whose, space, target))) return "gone";',
    replace: 'if (whose && (await this.isOwnMembership(whose, space, target)) && space.length < 0) return "gone";',
    rule: "the calling principal's own membership answered 404, asked as her, is gone with no read of the space (she sees it only as a member)",
  },
  {
    id: "members-404-any-membership-own",
    file: "provider/members/member-provider.ts",
    find: "if (whose.keys.some((key) => isCaller(key) === true)) return true;",
    replace: "if (whose.keys.some((key) => isCaller(key) !== false)) return true;",
    rule: "a 404 counts as the calling user's own membership only where it is certainly hers, never another member's",
  },
  {
    id: "membership-dbr-flipped",
    file: "provider/membership/identity.ts",
    find: "export const MEMBERSHIP_DELETE_BEFORE_REPLACE: boolean | undefined = undefined;",
    replace: "export const MEMBERSHIP_DELETE_BEFORE_REPLACE: boolean | undefined = true;",
    rule: "a membership's replacement creates the new membership first, and the old one is deleted once every declaration is known",
  },
  {
    id: "membership-times-create-first",
    file: "provider/membership/identity.ts",
    find: 'return replaced.length > 0 && replaced.every((field) => field === "createTime" || field === "deleteTime");',
    replace: 'return false && replaced.length > 0 && replaced.every((field) => field === "createTime" || field === "deleteTime");',
    rule: "a replacement for other import-mode times alone deletes the old membership first (deletesBeforeReplacing)",
  },
  {
    id: "membership-recreate-drops-role",
    file: "provider/membership/provider.ts",
    find: 'if (!had || !demotes(had, made.role ?? undefined) || made.state === "NOT_A_MEMBER" || !demotes(had, wantedRole(declared))) return made;',
    replace: "if (had || !had) return made;",
    rule: "a membership removed and added again for other import-mode times (create-first or delete-first) gets back a role it had above the declared one",
  },
  {
    id: "membership-takeover-demotes-now",
    file: "provider/membership/provider.ts",
    find: `          // changes nobody unannounced.\n          demotions = "deferred";`,
    replace: `          // changes nobody unannounced.\n          demotions = "now";`,
    rule: "a ChatMembership's create that takes over a member at a higher role leaves the demotion to the next preview",
  },
  {
    id: "membership-stale-owner-demoted",
    file: "provider/membership/provider.ts",
    find: "const madeOwnerSince = live === OWNER && outs.role !== OWNER;",
    replace: "const madeOwnerSince = false;",
    rule: "a ChatMembership's role change keeps an owner made in Chat since the last refresh (the next preview announces the demotion)",
  },
  {
    id: "membership-update-owners-unread",
    file: "provider/membership/provider.ts",
    find: 'demoting && from === "state"\n          ? await this.ownersBefore(',
    replace: 'demoting && from === "state" && outs.name === ""\n          ? await this.ownersBefore(',
    rule: "a ChatMembership's change below owner reads the space's joined owners first",
  },
  {
    id: "membership-delete-trusts-state-role",
    file: "provider/membership/provider.ts",
    find: `const person = props.memberType === "HUMAN" && props.state !== "NOT_A_MEMBER";`,
    replace: `const person = props.role === OWNER && props.state !== "NOT_A_MEMBER";`,
    rule: "a ChatMembership's delete of a person reads the owners, whatever role the state recorded",
  },
  {
    id: "roster-stale-owner-demoted",
    file: "provider/space-members/provider.ts",
    find: "madeOwnerSince(patch.entry, await ownersNow())) {",
    replace: "madeOwnerSince(patch.entry, await ownersNow()) && false) {",
    rule: "a roster's role change keeps an owner made in Chat since the last refresh",
  },
  {
    id: "roster-refresh-joined-removed",
    file: "provider/space-members/plan.ts",
    find: "const joinedSince = leaving.filter((m) => since.joined(m.member));",
    replace: "const joinedSince = leaving.filter((m) => since.joined(m.member) && false);",
    rule: "a roster removes no member its own process's refresh found joined since the state (up --refresh refreshes again after its preview)",
  },
  {
    id: "roster-refresh-joined-demoted",
    file: "provider/members/refresh-findings.ts",
    find: "return since.roleChanged(member) ? ROLE_CHANGED_SINCE : since.joined(member) ? JOINED_AT_ROLE_SINCE : undefined;",
    replace: "return since.roleChanged(member) ? ROLE_CHANGED_SINCE : undefined;",
    rule: "a roster lowers no role of a member declared by users/{id} its process's refresh found joined since the state (its preview announced an add)",
  },
  {
    id: "membership-refresh-raised-demoted",
    file: "provider/membership/diff.ts",
    find: "const deferred = moving && caller.roleChangedSince === true && demotes(olds.role, role);",
    replace: "const deferred = moving && caller.roleChangedSince === false && demotes(olds.role, role);",
    rule: "a ChatMembership's diff lowers no role its own process's refresh found changed since the state",
  },
  {
    id: "roster-removal-owners-unread",
    file: "provider/space-members/provider.ts",
    find: '      if (!stays && removal.memberType === "HUMAN" && !ownersChecked) {',
    replace: '      if (!stays && removal.memberType === "HUMAN" && !ownersChecked && removal.member === "") {',
    rule: "a roster's removal of a person reads the space's joined owners first",
  },
  {
    id: "roster-removal-ignores-later-caller",
    file: "provider/space-members/provider.ts",
    find: "? this.anotherCallerReason(space, entry.member, spellings, entry.memberType) : undefined;",
    replace: '? this.anotherCallerReason(space, "", spellings, entry.memberType) : undefined;',
    rule: "a roster's update removes no person the provider of another instance's resource, checked since its diff, acts as",
  },
  {
    id: "roster-removal-ignores-later-claims",
    file: "provider/space-members/provider.ts",
    find: "    if (conflicts.length === 0) return;\n    throw new Error(\n      `stopped before removing",
    replace: "    if (conflicts.length >= 0) return;\n    throw new Error(\n      `stopped before removing",
    rule: "a roster's update removes no member a resource of the deployment checked since its diff declares",
  },
  {
    id: "roster-delete-trusts-state-role",
    file: "provider/space-members/provider.ts",
    find: "const leaving = removing.filter((m) => owners.has(m.name));",
    replace: "const leaving = removing.filter((m) => owners.has(m.name) && m.role === OWNER);",
    rule: "a roster's delete keeps the last owner as Google lists them, whatever role the state recorded",
  },
  {
    id: "roster-unknown-caller-recorded",
    file: "provider/space-members/provider.ts",
    find: "          now.caller = undefined;\n",
    replace: "",
    rule: "a caller the up could not read is recorded as unknown, never as not a member",
  },
  {
    id: "roster-app-removed-under-app-auth",
    file: "provider/space-members/plan.ts",
    find: `(acting.app === true && m.memberType === "BOT")`,
    replace: "false",
    rule: "with app authentication a roster never removes a Chat app (the calling app)",
  },
  {
    id: "members-404-own-recorded-ignored",
    file: "provider/members/member-provider.ts",
    find: 'return id === "" || whose.keys.some((key) => callerTestOf(user, id)(key) === true);',
    replace: "return whose.keys.some((key) => callerTestOf(user, id)(key) === true);",
    rule: "a 404 on the calling user's own membership, as the state records her, is gone, though her users/{id} can't be learnt",
  },
  {
    id: "roster-app-removed-under-admin-access",
    file: "provider/space-members/plan.ts",
    find: `adminAccess && m.memberType === "BOT" && !isCaller(m)`,
    replace: `false && m.memberType === "BOT" && !isCaller(m)`,
    rule: "with admin access a roster never removes a Chat app (Google neither lists nor deletes one with admin access)",
  },
  {
    id: "roster-admin-access-refused-beside-app",
    file: "provider/members/claims.ts",
    find: "|| roster.adminAccess === true;",
    replace: ";",
    rule: "an authoritative roster with admin access is no conflict beside a ChatMembership of a Chat app",
  },
  {
    id: "delete-removes-app-under-app-auth",
    file: "provider/members/member-provider.ts",
    find: `if (entry.memberType === "BOT" && this.settings?.auth === "app") return CALLING_APP_STAYS;`,
    replace: `if (entry.memberType === "BOT" && this.settings?.auth === "app" && false) return CALLING_APP_STAYS;`,
    rule: "with app authentication a delete keeps a Chat app's membership",
  },
  {
    id: "sdk-delete-first-accepted",
    file: "sdk/member-options.ts",
    find: "if (opts.deleteBeforeReplace !== true) return;",
    replace: "if (opts.deleteBeforeReplace !== true || true) return;",
    rule: "the member classes refuse deleteBeforeReplace: true while the program runs",
  },
  {
    id: "roster-unknown-mode-add-only",
    file: "provider/space-members/diff.ts",
    find: `const mode = modeKnown ? (news.mode ?? DEFAULT_ROSTER_MODE) : "authoritative";`,
    replace: `const mode = modeKnown ? (news.mode ?? DEFAULT_ROSTER_MODE) : "addOnly";`,
    rule: "a roster's mode unknown at preview counts as authoritative: the preview announces every removal the up may make",
  },
  {
    id: "roster-unknown-entry-demotion-unannounced",
    file: "provider/space-members/diff.ts",
    find: "const demotableAtUp = membersKnown ? [] :",
    replace: "const demotableAtUp = membersKnown || true ? [] :",
    rule: "a roster's preview with entries unknown announces the possible demotion of each owner or manager no known entry declares",
  },
  {
    id: "owner-losses-at-once",
    file: "provider/members/member-provider.ts",
    find: "return names.length === 0 ? write([]) : this.ownerLosses.alone(space, names, write);",
    replace: "return names.length >= 0 ? write([]) : this.ownerLosses.alone(space, names, write);",
    rule: "writes that may take a space's owner run one at a time per space: each reads the owners once the one before it has written",
  },
  {
    id: "owner-losses-elsewhere-ignored",
    file: "provider/members/owner-losses.ts",
    find: "return await write(this.takenElsewhere(key));",
    replace: "return await write(this.takenElsewhere(key).slice(0, 0));",
    rule: "a write that may take a space's owner counts the owners another provider process of the deployment is taking as leaving",
  },
  {
    id: "owner-losses-demotion-not-alone",
    file: "provider/membership/provider.ts",
    find: "return this.mayTakeOwners(outs.space, demoting ? [outs.name] : [], async (takenElsewhere) => {",
    replace: 'return this.mayTakeOwners(outs.space, demoting && outs.name === "" ? [outs.name] : [], async (takenElsewhere) => {',
    rule: "a ChatMembership's change of a person's role below owner waits for the space's other owner-taking writes",
  },
  {
    id: "owner-losses-roster-update-not-alone",
    file: "provider/space-members/provider.ts",
    find: "mayTake.map((m) => m.name),",
    replace: "mayTake.map((m) => m.name).slice(0, 0),",
    rule: "a roster's role changes and removals wait for the space's other owner-taking writes",
  },
  {
    id: "owner-losses-roster-delete-not-alone",
    file: "provider/space-members/provider.ts",
    find: "await this.mayTakeOwners(props.space, people, async (takenElsewhere) => {",
    replace: "await this.mayTakeOwners(props.space, people.slice(0, 0), async (takenElsewhere) => {",
    rule: "a roster's delete waits for the space's other owner-taking writes",
  },
  {
    id: "claims-state-records-disputed-last-wins",
    file: "provider/members/email-ids.ts",
    find: "if (this.ids[key] === undefined) this.ids[key] = lower;",
    replace: "if (this.ids[key] !== lower) this.ids[key] = lower;",
    rule: "two states recording an email for two people leave it to Google",
  },
  {
    id: "claims-disputed-spelling-shortcut",
    file: "provider/members/email-ids.ts",
    find: "return this.disputed.has(key) ? undefined : namesMember(key, member, spellings, this.ids);",
    replace: "return namesMember(key, member, spellings, this.ids);",
    rule: "an email two states record for two people names a membership only as Google answers, not by its spelling",
  },
  {
    id: "claims-held-member-ignored",
    file: "provider/members/email-ids.ts",
    find: "if (holds !== undefined) return sameMember(holds, member);",
    replace: 'if (holds === "") return sameMember(holds, member);',
    rule: "a declaration of an email names the member its resource holds for it (its state's, its write's), whomever the address names elsewhere",
  },
  {
    id: "claims-before-write-record",
    file: "provider/members/claims.ts",
    find: "await this.resolved(own.space, m.key, resolve, true);",
    replace: "await this.resolved(own.space, m.key, resolve, false);",
    rule: "before a new resource of an email is written beside a users/{id}, Google names the address, not a state's record",
  },
  {
    id: "claims-names-member-spelling-first",
    file: "provider/members/email-ids.ts",
    find: "if (isEmailKey(key) && canonical !== undefined) return sameMember(canonical, member);",
    replace: "",
    rule: "an email's known member decides whether a declaration of it names a membership, before the spelling its own resource declared it by",
  },
];

export const MUTANTS: Mutant[] = [...FUZZ_GAPS, ...RULES, ...CROSS_RESOURCE];

type Suite = "fuzz" | "unit";
interface Outcome {
  caught: boolean;
  /** What caught it: the failing test, and for the fuzzer the first violation. */
  note: string;
  seconds: number;
}

const ROOT = join(__dirname, "..");
const SUITE_TIMEOUT_MS = 30 * 60_000;
const INVARIANT_NAMES = new Set([
  ...Object.keys(INVARIANTS),
  ...Object.keys(MEMBERSHIP_INVARIANTS),
  ...Object.keys(ROSTER_INVARIANTS),
  ...Object.keys(MEMBERS_INVARIANTS),
]);

/**
 * Unit tests that hold no rule and can't run in the scratch copy: the docs tests read the
 * repository through git, which the copy is not; the package's own tests load the compiled
 * package (dist/), which a mutation of the sources does not change; the table's own test would
 * fail under every mutation (its anchor is gone).
 */
const NOT_OF_RULES = ["test/docs/**", "test/sdk/provider-text.test.ts", "test/scripts/build-and-pack.test.ts", "test/scripts/mutants-table.test.ts"];

/** Narrower suites for a quick look at some mutations (--fuzz-files, --unit-files); the table's figures use the whole suites. */
const narrowed: { fuzz?: string[]; unit?: string[] } = {};

function suiteArgs(suite: Suite, dir: string): string[] {
  const fuzzFiles = readdirSync(join(dir, "test/fuzz"))
    .filter((f) => f.endsWith(".fuzz.test.ts") || f === "replay.test.ts")
    .sort()
    .map((f) => `test/fuzz/${f}`);
  if (suite === "fuzz") return ["--bail", ...(narrowed.fuzz ? fuzzFiles.filter((f) => narrowed.fuzz!.some((part) => f.includes(part))) : fuzzFiles)];
  return ["--bail", ...(narrowed.unit ?? ["test/**/*.test.ts"]), ...[...fuzzFiles, ...NOT_OF_RULES].flatMap((f) => ["--ignore", f])];
}

/** Runs one suite in `dir`; its whole output goes to `log`. */
function runSuite(suite: Suite, dir: string, log: string): Promise<Outcome> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("FUZZ_")));
  if (suite === "fuzz") env.FUZZ_NO_SHRINK = "1";
  // Each mutation is type-checked once (typeCheck); the runs need not check every file again.
  env.TS_NODE_TRANSPILE_ONLY = "true";
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "node_modules/mocha/bin/mocha.js"), ...suiteArgs(suite, dir)], {
      cwd: dir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, SUITE_TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      writeFileSync(log, output);
      const seconds = Math.round((Date.now() - started) / 1000);
      if (timedOut) return resolve({ caught: true, note: `timed out after ${SUITE_TIMEOUT_MS / 60_000} min`, seconds });
      resolve({ caught: code !== 0, note: code === 0 ? "" : whatFailed(output), seconds });
    });
  });
}

/**
 * A suite's verdict on a mutation: a failure counts when it happens again. A test that failed
 * once and passed the second time (a timing-sensitive test on a loaded machine) did not catch the
 * mutation; it is named in the note, so that it can be looked at.
 */
async function confirmed(suite: Suite, dir: string, logBase: string): Promise<Outcome> {
  const first = await runSuite(suite, dir, `${logBase}.log`);
  if (!first.caught) return first;
  const again = await runSuite(suite, dir, `${logBase}-again.log`);
  const seconds = first.seconds + again.seconds;
  if (!again.caught) return { caught: false, note: `failed once, then passed: ${first.note}`, seconds };
  return { ...again, note: again.note === first.note ? first.note : `${first.note}; again: ${again.note}`, seconds };
}

/** The first failing test's title, and the first violation a fuzz failure names. */
function whatFailed(output: string): string {
  const lines = output.split("\n");
  // The failure's report, after the run's summary (which names the failing test inline too).
  const first = lines.map((l) => /^\s+1\) /.test(l)).lastIndexOf(true);
  const title =
    first >= 0
      ? `${lines[first].replace(/^\s+1\) /, "").trim()} / ${(lines[first + 1] ?? "").trim().replace(/:$/, "")}`
      : "(no failing test named: see the log)";
  const violation = lines.map((l) => l.replace(/^.*?(?:Error: )+/, "").trim()).find((l) => INVARIANT_NAMES.has(l.split(" ")[0]) && / \(/.test(l));
  const shortViolation = violation ? ` => ${violation.split(" ")[0]}: ${violation.slice(violation.indexOf("): ") + 3, violation.indexOf("): ") + 160)}` : "";
  return `${title}${shortViolation}`;
}

/** The files git knows (tracked, and new ones not ignored), copied to a scratch directory sharing node_modules. */
function scratchCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "mutants-"));
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
    .split("\0")
    .filter(Boolean);
  for (const f of files) {
    try {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      copyFileSync(join(ROOT, f), join(dir, f));
    } catch (e) {
      // A file deleted in the tree but not yet in the index: nothing to copy.
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  // Interrupted (Ctrl-C reaches the running suite too): the scratch copy goes; the tree was never touched.
  process.once("SIGINT", () => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
  return dir;
}

/**
 * A mutation must compile (the tests run with ts-node's transpile-only mode, which would run a
 * mutation with a type error, and a test that compiles the project would fail on it for the
 * wrong reason): one that does not stops the run, to be rewritten.
 */
function typeCheck(dir: string, m: Mutant): void {
  try {
    execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", "tsconfig.build.json"], {
      cwd: dir,
      encoding: "utf8",
      stdio: "pipe",
    });
  } catch (e) {
    const out = (e as { stdout?: string }).stdout ?? String(e);
    throw new Error(`Mutation ${m.id} does not compile; rewrite it:\n${out}`);
  }
}

/** Every anchor must be in its file exactly once: a rewritten file is re-anchored, never skipped silently. */
export function checkAnchors(mutants: Mutant[]): void {
  const bad = mutants.flatMap((m) => {
    const text = readFileSync(join(ROOT, m.file), "utf8");
    const count = text.split(m.find).length - 1;
    return count === 1 ? [] : [`${m.id}: ${count === 0 ? "anchor not found" : `anchor found ${count} times`} in ${m.file}: ${JSON.stringify(m.find)}`];
  });
  if (bad.length > 0) throw new Error(`Mutation anchors to fix (re-anchor them on the file's current text):\n${bad.join("\n")}`);
}

interface Args {
  only?: Suite;
  ids?: string[];
  list: boolean;
  check: boolean;
  baseline: boolean;
  fuzzFiles?: string[];
  unitFiles?: string[];
}

function parseArgs(argv: string[]): Args {
  const out: Args = { list: false, check: false, baseline: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--only") {
      const v = argv[++i];
      if (v !== "fuzz" && v !== "unit") throw new Error(`--only takes fuzz or unit, not ${v}.`);
      out.only = v;
    } else if (a === "--mutant") out.ids = argv[++i].split(",");
    else if (a === "--list") out.list = true;
    else if (a === "--check") out.check = true;
    else if (a === "--no-baseline") out.baseline = false;
    else if (a === "--fuzz-files") out.fuzzFiles = argv[++i].split(",");
    else if (a === "--unit-files") out.unitFiles = argv[++i].split(",");
    else
      throw new Error(
        `Unknown argument ${a}: use --only fuzz|unit, --mutant id[,id], --fuzz-files part[,part], --unit-files glob[,glob], --list, --check, --no-baseline.`,
      );
  }
  return out;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const unknown = (args.ids ?? []).filter((id) => !MUTANTS.some((m) => m.id === id));
  if (unknown.length > 0) throw new Error(`Unknown mutation ${unknown.join(", ")}: --list shows them.`);
  const mutants = args.ids ? MUTANTS.filter((m) => args.ids!.includes(m.id)) : MUTANTS;
  const ids = new Set(MUTANTS.map((m) => m.id));
  if (ids.size !== MUTANTS.length) throw new Error("Two mutations share an id.");
  checkAnchors(mutants);
  if (args.list) {
    for (const m of mutants) console.log(`${pad(m.id, 40)} ${m.file}\n${" ".repeat(41)}${m.rule}`);
    return;
  }
  const suites: Suite[] = args.only ? [args.only] : ["fuzz", "unit"];
  narrowed.fuzz = args.fuzzFiles;
  narrowed.unit = args.unitFiles;
  const dir = scratchCopy();
  if (args.check) {
    try {
      for (const m of mutants) {
        const file = join(dir, m.file);
        const original = readFileSync(file, "utf8");
        try {
          writeFileSync(
            file,
            original.replace(m.find, () => m.replace),
          );
          typeCheck(dir, m);
          console.log(`${m.id}: compiles`);
        } finally {
          writeFileSync(file, original);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  const logs = mkdtempSync(join(tmpdir(), "mutants-logs-"));
  console.log(`scratch copy ${dir}; logs in ${logs}`);
  const results = new Map<string, Partial<Record<Suite, Outcome>>>();
  try {
    if (args.baseline) {
      for (const suite of suites) {
        const o = await runSuite(suite, dir, join(logs, `baseline-${suite}.log`));
        console.log(`baseline ${suite}: ${o.caught ? "FAILS" : "passes"} (${o.seconds} s)`);
        if (o.caught) throw new Error(`The ${suite} suite fails without any mutation (${o.note}): fix that first; see ${join(logs, `baseline-${suite}.log`)}.`);
      }
    }
    for (const m of mutants) {
      const file = join(dir, m.file);
      const original = readFileSync(file, "utf8");
      const result: Partial<Record<Suite, Outcome>> = {};
      try {
        writeFileSync(
          file,
          original.replace(m.find, () => m.replace),
        );
        typeCheck(dir, m);
        for (const suite of suites) {
          result[suite] = await confirmed(suite, dir, join(logs, `${m.id}-${suite}`));
          const o = result[suite]!;
          console.log(`${m.id} ${suite}: ${o.caught ? `caught (${o.note})` : `NOT caught${o.note ? ` (${o.note})` : ""}`} [${o.seconds} s]`);
        }
      } finally {
        writeFileSync(file, original);
      }
      results.set(m.id, result);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(mutants, suites, results);
  console.log(`\nlogs: ${logs}`);
}

function printTable(mutants: Mutant[], suites: Suite[], results: Map<string, Partial<Record<Suite, Outcome>>>): void {
  const mark = (o: Outcome | undefined) => (o === undefined ? "-" : o.caught ? "caught" : "MISSED");
  console.log(`\n${pad("mutation", 40)} ${suites.map((s) => pad(s, 7)).join(" ")} rule`);
  for (const m of mutants) {
    const r = results.get(m.id) ?? {};
    console.log(`${pad(m.id, 40)} ${suites.map((s) => pad(mark(r[s]), 7)).join(" ")} ${m.rule}`);
  }
  const count = (s: Suite) => mutants.filter((m) => results.get(m.id)?.[s]?.caught).length;
  console.log(`\n${mutants.length} mutations: ${suites.map((s) => `${s} caught ${count(s)}/${mutants.length}`).join(", ")}`);
  if (suites.length === 2) {
    const either = mutants.filter((m) => suites.some((s) => results.get(m.id)?.[s]?.caught)).length;
    console.log(`either caught ${either}/${mutants.length}`);
  }
  for (const s of suites) {
    const missed = mutants.filter((m) => !results.get(m.id)?.[s]?.caught).map((m) => m.id);
    if (missed.length > 0) console.log(`${s} missed: ${missed.join(", ")}`);
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
