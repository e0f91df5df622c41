/** A local Google Chat API v1 for offline use and tests: see emulator/README.md. */

export type { AuthorizedUserCredentials, KeylessServiceAccount, OAuthRpc, ServiceAccountKey } from "./auth/auth";
export { GCLOUD_ADC_SCOPES } from "./auth/auth";
export {
  type CredentialFiles,
  DEMO_USER_SCOPES,
  type ExternalAccountOptions,
  externalAccountCredentials,
  type SubjectTokenSource,
  writeCredentialFiles,
} from "./auth/credentials";
export { EmulatorControl } from "./control/control-client";
export type { FaultAction, FaultMatch, FaultRule } from "./control/faults";
export type { SpaceEdit } from "./control/outside";
export type { QuotaConfig, QuotaLimits } from "./control/quotas";
export { GOOGLE_LIMITS } from "./control/quotas";
export { type Counters, isChatApiCall, type LoggedRequest } from "./control/request-log";
export type { SpaceSeed } from "./control/seed";
export type { SubjectTokenRequest } from "./keyless/ci-oidc";
export { type IamBinding, type ImpersonationRole, TOKEN_CREATOR, WORKLOAD_IDENTITY_USER } from "./keyless/iam-credentials";
export type { IssuedSecrets, KeylessRpc } from "./keyless/keyless";
export { KeylessControl } from "./keyless/keyless-control";
export type { WorkloadIdentityProvider } from "./keyless/sts";
export type { MemberRole, StoredMembership, StoredSpace, UserFixture, WorldSettings } from "./model";
export { DEFAULT_SETTINGS } from "./model";
export { type EmulatorOptions, type RunningEmulator, startEmulator } from "./server";
