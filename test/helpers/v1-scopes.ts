/**
 * Every scope Google lists for each Chat API method, read from the client's own documentation
 * (node_modules/@googleapis/chat/build/v1.d.ts): each method's example builds its auth client
 * with `scopes: [...]`, every scope that authorises the method, before it calls
 * `chat.spaces.create(...)` or `chat.spaces.members.list(...)`.
 */
import { readFileSync } from "node:fs";

const V1 = require.resolve("@googleapis/chat/build/v1.d.ts");

/** Method (`spaces.create`, `spaces.members.get`) → its scopes, short (`chat.spaces`), sorted. */
export function v1Scopes(): Map<string, string[]> {
  const text = readFileSync(V1, "utf8");
  const methods = new Map<string, string[]>();
  for (const example of text.split("@example").slice(1)) {
    const scopes = /scopes: \[([^\]]*)\]/.exec(example);
    const method = /await chat\.([\w.]+)\(/.exec(example)?.[1];
    if (!scopes || !method?.startsWith("spaces.")) continue;
    const short = [...scopes[1].matchAll(/'https:\/\/www\.googleapis\.com\/auth\/([\w.]+)'/g)].map((m) => m[1]);
    methods.set(method, [...short].sort());
  }
  return methods;
}
