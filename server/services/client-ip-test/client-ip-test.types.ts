import type { ListenerProtocol } from "@/engine/protocol/snapshot.types";

/**
 * What the Client-IP tester returns to the browser: plain data, no secrets (no keys, no certificate
 * content), only what the test's client sent and what its echo target — standing in for a backend
 * server — received.
 */

/** An address and port, as a socket reports them (IPv4 dotted quad or IPv6). */
export interface Endpoint {
  address: string;
  port: number;
}

/** A PROXY protocol header as the echo target decoded it from its first bytes. */
export interface ReceivedProxyHeader {
  version: 1 | 2;
  command: "PROXY" | "LOCAL";
  transport: "STREAM" | "DGRAM" | "UNSPEC";
  /** null: LOCAL, v1 UNKNOWN, or a v2 family without addresses. */
  source: Endpoint | null;
  destination: Endpoint | null;
  /** Types of the v2 TLVs it carried (values are not shown). */
  tlvTypes: number[];
}

/** One header line of the request as the backend received it, in order, spelled as sent. */
export interface ReceivedHeader {
  name: string;
  value: string;
  /** X-Forwarded-For, -Proto, -Port, -Host or X-Real-IP: what carries the client's address and request. */
  clientIp: boolean;
}

/** Exactly what the echo target (the stand-in backend server) received from the test engine. */
export interface BackendView {
  /** Source address:port of the engine's connection (TCP/HTTP) or datagram (UDP) to the backend. */
  source: Endpoint;
  /** The PROXY header the first bytes decode to; null = none. */
  proxyHeader: ReceivedProxyHeader | null;
  /** The first bytes looked like a PROXY header but break the spec: the decoder's reason. */
  proxyHeaderProblem: string | null;
  /** HTTP/HTTPS: the request line (e.g. "GET /client-ip-test HTTP/1.1"); null otherwise. */
  requestLine: string | null;
  /** HTTP/HTTPS: the request's header lines; [] for TCP/UDP. */
  headers: ReceivedHeader[];
  /** TCP/UDP: the client's payload after any PROXY header, as text (at most 200 characters). */
  payload: string | null;
}

/** What the test's client got back from the listener. */
export interface ClientAnswer {
  /** HTTP status (e.g. 200, 301, 503); null for TCP/UDP or when no response came. */
  status: number | null;
  /** HTTP Location of a redirect. */
  location: string | null;
  /** TCP/UDP: the reply's first characters; HTTP: the reason phrase. */
  text: string | null;
  /** Why the exchange ended without an answer (connection refused/closed, TLS handshake failed, no reply). */
  problem: string | null;
}

/** One run of the Client-IP tester on a listener. */
export interface ClientIpTestResult {
  listener: { id: string; name: string; protocol: ListenerProtocol; port: number };
  /** The test's client: the loopback address it connected from (never the engine's 127.0.0.1). */
  client: Endpoint;
  /**
   * The client address the backend should see: `client.address`, or the address the tester's PROXY v1
   * header named when it acted as a trusted proxy in front of the listener.
   */
  expectedClientAddress: string;
  /** The test engine's listener (the listener's settings, bound on 127.0.0.1 on a free port). */
  engine: Endpoint;
  /** The echo target standing in for the group's backend servers. */
  echoTarget: Endpoint;
  /** Whether the request/connection/datagram reached the echo target. */
  reached: boolean;
  backend: BackendView | null;
  answer: ClientAnswer;
  /** One sentence: what the backend sees of the client, or why nothing reached it. */
  interpretation: string;
  /** What the test did differently from live traffic, and why (default group only, proxy header sent, …). */
  notes: string[];
  /** The test engine's own log lines (tail), shown when the backend was not reached. */
  engineLog: string[];
  durationMs: number;
}
