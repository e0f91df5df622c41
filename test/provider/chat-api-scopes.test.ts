/**
 * The provider's table of scopes (provider/core/chat-api.ts): every scope it accepts for a call,
 * the least and the broader ones, v1.d.ts lists for each method the call makes, and the emulator
 * accepts for that method and kind of caller.
 */
import assert from "node:assert/strict";
import { type ChatMethod, scopeGrant } from "../../emulator/auth/scopes";
import { type Access, acceptedScopes, leastScope, METHODS_OF, type Operation } from "../../provider/core/chat-api";
import { v1Scopes } from "../helpers/v1-scopes";

const ACCESSES: Access[] = ["app", "user", "import", "admin"];
const OPERATIONS = Object.keys(METHODS_OF) as Operation[];
const short = (scope: string) => scope.replace("https://www.googleapis.com/auth/", "");

describe("provider: the scopes each call takes", () => {
  it("lists the least scope first, then only scopes v1.d.ts lists for every method of the call, each accepted by the emulator", () => {
    const google = v1Scopes();
    let checked = 0;
    for (const access of ACCESSES) {
      for (const operation of OPERATIONS) {
        const scopes = acceptedScopes(access, operation);
        if (!scopes) continue;
        assert.equal(scopes[0], leastScope(access, operation));
        for (const method of METHODS_OF[operation]) {
          for (const scope of scopes) {
            const where = `${access} ${operation} ${method} ${short(scope)}`;
            assert.ok(google.get(method)?.includes(short(scope)), `${where}: not in v1.d.ts`);
            const grant = scopeGrant({
              method: method as ChatMethod,
              kind: access === "app" ? "app" : "user",
              granted: [scope],
              adminAccess: access === "admin",
            });
            assert.ok(grant !== undefined && (grant === "admin") === (access === "admin"), `${where}: the emulator refuses it`);
            checked++;
          }
        }
      }
    }
    assert.ok(checked > 40, `${checked} scopes checked`);
  });

  it("takes chat.spaces for creating and reading spaces, and chat.memberships for reading memberships and adding the calling app, as a user", () => {
    assert.deepEqual(acceptedScopes("user", "create")?.map(short), ["chat.spaces.create", "chat.spaces"]);
    assert.deepEqual(acceptedScopes("user", "read")?.map(short), ["chat.spaces.readonly", "chat.spaces"]);
    assert.deepEqual(acceptedScopes("user", "memberRead")?.map(short), ["chat.memberships.readonly", "chat.memberships"]);
    assert.deepEqual(acceptedScopes("user", "appMemberWrite")?.map(short), ["chat.memberships.app", "chat.memberships"]);
    assert.equal(acceptedScopes("app", "completeImport"), undefined);
  });
});
