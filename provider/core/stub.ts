/**
 * The `__provider` text of each resource type: the one place that says how Pulumi's
 * dynamic-provider host finds this package's providers.
 *
 * A dynamic resource's state holds, in its inputs and its outputs, the text the host turns into
 * a provider: it evaluates `__provider` as a CommonJS module (require-from-string) and calls the
 * module's exported `handler()` for the provider object, once per distinct text in a process
 * (@pulumi/pulumi cmd/dynamic-provider/index.js, `getProvider`). `pulumi.dynamic.Resource` fills
 * it with a closure-serialized provider, about 2.1 KB here for seven one-line methods; these texts
 * are written by hand instead, and the SDK's classes register the dynamic type token themselves.
 *
 * Each text captures nothing: it loads the implementation installed now, when the host needs it
 * (`require` there resolves from the program's directory, where the package is installed), so
 * state holds no credential, and a delete or refresh of an old resource runs the code installed
 * now, not the code that created it. States written by earlier versions hold closure stubs that
 * call the same functions of provider/index.ts: `instance()`, `membershipInstance()` and
 * `spaceMembersInstance()` stay exported for them.
 *
 * The host never compares two texts (its diff says so), and no provider's diff reads
 * `__provider`: a resource whose state holds another text (an earlier version's) is no change.
 */

/** The `__provider` text that hands the host the provider `factory()` of provider/index.ts returns. */
const handlerOf = (factory: "instance" | "membershipInstance" | "spaceMembersInstance") =>
  `exports.handler = () => require("pulumi-googlechat/provider").${factory}();`;

/** The `__provider` text of each resource type. */
export const PROVIDER_TEXT = {
  ChatSpace: handlerOf("instance"),
  ChatMembership: handlerOf("membershipInstance"),
  ChatSpaceMembers: handlerOf("spaceMembersInstance"),
} as const;
