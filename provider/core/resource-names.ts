/**
 * The forms of Google Chat's resource names (v1.d.ts `Schema$Space.name`, `Schema$Membership.name`,
 * `Params$Resource$Spaces$Members$Get.name`), and what an import takes as an id: a resource is
 * imported by its name. Checked before any call, so a mistyped id costs none.
 */

/** `spaces/{space}`. */
const SPACE_NAME = /^spaces\/[^/\s]+$/;

/** `spaces/{space}/members/{member}`: `{member}` a user's or group's id, a person's email (an alias Google accepts), or `app`. */
const MEMBERSHIP_NAME = /^spaces\/[^/\s]+\/members\/[^/\s]+$/;

export const isSpaceName = (name: string): boolean => SPACE_NAME.test(name);
export const isMembershipName = (name: string): boolean => MEMBERSHIP_NAME.test(name);

/** The forms an import id takes, by resource, for messages. */
export const IMPORT_ID_FORMS = {
  ChatSpace: "a space is imported by its name, spaces/{space} (as spaces/AAAAPhMsFf0)",
  ChatSpaceMembers: "a roster is imported by its space's name, spaces/{space} (as spaces/AAAAPhMsFf0)",
  ChatMembership:
    "a membership is imported by its name, spaces/{space}/members/{member}, " +
    "{member} being the member's id (users/{id} or groups/{id} without the prefix) or a person's email (as spaces/AAAAPhMsFf0/members/alice@example.com)",
} as const;

/** The error for an import id not of the resource's form: it names the resource and the form. */
export function badImportId(resource: keyof typeof IMPORT_ID_FORMS, label: string, id: string): Error {
  return new Error(`${resource} ${label}: can't import ${JSON.stringify(id)}: ${IMPORT_ID_FORMS[resource]}.`);
}
