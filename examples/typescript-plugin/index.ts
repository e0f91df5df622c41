import * as pulumi from "@pulumi/pulumi";
import * as googlechat from "@pulumi-googlechat/googlechat";

const config = new pulumi.Config();

// An explicit provider: its settings come from this project's config, not the stack's
// googlechat:* keys, so one program can hold several (another user, the Chat app itself).
const provider = new googlechat.Provider("chat-admin", {
  credentials: config.requireSecret("credentials"),
  impersonateUser: config.require("impersonateUser"),
  apiEndpoint: config.require("apiEndpoint"),
  tokenEndpoint: config.require("tokenEndpoint"),
});

const engineering = new googlechat.Space(
  "engineering",
  {
    displayName: "Engineering",
    spaceDetails: { description: "The platform team" },
  },
  { provider },
);

const engineeringMembers = new googlechat.SpaceMembers(
  "engineering-members",
  {
    space: engineering.name,
    members: [
      // ROLE_MANAGER is shown as "Owner" in Chat.
      { user: "alice@example.com", role: googlechat.MembershipRole.ROLE_MANAGER },
      { user: "bob@example.com" },
    ],
  },
  // Deleting a space deletes its memberships (spaces.delete cascades): no roster calls when it goes.
  { provider, deletedWith: engineering },
);

export const engineeringSpace = engineering.name;
export const engineeringUrl = engineering.spaceUri;
export const members = engineeringMembers.members;

// A space made in Chat, found by its display name and not managed here (optional:
// `pulumi config set existingSpace "Announcements"`).
const existing = config.get("existingSpace");
export const existingSpaceUrl = existing ? googlechat.getSpaceOutput({ displayName: existing }, { provider }).spaceUri : undefined;
