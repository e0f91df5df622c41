/**
 * The forms of Google Chat's resource names (v1.d.ts `Schema$Space.name`, `Schema$Membership.name`,
 * `Params$Resource$Spaces$Members$Get.name`), and what an import takes as an id: a resource is
 * imported by its name. Checked before any call, so a mistyped id costs none.
 */

/**
 * A space's id, as Google gives one (`spaces/AAAAPhMsFf0`): letters, digits, `_` and `-`. The
 * Chat client puts a name in the request's path as it is, so nothing else may pass: a "." or ".."
 * segment (which the client refuses, with an error of no HTTP status), a URL's "?", "#" or "%",
 * or a ":" (a custom method's separator in Google's paths).
 */
const SPACE_ID = "[A-Za-z0-9_-]+";

/** A member's part of a membership's name: no "/", white space, "?", "#" or "%", and not a "." or ".." segment. */
const MEMBER_PART = String.raw`(?!\.\.?$)[^/\s?#%]+`;

/** `spaces/{space}`. */
const SPACE_NAME = new RegExp(`^spaces/${SPACE_ID}$`);

/** `spaces/{space}/members/{member}`: `{member}` a user's or group's id, a person's email (an alias Google accepts), or `app`. */
const MEMBERSHIP_NAME = new RegExp(`^spaces/${SPACE_ID}/members/${MEMBER_PART}$`);

/** Whether `name` is a space's name; of any type, as a program may send one. */
export const isSpaceName = (name: unknown): name is string => typeof name === "string" && SPACE_NAME.test(name);
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
