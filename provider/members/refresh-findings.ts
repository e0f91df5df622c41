/**
 * What this process's reads (a refresh) found changed in Chat against the state they were given:
 * a member listed that the state did not list (joined since), and a role that differs from the
 * state's. Kept for the process, which serves one deployment.
 *
 * Why: `pulumi up --refresh` refreshes twice, once in its preview and again in its update, two
 * deployments with a provider process each (pulumi/pulumi pkg/resource/deploy/deployment_executor.go
 * `Execute`: `opts.Refresh` runs `ex.refresh` whether or not the deployment is a dry run; a
 * preview's refreshed state is not saved, so the update's refresh starts again from the saved
 * state). The update then plans from a listing its preview never saw: a member who joined, or a
 * role raised, in Chat between the two refreshes. So a removal or a demotion of what a refresh of
 * this process found changed is left to the next preview, which plans from a state that records
 * it, and announces it. Both the diff and the write of a deployment follow the rule (one process),
 * so a preview with its own refresh shows the member kept, as its update keeps her.
 *
 * What is found is told by space and member (either resource type's read may find it): never a
 * credential.
 */
import type { MemberEntry } from "./memberships";

/** What a plan asks of the findings for one space. */
export interface ChangedSince {
  /** Whether a refresh of this process listed `member` where the state it was given did not. */
  joined(member: string): boolean;
  /** Whether a refresh of this process read `member` at another role than the state it was given. */
  roleChanged(member: string): boolean;
}

/** Nothing changed since the state: a process that refreshed nothing. */
export const NOTHING_CHANGED: ChangedSince = { joined: () => false, roleChanged: () => false };

/** Why a member a refresh found joined is not removed: said in the plan's log line. */
export const JOINED_SINCE =
  "it joined in Chat after the state was written, as this deployment's refresh read it, " +
  "which a preview may not have seen; the next preview announces its removal";

/** Why a role a refresh found changed is not lowered: said in the plan's log line. */
export const ROLE_CHANGED_SINCE =
  "its role was changed in Chat after the state was written, as this deployment's refresh read it, " +
  "which a preview may not have seen; the next preview announces the change";

const keyOf = (space: string, member: string) => `${space} ${member.toLowerCase()}`;

export class RefreshFindings {
  private readonly joinedKeys = new Set<string>();
  private readonly roleKeys = new Set<string>();

  /**
   * Records what a read of `space` found against the state it was given: `previous`, the state's
   * members (undefined: no state, as an import or a `get` reads, so nothing to compare), and
   * `listed`, what Google answered. A member the state held as NOT_A_MEMBER (historical, never
   * removed) counts as joined once listed as a member.
   */
  noteRead(space: string, previous: readonly MemberEntry[] | undefined, listed: readonly MemberEntry[]): void {
    if (!previous) return;
    const before = new Map(previous.map((m) => [m.member.toLowerCase(), m]));
    for (const now of listed) {
      if (now.state === "NOT_A_MEMBER") continue;
      const was = before.get(now.member.toLowerCase());
      if (!was || was.state === "NOT_A_MEMBER") this.joinedKeys.add(keyOf(space, now.member));
      else if (was.role !== now.role) this.roleKeys.add(keyOf(space, now.member));
    }
  }

  /** The findings of one space, as a plan asks them. */
  of(space: string): ChangedSince {
    return {
      joined: (member) => this.joinedKeys.has(keyOf(space, member)),
      roleChanged: (member) => this.roleKeys.has(keyOf(space, member)),
    };
  }
}
