/**
 * The emulator's HTTP server: `/v1/...` is the Chat API, `/token` Google's OAuth token
 * endpoint, `/emulator/v1/...` the test-control surface. Starting it builds the services over
 * the state, listens, and hands back the addresses; what it does with each request is
 * request-handler.ts.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Authenticator } from "./auth/auth";
import { TOKENINFO_PATH } from "./auth/tokeninfo";
import { MemberService } from "./chat/members";
import { ChatStore } from "./chat/store";
import { FaultInjector } from "./control/faults";
import { QuotaEnforcer } from "./control/quotas";
import { RequestLog } from "./control/request-log";
import { CI_TOKEN_PATH, IAM_PREFIX, KeylessServices, STS_PATH } from "./keyless/keyless";
import { DEFAULT_SETTINGS, emptyState, type WorldSettings } from "./model";
import { loadState, saveState } from "./persist";
import { type EmulatorServices, HeldAnswers, RequestHandler, TOKEN_PATH } from "./request-handler";

/** How to start an emulator: where it listens, the state it keeps, the organisation, the clock. */
export interface EmulatorOptions {
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** Keep the state in this file across restarts. */
  dataFile?: string;
  /** The emulated organisation, over {@link DEFAULT_SETTINGS}. */
  settings?: Partial<WorldSettings>;
  /**
   * The clock of the times the emulator writes (createTime, ...) and of its answers' `Date`
   * header, for tests that move time on; the `clockSkewMs` setting is added to it. @default Date.now
   */
  now?: () => number;
}

/** A started emulator: the addresses the clients are pointed at, and `stop`. */
export interface RunningEmulator {
  /** Base URL, such as `http://127.0.0.1:39123`: the Chat API root and the control surface. */
  url: string;
  /** The OAuth token endpoint to point the Google clients at. */
  tokenUrl: string;
  /** Token introspection (Google's https://oauth2.googleapis.com/tokeninfo), beside the token endpoint. */
  tokenInfoUrl: string;
  /** Security Token Service: the `token_url` of an `external_account` credential file (emulator/README.md, keyless credentials). */
  stsUrl: string;
  /** IAM Credentials' root, as `googlechat:iamCredentialsEndpoint` takes it (`…/v1/projects/-/serviceAccounts/SA:generateAccessToken` below it). */
  iamUrl: string;
  /** `host:port` of the metadata server, for `GCE_METADATA_HOST`. */
  metadataHost: string;
  /** The CI system's ID-token URL (GitHub's ACTIONS_ID_TOKEN_REQUEST_URL); a job's request token comes from the keyless control. */
  ciTokenUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts an emulator: builds the services over the state, serves each request with them
 * (request-handler.ts), listens, and hands back its addresses.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  // The keyless stand-ins and the control surface name the emulator's own address, known once it
  // listens: they read it as they serve, and no request arrives before it listens.
  let url = "";
  const services = buildServices(options, () => url);
  const held = new HeldAnswers();
  const requests = new RequestHandler(services, held, () => `${url}${TOKEN_PATH}`);
  const server = createServer((req, res) => requests.serve(req, res));
  const address = await listen(server, options);
  url = address.url;
  return runningEmulator(server, address, held);
}

/** The state (from `dataFile`, or new with the settings) and the services over it, on their clocks. */
function buildServices(options: EmulatorOptions, url: () => string): EmulatorServices {
  const initialSettings = { ...DEFAULT_SETTINGS, ...options.settings };
  const state = options.dataFile ? loadState(options.dataFile, initialSettings) : emptyState(initialSettings);
  const dataFile = options.dataFile;
  const clock = options.now ?? Date.now;
  // Google's clock: the one the emulator was given, moved by the clockSkewMs setting.
  const store: ChatStore = new ChatStore(state, dataFile ? () => saveState(dataFile, store.state) : undefined, () => clock() + store.world.clockSkewMs);
  const members = new MemberService(store);
  const auth = new Authenticator(() => store.state);
  const faults = new FaultInjector();
  // Quotas refill on the emulator's clock, so a test that moves time on refills them with it.
  const quotas = new QuotaEnforcer(clock);
  const log = new RequestLog();
  // The Authenticator's clock (real time): the tokens both issue expire alike.
  const keyless = new KeylessServices({ state: () => store.state, auth, log, url, now: Date.now });
  return { initialSettings, store, members, auth, faults, quotas, log, keyless };
}

/** Where the emulator listens, as its clients reach it. */
interface ListenAddress {
  /** `http://host:port`. */
  url: string;
  host: string;
  port: number;
}

/** Listens on the options' port and host; a wildcard host (`0.0.0.0`) is reached on 127.0.0.1. */
async function listen(server: Server, options: EmulatorOptions): Promise<ListenAddress> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1";
  return { url: `http://${host}:${port}`, host, port };
}

/** The running emulator's addresses, and `stop`: held answers released, connections closed. */
function runningEmulator(server: Server, { url, host, port }: ListenAddress, held: HeldAnswers): RunningEmulator {
  return {
    url,
    tokenUrl: `${url}${TOKEN_PATH}`,
    tokenInfoUrl: `${url}${TOKENINFO_PATH}`,
    stsUrl: `${url}${STS_PATH}`,
    iamUrl: `${url}${IAM_PREFIX}`,
    metadataHost: `${host}:${port}`,
    ciTokenUrl: `${url}${CI_TOKEN_PATH}`,
    stop: async () => {
      held.releaseAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
