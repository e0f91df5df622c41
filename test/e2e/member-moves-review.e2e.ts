/**
 * Adversarial review, under the real Pulumi engine: `--target` stubs out Check for every resource
 * not targeted (pkg/resource/deploy/step_generator.go: "If not targeted, stub out the provider
 * check and use the old inputs directly"), so the provider's claims hold none of them.
 */
import assert from "node:assert/strict";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { ChatMembership, ChatSpace, ChatSpaceMembers } from "../../sdk";
import { apiCalls, logMark } from "../helpers/provider";
import { inlineStack, useEngineAndEmulator } from "./harness";

const ADMIN = "users/110000000000000000001";
const ALICE = "users/110000000000000000002";

describe("e2e: members moved between resources, under --target (review)", () => {
  const t = useEngineAndEmulator();
  const members = async (space: string) =>
    (await t.emulator.control.state()).memberships[space.slice("spaces/".length)].map((m) => `${m.memberName} ${m.role}`).sort();

  it("a ChatMembership moved to an addOnly roster, applied with --target one resource at a time: the old one's delete leaves her, whom the roster declares", async () => {
    const withMembership: PulumiFn = async () => {
      const eng = new ChatSpace("eng", { displayName: "Engineering" });
      new ChatMembership("alice", { space: eng, user: "alice@example.com" });
      return { space: eng.id };
    };
    const withRoster: PulumiFn = async () => {
      const eng = new ChatSpace("eng", { displayName: "Engineering" });
      new ChatSpaceMembers("eng-members", { space: eng.id, members: [{ user: "alice@example.com" }], mode: "addOnly" });
      return { space: eng.id };
    };
    const stack = await inlineStack("chat-e2e", "targeted", withMembership, { emulator: t.emulator, key: t.key, impersonateUser: "admin@example.com" });
    const space = (await stack.up({})).outputs.space.value as string;
    const urn = (type: string, name: string) => `urn:pulumi:targeted::chat-e2e::pulumi-nodejs:dynamic/googlechat:${type}::${name}`;
    stack.workspace.program = withRoster;
    // First the roster (it takes alice over), then the old membership's removal from the stack.
    await stack.up({ target: [urn("ChatSpaceMembers", "eng-members")] });
    const mark = await logMark(t.emulator);
    const up = await stack.up({ target: [urn("ChatMembership", "alice")] });
    assert.deepEqual(await members(space), [`${ADMIN} ROLE_MANAGER`, `${ALICE} ROLE_MEMBER`], `${(await apiCalls(t.emulator, mark)).join("\n")}\n${up.stdout}`);
  });
});
