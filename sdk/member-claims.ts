/**
 * Which resource of this program manages which member of which space, checked while the program
 * runs, by the provider's own rule (provider/members/claims.ts `conflictsBetween`): the provider
 * applies it at check to every declaration whose space is known; here it also holds for a space
 * the preview can't know yet (a new ChatSpace), matched by its resource. The program fails at
 * preview, naming both resources.
 *
 * A space is told by the ChatSpace resource its value comes from (a ChatSpace, or an Output of
 * one such as `eng.id`: Output.resources() names the resources it depends on), and by its value
 * `spaces/{space}` once known. Known limit: a space given as a literal `spaces/{space}` to one
 * resource and as a new ChatSpace to the other is matched only at `up`, when the value is known.
 * A person declared by email in one resource and by `users/{id}` in the other is matched by the
 * provider, once Google names the email's id.
 *
 * An authoritative roster never removes its calling user, so a ChatMembership of it beside one is
 * no conflict. A program's dynamic resources all use its one default provider, so every roster's
 * caller is the one its settings name without a call (googlechat:impersonateUser; none with app
 * authentication); with a user's own credentials it can't tell, and leaves that pair to the
 * provider, which asks Google before its first write.
 */
import * as pulumi from "@pulumi/pulumi";
import { configuredCallerEmail } from "../provider/core/caller-identity";
import { resolveSettings } from "../provider/core/settings";
import { urnParts } from "../provider/core/urn";
import { type CallerTest, callerTestOf } from "../provider/members/caller";
import { conflictsBetween, type Declaration, holderName } from "../provider/members/claims";
import { memberKeyOf } from "../provider/members/member-ref";
import type { RosterMemberArgs } from "../provider/space-members/types";

/**
 * What one resource claims in a space. `urn`: the resource's URN (resource-urn.ts), what tells it
 * from another resource of the same kind and name under another parent.
 */
export type Claim =
  | { readonly kind: "ChatMembership"; readonly name: string; readonly urn: string; readonly member: RosterMemberArgs }
  | { readonly kind: "ChatSpaceMembers"; readonly name: string; readonly urn: string; readonly mode: string; readonly members: readonly RosterMemberArgs[] };

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
 * constructor, when the space's resource or value, the members and the URN are known now; else
 * when they resolve (a resource under a component: once the component's URN is known). `source` is what the
 * program gave (a ChatSpace, an Output, a string), `value` the
 * space's name as the resource sends it.
 */
export function claimMembers(space: { source: unknown; value: pulumi.Input<string> }, claim: pulumi.Input<Claim>, isChatSpace: (r: unknown) => boolean): void {
  const keys = spaceKeysNow(space.source, isChatSpace);
  const claims = runClaims();
  const isCaller = runCaller();
  const register = (c: Claim, extra: string[] = []) => {
    for (const key of [...keys, ...extra]) {
      // The same resource claiming again is a new run of the program in this process (the
      // Automation API's inline programs): its new claim replaces the old. A URN is unique in a
      // stack and the same in every run; a name is not (two parents of other types may each
      // have a child of that name).
      const all = (claims.get(key) ?? []).filter((other) => other === c || other.urn !== c.urn);
      if (all.includes(c)) continue;
      for (const other of all) {
        const [conflict] = conflictsBetween(declarationOf(c, key), declarationOf(other, key), undefined, () => isCaller);
        if (conflict) throw new Error(`${holderName(holderOf(c))}: ${conflict.property} ${conflict.reason}`);
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

/** Each run's caller test (configuredCaller), by its root Stack resource: the settings are read once per run. */
const callerOfRun = new WeakMap<object, CallerTest>();
function runCaller(): CallerTest {
  const stack = pulumi.runtime.getStackResource();
  if (!stack) return configuredCaller();
  let isCaller = callerOfRun.get(stack);
  if (!isCaller) callerOfRun.set(stack, (isCaller = configuredCaller()));
  return isCaller;
}

/**
 * Who the program's provider acts as, as its settings name it without a call (resolved as the
 * provider resolves them, provider/core/settings.ts): the impersonated user, or none (the Chat
 * app); a user's own credentials can't tell (undefined). Settings the provider refuses can't tell
 * either: the pair that depends on the caller (an authoritative roster beside a ChatMembership) is
 * left to the provider, which refuses the settings first, naming the one at fault.
 */
function configuredCaller(): CallerTest {
  const config = new pulumi.Config("googlechat");
  try {
    return callerTestOf(configuredCallerEmail(resolveSettings((key) => config.get(key.slice("googlechat:".length)), process.env)), undefined);
  } catch {
    return () => undefined;
  }
}

const hasOutput = (value: unknown): boolean =>
  pulumi.Output.isInstance(value) || (typeof value === "object" && value !== null && Object.values(value).some(hasOutput));

/**
 * An Output as @pulumi/pulumi implements it: the resources its value comes from, which the engine
 * uses for dependencies (`OutputImpl.resources`, marked internal in its declarations).
 */
interface OutputOfResources {
  resources(): Set<pulumi.Resource>;
}

/** The keys of a space known now: its ChatSpace resource, or its literal value. */
function spaceKeysNow(space: unknown, isChatSpace: (r: unknown) => boolean): string[] {
  if (typeof space === "string") return [space];
  const from: object[] = isChatSpace(space)
    ? [space as object]
    : pulumi.Output.isInstance(space)
      ? [...(space as unknown as OutputOfResources).resources()].filter(isChatSpace)
      : [];
  return from.map((r) => {
    let key = resourceKeys.get(r);
    if (!key) resourceKeys.set(r, (key = `resource#${++resourceCount}`));
    return key;
  });
}
let resourceCount = 0;

/** A claim as the provider's rule reads it; a space known by its resource only is "the same ChatSpace" in messages. */
function declarationOf(claim: Claim, spaceKey: string): Declaration {
  const space = spaceKey.startsWith("resource#") ? "the same ChatSpace" : spaceKey;
  if (claim.kind === "ChatMembership") {
    const key = memberKeyOf(claim.member);
    const property = claim.member.chatApp === true ? "chatApp" : claim.member.group !== undefined ? "group" : "user";
    return { holder: holderOf(claim), space, members: key ? [{ key, property }] : [] };
  }
  return {
    holder: holderOf(claim),
    space,
    wholeSpace: claim.mode !== "addOnly",
    members: claim.members.flatMap((m, i) => {
      const key = memberKeyOf(m);
      return key ? [{ key, property: `members[${i}]` }] : [];
    }),
  };
}

/** The claim's resource as messages name it: its name, and the types of its parents when it has any (another parent's child may have the same name). */
function holderOf(claim: Claim) {
  const { types } = urnParts(claim.urn);
  const parents = types.slice(0, -1).join(" / ");
  return { type: claim.kind, urn: claim.urn, name: parents ? `${claim.name} (under ${parents})` : claim.name };
}
