/**
 * The emulator's set-up failures, each a setting: the scopes the Admin console authorised for a
 * client ID, the Chat API not enabled in a project, and the project's Chat app not configured,
 * answered in Google's words and shapes (docs/google-errors.md).
 */
import assert from "node:assert/strict";
import { googleError, SCOPE, useEmulator } from "../helpers/emulator";

describe("emulator: set-up failures", () => {
  const t = useEmulator();

  it("refuses delegation of a scope the Admin console did not authorise for the client ID (401 unauthorized_client), and delegates those it did", async () => {
    await t.control.setSettings({ delegatedScopes: { [t.serviceAccount.client_id]: [SCOPE("chat.spaces.readonly")] } });
    await t.asDelegatedUser("alice@example.com", ["chat.spaces.readonly"]).spaces.list({});
    await assert.rejects(
      t.asDelegatedUser("alice@example.com", ["chat.spaces.create"]).spaces.create({ requestBody: { spaceType: "SPACE", displayName: "A" } }),
      (error: any) => {
        assert.equal(error.status, 401);
        assert.deepEqual(error.response.data, {
          error: "unauthorized_client",
          error_description: "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.",
        });
        return true;
      },
    );
    const log = await t.control.requests();
    assert.deepEqual(
      log.map((r) => `${r.rpc} ${r.status}`),
      ["oauth2.token 200", "spaces.list 200", "oauth2.token 401"],
    );
  });

  it("answers every Chat call of a project that did not enable the API with 403 SERVICE_DISABLED, the project and the page that enables it", async () => {
    await t.control.setSettings({ chatApiDisabledProjects: ["emulator-project"] });
    const url = "https://console.developers.google.com/apis/api/chat.googleapis.com/overview?project=emulator-project";
    await assert.rejects(t.asApp(["chat.bot"]).spaces.list({}), (error: any) => {
      googleError(
        403,
        "PERMISSION_DENIED",
        `Google Chat API has not been used in project emulator-project before or it is disabled. Enable it by visiting ${url} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`,
      )(error);
      assert.deepEqual(error.response.data.error.details, [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "SERVICE_DISABLED",
          domain: "googleapis.com",
          metadata: {
            service: "chat.googleapis.com",
            consumer: "projects/emulator-project",
            serviceTitle: "Google Chat API",
            containerInfo: "emulator-project",
            activationUrl: url,
          },
        },
        { "@type": "type.googleapis.com/google.rpc.Help", links: [{ description: "Google developers console API activation", url }] },
      ]);
      return true;
    });
  });

  it("answers every Chat call of a project whose Chat app is not configured with 404, user auth included", async () => {
    await t.control.setSettings({ chatAppUnconfiguredProjects: ["emulator-project"] });
    const message = "Google Chat app not found. To create a Chat app, you must turn on the Chat API and configure the app in the Google Cloud console.";
    await assert.rejects(t.asApp(["chat.bot"]).spaces.list({}), googleError(404, "NOT_FOUND", message));
    await assert.rejects(t.asDelegatedUser("alice@example.com", ["chat.spaces.readonly"]).spaces.list({}), googleError(404, "NOT_FOUND", message));
  });
});
