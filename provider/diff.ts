/**
 * `diff`: whether a declaration changes the space, and whether Google can apply the change in
 * place. Pure: no I/O.
 *
 * Replace decisions compare the previous declaration (kept in the outputs as `declared`)
 * with the new one, never refreshed live values, so a refresh can't cause a surprise
 * replacement. In-place changes compare the live space with the declaration (see
 * update-plan.ts), so drift shows in the next preview.
 */
import type { DiffResult } from "@pulumi/pulumi/dynamic";
import { UNKNOWN } from "./check";
import { planUpdate } from "./update-plan";
import type { ChatSpaceInputs, ChatSpaceOutputs } from "./types";

/** A space whose declaration changes one of these is deleted and created again. */
export const REPLACE_ONLY = ["customer", "externalUserAllowed", "createTime", "spaceType", "importMode"] as const;

export interface SpaceDiff extends DiffResult {
  /** The properties an in-place update would change, for messages and tests. */
  readonly updates: string[];
}

export function diffSpace(olds: ChatSpaceOutputs, news: ChatSpaceInputs): SpaceDiff {
  const previous = olds.declared ?? {};
  const replaces = REPLACE_ONLY.filter((key) => forcesReplacement(key, previous, news, olds));
  const unknownFields = Object.entries(news).filter(([, v]) => containsUnknown(v)).map(([k]) => k);
  const knownNews = Object.fromEntries(Object.entries(news).filter(([k]) => !unknownFields.includes(k))) as ChatSpaceInputs;
  const plan = planUpdate(olds, knownNews, previous);
  const updates = [
    ...(plan.completeImport ? ["importMode"] : []),
    ...plan.patches.flatMap((p) => p.updateMask.split(",")),
    ...unknownFields.filter((k) => !(REPLACE_ONLY as readonly string[]).includes(k) && !IGNORED_AFTER_CREATE.includes(k)),
  ];
  // Display names are unique in an organisation: a replacement keeping the name must delete first.
  const keepsName = news.displayName === undefined || news.displayName === olds.displayName || containsUnknown(news.displayName);
  return {
    changes: replaces.length > 0 || updates.length > 0,
    replaces: [...replaces],
    deleteBeforeReplace: replaces.length > 0 && keepsName,
    updates,
  };
}

/** Inputs that only matter when a space is created. */
const IGNORED_AFTER_CREATE = ["requestId", "requestIdBase", "adoptSpace", "predefinedPermissionSettings"];

function forcesReplacement(
  key: (typeof REPLACE_ONLY)[number],
  previous: ChatSpaceInputs,
  news: ChatSpaceInputs,
  olds: ChatSpaceOutputs,
): boolean {
  const value = news[key];
  // Unknown until apply: say so honestly, as a possible replacement.
  if (containsUnknown(value)) return true;
  switch (key) {
    case "customer": {
      // Undeclaring it manages it no more; customers/my_customer comes back as the organisation's
      // id, so declaring either, or the id the space already has, is the same space.
      if (news.customer === undefined) return false;
      const canonical = (c?: string) => (c === "customers/my_customer" && olds.customer ? olds.customer : c);
      const wanted = canonical(news.customer);
      return wanted !== canonical(previous.customer) && wanted !== olds.customer;
    }
    case "externalUserAllowed":
      return (news.externalUserAllowed ?? false) !== (previous.externalUserAllowed ?? false);
    case "createTime":
      return !sameTime(news.createTime, previous.createTime);
    case "spaceType": {
      const before = previous.spaceType ?? "SPACE";
      const after = news.spaceType ?? "SPACE";
      return before !== after && !(before === "GROUP_CHAT" && after === "SPACE");
    }
    case "importMode":
      // Entering import mode needs a new space; leaving it completes the import in place.
      return news.importMode === true && previous.importMode !== true;
  }
}

function sameTime(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Date.parse(a) === Date.parse(b);
}

function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}
