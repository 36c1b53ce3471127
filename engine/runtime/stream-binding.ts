import type net from "node:net";
import type { AddressLimits } from "../limits/address-limits";
import type { Bandwidth } from "../limits/bandwidth.types";
import type { ConnectionHandler } from "../listeners/listener.types";
import { createConnectionContext } from "../observe/connection-context";
import type { ConnectionObserver, ListenerBinding } from "../observe/observer.types";
import { CONNECTION_LIMIT_REACHED, DEFAULT_CONNECTION_GATE, type ConnectionGate } from "./connection-gate";

/**
 * One bound address of a TCP-based listener and its accept path, built once per bind (not per
 * connection): accept → the engine's connection cap (`gate`: at the cap the socket is closed at once
 * and reported to the observer as an `internal` error with CONNECTION_LIMIT_REACHED) → connection
 * context → [access control: engine/access-control/] → [PROXY protocol accept: engine/io/] → handler
 * (TCP pipe, or HTTP; HTTPS wraps the socket in TLS first).
 */
export class StreamBinding implements ListenerBinding {
  constructor(
    readonly listenerId: string,
    readonly localAddress: string,
    readonly localPort: number,
    private readonly limits: AddressLimits,
    readonly observer: ConnectionObserver,
    private readonly handler: ConnectionHandler,
    /** The engine-wide connection cap, shared by every binding of a runtime. */
    private readonly gate: ConnectionGate = DEFAULT_CONNECTION_GATE,
  ) {}

  /** The address's bucket now (EIP bandwidth), looked up once per accepted connection. */
  get bandwidth(): Bandwidth | null {
    return this.limits.bucketFor(this.localAddress);
  }

  /** net.Server connection callback (bound once). */
  readonly accept = (socket: net.Socket): void => {
    const gate = this.gate;
    const context = createConnectionContext(this, socket.remoteAddress, socket.remotePort);
    if (!gate.enter()) {
      socket.destroy();
      context.observer.error(context, "internal", CONNECTION_LIMIT_REACHED);
      return;
    }
    socket.on("close", gate.leave);
    this.handler.handle(socket, context);
  };
}
