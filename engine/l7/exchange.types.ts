import type net from "node:net";
import type { ConnectionContext } from "../observe/observer.types";
import type { MemberRuntime } from "../pools/pool-runtime.types";
import type { CompiledRoute } from "./compiled-route";
import type { ClientState, ExchangeStage, TimerKind } from "./connection-state";
import type { ProxyErrorKind } from "./errors";
import type { BodyFramer } from "./http1/body-framer";
import type { RequestParser } from "./http1/request-parser";
import type { ResolvedOptions } from "./proxy-options";
import type { StickyPolicy } from "./sticky/sticky-policy";
import type { UpstreamConnection } from "./upstream-connection";

/**
 * The narrow seams of the HTTP/1.1 path. The client connection, the request reader, the exchange and
 * the response relay know each other only through these interfaces (no class imports back and
 * forth): handler → connection → (request reader, exchange) → response relay.
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

/** What the exchange and the response relay see of the client connection. */
export interface ClientSide {
  readonly socket: net.Socket;
  /** Listener, addresses, bandwidth bucket and observer of this connection. */
  readonly context: ConnectionContext;
  readonly clientIp: string;
  /** The parsed head of the request in flight. */
  readonly parser: RequestParser;
  readonly proxy: ProxyHost;
  readonly state: ClientState;
  /** The current request wants the connection kept. */
  readonly keepAlive: boolean;
  /** The client sent FIN. */
  readonly clientEnded: boolean;
  /** Bumped by every read/drain; progress-based timers watch it. */
  progress: number;
  /** `X-Forwarded-For: <client ip>\r\n` + the route's fixed X-Forwarded-* lines, cached per route. */
  clientFields(route: CompiledRoute): string;
  /** Writes to the client (strings as latin1); false = buffer full, wait for drain. */
  write(data: string | Buffer): boolean;
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
  /** The connection refused a request head itself (400, 408, 414, 431, 501, 505): reported as a request. */
  rejected(kind: ProxyErrorKind, status: number): void;
}

/** The request half's view of the connection: the state request-reader.ts reads and advances. */
export interface RequestReaderConnection {
  state: ClientState;
  keepAlive: boolean;
  /** Some byte of the current request head arrived. */
  headStarted: boolean;
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
  /** The backend's final response head (status ≥ 200 or 101) arrived. */
  responseStarted(status: number): void;
  /** Arms the connection timer for the current stage. */
  armTimer(): void;
  /** Answers with a generated error response (nothing was sent to the client yet). */
  fail(kind: ProxyErrorKind, cause?: unknown): void;
  /** The response already started: all that is left is to close. */
  abort(kind: ProxyErrorKind, cause?: unknown): void;
  /** The response is complete. */
  finish(): void;
}
