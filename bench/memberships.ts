/**
 * Bench part `memberships`: what memberships cost, with the real engine against the
 * emulator, each figure beside its lower bound or a baseline measured in the same run.
 * - API calls per ChatMembership operation against their bounds (create = 1, + 1 PATCH for a
 *   role other than ROLE_MEMBER: Google takes the role only on update).
 * - Quota pacing: 1,000 memberships across 20 spaces at Google's quotas, the
 *   emulator counting strictly: the span of the membership writes against the time
 *   300 writes a minute need for them, and the 429s (none expected).
 * - Scale: 20 spaces × 100 members as 2,000 ChatMembership resources: state bytes per member
 *   (the exported deployment), and preview and no-op `up` time against as many do-nothing
 *   dynamic resources.
 */
import type { PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { DEFAULT_SETTINGS, type ServiceAccountKey, type UserFixture } from "../emulator";
import { GOOGLE_RATE_LIMITS } from "../provider/core/rate-limiter";
import { dynamicToken } from "../provider/tokens";
import { ChatMembership, type ChatMembershipArgs, ChatSpace, type MembershipRole } from "../sdk";
import { type EmulatorProcess, googleLimitsConfig } from "../test/e2e/harness";
import { callRows, callsDuring, callTableRow, measureAtScale, round, spanSeconds, tableRow, withoutCheckpoints } from "./measure";

/** What a part needs from the bench: the emulator, and stacks of inline programs against it. */
export interface BenchContext {
  emulator: EmulatorProcess;
  key: ServiceAccountKey;
  parallel: number;
  /** A fresh stack of `program`, acting as admin@example.com (the spaces' creator and owner), with this provider config. */
  stackOf: (name: string, program: PulumiFn, config?: Record<string, string>) => Promise<Stack>;
}

export const SPACES = 20;
/**
 * The quota pacing's time scale: Google's own quota (5 writes a second). The engine makes only a
 * few membership creates a second on the 2-core bench machine; at a faster quota the engine,
 * not the limiter, would set the pace.
 */
const PACING_TIME_SCALE = 1;
/** Members a space in the quota part: 1,000 in all. */
const PACED_MEMBERS = 50;
/** Members a space in the scale part: 2,000 in all. */
export const SCALE_MEMBERS = 100;
const MEMBERSHIP_TYPE = dynamicToken("membership");
export const MEMBERSHIP_WRITES = new Set(["spaces.members.create", "spaces.members.patch", "spaces.members.delete"]);

/** The emulated people the benchmark adds: one per member of a space. */
export const PEOPLE: UserFixture[] = Array.from({ length: SCALE_MEMBERS }, (_, i) => ({
  id: `1300000000000000${String(i).padStart(5, "0")}`,
  email: `member${i}@example.com`,
  admin: false,
}));

type Member = Omit<ChatMembershipArgs, "space">;

/**
 * `spaces` spaces, each with the same `members`, one ChatMembership each, exporting the spaces'
 * names. Given `names` (the spaces' `spaces/{id}`, from an earlier up), the memberships name
 * their space and register at once, member by member across the spaces, so that the engine's
 * parallel steps go to different spaces. Given the ChatSpace, each space's memberships register
 * together when its id resolves, and the engine's parallel steps all wait on that one space's
 * own quota (a write a second).
 */
function membershipsProgram(spaces: number, members: Member[], names?: string[]): PulumiFn {
  return async () => {
    const all = Array.from({ length: spaces }, (_, s) => new ChatSpace(`s${s}`, { displayName: `Members ${s}` }));
    // Named by the person, so that a member left out of a later program is that membership's delete, not a replacement of another's.
    members.forEach((m) => all.forEach((space, s) => new ChatMembership(`s${s}-${String(m.user).split("@")[0]}`, { ...m, space: names?.[s] ?? space })));
    return { names: all.map((space) => space.name) };
  };
}

const people = (count: number, role?: MembershipRole): Member[] => PEOPLE.slice(0, count).map((p) => ({ user: p.email, role }));

export async function withPeople(ctx: BenchContext): Promise<void> {
  await ctx.emulator.control.reset();
  await ctx.emulator.control.setSettings({ users: [...DEFAULT_SETTINGS.users, ...PEOPLE] });
}

/** API calls per ChatMembership operation, in one space, against their lower bounds. */
export async function membershipCalls(ctx: BenchContext) {
  await withPeople(ctx);
  const { rows, row } = callRows();
  const calls = (run: () => Promise<unknown>) => callsDuring(ctx.emulator, run);
  const options = { parallel: ctx.parallel };
  const stack = await ctx.stackOf("member-calls", membershipsProgram(1, []));
  await stack.up(options);
  const member: Member = { user: PEOPLE[0].email };
  const manager: Member = { user: PEOPLE[1].email, role: "ROLE_ASSISTANT_MANAGER" };
  stack.workspace.program = membershipsProgram(1, [member]);
  row("membership create, ROLE_MEMBER", await calls(() => stack.up(options)), 1);
  stack.workspace.program = membershipsProgram(1, [member, manager]);
  row("membership create, another role", await calls(() => stack.up(options)), 2, "Google takes the role only on update");
  row("membership no-op up", await calls(() => stack.up(options)), 0);
  row("membership preview", await calls(() => stack.preview(options)), 0);
  stack.workspace.program = membershipsProgram(1, [{ ...member, role: "ROLE_ASSISTANT_MANAGER" }, manager]);
  row("membership role change", await calls(() => stack.up(options)), 2, "1 members.list of the owners first: the state's role may be out of date");
  stack.workspace.program = membershipsProgram(1, [manager]);
  row(
    "membership delete, not an owner",
    await calls(() => stack.up(options)),
    3,
    "the caller's id once per provider process, and the owners first: she may have been made one since",
  );
  return rows;
}

/**
 * 1,000 memberships across 20 spaces at Google's quotas (PACING_TIME_SCALE), the emulator counting them
 * in a strict sliding window. The spaces are made by an earlier `up`, so that the span holds
 * membership writes alone and the memberships can name their spaces (see membershipsProgram):
 * from the first one's arrival to the last one's answer, against the
 * time the project's membership write quota needs for them.
 */
async function membershipPacing(ctx: BenchContext) {
  await withPeople(ctx);
  const config = googleLimitsConfig(PACING_TIME_SCALE);
  const stack = await ctx.stackOf("member-quota", membershipsProgram(SPACES, []), config);
  await ctx.emulator.control.setQuotas({ enabled: true, mode: "slidingWindow", timeScale: PACING_TIME_SCALE });
  try {
    const names = (await stack.up({ parallel: ctx.parallel })).outputs.names.value as string[];
    stack.workspace.program = membershipsProgram(SPACES, people(PACED_MEMBERS), names);
    let result!: Awaited<ReturnType<Stack["up"]>>;
    const calls = await callsDuring(ctx.emulator, () => withoutCheckpoints(stack, async () => (result = await stack.up({ parallel: ctx.parallel }))));
    const writes = calls.filter((r) => MEMBERSHIP_WRITES.has(r.rpc));
    const perSecond = (GOOGLE_RATE_LIMITS.membershipWritesPerMinute * PACING_TIME_SCALE) / 60;
    const writeSpanS = spanSeconds(writes);
    const boundS = writes.filter((r) => r.status !== 429).length / perSecond;
    return {
      timeScale: PACING_TIME_SCALE,
      memberships: SPACES * PACED_MEMBERS,
      spaces: SPACES,
      failed: result.summary.result === "succeeded" ? 0 : 1,
      throttled: calls.filter((r) => r.status === 429).length,
      writes: writes.length,
      otherCalls: calls.length - writes.length,
      writeSpanS,
      boundS,
      ratio: writeSpanS / boundS,
    };
  } finally {
    await ctx.emulator.control.setQuotas({ enabled: false });
  }
}

/**
 * 20 spaces × 100 members declared as 2,000 ChatMemberships (no quotas: the engine's cost
 * alone), against 2,020 do-nothing dynamic resources, the same resource count.
 */
async function membershipScale(ctx: BenchContext) {
  await withPeople(ctx);
  const members = SPACES * SCALE_MEMBERS;
  const figures = await measureAtScale(ctx, {
    name: "members-2000",
    program: membershipsProgram(SPACES, people(SCALE_MEMBERS)),
    members,
    type: MEMBERSHIP_TYPE,
    floorResources: SPACES + members,
    skipCheckpoints: true,
  });
  return { spaces: SPACES, membersPerSpace: SCALE_MEMBERS, ...figures };
}

/** The part's figures: calls, pacing and scale. */
export async function membershipsBench(ctx: BenchContext) {
  const calls = await membershipCalls(ctx);
  const pacing = await membershipPacing(ctx);
  const scale = await membershipScale(ctx);
  return { calls, pacing, scale };
}

export type MembershipsFigures = Awaited<ReturnType<typeof membershipsBench>>;

/** The headline figures this part adds to latest.json's top level. */
export function membershipHeadlines(m: MembershipsFigures) {
  return {
    membershipQuotaPacing: round(m.pacing.ratio),
    membershipStateBytesPerMember: m.scale.state.perMember,
  };
}

/** The part's rows of the printed table. */
export function membershipRows(m: MembershipsFigures): string[] {
  const { pacing: p, scale: s } = m;
  const n = s.spaces * s.membersPerSpace;
  const writesPerSecond = (p.writes / p.writeSpanS).toFixed(1);
  const pacingMeasured = `writes took ${p.writeSpanS.toFixed(1)} s (${writesPerSecond}/s), ${p.throttled} answered 429, ${p.failed} failed`;
  const pace = (GOOGLE_RATE_LIMITS.membershipWritesPerMinute * p.timeScale) / 60;
  const floorRate = (s.floor.resources / s.floor.createSeconds).toFixed(1);
  const enginePace = `${floorRate} do-nothing creates/s (${s.floor.resources.toLocaleString("en")} in ${s.floor.createSeconds.toFixed(1)} s)`;
  const entry =
    `a membership entry ${s.state.entryBytes}: inputs and outputs ${s.state.dataBytes}, ` +
    `the two \`__provider\` copies ${s.state.providerBytes} of them, and the engine's own fields ${s.state.engineBytes}`;
  const floor = `${s.floor.resources.toLocaleString("en")} do-nothing dynamic resources`;
  return [
    ...m.calls.map(callTableRow),
    tableRow(
      `Membership quota pacing: ${p.memberships.toLocaleString("en")} memberships in ${p.spaces} spaces, ` +
        `quotas ×${p.timeScale}, strict sliding window, engine checkpoints skipped`,
      pacingMeasured,
      `${p.boundS.toFixed(1)} s (${p.writes} writes at ${pace}/s): **${round(p.ratio)}**; the engine's own pace here: ${enginePace}`,
      "≤ 1.05, no 429",
    ),
    tableRow(
      `Scale: ${s.spaces} spaces × ${s.membersPerSpace} members as ${n.toLocaleString("en")} ChatMemberships, state per member`,
      `${s.state.perMember} bytes (${entry}; ${s.state.gzipPerMember} gzipped)`,
      "",
      "≤ 1,024",
    ),
    tableRow(
      `Scale: create ${n.toLocaleString("en")} ChatMemberships (+${s.spaces} spaces), no quotas, engine checkpoints skipped`,
      `${s.createSeconds.toFixed(1)} s (${s.createResult})`,
      `${s.floor.createSeconds.toFixed(1)} s for ${floor}: **${round(s.createSeconds / s.floor.createSeconds)}**`,
    ),
    tableRow(
      `Scale: preview of ${n.toLocaleString("en")} unchanged ChatMemberships (+${s.spaces} spaces)`,
      `${s.preview.toFixed(1)} s`,
      `${s.floor.preview.toFixed(1)} s for ${floor}: **${round(s.previewOverhead)}**`,
    ),
    tableRow(
      `Scale: no-op up of ${n.toLocaleString("en")} ChatMemberships`,
      `${s.noopUp.toFixed(1)} s`,
      `${s.floor.noopUp.toFixed(1)} s: **${round(s.noopUpOverhead)}**`,
    ),
  ];
}
