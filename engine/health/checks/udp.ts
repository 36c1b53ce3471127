import dgram from "node:dgram";
import net from "node:net";
import type { HealthCheck } from "./check.types";
import { failed, probe } from "./probe";

const PROBE_PAYLOAD = Buffer.from("ELB-HealthCheck\n");

/**
 * UDP health check (guide 10.6.2): sends one datagram on a connected socket. The only negative answer
 * UDP has is ICMP Port Unreachable (or host/network unreachable), which a connected socket surfaces as
 * an error (ECONNREFUSED, EHOSTUNREACH) → unhealthy. A reply → healthy at once. Silence until the
 * timeout → healthy: UDP has no handshake, so a service that listens but does not answer probes looks
 * exactly like that, and the guide counts "no Port Unreachable within the timeout" as healthy.
 * The guide's preceding ICMP echo needs a raw socket (root / CAP_NET_RAW), so it is not sent; an
 * unreachable host still shows up as EHOSTUNREACH when its router says so. With a PROXY header
 * (`target.proxyHeader`, a v2 LOCAL DGRAM header) it goes in front of the payload in the same datagram.
 */
export const udpCheck: HealthCheck = (target, monitor, signal) =>
  probe(
    monitor.timeoutSeconds * 1000,
    signal,
    (done) => {
      const socket = dgram.createSocket(net.isIPv6(target.address) ? "udp6" : "udp4");
      let open = true;
      socket.on("error", (err) => done(failed(err)));
      socket.once("message", () => done(true));
      socket.once("close", () => (open = false));
      try {
        socket.connect(target.port, target.address, () => {
          if (!open) return;
          const header = target.proxyHeader ?? null;
          if (header === null) socket.send(PROBE_PAYLOAD);
          else socket.send([header, PROBE_PAYLOAD]);
        });
      } catch {
        done(false); // refused up front (e.g. an invalid port); the cleanup below still closes the socket
      }
      return () => {
        if (open) socket.close();
        open = false;
      };
    },
    true,
  );
