import { ChatMembership, ChatSpace } from "pulumi-googlechat";

// A team's spaces as code: a pull request changes this file, the pipeline previews it and posts
// the plan summary on the pull request, a reviewer approves, the merge deploys
// (.github/workflows/chat-spaces.yml). A change that deletes or replaces a space (its messages go
// with it) or removes a member is refused unless the pull request has the `allow-destroy` label.

/** The team: each person's role in the team's spaces (Chat shows ROLE_ASSISTANT_MANAGER as Manager, ROLE_MANAGER as Owner). */
const team = {
  "alice@example.com": "ROLE_MANAGER",
  "bob@example.com": "ROLE_MEMBER",
} as const;

const managersOnly = { managersAllowed: true };

const spaces = {
  platform: new ChatSpace("platform", {
    displayName: "Platform team",
    spaceDetails: { description: "Day-to-day work of the platform team", guidelines: "Threads per topic, please" },
  }),
  incidents: new ChatSpace("incidents", {
    displayName: "Platform incidents",
    spaceDetails: { description: "One thread per incident; the on-call engineer posts updates" },
    permissionSettings: { manageMembersAndGroups: managersOnly, modifySpaceDetails: managersOnly, manageWebhooks: managersOnly },
  }),
};

// Every person of the team in every space of the team. A resource name is the space's and the
// person's, so adding or removing one line adds or removes exactly those memberships.
for (const [key, space] of Object.entries(spaces)) {
  for (const [user, role] of Object.entries(team)) {
    new ChatMembership(`${key}-${user.split("@")[0]}`, { space, user, role });
  }
}

export const spaceNames = Object.fromEntries(Object.entries(spaces).map(([key, space]) => [key, space.name]));
export const spaceUrls = Object.fromEntries(Object.entries(spaces).map(([key, space]) => [key, space.spaceUri]));
