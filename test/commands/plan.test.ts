/**
 * The plan summary (`pulumi-googlechat plan`) on real `pulumi preview --json` output: the engine's
 * previews of fixtures/program against the emulator, recorded by fixtures/record.ts (re-run it
 * to re-record; space ids are read from the fixtures, so the expectations hold for any run).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { main } from "../../commands/cli";
import type { CommandIo } from "../../commands/io";
import type { PreviewDigest, PreviewStep, StepOp } from "../../commands/plan/preview-json";
import { rosterUpdate } from "../../commands/plan/roster";
import { UNKNOWN } from "../../provider/core/engine-values";
import { describePlan, diffRoster } from "../../provider/space-members/diff";
import { parsePlanLine, removedLine } from "../../provider/space-members/plan-lines";
import { kindOfToken, RESOURCES } from "../../provider/tokens";
import { CHAT_MEMBERSHIP_TYPE, CHAT_SPACE_MEMBERS_TYPE, CHAT_SPACE_TYPE } from "../../sdk";

const FIXTURES = join(__dirname, "fixtures/preview");
const file = (name: string) => join(FIXTURES, `${name}.json`);
const digest = (name: string): PreviewDigest => JSON.parse(readFileSync(file(name), "utf8"));

/** The id (`spaces/...`) a fixture's steps give the resource named `resource`, as it is before the preview. */
function idOf(name: string, resource: string): string {
  const step = digest(name).steps!.find((s) => s.urn.endsWith(`::${resource}`) && s.oldState?.id);
  if (!step) throw new Error(`${name}.json has no existing ${resource}`);
  return step.oldState!.id!;
}

/** The step `op` a fixture holds for the resource named `resource`. */
function stepOf(name: string, resource: string, op: StepOp): PreviewStep {
  const step = digest(name).steps!.find((s) => s.urn.endsWith(`::${resource}`) && s.op === op);
  if (!step) throw new Error(`${name}.json has no ${op} step for ${resource}`);
  return step;
}

/** The unchanged team space (no step of its own without --show-sames): the one its roster names. */
function teamOf(name: string): string {
  return digest(name).steps!.find((s) => s.urn.endsWith("::team-members"))!.oldState!.inputs!.space as string;
}

/** Runs `pulumi-googlechat <argv>` in this process; `stdin` is what is piped in (none: a terminal). */
async function cli(argv: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const collect = () => {
    const stream = new PassThrough();
    let text = "";
    stream.on("data", (chunk) => (text += chunk));
    return { stream, text: () => text };
  };
  const out = collect();
  const err = collect();
  const input = stdin === undefined ? Object.assign(Readable.from([]), { isTTY: true }) : Readable.from([stdin]);
  const io: CommandIo = { stdout: out.stream, stderr: err.stream, stdin: input, env: {} };
  const code = await main(argv, io);
  return { code, stdout: out.text(), stderr: err.text() };
}

describe("pulumi-googlechat plan: the summary of real `pulumi preview --json` output", () => {
  it("knows this package's resources by the sdk's type tokens and the plugin's (one table, provider/tokens.ts, loading no @pulumi/pulumi)", () => {
    assert.deepEqual([CHAT_SPACE_TYPE, CHAT_MEMBERSHIP_TYPE, CHAT_SPACE_MEMBERS_TYPE].map(kindOfToken), ["space", "membership", "roster"]);
    assert.deepEqual([RESOURCES.space.plugin, RESOURCES.membership.plugin, RESOURCES.roster.plugin].map(kindOfToken), ["space", "membership", "roster"]);
    assert.equal(kindOfToken("pulumi:providers:googlechat"), undefined);
    const loaded = execFileSync(
      process.execPath,
      [
        "-r",
        "ts-node/register/transpile-only",
        "-e",
        'require("./commands/plan"); console.log(Object.keys(require.cache).filter((p) => p.includes("@pulumi")).length)',
      ],
      { cwd: join(__dirname, "../.."), encoding: "utf8" },
    );
    assert.equal(loaded, "0\n", "modules of @pulumi/* loaded by the plan command");
  });

  it("a first deployment: every space, member and roster to create, exit 0", async () => {
    const { code, stdout, stderr } = await cli(["plan", file("create")]);
    assert.equal(
      stdout,
      [
        "### Pulumi plan for stack `dev`",
        "",
        "11 to create",
        "",
        "#### Spaces",
        "",
        "| | Resource | What | Changes |",
        "|---|---|---|---|",
        '| Create | `archive` | "Archive" |  |',
        '| Create | `eng` | "Eng" |  |',
        '| Create | `old` | "Old projects" |  |',
        '| Create | `ops` | "Operations" |  |',
        '| Create | `team` | "Team" |  |',
        "",
        "#### Members",
        "",
        "| | Resource | What | Changes |",
        "|---|---|---|---|",
        '| Create | `alice` | alice@example.com in "Eng" |  |',
        '| Create | `bob` | bob@example.com in "Operations" |  |',
        '| Create | `dan` | dan@example.com in "Old projects" |  |',
        '| Create | `erin` | erin@example.com in "Eng" |  |',
        "",
        "#### Rosters",
        "",
        "| | Resource | What | Changes |",
        "|---|---|---|---|",
        '| Create | `archive-members` | the members of "Archive" | adds carol@example.com |',
        '| Create | `team-members` | the members of "Team" | adds alice@example.com (ROLE_MANAGER); adds bob@example.com |',
        "",
      ].join("\n"),
    );
    assert.deepEqual([code, stderr], [0, ""]);
  });

  it("nothing to do: 'No changes.', exit 0", async () => {
    assert.deepEqual(await cli(["plan", file("same")]), { code: 0, stdout: "### Pulumi plan for stack `dev`\n\nNo changes.\n", stderr: "" });
  });

  const [eng, ops, old, archive] = ["eng", "ops", "old", "archive"].map((name) => idOf("changes", name));
  const team = teamOf("changes");
  const changesSummary = (allowed: boolean) =>
    [
      "### Pulumi plan for stack `dev`",
      "",
      "2 to create · 3 to change · 3 to replace · 4 to delete",
      "",
      allowed ? "> [!WARNING]" : "> [!CAUTION]",
      allowed
        ? "> 8 deletion(s), replacement(s) or removal(s), allowed for this change (--allow-destroy)."
        : "> 8 deletion(s), replacement(s) or removal(s): not deployed unless allowed (--allow-destroy).",
      "",
      `- **Delete space \`archive\` "Archive" (${archive}): deletes the space and all its messages**`,
      `- **Delete space \`old\` "Old projects" (${old}): deletes the space and all its messages**`,
      `- **Replace space \`ops\` "Operations" (${ops}): deletes the space and all its messages, then creates a new, empty one** (because externalUserAllowed changes)`,
      `- **Delete membership \`dan\`: removes dan@example.com from "Old projects" (${old})**`,
      `- **Replace membership \`bob\`: removes bob@example.com from "Operations" (${ops}), then adds bob@example.com to "Operations"** (because space: "${ops}" → (known after the update))`,
      `- **Replace membership \`erin\`: removes erin@example.com from "Eng" (${eng}), then adds frank@example.com to "Engineering" (${eng})** (because user changes)`,
      `- **Delete roster \`archive-members\`: removes the members it declared (carol@example.com) from "Archive" (${archive}), except the calling user and the space's last owner**`,
      // The team space is unchanged, so only --show-sames names it (changes-all-steps below).
      `- **Change roster \`team-members\`: removes bob@example.com (users/110000000000000000003) from ${team}; unless it is users/dan@example.com, declared but not matched to an id yet: then it stays** (also: adds dan@example.com (ROLE_MEMBER))`,
      "",
      "#### Spaces",
      "",
      "| | Resource | What | Changes |",
      "|---|---|---|---|",
      '| Create | `design` | "Design" |  |',
      `| Change | \`eng\` | "Eng" (${eng}) | displayName: "Eng" → "Engineering" |`,
      "",
      "#### Members",
      "",
      "| | Resource | What | Changes |",
      "|---|---|---|---|",
      '| Create | `carol` | carol@example.com in "Design" |  |',
      `| Change | \`alice\` | alice@example.com in "Eng" (${eng}) | role: ROLE_MANAGER → ROLE_MEMBER |`,
      "",
    ].join("\n");

  it("every kind of change: replacements and deletions first, in bold, with what each loses; exit 1 without --allow-destroy", async () => {
    const { code, stdout, stderr } = await cli(["plan", file("changes")]);
    assert.equal(stdout, changesSummary(false));
    assert.equal(stderr, "pulumi-googlechat plan: 8 deletion(s), replacement(s) or removal(s); rerun with --allow-destroy to allow them.\n");
    assert.equal(code, 1);
  });

  it("--allow-destroy allows them: exit 0, and the summary says they were allowed", async () => {
    assert.deepEqual(await cli(["plan", file("changes"), "--allow-destroy"]), { code: 0, stdout: changesSummary(true), stderr: "" });
  });

  it("the same preview with --show-sames --show-replacement-steps summarises the same (ids from that recording)", async () => {
    const steps = digest("changes-all-steps").steps!;
    assert.deepEqual(
      steps.filter((s) => s.urn.endsWith("::ops")).map((s) => s.op),
      ["delete-replaced", "replace", "create-replacement"],
      "a delete-before-replace space, step by step",
    );
    const { code, stdout } = await cli(["plan", file("changes-all-steps")]);
    const ids = (name: string) => [idOf("changes", name), idOf("changes-all-steps", name)];
    const expected = ["eng", "ops", "old", "archive"]
      .map(ids)
      .concat([[team, teamOf("changes-all-steps")]])
      .reduce((text, [from, to]) => text.replaceAll(from, to), changesSummary(false))
      // The unchanged team space is in this preview: the roster's removal names it.
      .replace(`from ${idOf("changes-all-steps", "team")};`, `from "Team" (${idOf("changes-all-steps", "team")});`);
    assert.equal(stdout, expected);
    assert.equal(code, 1);
  });

  it("a space read with ChatSpace.get changes nothing: exit 0", async () => {
    assert.deepEqual(await cli(["plan", file("read")]), {
      code: 0,
      stdout: "### Pulumi plan for stack `dev`\n\nNo changes.\n\n1 read without being managed.\n",
      stderr: "",
    });
  });

  it("after --refresh: a space renamed in Chat is changed back, a member removed in Chat is added again, to its membership and to the roster", async () => {
    const refreshed = digest("refresh").steps!.filter((s) => s.op === "refresh").length;
    assert.equal(refreshed, 12, "the stack and its 11 resources refreshed");
    const eng = idOf("refresh", "eng");
    const ops = idOf("refresh", "ops");
    const team = idOf("refresh", "team");
    assert.deepEqual(await cli(["plan", file("refresh")]), {
      code: 0,
      stdout: [
        "### Pulumi plan for stack `dev`",
        "",
        "1 to create · 2 to change",
        "",
        "#### Spaces",
        "",
        "| | Resource | What | Changes |",
        "|---|---|---|---|",
        `| Change | \`eng\` | "Eng" (${eng}) | displayName: "Eng (renamed in Chat)" → "Eng" |`,
        "",
        "#### Members",
        "",
        "| | Resource | What | Changes |",
        "|---|---|---|---|",
        `| Create | \`bob\` | bob@example.com in "Operations" (${ops}) |  |`,
        "",
        "#### Rosters",
        "",
        "| | Resource | What | Changes |",
        "|---|---|---|---|",
        `| Change | \`team-members\` | the members of "Team" (${team}) | adds bob@example.com (ROLE_MEMBER) |`,
        "",
      ].join("\n"),
      stderr: "",
    });
  });

  it("a failed preview (an import, which Pulumi refuses for dynamic providers) is reported with its errors: exit 3", async () => {
    const { code, stdout, stderr } = await cli(["plan", file("import-failed")]);
    assert.equal(
      stdout,
      [
        "### Pulumi plan for stack `dev`",
        "",
        "1 to import",
        "",
        "> [!CAUTION]",
        "> **The preview failed.** Nothing can be deployed from it:",
        ">",
        "> error: Preview failed: code must be a string, not undefined",
        "> error: preview failed",
        "",
        "#### Spaces",
        "",
        "| | Resource | What | Changes |",
        "|---|---|---|---|",
        `| Import | \`adopted\` | "Outside" | adopts ${stepOf("import-failed", "adopted", "import").newState!.importID} |`,
        "",
      ].join("\n"),
    );
    assert.deepEqual([code, stderr], [3, "pulumi-googlechat plan: the preview failed; fix its errors before deploying.\n"]);
  });

  it("a preview that failed before planning prints `{}` (the language host did not answer): a failure, never 'No changes'", async () => {
    assert.deepEqual(await cli(["plan"], "{}\n"), {
      code: 3,
      stdout: [
        "### Pulumi plan",
        "",
        "> [!CAUTION]",
        "> **The preview failed.** Nothing can be deployed from it:",
        ">",
        "> The preview planned nothing, not even the stack: it failed before planning (see its log).",
        "",
      ].join("\n"),
      stderr: "pulumi-googlechat plan: the preview failed; fix its errors before deploying.\n",
    });
  });

  it("reads standard input, and writes --out instead of standard output", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "plan-test-")), "plan.md");
    const result = await cli(["plan", "--out", out], readFileSync(file("changes"), "utf8"));
    assert.deepEqual([result.code, result.stdout], [1, ""]);
    assert.equal(readFileSync(out, "utf8"), changesSummary(false));
  });

  it("a display name is made inert in Markdown", async () => {
    const text = readFileSync(file("create"), "utf8").replace('"displayName": "Eng"', '"displayName": "R&D | <b>*all*</b> `x` #1"');
    const { stdout } = await cli(["plan"], text);
    assert.ok(stdout.includes('| Create | `eng` | "R&D \\| \\<b\\>\\*all\\*\\</b\\> \\`x\\` \\#1" |  |'), stdout);
  });

  it("a mention, emphasis or strikethrough in a display name stays text: `@` gets a word joiner (GitHub pings from the rendered text), `~` and an `_` that could open emphasis are escaped", async () => {
    const text = readFileSync(file("create"), "utf8").replace(
      '"displayName": "Eng"',
      '"displayName": "@octo/security _x_ ~~old~~ snake_case spaces/AAAAmSWvFi_"',
    );
    const { stdout } = await cli(["plan"], text);
    assert.ok(stdout.includes('| Create | `eng` | "@\u2060octo/security \\_x_ \\~\\~old\\~\\~ snake_case spaces/AAAAmSWvFi_" |  |'), stdout);
    // An email is no mention: it stays as written.
    assert.ok(stdout.includes('| Create | `alice` | alice@example.com in "@\u2060octo/security'), stdout);
  });

  /** A copy of a fixture, changed by `edit`, as the text piped into the command. */
  const edited = (name: string, edit: (digest: PreviewDigest) => PreviewDigest) => JSON.stringify(edit(digest(name)));

  it("a roster update whose plan lines are missing from the log, and whose old members are not all declared now: destructive (can't tell what it removes), exit 1", async () => {
    const { code, stdout, stderr } = await cli(
      ["plan"],
      edited("changes", (d) => ({ ...d, diagnostics: [] })),
    );
    const lines = stdout.split("\n");
    assert.ok(
      lines.includes(
        `- **Change roster \`team-members\`: can't tell what it removes: read the preview log (the provider's plan for it is missing; not declared any more: bob@example.com (users/110000000000000000003) in ${team})**`,
      ),
      stdout,
    );
    assert.ok(lines.includes("> 8 deletion(s), replacement(s) or removal(s): not deployed unless allowed (--allow-destroy)."), stdout);
    assert.deepEqual([code, stderr], [1, "pulumi-googlechat plan: 8 deletion(s), replacement(s) or removal(s); rerun with --allow-destroy to allow them.\n"]);
    // The roster alone (every other step left out): it is what makes the command exit 1.
    const alone = await cli(
      ["plan"],
      edited("changes", (d) => ({ ...d, diagnostics: [], steps: d.steps!.filter((s) => s.op === "same" || s.urn.endsWith("::team-members")) })),
    );
    assert.equal(alone.code, 1, alone.stdout);
    assert.ok(alone.stdout.includes("> 1 deletion(s), replacement(s) or removal(s): not deployed unless allowed"), alone.stdout);
  });

  it("a roster update whose only log lines are not the provider's plan (a program's pulumi.log.warn on it) still can't tell what it removes: destructive, exit 1", async () => {
    const urn = stepOf("changes", "team-members", "update").urn;
    const warned = edited("changes", (d) => ({
      ...d,
      diagnostics: [{ urn, severity: "warning", message: "warning: members given by email are matched at up\n" }],
      steps: d.steps!.filter((s, i) => i === 0 || s.urn === urn),
    }));
    const { code, stdout } = await cli(["plan"], warned);
    // The roster alone: no membership of the preview tells bob's email.
    assert.ok(
      stdout.includes(
        `- **Change roster \`team-members\`: can't tell what it removes: read the preview log (the provider's plan for it is missing; not declared any more: users/110000000000000000003 in ${team})**`,
      ),
      stdout,
    );
    assert.equal(code, 1, stdout);
  });

  it("the roster plan's log lines read back as written: describePlan's every add, role change, removal and caveat is what the summary finds (plan-lines.ts, their one home)", () => {
    const member = (id: string, role: string, memberType = "HUMAN") => ({
      name: `spaces/S/members/${id.split("/")[1]}`,
      member: id,
      memberType,
      role,
      state: "JOINED",
    });
    const olds = {
      space: "spaces/S",
      mode: "authoritative" as const,
      members: [member("users/1", "ROLE_MANAGER"), member("users/2", "ROLE_MEMBER"), member("users/3", "ROLE_MEMBER"), member("groups/g", "", "GROUP")],
      __declared: { "users/2": "users/2", "users/3": "users/3" },
      __caller: { user: "admin@example.com", member: "users/1" },
    };
    const news = { space: "spaces/S", members: [{ user: "users/2", role: "ROLE_MANAGER" as const }, { user: "carol@example.com" }, { group: "groups/new" }] };
    const { plan } = diffRoster(olds, news, { user: "admin@example.com" });
    const lines = describePlan("crew-members", plan!);
    assert.deepEqual(rosterUpdate([...lines, "warning: an unrelated line of the program"], new Map()), {
      notes: ["adds carol@example.com (ROLE_MEMBER)", "adds groups/new", "users/2: ROLE_MEMBER → ROLE_MANAGER"],
      removals: ["users/3", "groups/g"],
      // The caveat is users/3's alone: an email is never a group's.
      caveats: ["users/3: unless it is users/carol@example.com, declared but not matched to an id yet: then it stays"],
    });
    // Every line is the plan's (the caller kept included): none is taken for another line of the log.
    assert.deepEqual(
      lines.map((line) => parsePlanLine(line)?.kind),
      ["add", "add", "role", "remove", "remove", "keep"],
    );
  });

  it("reads back an owner's role change known only at up (an entry unknown at preview) as a role note", () => {
    const olds = {
      space: "spaces/S",
      mode: "addOnly" as const,
      members: [1, 2].map((id) => ({ name: `spaces/S/members/${id}`, member: `users/${id}`, memberType: "HUMAN", role: "ROLE_MANAGER", state: "JOINED" })),
      __declared: { "users/1": "users/1", "users/2": "users/2" },
      __caller: { user: "admin@example.com", member: "users/1" },
    };
    const news = { space: "spaces/S", mode: "addOnly" as const, members: [{ user: "users/1", role: "ROLE_MANAGER" as const }, UNKNOWN as never] };
    const { plan } = diffRoster(olds, news, { user: "admin@example.com" });
    assert.deepEqual(rosterUpdate(describePlan("crew-members", plan!), new Map()), {
      notes: ["users/2: ROLE_MANAGER → known only at up"],
      removals: [],
      caveats: [],
    });
    // Authoritative, an owner and a member whom the known entries no longer declare: each removal's caveat says whose it is.
    const authoritative = {
      ...olds,
      mode: "authoritative" as const,
      members: [...olds.members, { name: "spaces/S/members/3", member: "users/3", memberType: "HUMAN", role: "ROLE_MEMBER", state: "JOINED" }],
      __declared: { ...olds.__declared, "users/3": "users/3" },
    };
    const unknownEntry = diffRoster(authoritative, { ...news, mode: "authoritative" as const }, { user: "admin@example.com" }).plan!;
    assert.deepEqual(rosterUpdate(describePlan("crew-members", unknownEntry), new Map()), {
      notes: [],
      removals: ["users/2", "users/3"],
      caveats: ["users/2: unless it is a member known only at up, at the role declared there", "users/3: unless it is a member known only at up"],
    });
    // A label is any text: one that looks like that line leaves a removal's line a removal.
    const label = "x: ~ users/9: role ROLE_MEMBER => known only at up: x";
    assert.deepEqual(parsePlanLine(removedLine(label, "users/2", "ROLE_MEMBER")), { kind: "remove", member: "users/2", role: "ROLE_MEMBER" });
  });

  for (const retained of [false, true])
    it(`a roster replaced because its space is unknown at preview${retained ? " (retainOnDelete)" : ""}, with the plan of the update the up makes if the space is the same: both said, exit 1`, async () => {
      // Hand-narrowed from retain-replace: the roster's replacement, its space an output unknown at preview, and the
      // provider's lines of that update's role change and removal (space-members/diff.ts `orSameSpace`).
      const crew = idOf("retain-replace", "crew");
      const withPlan = edited("retain-replace", (d) => {
        const roster = d.steps!.find((step) => step.urn.endsWith("::crew-members"))!;
        const retain = (state: typeof roster.oldState) => state && { ...state, retainOnDelete: retained };
        const line = (text: string) => ({ urn: roster.urn, message: `ChatSpaceMembers crew-members: ${text}\n`, severity: "info" });
        return {
          ...d,
          steps: [{ ...roster, oldState: retain(roster.oldState), newState: retain(roster.newState) }],
          diagnostics: [
            line("~ members[0] users/110000000000000000002: role ROLE_MANAGER => ROLE_MEMBER"),
            line(`- users/110000000000000000003 (ROLE_MEMBER): not declared, removed unless the space is another than ${crew} at up (known only then)`),
          ],
        };
      });
      const { code, stdout } = await cli(["plan"], withPlan);
      const replaced = retained
        ? `adds the declared members to a space known only after the update; the members it declared (carol@example.com) stay in ${crew}, no longer managed (retainOnDelete)`
        : `removes the members it declared (carol@example.com) from ${crew}, except the calling user and the space's last owner, then adds the declared members to a space known only after the update`;
      assert.ok(
        stdout.includes(
          `- **Replace roster \`crew-members\`: ${replaced}; or, if ${crew} is still its space at up, updates it: ` +
            "users/110000000000000000002: ROLE_MANAGER → ROLE_MEMBER; removes users/110000000000000000003**",
        ),
        stdout,
      );
      assert.equal(code, 1, stdout);
    });

  for (const retained of [false, true])
    it(`a membership replaced because its space is unknown at preview${retained ? " (retainOnDelete)" : ""}, with the role change of the update the up makes if the space is the same: both said, exit 1`, async () => {
      // Hand-narrowed from retain-replace: bob's replacement, its space unknown at preview, and the provider's line of the role change.
      const ops = idOf("retain-replace", "ops");
      const withLine = edited("retain-replace", (d) => {
        const bob = d.steps!.find((step) => step.urn.endsWith("::bob"))!;
        const retain = (state: typeof bob.oldState) => state && { ...state, retainOnDelete: retained };
        return {
          ...d,
          steps: [{ ...bob, oldState: retain(bob.oldState), newState: retain(bob.newState) }],
          diagnostics: [
            {
              urn: bob.urn,
              message: `ChatMembership bob: ~ users/110000000000000000003: role ROLE_MANAGER => ROLE_MEMBER unless the space is another than ${ops} at up (known only then)\n`,
              severity: "info",
            },
          ],
        };
      });
      const { code, stdout } = await cli(["plan"], withLine);
      assert.match(
        stdout,
        new RegExp(`Replace membership \`bob\`: .*; or, if ${ops} is still its space at up, updates it: bob@example.com: ROLE_MANAGER → ROLE_MEMBER\\*\\*`),
      );
      assert.equal(code, 1, stdout);
    });

  it("a roster update without plan lines whose old members are all still declared removes no one: exit 0", async () => {
    // After the refresh, bob (removed in Chat) is not in the old state, and the rest is declared: nothing to remove.
    const { code, stdout } = await cli(
      ["plan"],
      edited("refresh", (d) => ({ ...d, diagnostics: [] })),
    );
    assert.ok(stdout.includes(`| Change | \`team-members\` | the members of "Team" (${idOf("refresh", "team")}) |  |`), stdout);
    assert.equal(code, 0, stdout);
  });

  it("members moved between resources in one up: a membership or roster dropped leaves the members another resource declares, said so; only the member no one declares is a removal", async () => {
    const [studio, lab] = [idOf("moves", "studio"), idOf("moves", "lab")];
    const { code, stdout } = await cli(["plan", file("moves")]);
    assert.equal(
      stdout,
      [
        "### Pulumi plan for stack `moves`",
        "",
        "3 to create · 2 to delete",
        "",
        "> [!CAUTION]",
        "> 1 deletion(s), replacement(s) or removal(s): not deployed unless allowed (--allow-destroy).",
        "",
        `- **Delete roster \`lab-members\`: removes the members it declared (dan@example.com) from "Lab" (${lab}), except the calling user and the space's last owner** ` +
          `(also: bob@example.com stays in "Lab" (${lab}): ChatMembership bob declares it; carol@example.com stays in "Lab" (${lab}): ChatMembership carol declares it)`,
        "",
        "#### Members",
        "",
        "| | Resource | What | Changes |",
        "|---|---|---|---|",
        `| Delete | \`alice\` | alice@example.com in "Studio" (${studio}) | alice@example.com stays in "Studio" (${studio}): ChatSpaceMembers studio-members declares it |`,
        `| Create | \`bob\` | bob@example.com in "Lab" (${lab}) |  |`,
        `| Create | \`carol\` | carol@example.com in "Lab" (${lab}) |  |`,
        "",
        "#### Rosters",
        "",
        "| | Resource | What | Changes |",
        "|---|---|---|---|",
        `| Create | \`studio-members\` | the members of "Studio" (${studio}) | adds alice@example.com |`,
        "",
      ].join("\n"),
    );
    assert.equal(code, 1, "dan's removal is destructive");
  });

  it("a deletion of a space, membership or roster with retainOnDelete stops managing it, which stays in Chat: listed, not destructive, exit 0", async () => {
    const retained = ["archive", "dan", "archive-members"];
    const text = edited("changes", (d) => ({
      ...d,
      steps: d
        .steps!.filter((s) => s.op === "same" || (s.op === "delete" && retained.some((name) => s.urn.endsWith(`::${name}`))))
        .map((s) => (s.op === "delete" ? { ...s, oldState: { ...s.oldState!, retainOnDelete: true } } : s)),
    }));
    assert.deepEqual(await cli(["plan"], text), {
      code: 0,
      stdout: [
        "### Pulumi plan for stack `dev`",
        "",
        "3 to stop managing",
        "",
        "#### Spaces",
        "",
        "| | Resource | What | Changes |",
        "|---|---|---|---|",
        `| Stop managing | \`archive\` | "Archive" (${archive}) | stops managing it; it stays in Chat |`,
        "",
        "#### Members",
        "",
        "| | Resource | What | Changes |",
        "|---|---|---|---|",
        `| Stop managing | \`dan\` | dan@example.com in ${old} | stops managing it; it stays in Chat |`,
        "",
        "#### Rosters",
        "",
        "| | Resource | What | Changes |",
        "|---|---|---|---|",
        `| Stop managing | \`archive-members\` | the members of "Archive" (${archive}) | stops managing it; it stays in Chat |`,
        "",
      ].join("\n"),
      stderr: "",
    });
    // Without the option the same steps are deletions: exit 1.
    const deleted = edited("changes", (d) => ({
      ...d,
      steps: d.steps!.filter((s) => s.op === "same" || (s.op === "delete" && retained.some((name) => s.urn.endsWith(`::${name}`)))),
    }));
    assert.equal((await cli(["plan"], deleted)).code, 1);
  });

  describe("every kind of step the engine previews, each on its own (the fixture's steps for one resource, and the stack's)", () => {
    /** A fixture narrowed to the stack's step and one resource's, diagnostics kept: what the summary says of that resource alone. */
    const alone = (name: string, resource: string) =>
      edited(name, (d) => ({ ...d, steps: d.steps!.filter((s, i) => i === 0 || s.urn.endsWith(`::${resource}`)) }));
    const header = (stack: string) => ["### Pulumi plan for stack `" + stack + "`", ""];
    const destroyCaution = (allowed: boolean) => [
      allowed ? "> [!WARNING]" : "> [!CAUTION]",
      allowed
        ? "> 1 deletion(s), replacement(s) or removal(s), allowed for this change (--allow-destroy)."
        : "> 1 deletion(s), replacement(s) or removal(s): not deployed unless allowed (--allow-destroy).",
      "",
    ];
    const REFUSED = "pulumi-googlechat plan: 1 deletion(s), replacement(s) or removal(s); rerun with --allow-destroy to allow them.\n";
    const FAILED = "pulumi-googlechat plan: the preview failed; fix its errors before deploying.\n";
    const failure = [
      "> [!CAUTION]",
      "> **The preview failed.** Nothing can be deployed from it:",
      ">",
      "> error: Preview failed: code must be a string, not undefined",
      "> error: preview failed",
    ];
    const spacesTable = (...rows: string[]) => ["#### Spaces", "", "| | Resource | What | Changes |", "|---|---|---|---|", ...rows];
    const text = (lines: string[]) => `${lines.join("\n")}\n`;

    /** The summary of `name` narrowed to `resource`: exit 0 and `lines`, whether or not --allow-destroy is given. */
    async function harmless(name: string, resource: string, stack: string, lines: string[]): Promise<void> {
      for (const allow of [[], ["--allow-destroy"]]) {
        assert.deepEqual(await cli(["plan", ...allow], alone(name, resource)), { code: 0, stdout: text([...header(stack), ...lines]), stderr: "" });
      }
    }

    /** The summary of `name` narrowed to `resource`: `line` in bold, exit 1, and exit 0 with --allow-destroy. */
    async function destructive(name: string, resource: string, stack: string, counts: string, line: string): Promise<void> {
      for (const allowed of [false, true]) {
        assert.deepEqual(await cli(["plan", ...(allowed ? ["--allow-destroy"] : [])], alone(name, resource)), {
          code: allowed ? 0 : 1,
          stdout: text([...header(stack), counts, "", ...destroyCaution(allowed), `- ${line}`]),
          stderr: allowed ? "" : REFUSED,
        });
      }
    }

    it("same: an unchanged space is not listed: 'No changes.', exit 0", async () => {
      stepOf("changes-all-steps", "team", "same");
      await harmless("changes-all-steps", "team", "dev", ["No changes."]);
    });

    it("create: a new space is listed to create, exit 0", async () => {
      stepOf("create", "eng", "create");
      await harmless("create", "eng", "dev", ["1 to create", "", ...spacesTable('| Create | `eng` | "Eng" |  |')]);
    });

    it("update: a renamed space is listed with the field's old and new value, exit 0", async () => {
      stepOf("changes", "eng", "update");
      await harmless("changes", "eng", "dev", [
        "1 to change",
        "",
        ...spacesTable(`| Change | \`eng\` | "Eng" (${eng}) | displayName: "Eng" → "Engineering" |`),
      ]);
    });

    it("delete: a deleted space is first and in bold with its messages lost; exit 1, exit 0 with --allow-destroy", async () => {
      stepOf("changes", "old", "delete");
      await destructive("changes", "old", "dev", "1 to delete", `**Delete space \`old\` "Old projects" (${old}): deletes the space and all its messages**`);
    });

    const opsReplaced = (id: string) =>
      `**Replace space \`ops\` "Operations" (${id}): deletes the space and all its messages, then creates a new, empty one** (because externalUserAllowed changes)`;

    it("replace: a space replaced for a replace-only field is first and in bold, deleted then created empty; exit 1, exit 0 with --allow-destroy", async () => {
      stepOf("changes", "ops", "replace");
      await destructive("changes", "ops", "dev", "1 to replace", opsReplaced(ops));
    });

    it("create-replacement and delete-replaced (--show-replacement-steps): the same replacement, told once", async () => {
      const id = idOf("changes-all-steps", "ops");
      assert.deepEqual(
        digest("changes-all-steps")
          .steps!.filter((s) => s.urn.endsWith("::ops"))
          .map((s) => s.op),
        ["delete-replaced", "replace", "create-replacement"],
      );
      await destructive("changes-all-steps", "ops", "dev", "1 to replace", opsReplaced(id));
    });

    it("read: a space read with ChatSpace.get is counted, not listed: exit 0", async () => {
      stepOf("read", "eng-read", "read");
      await harmless("read", "eng-read", "dev", ["No changes.", "", "1 read without being managed."]);
    });

    it("refresh: a refreshed space that matches its declaration changes nothing; one renamed in Chat is changed back: exit 0", async () => {
      stepOf("refresh", "old", "refresh");
      await harmless("refresh", "old", "dev", ["No changes."]);
      stepOf("refresh", "eng", "refresh");
      await harmless("refresh", "eng", "dev", [
        "1 to change",
        "",
        ...spacesTable(`| Change | \`eng\` | "Eng" (${idOf("refresh", "eng")}) | displayName: "Eng (renamed in Chat)" → "Eng" |`),
      ]);
    });

    /** The lab replaced by the space read under its name, and the id read (`read-replacement` or `-all-steps`). */
    const labRead = (name: string) => {
      const replace = stepOf(name, "lab", "replace");
      return `**Replace space \`lab\` "Lab" (${replace.oldState!.id}): deletes the space and all its messages, and reads "Elsewhere" (${replace.newState!.id}) in its place, without managing it** (because the program reads another id under this name with .get)`;
    };

    it("read-replacement: a managed space the program now reads with ChatSpace.get and another id is deleted: first and in bold; exit 1, exit 0 with --allow-destroy", async () => {
      assert.deepEqual(
        digest("read-replacement-all-steps")
          .steps!.filter((s) => s.urn.endsWith("::lab"))
          .map((s) => s.op),
        ["read-replacement", "replace", "delete-replaced"],
      );
      await destructive("read-replacement-all-steps", "lab", "lifecycle", "1 to replace", labRead("read-replacement-all-steps"));
      // Without --show-replacement-steps the engine shows the replace step alone, its new state external: told the same.
      assert.deepEqual(
        digest("read-replacement")
          .steps!.filter((s) => s.urn.endsWith("::lab"))
          .map((s) => [s.op, s.newState?.external]),
        [["replace", true]],
      );
      await destructive("read-replacement", "lab", "lifecycle", "1 to replace", labRead("read-replacement"));
    });

    it("discard: a space no longer read is only dropped from the state, it stays in Chat: listed, not destructive, exit 0", async () => {
      const id = stepOf("discard", "borrowed", "discard").oldState!.id;
      await harmless("discard", "borrowed", "lifecycle", [
        "1 to stop reading",
        "",
        ...spacesTable(`| Stop reading | \`borrowed\` | "Elsewhere" (${id}) | was only read (.get), never managed: dropped from the state; it stays in Chat |`),
      ]);
    });

    it("discard-replaced: a read space the program now manages is a create; the read one stays in Chat, nothing deleted: exit 0", async () => {
      assert.deepEqual(
        digest("discard-replaced-all-steps")
          .steps!.filter((s) => s.urn.endsWith("::seen"))
          .map((s) => s.op),
        ["create-replacement", "replace", "discard-replaced"],
      );
      // Without --show-replacement-steps: the replace step alone, its old state external.
      assert.deepEqual(
        digest("discard-replaced")
          .steps!.filter((s) => s.urn.endsWith("::seen"))
          .map((s) => [s.op, s.oldState?.external]),
        [["replace", true]],
      );
      for (const name of ["discard-replaced", "discard-replaced-all-steps"]) {
        const read = stepOf(name, "seen", "replace").oldState!.id;
        await harmless(name, "seen", "lifecycle", [
          "1 to create",
          "",
          ...spacesTable(`| Create | \`seen\` | "Seen" | takes the place of "Outside" (${read}), which was only read (.get): it stays in Chat |`),
        ]);
      }
    });

    it("remove-pending-replace: the engine never shows it; a space left pending replacement, already deleted, is only dropped from the state: exit 0", async () => {
      // The engine's own preview, with every step it shows: nothing of the lab (engine/update.go isInternalStep).
      assert.deepEqual(
        digest("remove-pending-replace-all-steps").steps!.filter((s) => s.urn.endsWith("::lab")),
        [],
      );
      // The step the engine runs (step.go RemovePendingReplaceStep: the old state, no new one), from the recorded state.
      const pending = JSON.parse(readFileSync(join(__dirname, "fixtures/state/pending-replacement.json"), "utf8"));
      assert.equal(pending.pendingReplacement, true);
      const withStep = edited("remove-pending-replace-all-steps", (d) => ({
        ...d,
        steps: [d.steps![0], { op: "remove-pending-replace", urn: pending.urn, oldState: pending }],
      }));
      for (const allow of [[], ["--allow-destroy"]]) {
        assert.deepEqual(await cli(["plan", ...allow], withStep), {
          code: 0,
          stdout: text([
            ...header("lifecycle"),
            "1 to stop managing",
            "",
            ...spacesTable(
              `| Stop managing | \`lab\` | "Lab" (${pending.id}) | already deleted by an earlier update whose replacement failed; only removed from the state |`,
            ),
          ]),
          stderr: "",
        });
      }
    });

    it("import: a space adopted with the import option is listed with the id it adopts; the preview fails (dynamic providers can't import): exit 3", async () => {
      const adopted = stepOf("import-failed", "adopted", "import").newState!.importID;
      for (const allow of [[], ["--allow-destroy"]]) {
        assert.deepEqual(await cli(["plan", ...allow], alone("import-failed", "adopted")), {
          code: 3,
          stdout: text([...header("dev"), "1 to import", "", ...failure, "", ...spacesTable(`| Import | \`adopted\` | "Outside" | adopts ${adopted} |`)]),
          stderr: FAILED,
        });
      }
    });

    it("import-replacement: a managed space declared with the import option and another id would be deleted: in bold under the failure; exit 3 either way", async () => {
      const adopted = stepOf("import-replacement-all-steps", "lab", "import-replacement").newState!.importID;
      for (const allowed of [false, true]) {
        assert.deepEqual(await cli(["plan", ...(allowed ? ["--allow-destroy"] : [])], alone("import-replacement-all-steps", "lab")), {
          code: 3,
          stdout: text([
            ...header("lifecycle"),
            "1 to replace",
            "",
            ...failure,
            "",
            ...destroyCaution(allowed),
            `- **Replace space \`lab\` "Lab": deletes the space and all its messages, and adopts ${adopted} in its place** (because the program imports another id under this name)`,
          ]),
          stderr: FAILED,
        });
      }
      // Without --show-replacement-steps the engine shows nothing of the lab: the import fails before its replace step.
      assert.deepEqual(
        digest("import-replacement").steps!.filter((s) => s.urn.endsWith("::lab")),
        [],
      );
      assert.deepEqual(await cli(["plan"], alone("import-replacement", "lab")), {
        code: 3,
        stdout: text([...header("lifecycle"), ...failure]),
        stderr: FAILED,
      });
    });

    it("replace with retainOnDelete (what `pulumi-googlechat import` writes): the old space, membership and roster's members stay in Chat unmanaged and new ones are made beside them: in bold, exit 1, exit 0 with --allow-destroy", async () => {
      for (const name of ["retain-replace", "retain-replace-all-steps"]) {
        const [ops, crew] = ["ops", "crew"].map((space) => stepOf(name, space, "replace").oldState!.id);
        assert.equal(stepOf(name, "ops", "replace").oldState!.retainOnDelete, true);
        const kept = "stays in Chat, no longer managed (retainOnDelete)";
        for (const allowed of [false, true]) {
          assert.deepEqual(await cli(["plan", ...(allowed ? ["--allow-destroy"] : [])], readFileSync(file(name), "utf8")), {
            code: allowed ? 0 : 1,
            stdout: text([
              ...header("retain"),
              "4 to replace",
              "",
              allowed ? "> [!WARNING]" : "> [!CAUTION]",
              allowed
                ? "> 4 deletion(s), replacement(s) or removal(s), allowed for this change (--allow-destroy)."
                : "> 4 deletion(s), replacement(s) or removal(s): not deployed unless allowed (--allow-destroy).",
              "",
              `- **Replace space \`crew\` "Crew" (${crew}): creates a new space "Crew"; the old one (${crew}) ${kept}** (because externalUserAllowed changes)`,
              `- **Replace space \`ops\` "Ops" (${ops}): creates a new space "Ops"; the old one (${ops}) ${kept}** (because externalUserAllowed changes)`,
              `- **Replace membership \`bob\`: adds bob@example.com to "Ops"; the old membership (bob@example.com in "Ops" (${ops})) ${kept}** (because space: "${ops}" → (known after the update))`,
              `- **Replace roster \`crew-members\`: adds the declared members to "Crew"; the members it declared (carol@example.com) stay in "Crew" (${crew}), no longer managed (retainOnDelete)** (as the provider asks)`,
            ]),
            stderr: allowed ? "" : "pulumi-googlechat plan: 4 deletion(s), replacement(s) or removal(s); rerun with --allow-destroy to allow them.\n",
          });
        }
      }
    });

    it("remove-pending-replace with retainOnDelete: the failed update kept the resource in Chat, so it is not 'already deleted': only dropped from the state, exit 0", async () => {
      // Hand-narrowed: the recorded state of the pending lab, given retainOnDelete (a retained resource's delete-replaced did nothing, step.go DeleteStep.Apply).
      const pending = { ...JSON.parse(readFileSync(join(__dirname, "fixtures/state/pending-replacement.json"), "utf8")), retainOnDelete: true };
      const withStep = edited("remove-pending-replace-all-steps", (d) => ({
        ...d,
        steps: [d.steps![0], { op: "remove-pending-replace", urn: pending.urn, oldState: pending }],
      }));
      assert.deepEqual(await cli(["plan"], withStep), {
        code: 0,
        stdout: text([
          ...header("lifecycle"),
          "1 to stop managing",
          "",
          ...spacesTable(
            `| Stop managing | \`lab\` | "Lab" (${pending.id}) | left by an earlier update whose replacement failed, which kept it in Chat (retainOnDelete): only removed from the state; it stays in Chat |`,
          ),
        ]),
        stderr: "",
      });
    });

    it("read-replacement of a membership: a managed membership the program now reads with ChatMembership.get and another id is removed, the person and space named: in bold; exit 1, exit 0 with --allow-destroy", async () => {
      assert.deepEqual(
        digest("membership-read-replacement-all-steps")
          .steps!.filter((s) => s.urn.endsWith("::carol"))
          .map((s) => s.op),
        ["read-replacement", "replace", "delete-replaced"],
      );
      for (const name of ["membership-read-replacement", "membership-read-replacement-all-steps"]) {
        const replace = stepOf(name, "carol", "replace");
        const space = replace.oldState!.inputs!.space;
        await destructive(
          name,
          "carol",
          "memberships",
          "1 to replace",
          `**Replace membership \`carol\`: removes carol@example.com from ${space}, and reads ${replace.newState!.id} in its place, without managing it** (because the program reads another id under this name with .get)`,
        );
      }
    });

    it("discard of a membership: one no longer read is only dropped from the state, named by its member and space: exit 0", async () => {
      const read = stepOf("membership-discard", "carol", "discard").oldState!;
      await harmless("membership-discard", "carol", "memberships", [
        "1 to stop reading",
        "",
        "#### Members",
        "",
        "| | Resource | What | Changes |",
        "|---|---|---|---|",
        `| Stop reading | \`carol\` | ${read.outputs!.member} in ${read.outputs!.space} | was only read (.get), never managed: dropped from the state; it stays in Chat |`,
      ]);
    });

    it("delete of a component (no provider of its own): nothing of its own in Chat, not destructive: exit 0", async () => {
      assert.equal(stepOf("reread", "red", "delete").oldState!.custom, false);
      await harmless("reread", "red", "reread", [
        "1 to delete",
        "",
        "#### Other resources",
        "",
        "| | Resource | What | Changes |",
        "|---|---|---|---|",
        "| Delete | `red` | googlechat-fixtures:index:Team red | a component: nothing of its own in Chat (its resources have their own steps) |",
      ]);
    });

    it("a space read with ChatSpace.get, then read with another id: the engine plans a read, not a replacement; counted as a read, nothing created: exit 0", async () => {
      const read = stepOf("reread", "seen", "read");
      assert.deepEqual([read.oldState!.external, read.newState!.external, read.oldState!.id === read.newState!.id], [true, true, false]);
      await harmless("reread", "seen", "reread", ["No changes.", "", "1 read without being managed."]);
    });

    /**
     * Where each step op (pulumi/pulumi pkg/resource/deploy/step.go `StepOps`) is recorded: a
     * Record over StepOp, so the compiler holds this list to the type, and the type to the engine's.
     */
    const RECORDED: Record<StepOp, readonly string[]> = {
      same: ["same", "changes-all-steps", "moves"],
      create: ["create", "moves"],
      update: ["changes"],
      delete: ["changes", "reread", "moves"],
      replace: ["changes", "retain-replace", "membership-read-replacement"],
      "create-replacement": ["changes-all-steps", "discard-replaced-all-steps"],
      "delete-replaced": ["changes-all-steps", "read-replacement-all-steps", "retain-replace-all-steps", "membership-read-replacement-all-steps"],
      read: ["read", "reread"],
      "read-replacement": ["read-replacement-all-steps", "membership-read-replacement-all-steps"],
      refresh: ["refresh"],
      discard: ["discard", "membership-discard"],
      "discard-replaced": ["discard-replaced-all-steps"],
      "import-replacement": ["import-replacement-all-steps"],
      import: ["import-failed"],
      // Never in a digest (commands/plan/preview-json.ts `StepOp`): the engine keeps it out of every display (engine/update.go
      // isInternalStep); recorded as the state it starts from (fixtures/state/pending-replacement.json).
      "remove-pending-replace": [],
      // The engine's parallel-diff work item: step_executor.go executeStep sends no event for a DiffStep.
      diff: [],
      // Only `pulumi import` runs it (resource/deploy/import.go), for parameterized providers; it has no URN.
      "extend-parameterize": [],
    };

    it("the fixtures hold every step op the engine shows in a preview, and no other", () => {
      const fixtures = readdirSync(FIXTURES)
        .filter((f) => f.endsWith(".json"))
        .map((f) => f.replace(/\.json$/, ""));
      const seen = new Map<string, Set<string>>();
      for (const name of fixtures) for (const step of digest(name).steps ?? []) seen.set(step.op, (seen.get(step.op) ?? new Set()).add(name));
      assert.deepEqual(
        [...seen.keys()].sort(),
        Object.keys(RECORDED)
          .filter((op) => RECORDED[op as StepOp].length)
          .sort(),
      );
      for (const [op, names] of Object.entries(RECORDED)) for (const name of names) assert.ok(seen.get(op)?.has(name), `${name}.json holds no ${op} step`);
    });
  });

  describe("usage errors: exit 2 with the reason and the usage", () => {
    const usageError = async (argv: string[], reason: string, stdin?: string) => {
      const { code, stdout, stderr } = await cli(["plan", ...argv], stdin);
      assert.equal(stdout, "");
      assert.equal(stderr.split("\n\n")[0], `pulumi-googlechat plan: ${reason}`);
      assert.match(stderr, /\nusage: pulumi-googlechat plan \[PREVIEW_JSON\] \[options\]\n/);
      assert.equal(code, 2);
    };
    it("no input at a terminal", () => usageError([], "no input: pipe `pulumi preview --json` into the command, or name the file it wrote"));
    it("an unknown option", () => usageError([file("same"), "--allow-delete"], "unknown option --allow-delete"));
    it("two files", () => usageError(["a.json", "b.json"], "one preview file at most, got 2: a.json b.json"));
    it("a missing file", () => usageError(["/nonexistent/preview.json"], "/nonexistent/preview.json does not exist"));
    it("not JSON (the preview's text output)", () =>
      usageError(
        [],
        'standard input is not JSON (it starts "Previewing update (dev):"): give the output of `pulumi preview --json`.',
        "Previewing update (dev):\n",
      ));
    it("empty input (the preview crashed before printing)", () =>
      usageError([], "standard input is not JSON (it is empty): give the output of `pulumi preview --json`.", ""));
    it("JSON that is not a preview", () => {
      const dir = mkdtempSync(join(tmpdir(), "plan-test-"));
      writeFileSync(join(dir, "state.json"), JSON.stringify({ version: 3, checkpoint: {}, steps: [{ urn: 1 }] }));
      return usageError(
        [join(dir, "state.json")],
        `${join(dir, "state.json")} is JSON but not the output of \`pulumi preview --json\` (expected an object with a "steps" list of {op, urn}).`,
      );
    });
  });

  it("--help prints the usage, exit 0", async () => {
    const { code, stdout } = await cli(["plan", "--help"]);
    assert.equal(code, 0);
    assert.match(stdout, /^usage: pulumi-googlechat plan \[PREVIEW_JSON\] \[options\]\n/);
    assert.match(
      stdout,
      /Exit codes: 0 nothing destructive \(or allowed\), 1 a deletion, replacement or removal not allowed,\n2 bad arguments or input, 3 the preview failed/,
    );
  });
});
