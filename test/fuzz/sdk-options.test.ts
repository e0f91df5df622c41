import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ChatMembership, ChatSpace, ChatSpaceMembers } from "../../sdk";
import { clearClaims } from "../../sdk/member-claims";
import { registerUnderMocks } from "../sdk/mocks";
import { deleteBeforeReplaceOf, registrationOf, SDK_OPTIONS, type SdkClass } from "./sdk-options";

/** The deleteBeforeReplace each registration carried to the engine (RegisterResourceRequest), by resource name. */
async function registeredOptions(program: () => void): Promise<Record<string, { deleteBeforeReplace?: boolean }>> {
  const seen: Record<string, { deleteBeforeReplace?: boolean }> = {};
  await registerUnderMocks(
    (args) => ({ id: `spaces/${args.name}`, state: { ...args.inputs, name: `spaces/${args.name}` } }),
    () => {
      // The mocks' monitor sees the whole request; their newResource only its inputs.
      const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (req: RegisterRequest, cb: unknown) => unknown };
      const register = monitor.registerResource.bind(monitor);
      monitor.registerResource = (req, cb) => {
        seen[req.getName()] = req.getDeletebeforereplacedefined() ? { deleteBeforeReplace: req.getDeletebeforereplace() } : {};
        return register(req, cb);
      };
      program();
    },
  );
  return seen;
}

interface RegisterRequest {
  getName(): string;
  getDeletebeforereplace(): boolean;
  getDeletebeforereplacedefined(): boolean;
}

describe("fuzz programs: the resource options are the ones the SDK classes pass to Pulumi", () => {
  beforeEach(clearClaims);
  afterEach(clearClaims);

  it("SDK_OPTIONS is what ChatSpace, ChatMembership and ChatSpaceMembers register with, a program setting none", async () => {
    const seen = await registeredOptions(() => {
      new ChatSpace("space", { displayName: "Eng" });
      new ChatMembership("membership", { space: "spaces/AAA", user: "alice@example.com" });
      new ChatSpaceMembers("roster", { space: "spaces/BBB", members: [{ user: "bob@example.com" }] });
    });
    assert.deepEqual(seen, { space: SDK_OPTIONS.ChatSpace, membership: SDK_OPTIONS.ChatMembership, roster: SDK_OPTIONS.ChatSpaceMembers });
  });

  it("a program's own deleteBeforeReplace wins over the SDK's, as deleteBeforeReplaceOf says", async () => {
    const seen = await registeredOptions(() => {
      new ChatSpace("space", { displayName: "Eng" }, { deleteBeforeReplace: false });
      new ChatMembership("membership", { space: "spaces/AAA", user: "alice@example.com" }, { deleteBeforeReplace: false });
      // The membership classes refuse deleteBeforeReplace: true (sdk/member-options.ts): every program here says false.
      new ChatSpaceMembers("roster", { space: "spaces/BBB", members: [] }, { deleteBeforeReplace: false });
    });
    const kinds: Record<string, SdkClass> = { space: "ChatSpace", membership: "ChatMembership", roster: "ChatSpaceMembers" };
    for (const [name, kind] of Object.entries(kinds)) {
      assert.equal(seen[name].deleteBeforeReplace, deleteBeforeReplaceOf(kind, false), name);
    }
    assert.equal(deleteBeforeReplaceOf("ChatSpaceMembers"), undefined, "no option anywhere: not set, the provider's diff decides");
  });

  it("registrationOf is what the member classes do with the program's deleteBeforeReplace: the same refusal, thrown by the constructor, or the same option registered", async () => {
    const classes = {
      ChatMembership: (name: string, opts: pulumi.CustomResourceOptions) => new ChatMembership(name, { space: "spaces/AAA", user: "alice@example.com" }, opts),
      ChatSpaceMembers: (name: string, opts: pulumi.CustomResourceOptions) => new ChatSpaceMembers(name, { space: "spaces/BBB", members: [] }, opts),
    };
    for (const [kind, construct] of Object.entries(classes) as [SdkClass, (typeof classes)["ChatMembership"]][]) {
      for (const programSets of [undefined, false, true]) {
        const name = `${kind}-${programSets}`;
        const expected = registrationOf(kind, name, programSets);
        let thrown: string | undefined;
        clearClaims();
        const seen = await registeredOptions(() => {
          try {
            construct(name, programSets === undefined ? {} : { deleteBeforeReplace: programSets });
          } catch (error) {
            thrown = (error as Error).message;
          }
        });
        assert.equal(thrown, expected.programError, `${name}: the constructor's refusal`);
        if (thrown === undefined) assert.equal(seen[name]?.deleteBeforeReplace, expected.deleteBeforeReplace, `${name}: the option registered`);
      }
    }
    assert.match(
      registrationOf("ChatMembership", "m", true).programError ?? "",
      /^ChatMembership m: the resource option deleteBeforeReplace: true is refused\./,
    );
  });
});
