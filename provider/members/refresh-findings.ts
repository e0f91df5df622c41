/**
 * What a refresh of this deployment found changed in Chat against the state it was given: a
 * member listed that the state did not list (joined since), and a role that differs from the
 * state's. Kept for the deployment: each provider process publishes what its own reads found to
 * the deployment's others (core/deployment-share.ts), and takes in theirs before a plan asks.
 *
 * Why: `pulumi up --refresh` refreshes twice, once in its preview and again in its update, two
 * deployments with provider processes of their own (pulumi/pulumi pkg/resource/deploy/deployment_executor.go
 * `Execute`: `opts.Refresh` runs `ex.refresh` whether or not the deployment is a dry run; a
 * preview's refreshed state is not saved, so the update's refresh starts again from the saved
 * state). The update then plans from a listing its preview never saw: a member who joined, or a
 * role raised, in Chat between the two refreshes. So a removal or a demotion of what a refresh of
 * this deployment found changed is left to the next preview, which plans from a state that records
 * it, and announces it. Both the diff and the write of a deployment follow the rule, so a preview
 * with its own refresh shows the member kept, as its update keeps her.
 *
 * Why the deployment's and not the process's: the refresh reads a resource with the provider its
 * state names (step.go `RefreshStep.Apply`), while its diff and update run under the provider the
 * program declares now (step_generator.go `diff`; `providerChanged` replaces nothing when the new
 * instance's `DiffConfig` asks no replacement). A resource moved to another provider instance,
 * another process, is refreshed by one process and diffed and updated by the other. A preview and
 * its update never share: they are two deployments, each with its own share.
 *
 * What is found is told by space and member (either resource type's read may find it): never a
 * credential.
 */
import type { SharedRecords } from "../core/share-readers";
import type { MemberEntry } from "./memberships";

/** What a plan asks of the findings for one space. */
export interface ChangedSince {
  /** Whether a refresh of this deployment listed `member` where the state it was given did not. */
  joined(member: string): boolean;
  /** Whether a refresh of this deployment read `member` at another role than the state it was given. */
  roleChanged(member: string): boolean;
}

/** Nothing changed since the state: a deployment that refreshed nothing. */
export const NOTHING_CHANGED: ChangedSince = { joined: () => false, roleChanged: () => false };

/** Why a member a refresh found joined is not removed: said in the plan's log line. */
export const JOINED_SINCE =
  "it joined in Chat after the state was written, as this deployment's refresh read it, " +
  "which a preview may not have seen; the next preview announces its removal";

/** Why a role a refresh found changed is not lowered: said in the plan's log line. */
export const ROLE_CHANGED_SINCE =
  "its role was changed in Chat after the state was written, as this deployment's refresh read it, " +
  "which a preview may not have seen; the next preview announces the change";

/**
 * Why the role of a member a read of this deployment found joined since the state (a refresh, or
 * the calling user read by her email) is not lowered: said in the plan's log line.
 */
export const JOINED_AT_ROLE_SINCE =
  "it joined in Chat at this role after the state was written, as this deployment read it (a refresh, or the read of who the calling user is), " +
  "which a preview may not have seen; the next preview announces the change";

/**
 * Why lowering `member`'s role waits for the next preview: a refresh of this deployment read her
 * role where the state held another ({@link ROLE_CHANGED_SINCE}) or none, as she joined since
 * ({@link JOINED_AT_ROLE_SINCE}: a member declared by `users/{id}` is then in the listing the plan
 * starts from, so what its preview showed as an add would be a demotion); undefined where it may
 * be lowered now.
 */
export function roleFoundSince(since: ChangedSince, member: string): string | undefined {
  return since.roleChanged(member) ? ROLE_CHANGED_SINCE : since.joined(member) ? JOINED_AT_ROLE_SINCE : undefined;
}

const keyOf = (space: string, member: string) => `${space} ${member.toLowerCase()}`;

/**
 * What one provider process tells the deployment's others a read of it found in `space`: the
 * members (canonical, lower-cased) found joined, and found at another role, since the state.
 */
interface FindingRecord {
  readonly refreshFound: { readonly space: string; readonly joined: readonly string[]; readonly roleChanged: readonly string[] };
}

export class RefreshFindings {
  private readonly joinedKeys = new Set<string>();
  private readonly roleKeys = new Set<string>();

  /** `share`: the deployment's other provider processes (none outside an engine). */
  constructor(private readonly share?: SharedRecords) {}

  /**
   * Records what a read of `space` found against the state it was given, for this process and
   * the deployment's others: `previous`, the state's members (undefined: no state, as an import or
   * a `get` reads, so nothing to compare), and `listed`, what Google answered. A member the state
   * held as NOT_A_MEMBER (historical, never removed) counts as joined once listed as a member.
   */
  noteRead(space: string, previous: readonly MemberEntry[] | undefined, listed: readonly MemberEntry[]): void {
    if (!previous) return;
    const before = new Map(previous.map((m) => [m.member.toLowerCase(), m]));
    const joined: string[] = [];
    const roleChanged: string[] = [];
    for (const now of listed) {
      if (now.state === "NOT_A_MEMBER") continue;
      const was = before.get(now.member.toLowerCase());
      if (!was || was.state === "NOT_A_MEMBER") joined.push(now.member.toLowerCase());
      else if (was.role !== now.role) roleChanged.push(now.member.toLowerCase());
    }
    if (joined.length === 0 && roleChanged.length === 0) return;
    const found = { space, joined, roleChanged };
    this.take(found);
    this.share?.publish({ refreshFound: found } satisfies FindingRecord);
  }

  /** The findings of one space, as a plan asks them: this process's and those the deployment's others published. */
  of(space: string): ChangedSince {
    for (const record of this.share?.receive() ?? []) if (isFindingRecord(record)) this.take(record.refreshFound);
    return {
      joined: (member) => this.joinedKeys.has(keyOf(space, member)),
      roleChanged: (member) => this.roleKeys.has(keyOf(space, member)),
    };
  }

  private take(found: FindingRecord["refreshFound"]): void {
    for (const member of found.joined) this.joinedKeys.add(keyOf(found.space, member));
    for (const member of found.roleChanged) this.roleKeys.add(keyOf(found.space, member));
  }
}

/** Whether a record another process published is a finding of the shape this version reads; any other is skipped. */
export function isFindingRecord(value: unknown): value is FindingRecord {
  if (typeof value !== "object" || value === null || !("refreshFound" in value)) return false;
  const found = (value as { refreshFound: unknown }).refreshFound;
  if (typeof found !== "object" || found === null) return false;
  const f = found as Record<string, unknown>;
  const texts = (v: unknown) => Array.isArray(v) && v.every((t) => typeof t === "string");
  return typeof f.space === "string" && texts(f.joined) && texts(f.roleChanged);
}
