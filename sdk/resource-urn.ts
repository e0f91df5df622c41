import * as pulumi from "@pulumi/pulumi";

/**
 * The URN of the resource being constructed, as a value its provider reads (`__urn`: it names the
 * resource in messages, and a space's requestIds derive from it), with no dependency on `parent`.
 *
 * `pulumi.createUrn` derives the URN from `parent.urn`, an Output that depends on the parent. A
 * dependency on a component resource is one on each of its children: the SDK waits for all their
 * URNs before registering (@pulumi/pulumi runtime/dependsOn.ts,
 * `getAllTransitivelyReferencedResourceURNs`). A ChatSpace and a ChatMembership of it under one
 * component then waited for each other, and the program never finished.
 */
export function resourceUrn(name: string, type: string, parent: pulumi.Resource | undefined): pulumi.Output<string> {
  const urn = pulumi.createUrn(name, type, parent);
  return pulumi.output(new Promise<string>((resolve) => urn.apply(resolve)));
}

/**
 * The URN of the resource being constructed, as a string where it is known now: a resource
 * without a parent, or whose parent is the stack, has `urn:pulumi:{stack}::{project}::{type}::{name}`
 * (@pulumi/pulumi resource.ts `createUrn`, which leaves the stack's type out); under another
 * parent, it is the {@link resourceUrn} Output, known once the parent's URN is.
 */
export function resourceUrnNow(name: string, type: string, parent: pulumi.Resource | undefined): pulumi.Input<string> {
  if (parent === undefined || parent === pulumi.runtime.getStackResource()) return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${type}::${name}`;
  return resourceUrn(name, type, parent);
}
