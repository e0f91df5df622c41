/**
 * What a 404 tells a provider configured with googlechat:useAdminAccess, for every resource:
 * admin access runs a call with "the user's Google Workspace administrator privileges" (v1.d.ts
 * `useAdminAccess`), which reach every space of the administrator's own organisation and no
 * other's ({@link ADMIN_ACCESS_REACH}). So its 404 confirms nothing by itself, and the space is
 * read as the calling user too: a space admin access doesn't see and the calling user does is
 * another organisation's, out of admin access's reach; one neither sees counts as deleted. Google
 * answers a space out of sight as it answers a missing one, so another organisation's space the
 * calling user has left can't be told from a deleted one.
 */
import { ADMIN_ACCESS_REACH, isNotFound, type ResourceType } from "./errors";

/** A read of the space a 404 concerns: its answer, or undefined where it answers 404; any other failure rejects. */
export type SpaceRead<T> = () => Promise<T | undefined>;

/** Where the read is not made: the 404 met already is that principal's answer for the space. */
export const ANSWERED_404 = "answered404";

/**
 * Where the space stands after a 404, by {@link spaceUnderAdminAccess}: admin access sees it
 * (`seen`, with what the read answered), neither admin access nor the calling user does (`gone`:
 * deleted), or only the calling user does (`beyondAdminAccess`: another organisation's space).
 */
export type AdminAccessSight<T> = { readonly kind: "seen"; readonly space: T } | { readonly kind: "gone" } | { readonly kind: "beyondAdminAccess" };

/**
 * The admin-access confirmation rule: `byAdmin` reads the space with admin access, `byUser` as
 * the calling user, each in that order and only while it can change the answer; either is
 * {@link ANSWERED_404} where the 404 being judged is already that principal's answer for the space
 * (admin access's own 404 of the space, a call sent as the user).
 */
export async function spaceUnderAdminAccess<T>(
  byAdmin: SpaceRead<T> | typeof ANSWERED_404,
  byUser: SpaceRead<unknown> | typeof ANSWERED_404,
): Promise<AdminAccessSight<T>> {
  const seen = byAdmin === ANSWERED_404 ? undefined : await byAdmin();
  if (seen !== undefined) return { kind: "seen", space: seen };
  if (byUser !== ANSWERED_404 && (await byUser()) !== undefined) return { kind: "beyondAdminAccess" };
  return { kind: "gone" };
}

/** What `call` answers, or undefined where it answers 404 (a {@link SpaceRead}); any other failure rejects. */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** The words of one resource type's {@link beyondAdminAccess} message. */
export interface BeyondAdminAccessWords {
  /** What admin access's 404 leaves untold: "whether the member is there can't be told". */
  readonly untold: string;
  /** What to manage without admin access: "this space", "this space's members". */
  readonly manage: string;
  /** When to take the resource out of the stack: "if the member was removed". */
  readonly takeOut: string;
}

/**
 * What a provider says when admin access answered 404 for a space the calling user sees
 * ({@link spaceUnderAdminAccess} `beyondAdminAccess`): `label` names the resource, `outcome`
 * what happens to it now ("stays in the stack as last read"), in the `words` of its type.
 */
export function beyondAdminAccess(type: ResourceType, label: string, space: string, outcome: string, words: BeyondAdminAccessWords): string {
  return (
    `${type} ${label}: Google answers 404 Not Found with googlechat:useAdminAccess, yet the calling user sees ${space}: ` +
    `${ADMIN_ACCESS_REACH}, ` +
    `so ${words.untold}. It ${outcome}. ` +
    `Manage ${words.manage} with a provider instance without googlechat:useAdminAccess (the calling user is a member of the space); ` +
    `${words.takeOut}, take it out of the stack deliberately: \`pulumi state delete <urn>\` (\`pulumi stack --show-urns\` lists them).`
  );
}
