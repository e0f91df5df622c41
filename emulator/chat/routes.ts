/**
 * The Chat API's REST routes (docs/google-chat-api.md "Routes"): which method a request is,
 * and the call into the store for it. `{+name}` path parameters arrive unescaped.
 */

import type { ChatMethod } from "../auth/scopes";
import { notFound } from "../errors";
import type { Caller } from "../model";
import type { MemberService } from "./members";
import { searchSpaces } from "./space-search";
import type { ChatStore } from "./store";

export interface Route {
  rpc: ChatMethod;
  /** `spaces/{s}` or `spaces/{s}/members/{m}`: the resource, or the parent for create and list. */
  name?: string;
  /** Whether the method takes `useAdminAccess`. */
  adminAccess: boolean;
}

export type Query = Record<string, string | undefined>;

const SPACE = "spaces/[^/:]+";

const table: { method: string; pattern: RegExp; rpc: ChatMethod; adminAccess: boolean }[] = [
  { method: "POST", pattern: /^\/v1\/spaces$/, rpc: "spaces.create", adminAccess: false },
  { method: "GET", pattern: /^\/v1\/spaces$/, rpc: "spaces.list", adminAccess: false },
  { method: "GET", pattern: /^\/v1\/spaces:search$/, rpc: "spaces.search", adminAccess: true },
  { method: "POST", pattern: new RegExp(`^/v1/(${SPACE}):completeImport$`), rpc: "spaces.completeImport", adminAccess: false },
  { method: "GET", pattern: new RegExp(`^/v1/(${SPACE})$`), rpc: "spaces.get", adminAccess: true },
  { method: "PATCH", pattern: new RegExp(`^/v1/(${SPACE})$`), rpc: "spaces.patch", adminAccess: true },
  { method: "DELETE", pattern: new RegExp(`^/v1/(${SPACE})$`), rpc: "spaces.delete", adminAccess: true },
  { method: "POST", pattern: new RegExp(`^/v1/(${SPACE})/members$`), rpc: "spaces.members.create", adminAccess: true },
  { method: "GET", pattern: new RegExp(`^/v1/(${SPACE})/members$`), rpc: "spaces.members.list", adminAccess: true },
  { method: "GET", pattern: new RegExp(`^/v1/(${SPACE}/members/.+)$`), rpc: "spaces.members.get", adminAccess: true },
  { method: "PATCH", pattern: new RegExp(`^/v1/(${SPACE}/members/.+)$`), rpc: "spaces.members.patch", adminAccess: true },
  { method: "DELETE", pattern: new RegExp(`^/v1/(${SPACE}/members/.+)$`), rpc: "spaces.members.delete", adminAccess: true },
];

export function matchRoute(method: string, path: string): Route | undefined {
  const decoded = decodeURIComponent(path);
  for (const row of table) {
    const match = row.method === method ? row.pattern.exec(decoded) : null;
    if (match) return { rpc: row.rpc, name: match[1], adminAccess: row.adminAccess };
  }
  return undefined;
}

/** The space id a request addresses, for per-space quotas. */
export function spaceIdOf(route: Route): string | undefined {
  return route.name ? /^spaces\/([^/:]+)/.exec(route.name)?.[1] : undefined;
}

export interface MethodCall {
  route: Route;
  caller: Caller;
  query: Query;
  // The request's parsed JSON (a Schema$Space or Schema$Membership): each method reads and checks the fields Google takes.
  // biome-ignore lint/suspicious/noExplicitAny: shaped by the method, checked by it
  body: any;
  store: ChatStore;
  members: MemberService;
}

export function callMethod({ route, caller, query, body, store, members }: MethodCall): unknown {
  const name = route.name ?? "";
  switch (route.rpc) {
    case "spaces.create":
      return store.createSpace(caller, body ?? {}, query.requestId || undefined);
    case "spaces.list":
      return store.listSpaces(caller, query);
    case "spaces.search":
      return searchSpaces(store, caller, query);
    case "spaces.get":
      return store.getSpace(caller, name);
    case "spaces.patch":
      return store.patchSpace(caller, name, query.updateMask, body ?? {});
    case "spaces.delete":
      return store.deleteSpace(caller, name);
    case "spaces.completeImport":
      return store.completeImport(caller, name);
    case "spaces.members.create":
      return members.create(caller, name, body ?? {});
    case "spaces.members.list":
      return members.list(caller, name, query);
    case "spaces.members.get":
      return members.get(caller, name);
    case "spaces.members.patch":
      return members.patch(caller, name, query.updateMask, body ?? {});
    case "spaces.members.delete":
      return members.delete(caller, name);
    default:
      throw notFound("Method not found.");
  }
}
