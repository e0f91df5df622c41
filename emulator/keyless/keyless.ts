/**
 * The stand-ins keyless credentials talk to, on the emulator's own address (emulator/README.md,
 * keyless credentials): a credential file or environment variable points the stock
 * client libraries at them, the provider has no special case for them.
 *
 * | path                          | stands in for |
 * |-------------------------------|---------------|
 * | `POST /sts/v1/token`          | Security Token Service ({@link SecurityTokenService}) |
 * | `/iam/v1/projects/-/serviceAccounts/…` | IAM Credentials ({@link IamCredentials}) |
 * | `GET /computeMetadata/v1/…`   | the metadata server ({@link MetadataServer}) |
 * | `GET /ci/oidc-token`          | a CI system's ID-token URL ({@link CiOidcIssuer}) |
 * | `/emulator/v1/keyless/…`      | their control surface ({@link KeylessControl} is its client) |
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Authenticator } from "../auth/auth";
import type { LoggedRequest, RequestLog } from "../control/request-log";
import type { EmulatorState } from "../model";
import { CiOidcIssuer, type SubjectTokenRequest } from "./ci-oidc";
import { type IamBinding, IamCredentials } from "./iam-credentials";
import { METADATA_PREFIX, MetadataServer } from "./metadata";
import { SecurityTokenService } from "./sts";

export const STS_PATH = "/sts/v1/token";
export const IAM_PREFIX = "/iam";
export const CI_TOKEN_PATH = "/ci/oidc-token";
export const KEYLESS_CONTROL_PREFIX = "/emulator/v1/keyless/";

/** The request-log names of the keyless stand-ins' methods. */
export type KeylessRpc = "sts.token" | "iamcredentials.generateAccessToken" | "iamcredentials.signJwt" | "metadata.token" | "metadata.get" | "ci.oidcToken";

/** Every secret the keyless stand-ins handed out (`GET /emulator/v1/keyless/issued`), for leak tests. */
export interface IssuedSecrets {
  /** CI ID tokens and the job request tokens that fetch them. */
  subjectTokens: string[];
  /** STS answers. */
  federatedTokens: string[];
  /** `signJwt` answers. */
  signedJwts: string[];
}

export interface KeylessDeps {
  state: () => EmulatorState;
  auth: Authenticator;
  log: RequestLog;
  /** The emulator's base URL, known once it listens. */
  url: () => string;
  now: () => number;
}

export class KeylessServices {
  readonly ci: CiOidcIssuer;
  readonly sts: SecurityTokenService;
  readonly iam: IamCredentials;
  readonly metadata: MetadataServer;

  constructor(private readonly deps: KeylessDeps) {
    const issueAccessToken = deps.auth.issueAccessToken.bind(deps.auth);
    this.ci = new CiOidcIssuer(() => `${deps.url()}/ci`, deps.now);
    this.sts = new SecurityTokenService(this.ci, deps.now);
    this.iam = new IamCredentials({
      state: deps.state,
      keys: deps.auth.managedKeys,
      callerOf: (token) => this.sts.callerOf(token) ?? deps.auth.callerOf(token),
      issueAccessToken,
      now: deps.now,
    });
    this.metadata = new MetadataServer({ state: deps.state, issueAccessToken });
  }

  /** Answers the request if its path is one of the stand-ins' (true), else leaves it to the Chat routes (false). */
  serve(req: IncomingMessage, res: ServerResponse, url: URL, raw: string): boolean {
    const method = req.method ?? "GET";
    const path = url.pathname;
    const started = Date.now();
    const finish = (rpc: KeylessRpc | "unknown", status: number, principal?: string) => {
      const entry: Omit<LoggedRequest, "seq"> = {
        time: new Date(started).toISOString(),
        method,
        path,
        query: Object.fromEntries(url.searchParams),
        rpc,
        status,
        durationMs: Date.now() - started,
      };
      if (principal) entry.principal = principal;
      this.deps.log.add(entry);
    };
    const json = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/json; charset=UTF-8", ...extra });
      res.end(JSON.stringify(body));
    };

    if (path.startsWith(KEYLESS_CONTROL_PREFIX)) {
      let answer: { status: number; body: unknown };
      try {
        answer = { status: 200, body: this.control(`${method} ${path.slice(KEYLESS_CONTROL_PREFIX.length)}`, raw ? JSON.parse(raw) : {}) };
      } catch (error) {
        answer = { status: 400, body: { error: (error as Error).message } };
      }
      json(answer.status, answer.body);
      return true;
    }
    if (path === STS_PATH) {
      const answer =
        method === "POST" ? this.sts.exchange(new URLSearchParams(raw)) : { status: 405, body: { error: "invalid_request", error_description: "POST only." } };
      json(answer.status, answer.body);
      finish("sts.token", answer.status, "principal" in answer ? answer.principal : undefined);
      return true;
    }
    if (path.startsWith(`${IAM_PREFIX}/`)) {
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const answer = this.iam.handle(method, path.slice(IAM_PREFIX.length), req.headers.authorization, body);
      json(answer.status, answer.body);
      finish(answer.rpc, answer.status, answer.principal);
      return true;
    }
    if (path.startsWith(METADATA_PREFIX) || path === METADATA_PREFIX.slice(0, -1)) {
      const answer = this.metadata.handle(method, path, url.searchParams, req.headers);
      res.writeHead(answer.status, { "Content-Type": answer.contentType, "Metadata-Flavor": "Google" });
      res.end(answer.body);
      finish(answer.rpc, answer.status, answer.principal);
      return true;
    }
    if (path === CI_TOKEN_PATH) {
      const answer = this.ci.handle(method, url.searchParams, req.headers.authorization);
      json(answer.status, answer.body);
      finish("ci.oidcToken", answer.status);
      return true;
    }
    return false;
  }

  /** The control operations: see {@link KeylessControl} for each one's meaning. */
  // biome-ignore lint/suspicious/noExplicitAny: the request's parsed JSON, each operation reads its own fields (KeylessControl types them for callers)
  private control(route: string, body: any): unknown {
    switch (route) {
      case "POST service-accounts":
        return this.deps.auth.createKeylessServiceAccount(body.name, body.project);
      case "POST iam-bindings":
        this.iam.bind(body as IamBinding);
        return {};
      case "POST workload-identity-providers":
        return this.sts.addProvider(body.projectNumber, body.pool, body.provider);
      case "POST subject-tokens":
        return { token: this.ci.mint(body as SubjectTokenRequest) };
      case "POST ci-jobs":
        return { requestUrl: `${this.deps.url()}${CI_TOKEN_PATH}?api-version=2.0`, requestToken: this.ci.newRequestToken(body) };
      case "PUT metadata": {
        const email = body.serviceAccount as string | undefined;
        if (email !== undefined && !this.deps.state().serviceAccounts[email]) throw new Error(`Unknown service account ${email}.`);
        this.metadata.serviceAccount = email;
        if (body.scopes) this.metadata.instanceScopes = body.scopes;
        return {};
      }
      case "GET issued":
        return { subjectTokens: this.ci.issued(), federatedTokens: this.sts.issued(), signedJwts: this.iam.issued() } satisfies IssuedSecrets;
      default:
        throw new Error(`No control endpoint keyless/${route.split(" ")[1]} for ${route.split(" ")[0]}.`);
    }
  }
}
