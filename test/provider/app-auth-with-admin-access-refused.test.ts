/**
 * googlechat:useAdminAccess runs a call "using the user's Google Workspace administrator
 * privileges. The calling user must be a Google Workspace administrator" (v1.d.ts, every
 * `useAdminAccess` parameter): with app authentication there is no calling user, so the pair can
 * never work. Bad input fails at configure (or check), naming the setting and the fix, with zero
 * API calls; the preview must not pass a program whose every call will be refused.
 */
import assert from "node:assert/strict";
import { resolveSettings, SettingError } from "../../provider/core/settings";
import { useEmulator } from "../helpers/emulator";
import { apiCalls, logMark } from "../helpers/provider";
import { spaceMembersProvider } from "./space-members-helpers";

const SA = { type: "service_account", client_email: "a@p.iam.gserviceaccount.com", private_key: "not a key: settings only read the JSON" };

const REFUSAL =
  "googlechat:useAdminAccess acts with an administrator's privileges, and with app authentication (the Chat app) no user calls: " +
  "set googlechat:impersonateUser to the administrator the service account acts as (domain-wide delegation), or remove googlechat:useAdminAccess.";

describe("provider: googlechat:useAdminAccess with app authentication", () => {
  const t = useEmulator();

  it("is refused by the settings, naming googlechat:useAdminAccess and the fix", () => {
    const config: Record<string, string> = { "googlechat:credentials": JSON.stringify(SA), "googlechat:auth": "app", "googlechat:useAdminAccess": "true" };
    assert.throws(
      () => resolveSettings((k) => config[k], {}),
      (error: unknown) => error instanceof SettingError && error.key === "useAdminAccess" && error.message === REFUSAL,
    );
  });

  it("set in the environment (GOOGLECHAT_USE_ADMIN_ACCESS, which every provider of the stack reads), the refusal says so, and how to turn it off for this provider", () => {
    const config: Record<string, string> = { "googlechat:credentials": JSON.stringify(SA) };
    assert.throws(
      () => resolveSettings((k) => config[k], { GOOGLECHAT_USE_ADMIN_ACCESS: "true" }),
      (error: unknown) =>
        error instanceof SettingError &&
        error.key === "useAdminAccess" &&
        error.message ===
          REFUSAL.replace(
            "or remove googlechat:useAdminAccess.",
            "or set googlechat:useAdminAccess to false for this provider (true comes from GOOGLECHAT_USE_ADMIN_ACCESS).",
          ),
    );
  });

  it("a service account's key without impersonateUser (app authentication by default) with admin access: configure refuses it, with zero API calls", async () => {
    const mark = await logMark(t);
    await assert.rejects(spaceMembersProvider(t, { app: true, useAdminAccess: true }), (error: Error) => error.message.includes(REFUSAL));
    assert.deepEqual(await apiCalls(t, mark), []);
  });
});
