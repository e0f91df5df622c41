/**
 * What Pulumi calls each resource and function of this package: the one table of type tokens.
 * Served two ways, the same code behind both:
 * - as a Node.js dynamic provider (TypeScript programs): the engine's token for a dynamic resource
 *   is `pulumi-nodejs:dynamic/<module>:<type>` (@pulumi/pulumi `dynamic.Resource`), its URNs too;
 * - as the provider plugin `pulumi-resource-googlechat` (every Pulumi language): the schema's
 *   `googlechat:index:<Name>` tokens.
 * Changing a token changes every URN of its resources. Imports nothing: the package's commands
 * read it without loading the provider or @pulumi/pulumi.
 */

/** The package's name: the plugin's, the schema's, and the `googlechat:` config namespace. */
export const PACKAGE = "googlechat";

/** The resources, by the kind the rest of the code names them. */
export const RESOURCES = {
  space: { dynamicType: "ChatSpace", plugin: "googlechat:index:Space" },
  membership: { dynamicType: "ChatMembership", plugin: "googlechat:index:Membership" },
  roster: { dynamicType: "ChatSpaceMembers", plugin: "googlechat:index:SpaceMembers" },
} as const;

export type ResourceKind = keyof typeof RESOURCES;

/** The dynamic provider's module: the `<module>` of `pulumi-nodejs:dynamic/<module>:<type>`. */
export const DYNAMIC_MODULE = PACKAGE;

/** The package of Pulumi's Node.js dynamic-provider host, which serves every dynamic resource. */
const DYNAMIC_HOST = "pulumi-nodejs";

/** A dynamic resource's type token, as `dynamic.Resource` builds it from the module and type. */
export const dynamicToken = (kind: ResourceKind): string => `${DYNAMIC_HOST}:dynamic/${DYNAMIC_MODULE}:${RESOURCES[kind].dynamicType}`;

/** The type of the dynamic-provider host's provider resources in a state (`pulumi:providers:<package>`). */
export const DYNAMIC_PROVIDER_TYPE = `pulumi:providers:${DYNAMIC_HOST}`;

/** The functions the plugin serves (Invoke). */
export const FUNCTIONS = {
  getSpace: "googlechat:index:getSpace",
} as const;

/** Which of this package's resources a type token names, by either serving; undefined for any other. */
export function kindOfToken(token: string): ResourceKind | undefined {
  return (Object.keys(RESOURCES) as ResourceKind[]).find((kind) => token === dynamicToken(kind) || token === RESOURCES[kind].plugin);
}
