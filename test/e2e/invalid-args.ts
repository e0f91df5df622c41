/** Invalid ChatSpace arguments, each with the property its check failure must name (fast-check arbitraries). */
import fc from "fast-check";
import type { ChatSpaceArgs } from "../../sdk";

export interface InvalidCase {
  args: ChatSpaceArgs;
  property: string;
}

// Plain objects, as programs write them (fast-check may otherwise make null-prototype ones).
const record = <T extends Record<string, fc.Arbitrary<unknown>>>(model: T) => fc.record(model, { noNullPrototype: true });
const valid = { displayName: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== "") };
const bad = (property: string, args: fc.Arbitrary<ChatSpaceArgs>) => args.map((a): InvalidCase => ({ args: a, property }));
const notIn = (allowed: string[]) => fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !allowed.includes(s));

export const invalidChatSpaceArgs: fc.Arbitrary<InvalidCase> = fc.oneof(
  bad("displayName", record({ displayName: fc.string({ minLength: 129, maxLength: 300 }).filter((s) => [...s].length > 128) })),
  bad("displayName", record({ displayName: fc.constantFrom("", " ", "\t") })),
  bad(
    "spaceDetails",
    record({ ...valid, spaceDetails: record({ description: fc.string({ minLength: 151, maxLength: 400 }).filter((s) => [...s].length > 150) }) }),
  ),
  bad(
    "spaceDetails",
    record({ ...valid, spaceDetails: record({ guidelines: fc.string({ minLength: 5001, maxLength: 5200 }).filter((s) => [...s].length > 5000) }) }),
  ),
  bad("spaceType", record({ ...valid, spaceType: notIn(["SPACE", "GROUP_CHAT"]) as fc.Arbitrary<never> })),
  bad("spaceHistoryState", record({ ...valid, spaceHistoryState: notIn(["HISTORY_ON", "HISTORY_OFF"]) as fc.Arbitrary<never> })),
  bad(
    "predefinedPermissionSettings",
    record({ ...valid, predefinedPermissionSettings: notIn(["COLLABORATION_SPACE", "ANNOUNCEMENT_SPACE"]) as fc.Arbitrary<never> }),
  ),
  bad("customer", record({ ...valid, customer: fc.string({ maxLength: 20 }).filter((s) => !/^customers\/[A-Za-z0-9_]+$/.test(s)) })),
  bad(
    "createTime",
    record({ ...valid, createTime: fc.date({ min: new Date("2001-01-01"), max: new Date("2020-01-01"), noInvalidDate: true }).map((d) => d.toISOString()) }),
  ),
  bad(
    "accessSettings",
    record({
      ...valid,
      accessSettings: record({ audience: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/^audiences\/[A-Za-z0-9_-]+$/.test(s)) }),
    }),
  ),
  bad(
    "permissionSettings",
    record({
      ...valid,
      permissionSettings: fc.constantFrom("manageBots", "postMessages", "owners").map((key) => ({ [key]: { managersAllowed: true } }) as never),
    }),
  ),
  bad("adoptSpace", record({ ...valid, adoptSpace: fc.string({ maxLength: 20 }).filter((s) => !/^spaces\/[A-Za-z0-9_-]+$/.test(s)) })),
  bad("requestId", record({ ...valid, requestId: fc.constantFrom("", "   ") })),
);
