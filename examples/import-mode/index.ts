import * as pulumi from "@pulumi/pulumi";
import { ChatMembership, ChatSpace } from "pulumi-googlechat";

// Migrating a chat room into Google Chat: the space is created in import mode with its original
// creation time, its members' history is written into it (who joined when, who left), messages
// are imported with the Chat API's message import (outside this provider), then
// `pulumi config set importDone true` and `pulumi up` complete the import in place.
// Google deletes a space left in import mode for 90 days. Needs a service account with domain-wide
// delegation acting as a user (googlechat:impersonateUser) and the chat.import scope.
const config = new pulumi.Config();
const importDone = config.getBoolean("importDone") ?? false;

const archive = new ChatSpace("legacy-general", {
  displayName: "General (archive)",
  importMode: !importDone,
  createTime: "2019-05-01T10:00:00Z",
});

// Historical memberships are written only while the space is in import mode (Google refuses
// createTime and deleteTime outside it), so they are declared from the first `pulumi up`; they
// stay as they are when the import completes. Alice joined the room on its first day and still
// runs it: as an owner (ROLE_MANAGER, "Owner" in Chat) she keeps the space visible and managed
// by a person once import mode ends and the space is shown to its members.
const alice = new ChatMembership("alice", {
  space: archive,
  user: "alice@example.com",
  role: "ROLE_MANAGER",
  createTime: "2019-05-01T10:05:00Z",
});
// Bob was a member for a year and left: a past membership (state NOT_A_MEMBER) that keeps his
// messages attributed to a former member.
const bob = new ChatMembership("bob", {
  space: archive,
  user: "bob@example.com",
  createTime: "2019-05-02T09:00:00Z",
  deleteTime: "2020-05-01T17:00:00Z",
});

export const name = archive.name;
// Google leaves the time out once the import is complete: say so instead of exporting nothing.
export const importModeExpireTime = archive.importModeExpireTime.apply((time) => time ?? "none: the import is complete");
export const owner = alice.name;
export const formerMember = pulumi.interpolate`${bob.name} (${bob.state})`;
