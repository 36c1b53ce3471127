import type { ConnectionContext } from "../observe/observer.types";
import { clientIpLines } from "./client-ip-headers";
import type { CompiledRoute } from "./compiled-route";

/**
 * What an HTTP/1.1 connection or an HTTP/2 session keeps of its client under the route it is on: the
 * client lines for its own address and no incoming chain (client-ip-headers.ts `clientIpLines`) and
 * whether that client is one of the route's Trusted IPs. The client is `context.clientAddress`: the TCP
 * peer, or — behind a trusted L4 proxy that sent a PROXY header — the client the header named. Trusting
 * the proxy's own address instead would let any client behind it claim an address in X-Forwarded-For /
 * X-Real-IP that is believed (the proxy vouches for the connection, not for what its client writes in
 * headers). Worked out at the first
 * request and again only when the route changes (a snapshot update), so requests allocate nothing for it.
 */
export class ClientRouteCache {
  private route: CompiledRoute | null = null;
  private lines = "";
  private trusted = false;

  constructor(private readonly context: ConnectionContext) {}

  /** The client lines under `route`. */
  linesUnder(route: CompiledRoute): string {
    if (this.route !== route) this.refresh(route);
    return this.lines;
  }

  /** The connection's client is in `route`'s Trusted IPs. */
  clientTrustedUnder(route: CompiledRoute): boolean {
    if (this.route !== route) this.refresh(route);
    return this.trusted;
  }

  private refresh(route: CompiledRoute): void {
    this.route = route;
    this.lines = clientIpLines(route.clientIp, "", this.context.clientAddress);
    this.trusted = route.clientIp.trusted.has(this.context.clientAddress);
  }
}
