import assert from "node:assert/strict";
import { forgetPlan, migrationImportFile, pluginUrnOf, type StateResource } from "../../commands/migrate/stack-migration";
import { SECRET_SIG, SIG_KEY } from "../../provider/core/engine-values";

const URN = "urn:pulumi:dev::chat::";
const STACK: StateResource = { urn: `${URN}pulumi:pulumi:Stack::chat-dev`, type: "pulumi:pulumi:Stack" };
const NODEJS: StateResource = { urn: `${URN}pulumi:providers:pulumi-nodejs::default`, type: "pulumi:providers:pulumi-nodejs", custom: true, id: "p1" };
const NODEJS_REF = `${NODEJS.urn}::p1`;
/** A dynamic resource of another program's provider, on the same pulumi-nodejs provider. */
const notOurs: StateResource = {
  urn: `${URN}pulumi-nodejs:dynamic:Resource::other`,
  type: "pulumi-nodejs:dynamic:Resource",
  custom: true,
  id: "x",
  provider: NODEJS_REF,
};
const SECRET = (ciphertext: string) => ({ [SIG_KEY]: SECRET_SIG, ciphertext });

/** A dynamic resource of this package as the state keeps it, with the SDK's bookkeeping. */
function dynamic(
  type: string,
  name: string,
  id: string,
  declared: Record<string, unknown>,
  outputs: Record<string, unknown>,
  extra: Partial<StateResource> = {},
  parentTypes = "",
): StateResource {
  return {
    urn: `${URN}${parentTypes}pulumi-nodejs:dynamic/googlechat:${type}::${name}`,
    type: `pulumi-nodejs:dynamic/googlechat:${type}`,
    custom: true,
    id,
    parent: STACK.urn,
    provider: NODEJS_REF,
    inputs: {
      ...declared,
      __provider: "exports.handler = ...",
      __urn: `${URN}pulumi-nodejs:dynamic/googlechat:${type}::${name}`,
      __organization: "organization",
    },
    outputs: { ...outputs, __provider: "exports.handler = ..." },
    ...extra,
  };
}

const eng = dynamic(
  "ChatSpace",
  "eng",
  "spaces/ENG",
  { displayName: "Eng" },
  { name: "spaces/ENG", displayName: "Eng", requestId: "r1", __declared: { displayName: "Eng" } },
);
const alice = dynamic(
  "ChatMembership",
  "alice",
  "spaces/ENG/members/2",
  { space: "spaces/ENG", user: "alice@example.com" },
  { name: "spaces/ENG/members/2", member: "users/2", __declared: { space: "spaces/ENG", user: "alice@example.com" } },
);
const roster = dynamic(
  "ChatSpaceMembers",
  "eng-members",
  "spaces/ENG",
  { space: "spaces/ENG", members: [{ user: "bob@example.com" }], mode: "addOnly" },
  { space: "spaces/ENG", members: [] },
);

describe("stack-migration: moving a stack of the dynamic resources to the plugin's types", () => {
  it("maps every dynamic type of a URN's chain to the plugin's, keeping stack, project, parents and name", () => {
    assert.equal(pluginUrnOf(eng.urn), `${URN}googlechat:index:Space::eng`);
    assert.equal(
      pluginUrnOf(`${URN}my:index:Team$pulumi-nodejs:dynamic/googlechat:ChatMembership::a::b`),
      `${URN}my:index:Team$googlechat:index:Membership::a::b`,
    );
    assert.equal(
      pluginUrnOf(`${URN}pulumi-nodejs:dynamic/googlechat:ChatSpace$pulumi-nodejs:dynamic/googlechat:ChatSpaceMembers::m`),
      `${URN}googlechat:index:Space$googlechat:index:SpaceMembers::m`,
    );
    assert.equal(pluginUrnOf(`${URN}pulumi-nodejs:dynamic:Resource::other`), `${URN}pulumi-nodejs:dynamic:Resource::other`);
  });

  it("writes one import entry per managed resource: the plugin's type, the same name, parent and id, the declared inputs and the outputs without the dynamic provider's", () => {
    const team: StateResource = { urn: `${URN}my:index:Team::platform`, type: "my:index:Team", parent: STACK.urn };
    const teamMember = dynamic(
      "ChatMembership",
      "eng",
      "spaces/ENG/members/3",
      { space: "spaces/ENG", user: "users/3", role: "ROLE_MANAGER" },
      { name: "spaces/ENG/members/3" },
      { parent: team.urn },
      "my:index:Team$",
    );
    const read = dynamic("ChatSpace", "existing", "spaces/OLD", {}, { name: "spaces/OLD" }, { external: true });
    const secretSpace = dynamic("ChatSpace", "secret", "spaces/S", { displayName: SECRET("c1") }, { name: "spaces/S", displayName: SECRET("c2") });
    const { file, reads, refused } = migrationImportFile({
      deployment: { resources: [STACK, NODEJS, eng, alice, roster, team, teamMember, read, notOurs, secretSpace] },
    });
    assert.deepEqual(refused, []);
    assert.deepEqual(reads, [read.urn]);
    assert.deepEqual(file, {
      nameTable: { platform: team.urn },
      resources: [
        {
          type: "googlechat:index:Space",
          name: "eng",
          id: "spaces/ENG",
          inputs: { displayName: "Eng" },
          outputs: { name: "spaces/ENG", displayName: "Eng", requestId: "r1", __declared: { displayName: "Eng" } },
        },
        {
          type: "googlechat:index:Membership",
          name: "alice",
          id: "spaces/ENG/members/2",
          inputs: { space: "spaces/ENG", user: "alice@example.com" },
          outputs: { name: "spaces/ENG/members/2", member: "users/2", __declared: { space: "spaces/ENG", user: "alice@example.com" } },
        },
        {
          type: "googlechat:index:SpaceMembers",
          name: "eng-members",
          id: "spaces/ENG",
          inputs: { space: "spaces/ENG", members: [{ user: "bob@example.com" }], mode: "addOnly" },
          outputs: { space: "spaces/ENG", members: [] },
        },
        // The same name as the space (another type, another URN): a name of its own in the file, its own in the URN.
        {
          type: "googlechat:index:Membership",
          name: "eng-membership",
          logicalName: "eng",
          id: "spaces/ENG/members/3",
          parent: "platform",
          inputs: { space: "spaces/ENG", user: "users/3", role: "ROLE_MANAGER" },
          outputs: { name: "spaces/ENG/members/3" },
        },
        // Secrets as the state keeps them: the engine decrypts them with the stack's secrets provider.
        {
          type: "googlechat:index:Space",
          name: "secret",
          id: "spaces/S",
          inputs: { displayName: SECRET("c1") },
          outputs: { name: "spaces/S", displayName: SECRET("c2") },
        },
      ],
    });
  });

  it("refuses a stack with a resource waiting to be deleted or an interrupted operation, saying what to run", () => {
    const replaced = { ...eng, delete: true };
    const { refused } = migrationImportFile({
      deployment: { resources: [STACK, NODEJS, replaced, alice], pending_operations: [{ resource: alice, type: "creating" }] },
    });
    assert.deepEqual(refused, [
      { urn: eng.urn, reason: "is waiting to be deleted (a replacement the last update did not finish): run `pulumi up` of the TypeScript program first" },
      { urn: alice.urn, reason: "has a pending creating operation (an interrupted update): run `pulumi refresh` of the TypeScript program first" },
    ]);
  });

  /** The plugin resource `pulumi import` made of `r` from its import entry. */
  function imported(r: StateResource, change: Partial<StateResource> = {}): StateResource {
    const entry = migrationImportFile({ deployment: { resources: [r] } }).file.resources[0];
    return {
      urn: pluginUrnOf(r.urn),
      type: entry.type,
      custom: true,
      id: entry.id,
      inputs: entry.inputs,
      outputs: entry.outputs,
      parent: STACK.urn,
      protect: true,
      ...change,
    };
  }

  it("forgets each dynamic entry whose plugin resource is in the state with its id and declaration, the reads, and the dynamic provider once nothing else uses it", () => {
    const read = dynamic("ChatSpace", "existing", "spaces/OLD", {}, { name: "spaces/OLD" }, { external: true });
    const state = { deployment: { resources: [STACK, NODEJS, eng, alice, roster, read, imported(eng), imported(alice), imported(roster)] } };
    assert.deepEqual(forgetPlan(state, false), { forget: [eng.urn, alice.urn, roster.urn, read.urn, NODEJS.urn], kept: [] });
  });

  it("keeps an entry without its plugin resource, of another id, or whose plugin resource declares other inputs (imported by a Read), and the provider it uses", () => {
    const otherId = imported(alice, { id: "spaces/ENG/members/9" });
    const readFromGoogle = imported(roster, { inputs: { space: "spaces/ENG", members: [{ user: "users/3" }], mode: "authoritative" } });
    const { forget, kept } = forgetPlan({ deployment: { resources: [STACK, NODEJS, eng, alice, roster, otherId, readFromGoogle] } }, false);
    assert.deepEqual(forget, []);
    assert.deepEqual(kept, [
      {
        urn: eng.urn,
        reason: "has no googlechat:index:Space in the stack yet: import it first (`pulumi import --file` of `pulumi-googlechat import --from-stack`)",
      },
      { urn: alice.urn, reason: `is spaces/ENG/members/2, but ${otherId.urn} is spaces/ENG/members/9: they are not the same resource` },
      {
        urn: roster.urn,
        reason: `declares other inputs than ${readFromGoogle.urn}, which the import read from Google instead of taking them from the state (a pulumi CLI older than the import file's \`inputs\` and \`outputs\`): update the CLI, \`pulumi state delete\` the plugin resource, and import again`,
      },
    ]);
  });

  it("takes a secret input as the same whatever its ciphertext: the engine encrypts it anew each time it writes the state", () => {
    const secretSpace = dynamic("ChatSpace", "secret", "spaces/S", { displayName: SECRET("c1") }, { name: "spaces/S" });
    const moved = imported(secretSpace, { inputs: { displayName: SECRET("c9") } });
    assert.deepEqual(forgetPlan({ deployment: { resources: [STACK, NODEJS, secretSpace, moved] } }, false).forget, [secretSpace.urn, NODEJS.urn]);
    const plain = imported(secretSpace, { inputs: { displayName: "Secret" } });
    assert.equal(forgetPlan({ deployment: { resources: [STACK, NODEJS, secretSpace, plain] } }, false).forget.length, 0);
  });

  it("keeps a protected entry unless forced, and the dynamic provider while another dynamic resource uses it", () => {
    const protectedEng = { ...eng, protect: true };
    const state = { deployment: { resources: [STACK, NODEJS, protectedEng, notOurs, imported(eng)] } };
    assert.deepEqual(forgetPlan(state, false), {
      forget: [],
      kept: [{ urn: eng.urn, reason: "is protected: `pulumi state unprotect` it, or run again with --force" }],
    });
    assert.deepEqual(forgetPlan(state, true), { forget: [eng.urn], kept: [] });
  });
});
