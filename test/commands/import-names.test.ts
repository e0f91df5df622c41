import assert from "node:assert/strict";
import type { chat_v1 } from "@googleapis/chat";
import fc from "fast-check";
import { declareSpace } from "../../commands/import/declaration";
import { type NamedSpace, resourceNames, slugOf } from "../../commands/import/names";
import { renderProgram } from "../../commands/import/program";

const names = (spaces: NamedSpace[]) => Object.fromEntries(resourceNames(spaces));

describe("import resource names", () => {
  it("names a space with a unique slug by its slug alone", () => {
    assert.deepEqual(names([{ name: "spaces/AAAA1", displayName: "Ünïcode näme!", createTime: "2024-01-01T00:00:00Z" }]), { "spaces/AAAA1": "unicode-name" });
  });

  it("gives the bare slug to the space created first; later ones carry --{id}", () => {
    assert.deepEqual(
      names([
        { name: "spaces/AAAAnew", displayName: "Eng", createTime: "2024-03-01T00:00:00Z" },
        { name: "spaces/AAAAold", displayName: "eng!", createTime: "2024-03-01T00:00:00+01:00" },
      ]),
      { "spaces/AAAAnew": "eng--AAAAnew", "spaces/AAAAold": "eng" },
    );
  });

  it("counts a space without a createTime (made before Chat: Google sets it for spaces created in Chat) as the oldest, then by id, so a later space never takes its name", () => {
    const legacy = { name: "spaces/AAAAlegacy", displayName: "Eng" };
    assert.deepEqual(names([legacy]), { "spaces/AAAAlegacy": "eng" });
    assert.deepEqual(
      names([
        { name: "spaces/AAAAnew", displayName: "eng", createTime: "2026-12-01T00:00:00Z" },
        legacy,
        { name: "spaces/AAAAbad", displayName: "ENG", createTime: "not a time" },
        { name: "spaces/AAAAold", displayName: "Eng", createTime: "2001-01-01T00:00:00Z" },
      ]),
      { "spaces/AAAAnew": "eng--AAAAnew", "spaces/AAAAlegacy": "eng--AAAAlegacy", "spaces/AAAAbad": "eng", "spaces/AAAAold": "eng--AAAAold" },
    );
  });

  it("slugs any script's letters and digits, lowercased, keeping its marks; drops Latin accents only", () => {
    assert.deepEqual(
      ["Инженеры", "開発チーム", "Straße", "Йога", "हिन्दी टीम", "Ελληνικά Νέα", "Ünïcode näme!", "İstanbul", "Ｅｎｇ ①", "🎉 Party", "eng--abc"].map(slugOf),
      ["инженеры", "開発チーム", "straße", "йога", "हिन्दी-टीम", "ελληνικά-νέα", "unicode-name", "istanbul", "eng-1", "party", "eng-abc"],
    );
  });

  it("never starts a name or a word with a mark that has no letter before it: no invisible names", () => {
    assert.deepEqual([" \u0301abc", "\u0301", "x \u0301\u0302y", "Søren"].map(slugOf), ["abc", "", "x-y", "søren"]);
  });

  it("cuts a long slug at 48 characters, never inside a letter of two UTF-16 units, and never leaves a trailing -", () => {
    assert.equal(slugOf(`${"𠀋".repeat(47)} tail`), "𠀋".repeat(47));
    assert.equal(slugOf("𠀋".repeat(60)), "𠀋".repeat(48));
  });

  it("names a space whose display name has no letter or digit space--{id}, never as a group chat; a space named Group chat is a space", () => {
    assert.deepEqual(
      names([
        { name: "spaces/AAAAparty", displayName: "🎉🎉", createTime: "2024-01-01T00:00:00Z" },
        { name: "spaces/AAAAgc", displayName: "Group chat", createTime: "2024-01-01T00:00:00Z" },
        { name: "spaces/AAAAg", displayName: "", groupChat: true, createTime: "2023-01-01T00:00:00Z" },
        { name: "spaces/AAAAru", displayName: "Инженеры", createTime: "2020-01-01T00:00:00Z" },
      ]),
      { "spaces/AAAAparty": "space--AAAAparty", "spaces/AAAAgc": "group-chat", "spaces/AAAAg": "group-chat--AAAAg", "spaces/AAAAru": "инженеры" },
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
    assert.deepEqual(names([{ name: "spaces/AAAAg", displayName: "", groupChat: true, createTime: "2024-01-01T00:00:00Z" }]), {
      "spaces/AAAAg": "group-chat--AAAAg",
    });
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
        { name: "spaces/abc2", displayName: "", groupChat: true },
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
      groupChat: fc.boolean(),
      createTime: fc.option(fc.constantFrom("2024-01-01T00:00:00Z", "2024-01-01T01:00:00+01:00", "2024-06-01T00:00:00Z"), { nil: undefined }),
    });
    const listing = fc
      .uniqueArray(space, { selector: (s) => s.id, maxLength: 25 })
      .chain((spaces) => fc.tuple(fc.constant(spaces), fc.nat({ max: spaces.length })))
      .map(([spaces, cut]) => {
        const all = spaces.map(
          (s): NamedSpace => ({
            name: `spaces/${s.id}`,
            displayName: s.displayName,
            groupChat: s.groupChat,
            ...(s.createTime ? { createTime: s.createTime } : {}),
          }),
        );
        return { existing: all.slice(0, cut), added: all.slice(cut) };
      });
    const created = (s: NamedSpace) => (s.createTime ? Date.parse(s.createTime) : -Infinity);
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
            const slug = s.groupChat ? "" : slugOf(s.displayName);
            const displaced =
              slug !== "" && before.get(s.name) === slug && added.some((n) => !n.groupChat && slugOf(n.displayName) === slug && olderThan(n, s));
            assert.equal(after.get(s.name), displaced ? `${slug}--${s.name.slice("spaces/".length)}` : before.get(s.name), s.name);
          }
        }),
        { numRuns: 500 },
      );
    });
  });
});

describe("import program names", () => {
  const space = (id: string, fields: chat_v1.Schema$Space): chat_v1.Schema$Space => ({
    name: `spaces/${id}`,
    spaceType: "SPACE",
    spaceHistoryState: "HISTORY_ON",
    externalUserAllowed: false,
    spaceDetails: {},
    permissionSettings: {},
    customer: "customers/C03emu1at",
    ...fields,
  });
  const resourceNamesOf = (spaces: chat_v1.Schema$Space[]) =>
    [
      ...renderProgram({ spaces: spaces.map((s) => declareSpace(s, { auth: "app", now: 0 })), command: "x" }).matchAll(
        /new ChatSpace\("([^"]+)", \{\n {2}adoptSpace: "([^"]+)"/g,
      ),
    ].map((m) => `${m[2]} ${m[1]}`);

  it("names over every space found: a space left out (in import mode) keeps its place, so the others keep their names once it is declared", () => {
    const older = space("AAAAimp", { displayName: "Eng", createTime: "2019-01-01T00:00:00Z" });
    const newer = space("AAAAnew", { displayName: "Eng", createTime: "2024-01-01T00:00:00Z" });
    assert.deepEqual(resourceNamesOf([{ ...older, importMode: true }, newer]), ["spaces/AAAAnew eng--AAAAnew"]);
    assert.deepEqual(resourceNamesOf([older, newer]), ["spaces/AAAAimp eng", "spaces/AAAAnew eng--AAAAnew"]);
  });

  it("names a group chat by its type, not by an empty display name", () => {
    assert.deepEqual(resourceNamesOf([space("AAAAg", { spaceType: "GROUP_CHAT", createTime: "2024-01-01T00:00:00Z" })]), ["spaces/AAAAg group-chat--AAAAg"]);
  });
});
