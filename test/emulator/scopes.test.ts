/**
 * The emulator accepts, for each Chat method it serves, exactly the scopes v1.d.ts lists for it
 * (emulator/auth/scopes.ts): those of an app, a user (chat.import for import-mode spaces), and
 * admin access together.
 */
import assert from "node:assert/strict";
import { acceptedScopes, type ChatMethod, RPC_NAME } from "../../emulator/auth/scopes";
import { v1Scopes } from "../helpers/v1-scopes";

const short = (scope: string) => scope.replace("https://www.googleapis.com/auth/", "");

describe("emulator: the scopes each method accepts", () => {
  it("are every scope v1.d.ts lists for the method, and no other", () => {
    const google = v1Scopes();
    for (const method of Object.keys(RPC_NAME) as ChatMethod[]) {
      const accepted = [...acceptedScopes(method, "app", false), ...acceptedScopes(method, "user", false), ...acceptedScopes(method, "user", true)];
      assert.deepEqual([...new Set(accepted.map(short))].sort(), google.get(method), method);
    }
  });
});
