import type { MemberRuntime } from "../pools/pool-runtime.types";
import type { Bandwidth } from "../limits/bandwidth.types";
import type { ErrorKind } from "./error-kind.types";

/**
 * One finished HTTP request as the observer sees it. The object is reused for every request of a
 * connection: an observer copies what it keeps. Times are `performance.now()` milliseconds.
 */
export interface RequestRecord {
  /** Request method as sent ("GET", …). */
  method: string;
  /** Status sent to the client; 0 when the response was cut short (abort) before a status went out. */
  status: number;
  /** The backend server that answered (or was tried last); null when none was chosen. */
  member: MemberRuntime | null;
  /** The error behind a generated or aborted response; null for a relayed response. */
  error: ErrorKind | null;
  /** The complete request head was read. */
  startedAt: number;
  /** The backend's response head arrived (-1 = never). */
  responseStartedAt: number;
  /** The response was complete (or the request failed). */
  doneAt: number;
  /**
   * What an access log needs besides (guide table 7-1): built once per connection (per HTTP/2 stream)
   * and filled only when the observer logs requests (`ConnectionObserver.logsRequests`); null otherwise,
   * so an unlogged listener pays nothing for it.
   */
  detail: RequestDetail | null;
}

/**
 * The access-log part of a request record (table 7-1), reused like the record. Times are
 * `performance.now()` ms like the record's.
 */
export interface RequestDetail {
  /** Host the request is for (absolute-form authority, Host, or :authority); "" when none. */
  host: string;
  /** Path and query as the client sent them ("" for a head that could not be read). */
  uri: string;
  /** "HTTP/1.1", "HTTP/1.0" or "HTTP/2.0". */
  protocol: string;
  /** User-Agent, Referer and X-Forwarded-For as received (null when absent). */
  userAgent: string | null;
  referer: string | null;
  forwardedFor: string | null;
  /** Bytes of the request read from the client: head and body. */
  requestLength: number;
  /** Bytes sent to the client for this response, and those of its head (body = the difference). */
  bytesSent: number;
  headBytes: number;
  /**
   * While the request is under way: the connection's `bytesOut` at its start (bytesSent is then the
   * difference), or -1 when the exchange adds its own bytes to `bytesSent` (an HTTP/2 stream).
   */
  bytesOutMark: number;
  /** Backend server group the request was routed to; null when none. */
  poolId: string | null;
  /** Backend attempts in order: `attempts[0 .. attemptCount)` (the array is reused and only grows). */
  attempts: UpstreamAttemptRecord[];
  attemptCount: number;
  /** TLS of the client connection (HTTPS); null for HTTP. */
  tls: TlsDetail | null;
  /**
   * The client connection's TCP round-trip time in µs (Linux TCP_INFO tcpi_rtt); -1 unknown. Read at the
   * end of a request, at most once per second per connection (a getsockopt per request would cost a
   * system call each): the requests of a keep-alive connection within that second share the value.
   */
  rttMicros: number;
  /** performance.now() of the last TCP_INFO read (-Infinity: never). */
  rttReadAt: number;
  /** '] <log_ver> <client>:<port> ' of this connection's lines, made at its first (access-log-format.ts); null before. */
  clientBytes: Uint8Array | null;
}

/** One attempt on a backend server (a retried request has several). -1 = the step was not reached. */
export interface UpstreamAttemptRecord {
  member: MemberRuntime | null;
  /** "address:port" of the member. */
  address: string;
  startedAt: number;
  /** The connection was established (a reused keep-alive connection: at the start). */
  connectedAt: number;
  /** The response head arrived. */
  headerAt: number;
  /** The attempt ended (response complete, or the connection failed). */
  endedAt: number;
  /** The backend's status; 502 / 504 for an attempt that failed, as nginx logs it. */
  status: number;
}

/** What the handshake of an HTTPS connection settled (fixed once made: the access log keeps its bytes per object). */
export interface TlsDetail {
  /** "TLSv1.3", … */
  readonly protocol: string;
  /** OpenSSL cipher suite name ("TLS_AES_256_GCM_SHA384", "ECDHE-RSA-AES128-GCM-SHA256", …). */
  readonly cipher: string;
  /** Server name the client sent (SNI); null without one. */
  readonly sni: string | null;
  /** Id of the certificate the handshake served; null when unknown. */
  readonly certificateId: string | null;
}

/**
 * Hooks where metrics and access logs count. Called synchronously on the hot path: an observer must
 * be cheap and must not throw; `context` and `record` are live objects (copy what outlives the call).
 * Bytes are reported as they are read from or written to the client (the frontend side).
 */
export interface ConnectionObserver {
  /**
   * False for an observer that ignores requests (the no-op one): the HTTP path then reads no clock and
   * builds no request record, and `requestDone` is not called.
   */
  readonly observesRequests: boolean;
  /**
   * True for an observer that writes access logs: the HTTP path then fills `RequestRecord.detail`
   * (host, URI, headers, attempts, TLS, RTT) for every request. Absent = false.
   */
  readonly logsRequests?: boolean;
  /** A client connection (TCP, HTTP) or UDP session was accepted. */
  connectionOpened(context: ConnectionContext): void;
  /** `bytes` arrived from the client. */
  bytesIn(context: ConnectionContext, bytes: number): void;
  /** `bytes` were sent to the client. */
  bytesOut(context: ConnectionContext, bytes: number): void;
  /**
   * An HTTP request (an HTTP/2 stream) began: its head was read. Called only when `observesRequests`, and
   * once per request, before its `requestDone` (the request-in-progress gauges: a connection is active
   * between the two, idle otherwise).
   */
  requestStarted(context: ConnectionContext): void;
  /** An HTTP request finished: relayed, answered by the engine (a phase, an error page, a refused head) or cut short. */
  requestDone(context: ConnectionContext, record: RequestRecord): void;
  /**
   * Something went wrong. Every failed attempt is one event (an HTTP retry on another member, a TCP
   * connect that moves on to the next member); the request's record keeps only the outcome. `cause` is
   * the underlying error when there is one.
   */
  error(context: ConnectionContext, kind: ErrorKind, cause: unknown): void;
  /** The connection or session closed; its totals are in `context`. */
  connectionClosed(context: ConnectionContext): void;
}

/**
 * What one accepted connection (or UDP session) carries from its listener: built once per accept by
 * the listener set and handed to the TCP, UDP or HTTP handler. Totals are kept here so that the
 * observer's connectionClosed sees them without extra bookkeeping.
 */
export interface ConnectionContext {
  /** Listener id ("" for a handler driven directly, as in unit tests). */
  readonly listenerId: string;
  /** The local address the client connected to (a load balancer's private IP or EIP). */
  readonly localAddress: string;
  readonly localPort: number;
  /**
   * The client's address (IPv4-mapped IPv6 normalised to plain IPv4) and port: the TCP peer, or, when the
   * listener accepts the PROXY protocol and the peer is trusted, the source its header names (the accept
   * path replaces both before the handler sees the context).
   */
  clientAddress: string;
  clientPort: number;
  /** The TCP peer's own address (the proxy in front when a PROXY header was accepted); trust is decided on it. */
  readonly peerAddress: string;
  /**
   * Set by the accept path for an untrusted peer of a TCP listener with PROXY protocol accept on: the
   * accept path did not wait for its first bytes (a protocol where the server speaks first would stall),
   * so the TCP session looks at them and closes the connection if they start a PROXY header. False otherwise.
   */
  proxyHeaderCheck: boolean;
  /** Bucket of the limited address (EIP) the client connected to; null = unlimited. */
  readonly bandwidth: Bandwidth | null;
  /** Where the connection's events go. */
  readonly observer: ConnectionObserver;
  /** Date.now() at accept. */
  readonly openedAt: number;
  /** Bytes read from and written to the client so far. */
  bytesIn: number;
  bytesOut: number;
  /**
   * Kept by the metrics observer (observe/listener-metrics.ts) for its active/inactive gauges: > 0 while
   * the connection carries traffic — HTTP requests (HTTP/2 streams) between `requestStarted` and
   * `requestDone`, 1 for a TCP connection past its PROXY header and a UDP session; 0 at accept.
   */
  requestsInFlight: number;
}

/** The parts of a context that come from the listener (the rest comes from the connection). */
export interface ListenerBinding {
  readonly listenerId: string;
  readonly localAddress: string;
  readonly localPort: number;
  readonly bandwidth: Bandwidth | null;
  readonly observer: ConnectionObserver;
}
