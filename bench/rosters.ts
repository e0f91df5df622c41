/**
 * Bench part `rosters`: what a ChatSpaceMembers roster costs, beside the figures of
 * part `memberships` for the same members declared one ChatMembership each.
 * - API calls: a no-op `up` and a preview make none; a change of N members makes N membership
 *   writes (+ one role PATCH for each added member whose role is not ROLE_MEMBER: Google takes
 *   the role only on update).
 * - Scale: 20 spaces × 100 members as 20 rosters: state bytes per member, and create, preview
 *   and no-op `up` time against as many do-nothing dynamic resources.
 */
import type { PulumiFn } from "@pulumi/pulumi/automation";
import type { LoggedRequest } from "../emulator";
import { dynamicToken } from "../provider/tokens";
import { ChatSpace, ChatSpaceMembers, type MembershipRole } from "../sdk";
import { type CallRow, callsDuring, callTableRow, measureAtScale, round, summarise, tableRow } from "./measure";
import { type BenchContext, MEMBERSHIP_WRITES, PEOPLE, SCALE_MEMBERS, SPACES, withPeople } from "./memberships";

const ROSTER_TYPE = dynamicToken("roster");

/** `spaces` spaces, each with one authoritative roster of the first `members` people (each with `role(i)`). */
function rostersProgram(spaces: number, members: number, role: (i: number) => MembershipRole = () => "ROLE_MEMBER"): PulumiFn {
  return async () => {
    for (let s = 0; s < spaces; s++) {
      const space = new ChatSpace(`s${s}`, { displayName: `Roster ${s}` });
      new ChatSpaceMembers(`s${s}-members`, {
        space,
        members: PEOPLE.slice(0, members).map((p, i) => ({ user: p.email, role: role(i) })),
      });
    }
  };
}

/** A row that counts membership writes against their bound; the detail lists every call, reads too. */
function writeRow(operation: string, calls: LoggedRequest[], bound: number, why = ""): CallRow {
  const writes = calls.filter((r) => MEMBERSHIP_WRITES.has(r.rpc));
  return { operation, calls: writes.length, bound, detail: [summarise(calls), why].filter(Boolean).join("; ") };
}

/** A roster of one space: no-op and preview calls, then changes of N members, against their bounds. */
async function rosterCalls(ctx: BenchContext): Promise<CallRow[]> {
  await withPeople(ctx);
  const calls = (run: () => Promise<unknown>) => callsDuring(ctx.emulator, run);
  const options = { parallel: ctx.parallel };
  const rows: CallRow[] = [];
  const stack = await ctx.stackOf("roster-calls", rostersProgram(1, 10));
  rows.push(writeRow("roster create, 10 members (writes)", await calls(() => stack.up(options)), 10));
  const noop = await calls(() => stack.up(options));
  rows.push({ operation: "roster no-op up", calls: noop.length, bound: 0, detail: summarise(noop) });
  const preview = await calls(() => stack.preview(options));
  rows.push({ operation: "roster preview", calls: preview.length, bound: 0, detail: summarise(preview) });
  stack.workspace.program = rostersProgram(1, 15);
  rows.push(writeRow("roster change: 5 members added (writes)", await calls(() => stack.up(options)), 5));
  stack.workspace.program = rostersProgram(1, 20, (i) => (i >= 15 ? "ROLE_ASSISTANT_MANAGER" : "ROLE_MEMBER"));
  rows.push(writeRow("roster change: 5 added as managers (writes)", await calls(() => stack.up(options)), 10, "each added member's role PATCH"));
  stack.workspace.program = rostersProgram(1, 20, (i) => (i >= 10 ? "ROLE_ASSISTANT_MANAGER" : "ROLE_MEMBER"));
  rows.push(writeRow("roster change: 5 roles changed (writes)", await calls(() => stack.up(options)), 5));
  stack.workspace.program = rostersProgram(1, 15, (i) => (i >= 10 ? "ROLE_ASSISTANT_MANAGER" : "ROLE_MEMBER"));
  rows.push(writeRow("roster change: 5 members removed (writes)", await calls(() => stack.up(options)), 5));
  return rows;
}

/** 20 spaces × 100 members as 20 rosters (no quotas), against 40 do-nothing dynamic resources. */
async function rosterScale(ctx: BenchContext) {
  await withPeople(ctx);
  const figures = await measureAtScale(ctx, {
    name: "rosters-20",
    program: rostersProgram(SPACES, SCALE_MEMBERS),
    members: SPACES * SCALE_MEMBERS,
    type: ROSTER_TYPE,
    floorResources: 2 * SPACES,
  });
  return { spaces: SPACES, membersPerSpace: SCALE_MEMBERS, ...figures };
}

export async function rostersBench(ctx: BenchContext) {
  return { calls: await rosterCalls(ctx), scale: await rosterScale(ctx) };
}

export type RosterFigures = Awaited<ReturnType<typeof rostersBench>>;

export function rosterHeadlines(r: RosterFigures) {
  return { rosterStateBytesPerMember: r.scale.state.perMember };
}

export function rosterRows(r: RosterFigures): string[] {
  const s = r.scale;
  const n = s.spaces * s.membersPerSpace;
  const entry =
    `a roster entry ${s.state.entryBytes}: inputs and outputs ${s.state.dataBytes}, ` +
    `the two \`__provider\` copies ${s.state.providerBytes} of them, and the engine's own fields ${s.state.engineBytes}`;
  const floor = `${s.floor.resources} do-nothing dynamic resources`;
  return [
    ...r.calls.map(callTableRow),
    tableRow(
      `Scale: ${s.spaces} spaces × ${s.membersPerSpace} members as ${s.spaces} rosters, state per member`,
      `${s.state.perMember} bytes (${entry}; ${s.state.gzipPerMember} gzipped)`,
      "",
      "a few hundred",
    ),
    tableRow(
      `Scale: create ${s.spaces} rosters of ${s.membersPerSpace} (+${s.spaces} spaces), no quotas`,
      `${s.createSeconds.toFixed(1)} s (${s.createResult})`,
      `${s.floor.createSeconds.toFixed(1)} s for ${floor}`,
    ),
    tableRow(
      `Scale: preview of ${s.spaces} unchanged rosters (${n.toLocaleString("en")} members)`,
      `${s.preview.toFixed(1)} s`,
      `${s.floor.preview.toFixed(1)} s for ${floor}: **${round(s.previewOverhead)}**`,
    ),
    tableRow(
      `Scale: no-op up of ${s.spaces} rosters (${n.toLocaleString("en")} members)`,
      `${s.noopUp.toFixed(1)} s`,
      `${s.floor.noopUp.toFixed(1)} s: **${round(s.noopUpOverhead)}**`,
    ),
  ];
}
