/**
 * The test-control surface under `/emulator/v1/`: over HTTP, so a test can drive an
 * emulator that serves another process (the Pulumi engine's provider). It reads the
 * request log and state, resets, injects faults, turns quotas on, changes the emulated
 * organisation's settings, issues credentials, and makes the changes people make outside the
 * API ({@link OutsideChanges}).
 */
import type { Authenticator } from "../auth/auth";
import type { ChatStore } from "../chat/store";
import { ApiError } from "../errors";
import { type EmulatorState, emptyState, type WorldSettings } from "../model";
import type { FaultInjector, FaultRule } from "./faults";
import { OutsideChanges, type SpaceEdit } from "./outside";
import { DEFAULT_QUOTAS, type QuotaConfig, type QuotaEnforcer } from "./quotas";
import type { RequestLog } from "./request-log";
import { seedSpaces } from "./seed";

export interface ControlContext {
  store: ChatStore;
  auth: Authenticator;
  faults: FaultInjector;
  quotas: QuotaEnforcer;
  log: RequestLog;
  tokenUrl: string;
  /** The organisation settings the emulator started with, restored by reset. */
  initialSettings: WorldSettings;
  /** Answers every held request now, so a reset or stop leaves nothing hanging. */
  releaseHeld: () => void;
}

export interface ControlAnswer {
  status: number;
  body: unknown;
}

export const CONTROL_PREFIX = "/emulator/v1/";

/** What `GET /emulator/v1/state` returns: the stored data, credentials left out. */
export type PublicState = Pick<EmulatorState, "spaces" | "memberships" | "requestIds" | "settings">;

/** Answers a control request; a Chat rule an outside change breaks answers with Google's error body and status. */
// biome-ignore lint/suspicious/noExplicitAny: the request's parsed JSON, each route reads its own fields and hands them to the operation that checks them
export function handleControl(ctx: ControlContext, method: string, path: string, query: URLSearchParams, body: any): ControlAnswer {
  try {
    return route(ctx, `${method} ${path.slice(CONTROL_PREFIX.length)}`, query, body);
  } catch (error) {
    if (error instanceof ApiError) return { status: error.httpStatus, body: error.toBody() };
    throw error;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the request's parsed JSON, as handleControl's
function route(ctx: ControlContext, route: string, query: URLSearchParams, body: any): ControlAnswer {
  const ok = (value: unknown = {}) => ({ status: 200, body: value });
  switch (route) {
    case "GET requests":
      return ok({ requests: ctx.log.since(Number(query.get("since") ?? 0)) });
    case "GET counters":
      return ok(ctx.log.counters(Number(query.get("since") ?? 0)));
    case "GET state": {
      const { spaces, memberships, requestIds, settings } = ctx.store.state;
      return ok({ spaces, memberships, requestIds, settings } satisfies PublicState);
    }
    case "POST reset":
      reset(ctx, body?.keepCredentials !== false);
      return ok();
    case "GET faults":
      return ok({ faults: ctx.faults.list() });
    case "POST faults":
      return ok(ctx.faults.add(body as FaultRule));
    case "DELETE faults": {
      // `?id=`: that fault alone; the others, and the requests held, stay.
      const id = query.get("id");
      if (id) ctx.faults.remove(id);
      else {
        ctx.faults.clear();
        ctx.releaseHeld();
      }
      return ok();
    }
    case "POST faults/release":
      ctx.releaseHeld();
      return ok();
    case "GET quotas":
      return ok(ctx.quotas.settings);
    case "PUT quotas":
      return ok(ctx.quotas.configure(body as Partial<QuotaConfig>));
    case "GET settings":
      return ok(ctx.store.world);
    case "PUT settings":
      Object.assign(ctx.store.state.settings, body as Partial<WorldSettings>);
      ctx.store.changed();
      return ok(ctx.store.world);
    case "POST credentials/service-account": {
      const key = ctx.auth.createServiceAccount(ctx.tokenUrl, body?.name, body?.project);
      ctx.store.changed();
      return ok(key);
    }
    case "POST credentials/authorized-user": {
      const credentials = ctx.auth.createAuthorizedUser(body?.email, body?.scopes ?? [], body?.project);
      ctx.store.changed();
      return ok(credentials);
    }
    case "POST outside/remove-member":
      return ok(new OutsideChanges(ctx.store).removeMember(body?.space, body?.member));
    case "POST outside/add-member":
      return ok(new OutsideChanges(ctx.store).addMember(body?.space, body?.member, body?.role));
    case "POST outside/invite-member":
      return ok(new OutsideChanges(ctx.store).inviteMember(body?.space, body?.member, body?.role));
    case "POST outside/accept-invitation":
      return ok(new OutsideChanges(ctx.store).acceptInvitation(body?.space, body?.member));
    case "POST outside/set-role":
      return ok(new OutsideChanges(ctx.store).setRole(body?.space, body?.member, body?.role));
    case "POST outside/edit-space":
      return ok(new OutsideChanges(ctx.store).editSpace(body?.space, body?.edit as SpaceEdit));
    case "POST outside/complete-import":
      return ok(new OutsideChanges(ctx.store).completeImport(body?.space));
    case "POST seed":
      return ok({ names: seedSpaces(ctx.store, body?.spaces) });
    case "POST outside/delete-space":
      new OutsideChanges(ctx.store).deleteSpace(body?.space);
      return ok();
    default:
      return { status: 404, body: { error: `No control endpoint ${route}.` } };
  }
}

function reset(ctx: ControlContext, keepCredentials: boolean): void {
  const fresh = emptyState(ctx.initialSettings);
  if (keepCredentials) {
    const { serviceAccounts, authorizedUsers, accessTokens } = ctx.store.state;
    Object.assign(fresh, { serviceAccounts, authorizedUsers, accessTokens });
  }
  ctx.store.state = fresh;
  ctx.faults.clear();
  ctx.releaseHeld();
  ctx.quotas.configure(DEFAULT_QUOTAS);
  ctx.log.clear();
  ctx.store.changed();
}
