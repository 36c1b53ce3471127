import type net from "node:net";
import { readProxyHeader } from "../io/proxy-header-reader";
import type { AddressLimits } from "../limits/address-limits";
import type { Bandwidth } from "../limits/bandwidth.types";
import type { ConnectionHandler } from "../listeners/listener.types";
import { createConnectionContext } from "../observe/connection-context";
import type { ListenerObserver } from "../observe/listener-metrics";
import type { ConnectionContext, ConnectionObserver, ListenerBinding } from "../observe/observer.types";
import { applyProxyRead, type ProxyAccept, type ProxyAcceptingHandler } from "./client-ip-accept";
import { CONNECTION_LIMIT_REACHED, DEFAULT_CONNECTION_GATE, type ConnectionGate } from "./connection-gate";

/** The cause reported with `access_denied`. */
export const ACCESS_DENIED = new Error("client address not in the listener's whitelist (access control)");

/**
 * One bound address of a TCP-based listener and its accept path, built once per bind (not per
 * connection): accept → connection context → access control (the handler's compiled whitelist,
 * `engine/access-control/`: a refused client's socket is destroyed before any handler or TLS work and
 * reported once to the observer as `access_denied`; off = one null check) → the engine's connection cap
 * (`gate`: at the cap the socket is closed at once and reported as an `internal` error with
 * CONNECTION_LIMIT_REACHED) → handler (TCP pipe, or HTTP; HTTPS wraps the socket in TLS first).
 *
 * With PROXY protocol accept on (the handler's `proxyAccept`, `client-ip-accept.ts`; off = one null
 * check, the path above unchanged): an untrusted peer is checked by access control at once (its address
 * is final), then the cap, then its first bytes are read for a header it must not send; a trusted peer
 * takes its place under the cap first (a slow header counts against it), then its header is read
 * (`io/proxy-header-reader.ts`, bounded in bytes and time) and its source replaces the client address,
 * and access control judges that address. Either way before any handler or TLS work.
 *
 * A connection admitted under the cap is counted in the listener's metrics (`counts`, from then until its
 * socket closes: its TLS handshake and PROXY header included); null = not counted here (tests).
 */
export class StreamBinding implements ListenerBinding {
  constructor(
    readonly listenerId: string,
    readonly localAddress: string,
    readonly localPort: number,
    private readonly limits: AddressLimits,
    readonly observer: ConnectionObserver,
    private readonly handler: ConnectionHandler & ProxyAcceptingHandler,
    /** The engine-wide connection cap, shared by every binding of a runtime. */
    private readonly gate: ConnectionGate = DEFAULT_CONNECTION_GATE,
    /** The listener's metrics observer; null = none. */
    private readonly counts: ListenerObserver | null = null,
  ) {}

  /** The address's bucket now (EIP bandwidth), looked up once per accepted connection. */
  get bandwidth(): Bandwidth | null {
    return this.limits.bucketFor(this.localAddress);
  }

  /** net.Server connection callback (bound once). */
  readonly accept = (socket: net.Socket): void => {
    const gate = this.gate;
    const context = createConnectionContext(this, socket.remoteAddress, socket.remotePort);
    const proxyAccept = this.handler.proxyAccept;
    if (proxyAccept != null) return this.acceptWithProxyHeader(socket, context, proxyAccept);
    const access = this.handler.access;
    if (access != null && !access.admits(context.clientAddress)) {
      socket.destroy();
      context.observer.error(context, "access_denied", ACCESS_DENIED);
      return;
    }
    if (!gate.enter()) {
      socket.destroy();
      context.observer.error(context, "internal", CONNECTION_LIMIT_REACHED);
      return;
    }
    socket.on("close", gate.leave);
    this.counts?.accepted(socket, context, false);
    this.handler.handle(socket, context);
  };

  private acceptWithProxyHeader(socket: net.Socket, context: ConnectionContext, proxyAccept: ProxyAccept): void {
    const trusted = proxyAccept.trusted.has(context.peerAddress);
    if (!trusted && !this.admits(socket, context)) return;
    const gate = this.gate;
    if (!gate.enter()) {
      socket.destroy();
      context.observer.error(context, "internal", CONNECTION_LIMIT_REACHED);
      return;
    }
    socket.on("close", gate.leave);
    const counts = this.counts;
    const handedOn = !trusted && proxyAccept.handlerChecksUntrusted;
    counts?.accepted(socket, context, !handedOn);
    if (handedOn) {
      context.proxyHeaderCheck = true; // a TCP session: it checks the first bytes whenever they come
      this.handler.handle(socket, context);
      return;
    }
    readProxyHeader(socket, { timeoutMs: proxyAccept.timeoutMs, required: trusted }, (result) => {
      if (!applyProxyRead(result, trusted, socket, context)) return;
      if (trusted && !this.admits(socket, context)) return;
      counts?.headerRead(context);
      this.handler.handle(socket, context);
    });
  }

  /** Access control on the client address now in `context`; false = refused (closed and reported). */
  private admits(socket: net.Socket, context: ConnectionContext): boolean {
    const access = this.handler.access;
    if (access == null || access.admits(context.clientAddress)) return true;
    socket.destroy();
    context.observer.error(context, "access_denied", ACCESS_DENIED);
    return false;
  }
}
