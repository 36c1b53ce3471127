import type net from "node:net";
import type { AddressLimits } from "../limits/address-limits";
import type { TokenBucket } from "../limits/token-bucket";
import type { ConnectionHandler } from "../listeners/listener.types";
import { createConnectionContext } from "../observe/connection-context";
import type { ConnectionObserver, ListenerBinding } from "../observe/observer.types";

/**
 * One bound address of a TCP-based listener and its accept path, built once per bind (not per
 * connection): accept → connection context → [access control: engine/access-control/] →
 * [PROXY protocol accept: engine/io/] → handler (TCP pipe, or HTTP; HTTPS wraps the socket in TLS first).
 */
export class StreamBinding implements ListenerBinding {
  constructor(
    readonly listenerId: string,
    readonly localAddress: string,
    readonly localPort: number,
    private readonly limits: AddressLimits,
    readonly observer: ConnectionObserver,
    private readonly handler: ConnectionHandler,
  ) {}

  /** The address's bucket now (EIP bandwidth), looked up once per accepted connection. */
  get bandwidth(): TokenBucket | null {
    return this.limits.bucketFor(this.localAddress);
  }

  /** net.Server connection callback (bound once). */
  readonly accept = (socket: net.Socket): void => {
    this.handler.handle(socket, createConnectionContext(this, socket.remoteAddress, socket.remotePort));
  };
}
