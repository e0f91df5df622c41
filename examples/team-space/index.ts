import { ChatSpace, ChatSpaceMembers } from "pulumi-googlechat";

// A team's space and everyone in it, declared as one roster. The roster is authoritative: a
// member added in Chat and not declared here is removed by the next `pulumi up` (the preview
// says so first), except the user this program runs as (googlechat:impersonateUser), who
// created the space and is never removed, so the program can't lock itself out.
// User authentication: Google Groups and the team's Chat app can be added only by a user, never
// with app authentication.
const engineering = new ChatSpace("engineering", {
  displayName: "Engineering team",
  spaceDetails: { description: "The platform team, its guests and its bot" },
  // erin is a contractor from another organisation.
  externalUserAllowed: true,
});

const roster = new ChatSpaceMembers("engineering-members", {
  space: engineering,
  members: [
    // ROLE_MANAGER is shown as "Owner" in Chat: owners manage the space and its managers.
    { user: "alice@example.com", role: "ROLE_MANAGER" },
    // ROLE_ASSISTANT_MANAGER is shown as "Manager" in Chat: managers add and remove members.
    { user: "bob@example.com", role: "ROLE_ASSISTANT_MANAGER" },
    // A member (ROLE_MEMBER, the default): a guest from outside the organisation.
    { user: "erin@partner.example" },
    // Everyone in the Google Group is a member; a group has no role.
    { group: "groups/platform-team" },
    // The Chat app of the credentials' Google Cloud project: the team's bot.
    { chatApp: true },
  ],
});

export const name = engineering.name;
export const url = engineering.spaceUri;
export const members = roster.members.apply((list) => list.map((m) => `${m.member} ${m.memberType} ${m.role} ${m.state}`));
