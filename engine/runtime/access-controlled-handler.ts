import type net from "node:net";
import { AccessListCache, type AccessList } from "../access-control/access-list";
import type { ConnectionHandler, ListenerRoute } from "../listeners/listener.types";
import type { ConnectionContext } from "../observe/observer.types";
import type { HandlerFactory } from "./listener-set";

/**
 * A stream listener's handler (TCP, HTTP, HTTPS) with its listener's compiled whitelist beside it: the
 * accept path (`stream-binding.ts`) reads `access` and refuses a client before `handle` runs. `update`
 * recompiles the whitelist only when it changed and hands the route on, so a snapshot applies to new
 * connections; connections already accepted are not re-checked (a newly refused address keeps its
 * open connections until they end, as cloud load balancers do).
 */
export class AccessControlledHandler implements ConnectionHandler {
  private readonly lists = new AccessListCache();
  access: AccessList | null;

  constructor(
    /** The protocol handler connections are handed to. */
    readonly inner: ConnectionHandler,
    route: ListenerRoute,
  ) {
    this.access = this.lists.update(route.listener.accessControl);
  }

  handle(socket: net.Socket, context?: ConnectionContext): void {
    this.inner.handle(socket, context);
  }

  update(route: ListenerRoute): void {
    this.access = this.lists.update(route.listener.accessControl);
    this.inner.update(route);
  }

  drain(graceMs: number): Promise<void> {
    return this.inner.drain(graceMs);
  }

  problem(): string | null {
    return this.inner.problem?.() ?? null;
  }
}

/** The same factories, each handler wrapped with its listener's access control. */
export function withAccessControl<P extends string>(factories: Readonly<Partial<Record<P, HandlerFactory>>>): Readonly<Partial<Record<P, HandlerFactory>>> {
  const out: Partial<Record<P, HandlerFactory>> = {};
  for (const protocol of Object.keys(factories) as P[]) {
    const factory = factories[protocol];
    if (factory !== undefined) out[protocol] = (route) => new AccessControlledHandler(factory(route), route);
  }
  return out;
}
