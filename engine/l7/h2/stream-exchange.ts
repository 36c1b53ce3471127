import { latin1 } from "../../io/bytes";
import { ShapedWriter, type ShapedTarget } from "../../io/shaped-writer";
import type { RequestRecord } from "../../observe/observer.types";
import { memberSucceeded } from "../../pools/passive-ejection";
import type { MemberRuntime, PoolRuntime } from "../../pools/pool-runtime.types";
import { bodyTooLarge } from "../body-forwarding";
import { BodyLimits } from "../body-limits";
import { keepsChain } from "../client-ip-headers";
import type { CompiledRoute } from "../compiled-route";
import { ConnectionTimer } from "../connection-timer";
import type { TimerKind } from "../connection-state";
import type { ProxyErrorKind } from "../errors";
import type { AttemptExchange } from "../exchange.types";
import { BodyFramer } from "../http1/body-framer";
import type { PhaseAnswer, PhaseRequest } from "../phases/phase.types";
import { claimedRealIp } from "../real-ip";
import { attemptConnected, captureH2Head, detailFor } from "../request-detail";
import { beginRecord, reportRequest } from "../request-report";
import { endUntilClose } from "../response-relay";
import type { StickyPolicy } from "../sticky/sticky-policy";
import { attemptFailed, connectChosen, connectMember, releaseCountedMember } from "../upstream-attempt";
import type { UpstreamConnection } from "../upstream-connection";
import type { UpstreamPool } from "../upstream-pool";
import type { RelayStream, SessionSide, StreamStage, StreamTimed } from "./h2.types";
import { buildStreamRequestHead } from "./request-head";
import { abortStream, answerGeneratedStream, answerPhaseStream, cancelStream, failStream } from "./stream-answer";
import type { StreamHead } from "./stream-head";
import { readStreamResponseHead, relayStreamBody } from "./stream-relay";
import { NO_ERROR } from "./wire/frames";
import type { H2Stream, H2StreamOwner } from "./wire/h2-stream";

/**
 * One HTTP/2 stream forwarded to a backend over the engine's own HTTP/1.1 upstream path. Per stream:
 * the route's request phases decide where it goes (the exchange is the `PhaseRequest`, its
 * `StreamHead` the `PhaseHead`) or answer it; the stream becomes an HTTP/1.1 request head
 * (request-head.ts) written on a keep-alive connection of the chosen member's `UpstreamPool` — the
 * same pools, member cap, failover and passive ejection as HTTP/1 (../upstream-attempt.ts); the request
 * body follows — a small Content-Length body is buffered first (so a refused connect can resend it),
 * a larger one streamed, one without Content-Length sent chunked — with backpressure both ways; the
 * response is parsed with the engine's HTTP/1 framing and relayed as one header block and DATA
 * (stream-relay.ts). Errors before any response byte get a generated page on the stream, later ones
 * reset the stream alone (stream-answer.ts). A client reset (RST_STREAM) or a session that goes away
 * cancels only this stream's exchange: its backend connection is destroyed, not returned to its pool.
 * Every stream ends with one `requestDone` (../request-report.ts).
 *
 * Its deadline (connect backstop, request body silence, first response byte, response silence) is
 * checked by the handler's sweep, as HTTP/1's per-connection deadline is. The stream (wire/h2-stream.ts)
 * calls it directly as its `H2StreamOwner`: body bytes, END_STREAM, drain, close.
 */
export class StreamExchange extends ConnectionTimer implements PhaseRequest, AttemptExchange, RelayStream, ShapedTarget, StreamTimed, H2StreamOwner {
  stage: StreamStage = "awaiting-head";
  upstream: UpstreamConnection | null = null;
  // PhaseRequest: where the request goes, filled by the phases. No group until they run: a stream refused
  // before (CONNECT, a bad :path) went to none, and its access-log record says pool_name '-'.
  pool: PoolRuntime | null = null;
  sticky: StickyPolicy | null = null;
  member: MemberRuntime | null = null;
  stuck = false;
  errorKind: ProxyErrorKind | null = null;
  answer: PhaseAnswer | null = null;
  readonly route: CompiledRoute;
  target: UpstreamPool | null = null;
  excluded: Set<MemberRuntime> | null = null;
  tries = 0;
  forwardHead = "";
  responseSeen = false;
  reusable = false;
  /** The client sent END_STREAM. */
  requestEnded: boolean;
  /** Request body bytes streamed to the backend (a buffered body goes out inside `forwardHead`: not counted). */
  bodyBytesSent = 0;
  readonly idempotent: boolean;
  readonly isHead: boolean;
  readonly framer = new BodyFramer();
  readonly shaper: ShapedWriter | null;
  readonly record: RequestRecord = { method: "", status: 0, member: null, error: null, startedAt: 0, responseStartedAt: -1, doneAt: 0, detail: null };
  recording = false;
  readonly timed: boolean;
  /** Bumped by every byte either way; silence-measured deadlines watch it. */
  progress = 0;
  /**
   * PhaseRequest, AttemptExchange: the stream's client — the session's address, or the one a trusted
   * peer's Real IP Header names (source IP hash and stickiness, X-Forwarded-For, X-Real-IP).
   */
  clientIp: string;
  /** The request body goes to the backend chunk-encoded (no Content-Length). */
  private chunked = false;
  /** A small body read whole before connecting (null = not buffering). */
  private buffered: Buffer[] | null = null;
  /** The member the phases chose for a buffered request: counted once the body is complete. */
  private chosen: MemberRuntime | null = null;
  /** Size and rate of the request body (streams with a body only). */
  private limits: BodyLimits | null = null;

  constructor(
    readonly conn: SessionSide,
    readonly stream: H2Stream,
    readonly head: StreamHead,
  ) {
    super();
    const route = conn.proxy.route;
    this.route = route;
    const method = head.method;
    this.isHead = method === "HEAD";
    this.idempotent = method === "GET" || method === "HEAD" || method === "OPTIONS" || method === "PUT" || method === "DELETE" || method === "TRACE";
    this.requestEnded = stream.endAfterHeaders;
    const bandwidth = conn.context.bandwidth;
    this.shaper = bandwidth === null ? null : new ShapedWriter(bandwidth, this);
    this.timed = conn.context.observer.observesRequests;
    this.clientIp = conn.clientIp;
    stream.owner = this;
  }

  get localAddress(): string {
    return this.conn.localAddress;
  }

  /** The stream's head arrived: run the phases, then forward it (or buffer its small body first). */
  start(): void {
    const head = this.head;
    const conn = this.conn;
    const proxy = conn.proxy;
    beginRecord(this, head.method);
    if (this.timed) {
      const detail = detailFor(this.record, conn.context, conn.tls);
      if (detail !== null) captureH2Head(detail, head);
    }
    proxy.track(this);
    const path = head.path;
    if (head.method === "CONNECT") return failStream(this, "method_not_allowed", null); // no extended CONNECT (RFC 8441) offered
    if (path.charCodeAt(0) !== 0x2f && !(path === "*" && head.method === "OPTIONS")) return failStream(this, "bad_request", null);
    const route = this.route;
    const ci = route.clientIp;
    const connectionIp = this.clientIp;
    // A client's X-Forwarded-For / X-Real-IP matter only when present and, for the real IP, from a trusted peer.
    const trusted = (head.forwardedFor !== "" || head.realIp !== null) && conn.clientTrusted(route);
    if (trusted && ci.realIp !== "NONE") this.clientIp = claimedRealIp(ci, head.forwardedFor, head.realIp, connectionIp);
    this.pool = route.pool; // the listener's default group, until a phase changes it
    this.sticky = route.sticky;
    const phases = route.phases;
    for (let i = 0; i < phases.length; i++) {
      if (phases[i]!.run(this) === "respond") return answerPhaseStream(this);
    }
    const o = proxy.options;
    if (head.contentLength > o.maxBodyBytes) return bodyTooLarge(this); // before any backend connection
    const member = this.member!; // chosen, not yet counted: connectMember counts it
    this.member = null;
    const hasBody = !this.requestEnded;
    const buffer = hasBody && head.contentLength >= 0 && head.contentLength <= o.bufferBodyBytes;
    const answerContinue = buffer && head.expect.toLowerCase() === "100-continue";
    this.chunked = hasBody && head.contentLength < 0;
    const client = this.clientIp;
    const cached = client === connectionIp ? conn.clientFields(route) : null;
    this.forwardHead = buildStreamRequestHead(head, ci, client, cached, keepsChain(ci, trusted), conn.localAuthority, this.chunked, !answerContinue);
    if (hasBody) (this.limits = new BodyLimits()).begin(o.maxBodyBytes, true);
    if (buffer) {
      this.buffered = [];
      this.chosen = member; // the backend connection waits for the whole body (onClientEnd)
      if (answerContinue) this.stream.informational(100);
      this.armTimer();
      return;
    }
    connectMember(this, member);
  }

  /** H2StreamOwner: request body bytes (a chunk the stream gave us: ours to keep). */
  onClientData(chunk: Buffer): void {
    const n = chunk.length;
    this.progress++;
    const context = this.conn.context;
    context.bytesIn += n;
    context.observer.bytesIn(context, n);
    if (this.stage === "done" || n === 0) return;
    const limits = this.limits!;
    const within = limits.add(n);
    const buffered = this.buffered;
    if (buffered !== null) {
      buffered.push(chunk); // the connection holds a Content-Length body to its length
      return;
    }
    const up = this.upstream;
    if (up === null) return;
    if (!within) return bodyTooLarge(this); // chunked past maxBodyBytes
    this.bodyBytesSent += n;
    const socket = up.socket;
    let ok: boolean;
    if (this.chunked) {
      socket.cork();
      socket.write(`${n.toString(16)}\r\n`, "latin1");
      socket.write(chunk);
      ok = socket.write("\r\n", "latin1");
      socket.uncork();
    } else ok = socket.write(chunk);
    if (!ok) this.stream.pause(); // the stream stops granting the client window until we resume
  }

  /** H2StreamOwner: the client sent END_STREAM. */
  onClientEnd(): void {
    this.requestEnded = true;
    if (this.stage === "done") return;
    if (this.buffered !== null) return this.sendBuffered();
    if (this.chunked) {
      if (this.bodyBytesSent === 0) this.forwardHead += "0\r\n\r\n"; // nothing streamed yet: a retry resends it with the head
      this.upstream?.socket.write("0\r\n\r\n", "latin1");
    }
    if (this.stage === "awaiting-head") this.armTimer();
  }

  /** The buffered body is complete: only now is a backend connection taken; head and body go in one write. */
  private sendBuffered(): void {
    const pieces = this.buffered!;
    this.buffered = null;
    const body = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
    this.forwardHead += latin1(body, 0, body.length);
    const member = this.chosen!;
    this.chosen = null;
    connectChosen(this, member);
  }

  /** H2StreamOwner: the stream holds less than its high-water mark again after a write answered false. */
  onStreamDrain(): void {
    this.progress++;
    const up = this.upstream;
    const holding = this.shaper !== null && this.shaper.holding; // a hold resumes the backend itself
    if (up !== null && !holding && up.socket.isPaused()) up.socket.resume();
  }

  /** H2StreamOwner: the stream closed, normally after its response, or reset by the client, or with its session. */
  onStreamClose(): void {
    if (this.stage !== "done") cancelStream(this);
    this.buffered = null;
    this.conn.streamClosed();
  }

  // UpstreamOwner: the backend connection's events while it carries this stream.

  onUpstreamConnect(): void {
    attemptConnected(this.record);
    const member = this.member;
    if (member !== null && member.failures !== 0) memberSucceeded(member);
    if (this.stage === "awaiting-head") this.armTimer();
  }

  onUpstreamData(chunk: Buffer): void {
    this.progress++;
    this.responseSeen = true;
    const shaper = this.shaper;
    if (shaper !== null && !shaper.pass(chunk, chunk.length)) return; // held: deliverHeld relays it
    this.relay(chunk);
  }

  private relay(chunk: Buffer): void {
    if (this.stage === "awaiting-head") readStreamResponseHead(this, chunk);
    else if (this.stage === "body") relayStreamBody(this, chunk);
  }

  onUpstreamDrain(): void {
    this.progress++;
    const stream = this.stream;
    if (stream.isPaused() && !stream.closed) stream.resume();
  }

  onUpstreamEnd(): void {
    this.shaper?.flush();
    if (!endUntilClose(this)) this.onUpstreamError(null);
  }

  onUpstreamError(err: Error | null): void {
    this.shaper?.flush();
    const up = this.upstream;
    if (up === null) return;
    this.upstream = null;
    up.destroy();
    if (this.stage !== "awaiting-head") return this.abort("backend_reset", err);
    attemptFailed(this, up, err);
  }

  // ShapedTarget (EIP bandwidth on backend → client bytes).

  deliverHeld(bytes: Buffer): void {
    this.relay(bytes);
  }

  pauseSource(): void {
    this.upstream?.socket.pause();
  }

  holdReleased(): void {
    const up = this.upstream;
    if (up !== null && up.socket.isPaused() && !this.stream.writableNeedDrain) up.socket.resume();
  }

  // RelayStream.

  sendData(data: Buffer): boolean {
    this.countOut(data.length);
    return this.stream.write(data);
  }

  endData(data: Buffer): void {
    this.countOut(data.length);
    this.stream.end(data);
  }

  private countOut(n: number): void {
    const detail = this.record.detail;
    if (detail !== null) detail.bytesSent += n; // this stream's own bytes (the session's are shared)
    const context = this.conn.context;
    context.bytesOut += n;
    context.observer.bytesOut(context, n);
  }

  streamFull(): void {
    this.upstream?.socket.pause(); // onStreamDrain resumes it
  }

  finish(): void {
    this.stage = "done";
    const up = this.upstream;
    this.upstream = null;
    if (up !== null) this.target!.release(up, this.reusable && this.requestEnded);
    this.releaseMember();
    reportRequest(this, this.record.status, null);
    this.settle();
    const stream = this.stream;
    if (stream.closed) return;
    if (!stream.writableEnded) stream.end();
    if (!this.requestEnded) stream.close(NO_ERROR); // answered before the whole body: the client may stop (RFC 9113 §8.1)
  }

  fail(kind: ProxyErrorKind, cause?: unknown): void {
    failStream(this, kind, cause);
  }

  abort(kind: ProxyErrorKind, cause?: unknown): void {
    abortStream(this, kind, cause);
  }

  /** OversizeExchange: sends `answer` (the 413) instead of a backend's response. */
  sendAnswer(): void {
    answerPhaseStream(this);
  }

  /** AttemptExchange: an answer of `status` for the engine's own shortage. */
  answerStatus(kind: ProxyErrorKind, status: number): void {
    answerGeneratedStream(this, kind, status);
  }

  releaseMember(): void {
    releaseCountedMember(this);
  }

  /** ReportExchange: request body bytes read from the stream. */
  get requestBodyBytes(): number {
    return this.limits?.bytes ?? 0;
  }

  settle(): void {
    this.clear();
    this.conn.proxy.untrack(this);
  }

  // Deadlines.

  armTimer(): void {
    const o = this.conn.proxy.options;
    if (this.stage === "awaiting-head") {
      if (this.upstream !== null && !this.upstream.connected) this.setTimer("connect", o.connectTimeoutMs);
      else if (!this.requestEnded) this.setTimer("body", o.bodyTimeoutMs);
      else this.setTimer("response", o.responseTimeoutMs);
    } else if (this.stage === "body") this.setTimer("stream", o.responseTimeoutMs);
  }

  private setTimer(kind: TimerKind, ms: number): void {
    this.arm(kind, ms, this.conn.proxy.sweepMs, this.progress);
  }

  /** Called by the handler's sweep while the exchange is under way. */
  onTick(now: number): void {
    if (this.stage === "done") return;
    const o = this.conn.proxy.options;
    const limits = this.limits;
    if (limits !== null && !this.requestEnded && limits.tooSlow(now, o.minBodyBytesPerSecond, o.bodyRateWindowMs, this.stream.isPaused())) {
      return this.timedOut("body");
    }
    const kind = this.expired(now, this.progress);
    if (kind !== "none") this.timedOut(kind);
  }

  private timedOut(kind: TimerKind): void {
    if (this.stage !== "awaiting-head") return this.abort(kind === "body" ? "request_timeout" : "response_timeout");
    if (kind === "body") return this.fail("request_timeout");
    const up = this.upstream;
    // The socket's own connect timer normally fires first; this backstop takes the same (retrying) path.
    if (kind === "connect" && up !== null && !up.connected) return up.timeOut();
    this.fail(kind === "connect" ? "connect_timeout" : "response_timeout");
  }
}
