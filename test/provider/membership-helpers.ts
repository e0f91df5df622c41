/** A ChatMembershipProvider configured against the test emulator, with a fake clock, and inputs as the SDK sends them. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServiceAccountKey } from "../../emulator";
import type { FaultTarget } from "../../emulator/control/faults";
import { DEFAULT_SETTINGS, type MemberRole, type UserFixture } from "../../emulator/model";
import type { ProviderDeps } from "../../provider/core/configured-provider";
import { type DeploymentShare, deploymentShare } from "../../provider/core/deployment-share";
import type { MembershipSdkInputs } from "../../provider/membership/inputs";
import { ChatMembershipProvider } from "../../provider/membership/provider";
import { ChatSpaceMembersProvider, type SpaceMembersSdkInputs } from "../../provider/space-members/provider";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import type { TestEmulator } from "../helpers/emulator";
import { emulatorConfig } from "../helpers/provider";

export interface MembershipConfig {
  /** Act as the app (no impersonation) instead of admin@example.com through delegation. */
  app?: boolean;
  useAdminAccess?: boolean;
  /** Impersonate this user instead of admin@example.com. */
  user?: string;
  config?: Record<string, string>;
  key?: ServiceAccountKey;
  /** What the process shares with the other provider processes of its deployment (core/deployment-share.ts); none by default. */
  share?: DeploymentShare;
}

/** Any resource provider of this package, built on the process's deps and configured by `configure`. */
interface ConfigurableProvider {
  configure(req: { config: { get(key: string): string | undefined; require(key: string): string } }): Promise<void>;
}

/** One provider process's deps: a fake clock (waits pass instantly, moving it on), its log lines kept in `logs`. */
function processDeps(logs: string[], share?: DeploymentShare): ProviderDeps {
  let slept = 0;
  return {
    env: {},
    now: () => Date.now() + slept,
    sleep: async (ms) => void (slept += ms),
    random: () => 0.5,
    log: (m) => void logs.push(m),
    share,
  };
}

/** A provider of `kind` against the test emulator: a fake clock (waits pass instantly, moving it on), its log lines kept. */
export async function configuredAgainst<P extends ConfigurableProvider>(kind: new (deps: ProviderDeps) => P, t: TestEmulator, options: MembershipConfig = {}) {
  const logs: string[] = [];
  const provider = new kind(processDeps(logs));
  const config = emulatorConfig(t, options);
  await provider.configure({ config: { get: (k) => config[k], require: (k) => config[k] } });
  return { provider, logs };
}

/**
 * The membership providers of one provider process, as the engine's dynamic-provider host runs
 * every dynamic resource of a deployment: they share what the process learns (claims, the caller).
 */
export async function oneProcess(t: TestEmulator, options: MembershipConfig = {}) {
  const logs: string[] = [];
  const deps = processDeps(logs, options.share);
  const config = emulatorConfig(t, options);
  const configure = { config: { get: (k: string) => config[k], require: (k: string) => config[k] } };
  const memberships = new ChatMembershipProvider(deps);
  const rosters = new ChatSpaceMembersProvider(deps);
  await memberships.configure(configure);
  await rosters.configure(configure);
  return { memberships, rosters, logs };
}

/**
 * The provider processes of deployments under the engine, one call of `process` each: those of one
 * deployment share their claims through one private directory, as the engine's provider
 * processes do (core/deployment-share.ts); each test's are closed and their directory removed after it.
 */
export function useDeployments(t: TestEmulator) {
  const shares: DeploymentShare[] = [];
  const roots: string[] = [];
  afterEach(() => {
    for (const share of shares.splice(0)) share.close();
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });
  return {
    /** A deployment: the engine at `engineAddress`; its processes share through `root` (a private directory). */
    deployment(engineAddress = "127.0.0.1:40001", root = mkdtempSync(join(tmpdir(), "claims-"))) {
      roots.push(root);
      const share = () => {
        const made = deploymentShare({ engineAddress, root, log: () => {}, present: true });
        shares.push(made);
        return made;
      };
      return {
        root,
        /** One more share of this deployment, closed after the test: for a process a test builds itself. */
        share,
        /** One more provider process of this deployment (a provider instance: the default one, or an explicit one). */
        process: (options: MembershipConfig = {}) => oneProcess(t, { ...options, share: share() }),
      };
    },
  };
}

export const membershipProvider = (t: TestEmulator, options: MembershipConfig = {}) => configuredAgainst(ChatMembershipProvider, t, options);

/** The URN the SDK gives a ChatMembership named `name`. */
export const membershipUrn = (name: string) => `urn:pulumi:test::proj::pulumi-nodejs:dynamic/googlechat:ChatMembership::${name}`;

/** Inputs as the SDK sends them for a ChatMembership named `name`. */
export function membershipInputs(name: string, declared: Omit<MembershipSdkInputs, "__urn">): MembershipSdkInputs {
  return { ...declared, __urn: membershipUrn(name) };
}

/** A space the Chat app created (app authentication manages only those), bob with auto-accept off: an invitation leaves him INVITED. */
export async function appSpaceBobInvitable(t: TestEmulator): Promise<string> {
  const { data } = await t
    .asApp(["chat.app.spaces.create"])
    .spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Bot", customer: "customers/my_customer" } });
  await t.control.setSettings({ autoAcceptOff: ["bob@example.com"] });
  return data.name!;
}

/** A space made by admin@example.com (the caller of these providers), its one owner. */
export async function adminsSpace(t: TestEmulator): Promise<string> {
  const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
  return (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Eng" } })).data.name!;
}

/** {@link adminsSpace} with alice@example.com a member at `aliceRole`. */
export async function adminsSpaceWithAlice(t: TestEmulator, aliceRole: MemberRole): Promise<string> {
  const s = await adminsSpace(t);
  await t.control.addMember(s, "alice@example.com", aliceRole);
  return s;
}

/**
 * A space made by alice@example.com, its one owner, with admin@example.com (the caller of these
 * providers, users/110000000000000000001) a member at `adminRole`, then each of `members` at ROLE_MEMBER.
 */
export async function alicesSpaceWithAdmin(t: TestEmulator, adminRole: MemberRole, ...members: string[]): Promise<string> {
  const alice = t.asDelegatedUser("alice@example.com", ["chat.spaces.create"]);
  const s = (await alice.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Alice's" } })).data.name!;
  await t.control.addMember(s, "admin@example.com", adminRole);
  for (const member of members) await t.control.addMember(s, member, "ROLE_MEMBER");
  return s;
}

/** The next `method` call answers `status` with `message`. */
export const faultOnce = (t: TestEmulator, method: FaultTarget, status: number, message: string) =>
  t.control.addFault({ match: { methods: [method] }, action: { kind: "error", status, message }, count: 1 });

/**
 * `first` started, and held by the emulator at its first `method` request (its write, once it has
 * read the owners); then `second`, which must not read the owners before `first` has written. It
 * gets the emulator's attention for a while (each look is a request to it), or until it settles:
 * a second write that went ahead settles meanwhile. Then `first` is let go. Both outcomes.
 */
export async function secondWhileFirstHeld(
  t: TestEmulator,
  method: "spaces.members.delete" | "spaces.members.patch",
  first: () => Promise<unknown>,
  second: () => Promise<unknown>,
): Promise<PromiseSettledResult<unknown>[]> {
  const held = await t.control.addFault({ match: { methods: [method] }, action: { kind: "holdBeforeRun" }, count: 1 });
  const firstDone = first();
  firstDone.catch(() => {});
  while ((await t.control.faults()).some((f) => f.id === held.id)) await new Promise((done) => setImmediate(done));
  let settled = false;
  const secondDone = second().finally(() => void (settled = true));
  secondDone.catch(() => {});
  for (let look = 0; look < 50 && !settled; look++) await t.control.faults();
  await t.control.releaseHeld();
  return Promise.allSettled([firstDone, secondDone]);
}

/** A space the Chat app made for another organisation (the emulator's `appCustomers`), which admin access can't reach; admin, as the user, its owner. */
export async function partnerSpace(t: TestEmulator): Promise<string> {
  await t.control.setSettings({ appCustomers: ["customers/C09partner"] });
  const app = t.asApp(["chat.app.spaces.create"]);
  const s = (await app.spaces.create({ requestBody: { spaceType: "SPACE", displayName: "Partners", customer: "customers/C09partner" } })).data.name!;
  await t.control.addMember(s, "admin@example.com", "ROLE_MANAGER");
  return s;
}

/** The administrator {@link addressGivenToNewAdmin} gives admin@example.com's address to. */
export const NEW_ADMIN = "users/110000000000000000010";

/** {@link NEW_ADMIN} as the directory knew her before she was given admin@example.com's address: a colleague who may be in a space already. */
export const NEW_ADMIN_BEFORE: UserFixture = { id: NEW_ADMIN.slice("users/".length), email: "dana@example.com", admin: false };

/**
 * In Workspace an email names a person only for a while: admin@example.com's account
 * (users/110000000000000000001) is renamed, and the address given to a new administrator,
 * {@link NEW_ADMIN}, who is in no space yet. `others`: users the directory gains too.
 */
export async function addressGivenToNewAdmin(t: TestEmulator, ...others: UserFixture[]): Promise<void> {
  await t.control.setSettings({
    users: [
      { id: "110000000000000000001", email: "admin.former@example.com", admin: false },
      { id: NEW_ADMIN.slice("users/".length), email: "admin@example.com", admin: true },
      ...others,
      ...DEFAULT_SETTINGS.users.filter((u) => u.email !== "admin@example.com"),
    ],
  });
}

/**
 * bob@example.com's account (users/110000000000000000003) is renamed, and the address given to
 * {@link NEW_ADMIN}, a colleague (dana@example.com until then: {@link NEW_ADMIN_BEFORE}).
 */
export async function bobsAddressGivenToDana(t: TestEmulator): Promise<void> {
  await t.control.setSettings({
    users: [
      ...DEFAULT_SETTINGS.users.filter((u) => u.email !== "bob@example.com"),
      { id: "110000000000000000003", email: "bob.former@example.com", admin: false },
      { id: NEW_ADMIN.slice("users/".length), email: "bob@example.com", admin: false },
    ],
  });
}

/**
 * The line of `resource`'s delete keeping `former` (bob, users/110000000000000000003, by default)
 * in `space` after his `address` was given to another person (dana, {@link NEW_ADMIN}, by default:
 * {@link bobsAddressGivenToDana}): `holder` declares the address, which names that person now, and
 * the plan said he stays (members/claims.ts `byFormerAddress`).
 */
export const keptByFormerAddressLine = (
  resource: string,
  space: string,
  holder: string,
  { former = "users/110000000000000000003", address = "bob@example.com", now = NEW_ADMIN } = {},
): string =>
  `${resource}: ${former} stays in ${space}: ${holder} declares users/${address}, the address this state records for it, ` +
  `so a plan of this deployment may have said it stays; but Google answers that address is ${now}'s now. ` +
  "It stays, held by no resource: declare it by its users/{id} to manage it, or remove it in Chat.";

/** {@link addressGivenToNewAdmin}, then {@link NEW_ADMIN} made an owner of `space` in Chat (by alice, say): she manages it as the caller now. */
export async function addressGivenToNewOwnerOf(t: TestEmulator, space: string, ...others: UserFixture[]): Promise<void> {
  await addressGivenToNewAdmin(t, ...others);
  await t.control.addMember(space, NEW_ADMIN, "ROLE_MANAGER");
}

/**
 * The roster `declared` made as admin@example.com (its state records her, users/110000000000000000001,
 * as its caller); then her address given to an owner of its space ({@link addressGivenToNewOwnerOf},
 * `others` joining the directory too); then the roster read again (`pulumi refresh`) in a new
 * process. `options` configure each process.
 */
export async function rosterMadeBeforeAddressGiven(t: TestEmulator, declared: SpaceMembersSdkInputs, options: MembershipConfig = {}, ...others: UserFixture[]) {
  const space = declared.space!;
  const { provider: first } = await configuredAgainst(ChatSpaceMembersProvider, t, options);
  const outs = (await first.create(declared)).outs as ChatSpaceMembersOutputs;
  await addressGivenToNewOwnerOf(t, space, ...others);
  const { provider: refresh } = await configuredAgainst(ChatSpaceMembersProvider, t, options);
  const refreshed = (await refresh.read(space, outs)).props as ChatSpaceMembersOutputs;
  return { outs, refreshed };
}
