import { compileAddressSet } from "../access-control/address-set";
import { createHttpProxy } from "../l7/http-proxy";
import type { HttpProxyOptions } from "../l7/proxy-options";
import type { ConnectionHandler, ListenerRoute } from "./listener.types";

export type { HttpProxyOptions } from "../l7/proxy-options";

/**
 * Connection handler of an HTTP listener: the engine's HTTP/1.1 Layer-7 proxy (strict parsing,
 * keep-alive both sides, X-Forwarded-*, cookie stickiness, WebSocket pass-through, 502/503/504).
 * Options default to production values (see HttpProxyOptions). An HTTPS listener will wrap the
 * socket in TLS (`engine/tls/`) and hand it to the same handler. Trusted IPs are compiled with
 * access-control's `compileAddressSet` (l7 cannot import it).
 */
export function createHttpHandler(route: ListenerRoute, options?: HttpProxyOptions): ConnectionHandler {
  return createHttpProxy(route, { compileTrustedIps: compileAddressSet, ...options });
}
