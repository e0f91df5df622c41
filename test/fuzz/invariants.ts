/**
 * The promises ChatSpace keeps (never destroy, never duplicate), checked from the emulator's
 * state and request log after an operation. Each returns the violations it found, as text a
 * person can act on.
 */

import { isDeepStrictEqual } from "node:util";
import type { StoredSpace } from "../../emulator";
import type { PublicState } from "../../emulator/control/control";
import type { ChatSpaceOutputs } from "../../provider/space/types";
import type { Plan, Stack } from "./engine";
import type { Declaration } from "./fixture";
import type { TaggedRequest } from "./world";

export const INVARIANTS = {
  oneSpace: "at most one live space per resource, and no space held by two resources",
  noOrphan: "no space created by the stack's requestIds, or once held by the stack, left live outside the state",
  deleteAsPreviewed: "the provider deletes a space only if the preview listed its resource as delete or replace",
  replaceOnlyWhenNeeded: "a change Google can make in place (or an undeclared field) never previews as a replacement",
  replacesWhenNeeded: "a change to a declared replace-only field that Google can't make in place previews as a replacement",
  agree: "after a successful up, state, emulator and declaration agree on every managed field",
  untouched: "a field the declaration leaves out is never written",
  smallestMasks: "an update's mask names no field whose declaration the state already holds and that Google already has as declared",
  previewQuiet: "a declaration the state already holds, which Google has as declared, previews no change",
  recovers: "a failure leaves a state from which the next up succeeds",
  checkRefuses: "invalid input fails at check, with zero API calls",
  checkAccepts: "a valid declaration passes check",
  previewReadsNothing: "preview makes no Chat API call",
} as const;
export type InvariantName = keyof typeof INVARIANTS;

export interface Violation {
  invariant: InvariantName;
  detail: string;
}

const idOf = (name: string) => name.replace(/^spaces\//, "");
const spaceName = (path: string) => /^\/v1\/(spaces\/[^/:]+)$/.exec(path)?.[1];

/** Every live space a resource may hold: those its creates' requestIds made, and those the stack held for it. */
export function spacesByResource(emulator: PublicState, log: TaggedRequest[], everHeld: Map<string, string>): Map<string, Set<string>> {
  const byRequestId = new Map<string, { spaceId: string; deleted: boolean }>();
  for (const [key, record] of Object.entries(emulator.requestIds)) {
    byRequestId.set(key.slice(key.indexOf(" ") + 1), { spaceId: record.spaceId, deleted: record.deleted !== undefined });
  }
  const owners = new Map<string, Set<string>>();
  const own = (resource: string, space: string) => {
    if (!emulator.spaces[idOf(space)]) return;
    (owners.get(resource) ?? owners.set(resource, new Set()).get(resource)!).add(space);
  };
  for (const e of log) {
    const id = e.request.query.requestId;
    if (e.request.method !== "POST" || e.request.path !== "/v1/spaces" || !id || !e.resource) continue;
    const record = byRequestId.get(id);
    if (record && !record.deleted) own(e.resource, `spaces/${record.spaceId}`);
  }
  for (const [space, resource] of everHeld) own(resource, space);
  return owners;
}

export function checkOneSpace(owners: Map<string, Set<string>>, retained: Set<string>): Violation[] {
  const out: Violation[] = [];
  const holders = new Map<string, string[]>();
  for (const [resource, spaces] of owners) {
    const live = [...spaces].filter((s) => !retained.has(s));
    if (live.length > 1) out.push({ invariant: "oneSpace", detail: `${resource} has ${live.length} live spaces: ${live.join(", ")}` });
    for (const s of live) holders.set(s, [...(holders.get(s) ?? []), resource]);
  }
  for (const [s, rs] of holders) if (rs.length > 1) out.push({ invariant: "oneSpace", detail: `${s} belongs to ${rs.join(" and ")}` });
  return out;
}

export function checkNoOrphan(owners: Map<string, Set<string>>, stack: Stack, retained: Set<string>): Violation[] {
  const held = new Set([...stack.entries, ...stack.pendingDeletes].map((e) => e.id));
  const out: Violation[] = [];
  for (const [resource, spaces] of owners) {
    for (const s of spaces) {
      if (!held.has(s) && !retained.has(s)) out.push({ invariant: "noOrphan", detail: `${s} (${resource}'s) is live but not in the state` });
    }
  }
  return out;
}

/** DELETE requests of the operation, against the spaces whose resources the preview listed as delete or replace. */
export function checkDeleteAsPreviewed(opLog: TaggedRequest[], before: Stack, plan: Plan | "all" | "none"): Violation[] {
  const allowed = new Set<string>(before.pendingDeletes.map((e) => e.id));
  for (const e of before.entries) {
    const step = plan === "all" ? "delete" : plan === "none" ? "same" : plan.steps[e.name];
    if (step === "delete" || step === "replace") allowed.add(e.id);
  }
  return opLog
    .filter((e) => e.request.method === "DELETE" && e.request.status !== 404)
    .map((e) => spaceName(e.request.path) ?? e.request.path)
    .filter((s) => !allowed.has(s))
    .map((s) => ({ invariant: "deleteAsPreviewed" as const, detail: `DELETE ${s}, which the preview did not list as delete or replace` }));
}

/** The fields Google sets only when it creates a space (docs/reference/space.md; v1.d.ts Schema$Space), as the model knows them. */
export const IDENTITY_FIELDS = ["customer", "externalUserAllowed", "createTime", "spaceType", "importMode"] as const;

/**
 * Whether a new declaration needs a new space, by the rule docs/reference/space.md states (written
 * here apart from provider/space/identity.ts, as the model it is checked against): a
 * replace-only field left out is not managed; a declared one compares with its previous
 * declaration or, declared for the first time, with the space as it is (`live`, read before the
 * operation); `customers/my_customer` is the organisation's own id, times compare as instants;
 * a GROUP_CHAT becoming a SPACE and leaving import mode happen in place.
 */
export function needsReplacement(previous: Declaration, next: Declaration, live: StoredSpace | undefined, org: string): boolean {
  const liveValue: Record<string, unknown> = {
    customer: live?.customer ?? org,
    externalUserAllowed: live?.externalUserAllowed ?? false,
    createTime: live?.createTime,
    spaceType: live?.spaceType ?? "SPACE",
    importMode: live?.importMode ?? false,
  };
  const same = (field: string, a: unknown, b: unknown) =>
    field === "customer"
      ? canonicalCustomer(a as string, org) === canonicalCustomer(b as string, org)
      : field === "createTime"
        ? Date.parse(a as string) === Date.parse(b as string)
        : a === b;
  return IDENTITY_FIELDS.some((field) => {
    const wanted = next[field];
    if (wanted === undefined) return false;
    const had = previous[field] !== undefined ? previous[field] : liveValue[field];
    if (same(field, had, wanted)) return false;
    const inPlace = (field === "spaceType" && had === "GROUP_CHAT" && wanted === "SPACE") || (field === "importMode" && had === true && wanted === false);
    return !inPlace;
  });
}

/** Google's value of a managed field, as stored. */
interface Field {
  name: string;
  declared: (d: Declaration) => unknown;
  live: (s: StoredSpace, customer: string) => unknown;
  state: (o: ChatSpaceOutputs) => unknown;
}

const canonicalCustomer = (c: string | undefined, org: string) => (c === "customers/my_customer" ? org : c);
const settingOf = (s: { managersAllowed?: boolean; assistantManagersAllowed?: boolean; membersAllowed?: boolean } | undefined) =>
  s && JSON.stringify([s.managersAllowed === true, s.assistantManagersAllowed === true, s.membersAllowed === true]);

/** The fields a declaration manages: each only when declared (an undeclared field is not managed). */
export function managedFields(d: Declaration): Field[] {
  const fields: Field[] = [
    { name: "spaceType", declared: (x) => x.spaceType ?? "SPACE", live: (s) => s.spaceType, state: (o) => o.spaceType },
    { name: "importMode", declared: (x) => x.importMode === true, live: (s) => s.importMode, state: (o) => o.importMode },
  ];
  if (d.displayName !== undefined)
    fields.push({ name: "displayName", declared: (x) => x.displayName, live: (s) => s.displayName, state: (o) => o.displayName });
  if (d.spaceDetails?.description !== undefined) {
    fields.push({ name: "description", declared: (x) => x.spaceDetails?.description, live: (s) => s.description, state: (o) => o.spaceDetails.description });
  }
  if (d.spaceDetails?.guidelines !== undefined) {
    fields.push({ name: "guidelines", declared: (x) => x.spaceDetails?.guidelines, live: (s) => s.guidelines, state: (o) => o.spaceDetails.guidelines });
  }
  if (d.spaceHistoryState !== undefined) {
    fields.push({ name: "spaceHistoryState", declared: (x) => x.spaceHistoryState, live: (s) => s.spaceHistoryState, state: (o) => o.spaceHistoryState });
  }
  if (d.externalUserAllowed !== undefined) {
    fields.push({
      name: "externalUserAllowed",
      declared: (x) => x.externalUserAllowed,
      live: (s) => s.externalUserAllowed,
      state: (o) => o.externalUserAllowed,
    });
  }
  if (d.customer !== undefined) {
    fields.push({ name: "customer", declared: (x) => x.customer, live: (s) => s.customer, state: (o) => o.customer });
  }
  if (d.accessSettings !== undefined) {
    fields.push({
      name: "accessSettings.audience",
      declared: (x) => x.accessSettings?.audience || undefined,
      live: (s) => s.audience || undefined,
      state: (o) => (o.accessSettings ? o.accessSettings.audience || undefined : LEFT_OUT),
    });
  }
  for (const key of Object.keys(d.permissionSettings ?? {}) as (keyof NonNullable<Declaration["permissionSettings"]>)[]) {
    fields.push({
      name: `permissionSettings.${key}`,
      declared: (x) => settingOf(x.permissionSettings?.[key]),
      live: (s) => settingOf(s.permissionSettings[key]),
      state: (o) => (o.permissionSettings ? settingOf(o.permissionSettings[key]) : LEFT_OUT),
    });
  }
  if (d.importMode && d.createTime !== undefined) {
    fields.push({
      name: "createTime",
      declared: (x) => Date.parse(x.createTime!),
      live: (s) => Date.parse(s.createTime),
      state: (o) => Date.parse(o.createTime ?? ""),
    });
  }
  return fields;
}

/** What the outputs hold when the credentials could not read a field: it is not compared. */
const LEFT_OUT = Symbol("left out");

export function checkAgree(resource: string, decl: Declaration, outs: ChatSpaceOutputs, emulator: PublicState): Violation[] {
  const space = emulator.spaces[idOf(outs.name)];
  if (!space) return [{ invariant: "agree", detail: `${resource}'s state holds ${outs.name}, which does not exist` }];
  const org = emulator.settings.customer;
  const out: Violation[] = [];
  for (const f of managedFields(decl)) {
    const norm = (v: unknown) => (f.name === "customer" ? canonicalCustomer(v as string, org) : v);
    const [want, live, state] = [norm(f.declared(decl)), norm(f.live(space, org)), f.state(outs)];
    if (want !== live) out.push({ invariant: "agree", detail: `${resource} ${f.name}: declared ${fmt(want)}, Google has ${fmt(live)}` });
    if (state !== LEFT_OUT && norm(state) !== live)
      out.push({ invariant: "agree", detail: `${resource} ${f.name}: state has ${fmt(state)}, Google has ${fmt(live)}` });
  }
  return out;
}

/** Fields the declaration leaves out must keep their live value through an operation that keeps the space. */
export function checkUntouched(resource: string, decl: Declaration, before: StoredSpace, after: StoredSpace | undefined): Violation[] {
  if (!after) return [];
  const undeclared: [string, (s: StoredSpace) => unknown][] = [];
  if (decl.spaceDetails?.description === undefined) undeclared.push(["spaceDetails.description", (s) => s.description]);
  if (decl.spaceDetails?.guidelines === undefined) undeclared.push(["spaceDetails.guidelines", (s) => s.guidelines]);
  if (decl.spaceHistoryState === undefined) undeclared.push(["spaceHistoryState", (s) => s.spaceHistoryState]);
  if (decl.accessSettings === undefined) undeclared.push(["accessSettings.audience", (s) => s.audience]);
  return undeclared
    .filter(([, get]) => get(before) !== get(after))
    .map(([field, get]) => ({
      invariant: "untouched" as const,
      detail: `${resource} ${field} is not declared, and went from ${fmt(get(before))} to ${fmt(get(after))}`,
    }));
}

/** The managed fields (managedFields' names) an update mask path writes; none for a path not judged here. */
function fieldsOfMaskPath(path: string): string[] {
  const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  if (path === "display_name") return ["displayName"];
  if (path === "space_details") return ["description", "guidelines"];
  if (path === "space_history_state") return ["spaceHistoryState"];
  if (path === "access_settings.audience") return ["accessSettings.audience"];
  if (path.startsWith("permission_settings.")) return [`permissionSettings.${camel(path.slice("permission_settings.".length))}`];
  return [];
}

/**
 * An update's masks name only what there is to write: no field both declared as the state's last
 * declaration (`previous`) declared it and held by Google as declared before the operation
 * (`before`). Where the credentials can't read a field (app authentication can't read permission
 * settings), the previous declaration is all the provider can compare with, and it must.
 */
export function checkSmallestMasks(resource: string, decl: Declaration, previous: Declaration, before: StoredSpace, masks: string[], org: string): Violation[] {
  const norm = (name: string, v: unknown) => (name === "customer" ? canonicalCustomer(v as string, org) : v);
  const declaredNow = new Map(managedFields(decl).map((f) => [f.name, f]));
  const declaredBefore = new Set(managedFields(previous).map((f) => f.name));
  const out: Violation[] = [];
  for (const path of masks.flatMap((mask) => mask.split(","))) {
    const fields = fieldsOfMaskPath(path).filter((name) => declaredNow.has(name));
    if (fields.length === 0) continue;
    const nothingToWrite = fields.every((name) => {
      const f = declaredNow.get(name)!;
      if (!declaredBefore.has(name)) return false;
      const want = norm(name, f.declared(decl));
      return want === norm(name, f.declared(previous)) && want === norm(name, f.live(before, org));
    });
    if (nothingToWrite)
      out.push({ invariant: "smallestMasks", detail: `${resource}: an update's mask names ${path}, which the state already declared as Google has it` });
  }
  return out;
}

/**
 * A resource whose declaration is the one the state holds (`previous`), and whose space Google
 * holds as declared before the operation (`before`), previews no change (`step`): there is
 * nothing to write, whatever the credentials can read of it.
 */
export function checkPreviewQuiet(
  resource: string,
  step: string,
  previous: Declaration,
  next: Declaration,
  before: StoredSpace | undefined,
  org: string,
): Violation[] {
  if (!before || !isDeepStrictEqual(previous, next)) return [];
  const norm = (name: string, v: unknown) => (name === "customer" ? canonicalCustomer(v as string, org) : v);
  if (!managedFields(next).every((f) => norm(f.name, f.declared(next)) === norm(f.name, f.live(before, org)))) return [];
  return [
    { invariant: "previewQuiet", detail: `the preview plans ${step} for ${resource}, whose declaration is unchanged and which Google holds as declared` },
  ];
}

const fmt = (v: unknown) => (v === undefined ? "(unset)" : JSON.stringify(v));
