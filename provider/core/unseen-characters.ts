/**
 * Characters that can't be seen, in the names a program declares, and spaces that only look like
 * the space: how check finds them, and how its messages show and name them. A value or a property
 * name pasted from a web page, a document or a chat may carry one; quoted as it is, the message
 * shows nothing wrong. Pure: no I/O.
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
const UNSEEN = /[\p{Cf}\p{Cc}\p{Default_Ignorable_Code_Point}]/u;

/**
 * Spaces that are not the space (U+0020): the no-break space U+00A0 (a web page's `&nbsp;`), the
 * narrow no-break space U+202F, the ideographic space U+3000 and the other Unicode space
 * separators (\p{Zs}). Quoted, one reads as a space; a search for a space or a trim of spaces does not find it.
 */
const LOOKS_LIKE_A_SPACE = /(?! )\p{Zs}/u;

/**
 * The line separator U+2028 and the paragraph separator U+2029 (\p{Zl}, \p{Zp}): quoted, one
 * breaks the line where a renderer honours it and shows nothing where it doesn't.
 */
const SEPARATOR = /[\p{Zl}\p{Zp}]/u;

/** Every character a quote does not show as it is: those that can't be seen, spaces that only look like one, and separators. */
const MISLEADING = new RegExp(`${UNSEEN.source}|${LOOKS_LIKE_A_SPACE.source}|${SEPARATOR.source}`, "gu");

/** A character as `U+200B`. */
const codeOf = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/** The characters of `text` that can't be seen or only look like a space, once each, as `U+200B`. */
export function unseenIn(text: string): string[] {
  return [...new Set([...text.matchAll(MISLEADING)].map(([c]) => codeOf(c)))];
}

/** The kinds of {@link unseenIn}'s characters, in the order a message names them, and how it says what one is and what several are. */
const KINDS: readonly { is: (c: string) => boolean; one: string; several: string }[] = [
  { is: (c) => !LOOKS_LIKE_A_SPACE.test(c) && !SEPARATOR.test(c), one: "can't be seen", several: "can't be seen" },
  { is: (c) => LOOKS_LIKE_A_SPACE.test(c), one: "looks like a space but isn't one", several: "look like spaces but aren't" },
  { is: (c) => SEPARATOR.test(c), one: "is a line or paragraph separator", several: "are line or paragraph separators" },
];

/**
 * What the characters `codes` of {@link unseenIn} are, for a message: "U+200B, which can't be
 * seen", "U+00A0, which looks like a space but isn't one", "U+2028, which is a line or paragraph
 * separator", those that apply joined by "and".
 */
function described(codes: readonly string[]): string {
  const character = (code: string) => String.fromCodePoint(Number.parseInt(code.slice(2), 16));
  return KINDS.flatMap((kind) => {
    const of = codes.filter((code) => kind.is(character(code)));
    return of.length > 0 ? [`${of.join(", ")}, which ${of.length > 1 ? kind.several : kind.one}`] : [];
  }).join(", and ");
}

/** Whether `value` is a text holding a character that can't be seen or only looks like a space. */
export const holdsUnseen = (value: unknown): boolean => typeof value === "string" && unseenIn(value).length > 0;

/** `text` without the characters that can't be seen or only look like a space. */
const withoutUnseen = (text: string): string => text.replace(MISLEADING, "");

/** A declared value as JSON, each character that can't be seen or only looks like a space written as its escape (`\u200b`), where it stands. */
export function shown(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.replace(MISLEADING, (c) =>
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
    `${refused}: it holds ${described(unseen)} (text copied from a web page or a chat may carry such characters). ` +
    `Delete ${unseen.length > 1 ? "them" : "it"}, or type the value again rather than paste it.`
  );
}

/**
 * A property or field name a resource doesn't take, as its failure quotes it: shown. When it holds
 * characters that can't be seen, the quote names them, and asks for the name meant when the name
 * without them is one the resource takes (see {@link namesAsMeant}).
 */
export function unknownName(name: string, known: ReadonlySet<string>): string {
  const unseen = unseenIn(name);
  if (unseen.length === 0) return shown(name);
  const meant = withoutUnseen(name);
  const guess = known.has(meant) ? `: did you mean ${meant}?` : "";
  return `${shown(name)} (it holds ${described(unseen)}${guess})`;
}

/**
 * `declared` with each name that holds characters that can't be seen, and is a name the resource
 * takes without them, read as that name (unless that name is declared too). Its unknown name
 * fails check (see {@link unknownName}); the rest of the check reads the value as meant, so that
 * it adds no second failure for a value missing, such as a member that seems not declared.
 */
export function namesAsMeant<T extends object>(declared: T, known: ReadonlySet<string>): T {
  const entries = Object.entries(declared).map(([name, value]): [string, unknown] => {
    const meant = withoutUnseen(name);
    return meant !== name && known.has(meant) && !Object.keys(declared).includes(meant) ? [meant, value] : [name, value];
  });
  return Object.fromEntries(entries) as T;
}
