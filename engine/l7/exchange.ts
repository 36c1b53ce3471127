import { copyOf, writableCopy } from "../io/bytes";
import { ShapedWriter, type ShapedTarget } from "../io/shaped-writer";
import type { RequestRecord } from "../observe/observer.types";
import { memberFailed, memberSucceeded } from "../pools/passive-ejection";
import type { MemberRuntime, PoolRuntime } from "../pools/pool-runtime.types";
import { BodyBuffer, CONTINUE } from "./body-buffer";
import { BodyLimits, TOO_LARGE } from "./body-limits";
import type { CompiledRoute } from "./compiled-route";
import type { ExchangeStage, TimerKind } from "./connection-state";
import { closesClient, statusOf, type ProxyErrorKind } from "./errors";
import type { ClientSide, ExchangeControl, ResponseExchange } from "./exchange.types";
import { generatedResponse, phaseResponse } from "./generated-response";
import { BodyFramer, BodyMode } from "./http1/body-framer";
import type { RequestParser } from "./http1/request-parser";
import type { PhaseAnswer, PhaseRequest } from "./phases/phase.types";
import { buildRequestHead, localAuthority } from "./request-head-writer";
import { readResponseHead, relayResponseBody } from "./response-relay";
import { Retry, retryDecision } from "./retry-policy";
import type { StickyPolicy } from "./sticky/sticky-policy";
import type { UpstreamConnection, UpstreamOwner } from "./upstream-connection";
import type { UpstreamPool } from "./upstream-pool";

/**
 * One request/response exchange of a client connection (the object is reused for every request
 * of that connection). Per request: the route's phases decide where it goes (phases/: today pick
 * member — sticky cookie, else the balancer) or answer it; then acquire/release around the request,
 * the request head to a keep-alive backend connection (a member at its `maxConnectionsPerMember`
 * cap with no idle connection is skipped for the balancer's next choice; none left → 503
 * member_busy), the response relayed as it streams with backpressure both ways (response-relay.ts),
 * 1xx forwarded, 101 turned into a tunnel. Failures before any response byte are retried when safe
 * (connect failure or connect timeout — each new socket has its own connect timer — → another
 * member, and the failed member counts toward its passive ejection, pools/passive-ejection.ts; a
 * reused keep-alive connection that died → a fresh one, idempotent requests only; a streamed body
 * byte rules both out, a buffered body is simply sent again), else answered through errors.ts
 * (502/503/504). On a limited address (EIP) backend bytes pass a ShapedWriter first: a hold and the
 * client's write backpressure both keep the backend paused. Every request ends with one
 * `requestDone` to the connection's observer. Body size and rate limits: body-limits.ts; a small
 * Content-Length body is read whole before connecting (body-buffer.ts), so a slow client sending
 * it holds no backend connection.
 */
export class Exchange implements ExchangeControl, ResponseExchange, PhaseRequest, UpstreamOwner, ShapedTarget {
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
  private route: CompiledRoute | null = null;
  private target: UpstreamPool | null = null;
  /** The request head as sent to the backend (kept for a retry). */
  private forwardHead = "";
  private excluded: Set<MemberRuntime> | null = null;
  private tries = 0;
  /** Body size and rate of the current request. */
  private readonly limits = new BodyLimits();
  /** A small body read whole before connecting (`active` while it arrives). */
  private readonly buffer = new BodyBuffer();
  /** The member the phases chose for a buffered request: counted (assign) only once the body is complete. */
  private chosen: MemberRuntime | null = null;
  /** The body went out inside `forwardHead` (it was buffered): a retry can send it again. */
  private replayable = false;
  private responseSeen = false;
  private idempotent = false;
  /** Shapes backend → client bytes on a limited address (EIP); null = unlimited. */
  private readonly shaper: ShapedWriter | null;
  /** What the observer gets when the request is over (reused); status and stages are kept even when nobody observes. */
  private readonly record: RequestRecord = { method: "", status: 0, member: null, error: null, startedAt: 0, responseStartedAt: -1, doneAt: 0 };
  /** A request is under way and not yet reported. */
  private recording = false;
  /** The observer wants requests: timestamps are taken (else no clock is read per request). */
  private readonly timed: boolean;

  constructor(readonly conn: ClientSide) {
    const bandwidth = conn.context.bandwidth;
    this.shaper = bandwidth === null ? null : new ShapedWriter(bandwidth, this);
    this.timed = conn.context.observer.observesRequests;
  }

  /** A timestamp for the record (performance.now() ms), 0 when nobody observes requests. */
  private stamp(): number {
    return this.timed ? performance.now() : 0;
  }

  /** PhaseRequest: the parsed request head. */
  get head(): RequestParser {
    return this.conn.parser;
  }

  get clientIp(): string {
    return this.conn.clientIp;
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
    const record = this.record;
    record.method = req.method;
    record.status = 0;
    record.startedAt = this.stamp();
    record.responseStartedAt = -1;
    this.recording = true;
    const phases = route.phases;
    for (let i = 0; i < phases.length; i++) {
      if (phases[i]!.run(this) === "respond") return this.respond();
    }
    const o = conn.proxy.options;
    if (req.contentLength > o.maxBodyBytes) return this.tooLarge(); // before any backend connection
    this.limits.begin(o.maxBodyBytes, !this.requestDone); // first body rate window (checked by the sweep)
    const member = this.member!; // chosen, not yet counted: assign() counts it
    this.member = null;
    let drop = -1; // an Expect answered here (buffered body) is not forwarded
    if (!this.requestDone && !req.chunked && req.contentLength <= o.bufferBodyBytes) {
      drop = this.buffer.begin(req);
      if (this.buffer.expectsContinue) conn.write(CONTINUE);
    }
    // An HTTP/1.0 request without Host goes out as HTTP/1.1 with the address the client reached as Host.
    const host = req.versionMinor === 0 && req.hostField < 0 && !req.absoluteForm ? localAuthority(conn.socket.localAddress, conn.socket.localPort) : "";
    this.forwardHead = buildRequestHead(req, conn.clientIp, route.forwardedFields, conn.clientFields(route), drop, host);
    if (this.buffer.active) {
      this.chosen = member; // the backend connection waits for the whole body (requestSent)
      this.armTimer(); // body silence timeout while it arrives
      return;
    }
    this.connect(member);
  }

  /** Counts `member`, takes a backend connection and sends the head (on another member when it is at its cap). */
  private connect(member: MemberRuntime): void {
    if (!this.assign(member)) return this.fail("internal");
    if (!this.send(true)) this.fail("member_busy");
  }

  /**
   * The request body is over maxBodyBytes: 413 before any response byte (the backend, if any, gets a
   * reset, not a body that looks complete), else the client connection ends.
   */
  private tooLarge(): void {
    const up = this.upstream;
    if (up !== null) {
      if (this.responseSeen) return this.abort("bad_request");
      this.upstream = null;
      up.socket.resetAndDestroy();
      up.destroy();
      this.releaseMember();
    }
    this.answer = TOO_LARGE;
    this.respond();
  }

  /**
   * Called by the connection's sweep while the request body arrives: true when the body came slower
   * than minBodyBytesPerSecond over a whole window (→ 408, or the connection closes mid-response).
   * A window in which the proxy held the client back (socket paused: backend backpressure) does not count.
   */
  checkBodyRate(now: number): boolean {
    if (this.stage === "idle" || this.stage === "done") return false;
    const o = this.conn.proxy.options;
    if (!this.limits.tooSlow(now, o.minBodyBytesPerSecond, o.bodyRateWindowMs, this.conn.socket.isPaused())) return false;
    if (this.stage === "awaiting-head") this.fail("request_timeout");
    else this.abort("request_timeout");
    return true;
  }

  /** A phase answered the request itself: its answer, or the generated page of its error kind. */
  private respond(): void {
    this.member = null; // a phase may have chosen one before a later phase answered: it was never counted
    const answer = this.answer;
    if (answer === null) return this.fail(this.errorKind ?? "internal");
    const conn = this.conn;
    this.stage = "done";
    const close = !this.requestDone || !conn.keepAlive || conn.proxy.draining || conn.clientEnded;
    conn.write(phaseResponse(answer, close, this.clientMinor, this.isHead));
    this.done(answer.status, null);
    conn.exchangeDone(!close);
  }

  sendBody(buf: Buffer, start: number, end: number): void {
    if (this.stage === "done") return;
    if (this.buffer.active) {
      this.limits.add(end - start); // within Content-Length ≤ bufferBodyBytes: never over the limit
      return this.buffer.add(buf, start, end);
    }
    const up = this.upstream;
    if (up === null) return;
    if (!this.limits.add(end - start)) return this.tooLarge(); // chunked past the limit
    if (!up.socket.write(writableCopy(buf, start, end), "latin1")) this.conn.socket.pause();
  }

  requestSent(): void {
    this.requestDone = true;
    if (this.buffer.active && this.stage === "awaiting-head") return this.sendBuffered();
    if (this.stage === "awaiting-head") this.armTimer();
  }

  /**
   * The buffered body is complete: only now is a backend connection taken, for the chosen member
   * (or the balancer's next pick if it became unavailable meanwhile); head and body go in one write.
   */
  private sendBuffered(): void {
    this.forwardHead += this.buffer.take();
    this.replayable = true;
    let member = this.chosen!;
    this.chosen = null;
    const pool = this.pool!;
    if (!pool.isAvailable(member)) {
      const next = pool.pick(this.conn.clientIp);
      if (next === null) return this.fail("no_member");
      member = next;
      this.stuck = false;
    }
    this.connect(member);
  }

  tunnelToBackend(chunk: Buffer, owned: boolean): void {
    const up = this.upstream;
    if (up !== null && !up.socket.write(owned ? chunk : copyOf(chunk, 0, chunk.length))) this.conn.socket.pause();
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
    this.shaper?.drop();
    const stage = this.stage;
    if (stage === "idle" || stage === "done") return;
    this.stage = "done";
    const up = this.upstream;
    this.upstream = null;
    if (up !== null) up.destroy();
    this.releaseMember();
    // A tunnel ends here normally; any other stage means the client left before its response was complete.
    const record = this.record;
    this.done(record.responseStartedAt !== -1 ? record.status : 0, stage === "tunnel" || record.error !== null ? null : "client_closed");
  }

  rejected(kind: ProxyErrorKind, status: number): void {
    const record = this.record;
    record.method = this.conn.parser.method;
    record.startedAt = this.stamp();
    record.responseStartedAt = -1;
    record.member = null;
    this.recording = true;
    this.done(status, kind);
  }


  onUpstreamConnect(): void {
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
        if (!this.conn.write(copyOf(chunk, 0, chunk.length))) this.upstream?.socket.pause();
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
    if (this.stage === "body" && this.framer.mode === BodyMode.UNTIL_CLOSE) {
      this.framer.finishOnClose();
      this.reusable = false;
      this.finish();
    } else if (this.stage === "tunnel") {
      this.conn.socket.end();
    } else {
      this.onUpstreamError(null);
    }
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
    this.target!.discard(up); // no longer counted against the member's cap: a retry may replace it
    const kind = this.responseSeen ? "bad_response" : up.connected ? "backend_reset" : up.timedOut ? "connect_timeout" : "connect_failed";
    if (!up.connected && this.member !== null) memberFailed(this.member, this.conn.proxy.options.ejection); // passive health
    if (!this.responseSeen && this.retry(up)) {
      const context = this.conn.context;
      context.observer.error(context, kind, err); // every failed attempt is an error event; the request's record keeps the outcome
      return;
    }
    this.fail(kind, err);
  }

  responseStarted(status: number): void {
    this.record.responseStartedAt = this.stamp();
    this.record.status = status;
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

  /** Safe retry before any response byte (retry-policy.ts); true when a new attempt is under way. */
  private retry(failed: UpstreamConnection): boolean {
    const decision = retryDecision({
      connected: failed.connected,
      reused: failed.reused,
      idempotent: this.idempotent,
      bodyBytesSent: this.replayable ? 0 : this.limits.bytes, // a buffered body can be sent again
      tries: this.tries,
      maxTries: this.conn.proxy.options.maxTries,
    });
    if (decision === Retry.FRESH_CONNECTION) return this.send(false);
    if (decision !== Retry.OTHER_MEMBER) return false;
    return this.nextMember() && this.send(true);
  }

  /**
   * Moves the request to the balancer's next choice, the current member excluded (it failed or is at
   * its connection cap); false when no member is left.
   */
  private nextMember(): boolean {
    const excluded = (this.excluded ??= new Set());
    excluded.add(this.member!);
    const next = this.pool!.pick(this.conn.clientIp, excluded);
    if (next === null || !this.assign(next)) return false;
    this.stuck = false; // a new member: the response re-issues the load balancer cookie
    return true;
  }

  private assign(member: MemberRuntime): boolean {
    const target = this.route!.targets.get(member);
    if (target === undefined) return false;
    this.releaseMember();
    this.pool!.acquire(member);
    this.member = member;
    this.target = target;
    return true;
  }

  /**
   * Sends the head on a connection to the assigned member: an idle one when `reuse`, else a new one
   * while the member is under `maxConnectionsPerMember`; a member at its cap is skipped for the next
   * pick. False when every candidate is at its cap (nothing was sent).
   */
  private send(reuse: boolean): boolean {
    const o = this.conn.proxy.options;
    let up = this.target!.tryAcquire(this, reuse, o.connectTimeoutMs, o.maxConnectionsPerMember);
    while (up === null) {
      if (!this.nextMember()) return false;
      up = this.target!.tryAcquire(this, true, o.connectTimeoutMs, o.maxConnectionsPerMember);
    }
    this.upstream = up;
    this.tries++;
    up.socket.write(this.forwardHead, "latin1");
    this.armTimer();
    return true;
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
    this.shaper?.drop();
    const up = this.upstream;
    this.upstream = null;
    up?.destroy();
    this.releaseMember();
    this.stage = "done";
    const conn = this.conn;
    const context = conn.context;
    context.observer.error(context, kind, cause ?? null);
    const close = closesClient(kind) || !this.requestDone || !conn.keepAlive || conn.proxy.draining || conn.clientEnded;
    const status = statusOf(kind);
    conn.write(generatedResponse(status, close, this.clientMinor, this.isHead));
    this.done(status, kind);
    conn.exchangeDone(!close);
  }

  abort(kind: ProxyErrorKind, cause?: unknown): void {
    const context = this.conn.context;
    context.observer.error(context, kind, cause ?? null);
    this.record.error = kind;
    this.cancel();
    this.conn.destroy();
  }

  /** Hands the finished request to the observer (once per request). */
  private done(status: number, error: ProxyErrorKind | null): void {
    if (this.buffer.active) this.buffer.clear(); // failed or cancelled while its body was buffered
    this.chosen = null;
    const record = this.record;
    if (!this.recording) return;
    this.recording = false;
    record.status = status;
    if (this.timed) {
      record.member = this.member ?? record.member;
      if (error !== null) record.error = error;
      record.doneAt = performance.now();
      const context = this.conn.context;
      context.observer.requestDone(context, record);
    }
    record.member = null;
    record.error = null;
  }

  private releaseMember(): void {
    const member = this.member;
    if (member !== null) {
      this.record.member = member;
      this.member = null;
      this.pool!.release(member);
    }
  }
}
