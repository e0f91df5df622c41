/**
 * An email names a person only for a while: bob@example.com's account is renamed and the address
 * given to dana, who is in the space already. A state still records the address as bob's
 * (`__declared`, a ChatMembership's `member`); the program now declares the address in a new
 * ChatMembership, which Google answers is dana's. Whom the address names, Google's answer in this
 * deployment tells: a state's record never replaces it, and two states telling it apart leave it
 * to Google. So a delete never removes dana, whom the program declares; and it keeps bob where
 * the new declaration of the address is made in this up, as a plan, which reads the states alone,
 * said (members/claims.ts `byFormerAddress`), held by no resource and saying so.
 */
import assert from "node:assert/strict";
import { DEFAULT_SETTINGS } from "../../emulator/model";
import type { ChatMembershipOutputs } from "../../provider/membership/types";
import type { ChatSpaceMembersOutputs } from "../../provider/space-members/types";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import {
  adminsSpace,
  bobsAddressGivenToDana,
  NEW_ADMIN as DANA,
  keptByFormerAddressLine,
  membershipInputs,
  membershipProvider,
  NEW_ADMIN_BEFORE,
  oneProcess,
} from "./membership-helpers";
import { rosterInputs, spaceMembersProvider } from "./space-members-helpers";

const ADMIN = "users/110000000000000000001";
const BOB = "users/110000000000000000003";

describe("a state's record of an email given to another person since, beside Google's answer for it", () => {
  const t = useEmulator();
  const membersOf = async (s: string) => (await t.control.state()).memberships[s.slice("spaces/".length)].map((m) => m.memberName).sort();

  /** admin's space, and dana a user of the directory (dana@example.com). */
  const spaceAndDana = async () => {
    await t.control.setSettings({ users: [...DEFAULT_SETTINGS.users, NEW_ADMIN_BEFORE] });
    return adminsSpace(t);
  };
  /** The up's new ChatMembership of bob@example.com: checked, then created, taking over dana's membership. */
  const newOfAddress = async (memberships: Awaited<ReturnType<typeof oneProcess>>["memberships"], s: string) => {
    const declared = membershipInputs("b-new", { space: s, user: "bob@example.com" });
    assert.deepEqual((await memberships.check(declared, declared)).failures ?? [], []);
    const made = await memberships.create(declared);
    assert.equal((made.outs as ChatMembershipOutputs).member, DANA, "Google answers the address is dana's");
    return made;
  };

  it("state-email-record-roster-delete: a dropped roster that listed bob by the address and dana by id keeps dana, whom the new ChatMembership of the address holds, and bob, as the plan said", async () => {
    const s = await spaceAndDana();
    const { provider: first } = await spaceMembersProvider(t);
    const r = await first.create(rosterInputs("r", { space: s, mode: "addOnly", members: [{ user: "bob@example.com" }, { user: DANA }] }));
    assert.equal((r.outs as ChatSpaceMembersOutputs).__declared["users/bob@example.com"], BOB);
    await bobsAddressGivenToDana(t);
    const { memberships, rosters, logs } = await oneProcess(t);
    await newOfAddress(memberships, s);
    await rosters.delete(r.id, r.outs as ChatSpaceMembersOutputs);
    assert.deepEqual(await membersOf(s), [ADMIN, BOB, DANA]);
    assert.deepEqual(
      logs.slice(-2).sort(),
      [
        `ChatSpaceMembers ${s}: ${DANA} stays in ${s}: the program declares it in ChatMembership b-new.`,
        keptByFormerAddressLine(`ChatSpaceMembers ${s}`, s, "ChatMembership b-new"),
      ].sort(),
    );
  });

  for (const order of ["bob's first", "dana's first"] as const) {
    it(`state-email-record-membership-deletes (${order}): the deletes of bob's ChatMembership of the address and dana's by id, dropped, keep dana, whom the new ChatMembership of the address holds, and bob, as the plan said`, async () => {
      const s = await spaceAndDana();
      const { provider: first } = await membershipProvider(t);
      const bobs = await first.create(membershipInputs("b-old", { space: s, user: "bob@example.com" }));
      const danas = await first.create(membershipInputs("d", { space: s, user: DANA }));
      await bobsAddressGivenToDana(t);
      const { memberships, logs } = await oneProcess(t);
      await newOfAddress(memberships, s);
      const deletes = [
        () => memberships.delete(bobs.id, bobs.outs as ChatMembershipOutputs),
        () => memberships.delete(danas.id, danas.outs as ChatMembershipOutputs),
      ];
      for (const remove of order === "bob's first" ? deletes : deletes.reverse()) await remove();
      assert.deepEqual(await membersOf(s), [ADMIN, BOB, DANA]);
      assert.deepEqual(
        logs.filter((line) => line.includes(" stays in ")).sort(),
        [
          `ChatMembership ${DANA} in ${s}: ${DANA} stays in ${s}: the program declares it in ChatMembership b-new.`,
          keptByFormerAddressLine(`ChatMembership ${BOB} in ${s}`, s, "ChatMembership b-new"),
        ].sort(),
      );
    });
  }

  it("state-email-records-held-member: after a crash, the next up's delete of bob's old ChatMembership of the address removes bob: the new one, whose state records the address as dana's, holds her, not him", async () => {
    const s = await spaceAndDana();
    const { provider: first } = await membershipProvider(t);
    const bobs = await first.create(membershipInputs("b-old", { space: s, user: "bob@example.com" }));
    await bobsAddressGivenToDana(t);
    const crashed = await oneProcess(t);
    const made = await newOfAddress(crashed.memberships, s);
    // The engine died before deleting b-old: the next up, another process, diffs b-new (its state: the address is dana's), then deletes b-old (its state: bob's).
    const { memberships, logs } = await oneProcess(t);
    const declared = membershipInputs("b-new", { space: s, user: "bob@example.com" });
    await memberships.check(declared, declared);
    await memberships.diff(made.id, made.outs as ChatMembershipOutputs, declared);
    const mark = await logMark(t);
    await memberships.delete(bobs.id, bobs.outs as ChatMembershipOutputs);
    assert.equal((await apiCalls(t, mark)).at(-1), `DELETE /v1/${bobs.id} 200`);
    assert.deepEqual(await membersOf(s), [ADMIN, DANA]);
    assert.deepEqual(logs, []);
  });

  it("state-email-records-disputed: two states recording the address for two people leave it to Google: the dropped roster keeps dana, whom an earlier up's ChatMembership of the address holds", async () => {
    const s = await spaceAndDana();
    const { provider: first } = await spaceMembersProvider(t);
    const r = await first.create(rosterInputs("r", { space: s, mode: "addOnly", members: [{ user: "bob@example.com" }, { user: DANA }] }));
    await bobsAddressGivenToDana(t);
    const earlier = await oneProcess(t);
    const made = await newOfAddress(earlier.memberships, s);
    // The next up: b-new unchanged (its diff reads its state's record of the address: dana), the roster dropped (its state's: bob).
    const { memberships, rosters, logs } = await oneProcess(t);
    const declared = membershipInputs("b-new", { space: s, user: "bob@example.com" });
    await memberships.check(declared, declared);
    assert.equal((await memberships.diff(made.id, made.outs as ChatMembershipOutputs, declared)).changes, false);
    await rosters.delete(r.id, r.outs as ChatSpaceMembersOutputs);
    assert.ok((await membersOf(s)).includes(DANA), `dana, whom b-new holds, stays: ${logs.join(" | ")}`);
  });

  it("state-email-create-holds-nothing-yet: a ChatMembership of bob's address checked with its old inputs, then made again without a diff the provider planned (replaceOnChanges, pulumi up --replace), after a new one of bob by users/{id}: refused before its write", async () => {
    const s = await adminsSpace(t);
    await (await membershipProvider(t)).provider.create(membershipInputs("c", { space: s, user: "bob@example.com" }));
    const { memberships } = await oneProcess(t);
    const bobs = membershipInputs("c", { space: s, user: "bob@example.com" });
    const byId = membershipInputs("e", { space: s, user: BOB });
    assert.deepEqual((await memberships.check({} as never, byId)).failures ?? [], []);
    await memberships.create(byId);
    assert.deepEqual((await memberships.check(bobs, bobs)).failures ?? [], [], "checked with its old inputs: the email is kept until a diff");
    const mark = await logMark(t);
    await assert.rejects(memberships.create(bobs), /ChatMembership e/);
    assert.deepEqual(
      (await apiCalls(t, mark)).filter((call) => !call.startsWith("GET ")),
      [],
      "no write",
    );
  });

  describe("a resource that declares the address unchanged across the up, made before it was given to dana, beside one made after in another space", () => {
    /** Spaces one and two of admin's; in space two, a ChatMembership of the address made after it was given to dana: hers. */
    const twoSpaces = async () => {
      await t.control.setSettings({ users: [...DEFAULT_SETTINGS.users, NEW_ADMIN_BEFORE] });
      const admin = t.asDelegatedUser("admin@example.com", ["chat.spaces.create"]);
      const make = async (name: string) => (await admin.spaces.create({ requestBody: { spaceType: "SPACE", displayName: name } })).data.name!;
      return { one: await make("One"), two: await make("Two") };
    };
    const afterTheMove = async (two: string) => {
      const { memberships } = await oneProcess(t);
      const made = await memberships.create(membershipInputs("a", { space: two, user: "bob@example.com" }));
      assert.equal((made.outs as ChatMembershipOutputs).member, DANA);
      return made;
    };
    /** The next up's process, which checks and diffs `unchanged` (each ChatMembership of the address, as declared before). */
    const nextUp = async (unchanged: { made: { id: string; outs?: ChatMembershipOutputs }; name: string; space: string }[]) => {
      const process = await oneProcess(t);
      for (const { made, name, space } of unchanged) {
        const declared = membershipInputs(name, { space, user: "bob@example.com" });
        await process.memberships.check(declared, declared);
        assert.equal((await process.memberships.diff(made.id, made.outs!, declared)).changes, false);
      }
      return process;
    };

    it("state-email-held-member-conflict: bob by users/{id} declared beside the one holding him by the address is refused at check, naming both", async () => {
      const { one, two } = await twoSpaces();
      const c = await (await membershipProvider(t)).provider.create(membershipInputs("c", { space: one, user: "bob@example.com" }));
      await bobsAddressGivenToDana(t);
      const a = await afterTheMove(two);
      const { memberships } = await nextUp([
        { made: a, name: "a", space: two },
        { made: c, name: "c", space: one },
      ]);
      const x = membershipInputs("x", { space: one, user: BOB });
      assert.match(((await memberships.check({} as never, x)).failures ?? []).map((f) => f.reason).join(" "), /ChatMembership c/);
    });

    it("state-email-held-member-pending-delete: after a crash mid-move of bob from a ChatMembership by users/{id} to one by the address, the pending delete keeps him, whom the new one holds", async () => {
      const { one, two } = await twoSpaces();
      const x = await (await membershipProvider(t)).provider.create(membershipInputs("x", { space: one, user: BOB }));
      const c = await (await oneProcess(t)).memberships.create(membershipInputs("c", { space: one, user: "bob@example.com" }));
      assert.equal((c.outs as ChatMembershipOutputs).member, BOB);
      await bobsAddressGivenToDana(t);
      const a = await afterTheMove(two);
      const { memberships, logs } = await nextUp([
        { made: a, name: "a", space: two },
        { made: c, name: "c", space: one },
      ]);
      await memberships.delete(x.id, x.outs as ChatMembershipOutputs);
      assert.deepEqual(await membersOf(one), [ADMIN, BOB]);
      assert.deepEqual(logs.slice(-1), [`ChatMembership ${BOB} in ${one}: ${BOB} stays in ${one}: the program declares it in ChatMembership c.`]);
    });

    for (const moved of ["ChatMembership", "roster"] as const) {
      it(`state-email-replaced-holds-nothing-yet (${moved}): bob's ${moved} of the address moved into the space where dana is declared by users/{id} is refused before its write: made again, it holds whomever Google names now, not its state's member`, async () => {
        const { one, two } = await twoSpaces();
        const first = await oneProcess(t);
        const old =
          moved === "ChatMembership"
            ? await first.memberships.create(membershipInputs("c", { space: two, user: "bob@example.com" }))
            : await first.rosters.create(rosterInputs("c", { space: two, mode: "addOnly", members: [{ user: "bob@example.com" }] }));
        const d = await first.memberships.create(membershipInputs("d", { space: one, user: DANA }));
        await bobsAddressGivenToDana(t);
        const { memberships, rosters } = await oneProcess(t);
        const danas = membershipInputs("d", { space: one, user: DANA });
        await memberships.check(danas, danas);
        await memberships.diff(d.id, d.outs as ChatMembershipOutputs, danas);
        const mark = await logMark(t);
        if (moved === "ChatMembership") {
          const news = membershipInputs("c", { space: one, user: "bob@example.com" });
          assert.deepEqual((await memberships.check(membershipInputs("c", { space: two, user: "bob@example.com" }), news)).failures ?? [], []);
          assert.ok(((await memberships.diff(old.id, old.outs as ChatMembershipOutputs, news)).replaces ?? []).length > 0);
          await assert.rejects(memberships.create(news), /ChatMembership d/);
        } else {
          const news = rosterInputs("c", { space: one, mode: "addOnly", members: [{ user: "bob@example.com" }] });
          const olds = rosterInputs("c", { space: two, mode: "addOnly", members: [{ user: "bob@example.com" }] });
          assert.deepEqual((await rosters.check(olds, news)).failures ?? [], []);
          assert.ok(((await rosters.diff(old.id, old.outs as ChatSpaceMembersOutputs, news)).replaces ?? []).length > 0);
          await assert.rejects(rosters.create(news), /ChatMembership d/);
        }
        assert.deepEqual(
          (await apiCalls(t, mark)).filter((call) => !call.startsWith("GET ")),
          [],
          "no write",
        );
      });
    }

    for (const answeredFirst of [true, false]) {
      it(`state-email-kept-at-check (a new resource of the address made ${answeredFirst ? "before" : "after"} its check): a ChatMembership of the address kept unchanged beside dana's by users/{id} passes check and diff, whom Google says the address names elsewhere`, async () => {
        const { one, two } = await twoSpaces();
        const first = (await membershipProvider(t)).provider;
        const c = await first.create(membershipInputs("c", { space: one, user: "bob@example.com" }));
        const d = await first.create(membershipInputs("d", { space: one, user: DANA }));
        await bobsAddressGivenToDana(t);
        const { memberships } = await oneProcess(t);
        const danas = membershipInputs("d", { space: one, user: DANA });
        await memberships.check(danas, danas);
        await memberships.diff(d.id, d.outs as ChatMembershipOutputs, danas);
        const newOne = async () => {
          const a = membershipInputs("a", { space: two, user: "bob@example.com" });
          await memberships.check({} as never, a);
          assert.equal(((await memberships.create(a)).outs as ChatMembershipOutputs).member, DANA);
        };
        if (answeredFirst) await newOne();
        const bobs = membershipInputs("c", { space: one, user: "bob@example.com" });
        assert.deepEqual((await memberships.check(bobs, bobs)).failures ?? [], []);
        assert.equal((await memberships.diff(c.id, c.outs as ChatMembershipOutputs, bobs)).changes, false);
        if (!answeredFirst) await newOne();
      });
    }

    it("state-email-new-declaration-before-write: a new ChatMembership of the address beside dana's by users/{id} is refused before its write, though another state records the address as bob's", async () => {
      const { one, two } = await twoSpaces();
      const first = (await membershipProvider(t)).provider;
      const c = await first.create(membershipInputs("c", { space: two, user: "bob@example.com" }));
      const d = await first.create(membershipInputs("d", { space: one, user: DANA }));
      await bobsAddressGivenToDana(t);
      const { memberships } = await nextUp([{ made: c, name: "c", space: two }]);
      const danas = membershipInputs("d", { space: one, user: DANA });
      await memberships.check(danas, danas);
      await memberships.diff(d.id, d.outs as ChatMembershipOutputs, danas);
      const b = membershipInputs("b", { space: one, user: "bob@example.com" });
      // A new resource is checked with no old inputs (pulumi/pulumi step_generator.go).
      assert.deepEqual((await memberships.check({} as never, b)).failures ?? [], [], "at check, only Google can tell whom the address names");
      const mark = await logMark(t);
      await assert.rejects(memberships.create(b), /ChatMembership d/);
      assert.deepEqual(
        (await apiCalls(t, mark)).filter((call) => !call.startsWith("GET ")),
        [],
        "no write",
      );
    });
  });
});
