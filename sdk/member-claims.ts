/**
 * Which resource of this program manages which member of which space, so that a member is
 * never managed by both a {@link ChatSpaceMembers} roster and a {@link ChatMembership}: the two
 * providers can't see each other, and would undo each other's work on every `up` (a tug of war).
 * The program fails at preview instead, naming both resources.
 *
 * Conflicts, per space:
 * - a ChatMembership whose member a roster declares;
 * - a ChatMembership and an `authoritative` roster (which removes every member it doesn't declare);
 * - two rosters.
 *
 * A space is told by the ChatSpace resource its value comes from (a ChatSpace, or an Output of
 * one such as `eng.name`: Output.resources() names the resources it depends on), and by its value
 * `spaces/{space}` once known. Known limit: a space given as a literal `spaces/{space}` to one
 * resource and as a new ChatSpace's output to the other is matched only at `up`, when the value
 * is known (a preview of a new space can't know it). A person declared by email in one resource
 * and by `users/{id}` in the other is not matched (only Google knows both).
 */
import * as pulumi from "@pulumi/pulumi";
import { memberKeyOf } from "../provider/members/member-ref";
import type { RosterMemberArgs } from "../provider/space-members/types";

/** What one resource claims in a space. */
export type Claim =
  | { readonly kind: "ChatMembership"; readonly name: string; readonly member: RosterMemberArgs }
  | { readonly kind: "ChatSpaceMembers"; readonly name: string; readonly mode: string; readonly members: readonly RosterMemberArgs[] };

/**
 * The claims of each run of the program, by space key. A run is told by its root Stack resource:
 * the Automation API's inline programs run many times in one process. Under Pulumi's mocks there
 * is none, and one map serves (tests clear it).
 */
const claimsOfRun = new WeakMap<object, Map<string, Claim[]>>();
const claimsWithoutStack = new Map<string, Claim[]>();
function runClaims(): Map<string, Claim[]> {
  const stack = pulumi.runtime.getStackResource();
  if (!stack) return claimsWithoutStack;
  let claims = claimsOfRun.get(stack);
  if (!claims) claimsOfRun.set(stack, (claims = new Map()));
  return claims;
}
/** A stable key for each resource object a space comes from. */
const resourceKeys = new WeakMap<object, string>();

/** Clears every claim: for tests, which run many programs in one process. */
export function clearClaims(): void {
  claimsWithoutStack.clear();
}

/**
 * Registers `claim` for a space and fails the program on a conflict: synchronously, from the
 * constructor, when the space's resource or value and the members are known now; else when they
 * resolve. `source` is what the program gave (a ChatSpace, an Output, a string), `value` the
 * space's name as the resource sends it.
 */
export function claimMembers(space: { source: unknown; value: pulumi.Input<string> }, claim: pulumi.Input<Claim>, isChatSpace: (r: unknown) => boolean): void {
  const keys = spaceKeysNow(space.source, isChatSpace);
  const claims = runClaims();
  const register = (c: Claim, extra: string[] = []) => {
    for (const key of [...keys, ...extra]) {
      // The same resource claiming again is a new run of the program in this process (the
      // Automation API's inline programs): its new claim replaces the old. Pulumi names are
      // unique per type in a program, so kind and name tell the resource.
      const all = (claims.get(key) ?? []).filter((other) => other === c || other.kind !== c.kind || other.name !== c.name);
      if (all.includes(c)) continue;
      for (const other of all) {
        const why = conflict(other, c);
        if (why) throw new Error(`${other.kind} ${other.name} and ${c.kind} ${c.name} ${why}`);
      }
      claims.set(key, [...all, c]);
    }
  };
  const plainClaim = pulumi.Output.isInstance(claim) ? undefined : (claim as Claim);
  if (plainClaim && !hasOutput(plainClaim)) register(plainClaim);
  // The space's value, once known: matches a literal spaces/{space} given to another resource.
  pulumi.all([pulumi.output(space.value), pulumi.output(claim)]).apply(([value, resolved]) => {
    const valueKey = typeof value === "string" && value.startsWith("spaces/") ? [value] : [];
    register(plainClaim && !hasOutput(plainClaim) ? plainClaim : (resolved as Claim), valueKey);
  });
}

const hasOutput = (value: unknown): boolean =>
  pulumi.Output.isInstance(value) || (typeof value === "object" && value !== null && Object.values(value).some(hasOutput));

/** The keys of a space known now: its ChatSpace resource, or its literal value. */
function spaceKeysNow(space: unknown, isChatSpace: (r: unknown) => boolean): string[] {
  if (typeof space === "string") return [space];
  const from = isChatSpace(space) ? [space] : pulumi.Output.isInstance(space) ? [...(space as any).resources()].filter(isChatSpace) : [];
  return from.map((r) => {
    let key = resourceKeys.get(r);
    if (!key) resourceKeys.set(r, (key = `resource#${++resourceCount}`));
    return key;
  });
}
let resourceCount = 0;

/** Why two claims on one space conflict, or undefined. */
function conflict(a: Claim, b: Claim): string | undefined {
  if (a.kind === "ChatMembership" && b.kind === "ChatMembership") return undefined;
  if (a.kind === "ChatSpaceMembers" && b.kind === "ChatSpaceMembers") {
    return "are both rosters of the same space: they would undo each other. Declare one ChatSpaceMembers per space.";
  }
  const [roster, membership] = (a.kind === "ChatSpaceMembers" ? [a, b] : [b, a]) as [Extract<Claim, { kind: "ChatSpaceMembers" }>, Extract<Claim, { kind: "ChatMembership" }>];
  const key = memberKeyOf(membership.member);
  if (key && roster.members.some((m) => memberKeyOf(m) === key)) {
    return `both manage ${key} in the same space, and would undo each other's changes. Declare the member in one of them: remove its entry from the roster, or remove the ChatMembership (with retainOnDelete: true first, if the member should stay).`;
  }
  if (roster.mode !== "addOnly") {
    return `manage the same space: the authoritative roster would remove ${key}, which it does not declare. Move the member into the roster (and remove the ChatMembership), or set mode: "addOnly" on the roster.`;
  }
  return undefined;
}
