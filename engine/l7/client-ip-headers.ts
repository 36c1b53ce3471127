import { DEFAULT_CLIENT_IP, type SnapshotListener, type XForwardedForMode } from "../protocol/snapshot.types";

/**
 * A compiled list of trusted proxy addresses (a listener's Trusted IPs): is this address one of them?
 * access-control's `compileAddressSet` builds it; l7 sits below access-control, so the listener layer
 * hands the compiler in (`HttpProxyOptions.compileTrustedIps`).
 */
export interface AddressMatcher {
  has(address: string): boolean;
}

/** Compiles a Trusted IPs list (addresses and CIDR blocks, IPv4 and IPv6) into an `AddressMatcher`. */
export type TrustedIpsCompiler = (entries: readonly string[]) => AddressMatcher;

/** The matcher of an empty Trusted IPs list, and of a handler given no compiler: trusts no one (fails closed). */
export const TRUST_NO_ONE: AddressMatcher = Object.freeze({ has: () => false });

/** Where the real client address of a request is read from, for trusted peers (PROXY_PROTOCOL is the accept path's: none here). */
export type HeaderRealIp = "NONE" | "X_FORWARDED_FOR" | "X_REAL_IP";

/**
 * How a route tells backends who the client is and whom it believes about that, compiled once per route
 * from `SnapshotListener.clientIp` (absent → `DEFAULT_CLIENT_IP`: X-Forwarded-For appended, X-Forwarded-Proto
 * sent, nobody trusted). A client's own X-Forwarded-Proto/-Port/-Host and X-Real-IP are always dropped,
 * whatever the switches: a client's claim about itself is never passed on (only our own lines go out).
 */
export interface ClientIpHeaders {
  /** APPEND: the client's chain (when kept), then the client; REPLACE: the client alone; REMOVE: no X-Forwarded-For. */
  readonly forwardedFor: XForwardedForMode;
  /** APPEND keeps the client's chain only when the connection's client is trusted (else it is dropped, as REPLACE). */
  readonly trustedOnly: boolean;
  /** The listener's Trusted IPs (`TRUST_NO_ONE` when empty). */
  readonly trusted: AddressMatcher;
  /** Real IP Header as far as headers go (PROXY_PROTOCOL → NONE: the accept path already replaced the address). */
  readonly realIp: HeaderRealIp;
  /** nginx `real_ip_recursive`: the right-most untrusted address of the chain (all trusted → the left-most). */
  readonly recursive: boolean;
  /** Send `X-Real-IP: <client>`. */
  readonly sendRealIp: boolean;
  /** Send `X-Forwarded-Host: <the request's host>` (when the request names one). */
  readonly sendHost: boolean;
  /** The lines that do not depend on the client: `X-Forwarded-Proto: http(s)` and `X-Forwarded-Port: <listener port>` when on. */
  readonly fixedFields: string;
}

/** Compiles a listener's client IP settings; `compileTrusted` builds its Trusted IPs (default: trust no one). */
export function compileClientIpHeaders(listener: SnapshotListener, compileTrusted?: TrustedIpsCompiler): ClientIpHeaders {
  const c = listener.clientIp ?? DEFAULT_CLIENT_IP;
  let fixed = "";
  if (c.xForwardedProto) fixed += `X-Forwarded-Proto: ${listener.protocol === "HTTPS" ? "https" : "http"}\r\n`;
  if (c.xForwardedPort) fixed += `X-Forwarded-Port: ${listener.port}\r\n`;
  const trusted = c.trustedIps.length === 0 || compileTrusted === undefined ? TRUST_NO_ONE : compileTrusted(c.trustedIps);
  return {
    forwardedFor: c.xForwardedFor,
    trustedOnly: c.xForwardedForTrustedOnly,
    trusted,
    realIp: c.realIpHeader === "X_FORWARDED_FOR" || c.realIpHeader === "X_REAL_IP" ? c.realIpHeader : "NONE",
    recursive: c.realIpRecursive,
    sendRealIp: c.xRealIp,
    sendHost: c.xForwardedHost,
    fixedFields: fixed,
  };
}

/** True when the client's X-Forwarded-For chain goes on to the backend (APPEND, and a trusted peer if trusted-only). */
export function keepsChain(h: ClientIpHeaders, peerTrusted: boolean): boolean {
  return h.forwardedFor === "APPEND" && (peerTrusted || !h.trustedOnly);
}

/**
 * The client lines of a forwarded head: `X-Forwarded-For` (`chain, client`, or `client` when `chain` is ""),
 * `X-Real-IP` and the fixed lines, as switched on. Cached per connection for its own address and no chain
 * (`ClientConnection.clientFields`); built per request only when a chain is kept or a real IP header named
 * another client.
 */
export function clientIpLines(h: ClientIpHeaders, chain: string, client: string): string {
  let out = "";
  if (h.forwardedFor !== "REMOVE") out = chain === "" ? `X-Forwarded-For: ${client}\r\n` : `X-Forwarded-For: ${chain}, ${client}\r\n`;
  if (h.sendRealIp) out += `X-Real-IP: ${client}\r\n`;
  return out + h.fixedFields;
}
