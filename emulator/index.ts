/** A local Google Chat API v1 for offline use and tests: see emulator/README.md. */
export { startEmulator, type EmulatorOptions, type RunningEmulator } from "./server";
export { EmulatorControl } from "./control-client";
export {
  writeCredentialFiles,
  DEMO_USER_SCOPES,
  type CredentialFiles,
  externalAccountCredentials,
  type ExternalAccountOptions,
  type SubjectTokenSource,
} from "./credentials";
export type { AuthorizedUserCredentials, KeylessServiceAccount, OAuthRpc, ServiceAccountKey } from "./auth";
export { GCLOUD_ADC_SCOPES } from "./auth";
export { KeylessControl } from "./keyless-control";
export type { IssuedSecrets, KeylessRpc } from "./keyless";
export { TOKEN_CREATOR, WORKLOAD_IDENTITY_USER, type IamBinding, type ImpersonationRole } from "./iam-credentials";
export type { WorkloadIdentityProvider } from "./sts";
export type { SubjectTokenRequest } from "./ci-oidc";
export type { FaultRule, FaultAction, FaultMatch } from "./faults";
export type { QuotaConfig, QuotaLimits } from "./quotas";
export { GOOGLE_LIMITS } from "./quotas";
export { isChatApiCall, type LoggedRequest, type Counters } from "./request-log";
export type { WorldSettings, UserFixture, StoredSpace, StoredMembership, MemberRole } from "./model";
export type { SpaceEdit } from "./outside";
export type { SpaceSeed } from "./seed";
export { DEFAULT_SETTINGS } from "./model";
