import assert from "node:assert/strict";
import type { Target } from "../../provider/core/chat-api";
import { ConfiguredProvider, type ProviderDeps } from "../../provider/core/configured-provider";
import { ChatApiError, explain, type ResourceType } from "../../provider/core/errors";
import { ChatMembershipProvider } from "../../provider/membership/provider";
import { ChatSpaceProvider } from "../../provider/space/provider";
import { ChatSpaceMembersProvider } from "../../provider/space-members/provider";
import { useEmulator } from "../helpers/emulator";
import { emulatorConfig } from "../helpers/provider";

/** A clock fixed at 42 ms, and no environment: nothing here waits or reads process.env. */
const deps = (): ProviderDeps => ({ env: {}, now: () => 42, sleep: async () => {}, random: () => 0.5, log: () => {} });

/** The shared part alone, its protected members opened to the test. */
class Probe extends ConfiguredProvider {
  constructor(type: ResourceType) {
    super(deps(), type);
  }
  fail(target: Target, error: unknown) {
    return this.failure(target, error);
  }
  get context() {
    return this.checkContext;
  }
  get client() {
    return this.api;
  }
}

const refused = () => new ChatApiError({ method: "spaces.members.create", space: "spaces/A" }, 403, "PERMISSION_DENIED", "The caller is not a manager.");

describe("provider: what the three providers share (core/configured-provider.ts)", () => {
  const t = useEmulator();
  const configure = (p: ConfiguredProvider, options: Parameters<typeof emulatorConfig>[1]) => {
    const config = emulatorConfig(t, options);
    return p.configure({ config: { get: (k) => config[k], require: (k) => config[k] } });
  };

  it("each provider called before configure names its own type, and makes no call", async () => {
    await assert.rejects(new ChatSpaceProvider(deps()).read("spaces/A"), {
      message: "ChatSpace spaces/A: The ChatSpace provider was called before configure.",
    });
    await assert.rejects(new ChatMembershipProvider(deps()).read("spaces/A/members/1"), {
      message: "ChatMembership spaces/A/members/1: The ChatMembership provider was called before configure.",
    });
    await assert.rejects(new ChatSpaceMembersProvider(deps()).read("spaces/A"), {
      message: "ChatSpaceMembers spaces/A: The ChatSpaceMembers provider was called before configure.",
    });
    assert.deepEqual(await t.control.requests(), []);
  });

  it("configured again with the same settings keeps its Chat client (the host configures it once per __provider text, and an earlier version's state holds another); other settings make a new one", async () => {
    const probe = new Probe("ChatMembership");
    await configure(probe, { user: "admin@example.com" });
    const first = probe.client;
    await configure(probe, { user: "admin@example.com" });
    assert.equal(probe.client, first);
    await configure(probe, { user: "alice@example.com" });
    assert.notEqual(probe.client, first);
  });

  it("names another error by the resource once: a message the provider already worded is kept whole", () => {
    const probe = new Probe("ChatMembership");
    const target = { label: "bob" };
    assert.equal(probe.fail(target, new Error("no owner left")).message, "ChatMembership bob: no owner left");
    const worded = new Error("ChatMembership bob: bob@example.com is the last owner");
    assert.equal(probe.fail(target, worded), worded);
    assert.equal(probe.fail(target, "a string").message, "ChatMembership bob: a string");
  });

  it("explains a Chat API failure for the configured caller: user authentication until configured otherwise", async () => {
    const probe = new Probe("ChatSpaceMembers");
    const target = { label: "crew" };
    assert.equal(probe.fail(target, refused()).message, explain("crew", refused(), "user", "ChatSpaceMembers"));
    await configure(probe, { app: true });
    assert.equal(probe.fail(target, refused()).message, explain("crew", refused(), "app", "ChatSpaceMembers"));
    assert.notEqual(explain("crew", refused(), "app", "ChatSpaceMembers"), explain("crew", refused(), "user", "ChatSpaceMembers"));
  });

  it("gives checks the configured caller, admin access and the injected clock", async () => {
    const probe = new Probe("ChatSpace");
    assert.deepEqual(probe.context, { auth: undefined, useAdminAccess: undefined, now: 42 });
    await configure(probe, { useAdminAccess: true });
    assert.deepEqual(probe.context, { auth: "user", useAdminAccess: true, now: 42 });
  });
});
