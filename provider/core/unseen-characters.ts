/**
 * Characters that can't be seen, in the names a program declares: how check finds them, and how
 * its messages show and name them. A value or a property name pasted from a web page, a document
 * or a chat may carry one; quoted as it is, the message shows nothing wrong. Pure: no I/O.
 */

/**
 * Characters that can't be seen: Unicode format characters (\p{Cf}: the zero-width space U+200B,
 * the zero-width joiners, the soft hyphen U+00AD, the word joiner U+2060, the byte order mark
 * U+FEFF), control characters (\p{Cc}), and the rest of Unicode's default-ignorable code points
 * (DerivedCoreProperties.txt: the combining grapheme joiner U+034F, the variation selectors, the
 * Hangul fillers U+115F, U+1160, U+3164 and U+FFA0), which a renderer shows as nothing. No Google
 * account address or resource name holds one, nor does a role, a mode or a time: one pasted in
 * with such a value makes it name nothing Google knows. Free text (a space's display name) is not
 * judged by it: an emoji sequence holds zero-width joiners and variation selectors.
 */
const UNSEEN = /[\p{Cf}\p{Cc}\p{Default_Ignorable_Code_Point}]/gu;

/** The characters of `text` that can't be seen, once each, as `U+200B`. */
export function unseenIn(text: string): string[] {
  const codes = [...text.matchAll(UNSEEN)].map(([c]) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`);
  return [...new Set(codes)];
}

/** Whether `value` is a text holding a character that can't be seen. */
export const holdsUnseen = (value: unknown): boolean => typeof value === "string" && unseenIn(value).length > 0;

/** `text` without the characters that can't be seen. */
const withoutUnseen = (text: string): string => text.replace(UNSEEN, "");

/** A declared value as JSON, each character that can't be seen written as its escape (`\u200b`), where it stands. */
export function shown(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.replace(UNSEEN, (c) =>
    c
      .split("")
      .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`)
      .join(""),
  );
}

/**
 * How a message refusing `values` ends, after "must be …, ": `not` the values, shown. When they
 * hold characters that can't be seen and `accepts` takes each without them, the message names the
 * characters and says to delete them: they are the values' one fault.
 */
export function notAccepted(accepts: (value: unknown) => boolean, ...values: unknown[]): string {
  const unseen = [...new Set(values.flatMap((v) => (typeof v === "string" ? unseenIn(v) : [])))];
  const refused = `not ${values.map(shown).join(", ")}`;
  const onlyUnseen = unseen.length > 0 && values.every((v) => typeof v === "string" && accepts(withoutUnseen(v)));
  if (!onlyUnseen) return `${refused}.`;
  return (
    `${refused}: it holds ${unseen.join(", ")}, which can't be seen (text copied from a web page or a chat may carry such characters). ` +
    `Delete ${unseen.length > 1 ? "them" : "it"}, or type the value again rather than paste it.`
  );
}
