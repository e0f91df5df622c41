module googlechat-example-go-plugin

go 1.26.6

require (
	github.com/pulumi-googlechat/pulumi-googlechat/sdk/go v0.0.0
	github.com/pulumi/pulumi/sdk/v3 v3.274.1
)

// The SDK generated into this folder (npm run gen-sdk -- go examples/go-plugin/sdks/googlechat),
// as `pulumi package add` links it.
replace github.com/pulumi-googlechat/pulumi-googlechat/sdk/go => ./sdks/googlechat
