/**
 * A declaration whose adoptSpace names another space than the one the resource manages (as a
 * re-import that gives an existing resource name to a newer space writes) is refused
 * before any call, instead of writing the other space's declaration onto this one.
 */
import assert from "node:assert/strict";
import { UNKNOWN } from "../../provider/core/engine-values";
import { movedAdoption } from "../../provider/space/diff";
import type { ChatSpaceInputs, ChatSpaceOutputs } from "../../provider/space/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, configuredProvider, logMark, sdkInputs } from "../helpers/provider";

const OLD = "spaces/AAAAold";
const NEW = "spaces/AAAAnew";

/** A space's state as the provider keeps it, with the declaration it was last applied with. */
function state(id: string, declared: ChatSpaceInputs): ChatSpaceOutputs {
  return {
    name: id,
    spaceUri: "",
    displayName: "Eng",
    spaceType: "SPACE",
    spaceDetails: { description: "", guidelines: "" },
    spaceHistoryState: "HISTORY_ON",
    spaceThreadingState: "THREADED_MESSAGES",
    externalUserAllowed: false,
    importMode: false,
    customer: "customers/C03emu1at",
    membershipCount: { joinedDirectHumanUserCount: 1, joinedGroupCount: 0 },
    requestId: "",
    __declared: declared,
  } as ChatSpaceOutputs;
}

describe("space adoption: a declaration that names another space", () => {
  it("refuses an adoptSpace that names a space other than the resource's and the previous declaration's, naming both and the fix", () => {
    assert.equal(
      movedAdoption("eng", OLD, state(OLD, { adoptSpace: OLD, displayName: "Eng" }), { adoptSpace: NEW, displayName: "eng" }),
      `ChatSpace eng: adoptSpace is ${NEW}, but this resource manages ${OLD}: the name now belongs to another space, and an update would write ${NEW}'s declaration onto ${OLD}. ` +
        "Keep the resource names of the program you deployed (from a later import, add only the blocks of spaces the stack doesn't manage yet), " +
        `or give this resource's state the name that now declares ${OLD} (\`pulumi state rename\`); to stop managing ${OLD}, \`pulumi state delete\` this resource (the space stays in Chat) and run up again.`,
    );
  });

  it("refuses it for a space the provider created, too: its previous declaration named none", () => {
    assert.match(
      movedAdoption("eng", OLD, state(OLD, { displayName: "Eng" }), { adoptSpace: NEW, displayName: "Eng" }) ?? "",
      /^ChatSpace eng: adoptSpace is spaces\/AAAAnew, but this resource manages spaces\/AAAAold:/,
    );
  });

  const accepted: [string, ChatSpaceInputs, ChatSpaceInputs][] = [
    ["no adoptSpace", { adoptSpace: OLD }, { displayName: "Eng" }],
    ["the resource's own space, adopted", { adoptSpace: OLD }, { adoptSpace: OLD }],
    ["the resource's own space, which the provider created, declared by its id later", { displayName: "Eng" }, { adoptSpace: OLD, displayName: "Eng" }],
    ["the space a replacement deleted, still named by the declaration that made this one", { adoptSpace: NEW }, { adoptSpace: NEW, displayName: "Eng" }],
    ["an adoptSpace a preview does not know yet", { adoptSpace: OLD }, { adoptSpace: UNKNOWN }],
  ];
  for (const [what, previous, declared] of accepted) {
    it(`accepts ${what}`, () => {
      assert.equal(movedAdoption("eng", OLD, state(OLD, previous), declared), undefined);
    });
  }
});

describe("space adoption: the provider, against the emulator", () => {
  const t = useEmulator();
  const admin = () => t.asDelegatedUser("admin@example.com", ["chat.spaces"]);

  it("refuses a diff whose adoptSpace names another space (a re-import gave the name to a newer one), before any call, and writes nothing", async () => {
    const { data: old } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng", spaceDetails: { description: "old" } } });
    const { data: newer } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "eng", spaceDetails: { description: "new" } } });
    const { provider } = await configuredProvider(t);
    const { id, outs } = await provider.create(sdkInputs("eng", { adoptSpace: old.name!, displayName: "Eng", spaceDetails: { description: "old" } }));
    const mark = await logMark(t);
    await assert.rejects(provider.diff(id, outs!, sdkInputs("eng", { adoptSpace: newer.name!, displayName: "eng", spaceDetails: { description: "new" } })), {
      message:
        `ChatSpace eng: adoptSpace is ${newer.name}, but this resource manages ${old.name}: the name now belongs to another space, and an update would write ${newer.name}'s declaration onto ${old.name}. ` +
        "Keep the resource names of the program you deployed (from a later import, add only the blocks of spaces the stack doesn't manage yet), " +
        `or give this resource's state the name that now declares ${old.name} (\`pulumi state rename\`); to stop managing ${old.name}, \`pulumi state delete\` this resource (the space stays in Chat) and run up again.`,
    });
    assert.deepEqual(await apiCalls(t, mark), []);
    assert.equal((await t.control.state()).spaces[old.name!.slice(7)].displayName, "Eng");
  });

  it("diffs the space a replacement made, still declared with the adoptSpace it deleted, as unchanged", async () => {
    const { data: existing } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Legacy" } });
    const inputs = sdkInputs("legacy", { adoptSpace: existing.name!, displayName: "Legacy" });
    const first = await configuredProvider(t);
    const adopted = await first.provider.create(inputs);
    // pulumi up --replace, in one process: delete, then create with the same inputs (a new space).
    const run = await configuredProvider(t);
    await run.provider.delete(adopted.id, adopted.outs!);
    const replacement = await run.provider.create(inputs);
    const mark = await logMark(t);
    assert.deepEqual(await run.provider.diff(replacement.id, replacement.outs!, inputs), {
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
      detailedDiff: {},
    });
    assert.deepEqual(await apiCalls(t, mark), []);
  });

  it("refuses, before any call, to replace the space a replacement made while it still declares the adoptSpace that replacement deleted: the new one could adopt nothing", async () => {
    const { data: existing } = await admin().spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Legacy" } });
    const inputs = sdkInputs("legacy", { adoptSpace: existing.name!, displayName: "Legacy" });
    const adopted = await (await configuredProvider(t)).provider.create(inputs);
    const run = await configuredProvider(t);
    await run.provider.delete(adopted.id, adopted.outs!);
    const replacement = await run.provider.create(inputs);
    // A later deployment changes a replace-only field.
    const { provider } = await configuredProvider(t);
    const mark = await logMark(t);
    await assert.rejects(
      provider.diff(replacement.id, replacement.outs!, sdkInputs("legacy", { adoptSpace: existing.name!, displayName: "Legacy", externalUserAllowed: true })),
      {
        message:
          `ChatSpace legacy: changing externalUserAllowed would replace ${replacement.id}, and the replacement would adopt ${existing.name} (adoptSpace), which an earlier replacement deleted: this resource manages ${replacement.id}, a space it created then. ` +
          "Remove adoptSpace from the declaration (it took the old space over once), then preview again: the replacement then creates a new space.",
      },
    );
    assert.deepEqual(await apiCalls(t, mark), []);
    assert.deepEqual(await provider.diff(replacement.id, replacement.outs!, sdkInputs("legacy", { displayName: "Legacy", externalUserAllowed: true })), {
      changes: true,
      replaces: ["externalUserAllowed"],
      deleteBeforeReplace: true,
      detailedDiff: { externalUserAllowed: "add" },
    });
  });
});
