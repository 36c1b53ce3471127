import { z } from "zod";
import type { ClientIpTransport, PoolProtocol } from "@/db/schema/pools";

/**
 * Client IP Transport of a backend server group (issue 10, seeds 000, 001, 003): how the client's address
 * reaches the members when the group's listener has Transfer Client IP Address on. Pure, shared by the
 * services and the forms.
 */

/** Guide words for the choices. */
export const clientIpTransportLabels: Record<ClientIpTransport, string> = {
  TRANSPARENT: "Transparent",
  PROXY_V1: "PROXY protocol v1",
  PROXY_V2: "PROXY protocol v2",
};

/** One line per choice: what the backend needs for it. */
export const clientIpTransportHints: Record<ClientIpTransport, string> = {
  TRANSPARENT:
    "The client's address is the source address of the connection to the backend server; needs root (CAP_NET_ADMIN) and policy routing for clients that are not local addresses.",
  PROXY_V1: "A text PROXY header (TCP only) starts every connection; the backend server must accept the PROXY protocol (nginx listen … proxy_protocol, HAProxy accept-proxy).",
  PROXY_V2:
    "A binary PROXY header starts every TCP connection, and every UDP datagram (DGRAM, in the same datagram as its payload); the backend server must accept the PROXY protocol (TCP: nginx listen … proxy_protocol, HAProxy accept-proxy; UDP: a server that reads a v2 header in each datagram).",
};

/** What a group gets when none is chosen (the column default; HTTP groups keep it, unused). */
export const DEFAULT_CLIENT_IP_TRANSPORT: ClientIpTransport = "TRANSPARENT";

/** The choices a backend protocol offers: all three for TCP, Transparent and v2 for UDP, none for HTTP. */
export function clientIpTransportsFor(protocol: PoolProtocol): ClientIpTransport[] {
  if (protocol === "TCP") return ["TRANSPARENT", "PROXY_V1", "PROXY_V2"];
  if (protocol === "UDP") return ["TRANSPARENT", "PROXY_V2"];
  return [];
}

/** Client IP Transport as entered; absent = Transparent on create, unchanged on modify. */
export const clientIpTransportSchema = z.enum(["TRANSPARENT", "PROXY_V1", "PROXY_V2"], {
  error: "Client IP Transport: choose Transparent, PROXY protocol v1 or PROXY protocol v2",
});

/** The rule of a backend protocol: v1 carries TCP only; HTTP groups take no choice but the default. */
export function clientIpTransportIssues(protocol: PoolProtocol, transport: ClientIpTransport | undefined): { path: string[]; message: string }[] {
  if (transport === undefined || clientIpTransportsFor(protocol).includes(transport)) return [];
  if (protocol === "UDP")
    return [{ path: ["clientIpTransport"], message: "Client IP Transport: PROXY protocol v1 carries TCP only; choose Transparent or PROXY protocol v2 for a UDP backend server group" }];
  if (transport === DEFAULT_CLIENT_IP_TRANSPORT) return [];
  return [
    {
      path: ["clientIpTransport"],
      message: "Client IP Transport: applies only to TCP and UDP backend server groups; an HTTP group gets the client's address in X-Forwarded-For",
    },
  ];
}
