/** A fresh emulator per suite, with credentials and Chat clients made the way users make them. */
import { chat, type chat_v1 } from "@googleapis/chat";
import { EmulatorControl, type RunningEmulator, type ServiceAccountKey, startEmulator, type WorldSettings } from "../../emulator";
import { type AuthSettings, createAuthClient } from "../../provider/core/google-auth";

export const SCOPE = (short: string) => `https://www.googleapis.com/auth/${short}`;

export interface TestEmulator {
  emulator: RunningEmulator;
  /** Moves the emulator's clock on (createTime and other times it writes, the Date of its answers). */
  advanceClock(ms: number): void;
  /** Puts the emulator's clock this far ahead of the one it started with (a suite's test starts at 0). */
  setClockAhead(ms: number): void;
  control: EmulatorControl;
  serviceAccount: ServiceAccountKey;
  /** A Chat client acting as the app, with these short scope names. */
  asApp(scopes: string[], options?: { selfSignedJwt?: boolean }): chat_v1.Chat;
  /** A Chat client acting as a user through domain-wide delegation. */
  asDelegatedUser(email: string, scopes: string[]): chat_v1.Chat;
  /** A Chat client acting as a user with `authorized_user` credentials consented for these scopes. */
  asUser(email: string, scopes: string[]): Promise<chat_v1.Chat>;
}

/** How a suite's emulator starts. */
export interface TestEmulatorOptions {
  /** The clock the emulator starts with, under {@link TestEmulator.advanceClock}; a fixed one makes its times exact. @default Date.now */
  now?: () => number;
  /** Settings the emulator starts with (a reset restores them). */
  settings?: Partial<WorldSettings>;
}

export function useEmulator(options: TestEmulatorOptions = {}): TestEmulator {
  const ctx = {} as TestEmulator;
  const clock = options.now ?? Date.now;
  let offset = 0;
  ctx.advanceClock = (ms) => void (offset += ms);
  ctx.setClockAhead = (ms) => void (offset = ms);
  const client = (settings: AuthSettings) => chat({ version: "v1", auth: createAuthClient(settings), rootUrl: `${ctx.emulator.url}/` });

  before(async () => {
    ctx.emulator = await startEmulator({ port: 0, now: () => clock() + offset, settings: options.settings });
    ctx.control = new EmulatorControl(ctx.emulator.url);
    ctx.serviceAccount = await ctx.control.serviceAccount();
    const tokenEndpoint = ctx.emulator.tokenUrl;
    ctx.asApp = (scopes, options = {}) => client({ credentials: { ...ctx.serviceAccount }, scopes: scopes.map(SCOPE), tokenEndpoint, ...options });
    ctx.asDelegatedUser = (email, scopes) => client({ credentials: { ...ctx.serviceAccount }, scopes: scopes.map(SCOPE), subject: email, tokenEndpoint });
    ctx.asUser = async (email, scopes) => {
      const credentials = await ctx.control.authorizedUser(email, scopes.map(SCOPE));
      return client({ credentials: { ...credentials }, scopes: scopes.map(SCOPE), tokenEndpoint });
    };
  });
  beforeEach(() => {
    offset = 0;
    return ctx.control.reset();
  });
  after(() => ctx.emulator.stop());
  return ctx;
}

/** A predicate for `assert.rejects` matching a Google error by HTTP status, status name and message. */
export function googleError(code: number, status: string, message?: string | RegExp) {
  return (error: any) => {
    const body = error?.response?.data?.error;
    if (error?.status !== code || body?.code !== code || body?.status !== status) {
      throw new Error(`expected ${code} ${status}, got ${error?.status} ${JSON.stringify(body ?? error?.message)}`);
    }
    if (message !== undefined) {
      const matches = typeof message === "string" ? body.message === message : message.test(body.message);
      if (!matches) throw new Error(`expected message ${message}, got ${JSON.stringify(body.message)}`);
    }
    return true;
  };
}
