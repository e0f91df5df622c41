import { ChatSpace } from "pulumi-googlechat";

// App authentication: the Chat app creates the space and joins it as a member (not a
// manager). Google requires `customer` and an administrator's approval of the chat.app.* scopes.
const alerts = new ChatSpace("alerts", {
  displayName: "Production alerts",
  customer: "customers/my_customer",
  predefinedPermissionSettings: "ANNOUNCEMENT_SPACE",
  spaceDetails: { description: "Posted by the on-call bot" },
});

export const name = alerts.name;
export const url = alerts.spaceUri;
