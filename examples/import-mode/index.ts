import * as pulumi from "@pulumi/pulumi";
import { ChatSpace } from "pulumi-googlechat";

// Migrating a chat room into Google Chat: the space is created in import mode with its original
// creation time, history is written into it (with the Chat API's message import, outside this
// provider), then `pulumi config set importDone true` and `pulumi up` complete the import in place.
// Google deletes a space left in import mode for 90 days. Needs a service account with domain-wide
// delegation acting as a user (googlechat:impersonateUser) and the chat.import scope.
const config = new pulumi.Config();
const importDone = config.getBoolean("importDone") ?? false;

const archive = new ChatSpace("legacy-general", {
  displayName: "General (archive)",
  importMode: !importDone,
  createTime: "2019-05-01T10:00:00Z",
});

export const name = archive.name;
// Google leaves the time out once the import is complete: say so instead of exporting nothing.
export const importModeExpireTime = archive.importModeExpireTime.apply((time) => time ?? "none: the import is complete");
