import type net from "node:net";
import type { ShapedWriter } from "../io/shaped-writer";
import type { ConnectionContext, RequestRecord } from "../observe/observer.types";
import type { MemberRuntime, PoolRuntime } from "../pools/pool-runtime.types";
import type { BodyBuffer } from "./body-buffer";
import type { BodyLimits } from "./body-limits";
import type { CompiledRoute } from "./compiled-route";
import type { ClientState, ExchangeStage, TimerKind } from "./connection-state";
import type { ProxyErrorKind } from "./errors";
import type { BodyFramer } from "./http1/body-framer";
import type { RequestParser } from "./http1/request-parser";
import type { PhaseAnswer } from "./phases/phase.types";
import type { ResolvedOptions } from "./proxy-options";
import type { StickyPolicy } from "./sticky/sticky-policy";
import type { UpstreamConnection, UpstreamOwner } from "./upstream-connection";
import type { UpstreamPool } from "./upstream-pool";

/**
 * The narrow seams of the HTTP/1.1 path. The client connection, the request reader, the exchange and
 * the response relay know each other only through these interfaces (no class imports back and
 * forth): handler → connection → (request reader, exchange) → response relay. The exchange's own
 * parts — body-forwarding.ts, upstream-attempt.ts, error-answer.ts, request-report.ts — are functions
 * over the one per-connection Exchange, each through the view below that names what it reads and advances.
 * request-report.ts, upstream-attempt.ts and response-relay.ts's framing rules serve HTTP/2 streams too
 * (h2/): their views (`ReportExchange`, `AttemptExchange`, `UntilCloseExchange`) see the client
 * connection only as a `ClientPeer`, or not at all.
 */

/** What a client connection sees of its handler (HttpProxy). */
export interface ProxyHost {
  /** Route for new requests (swapped by update). */
  readonly route: CompiledRoute;
  readonly options: ResolvedOptions;
  /** Period of the deadline sweep in ms. */
  readonly sweepMs: number;
  /** Draining: finish in-flight requests, keep no connection alive. */
  readonly draining: boolean;
  /** A client connection closed. */
  connectionClosed(conn: object): void;
}

/**
 * What the parts shared with HTTP/2 (request-report.ts, upstream-attempt.ts) read of the client
 * connection: an HTTP/1 `ClientSide`, or an HTTP/2 session (h2/h2.types.ts `SessionSide`).
 */
export interface ClientPeer {
  /** Listener, addresses, bandwidth bucket and observer of this connection. */
  readonly context: ConnectionContext;
  /** The client socket (TLS for HTTPS): the access log reads its TLS parameters and TCP RTT. */
  readonly socket: net.Socket;
  readonly clientIp: string;
  /** The connection's handler (HttpProxy, Http2Handler): its options. */
  readonly proxy: { readonly options: ResolvedOptions };
}

/** What the exchange and the response relay see of the client connection. */
export interface ClientSide extends ClientPeer {
  readonly socket: net.Socket;
  /** The parsed head of the request in flight. */
  readonly parser: RequestParser;
  readonly proxy: ProxyHost;
  readonly state: ClientState;
  /** The current request wants the connection kept. */
  readonly keepAlive: boolean;
  /**
   * performance.now() when the first byte of the current request head arrived (the access log's
   * request_time and m14_l7_rt start there); 0 when the observer takes no timestamps.
   */
  readonly headStartedAt: number;
  /** The client sent FIN. */
  readonly clientEnded: boolean;
  /** Bumped by every read/drain; progress-based timers watch it. */
  progress: number;
  /** The client lines for the connection's own address and no incoming chain (client-ip-headers.ts `clientIpLines`), cached per route. */
  clientFields(route: CompiledRoute): string;
  /**
   * The connection's client (`context.clientAddress`: the TCP peer, or the client a trusted PROXY header
   * named) is in the route's Trusted IPs, so its X-Forwarded-For / X-Real-IP may be believed; cached per route.
   */
  clientTrusted(route: CompiledRoute): boolean;
  /** Writes to the client (strings as latin1); false = buffer full, wait for drain. */
  write(data: string | Buffer): boolean;
  /** Writes `head` (latin1, may be empty) then bytes[start, end) of a read buffer (copied only if they must wait); as `write`. */
  writeBytes(head: string, bytes: Buffer, start: number, end: number): boolean;
  /** Arms the connection's single deadline. */
  setTimer(kind: TimerKind, ms: number): void;
  /** The exchange is over; `reuse` = the response allows another request on this connection. */
  exchangeDone(reuse: boolean): void;
  /** Switches to tunnelling after a 101. */
  startTunnel(): void;
  /** Ends the connection now. */
  destroy(): void;
}

/** What the client connection (and its request reader) tells the exchange in flight. */
export interface ExchangeControl {
  /** The parser just completed a request head: run the request phases and forward it. */
  start(): void;
  /** Request body bytes buf[start, end) (a shared read buffer: copied before it is kept). */
  sendBody(buf: Buffer, start: number, end: number): void;
  /** The client finished sending the request. */
  requestSent(): void;
  /** Client bytes while tunnelling (`owned`: already a private copy). */
  tunnelToBackend(chunk: Buffer, owned: boolean): void;
  /** The client half-closed a tunnel. */
  tunnelClientEnded(): void;
  /** The client socket drained. */
  onClientDrain(): void;
  /** A deadline fired while this exchange owned the connection. */
  onTimeout(kind: TimerKind): void;
  /** The client broke the request body framing. */
  clientFailed(kind: ProxyErrorKind): void;
  /** Releases everything (client gone). */
  cancel(): void;
  /**
   * The connection refused a request head itself (400, 408, 414, 431, 501, 505) and already wrote the
   * answer (`response`, a latin1 string): reported as a request.
   */
  rejected(kind: ProxyErrorKind, status: number, response: string): void;
}

/** The request half's view of the connection: the state request-reader.ts reads and advances. */
export interface RequestReaderConnection {
  state: ClientState;
  keepAlive: boolean;
  /** Some byte of the current request head arrived. */
  headStarted: boolean;
  /** When it did (performance.now() ms), stamped only when the observer wants requests (else 0). */
  headStartedAt: number;
  readonly context: ConnectionContext;
  /** Inside feedRequests (completions must not re-enter it). */
  feeding: boolean;
  /** Bytes received while a request was in flight (pipelining), a private copy. */
  pending: Buffer | null;
  readonly parser: RequestParser;
  /** Request body framing. */
  readonly body: BodyFramer;
  readonly socket: net.Socket;
  readonly proxy: ProxyHost;
  readonly exchange: ExchangeControl;
  /** The kind of deadline armed now. */
  readonly timerKind: TimerKind;
  setTimer(kind: TimerKind, ms: number): void;
  /** Answers a client error with a generated response and closes. */
  reject(kind: ProxyErrorKind): void;
}

/** The response half's view of an exchange: the state response-relay.ts reads and advances. */
export interface ResponseExchange {
  readonly conn: ClientSide;
  readonly upstream: UpstreamConnection | null;
  /** Response body framing. */
  readonly framer: BodyFramer;
  readonly clientMinor: number;
  readonly isHead: boolean;
  readonly upgrade: boolean;
  /** The client finished sending the request. */
  readonly requestDone: boolean;
  /** Member answering, whether it was chosen by the sticky cookie, and the pool's L7 stickiness. */
  readonly member: MemberRuntime | null;
  readonly stuck: boolean;
  readonly sticky: StickyPolicy | null;
  stage: ExchangeStage;
  /** The backend connection may be reused after this response. */
  reusable: boolean;
  /** The client connection closes after this response. */
  closeClient: boolean;
  /** The backend's final response head (status ≥ 200 or 101) arrived; its rewritten head (`headBytes` long) went to the client. */
  responseStarted(status: number, headBytes: number): void;
  /** Arms the connection timer for the current stage. */
  armTimer(): void;
  /** Answers with a generated error response (nothing was sent to the client yet). */
  fail(kind: ProxyErrorKind, cause?: unknown): void;
  /** The response already started: all that is left is to close. */
  abort(kind: ProxyErrorKind, cause?: unknown): void;
  /** The response is complete. */
  finish(): void;
}

/** What refusing a request body over `maxBodyBytes` (body-forwarding.ts `bodyTooLarge`) reads and advances; HTTP/2 streams too. */
export interface OversizeExchange {
  /** The backend connection carrying the request (null before one was taken). */
  upstream: UpstreamConnection | null;
  /** A response byte arrived: the 413 can no longer be sent. */
  readonly responseSeen: boolean;
  /** The response the engine sends itself (set to the 413). */
  answer: PhaseAnswer | null;
  /** Stops counting the member (PoolRuntime.release). */
  releaseMember(): void;
  /** The response already started: all that is left is to close (HTTP/2: reset the stream). */
  abort(kind: ProxyErrorKind, cause?: unknown): void;
  /** Sends `answer` instead of a backend's response. */
  sendAnswer(): void;
}

/** What ending a body framed until close (response-relay.ts `endUntilClose`) reads and advances; HTTP/2 streams too. */
export interface UntilCloseExchange {
  readonly stage: ExchangeStage;
  /** Response body framing. */
  readonly framer: BodyFramer;
  /** The backend connection may be reused after this response. */
  reusable: boolean;
  /** The response is complete. */
  finish(): void;
}

/** What reporting each request (or HTTP/2 stream) to the observer (request-report.ts) reads and advances. */
export interface ReportExchange {
  readonly conn: ClientPeer;
  /** What the observer gets when the request is over (reused per request; one per HTTP/2 stream). */
  readonly record: RequestRecord;
  /** A request is under way and not yet reported. */
  recording: boolean;
  /** The observer wants requests: timestamps are taken (else no clock is read per request). */
  readonly timed: boolean;
  /** The member counted for this request (null once released: the record then names it). */
  readonly member: MemberRuntime | null;
  /** The backend server group the request was routed to (the access log's pool_name). */
  readonly pool: PoolRuntime | null;
  /** Request body bytes read from the client for this request (the access log's request_length). */
  readonly requestBodyBytes: number;
}

/**
 * What answering a request without relaying a response (error-answer.ts) reads and advances: a
 * generated error page, a phase's own answer, an abort once the response has started, a cancel.
 */
export interface AnswerExchange {
  readonly conn: ClientSide;
  stage: ExchangeStage;
  upstream: UpstreamConnection | null;
  /** Shapes backend → client bytes on a limited address (EIP); null = unlimited. */
  readonly shaper: ShapedWriter | null;
  /** The member counted for this request (null once released, or never chosen). */
  member: MemberRuntime | null;
  readonly requestDone: boolean;
  readonly clientMinor: number;
  readonly isHead: boolean;
  /** Set by a phase that answers with a generated error page. */
  readonly errorKind: ProxyErrorKind | null;
  /** Set by a phase that answers with a response of its own. */
  readonly answer: PhaseAnswer | null;
  /** What the observer gets when the request is over (reused per request). */
  readonly record: RequestRecord;
  /** Stops counting the member (PoolRuntime.release); it stays in the record. */
  releaseMember(): void;
  /** Hands the finished request to the observer (once per request). */
  done(status: number, error: ProxyErrorKind | null): void;
}

/**
 * What an upstream attempt (upstream-attempt.ts: count a member, take or open a connection to it,
 * send the head; fail over after a failed connect) reads and advances, on an HTTP/1 `Exchange` or an
 * HTTP/2 `StreamExchange`. It receives the backend connection's events as their owner.
 */
export interface AttemptExchange extends UpstreamOwner {
  readonly conn: ClientPeer;
  /** The request's client (source IP hash and stickiness): the connection's address or a trusted real IP header's. */
  readonly clientIp: string;
  readonly route: CompiledRoute | null;
  /** The backend server group the phases chose. */
  readonly pool: PoolRuntime | null;
  /** Keep-alive connections to `member` (its `UpstreamPool`, counted against its cap). */
  target: UpstreamPool | null;
  /** The member was chosen by the request's sticky cookie (a new member re-issues the load balancer cookie). */
  stuck: boolean;
  /** Members tried and failed (or at their cap) for this request; null until the first one. */
  excluded: Set<MemberRuntime> | null;
  /** Attempts made so far (retry-policy.ts's `maxTries`). */
  tries: number;
  /** The request head as sent to the backend (and the buffered body after it), kept for a retry. */
  readonly forwardHead: string;
  readonly idempotent: boolean;
  /** A response byte arrived: nothing may be retried any more. */
  readonly responseSeen: boolean;
  /** Request body bytes streamed to the backend so far (a buffered body, inside `forwardHead`, does not count: a retry sends it again). */
  readonly bodyBytesSent: number;
  /** What the observer gets when the request is over: a released member stays named there. */
  readonly record: RequestRecord;
  /** The member counted for this request (null once released, or never chosen). */
  member: MemberRuntime | null;
  /** The backend connection carrying the request. */
  upstream: UpstreamConnection | null;
  /** Stops counting the member (PoolRuntime.release); it stays in the record. */
  releaseMember(): void;
  /** Arms the connection timer for the current stage. */
  armTimer(): void;
  /** Answers with the generated page of `kind` (nothing was sent to the client yet). */
  fail(kind: ProxyErrorKind, cause?: unknown): void;
  /** Answers with a generated `status` page, its error (`kind`) already reported (the engine's descriptor shortage: 503). */
  answerStatus(kind: ProxyErrorKind, status: number): void;
}

/**
 * What request-body forwarding (body-forwarding.ts: stream it, or buffer a small one whole before
 * connecting; size and rate limits) reads and advances.
 */
export interface BodyExchange extends AnswerExchange, AttemptExchange, OversizeExchange {
  readonly conn: ClientSide;
  member: MemberRuntime | null;
  upstream: UpstreamConnection | null;
  /** Body size and rate of the current request (`bytes` streamed so far). */
  readonly limits: BodyLimits;
  /** The body went out inside `forwardHead` (it was buffered): a retry can send it again. */
  replayable: boolean;
  /** A small body read whole before connecting (`active` while it arrives). */
  readonly buffer: BodyBuffer;
  /** The member the phases chose for a buffered request: counted only once the body is complete. */
  chosen: MemberRuntime | null;
  forwardHead: string;
  requestDone: boolean;
  answer: PhaseAnswer | null;
}
