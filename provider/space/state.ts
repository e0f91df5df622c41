/**
 * A space as Google returns it, turned into the resource's outputs: proto3 JSON leaves out
 * `false`, `0` and empty values, which the outputs state explicitly; Pulumi refuses
 * `undefined` anywhere in outputs, so absent values are left out, never set to undefined.
 */
import type { chat_v1 } from "@googleapis/chat";
import { withoutUndefined } from "../core/engine-values";
import type { ChatSpaceInputs, ChatSpaceOutputs, PermissionSetting } from "./types";

export function toOutputs(space: chat_v1.Schema$Space, declared: ChatSpaceInputs, requestId: string): ChatSpaceOutputs {
  return withoutUndefined<ChatSpaceOutputs>({
    name: space.name ?? "",
    spaceUri: space.spaceUri ?? "",
    displayName: space.displayName ?? "",
    spaceType: space.spaceType ?? "",
    spaceDetails: {
      description: space.spaceDetails?.description ?? "",
      guidelines: space.spaceDetails?.guidelines ?? "",
    },
    spaceHistoryState: space.spaceHistoryState ?? "",
    spaceThreadingState: space.spaceThreadingState ?? "",
    externalUserAllowed: space.externalUserAllowed ?? false,
    importMode: space.importMode ?? false,
    importModeExpireTime: space.importModeExpireTime ?? undefined,
    createTime: space.createTime ?? undefined,
    lastActiveTime: space.lastActiveTime ?? undefined,
    customer: space.customer ?? undefined,
    membershipCount: {
      joinedDirectHumanUserCount: space.membershipCount?.joinedDirectHumanUserCount ?? 0,
      joinedGroupCount: space.membershipCount?.joinedGroupCount ?? 0,
    },
    accessSettings: space.accessSettings
      ? {
          accessState: space.accessSettings.accessState ?? undefined,
          audience: space.accessSettings.audience ?? undefined,
          accessPermissionSettings: space.accessSettings.accessPermissionSettings
            ? {
                discoverSpaceSetting: audienceNames(space.accessSettings.accessPermissionSettings.discoverSpaceSetting),
                joinSpaceSetting: audienceNames(space.accessSettings.accessPermissionSettings.joinSpaceSetting),
              }
            : undefined,
        }
      : undefined,
    permissionSettings: space.permissionSettings ? fullPermissions(space.permissionSettings) : undefined,
    requestId,
    __declared: declared,
  });
}

/** The declaration kept in a space's outputs, whichever release wrote them. */
export function declarationOf(outputs: Pick<ChatSpaceOutputs, "__declared" | "declared">): ChatSpaceInputs {
  return outputs.__declared ?? outputs.declared ?? {};
}

/** The outputs with `declared` as the declaration they keep, in this release's key. */
export function withDeclaration(outputs: ChatSpaceOutputs, declared: ChatSpaceInputs): ChatSpaceOutputs {
  const { declared: _legacy, ...rest } = outputs;
  return { ...rest, __declared: declared };
}

/** The audiences an access permission setting allows, sorted: Google's list is unordered. */
export function audienceNames(setting: chat_v1.Schema$AccessPermissionSetting | undefined): string[] {
  return (setting?.principals ?? []).flatMap((p) => (p.audience?.name ? [p.audience.name] : [])).sort();
}

/** A setting with every role explicit: what Google stores when it replaces a setting. */
export function fullSetting(setting: PermissionSetting | null | undefined): Required<PermissionSetting> {
  return {
    managersAllowed: setting?.managersAllowed === true,
    assistantManagersAllowed: setting?.assistantManagersAllowed === true,
    membersAllowed: setting?.membersAllowed === true,
  };
}

function fullPermissions(settings: chat_v1.Schema$PermissionSettings): Record<string, Required<PermissionSetting>> {
  return Object.fromEntries(Object.entries(settings).map(([key, setting]) => [key, fullSetting(setting)]));
}

/**
 * A state its create could not read: Google answered the create and the read after it with the
 * space's name alone, so the outputs hold no space type, which Google gives every space it
 * returns whole (v1.d.ts Schema$Space.spaceType). The next up reads the space before it plans.
 */
export const unfinished = (outs: ChatSpaceOutputs): boolean => !outs.spaceType;
