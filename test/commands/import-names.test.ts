import assert from "node:assert/strict";
import fc from "fast-check";
import { type NamedSpace, resourceNames, slugOf } from "../../commands/import-names";

const names = (spaces: NamedSpace[]) => Object.fromEntries(resourceNames(spaces));

describe("import resource names", () => {
  it("names a space with a unique slug by its slug alone", () => {
    assert.deepEqual(names([{ name: "spaces/AAAA1", displayName: "Ünïcode näme!", createTime: "2024-01-01T00:00:00Z" }]), { "spaces/AAAA1": "unicode-name" });
  });

  it("gives the bare slug to the space created first; later ones, and one without a createTime, carry --{id}", () => {
    assert.deepEqual(
      names([
        { name: "spaces/AAAAnone", displayName: "ENG" },
        { name: "spaces/AAAAnew", displayName: "Eng", createTime: "2024-03-01T00:00:00Z" },
        { name: "spaces/AAAAold", displayName: "eng!", createTime: "2024-03-01T00:00:00+01:00" },
      ]),
      { "spaces/AAAAnone": "eng--AAAAnone", "spaces/AAAAnew": "eng--AAAAnew", "spaces/AAAAold": "eng" },
    );
  });

  it("breaks a tie of creation times by space id, whatever the listing's order", () => {
    const a = { name: "spaces/AAAAb", displayName: "Eng", createTime: "2024-01-01T00:00:00Z" };
    const b = { name: "spaces/AAAAa", displayName: "Eng", createTime: "2024-01-01T00:00:00.000Z" };
    const expected = { "spaces/AAAAa": "eng", "spaces/AAAAb": "eng--AAAAb" };
    assert.deepEqual(names([a, b]), expected);
    assert.deepEqual(names([b, a]), expected);
  });

  it("names every group chat group-chat--{id}, even alone", () => {
    assert.deepEqual(names([{ name: "spaces/AAAAg", displayName: "", createTime: "2024-01-01T00:00:00Z" }]), { "spaces/AAAAg": "group-chat--AAAAg" });
  });

  it("keeps the existing names when a new space with the same slug appears later", () => {
    const existing = [
      { name: "spaces/AAAAold", displayName: "Eng", createTime: "2024-01-01T00:00:00Z" },
      { name: "spaces/AAAAmid", displayName: "Eng", createTime: "2024-02-01T00:00:00Z" },
    ];
    const before = names(existing);
    const after = names([...existing, { name: "spaces/AAAAnew", displayName: "eng", createTime: "2024-03-01T00:00:00Z" }]);
    assert.deepEqual(after, { ...before, "spaces/AAAAnew": "eng--AAAAnew" });
    assert.deepEqual(before, { "spaces/AAAAold": "eng", "spaces/AAAAmid": "eng--AAAAmid" });
  });

  it("can't be taken by a display name that spells another space's suffixed name, whatever the id's case", () => {
    assert.deepEqual(
      names([
        { name: "spaces/abc", displayName: "Eng", createTime: "2024-02-01T00:00:00Z" },
        { name: "spaces/first", displayName: "Eng", createTime: "2024-01-01T00:00:00Z" },
        { name: "spaces/AAAAx", displayName: "eng abc", createTime: "2024-03-01T00:00:00Z" },
        { name: "spaces/AAAAy", displayName: "eng--abc", createTime: "2024-03-01T00:00:00Z" },
        { name: "spaces/AAAAz", displayName: "group chat abc", createTime: "2024-03-01T00:00:00Z" },
        { name: "spaces/abc2", displayName: "" },
      ]),
      {
        "spaces/abc": "eng--abc",
        "spaces/first": "eng",
        "spaces/AAAAx": "eng-abc",
        "spaces/AAAAy": "eng-abc--AAAAy",
        "spaces/AAAAz": "group-chat-abc",
        "spaces/abc2": "group-chat--abc2",
      },
    );
  });

  describe("properties", () => {
    // Few words, short ids of few characters (lowercase and '-' among them), few creation times:
    // slugs, ids, times, and slugs with suffixed names collide often.
    const space = fc.record({
      id: fc.stringMatching(/^[aAb1_-]{1,3}$/),
      displayName: fc.array(fc.constantFrom("Eng", "eng", "a", "b-1", "--", "é", "1", ""), { maxLength: 3 }).map((words) => words.join(" ")),
      createTime: fc.option(fc.constantFrom("2024-01-01T00:00:00Z", "2024-01-01T01:00:00+01:00", "2024-06-01T00:00:00Z"), { nil: undefined }),
    });
    const listing = fc
      .uniqueArray(space, { selector: (s) => s.id, maxLength: 25 })
      .chain((spaces) => fc.tuple(fc.constant(spaces), fc.nat({ max: spaces.length })))
      .map(([spaces, cut]) => {
        const all = spaces.map((s): NamedSpace => ({ name: `spaces/${s.id}`, displayName: s.displayName, ...(s.createTime ? { createTime: s.createTime } : {}) }));
        return { existing: all.slice(0, cut), added: all.slice(cut) };
      });
    const created = (s: NamedSpace) => (s.createTime ? Date.parse(s.createTime) : Infinity);
    const olderThan = (a: NamedSpace, b: NamedSpace) => created(a) < created(b) || (created(a) === created(b) && a.name < b.name);

    it("gives every space its own name", () => {
      fc.assert(
        fc.property(listing, ({ existing, added }) => {
          const all = resourceNames([...existing, ...added]);
          assert.equal(new Set(all.values()).size, existing.length + added.length);
        }),
        { numRuns: 500 },
      );
    });

    it("never renames a listed space when spaces are added, except the bare slug's holder, by an added space with its slug created before it, which makes it slug--{id}", () => {
      fc.assert(
        fc.property(listing, ({ existing, added }) => {
          const before = resourceNames(existing);
          const after = resourceNames([...added, ...existing].reverse());
          for (const s of existing) {
            const slug = slugOf(s.displayName);
            const displaced = before.get(s.name) === slug && added.some((n) => slugOf(n.displayName) === slug && olderThan(n, s));
            assert.equal(after.get(s.name), displaced ? `${slug}--${s.name.slice("spaces/".length)}` : before.get(s.name), s.name);
          }
        }),
        { numRuns: 500 },
      );
    });
  });
});
