import type { MemberRuntime, PoolRuntime } from "../pools/pool-runtime.types";
import type { ClientConnection } from "./client-connection";
import type { CompiledRoute } from "./compiled-route";
import { closesClient, reportError, statusOf, type ProxyErrorKind } from "./errors";
import { generatedResponse } from "./generated-response";
import { BodyFramer, BodyMode } from "./http1/body-framer";
import { copyOf, latin1 } from "../io/bytes";
import {
  MERGE_BODY_BYTES, P_BODY, P_DONE, P_HEAD, P_IDLE, P_TUNNEL, S_BODY, S_TUNNEL, T_BODY, T_CONNECT, T_RESPONSE, T_STREAM, T_TUNNEL,
} from "./proxy-context";
import { buildRequestHead } from "./request-head-writer";
import { readResponseHead, relayResponseBody } from "./response-relay";
import { Retry, retryDecision } from "./retry-policy";
import type { UpstreamConnection, UpstreamOwner } from "./upstream-connection";
import type { UpstreamPool } from "./upstream-pool";

/** Timer callback of a shaping hold (module level: no closure per connection or per chunk). */
function releaseHeld(x: Exchange): void {
  x.releaseHeld();
}

/**
 * One request/response exchange of a client connection (the object is reused for every request
 * of that connection): member choice (sticky cookie, else the balancer), acquire/release around
 * the request, the request head to a keep-alive backend connection, the response relayed as it
 * streams with backpressure both ways, 1xx forwarded, 101 turned into a tunnel. Failures before
 * any response byte are retried when safe (connect failure → another member; a reused keep-alive
 * connection that died → a fresh one, idempotent bodyless requests only), else answered through
 * errors.ts (502/503/504). On a limited address (EIP) backend bytes are shaped by its bucket before
 * they are relayed (`shape`): the hold and the client's write backpressure both keep the backend
 * paused, and it resumes only when neither does.
 */
export class Exchange implements UpstreamOwner {
  // State shared with response-relay.ts (the response half); not for use outside engine/l7.
  phase = P_IDLE;
  route: CompiledRoute | null = null;
  member: MemberRuntime | null = null;
  upstream: UpstreamConnection | null = null;
  /** The request was routed by its sticky cookie. */
  stuck = false;
  /** The client finished sending the request. */
  requestDone = false;
  /** The client connection closes after this response. */
  closeClient = false;
  /** The backend connection may be reused after this response. */
  reusable = false;
  clientMinor = 1;
  isHead = false;
  upgrade = false;
  /** Response body framing. */
  readonly framer = new BodyFramer();
  private pool: PoolRuntime | null = null;
  private target: UpstreamPool | null = null;
  private head = "";
  private excluded: Set<MemberRuntime> | null = null;
  private tries = 0;
  private bodyBytesSent = 0;
  private responseSeen = false;
  private idempotent = false;
  /** Backend bytes held back by bandwidth shaping (a private copy), and the timer relaying them. */
  private held: Buffer | null = null;
  private heldTimer: NodeJS.Timeout | null = null;

  constructor(readonly conn: ClientConnection) {}

  /** Starts forwarding the request the connection's parser just completed. */
  start(): void {
    const conn = this.conn;
    const req = conn.parser;
    const route = conn.ctx.route;
    this.route = route;
    this.pool = route.pool;
    this.member = this.target = this.upstream = this.excluded = null;
    this.tries = this.bodyBytesSent = 0;
    this.stuck = this.responseSeen = this.closeClient = this.reusable = false;
    this.requestDone = conn.state !== S_BODY;
    this.clientMinor = req.versionMinor;
    this.isHead = req.method === "HEAD";
    this.upgrade = req.upgrade;
    this.idempotent = req.idempotent;
    this.phase = P_HEAD;
    const pool = route.pool;
    if (pool === null) return this.fail("no_pool");
    let member: MemberRuntime | null = null;
    if (route.sticky !== null) {
      member = route.sticky.stuckMember(req, pool);
      this.stuck = member !== null;
    }
    if (member === null) member = pool.pick(conn.clientIp);
    if (member === null) return this.fail("no_member");
    this.head = buildRequestHead(req, conn.clientIp, route.forwardedFields, conn.clientFields(route));
    if (!this.assign(member)) return this.fail("internal");
    this.send(true);
  }

  /** Request body bytes buf[start, end) from the client (a shared read buffer: copied here). */
  sendBody(buf: Buffer, start: number, end: number): void {
    const up = this.upstream;
    if (up === null || this.phase === P_DONE) return;
    this.bodyBytesSent += end - start;
    const ok = end - start <= MERGE_BODY_BYTES ? up.socket.write(latin1(buf, start, end), "latin1") : up.socket.write(copyOf(buf, start, end));
    if (!ok) this.conn.socket.pause();
  }

  /** The client finished sending the request. */
  requestSent(): void {
    this.requestDone = true;
    if (this.phase === P_HEAD) this.armTimer();
  }

  /** Client bytes while tunnelling (`owned`: already a private copy). */
  tunnelToBackend(chunk: Buffer, owned: boolean): void {
    const up = this.upstream;
    if (up !== null && !up.socket.write(owned ? chunk : copyOf(chunk, 0, chunk.length))) this.conn.socket.pause();
  }

  /** The client half-closed a tunnel: pass the FIN on. */
  tunnelClientEnded(): void {
    this.upstream?.socket.end();
  }

  /** The client socket drained: resume the backend if it was paused for it. */
  onClientDrain(): void {
    const up = this.upstream;
    if (up !== null && this.held === null && up.socket.isPaused()) up.socket.resume(); // a shaping hold resumes it itself
  }

  /** A timer of the connection fired while this exchange owned it. */
  onTimeout(kind: number): void {
    if (this.phase !== P_HEAD) return this.abort("response_timeout");
    if (kind === T_BODY) return this.fail("request_timeout");
    this.fail(kind === T_CONNECT ? "connect_timeout" : "response_timeout");
  }

  /** The client broke the request body framing. */
  clientFailed(kind: ProxyErrorKind): void {
    if (this.phase === P_HEAD) this.fail(kind);
    else this.abort(kind);
  }

  /** Releases everything (client gone, or abort). */
  cancel(): void {
    if (this.held !== null) this.dropHeld();
    if (this.phase === P_IDLE || this.phase === P_DONE) return;
    this.phase = P_DONE;
    const up = this.upstream;
    this.upstream = null;
    if (up !== null) up.destroy();
    this.releaseMember();
  }

  onUpstreamConnect(): void {
    if (this.phase === P_HEAD) this.armTimer();
  }

  onUpstreamData(chunk: Buffer): void {
    this.conn.progress++;
    this.responseSeen = true;
    if (this.conn.bandwidth !== null && this.shape(chunk)) return;
    this.relay(chunk);
  }

  /** Backend bytes → response head parsing, body relay or tunnel. */
  private relay(chunk: Buffer): void {
    switch (this.phase) {
      case P_HEAD:
        readResponseHead(this, chunk);
        break;
      case P_BODY:
        relayResponseBody(this, chunk);
        break;
      case P_TUNNEL:
        if (!this.conn.write(copyOf(chunk, 0, chunk.length))) this.upstream?.socket.pause();
        break;
    }
  }

  /**
   * Limited address (EIP): debits the chunk from the address's bucket; when that puts it in debt,
   * keeps a private copy and pauses the backend until the debt is paid (true = held, relayed later).
   */
  private shape(chunk: Buffer): boolean {
    const wait = this.conn.bandwidth!.take(chunk.length);
    if (wait === 0 && this.held === null) return false;
    const copy = copyOf(chunk, 0, chunk.length);
    this.held = this.held === null ? copy : Buffer.concat([this.held, copy]); // read before the pause took effect
    this.upstream?.socket.pause();
    this.heldTimer ??= setTimeout(releaseHeld, wait > 0 ? wait : 1, this);
    return true;
  }

  /** Shaping timer: relays the held bytes, then resumes the backend unless the client's buffer is full. */
  releaseHeld(): void {
    this.heldTimer = null;
    const up = this.upstream;
    if (!this.flushHeld() || up === null || this.upstream !== up) return; // response finished: its connection is back in its pool
    if (up.socket.isPaused() && !this.conn.socket.writableNeedDrain) up.socket.resume();
  }

  /** Relays held bytes now (timer, or the backend ended / failed behind them); false = nothing was held. */
  private flushHeld(): boolean {
    const held = this.held;
    if (held === null) return false;
    this.dropHeld();
    this.relay(held);
    return true;
  }

  private dropHeld(): void {
    this.held = null;
    if (this.heldTimer !== null) {
      clearTimeout(this.heldTimer);
      this.heldTimer = null;
    }
  }

  onUpstreamDrain(): void {
    this.conn.progress++;
    const socket = this.conn.socket;
    if ((this.conn.state === S_BODY || this.conn.state === S_TUNNEL) && socket.isPaused()) socket.resume();
  }

  onUpstreamEnd(): void {
    if (this.held !== null) this.flushHeld();
    if (this.phase === P_BODY && this.framer.mode === BodyMode.UNTIL_CLOSE) {
      this.framer.finishOnClose();
      this.reusable = false;
      this.finish();
    } else if (this.phase === P_TUNNEL) {
      this.conn.socket.end();
    } else {
      this.onUpstreamError(null);
    }
  }

  onUpstreamError(err: Error | null): void {
    if (this.held !== null) this.flushHeld();
    const up = this.upstream;
    if (up === null) return;
    if (this.phase === P_TUNNEL && err === null) {
      this.conn.socket.end();
      return;
    }
    this.upstream = null;
    up.destroy();
    if (this.phase !== P_HEAD) return this.abort("backend_reset", err);
    if (!this.responseSeen && this.retry(up)) return;
    this.fail(this.responseSeen ? "bad_response" : up.connected ? "backend_reset" : "connect_failed", err);
  }

  /** The response is complete: backend connection back to its pool (or closed), member released. */
  finish(): void {
    this.phase = P_DONE;
    const up = this.upstream;
    this.upstream = null;
    if (up !== null) this.target!.release(up, this.reusable && this.requestDone);
    this.releaseMember();
    this.conn.exchangeDone(!this.closeClient);
  }

  /** Safe retry before any response byte (retry-policy.ts); true when a new attempt is under way. */
  private retry(failed: UpstreamConnection): boolean {
    const decision = retryDecision({
      connected: failed.connected,
      reused: failed.reused,
      idempotent: this.idempotent,
      bodyBytesSent: this.bodyBytesSent,
      tries: this.tries,
      maxTries: this.conn.ctx.options.maxTries,
    });
    if (decision === Retry.FRESH_CONNECTION) {
      this.send(false);
      return true;
    }
    if (decision !== Retry.OTHER_MEMBER) return false;
    const excluded = (this.excluded ??= new Set());
    excluded.add(this.member!);
    const next = this.pool!.pick(this.conn.clientIp, excluded);
    if (next === null || !this.assign(next)) return false;
    this.stuck = false; // a new member: the response re-issues the load balancer cookie
    this.send(true);
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

  private send(reuse: boolean): void {
    const up = this.target!.acquire(this, reuse);
    this.upstream = up;
    this.tries++;
    up.socket.write(this.head, "latin1");
    this.armTimer();
  }

  /** Arms the connection timer for the current phase. */
  armTimer(): void {
    const conn = this.conn;
    const o = conn.ctx.options;
    if (this.phase === P_HEAD) {
      if (this.upstream !== null && !this.upstream.connected) conn.setTimer(T_CONNECT, o.connectTimeoutMs);
      else if (conn.state === S_BODY) conn.setTimer(T_BODY, o.bodyTimeoutMs);
      else conn.setTimer(T_RESPONSE, o.responseTimeoutMs);
    } else if (this.phase === P_BODY) conn.setTimer(T_STREAM, o.responseTimeoutMs);
    else if (this.phase === P_TUNNEL) conn.setTimer(T_TUNNEL, this.route!.idleTimeoutMs);
  }

  /** Answers with a generated error response (nothing was sent to the client yet). */
  fail(kind: ProxyErrorKind, cause?: unknown): void {
    if (this.held !== null) this.dropHeld();
    const up = this.upstream;
    this.upstream = null;
    up?.destroy();
    this.releaseMember();
    this.phase = P_DONE;
    reportError(this.conn.ctx.options.onError, kind, cause);
    const conn = this.conn;
    const close = closesClient(kind) || !this.requestDone || !conn.keepAlive || conn.ctx.draining || conn.clientEnded;
    conn.write(generatedResponse(statusOf(kind), close, this.clientMinor, this.isHead));
    conn.exchangeDone(!close);
  }

  /** The response already started (or the client is gone): all we can do is close. */
  abort(kind: ProxyErrorKind, cause?: unknown): void {
    reportError(this.conn.ctx.options.onError, kind, cause);
    this.cancel();
    this.conn.destroy();
  }

  private releaseMember(): void {
    const member = this.member;
    if (member !== null) {
      this.member = null;
      this.pool!.release(member);
    }
  }
}

