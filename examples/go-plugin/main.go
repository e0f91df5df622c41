// A space with its roster through an explicit provider, and a space made in Chat looked up, on
// the provider plugin pulumi-resource-googlechat through its generated Go SDK.
package main

import (
	"github.com/pulumi-googlechat/pulumi-googlechat/sdk/go/googlechat"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(program)
}

func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")

	// An explicit provider: its settings come from this project's config, not the stack's
	// googlechat:* keys, so one program can hold several (another user, the Chat app itself).
	provider, err := googlechat.NewProvider(ctx, "chat-admin", &googlechat.ProviderArgs{
		Credentials:     cfg.RequireSecret("credentials"),
		ImpersonateUser: pulumi.String(cfg.Require("impersonateUser")),
		ApiEndpoint:     pulumi.String(cfg.Require("apiEndpoint")),
		TokenEndpoint:   pulumi.String(cfg.Require("tokenEndpoint")),
	})
	if err != nil {
		return err
	}

	engineering, err := googlechat.NewSpace(ctx, "engineering", &googlechat.SpaceArgs{
		DisplayName:  pulumi.String("Engineering"),
		SpaceDetails: &googlechat.SpaceDetailsArgs{Description: pulumi.String("The platform team")},
	}, pulumi.Provider(provider))
	if err != nil {
		return err
	}

	engineeringMembers, err := googlechat.NewSpaceMembers(ctx, "engineering-members", &googlechat.SpaceMembersArgs{
		Space: engineering.Name,
		Members: googlechat.RosterMemberArray{
			// ROLE_MANAGER is shown as "Owner" in Chat.
			&googlechat.RosterMemberArgs{User: pulumi.String("alice@example.com"), Role: googlechat.MembershipRole_ROLE_MANAGER},
			&googlechat.RosterMemberArgs{User: pulumi.String("bob@example.com")},
		},
		// Deleting a space deletes its memberships (spaces.delete cascades): no roster calls when it goes.
	}, pulumi.Provider(provider), pulumi.DeletedWith(engineering))
	if err != nil {
		return err
	}

	ctx.Export("engineeringSpace", engineering.Name)
	ctx.Export("engineeringUrl", engineering.SpaceUri)
	ctx.Export("members", engineeringMembers.Members)

	// A space made in Chat, found by its display name and not managed here (optional:
	// `pulumi config set existingSpace "Announcements"`).
	if existing := cfg.Get("existingSpace"); existing != "" {
		found := googlechat.LookupSpaceOutput(ctx, googlechat.LookupSpaceOutputArgs{DisplayName: pulumi.String(existing)}, pulumi.Provider(provider))
		ctx.Export("existingSpaceUrl", found.SpaceUri())
	}
	return nil
}
