/**
 * A space as Google answers it, turned into the ChatSpace declaration that adopts it as it is:
 * every field a ChatSpace can declare, at its current value, and `adoptSpace`. What can't be
 * declared is said, with the reason. Used by the `import` command (the program it writes) and by
 * the provider plugin's import (`pulumi import googlechat:index:Space`: the inputs it records).
 *
 * The declaration is held to the provider's own rules before it is given: it must pass check
 * (check.ts), adopt without a conflict (identity.ts identityConflicts) and plan no call
 * (update-plan.ts planUpdate): so `pulumi up` of it reads the space once and writes nothing. A
 * space whose declaration would not gets none, and the reasons, never a declaration half-right.
 */
import type { chat_v1 } from "@googleapis/chat";
import { checkInputs } from "./check";
import { identityConflicts } from "./identity";
import { toOutputs } from "./state";
import { type ChatSpaceInputs, PERMISSION_SETTING_KEYS, type PermissionSettings } from "./types";
import { planUpdate } from "./update-plan";

/** The declaration of one live space. */
export interface LiveSpaceDeclaration {
  /** The declaration that adopts it; absent when the space can't be a ChatSpace. */
  readonly declaration?: ChatSpaceInputs;
  /** What the declaration leaves out or could not express, and why; one sentence each. */
  readonly notExpressed: string[];
}

export interface DeclarationContext {
  /** The provider's kind of caller: app auth can't declare access settings. */
  readonly auth: "app" | "user";
  /** For check's time rules. */
  readonly now: number;
}

/** The ChatSpace declaration that adopts `space` as it is, or why there is none. */
export function declareLiveSpace(space: chat_v1.Schema$Space, ctx: DeclarationContext): LiveSpaceDeclaration {
  const name = space.name ?? "";
  const notExpressed: string[] = [];
  if (space.spaceType === "DIRECT_MESSAGE") {
    return { notExpressed: ["a direct message: ChatSpace manages spaces and group chats (Google makes DMs with spaces.setup)"] };
  }
  if (space.importMode) {
    // Search and list never answer with one; kept for a caller that reads one by name.
    return { notExpressed: ["in import mode: adopt it once its import is complete"] };
  }
  const live = toOutputs(space, {}, "");
  const isSpace = live.spaceType === "SPACE";
  const declared: Record<string, unknown> = {
    adoptSpace: name,
    spaceType: live.spaceType,
    ...(isSpace ? { displayName: live.displayName, spaceDetails: live.spaceDetails } : {}),
    spaceHistoryState: live.spaceHistoryState,
    externalUserAllowed: live.externalUserAllowed,
    ...(live.customer ? { customer: live.customer } : {}),
  };

  if (isSpace && live.accessSettings && ctx.auth === "user") {
    const { audience, accessPermissionSettings } = live.accessSettings;
    declared.accessSettings = {
      ...(audience ? { audience } : {}),
      ...(accessPermissionSettings ? { accessPermissionSettings } : {}),
    };
    const principals = [space.accessSettings?.accessPermissionSettings?.discoverSpaceSetting, space.accessSettings?.accessPermissionSettings?.joinSpaceSetting]
      .flatMap((setting) => setting?.principals ?? [])
      .filter((p) => !p.audience?.name);
    if (principals.length > 0)
      notExpressed.push("accessSettings.accessPermissionSettings: principals other than audiences (ChatSpace declares audiences only)");
  } else if (isSpace && ctx.auth === "app") {
    notExpressed.push("accessSettings: needs user authentication (googlechat:auth user, or impersonateUser)");
  } else if (isSpace) {
    notExpressed.push("accessSettings: Google did not return them to these credentials");
  }

  if (isSpace && live.permissionSettings) {
    const settings: Record<string, unknown> = {};
    for (const key of PERMISSION_SETTING_KEYS) if (live.permissionSettings[key]) settings[key] = live.permissionSettings[key];
    declared.permissionSettings = settings as PermissionSettings;
  } else if (isSpace) {
    notExpressed.push(
      "permissionSettings: Google did not return them to these credentials (spaces.list never does; use --admin, or app auth for the app's own spaces)",
    );
  }

  const declaration = declared as ChatSpaceInputs;
  const refusals = [
    ...checkInputs(declaration, { creating: true, auth: ctx.auth, now: ctx.now }).map((f) => `${f.property} ${f.reason}`),
    ...identityConflicts(space, declaration, "adopted"),
  ];
  const plan = planUpdate(live, declaration);
  if (plan.completeImport || plan.patches.length > 0) {
    refusals.push(`adopting it would write (${plan.patches.map((p) => p.updateMask).join("; ") || "completeImport"})`);
  }
  if (refusals.length > 0) return { notExpressed: [`left out: ${refusals.join("; ")}`] };
  return { declaration, notExpressed };
}
