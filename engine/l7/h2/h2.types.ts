import type { ShapedWriter } from "../../io/shaped-writer";
import type { TlsDetail } from "../../observe/observer.types";
import type { MemberRuntime } from "../../pools/pool-runtime.types";
import type { CompiledRoute } from "../compiled-route";
import type { ProxyErrorKind } from "../errors";
import type { ClientPeer, ReportExchange } from "../exchange.types";
import type { BodyFramer } from "../http1/body-framer";
import type { PhaseAnswer } from "../phases/phase.types";
import type { ResolvedOptions } from "../proxy-options";
import type { StickyPolicy } from "../sticky/sticky-policy";
import type { UpstreamConnection } from "../upstream-connection";
import type { StreamHead } from "./stream-head";
import type { H2Stream } from "./wire/h2-stream";

/**
 * The seams of the HTTP/2 path, as exchange.types.ts is for HTTP/1: handler → session → stream
 * exchange, each knowing the one before it only through these interfaces, and the stream exchange's
 * parts (stream-relay.ts, stream-answer.ts) are functions over the one per-stream `StreamExchange`,
 * each through the view below that names what it reads and advances. The parts HTTP/1 and HTTP/2
 * share take the stream through their own views (exchange.types.ts): the upstream attempt
 * (../upstream-attempt.ts, `AttemptExchange`) and the observer's report (../request-report.ts,
 * `ReportExchange`).
 */

/** Stages of one stream's exchange: waiting for the backend's response head, relaying its body, over. */
export type StreamStage = "awaiting-head" | "body" | "done";

/** What a session and its streams see of the handler (Http2Handler). */
export interface H2Host {
  /** Route for new streams (swapped by update). */
  readonly route: CompiledRoute;
  readonly options: ResolvedOptions;
  /** Period of the deadline sweep in ms. */
  readonly sweepMs: number;
  /** Draining: finish the streams in flight, take no new ones. */
  readonly draining: boolean;
  /** A stream exchange is under way: its deadline is checked by the sweep until `untrack`. */
  track(exchange: StreamTimed): void;
  untrack(exchange: StreamTimed): void;
  /** A session closed. */
  connectionClosed(session: object): void;
}

/** What the sweep calls on a stream exchange in flight. */
export interface StreamTimed {
  /** Checks the exchange's deadline at `now` (coarse ms). */
  onTick(now: number): void;
}

/** What a stream exchange sees of its session (one client connection). */
export interface SessionSide extends ClientPeer {
  readonly proxy: H2Host;
  /** The local address the client reached (plain IPv4 for IPv4-mapped IPv6); "" when unknown. */
  readonly localAddress: string;
  /** `address:port` the client reached, the Host of a request that named none; "" when unknown. */
  readonly localAuthority: string;
  /** The connection's TLS as the access log writes it (read once, when first asked). */
  readonly tls: TlsDetail | null;
  /** The client lines for the session's own address and no incoming chain (client-ip-headers.ts `clientIpLines`), cached per route. */
  clientFields(route: CompiledRoute): string;
  /**
   * The connection's client (`context.clientAddress`: the TCP peer, or the client a trusted PROXY header
   * named) is in the route's Trusted IPs, so its X-Forwarded-For / X-Real-IP may be believed; cached per route.
   */
  clientTrusted(route: CompiledRoute): boolean;
  /** A stream of this session closed (both directions done, or reset). */
  streamClosed(): void;
}

/** What answering a stream without relaying a backend response (stream-answer.ts) reads and advances. */
export interface AnswerStream extends ReportExchange {
  readonly conn: SessionSide;
  /** The member counted for this stream (null once released: the record then names it). */
  member: MemberRuntime | null;
  readonly stream: H2Stream;
  readonly head: StreamHead;
  stage: StreamStage;
  upstream: UpstreamConnection | null;
  /** The client sent its whole request (END_STREAM). */
  readonly requestEnded: boolean;
  /** Set by a phase that answers with a response of its own. */
  readonly answer: PhaseAnswer | null;
  /** Set by a phase that answers with a generated error page. */
  readonly errorKind: ProxyErrorKind | null;
  /** Shapes backend → client bytes on a limited address (EIP); null = unlimited. */
  readonly shaper: ShapedWriter | null;
  /** Stops counting the member (PoolRuntime.release); it stays in the record. */
  releaseMember(): void;
  /** The exchange is over: its deadline is no longer checked. */
  settle(): void;
}

/** What relaying the backend's response onto the stream (stream-relay.ts) reads and advances. */
export interface RelayStream extends AnswerStream {
  readonly framer: BodyFramer;
  readonly isHead: boolean;
  readonly sticky: StickyPolicy | null;
  readonly stuck: boolean;
  /** The backend connection may carry another request after this response. */
  reusable: boolean;
  /** Arms the deadline for the current stage. */
  armTimer(): void;
  /** The response is complete: the backend connection goes back to its pool, the stream is reported. */
  finish(): void;
  /** Nothing was sent yet: answer with the generated page of `kind`. */
  fail(kind: ProxyErrorKind, cause?: unknown): void;
  /** The response already started: reset the stream. */
  abort(kind: ProxyErrorKind, cause?: unknown): void;
  /** Writes body bytes (a private copy) as DATA; false = the stream's buffer is full. */
  sendData(data: Buffer): boolean;
  /** Writes the last body bytes and ends the stream. */
  endData(data: Buffer): void;
  /** A write to the stream was not taken at once: pause the backend until the stream drains. */
  streamFull(): void;
}
