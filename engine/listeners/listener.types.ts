import type net from "node:net";
import type { AccessList } from "../access-control/access-list";
import type { SnapshotCertificate, SnapshotListener } from "../protocol/snapshot.types";
import type { PoolRuntime } from "../pools/pool-runtime.types";
import type { ConnectionContext } from "../observe/observer.types";

/** What a listener forwards to: its config and its default backend server group (null = none yet). */
export interface ListenerRoute {
  readonly listener: SnapshotListener;
  readonly pool: PoolRuntime | null;
  /**
   * The pools the listener's forwarding policies target, by pool id (a policy whose pool is missing is
   * left out). Absent = the listener has no forwarding policies.
   */
  readonly policyPools?: ReadonlyMap<string, PoolRuntime>;
  /** The snapshot's certificates by id (HTTPS listeners: server, SNI and CA certificates). Absent = none. */
  readonly certificates?: ReadonlyMap<string, SnapshotCertificate>;
}

/**
 * Handles accepted connections of a TCP-based listener (TCP, HTTP; HTTPS later wraps it).
 * One handler per listener, shared by all its bound addresses. The runtime calls `update` when a new
 * snapshot changes the route: new connections and new requests use it, established ones keep going.
 */
export interface ConnectionHandler {
  /**
   * Takes ownership of one accepted client socket. `context` (built per accept by the listener set):
   * listener, local address, the bandwidth bucket of a limited address (an EIP: bytes sent to this
   * client are shaped by it) and the observer; without one (unit tests) none of them apply.
   */
  handle(socket: net.Socket, context?: ConnectionContext): void;
  /**
   * The listener's compiled whitelist, checked by the accept path (`runtime/stream-binding.ts`) before
   * `handle`: null or absent = access control off. The runtime's access-control wrapper keeps it.
   */
  readonly access?: AccessList | null;
  /** Swaps the route for new connections/requests. */
  update(route: ListenerRoute): void;
  /** Stop taking requests: close idle connections now, let in-flight ones finish, resolve when all are closed (or after `graceMs`). */
  drain(graceMs: number): Promise<void>;
  /**
   * What is wrong with the route last given (HTTPS: a certificate that cannot be used, named), reported
   * by the listener set as this listener's error; null or absent = nothing.
   */
  problem?(): string | null;
}
