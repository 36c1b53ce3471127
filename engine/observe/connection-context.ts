import { NOOP_OBSERVER } from "./noop-observer";
import type { ConnectionContext, ListenerBinding } from "./observer.types";

/** A binding for handlers used without a listener set (unit tests): no limit, no observer. */
export const UNBOUND: ListenerBinding = { listenerId: "", localAddress: "", localPort: 0, bandwidth: null, observer: NOOP_OBSERVER };

/** Builds the context of one accepted connection or UDP session. */
export function createConnectionContext(binding: ListenerBinding, clientAddress: string | undefined, clientPort: number | undefined): ConnectionContext {
  const address = normalizeIp(clientAddress);
  return {
    listenerId: binding.listenerId,
    localAddress: binding.localAddress,
    localPort: binding.localPort,
    clientAddress: address,
    clientPort: clientPort ?? 0,
    peerAddress: address,
    proxyHeaderCheck: false,
    bandwidth: binding.bandwidth,
    observer: binding.observer,
    openedAt: Date.now(),
    bytesIn: 0,
    bytesOut: 0,
    requestsInFlight: 0,
  };
}

/** A client address as plain IPv4 when it arrived as an IPv4-mapped IPv6 address. */
export function normalizeIp(address: string | undefined): string {
  if (address === undefined) return "";
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}
