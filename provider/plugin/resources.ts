/**
 * Which provider serves each plugin token: the resource providers the dynamic provider serves
 * (provider/space, provider/membership, provider/space-members), unchanged. The plugin calls
 * their methods with the values the dynamic SDK would have sent, and adds only what a plugin
 * must say that a dynamic provider never does: what a preview knows of a resource before Google
 * is called, and an import's declaration.
 *
 * Bookkeeping: the SDK sends `__urn` with every resource's inputs (the resource's name in
 * messages; a membership's claims; a space's requestIds); the plugin takes it from the request's
 * URN. A space's `__organization` (the SDK's `pulumi.getOrganization()`) has no counterpart: the
 * engine tells a resource plugin nothing of the organisation (a Configure, Check or Create
 * request holds the URN, which leaves it out). Its requestIds derive from the URN alone
 * (space/request-id.ts with no organisation), which stays the same from one run to the next, so
 * a create that crashed after Google made the space gets the same requestId when it is repeated,
 * and with it the same space. What it gives up: two Pulumi organisations deploying the same
 * project, stack and resource name with the same Google principal share requestIds (a
 * program-set `requestId` tells them apart).
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { ProviderDeps, ProviderDiff } from "../core/configured-provider";
import { known, UNKNOWN } from "../core/engine-values";
import { typeOfUrn } from "../core/urn";
import { ChatMembershipProvider } from "../membership/provider";
import { ChatSpaceProvider } from "../space/provider";
import { ChatSpaceMembersProvider } from "../space-members/provider";
import { kindOfToken, RESOURCES, type ResourceKind } from "../tokens";
import { outputPropertiesOf } from "./package-schema";

/** Plain values, as the codec (values.ts) gives them and takes them. */
export type Values = Record<string, unknown>;

/** A resource's state as an import records it: its id, outputs, and the inputs the program declares. */
export interface ImportedState {
  readonly id: string;
  readonly props: object;
  readonly inputs: object;
}

/** The lifecycle methods of one resource type's provider, as the engine calls them. */
export interface ServedResource {
  readonly kind: ResourceKind;
  readonly token: string;
  check(olds: Values, news: Values): Promise<dynamic.CheckResult>;
  diff(id: string, olds: Values, news: Values): Promise<ProviderDiff>;
  create(inputs: Values): Promise<dynamic.CreateResult>;
  read(id: string, props: Values): Promise<dynamic.ReadResult>;
  update(id: string, olds: Values, news: Values): Promise<dynamic.UpdateResult>;
  delete(id: string, props: Values): Promise<void>;
  /** `pulumi import` of `id`: one read, and the declaration of what it found. */
  importState(id: string, urn: string): Promise<ImportedState>;
  /**
   * Whether an in-place change compares the declaration with the resource as last read (its
   * outputs): a preview then shows the old value from the outputs, so drift made outside Pulumi
   * shows as what it is. A roster's entries are compared by member, not by position, and show
   * from the declarations.
   */
  readonly inPlaceAgainstOutputs: boolean;
  /**
   * The outputs a preview knows from the input of the same name, when declared: what Google keeps
   * as declared. Every other output is unknown until Google answers (a name, a link, a canonical
   * customer id, the roster as listed).
   */
  readonly previewKnown: readonly string[];
}

/** The three providers of one plugin process, configured together (one provider instance of Pulumi's). */
export interface ProviderSet {
  readonly space: ChatSpaceProvider;
  readonly membership: ChatMembershipProvider;
  readonly roster: ChatSpaceMembersProvider;
}

/** One provider of each type, sharing `deps`: one rate limiter and one set of member claims for the process. */
export function providerSet(deps: ProviderDeps): ProviderSet {
  return { space: new ChatSpaceProvider(deps), membership: new ChatMembershipProvider(deps), roster: new ChatSpaceMembersProvider(deps) };
}

/** The values a provider method takes: the declared ones and the SDK's `__urn`. */
export const withUrn = (values: Values, urn: string): Values => ({ ...values, __urn: urn });

// The providers' own input and output types are stricter than the engine's plain values; the
// engine hands back what they returned, and check types the inputs.
// biome-ignore-start lint/suspicious/noExplicitAny: each provider's own inputs and outputs, behind the engine's plain values
type AnyProvider = {
  check(olds: any, news: any): Promise<dynamic.CheckResult>;
  diff(id: string, olds: any, news: any): Promise<ProviderDiff>;
  create(inputs: any): Promise<dynamic.CreateResult>;
  read(id: string, props?: any): Promise<dynamic.ReadResult>;
  update(id: string, olds: any, news: any): Promise<dynamic.UpdateResult>;
  delete(id: string, props: any): Promise<void>;
};
// biome-ignore-end lint/suspicious/noExplicitAny: each provider's own inputs and outputs, behind the engine's plain values

function served(
  kind: ResourceKind,
  provider: AnyProvider,
  importState: ServedResource["importState"],
  options: Pick<ServedResource, "inPlaceAgainstOutputs" | "previewKnown">,
): ServedResource {
  return {
    kind,
    token: RESOURCES[kind].plugin,
    check: (olds, news) => provider.check(olds, news),
    diff: (id, olds, news) => provider.diff(id, olds, news),
    create: (inputs) => provider.create(inputs),
    read: (id, props) => provider.read(id, props),
    update: (id, olds, news) => provider.update(id, olds, news),
    delete: (id, props) => provider.delete(id, props),
    importState,
    ...options,
  };
}

/** The resource types a plugin process serves, by token. */
export function servedResources(providers: ProviderSet): Map<string, ServedResource> {
  const list = [
    served("space", providers.space, (id, urn) => providers.space.importSpace(id, urn), {
      inPlaceAgainstOutputs: true,
      previewKnown: ["displayName", "spaceType", "spaceHistoryState", "externalUserAllowed", "importMode"],
    }),
    served("membership", providers.membership, (id, urn) => providers.membership.importMembership(id, urn), {
      inPlaceAgainstOutputs: true,
      previewKnown: ["space", "role"],
    }),
    served("roster", providers.roster, (id, urn) => providers.roster.importRoster(id, urn), {
      inPlaceAgainstOutputs: false,
      previewKnown: ["space", "mode"],
    }),
  ];
  return new Map(list.map((resource) => [resource.token, resource]));
}

/** The resource type of a request: its `type`, or the type in its URN (`urn:pulumi:stack::project::[parent$]type::name`). */
export function tokenOf(type: string, urn: string): string {
  if (type) return type;
  return typeOfUrn(urn);
}

/** The resource type `token` names, or an error saying which this plugin serves. */
export function resourceOf(resources: Map<string, ServedResource>, token: string): ServedResource {
  const resource = resources.get(token);
  if (resource) return resource;
  const hint = kindOfToken(token) ? " (a dynamic-provider type: the TypeScript SDK's classes serve it)" : "";
  throw new Error(`The googlechat provider has no resource type ${token}${hint}: it serves ${[...resources.keys()].join(", ")}.`);
}

/** A preview's outputs of a create: what the inputs say of {@link ServedResource.previewKnown}, every other output unknown. */
export function previewCreate(resource: ServedResource, inputs: Values): Values {
  return Object.fromEntries(
    outputPropertiesOf(resource.token).map((key) => [key, resource.previewKnown.includes(key) && known(inputs[key]) ? inputs[key] : UNKNOWN]),
  );
}

/**
 * A preview's outputs of an update: the outputs as they are, the {@link ServedResource.previewKnown}
 * ones as now declared, and unknown every other output whose input the update changes.
 */
export function previewUpdate(resource: ServedResource, olds: Values, oldInputs: Values, news: Values): Values {
  const outputs = new Set(outputPropertiesOf(resource.token));
  const preview: Values = { ...olds };
  for (const key of new Set([...Object.keys(oldInputs), ...Object.keys(news)])) {
    if (!outputs.has(key)) continue;
    if (resource.previewKnown.includes(key) && news[key] !== undefined) preview[key] = news[key];
    else if (JSON.stringify(news[key]) !== JSON.stringify(oldInputs[key])) preview[key] = UNKNOWN;
  }
  return preview;
}
