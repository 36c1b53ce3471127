import type { ConnectionContext } from "../observe/observer.types";
import { clientIpLines } from "./client-ip-headers";
import type { CompiledRoute } from "./compiled-route";

/**
 * What an HTTP/1.1 connection or an HTTP/2 session keeps of its client under the route it is on: the
 * client lines for its own address and no incoming chain (client-ip-headers.ts `clientIpLines`) and
 * whether its TCP peer (`context.peerAddress`) is one of the route's Trusted IPs. Worked out at the first
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

  /** The TCP peer is in `route`'s Trusted IPs. */
  peerTrustedUnder(route: CompiledRoute): boolean {
    if (this.route !== route) this.refresh(route);
    return this.trusted;
  }

  private refresh(route: CompiledRoute): void {
    this.route = route;
    this.lines = clientIpLines(route.clientIp, "", this.context.clientAddress);
    this.trusted = route.clientIp.trusted.has(this.context.peerAddress);
  }
}
