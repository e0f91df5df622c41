import { ChatSpace } from "pulumi-googlechat";

// App authentication: the Chat app creates the space for its organisation (Google requires
// `customer`, and an administrator's approval of the chat.app.* scopes). Google makes the app a
// plain member of the spaces it creates, not a manager, so an ANNOUNCEMENT_SPACE ("only space
// managers can post") would be one the app cannot post its alerts in. The space is a collaboration
// space (Google's default when predefinedPermissionSettings is left out: members post), and
// everything else members could do is kept for managers. `permissionSettings.postMessages` itself
// is output only (v1.d.ts PermissionSettings); an app may set the other settings on the spaces it
// created (v1.d.ts Space.permissionSettings: "Only populated and settable when the Chat app
// created the space"), and ChatSpace sets them right after the create.
const managersOnly = { managersAllowed: true }; // a role left out of a declared setting is false

const alerts = new ChatSpace("alerts", {
  displayName: "Production alerts",
  customer: "customers/my_customer",
  spaceDetails: { description: "Posted by the on-call bot" },
  permissionSettings: {
    manageMembersAndGroups: managersOnly,
    modifySpaceDetails: managersOnly,
    toggleHistory: managersOnly,
    useAtMentionAll: managersOnly,
    manageApps: managersOnly,
    manageWebhooks: managersOnly,
  },
});

export const name = alerts.name;
export const url = alerts.spaceUri;
