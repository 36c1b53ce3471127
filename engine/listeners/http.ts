import { createHttpProxy } from "../l7/http-proxy";
import type { HttpProxyOptions } from "../l7/proxy-context";
import type { ConnectionHandler, ListenerRoute } from "./listener.types";

export type { HttpProxyOptions } from "../l7/proxy-context";

/**
 * Connection handler of an HTTP listener: the engine's HTTP/1.1 Layer-7 proxy (strict parsing,
 * keep-alive both sides, X-Forwarded-*, cookie stickiness, WebSocket pass-through, 502/503/504).
 * Options default to production values (see HttpProxyOptions).
 */
export function createHttpHandler(route: ListenerRoute, options?: HttpProxyOptions): ConnectionHandler {
  return createHttpProxy(route, options);
}
