import type net from "node:net";
import { AccessListCache, type AccessList } from "../access-control/access-list";
import type { ConnectionHandler, ListenerRoute } from "../listeners/listener.types";
import type { ConnectionContext } from "../observe/observer.types";
import { DEFAULT_PROXY_HEADER_TIMEOUT_MS, ProxyAcceptCache, type ProxyAccept, type ProxyAcceptingHandler } from "./client-ip-accept";
import type { HandlerFactory } from "./listener-set";

/**
 * A stream listener's handler (TCP, HTTP, HTTPS) with its listener's compiled whitelist and PROXY
 * protocol accept (Trusted IPs, `client-ip-accept.ts`) beside it: the accept path (`stream-binding.ts`)
 * reads `access` and `proxyAccept` and refuses a client before `handle` runs. `update` recompiles each
 * only when it changed and hands the route on, so a snapshot applies to new connections; connections
 * already accepted are not re-checked (a newly refused address keeps its open connections until they
 * end, as cloud load balancers do).
 */
export class AccessControlledHandler implements ConnectionHandler, ProxyAcceptingHandler {
  private readonly lists = new AccessListCache();
  private readonly accepts: ProxyAcceptCache;
  access: AccessList | null;
  proxyAccept: ProxyAccept | null;

  constructor(
    /** The protocol handler connections are handed to. */
    readonly inner: ConnectionHandler,
    route: ListenerRoute,
    /** Deadline of a PROXY header from accept; default DEFAULT_PROXY_HEADER_TIMEOUT_MS (5 s). */
    proxyHeaderTimeoutMs = DEFAULT_PROXY_HEADER_TIMEOUT_MS,
  ) {
    this.access = this.lists.update(route.listener.accessControl);
    this.accepts = new ProxyAcceptCache(proxyHeaderTimeoutMs);
    this.proxyAccept = this.accepts.update(route.listener);
  }

  handle(socket: net.Socket, context?: ConnectionContext): void {
    this.inner.handle(socket, context);
  }

  update(route: ListenerRoute): void {
    this.access = this.lists.update(route.listener.accessControl);
    this.proxyAccept = this.accepts.update(route.listener);
    this.inner.update(route);
  }

  drain(graceMs: number): Promise<void> {
    return this.inner.drain(graceMs);
  }

  problem(): string | null {
    return this.inner.problem?.() ?? null;
  }
}

/**
 * The same factories, each handler wrapped with its listener's access control and PROXY protocol
 * accept (`proxyHeaderTimeoutMs`: deadline of a header, default 5 s).
 */
export function withAccessControl<P extends string>(
  factories: Readonly<Partial<Record<P, HandlerFactory>>>,
  proxyHeaderTimeoutMs = DEFAULT_PROXY_HEADER_TIMEOUT_MS,
): Readonly<Partial<Record<P, HandlerFactory>>> {
  const out: Partial<Record<P, HandlerFactory>> = {};
  for (const protocol of Object.keys(factories) as P[]) {
    const factory = factories[protocol];
    if (factory !== undefined) out[protocol] = (route) => new AccessControlledHandler(factory(route), route, proxyHeaderTimeoutMs);
  }
  return out;
}
