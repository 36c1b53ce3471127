import type net from "node:net";
import type { ConnectionContext } from "../observe/observer.types";
import { ClientConnection } from "./client-connection";
import type { HttpRoute } from "./compiled-route";
import type { ProxyHost } from "./exchange.types";
import { L7Handler } from "./l7-handler";
import type { HttpProxyOptions } from "./proxy-options";

/**
 * The HTTP/1.1 Layer-7 handler of one listener. `update` compiles the route once; connections
 * read `route` at each new request. One periodic sweep per handler checks every connection's
 * deadline and ages idle backend connections, instead of a timer per request (l7-handler.ts, shared
 * with the HTTP/2 handler). It is the listener set's connection handler for HTTP listeners
 * (`engine/listeners/http.ts`).
 */
export class HttpProxy extends L7Handler<ClientConnection> implements ProxyHost {
  constructor(route: HttpRoute, options?: HttpProxyOptions) {
    super(route, options);
  }

  /** Number of open client connections. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** One HTTP/1.1 client connection per accepted socket. */
  protected open(socket: net.Socket, context: ConnectionContext): ClientConnection {
    return new ClientConnection(this, socket, context);
  }
}

/** Creates the HTTP/1.1 proxy handler of a listener. */
export function createHttpProxy(route: HttpRoute, options?: HttpProxyOptions): HttpProxy {

  return new HttpProxy(route, options);
}
