/**
 * A ChatMembership's delete-first replacement whose diff and create run in one provider process and
 * its delete in another: a resource moved to another provider instance in the same up as new
 * import-mode times. The engine diffs and creates it under the instance the program declares now
 * (pulumi/pulumi pkg/resource/deploy/step_generator.go `providerChanged`: a `DiffConfig` that asks
 * no replacement), and deletes it under the instance its old state names (step.go
 * `DeleteStep.Apply`). The role the delete reads reaches the create through the deployment share.
 */
import assert from "node:assert/strict";
import type { DeploymentShare } from "../../provider/core/deployment-share";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { membershipInputs, oneProcess, useDeployments } from "./membership-helpers";

const ALICE = "users/110000000000000000002";
const T1 = "2019-02-01T00:00:00Z";
const T2 = "2019-03-01T00:00:00Z";

describe("provider: a ChatMembership's delete-first replacement across two provider processes of one deployment", () => {
  const t = useEmulator();
  const { deployment } = useDeployments(t);
  const membersOf = async (name: string) =>
    (await t.control.state()).memberships[name.slice("spaces/".length)].map((m) => `${m.memberName} ${m.role} ${m.state}`);

  /** An import-mode space with alice (createTime T1) under an earlier deployment, made ROLE_ASSISTANT_MANAGER in Chat since. */
  const aliceRaisedSince = async () => {
    const importer = t.asDelegatedUser("admin@example.com", ["chat.import"]);
    const { data } = await importer.spaces.create({
      requestBody: { spaceType: "SPACE", displayName: "Old", importMode: true, createTime: "2019-01-01T00:00:00Z" },
    });
    const s = data.name!;
    const earlier = await deployment("127.0.0.1:40001").process();
    const old = await earlier.memberships.create(membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T1 }));
    await importer.spaces.members.patch({ name: old.id, updateMask: "role", requestBody: { role: "ROLE_ASSISTANT_MANAGER" } });
    return { s, id: old.id, olds: old.outs as ChatMembershipOutputs };
  };

  const deleteLine = (s: string) =>
    `ChatMembership alice: ${ALICE} was ROLE_ASSISTANT_MANAGER in ${s}, above the declared ROLE_MEMBER, and is removed to be added again with the declared times; ` +
    `the replacement's create gives that role back. Should this update stop before it, the next one adds ${ALICE} at ROLE_MEMBER: give it ROLE_ASSISTANT_MANAGER in Chat again.`;

  it("moved to an explicit provider with a new createTime: the old instance's delete reads alice's role ROLE_ASSISTANT_MANAGER and logs it, the new instance's create gives it back", async () => {
    const { s, id, olds } = await aliceRaisedSince();
    const up = deployment("127.0.0.1:40002");
    const [byDefault, byExplicit] = [await up.process(), await up.process()];
    const news = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T2 });
    await byExplicit.memberships.check(olds.__declared as never, news);
    const diff = await byExplicit.memberships.diff(id, olds, news);
    assert.deepEqual([diff.deleteBeforeReplace, diff.detailedDiff], [true, { createTime: "update" }], "the preview shows no role change");
    let mark = await logMark(t);
    await byDefault.memberships.delete(id, olds);
    // The membership read once (its role with its times), who the caller is, the space's owners, the removal.
    assert.deepEqual(await apiCalls(t, mark), [
      `GET /v1/${id} 200`,
      `GET /v1/${s}/members/admin%40example.com 404`,
      "GET /v1/spaces 200",
      `GET /v1/${s}/members/admin%40example.com 404`,
      `GET /v1/${s}/members 200`,
      `DELETE /v1/${id} 200`,
    ]);
    assert.deepEqual(byDefault.logs, [deleteLine(s)]);
    mark = await logMark(t);
    const { outs } = await byExplicit.memberships.create(news);
    assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 200`, `PATCH /v1/${id} role 200`]);
    assert.deepEqual([outs!.role, outs!.createTime], ["ROLE_ASSISTANT_MANAGER", "2019-03-01T00:00:00.000Z"]);
    assert.deepEqual(byExplicit.logs, [
      `ChatMembership alice: = ${ALICE}: role ROLE_ASSISTANT_MANAGER kept, not ROLE_MEMBER: ` +
        "it was already a member at that role, which the preview could not show; the next preview announces the change",
    ]);
    assert.deepEqual(await membersOf(s), [`${ALICE} ROLE_ASSISTANT_MANAGER JOINED`]);
  });

  it("the old instance's process can't publish the role it read (its share failed): its delete still logs it, for the user to give it back", async () => {
    const { s, id, olds } = await aliceRaisedSince();
    const up = deployment("127.0.0.1:40002");
    const byExplicit = await up.process();
    // Its own share, reading the deployment's records as any process does, with publishing failed.
    const reading = up.share();
    const byDefault = await oneProcess(t, {
      share: { publish: () => {}, receive: () => reading.receive(), close: () => reading.close(), abandon: () => reading.abandon() } satisfies DeploymentShare,
    });
    const news = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T2 });
    await byExplicit.memberships.check(olds.__declared as never, news);
    await byExplicit.memberships.diff(id, olds, news);
    await byDefault.memberships.delete(id, olds);
    assert.deepEqual(byDefault.logs, [deleteLine(s)]);
    const mark = await logMark(t);
    const { outs } = await byExplicit.memberships.create(news);
    assert.deepEqual(await apiCalls(t, mark), [`POST /v1/${s}/members 200`]);
    assert.equal(outs!.role, "ROLE_MEMBER");
  });

  it("a plan of another deployment (another engine) is not taken: the delete reads no role, and logs nothing", async () => {
    const { s, id, olds } = await aliceRaisedSince();
    const other = await deployment("127.0.0.1:40003").process();
    const byDefault = await deployment("127.0.0.1:40002").process();
    const news = membershipInputs("alice", { space: s, user: "alice@example.com", createTime: T2 });
    await other.memberships.check(olds.__declared as never, news);
    await other.memberships.diff(id, olds, news);
    const mark = await logMark(t);
    await byDefault.memberships.delete(id, olds);
    // Who the caller is (its own membership, not visible to an importer) and the space's owners: no read of alice's membership.
    assert.deepEqual(await apiCalls(t, mark), [
      `GET /v1/${s}/members/admin%40example.com 404`,
      "GET /v1/spaces 200",
      `GET /v1/${s}/members 200`,
      `DELETE /v1/${id} 200`,
    ]);
    assert.deepEqual(byDefault.logs, []);
  });
});
