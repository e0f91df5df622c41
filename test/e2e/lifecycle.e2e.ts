import assert from "node:assert/strict";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import { PROVIDER_TEXT } from "../../provider/core/stub";
import { apiCalls, logMark } from "../helpers/provider";
import { assertNoSecrets, inlineStack, secretsOf, useEngineAndEmulator } from "./harness";
import { spaces as spacesOf } from "./programs";
import { PACKAGE_VERSION, PLUGIN, PluginProvider, SERVINGS } from "./servings";

const quiet = {};

describe("e2e: ChatSpace lifecycle under the real Pulumi engine", () => {
  const t = useEngineAndEmulator();
  const liveSpaces = async () => Object.values((await t.emulator.control.state()).spaces);

  for (const serving of SERVINGS)
    describe(`served ${serving.title}`, () => {
      const spaces = (declarations: Parameters<typeof spacesOf>[0]) => spacesOf(declarations, {}, serving);
      const userStack = (program: ReturnType<typeof spaces>, name = "dev") =>
        inlineStack("chat-e2e", name, program, { emulator: t.emulator, key: t.key, impersonateUser: "admin@example.com", serving });

      it("creates several spaces exactly once; a second up and a preview send no Chat API call", async () => {
        const stack = await userStack(
          spaces({
            eng: { displayName: "Engineering" },
            ops: { displayName: "Operations" },
            news: { displayName: "News", predefinedPermissionSettings: "ANNOUNCEMENT_SPACE" },
          }),
        );
        const up = await stack.up(quiet);
        assert.deepEqual(up.summary.resourceChanges, { create: 4 });
        assert.deepEqual(await apiCalls(t.emulator), ["POST /v1/spaces 200", "POST /v1/spaces 200", "POST /v1/spaces 200"]);
        assert.deepEqual((await liveSpaces()).map((s) => s.displayName).sort(), ["Engineering", "News", "Operations"]);
        assert.equal(up.outputs.engName.value, (await liveSpaces()).find((s) => s.displayName === "Engineering") && up.outputs.engName.value);
        // The state entry, as each serving keeps it: the dynamic one adds the SDK's bookkeeping and
        // the text that loads the provider (sdk/chat-space.ts); the plugin's keeps the declaration
        // alone, and its default provider is the plugin's, pinned to the package's version.
        const entry = (await stack.exportStack()).deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::eng"));
        assert.equal(entry.urn, `urn:pulumi:dev::chat-e2e::${serving.spaceType}::eng`);
        const provider =
          serving.name === "dynamic"
            ? "pulumi:providers:pulumi-nodejs::default"
            : `pulumi:providers:googlechat::default_${PACKAGE_VERSION.replaceAll(".", "_")}`;
        assert.ok(entry.provider.startsWith(`urn:pulumi:dev::chat-e2e::${provider}::`), entry.provider);
        const bookkeeping = serving.name === "dynamic" ? { __organization: "organization", __provider: PROVIDER_TEXT.ChatSpace, __urn: entry.urn } : {};
        assert.deepEqual(entry.inputs, { displayName: "Engineering", ...bookkeeping });
        assert.deepEqual(
          Object.keys(entry.outputs).filter((key) => key.startsWith("__")),
          serving.name === "dynamic" ? ["__declared", "__provider"] : ["__declared"],
        );
        assert.deepEqual(entry.outputs.__declared, { displayName: "Engineering" });

        const mark = await logMark(t.emulator);
        const again = await stack.up(quiet);
        assert.deepEqual(again.summary.resourceChanges, { same: 4 });
        const preview = await stack.preview(quiet);
        assert.deepEqual(preview.changeSummary, { same: 4 });
        // diff works from the stored outputs: no read, no token, no write.
        assert.deepEqual(await t.emulator.control.requests(mark), []);
      });

      it("attaches the provider's log lines to the space they concern, and shows no bookkeeping in the diff", async () => {
        const stack = await userStack(spaces({ eng: { displayName: "Eng" } }));
        await t.emulator.control.addFault({ match: { methods: ["spaces.create"] }, action: { kind: "error", status: 503 }, count: 1 });
        const diagnostics: { urn?: string; message: string }[] = [];
        await stack.up({ onEvent: (e) => void (e.diagnosticEvent && diagnostics.push(e.diagnosticEvent)) });
        const retry = diagnostics.find((d) => /spaces\.create: 503 UNAVAILABLE/.test(d.message));
        assert.ok(retry, `a retry line among ${JSON.stringify(diagnostics)}`);
        assert.ok(retry.urn?.endsWith(`::${serving.spaceType}::eng`), retry.urn);
        assert.match(retry.message, /^ChatSpace eng: spaces\.create: 503 UNAVAILABLE/);
        stack.workspace.program = spaces({ eng: { displayName: "Eng 2" } });
        const preview = await stack.preview({ diff: true });
        assert.match(preview.stdout, /displayName\s*: "Eng" => "Eng 2"/);
        assert.doesNotMatch(preview.stdout, /__declared|__urn|__organization|requestIdBase|resourceName/);
      });

      it("updates in place with the grouped masks, and the preview says update, not replace", async () => {
        const stack = await userStack(spaces({ eng: { displayName: "Eng", spaceDetails: { description: "a", guidelines: "g" } } }));
        const { outputs } = await stack.up(quiet);
        const id = outputs.engName.value;
        stack.workspace.program = spaces({
          eng: {
            displayName: "Engineering",
            spaceDetails: { description: "Platform team", guidelines: "g" },
            spaceHistoryState: "HISTORY_OFF",
            permissionSettings: { manageApps: { managersAllowed: true } },
          },
        });
        const preview = await stack.preview(quiet);
        assert.deepEqual(preview.changeSummary, { same: 1, update: 1 });
        const mark = await logMark(t.emulator);
        const up = await stack.up(quiet);
        assert.deepEqual(up.summary.resourceChanges, { same: 1, update: 1 });
        assert.deepEqual(await apiCalls(t.emulator, mark), [
          `PATCH /v1/${id} display_name,space_details 200`,
          `PATCH /v1/${id} space_history_state 200`,
          `PATCH /v1/${id} permission_settings.manageApps 200`,
        ]);
        const [space] = await liveSpaces();
        assert.deepEqual([space.displayName, space.description, space.spaceHistoryState], ["Engineering", "Platform team", "HISTORY_OFF"]);
        assert.deepEqual(space.permissionSettings.manageApps, { managersAllowed: true, assistantManagersAllowed: false, membersAllowed: false });
      });

      it("replaces on entering import mode: deletes the old space first, and never gets it back", async () => {
        const stack = await userStack(spaces({ eng: { displayName: "Eng" } }));
        const old = (await stack.up(quiet)).outputs.engName.value;
        stack.workspace.program = spaces({ eng: { displayName: "Eng", importMode: true } });
        assert.deepEqual((await stack.preview(quiet)).changeSummary, { replace: 1, same: 1 });
        const mark = await logMark(t.emulator);
        const up = await stack.up(quiet);
        assert.deepEqual(up.summary.resourceChanges, { replace: 1, same: 1 });
        const fresh = up.outputs.engName.value;
        assert.notEqual(fresh, old);
        assert.deepEqual(await apiCalls(t.emulator, mark), [`DELETE /v1/${old} 200`, "POST /v1/spaces 200"]);
        assert.deepEqual(
          (await liveSpaces()).map((s) => [s.id, s.importMode]),
          [[fresh.slice(7), true]],
        );
      });

      it("replaces on a customer change: deletes the old space, then creates the new one", async () => {
        const appStack = await inlineStack("chat-e2e", "app", spaces({ eng: { displayName: "Eng", customer: "customers/my_customer" } }), {
          emulator: t.emulator,
          key: t.key,
          serving,
        });
        const old = (await appStack.up(quiet)).outputs.engName.value;
        // One t.emulator serves one organisation: moving it to another id stands in for a second one.
        await t.emulator.control.setSettings({ customer: "customers/C0second" });
        appStack.workspace.program = spaces({ eng: { displayName: "Eng (moved)", customer: "customers/C0second" } });
        assert.deepEqual((await appStack.preview(quiet)).changeSummary, { replace: 1, same: 1 });
        const mark = await logMark(t.emulator);
        const up = await appStack.up(quiet);
        const fresh = up.outputs.engName.value;
        assert.notEqual(fresh, old);
        // ChatSpace deletes before replacing (sdk/chat-space.ts): a forced replacement must never get the old space back.
        assert.deepEqual(await apiCalls(t.emulator, mark), [`DELETE /v1/${old} 200`, "POST /v1/spaces 200"]);
        assert.deepEqual(
          (await liveSpaces()).map((s) => [s.displayName, s.customer]),
          [["Eng (moved)", "customers/C0second"]],
        );
      });

      it("completes an import in place when importMode goes back to false", async () => {
        const stack = await userStack(spaces({ imp: { displayName: "Imported", importMode: true } }));
        const id = (await stack.up(quiet)).outputs.impName.value;
        stack.workspace.program = spaces({ imp: { displayName: "Imported", importMode: false } });
        assert.deepEqual((await stack.preview(quiet)).changeSummary, { same: 1, update: 1 });
        const mark = await logMark(t.emulator);
        await stack.up(quiet);
        assert.deepEqual(await apiCalls(t.emulator, mark), [`POST /v1/${id}:completeImport 200`]);
        assert.equal((await liveSpaces())[0].importMode, false);
      });

      it("destroys every space; a second destroy changes nothing and calls nothing", async () => {
        const stack = await userStack(spaces({ a: { displayName: "A" }, b: { displayName: "B" } }));
        const { outputs } = await stack.up(quiet);
        const mark = await logMark(t.emulator);
        await stack.destroy(quiet);
        assert.deepEqual((await apiCalls(t.emulator, mark)).sort(), [`DELETE /v1/${outputs.aName.value} 200`, `DELETE /v1/${outputs.bName.value} 200`].sort());
        assert.deepEqual(await liveSpaces(), []);
        const mark2 = await logMark(t.emulator);
        const again = await stack.destroy(quiet);
        assert.deepEqual(again.summary.resourceChanges ?? {}, {});
        assert.deepEqual(await t.emulator.control.requests(mark2), []);
      });

      it("fails the preview on invalid input with the property-naming message, sending nothing", async () => {
        const stack = await userStack(spaces({ bad: { displayName: "x".repeat(129), spaceDetails: { description: "d".repeat(151) } } }), "invalid");
        const { errors } = await failingPreview(stack);
        const urn = `urn:pulumi:invalid::chat-e2e::${serving.spaceType}::bad`;
        assert.deepEqual(errors, [
          {
            urn,
            message: `${serving.spaceType} resource 'bad': property displayName value {${"x".repeat(129)}} has a problem: is 129 characters long; Google Chat allows at most 128. Shorten it.`,
          },
          {
            urn,
            message: `${serving.spaceType} resource 'bad': property spaceDetails value {map[description:{${"d".repeat(151)}}]} has a problem: spaceDetails.description is 151 characters long; Google Chat allows at most 150. Shorten it.`,
          },
        ]);
        assert.deepEqual(await t.emulator.control.requests(), []);
      });

      it("fails the preview on a bad setting in the stack config, naming the key in the provider's words, sending nothing", async () => {
        const stack = await inlineStack("chat-e2e", "setting", spaces({ eng: { displayName: "Eng" } }), {
          emulator: t.emulator,
          key: t.key,
          impersonateUser: "admin@example.com",
          config: { "googlechat:useAdminAccess": "yes" },
          serving,
        });
        const { errors } = await failingPreview(stack);
        const reason = 'googlechat:useAdminAccess must be true or false, not "yes".';
        // The dynamic-provider host configures the provider at a resource's first check (@pulumi/pulumi
        // cmd/dynamic-provider getProvider); the plugin's default provider is checked first (CheckConfig).
        assert.deepEqual(
          errors,
          serving.name === "dynamic"
            ? [{ urn: `urn:pulumi:setting::chat-e2e::${serving.spaceType}::eng`, message: reason }]
            : [
                {
                  urn: `urn:pulumi:setting::chat-e2e::pulumi:providers:googlechat::${DEFAULT_PROVIDER}`,
                  message: `pulumi:providers:googlechat resource '${DEFAULT_PROVIDER}': property useAdminAccess value {yes} has a problem: ${reason}`,
                },
              ],
        );
        assert.deepEqual(await t.emulator.control.requests(), []);
      });

      it("fails the preview on credentials that are not credential JSON, naming the key and quoting nothing of them, sending nothing", async () => {
        // A key without its type, given in plaintext: nothing marks it secret to the engine.
        const { type: _type, ...untyped } = t.key;
        const stack = await inlineStack("chat-e2e", "credentials", spaces({ eng: { displayName: "Eng" } }), {
          emulator: t.emulator,
          key: t.key,
          impersonateUser: "admin@example.com",
          config: { "googlechat:credentials": JSON.stringify(untyped) },
          serving,
        });
        const { errors, output } = await failingPreview(stack);
        const reason = `googlechat:credentials is not credential JSON (an object with a "type"): give the JSON of a key, of gcloud's ADC file, or of a workload identity federation configuration.`;
        assert.deepEqual(
          errors,
          serving.name === "dynamic"
            ? [{ urn: `urn:pulumi:credentials::chat-e2e::${serving.spaceType}::eng`, message: reason }]
            : [
                {
                  urn: `urn:pulumi:credentials::chat-e2e::pulumi:providers:googlechat::${DEFAULT_PROVIDER}`,
                  message: `pulumi:providers:googlechat resource '${DEFAULT_PROVIDER}' has a problem: ${reason}`,
                },
              ],
        );
        assertNoSecrets("the preview's output", output, secretsOf(t.key));
        assert.deepEqual(await t.emulator.control.requests(), []);
      });
    });

  it("served by the provider plugin, fails the preview on a bad argument of an explicit provider at its CheckConfig, in the words the stack config gets, sending nothing", async () => {
    const program = async () => {
      const provider = new PluginProvider("explicit", {
        credentials: JSON.stringify(t.key),
        apiEndpoint: t.emulator.url,
        tokenEndpoint: t.emulator.tokenUrl,
        useAdminAccess: "yes",
      });
      PLUGIN.space("eng", { displayName: "Eng" }, { provider });
    };
    const stack = await inlineStack("chat-e2e", "explicit", program, { emulator: t.emulator, key: t.key, serving: PLUGIN });
    const { errors } = await failingPreview(stack);
    assert.deepEqual(errors, [
      {
        urn: "urn:pulumi:explicit::chat-e2e::pulumi:providers:googlechat::explicit",
        message: `pulumi:providers:googlechat resource 'explicit': property useAdminAccess value {yes} has a problem: googlechat:useAdminAccess must be true or false, not "yes".`,
      },
    ]);
    assert.deepEqual(await t.emulator.control.requests(), []);
  });
});

/** The provider resource of the plugin's default provider, as the engine names it for the package's version. */
const DEFAULT_PROVIDER = `default_${PACKAGE_VERSION.replaceAll(".", "_")}`;

/** A preview that must fail: the error diagnostics attached to a resource, and everything it printed. */
async function failingPreview(stack: Stack): Promise<{ errors: { urn: string; message: string }[]; output: string }> {
  const diagnostics: NonNullable<EngineEvent["diagnosticEvent"]>[] = [];
  const message = await stack.preview({ onEvent: (e) => void (e.diagnosticEvent && diagnostics.push(e.diagnosticEvent)) }).then(
    () => assert.fail("the preview succeeded"),
    (error: Error) => error.message,
  );
  return {
    errors: diagnostics.filter((d) => d.severity === "error" && d.urn).map((d) => ({ urn: d.urn!, message: d.message.trimEnd() })),
    output: message + JSON.stringify(diagnostics),
  };
}
