import { encodeProxyV1 } from "@/engine/protocol/proxy-protocol/encode";
import { DEFAULT_CLIENT_IP, type ClientIpTransport, type SnapshotListener } from "@/engine/protocol/snapshot.types";
import { PROXIED_CLIENT, PROXIED_LOOPBACK_CLIENT, TEST_CLIENT_ADDRESS, TEST_ENGINE_ADDRESS } from "./test-addresses";
import { isTrustedAddress } from "./trusted-address";

/** How the tester's client approaches a listener with Proxy Protocol Accept. */
export interface ProxyInFront {
  /** The PROXY v1 header it sends first (it is a trusted proxy in front); null = a direct client. */
  header: Buffer | null;
  /** The address the backend should see as the client. */
  expectedClientAddress: string;
  /** Why it sent a header or not; null when Proxy Protocol Accept is off. */
  note: string | null;
}

/**
 * With Proxy Protocol Accept on (TCP/HTTP/HTTPS), the tester plays the proxy in front only if its
 * address is in Trusted IPs — then its PROXY v1 header names PROXIED_CLIENT as the client, whom the
 * backend should see; otherwise it connects as a direct client (a header from an untrusted peer is refused).
 * With a transparent group (`transfer`) it names PROXIED_LOOPBACK_CLIENT instead, an address the engine
 * can connect from on this host.
 */
export function proxyInFront(listener: SnapshotListener, transfer: ClientIpTransport | null): ProxyInFront {
  const clientIp = listener.clientIp ?? DEFAULT_CLIENT_IP;
  const direct = { header: null, expectedClientAddress: TEST_CLIENT_ADDRESS };
  if (listener.protocol === "UDP" || !clientIp.proxyProtocolAccept) return { ...direct, note: null };
  if (!isTrustedAddress(clientIp.trustedIps, TEST_CLIENT_ADDRESS)) {
    return { ...direct, note: `Proxy Protocol Accept is on, but the tester's address ${TEST_CLIENT_ADDRESS} is not in Trusted IPs: it connected as a direct client, without a PROXY header.` };
  }
  const named = transfer === "TRANSPARENT" ? PROXIED_LOOPBACK_CLIENT : PROXIED_CLIENT;
  const header = encodeProxyV1({ family: "IPv4", sourceAddress: named.address, sourcePort: named.port, destinationAddress: TEST_ENGINE_ADDRESS, destinationPort: listener.port });
  const why = transfer === "TRANSPARENT" ? " (a loopback address: the transparent group connects from it on this host without policy routing)" : "";
  return {
    header,
    expectedClientAddress: named.address,
    note: `Proxy Protocol Accept is on and ${TEST_CLIENT_ADDRESS} is in Trusted IPs: the tester acted as the proxy in front and sent a PROXY v1 header naming ${named.address}:${named.port} as the client${why}.`,
  };
}
