/**
 * Lists of property names tied to the type they name, and types built from a type's keys. Types
 * only, apart from the identity function that checks a list.
 */

/**
 * Every key of `T`, listed once: `allKeysOf<T>()(["a", "b"])` compiles only when the list names
 * every key of `T` and nothing else (a missing key fails with `{ missing: "the key" }`), so a
 * list of inputs can't drift from the type that documents them.
 */
export const allKeysOf =
  <T>() =>
  <const K extends readonly (keyof T)[]>(keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, K[number]> })): K =>
    keys;

/** `T` with the keys `K` required; each property keeps its doc comment. */
export type WithRequired<T, K extends keyof T> = Omit<T, K> & Required<Pick<T, K>>;
