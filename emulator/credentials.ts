/**
 * Ready-to-use credential files for the demo and for tests: a service account key (app
 * auth) and user credentials, made by the running emulator at run time, never committed.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EmulatorControl } from "./control-client";

/** Scopes consented for the demo user: everything the provider may need with user auth. */
export const DEMO_USER_SCOPES = [
  "https://www.googleapis.com/auth/chat.spaces",
  "https://www.googleapis.com/auth/chat.delete",
  "https://www.googleapis.com/auth/chat.memberships",
];

export interface CredentialFiles {
  serviceAccountFile: string;
  authorizedUserFile: string;
}

/** Writes `service-account.json` and `authorized-user.json` (mode 0600) into `dir`. */
export async function writeCredentialFiles(emulatorUrl: string, dir: string): Promise<CredentialFiles> {
  const control = new EmulatorControl(emulatorUrl);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const serviceAccountFile = join(dir, "service-account.json");
  const authorizedUserFile = join(dir, "authorized-user.json");
  writeFileSync(serviceAccountFile, JSON.stringify(await control.serviceAccount(), null, 2), { mode: 0o600 });
  const user = await control.authorizedUser("admin@example.com", DEMO_USER_SCOPES);
  writeFileSync(authorizedUserFile, JSON.stringify(user, null, 2), { mode: 0o600 });
  return { serviceAccountFile, authorizedUserFile };
}
