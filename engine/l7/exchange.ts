import { normalizeIp } from "../observe/connection-context";
import { ShapedWriter, type ShapedTarget } from "../io/shaped-writer";
import type { RequestRecord, TlsDetail } from "../observe/observer.types";
import { memberSucceeded } from "../pools/passive-ejection";
import type { MemberRuntime, PoolRuntime } from "../pools/pool-runtime.types";
import { BodyBuffer } from "./body-buffer";
import { beginBody, bodyComplete, bodyTooLarge, bodyTooSlow, forwardBody } from "./body-forwarding";
import { BodyLimits } from "./body-limits";
import { keepsChain } from "./client-ip-headers";
import type { CompiledRoute } from "./compiled-route";
import type { ExchangeStage, TimerKind } from "./connection-state";
import { abortExchange, answerGenerated, answerPhase, cancelExchange, failExchange } from "./error-answer";
import type { ProxyErrorKind } from "./errors";
import type { BodyExchange, ClientSide, ExchangeControl, ReportExchange, ResponseExchange } from "./exchange.types";
import { BodyFramer } from "./http1/body-framer";
import type { RequestParser } from "./http1/request-parser";
import type { PhaseAnswer, PhaseRequest } from "./phases/phase.types";
import { buildRequestHead, localAuthority } from "./request-head-writer";
import { requestRealIp } from "./request-real-ip";
import { attemptConnected, attemptHeader, captureHttp1Head, captureRefusedHead, detailFor, generatedHeadWritten, responseHeadWritten } from "./request-detail";
import { beginRecord, recordResponseStart, reportRequest } from "./request-report";
import { endUntilClose, readResponseHead, relayResponseBody } from "./response-relay";
import type { StickyPolicy } from "./sticky/sticky-policy";
import { tlsDetailOf } from "./tls-detail";
import { attemptFailed, connectMember, releaseCountedMember } from "./upstream-attempt";
import type { UpstreamConnection } from "./upstream-connection";
import type { UpstreamPool } from "./upstream-pool";

/**
 * One request/response exchange of a client connection: the one object per connection, reused for
 * every request on it, that every part of the request path works on (no object per request). Per
 * request: the route's phases decide where it goes (phases/: today pick member — sticky cookie, else
 * the balancer) or answer it; the head goes to a backend connection of the chosen member
 * (upstream-attempt.ts: member cap, failover, passive ejection, descriptor shortage); the body follows,
 * streamed or — small — buffered first (body-forwarding.ts); the response is relayed as it streams,
 * with backpressure both ways (response-relay.ts), 1xx forwarded, 101 turned into a tunnel; errors
 * before any response byte are answered with a generated page, later ones close (error-answer.ts,
 * statuses in errors.ts). On a limited address (EIP) backend bytes pass a ShapedWriter first: a hold
 * and the client's write backpressure both keep the backend paused. Every request ends with one
 * `requestDone` to the connection's observer (request-report.ts).
 *
 * The fields below are the state those parts read and advance (through the views of exchange.types.ts).
 */
export class Exchange implements ExchangeControl, ResponseExchange, PhaseRequest, BodyExchange, ReportExchange, ShapedTarget {
  stage: ExchangeStage = "idle";
  upstream: UpstreamConnection | null = null;
  // PhaseRequest: where the request goes, filled by the phases.
  pool: PoolRuntime | null = null;
  sticky: StickyPolicy | null = null;
  member: MemberRuntime | null = null;
  stuck = false;
  errorKind: ProxyErrorKind | null = null;
  answer: PhaseAnswer | null = null;
  requestDone = false;
  closeClient = false;
  reusable = false;
  clientMinor = 1;
  isHead = false;
  upgrade = false;
  readonly framer = new BodyFramer();
  route: CompiledRoute | null = null;
  /** Keep-alive connections of the member (its UpstreamPool). */
  target: UpstreamPool | null = null;
  /** The request head as sent to the backend (kept for a retry). */
  forwardHead = "";
  excluded: Set<MemberRuntime> | null = null;
  tries = 0;
  /** Body size and rate of the current request. */
  readonly limits = new BodyLimits();
  /** A small body read whole before connecting (`active` while it arrives). */
  readonly buffer = new BodyBuffer();
  /** The member the phases chose for a buffered request: counted (assign) only once the body is complete. */
  chosen: MemberRuntime | null = null;
  /** The body went out inside `forwardHead` (it was buffered): a retry can send it again. */
  replayable = false;
  responseSeen = false;
  idempotent = false;
  /** Shapes backend → client bytes on a limited address (EIP); null = unlimited. */
  readonly shaper: ShapedWriter | null;
  /** What the observer gets when the request is over (reused); status and stages are kept even when nobody observes. */
  readonly record: RequestRecord = { method: "", status: 0, member: null, error: null, startedAt: 0, responseStartedAt: -1, doneAt: 0, detail: null };
  /**
   * PhaseRequest, AttemptExchange: the request's client — the connection's address, or the one a trusted
   * peer's Real IP Header names (client-ip-headers.ts). Source IP hash and stickiness pick by it, and it is
   * what X-Forwarded-For and X-Real-IP carry.
   */
  clientIp = "";
  /** A request is under way and not yet reported. */
  recording = false;
  /** The observer wants requests: timestamps are taken (else no clock is read per request). */
  readonly timed: boolean;
  /** The connection's TLS as the access log writes it (read at its first logged request). */
  private tlsDetail: TlsDetail | null | undefined = undefined;

  constructor(readonly conn: ClientSide) {
    const bandwidth = conn.context.bandwidth;
    this.shaper = bandwidth === null ? null : new ShapedWriter(bandwidth, this);
    this.timed = conn.context.observer.observesRequests;
  }

  /** PhaseRequest: the parsed request head. */
  get head(): RequestParser {
    return this.conn.parser;
  }

  /** PhaseRequest: the socket's local address (read only by a phase that needs it: a redirect without Host). */
  get localAddress(): string {
    return normalizeIp(this.conn.socket.localAddress);
  }

  start(): void {
    const conn = this.conn;
    const req = conn.parser;
    const route = conn.proxy.route;
    this.route = route;
    this.pool = route.pool;
    this.sticky = route.sticky;
    this.member = this.chosen = this.target = this.upstream = this.excluded = null;
    this.errorKind = null;
    this.answer = null;
    this.tries = 0;
    this.stuck = this.responseSeen = this.closeClient = this.reusable = this.replayable = false;
    this.requestDone = conn.state !== "body";
    this.clientMinor = req.versionMinor;
    this.isHead = req.method === "HEAD";
    this.upgrade = req.upgrade && req.versionMinor === 1; // RFC 9110 §7.8: Upgrade in HTTP/1.0 is ignored
    this.idempotent = req.idempotent;
    this.stage = "awaiting-head";
    beginRecord(this, req.method, conn.headStartedAt);
    if (this.timed) {
      const detail = detailFor(this.record, conn.context, this.tls);
      if (detail !== null) {
        captureHttp1Head(detail, req);
        this.limits.bytes = 0; // counted from here: a request without a body reports 0
      }
    }
    const ci = route.clientIp;
    const connectionIp = conn.clientIp;
    // A client's X-Forwarded-* / X-Real-IP matter only when present (forwardedCount) and, for the real IP, from a trusted peer.
    const trusted = req.forwardedCount > 0 && conn.clientTrusted(route);
    this.clientIp = trusted && ci.realIp !== "NONE" ? requestRealIp(req, ci, connectionIp) : connectionIp;
    const phases = route.phases;
    for (let i = 0; i < phases.length; i++) {
      if (phases[i]!.run(this) === "respond") return answerPhase(this);
    }
    const o = conn.proxy.options;
    if (req.contentLength > o.maxBodyBytes) return bodyTooLarge(this); // before any backend connection
    const member = this.member!; // chosen, not yet counted: connectMember counts it
    this.member = null;
    const drop = beginBody(this, req, o); // an Expect answered here (buffered body) is not forwarded
    // An HTTP/1.0 request without Host goes out as HTTP/1.1 with the address the client reached as Host.
    const host = req.versionMinor === 0 && req.hostField < 0 && !req.absoluteForm ? localAuthority(conn.socket.localAddress, conn.socket.localPort) : "";
    const client = this.clientIp;
    const keepChain = req.forwardedCount > 0 && keepsChain(ci, trusted);
    this.forwardHead = buildRequestHead(req, ci, client, client === connectionIp ? conn.clientFields(route) : null, keepChain, drop, host);
    if (this.buffer.active) {
      this.chosen = member; // the backend connection waits for the whole body (requestSent)
      this.armTimer(); // body silence timeout while it arrives
      return;
    }
    connectMember(this, member);
  }

  checkBodyRate(now: number): boolean {
    return bodyTooSlow(this, now);
  }

  sendBody(buf: Buffer, start: number, end: number): void {
    forwardBody(this, buf, start, end);
  }

  requestSent(): void {
    bodyComplete(this);
  }

  tunnelToBackend(chunk: Buffer, owned: boolean): void {
    const up = this.upstream;
    if (up !== null && !(owned ? up.socket.write(chunk) : up.writeBytes(chunk, 0, chunk.length))) this.conn.socket.pause();
  }

  tunnelClientEnded(): void {
    this.upstream?.socket.end();
  }

  onClientDrain(): void {
    const up = this.upstream;
    const holding = this.shaper !== null && this.shaper.holding; // a hold resumes the backend itself
    if (up !== null && !holding && up.socket.isPaused()) up.socket.resume();
  }

  onTimeout(kind: TimerKind): void {
    if (this.stage !== "awaiting-head") return this.abort("response_timeout");
    if (kind === "body") return this.fail("request_timeout");
    const up = this.upstream;
    // The socket's own connect timer normally fires first; this backstop takes the same (retrying) path.
    if (kind === "connect" && up !== null && !up.connected) return up.timeOut();
    this.fail(kind === "connect" ? "connect_timeout" : "response_timeout");
  }

  clientFailed(kind: ProxyErrorKind): void {
    if (this.stage === "awaiting-head") this.fail(kind);
    else this.abort(kind);
  }

  cancel(): void {
    cancelExchange(this);
  }

  rejected(kind: ProxyErrorKind, status: number, response: string): void {
    beginRecord(this, this.conn.parser.method, this.conn.headStartedAt);
    this.record.member = null;
    this.pool = null;
    const detail = this.timed ? detailFor(this.record, this.conn.context, this.tls) : null;
    if (detail !== null) {
      captureRefusedHead(detail);
      detail.bytesOutMark -= response.length; // the answer went out just before (latin1: one char per byte)
      generatedHeadWritten(this.record, response);
      this.limits.bytes = 0;
    }
    this.done(status, kind);
  }

  onUpstreamConnect(): void {
    attemptConnected(this.record);
    const member = this.member;
    if (member !== null && member.failures !== 0) memberSucceeded(member); // once per new connection, not per request
    if (this.stage === "awaiting-head") this.armTimer();
  }

  onUpstreamData(chunk: Buffer): void {
    this.conn.progress++;
    this.responseSeen = true;
    const shaper = this.shaper;
    if (shaper !== null && !shaper.pass(chunk, chunk.length)) return; // held: deliverHeld relays it
    this.relay(chunk);
  }

  /** Backend bytes → response head parsing, body relay or tunnel. */
  private relay(chunk: Buffer): void {
    switch (this.stage) {
      case "awaiting-head":
        readResponseHead(this, chunk);
        break;
      case "body":
        relayResponseBody(this, chunk);
        break;
      case "tunnel":
        if (!this.conn.writeBytes("", chunk, 0, chunk.length)) this.upstream?.socket.pause();
        break;
    }
  }

  /** ShapedTarget: held backend bytes are due. */
  deliverHeld(bytes: Buffer): void {
    this.relay(bytes);
  }

  /** ShapedTarget: a hold began. */
  pauseSource(): void {
    this.upstream?.socket.pause();
  }

  /** ShapedTarget: the hold is over; the backend resumes unless the client's buffer is full. */
  holdReleased(): void {
    const up = this.upstream; // null when the held bytes completed the response (its connection is back in its pool)
    if (up !== null && up.socket.isPaused() && !this.conn.socket.writableNeedDrain) up.socket.resume();
  }

  onUpstreamDrain(): void {
    const conn = this.conn;
    conn.progress++;
    if ((conn.state === "body" || conn.state === "tunnel") && conn.socket.isPaused()) conn.socket.resume();
  }

  onUpstreamEnd(): void {
    this.shaper?.flush();
    if (endUntilClose(this)) return;
    if (this.stage === "tunnel") this.conn.socket.end();
    else this.onUpstreamError(null);
  }

  onUpstreamError(err: Error | null): void {
    this.shaper?.flush();
    const up = this.upstream;
    if (up === null) return;
    if (this.stage === "tunnel" && err === null) {
      this.conn.socket.end();
      return;
    }
    this.upstream = null;
    up.destroy();
    if (this.stage !== "awaiting-head") return this.abort("backend_reset", err);
    attemptFailed(this, up, err);
  }

  responseStarted(status: number, headBytes: number): void {
    recordResponseStart(this, status);
    attemptHeader(this.record, status);
    responseHeadWritten(this.record, headBytes);
  }

  finish(): void {
    this.stage = "done";
    const up = this.upstream;
    this.upstream = null;
    if (up !== null) this.target!.release(up, this.reusable && this.requestDone);
    this.releaseMember();
    this.done(this.record.status, null);
    this.conn.exchangeDone(!this.closeClient);
  }

  armTimer(): void {
    const conn = this.conn;
    const o = conn.proxy.options;
    if (this.stage === "awaiting-head") {
      if (this.upstream !== null && !this.upstream.connected) conn.setTimer("connect", o.connectTimeoutMs);
      else if (conn.state === "body") conn.setTimer("body", o.bodyTimeoutMs);
      else conn.setTimer("response", o.responseTimeoutMs);
    } else if (this.stage === "body") conn.setTimer("stream", o.responseTimeoutMs);
    else if (this.stage === "tunnel") conn.setTimer("tunnel", this.route!.idleTimeoutMs);
  }

  fail(kind: ProxyErrorKind, cause?: unknown): void {
    failExchange(this, kind, cause);
  }

  abort(kind: ProxyErrorKind, cause?: unknown): void {
    abortExchange(this, kind, cause);
  }

  /** OversizeExchange: sends `answer` (the 413) instead of a backend's response. */
  sendAnswer(): void {
    answerPhase(this);
  }

  /** AttemptExchange: an answer of `status` for the engine's own shortage (the client connection may stay). */
  answerStatus(kind: ProxyErrorKind, status: number): void {
    answerGenerated(this, kind, status, false);
  }

  /** ReportExchange: request body bytes read for this request. */
  get requestBodyBytes(): number {
    return this.limits.bytes;
  }

  /** The TLS of the connection, read once (access logs only); null for plain HTTP. */
  private get tls(): TlsDetail | null {
    return (this.tlsDetail ??= tlsDetailOf(this.conn.socket));
  }

  /** AttemptExchange: body bytes a retry could not send again (a buffered body can). */
  get bodyBytesSent(): number {
    return this.replayable ? 0 : this.limits.bytes;
  }

  /** The request is over (however it ended): a half-buffered body is dropped, the observer gets the request once. */
  done(status: number, error: ProxyErrorKind | null): void {
    if (this.buffer.active) this.buffer.clear(); // failed or cancelled while its body was buffered
    this.chosen = null;
    reportRequest(this, status, error);
  }

  releaseMember(): void {
    releaseCountedMember(this);
  }
}
