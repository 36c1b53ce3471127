import { isDescriptorExhaustion, reportDescriptorExhaustion } from "../../observe/descriptor-limit";
import { memberFailed } from "../../pools/passive-ejection";
import type { MemberRuntime } from "../../pools/pool-runtime.types";
import { DESCRIPTOR_SHORTAGE_STATUS } from "../errors";
import { Retry, retryDecision } from "../retry-policy";
import type { UpstreamConnection } from "../upstream-connection";
import type { AttemptStream } from "./h2.types";
import { answerGeneratedStream, failStream } from "./stream-answer";

/**
 * One stream's way to a backend connection, and its failover — the HTTP/1 rules of
 * upstream-attempt.ts on the same `UpstreamPool`s: the member the phases chose is counted
 * (`PoolRuntime.acquire`, released when the stream ends); an idle keep-alive connection to it is
 * reused, else a new one opened while the member is under `maxConnectionsPerMember` (a member at its
 * cap is skipped for the balancer's next pick; none left → 503 member_busy); the head (with a
 * buffered body) goes out in one write.
 *
 * Before any response byte a failed connection is retried when retry-policy.ts allows it: a refused
 * or timed-out connect → another member (the member counts a failure toward passive ejection); a
 * reused connection that died under an idempotent request → a fresh one. A streamed body byte rules
 * both out; a buffered body is sent again. A connect that failed for lack of file descriptors is the
 * engine's shortage: no failure counted, no failover, 503.
 */

/** Counts `member`, takes a backend connection and sends the head (on another member when it is at its cap). */
export function connectStreamMember(x: AttemptStream, member: MemberRuntime): void {
  if (!assign(x, member)) return failStream(x, "internal", null);
  if (!sendHead(x, true)) failStream(x, "member_busy", null);
}

/**
 * The backend connection `up` failed before the response head was complete (already destroyed and
 * no longer the exchange's): stop counting it against the member's cap, then retry, or answer.
 */
export function streamAttemptFailed(x: AttemptStream, up: UpstreamConnection, err: Error | null): void {
  x.target!.discard(up);
  if (!up.connected && isDescriptorExhaustion(err)) {
    const member = x.member;
    reportDescriptorExhaustion(x.conn.context, err as NodeJS.ErrnoException, "connect", member === null ? "" : `${member.config.address}:${member.config.port}`);
    return answerGeneratedStream(x, "internal", DESCRIPTOR_SHORTAGE_STATUS);
  }
  const responseSeen = x.responseSeen;
  const kind = responseSeen ? "bad_response" : up.connected ? "backend_reset" : up.timedOut ? "connect_timeout" : "connect_failed";
  if (!up.connected && x.member !== null) memberFailed(x.member, x.conn.proxy.options.ejection);
  if (!responseSeen && retry(x, up)) {
    const context = x.conn.context;
    context.observer.error(context, kind, err);
    return;
  }
  failStream(x, kind, err);
}

/** Safe retry before any response byte (retry-policy.ts); true when a new attempt is under way. */
function retry(x: AttemptStream, failed: UpstreamConnection): boolean {
  const decision = retryDecision({
    connected: failed.connected,
    reused: failed.reused,
    idempotent: x.idempotent,
    bodyBytesSent: x.bodyBytes, // a buffered body is not counted here: it goes out inside forwardHead, again on a retry
    tries: x.tries,
    maxTries: x.conn.proxy.options.maxTries,
  });
  if (decision === Retry.FRESH_CONNECTION) return sendHead(x, false);
  if (decision !== Retry.OTHER_MEMBER) return false;
  return nextMember(x) && sendHead(x, true);
}

/** Moves the stream to the balancer's next choice, the current member excluded; false when none is left. */
function nextMember(x: AttemptStream): boolean {
  const excluded = (x.excluded ??= new Set());
  excluded.add(x.member!);
  const next = x.pool!.pick(x.conn.clientIp, excluded);
  if (next === null || !assign(x, next)) return false;
  x.stuck = false; // a new member: the response re-issues the load balancer cookie
  return true;
}

/** Counts `member` for this stream (the previous one released) with its connection pool; false when the route has none for it. */
function assign(x: AttemptStream, member: MemberRuntime): boolean {
  const target = x.route.targets.get(member);
  if (target === undefined) return false;
  x.releaseMember();
  x.pool!.acquire(member);
  x.member = member;
  x.target = target;
  return true;
}

/** Sends the head on a connection to the assigned member (see upstream-attempt.ts); false when every candidate is at its cap. */
function sendHead(x: AttemptStream, reuse: boolean): boolean {
  const o = x.conn.proxy.options;
  let up = x.target!.tryAcquire(x, reuse, o.connectTimeoutMs, o.maxConnectionsPerMember);
  while (up === null) {
    if (!nextMember(x)) return false;
    up = x.target!.tryAcquire(x, true, o.connectTimeoutMs, o.maxConnectionsPerMember);
  }
  x.upstream = up;
  x.tries++;
  up.socket.write(x.forwardHead, "latin1");
  x.armTimer();
  return true;
}
