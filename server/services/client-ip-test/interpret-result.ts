import type { ClientIpTransport, ListenerProtocol } from "@/engine/protocol/snapshot.types";
import type { BackendView, ClientAnswer } from "./client-ip-test.types";

/** What a test observed, to be put in one sentence. */
export interface Observation {
  protocol: ListenerProtocol;
  /** The client the backend should see. */
  expectedClientAddress: string;
  /** The group's Transfer Client IP Address (TCP/UDP), null = off. */
  transfer: ClientIpTransport | null;
  backend: BackendView | null;
  answer: ClientAnswer;
}

/** An IPv4-mapped IPv6 address as plain IPv4. */
const plain = (address: string) => (address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address);

/**
 * One line saying what the backend saw of the client, read from what the echo target received (never
 * from the settings alone): the client's address in a PROXY header, in X-Forwarded-For or X-Real-IP, as
 * the source address, or the load balancer's address and why; or why nothing reached the backend.
 */
export function interpretResult(o: Observation): string {
  const client = o.expectedClientAddress;
  const b = o.backend;
  if (!b) {
    const why = o.answer.status !== null ? `the listener answered ${o.answer.status}${o.answer.location ? ` (Location: ${o.answer.location})` : ""}` : (o.answer.problem ?? "no traffic arrived");
    return `Nothing reached the backend: ${why}.`;
  }
  const source = plain(b.source.address);
  const header = b.proxyHeader;
  if (header?.source && plain(header.source.address) === client) return `The backend sees the client's address ${client} in a PROXY v${header.version} header (the connection itself comes from ${source}).`;
  if (header) return `The backend gets a PROXY v${header.version} ${header.command} header without the client's address${header.source ? ` (it names ${header.source.address})` : ""}; the connection comes from ${source}.`;
  const forwardedFor = b.headers.find((h) => h.name.toLowerCase() === "x-forwarded-for")?.value;
  const first = forwardedFor?.split(",")[0]?.trim();
  if (first !== undefined && plain(first) === client) return `The backend sees the client's address ${client} as X-Forwarded-For (the first address of "${forwardedFor}").`;
  const realIp = b.headers.find((h) => h.name.toLowerCase() === "x-real-ip")?.value;
  if (realIp !== undefined && plain(realIp) === client) return `The backend sees the client's address ${client} as X-Real-IP.`;
  if (source === client) return `The backend sees the client's address ${client} as the source address of the ${o.protocol === "UDP" ? "datagrams" : "connection"} (transparent).`;
  if (forwardedFor !== undefined) return `The backend sees X-Forwarded-For "${forwardedFor}", whose first address ${first} is not the client ${client}; the connection comes from ${source}.`;
  return `The backend sees the load balancer's address ${source}: ${whyNotTheClient(o)}.`;
}

/** Why the client's address is not what the backend sees. */
function whyNotTheClient(o: Observation): string {
  if (o.protocol === "TCP" || o.protocol === "UDP") {
    if (o.transfer === null) return "Transfer Client IP Address is off";
    if (o.transfer === "TRANSPARENT") return "Transfer Client IP Address is on (transparent), but the engine's connection did not come from the client's address";
    return `Transfer Client IP Address is on (${o.transfer === "PROXY_V1" ? "PROXY protocol v1" : "PROXY protocol v2"}), but no PROXY header arrived`;
  }
  return "no X-Forwarded-For or X-Real-IP header names the client";
}
