import { ChatSpace } from "pulumi-googlechat";

// A space for a team, with managers alone allowed to add Chat apps.
const engineering = new ChatSpace("engineering", {
  displayName: "Engineering",
  spaceDetails: { description: "Platform team", guidelines: "Be kind" },
  permissionSettings: { manageApps: { managersAllowed: true } },
});

export const name = engineering.name;
export const url = engineering.spaceUri;
