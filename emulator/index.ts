/** A local Google Chat API v1 for offline use and tests: see emulator/README.md. */

export type { AuthorizedUserCredentials, KeylessServiceAccount, OAuthRpc, ServiceAccountKey } from "./auth";
export { GCLOUD_ADC_SCOPES } from "./auth";
export type { SubjectTokenRequest } from "./ci-oidc";
export { EmulatorControl } from "./control-client";
export {
  type CredentialFiles,
  DEMO_USER_SCOPES,
  type ExternalAccountOptions,
  externalAccountCredentials,
  type SubjectTokenSource,
  writeCredentialFiles,
} from "./credentials";
export type { FaultAction, FaultMatch, FaultRule } from "./faults";
export { type IamBinding, type ImpersonationRole, TOKEN_CREATOR, WORKLOAD_IDENTITY_USER } from "./iam-credentials";
export type { IssuedSecrets, KeylessRpc } from "./keyless";
export { KeylessControl } from "./keyless-control";
export type { MemberRole, StoredMembership, StoredSpace, UserFixture, WorldSettings } from "./model";
export { DEFAULT_SETTINGS } from "./model";
export type { SpaceEdit } from "./outside";
export type { QuotaConfig, QuotaLimits } from "./quotas";
export { GOOGLE_LIMITS } from "./quotas";
export { type Counters, isChatApiCall, type LoggedRequest } from "./request-log";
export type { SpaceSeed } from "./seed";
export { type EmulatorOptions, type RunningEmulator, startEmulator } from "./server";
export type { WorkloadIdentityProvider } from "./sts";
