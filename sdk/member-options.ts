/**
 * The resource option a ChatMembership or a ChatSpaceMembers refuses: `deleteBeforeReplace: true`.
 *
 * The engine runs a delete-first replacement's delete as soon as the replaced resource registers
 * (pulumi/pulumi pkg/resource/deploy/step_generator.go: "DeleteBeforeCreate implies that we must
 * immediately delete the resource"), before the program has registered the resources it declares
 * after it (after an `await`, or from an output not resolved yet). So the provider's delete can't
 * know that one of those now declares the member (provider/members/claims.ts) and removes her; a
 * roster that already lists her by `users/{id}` then adds nothing back. A create-first
 * replacement deletes the old resource after the program has run, when every declaration is
 * known, and keeps every member another resource declares. Nothing is lost by refusing it: a
 * membership replaced for another member or space, or a roster for another space, never needs the
 * old one gone first (and where Google does, for other import-mode times of the same member, the
 * provider's diff asks for it: provider/membership/identity.ts `deletesBeforeReplacing`).
 *
 * The classes refuse it while the program runs, with no call to Google. Programs of the provider
 * plugin's resources (YAML, other languages) can set it, since resource options never reach a
 * provider: docs/guides/memberships.md states that limit.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The membership resources whose options are checked here. */
export type MemberResourceKind = "ChatMembership" | "ChatSpaceMembers";

/** Fails the program when `opts` asks for a delete-first replacement of the resource `kind` named `name`. */
export function refuseDeleteFirst(kind: MemberResourceKind, name: string, opts: pulumi.CustomResourceOptions): void {
  if (opts.deleteBeforeReplace !== true) return;
  throw new Error(
    `${kind} ${name}: the resource option deleteBeforeReplace: true is refused. ` +
      "Pulumi runs a delete-first replacement's delete as soon as the resource is registered, " +
      "before the resources the program declares after it, so a member moved to one of them would be removed from the space. " +
      "Remove the option: a replacement then creates first, " +
      "and the old resource's delete, after the program has run, keeps every member another resource declares.",
  );
}
